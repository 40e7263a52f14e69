"""Deliver a briefing by e-mail, and the unattended morning run that builds and sends it.

``build_message`` turns a briefing (or a .docx already written) into an ``EmailMessage``:
a subject from a template, an HTML body and a plain-text alternative rendered from
``templates/email.html`` and ``templates/email.txt``, and the .docx attached.  Headers are
made with ``email.policy.SMTP``, which refuses a line break in any header, and every
address is checked first, so a title or recipient cannot add a header.

``deliver`` sends it with ``smtplib``, retrying transient failures (no connection, 4xx
replies, timeouts) with a doubling delay and reporting permanent ones (5xx, refused
recipients, bad credentials) as their own ``DeliveryError`` subclasses.

``run_briefing`` is ``briefing run``: under a lock beside the output, unless it was already
sent today, build the briefing, write the .docx (kept whatever happens next), then send it
or, for a dry run, write the message as an .eml file beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import logging
import mimetypes
import os
import re
import smtplib
import socket
import ssl
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Literal

import docx

from .config import Config, EmailConfig, parse_address
from .errors import (
    AuthenticationError,
    ConfigError,
    DeliveryError,
    InputError,
    LockedError,
    OutputError,
    PermanentDeliveryError,
    RecipientsRefusedError,
    StateError,
    TemplateError,
    TransientDeliveryError,
)
from .models import SECTION_TITLES, Briefing, Section, Story
from .pipeline import build_briefing
from .render import (
    ALSO_REPORTED,
    EXECUTIVE_SUMMARY,
    citation_mark,
    clean_text,
    long_date,
    packaged_template,
    source_parts,
    story_line,
    write_docx,
    write_text_atomically,
)
from .state import remember_brief, state_beside

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_TEMPLATE = "email.html"
TEXT_TEMPLATE = "email.txt"
LOCK_NAME = ".briefing.lock"
STATE_NAME = ".briefing-sent.json"
STATE_KEEP = 200  # sent records kept in the state file, newest last
TOP_STORY_CHARS = 80
KEY_POINTS = SECTION_TITLES["key_points"]
_MARK = re.compile(r"^(.*?)(\s\[\d+(?:,\s*\d+)*\])$")
_H2 = ' style="font-size:18px;margin:16px 0 8px 0;color:#1f3864"'
_H3 = ' style="font-size:16px;margin:12px 0 6px 0;color:#2e5597"'
_LONG_DATE = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b")


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
    stories, else its Key points.  ``lead`` is the top story, for the subject line.
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


def _digest_sections(sections: Iterable[Section], level: int) -> list[DigestSection]:
    found = []
    for section in sections:
        bullets = tuple(
            Bullet(clean_text(item.text), citation_mark(item.citations))
            for item in section.items
            if clean_text(item.text)
        )
        if bullets:
            found.append(DigestSection(section.title, bullets, level))
    return found


def _story_bullets(stories: Iterable[Story]) -> tuple[Bullet, ...]:
    return tuple(Bullet(story_line(s), citation_mark(s.sources)) for s in stories)


def digest_of(briefing: Briefing) -> Digest:
    """Return the Digest (what the e-mail shows) of ``briefing`` (a Briefing).

    It follows the .docx: for several stories an executive summary, then a part per story;
    for one, its sections with the Key points as the summary.
    """
    sections: list[DigestSection] = []
    if len(briefing.stories) > 1:
        summary: DigestSection | None = DigestSection(
            EXECUTIVE_SUMMARY, _story_bullets(briefing.stories)
        )
        lead = clean_text(briefing.stories[0].headline)
        for story in briefing.stories:
            sections.append(DigestSection(clean_text(story.headline) or "Story", ()))
            sections += _digest_sections(story.sections, level=2)
    else:
        found = _digest_sections(briefing.sections, level=1)
        summary = next((s for s in found if s.title == KEY_POINTS), None)
        sections = [s for s in found if s is not summary]
        lead = next((b.text for s in found for b in s.bullets), "")
    if briefing.also:
        sections.append(DigestSection(ALSO_REPORTED, _story_bullets(briefing.also)))
    sources = []
    for source in briefing.sources:
        lead_text, location = source_parts(source)
        sources.append(f"[{source.number}] {lead_text}" + (f" {location}" if location else ""))
    return Digest(
        title=clean_text(briefing.title) or "Briefing",
        date=briefing.date,
        coverage=clean_text(briefing.coverage),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        lead=lead,
    )


def read_digest(path: Path) -> Digest:
    """Return the Digest of a briefing .docx at ``path`` (a Path) that ``write_docx`` wrote.

    Headings start sections (Heading 1 a part, Heading 2 a section within it) and the
    paragraphs under them are bullets; the date and the coverage come from the line under
    the title.  Raises InputError when ``path`` is not a readable Word document.
    """
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for a file that is not .docx
        raise InputError(path, f"not a readable Word document ({exc})") from exc
    title = clean_text(document.core_properties.title or "")
    day: dt.date | None = None
    coverage = ""
    found: list[DigestSection] = []
    sources: list[str] = []
    heading: tuple[str, int] | None = None
    bullets: list[Bullet] = []

    def close_section() -> None:
        if heading and heading[0] != "Sources" and (bullets or heading[1] == 1):
            found.append(DigestSection(heading[0], tuple(bullets), heading[1]))

    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = paragraph.text
        if not text.strip():
            continue
        if style == "Title":
            title = clean_text(text)
        elif style.startswith("Heading"):
            close_section()
            heading, bullets = (clean_text(text), 1 if style == "Heading 1" else 2), []
        elif heading is None:
            day = day or _date_in(text)
            for line in text.splitlines():
                if line.startswith("Based on "):
                    coverage = clean_text(line.removeprefix("Based on ")).rstrip(".")
        elif heading[0] == "Sources":
            sources.append(clean_text(text.replace("\t", " ")))
        else:
            text = clean_text(text).removeprefix("\u2022").strip()
            match = _MARK.match(text)
            bullets.append(Bullet(match[1], match[2]) if match else Bullet(text))
    close_section()
    if day is None:
        created = document.core_properties.created
        day = created.date() if created else dt.date.fromtimestamp(path.stat().st_mtime)
    # 'Not included' lists skipped inputs: for the reader of the .docx, not the e-mail.
    found = [s for s in found if s.title != "Not included"]
    summary = next((s for s in found if s.title in (EXECUTIVE_SUMMARY, KEY_POINTS)), None)
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


def _date_in(text: str) -> dt.date | None:
    match = _LONG_DATE.search(text)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match[0], "%d %B %Y").date()
    except ValueError:
        return None


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
    return clean_text(subject) or digest.title


def _template_text(path: Path | None, name: str) -> string.Template:
    source = path or packaged_template(name)
    try:
        return string.Template(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read e-mail template {source}: {exc}") from exc


def _fill(template: string.Template, values: Mapping[str, str], name: str) -> str:
    try:
        return template.substitute(values)
    except (KeyError, ValueError) as exc:
        raise TemplateError(
            f"e-mail template {name}: unknown or malformed placeholder {exc}; "
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


def render_html(digest: Digest, attachment: str, template: Path | None = None) -> str:
    """Return the HTML body (str) of ``digest`` from ``template`` (default: email.html)."""
    sources = (
        f'<h2{_H2}>Sources</h2>\n<ol style="list-style:none;padding-left:0">\n'
        + "\n".join(f"  <li>{html.escape(s)}</li>" for s in digest.sources)
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
    return _fill(_template_text(template, HTML_TEMPLATE), values, str(template or HTML_TEMPLATE))


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
    text = _fill(_template_text(template, TEXT_TEMPLATE), values, str(template or TEXT_TEMPLATE))
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
    message["Subject"] = render_subject(mail.subject, digest)
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
    name = attachment.name
    # Quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    message.set_content(render_text(digest, name, mail.text_template), cte="quoted-printable")
    message.add_alternative(
        render_html(digest, name, mail.html_template), subtype="html", cte="quoted-printable"
    )
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


# -- sending ---------------------------------------------------------------------------------


def resolve_password(mail: EmailConfig) -> str | None:
    """Return the SMTP password (str) for ``mail.username``, or None when there is no username.

    It comes from the environment variable ``password_env`` or, failing that, from the
    keyring service ``password_keyring``; it is never logged.  Raises ConfigError when it
    cannot be found.
    """
    if not mail.username:
        return None
    if mail.password_env:
        password = os.environ.get(mail.password_env)
        if password:
            return password
        if not mail.password_keyring:
            raise ConfigError(
                f"the environment variable {mail.password_env} (password_env) is not set or "
                "is empty; it should hold the SMTP password"
            )
    if mail.password_keyring:
        try:
            import keyring
        except ImportError as exc:
            raise ConfigError(
                "password_keyring needs the keyring package: pip install keyring"
            ) from exc
        try:
            password = keyring.get_password(mail.password_keyring, mail.username)
        except Exception as exc:  # keyring backends raise their own types
            raise ConfigError(f"the keyring could not be read: {type(exc).__name__}") from exc
        if password:
            return password
        raise ConfigError(
            f"the keyring has no password for {mail.username} in service {mail.password_keyring}"
        )
    raise ConfigError("[email] username is set but neither password_env nor password_keyring is")


def tls_context(mail: EmailConfig) -> ssl.SSLContext:
    """Return the SSLContext for ``mail``: certificates and host name always verified.

    ``mail.ca_file`` (a PEM file) replaces the system's CAs, for private servers.
    """
    try:
        return ssl.create_default_context(cafile=str(mail.ca_file) if mail.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the CA file {mail.ca_file}: {exc}") from exc


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return clean_text(re.sub(r"[\x00-\x1f\x7f]", " ", text))


def _refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{who} ({code} {_reply_text(why)})" for who, (code, why) in refused.items())


def classify_failure(exc: BaseException, mail: EmailConfig) -> DeliveryError:
    """Return the DeliveryError (transient, permanent or authentication) that ``exc`` means.

    The message is one line naming the server and what it said; it never holds the password
    or the message body.
    """
    where = f"{mail.host}:{mail.effective_port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        kind = (
            TransientDeliveryError
            if codes and all(400 <= c < 500 for c in codes)
            else PermanentDeliveryError
        )
        return kind(f"{where} refused every recipient: {_refusals(exc.recipients)}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        if 400 <= exc.smtp_code < 500:
            return TransientDeliveryError(
                f"{where} could not check the password now: "
                f"{exc.smtp_code} {_reply_text(exc.smtp_error)}"
            )
        return AuthenticationError(
            f"{where} refused the login for user {mail.username}: "
            f"{exc.smtp_code} {_reply_text(exc.smtp_error)}"
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        kind = TransientDeliveryError if 400 <= exc.smtp_code < 500 else PermanentDeliveryError
        return kind(
            f"{where} refused the sender {exc.sender}: "
            f"{exc.smtp_code} {_reply_text(exc.smtp_error)}"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = PermanentDeliveryError if 500 <= exc.smtp_code < 600 else TransientDeliveryError
        return kind(f"{where} replied {exc.smtp_code} {_reply_text(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PermanentDeliveryError(f"{where}: {exc}")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
        exc.__context__, TimeoutError | socket.timeout
    ):
        return TransientDeliveryError(f"{where} did not answer within {mail.timeout:g} s")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TransientDeliveryError(f"{where} closed the connection: {exc}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentDeliveryError(
            f"{where}: the server's certificate could not be verified "
            f"({exc.verify_message or exc}); for a private CA set ca_file"
        )
    if isinstance(exc, ssl.SSLError):
        return PermanentDeliveryError(f"{where}: TLS failed ({exc.reason or exc}); check security")
    if isinstance(exc, TimeoutError | socket.timeout):
        return TransientDeliveryError(f"{where} did not answer within {mail.timeout:g} s")
    if isinstance(exc, ConnectionRefusedError):
        return TransientDeliveryError(f"{where} refused the connection (nothing listening?)")
    if isinstance(exc, OSError):
        return TransientDeliveryError(f"cannot reach {where}: {exc.strerror or exc}")
    return PermanentDeliveryError(f"{where}: {type(exc).__name__}: {exc}")


def send_once(
    message: EmailMessage,
    mail: EmailConfig,
    password: str | None,
    context: ssl.SSLContext | None = None,
) -> dict[str, tuple[int, bytes]]:
    """Send ``message`` once over one SMTP session; return the recipients refused (a dict).

    Raises smtplib's and the socket's own exceptions; ``deliver`` classifies them.
    """
    sender = parse_address(mail.sender or "", "from").addr_spec
    port = mail.effective_port
    # Connecting in the constructor lets smtplib close the socket itself when it fails.
    if mail.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            mail.host, port, timeout=mail.timeout, context=context or tls_context(mail)
        )
    else:
        smtp = smtplib.SMTP(mail.host, port, timeout=mail.timeout)
    try:
        smtp.ehlo_or_helo_if_needed()
        if mail.security == "starttls":
            smtp.starttls(context=context or tls_context(mail))
            smtp.ehlo()
        if mail.username:
            smtp.login(mail.username, password or "")
        refused = smtp.send_message(message, from_addr=sender, to_addrs=list(mail.recipients))
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        return dict(refused)
    finally:
        smtp.close()


def deliver(
    message: EmailMessage,
    mail: EmailConfig,
    *,
    password: str | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> tuple[int, dict[str, tuple[int, bytes]]]:
    """Send ``message`` (an EmailMessage) as ``mail`` (an EmailConfig) says, retrying.

    Transient failures are retried ``mail.retries`` times, waiting ``mail.retry_delay``
    seconds and doubling each time.  Returns the number of attempts made (int) and the
    recipients the server refused while accepting others (dict).  Raises
    TransientDeliveryError after the last retry, PermanentDeliveryError or
    AuthenticationError at once.
    """
    context = None if mail.security == "none" else tls_context(mail)
    delay = mail.retry_delay
    attempt = 0
    while True:
        attempt += 1
        try:
            refused = send_once(message, mail, password, context)
        except (smtplib.SMTPException, OSError) as exc:
            error = classify_failure(exc, mail)
            if not isinstance(error, TransientDeliveryError) or attempt > mail.retries:
                if isinstance(error, TransientDeliveryError) and attempt > 1:
                    error = TransientDeliveryError(f"{error} (gave up after {attempt} attempts)")
                raise error from exc
            logger.info("attempt %d failed: %s; retrying in %g s", attempt, error, delay)
            sleep(delay)
            delay *= 2
            continue
        return attempt, refused


# -- lock and sent state ---------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(folder: Path) -> Iterator[Path]:
    """Hold the lock file ``.briefing.lock`` in ``folder`` (a Path) while the block runs.

    Yields the lock's Path.  Raises LockedError at once when another process holds it.
    The lock is released when the block ends or the process dies.
    """
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            _lock(fd)
        except OSError as exc:
            raise LockedError(f"another briefing run is in progress (lock {path})") from exc
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock(fd: int) -> None:
    """Take an exclusive lock on ``fd`` without waiting; raise OSError when it is held."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


@dataclass(frozen=True, slots=True)
class SentRecord:
    """That the file ``file`` of the briefing dated ``date`` was sent, when and to whom."""

    file: str
    date: str
    sent_at: str
    recipients: tuple[str, ...]
    message_id: str = ""


def _read_state(folder: Path) -> list[dict]:
    path = folder / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable sent-state file %s: %s", path, exc)
        return []
    records = data.get("sent", []) if isinstance(data, dict) else []
    return [r for r in records if isinstance(r, dict)]


def sent_record(path: Path, day: dt.date) -> SentRecord | None:
    """Return the record of ``path`` (a Path) sent for the briefing of ``day``, or None."""
    for record in reversed(_read_state(path.parent)):
        if record.get("file") == path.name and record.get("date") == day.isoformat():
            return SentRecord(
                file=path.name,
                date=day.isoformat(),
                sent_at=str(record.get("sent_at", "")),
                recipients=tuple(record.get("recipients", ())),
                message_id=str(record.get("message_id", "")),
            )
    return None


def record_sent(path: Path, day: dt.date, recipients: tuple[str, ...], message_id: str) -> None:
    """Add to the state file beside ``path`` that it was sent today (written atomically)."""
    records = _read_state(path.parent)
    records.append(
        {
            "file": path.name,
            "date": day.isoformat(),
            "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "recipients": list(recipients),
            "message_id": message_id,
        }
    )
    text = json.dumps({"sent": records[-STATE_KEEP:]}, indent=1) + "\n"
    try:
        write_text_atomically(path.parent / STATE_NAME, text)
    except OutputError as exc:
        # The mail has gone; failing now would only hide that.  A rerun may send again.
        logger.warning("sent, but could not record it: %s", exc)


# -- the runs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a run or send did.

    ``status`` is 'sent', 'dry_run' (the message was written to ``eml``) or 'already_sent'
    (``previous`` says when; nothing was built or sent).  ``briefing`` is the Briefing
    built, when one was.
    """

    path: Path
    status: Literal["sent", "dry_run", "already_sent"]
    briefing: Briefing | None = None
    eml: Path | None = None
    recipients: tuple[str, ...] = ()
    attempts: int = 0
    previous: SentRecord | None = None


def _deliver_file(
    path: Path,
    digest: Digest,
    mail: EmailConfig,
    *,
    dry_run: bool,
    sleep: Callable[[float], object],
) -> Delivery:
    """Send (or for a dry run, write as .eml) the message for ``path``; the lock is held."""
    message = build_message(digest, path, mail)
    recipients = mail.recipients
    if dry_run:
        eml = path.with_suffix(".eml")
        write_text_atomically(eml, message.as_string())
        logger.info("dry run: wrote %s for %d recipient(s)", eml, len(recipients))
        return Delivery(path=path, status="dry_run", eml=eml, recipients=recipients)
    password = resolve_password(mail)
    attempts, refused = deliver(message, mail, password=password, sleep=sleep)
    delivered = tuple(r for r in recipients if r not in refused)
    record_sent(path, digest.date, delivered, str(message["Message-ID"]))
    logger.info(
        "sent %s to %d recipient(s) via %s in %d attempt(s)",
        path.name,
        len(delivered),
        mail.host,
        attempts,
    )
    if refused:
        raise RecipientsRefusedError(
            f"{mail.host}:{mail.effective_port} refused {_refusals(refused)}; "
            f"sent to {', '.join(delivered)}"
        )
    return Delivery(path=path, status="sent", recipients=delivered, attempts=attempts)


def _already_sent(path: Path, previous: SentRecord) -> Delivery:
    logger.info("%s was already sent at %s; not sending again", path, previous.sent_at)
    return Delivery(path=path, status="already_sent", previous=previous)


def send_briefing(
    path: str | Path,
    mail: EmailConfig,
    *,
    dry_run: bool = False,
    force: bool = False,
    sleep: Callable[[float], object] = time.sleep,
) -> Delivery:
    """E-mail the briefing .docx at ``path`` (a Path or str) as ``mail`` says; return a Delivery.

    The body is made from the .docx.  Unless ``force``, a file already sent for its date is
    not sent again.  Raises DeliveryError (or a subclass), LockedError, ConfigError or
    InputError.
    """
    target = Path(path)
    mail.check()
    if not target.is_file():
        raise InputError(target, "no such file")
    digest = read_digest(target)
    with run_lock(target.parent):
        previous = None if force or dry_run else sent_record(target, digest.date)
        if previous is not None:
            return _already_sent(target, previous)
        return _deliver_file(target, digest, mail, dry_run=dry_run, sleep=sleep)


def run_briefing(
    config: Config,
    *,
    dry_run: bool = False,
    force: bool = False,
    sleep: Callable[[float], object] = time.sleep,
) -> Delivery:
    """Build, write and e-mail the briefing ``config`` (a Config) describes; return a Delivery.

    The .docx is written before sending and kept whatever happens.  Unless ``force``, a
    briefing already sent for today is neither rebuilt nor sent again.  Raises what
    ``build_briefing``, ``write_docx`` and ``send_briefing`` raise.
    """
    mail = config.email.check()
    if not config.inputs:
        raise ConfigError("no inputs: give [input] paths in the config or PATHS")
    day = config.briefing.date or dt.date.today()
    output = config.output_for(day)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {output.parent}: {exc.strerror or exc}") from exc
    with run_lock(output.parent):
        previous = None if force or dry_run else sent_record(output, day)
        if previous is not None:
            return _already_sent(output, previous)
        # 1. Build the briefing and write it: it stays on disk whatever delivery does.
        state = config.briefing.state or state_beside(output)
        briefing = build_briefing(config.inputs, replace(config.briefing, date=day, state=state))
        write_docx(briefing, output, template=config.template)
        # 2. Send it, or write the message beside it for a dry run.
        delivery = _deliver_file(output, digest_of(briefing), mail, dry_run=dry_run, sleep=sleep)
        # 3. Once it is sent, tomorrow's brief may call its stories seen.
        if delivery.status == "sent":
            _remember(state, briefing)
    return replace(delivery, briefing=briefing)


def _remember(state: Path, briefing: Briefing) -> None:
    """Record the sent brief's stories; a failure costs tomorrow's marks, not today's send."""
    try:
        remember_brief(briefing, state)
    except StateError as exc:
        logger.warning("%s", exc)


__all__ = [
    "AuthenticationError",
    "Delivery",
    "Digest",
    "LockedError",
    "PermanentDeliveryError",
    "RecipientsRefusedError",
    "TransientDeliveryError",
    "build_message",
    "deliver",
    "digest_of",
    "read_digest",
    "run_briefing",
    "send_briefing",
]
