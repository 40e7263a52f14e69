"""The README documents every command and option the CLI has."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from briefing.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def readme() -> str:
    if not README.is_file():
        pytest.skip("README.md is not beside the tests (installed elsewhere)")
    return README.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_readme_documents_each_command(readme, name):
    assert f"briefing {name}" in readme


@pytest.mark.parametrize(
    "option",
    sorted(
        opt
        for command in cli.commands.values()
        for param in command.params
        for opt in getattr(param, "opts", [])
        if opt.startswith("--")
    ),
)
def test_readme_documents_each_long_option(readme, option):
    assert f"`{option}" in readme or f", {option}" in readme


def test_readme_gives_the_install_run_and_test_commands(readme):
    assert "    pip install .\n" in readme
    assert "    briefing build examples/articles -o brief.docx\n" in readme
    assert "    pytest\n" in readme


def test_readme_python_api_example_runs_as_written(readme, examples, tmp_path, monkeypatch):
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copytree(examples, tmp_path / "examples" / "articles")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md (Python API)", "exec"), {})
    assert docx.Document(str(tmp_path / "brief.docx")).paragraphs
    assert (tmp_path / "state.sqlite").is_file()
