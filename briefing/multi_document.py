"""One summary of several articles on one story (``briefing.summarize_many``).

A sentence's *worth* is its rank within its own article (the ranker's order, so a lead
counts) averaged with how central it is to all the articles together (cosine with their
TF-IDF centroid).  The summary is then built greedily, one sentence at a time, valuing each
by its worth and by what it adds: the *concepts* (pairs of adjacent content words, "prime
minist", "interest rate") that several of the articles state and the summary does not yet
hold, each weighed by how many articles state it.  That is the concept coverage of
Gillick and Favre's ICSISumm, chosen greedily rather than by an integer program: what many
reports say comes first, and once said it earns nothing again.  A sentence that repeats
a chosen one is passed over, and so is one stating a figure ("£500m", "1,950 jobs")
already stated, or one that leans on the sentence before it ("Its furnaces ..."), or one
that a brief would not show as a bullet either (``clean.is_prose``: a heading, a list item,
a desk's note in brackets).

The three weights were chosen on the DUC 2006 topics of ``../shared`` (benchmarks/
multidoc.py --dev), on all 25 articles of a topic and on its first 10, at 100 and 250
words; the figures there stay within noise of each other from 0.25 to 0.4 for
COVERAGE_WEIGHT and 0.3 to 0.7 for LENGTH_POWER.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from .clean import is_prose
from .combine import tfidf_rows
from .words import content_stems, figures_of, leans_on_previous

__all__ = ["select_across"]

# A sentence this close to one already chosen (share of its content words) says it again.
REPEATS = 0.5
# Shorter sentences are fragments, datelines or captions rather than summary material.
MIN_SUMMARY_WORDS = 6
# A concept counts when at least two of the articles, and this share of them, state it.
CONCEPT_SHARE = 0.15
# A sentence's value: this much the new concepts it adds, the rest its worth.
COVERAGE_WEIGHT = 0.3
# New concepts are counted per (words ** LENGTH_POWER): a long sentence adds more of them,
# but spends more of the budget.
LENGTH_POWER = 0.5


def select_across(
    documents: Sequence[Sequence[str]], importance: Sequence[np.ndarray], *, words: int
) -> list[tuple[int, int]]:
    """Choose sentences from several documents for one summary of ``words`` words at most.

    ``importance`` holds each document's sentence scores (higher is better).  Returns
    (document, sentence) index pairs, in the order they were chosen (most valuable first).
    """
    index = [(d, i) for d, doc in enumerate(documents) for i in range(len(doc))]
    if not index or words <= 0:
        return []
    sentences = [documents[d][i] for d, i in index]
    tokens = [content_stems(s) for s in sentences]
    worth = _worth(tokens, importance)
    concepts = [set(pairwise(t)) for t in tokens]
    weights = _concept_weights(concepts, [d for d, _ in index], len(documents))
    holders: dict[tuple[str, str], list[int]] = {c: [] for c in weights}
    gains = np.zeros(len(index))
    for k, held in enumerate(concepts):
        for concept in held & weights.keys():
            holders[concept].append(k)
            gains[k] += weights[concept]
    lengths = np.array([len(s.split()) for s in sentences], dtype=float)
    per_word = np.maximum(lengths, 1.0) ** LENGTH_POWER
    open_ = np.array([is_prose(s) and not leans_on_previous(s) for s in sentences])
    open_ &= (lengths >= MIN_SUMMARY_WORDS) & (lengths <= words)
    chosen: list[int] = []
    chosen_words: list[frozenset[str]] = []
    stated: set[str] = set()
    used = 0.0
    while open_.any():
        adds = gains / per_word
        most = adds[open_].max()
        value = (1.0 - COVERAGE_WEIGHT) * worth
        if most > 0:
            value = value + COVERAGE_WEIGHT * adds / most
        k = int(np.argmax(np.where(open_, value, -np.inf)))
        open_[k] = False
        stems = frozenset(tokens[k])
        figures = figures_of(sentences[k])
        if figures & stated or any(_overlap(stems, o) >= REPEATS for o in chosen_words):
            continue
        chosen.append(k)
        chosen_words.append(stems)
        stated |= figures
        used += lengths[k]
        open_ &= lengths <= words - used  # what no longer fits the budget never will
        for concept in concepts[k] & weights.keys():
            weight = weights.pop(concept)
            for holder in holders[concept]:
                gains[holder] -= weight
    return [index[k] for k in chosen]


def _worth(tokens: list[list[str]], importance: Sequence[np.ndarray]) -> np.ndarray:
    """Each sentence's rank in its document averaged with its cosine to the centroid."""
    vectors = tfidf_rows(tokens)
    centroid = np.asarray(vectors.sum(axis=0)).ravel()
    centroid /= np.linalg.norm(centroid) or 1.0
    central = vectors @ centroid
    central = central / (central.max() or 1.0)
    percentile = np.concatenate([_percentiles(np.asarray(s, dtype=float)) for s in importance])
    return 0.5 * percentile + 0.5 * central


def _concept_weights(
    concepts: list[set[tuple[str, str]]], document_of: list[int], n_documents: int
) -> dict[tuple[str, str], float]:
    """The concepts that enough documents state, each weighed by how many state it."""
    per_document: dict[int, set[tuple[str, str]]] = {}
    for held, d in zip(concepts, document_of, strict=True):
        per_document.setdefault(d, set()).update(held)
    stating = Counter(c for held in per_document.values() for c in held)
    least = max(2.0, CONCEPT_SHARE * n_documents)
    return {c: float(n) for c, n in stating.items() if n >= least}


def _percentiles(scores: np.ndarray) -> np.ndarray:
    """1.0 for a document's best sentence down to 1/n for its worst."""
    n = len(scores)
    ranks = np.empty(n)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(n)
    return 1.0 - ranks / max(n, 1)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    shorter = min(len(a), len(b))
    return len(a & b) / shorter if shorter else 0.0
