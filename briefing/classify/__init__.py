"""Classify sentences into briefing sections: outcome, disagreement, next_step or context.

Every classifier satisfies :class:`Classifier`: it takes one article's sentences (already
split, in document order) and an optional title, and returns one ``Classification`` per
sentence, whose confidence is a probability the threshold ``CONFIDENT`` can rely on.
``CLASSIFIERS`` maps each name to a factory; :func:`get_classifier` looks one up.

The shipped one, ``default`` (:class:`LogisticClassifier`), is a calibrated multinomial
**logistic regression** (:mod:`.model`) over features meant to hold on any outlet
(:mod:`.features`): the hits of the cue lexicon (:mod:`.cues`) in the main clause and
outside it (:mod:`.clauses`), which **priority rule** fires (:mod:`.rules`: negated
progress, a dispute verb, a dated decision, a scheduled step, a reported promise), the
sentence's shape and mood (a condition, a wish, a speculation), the cues of its neighbours,
and the words and word pairs a vocabulary shared by several outlets holds.

Reported speech takes the label of what is reported: neutral reporting verbs ("said",
"told", "according to") are not cues, so "He said the firm will cut 500 jobs" is scored on
"will cut ... jobs".  Stance-bearing reporting verbs ("denied", "warned", "pledged") are cues.
The lexicon and the weights are loaded lazily, on the first call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from ..errors import UnknownClassifierError
from ..models import CONFIDENT, LABELS, Classification
from ..registry import create
from .features import extract_features, feature_names
from .model import MODEL_FILE, LogisticClassifier, load_model
from .rules import priority_rule

logger = logging.getLogger(__name__)

__all__ = [
    "CLASSIFIERS",
    "CONFIDENT",
    "LABELS",
    "MODEL_FILE",
    "Classification",
    "Classifier",
    "LogisticClassifier",
    "classify_sentences",
    "extract_features",
    "feature_names",
    "get_classifier",
    "load_model",
    "priority_rule",
]


class Classifier(Protocol):
    """Anything that files an article's sentences into briefing sections."""

    def classify(
        self,
        sentences: Sequence[str],
        *,
        title: str | None = None,
        rows: Sequence[int] | None = None,
    ) -> tuple[Classification, ...]:
        """Return one Classification per sentence (a tuple aligned with ``sentences``), or
        per sentence at the indices ``rows`` alone (aligned with ``rows``), each given as
        it would be in the whole article: a brief needs the labels of a few sentences of
        most articles."""
        ...


CLASSIFIERS: dict[str, Callable[[], Classifier]] = {
    "default": LogisticClassifier,
}


def get_classifier(name: str = "default") -> Classifier:
    """Return a new classifier for ``name`` (a name in ``CLASSIFIERS``).

    Raises :class:`~briefing.errors.UnknownClassifierError` naming the valid classifiers.
    """
    return create(CLASSIFIERS, name, UnknownClassifierError, "classifier")


def classify_sentences(
    sentences: Sequence[str], *, title: str | None = None, classifier: str = "default"
) -> tuple[Classification, ...]:
    """Return one Classification per sentence of ONE article (a Sequence of str, in order),
    as the ``classifier`` named gives them.

    ``label`` is one of "outcome", "disagreement", "next_step", "context"; ``confidence``
    is the probability of that label, in [0, 1]; ``reason`` says why.
    """
    return get_classifier(classifier).classify(sentences, title=title)
