"""PDF documents through pypdf: the text layer of every page; scans and locked files are refused."""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..clean import is_list_item, line_key
from ..errors import InputError
from ..models import Article
from .text import dateline_date, error_line, headline

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)


def read_pdf(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article (a tuple of one ``Article``) of a PDF's bytes.

    An encrypted PDF is opened with the empty password when that works.  Raises
    ``InputError`` for an encrypted, corrupt or scanned (text-less) PDF.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    with _quiet():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _decrypt(reader):
                raise InputError(path, "encrypted PDF (it needs a password)")
            pages = [page.extract_text() or "" for page in reader.pages]
            metadata = reader.metadata
            title = str(metadata.get("/Title") or "").strip() if metadata else ""
        except InputError:
            raise
        except (DependencyError, FileNotDecryptedError) as exc:
            raise InputError(path, f"encrypted PDF ({error_line(exc)})") from exc
        # pypdf raises many kinds of errors (PdfReadError, KeyError, ValueError, ...) on
        # damaged files; any of them means this PDF is unusable.
        except Exception as exc:
            logger.debug("pypdf failed on %s", path, exc_info=True)
            raise InputError(path, f"corrupt PDF ({error_line(exc)})") from exc
    pages = _without_running_lines(pages)
    text = "\n\n".join(_paragraphs(page) for page in pages if page.strip())
    if not text.split():
        raise InputError(path, "no text layer: a scanned PDF? (run OCR on it first)")
    lines = [line.strip() for line in text.split("\n")]
    published = dateline_date(lines)
    title = title if _plausible_title(title) else headline(lines)
    return (Article(title=title, text=text, published=published, path=path),)


# A PDF's text layer breaks a line wherever the page's layout wrapped it, in a proportional
# font, so widths in characters say less than in plain text.  A line at least this share
# of the page's usual long line (its 90th percentile) was full: the paragraph went on.
FULL_LINE = 0.8
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


def _paragraphs(page: str) -> str:
    """Return the text of one PDF page (a str) with one paragraph per line: a line that
    stops mid-sentence goes on with the next when it was full or the next goes on in lower
    case ("... a 21-year-old British woman / jumped from a window"); a short line (a title,
    a date line, a paragraph's last) ends its paragraph."""
    lines = [line.strip() for line in page.splitlines()]
    widths = sorted(len(line) for line in lines if line)
    full = FULL_LINE * widths[int(0.9 * (len(widths) - 1))] if widths else 0.0
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if not line:
            previous = ""
            continue
        goes_on = previous and not _SENTENCE_END.search(previous) and not is_list_item(line)
        if goes_on and (len(previous) >= full or line[:1].islower()):
            joiner = "" if previous.endswith("-") and previous[-2:-1].isalpha() else " "
            paragraphs[-1] += joiner + line
        else:
            paragraphs.append(line)
        previous = line
    return "\n".join(paragraphs)


# The lines at each end of a page where a running head or foot sits: the outlet and
# section, a browser's print date and title, "Page 2 of 3", a copyright line.
RUNNING_LINES = 2
_DIGITS = re.compile(r"\d+")


def _without_running_lines(pages: list[str]) -> list[str]:
    """Return the ``pages`` (text of each) without the lines that head or foot most of
    them, compared with their figures blanked ("Page 2 of 3", "24/11/2026, 09:14"): one
    of them at a page break would otherwise be spliced into the sentence it interrupts."""
    split = [page.splitlines() for page in pages]
    ends = [_end_lines(lines) for lines in split]
    if sum(1 for found in ends if found) < 2:
        return pages
    counts: Counter[str] = Counter()
    for lines, found in zip(split, ends, strict=True):
        counts.update({_running_key(lines[i]) for i in found})
    running = {key for key, n in counts.items() if n >= 2 and n * 2 >= len(pages)}
    if not running:
        return pages
    logger.debug("dropped the running heads and feet %s", sorted(running))
    return [
        "\n".join(
            line
            for i, line in enumerate(lines)
            if i not in found or _running_key(line) not in running
        )
        for lines, found in zip(split, ends, strict=True)
    ]


def _end_lines(lines: list[str]) -> set[int]:
    """The indices of a page's first and last RUNNING_LINES lines that hold text."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:RUNNING_LINES] + filled[-RUNNING_LINES:])


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", line_key(line))


def _decrypt(reader: PdfReader) -> bool:
    """Open an encrypted PDF with the empty password; True when that worked."""
    from pypdf import PasswordType

    return reader.decrypt("") != PasswordType.NOT_DECRYPTED


def _plausible_title(title: str) -> bool:
    # Tools often fill /Title with a file name or "Untitled" / "Microsoft Word - x.doc".
    lowered = title.lower()
    return (
        len(title.split()) >= 2
        and not lowered.startswith(("untitled", "microsoft word"))
        and not lowered.endswith((".doc", ".docx", ".pdf", ".indd"))
    )


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep pypdf's warnings about damaged files off the user's terminal (DEBUG log only)."""
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            logger.debug("pypdf: %s", warning.message)
    finally:
        pypdf_logger.setLevel(level)
