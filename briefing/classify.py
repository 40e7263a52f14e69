"""Classify sentences into briefing sections: outcome, disagreement, next_step or context.

The classifier is a small multinomial logistic regression over general, outlet-independent
features: hits of the cue lexicons in ``data/cues_sections.txt`` (decision and result verbs;
dispute, criticism and contrast words; negated progress; modals, plans and dates), a few
shape features (quotes, reported speech, numbers, negation, position in the article) and the
cues of the neighbouring sentences, since a quote often continues the sentence before it.
Its weights live in ``data/sections_model.json`` and are rebuilt by
``scripts/train_sections.py``.  Everything is loaded lazily, on the first call.

Reported speech takes the label of what is reported: neutral reporting verbs ("said",
"told", "according to") are not cues, so "He said the firm will cut 500 jobs" is scored on
"will cut ... jobs".  Stance-bearing reporting verbs ("denied", "warned", "pledged") are cues.
"""

from __future__ import annotations

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
#: trust, so this favours precision over recall: at 0.65 benchmarks/sections.py measures the
#: precision of outcome / disagreement / next_step at 0.68 / 0.69 / 0.65 (cross-validated),
#: against 0.66 / 0.62 / 0.56 at 0.5.
CONFIDENT = 0.65

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
PER_CUE = False
# Case-sensitive, so that "US" (the country) is not "us".
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|[Mm]e|[Mm]y|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|us)\b")
_WORD_START = re.compile(r"(?<![\w'])\w|'")
_FUTURE_VERB = re.compile(
    r"\b((?:will|'ll|would|shall|is to|are to|was to|were to|set to|expected to|due to|"
    r"going to|plans? to|planning to|aims? to|wants? to|intends? to|hopes? to|likely to|"
    r"could|may|might|must|should)(?:\s+not)?(?:\s+(?:be|have|have been))?)\s+[\w'-]+"
)
_GAP = r"(?:[\w'-]+\s+){0,3}"

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
}


@dataclass(frozen=True, slots=True)
class Features:
    """The feature vectors of one article's sentences and the cue text behind each group hit.

    ``matrix`` has one row per sentence and one column per name in ``feature_names()``;
    ``hits[i][group]`` is the first cue phrase of ``group`` found in sentence ``i``.
    """

    matrix: np.ndarray
    hits: tuple[dict[str, str], ...]


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

    Each regex has one capture group per cue, so ``cues[keyed[key][1][m.lastindex - 1]]`` is
    the cue that matched; matching only at word starts, through the index, keeps it fast.
    """

    name: str
    cues: tuple[str, ...]
    keyed: dict[str, tuple[re.Pattern[str], tuple[int, ...]]]

    def matches(self, text: str, starts: Sequence[int]) -> list[tuple[str, str]]:
        """Return (cue, matched text) pairs of the cues matching ``text`` at word ``starts``."""
        found = []
        for pos in starts:
            entry = self.keyed.get(text[pos : pos + 2])
            if entry is not None:
                m = entry[0].match(text, pos)
                if m is not None and m.lastindex is not None:
                    found.append((self.cues[entry[1][m.lastindex - 1]], m.group()))
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
            key: (re.compile("|".join(f"({_cue_regex(cues[i])})" for i in idx)), tuple(idx))
            for key, idx in by_key.items()
        }
        compiled[name] = CueGroup(name, cues, keyed)
    logger.debug("loaded %d cue groups from %s", len(compiled), CUES_FILE)
    return compiled


@functools.cache
def feature_names() -> tuple[str, ...]:
    """Return the names (a tuple of str) of the model's features, in column order."""
    groups = cue_groups()
    carried = tuple(f"prev_{g}" for g in CARRIED_GROUPS) + tuple(
        f"next_{g}" for g in CARRIED_GROUPS
    )
    cues = tuple(f"{g.name}:{c}" for g in groups.values() for c in g.cues) if PER_CUE else ()
    return tuple(groups) + SHAPE_FEATURES + carried + cues


def _normalise(sentence: str) -> str:
    """Return the sentence lower-cased, with typographic apostrophes made plain."""
    return " ".join(sentence.lower().replace("’", "'").replace("‘", "'").split())


def _strip_attribution(text: str) -> str:
    """Return the text without neutral reporting words, so only what is reported is cued."""
    return _SPEECH.sub(" ", text)


def extract_features(sentences: Sequence[str], *, title: str | None = None) -> Features:
    """Return the Features of one article's sentences (a Sequence of str, in order)."""
    groups = cue_groups()
    names = feature_names()
    column = {name: i for i, name in enumerate(names)}
    n = len(sentences)
    matrix = np.zeros((n, len(names)), dtype=np.float64)
    hits: list[dict[str, str]] = []
    for i, sentence in enumerate(sentences):
        text = _normalise(sentence)
        content = _strip_attribution(text)
        row = matrix[i]
        found: dict[str, str] = {}
        starts = [m.start() for m in _WORD_START.finditer(content)]
        # A decision or result verb governed by a future modal ("will cut jobs", "is to
        # approve") is a plan, not an outcome: outcome cues skip those verbs.
        planned = _FUTURE_VERB.sub(r"\1", content)
        planned_starts = [m.start() for m in _WORD_START.finditer(planned)]
        for name, group in groups.items():
            if name.startswith("outcome"):
                cues = group.matches(planned, planned_starts)
            else:
                cues = group.matches(content, starts)
            if cues:
                # One hit counts fully; more hits add less (log scale).
                row[column[name]] = 1.0 + math.log(len(cues))
                found[name] = max((t for _, t in cues), key=len)
                if PER_CUE:
                    for cue, _ in cues:
                        row[column[f"{name}:{cue}"]] = 1.0
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
        if title is not None and text == _normalise(title):
            found["_title"] = "repeats the headline"
        hits.append(found)
    if n > 1:
        for group in CARRIED_GROUPS:
            own = matrix[:, column[group]] > 0
            matrix[1:, column[f"prev_{group}"]] = own[:-1]
            matrix[:-1, column[f"next_{group}"]] = own[1:]
    return Features(matrix=matrix, hits=tuple(hits))


@dataclass(frozen=True, slots=True)
class Model:
    """Weights of the multinomial logistic regression: scores = x @ weights.T + bias."""

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


def _reason(model: Model, label_index: int, row: np.ndarray, found: dict[str, str]) -> str:
    """Return a short why (a str) for giving ``row`` the label at ``label_index``."""
    label = model.labels[label_index]
    if "_title" in found:
        return found["_title"]
    # What pushed this label above the others: contribution relative to the mean class.
    weights = model.weights[label_index] - model.weights.mean(axis=0)
    contribution = row * weights
    order = np.argsort(-contribution)
    parts: list[str] = []
    for k in order[:3]:
        if contribution[k] <= 0.05:
            break
        name = model.features[k]
        if name in found:
            parts.append(f'cue "{found[name]}"')
        elif name.startswith(("prev_", "next_")):
            side, group = name.split("_", 1)
            where = "previous" if side == "prev" else "next"
            parts.append(f"{where} sentence: {group.replace('_', ' ')}")
        else:
            parts.append(_SHAPE_REASONS.get(name, name))
    if not parts:
        return "no section cue" if label == "context" else "model"
    return "model: " + " + ".join(parts)


def classify_sentences(
    sentences: Sequence[str], *, title: str | None = None
) -> tuple[Classification, ...]:
    """Return one Classification per sentence of ONE article (a Sequence of str, in order).

    ``label`` is one of "outcome", "disagreement", "next_step", "context"; ``confidence``
    is the model's probability of that label, in [0, 1]; ``reason`` says why.  A sentence
    that repeats ``title`` (the headline) is context.
    """
    if not sentences:
        return ()
    model = load_model()
    features = extract_features(sentences, title=title)
    probabilities = model.probabilities(features.matrix)
    results: list[Classification] = []
    for row, probs, found in zip(features.matrix, probabilities, features.hits, strict=True):
        if "_title" in found:
            results.append(Classification("context", 1.0, found["_title"]))
            continue
        best = int(np.argmax(probs))
        label = model.labels[best]
        reason = _reason(model, best, row, found)
        results.append(Classification(label, float(probs[best]), reason))
    logger.debug("classified %d sentences", len(results))
    return tuple(results)


def classify(sentences: Sequence[str]) -> list[str]:
    """Return the label (a str) of each sentence of one article (a Sequence of str)."""
    return [c.label for c in classify_sentences(sentences)]


__all__ = [
    "CONFIDENT",
    "LABELS",
    "Classification",
    "classify",
    "classify_sentences",
    "extract_features",
    "feature_names",
    "load_model",
]
