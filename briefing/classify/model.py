"""The shipped classifier: a calibrated logistic regression over cues, rules and words.

A multinomial logistic regression over the dense features of :mod:`.features` (cue groups,
priority rules, shape, neighbours) and the words and word pairs of a vocabulary that
several outlets share.  Its weights live in ``data/sections_model.json`` and are rebuilt
by ``scripts/train_sections.py`` from the labelled articles of ``../shared``; it is
calibrated on outlets held out of training, so that the confidence is a probability a
threshold can rely on.  :class:`LogisticClassifier` gives each sentence the model's label,
with a short reason: the rule that fired for it, or the features and words that weighed most.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ..models import LABELS, Classification, Label
from .features import extract_features, feature_names

if TYPE_CHECKING:
    from scipy import sparse

logger = logging.getLogger(__name__)

__all__ = [
    "MODEL_FILE",
    "LogisticClassifier",
    "Model",
    "load_model",
    "model_from_dict",
    "parse_model",
    "softmax",
    "term_entries",
    "term_matrix",
]

MODEL_FILE = "sections_model.json"

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
    "position": "late in the article",
    "conditional": "a condition",
    "speculation": "a speculation",
    "wish": "a wish",
}


@dataclass(frozen=True, slots=True)
class Model:
    """A multinomial logistic regression over the dense features and the vocabulary's terms.

    ``scores`` are what it decides by: trained with each label weighted by how rare it is,
    their argmax is the label.  ``probabilities`` are those scores calibrated (a temperature
    and a shift per label, fitted on outlets held out of training), so that a confidence of
    0.8 is right about four times in five on an outlet the model has not seen.
    """

    labels: tuple[Label, ...]
    features: tuple[str, ...]
    weights: np.ndarray
    vocabulary: tuple[str, ...]
    term_weights: np.ndarray
    bias: np.ndarray
    temperature: float = 1.0
    shift: np.ndarray = field(default_factory=lambda: np.zeros(len(LABELS)))
    column: dict[str, int] = field(init=False, repr=False, compare=False)
    #: Each label's weights less their mean over the labels: what sets it apart (for reasons).
    lift: np.ndarray = field(init=False, repr=False, compare=False)
    term_lift: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column", {t: j for j, t in enumerate(self.vocabulary)})
        object.__setattr__(self, "lift", self.weights - self.weights.mean(axis=0))
        object.__setattr__(self, "term_lift", self.term_weights - self.term_weights.mean(axis=0))

    def scores(self, matrix: np.ndarray, terms: Sequence[frozenset[str]]) -> np.ndarray:
        """Return the (n, labels) decision scores of dense features and each sentence's
        terms: the product of its (sentences, vocabulary) 0/1 term matrix with the term
        weights, summed term by term in the vocabulary's order as a sparse product sums
        them, without building the matrix (scipy.sparse costs a one-article brief 0.07 s
        to import)."""
        rows, cols = term_entries(terms, self.column)
        summed = np.zeros((len(terms), len(self.labels)))
        np.add.at(summed, rows, self.term_weights.T[cols])
        return matrix @ self.weights.T + summed + self.bias

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """Return the calibrated (n, labels) probabilities of decision ``scores``."""
        return softmax(scores / self.temperature + self.shift)


def term_entries(
    terms: Sequence[frozenset[str]], column: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the (row, column) of each 1 of ``term_matrix``, row by row and, within a row,
    in column order (two int arrays)."""
    rows, cols = [], []
    for i, found in enumerate(terms):
        hit = sorted(column[t] for t in found if t in column)
        rows.extend([i] * len(hit))
        cols.extend(hit)
    return np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)


def term_matrix(terms: Sequence[frozenset[str]], column: Mapping[str, int]) -> sparse.csr_matrix:
    """Return the (sentences, len(column)) 0/1 matrix of which of the terms that ``column``
    numbers each sentence's ``terms`` hold; other terms are passed over (for training)."""
    from scipy import sparse

    rows, cols = term_entries(terms, column)
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(terms), len(column)))


def softmax(scores: np.ndarray) -> np.ndarray:
    """Return the row-wise softmax (an array) of a (n, labels) score array."""
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def model_from_dict(data: dict[str, Any]) -> Model:
    """Return the Model a JSON object (as ``scripts/train_sections.py`` writes it) holds."""
    return Model(
        labels=tuple(data["labels"]),
        features=tuple(data["features"]),
        weights=np.asarray(data["weights"], dtype=np.float64),
        vocabulary=tuple(data["vocabulary"]),
        term_weights=np.asarray(data["term_weights"], dtype=np.float64),
        bias=np.asarray(data["bias"], dtype=np.float64),
        temperature=float(data["temperature"]),
        shift=np.asarray(data["shift"], dtype=np.float64),
    )


def parse_model(text: str) -> Model:
    """Return the Model of a model file's ``text``; raise RuntimeError when it was trained
    on other features than the code computes."""
    model = model_from_dict(json.loads(text))
    if model.features != feature_names():
        raise RuntimeError(
            f"{MODEL_FILE} was trained on other features; run scripts/train_sections.py"
        )
    return model


@functools.cache
def load_model() -> Model:
    """Return the shipped Model, read once from ``briefing/data/sections_model.json``."""
    text = resources.files("briefing.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return parse_model(text)


def _describe(name: str, found: dict[str, str]) -> str:
    """Return a few readable words (a str) for one feature that pushed a label."""
    if name.startswith("first_") and name.removeprefix("first_") in LABELS:
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


def _reason(
    model: Model, label_index: int, row: np.ndarray, terms: frozenset[str], found: dict[str, str]
) -> str:
    """Return a short why (a str) for giving ``row`` (with ``terms``) the label at
    ``label_index``: the features and words that pushed it most above the mean label."""
    label = model.labels[label_index]
    dense = row * model.lift[label_index]
    top = np.argsort(-dense)[:3]
    pushes: list[tuple[float, str]] = [
        (float(dense[k]), _describe(model.features[k], found)) for k in top
    ]
    lift = model.term_lift[label_index]
    pushes += [(float(lift[model.column[t]]), f'word "{t}"') for t in terms if t in model.column]
    parts = [why for value, why in sorted(pushes, key=lambda p: -p[0])[:3] if value > 0.05]
    if not parts:
        return "no section cue" if label == "context" else "model"
    return "model: " + " + ".join(parts)


@dataclass(frozen=True, slots=True)
class LogisticClassifier:
    """Our classifier: a calibrated logistic regression over cues, rules, shape and words."""

    #: The weights to use; None for the shipped ones, read on first use.
    model: Model | None = None

    def classify(
        self,
        sentences: Sequence[str],
        *,
        title: str | None = None,
        rows: Sequence[int] | None = None,
    ) -> tuple[Classification, ...]:
        """Return one Classification per sentence of ONE article (a Sequence of str, in order),
        or per sentence at the indices ``rows`` (in that order), as in the whole article.

        ``label`` is one of "outcome", "disagreement", "next_step", "context"; ``confidence``
        is the calibrated probability of that label, in [0, 1]; ``reason`` says why (the
        priority rule, when one fired for that label).  A sentence that repeats ``title``
        (the headline) is context.
        """
        if not sentences or (rows is not None and not rows):
            return ()
        model = self.model if self.model is not None else load_model()
        features = extract_features(sentences, title=title, rows=rows)
        scores = model.scores(features.matrix, features.terms)
        probabilities = model.probabilities(scores)
        results: list[Classification] = []
        for i, found in enumerate(features.hits):
            if "_title" in found:
                results.append(Classification("context", 1.0, found["_title"]))
                continue
            best = int(np.argmax(scores[i]))
            label = model.labels[best]
            rule = features.rules[i]
            if rule is not None and rule[0] == label:
                reason = rule[1]
            else:
                reason = _reason(model, best, features.matrix[i], features.terms[i], found)
            results.append(Classification(label, float(probabilities[i, best]), reason))
        logger.debug("classified %d sentences", len(results))
        return tuple(results)
