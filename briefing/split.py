"""Split article text into sentences, offline, with nltk's Punkt and parameters we ship.

The Punkt parameters (abbreviations, collocations, sentence starters and a pruned
orthographic context) live in ``briefing/data/punkt_english.json``; ``scripts/train_punkt.py``
learns them from news text and merges in the project's curated abbreviations.  nltk's data
downloader is never used.  A few rules around Punkt handle what it does not model: list
items, bullets, ellipses and sentence-final quotes and brackets.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from .clean import is_results_row
from .nltk_import import import_nltk
from .words import opens_inside_quote, stop_words

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktToken

logger = logging.getLogger(__name__)

PARAMETERS_FILE = "punkt_english.json"

# A private-use character stands in for periods Punkt must not see (inside ellipses and list
# markers).  Masking keeps the text's length, so Punkt's spans index the original text.
_MASK = "\ue000"

# Runs of spaced dots: ". . ." (an ellipsis) or ". . . ." (an ellipsis plus a full stop).
_SPACED_DOTS = re.compile(r"\.(?: \.){2,}")

_BULLETS = "•⁃▪‣◦"
# A list marker: an optional bullet, then "1.", "1)", "1.)", "a." or "a)"; or a bare bullet.
_LIST_MARKER = re.compile(
    rf"(?<!\S)(?:(?P<bullet>[{_BULLETS}]) ?)?"
    r"(?:(?P<number>\d{1,3})|(?P<letter>[a-z]))(?P<style>\.\)|\)|\.)(?= )"
    rf"|(?<!\S)(?P<bare>[{_BULLETS}])(?= ?\w)"
)
_CAMEL_CASE = re.compile(r"[a-z]+[A-Z]")  # "iPod", "eBay": a lower-case start of a sentence


@functools.cache
def punkt_parameters() -> PunktParameters:
    """Return the shipped PunktParameters, read once from briefing/data."""
    raw = resources.files("briefing.data").joinpath(PARAMETERS_FILE).read_text(encoding="utf-8")
    return parameters_from_json(json.loads(raw))


def parameters_from_json(data: dict) -> PunktParameters:
    """Return PunktParameters built from the dict that scripts/train_punkt.py writes."""
    params: PunktParameters = import_nltk("nltk.tokenize.punkt").PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {(a, b) for a, b in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for typ, flags in data["ortho_context"].items():
        params.ortho_context[typ] = flags
    logger.debug(
        "loaded Punkt parameters: %d abbreviations, %d ortho-context types",
        len(params.abbrev_types),
        len(params.ortho_context),
    )
    return params


def news_sentence_tokenizer(params: PunktParameters) -> PunktSentenceTokenizer:
    """Return Punkt on ``params``, except that an all-capital word is an acronym, never an
    abbreviation.

    Abbreviation types are case-blind, so "MS." (multiple sclerosis) would pass for "Ms."
    and "patients with MS. Final approval ..." would stay one sentence.
    """
    tokenizer: PunktSentenceTokenizer = _news_tokenizer_type()(params)
    return tokenizer


@functools.cache
def _news_tokenizer_type() -> type[PunktSentenceTokenizer]:
    """The class of :func:`news_sentence_tokenizer`, built on first use: nltk loads then."""
    punkt = import_nltk("nltk.tokenize.punkt")

    class NewsSentenceTokenizer(punkt.PunktSentenceTokenizer):  # type: ignore[name-defined]
        def _first_pass_annotation(self, aug_tok: PunktToken) -> None:
            super()._first_pass_annotation(aug_tok)
            word = aug_tok.tok[:-1]
            if aug_tok.abbr and len(word) > 1 and word.isalpha() and word.isupper():
                aug_tok.abbr = False
                aug_tok.sentbreak = True

    NewsSentenceTokenizer.__qualname__ = "NewsSentenceTokenizer"  # pickled by this name
    return NewsSentenceTokenizer


def __getattr__(name: str) -> Any:
    if name == "NewsSentenceTokenizer":  # built when first asked for, with nltk
        return _news_tokenizer_type()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Return the Punkt sentence tokenizer built on the shipped parameters (cached)."""
    return news_sentence_tokenizer(punkt_parameters())


def split_sentences(text: str) -> list[str]:
    """The sentences of text, in order, stripped. A sentence never spans a line break:
    each line of text is a paragraph (callers unwrap hard-wrapped text first).
    Blank lines skipped."""
    sentences: list[str] = []
    for line in text.splitlines():
        paragraph = line.strip()
        if paragraph:
            sentences.extend(split_paragraph(paragraph))
    return sentences


def split_paragraph(
    paragraph: str, *, tokenizer: PunktSentenceTokenizer | None = None
) -> list[str]:
    """Return the sentences (list of str) of one paragraph (str without line breaks).

    tokenizer defaults to the shipped one; benchmarks pass one built on other parameters.
    Text that is already tokenized, with its full stops standing alone (``it was n't .
    the next``, as in the CNN/DailyMail corpus), is split at those tokens instead: Punkt's
    case cues are useless on such (often lower-cased) text.  A row of a results table
    ("Viera (4-0): K. Hupfer 1 goal. L. Patikas 1 goal.") is one unit, not sentences.
    """
    if is_results_row(paragraph):
        return [paragraph]
    if len(_TOKEN_STOP.findall(paragraph)) >= TOKENIZED_MIN_STOPS:
        return [s for s in (p.strip() for p in _TOKEN_STOP.split(paragraph)) if s]
    masked = list(paragraph)
    _mask_spaced_dots(paragraph, masked)
    forced = _list_item_starts(paragraph, masked) | _run_together_starts(paragraph)
    tokenizer = tokenizer or sentence_tokenizer()
    spans = list(tokenizer.span_tokenize("".join(masked)))
    spans = _force_breaks(spans, forced)
    spans = _merge_spans(paragraph, spans, forced)
    sentences = (paragraph[start:end].strip() for start, end in spans)
    return [sentence for sentence in sentences if sentence]


# A full stop, question or exclamation mark standing alone between spaces ends a sentence of
# pre-tokenized text; a spaced ellipsis (". . .") does not.
_TOKEN_STOP = re.compile(r"(?<=[\w)\]\"'%] [.?!])\s+(?!\.(?:\s|$))")
TOKENIZED_MIN_STOPS = 2


def _mask_spaced_dots(text: str, masked: list[str]) -> None:
    """Mask in place (masked: list of str) the dots of spaced ellipses in text (str).

    Only a full stop that closes a sentence stays visible: the first dot of ". . . ." right
    after a word ("compounds. . . . The"), or the last one of a free-standing ". . . .".
    """
    for match in _SPACED_DOTS.finditer(text):
        start, end = match.span()
        dots = list(range(start, end, 2))
        if len(dots) >= 4:
            attached = start > 0 and not text[start - 1].isspace()
            dots = dots[1:] if attached else dots[:-1]
        for i in dots:
            masked[i] = _MASK


def _list_item_starts(text: str, masked: list[str]) -> set[int]:
    """Return where list items start in text (set of int), masking their markers' periods.

    A paragraph is a list when it opens with a marker ("1.", "a)", "• 9.", "•") and the
    markers that follow run in sequence (1, 2, 3 or a, b, c) in the same style; each item
    then starts a sentence.  Bare bullets always start an item.
    """
    first = _LIST_MARKER.match(text)
    if first is None:
        return set()
    if first.group("bare"):
        return {m.start() for m in _LIST_MARKER.finditer(text) if m.group("bare")}
    kind = _marker_key(first)
    starts: list[int] = []
    expected = _marker_value(first)
    for match in _LIST_MARKER.finditer(text):
        if match.group("bare") or _marker_key(match) != kind or _marker_value(match) != expected:
            continue
        starts.append(match.start())
        expected += 1
        for i in range(match.start(), match.end()):
            if text[i] == ".":
                masked[i] = _MASK
    return set(starts) if len(starts) >= 2 else set()


def _marker_key(match: re.Match[str]) -> tuple[bool, bool, str]:
    """Return a list marker's style (tuple): bulleted, numbered, and its punctuation."""
    return bool(match.group("bullet")), match.group("number") is not None, match.group("style")


def _marker_value(match: re.Match[str]) -> int:
    """Return a list marker's position (int): its number, or its letter's rank (a = 1)."""
    number = match.group("number")
    return int(number) if number is not None else ord(match.group("letter")) - ord("a") + 1


# A sentence run into the one before it with no space ("reported on Wednesday.The
# stabbing"), as a page that breaks its lines with empty elements leaves its text: a word
# of two lower-case letters or more, its full stop (and a closing curly quote: a straight
# one may open the next sentence), then a capitalised word and a space.  "U.S.The",
# "St.Louis", "Jane.Doe@example.com", "One.Tel, which" and "Zafi.D virus" are not cut.
_RUN_TOGETHER = re.compile(
    r"(?:(?<=[a-z]{2}[.!?])|(?<=[a-z]{2}[.!?]\u201d))(?=[A-Z][a-z]+\s)"
)
_LAST_WORD = re.compile(r"(\w+)[.!?]\u201d?$")


def _run_together_starts(text: str) -> set[int]:
    """Return where sentences run together with no space start in ``text`` (set of int),
    except after an abbreviation Punkt knows ("Gov.Smith")."""
    abbreviations = punkt_parameters().abbrev_types
    starts = set()
    for match in _RUN_TOGETHER.finditer(text):
        word = _LAST_WORD.search(text, 0, match.start())
        if word is None or word.group(1).lower() not in abbreviations:
            starts.add(match.start())
    return starts


def _force_breaks(spans: list[tuple[int, int]], starts: set[int]) -> list[tuple[int, int]]:
    """Return spans (list of (start, end)) also cut at each forced start offset (set of int)."""
    if not starts:
        return spans
    result: list[tuple[int, int]] = []
    for start, end in spans:
        cuts = sorted(s for s in starts if start < s < end)
        bounds = [start, *cuts, end]
        result.extend(itertools.pairwise(bounds))
    return result


def _merge_spans(
    text: str, spans: list[tuple[int, int]], forced: set[int]
) -> list[tuple[int, int]]:
    """Return spans (list of (start, end)) with false breaks in text (str) undone.

    Punkt breaks after every period that does not end a known abbreviation, whatever follows;
    a piece that starts in lower case ('"Great." she said', "Yahoo! in", "(... engineer.) at")
    or holds no letter or digit (a trailing ellipsis) continues the sentence before it.
    Breaks at list items (forced: set of start offsets) are kept.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        before = text[merged[-1][0] : merged[-1][1]] if merged else ""
        piece = text[start:end]
        if merged and start not in forced and (
            _continues_sentence(piece)
            or _after_initials(before, piece)
            or _inside_short_quote(before, piece)
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# Initials run together ("J.R.", "A.B.") before a surname: not a sentence end, unless they
# are a country's ("U.S.") or the next word is one that opens sentences.
_INITIALS_END = re.compile(r"(?:^|[\s(])((?:[A-Z]\.){2,3})$")
_COUNTRY_INITIALS = frozenset({"US", "UK", "UN", "EU", "USA", "UAE", "USSR", "PRC", "DC"})
_OPENERS = frozenset(
    {
        "the", "a", "an", "it", "he", "she", "they", "we", "i", "you", "this", "that", "these",
        "those", "but", "and", "or", "so", "in", "on", "at", "as", "for", "if", "when", "while",
        "after", "before", "there", "here", "its", "his", "her", "their", "our", "my", "mr", "mrs",
        "ms", "dr", "no", "yes", "what", "who", "why", "how",
    }
)  # fmt: skip


# A first name and a middle initial ("George W."): Punkt cuts after it when the surname
# ("Bush") often opens a sentence.  The name opens the text or follows a word that is no
# stop word ("Gov. George W.", "front-runner George W.", "the chairman, James E."), not
# "in Terminal B." or "on Plan B."; and "I" is a numeral or a pronoun ("World War I.").
_MIDDLE_INITIAL = re.compile(r"(?:^|(?:^|\s)(?P<before>[\w.'’-]+,?)\s)[A-Z][a-z]+\s[A-HJ-Z]\.$")


def _middle_initial(text: str) -> bool:
    m = _MIDDLE_INITIAL.search(text)
    return m is not None and (m["before"] or "").rstrip(",").casefold() not in stop_words()


def _after_initials(before: str, piece: str) -> bool:
    """Return whether ``piece`` is a surname's sentence that Punkt cut off after initials
    ("Local MP J.R. | Hale welcomed ...", "Gov. George W. | Bush said ...")."""
    end = before.rstrip()
    m = _INITIALS_END.search(end)
    if m is None and not _middle_initial(end):
        return False
    if m is not None and m.group(1).replace(".", "") in _COUNTRY_INITIALS:
        return False
    first = piece.strip().split(" ", 1)[0]
    return first[:1].isupper() and first.strip("\"'“‘(").casefold() not in _OPENERS


# A piece this short that opens a quotation it does not close is no sentence of its own.
QUOTE_FRAGMENT_WORDS = 6


def _inside_short_quote(before: str, piece: str) -> bool:
    """Return whether Punkt cut a quotation after a fragment that opens it: the slogan of
    'South Dakota's viral "Meth. We're on it." campaign', "He said: “No. Never.”"."""
    return (
        len(before.split()) < QUOTE_FRAGMENT_WORDS
        and before.count("“") > before.count("”")
        and opens_inside_quote(piece)
    )


def _continues_sentence(piece: str) -> bool:
    """Return whether a piece (str) Punkt split off belongs to the sentence before it."""
    piece = piece.strip()
    if not any(ch.isalnum() for ch in piece):
        return True
    return piece[0].islower() and not _CAMEL_CASE.match(piece)
