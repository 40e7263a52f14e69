"""Plain text: decoding bytes to str, and the one article of a ``.txt`` file.

Also the helpers other readers share: ``decode``, ``find_date``, ``parse_date`` and
``headline``.  A file without a headline gets a title of "": ``briefing.headlines`` makes
one from its lead, never from the file's name.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import logging
import re
from pathlib import Path

from ..clean import (
    is_dateline,
    is_editors_note,
    is_heading,
    is_list_item,
    is_shouted,
    opening_dateline,
    unwrap,
    without_dateline,
)
from ..dates import MONTH_NUMBERS, MONTH_WORD, WEEKDAY
from ..errors import InputError
from ..models import Article
from .digests import digest_stories

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
#: Charset labels that browsers and mail programs read as Windows-1252 (WHATWG Encoding
#: Standard): text so labelled is most often written by Windows tools, curly quotes and all.
READ_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})
# Windows-1252 leaves five bytes undefined; a text with this few of them per thousand
# characters is Windows-1252 with a stray byte, each shown as U+FFFD.
STRAY_BYTES_PER_THOUSAND = 1


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
        return _as_text(text, path)
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") <= max(1, len(text) * STRAY_BYTES_PER_THOUSAND // 1000):
        logger.debug("%s: Windows-1252 with %d stray bytes", path, text.count("\ufffd"))
        return _as_text(text, path)
    raise InputError(path, "cannot decode the text: not UTF-8, UTF-16 or Windows-1252")


def _as_text(text: str, path: Path) -> str:
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise InputError(path, "binary data, not text (too many control characters)")
    return text


def read_text(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article of a plain-text file: title from its headline, body the rest."""
    text = decode(data, path)
    # Read as paragraphs: a line of hard-wrapped text ("The regulator fined the operator
    # £6.5m on") is no headline, though it is short and ends without a full stop.
    lines = unwrap(text).split("\n")
    published = dateline_date(lines)
    title = headline(lines)
    return digest_stories(Article(title=title, text=text, published=published, path=path))


# A line this short near the top that ends with a full date after its outlet or author
# ("Associated Press, July 26, 2000", "By Jo Reporter | 3 March 2025") is a date line; a
# headline that names a day ("Election set for May 5, 2027") is not.
DATE_LINE_WORDS = 8
_CREDIT_DATE = re.compile(
    rf"[,|·–—-]\s*(?:{WEEKDAY},?\s+)?(?:\d{{1,2}}\s+{MONTH_WORD},?\s+\d{{4}}"
    rf"|{MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*$",
    re.IGNORECASE,
)


_BYLINE_START = re.compile(r"^by\s+[A-Z]", re.IGNORECASE)


def dateline_date(lines: list[str]) -> dt.date | None:
    """Return the date of the first dateline ("Published 12 March 2025", "Associated Press,
    July 26, 2000") among the first eight non-blank ``lines`` of an article, or None."""
    top = [line for line in lines if line][:8]
    dated = (line if is_date_line(line) else opening_dateline(line) for line in top)
    return next((found for line in dated if line and (found := find_date(line))), None)


def is_date_line(line: str) -> bool:
    """Return whether ``line`` gives the article's date rather than its news: a date alone,
    a short credit ending in one ("Associated Press, July 26, 2000"), or a byline ending in
    one ("By Political Staff, The Westminster Ledger, November 24, 2026")."""
    if is_dateline(line):
        return True
    if not _CREDIT_DATE.search(line):
        return False
    return len(line.split()) <= DATE_LINE_WORDS or bool(_BYLINE_START.match(line))


def headline(lines: list[str]) -> str:
    """The headline of text saved from a page: the longest heading line above the first prose,
    without a wire dateline that opens it or a colon that ends it.

    Pages often print a section name above the headline ("Business" / "US, China upbeat
    ..."), so the first line is not always the title; an item of a list ("-- Heisman
    Trophy, $230,000", "* Home") is never one.
    """
    candidates: list[str] = []
    for line in lines:
        if not line or is_list_item(line) or is_date_line(line) or is_editors_note(line):
            continue
        if not is_heading(line) or len(candidates) >= 6:
            break
        candidates.append(line)
    title = max(candidates, key=lambda line: len(line.split()), default="")
    rest = without_dateline(title)
    if rest and rest != title and is_shouted(title):
        # All in capitals, a label and a colon open a headline ("GLOBAL WARMING: THE
        # CONTRARIAN VIEW"), not a dateline, which opens a story's text.
        rest = title
    return rest.rstrip(":").rstrip()


_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+{MONTH_WORD},?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b{MONTH_WORD}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def find_date(text: str) -> dt.date | None:
    """Return the first calendar date written in ``text`` (str), or None."""
    found: list[tuple[int, int, int]] = []
    if match := _ISO_DATE.search(text):
        found.append((int(match[1]), int(match[2]), int(match[3])))
    if match := _DAY_MONTH_YEAR.search(text):
        found.append((int(match[3]), MONTH_NUMBERS[match[2].lower()], int(match[1])))
    if match := _MONTH_DAY_YEAR.search(text):
        found.append((int(match[3]), MONTH_NUMBERS[match[1].lower()], int(match[2])))
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


def error_line(exc: BaseException) -> str:
    """Return the first line of an exception's message (str, at most 120 characters)."""
    message = str(exc).strip().splitlines()
    return (message[0][:120] if message else "") or type(exc).__name__
