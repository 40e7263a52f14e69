"""Whether a next step is still ahead: of the brief's reader, and of its own story.

A step is filed as context when it is no longer ahead: when every day it names is before
the brief's ("will return to work on Wednesday" in Monday's article, read on Friday), or
when its story holds a report some days newer than its article ("the board's report is
expected in the next several weeks", beside the report itself).  Whether the step happened
its article cannot say; the later report can, and a reader should not act on the old one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..dates import days_named
from .candidates import Candidate

__all__ = ["OVERTAKEN_AFTER_DAYS", "is_overtaken", "still_ahead", "within_its_story"]

# A step is overtaken by a report of its story this many days newer than its own article:
# two reports of one day, or of the morning and the evening after, are one day's news.
OVERTAKEN_AFTER_DAYS = 2


def still_ahead(
    candidates: tuple[Candidate, ...], published: dt.date | None, day: dt.date
) -> tuple[Candidate, ...]:
    """The candidates of an article ``published`` on that day, with a next step whose every
    named day is before ``day`` (the brief's) filed as context."""
    if published is None or published >= day:
        return candidates
    return tuple(_past_its_day(c, day, published) for c in candidates)


def is_overtaken(published: dt.date, newest: dt.date) -> bool:
    """Whether a report ``published`` on that day is overtaken by its story's newest, of
    the day ``newest``: OVERTAKEN_AFTER_DAYS newer or more."""
    return (newest - published).days >= OVERTAKEN_AFTER_DAYS


def within_its_story(
    candidates: tuple[Candidate, ...], published: dt.date | None, newest: dt.date | None
) -> tuple[Candidate, ...]:
    """The candidates of an article ``published`` on that day, in a story whose newest
    report is of the day ``newest``, with each next step filed as context when that report
    is OVERTAKEN_AFTER_DAYS newer or more and the step names no day from then on."""
    if published is None or newest is None or not is_overtaken(published, newest):
        return candidates
    return tuple(_overtaken(c, newest, published) for c in candidates)


def _past_its_day(candidate: Candidate, day: dt.date, published: dt.date) -> Candidate:
    if candidate.classification.label != "next_step":
        return candidate
    named = days_named(candidate.scored.sentence.text, published)
    if not named or max(named) >= day:
        return candidate
    return _as_context(candidate, f"but its day, {max(named):%a %d %b}, is past")


def _overtaken(candidate: Candidate, newest: dt.date, published: dt.date) -> Candidate:
    if candidate.classification.label != "next_step":
        return candidate
    named = days_named(candidate.scored.sentence.text, published)
    if named and max(named) >= newest:
        return candidate
    return _as_context(candidate, f"but its story has a later report, of {newest.isoformat()}")


def _as_context(candidate: Candidate, because: str) -> Candidate:
    label = candidate.classification
    reason = f"{label.reason}; {because}"
    return replace(candidate, classification=replace(label, label="context", reason=reason))
