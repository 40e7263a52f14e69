"""Headlines for articles whose file has none: a short line from the lead, never a file name.

A text file saved without its headline, a wire story or an e-mail without a subject still
needs a line a reader can scan in the executive summary, the e-mail's subject and Sources.
The lead says what happened; its main clause, cut at a word boundary, is that line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .dates import MONTH_WORD, WEEKDAY, WEEKDAY_NAMES
from .models import Article
from .split import split_sentences
from .words import INTRODUCERS, content_stems, plain_words

__all__ = ["MAX_HEADLINE_WORDS", "headline_of", "lead_headline", "story_headline"]

#: A headline made from a lead keeps at most this many words.
MAX_HEADLINE_WORDS = 14
# Where the main clause of a lead ends: a comma, a dash or a semicolon after its subject and
# verb ("Hurricane Mitch killed 9,000 people in Honduras, officials said ...").
_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\s[—–]\s|\s--?\s|\s_\s")
# A clause break this early ("On Monday, ...") is an opening phrase, not the end of the clause.
_MIN_CLAUSE_WORDS = 5
# A relative clause set off by commas after the subject ("Hugo Chavez, who staged a coup six
# years ago, was elected ..."): the main verb comes after it.
_RELATIVE = re.compile(r"^([^,]{3,60}),\s+(?:who|which|whose)\b[^,]*,\s*", re.IGNORECASE)
# A day a lead names after its verb or subject ("reached 17,997 on Tuesday", "the quake on
# August 17"), not one a noun owns ("Tuesday's vote").
_DAY_PHRASE = re.compile(
    rf"\s+(?:(?:early|late)\s+)?on\s+(?:(?:{WEEKDAY})|{MONTH_WORD}\s+\d{{1,2}})"
    r"(?:\s+(?:morning|afternoon|evening|night))?(?![\w'’])(?!\s*['’]s)",
    re.IGNORECASE,
)
# A long clause is cut before one of these words, so the headline ends on a whole phrase
# or before a relative clause; before "of", which continues the noun before it
# ("apologized to the parents" of whom?), only when no other leaves OF_CUT_WORDS words or
# more; never after a word that needs the next (``_DANGLING``: "in order | to").
OF_CUT_WORDS = 8
_PHRASE_START = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "for",
        "after",
        "as",
        "who",
        "which",
        "whose",
        "where",
        "to",
        "that",
        "with",
        "by",
        "from",
        "and",
        "but",
        "while",
        "amid",
        "since",
        "before",
        "under",
        "over",
        "against",
        "during",
        "despite",
        "without",
        "into",
        "through",
        "across",
        "following",
    ]
)
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVES = frozenset({"his", "her", "its", "their", "our"})
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
# A clause's subject may open with one of these (or with a capital).
_SUBJECT_START = _ARTICLES | _POSSESSIVES | _SUBJECT_PRONOUNS | {"this", "these", "those"}
# Words a headline cannot end on: they need the next ("has become the", "would", "due"),
# and "in order" does.  Not "may", a month too, nor "I", a numeral ("World War I").
_DANGLING = (
    _PHRASE_START
    | _ARTICLES
    | _POSSESSIVES
    | (_SUBJECT_PRONOUNS - {"it", "i", "you"})
    | {"than", "due", "according", "about", "these", "those"}
    | {"will", "would", "can", "could", "should", "might", "must"}
)
_NAMED_NOW = ("today", "yesterday", "tonight")
# A lead that opens on who said it ("National Transportation Safety Board Chairman Jim Hall
# said Friday that ..."): cut to its main clause, only the attribution would be left.
_ATTRIBUTION = re.compile(
    rf"^(?P<who>[^,;:]+?)\s(?:has |have )?(?:said|says|announced|told reporters)(?:\s+here)?"
    rf"(?:\s+(?:on\s+)?(?:{WEEKDAY}|{'|'.join(_NAMED_NOW)}))?(?:\s+that,?)?\s+(?P<what>.+)$",
    re.IGNORECASE,
)
# A day left at a headline's end ("The Knesset's finance committee agreed Wednesday").
_TRAILING_DAYS = frozenset({*WEEKDAY_NAMES, *_NAMED_NOW})
_PRONOUN = _SUBJECT_PRONOUNS | (_POSSESSIVES - {"our"})
_TRAILING = " ,;:.-—–_\"'“”‘’"


def lead_headline(text: str) -> str:
    """Return a headline (a str, "" for no text) made from the first sentence of ``text``:
    its main clause, at most MAX_HEADLINE_WORDS words, cut at a word boundary; what was
    said when the clause would be only who said it."""
    paragraph = next((line for line in text.splitlines() if line.strip()), "")
    sentences = split_sentences(paragraph)
    if not sentences:
        return ""
    lead = _main_clause_first(" ".join(sentences[0].split()), text)
    headline = _cut(lead)
    said = _ATTRIBUTION.match(lead)
    attribution_only = said and (
        len(said["who"].split()) < len(headline.split()) <= len(lead[: said.start("what")].split())
    )
    if said and attribution_only:
        what = _main_clause_first(said["what"][:1].upper() + said["what"][1:], text)
        if len(what.split()) >= _MIN_CLAUSE_WORDS and plain_words(what)[0] not in _PRONOUN:
            return _cut(what)
    return headline


def _cut(lead: str) -> str:
    """The headline of a sentence ``lead`` opening on its main clause: that clause without
    the days it names ("on Tuesday", "on August 17": headlines leave them to the date line),
    at most MAX_HEADLINE_WORDS words, cut before a phrase or an unclosed quotation."""
    lead = _RELATIVE.sub(r"\1 ", lead, count=1)
    lead = _DAY_PHRASE.sub("", lead)
    for m in _CLAUSE_BREAK.finditer(lead):
        if len(lead[: m.start()].split()) >= _MIN_CLAUSE_WORDS:
            lead = lead[: m.start()]
            break
    words = lead.split()
    if len(words) > MAX_HEADLINE_WORDS:
        ends = [
            i
            for i in range(_MIN_CLAUSE_WORDS, MAX_HEADLINE_WORDS + 1)
            if words[i].lower() in _PHRASE_START and not _dangles(words[:i])
        ]
        whole = [i for i in ends if i >= OF_CUT_WORDS and words[i].lower() != "of"]
        words = words[: (whole or ends or [MAX_HEADLINE_WORDS])[-1]]
    words = _before_open_quote(_before_open_bracket(words))
    while len(words) > _MIN_CLAUSE_WORDS and words[-1].lower().rstrip(",.") in _TRAILING_DAYS:
        words.pop()  # "... agreed Wednesday": the date line gives the day
    while len(words) > _MIN_CLAUSE_WORDS and _dangles(words):
        words.pop()  # "... has become the" ends on a word that needs the next
    headline = " ".join(words).rstrip(_TRAILING)
    if headline.count("\u201c") > headline.count("\u201d"):
        headline += "\u201d"  # the quotation it ends with closes, as in the lead
    return headline


def _dangles(words: list[str]) -> bool:
    """Whether ``words`` end on a word that needs the next ("... lower than expected due")."""
    last = words[-1].lower()
    return last in _DANGLING or (last == "order" and len(words) > 1 and words[-2].lower() == "in")


def _before_open_bracket(words: list[str]) -> list[str]:
    """``words`` cut before a bracket they open but do not close ('... 2.4 million (or 3
    percent'), when enough of the clause is left."""
    text = " ".join(words)
    opening = [i for i, w in enumerate(words) if "(" in w]
    if text.count("(") <= text.count(")") or opening[-1] < _MIN_CLAUSE_WORDS:
        return words
    return words[: opening[-1]]


def _before_open_quote(words: list[str]) -> list[str]:
    """``words`` cut before a quotation they open but do not close ('... the Concorde as
    "a kick in the back'), when enough of the clause is left."""
    text = " ".join(words)
    unclosed = text.count("\u201c") > text.count("\u201d") or text.count('"') % 2
    opening = [i for i, w in enumerate(words) if w.lstrip("([").startswith(("\u201c", '"'))]
    if not unclosed or not opening or opening[-1] < _MIN_CLAUSE_WORDS:
        return words  # a 6" pipe opens nothing
    return words[: opening[-1]]


def _opens_a_phrase(lead: str, text: str) -> bool:
    """Whether ``lead`` (the first sentence of ``text``) opens with an introductory phrase
    ended by its first comma: a word such as "On" or "After", or a participle ("Citing a
    strong job market, President Clinton said ..."), whose phrase a subject follows.

    Not a name ending in -ing, which ``text`` capitalises within a sentence ("in Beijing")
    or a capitalised word follows ("Irving Powless"); not an adjective ("Migrating birds
    may have ..., where ...") nor a list ("... over Europe, Africa, Asia, ..."), where no
    clause follows the comma."""
    words = plain_words(lead)
    if not words or words[0] in INTRODUCERS:
        return bool(words)
    first, *following = lead.split()
    participle = first.isalpha() and len(first) >= 6 and first.endswith("ing")
    if not participle or first.endswith("thing") or not following:
        return False
    clause = lead.partition(", ")[2].split(",")[0].split()
    name = re.compile(rf"[\w,] {re.escape(first)}\b")
    return (
        following[0][:1].islower()
        and len(clause) >= 3
        and (clause[0][:1].isupper() or clause[0] in _SUBJECT_START)
        and not name.search(text)
    )


def _main_clause_first(lead: str, text: str) -> str:
    """``lead`` (the first sentence of ``text``) from its main clause on, when it opens with
    an introductory phrase ("On the fifth day of the search, divers found ..." -> "Divers
    found ...")."""
    comma = lead.find(", ")
    if comma < 0 or not _opens_a_phrase(lead, text):
        return lead
    rest = lead[comma + 2 :]
    if len(rest.split()) < _MIN_CLAUSE_WORDS:
        return lead
    return rest[:1].upper() + rest[1:]


def headline_of(article: Article) -> str:
    """Return the headline (a str) to show for ``article``: its title, else its lead's."""
    return article.title or lead_headline(article.text)


def story_headline(articles: Sequence[Article]) -> str:
    """Return a story's headline (a str): of the titles its articles have, the one sharing
    the most words with the others; when none has a title, the headline of the lead that
    shares the most words with the other leads.  Ties go to the earlier article."""
    titled = [a for a in articles if a.title]
    lines = [a.title for a in titled] or [lead_headline(a.text) for a in articles]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    stems = [frozenset(content_stems(line)) for line in lines]
    best = max(
        range(len(lines)),
        key=lambda i: (sum(len(stems[i] & t) for j, t in enumerate(stems) if j != i), -i),
    )
    return lines[best]
