"""Word documents (.docx) through python-docx, after checking the zip archive is no bomb."""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..models import MADE_BY, NOT_AN_ARTICLE, Article
from .text import dateline_date, error_line, headline

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

logger = logging.getLogger(__name__)

# What Word writes for a password-protected document (and what Word 97-2003 wrote): an
# OLE compound file, which python-docx cannot open.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A real .docx unpacks to a few times its size; these bound what a zip bomb could unpack to.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5_000


def read_docx(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article (a tuple of one ``Article``) of a Word document's bytes.

    The title is the document's Title property, else its first Title or Heading 1
    paragraph, else its headline.  Raises ``InputError`` for encrypted, legacy, corrupt
    or oversized documents.
    """
    if data.startswith(OLE_MAGIC):
        raise InputError(
            path, "encrypted or legacy Word file (save it as .docx without a password)"
        )
    check_zip(data, path)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [(_text(p), _style(p)) for p in _paragraphs(document)]
        properties = document.core_properties
        properties_title = " ".join((properties.title or "").split())
        made_by = (properties.author, properties.keywords) == (MADE_BY, MADE_BY)
    # python-docx raises KeyError, ValueError, lxml and zipfile errors on damaged parts; any
    # of them means this document is unusable.
    except Exception as exc:
        logger.debug("python-docx failed on %s", path, exc_info=True)
        raise InputError(path, f"corrupt Word document ({error_line(exc)})") from exc
    if made_by:
        raise InputError(path, NOT_AN_ARTICLE)
    lines = [" ".join(text.split()) for text, _ in paragraphs]
    title = _title(paragraphs, properties_title, lines)
    published = dateline_date(lines)
    return (Article(title=title, text="\n".join(lines), published=published, path=path),)


def _title(paragraphs: list[tuple[str, str]], property_title: str, lines: list[str]) -> str:
    """A document's title: its Title paragraph, else its Title property unless that is a
    file name ("draft_v3_final": Word fills it in from one), else its first Heading 1,
    else its headline."""

    def styled(style: str) -> str:
        texts = (" ".join(t.split()) for t, s in paragraphs if s.lower() == style)
        return next((text for text in texts if text), "")

    if title := styled("title"):
        return title
    if " " in property_title:
        return property_title
    return styled("heading 1") or headline(lines)


def check_zip(data: bytes, path: Path) -> None:
    """Raise ``InputError`` unless ``data`` is a zip archive holding a Word document that
    unpacks to a sane size (the zip directory's sizes bound what zipfile will inflate)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        reason = "not a Word document, or a damaged one (no readable zip archive)"
        raise InputError(path, reason) from exc
    if len(members) > MAX_MEMBERS:
        raise InputError(path, f"refused: a zip bomb? ({len(members)} parts)")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(path, f"refused: a zip bomb? (unpacks to {unpacked // 2**20} MB)")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 2**20 and ratio > MAX_RATIO:
            raise InputError(
                path, f"refused: a zip bomb? ({member.filename} is compressed {ratio:.0f} to 1)"
            )
    names = {member.filename for member in members}
    for part in ("word/document.xml", "[Content_Types].xml"):
        if part not in names:
            raise InputError(path, f"not a Word document (a zip archive without {part})")
    _inflate_within_declared_sizes(data, path)


# Inflated this much at a time, so a member whose directory entry lies about its size is
# caught by its checksum after its declared bytes, not after gigabytes.
_CHUNK = 1 << 16


def _inflate_within_declared_sizes(data: bytes, path: Path) -> None:
    """Raise ``InputError`` when a member inflates to other bytes than its zip directory
    declares: zipfile stops at the declared size and checks the CRC, so reading in chunks
    keeps memory bounded where python-docx, reading whole parts, would not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                with archive.open(member) as stream:
                    while stream.read(_CHUNK):
                        pass
    # zlib and zipfile raise these on damaged data; RuntimeError on an encrypted member.
    except (
        zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError, NotImplementedError,
        RuntimeError,
    ) as exc:  # fmt: skip
        reason = f"refused: a damaged or forged zip archive ({error_line(exc)})"
        raise InputError(path, reason) from exc


def _text(paragraph: Paragraph) -> str:
    """A paragraph's text as Word shows it with changes accepted: its runs, those inside
    links and tracked insertions too (python-docx's ``text`` leaves insertions out); the
    deleted text, kept as w:delText, stays out."""
    parts = paragraph._p.xpath(".//w:t | .//w:tab | .//w:br | .//w:cr")
    return "".join(part.text or "" if part.tag.endswith("}t") else " " for part in parts)


def _style(paragraph: Paragraph) -> str:
    style = paragraph.style
    return str(style.name or "") if style is not None else ""


def _paragraphs(document: Document) -> Iterator[Paragraph]:
    """Yield the body's paragraphs in order, those inside tables included."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        else:
            yield block

