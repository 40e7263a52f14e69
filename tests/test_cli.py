"""The briefing command, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_ARTICLES

import briefing
from briefing.cli import EXIT_SKIPPED, cli

runner = CliRunner()


def run(*args: str):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def articles(tmp_path, examples) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(examples, folder)
    return folder


def test_build_writes_a_docx_and_prints_its_path(articles, tmp_path):
    out = tmp_path / "brief.docx"
    result = run("build", articles, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Sources" in headings


def test_build_writes_markdown_to_standard_output(articles):
    result = run("build", articles, "--format", "md", "--title", "Morning brief")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Morning brief")
    assert "## Sources" in result.stdout


def test_build_writes_json_with_explanations_to_a_file(articles, tmp_path):
    out = tmp_path / "brief.json"
    result = run("build", articles, "-o", out, "--date", "2026-11-28")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["date"] == "2026-11-28"
    items = [item for section in data["sections"] for item in section["items"]]
    assert items and all(item["why"] and item["citations"] for item in items)
    assert len(data["sources"]) == len(list(articles.iterdir()))


def test_build_names_each_skipped_file_and_exits_with_its_own_code(articles, tmp_path):
    (articles / "empty.txt").write_bytes(b"")
    (articles / "binary.txt").write_bytes(bytes(range(256)))
    out = tmp_path / "brief.docx"
    result = run("build", articles, "-o", out)
    assert result.exit_code == EXIT_SKIPPED
    assert f"skipped {articles / 'empty.txt'}: empty file" in result.stderr
    assert f"skipped {articles / 'binary.txt'}: binary data" in result.stderr
    assert out.is_file()
    verbose = run("build", articles, "-o", out, "-v")
    assert verbose.stderr.count("empty.txt") == 1  # named once, not logged and printed


def test_build_of_a_folder_with_nothing_usable_fails_in_one_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("build", tmp_path, "-o", tmp_path / "brief.docx")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: no usable articles in 1 file(s): {tmp_path / 'empty.txt'}: empty file"
    ]
    assert not (tmp_path / "brief.docx").exists()


def test_build_leaves_an_existing_briefing_alone_when_the_run_fails(tmp_path):
    out = tmp_path / "brief.docx"
    out.write_bytes(b"yesterday's briefing")
    result = run("build", tmp_path / "nothing-here", "-o", out)
    assert result.exit_code == 1
    assert out.read_bytes() == b"yesterday's briefing"


def test_build_reports_a_template_that_is_not_a_word_file(articles, tmp_path):
    template = tmp_path / "template.docx"
    template.write_text("not a zip", encoding="utf-8")
    result = run("build", articles, "-o", tmp_path / "b.docx", "--template", template)
    assert result.exit_code == 1
    assert "template.docx" in result.stderr
    assert "Traceback" not in result.output


def test_build_makes_the_output_folder_as_run_does(articles, tmp_path):
    out = tmp_path / "briefs" / "2026" / "brief.docx"
    result = run("build", articles, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_build_reports_a_file_where_the_output_folder_should_be(articles, tmp_path):
    (tmp_path / "briefs").write_text("not a folder")
    result = run("build", articles, "-o", tmp_path / "briefs" / "brief.docx")
    assert result.exit_code == 1
    assert "cannot create the folder" in result.stderr and "is a file" in result.stderr


def test_build_leaves_a_read_only_brief_as_it_was(articles, tmp_path):
    out = tmp_path / "brief.docx"
    out.write_bytes(b"yesterday's brief")
    out.chmod(0o444)
    result = run("build", articles, "-o", out)
    assert result.exit_code == 1
    assert "read-only" in result.stderr and "brief.docx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert out.read_bytes() == b"yesterday's brief"


def test_build_refuses_an_output_whose_suffix_names_no_format(articles, tmp_path):
    out = tmp_path / "brief.pdf"
    result = run("build", articles, "-o", out)
    assert result.exit_code == 2
    assert "cannot tell the format of" in result.output and "brief.pdf" in result.output
    assert not out.exists()


def test_build_refuses_a_format_that_contradicts_the_output_name(articles, tmp_path):
    out = tmp_path / "brief.docx"
    result = run("build", articles, "-f", "md", "-o", out)
    assert result.exit_code == 2
    assert "--format md does not match the name" in result.output
    assert not out.exists()


def test_build_writes_the_format_asked_for_to_a_name_without_a_known_suffix(articles, tmp_path):
    out = tmp_path / "brief.txt"
    result = run("build", articles, "-f", "md", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_build_takes_the_format_from_a_markdown_suffix(articles, tmp_path):
    out = tmp_path / "brief.markdown"
    result = run("build", articles, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_build_rejects_an_unknown_method_as_a_usage_error(articles):
    result = run("build", articles, "--method", "magic")
    assert result.exit_code == 2
    assert "magic" in result.stderr


def test_an_unknown_classifier_is_a_usage_error_in_one_line(articles, tmp_path):
    out = tmp_path / "brief.docx"
    result = run("build", articles, "-o", out, "--classifier", "nope")
    assert result.exit_code == 2
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "--classifier" in error and "'nope'" in error and "'default'" in error
    assert not out.exists()


def test_methods_lists_the_classifiers_too():
    lines = run("methods").stdout.splitlines()
    below = lines[lines.index("classifiers (--classifier):") + 1 :]
    assert [line.split()[0] for line in below] == ["default"]


def test_build_explains_why_each_item_was_filed(articles, tmp_path):
    out = tmp_path / "b.json"
    result = run("build", articles, "-o", out, "--explain")
    assert result.exit_code == 0
    # What --explain prints is what the brief's records say: each story's headline and what
    # its place rests on, then each bullet's score and why it is filed where it is.
    brief = briefing.build(articles, state=tmp_path / "state.sqlite")
    lines = result.stderr.splitlines()
    assert [line[3:] for line in lines if line.startswith("== ")] == [
        s.headline for s in brief.stories
    ]
    placed = [line.removeprefix("   placed by ") for line in lines if line.startswith("   placed by ")]
    assert placed == [s.why for s in brief.stories] and all(placed)
    whys = [line.strip().removeprefix("why: ") for line in lines if line.strip().startswith("why: ")]
    assert whys == [i.why for s in brief.stories for sec in s.sections for i in sec.items]
    shown = [line for line in lines if line.startswith("    [")]
    # Long sentences are shortened at a word, never cut inside one.
    assert all(line.endswith((" …", ".", '"', "”", "’", "'")) for line in shown)


@pytest.mark.parametrize("method", ["lead", "lexrank", "luhn", "edmundson"])
def test_build_runs_with_other_rankers(articles, tmp_path, method):
    result = run("build", articles, "-o", tmp_path / "b.md", "--method", method)
    assert result.exit_code == 0, result.output
    assert "## Sources" in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_methods_lists_every_sumy_summarizer():
    result = run("methods")
    names = {line.split()[0] for line in result.stdout.splitlines()}
    expected = {"default", "lexrank", "textrank", "lsa", "luhn", "edmundson", "sumbasic", "kl"}
    assert expected | {"reduction"} <= names


def test_methods_describes_every_ranker_and_classifier():
    # The sumy rankers load with sumy, when first used; their descriptions must not be lost.
    lines = run("methods").stdout.splitlines()
    listed = [line.split(None, 1) for line in lines if line != "classifiers (--classifier):"]
    assert ["lexrank", "sumy's LexRank (thresholded cosine graph, power method)."] in listed
    assert all(len(parts) == 2 for parts in listed), listed


def test_console_script_is_installed_and_runs_offline(articles, tmp_path):
    script = Path(sys.executable).with_name("briefing")
    if not script.exists():
        pytest.skip("the briefing console script is not installed in this environment")
    env = {**os.environ, "NLTK_DATA": str(tmp_path / "no-nltk-data")}
    out = tmp_path / "brief.docx"
    done = subprocess.run(
        [str(script), "build", str(articles), "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file()


def test_build_reports_how_many_files_and_articles_it_read(articles, tmp_path):
    (articles / "empty.txt").write_bytes(b"")
    result = run("build", articles, "-o", tmp_path / "b.json", "--max-stories", "2")
    n = EXAMPLE_ARTICLES
    assert result.stderr.strip().splitlines()[-1] == (
        f"read {n} article(s) from {n + 1} file(s); skipped 1 input(s)"
    )
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert (data["files_read"], data["articles_read"]) == (9, 8)
    assert [s["path"] for s in data["skipped"]] == [str(articles / "empty.txt")]


def test_build_remembers_the_brief_beside_its_output_and_marks_seen_stories_next_time(
    articles, tmp_path
):
    out = tmp_path / "brief.md"
    first = run("build", articles, "-o", out, "--date", "2026-11-28")
    assert first.exit_code == 0
    assert (tmp_path / ".briefing-state.sqlite").is_file()
    # A first brief has nothing to compare with: no story is marked new.
    text = out.read_text(encoding="utf-8")
    assert "(2 sources)" in text and "new)" not in text
    again = run("build", articles, "-o", tmp_path / "brief.json", "--date", "2026-11-28")
    assert again.exit_code == 0
    assert '"status": null' in (tmp_path / "brief.json").read_text(encoding="utf-8")
    second = run("build", articles, "-o", out, "--date", "2026-11-29")
    assert second.exit_code == 0
    assert "(2 sources, in an earlier brief)" in out.read_text(encoding="utf-8")


def test_a_brief_written_to_standard_output_is_remembered_in_the_state_named(
    articles, tmp_path
):
    state = tmp_path / "memory.sqlite"
    first = run("build", articles, "-o", "-", "-f", "md", "--state", state, "--date", "2026-11-28")
    assert first.exit_code == 0 and "(2 sources)" in first.stdout
    assert state.is_file()
    second = run("build", articles, "-f", "md", "--state", state, "--date", "2026-11-29")
    assert "(2 sources, in an earlier brief)" in second.stdout


def test_build_with_no_state_leaves_no_memory_behind(articles, tmp_path):
    out = tmp_path / "brief.md"
    assert run("build", articles, "-o", out, "--no-state").exit_code == 0
    assert not (tmp_path / ".briefing-state.sqlite").exists()
    assert "(2 sources)" in out.read_text(encoding="utf-8")


def test_build_since_a_day_leaves_older_articles_out(articles, tmp_path):
    out = tmp_path / "brief.json"
    result = run("build", articles, "-o", out, "--since", "2026-11-19")
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["articles_read"] == 8
    older = data["before_since"]
    assert older > 0 and f"left out {older} dated before --since" in result.stderr
    assert {s["published"] for s in data["sources"]} <= {"2026-11-19", "2026-11-20", "2026-11-24"}


def test_terminal_escapes_and_newlines_in_file_names_never_reach_the_terminal(articles, tmp_path):
    hostile = articles / "evil\x1b[2J\x1b]0;pwned\x07\nname\u202etxt.txt"
    hostile.write_bytes(b"")  # an empty file: skipped, and named on standard error
    result = run("build", articles, "-o", tmp_path / "b.md", "--explain")
    assert result.exit_code == 3
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert "evil\\x1b[2J" in line and "\\nname" in line and line.endswith("empty file")


@pytest.mark.parametrize("suffix", ["docx", "md"])
def test_a_brief_written_into_the_folder_it_briefs_is_not_read_back_as_an_article(
    articles, suffix
):
    # Yesterday's brief, saved beside the articles, must not become today's top story.
    first = run("build", articles, "-o", articles / f"brief-1.{suffix}", "--date", "2026-11-25")
    assert first.exit_code == 0, first.output
    again = run(
        "build", articles, "-o", articles / f"brief-2.{suffix}", "--date", "2026-11-26", "-v"
    )
    # Passed over, not skipped: a daily run into its own folder is no input gone wrong.
    assert again.exit_code == 0, again.output
    assert f"passed over {articles / f'brief-1.{suffix}'}: a brief briefing wrote" in again.stderr
    assert f"skipped {articles}" not in again.stderr
    assert f"read {EXAMPLE_ARTICLES} article(s)" in again.stderr


@pytest.mark.parametrize(("flag", "value", "why"), [
    ("--date", "2026-13-01", "month must be in 1..12"),
    ("--since", "2026-02-30", "day is out of range for month"),
    ("--date", "28/11/2026", "Invalid isoformat string"),
])  # fmt: skip
def test_a_bad_day_is_refused_in_one_line_saying_what_is_wrong(articles, tmp_path, flag, value, why):
    out = tmp_path / "b.docx"
    result = run("build", articles, "-o", out, flag, value)
    assert result.exit_code == 2
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert flag in error and f"'{value}' is not a day written YYYY-MM-DD" in error and why in error
    assert not out.exists()


def test_a_reader_that_closes_standard_output_early_gets_one_line_and_exit_1(examples):
    # `briefing build ... -o - | head -1`: click alone would exit 1 without a word.
    process = subprocess.Popen(
        [sys.executable, "-c", "from briefing.cli import main; main()", "build", str(examples),
         "-f", "md", "-o", "-", "--no-state"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    with process.stderr:
        errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    lines = [line for line in errors.splitlines() if line.startswith("Error:")]
    assert lines == [
        "Error: standard output was closed before the output was all written (broken pipe)"
    ]
    assert "Traceback" not in errors and "Exception ignored" not in errors


def test_ctrl_c_exits_130_in_one_line_and_leaves_no_brief(tmp_path):
    # Ctrl-C reaches the whole foreground process group, workers included.
    words = ("council", "budget", "vote", "port", "strike", "talks", "minister", "court")
    for n in range(600):
        sentences = [
            " ".join(words[(n + i + j) % len(words)] for j in range(12)).capitalize() + f" {n}."
            for i in range(30)
        ]
        (tmp_path / f"article-{n:03}.txt").write_text(
            f"Report {n}\n\n" + " ".join(sentences), encoding="utf-8"
        )
    out = tmp_path / "brief.docx"
    process = subprocess.Popen(
        [sys.executable, "-c", "from briefing.cli import main; main()", "build", str(tmp_path),
         "-o", str(out), "--no-state", "-v"],
        stderr=subprocess.PIPE, start_new_session=True, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    with process.stderr:
        for line in process.stderr:
            if "loaded" in line:
                os.killpg(process.pid, signal.SIGINT)
                break
        errors = process.stderr.read()
    assert process.wait(timeout=120) == 130
    assert errors.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in errors and "Aborted" not in errors
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("article-")) == []
