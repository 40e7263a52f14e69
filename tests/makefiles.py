"""Makers of input files for the loader tests: each ``make_*`` returns the bytes of one file.

Every fixture is generated here, written for the project; none is copied from elsewhere.
"""

from __future__ import annotations

import io
from email.message import EmailMessage

STORY = (
    "The city council approved the new tram line on Tuesday by 34 votes to 21.",
    "Opposition councillors said the cost estimate was far too low for a project of this size.",
    "Construction is expected to begin next spring, and the first trams should run in 2029.",
)
TITLE = "Council backs tram line after long debate"


def make_html(
    paragraphs: tuple[str, ...] = STORY,
    *,
    title: str = TITLE,
    charset: str | None = "utf-8",
    declare: bool = True,
    extra_head: str = "",
    extra_body: str = "",
) -> bytes:
    """Return a saved news page: navigation, the article, a footer; encoded in ``charset``."""
    meta = f'<meta charset="{charset}">' if declare and charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head>{meta}<title>{title} | The Example Star</title>
<meta property="og:site_name" content="The Example Star">
<meta property="og:type" content="article">
<meta property="og:url" content="https://star.example/news/tram-line">
<meta name="author" content="Jo Reporter">
<meta property="article:published_time" content="2026-11-20T08:15:00Z">
{extra_head}</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>{title}</h1>
<p class="byline">By Jo Reporter, 20 November 2026</p>
{body}
</article></main>
{extra_body}
<footer><p>Copyright 2026 The Example Star. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""
    return page.encode(charset or "utf-8")


def make_docx(
    paragraphs: tuple[str, ...] = STORY, *, title: str = TITLE, core_title: str = ""
) -> bytes:
    """Return a Word document with a Title paragraph and the story's paragraphs."""
    import docx

    document = docx.Document()
    if core_title:
        document.core_properties.title = core_title
    document.add_paragraph(title, style="Title")
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(
    lines: tuple[str, ...] = (TITLE, "", *STORY),
    *,
    user_password: str | None = None,
    owner_password: str | None = None,
    text: bool = True,
    more_pages: tuple[tuple[str, ...], ...] = (),
) -> bytes:
    """Return a PDF showing ``lines`` in Helvetica on its first page, then each of
    ``more_pages`` (no text layer when ``text`` is False), encrypted when a password is
    given."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    for shown in (lines, *more_pages):
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        ops = ["BT", "/F1 10 Tf", "14 TL", "50 740 Td"]
        for line in shown if text else ():
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        if not text:
            ops = ["0.5 g 50 50 500 700 re f"]  # a grey box: what a scan looks like to a parser
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password=owner_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_eml(
    paragraphs: tuple[str, ...] = STORY,
    *,
    subject: str = TITLE,
    sender: str = "The Example Star <news@star.example>",
    date: str = "Fri, 20 Nov 2026 08:15:00 +0000",
    html: bool = False,
    plain: bool = True,
) -> bytes:
    """Return a newsletter e-mail with a plain-text part, an HTML part, or both."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "reader@example.org"
    message["Subject"] = subject
    message["Date"] = date
    if plain:
        message.set_content("\n\n".join(paragraphs) + "\n")
    if html:
        markup = "<html><body><table><tr><td>View in browser</td></tr></table>"
        markup += "".join(f"<p>{p}</p>" for p in paragraphs)
        markup += '<p><img src="https://tracker.example/pixel.gif"></p></body></html>'
        if plain:
            message.add_alternative(markup, subtype="html")
        else:
            message.set_content(markup, subtype="html")
    return message.as_bytes()


def make_mbox(*messages: bytes) -> bytes:
    """Return an mbox holding ``messages`` (mboxrd: body lines starting 'From ' quoted)."""
    out = []
    for message in messages:
        body = message.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
        out.append(b"From news@star.example Fri Nov 20 08:15:00 2026\n" + body.rstrip() + b"\n\n")
    return b"".join(out)


def make_rss(entries: tuple[tuple[str, str], ...] | None = None, *, broken: str = "") -> bytes:
    """Return an RSS 2.0 feed of ``entries`` ((title, html body) pairs), plus ``broken`` XML."""
    if entries is None:
        entries = (
            (TITLE, "".join(f"<p>{p}</p>" for p in STORY)),
            ("Harbour bridge to close for repairs", "<p>" + " ".join(STORY[1:]) + "</p>"),
        )
    items = "".join(
        f"<item><title>{title}</title><link>https://star.example/{i}</link>"
        f"<pubDate>Fri, 20 Nov 2026 08:15:00 GMT</pubDate>"
        f"<description><![CDATA[{body}]]></description></item>"
        for i, (title, body) in enumerate(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>The Example Star</title><link>https://star.example/</link>{items}{broken}"
        "</channel></rss>"
    ).encode()


def make_atom() -> bytes:
    """Return an Atom feed with one entry carrying full HTML content."""
    content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in STORY)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Wire</title>'
        '<link href="https://wire.example/"/><id>urn:x</id><updated>2026-11-20T08:00:00Z</updated>'
        f"<entry><title>{TITLE}</title><link href=\"https://wire.example/tram\"/>"
        "<id>urn:x:1</id><updated>2026-11-19T10:00:00Z</updated>"
        f'<summary>Short teaser.</summary><content type="html">{content}</content></entry></feed>'
    ).encode()
