"""Clean article text saved from web pages: keep the story, drop the page furniture.

The cleaner works line by line on text with one paragraph per line (see ``unwrap``) and drops,
in this order: characters XML forbids, repeated lines (a section name or headline printed
twice), the headline itself, photo captions and credits, bylines, wire datelines
("WASHINGTON (AP) _"), comment / sign-up / subscribe / cookie / newsletter prompts and the tail
block they start, and sub-headings (a short line without closing punctuation is a heading,
never a sentence).
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import unicodedata
from collections import Counter

from .dates import MONTH_WORD, WEEKDAY
from .words import SENTENCE_CACHE, stop_words

logger = logging.getLogger(__name__)

# A paragraph longer than this is not prose (a minified blob, a data dump, one endless line).
MAX_PARAGRAPH_CHARS = 100_000
# A line with no closing punctuation and fewer words than this is a heading or a label.
HEADING_MAX_WORDS = 16
# Hard-wrapped text (e-mail, plain-text exports) has no line wider than this, and lines this wide.
HARD_WRAP_MAX_WIDTH = 100
HARD_WRAP_MIN_WIDTH = 50
HARD_WRAP_MIN_LINES = 5

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# A comma typed without its space between two words ("the United States,the NTSB said").
_COMMA_WITHOUT_SPACE = re.compile(r"(?<=[a-z]{2}),(?=[a-z]{2,}\b)", re.IGNORECASE)
#: The marks that set or reverse the direction of text: in a file name shown to a reader,
#: U+202E makes "brief\u202excod.docx" read as "briefdocx.exe".
DIRECTION_MARKS = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_DIRECTION = re.compile(f"[{DIRECTION_MARKS}]")
_CLOSING = tuple(".!?:;\"”’')]…")
# A headline that ends by closing a quotation of words, no stop inside or after it, as
# headlines quote ("Security papers 'found in street'"); a sentence puts its stop there.
_ENDS_QUOTING = re.compile(r"\w[\"”’']+$")

_CAPTION = re.compile(
    r"\((?:photo|picture|image|illustration|credit|file photo|video)\b[^)]*\)\s*$"
    r"|\b(?:photo|photograph|picture|image)s?\s*(?:by|:|credit:?)\s*[A-Z][^.]{0,80}$"
    r"|(?:getty images|reuters|afp|ap photo|epa|shutterstock|alamy|pa media)\s*\)?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|words by|reporting by|written by|additional reporting by)\s+[A-Z][\w.'’-]*"
    r"(?:[ ,]+(?:and\s+)?[A-Z][\w.'’-]*){0,8}(?:\s*[,|–-]\s*[\w ,'’]{0,60})?$",
)
# Phrases that only page furniture uses: prompts, navigation, legal lines.
_PROMPT = re.compile(
    r"^(?:comments?|advertisement|sponsored|related|read more|share|follow us|listen)\b"
    r"|\b(?:sign[ -]?(?:up|in)|signing (?:up|in)|log ?in to|subscribe (?:to|now|for|today)|"
    r"newsletters?|all rights reserved|©|copyright \d{4}|privacy policy|terms of (?:use|service)|"
    r"free to read|continue reading|click here|listen to this article|download (?:our|the) app|"
    r"skip to (?:main )?content|most (?:read|popular)|recommended for you|you may also like|"
    r"unsubscribe|(?:leave|post|add|view|show|read|see) (?:a |all |your |\d+ )?comments?|"
    r"comments? (?:are|is) (?:closed|moderated)|cookie (?:policy|settings|preferences)|"
    r"tell us what you think|delivered (?:to|through) your (?:door|letterbox|inbox)|"
    r"follow (?:him|her|them|us) (?:on|@)|to order (?:presentation-ready )?copies|"
    r"order multiple copies)\b",
    re.IGNORECASE,
)
# Words that are furniture only when the line also talks to the reader.
_WEAK_CUE = re.compile(
    r"\b(?:comments?|cookies?|password|e-?mail address|inbox|subscription|sign)\b", re.IGNORECASE
)
_TO_READER = re.compile(r"\b(?:you|your|yours|our|us|please|thanks|thank you)\b", re.IGNORECASE)
# A consent notice: a paragraph on the site's cookies, told to the reader ("We and our 842
# partners use cookies ... By clicking 'Accept all' you consent"); it runs longer than a
# prompt (PROMPT_MAX_WORDS), up to CONSENT_MAX_WORDS.
_COOKIES = re.compile(r"\bcookies?\b", re.IGNORECASE)
_CONSENT = re.compile(
    r"\b(?:consent|partners|personal data|preferences|privacy|accept|similar technologies|"
    r"personali[sz]e|ads|advertising)\b",
    re.IGNORECASE,
)
_SITE_SPEAKS = re.compile(r"\bwe\b", re.IGNORECASE)
PROMPT_MAX_WORDS = 30
CONSENT_MAX_WORDS = 80
_CREDIT_LINE = re.compile(
    r"^\(?(?:photo|photograph|picture|image|credit|illustration)s?\b[^()]{0,80}\)?$", re.IGNORECASE
)
_DATE_WORDS = re.compile(
    rf"\b(?:{MONTH_WORD}|{WEEKDAY}|today|yesterday|updated|"
    r"published|posted|last|on|at|am|pm|gmt|utc|bst|cet|et|edt|est|pt)\b|\d+|[ap]\.m\.",
    re.IGNORECASE,
)
_HAS_DATE = re.compile(rf"\b{MONTH_WORD}\s|\d{{4}}-\d{{2}}-\d{{2}}|\b(?:updated|published)\b", re.I)
_SIGN_OFF = re.compile(r"(?<=[.!?\"”’])\s+[A-Z]{1,4}$")
# A line of markup alone: a tag, or one element ("<DOCNO> APW19981016.0240 </DOCNO>"), as in
# news-wire archives and corpora.
_MARKUP_LINE = re.compile(r"^<[/!?]?[A-Za-z][^<>]*>(?:[^<>]*</[A-Za-z][^<>]*>)?$")
# A wire dateline opening a paragraph: "WASHINGTON (AP) _ ", "LONDON, Nov 3 (Reuters) - ",
# "(CNN) -- ", "PARIS -- ", "NEW DELHI: ", "(OMAHA, Neb.) _ ".  Without an agency's name,
# only a place in capitals followed by a wire dash or a colon counts, or a place in brackets
# followed by a wire dash, so "US - China talks" keeps its subject.
# "SAN FRANCISCO, Calif.", "FORT-DE-FRANCE, Martinique"
_PLACE = r"[A-Z](?:[A-Z.'’ ]|-(?=[A-Z])){3,30}(?:,\s+[A-Z][\w.' ]{1,25})?"
# A day as a dateline writes it: "November 27, 2026", "Nov. 27", "27 November 2026".
_DAY = (
    rf"(?i:{MONTH_WORD}\s+\d{{1,2}}(?:,\s+\d{{4}})?|\d{{1,2}}\s+{MONTH_WORD}(?:,?\s+\d{{4}})?)"
)
#: The news agencies a wire dateline names, by their lower-cased name, as an article's
#: outlet is written.
WIRE_AGENCIES = {
    "ap": "AP",
    "reuters": "Reuters",
    "afp": "AFP",
    "cnn": "CNN",
    "upi": "UPI",
    "bloomberg": "Bloomberg",
    "dpa": "dpa",
    "xinhua": "Xinhua",
}
_DATELINE = re.compile(
    r"^(?:[^\W\d_][^()\n]{0,50}?)?\(\s*(?P<agency>(?i:"
    + "|".join(WIRE_AGENCIES)
    # "(CNN Business)", "(Reuters Health)", and a wire's "(AP --" missing its bracket.
    + r"))(?:\s+[A-Z][a-z]+)?(?:\s*\)|(?=\s+--\s))"
    # A page may set it apart by markup alone; a wire's "--" may touch the story ("--U.S.").
    r"\s*(?:(?:--|[-–—_:])\s+|--(?=[A-Z\"“])|(?=[A-Z\"“]))"
    rf"|^{_PLACE}(?:\s+(?:--|[–—_])|:)\s+(?=[A-Z\"“‘'`])"
    rf"|^\({_PLACE}\)\s+(?:--|[–—_])\s+(?=[A-Z\"“‘'`])"
    # A place in capitals and any outlet in brackets: "HONOLULU, Hawaii (HawaiiNewsNow) - ".
    rf"|^{_PLACE}\s+\([A-Z][\w.]*\)\s*(?:--|[-–—_:])\s+(?=[A-Z\"“‘'`])"
    # A place and a day: then even a plain hyphen sets it apart ("LONDON, November 27,
    # 2026 - The regulator ...").
    rf"|^{_PLACE},\s+{_DAY}\s+(?:--|[-–—_:])\s+(?=[A-Z\"“‘'`])"
    # A place in capitals naming its region in brackets, a day and the agency:
    # "BEIDAIHE (Hebei), March 5 (Xinhua) -- ".
    rf"|^{_PLACE}\s*\([^()\n]{{1,30}}\),\s+{_DAY}\s+\(\s*(?P<regional>(?i:"
    + "|".join(WIRE_AGENCIES)
    + r"))\s*\)\s*(?:--|[-–—_:])\s*(?=[A-Z\"“])"
)
# How many of an article's first lines may hold its dateline (a headline, a byline and a
# date may come before it).
DATELINE_LINES = 4
# A story's first paragraph may open with its place in ordinary capitals and a dash, as web
# pages print datelines ("Indianapolis – Several thousand teachers ..."); not when a second
# dash follows in the sentence, which makes the first a parenthesis ("Amazon — Jeff
# Bezos's company — said ...").
_FIRST_DATELINE = re.compile(
    r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?:,\s+[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?"
    r"\s+(?:--|[–—])\s+(?=[A-Z\"“])(?![^.!?]*\s(?:--|[–—])\s)"
)


# A wire dateline that names its agency, anywhere in a text ("... with ADHD ANAHEIM,
# California (AP) _ Behavior ..."), where a digest's next story starts.
_AGENCY_DATELINE = re.compile(
    rf"\b{_PLACE}\s+\(\s*(?i:" + "|".join(WIRE_AGENCIES) + r")\s*\)\s*(?:--|[-–—_:])\s+(?=[A-Z\"“])"
)


def find_wire_dateline(text: str) -> re.Match[str] | None:
    """Return the first wire dateline in ``text`` that names its agency ("ANAHEIM,
    California (AP) _ "), wherever it is, or None."""
    return _AGENCY_DATELINE.search(text)


def without_dateline(line: str) -> str:
    """Return ``line`` (a str) without the wire dateline it opens with, if any."""
    return _DATELINE.sub("", line, count=1)


def opening_dateline(line: str) -> str:
    """Return the wire dateline ``line`` (a str) opens with ("LONDON, Nov 27, 2026 (AP) --
    "), or ""."""
    match = _DATELINE.match(line)
    return match.group(0) if match else ""


def dateline_agency(text: str) -> str:
    """Return the news agency (a str of ``WIRE_AGENCIES``, "" for none) that the wire
    dateline heading ``text`` names ("MOSCOW (AP) -- ..."), looking at its first lines."""
    lines = (line.strip() for line in text.splitlines() if line.strip())
    for line in itertools.islice(lines, DATELINE_LINES):
        if (match := _DATELINE.match(line)) and (agency := match["agency"] or match["regional"]):
            return WIRE_AGENCIES[agency.lower()]
    return ""


def without_datelines(lines: list[str], outlet: str = "") -> list[str]:
    """Return the paragraphs ``lines`` (a list of str) of one article without the datelines
    they open with: a wire dateline on any paragraph, a place and a dash on the first (or
    on the second, under a standfirst, a place with its state), and the article's
    ``outlet`` and a dash on the first ("PanARMENIAN.Net - Verified video ...")."""
    kept = [without_dateline(line) for line in lines]
    if kept:
        kept[0] = _FIRST_DATELINE.sub("", kept[0], count=1)
        if outlet.strip():
            opening = rf"^(?i:{re.escape(outlet.strip())})\s*(?:--|[-–—:])\s+(?=[A-Z\"“‘'`])"
            kept[0] = re.sub(opening, "", kept[0], count=1)
    # Under a standfirst, a place with its state ("New York, NY – ") opens the second.
    if len(kept) > 1 and (match := _FIRST_DATELINE.match(kept[1])) and "," in match.group():
        kept[1] = kept[1][match.end() :]
    return kept


def clean_text(text: str, *, title: str | None = None, outlet: str = "") -> str:
    """Return the article body of ``text`` (a str), one paragraph per line, furniture removed.

    ``title`` (the article's headline) is removed from the body wherever it is repeated, and
    ``outlet`` (its outlet's name) from the start of its first paragraph.
    """
    lines = [_normalise_line(line) for line in unwrap(text).split("\n")]
    lines = [line for line in lines if line]
    lines = _drop_overlong(lines)
    lines = _drop_repeats(lines, title)
    lines = _drop_tail_block(drop_extractor_leftovers(lines))
    lines = _drop_captions(lines)
    lines = without_datelines([_SIGN_OFF.sub("", line) for line in lines], outlet)
    kept = [line for line in lines if not _is_furniture(line)]
    logger.debug("cleaning kept %d of %d lines", len(kept), len(lines))
    return "\n".join(kept)


# A wire desk's note in a headline: an editor's code ("(HLW)", "(DW)"), a part number
# ("(2)", "(2-2)") or an instruction ("(FOR RELEASE SUNDAY ...)", "(ATTN: N.H., N.C.)"),
# which the wire's fixed-width headline field may cut before it closes.
_DESK_NOTE = re.compile(
    r"\s*\((?:[A-Z]{2,3}|\d{1,2}(?:-\d{1,2})?"
    r"|(?:FOR RELEASE|FOR IMMEDIATE|ATTN|NOTE|ART ADV|EDS|ADVANCE|EMBARGO|CORRECT|REPEAT)"
    r"[^)]*)(?:\)|$)"
)
# A desk's instruction before a headline: "EDS-more details added Premier Li Peng ...".
_DESK_INSTRUCTION = re.compile(r"^(?:EDS|Eds)\s*[-:]\s*[a-z][a-z ,;]*\s(?=[A-Z])")
# A headline this much in capitals is the wire's shouting ("RUSSIANS MAKE SECOND ATTEMPT").
SHOUTED_SHARE = 0.8


def tidy_title(title: str, body: str) -> str:
    """Return the headline ``title`` (a str) as a brief shows it: spaces collapsed, wire desk
    notes dropped, and a headline in capitals put in sentence case (``sentence_case``); ""
    for a note to the editors in the headline's place ("EDS: ADDS background ...")."""
    title = " ".join(_DESK_NOTE.sub("", " ".join(title.split())).split())
    title = _DESK_INSTRUCTION.sub("", title).rstrip(" /,;:")  # "Latin American Briefs /"
    if is_editors_note(title):
        return ""
    return sentence_case(title, body) if is_shouted(title) and len(title.split()) >= 2 else title


def is_shouted(text: str) -> bool:
    """Whether ``text`` is in capitals: SHOUTED_SHARE of its letters or more."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) >= SHOUTED_SHARE * len(letters)


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A word inside a sentence, where its capital is its own: after a lower-case word or a comma.
_INSIDE = re.compile(r"(?<=[a-z,;] )[^\W\d_][\w'’.-]*")
_POSSESSIVE = re.compile(r"['’]s$|\.$", re.IGNORECASE)
_VOWEL = re.compile(r"[aeiouy]")


def _stem_of(word: str) -> str:
    """The word as ``sentence_case`` looks it up: lower case, without "'s" or a full stop."""
    return _POSSESSIVE.sub("", word).lower()


def sentence_case(title: str, body: str) -> str:
    """Return ``title`` (a str in capitals) in sentence case, each word spelled as the
    article ``body`` spells it inside its sentences ("EgyptAir", "NATO", "Kennedy", "flight")
    or, with a capital inside it, anywhere ("MPs are preparing ...");
    a word the body never writes in lower case keeps its capital; a word the body lacks is
    lower case (most are other forms of its words: "makes", "warns"), unless it reads as an
    acronym (no vowel, or dots or digits: "NBC", "U.S.", "MP3")."""
    inside: dict[str, Counter[str]] = {}
    for word in _INSIDE.findall(body):
        inside.setdefault(_stem_of(word), Counter())[_POSSESSIVE.sub("", word)] += 1
    words = [w for w in _WORD.findall(body) if not w.isupper()]  # capitals say nothing
    anywhere = {_stem_of(w) for w in words}
    in_lower_case = {_stem_of(w) for w in words if w[:1].islower()}
    # A word with a capital inside it ("MPs", "iPhone") is spelled so wherever it stands.
    mixed = {_stem_of(w): _POSSESSIVE.sub("", w) for w in words if any(c.isupper() for c in w[1:])}
    stops = stop_words()

    def spelled(match: re.Match[str]) -> str:
        word = match.group(0)
        stem, ending = _stem_of(word), word[len(_POSSESSIVE.sub("", word)) :].lower()
        if stem in inside:
            return inside[stem].most_common(1)[0][0] + ending
        if stem in mixed:
            return mixed[stem] + ending
        if stem in anywhere:
            capital = stem not in in_lower_case and stem not in stops
            return (stem.capitalize() if capital else stem) + ending
        acronym = not _VOWEL.search(stem) or any(ch == "." or ch.isdigit() for ch in stem)
        return word if acronym and stem not in stops else word.lower()

    recased = _WORD.sub(spelled, title)
    first = next((i for i, ch in enumerate(recased) if ch.isalpha()), 0)
    return recased[:first] + recased[first : first + 1].upper() + recased[first + 1 :]


def strip_forbidden(text: str, replacement: str = " ") -> str:
    """Return ``text`` with the control characters and surrogates that XML forbids replaced
    by ``replacement`` (a space, so words either side stay apart)."""
    return _XML_FORBIDDEN.sub(replacement, text)


def strip_direction_marks(text: str) -> str:
    """Return ``text`` without the marks that set or reverse its direction (DIRECTION_MARKS)."""
    return _DIRECTION.sub("", text)


def unwrap(text: str) -> str:
    """Return ``text`` (a str) with one paragraph per line.

    Blank lines always end a paragraph.  When the text is hard-wrapped (no line wider than
    ``HARD_WRAP_MAX_WIDTH``), a line break is a wrap, not a paragraph end, exactly when the
    next line's first word would not have fitted on the line: that is how wrapping breaks.
    Wire copy marks a paragraph by indenting its first line instead; where hard-wrapped text
    does that, an indent starts a paragraph.  A line of markup alone is a paragraph.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    raw = text.split("\n")
    lines = [line.strip() for line in raw]
    widths = [len(line) for line in lines if line and not _MARKUP_LINE.match(line)]
    width = max(widths, default=0)
    indented = width <= HARD_WRAP_MAX_WIDTH and _indents_paragraphs(raw)
    wrapped = indented or (
        len(widths) >= HARD_WRAP_MIN_LINES and HARD_WRAP_MIN_WIDTH <= width <= HARD_WRAP_MAX_WIDTH
    )
    if not wrapped:
        return "\n".join(line for line in lines if line)
    paragraphs: list[list[str]] = [[]]
    for original, line in zip(raw, lines, strict=True):
        if not line:
            paragraphs.append([])
        elif _MARKUP_LINE.match(line):
            paragraphs += [[line], []]
        elif paragraphs[-1] and _starts_paragraph(original, paragraphs[-1][-1], width, indented):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return "\n".join(" ".join(p) for p in paragraphs if p)


def _starts_paragraph(original: str, previous: str, width: int, indented: bool) -> bool:
    """True when the line ``original`` (as it was, indent kept) begins a new paragraph."""
    if indented:
        return original[:1].isspace()
    return not _was_wrapped(previous, original.strip(), width)


def _indents_paragraphs(lines: list[str]) -> bool:
    """True when paragraphs start with an indent ("   The vote came after ...") and go on
    unindented: then an indent, not the line width, says where a paragraph begins."""
    starts = sum(
        1
        for line, after in itertools.pairwise(lines)
        if line[:1].isspace() and line.strip() and after.strip() and not after[:1].isspace()
    )
    return starts >= 2


def _was_wrapped(line: str, next_line: str, width: int) -> bool:
    next_word = next_line.split(" ", 1)[0]
    return len(line) + 1 + len(next_word) > width - 2 and not _STARTS_ITEM.match(next_line)


# A list item or table cell: "- Moon Rush: Private Lunar Lander Plans", "1. Stir well", and
# the wire's lists, "-- Heisman Trophy, $230,000" and "_ The Senate voted ..."; not a rule
# ("-----").
_LIST_MARK = re.compile(r"^(?:--(?!-)|[-–—•|*>_]\s|\d{1,2}[.)]\s)")
# An entry of a timeline: a time or a day, then a dash ("8:02 a.m. EDT -- Plane lands at
# Newark.", "Nov. 3 - Talks resume."): a line of a list, told in headline English.
_TIMELINE_ENTRY = re.compile(
    rf"^(?:\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?|\d{{1,2}}\s*[ap]\.?m\.?"
    rf"|(?:{WEEKDAY},?\s+)?{MONTH_WORD}\s+\d{{1,2}}|{WEEKDAY})"
    r"(?:\s+[A-Z]{2,4})?,?\s+(?:--|[-–—])\s+(?-i:[A-Z\"“])",
    re.IGNORECASE,
)
# A line of hard-wrapped text that starts an item rather than going on with the paragraph
# above it; an em dash or a quote mark there goes on with it ("a figure disputed / — by her
# opponents").
_STARTS_ITEM = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s")


# A row of a results table told in prose: a team, its record and a colon ("Palm Bay
# (1-0-2): Noah Jackson 1 goal, 1 assist.").
_RESULTS_ENTRY = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}\s\(\d{1,3}(?:-\d{1,3}){1,2}\):\s"
)


def is_results_row(line: str) -> bool:
    """True when ``line`` (a str) opens as a row of a results table does ("Palm Bay (1-0-2):
    Noah Jackson 1 goal, 1 assist. ...")."""
    return bool(_RESULTS_ENTRY.match(line.lstrip()))


def is_list_item(line: str) -> bool:
    """True when ``line`` (a str) opens as an item of a list, a cell of a table, an entry
    of a timeline or a row of results does."""
    line = line.lstrip()
    return bool(_LIST_MARK.match(line) or _TIMELINE_ENTRY.match(line)) or is_results_row(line)


# Two apostrophes that open a quotation: at the start or after a space or bracket, before
# a word ("''All of a sudden I heard a noise,'' she said").
_TYPEWRITER_OPENING = re.compile(r"(?<![\w.,;:!?\u201d])''(?=[\w\u2018])")


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    if "''" in line or "``" in line:  # wire and typewriter quotes: ``like this'', ''or this''
        line = _TYPEWRITER_OPENING.sub("\u201c", line.replace("``", "\u201c"))
        line = line.replace("''", "\u201d")
    line = _ZERO_WIDTH.sub("", strip_forbidden(line))
    line = _COMMA_WITHOUT_SPACE.sub(", ", line)
    return _SPACES.sub(" ", line).strip()


def _drop_overlong(lines: list[str]) -> list[str]:
    kept = [line for line in lines if len(line) <= MAX_PARAGRAPH_CHARS]
    if len(kept) < len(lines):
        logger.debug("dropped %d over-long lines", len(lines) - len(kept))
    return kept


def line_key(line: str) -> str:
    """Return ``line`` as lines are compared for repeats: case folded, punctuation and
    spacing reduced to single spaces ("Budget  agreed!" and "budget agreed" are one)."""
    return re.sub(r"\W+", " ", line.casefold()).strip()


def _drop_repeats(lines: list[str], title: str | None) -> list[str]:
    seen = {line_key(title)} if title else set()
    kept = []
    for line in lines:
        key = line_key(line)
        if key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return kept


# The headline of an extracted page is looked for among its first lines.
HEADLINE_LINES = 4


def below_headline(lines: list[str], title: str) -> list[str]:
    """Return ``lines`` (an extracted page's paragraphs) from the line below the headline
    ``title`` on when the headline is among the first lines and only labels stand above
    it (a kicker such as "Review", a promotion's heading), and without the headline
    wherever it is repeated.  An extractor keeps the headline the page prints."""
    key = line_key(title)
    if not key:
        return lines
    start = 0
    for at, line in enumerate(lines[:HEADLINE_LINES]):
        if line_key(line) == key and all(is_heading(label) for label in lines[:at]):
            start = at + 1
            break
    return [line for line in lines[start:] if line_key(line) != key]


def _drop_tail_block(lines: list[str]) -> list[str]:
    """Drop the comment/sign-up block that closes many saved pages.

    The block starts at the first prompt after which most lines are prompts too and none
    is a paragraph of prose, so a "Read more" link mid-story does not cut the story short.
    """
    start = len(lines) // 2
    for i in range(start, len(lines)):
        if is_prompt(lines[i]):
            rest = lines[i:]
            prompts = sum(1 for line in rest if is_prompt(line))
            prose = any(len(line.split()) > 30 for line in rest)
            if prompts * 2 >= len(rest) and not prose:
                logger.debug("dropped a tail block of %d lines", len(rest))
                return lines[:i]
    return lines


# A list of other stories run into the end of a paragraph, as a page laid out in table
# cells comes out of the extractor: "... a helicopter. Top stories The House voted ...".
_RUN_IN_RELATED = re.compile(
    r"(?<=[.!?\"”’])\s+(?:Top stories|Partner news|Related (?:news|stories|articles|coverage)|"
    r"More (?:news|stories)|Most (?:read|popular)|Latest (?:news|stories)|Trending now|"
    r"Editor'?s picks)\s*[:|]?\s+(?=[A-Z\"“])"
)
# The lines a press release ends with: footnotes, and what the company is ("Ascom is a
# global solutions provider ...", "... is headquartered in Baar", "About Ascom").
_BOILERPLATE = re.compile(
    r"^\[\d{1,2}\]\s"
    r"|^About [A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}:?$"
    r"|^(?:About [A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}:?\s+)?"
    r"[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}(?:,[^,]{1,60},)? (?:is|are) (?:a|an|the) "
    r"(?:[\w-]+ ){0,5}(?:provider|company|firm|group|organi[sz]ation|maker|manufacturer|"
    r"developer|supplier|leader|specialist|operator|network)s?\b"
    r"|\bis headquartered in\b|\bemploys (?:about |around |more than |over |some )?[\d,]+ "
    r"(?:people|staff|employees)\b"
)


def drop_extractor_leftovers(lines: list[str]) -> list[str]:
    """Return ``lines`` (paragraphs) without the furniture a main-text extractor lets
    through too: lists of other stories run into a paragraph, and the footnotes and company
    boilerplate that close a press release."""
    return _drop_boilerplate_tail([_RUN_IN_RELATED.split(line, maxsplit=1)[0] for line in lines])


def _drop_boilerplate_tail(lines: list[str]) -> list[str]:
    """Drop the footnotes and company boilerplate a press release ends with (only at the
    end, so a story that describes a company on the way keeps it)."""
    end = len(lines)
    while end > len(lines) // 2 and _BOILERPLATE.search(lines[end - 1]):
        end -= 1
    if end < len(lines):
        logger.debug("dropped %d lines of closing boilerplate", len(lines) - end)
    return lines[:end]


def _drop_captions(lines: list[str]) -> list[str]:
    """Drop photo credits on a line of their own, with the caption line just above them."""
    kept: list[str] = []
    for line in lines:
        if _CREDIT_LINE.match(line) and len(line.split()) <= 12:
            if kept and len(kept[-1].split()) <= 40:
                kept.pop()
            continue
        kept.append(line)
    return kept


def is_dateline(line: str) -> bool:
    """True for a line that only gives a date or time ("Tuesday 10 November 2026, 9.40 a.m.")."""
    if len(line.split()) > 10 or not _HAS_DATE.search(line):
        return False
    return not re.sub(r"[\W_]+", "", _DATE_WORDS.sub("", line))


def is_prompt(line: str) -> bool:
    """True for a line addressed to the site's reader: a prompt, a notice, navigation."""
    words = len(line.split())
    if words > CONSENT_MAX_WORDS or _is_quoted_speech(line):
        return False
    if _is_consent_notice(line):
        return True
    if words > PROMPT_MAX_WORDS:
        return False
    return bool(_PROMPT.search(line)) or bool(_WEAK_CUE.search(line) and _TO_READER.search(line))


def _is_consent_notice(line: str) -> bool:
    return bool(
        _COOKIES.search(line)
        and _CONSENT.search(line)
        and (_TO_READER.search(line) or _SITE_SPEAKS.search(line))
    )


# A bullet is a sentence that ends as one: a line that does not is a heading, a caption or
# a link ("16-inch MacBook Pro Now Available", "Related: The 15 Weirdest Galaxies").
_SENTENCE_END = tuple(".!\"”’')…")


# A word glued to the next where a link box was pasted into the sentence: "Gov. Kristi
# NoemKristi Lynn NoemSouth Dakota governor doubles down ... MORE".
_GLUED = re.compile(r"\b[A-Za-z]*[a-z]([A-Z][a-z]+)\b")


def _has_pasted_link(text: str) -> bool:
    """True when a word is glued to a capitalised word the sentence already used before it
    (so "iPhone" or "McDonald" are not pastes: nothing before them repeats)."""
    return any(m.group(1) in text[: m.start()].split() for m in _GLUED.finditer(text))


@functools.lru_cache(maxsize=SENTENCE_CACHE)
def is_prose(sentence: str) -> bool:
    """True when ``sentence`` (a str) reads as article prose a bullet can show: it ends as a
    sentence does, is no list item or table cell, holds no pasted link box, is not
    addressed to the site's reader and is not an aside in brackets."""
    text = sentence.strip()
    return (
        text.endswith(_SENTENCE_END)
        and not is_list_item(text)
        and not _has_pasted_link(text)
        and not is_prompt(text)
        and not _is_aside(text)
        and not _is_stat_line(text)
        and not _cut_inside_quote(text)
    )


# A sentence that ends a word or two into a quotation it opens ('... a writer using the
# nickname BetterJedi wrote: "Wow!') was cut inside it: the quotation goes on after it.
# ('The mayor said: "We are devastated.' is a whole first sentence of one.)  Curly quotes
# only: which straight mark opens and which closes, the text does not say.
CUT_QUOTE_WORDS = 3


def _cut_inside_quote(text: str) -> bool:
    opened = text.rfind("\u201c")
    return (
        opened >= 0
        and "\u201d" not in text[opened:]
        and len(text[opened + 1 :].split()) < CUT_QUOTE_WORDS
    )


# A box score's or a table's line: a short label in capitals, a colon and figures
# ("Astronaut (NR): Jaden Siemans 7 saves.", "Turnout: 64 per cent."), not "He said: ...".
_STAT_LINE = re.compile(r"^(?:[A-Z(][^\s:]*\s+){0,3}[A-Z(][^\s:]*:\s+(?=.*\d)")
STAT_LINE_WORDS = 10


#: How a fact check's reviewed claim opens (``formats.html``): a label, not a table's line.
CLAIM_LABEL = "Claim"


def _is_stat_line(text: str) -> bool:
    short = len(text.split()) < STAT_LINE_WORDS and not text.startswith(CLAIM_LABEL + " ")
    return short and bool(_STAT_LINE.match(text))


def _is_aside(text: str) -> bool:
    """True when the whole of ``text`` is in brackets: a remark the writer set aside ("(We
    never did settle on one.)"), a credit or a "(More)"."""
    if not text.startswith("("):
        return False
    depth = 0
    for position, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:  # where the opening bracket closes: only a full stop may follow
                return not text[position + 1 :].strip(" .")
    return False


# A note from the wire's desk to its editors ("EDS: ADDS background, details on bill"),
# or a page's to its readers ("Editor's note: This story has been updated").
_EDITORS_NOTE = re.compile(
    r"^(?:EDS|Eds|EDITORS|Editors|ATTN EDITORS|NOTE TO EDITORS|EDITOR['’]S NOTE|"
    r"Editor['’]s [Nn]ote)\s*:"
)


def is_editors_note(line: str) -> bool:
    """True for a line that is a note to the editors or readers, not the article."""
    return bool(_EDITORS_NOTE.match(line.lstrip()))


def _is_furniture(line: str) -> bool:
    words = line.split()
    if is_editors_note(line):
        return True
    if _CAPTION.search(line):
        return True
    if len(words) <= 14 and _BYLINE.match(line):
        return True
    if is_prompt(line) or is_dateline(line) or _MARKUP_LINE.match(line):
        return True
    return is_heading(line)


def _is_quoted_speech(line: str) -> bool:
    return bool(re.search(r"[\"“”]", line)) and bool(re.search(r"\bsaid\b|\bsays\b", line))


# A headline may end on an abbreviation's stop ("West Nile-Like Virus Found in N.J."), which
# a sentence does too ("... held in the U.S."): the headline is in title case.
_ENDS_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Corp|Co|Ltd|Jr|Sr)\.)$")


def _is_title_case(line: str) -> bool:
    """Whether every word of four letters or more in ``line`` starts with a capital."""
    words = [word for word in line.split() if len(word) >= 4 and word[0].isalpha()]
    return bool(words) and all(word[0].isupper() for word in words)


def is_heading(line: str) -> bool:
    """Return True when ``line`` (a str) is a heading or label rather than a sentence."""
    stripped = line.rstrip()
    if not stripped:
        return True
    if (
        stripped.endswith(_CLOSING)
        and not stripped.endswith(":")
        and not _ENDS_QUOTING.search(stripped)
        and not (_ENDS_ABBREVIATION.search(stripped) and _is_title_case(stripped))
    ):
        return False
    return len(stripped.split()) < HEADING_MAX_WORDS or stripped.endswith(":")
