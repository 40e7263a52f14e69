"""RSS and Atom feeds (.rss, .atom, .xml) through feedparser: one article per entry."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import InputError
from ..models import Article
from .html import html_to_text
from .text import error_line

logger = logging.getLogger(__name__)


def read_feed(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return one ``Article`` per entry of a feed's bytes, with its content (else summary),
    link and date.  Entries without text are passed over (logged); raises ``InputError``
    when the file is not a feed."""
    import feedparser

    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise InputError(path, "not a feed (not XML)")
    try:
        # A file object, never bytes or str: feedparser would take those for a URL or a
        # path to open.  Relative links are not resolved against anything.
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    # feedparser's loose parser raises assorted errors on hostile input.
    except Exception as exc:
        logger.debug("feedparser failed on %s", path, exc_info=True)
        raise InputError(path, f"malformed feed ({error_line(exc)})") from exc
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = error_line(parsed.get("bozo_exception") or ValueError("unreadable"))
            raise InputError(path, f"malformed feed ({problem})")
        raise InputError(path, "not a feed, or a feed without entries")
    feed = parsed.get("feed") or {}
    source = str(feed.get("title") or "") or _host(str(feed.get("link") or ""))
    home = str(feed.get("link") or "")
    articles = [article for entry in entries if (article := _article(entry, source, home, path))]
    if parsed.get("bozo"):
        problem = error_line(parsed.get("bozo_exception") or ValueError("unreadable"))
        if not articles:
            raise InputError(path, f"malformed feed ({problem})")
        # A feed saved while it downloaded, or cut short: what came before the break is
        # read, and the reader is told the rest may be missing.
        read = f"{len(articles)} entr{'y' if len(articles) == 1 else 'ies'}"
        logger.warning("%s: malformed or cut-off feed (%s); read %s before it", path, problem, read)
    if len(articles) < len(entries):
        missing = len(entries) - len(articles)
        logger.info("%s: %d of %d entries had no text", path, missing, len(entries))
    return tuple(articles)


def _article(entry: Any, source: str, home: str, path: Path) -> Article | None:
    """The ``Article`` of one feed entry (a feedparser dict), or None when it has no text;
    a relative link is read against the feed's own (``home``)."""
    contents = [c for c in entry.get("content") or [] if str(c.get("value") or "").strip()]
    content = max(contents, key=lambda c: len(str(c.get("value")))) if contents else None
    if content is None:
        content = {"value": entry.get("summary") or "", **(entry.get("summary_detail") or {})}
    value, kind = str(content.get("value") or ""), str(content.get("type") or "")
    text = value if kind == "text/plain" and "<" not in value else html_to_text(value)
    if not text.strip():
        return None
    link = str(entry.get("link") or "")
    if link and home.startswith(("http://", "https://")):
        with contextlib.suppress(ValueError):  # a damaged address ("http://[::1")
            link = urljoin(home, link)
    title = " ".join(html_to_text(str(entry.get("title") or "")).split())
    return Article(
        title=title,
        text=text,
        source=source,
        # dict.get: feedparser's own get() maps a missing key to the other, with a warning.
        published=_date(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
        url=link if link.startswith(("http://", "https://")) else None,
        path=path,
        author=str(dict.get(entry, "author") or ""),
    )


def _date(value: time.struct_time | None) -> dt.date | None:
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday) if value else None
    except (ValueError, AttributeError):
        return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")
