"""The model's features: what the cue lexicon, the sentence's shape and its neighbours say.

Per cue group, a hit in the main clause and a hit only in a subordinate clause; the section
of the earliest main-clause cue; the kind of priority rule that fires; a few shape features
(quotes, reported speech, numbers, negation, position, and the moods that are not a plan: a
condition, a speculation, a wish); and the cues of the neighbouring sentences, since a quote
often continues the sentence before it.  Beside these dense features, each sentence's
``terms`` (its words and word pairs) are looked up in the model's vocabulary, which keeps
only terms that several outlets use, so that no outlet's house style is learned.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import Label
from ..words import normalise
from .clauses import DATE, NEGATION, SPEECH, main_clause, main_clause_end, strip_attribution
from .cues import cue_groups, find_cues
from .rules import RULE_KINDS, priority_rule, rule_kind

__all__ = [
    "ACTION",
    "CARRIED_GROUPS",
    "SHAPE_FEATURES",
    "Features",
    "extract_features",
    "feature_names",
    "terms_of",
]

ACTION: tuple[Label, ...] = ("outcome", "disagreement", "next_step")
# Cue groups too weak to decide which section a sentence's first cue belongs to.
_WEAK_GROUPS = ("disagreement_contrast", "disagreement_opinion")
# Neighbouring cues count for less than own cues: in a short article one quoted critic
# should not turn the sentences around it into disagreements.
NEIGHBOUR_WEIGHT = 0.5

# Shape features, in the order the model sees them (after the cue groups).
SHAPE_FEATURES: tuple[str, ...] = (
    "has_quote",
    "starts_quote",
    "reported_speech",
    "starts_contrast",
    "starts_pronoun",
    "negation",
    "has_number",
    "money_or_percent",
    "past_ed",
    "short",
    "long",
    "first_sentence",
    "early_sentence",
    "late_sentence",
    "first_person",
    "exclamation",
    "question",
    "date",
    "position",
    "conditional",
    "speculation",
    "wish",
)
# Groups whose hits in the neighbouring sentences are features too.
CARRIED_GROUPS: tuple[str, ...] = (
    "outcome_decision",
    "outcome_result",
    "disagreement_conflict",
    "disagreement_rejection",
    "disagreement_stalemate",
    "next_step_modal",
    "next_step_plan",
    "next_step_time",
)

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_QUOTES = '"“”«»'
_NUMBER = re.compile(r"\d")
_MONEY = re.compile(r"[%£$€¥]|\b\d+(?:\.\d+)?\s*(?:bn|m|billion|million|per cent|percent)\b")
_PAST_ED = re.compile(r"\b[a-z]{3,}ed\b")
_START_CONTRAST = re.compile(r"^\W*(?:but|however|yet|although|though|despite|still)\b")
_PRONOUN_START = re.compile(r"^\W*(?:he|she|they|it|this|that|these|those)\b")
# Case-sensitive, so that "US" (the country) is not "us".
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|[Mm]e|[Mm]y|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|us)\b")
_WORD_START = re.compile(r"(?<![\w'])\w|'")
_TERM = re.compile(r"\w\w+")
# A hypothetical is not a plan: "If the companies were to merge, it would create ...".
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|were to|in case)\b.*\b(?:would|could|might)\b"
    r"|\b(?:would|could|might)\b.*\bif\b"
)
# Nor is a speculation ("Mitch could weaken") or a wish ("would like to see China agree").
_SPECULATION = re.compile(r"\b(?:could|may|might|possibly|perhaps|probably)\b")
_WISH = re.compile(
    r"\b(?:would (?:like|love|prefer)|wants? to|wish(?:es|ed)?|hopes? (?:to|that))\b"
)
# A modal and the verb it governs: outcome cues skip such verbs ("will cut", "is to approve").
_FUTURE_VERB = re.compile(
    r"\b((?:will|'ll|would|shall|is to|are to|was to|were to|set to|expected to|due to|"
    r"going to|plans? to|planning to|aims? to|wants? to|intends? to|hopes? to|likely to|"
    r"could|may|might|must|should)(?:\s+not)?(?:\s+(?:again|also|then|now|soon|still|only|"
    r"be|have|have been))*)\s+[\w'-]+"
)


@dataclass(frozen=True, slots=True)
class Features:
    """The feature vectors of one article's sentences and the cue text behind each feature.

    ``matrix`` has one row per sentence and one column per name in ``feature_names()``;
    ``hits[i][name]`` is the longest cue phrase behind feature ``name`` in sentence ``i``;
    ``rules[i]`` is the (label, reason) a priority rule gives sentence ``i``, or None;
    ``terms[i]`` are its words and pairs of adjacent words (see :func:`terms_of`).
    """

    matrix: np.ndarray
    hits: tuple[dict[str, str], ...]
    rules: tuple[tuple[Label, str] | None, ...]
    terms: tuple[frozenset[str], ...]


@functools.cache
def feature_names() -> tuple[str, ...]:
    """Return the names (a tuple of str) of the model's features, in column order.

    Per cue group: ``group`` (a hit in the main clause) and ``group:sub`` (hits only in a
    subordinate clause); then ``first_<label>`` (the section of the earliest main-clause
    cue), ``rule:<kind>`` (the priority rule that fires), the shape features, and the
    carried cues of the previous and next sentences.
    """
    groups = tuple(cue_groups())
    return (
        groups
        + tuple(f"{g}:sub" for g in groups)
        + tuple(f"first_{label}" for label in ACTION)
        + tuple(f"rule:{kind}" for kind in RULE_KINDS)
        + SHAPE_FEATURES
        + tuple(f"prev_{g}" for g in CARRIED_GROUPS)
        + tuple(f"next_{g}" for g in CARRIED_GROUPS)
    )


def terms_of(text: str) -> frozenset[str]:
    """Return the words of two or more characters of ``text`` (a normalised str) and each
    pair of adjacent ones ("no progress"), as a frozenset of str."""
    words = _TERM.findall(text)
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def _word_starts(text: str) -> list[tuple[int, str]]:
    """The (position, first two characters) of each word of ``text``: where cues may start."""
    return [(m.start(), text[m.start() : m.start() + 2]) for m in _WORD_START.finditer(text)]


def extract_features(  # noqa: PLR0915 (one pass per sentence, one line per feature)
    sentences: Sequence[str], *, title: str | None = None, rows: Sequence[int] | None = None
) -> Features:
    """Return the Features of one article's sentences (a Sequence of str, in order), or of
    those at the indices ``rows`` alone (in that order), computed as in the whole article:
    only they and their neighbours are read."""
    groups = cue_groups()
    # Outcome cues are read where verbs governed by a modal are skipped; the others as is.
    outcomes = frozenset(name for name in groups if name.startswith("outcome"))
    others = frozenset(groups) - outcomes
    names = feature_names()
    column = {name: i for i, name in enumerate(names)}
    n = len(sentences)
    wanted = range(n) if rows is None else rows
    # The sentences read: those wanted and their neighbours, whose cues carry over.
    read = sorted({j for i in wanted for j in (i - 1, i, i + 1) if 0 <= j < n})
    matrix = np.zeros((len(read), len(names)), dtype=np.float64)
    hits: list[dict[str, str]] = []
    rules: list[tuple[Label, str] | None] = []
    terms: list[frozenset[str]] = []
    for at, i in enumerate(read):
        sentence = sentences[i]
        text = normalise(sentence)
        content = strip_attribution(text)
        # Outcome cues skip verbs governed by a modal: "will cut jobs" is a plan.
        planned = _FUTURE_VERB.sub(r"\1", content)
        row = matrix[at]
        found: dict[str, str] = {}
        first: tuple[int, str] | None = None
        starts = _word_starts(content)
        cues_in = {
            **find_cues(content, starts, others),
            **find_cues(planned, starts if planned == content else _word_starts(planned), outcomes),
        }
        for name in groups:
            source = planned if name.startswith("outcome") else content
            cues = cues_in.get(name)
            if not cues:
                continue
            end = main_clause_end(source)
            main = [c for c in cues if c[0] < end]
            if main:
                # One hit counts fully; more hits add less (log scale).
                row[column[name]] = 1.0 + math.log(len(main))
                found[name] = max((t for _, t in main), key=len)
                label = name.rsplit("_", 1)[0]
                # Positions in ``planned`` are a little shifted; fine for ordering.
                earlier = first is None or main[0][0] < first[0]
                if label in ACTION and name not in _WEAK_GROUPS and earlier:
                    first = (main[0][0], label)
            else:
                row[column[f"{name}:sub"]] = 1.0
                found[f"{name}:sub"] = max((t for _, t in cues), key=len)
        if first is not None:
            row[column[f"first_{first[1]}"]] = 1.0
        words = _WORD.findall(text)
        stripped = sentence.strip()
        row[column["has_quote"]] = float(any(q in sentence for q in _QUOTES))
        row[column["starts_quote"]] = float(bool(stripped) and stripped[0] in _QUOTES)
        row[column["reported_speech"]] = float(bool(SPEECH.search(text)))
        row[column["starts_contrast"]] = float(bool(_START_CONTRAST.match(text)))
        row[column["starts_pronoun"]] = float(bool(_PRONOUN_START.match(text)))
        row[column["negation"]] = float(bool(NEGATION.search(content)))
        row[column["has_number"]] = float(bool(_NUMBER.search(text)))
        row[column["money_or_percent"]] = float(bool(_MONEY.search(text)))
        row[column["past_ed"]] = min(len(_PAST_ED.findall(content)), 3) / 3.0
        row[column["short"]] = float(len(words) < 4)
        row[column["long"]] = float(len(words) > 35)
        # The lead states the news (a lone sentence has no article to lead).
        row[column["first_sentence"]] = float(i == 0 and n > 1)
        row[column["early_sentence"]] = float(0 < i < 3)
        row[column["late_sentence"]] = float(n > 5 and i >= n - 2)
        row[column["first_person"]] = float(bool(_FIRST_PERSON.search(sentence)))
        row[column["exclamation"]] = float("!" in sentence)
        row[column["question"]] = float("?" in sentence)
        row[column["date"]] = float(bool(DATE.search(content)))
        row[column["position"]] = i / (n - 1) if n > 1 else 0.0
        row[column["conditional"]] = float(bool(_CONDITIONAL.search(content)))
        row[column["speculation"]] = float(bool(_SPECULATION.search(main_clause(content))))
        row[column["wish"]] = float(bool(_WISH.search(content)))
        if title is not None and text == normalise(title):
            found["_title"] = "repeats the headline"
        rule = priority_rule(text, lead=i == 0 and n > 1)
        if rule is not None:
            row[column[f"rule:{rule_kind(rule[1])}"]] = 1.0
        hits.append(found)
        rules.append(rule)
        terms.append(terms_of(text))
    position = {i: at for at, i in enumerate(read)}
    picked = [position[i] for i in wanted]
    before = [position.get(i - 1, -1) for i in wanted]
    after = [position.get(i + 1, -1) for i in wanted]
    carried_columns = [column[g] for g in CARRIED_GROUPS]
    own = NEIGHBOUR_WEIGHT * (matrix[:, carried_columns] > 0)
    own = np.vstack([own, np.zeros(len(carried_columns))])  # row -1: no neighbour there
    matrix = matrix[picked]
    matrix[:, [column[f"prev_{g}"] for g in CARRIED_GROUPS]] = own[before]
    matrix[:, [column[f"next_{g}"] for g in CARRIED_GROUPS]] = own[after]
    return Features(
        matrix=matrix,
        hits=tuple(hits[k] for k in picked),
        rules=tuple(rules[k] for k in picked),
        terms=tuple(terms[k] for k in picked),
    )
