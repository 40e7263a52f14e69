"""Write a finished Briefing as a Word document.

``write_docx`` starts from a Word template (the packaged ``briefing.docx`` unless the user
gives their own), empties its body, keeps its styles, headers and footers, and fills it with
the briefing.  A template that lacks a style the writer prefers still works: each part of
the briefing names the styles it would like, best first, and falls back to plain paragraphs.
The file is written atomically, so an existing one is either replaced whole or left
untouched.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.text.paragraph import Paragraph

from ..dates import long_date
from ..fileio import write_atomically
from ..models import Briefing, Item, Section, Source
from .oxml import (
    add_hyperlink,
    add_styled_paragraph,
    add_styled_run,
    clear_body,
    refresh_title_fields,
    set_properties,
    style_id,
)
from .template import open_template, resolve_styles
from .text import (
    ALSO_REPORTED,
    COVERAGE_OPENING,
    EXECUTIVE_SUMMARY,
    LOCATION_GAP,
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

logger = logging.getLogger(__name__)

BULLET = "\u2022 "  # typed in front of bullets when the template has no 'List Bullet'

# -- the Word document -----------------------------------------------------------------------


class _Writer:
    """Fills an emptied template with one briefing, using the styles the template has."""

    def __init__(self, doc: Document, briefing: Briefing) -> None:
        self.doc = doc
        self.styles = resolve_styles(doc)
        self.ids = {
            role: style_id(
                doc,
                name,
                WD_STYLE_TYPE.CHARACTER if role == "citation" else WD_STYLE_TYPE.PARAGRAPH,
            )
            for role, name in self.styles.items()
        }
        self.briefing = briefing

    def paragraph(self, role: str, text: str = "", *, bold_fallback: bool = False) -> Paragraph:
        """Return a new body paragraph in the style for ``role``, holding ``text``."""
        paragraph = add_styled_paragraph(self.doc, self.ids[role])
        if text:
            run = paragraph.add_run(text)
            if self.styles[role] is None and bold_fallback:
                run.bold = True
        return paragraph

    def citation(self, paragraph: Paragraph, text: str) -> None:
        """Append ``text`` to ``paragraph`` in the citation style."""
        add_styled_run(paragraph, text, self.ids["citation"])

    def heading(self, text: str) -> Paragraph:
        """Return a new section heading holding ``text``."""
        return self.paragraph("heading", text, bold_fallback=True)

    def bullet(self, item: Item) -> Paragraph | None:
        """Return a new bullet for ``item`` ending with its citations, or None if it is blank."""
        text = flat_text(item.text)
        if not text:
            return None
        prefix = "" if self.styles["bullet"] == "List Bullet" else BULLET
        paragraph = self.paragraph("bullet", prefix + text)
        mark = item_mark(item, self.briefing)
        if mark:
            self.citation(paragraph, mark)
        return paragraph

    def source(self, source: Source) -> Paragraph:
        """Return a new Sources entry: '[n]', tab, title, outlet, date and location."""
        lead, location = source_parts(source)
        paragraph = self.paragraph("source", f"[{source.number}]\t{lead}")
        if location:
            paragraph.add_run(LOCATION_GAP)
            if is_url(location):
                add_hyperlink(paragraph, location, short_link(location))
            else:
                self.citation(paragraph, location)
        return paragraph

    def sections(self, sections: Iterable[Section], role: str = "heading") -> None:
        """Add each non-empty section: its heading (in ``role``'s style), then its bullets."""
        for section in sections:
            bullets = [item for item in section.items if flat_text(item.text)]
            if not bullets:
                continue
            self.paragraph(role, section.title, bold_fallback=True)
            for item in bullets:
                self.bullet(item)

    def write(self, briefing: Briefing) -> None:
        """Add the whole briefing to the document body."""
        self.paragraph("title", flat_text(briefing.title) or "Briefing", bold_fallback=True)
        meta = self.paragraph("meta", long_date(briefing.date))
        meta.add_run().add_break(WD_BREAK.LINE)
        meta.add_run(f"{COVERAGE_OPENING}{flat_text(briefing.coverage)}.")
        if briefing.by_story:
            if briefing.has_summary:
                self.heading(EXECUTIVE_SUMMARY)
            for story in briefing.stories:
                paragraph = self.paragraph("bullet", summary_line(story))
                mark = summary_mark(story, briefing)
                self.citation(paragraph, mark)
            for story in briefing.stories:
                if details := story.details:
                    self.heading(flat_text(story.headline) or "Story")
                    self.sections(details, role="subheading")
        else:
            self.sections(briefing.sections)
        if named := named_lines(briefing):
            self.heading(ALSO_REPORTED)
            for text, mark in named:
                self.citation(self.paragraph("bullet", text), mark)
        if briefing.sources:
            self.heading(SOURCES)
            for source in briefing.sources:
                self.source(source)
        if briefing.skipped:
            self.paragraph("subheading", NOT_INCLUDED, bold_fallback=True)
            for line in skipped_lines(briefing.skipped):
                self.paragraph("note", line)


def build_document(briefing: Briefing, template: str | Path | None = None) -> Document:
    """Return a python-docx Document holding ``briefing`` (a Briefing), not yet saved."""
    doc = open_template(template)
    clear_body(doc)
    _Writer(doc, briefing).write(briefing)
    refresh_title_fields(doc, flat_text(briefing.title) or "Briefing")
    set_properties(doc, briefing)
    return doc


def write_docx(briefing: Briefing, path: str | Path, template: str | Path | None = None) -> Path:
    """Write ``briefing`` (a Briefing) as a Word document at ``path``; return that Path.

    ``template`` is a .docx (or .dotx) Path or str; None means the packaged default.  The
    file is written atomically.  Raises TemplateError or OutputError.
    """
    target = Path(path)
    doc = build_document(briefing, template)

    # Saved in memory first: a disk that fills while python-docx's zip writer is open
    # leaves the writer half-closed, and its garbage collection prints a traceback.
    def save(handle: IO[bytes]) -> None:
        buffer = io.BytesIO()
        doc.save(buffer)
        handle.write(buffer.getvalue())

    write_atomically(target, save)
    logger.info(
        "wrote %s: %d sections, %d sources",
        target,
        sum(1 for s in briefing.sections if s.items),
        len(briefing.sources),
    )
    return target
