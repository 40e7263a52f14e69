"""Dates in prose: the English month and weekday names, and the days a sentence names.

``days_named`` reads "tomorrow", "on Wednesday" and "on Dec. 2" from the day the article
was published, so that a next step whose day is behind the brief's reader can be told from
one still ahead.  The name tables are shared by the classifier's date patterns, the writer
of long dates and the reader of dates in plain-text articles.
"""

from __future__ import annotations

import datetime as dt
import re

from .words import normalise

__all__ = [
    "MONTH", "MONTH_NAMES", "MONTH_NUMBERS", "MONTH_WORD", "SHORT_MONTH_DAY", "WEEKDAY",
    "WEEKDAY_NAMES", "date_in_name", "days_named", "find_long_date", "long_date", "short_date",
]  # fmt: skip

MONTH_NAMES: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
WEEKDAY_NAMES: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
#: The number of each month (1 to 12) by the first three letters of its name ("jan").
MONTH_NUMBERS: dict[str, int] = {name[:3]: n for n, name in enumerate(MONTH_NAMES, start=1)}
#: Regular expressions (str) matching a month's or a weekday's full name, lower-case.
MONTH = f"(?:{'|'.join(MONTH_NAMES)})"
WEEKDAY = f"(?:{'|'.join(WEEKDAY_NAMES)})"

#: A month's name, whole or cut ("January", "Jan.", "Sept."); its group holds the first
#: three letters, a key of MONTH_NUMBERS once lower-cased.
MONTH_WORD = rf"({'|'.join(MONTH_NUMBERS)})[a-z]*\.?"
#: A month cut as wire copy cuts it, with its day: "Dec. 2", "Sept. 14" (May is never cut).
SHORT_MONTH_DAY = rf"(?:{'|'.join(m for m in MONTH_NUMBERS if m != 'may')})[a-z]?\.\s+\d{{1,2}}"
_WEEKDAYS = {name: n for n, name in enumerate(WEEKDAY_NAMES)}
_NAMED_WEEKDAY = re.compile(rf"\b(?:on|by|this|next|until|from|before)\s+({WEEKDAY})\b")
# A past-tense verb a few words before "on Monday" ("agreed a deal late on Monday"): that
# weekday is behind the article, not ahead of it.
_PAST_BEFORE = re.compile(
    r"(?<!\bbe )(?<!\bbeen )\b(?:[a-z]{2,}ed|said|met|won|told|held|made|took|gave|began|"
    r"came|rose|fell|struck|sold|paid|left|lost|was|were|had|saw|went|broke|spoke|wrote|"
    r"chose|led)"
    r"(?:\s+(?!will\b|would\b|shall\b|to\b|be\b)[\w'-]+){0,5}?\s+(?:on|by|this|from|before)\s$"
)
_NAMED_DAY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_WORD}"
    rf"|\b{MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"
)


def long_date(day: dt.date) -> str:
    """Return ``day`` as '12 March 2025' (str), whatever the process locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1].capitalize()} {day.year}"


def short_date(day: dt.date, beside: dt.date) -> str:
    """Return ``day`` as '18 Nov' (str) for a reader on the day ``beside``, or as
    '18 Nov 1999' when that is another year, whatever the process locale."""
    short = f"{day.day} {MONTH_NAMES[day.month - 1][:3].capitalize()}"
    return short if day.year == beside.year else f"{short} {day.year}"


_LONG_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTH}) (\d{{4}})\b", re.IGNORECASE)


def find_long_date(text: str) -> dt.date | None:
    """Return the first date written as ``long_date`` writes it in ``text``, or None
    (whatever the process locale)."""
    match = _LONG_DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match[3]), MONTH_NAMES.index(match[2].lower()) + 1, int(match[1]))
    except ValueError:
        return None


# A day in a file's name as people and wire services save them: "2019-11-18 budget.txt",
# "20191118_budget.html", "APW19980617.1094.txt"; the year, month and day all written out.
_DAY_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)([-_.]?)(\d\d)\2(\d\d)(?!\d)")


def date_in_name(name: str) -> dt.date | None:
    """Return the first real day written as year, month and day in a file ``name``, or None."""
    for match in _DAY_IN_NAME.finditer(name):
        try:
            return dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            continue
    return None


def days_named(sentence: str, published: dt.date) -> list[dt.date]:
    """Return the days (a list of dt.date) that ``sentence`` names, read from the day its
    article was ``published``: "tomorrow", a weekday ("on Wednesday": the first on or after
    publication) and a day of a month ("on Dec. 2", "2 December": in the year that puts it
    within six months after publication, or before)."""
    text = normalise(sentence)
    days = [published + dt.timedelta(days=1)] if re.search(r"\btomorrow\b", text) else []
    for m in _NAMED_WEEKDAY.finditer(text):
        if _PAST_BEFORE.search(text, 0, m.start(1)):
            continue  # "agreed late on Monday": a day gone by, not one ahead
        ahead = (_WEEKDAYS[m.group(1)] - published.weekday()) % 7
        days.append(published + dt.timedelta(days=ahead))
    for m in _NAMED_DAY.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        try:
            named = dt.date(published.year, MONTH_NUMBERS[month[:3]], int(day))
        except ValueError:
            continue
        if (published - named).days > 183:
            named = named.replace(year=named.year + 1)
        days.append(named)
    return days
