"""Write a finished Briefing as Markdown text."""

from __future__ import annotations

from collections.abc import Iterable

from ..dates import long_date
from ..models import MARKDOWN_MARK, Briefing, Section
from .text import (
    ALSO_REPORTED,
    COVERAGE_OPENING,
    EXECUTIVE_SUMMARY,
    NOT_INCLUDED,
    SOURCES,
    flat_text,
    is_url,
    item_mark,
    named_lines,
    short_link,
    skipped_lines,
    source_parts,
    summary_line,
    summary_mark,
)

# -- Markdown and JSON -----------------------------------------------------------------------


def to_markdown(briefing: Briefing) -> str:
    """Return ``briefing`` (a Briefing) as Markdown text (str) ending with a newline."""
    lines = [
        f"# {flat_text(briefing.title) or 'Briefing'}",
        "",
        f"{long_date(briefing.date)}  ",
        f"{COVERAGE_OPENING}{flat_text(briefing.coverage)}.",
    ]
    if briefing.by_story:
        if briefing.has_summary:
            lines += ["", f"## {EXECUTIVE_SUMMARY}", ""]
        lines += [
            f"- {summary_line(s)}{summary_mark(s, briefing)}" for s in briefing.stories
        ]
        for story in briefing.stories:
            if details := story.details:
                lines += ["", f"## {flat_text(story.headline) or 'Story'}"]
                lines += _markdown_sections(details, "###", briefing)
    else:
        lines += _markdown_sections(briefing.sections, "##", briefing)
    if named := named_lines(briefing):
        lines += ["", f"## {ALSO_REPORTED}", ""]
        lines += [f"- {text}{mark}" for text, mark in named]
    if briefing.sources:
        lines += ["", f"## {SOURCES}", ""]
        for source in briefing.sources:
            lead, location = source_parts(source)
            if location and is_url(location):
                location = f"[{short_link(location)}]({location})"
            lines.append(f"{source.number}. {lead}" + (f" {location}" if location else ""))
    if briefing.skipped:
        lines += ["", f"## {NOT_INCLUDED}", ""]
        lines += [f"- {line}" for line in skipped_lines(briefing.skipped)]
    # Markdown passes raw HTML through: an article's "<script>" or "<img onerror=...>" must
    # reach a reader's viewer as text.  The brief writes no HTML of its own but its mark.
    text = ("\n".join(lines) + "\n").replace("<", "&lt;").replace(">", "&gt;")
    # The mark, an HTML comment no Markdown viewer shows, keeps a later run from reading
    # this brief as an article.
    return f"{text}\n{MARKDOWN_MARK}\n"


def _markdown_sections(
    sections: Iterable[Section], level: str, briefing: Briefing
) -> list[str]:
    lines: list[str] = []
    for section in sections:
        bullets = [
            f"- {flat_text(item.text)}{item_mark(item, briefing)}"
            for item in section.items
            if flat_text(item.text)
        ]
        if bullets:
            lines += ["", f"{level} {section.title}", "", *bullets]
    return lines


