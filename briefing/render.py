"""Render a finished Briefing: a Word document, Markdown text or JSON-ready data.

``write_docx`` starts from a Word template (the packaged ``briefing.docx`` unless the user
gives their own), empties its body, keeps its styles, headers and footers, and fills it with
the briefing.  A template that lacks a style the writer prefers still works: each part of
the briefing names the styles it would like, best first, and falls back to plain paragraphs.
Every output is written atomically, so an existing file is either replaced whole or left
untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.resources
import io
import logging
import math
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from .clean import strip_forbidden
from .dates import WEEKDAY, long_date
from .errors import TemplateError
from .fileio import write_atomically
from .models import Briefing, Item, Section, Skipped, Source, Story

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "briefing.docx"

_SPACES = re.compile(r"\s+")

# The styles each part of the briefing would like, best first.  When a template has none
# of them the writer uses the template's default paragraph style.
STYLE_CHOICES: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Heading 1"),
    "meta": ("Briefing Meta", "Subtitle"),
    "heading": ("Heading 1",),
    "subheading": ("Heading 2", "Heading 1"),
    "bullet": ("List Bullet", "List Paragraph"),
    "source": ("Source Entry",),
    "note": ("Briefing Note",),
}
CITATION_STYLE = "Citation"
BULLET = "\u2022 "  # typed in front of bullets when the template has no 'List Bullet'
MAX_PROPERTY = 255  # python-docx (and Word) limit for core property strings
LINK_COLOR = "2E5597"


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
    notes = [f"{story.outlets} sources"] if story.outlets > 1 else []
    if story.status:
        notes.append(STATUS_MARKS[story.status])
    return f"{line} ({', '.join(notes)})" if notes else line


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
    return f"{mark[:-1]}; {', '.join(f'{d.day} {d:%b}' for d in dates)}]"


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
    if _is_url(location):
        return location
    return _FOLDERS.sub("", location.rstrip("/\\"))


_FOLDERS = re.compile(r".*[/\\]")


def _is_url(location: str) -> bool:
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


# -- templates -------------------------------------------------------------------------------


def packaged_template(name: str) -> Path:
    """Return the Path of the packaged template file ``name`` (str), e.g. 'email.html'.

    Installed, the templates are the package ``briefing.templates``; in a source checkout
    that is not installed they are in ``templates/`` next to the package.  Raises
    TemplateError when the file is in neither place.
    """
    try:
        resource = importlib.resources.files("briefing.templates") / name
        if resource.is_file():
            return Path(str(resource))
    except ModuleNotFoundError:
        pass
    checkout = Path(__file__).resolve().parent.parent / "templates" / name
    if checkout.is_file():
        return checkout
    raise TemplateError(
        f"the packaged template {name} is missing; reinstall briefing or pass a template"
    )


def default_template() -> Path:
    """Return the Path of the packaged Word template, ``briefing.templates/briefing.docx``."""
    return packaged_template(TEMPLATE_NAME)


def _as_document_package(data: bytes) -> bytes:
    """Return .docx bytes for ``data``; a Word template (.dotx) is relabelled as a document."""
    template_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.template."
    document_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document."
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        types = src.read("[Content_Types].xml")
        if template_type.encode() not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                blob = src.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(template_type.encode(), document_type.encode())
                dst.writestr(info, blob)
    return out.getvalue()


def open_template(template: str | Path | None = None) -> Document:
    """Return a python-docx Document opened from ``template`` (a .docx or .dotx Path or str).

    ``None`` means the packaged default.  Raises TemplateError when the file is missing or
    is not a Word document.
    """
    path = default_template() if template is None else Path(template)
    if not path.is_file():
        raise TemplateError(f"template {path} does not exist or is not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"cannot read template {path}: {exc.strerror or exc}") from exc
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(f"template {path} is not a Word .docx file")
    try:
        return docx.Document(io.BytesIO(_as_document_package(data)))
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        zipfile.BadZipFile,
        etree.XMLSyntaxError,
    ) as exc:
        raise TemplateError(f"template {path} is not a usable Word .docx file: {exc}") from exc


def _resolve_styles(doc: Document) -> dict[str, str | None]:
    """Map each role of STYLE_CHOICES (and 'citation') to a style name the template has."""
    paragraph_styles = {s.name for s in doc.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    character_styles = {s.name for s in doc.styles if s.type == WD_STYLE_TYPE.CHARACTER}
    chosen: dict[str, str | None] = {}
    for role, names in STYLE_CHOICES.items():
        chosen[role] = next((n for n in names if n in paragraph_styles), None)
        if chosen[role] != names[0]:
            logger.info(
                "template has no %r style; using %s for the %s",
                names[0],
                repr(chosen[role]) if chosen[role] else "the default style",
                role,
            )
    chosen["citation"] = CITATION_STYLE if CITATION_STYLE in character_styles else None
    return chosen


# -- the Word document -----------------------------------------------------------------------


class _Writer:
    """Fills an emptied template with one briefing, using the styles the template has."""

    def __init__(self, doc: Document, briefing: Briefing) -> None:
        self.doc = doc
        self.styles = _resolve_styles(doc)
        self.briefing = briefing

    def paragraph(self, role: str, text: str = "", *, bold_fallback: bool = False) -> Paragraph:
        """Return a new body paragraph in the style for ``role``, holding ``text``."""
        style = self.styles[role]
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            if style is None and bold_fallback:
                run.bold = True
        return paragraph

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
            paragraph.add_run(mark, style=self.styles["citation"])
        return paragraph

    def source(self, source: Source) -> Paragraph:
        """Return a new Sources entry: '[n]', tab, title, outlet, date and location."""
        lead, location = source_parts(source)
        paragraph = self.paragraph("source", f"[{source.number}]\t{lead}")
        if location:
            paragraph.add_run(LOCATION_GAP)
            if _is_url(location):
                _add_hyperlink(paragraph, location, short_link(location))
            else:
                paragraph.add_run(location, style=self.styles["citation"])
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
            self.heading(EXECUTIVE_SUMMARY)
            for story in briefing.stories:
                paragraph = self.paragraph("bullet", summary_line(story))
                mark = summary_mark(story, briefing)
                paragraph.add_run(mark, style=self.styles["citation"])
            for story in briefing.stories:
                if story.details:
                    self.heading(flat_text(story.headline) or "Story")
                    self.sections(story.details, role="subheading")
        else:
            self.sections(briefing.sections)
        if briefing.also:
            self.heading(ALSO_REPORTED)
            for story in briefing.also:
                paragraph = self.paragraph("bullet", story_line(story))
                paragraph.add_run(citation_mark(story.sources), style=self.styles["citation"])
        if briefing.sources:
            self.heading(SOURCES)
            for source in briefing.sources:
                self.source(source)
        if briefing.skipped:
            self.paragraph("subheading", NOT_INCLUDED, bold_fallback=True)
            for line in skipped_lines(briefing.skipped):
                self.paragraph("note", line)


def _add_hyperlink(paragraph: Paragraph, url: str, shown: str) -> None:
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


def _clear_body(doc: Document) -> None:
    """Remove the template's body content, keeping the final section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _refresh_title_fields(doc: Document, title: str) -> None:
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


def _property_text(text: str) -> str:
    return flat_text(text)[:MAX_PROPERTY]


def _set_properties(doc: Document, briefing: Briefing) -> None:
    """Set the core document properties from ``briefing``, replacing the template's."""
    props = doc.core_properties
    props.title = _property_text(briefing.title)
    props.subject = "Briefing"
    props.author = "briefing"
    props.last_modified_by = "briefing"
    props.comments = _property_text(briefing.coverage)
    props.keywords = "briefing"
    props.category = ""
    props.revision = 1
    # python-docx writes the time as given with a 'Z', so hand it UTC.
    generated = briefing.generated.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.created = generated
    props.modified = generated


def build_document(briefing: Briefing, template: str | Path | None = None) -> Document:
    """Return a python-docx Document holding ``briefing`` (a Briefing), not yet saved."""
    doc = open_template(template)
    _clear_body(doc)
    _Writer(doc, briefing).write(briefing)
    _refresh_title_fields(doc, flat_text(briefing.title) or "Briefing")
    _set_properties(doc, briefing)
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
        lines += ["", f"## {EXECUTIVE_SUMMARY}", ""]
        lines += [
            f"- {summary_line(s)}{summary_mark(s, briefing)}" for s in briefing.stories
        ]
        for story in briefing.stories:
            if story.details:
                lines += ["", f"## {flat_text(story.headline) or 'Story'}"]
                lines += _markdown_sections(story.details, "###", briefing)
    else:
        lines += _markdown_sections(briefing.sections, "##", briefing)
    if briefing.also:
        lines += ["", f"## {ALSO_REPORTED}", ""]
        lines += [f"- {story_line(s)}{citation_mark(s.sources)}" for s in briefing.also]
    if briefing.sources:
        lines += ["", f"## {SOURCES}", ""]
        for source in briefing.sources:
            lead, location = source_parts(source)
            if location and _is_url(location):
                location = f"[{short_link(location)}]({location})"
            lines.append(f"{source.number}. {lead}" + (f" {location}" if location else ""))
    if briefing.skipped:
        lines += ["", f"## {NOT_INCLUDED}", ""]
        lines += [f"- {line}" for line in skipped_lines(briefing.skipped)]
    # Markdown passes raw HTML through: an article's "<script>" or "<img onerror=...>" must
    # reach a reader's viewer as text.  The brief writes no HTML of its own.
    return ("\n".join(lines) + "\n").replace("<", "&lt;").replace(">", "&gt;")


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


def _number(value: float) -> float | None:
    """Return ``value`` as a plain float, or None when it is NaN or infinite (not JSON)."""
    number = float(value)
    return number if math.isfinite(number) else None


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "text": flat_text(item.text),
        "citations": [int(n) for n in item.citations],
        "label": item.label,
        "confidence": _number(item.confidence),
        "score": _number(item.score),
        "why": flat_text(item.why),
    }


def _sections_data(sections: Iterable[Section]) -> list[dict[str, Any]]:
    return [
        {
            "kind": section.kind,
            "title": section.title,
            "items": [_item_dict(item) for item in section.items],
        }
        for section in sections
        if section.items
    ]


def to_dict(briefing: Briefing) -> dict[str, Any]:
    """Return ``briefing`` (a Briefing) as JSON-ready data (dict); dates are ISO strings."""
    return {
        "title": flat_text(briefing.title),
        "date": briefing.date.isoformat(),
        "generated": briefing.generated.isoformat(),
        "coverage": flat_text(briefing.coverage),
        "method": briefing.method,
        "files_read": briefing.files_read,
        "articles_read": briefing.articles_read,
        "sections": _sections_data(briefing.sections),
        "stories": [
            {
                "headline": flat_text(story.headline),
                "status": story.status or None,
                "sources": list(story.sources),
                "bottom_line": _item_dict(story.bottom_line) if story.bottom_line else None,
                "sections": _sections_data(story.sections),
            }
            for story in briefing.stories
        ],
        "also": [
            {
                "headline": flat_text(story.headline),
                "status": story.status or None,
                "sources": list(story.sources),
            }
            for story in briefing.also
        ],
        "sources": [
            {
                "number": source.number,
                "title": flat_text(source.title),
                "source": flat_text(source.source),
                "published": source.published.isoformat() if source.published else None,
                "location": flat_text(source.location),
            }
            for source in briefing.sources
        ],
        "skipped": [
            {"path": path_text(skipped.path), "reason": flat_text(skipped.reason)}
            for skipped in briefing.skipped
        ],
    }
