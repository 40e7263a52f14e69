"""Say what the e-mail of a briefing holds, and build it as an ``EmailMessage``.

A ``Digest`` is what the e-mail shows of a briefing: ``digest_of`` makes one from a Briefing
and ``read_digest`` from the .docx that ``write_docx`` wrote, so ``briefing send`` can mail a
file built earlier.  A source read from a file is named by the file's name, never its
folder on the server (``cited_location``).  ``build_message`` turns a digest and the .docx
into an ``EmailMessage``: a subject from a template, an HTML body and a plain-text
alternative rendered from ``templates/email.html`` and ``templates/email.txt``, and the
.docx attached.  Headers are
made with ``email.policy.SMTP``, which refuses a line break in any header, and every
address is checked first, so a title or recipient cannot add a header.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import mimetypes
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid
from pathlib import Path

import docx
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from ..clean import strip_direction_marks
from ..config import EmailConfig, parse_address
from ..dates import find_long_date, long_date
from ..errors import ConfigError, InputError, TemplateError
from ..models import EMAIL_MARK_HEADER, MADE_BY, Briefing, Section
from ..render.template import packaged_template
from ..render.text import (
    ALSO_REPORTED,
    COVERAGE_OPENING,
    EXECUTIVE_SUMMARY,
    LOCATION_GAP,
    NOT_INCLUDED,
    SOURCES,
    cited_location,
    flat_text,
    item_mark,
    named_lines,
    source_parts,
    summary_line,
    summary_mark,
)

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_TEMPLATE = "email.html"
TEXT_TEMPLATE = "email.txt"
TOP_STORY_CHARS = 80
_MARK = re.compile(r"^(.*?)(\s\[\d+(?:,\s*\d+)*(?:; [^\]]+)?\])$")
_H2 = ' style="font-size:18px;margin:16px 0 8px 0;color:#1f3864"'
_H3 = ' style="font-size:16px;margin:12px 0 6px 0;color:#2e5597"'
# A Sources line whose location run was merged into the rest: 'Title. Outlet. /a/b.txt'.
_TRAILING_PATH = re.compile(r"^(.*[.?!])\s+(\S*[/\\]\S*)$")


# -- what the e-mail shows -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bullet:
    """One bullet of the e-mail: its text and its citation mark (' [1, 3]' or '')."""

    text: str
    mark: str = ""


@dataclass(frozen=True, slots=True)
class DigestSection:
    """A titled list of bullets in the e-mail.

    ``level`` 1 is a part of the briefing (a story's headline, which may have no bullets of
    its own); level 2 a section within a story.
    """

    title: str
    bullets: tuple[Bullet, ...]
    level: int = 1


@dataclass(frozen=True, slots=True)
class Digest:
    """What the e-mail body shows of a briefing: made from a Briefing or from its .docx.

    ``summary`` is the executive summary: the stories' headlines for a briefing of several
    stories, else its first section, which holds the lead.  ``lead`` is the top story, for
    the subject line.
    """

    title: str
    date: dt.date
    coverage: str
    summary: DigestSection | None
    sections: tuple[DigestSection, ...]
    sources: tuple[str, ...] = ()
    lead: str = ""

    @property
    def top_story(self) -> str:
        """The top story (str), shortened to fit a subject; else the title."""
        first = self.lead or self.title
        if len(first) <= TOP_STORY_CHARS:
            return first
        cut = first[: TOP_STORY_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
        return cut + "\u2026"


def _digest_sections(
    sections: Iterable[Section], level: int, briefing: Briefing
) -> list[DigestSection]:
    found = []
    for section in sections:
        bullets = tuple(
            Bullet(flat_text(item.text), item_mark(item, briefing))
            for item in section.items
            if flat_text(item.text)
        )
        if bullets:
            found.append(DigestSection(section.title, bullets, level))
    return found


def digest_of(briefing: Briefing) -> Digest:
    """Return the Digest (what the e-mail shows) of ``briefing`` (a Briefing).

    It follows the .docx: for several stories an executive summary, then a part per story;
    for one, its sections in the .docx's order, the first (which holds the lead) as the
    summary.
    """
    sections: list[DigestSection] = []
    if briefing.by_story:
        summary: DigestSection | None = DigestSection(
            EXECUTIVE_SUMMARY,
            tuple(Bullet(summary_line(s), summary_mark(s, briefing)) for s in briefing.stories),
        )
        lead = flat_text(briefing.stories[0].headline)
        for story in briefing.stories:
            if details := story.details:
                sections.append(DigestSection(flat_text(story.headline) or "Story", ()))
                sections += _digest_sections(details, 2, briefing)
    else:
        found = _digest_sections(briefing.sections, 1, briefing)
        summary = found[0] if found else None  # the section that holds the lead
        sections = found[1:]
        lead = next((b.text for s in found for b in s.bullets), "")
    if named := named_lines(briefing):
        sections.append(DigestSection(ALSO_REPORTED, tuple(Bullet(t, m) for t, m in named)))
    sources = []
    for source in briefing.sources:
        lead_text, location = source_parts(source)
        sources.append(_source_line(f"[{source.number}] {lead_text}", location))
    return Digest(
        title=flat_text(briefing.title) or "Briefing",
        date=briefing.date,
        coverage=flat_text(briefing.coverage),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        lead=lead,
    )


def read_digest(path: Path) -> Digest:
    """Return the Digest of a briefing .docx at ``path`` (a Path) that ``write_docx`` wrote.

    Headings start sections (Heading 1 a part, Heading 2 a section within it) and the
    paragraphs under them are bullets; the date and the coverage come from the line under
    the title.  Raises InputError when ``path`` is not a readable Word document, or not a
    briefing (no coverage line and no Sources).
    """
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for a file that is not .docx
        raise InputError(path, f"not a readable Word document ({exc})") from exc
    title = flat_text(document.core_properties.title or "")
    day: dt.date | None = None
    coverage = ""
    found: list[DigestSection] = []
    sources: list[str] = []
    heading: tuple[str, int] | None = None
    bullets: list[Bullet] = []

    def close_section() -> None:
        if heading and heading[0] != SOURCES and (bullets or heading[1] == 1):
            found.append(DigestSection(heading[0], tuple(bullets), heading[1]))

    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = paragraph.text
        if not text.strip():
            continue
        if style == "Title":
            title = flat_text(text)
        elif style.startswith("Heading"):
            close_section()
            heading, bullets = (flat_text(text), 1 if style == "Heading 1" else 2), []
        elif heading is None:
            day = day or find_long_date(text)
            for line in text.splitlines():
                if line.startswith(COVERAGE_OPENING):
                    coverage = flat_text(line.removeprefix(COVERAGE_OPENING)).rstrip(".")
        elif heading[0] == SOURCES:
            sources.append(_docx_source(paragraph))
        else:
            text = flat_text(text).removeprefix("\u2022").strip()
            match = _MARK.match(text)
            bullets.append(Bullet(match[1], match[2]) if match else Bullet(text))
    close_section()
    if not coverage and not sources:
        raise InputError(
            path, "not a briefing: no coverage line and no Sources (make one with briefing build)"
        )
    if day is None:
        created = document.core_properties.created
        day = created.date() if created else dt.date.fromtimestamp(path.stat().st_mtime)
    # 'Not included' lists skipped inputs: for the reader of the .docx, not the e-mail.
    found = [s for s in found if s.title != NOT_INCLUDED]
    # The executive summary, or in a brief of one story its first section, which holds the
    # lead, as the .docx reads.
    summary = next((s for s in found if s.title == EXECUTIVE_SUMMARY), None)
    if summary is None and found and found[0].title not in (ALSO_REPORTED, SOURCES):
        summary = found[0]
    sections = tuple(s for s in found if s is not summary)
    if summary is not None and summary.title == EXECUTIVE_SUMMARY:
        lead = next((s.title for s in sections if s.level == 1), "")
    else:
        lead = next((b.text for s in found for b in s.bullets), "")
    return Digest(
        title=title or path.stem,
        date=day,
        coverage=coverage,
        summary=summary,
        sections=sections,
        sources=tuple(sources),
        lead=lead,
    )


def _source_line(lead: str, location: str) -> str:
    """Return one line (str) of the e-mail's Sources: ``lead``, then the cited location."""
    cited = cited_location(location)
    return f"{lead} {cited}" if cited else lead


def _docx_source(paragraph: Paragraph) -> str:
    """Return the e-mail's line (str) for a Sources ``paragraph`` (a python-docx Paragraph).

    ``write_docx`` writes the entry's text, a run holding one space, then the location
    (a run, or a hyperlink for an address), so what follows the last such space is the
    location, whatever spaces it holds.  An entry edited into one run falls back to taking
    a trailing word with a slash in it as the location.  A hyperlink gives its address.
    """
    inner = list(paragraph.iter_inner_content())
    pieces = [piece.text for piece in inner]
    gaps = [i for i, text in enumerate(pieces) if text == LOCATION_GAP]
    if gaps and gaps[-1] > 0:
        lead = flat_text("".join(pieces[: gaps[-1]]).replace("\t", " "))
        rest = inner[gaps[-1] + 1 :]
        # A link shows a short form ("sfgate.com/…"); the e-mail links the whole address.
        links = [piece.address for piece in rest if isinstance(piece, Hyperlink) and piece.address]
        return _source_line(lead, links[0] if links else "".join(pieces[gaps[-1] + 1 :]))
    text = flat_text(paragraph.text.replace("\t", " "))
    match = _TRAILING_PATH.match(text)
    return _source_line(match[1], match[2]) if match else text


# -- the message -----------------------------------------------------------------------------


def render_subject(template: str, digest: Digest) -> str:
    """Return the subject line (str) from ``template`` (str.format fields) and ``digest``.

    Fields: {title}, {date} (ISO; {date:%d %B} formats it), {long_date}, {top_story},
    {coverage}.  Line breaks and control characters become spaces.
    """
    fields = {
        "title": digest.title,
        "date": digest.date,
        "long_date": long_date(digest.date),
        "top_story": digest.top_story,
        "coverage": digest.coverage,
    }
    try:
        subject = template.format_map(fields)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise ConfigError(
            f"[email] subject {template!r}: unknown field or bad format ({exc}); "
            f"fields are {', '.join('{' + k + '}' for k in fields)}"
        ) from exc
    return flat_text(subject) or digest.title


def check_message_settings(mail: EmailConfig) -> None:
    """Raise ConfigError or TemplateError now for a subject or body template that would
    fail once the briefing is built: a run should fail before it works, not after."""
    sample = Digest(title="Briefing", date=dt.date.today(), coverage="", summary=None, sections=())
    render_subject(mail.subject, sample)
    render_text(sample, "brief.docx", mail.text_template)
    render_html(sample, "brief.docx", mail.html_template)


def _template_text(path: Path | None, name: str) -> string.Template:
    source = path or packaged_template(name)
    try:
        return string.Template(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read e-mail template {source}: {exc}") from exc


def _fill(path: Path | None, name: str, values: Mapping[str, str]) -> str:
    """Return the e-mail template at ``path`` (default: the packaged ``name``) filled in.

    ``values`` (str -> str) gives each $placeholder.  Raises TemplateError when the template
    cannot be read or names a placeholder ``values`` lacks.
    """
    template = _template_text(path, name)
    try:
        return template.substitute(values)
    except (KeyError, ValueError) as exc:
        raise TemplateError(
            f"e-mail template {path or name}: unknown or malformed placeholder {exc}; "
            f"placeholders are {', '.join('$' + k for k in values)}"
        ) from exc


def _html_list(section: DigestSection) -> str:
    if not section.bullets:
        return ""
    items = "\n".join(
        f"  <li>{html.escape(b.text)}"
        + (f'<span style="color:#666666">{html.escape(b.mark)}</span>' if b.mark else "")
        + "</li>"
        for b in section.bullets
    )
    return f"<ul>\n{items}\n</ul>"


def _html_section(section: DigestSection) -> str:
    tag, style = ("h2", _H2) if section.level == 1 else ("h3", _H3)
    heading = f"<{tag}{style}>{html.escape(section.title)}</{tag}>"
    return f"{heading}\n{_html_list(section)}" if section.bullets else heading


_WEB_ADDRESS_END = re.compile(r"^(.*\s)(https?://\S+)$", re.IGNORECASE)


def _html_source(line: str) -> str:
    """One Sources line as HTML: escaped, its web address (http or https only) a link."""
    m = _WEB_ADDRESS_END.match(line)
    if m is None:
        return html.escape(line)
    url = html.escape(m.group(2), quote=True)
    return f'{html.escape(m.group(1))}<a href="{url}">{url}</a>'


def render_html(digest: Digest, attachment: str, template: Path | None = None) -> str:
    """Return the HTML body (str) of ``digest`` from ``template`` (default: email.html)."""
    sources = (
        f'<h2{_H2}>Sources</h2>\n<ol style="list-style:none;padding-left:0">\n'
        + "\n".join(f"  <li>{_html_source(s)}</li>" for s in digest.sources)
        + "\n</ol>"
        if digest.sources
        else ""
    )
    values = {
        "title": html.escape(digest.title),
        "date": html.escape(long_date(digest.date)),
        "coverage": html.escape(digest.coverage),
        "summary": _html_section(digest.summary) if digest.summary else "",
        "sections": "\n".join(_html_section(s) for s in digest.sections),
        "sources": sources,
        "attachment": html.escape(attachment),
    }
    return _fill(template, HTML_TEMPLATE, values)


def _text_section(section: DigestSection) -> str:
    heading = section.title.upper() if section.level == 1 else f"{section.title}:"
    bullets = "\n".join(f"- {b.text}{b.mark}" for b in section.bullets)
    return f"{heading}\n{bullets}" if bullets else heading


def render_text(digest: Digest, attachment: str, template: Path | None = None) -> str:
    """Return the plain-text body (str) of ``digest`` from ``template`` (default: email.txt)."""
    values = {
        "title": digest.title,
        "date": long_date(digest.date),
        "coverage": digest.coverage,
        "summary": _text_section(digest.summary) if digest.summary else "",
        "sections": "\n\n".join(_text_section(s) for s in digest.sections),
        "sources": "SOURCES\n" + "\n".join(digest.sources) if digest.sources else "",
        "attachment": attachment,
    }
    text = _fill(template, TEXT_TEMPLATE, values)
    # Blank placeholders leave runs of empty lines behind.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def build_message(
    digest: Digest, attachment: Path, mail: EmailConfig, *, now: dt.datetime | None = None
) -> EmailMessage:
    """Return the EmailMessage for ``digest`` (a Digest) with the file ``attachment`` (a Path).

    ``mail`` (an EmailConfig) gives the addresses, the subject template and the body
    templates.  Bcc recipients are left out of the headers (they are envelope recipients
    only).  Raises ConfigError for a bad address or subject, TemplateError for a bad body
    template and InputError when the attachment cannot be read.
    """
    mail.check()
    sender = parse_address(mail.sender or "", "from")
    message = EmailMessage(policy=SMTP_POLICY)
    # What the reader sees of the input's names and titles keeps its direction marks out.
    message["Subject"] = strip_direction_marks(render_subject(mail.subject, digest))
    message["From"] = sender
    message["To"] = tuple(parse_address(a, "to") for a in mail.to)
    if mail.cc:
        message["Cc"] = tuple(parse_address(a, "cc") for a in mail.cc)
    if mail.reply_to:
        message["Reply-To"] = tuple(parse_address(a, "reply_to") for a in mail.reply_to)
    message["Date"] = format_datetime((now or dt.datetime.now()).astimezone())
    message["Message-ID"] = make_msgid(domain=sender.domain)
    # RFC 3834: tells auto-responders (out-of-office replies) not to answer.
    message["Auto-Submitted"] = "auto-generated"
    # Marks the message (a dry run's .eml, say) as a brief, not an article for a later run.
    message[EMAIL_MARK_HEADER] = MADE_BY
    name = strip_direction_marks(attachment.name)
    text = strip_direction_marks(render_text(digest, name, mail.text_template))
    body = strip_direction_marks(render_html(digest, name, mail.html_template))
    # Quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(body, subtype="html", cte="quoted-printable")
    try:
        data = attachment.read_bytes()
    except OSError as exc:
        raise InputError(attachment, f"cannot read it: {exc.strerror or exc}") from exc
    maintype, subtype = _mime_type(attachment).split("/", 1)
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _mime_type(path: Path) -> str:
    if path.suffix.lower() == ".docx":
        return DOCX_TYPE
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
