"""How long ``import briefing`` and a brief of one article take, each in a fresh process.

The bars (#15): ``import briefing`` under 0.3 s, and ``briefing build`` of one article under
0.5 s, start to written .docx.  Both run the briefing installed for the Python that runs
this script, from a temporary folder (so a checkout's working tree is not what is timed
unless it is installed in editable mode), and report the median of ``--runs`` runs after
one warm-up run (which compiles the .pyc files).  The article is one of the bundled
examples.  nltk imports scikit-learn at import time when it is installed (the dev extras
install it), so the figures of a plain ``pip install .`` are the ones to compare with the bars.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import speed_line  # noqa: E402

ARTICLE = ROOT / "examples" / "articles" / "kestrel-quarterly-results.md"
BARS = {"import briefing": 0.3, "one-article brief": 0.5}


def _timed(command: list[str], cwd: Path) -> float:
    """Return the wall time (s) of ``command`` run to completion in ``cwd``; it must succeed."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def median_time(command: list[str], cwd: Path, runs: int) -> float:
    """Return the median wall time (s) of ``runs`` runs of ``command``, after a warm-up."""
    _timed(command, cwd)
    return statistics.median(_timed(command, cwd) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    """Print the median times beside their bars; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(ARTICLE, folder / ARTICLE.name)
        where = subprocess.run(
            [sys.executable, "-c", "import briefing; print(briefing.__file__)"],
            cwd=folder,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"briefing from {where}")
        print(f"scikit-learn installed: {importlib.util.find_spec('sklearn') is not None}")
        commands = {
            "import briefing": [sys.executable, "-c", "import briefing"],
            "one-article brief": [
                sys.executable,
                "-m",
                "briefing",
                "build",
                ARTICLE.name,
                "-o",
                "brief.docx",
            ],
        }
        print(speed_line())
        for name, command in commands.items():
            seconds = median_time(command, folder, args.runs)
            verdict = "met" if seconds < BARS[name] else "short"
            print(f"{name:>18}: {seconds:.2f} s (bar {BARS[name]} s: {verdict})")
        print(speed_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
