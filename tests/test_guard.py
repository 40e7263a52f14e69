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
