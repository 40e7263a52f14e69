"""Load articles from files and folders: read each format, decode it, and clean it.

``READERS`` maps a file suffix to a small function that turns the file's bytes into
articles.  ``load_paths`` walks folders, applies the size limit, calls the reader, cleans the
text and collects every file it could not use as a ``Skipped`` with a one-line reason, so one
bad file never stops a run.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .clean import clean_text, is_dateline, is_heading
from .errors import InputError
from .models import Article, LoadResult, Skipped

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
# Below this many words, what is left after cleaning is not an article.
MIN_ARTICLE_WORDS = 8

Reader = Callable[[Path, bytes], tuple[Article, ...]]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, path: Path) -> str:
    """Return ``data`` (bytes of the file at ``path``) as str.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8, then
    Windows-1252 (what older Windows tools save).  Raises ``InputError`` for binary data or
    bytes no candidate decodes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid {encoding.upper()} text ({exc.reason})") from exc
    if b"\x00" in data:
        raise InputError(path, "binary data, not text (it holds NUL bytes)")
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
            raise InputError(path, "binary data, not text (too many control characters)")
        return text
    raise InputError(path, "cannot decode the text: not UTF-8, UTF-16 or Windows-1252")


def read_text(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article of a plain-text file: title from its headline, body the rest."""
    text = decode(data, path)
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    top = [line for line in lines if line][:8]
    published = next((find_date(line) for line in top if is_dateline(line)), None)
    title = _headline(lines) or _title_from_name(path)
    return (Article(title=title, text=text, published=published, path=path),)


def read_markdown(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article of a Markdown file; front matter may give title, source, date, url."""
    meta, body = split_front_matter(decode(data, path))
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    title = meta.get("title") or (heading.group(1) if heading else "") or _title_from_name(path)
    return (
        Article(
            title=_strip_inline_markdown(title),
            text=markdown_to_text(body),
            source=meta.get("source", "") or meta.get("publisher", "") or meta.get("site", ""),
            published=parse_date(meta.get("date", "") or meta.get("published", "")),
            url=meta.get("url") or meta.get("link") or None,
            path=path,
        ),
    )


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}


def load_paths(
    paths: Iterable[str | Path], *, max_bytes: int = MAX_FILE_BYTES
) -> LoadResult:
    """Load every article under ``paths`` (files or folders, searched recursively).

    Returns a ``LoadResult``: the cleaned articles in path order, a ``Skipped`` for every
    input that gave none (with the reason), and the number of files read.
    """
    articles: list[Article] = []
    skipped: list[Skipped] = []
    files_read = 0
    for path in iter_files(paths, skipped):
        files_read += 1
        try:
            found = load_file(path, max_bytes=max_bytes)
        except InputError as exc:
            logger.info("skipped %s", exc)
            skipped.append(Skipped(exc.path, exc.reason))
            continue
        articles.extend(found)
    logger.info(
        "loaded %d articles from %d files (%d skipped)", len(articles), files_read, len(skipped)
    )
    return LoadResult(tuple(articles), tuple(skipped), files_read)


def load_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[Article, ...]:
    """Return the cleaned articles of one file (a tuple of ``Article``).

    Raises ``InputError`` naming the file and the problem when it yields none.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(no suffix)'!r}")
    data = _read_bytes(path, max_bytes)
    articles = tuple(
        article
        for article in (clean_article(raw) for raw in reader(path, data))
        if len(article.text.split()) >= MIN_ARTICLE_WORDS
    )
    if not articles:
        raise InputError(path, "no article text found (empty after removing page furniture)")
    return articles


def clean_article(article: Article) -> Article:
    """Return ``article`` with its body cleaned of page furniture (see ``clean.clean_text``)."""
    return replace(
        article,
        title=" ".join(article.title.split()),
        text=clean_text(article.text, title=article.title),
    )


def iter_files(paths: Iterable[str | Path], skipped: list[Skipped]) -> Iterator[Path]:
    """Yield the files named by ``paths``, walking folders in sorted order.

    Hidden files and folders are passed over; a missing path or an unreadable folder is
    appended to ``skipped``.  Symbolic links to folders are not followed, so a link loop
    cannot trap the walk.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, skipped)
        elif path.is_file():
            yield path
        else:
            reason = "broken symbolic link" if path.is_symlink() else "no such file or folder"
            skipped.append(Skipped(path, reason))


def _walk(folder: Path, skipped: list[Skipped]) -> Iterator[Path]:
    def on_error(exc: OSError) -> None:
        skipped.append(Skipped(Path(exc.filename or folder), _os_reason(exc)))

    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path, f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from exc
    if len(data) > max_bytes:
        raise InputError(path, f"file is over the {_megabytes(max_bytes)} limit")
    if not data.strip():
        raise InputError(path, "empty file")
    return data


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def _headline(lines: list[str]) -> str:
    """The headline of text saved from a page: the longest heading line above the first prose.

    Pages often print a section name above the headline ("Business" / "US, China upbeat
    ..."), so the first line is not always the title.
    """
    candidates = []
    for line in lines:
        if not line:
            continue
        if not is_heading(line) or len(candidates) >= 6:
            break
        candidates.append(line)
    return max(candidates, key=lambda line: len(line.split()), default="")


def _title_from_name(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:]


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split Markdown ``text`` into its front matter (``key: value`` lines between ``---``
    fences, as a dict of str) and the body (str)."""
    text = text.lstrip("\ufeff")
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "#")):
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[match.end():]


def markdown_to_text(markdown: str) -> str:
    """Return Markdown as plain text, one paragraph per line.

    Headings stay as lines of their own (the cleaner drops them), list items become
    paragraphs, code blocks, images and HTML comments are dropped, links keep their text.
    """
    markdown = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    markdown = re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", markdown, flags=re.DOTALL | re.MULTILINE)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        line = re.sub(r"^\s{0,3}>\s?", "", raw).strip()
        if not line or re.fullmatch(r"[-*_=]{3,}", line):
            flush()
        elif re.match(r"#{1,6}\s", line) or re.match(r"(?:[-*+]|\d{1,3}[.)])\s", line):
            flush()
            current.append(re.sub(r"^(?:#{1,6}|[-*+]|\d{1,3}[.)])\s+", "", line).rstrip("# "))
            flush()
        else:
            current.append(line)
    flush()
    return "\n".join(_strip_inline_markdown(p) for p in paragraphs)


def _strip_inline_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", text)
    return text.replace("`", "").strip()


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH_NAME},?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_NAME}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def find_date(text: str) -> dt.date | None:
    """Return the first calendar date written in ``text`` (str), or None."""
    found: list[tuple[int, int, int]] = []
    if match := _ISO_DATE.search(text):
        found.append((int(match[1]), int(match[2]), int(match[3])))
    if match := _DAY_MONTH_YEAR.search(text):
        found.append((int(match[3]), _MONTHS.index(match[2].lower()) + 1, int(match[1])))
    if match := _MONTH_DAY_YEAR.search(text):
        found.append((int(match[3]), _MONTHS.index(match[1].lower()) + 1, int(match[2])))
    for year, month, day in found:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y/%m/%d")


def parse_date(value: str) -> dt.date | None:
    """Return the date in ``value`` (ISO 8601, RFC 2822 or '24 November 2026'), else None."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    logger.debug("unrecognised date %r", value)
    return None
