"""Each input file is read in a worker under a limit of time and memory: a file that hangs,
swells or crashes its reader is skipped by name, and the others are read as usual."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import EXIT_SKIPPED, cli
from briefing.guard import FileLimits, guarded_map
from briefing.load import READERS

LIMITS = FileLimits(seconds=1.0, megabytes=200)


def misbehave(item: str) -> str:
    """Return ``item`` in capitals, unless it names a way to fail."""
    if item == "hang":
        time.sleep(60)
    elif item == "swell":
        hoard = [bytearray(1024 * 1024) for _ in range(2000)]  # 2 GB, page by page
        return str(len(hoard))
    elif item == "raise":
        raise ValueError("a reader's own bug\non two lines")
    elif item == "crash":
        faulthandler.disable()  # pytest's, inherited by the fork: no traceback on stderr
        os.kill(os.getpid(), signal.SIGSEGV)
    return item.upper()


def failed(item: str, reason: str) -> str:
    return f"{item}: {reason}"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_call_that_hangs_is_cut_off_and_the_others_come_back_in_order(jobs):
    started = time.monotonic()
    items = ["a", "hang", "b", "c", "hang", "d"]
    results = list(guarded_map(misbehave, items, failed, LIMITS, jobs=jobs))
    assert results == [
        "A", "hang: took longer than 1 s to read (the limit for a file)", "B", "C",
        "hang: took longer than 1 s to read (the limit for a file)", "D",
    ]  # fmt: skip
    assert time.monotonic() - started < 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_DATA is Linux's")
def test_a_call_that_needs_more_memory_than_the_limit_fails_alone():
    results = list(guarded_map(misbehave, ["a", "swell", "b"], failed, LIMITS))
    assert results == ["A", "swell: needed more than 200 MB to read (the limit for a file)", "B"]


def test_a_call_that_crashes_its_worker_is_named_and_a_new_worker_goes_on():
    results = list(guarded_map(misbehave, ["crash", "a", "crash", "b"], failed, LIMITS))
    assert results == [
        "crash: its reader crashed (SIGSEGV)", "A", "crash: its reader crashed (SIGSEGV)", "B",
    ]  # fmt: skip


def test_the_limits_must_be_positive():
    with pytest.raises(ValueError, match="more than 0"):
        FileLimits(seconds=0)


def test_briefing_build_skips_a_file_whose_reader_hangs_and_briefs_the_others(
    tmp_path, examples, monkeypatch
):
    def hanging_reader(path: Path, data: bytes):
        time.sleep(60)

    monkeypatch.setitem(READERS, ".txt", hanging_reader)  # the workers are forked with it
    folder = tmp_path / "in"
    folder.mkdir()
    for article in sorted(examples.glob("*.md"))[:3]:
        (folder / article.name).write_bytes(article.read_bytes())
    (folder / "stuck.txt").write_text("Any text at all.\n", encoding="utf-8")
    out = tmp_path / "brief.md"
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["build", str(folder), "-o", str(out), "--max-file-seconds", "1"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert f"skipped {folder / 'stuck.txt'}: took longer than 1 s to read" in result.stderr
    assert out.is_file()
    assert time.monotonic() - started < 30


def test_a_call_that_raises_fails_alone_with_its_error_in_one_line():
    results = list(guarded_map(misbehave, ["a", "raise", "b"], failed, LIMITS))
    assert results == ["A", "raise: its reader failed (ValueError: a reader's own bug on two lines)", "B"]


_KILLED_RUN = """
import os, sys, threading, time
from pathlib import Path
from briefing.mail.lock import run_lock
from briefing.parallel import LocalExecutor

folder, pids, which = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]


def park(item):
    with pids.open("a") as out:
        out.write(f"{os.getpid()}\\n")
    time.sleep(120)
    return item


with run_lock(folder):
    executor = LocalExecutor(jobs=2)
    if which == "map":
        results = executor.map(park, ["a", "b", "c", "d"])
    else:
        results = executor.map_files(park, ["a", "b", "c", "d"], lambda item, why: why)
    threading.Thread(target=list, args=(results,), daemon=True).start()
    while len(pids.read_text().split()) < 2:
        time.sleep(0.05)
    print("ready", flush=True)
    time.sleep(120)
"""


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("which", ["map", "map_files"])
def test_a_killed_run_leaves_no_worker_behind_to_hold_its_lock(tmp_path, which):
    import subprocess
    import threading

    from briefing.mail.lock import run_lock

    script, pids = tmp_path / "run.py", tmp_path / "pids"
    script.write_text(_KILLED_RUN, encoding="utf-8")
    pids.write_text("", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, str(script), str(tmp_path), str(pids), which]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as run:
        ready: list[str] = []
        reader = threading.Thread(target=lambda: ready.append(run.stdout.readline()))
        reader.start()
        reader.join(timeout=30)
        workers = [int(pid) for pid in pids.read_text().split()]
        run.kill()  # as cron's timeout or the OOM killer would: no clean-up
    assert ready == ["ready\n"], "the run did not start its workers"
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, workers))
    with run_lock(tmp_path):  # the next morning's run takes the lock
        pass
