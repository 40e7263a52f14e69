"""Bad input never crashes a run: each bad file is named with a one-line reason, the good
ones are briefed, and random bytes or text never raise anything but ``InputError``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from makefiles import (
    STORY,
    make_docx,
    make_eml,
    make_html,
    make_mbox,
    make_pdf,
    make_rss,
)

from briefing.clean import clean_text
from briefing.errors import InputError
from briefing.load import READERS, clean_article, load_file, load_paths
from briefing.models import Article

LONG_STORY = STORY * 2
NESTING = 20_000


def good_files() -> dict[str, bytes]:
    """One good file per format, each with its own title."""
    text = "Ferry service restored after storm\n\n" + "\n\n".join(LONG_STORY) + "\n"
    markdown = "---\ntitle: Library opens on Sundays\ndate: 2026-11-18\n---\n\n" + "\n\n".join(STORY)
    return {
        "good.txt": text.encode(),
        "good.md": markdown.encode(),
        "good.html": make_html(LONG_STORY, title="Council backs tram line"),
        "good.docx": make_docx(LONG_STORY, title="Hospital wing approved"),
        "good.pdf": make_pdf(("School budget agreed", "", *STORY)),
        "good.eml": make_eml(LONG_STORY, subject="Weekly letter: port expansion"),
        "good-with-broken-entries.rss": make_rss(
            (("Bridge to close for repairs", "<p>" + " ".join(STORY) + "</p>"),),
            broken="<item><title>Broken</title><description></description></item><item>",
        ),
    }


def bad_files() -> dict[str, bytes]:
    """Bad files, each named for its fault."""
    docx, pdf = make_docx(), make_pdf()
    return {
        "empty.txt": b"",
        "truncated.docx": docx[: len(docx) // 2],
        "truncated.pdf": pdf[: len(pdf) // 3],
        "binary-named.txt": bytes(range(256)) * 64,
        "pdf-named.txt": pdf,
        "png-named.html": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "invalid-utf8.txt": b"Caf\xc3 \x81\x8d\x8f\x90\x9d owners \xff\xfe\xfd " * 20,
        "nul-bytes.html": b"<html><body><p>" + b"news\x00" * 500 + b"</p></body></html>",
        "nested.html": (b"<div>" * NESTING) + b"deep text here" + (b"</div>" * NESTING),
        "malformed.rss": b'<?xml version="1.0"?><rss><channel><item><title>Half</tit',
        "corrupt.docx": b"PK\x03\x04" + os.urandom(4000),
        "password.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000),
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\n%%EOF",
        "password.pdf": make_pdf(user_password="secret", owner_password="secret"),
        "scan.pdf": make_pdf(text=False),
        "text-named.pdf": b"Council backs tram line\n\nThe council voted on Thursday." * 20,
        "text-named.docx": b"Council backs tram line\n\nThe council voted on Thursday." * 20,
        "garbage.eml": os.urandom(3000).replace(b"\x00", b"\x01"),
        "garbage.mbox": b"not a mailbox at all\n" * 20,
        "login.html": b"<html><head><title>Log in</title></head><body><form><p>Sign in</p>"
        b'<input type="password"></form></body></html>',
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name, data in {**good_files(), **bad_files()}.items():
        (folder / name).write_bytes(data)
    with (folder / "one-50mb-line.txt").open("wb") as handle:
        handle.write(b"a" * (50 * 1024 * 1024))
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    os.mkfifo(folder / "pipe.txt")
    return folder


BAD_NAMES = {*bad_files(), "one-50mb-line.txt", "loop-a.txt", "loop-b.txt", "pipe.txt"}


def test_briefing_build_over_bad_files_names_each_one_and_briefs_the_good_ones(corpus, tmp_path):
    out = tmp_path / "brief.json"
    done = subprocess.run(
        [sys.executable, "-c", "from briefing.cli import main; main()", "build", str(corpus),
         "-f", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 3, done.stderr
    skipped = {}
    for line in done.stderr.splitlines():
        if line.startswith("skipped "):
            path, _, reason = line.removeprefix("skipped ").partition(": ")
            skipped[Path(path).name] = reason
    assert set(skipped) == BAD_NAMES, done.stderr
    assert all(reason.strip() for reason in skipped.values())
    assert "over the 20 MB limit" in skipped["one-50mb-line.txt"]
    assert skipped["password.pdf"] == "encrypted PDF (it needs a password)"
    assert skipped["password.docx"].startswith("encrypted or legacy Word file")
    assert skipped["loop-a.txt"] == "symbolic link loop"
    assert skipped["pipe.txt"] == "not a regular file"
    assert skipped["text-named.pdf"] == "not a PDF: it does not start as a PDF does"
    assert skipped["text-named.docx"] == (
        "not a Word document: it does not start as a Word document does"
    )
    titles = {source["title"] for source in json.loads(out.read_text())["sources"]}
    assert titles == {
        "Ferry service restored after storm",
        "Library opens on Sundays",
        "Council backs tram line",
        "Hospital wing approved",
        "School budget agreed",
        "Weekly letter: port expansion",
        "Bridge to close for repairs",
    }


def test_huge_line_under_a_raised_limit_goes_through_the_cleaner_quickly(tmp_path):
    big = tmp_path / "line.txt"
    big.write_bytes(b"word " * 600_000)  # 3 MB in one line
    result = load_paths([big], max_bytes=4 * 1024 * 1024)
    assert result.articles == ()
    assert result.skipped[0].reason.startswith("no article text found")


def test_deeply_nested_html_is_read_or_refused_without_a_crash(tmp_path):
    page = tmp_path / "deep.html"
    page.write_bytes(b"<div>" * 100_000 + " ".join(STORY).encode() + b"</div>" * 100_000)
    result = load_paths([page])
    assert len(result.articles) + len(result.skipped) == 1


READER_FUNCTIONS = sorted({reader.__name__: reader for reader in READERS.values()}.items())
SAMPLES = {
    "read_text": ("x.txt", ("Title\n\n" + "\n\n".join(STORY)).encode()),
    "read_markdown": ("x.md", ("---\ntitle: T\n---\n# T\n\n" + "\n\n".join(STORY)).encode()),
    "read_html": ("x.html", make_html()),
    "read_docx": ("x.docx", make_docx()),
    "read_pdf": ("x.pdf", make_pdf()),
    "read_eml": ("x.eml", make_eml()),
    "read_mbox": ("x.mbox", make_mbox(make_eml(), make_eml(html=True))),
    "read_feed": ("x.rss", make_rss()),
}
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_reader(name: str, data: bytes) -> None:
    """The reader returns cleanable articles or raises InputError, nothing else."""
    suffix = SAMPLES[name][0][1:]
    reader = dict(READER_FUNCTIONS)[name]
    try:
        articles = reader(Path(f"fuzz.{suffix}"), data)
    except InputError as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    assert isinstance(articles, tuple)
    for article in articles:
        assert isinstance(article, Article)
        clean_article(article)


def test_every_format_has_a_fuzzing_sample():
    assert {name for name, _ in READER_FUNCTIONS} == set(SAMPLES)


@pytest.mark.parametrize("name", [name for name, _ in READER_FUNCTIONS])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_every_reader_survives_random_bytes(name, data):
    check_reader(name, data)


@pytest.mark.parametrize("name", [name for name, _ in READER_FUNCTIONS])
@FUZZ
@given(text=st.text(max_size=2000))
def test_every_reader_survives_random_unicode_text(name, text):
    check_reader(name, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("name", [name for name, _ in READER_FUNCTIONS])
@FUZZ
@given(data=st.data())
def test_every_reader_survives_a_damaged_good_file(name, data):
    sample = bytearray(SAMPLES[name][1])
    cut = data.draw(st.integers(0, len(sample)), label="cut")
    flips = data.draw(st.lists(st.integers(0, max(len(sample) - 1, 0)), max_size=20), label="at")
    for at in flips:
        if at < len(sample):
            sample[at] = data.draw(st.integers(0, 255), label="byte")
    check_reader(name, bytes(sample[:cut] if data.draw(st.booleans()) else sample))


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=3000), title=st.one_of(st.none(), st.text(max_size=80)))
def test_the_cleaner_survives_random_text_and_leaves_no_forbidden_characters(text, title):
    cleaned = clean_text(text, title=title)
    assert isinstance(cleaned, str)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)


def nested_multipart(depth: int) -> bytes:
    """An e-mail of ``depth`` multiparts nested one in the other (about 68 KB at 1,000)."""
    body = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth)
    )
    body += "Content-Type: text/plain\r\n\r\nhello\r\n"
    body += "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
    head = "From: a@example.com\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
    return (head + body).encode("ascii")


def test_an_email_of_a_thousand_nested_parts_is_skipped_by_name_and_the_rest_briefed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nested.eml").write_bytes(nested_multipart(1000))
    for name, data in good_files().items():
        (folder / name).write_bytes(data)
    result = load_paths([folder])
    assert [(s.path.name, s.reason) for s in result.skipped] == [
        ("nested.eml", "nested too deeply to read")
    ]
    assert len(result.articles) == len(good_files())


def test_markdown_of_a_hundred_thousand_brackets_is_read(tmp_path):
    path = tmp_path / "brackets.md"
    text = "The council voted on Monday to close two libraries in the city centre.\n\n"
    path.write_text(text + "[" * 100_000 + "\n\n" + "_x " * 30_000 + "\n", encoding="utf-8")
    (article,) = load_paths([path]).articles
    assert article.text.startswith("The council voted on Monday")


def lying_docx(inflated: int) -> bytes:
    """A real .docx whose document.xml inflates to ``inflated`` bytes while its zip headers
    declare 1,000: the zip bomb whose directory lies."""
    import io
    import struct
    import zipfile

    real = zipfile.ZipFile(io.BytesIO(make_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in real.infolist():
            payload = real.read(info.filename)
            if info.filename == "word/document.xml":
                payload = payload.replace(b"</w:body>", b" " * inflated + b"</w:body>", 1)
            archive.writestr(info.filename, payload)
    data = bytearray(out.getvalue())
    name = b"word/document.xml"
    for signature, name_len, size_at, name_at in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + name_len)[0]
            if data[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, 1000)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_docx_whose_zip_directory_lies_is_refused_without_inflating_it(tmp_path):
    import tracemalloc

    path = tmp_path / "bomb.docx"
    path.write_bytes(lying_docx(100 * 2**20))
    tracemalloc.start()  # load_file reads in this process, where tracemalloc sees it
    try:
        with pytest.raises(InputError, match="forged zip archive"):
            load_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 60 * 2**20  # not the 100 MB the part inflates to
    assert "forged zip archive" in load_paths([path]).skipped[0].reason


def test_an_email_subject_of_thousands_of_encoded_words_is_cut_not_parsed_whole(tmp_path):
    import tracemalloc

    words = " ".join(["=?utf-8?q?caf=C3=A9?="] * 4000)  # 88 KB of encoded words
    body = " ".join(STORY)
    path = tmp_path / "subject.eml"
    path.write_text(
        f"From: desk@example.com\r\nSubject: {words}\r\nContent-Type: text/plain\r\n\r\n{body}\r\n",
        encoding="ascii",
    )
    tracemalloc.start()  # load_file reads in this process, where tracemalloc sees it
    try:
        (article,) = load_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert article.title.startswith("café")
    assert len(article.title) < 2_000
    assert peak < 60 * 2**20


@pytest.mark.parametrize(
    "header",
    [
        "From: " + ", ".join(f"user{i}@example.com" for i in range(30_000)),  # 690 KB
        "Subject: start\r\n" + " folded\r\n" * 100_000,  # 100,000 folded lines
    ],
    ids=["from-of-30000-addresses", "subject-of-100000-folded-lines"],
)
def test_an_email_header_of_hundreds_of_kilobytes_is_cut_before_it_is_parsed(tmp_path, header):
    import tracemalloc

    path = tmp_path / "header.eml"
    lines = [line for line in (header, "From: desk@example.com", "Subject: Ferry restored")
             if not line.startswith(header[:5]) or line is header]  # fmt: skip
    path.write_text("\r\n".join(lines) + "\r\nContent-Type: text/plain\r\n\r\n"
                    + " ".join(STORY) + "\r\n", encoding="ascii")  # fmt: skip
    tracemalloc.start()
    try:
        (article,) = load_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(article.title) < 2_000 and len(article.author) < 2_000
    assert peak < 60 * 2**20


def test_a_pdf_with_a_few_stray_bytes_before_its_header_is_still_read(tmp_path):
    # PDF readers look for the header in the first kilobyte; so does the format check.
    page = tmp_path / "stray.pdf"
    page.write_bytes(b"\r\n\r\n" + make_pdf())
    result = load_paths([page])
    assert not result.skipped and len(result.articles) == 1
