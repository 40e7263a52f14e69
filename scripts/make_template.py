"""Build ``templates/briefing.docx``, the default Word template, reproducibly with python-docx.

Run it from the repository root whenever the look of the briefing should change::

    python scripts/make_template.py            # writes templates/briefing.docx
    python scripts/make_template.py out.docx   # writes somewhere else

The template starts from python-docx's own default document and restyles it: A4 pages with
2 cm margins, Calibri (Carlito under LibreOffice) 10.5 pt body text, navy headings, compact
spacing, a header that shows the document title (a TITLE field) and a footer reading
"Page X of Y" (PAGE and NUMPAGES fields).  It also adds three styles the writer prefers but
can do without: "Briefing Meta" (the date and coverage lines), "Source Entry" (the numbered
sources) and "Briefing Note" (the "Not included" list), plus a "Citation" character style.

The output is byte-for-byte the same on every run with the same python-docx: the core
properties are fixed and every zip entry gets the same timestamp.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

OUTPUT = Path(__file__).resolve().parent.parent / "templates" / "briefing.docx"

FONT = "Calibri"
INK = RGBColor(0x26, 0x26, 0x26)  # body text: near-black reads softer than pure black
NAVY = RGBColor(0x1F, 0x38, 0x64)  # title and headings
GREY = RGBColor(0x6B, 0x6B, 0x6B)  # meta lines, citations, header and footer
RULE = "A6A6A6"  # hairlines under the masthead and above the footer
FIXED_TIME = datetime(2025, 1, 1, tzinfo=timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def set_font(style: BaseStyle, name: str = FONT) -> None:
    """Give ``style`` an explicit font, dropping theme fonts (which would win over it)."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    rpr.insert(0, fonts)


def set_border(
    style: BaseStyle, side: str, color: str = RULE, size: int = 4, space: int = 4
) -> None:
    """Put a single hairline on ``side`` ('top' or 'bottom') of paragraphs in ``style``."""
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)
    # pBdr must come early in pPr (after keepNext/keepLines/pageBreakBefore/numPr...).
    anchor = None
    for tag in (
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:jc",
        "w:outlineLvl",
    ):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)


def drop_borders(style: BaseStyle) -> None:
    """Remove any paragraph borders ``style`` has (python-docx's Title has a blue rule)."""
    ppr = style.element.pPr
    if ppr is not None:
        for old in ppr.findall(qn("w:pBdr")):
            ppr.remove(old)


def paragraph_style(
    doc: Document,
    name: str,
    *,
    size: float,
    color: RGBColor = INK,
    bold: bool = False,
    before: float = 0,
    after: float = 4,
    line: float = 1.1,
    base: str = "Normal",
) -> BaseStyle:
    """Return the paragraph style ``name`` (created if needed) set to the given look."""
    if name in [s.name for s in doc.styles]:
        style = doc.styles[name]
    else:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.quick_style = True
    set_font(style)
    style.font.size = Pt(size)
    size_cs = style.element.rPr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        style.element.rPr.find(qn("w:sz")).addnext(size_cs)
    size_cs.set(qn("w:val"), str(round(size * 2)))  # complex scripts: same size
    style.font.color.rgb = color
    style.font.bold = bold
    style.font.italic = False
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    return style


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a complex field (e.g. ``PAGE``) showing ``placeholder`` until Word updates it."""

    def run_with(child: OxmlElement) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_simple_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a simple field (``w:fldSimple``); the writer refreshes TITLE's cached text."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def style_text(doc: Document) -> None:
    """Set fonts, sizes, colours and spacing of the styles the briefing uses."""
    # Document defaults first, so styles the writer does not touch still look right.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    rpr.insert(0, fonts)

    normal = paragraph_style(doc, "Normal", size=10.5, after=4)
    normal.paragraph_format.widow_control = True

    title = paragraph_style(doc, "Title", size=20, color=NAVY, bold=True, after=2, line=1.0)
    drop_borders(title)
    for old in title.element.rPr.findall(qn("w:spacing")):  # python-docx's letter-spacing
        title.element.rPr.remove(old)
    paragraph_style(doc, "Subtitle", size=11, color=GREY, after=2)

    meta = paragraph_style(doc, "Briefing Meta", size=9.5, color=GREY, after=0)
    meta.next_paragraph_style = meta

    for level, size, before in ((1, 12, 12), (2, 10.5, 8)):
        heading = paragraph_style(
            doc,
            f"Heading {level}",
            size=size,
            color=NAVY,
            bold=True,
            before=before,
            after=3,
            line=1.0,
        )
        heading.paragraph_format.keep_with_next = True
    set_border(doc.styles["Heading 1"], "bottom", color="D0D7E5", size=4, space=1)

    bullet = paragraph_style(doc, "List Bullet", size=10.5, after=3)
    paragraph_style(doc, "List Number", size=10.5, after=3)
    # contextualSpacing would swallow the space between bullets; we want it.
    for style in (bullet, doc.styles["List Number"]):
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:contextualSpacing")):
            ppr.remove(old)

    source = paragraph_style(doc, "Source Entry", size=9, after=2, line=1.0)
    source.paragraph_format.left_indent = Cm(0.7)
    source.paragraph_format.first_line_indent = Cm(-0.7)
    source.paragraph_format.tab_stops.add_tab_stop(Cm(0.7))

    paragraph_style(doc, "Briefing Note", size=9, color=GREY, after=1, line=1.0)

    citation = doc.styles.add_style("Citation", WD_STYLE_TYPE.CHARACTER)
    citation.base_style = doc.styles["Default Paragraph Font"]
    citation.font.color.rgb = GREY
    citation.font.size = Pt(9)

    for name in ("Header", "Footer"):
        paragraph_style(doc, name, size=8.5, color=GREY, after=0, line=1.0)


def style_bullets(doc: Document) -> None:
    """Make the List Bullet style's bullet a plain '•' with a compact 0.5 cm hanging indent."""
    num_id = doc.styles["List Bullet"].element.pPr.numPr.numId.val
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract_id = num.abstractNumId.val
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(abstract_id)
    )
    lvl = abstract.find(qn("w:lvl"))
    lvl.find(qn("w:lvlText")).set(qn("w:val"), "•")
    ppr = lvl.find(qn("w:pPr"))
    ppr.find(qn("w:tabs")).find(qn("w:tab")).set(qn("w:pos"), "284")
    ind = ppr.find(qn("w:ind"))
    ind.set(qn("w:left"), "284")
    ind.set(qn("w:hanging"), "284")
    rpr = lvl.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        lvl.append(rpr)
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), FONT)
    fonts.set(qn("w:hAnsi"), FONT)
    fonts.set(qn("w:hint"), "default")
    rpr.append(fonts)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(NAVY))
    rpr.append(color)


def style_page(doc: Document) -> None:
    """A4, 2 cm margins, title in the header and "Page X of Y" in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1)

    # Centre and right tab stops at the middle and edge of the A4 text column, so text a
    # user adds to the header or footer in Word lines up.
    width = section.page_width - section.left_margin - section.right_margin
    for name in ("Header", "Footer"):
        ppr = doc.styles[name].element.get_or_add_pPr()
        for old in ppr.findall(qn("w:tabs")):
            ppr.remove(old)
        stops = doc.styles[name].paragraph_format.tab_stops
        stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    add_simple_field(header, "TITLE \\* MERGEFORMAT", "Briefing")

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_border(doc.styles["Footer"], "top", space=4)
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES", "1")


def set_properties(doc: Document) -> None:
    """Fix the core properties so every build is identical."""
    props = doc.core_properties
    props.title = "Briefing"
    props.subject = "Briefing"
    props.author = "briefing"
    props.last_modified_by = "briefing"
    props.comments = "Default template of the briefing tool; replace it with --template."
    props.revision = 1
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.keywords = ""


def build() -> Document:
    """Return the restyled template document, with an empty body."""
    doc = docx.Document()
    style_text(doc)
    style_bullets(doc)
    style_page(doc)
    set_properties(doc)
    # The body stays empty: the writer fills it. Keep only the section properties.
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps and entry order, for reproducible bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    """Build the template and write it to ``argv[0]`` (default templates/briefing.docx)."""
    target = Path(argv[0]) if argv else OUTPUT
    buffer = io.BytesIO()
    build().save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(normalise_zip(buffer.getvalue()))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
