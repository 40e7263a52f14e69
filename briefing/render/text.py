"""What a brief says, as every writer says it: headings, summary lines, citation marks,
source entries and short links, flattened to one line and free of XML-forbidden characters.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from pathlib import Path

from ..clean import strip_forbidden
from ..dates import WEEKDAY, short_date
from ..models import Briefing, Item, Skipped, Source, Story

_SPACES = re.compile(r"\s+")

# -- text helpers ----------------------------------------------------------------------------


def flat_text(text: str) -> str:
    """Return ``text`` (str) without XML-forbidden characters and with whitespace collapsed."""
    return _SPACES.sub(" ", strip_forbidden(text, "")).strip()


# The .docx as ``mail.message.read_digest`` reads it back: these headings and the coverage
# line's opening, and a run holding LOCATION_GAP alone before a source's location.
EXECUTIVE_SUMMARY = "Executive summary"
ALSO_REPORTED = "Also reported"
SOURCES = "Sources"
NOT_INCLUDED = "Not included"
COVERAGE_OPENING = "Based on "
LOCATION_GAP = " "
STATUS_MARKS = {"new": "new", "updated": "updated", "seen": "in an earlier brief"}


def story_line(story: Story) -> str:
    """Return the line that names ``story`` under "Also reported": its headline, then how
    many sources carry it and whether the last brief had it, when there is something to
    say."""
    return _with_notes(flat_text(story.headline), story)


def named_lines(briefing: Briefing) -> list[tuple[str, str]]:
    """Return the lines under "Also reported" (a list of (text, citation mark) pairs): a
    line per story named, then one counting the stories too many to name, if any."""
    lines = [(story_line(story), citation_mark(story.sources)) for story in briefing.also]
    if briefing.left_out:
        more = "story" if briefing.left_out == 1 else "stories"
        lines.append((f"{briefing.left_out} more {more}, not named here.", ""))
    return lines


def summary_line(story: Story) -> str:
    """Return the executive-summary line of ``story``: its bottom line (its best sentence;
    its headline when it has none), with the notes of ``story_line``."""
    line = flat_text(story.bottom_line.text) if story.bottom_line else ""
    return _with_notes(line or flat_text(story.headline), story)


def summary_mark(story: Story, briefing: Briefing) -> str:
    """The citation mark of the executive-summary line of ``story``: its bottom line's
    (see ``item_mark``), else the story's sources."""
    if story.bottom_line:
        return item_mark(story.bottom_line, briefing)
    return citation_mark(story.sources)


def _with_notes(line: str, story: Story) -> str:
    notes = [reach(story)] if reach(story) else []
    if story.status:
        notes.append(STATUS_MARKS[story.status])
    return f"{line} ({', '.join(notes)})" if notes else line


def reach(story: Story) -> str:
    """How widely ``story`` is reported, for its line: "3 sources" when three outlets carry
    it, "3 reports" when three articles do and not all of them name their outlet (""
    when one article or one outlet does)."""
    if story.carried_by > 1:
        return f"{story.carried_by} sources"
    if not story.carried_by and story.report_count > 1:
        return f"{story.report_count} reports"
    return ""


# A day the reader cannot place without the article's date: "on Friday", "yesterday".
_RELATIVE_DAY = re.compile(
    rf"\b(?:yesterday|today|tomorrow|tonight|last night|this (?:morning|afternoon|evening)|"
    rf"{WEEKDAY})\b",
    re.IGNORECASE,
)


def item_mark(item: Item, briefing: Briefing) -> str:
    """Return a bullet's citation suffix (str): its citations, and, when the bullet names a
    day only by its name ("on Friday", "yesterday"), the date of the articles it cites,
    so that a reader of a brief dated later knows which Friday: ' [3; 18 Nov]'."""
    mark = citation_mark(item.citations)
    if not mark or not _RELATIVE_DAY.search(item.text):
        return mark
    published = {s.number: s.published for s in briefing.sources}
    dates = sorted(
        {d for n in item.citations if (d := published.get(n)) and d != briefing.date}
    )
    if not dates:
        return mark
    return f"{mark[:-1]}; {', '.join(short_date(d, briefing.date) for d in dates)}]"


def citation_mark(citations: Iterable[int]) -> str:
    """Return the citation suffix for a bullet (str): ' [1]', ' [1, 3]' or '' if none."""
    numbers = ", ".join(str(n) for n in citations)
    return f" [{numbers}]" if numbers else ""


def skipped_lines(skipped: Iterable[Skipped]) -> list[str]:
    """Return the brief's "Not included" lines (a list of str): one per kind of reason,
    naming its files by file name ("not in English: a.html, b.html"), so that a morning's
    foreign pages take a line, not a page.  The CLI names each file and reason in full."""
    by_reason: dict[str, list[str]] = {}
    for item in skipped:
        reason = (flat_text(item.reason) or "no reason given").split(": ", 1)[0]
        by_reason.setdefault(reason, []).append(cited_location(path_text(item.path)))
    return [f"{reason}: {', '.join(names)}" for reason, names in by_reason.items()]


def path_text(path: Path | str) -> str:
    """Return ``path`` as printable text (str); undecodable bytes in a name become U+FFFD."""
    text = str(path)
    # Surrogates that are not escaped bytes cannot be encoded; flat_text drops those.
    with contextlib.suppress(UnicodeEncodeError):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return flat_text(text)


def source_parts(source: Source) -> tuple[str, str]:
    """Return a Source's text before its location and its location, both str."""
    title = flat_text(source.title) or "Untitled"
    outlet = ", ".join(
        part
        for part in (
            flat_text(source.source),
            source.published.isoformat() if source.published else "",
        )
        if part
    )
    lead = title if title.endswith((".", "?", "!")) else f"{title}."
    if outlet:
        lead += f" {outlet}."
    return lead, cited_location(source.location)


def cited_location(location: str) -> str:
    """Return how a brief names a source's ``location`` (str): a web or mail address whole,
    anything else by its file name alone.

    A location that is not an address is a path on the machine that built the briefing:
    its folders mean nothing to the brief's readers and would show them that machine's
    layout.  The JSON output keeps the whole path.
    """
    location = flat_text(location)
    if is_url(location):
        return location
    return _FOLDERS.sub("", location.rstrip("/\\"))


_FOLDERS = re.compile(r".*[/\\]")


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://", "mailto:"))


def short_link(url: str) -> str:
    """Return how a Sources entry shows a web address (str): its site, and "/…" when the
    address goes deeper ("sfgate.com/…"), so a line a source stays one line; the link
    itself keeps the whole address.  A mail address is shown whole."""
    if not url.lower().startswith(("http://", "https://")):
        return url
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    host = host.removeprefix("www.")
    return f"{host}/…" if path.strip("/") else host


