"""Classify sentences into briefing sections: outcome, disagreement, next_step or context.

Two layers, both outlet-independent:

1. **Priority rules** read the sentence's main clause, the part before a participle or
   subordinate clause ("..., ending a dispute that had ..."), since the main predicate
   carries the news.  In order: negated progress ("no progress", "failed to agree", "remain
   at odds") is a disagreement; otherwise the earliest of these main-clause patterns wins: a
   dispute verb ("rejected", "accused", "criticised"), a decision verb in the past tense in
   the lead or on a named day ("agreed on Thursday", "voted 9 to 4"), a future modal with a
   date ahead ("will vote ... on October 20"), or a reported promise ("said it would keep").
2. Otherwise a small multinomial **logistic regression** over the hits of the cue lexicons in
   ``data/cues_sections.txt`` (split into main-clause and subordinate-clause hits, plus the
   section of the earliest cue), a few shape features (quotes, reported speech, numbers,
   negation, position) and the cues of the neighbouring sentences, since a quote often
   continues the sentence before it.  Its weights live in ``data/sections_model.json``, are
   rebuilt by ``scripts/train_sections.py`` and are temperature-calibrated, so that the
   confidence is a probability the threshold ``CONFIDENT`` can rely on.

Reported speech takes the label of what is reported: neutral reporting verbs ("said",
"told", "according to") are not cues, so "He said the firm will cut 500 jobs" is scored on
"will cut ... jobs".  Stance-bearing reporting verbs ("denied", "warned", "pledged") are cues.
Everything is loaded lazily, on the first call.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .models import LABELS, Classification, Label

logger = logging.getLogger(__name__)

#: Keep a sentence in Outcomes, Disagreements or Next steps only at or above this confidence;
#: below it, file it under Key points or Context.  A wrong item costs a section the reader's
#: trust, so this favours precision, but an action section that is always empty helps no one.
#: benchmarks/sections.py measures at 0.70 (leave-one-article-out, rules + calibrated model,
#: all 40 articles) the precision of outcome / disagreement / next_step at 0.84 / 0.82 / 0.63,
#: recall 0.24 / 0.23 / 0.22; at 0.85 the precision is 1.00 / 0.93 / 0.80, but the recall of
#: next steps falls to 0.07.
CONFIDENT = 0.70
#: The confidence of a label set by a priority rule: on the labelled articles the rules are
#: right 36 times in 40 (0.90; benchmarks/sections.py prints each rule's precision).
RULE_CONFIDENCE = 0.85

CUES_FILE = "cues_sections.txt"
MODEL_FILE = "sections_model.json"

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_QUOTES = '"“”«»'
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|explained|stated|according to|"
    r"spokes(?:man|woman|person))\b"
)
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|nor|neither|without)\b|n't\b")
_NUMBER = re.compile(r"\d")
_MONEY = re.compile(r"[%£$€¥]|\b\d+(?:\.\d+)?\s*(?:bn|m|billion|million|per cent|percent)\b")
_PAST_ED = re.compile(r"\b[a-z]{3,}ed\b")
_START_CONTRAST = re.compile(r"^\W*(?:but|however|yet|although|though|despite|still)\b")
_PRONOUN_START = re.compile(r"^\W*(?:he|she|they|it|this|that|these|those)\b")
# Case-sensitive, so that "US" (the country) is not "us".
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|[Mm]e|[Mm]y|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|us)\b")
_WORD_START = re.compile(r"(?<![\w'])\w|'")
# A modal and the verb it governs: outcome cues skip such verbs ("will cut", "is to approve").
_FUTURE_VERB = re.compile(
    r"\b((?:will|'ll|would|shall|is to|are to|was to|were to|set to|expected to|due to|"
    r"going to|plans? to|planning to|aims? to|wants? to|intends? to|hopes? to|likely to|"
    r"could|may|might|must|should)(?:\s+not)?(?:\s+(?:again|also|then|now|soon|still|only|"
    r"be|have|have been))*)\s+[\w'-]+"
)
# Where the main clause ends: a participle or relative clause, or a subordinating word.
# Cues after it describe circumstances ("..., ending a dispute"), not the news itself.
_SUBORDINATE = re.compile(
    r",\s+(?:ending|leaving|bringing|sparking|prompting|following|raising|putting|making|"
    r"adding|saying|arguing|claiming|insisting|warning|which|who|whose|where|when|as|while|"
    r"after|amid|because|although|though|despite|since|having|with)\b"
    r"|\s(?:which|who|whose|because|although|though|despite|amid|after|since|unless|if|"
    r"that (?:had|has|have|was|were|is|are))\b"
)
# A relative clause between commas right after the subject: the main verb follows it.
_PARENTHETICAL = re.compile(r"^([^,]{3,60}),\s+(?:who|which|whose)\b[^,]*,")
_MAIN_FROM = 12  # a subordinate word this early opens the sentence ("After talks, ...")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = f"(?:{'|'.join(_MONTH_NAMES)})"
_WEEKDAY = f"(?:{'|'.join(_WEEKDAY_NAMES)})"
# A month as wire copy abbreviates it, with a day after it: "Dec. 2", "Sept. 14".
_SHORT_MONTH_DAY = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.\s+\d{1,2}"
# A named day or month ("on Tuesday", "in April", "on 20 October", "on Dec. 2").
_DATE = re.compile(
    rf"\b(?:on|by|from|in|until|before|at|this|next)\s+(?:the\s+)?"
    rf"(?:{_WEEKDAY}|{_MONTH}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_SHORT_MONTH_DAY})\b"
)
# A time ahead: a named day or month, "next week", "later this year", "at 10.15 p.m.".
_WHEN = re.compile(
    rf"{_DATE.pattern}|\b(?:next (?:week|month|year|spring|summer|autumn|winter|session)"
    r"|later (?:this|in the|that) (?:week|month|year)|(?:in|within|over) the (?:coming|next) "
    r"(?:days|weeks|months|few)|tomorrow|at (?:a|the) (?:meeting|hearing|summit)"
    r"|at \d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m|p\.?m))\b"
)
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|(?:is|are) (?:due|expected|set|scheduled|poised) to|(?:is|are) to)"
    r"(?:\s+(?:again|also|now|then|soon|only|formally|finally))*\s+(?!not\b)[a-z]+"
    r"|\b(?:lays|laid|lay|paves|paved|sets|set) the (?:groundwork|way|stage)\b"
)
_NEGATED_PROGRESS = re.compile(
    r"\b(?:no|little) (?:progress|agreement|deal|breakthrough)\b|\bfail(?:s|ed)? to\b"
    r"|\bremain(?:s|ed)? (?:at odds|divided|apart|deadlocked)\b|\bat loggerheads\b"
    r"|\b(?:declined|refused|refuses|declines) to\b"
)
# Active dispute verbs; "be rejected" or "will not be denied" are not disputes that happened,
# and a "blast furnace" is not a verb.
_DISPUTE = re.compile(
    r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )\b(?:criticis|criticiz|accus|condemn|slamm|"
    r"reject|dismiss|disput|protest)\w*"
    r"|(?<!\bbe )(?<!\bbeen )\bblast(?:ed|ing)\b"
    r"|(?<!\bbe )(?<!\bbeen )\b(?:denied|denies|opposed|opposes|attacked|hit out|sued|refused)\b"
)
# A plan that others fight ("will be fiercely contested") is not simply a next step.
_CONTESTED = re.compile(r"\b(?:contest|oppos|disput|challeng|fight|resist|block)\w*")
_DECIDED = re.compile(
    r"\b(?:agreed|voted|approved|signed|passed|ruled|decided|appointed|elected|resigned|"
    r"accepted|ratified|settled|scrapped|awarded|acquired|completed|won|cut|raised)\b"
)
_PROMISED = re.compile(
    r"\b(?:said|says|promised|pledged|vowed|confirmed)\s+(?:that\s+)?(?:it|they|he|she|we)\s+"
    r"(?:would|will)\s+(?!not\b|be\b|have\b|expect\b)[a-z]+"
)
# A condition is not a fact: "If it fails to do so, ..." states no failure.
_CONDITION = re.compile(r"^\W*(?:if|unless|should|were)\b")
# Neighbouring cues count for less than own cues: in a short article one quoted critic
# should not turn the sentences around it into disagreements.
NEIGHBOUR_WEIGHT = 0.5
_GAP = r"(?:[\w'-]+\s+){0,3}"
ACTION: tuple[Label, ...] = ("outcome", "disagreement", "next_step")
# Cue groups too weak to decide which section a sentence's first cue belongs to.
_WEAK_GROUPS = ("disagreement_contrast", "disagreement_opinion")

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

_SHAPE_REASONS: dict[str, str] = {
    "has_quote": "quotation",
    "starts_quote": "continues a quotation",
    "reported_speech": "reported speech",
    "starts_contrast": "opens with a contrast",
    "starts_pronoun": "refers back to the previous sentence",
    "negation": "negation",
    "has_number": "figures",
    "money_or_percent": "amounts or percentages",
    "past_ed": "past tense",
    "short": "short fragment",
    "long": "long sentence",
    "first_sentence": "lead sentence",
    "early_sentence": "near the top of the article",
    "late_sentence": "near the end of the article",
    "first_person": "first-person opinion",
    "exclamation": "exclamation",
    "question": "question",
    "date": "a named day or month",
}


@dataclass(frozen=True, slots=True)
class Features:
    """The feature vectors of one article's sentences and the cue text behind each feature.

    ``matrix`` has one row per sentence and one column per name in ``feature_names()``;
    ``hits[i][name]`` is the longest cue phrase behind feature ``name`` in sentence ``i``;
    ``rules[i]`` is the (label, reason) a priority rule gives sentence ``i``, or None.
    """

    matrix: np.ndarray
    hits: tuple[dict[str, str], ...]
    rules: tuple[tuple[Label, str] | None, ...]


def _cue_regex(cue: str) -> str:
    """Return the regular expression (a str) for one cue line, matched at a word start."""
    pattern = re.sub(r"(\w)\*", r"\1\\w*", cue.strip())
    pattern = pattern.replace("(", "(?:")
    pattern = re.sub(r"\s*~\s*", "\0", pattern)
    pattern = re.sub(r"\s+", r"\\s+", pattern)
    pattern = pattern.replace("\0", r"\s+" + _GAP)
    return f"(?:{pattern})(?![\\w])"


def _cue_keys(cue: str) -> set[str]:
    """Return the first two characters a match of ``cue`` can start with (its index keys)."""
    head = re.match(r"\(([^)]*)\)", cue)
    starts = head.group(1).split("|") if head else [cue]
    return {start[:2] for start in starts}


@dataclass(frozen=True, slots=True)
class CueGroup:
    """One group of the cue lexicon: its cue lines, and regexes indexed by first two letters.

    Each regex has one capture group per cue; matching only at word starts, through the
    index, keeps it fast.
    """

    name: str
    cues: tuple[str, ...]
    keyed: dict[str, re.Pattern[str]]

    def matches(self, text: str, starts: Sequence[int]) -> list[tuple[int, str]]:
        """Return (position, matched text) of the cues matching ``text`` at word ``starts``."""
        found = []
        for pos in starts:
            pattern = self.keyed.get(text[pos : pos + 2])
            if pattern is not None:
                m = pattern.match(text, pos)
                if m is not None:
                    found.append((pos, m.group()))
        return found


@functools.cache
def cue_groups() -> dict[str, CueGroup]:
    """Return the cue lexicon as {group name: CueGroup}, read once from the package data."""
    text = resources.files("briefing.data").joinpath(CUES_FILE).read_text(encoding="utf-8")
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    compiled: dict[str, CueGroup] = {}
    for name, lines in groups.items():
        # Longest cues first, so the reported cue is the most specific one that matched.
        cues = tuple(sorted(dict.fromkeys(lines), key=len, reverse=True))
        by_key: dict[str, list[int]] = {}
        for index, cue in enumerate(cues):
            for key in _cue_keys(cue):
                by_key.setdefault(key, []).append(index)
        keyed = {
            key: re.compile("|".join(f"({_cue_regex(cues[i])})" for i in idx))
            for key, idx in by_key.items()
        }
        compiled[name] = CueGroup(name, cues, keyed)
    logger.debug("loaded %d cue groups from %s", len(compiled), CUES_FILE)
    return compiled


@functools.cache
def feature_names() -> tuple[str, ...]:
    """Return the names (a tuple of str) of the model's features, in column order.

    Per cue group: ``group`` (a hit in the main clause) and ``group:sub`` (hits only in a
    subordinate clause); then ``first_<label>`` (the section of the earliest main-clause
    cue), the shape features, and the carried cues of the previous and next sentences.
    """
    groups = tuple(cue_groups())
    return (
        groups
        + tuple(f"{g}:sub" for g in groups)
        + tuple(f"first_{label}" for label in ACTION)
        + SHAPE_FEATURES
        + tuple(f"prev_{g}" for g in CARRIED_GROUPS)
        + tuple(f"next_{g}" for g in CARRIED_GROUPS)
    )


def _normalise(sentence: str) -> str:
    """Return the sentence lower-cased, with typographic apostrophes made plain."""
    return " ".join(sentence.lower().replace("’", "'").replace("‘", "'").split())


def _strip_attribution(text: str) -> str:
    """Return the text without neutral reporting words, so only what is reported is cued."""
    return _SPEECH.sub(" ", text)


def _main_clause_end(text: str) -> int:
    """Return where the main clause of ``text`` (a normalised str) ends, as an index."""
    m = _SUBORDINATE.search(text, _MAIN_FROM)
    return m.start() if m is not None else len(text)


def _main_clause(text: str) -> str:
    """Return the main clause of ``text`` (a normalised str), without a relative clause set
    off by commas after the subject ("Ms Lee, who voted against it, accused ...")."""
    text = _PARENTHETICAL.sub(r"\1", text, count=1)
    return text[: _main_clause_end(text)]


def priority_rule(text: str, *, lead: bool) -> tuple[Label, str] | None:
    """Return the (label, reason) a priority rule gives a sentence, or None when none applies.

    ``text`` is the normalised sentence; ``lead`` says whether it opens its article.
    """
    content = _strip_attribution(text)
    if _CONDITION.match(content):
        return None
    main = _main_clause(content)
    if m := _NEGATED_PROGRESS.search(main):
        return "disagreement", f'rule: negated progress "{m.group()}"'
    fired: list[tuple[int, Label, str]] = []
    if m := _DISPUTE.search(main):
        fired.append((m.start(), "disagreement", f'rule: dispute "{m.group()}"'))
    future = _FUTURE.search(main)
    if (m := _DECIDED.search(main)) and (future is None or future.start() > m.start()):
        dated = _DATE.search(main)
        if lead or (dated is not None and not _WHEN.search(main[m.end() :])):
            fired.append((m.start(), "outcome", f'rule: decision "{m.group()}"'))
    if future is not None and _WHEN.search(content) and not _CONTESTED.search(main):
        fired.append((future.start(), "next_step", f'rule: scheduled "{future.group()}"'))
    promise = _PROMISED.search(text)
    if promise and promise.start() < _main_clause_end(text) and not _NEGATION.search(content):
        at = promise.start() - (len(text) - len(content))  # positions in ``text`` run longer
        fired.append((at, "next_step", f'rule: promise "{promise.group()}"'))
    if not fired:
        return None
    _, label, reason = min(fired, key=lambda f: f[0])
    return label, reason


def extract_features(  # noqa: PLR0915 (one pass per sentence, one line per feature)
    sentences: Sequence[str], *, title: str | None = None
) -> Features:
    """Return the Features of one article's sentences (a Sequence of str, in order)."""
    groups = cue_groups()
    names = feature_names()
    column = {name: i for i, name in enumerate(names)}
    n = len(sentences)
    matrix = np.zeros((n, len(names)), dtype=np.float64)
    hits: list[dict[str, str]] = []
    rules: list[tuple[Label, str] | None] = []
    for i, sentence in enumerate(sentences):
        text = _normalise(sentence)
        content = _strip_attribution(text)
        # Outcome cues skip verbs governed by a modal: "will cut jobs" is a plan.
        planned = _FUTURE_VERB.sub(r"\1", content)
        row = matrix[i]
        found: dict[str, str] = {}
        first: tuple[int, str] | None = None
        for name, group in groups.items():
            source = planned if name.startswith("outcome") else content
            cues = group.matches(source, [m.start() for m in _WORD_START.finditer(source)])
            if not cues:
                continue
            end = _main_clause_end(source)
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
        row[column["reported_speech"]] = float(bool(_SPEECH.search(text)))
        row[column["starts_contrast"]] = float(bool(_START_CONTRAST.match(text)))
        row[column["starts_pronoun"]] = float(bool(_PRONOUN_START.match(text)))
        row[column["negation"]] = float(bool(_NEGATION.search(content)))
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
        row[column["date"]] = float(bool(_DATE.search(content)))
        if title is not None and text == _normalise(title):
            found["_title"] = "repeats the headline"
        hits.append(found)
        rules.append(priority_rule(text, lead=i == 0 and n > 1))
    if n > 1:
        for group in CARRIED_GROUPS:
            own = NEIGHBOUR_WEIGHT * (matrix[:, column[group]] > 0)
            matrix[1:, column[f"prev_{group}"]] = own[:-1]
            matrix[:-1, column[f"next_{group}"]] = own[1:]
    return Features(matrix=matrix, hits=tuple(hits), rules=tuple(rules))


@dataclass(frozen=True, slots=True)
class Model:
    """Weights of the multinomial logistic regression: scores = x @ weights.T + bias.

    The shipped weights are already divided by the calibration temperature.
    """

    labels: tuple[Label, ...]
    features: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """Return the (n, labels) array of class probabilities of a feature matrix."""
        scores = matrix @ self.weights.T + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


@functools.cache
def load_model() -> Model:
    """Return the shipped Model, read once from ``briefing/data/sections_model.json``."""
    text = resources.files("briefing.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    model = Model(
        labels=tuple(data["labels"]),
        features=tuple(data["features"]),
        weights=np.asarray(data["weights"], dtype=np.float64),
        bias=np.asarray(data["bias"], dtype=np.float64),
    )
    if model.features != feature_names():
        raise RuntimeError(
            f"{MODEL_FILE} was trained on other features; run scripts/train_sections.py"
        )
    return model


def _describe(name: str, found: dict[str, str]) -> str:
    """Return a few readable words (a str) for one feature that pushed a label."""
    if name.startswith("first_"):
        return f"first cue: {name.removeprefix('first_').replace('_', ' ')}"
    if name.startswith(("prev_", "next_")) and name not in found:
        side, group = name.split("_", 1)
        where = "previous" if side == "prev" else "next"
        return f"{where} sentence: {group.replace('_', ' ')}"
    if name.endswith(":sub") and name in found:
        return f'cue "{found[name]}" (subordinate clause)'
    if name in found:
        return f'cue "{found[name]}"'
    return _SHAPE_REASONS.get(name, name)


def _reason(model: Model, label_index: int, row: np.ndarray, found: dict[str, str]) -> str:
    """Return a short why (a str) for giving ``row`` the label at ``label_index``."""
    label = model.labels[label_index]
    # What pushed this label above the others: contribution relative to the mean class.
    weights = model.weights[label_index] - model.weights.mean(axis=0)
    contribution = row * weights
    parts = [
        _describe(model.features[k], found)
        for k in np.argsort(-contribution)[:3]
        if contribution[k] > 0.05
    ]
    if not parts:
        return "no section cue" if label == "context" else "model"
    return "model: " + " + ".join(parts)


def classify_sentences(
    sentences: Sequence[str], *, title: str | None = None
) -> tuple[Classification, ...]:
    """Return one Classification per sentence of ONE article (a Sequence of str, in order).

    ``label`` is one of "outcome", "disagreement", "next_step", "context"; ``confidence``
    is the calibrated probability of that label, in [0, 1] (at least ``RULE_CONFIDENCE``
    when a priority rule set it); ``reason`` says why.  A sentence that repeats ``title``
    (the headline) is context.
    """
    if not sentences:
        return ()
    model = load_model()
    features = extract_features(sentences, title=title)
    probabilities = model.probabilities(features.matrix)
    results: list[Classification] = []
    for row, probs, found, rule in zip(
        features.matrix, probabilities, features.hits, features.rules, strict=True
    ):
        if "_title" in found:
            results.append(Classification("context", 1.0, found["_title"]))
        elif rule is not None:
            label, reason = rule
            confidence = max(RULE_CONFIDENCE, float(probs[model.labels.index(label)]))
            results.append(Classification(label, confidence, reason))
        else:
            best = int(np.argmax(probs))
            reason = _reason(model, best, row, found)
            results.append(Classification(model.labels[best], float(probs[best]), reason))
    logger.debug("classified %d sentences", len(results))
    return tuple(results)


_MONTHS = {name[:3]: n for n, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAYS = {name: n for n, name in enumerate(_WEEKDAY_NAMES)}
_NAMED_WEEKDAY = re.compile(rf"\b(?:on|by|this|next|until|from|before)\s+({_WEEKDAY})\b")
# A past-tense verb a few words before "on Monday" ("agreed a deal late on Monday"): that
# weekday is behind the article, not ahead of it.
_PAST_BEFORE = re.compile(
    r"(?<!\bbe )(?<!\bbeen )\b(?:[a-z]{2,}ed|said|met|won|told|held|made|took|gave|began|"
    r"came|rose|fell|struck|sold|paid|left|lost|was|were|had|saw|went|broke|spoke|wrote|"
    r"chose|led)"
    r"(?:\s+(?!will\b|would\b|shall\b|to\b|be\b)[\w'-]+){0,5}?\s+(?:on|by|this|from|before)\s$"
)
_NAMED_DAY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD}"
    rf"|\b{_MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"
)


def days_named(sentence: str, published: dt.date) -> list[dt.date]:
    """Return the days (a list of dt.date) that ``sentence`` names, read from the day its
    article was ``published``: "tomorrow", a weekday ("on Wednesday": the first on or after
    publication) and a day of a month ("on Dec. 2", "2 December": in the year that puts it
    within six months after publication, or before)."""
    text = _normalise(sentence)
    days = [published + dt.timedelta(days=1)] if re.search(r"\btomorrow\b", text) else []
    for m in _NAMED_WEEKDAY.finditer(text):
        if _PAST_BEFORE.search(text, 0, m.start(1)):
            continue  # "agreed late on Monday": a day gone by, not one ahead
        ahead = (_WEEKDAYS[m.group(1)] - published.weekday()) % 7
        days.append(published + dt.timedelta(days=ahead))
    for m in _NAMED_DAY.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        try:
            named = dt.date(published.year, _MONTHS[month[:3]], int(day))
        except ValueError:
            continue
        if (published - named).days > 183:
            named = named.replace(year=named.year + 1)
        days.append(named)
    return days


def classify(sentences: Sequence[str]) -> list[str]:
    """Return the label (a str) of each sentence of one article (a Sequence of str)."""
    return [c.label for c in classify_sentences(sentences)]


__all__ = [
    "CONFIDENT",
    "LABELS",
    "RULE_CONFIDENCE",
    "Classification",
    "classify",
    "classify_sentences",
    "days_named",
    "extract_features",
    "feature_names",
    "load_model",
    "priority_rule",
]
