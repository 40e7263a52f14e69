"""Remember what earlier briefs covered, so a brief can mark its stories new or seen.

The memory is a small SQLite file next to the output (``.briefing-state.sqlite``) holding one
row per article fingerprint: its URL when it has one, else a hash of the start of its text.
SQLite commits atomically, so a run that dies mid-write leaves the previous memory whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from .errors import StateError
from .models import Article, Briefing, StoryStatus
from .words import plain_words

logger = logging.getLogger(__name__)

STATE_NAME = ".briefing-state.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    fingerprint TEXT PRIMARY KEY,
    first_brief TEXT NOT NULL,
    last_brief TEXT NOT NULL
)
"""


def fingerprint(article: Article) -> str:
    """Return a stable key (str) for ``article``: its URL, else a hash of its first words."""
    if article.url:
        return "url:" + article.url.strip().rstrip("/").casefold()
    words = " ".join(plain_words(article.text)[:200])
    return "text:" + hashlib.sha1(words.encode("utf-8")).hexdigest()


def state_beside(output: Path) -> Path:
    """Return the state file's path for a brief written to ``output``."""
    return output.parent / STATE_NAME


def seen_before(state: Path, keys: Iterable[str], day: dt.date) -> set[str] | None:
    """Return which of the article fingerprints ``keys`` the briefs of the days before
    ``day`` covered (a set of str), or None when there was no brief before ``day`` at all:
    then nothing is new, there being nothing to compare with.

    Briefs of ``day`` itself do not count, so rebuilding today's brief, or writing it in a
    second format, marks it as the first build did.  A missing state file means none.
    Raises ``StateError`` when the file exists but cannot be read as briefing's state.
    """
    if not state.exists():
        return None
    return _known(state, set(keys), day)


def remember(state: Path, fingerprints: Iterable[str], day: dt.date) -> None:
    """Record that the brief of ``day`` covered the articles with these fingerprints.

    Raises ``StateError`` when the state file cannot be written; it is then unchanged.
    """
    rows = [(key, day.isoformat(), day.isoformat()) for key in sorted(set(fingerprints))]
    try:
        with closing(sqlite3.connect(state, timeout=10)) as db, db:
            db.execute(_SCHEMA)
            db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?) "
                "ON CONFLICT(fingerprint) DO UPDATE SET last_brief = excluded.last_brief",
                rows,
            )
    except sqlite3.Error as exc:
        raise StateError(f"{state}: cannot record this brief ({exc})") from exc
    logger.info("remembered %d articles in %s", len(rows), state)


def remember_brief(briefing: Briefing, state: Path) -> None:
    """Record in ``state`` that ``briefing`` was delivered, so that the next brief built with
    that state file marks its stories as seen.  Raises ``StateError``."""
    keys = [key for story in (*briefing.stories, *briefing.also) for key in story.fingerprints]
    remember(state, keys, briefing.date)


def _known(state: Path, keys: set[str], day: dt.date) -> set[str] | None:
    """The ``keys`` that a brief of a day before ``day`` covered; None when none did."""
    try:
        uri = f"{state.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=10)) as db:
            rows = db.execute(
                "SELECT fingerprint FROM articles WHERE first_brief < ?", (day.isoformat(),)
            ).fetchall()
            return keys & {row[0] for row in rows} if rows else None
    except sqlite3.Error as exc:
        raise StateError(f"{state}: not a briefing state file ({exc})") from exc


def story_status(articles: set[int], seen: frozenset[int] | None) -> StoryStatus:
    """Whether earlier briefs had all of a story's ``articles`` ("seen"), some ("updated") or
    none ("new"), given the articles they had (``seen``); "" without a memory of them."""
    if seen is None:
        return ""
    had = len(articles & seen)
    return "new" if not had else "seen" if had == len(articles) else "updated"
