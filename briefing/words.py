"""Words shared by the stages: a regex tokenizer, the plain form the classifier and the date
reader match their patterns against (``normalise``), English stop words, a cached stemmer,
and the word-level tests built on them: whether a text is English (``looks_english``, by py3langid's
identifier, whose model ships in its package), which
figures a sentence states (``figures_of``) and whether it leans on the sentence before it
(``leans_on_previous``).

Nothing here needs downloaded NLTK data: the tokenizer is a regular expression, the stop
words are the list bundled with sumy, and the stemmer is Snowball's own English (Porter 2)
stemmer, through PyStemmer.
"""

from __future__ import annotations

import logging
import pkgutil
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from Stemmer import Stemmer

logger = logging.getLogger(__name__)

# A word is a run of letters or digits, possibly joined by an apostrophe, a dot or a hyphen
# ("don't", "u.s", "3.5", "well-known"); punctuation on its own is never a word.
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


_PLAIN_WORD = re.compile(r"[^\W_]+")


def plain_words(text: str) -> list[str]:
    """Return the case-folded runs of letters and digits of ``text`` (a list of str): the
    words that identify a text whatever its punctuation."""
    return _PLAIN_WORD.findall(text.casefold())


def tokenize_words(text: str) -> list[str]:
    """Return the words of ``text`` (a str) in order, case kept, as a list of str."""
    return _WORD.findall(text)


def normalise(sentence: str) -> str:
    """Return ``sentence`` (a str) lower-cased, with typographic apostrophes made plain and
    runs of white space made one space, as a str."""
    return " ".join(sentence.lower().replace("’", "'").replace("‘", "'").split())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Return sumy's bundled English stop words, lower-cased, as a frozenset of str.

    The file is read and parsed here: ``sumy.utils`` imports requests and pycountry, and
    ``get_stop_words`` loads pycountry's language database, which costs more than the words.
    """
    data = pkgutil.get_data("sumy", "data/stopwords/english.txt") or b""
    return frozenset(line.strip() for line in data.decode("utf-8").splitlines() if line.strip())


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer:
    import Stemmer

    return Stemmer.Stemmer("english")


# Stem of every lower-cased word seen so far; a plain dict is the fastest cache for the
# hundreds of thousands of look-ups a batch of articles makes.
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Return the Snowball stem (a str) of a lower-cased ``word`` (a str); cached."""
    cached = _STEMS.get(word)
    if cached is None:
        cached = _STEMS[word] = _stemmer().stemWord(word)
    return cached


def _content_stem(word: str) -> str:
    """Return the stem of lower-cased ``word``, or "" when it is a stop word."""
    return "" if word in stop_words() else stem(word)


def content_stems(text: str) -> list[str]:
    """Return the stems (list of str) of the words of ``text`` that are not stop words."""
    return stems_of_words(tokenize_words(text.lower()))


def stems_of_words(words: list[str]) -> list[str]:
    """Return the stems (list of str) of lower-cased ``words`` (list of str), stop words out."""
    get = _STEMS.get
    out = []
    for w in words:
        s = get(w)
        if s is None:
            s = _content_stem(w)
        if s:
            out.append(s)
    return out


# Too few words to tell: such a text is taken as English.
LANGUAGE_MIN_WORDS = 30
#: A text is taken for another language only when the identifier is at least this sure,
#: or takes it for another language and under FOREIGN_STOP_SHARE of its words are English
#: stop words: an Indonesian page the identifier is 0.82 sure of has 0.014; the English
#: pages of ../shared have 0.077 and more (a table of results), and are taken for English.
FOREIGN_CONFIDENCE = 0.9
FOREIGN_STOP_SHARE = 0.05
# The identifier reads this much of a text: the language does not change further down (on
# the 841 shared news pages and wire articles, 1,000 characters decide as 3,000 do).
LANGUAGE_SAMPLE_CHARS = 1000
# Of English news, two words in five are stop words (1 in 100 articles under 0.36 on the BBC,
# CNN/DM and wire copy of ../shared); of the Portuguese, Italian and Japanese pages, under
# 0.19.  A text with this share or more is English without the identifier, which would
# take a millisecond a file, half the time of reading one.
ENGLISH_STOP_SHARE = 0.3


@lru_cache(maxsize=1)
def _language_identifier() -> Any:
    """py3langid's identifier (97 languages, its model shipped in the package), loaded once
    a process (0.4 s), when a text first needs it: plain English does not."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def language_of(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) of the language ``text`` (a str) is written in."""
    code, probability = _language_identifier().classify(text[:LANGUAGE_SAMPLE_CHARS])
    return str(code), float(probability)


def looks_english(text: str) -> bool:
    """True unless ``text`` (a str) is plainly not English: long enough to tell, and in
    another language by the identifier's reckoning, with FOREIGN_CONFIDENCE or more or with
    under FOREIGN_STOP_SHARE of its words English stop words."""
    words = plain_words(text[:LANGUAGE_SAMPLE_CHARS])
    if len(words) < LANGUAGE_MIN_WORDS:
        return True
    common = stop_words()
    share = sum(word in common for word in words) / len(words)
    if share >= ENGLISH_STOP_SHARE:
        return True
    code, probability = language_of(text)
    sure = probability >= FOREIGN_CONFIDENCE or share < FOREIGN_STOP_SHARE
    return code == "en" or not sure


_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
    "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
_MONEY = re.compile(
    rf"(?P<unit>US\$|[£$€¥])\s?(?P<amount>{_AMOUNT})"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|m|k)\b)?"
)
_PERCENT = re.compile(rf"(?<![\w.,])(?P<amount>{_AMOUNT})\s?(?:%|per\s?cent\b|percent\b)")
# A number on its own: not part of a word, code, time, date or range ("Skylark-1", "4:12",
# "11-day"), perhaps followed by a scale word ("9 million").
_COUNT = re.compile(
    rf"(?<![\w.,:/-])(?P<amount>{_AMOUNT})(?:\s(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?![\w%:/-]|[.,]\d)"
)


def _value(match: re.Match[str]) -> float:
    scale = (match.groupdict().get("scale") or "").lower()
    return float(match["amount"].replace(",", "")) * _SCALES.get(scale, 1.0)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def stated_counts(text: str) -> list[tuple[int, int, float]]:
    """Return the counts the sentence ``text`` (a str) states, as (start, end, value) of
    each in ``text``: numbers on their own ("1,950 jobs", "12 killed", "9 million"), not
    sums of money, percentages or years."""
    text = _PERCENT.sub(_blank, _MONEY.sub(_blank, text))
    return [
        (match.start(), match.end(), _value(match))
        for match in _COUNT.finditer(text)
        if match["scale"] or not re.fullmatch(r"1[89]\d\d|20\d\d|2100", match["amount"])
    ]


def figures_of(text: str) -> frozenset[str]:
    """Return the specific figures the sentence ``text`` (a str) states, as a frozenset of
    str keys: sums of money ("£500m" and "£500 million" are both "£500000000"),
    percentages ("31%", "31 per cent") and counts ("1,950 jobs", "4,200 people").

    Figures that many unrelated sentences share are left out: years ("2029"), whole
    percentages below 10 ("6%"), and counts below 100 or round hundreds below 1,000 ("40
    ships", "200 trees").  Two sentences of one story stating the same figure state the
    same fact.
    """
    found: set[str] = set()
    for match in _MONEY.finditer(text):
        found.add(f"{match['unit']}{_value(match):.12g}")
    for match in _PERCENT.finditer(_MONEY.sub(_blank, text)):
        value = _value(match)
        if value >= 10 or "." in match["amount"]:
            found.add(f"{value:.12g}%")
    for _, _, value in stated_counts(text):
        if value >= 1000 or (100 <= value < 1000 and value % 100):
            found.add(f"{value:.12g}")
    return frozenset(found)


def _word_set(words: str) -> frozenset[str]:
    """Return the space-separated ``words`` (a str) as a frozenset of str."""
    return frozenset(words.split())


# Words that, opening a sentence, point back at the sentence before: pronouns, possessives,
# demonstratives and connectives ("Its two furnaces ...", "But the partner said ...").
_LEANING_OPENERS = _word_set(
    "he she they it its his her their this that these those but however also yet and "
    "instead nevertheless nonetheless moreover furthermore such besides otherwise hence "
    "therefore"
)
_LATER = re.compile(
    r"^\W*(?:\w+|a few|a couple of)\s+(?:years?|months?|weeks?|days?|hours?|minutes?)\s+"
    r"(?:later|earlier|afterwards?|before)\b",
    re.IGNORECASE,
)
# A turn of the argument that opens a sentence ("Still, ...", "Meanwhile, ...").
_TURN = re.compile(
    r"^\W*(?:still|thus|meanwhile|either way|even so|all the same|in turn)\s*,", re.IGNORECASE
)
# ... or set off by commas after the subject ("The administration, however, puts ...",
# "Environmentalists, too, are wary ..."): the sentence answers or adds to one before.
_MID_TURN = re.compile(
    r"^[^,]{1,80},\s+(?:however|though|too|meanwhile|instead|in turn|therefore|nevertheless|"
    r"nonetheless|moreover|likewise|in contrast|by contrast|as a result|"
    r"for (?:its|his|her|their|our|my) part)\s*,",
    re.IGNORECASE,
)
# "This year", "these days": a demonstrative that dates the sentence by now points at
# nothing before it ...
_TIME_NOUNS = _word_set(
    "year week month morning afternoon evening night weekend day time season quarter "
    "spring summer autumn winter decade century"
)
# ... but a time told by one before it does: "That night the storm ...", "Later that
# evening, ...", "The next day, ..." (with its comma: "The next year will decide ..." is
# no time told before).
_THAT_TIME = re.compile(
    rf"^\W*(?:(?:later|earlier|early|late)\s+)?(?:that\s+(?:{'|'.join(_TIME_NOUNS)})\b"
    rf"|the\s+(?:next|following|same)\s+(?:{'|'.join(_TIME_NOUNS)}),)",
    re.IGNORECASE,
)
# Nouns that, after "that", "this", "these" or "those", name something said or done in an
# earlier sentence ("rejected that claim", "redesign that section of the route").
_BACK_NOUNS = _word_set(
    "claim claims criticism criticisms analysis argument arguments decision decisions move "
    "moves plan plans proposal proposals allegation allegations accusation accusations "
    "charge charges assessment view views figure figures estimate estimates section part "
    "idea suggestion offer approach request demand demands complaint position stance "
    "version assertion account finding findings conclusion report remarks comments "
    "statement warning threat deal agreement change changes measure measures step"
)
# Nouns that lean back even after "the" ("Nordlys rejected the criticism"), unless what
# follows says what they are ("the decision to close the plant").
_THE_BACK_NOUNS = _word_set(
    "claim claims criticism allegation allegations accusation accusations decision move "
    "plan proposal"
)
_DEFINING = _word_set("of to that which for from about over against by")
#: Words opening an introductory phrase ("Under the plan approved on Thursday, ..."): the
#: main clause comes after it.
INTRODUCERS = _word_set(
    "under after before while although though if when as in on at with without despite "
    "since until for from during according by once because unless following amid"
)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


# "also" this early in the main clause adds to something the sentence before said.
ALSO_WITHIN = 8


#: How many sentences the sentence tests (``leans_on_previous``, ``clean.is_prose``) remember
#: their answers for: a story's filing asks them of each of its sentences several times.
SENTENCE_CACHE = 1 << 16


# A line of a list told without its subject: a participle and a phrase, no clause after a
# comma, no verb of its own ("Acquitted on May 16, 1868.", "Convicted and removed from
# office on March 12, 1804.", "Produced by Harpo Films."); "Included in the plan is ..."
# has its verb.
_SUBJECTLESS = re.compile(
    r"^[A-Z][a-z]+ed\s(?:and|or|from|in|of|to|by|on|at|for|with|as|after|before|into|over)\b"
)
_CLAUSE_AFTER_COMMA = re.compile(r",\s+[^\d\s]")
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|said|says)\b")


def lacks_subject(text: str) -> bool:
    """True when ``text`` (a sentence) is a participle phrase standing alone, with no subject
    or verb of its own: the entry of a list, not a sentence a bullet can show."""
    return bool(
        _SUBJECTLESS.match(text)
        and not _CLAUSE_AFTER_COMMA.search(text)
        and not _FINITE_VERB.search(text)
    )


# A closing double quote: a curly one, or a straight one right after the quote's last
# word or its punctuation ('win," he said'), not after a figure (a 6" pipe).
_CLOSING_QUOTE = re.compile(r'\u201d|(?<=[^\W\d_]|[,.!?])"(?=[\s,.;:!?)]|$)')


# A quotation whose only speaker is a pronoun ('"We will not stand by," he said.'): who said
# it is in the sentence before.
_PRONOUN_SPEAKER = re.compile(
    r'^\W*[\u201c"].*?(?:\u201d|[\w,.!?]")\s*(?:(?:he|she|they|we)\s+(?:\w+ly\s+)?'
    r"(?:said|says|added|adds|told|tells|explained|insisted|argued|warned|wrote|writes|"
    r"noted|replied|continued|asked|recalled|declared)|(?:said|says|added)\s+(?:he|she|they))\b",
    re.IGNORECASE,
)


def quotes_a_pronoun(text: str) -> bool:
    """Return True when the sentence ``text`` (a str) is a quotation whose only speaker is a
    pronoun ('"We will not stand by," he said.', '"It is over," said she.')."""
    return bool(_PRONOUN_SPEAKER.search(text))


#: The marks a quotation opens with.
OPENING_QUOTES = "\"'\u201c\u2018\u00ab"


def opens_with_quote(text: str) -> bool:
    """Return True when the sentence ``text`` (a str) opens with a quotation: one speaker's
    words ('"Varden has refused to model our plan," said ...'), not what happened."""
    first = text.lstrip()[:1]
    return bool(first) and first in OPENING_QUOTES


def opens_inside_quote(text: str) -> bool:
    """Return True when the sentence ``text`` (a str) starts inside a quotation that an
    earlier sentence opened: it closes a quote before it opens one ('We’re on it.”
    awareness campaign ...', 'In the end, we will win," Trump tweeted.')."""
    closing = _CLOSING_QUOTE.search(text)
    if closing is None:
        return False
    before = text[: closing.start()]
    return "“" not in before and before.count('"') % 2 == 0


# A person named by courtesy title and surname alone ("Mr. Pryce", "Dr Mair"): news style
# for someone the article introduced earlier.
_SECOND_REFERENCE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s[A-Z][\w'’-]+\b(?!\s[A-Z])")


def names_someone_introduced_before(text: str) -> bool:
    """Return True when ``text`` (a sentence) names a person by courtesy title and surname
    alone ("Mr. Pryce will be questioned ..."), as an article does once it has introduced
    them: out of its article, the reader does not know who that is."""
    return bool(_SECOND_REFERENCE.search(text))


# After "these" or "those", words that make them no pointer back: "those who", "these
# days", "those of us", "those in need".
_NOT_BACK = _word_set("who whom whose which that of in with at on from for")


def _points_back(noun: str, after: str) -> bool:
    """Whether "these"/"those" before ``noun`` (then ``after``) names things of an earlier
    sentence: not "those who ...", "these days", nor "those arrested in ..."."""
    defined = after in {"who", "which", "that", "whose"}
    timely = noun in _TIME_NOUNS or noun.removesuffix("s") in _TIME_NOUNS  # "these years"
    return not defined and not timely and noun not in _NOT_BACK and not noun.endswith("ed")


# Past participles that do not end in -ed, as they open a phrase ("Born in Leeds, she ...").
_IRREGULAR_PARTICIPLES = _word_set(
    "born known seen told given taken caught held left built found made brought sent kept "
    "driven written chosen beaten shot struck hit hurt"
)


def _introduces(word: str) -> bool:
    """Whether ``word`` (lower case) opens an introductory phrase: a word such as "after" or
    "under", or a participle ("Pointing to his heart, he said ...", "Born in Leeds, she")."""
    participle = len(word) >= 5 and word.endswith(("ing", "ed"))
    return word in INTRODUCERS or participle or word in _IRREGULAR_PARTICIPLES


@lru_cache(maxsize=SENTENCE_CACHE)
def leans_on_previous(text: str) -> bool:
    """Return True when the sentence ``text`` (a str) needs the sentence before it to make
    sense: it opens with a pronoun, demonstrative or connective ("He", "Its", "This",
    "But", "However", "Also"), its main clause adds to what came before ("Traders also
    remain opposed"), or its main clause names something said or done before
    ("Mr. Okonedo rejected that claim, ...", "Nordlys rejected the criticism, ...").

    The main clause is taken to be the first stretch between commas, after an introductory
    phrase ("Under the plan approved on Thursday, ...") if the sentence opens with one.
    """
    words = plain_words(text)
    if not words:
        return False
    if opens_inside_quote(text):
        return True  # 'In the end, we will win," he said.': the quote began before
    if quotes_a_pronoun(text):
        return True  # '"We will not stand by," he said.': who "he" is, the sentence before says
    if words[0] in _LEANING_OPENERS and not (len(words) > 1 and words[1] in _TIME_NOUNS):
        return True
    if _LATER.match(text) or _THAT_TIME.match(text) or _TURN.match(text) or _MID_TURN.match(text):
        return True  # "Seven years later, ...", "Still, ...", "X, however, ...": after another
    clauses = [c for c in _CLAUSE_BREAK.split(text) if plain_words(c)]
    main = clauses[0]
    if len(clauses) > 1 and _introduces(plain_words(main)[0]):
        main = clauses[1]
        words = plain_words(main)
        # "In a new case study out Monday, they detail ...": who "they" are, the sentence
        # before says; "In London, it is raining" needs nothing before it.
        if words[0] in _LEANING_OPENERS - {"it"} and not (
            len(words) > 1 and words[1] in _TIME_NOUNS
        ):
            return True
    words = plain_words(main)
    if "also" in words[:ALSO_WITHIN]:
        return True  # "Traders also remain opposed": others were said to be, before
    for word, noun, after in zip(words, words[1:], [*words[2:], ""], strict=False):
        # "said that claims were ..." is a conjunction, not a demonstrative: after "that"
        # and "this" only a singular noun counts.
        singular = not noun.endswith("s") or noun == "analysis"
        pointing = word in {"these", "those"} or (word in {"that", "this"} and singular)
        pointing |= word == "both" and not singular  # "denied both allegations": which?
        if pointing and noun in _BACK_NOUNS:
            return True
        if word in {"these", "those"} and _points_back(noun, after):
            return True  # "No sign of the virus has appeared in those birds": which birds?
        if word == "the" and noun in _THE_BACK_NOUNS and after not in _DEFINING:
            return True
    return False
