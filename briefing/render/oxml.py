"""What python-docx has no API for, done in the document's XML: hyperlinks, an emptied body,
title fields refreshed, core properties, and styles set by id."""

from __future__ import annotations

import datetime as dt

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..models import MADE_BY, Briefing
from .text import flat_text

MAX_PROPERTY = 255  # python-docx (and Word) limit for core property strings
LINK_COLOR = "2E5597"


def style_id(doc: Document, name: str | None, kind: WD_STYLE_TYPE) -> str | None:
    """Return the id of ``doc``'s style ``name`` of ``kind``, or None (no style, or the default).

    Looked up once a document: python-docx looks a style up again, scanning every style for
    the default one, for each paragraph and run it styles by name.
    """
    return None if name is None else doc.part.get_style_id(name, kind)


def add_styled_paragraph(doc: Document, style: str | None) -> Paragraph:
    """Append an empty paragraph to ``doc``'s body in the style whose id is ``style``."""
    paragraph = doc.add_paragraph()
    if style is not None:
        paragraph._p.style = style
    return paragraph


def add_styled_run(paragraph: Paragraph, text: str, style: str | None) -> Run:
    """Append ``text`` to ``paragraph`` as a run in the character style whose id is ``style``."""
    run = paragraph.add_run(text)
    if style is not None:
        run._r.style = style
    return run


def add_hyperlink(paragraph: Paragraph, url: str, shown: str) -> None:
    """Append ``url`` to ``paragraph`` as a clickable external link showing ``shown``."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), LINK_COLOR)
    rpr.append(color)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = shown
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def clear_body(doc: Document) -> None:
    """Remove the template's body content, keeping the final section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def refresh_title_fields(doc: Document, title: str) -> None:
    """Put ``title`` into the cached text of TITLE fields in headers and footers.

    Word and LibreOffice recompute such fields themselves; the cache is what other viewers
    (and python-docx) see.
    """
    for part in doc.part.package.iter_parts():
        if part.content_type not in (CT.WML_HEADER, CT.WML_FOOTER):
            continue
        for field in part.element.iter(qn("w:fldSimple")):
            if field.get(qn("w:instr"), "").split()[:1] != ["TITLE"]:
                continue
            texts = list(field.iter(qn("w:t")))
            if texts:
                texts[0].text = title
                for extra in texts[1:]:
                    extra.text = ""


def property_text(text: str) -> str:
    return flat_text(text)[:MAX_PROPERTY]


def set_properties(doc: Document, briefing: Briefing) -> None:
    """Set the core document properties from ``briefing``, replacing the template's."""
    props = doc.core_properties
    props.title = property_text(briefing.title)
    props.subject = "Briefing"
    props.author = MADE_BY
    props.last_modified_by = MADE_BY
    props.comments = property_text(briefing.coverage)
    props.keywords = MADE_BY
    props.category = ""
    props.revision = 1
    # python-docx writes the time as given with a 'Z', so hand it UTC.
    generated = briefing.generated.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.created = generated
    props.modified = generated
