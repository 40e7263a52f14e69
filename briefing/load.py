"""Load articles from files and folders: read each format, decode it, and clean it.

``READERS`` maps a file suffix to a small function that turns the file's bytes into
articles (one module per format in ``briefing.formats``).  ``load_paths`` walks folders,
applies the limits, calls the reader, cleans the text and collects every file it could not
use as a ``Skipped`` with a one-line reason, so one bad file never stops a run.

Safety: a file is read only when it is a regular file within the size limit, and only its
bytes reach a reader; readers never execute, fetch or open anything else.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import logging
import os
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from .clean import (
    MAX_PARAGRAPH_CHARS,
    below_headline,
    clean_text,
    dateline_agency,
    drop_extractor_leftovers,
    strip_forbidden,
    tidy_title,
    without_datelines,
)
from .dates import date_in_name
from .errors import InputError
from .formats.feed import read_feed
from .formats.html import read_html
from .formats.mail import read_eml, read_mbox
from .formats.markdown import markdown_to_text, read_markdown, split_front_matter
from .formats.pdf import read_pdf
from .formats.text import decode, find_date, parse_date, read_text
from .formats.word import read_docx
from .guard import DEFAULT_LIMITS, FileLimits
from .headlines import headline_of
from .models import NOT_AN_ARTICLE, Article, LoadResult, Progress, Skipped
from .parallel import Executor, LocalExecutor
from .words import looks_english

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
    "MIN_ARTICLE_WORDS",
    "READERS",
    "Reader",
    "clean_article",
    "decode",
    "find_date",
    "iter_files",
    "load_file",
    "load_paths",
    "markdown_to_text",
    "parse_date",
    "parse_file",
    "split_front_matter",
]

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
# An article's body is cut (at a paragraph end) past this many characters: about 30,000
# words, more than any news story, and it bounds the work of the ranking stages.
MAX_ARTICLE_CHARS = 200_000
# Below this many words, what is left after cleaning is not an article.
MIN_ARTICLE_WORDS = 8

Reader = Callable[[Path, bytes], tuple[Article, ...]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".eml": read_eml,
    ".mbox": read_mbox,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}

# Readers whose text comes out of a main-text extractor (trafilatura) already free of page
# furniture: the cleaner only normalises it, since its furniture rules would drop real
# sub-headings and short paragraphs (measured in benchmarks/extraction.py).
EXTRACTED_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

# The first bytes of binary formats, to name a file whose suffix does not match its content.
_MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy or encrypted Office file"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "program"),
)
_EXPECTED_MAGIC = {
    ".pdf": {"PDF document"},
    ".docx": {"zip archive", "legacy or encrypted Office file"},
}
# What a file of each of those suffixes is, for the reason given when its bytes are not.
_BINARY_FORMATS = {".pdf": "PDF", ".docx": "Word document"}
# PDF readers accept a header this far into the file, after a few stray bytes.
_PDF_HEADER_WITHIN = 1024


def load_paths(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_chars: int = MAX_ARTICLE_CHARS,
    limits: FileLimits = DEFAULT_LIMITS,
    jobs: int = 1,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> LoadResult:
    """Load every article under ``paths`` (files or folders, searched recursively).

    Returns a ``LoadResult``: the cleaned English articles in path order, a ``Skipped`` for
    every input that gave none and every article not in English (with the reason), and the
    number of files read.  Each file is read in a worker process under ``limits`` (a
    FileLimits: time and memory), ``jobs`` of them at once, or by ``executor`` (an
    ``Executor``; on one whose workers cannot see these files, such as a Dask cluster, this
    process reads the bytes and the workers the rest); ``progress`` is told of each file read.
    """
    skipped: list[Skipped] = []
    files = list(iter_files(paths, skipped))
    executor = executor or LocalExecutor(jobs)
    articles: list[Article] = []
    if executor.shares_files:
        read = functools.partial(_load_one, max_bytes=max_bytes, max_chars=max_chars)
        found_in = executor.map_files(read, files, _over_limit, limits)
    else:
        found_in = _load_remotely(files, executor, max_bytes, max_chars, limits)
    for done, (found, problems) in enumerate(found_in, start=1):
        articles.extend(found)
        for problem in problems:
            if problem.reason == NOT_AN_ARTICLE:
                # A brief saved into the folder it briefs is no input gone wrong: a daily
                # run would otherwise report it, and exit 3, every morning.
                logger.info("passed over %s", problem)
                continue
            logger.debug("skipped %s", problem)  # the CLI prints each; the API returns them
            skipped.append(problem)
        if progress is not None:
            progress("loading", done, len(files))
    logger.info(
        "loaded %d articles from %d files (%d skipped)", len(articles), len(files), len(skipped)
    )
    return LoadResult(tuple(articles), tuple(skipped), len(files))


_Loaded = tuple[tuple[Article, ...], tuple[Skipped, ...]]


def _load_one(path: Path, *, max_bytes: int, max_chars: int) -> _Loaded:
    """The English articles of one file, and why the file or any of its articles is left
    out (Skipped records, which cross processes)."""
    return _english_or_skipped(
        path, lambda: load_file(path, max_bytes=max_bytes, max_chars=max_chars)
    )


def _english_or_skipped(path: Path, read: Callable[[], tuple[Article, ...]]) -> _Loaded:
    """What ``read()`` gives of one file: its English articles, and a Skipped for the file
    when it fails and for each article in another language."""
    try:
        found = read()
    except InputError as exc:
        return (), (Skipped(exc.path, exc.reason),)
    except RecursionError:
        # A parser a reader relies on recursing through 1,000 nested parts (an .eml of
        # multiparts, say): one file's structure must not end the morning's run.
        return (), (Skipped(path, "nested too deeply to read"),)
    return _english_only(found)


def _english_only(found: tuple[Article, ...]) -> _Loaded:
    # The splitter, the word lists and the classifier read English, and would brief
    # anything else as noise.
    english: list[Article] = []
    foreign: list[Skipped] = []
    for article in found:
        if looks_english(article.text):
            english.append(article)
        else:
            where = article.path or Path(article.source or article.title)
            foreign.append(Skipped(where, f"not in English: {headline_of(article)!r}"))
    return tuple(english), tuple(foreign)


_Fetched = tuple[Path, bytes, "dt.date | None"]


# What this process holds of the files' bytes at a time when workers elsewhere read them.
REMOTE_BATCH_FILES = 1024
REMOTE_BATCH_BYTES = 64 * 1024 * 1024


def _load_remotely(
    files: list[Path], executor: Executor, max_bytes: int, max_chars: int, limits: FileLimits
) -> Iterator[_Loaded]:
    """Read each file's bytes here and have ``executor``'s workers make its articles, a
    batch of files at a time (at most REMOTE_BATCH_FILES files and, past the first,
    REMOTE_BATCH_BYTES bytes); yield each file's articles and skips, in order."""
    parse = functools.partial(_parse_fetched, max_chars=max_chars)
    pending = iter(files)
    while True:
        outcomes: list[_Loaded | None] = []  # None: sent to the workers
        fetched: list[_Fetched] = []
        held = 0
        for path in pending:
            try:
                fetched.append(_fetch(path, max_bytes))
                outcomes.append(None)
                held += len(fetched[-1][1])
            except InputError as exc:
                outcomes.append(((), (Skipped(exc.path, exc.reason),)))
            if len(outcomes) >= REMOTE_BATCH_FILES or held >= REMOTE_BATCH_BYTES:
                break
        if not outcomes:
            return
        parsed = executor.map_files(parse, fetched, _fetched_over_limit, limits)
        for outcome in outcomes:
            yield outcome if outcome is not None else next(parsed)


def _parse_fetched(fetched: _Fetched, *, max_chars: int) -> _Loaded:
    path, data, saved = fetched
    return _english_or_skipped(
        path, lambda: parse_file(path, data, saved=saved, max_chars=max_chars)
    )


def _fetched_over_limit(fetched: _Fetched, reason: str) -> _Loaded:
    return _over_limit(fetched[0], reason)


def _over_limit(path: Path, reason: str) -> tuple[tuple[Article, ...], tuple[Skipped, ...]]:
    return (), (Skipped(path, reason),)


def load_file(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, max_chars: int = MAX_ARTICLE_CHARS
) -> tuple[Article, ...]:
    """Return the cleaned articles of one file (a tuple of ``Article``).

    Raises ``InputError`` naming the file and the problem when it yields none.
    """
    path, data, saved = _fetch(path, max_bytes)
    return parse_file(path, data, saved=saved, max_chars=max_chars)


def _fetch(path: Path, max_bytes: int) -> _Fetched:
    """The bytes of a file a reader can read and the day it was saved; raises InputError."""
    _reader_of(path)
    return path, _read_bytes(path, max_bytes), _saved_on(path)


def parse_file(
    path: Path, data: bytes, *, saved: dt.date | None = None, max_chars: int = MAX_ARTICLE_CHARS
) -> tuple[Article, ...]:
    """Return the cleaned articles of a file's ``data`` (bytes), read as its ``path``'s
    suffix says; ``saved`` is the day the file was written.  An article that gives no
    date of its own is dated by a day in the file's name ("APW19980617.1094.txt").

    Raises ``InputError`` naming the file and the problem when it yields none.
    """
    reader = _reader_of(path)
    suffix = path.suffix.lower()
    kind = _sniff(data)
    if kind and kind not in _EXPECTED_MAGIC.get(suffix, ()):
        raise InputError(path, f"a {kind}, not a {suffix!r} file (wrong extension?)")
    late_pdf = suffix == ".pdf" and b"%PDF-" in data[:_PDF_HEADER_WITHIN]
    if not kind and suffix in _BINARY_FORMATS and data and not late_pdf:
        name = _BINARY_FORMATS[suffix]
        raise InputError(path, f"not a {name}: it does not start as a {name} does")
    extracted = suffix in EXTRACTED_SUFFIXES
    named = date_in_name(path.name)
    raws = reader(path, data)
    articles = tuple(
        replace(_cap(article, max_chars), saved=saved, published=article.published or named)
        for article in (clean_article(raw, extracted=extracted) for raw in raws)
        if len(article.text.split()) >= MIN_ARTICLE_WORDS
    )
    if not articles:
        raise InputError(path, _why_no_text(raws))
    logger.debug("%s: %d articles", path, len(articles))
    return articles


def _why_no_text(raws: Sequence[Article]) -> str:
    longest = max((len(line) for raw in raws for line in raw.text.splitlines()), default=0)
    if longest > MAX_PARAGRAPH_CHARS:
        return (
            f"no article text found: one unbroken paragraph of {longest:,} characters, "
            f"more than prose ever runs to ({MAX_PARAGRAPH_CHARS:,})"
        )
    return "no article text found (empty after removing page furniture)"


def _reader_of(path: Path) -> Reader:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(no suffix)'!r}")
    return reader


def clean_article(article: Article, *, extracted: bool = False) -> Article:
    """Return ``article`` with its body cleaned of page furniture (see ``clean.clean_text``).

    ``extracted`` marks text a main-text extractor already freed of furniture: it is only
    normalised (spaces, control characters, one paragraph per line).
    """
    title = tidy_title(article.title, article.text)
    if not article.source and (agency := dateline_agency(article.text)):
        article = replace(article, source=agency)  # wire copy saved without its outlet
    if extracted:
        lines = [line for line in map(_normalise, article.text.splitlines()) if line]
        body = drop_extractor_leftovers(below_headline(lines, title))
        body = without_datelines(body, article.source)
        return replace(article, title=title, text="\n".join(body))
    text = clean_text(article.text, title=article.title, outlet=article.source)
    return replace(article, title=title, text=text)


def _normalise(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", strip_forbidden(line)).split())


def iter_files(paths: Iterable[str | Path], skipped: list[Skipped]) -> Iterator[Path]:
    """Yield the files named by ``paths``, walking folders in sorted order.

    Hidden files and folders are passed over; a missing path, a broken or looping symbolic
    link and an unreadable folder are appended to ``skipped``.  Symbolic links to folders
    are not followed, so a link loop cannot trap the walk.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, skipped)
        elif path.is_file():
            yield path
        else:
            skipped.append(Skipped(path, _missing_reason(path)))


def _missing_reason(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if path.is_symlink():
            return "broken symbolic link"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return _os_reason(exc)
    return "not a regular file"


def _walk(folder: Path, skipped: list[Skipped]) -> Iterator[Path]:
    def on_error(exc: OSError) -> None:
        skipped.append(Skipped(Path(exc.filename or folder), _os_reason(exc)))

    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _page_assets(d, files))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


# What a browser names the folder of a page saved complete ("page.html" and "page_files"),
# in the languages browsers most often run in.
_ASSETS_SUFFIXES = ("_files", "-files", "-Dateien", "_fichiers", "_archivos", "-bestanden")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".mhtml")


def _page_assets(folder: str, files: list[str]) -> bool:
    """Whether ``folder`` holds the images, scripts and frames a browser saved beside one of
    ``files`` (a page saved complete): its ads and trackers are not articles."""
    stem = next((folder[: -len(s)] for s in _ASSETS_SUFFIXES if folder.endswith(s)), "")
    if not stem:
        return False
    return any(stem + suffix in files for suffix in _PAGE_SUFFIXES)


def _saved_on(path: Path) -> dt.date | None:
    """The day the file at ``path`` was last written, or None when the system will not say."""
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Return the bytes of the regular file at ``path``, refusing it before reading when
    it is over ``max_bytes``."""
    try:
        # Open without blocking, then ask the open file what it is: a file swapped for a
        # FIFO between a stat and an open would otherwise block the run for ever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                # A FIFO or a device would block or never end.
                raise InputError(path, "not a regular file")
            if info.st_size > max_bytes:
                raise InputError(
                    path,
                    f"file is {_megabytes(info.st_size)}, over the {_megabytes(max_bytes)} limit",
                )
            data = handle.read(max_bytes + 1)
            now = os.fstat(handle.fileno())
            if (now.st_size, now.st_mtime_ns) != (info.st_size, info.st_mtime_ns):
                # Another program is still writing it: what was read may be half of it.
                raise InputError(path, "changed while it was read (still being written?)")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "symbolic link loop") from exc
        if exc.errno == errno.ENOENT and path.is_symlink():
            raise InputError(path, "broken symbolic link") from exc
        raise InputError(path, _os_reason(exc)) from exc
    if len(data) > max_bytes:
        raise InputError(path, f"file is over the {_megabytes(max_bytes)} limit")
    if not data.strip():
        raise InputError(path, "empty file")
    return data


def _sniff(data: bytes) -> str:
    """Return the binary format ``data`` starts with (e.g. 'PDF document'), or ''."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), "")


def _cap(article: Article, max_chars: int) -> Article:
    """Return ``article`` with its text cut at the last paragraph end within ``max_chars``."""
    if len(article.text) <= max_chars:
        return article
    cut = article.text.rfind("\n", 0, max_chars + 1)
    text = article.text[: cut if cut > 0 else max_chars]
    logger.warning(
        "%s: article cut to %d of %d characters", article.path, len(text), len(article.text)
    )
    return replace(article, text=text)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _megabytes(size: int) -> str:
    """A size in bytes as a limit is read: "20 MB", "1.5 MB", "48 KB" (under 0.1 MB)."""
    if size < 1024 * 1024 // 10:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
