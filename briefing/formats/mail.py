"""E-mail (.eml) and mailboxes (.mbox): newsletters, one article per message.

Subject is the title, the From display name the source, Date the publication date, and
the body the plain-text part when it says something, else the main text of the HTML part.
Attachments are never opened and remote images never loaded.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
import logging
import re
from email.message import EmailMessage, Message
from pathlib import Path

from ..errors import InputError
from ..models import EMAIL_MARK_HEADER, MADE_BY, NOT_AN_ARTICLE, Article
from .digests import digest_stories, newsletter_stories
from .html import extract_fragment
from .text import READ_AS_CP1252, decode, error_line, parse_date

logger = logging.getLogger(__name__)

# A plain-text part shorter than this is a "view it in your browser" stub: use the HTML.
MIN_PLAIN_WORDS = 40
_HEADERS = ("from", "subject", "date")
# What a mail program puts before the subject of a message forwarded or replied to
# ("Fwd: ", "FW: ", "Re: Fwd: "): the article's headline is what follows.
_REPLY_OR_FORWARD = re.compile(r"^(?:\s*(?:fwd?|re|aw|wg|tr|sv|vs)\s*(?:\[\d+\])?:\s*)+", re.I)
_MBOX_SEPARATOR = re.compile(rb"(?:\A|\r?\n)From [^\r\n]*\r?\n")
_MBOXRD_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)
# A line quoted in a reply or a forward ("> He was 84, ..."; ">> " twice quoted).
_QUOTED = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_ATTRIBUTION = re.compile(r"^[ \t]*On [^\n]{4,200}\bwrote:[ \t\r]*$", re.MULTILINE)
# A message forwarded inside another, as Gmail, Outlook and Apple Mail mark it, then its
# header lines ("From: Westminster Wire <wire@...>", "Date: Fri, 20 Nov 2026 at 06:00").
_FORWARDED = re.compile(
    r"^[ \t]*(?:-{3,}[ \t]*(?:Forwarded message|Original Message)[ \t]*-{3,}|"
    r"Begin forwarded message:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARDED_FIELD = re.compile(r"^[ \t]*(From|Sent|Date|Subject|To|Cc):[ \t]*(.*)$", re.I | re.M)
_FORWARD_DATE_AT = re.compile(r"\s+at(?=\s+\d{1,2}:\d{2})", re.IGNORECASE)  # Gmail's "... at 06:00"
# At most this many messages attached one inside another are opened to find the article.
MAX_FORWARDS = 4
_BRACKETED_URL = re.compile(r"\s*(?:<https?://[^>\s]*>|\[https?://[^\]\s]*\]|\(https?://[^)\s]*\))")


def read_eml(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article (a tuple of one ``Article``) of an e-mail message's bytes.

    Raises ``InputError`` when the bytes are not a message or it has no text.
    """
    return _stories_of(article_of(parse_message(data, path), path))


def read_mbox(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return one ``Article`` per usable message of a mailbox (mbox) file's bytes, in order.

    Messages without text are passed over (logged); raises ``InputError`` when the file is
    not a mailbox.
    """
    if not data.lstrip().startswith(b"From "):
        raise InputError(path, "not a mailbox (it does not start with a 'From ' line)")
    chunks = [chunk for chunk in _MBOX_SEPARATOR.split(data.lstrip()) if chunk.strip()]
    articles: list[Article] = []
    for number, chunk in enumerate(chunks, 1):
        try:
            message = parse_message(_MBOXRD_QUOTED.sub(rb"\1", chunk), path)
            articles.extend(_stories_of(article_of(message, path)))
        except InputError as exc:
            logger.info("%s: message %d passed over: %s", path, number, exc.reason)
    logger.debug("%s: %d of %d messages used", path, len(articles), len(chunks))
    return tuple(articles)


def parse_message(data: bytes, path: Path) -> EmailMessage:
    """Return the e-mail message of ``data`` (bytes); raises ``InputError`` when it has none
    of the From, Subject and Date headers."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not any(_header(message, name) for name in _HEADERS):
        raise InputError(path, "not an e-mail message (no From, Subject or Date header)")
    return message


def article_of(message: EmailMessage, path: Path) -> Article:
    """Return the ``Article`` of one e-mail message; raises ``InputError`` when it has no text.

    A message forwarded to the reader is the article it forwards: the one attached to it
    (when the forwarder's own note is short), or the one below its "Forwarded message"
    line, with that message's sender, date and subject."""
    if _header(message, EMAIL_MARK_HEADER) == MADE_BY:
        raise InputError(path, NOT_AN_ARTICLE)
    for _ in range(MAX_FORWARDS):
        attached = _attached_message(message)
        if attached is None or len(_part_text(message, "plain", path).split()) >= MIN_PLAIN_WORDS:
            break
        message = attached
    name, address = email.utils.parseaddr(_header(message, "from"))
    list_id = re.sub(r"\s*<[^>]*>\s*", "", _header(message, "list-id"))
    archived = _header(message, "archived-at").strip("<> ")
    subject, date = _header(message, "subject"), _header(message, "date")
    text = body_text(message, path)
    if forwarded := _forwarded_inline(text):
        fields, text = forwarded
        name, address = email.utils.parseaddr(fields.get("from", ""))
        subject = fields.get("subject", subject)
        date = fields.get("date") or fields.get("sent") or date
        list_id = ""
    return Article(
        title=_REPLY_OR_FORWARD.sub("", " ".join(subject.split())),
        text=text,
        source=name or list_id or address,
        published=parse_date(_FORWARD_DATE_AT.sub("", date)),
        url=archived if archived.startswith(("http://", "https://")) else None,
        path=path,
    )


def _stories_of(article: Article) -> tuple[Article, ...]:
    """The stories of a message: those of a newsletter or of a wire digest it holds."""
    stories = newsletter_stories(article)
    return stories if len(stories) > 1 else digest_stories(article)


def _forwarded_inline(text: str) -> tuple[dict[str, str], str] | None:
    """The header fields (by lower-cased name) and body of the message forwarded below a
    "Forwarded message" line of ``text``, or None when there is none."""
    marker = _FORWARDED.search(text)
    if not marker:
        return None
    headers, _, body = text[marker.end() :].lstrip("\n").partition("\n\n")
    fields = {key.lower(): value.strip() for key, value in _FORWARDED_FIELD.findall(headers)}
    return (fields, body.strip()) if fields and body.strip() else None


def _attached_message(message: Message) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            attached = inner[0] if isinstance(inner, list) and inner else None
            return attached if isinstance(attached, EmailMessage) else None
    return None


def body_text(message: Message, path: Path) -> str:
    """Return the text (str) of a message's body: its plain part, else its HTML part's main text."""
    plain = _part_text(message, "plain", path)
    plain = _BRACKETED_URL.sub("", _unquoted(plain))
    if len(plain.split()) >= MIN_PLAIN_WORDS:
        return plain
    html = _part_text(message, "html", path)
    text = extract_fragment(html) if html.strip() else ""
    if len(text.split()) > len(plain.split()):
        return text
    if not plain.strip():
        raise InputError(path, "the e-mail has no text or HTML part")
    return plain


def _unquoted(plain: str) -> str:
    """A reply's or forward's plain text without its quoting: the '> ' its mail program
    put before each line it quotes, and the 'On ..., X wrote:' line above them."""
    if not _QUOTED.search(plain):
        return plain
    return _QUOTED.sub("", _ATTRIBUTION.sub("", plain))


def _part_text(message: Message, subtype: str, path: Path) -> str:
    for part in message.walk():
        if part.get_content_type() != f"text/{subtype}" or (
            part.get_content_disposition() == "attachment"
        ):
            continue
        if (part.get_content_charset() or "us-ascii") in READ_AS_CP1252:
            # Labelled Latin-1 or ASCII, or not labelled at all, yet often written by
            # Outlook in Windows-1252 or by anything in UTF-8: read it as a text file is.
            payload = part.get_payload(decode=True)
            with contextlib.suppress(InputError):
                text = decode(payload, path) if isinstance(payload, bytes) else ""
                return text.replace("\r\n", "\n")
        try:
            return str(part.get_content())  # type: ignore[attr-defined]
        # An unknown charset or a broken transfer encoding: decode what is there.
        except (LookupError, ValueError, AssertionError) as exc:
            logger.debug("undecodable %s part: %s", subtype, error_line(exc))
            payload = part.get_payload(decode=True)
            return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return ""


# A header is cut to this many characters before it is decoded: a Subject of 16,000 encoded
# words (320 KB) otherwise costs the header parser 2.9 GB and 8 s; real ones are short.
MAX_HEADER_CHARS = 2_000


def _header(message: Message, name: str) -> str:
    """The header's value as str, '' when absent or unparseable (malformed headers abound).

    The raw value is cut to MAX_HEADER_CHARS before it is parsed, so a hostile header costs
    no more than a long real one."""
    try:
        raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
        if raw is None:
            return ""
        if len(raw) > MAX_HEADER_CHARS:
            logger.debug("%s header of %d characters cut to %d", name, len(raw), MAX_HEADER_CHARS)
            raw = raw[:MAX_HEADER_CHARS]
        return str(email.policy.default.header_factory(name, raw))
    # The default policy's header parsers raise assorted errors on malformed headers.
    except Exception as exc:
        logger.debug("malformed %s header: %s", name, error_line(exc))
        return ""
