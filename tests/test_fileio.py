"""Atomic writes: a file is replaced whole or left as it was."""

import os

import pytest

from briefing.errors import OutputError
from briefing.fileio import write_text_atomically


def test_writing_over_a_folder_raises_output_error_and_leaves_no_temp_file(tmp_path):
    (tmp_path / "brief.md").mkdir()

    with pytest.raises(OutputError, match=r"brief\.md"):
        write_text_atomically(tmp_path / "brief.md", "text")
    assert os.listdir(tmp_path) == ["brief.md"]


def test_write_text_atomically_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "brief.md"
    target.write_text("old")
    target.chmod(0o640)

    assert write_text_atomically(target, "new \u00e9\n") == target
    assert target.read_text(encoding="utf-8") == "new \u00e9\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["brief.md"]


def test_write_text_atomically_gives_a_new_file_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "new.md", "x")
    finally:
        os.umask(umask)

    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o644
