"""The shipped classifier: priority rules first, then a calibrated logistic regression.

A small multinomial logistic regression over the features of :mod:`.features`.  Its
weights live in ``data/sections_model.json``, are rebuilt by ``scripts/train_sections.py``
and are temperature-calibrated, so that the confidence is a probability a threshold can
rely on.  :class:`LogisticClassifier` gives each sentence the label a priority rule sets,
else the model's most probable one, with a short reason either way.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..models import Classification, Label
from .features import extract_features, feature_names
from .rules import RULE_CONFIDENCE

logger = logging.getLogger(__name__)

__all__ = ["MODEL_FILE", "LogisticClassifier", "Model", "load_model"]

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
}


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


@dataclass(frozen=True, slots=True)
class LogisticClassifier:
    """Our classifier: priority rules, then a calibrated logistic regression over cue words."""

    #: The weights to use; None for the shipped ones, read on first use.
    model: Model | None = None

    def classify(
        self, sentences: Sequence[str], *, title: str | None = None
    ) -> tuple[Classification, ...]:
        """Return one Classification per sentence of ONE article (a Sequence of str, in order).

        ``label`` is one of "outcome", "disagreement", "next_step", "context"; ``confidence``
        is the calibrated probability of that label, in [0, 1] (at least ``RULE_CONFIDENCE``
        when a priority rule set it); ``reason`` says why.  A sentence that repeats ``title``
        (the headline) is context.
        """
        if not sentences:
            return ()
        model = self.model if self.model is not None else load_model()
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
