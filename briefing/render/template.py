"""The Word template: the packaged one or the user's, opened and emptied, and the styles it
offers for each part of a brief."""

from __future__ import annotations

import importlib.resources
import io
import logging
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..errors import TemplateError

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "briefing.docx"

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
    checkout = Path(__file__).resolve().parents[2] / "templates" / name
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


def resolve_styles(doc: Document) -> dict[str, str | None]:
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


