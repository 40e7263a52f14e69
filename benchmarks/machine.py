"""How fast this machine is right now, so that timings taken at different hours compare.

A shared virtual machine's speed can change by half within minutes: another tenant's load
on the host slows the CPU, and the kernel reclaiming cached files makes every fresh process
read its modules from disk again.  ``speed_line`` times both, a fixed pure-Python loop and
a fresh interpreter importing nltk (some 400 modules, which the kernel drops from its cache
first; numpy's stay cached); the benchmarks that report wall time print it before and after
their runs.
"""

from __future__ import annotations

import subprocess
import sys
import time

#: Additions in the calibration loop: about 0.3 to 0.4 s on this 2-core machine at its fastest.
LOOP_ADDITIONS = 10_000_000


def loop_seconds() -> float:
    """Return the wall time (s) of a loop of LOOP_ADDITIONS integer additions."""
    started = time.perf_counter()
    total = 0
    for i in range(LOOP_ADDITIONS):
        total += i
    return time.perf_counter() - started


def import_seconds() -> float:
    """Return the wall time (s) of a fresh interpreter that imports nltk and exits."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import nltk"], check=True, capture_output=True)
    return time.perf_counter() - started


def speed_line() -> str:
    """One line saying how fast the machine is now, for a benchmark's output."""
    return (
        f"machine: {LOOP_ADDITIONS:,} Python additions in {loop_seconds():.2f} s; "
        f"a fresh Python importing nltk in {import_seconds():.2f} s"
    )
