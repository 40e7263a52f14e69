"""Web pages (.html, .htm): the main text and metadata of a saved news page, via trafilatura.

The page is decoded here (byte-order mark, then the page's own charset declaration, then
UTF-8 / Windows-1252), parsed by an lxml HTML parser that never touches the network, and
handed to trafilatura as a tree, so trafilatura neither decodes nor fetches anything.
Pages that are not articles (an index of headlines, a login form, a paywall stub) are
refused with a reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..clean import CLAIM_LABEL, is_prompt, line_key, strip_forbidden
from ..errors import InputError
from ..models import Article
from ..outlets import outlet_key
from .text import READ_AS_CP1252, decode, error_line, parse_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from trafilatura.settings import Document

logger = logging.getLogger(__name__)

# trafilatura's knobs, chosen on the extraction benchmark (benchmarks/extraction.py): its
# balanced default beat favor_precision and favor_recall, and keeping tables beat dropping
# them (results tables, figures in the story).
FAVOR_PRECISION = False
FAVOR_RECALL = False
INCLUDE_TABLES = True
# A page's date is read from its markup (meta tags, <time>, its address), never guessed
# from its text: "left the club in 1997" or a "© 2025" footer is no publication date.  On
# the 91 shared news pages the markup alone gives every date the text search gave.
SEARCH_TEXT_FOR_DATE = False
# A page with a password field and a sign-in prompt is a login page when its main text is
# shorter than this; one with a subscription prompt, a paywall stub.
LOGIN_MAX_WORDS = 80
PAYWALL_MAX_WORDS = 100
# A page with fewer characters than this outside its notices and prompts to the reader ("We
# use cookies ...", "Sign up to our newsletter") has no story to brief (characters, not
# words: Japanese puts no spaces between its words).
MIN_PROSE_CHARS = 100
# An index page: at least this share of the extracted words sits in lines that are links.
INDEX_LINK_SHARE = 0.5
INDEX_MIN_LINES = 5
# Below this, trafilatura missed a message's body: take all the visible text instead.
MIN_EXTRACTED_WORDS = 30

_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read|keep reading|unlock)|subscribers? only|"
    r"already (?:a subscriber|subscribed)|to continue reading|this (?:article|content|story) is "
    r"(?:for|reserved for|available to|exclusive to) (?:paying |our )?(?:subscribers|members)|"
    r"(?:create|register for) a free account to (?:read|continue)|start your (?:free )?trial)\b",
    re.IGNORECASE,
)
_LOGIN = re.compile(
    r"\b(?:sign[ -]?in|log[ -]?in|password|username|forgot|anmelden|connexion|entrar)\b",
    re.IGNORECASE,
)
_ARTICLE_TYPES = re.compile(
    r'"@type"\s*:\s*\[?\s*"(?:News|Report|Blog|Scholarly|Opinion|Analysis|Review)?Article"'
)


def read_html(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article (a tuple of one ``Article``) of a saved web page's bytes.

    Raises ``InputError`` when the page cannot be parsed or is not an article.
    """
    tree = parse_html(decode_html(data, path), path)
    document = _extract(tree, path)
    text = (document.text or "").strip() if document is not None else ""
    if document is None or not text:
        raise InputError(path, "not an article: no main text found (an index or empty page?)")
    if kind := _not_article(tree, text):
        raise InputError(path, f"not an article: {kind}")
    url = document.url or _link(tree, "canonical") or _meta(tree, "og:url") or None
    source = document.sitename or _meta(tree, "og:site_name") or _host(url)
    if source.startswith(("http://", "https://")):
        # Some pages give their address as their site name: name the site by its host.
        source = _host(source)
    title = without_site_name(document.title or _meta(tree, "og:title") or "", source)
    if (review := _fact_check(tree)) is not None:
        title, text = _as_fact_check(title, text, *review)
    return (
        Article(
            title=title,
            text=text,
            source=source,
            published=parse_date(document.date or ""),
            url=url,
            path=path,
            author=document.author or "",
        ),
    )


def _fact_check(tree: HtmlElement) -> tuple[str, str] | None:
    """Return (the claim, its rating) that a fact check's page declares in its structured
    data (a schema.org ClaimReview; either may be ''), or None when it declares none."""
    for script in _structured_data(tree):
        if "ClaimReview" not in script:
            continue
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):  # not JSON, or nested beyond reading
            continue
        for item in _json_ld_items(data):
            kinds = item.get("@type")
            if "ClaimReview" in (kinds if isinstance(kinds, list) else [kinds]):
                rating = item.get("reviewRating")
                verdict = rating.get("alternateName") if isinstance(rating, dict) else ""
                return str(item.get("claimReviewed") or "").strip(), str(verdict or "").strip()
    return None


def _json_ld_items(data: object) -> Iterable[dict]:
    """The objects of a JSON-LD block: itself, the items of a list, those of its @graph."""
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_items(item)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_items(data.get("@graph", []))


def _as_fact_check(title: str, text: str, claim: str, verdict: str) -> tuple[str, str]:
    """A fact check's headline and text (title, text) as a brief shows them: the headline
    says it is one, and the claim it reviews, which its text states as a sentence of its
    own ("Marie Yovanovitch has a net worth of $17 million."), says it is the claim and
    how it was rated.  Out of the page, either would read as fact."""
    headline = line_key(title)
    lines = [line for line in text.splitlines() if line_key(line) != headline]
    if claim:
        said = CLAIM_LABEL + (f" (rated {verdict})" if verdict else "") + ": "
        lines = [said + line if line_key(line) == line_key(claim) else line for line in lines]
        lines = [line for line in lines if line_key(line) != line_key(CLAIM_LABEL)]  # its label
    if title and "factcheck" not in re.sub(r"[^a-z]", "", title.lower()):
        title = f"Fact check: {title}"
    return title, "\n".join(lines)


def without_site_name(title: str, site: str) -> str:
    """Return ``title`` without the site's name that pages append to it
    ("Best gadgets of 2019 | ZDNet" from ZDNet is "Best gadgets of 2019")."""
    for separator in (" | ", " - ", " – ", " — ", " :: ", " · "):
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and _same_name(tail, site):
            return head.strip()
    return title


def _same_name(a: str, b: str) -> bool:
    return bool(outlet_key(a)) and outlet_key(a) == outlet_key(b)


def decode_html(data: bytes, path: Path) -> str:
    """Return the page's bytes as str, honouring its own charset declaration.

    Order: a byte-order mark, the ``<meta charset>`` (or XML) declaration when the bytes
    really are in that encoding, then ``decode`` (UTF-8, then Windows-1252).  Raises
    ``InputError`` for binary data.
    """
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        declared = _declared_encoding(data[:4096])
        if declared and b"\x00" not in data:
            try:
                return data.decode(declared)
            except UnicodeDecodeError:
                logger.debug("%s: not really %s; guessing the encoding", path, declared)
    return decode(data, path)


def _declared_encoding(head: bytes) -> str | None:
    match = _DECLARED.search(head)
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    if label in READ_AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page saved as UTF-16 without a byte-order mark still says "utf-16"; decode() knows better.
    return None if name.startswith(("utf-16", "utf-32")) else name


def parse_html(text: str, path: Path) -> HtmlElement:
    """Return the lxml tree of an HTML page (str); no network, no DTD, no entities loaded.

    Raises ``InputError`` when the text holds no HTML document.
    """
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        default_doctype=False,
        huge_tree=False,
    )
    # lxml refuses (or trips later over) the control characters XML forbids.
    text = strip_forbidden(_XML_DECLARATION.sub("", text, count=1))
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(path, f"cannot parse the page as HTML ({error_line(exc)})") from exc
    _unwrap_layout_tables(tree)
    _paragraphs_at_breaks(tree)
    _drop_linked_teasers(tree)
    return tree


# A table cell holding paragraphs, or this many words, lays a page out rather than tabulating
# data: e-mail newsletters and older sites set their whole story in one.
LAYOUT_CELL_WORDS = 60
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


def _unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn the tables of ``tree`` that lay the page out into plain blocks (in place), so
    that the extractor reads their stories as paragraphs, not as one row of a table."""
    for table in tree.iter("table"):
        cells = table.xpath(".//td | .//th")
        if any(_lays_out(cell) for cell in cells):
            for part in table.iter(*_TABLE_PARTS):
                part.tag = "div"


# A paragraph in a link, this long at most, is a teaser for the page it links to.
TEASER_WORDS = 80
# A block holding this many words of loose text (its own, outside any child paragraph)
# broken by <br> sets its story as text and line breaks, not paragraphs.
LOOSE_TEXT_WORDS = 20
# The elements that start a new line of a page's text.
_BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
        "section", "article", "header", "footer", "pre", "table", "ul", "ol", "dd", "dt",
        "address", "aside", "center", "dl", "figure", "form", "hr", "nav",
    }
)  # fmt: skip


def _paragraphs_at_breaks(tree: HtmlElement) -> None:
    """Give the loose text of ``tree``'s blocks paragraphs (in place): each run of text
    and inline elements between two <br> (or blocks) becomes a <p>.

    Some sites set a story as one <div> of text with ``<br><br>`` between paragraphs;
    trafilatura then may drop the text before the first break, which is the story's lead.
    """
    for block in list(tree.iter("div")):
        if any(child.tag == "br" for child in block):
            loose = " ".join([block.text or "", *(child.tail or "" for child in block)])
            if len(loose.split()) >= LOOSE_TEXT_WORDS:
                _as_paragraphs(block)


def _as_paragraphs(block: HtmlElement) -> None:
    from lxml.html import Element

    nodes: list[HtmlElement | str] = [block.text or ""]
    for child in list(block):
        nodes += [child, child.tail or ""]
        child.tail = None
        block.remove(child)
    block.text = None
    paragraph: HtmlElement | None = None
    for node in nodes:
        if not isinstance(node, str) and (node.tag in _BLOCKS or not isinstance(node.tag, str)):
            paragraph = None  # a break or a block ends the paragraph
            if node.tag != "br":
                block.append(node)
            continue
        if isinstance(node, str) and not node.strip():
            continue
        if paragraph is None and not isinstance(node, str) and not node.text_content().strip():
            block.append(node)  # an image between paragraphs opens none
            continue
        if paragraph is None:
            paragraph = Element("p")
            block.append(paragraph)
        if not isinstance(node, str):
            paragraph.append(node)
        elif len(paragraph):
            paragraph[-1].tail = (paragraph[-1].tail or "") + node
        else:
            paragraph.text = (paragraph.text or "") + node


def _drop_linked_teasers(tree: HtmlElement) -> None:
    """Remove the links of ``tree`` to another page that wrap one short paragraph (in
    place): a story's text links words, not paragraphs; a paragraph inside a link is a
    teaser for another page (a sidebar's guides, related stories).  Not a named anchor
    left open, which takes in the paragraphs of the story after it."""
    for link in list(tree.iter("a")):
        paragraphs = link.findall(".//p")
        if (
            link.get("href")
            and len(paragraphs) == 1
            and len(link.text_content().split()) <= TEASER_WORDS
            and link.getparent() is not None
        ):
            link.drop_tree()


def _lays_out(cell: HtmlElement) -> bool:
    if cell.find(".//p") is not None or cell.find(".//h1") is not None:
        return True
    return len(cell.text_content().split()) >= LAYOUT_CELL_WORDS


def _extract(tree: HtmlElement, path: Path) -> Document | None:
    import trafilatura

    try:
        found = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=INCLUDE_TABLES,
            include_images=False,
            include_links=False,
            favor_precision=FAVOR_PRECISION,
            favor_recall=FAVOR_RECALL,
            deduplicate=False,
            date_extraction_params={
                "original_date": True,
                "extensive_search": SEARCH_TEXT_FOR_DATE,
                "max_date": dt.date.today().isoformat(),
            },
        )
    # trafilatura and the libraries it calls raise many kinds of errors on hostile pages
    # (RecursionError on deep nesting among them); any of them means this page is unusable.
    except Exception as exc:
        logger.debug("trafilatura failed on %s", path, exc_info=True)
        raise InputError(path, f"cannot extract the page's text ({error_line(exc)})") from exc
    return None if isinstance(found, dict) else found  # a dict only when asked for one


def _not_article(tree: HtmlElement, text: str) -> str:
    """Return why the page is not an article (str), or '' when it is one."""
    words = len(text.split())
    if words < LOGIN_MAX_WORDS and tree.xpath("//input[@type='password' or @type='PASSWORD']"):
        title = " ".join(tree.xpath("//title/text()"))
        if _LOGIN.search(text) or _LOGIN.search(title):
            return "a login page"
    if words < PAYWALL_MAX_WORDS and _PAYWALL.search(_visible_text(tree)):
        return f"a paywall page ({words} words before the subscription prompt)"
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if sum(len(line) for line in lines if not is_prompt(line)) < MIN_PROSE_CHARS:
        return "only page furniture (notices and prompts to the reader, no story)"
    if _declares_article(tree):
        return ""
    if len(lines) >= INDEX_MIN_LINES:
        anchors = {line_key(a.text_content()) for a in tree.iter("a")}
        anchors.discard("")
        linked = sum(len(line.split()) for line in lines if line_key(line) in anchors)
        if linked >= INDEX_LINK_SHARE * words:
            return "an index page (its text is mostly links to other pages)"
    return ""


def _visible_text(tree: HtmlElement) -> str:
    texts: Iterable[str] = tree.xpath(
        "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
    )
    return " ".join(texts)


def _declares_article(tree: HtmlElement) -> bool:
    if _meta(tree, "og:type").lower() == "article":
        return True
    return any(_ARTICLE_TYPES.search(script) for script in _structured_data(tree))


def _structured_data(tree: HtmlElement) -> list[str]:
    """The page's JSON-LD blocks (str), as its scripts hold them."""
    return tree.xpath("//script[@type='application/ld+json']/text()")


def _meta(tree: HtmlElement, name: str) -> str:
    values: Iterable[str] = tree.xpath(
        "//meta[@property=$name or @name=$name]/@content", name=name
    )
    return next((v.strip() for v in values if v.strip()), "")


def _link(tree: HtmlElement, rel: str) -> str:
    values: Iterable[str] = tree.xpath("//link[@rel=$rel]/@href", rel=rel)
    return next((v.strip() for v in values if v.strip().startswith(("http://", "https://"))), "")


def _host(url: str | None) -> str:
    host = urlsplit(url).hostname or "" if url else ""
    return host.removeprefix("www.")


def extract_fragment(html: str) -> str:
    """Return the main text (str) of an HTML message body such as a newsletter's.

    trafilatura's main text when it finds one, else all the visible text.
    """
    try:
        document = _extract(parse_html(html, Path("message.html")), Path("message.html"))
    except InputError:
        document = None
    text = (document.text or "") if document is not None else ""
    return text if len(text.split()) >= MIN_EXTRACTED_WORDS else html_to_text(html)


def html_to_text(fragment: str) -> str:
    """Return the text (str, one block per line) of an HTML fragment such as a feed summary.

    Scripts and styles are dropped; nothing is fetched.
    """
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.fragment_fromstring(
            strip_forbidden(_XML_DECLARATION.sub("", fragment)), create_parent="div", parser=parser
        )
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
