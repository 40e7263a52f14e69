"""Retrain the section classifier (briefing/data/sections_model.json) from ../shared.

Reads the labelled sentences of ``../shared/data/sections_dev.jsonl`` (40 BBC articles) and
``sections_train.jsonl`` (242 articles of 74 outlets), turns each article's sentences into
features with ``briefing.classify.extract_features`` and fits a multinomial logistic
regression with numpy/scipy (deterministic: no random state, so the same data give the same
file byte for byte).

Built to carry over to outlets it has never seen, since that is where it is used:

* the vocabulary keeps only words and word pairs that at least ``MIN_OUTLETS`` outlets use,
  so no outlet's house style or recurring names are learned;
* every choice is made on **outlet folds**, each outlet's sentences scored by a model that
  saw none of that outlet (``outlet_folds``): the regularisation strength (best macro-F1
  over outcome, disagreement and next step), and the calibration of the confidence (a
  temperature and a shift per label, least log-loss), so that a confidence of 0.8 is what
  it says on a new outlet;
* each label is weighted by how rare it is, so the decision (the argmax of the scores) is
  not drowned by ``context``, two sentences in three.

The dense weights are penalised toward a prior in which each cue group votes for its own
label, so the lexicons keep their meaning where the labels are thin; the words, toward 0.
One article is down-weighted (``ARTICLE_WEIGHT``): bbc:politics/380 is mostly a page of
readers' comments, labelled by how opinionated each comment is.

Example:
    python scripts/train_sections.py
    python scripts/train_sections.py --l2 30 --out /tmp/model.json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.classify import MODEL_FILE, extract_features, feature_names  # noqa: E402
from briefing.classify.model import Model, softmax, term_matrix  # noqa: E402
from briefing.models import LABELS  # noqa: E402

logger = logging.getLogger("train_sections")

SHARED = ROOT.parent / "shared" / "data"
DEFAULT_DATA: tuple[Path, ...] = (SHARED / "sections_dev.jsonl", SHARED / "sections_train.jsonl")
#: The outlet of an article whose row names none (sections_dev.jsonl is all BBC).
DEFAULT_SOURCE = "bbc.co.uk"
L2_GRID: tuple[float, ...] = (10.0, 30.0, 100.0)
#: A word or word pair is in the vocabulary when this many outlets, and articles, use it.
MIN_OUTLETS = 3
MIN_ARTICLES = 3
#: An outlet with this many labelled sentences is a fold of its own; the others are dealt
#: into SMALL_FOLDS folds, so that a fold is never scored by a model that saw its outlet.
OWN_FOLD = 300
SMALL_FOLDS = 10
SECTION_LABELS = ("outcome", "disagreement", "next_step")
# Training weight of an article (1.0 when not listed); see the module docstring.
ARTICLE_WEIGHT: dict[str, float] = {"bbc:politics/380": 0.3}
# Prior weight of a cue group for its own label (1.0 when not listed).
PRIOR_STRENGTH: dict[str, float] = {
    "stalemate": 2.5,
    "rejection": 2.5,
    "conflict": 1.5,
    "decision": 1.5,
    "result": 1.5,
    "modal": 1.0,
    "plan": 1.5,
    "time": 1.5,
    "contrast": 0.5,
    "opinion": 0.5,
    "hypothetical": 0.5,
    "boilerplate": 3.0,
}
# A cue outside the main clause ("..., ending a dispute") votes at this share of the prior.
SUBORDINATE_PRIOR = 0.5


@dataclass(frozen=True, slots=True)
class Dataset:
    """Dense features, terms, label indices (into LABELS), row weights, the article and the
    outlet of each row, texts, the editors' second labels, and each row's priority rule."""

    x: np.ndarray
    terms: tuple[frozenset[str], ...]
    y: np.ndarray
    weight: np.ndarray
    docs: tuple[str, ...]
    sources: tuple[str, ...]
    texts: tuple[str, ...]
    also: tuple[tuple[str, ...], ...]
    rules: tuple[tuple[str, str] | None, ...]

    def subset(self, rows: np.ndarray) -> Dataset:
        """Return the Dataset of the rows where the boolean array ``rows`` is true."""
        index = np.flatnonzero(rows)
        pick = [int(i) for i in index]
        return Dataset(
            x=self.x[index],
            terms=tuple(self.terms[i] for i in pick),
            y=self.y[index],
            weight=self.weight[index],
            docs=tuple(self.docs[i] for i in pick),
            sources=tuple(self.sources[i] for i in pick),
            texts=tuple(self.texts[i] for i in pick),
            also=tuple(self.also[i] for i in pick),
            rules=tuple(self.rules[i] for i in pick),
        )


def read_articles(paths: Sequence[Path]) -> dict[str, list[dict]]:
    """Return {article id: its labelled rows in order} from sections JSONL files."""
    articles: dict[str, list[dict]] = {}
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    row.setdefault("source", DEFAULT_SOURCE)
                    articles.setdefault(row["doc"], []).append(row)
    for rows in articles.values():
        rows.sort(key=lambda r: r["i"])
    return articles


def load_dataset(paths: Sequence[Path] = DEFAULT_DATA) -> Dataset:
    """Return the Dataset of sections JSONL files (Paths), articles in file order."""
    blocks, terms, labels, docs, sources, texts, also, rules = [], [], [], [], [], [], [], []
    for doc, rows in read_articles(paths).items():
        sentences = [r["text"] for r in rows]
        features = extract_features(sentences)
        blocks.append(features.matrix)
        terms.extend(features.terms)
        rules.extend(features.rules)
        labels.extend(LABELS.index(r["label"]) for r in rows)
        docs.extend([doc] * len(rows))
        sources.extend(r["source"] for r in rows)
        texts.extend(sentences)
        also.extend(tuple(r.get("also", ())) for r in rows)
    return Dataset(
        x=np.vstack(blocks),
        terms=tuple(terms),
        y=np.asarray(labels),
        weight=np.asarray([ARTICLE_WEIGHT.get(d, 1.0) for d in docs]),
        docs=tuple(docs),
        sources=tuple(sources),
        texts=tuple(texts),
        also=tuple(also),
        rules=tuple(rules),
    )


def vocabulary(data: Dataset) -> tuple[str, ...]:
    """Return the terms (sorted) that at least MIN_OUTLETS outlets and MIN_ARTICLES
    articles of ``data`` use."""
    outlets: dict[str, set[str]] = {}
    articles: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for found, doc, source in zip(data.terms, data.docs, data.sources, strict=True):
        for term in found:
            outlets.setdefault(term, set()).add(source)
            if (doc, term) not in seen:
                seen.add((doc, term))
                articles[term] += 1
    return tuple(
        sorted(
            t for t, o in outlets.items() if len(o) >= MIN_OUTLETS and articles[t] >= MIN_ARTICLES
        )
    )


def prior_weights(names: Sequence[str] = ()) -> np.ndarray:
    """Return the (labels, features) prior: each cue group votes for the label it is named after.

    The fit is penalised toward this prior rather than toward zero, so the lexicons keep their
    meaning where the labelled data are thin or noisy, and only well-supported evidence moves
    a weight away from it.
    """
    names = tuple(names) or feature_names()
    prior = np.zeros((len(LABELS), len(names)))
    for j, name in enumerate(names):
        group, _, where = name.partition(":")
        for k, label in enumerate(LABELS):
            if group.startswith(label + "_"):
                strength = PRIOR_STRENGTH.get(group.removeprefix(label + "_"), 1.0)
                prior[k, j] = strength * (SUBORDINATE_PRIOR if where == "sub" else 1.0)
    return prior


def balanced(y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return row weights (an array) under which every label weighs the same in all."""
    totals = np.bincount(y, weights=weight, minlength=len(LABELS))
    return weight * (weight.sum() / (len(LABELS) * np.maximum(totals, 1e-9)))[y]


def fit(data: Dataset, l2: float, *, terms: bool = True) -> Model:
    """Return the uncalibrated Model fitted on ``data`` with L2 strength ``l2``; with
    ``terms=False``, on the dense features alone (an empty vocabulary)."""
    vocab = vocabulary(data) if terms else ()
    column = {t: j for j, t in enumerate(vocab)}
    design = sparse.hstack([sparse.csr_matrix(data.x), term_matrix(data.terms, column)]).tocsr()
    d = design.shape[1]
    dense = data.x.shape[1]
    k = len(LABELS)
    prior = np.hstack([prior_weights(), np.zeros((k, d - dense))])
    onehot = np.eye(k)[data.y]
    sw = balanced(data.y, data.weight)
    total = float(sw.sum())

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        scores = design @ w.T + b
        scores -= scores.max(axis=1, keepdims=True)
        log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        shift = w - prior
        value = -(sw[:, None] * onehot * log_p).sum() / total
        value += 0.5 * l2 / total * (shift * shift).sum()
        diff = sw[:, None] * (np.exp(log_p) - onehot) / total
        grad_w = np.asarray((design.T @ diff).T) + l2 / total * shift
        return float(value), np.concatenate([grad_w.ravel(), diff.sum(axis=0)])

    theta0 = np.concatenate([prior.ravel(), np.zeros(k)])
    result = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 3000})
    w = result.x[: k * d].reshape(k, d)
    return Model(
        labels=LABELS,
        features=feature_names(),
        weights=w[:, :dense],
        vocabulary=vocab,
        term_weights=w[:, dense:],
        bias=result.x[k * d :],
    )


def decision_scores(model: Model, data: Dataset) -> np.ndarray:
    """Return the (rows, labels) decision scores ``model`` gives ``data``."""
    return model.scores(data.x, data.terms)


def outlet_folds(sources: Sequence[str]) -> np.ndarray:
    """Return the fold (an int array) of each row: an outlet with OWN_FOLD sentences or more
    alone, the others dealt round-robin, in name order, into SMALL_FOLDS folds."""
    counts = Counter(sources)
    big = sorted(s for s, c in counts.items() if c >= OWN_FOLD)
    small = sorted(s for s in counts if s not in big)
    fold = {s: i for i, s in enumerate(big)}
    fold.update({s: len(big) + i % SMALL_FOLDS for i, s in enumerate(small)})
    return np.asarray([fold[s] for s in sources])


def article_folds(docs: Sequence[str], folds: int = 10) -> np.ndarray:
    """Return the fold (an int array) of each row: articles dealt round-robin in file order."""
    index = {doc: i % folds for i, doc in enumerate(dict.fromkeys(docs))}
    return np.asarray([index[d] for d in docs])


def cross_val_scores(data: Dataset, l2: float, fold: np.ndarray) -> np.ndarray:
    """Return out-of-fold decision scores: each fold scored by a model trained without it."""
    out = np.zeros((len(data.y), len(LABELS)))
    for f in np.unique(fold):
        test = fold == f
        out[test] = decision_scores(fit(data.subset(~test), l2), data.subset(test))
    return out


def fit_calibration(y: np.ndarray, scores: np.ndarray) -> tuple[float, np.ndarray]:
    """Return (temperature, shift per label) minimising the log-loss of
    ``softmax(scores / temperature + shift)``; the shift of the last label stays 0."""
    rows = np.arange(len(y))

    def loss(theta: np.ndarray) -> float:
        probs = softmax(scores / theta[0] + np.append(theta[1:], 0.0))
        return float(-np.log(probs[rows, y] + 1e-12).mean())

    start = np.array([1.0] + [0.0] * (len(LABELS) - 1))
    theta = minimize(loss, start, method="Nelder-Mead", options={"maxiter": 4000}).x
    return float(theta[0]), np.append(theta[1:], 0.0)


def calibrated(model: Model, temperature: float, shift: np.ndarray) -> Model:
    """Return ``model`` with this calibration."""
    return replace(model, temperature=temperature, shift=shift)


def cross_val_probabilities(
    data: Dataset, l2: float, fold: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return (out-of-fold decision scores, their calibrated probabilities), two arrays.

    Each fold's calibration is fitted on the out-of-fold scores of the OTHER folds, so the
    confidence of an outlet never uses its own labels.
    """
    scores = cross_val_scores(data, l2, fold)
    probs = np.zeros_like(scores)
    for f in np.unique(fold):
        test = fold == f
        temperature, shift = fit_calibration(data.y[~test], scores[~test])
        probs[test] = softmax(scores[test] / temperature + shift)
    return scores, probs


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Return the mean F1 (a float) over outcome, disagreement and next_step."""
    scores = []
    for label in SECTION_LABELS:
        k = LABELS.index(label)
        tp = float(np.sum((pred == k) & (y == k)))
        fp = float(np.sum((pred == k) & (y != k)))
        fn = float(np.sum((pred != k) & (y == k)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def train(data: Dataset, l2: float | None = None) -> tuple[Model, float]:
    """Return (the calibrated Model fitted on all of ``data``, its L2 strength).

    Without ``l2``, the strength of L2_GRID with the best outlet-fold macro-F1.
    """
    fold = outlet_folds(data.sources)
    scores: dict[float, np.ndarray] = {}
    for value in L2_GRID if l2 is None else (l2,):
        scores[value] = cross_val_scores(data, value, fold)
        f1 = macro_f1(data.y, scores[value].argmax(axis=1))
        logger.info("l2=%g: outlet-fold macro-F1 %.3f", value, f1)
    best = max(scores, key=lambda v: macro_f1(data.y, scores[v].argmax(axis=1)))
    temperature, shift = fit_calibration(data.y, scores[best])
    return calibrated(fit(data, best), temperature, shift), best


def model_to_dict(model: Model, l2: float, data: Dataset) -> dict:
    """Return the JSON object of ``model`` (rounded, so the file is stable)."""
    return {
        "labels": list(model.labels),
        "features": list(model.features),
        "weights": np.round(model.weights, 5).tolist(),
        "bias": np.round(model.bias, 5).tolist(),
        "temperature": round(model.temperature, 5),
        "shift": np.round(model.shift, 5).tolist(),
        "vocabulary": list(model.vocabulary),
        "term_weights": np.round(model.term_weights, 4).tolist(),
        "l2": l2,
        "article_weight": ARTICLE_WEIGHT,
        "trained_on": [p.name for p in DEFAULT_DATA],
        "sentences": len(data.y),
        "articles": len(set(data.docs)),
        "outlets": len(set(data.sources)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Train on the shared data and write the model to --out; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--l2", type=float, default=None, help="skip the search, use this")
    parser.add_argument("--out", type=Path, default=ROOT / "briefing" / "data" / MODEL_FILE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    missing = [p for p in DEFAULT_DATA if not p.exists()]
    if missing:
        print(f"no labelled data at {missing[0]}", file=sys.stderr)
        return 2
    data = load_dataset()
    logger.info(
        "%d sentences from %d articles of %d outlets",
        len(data.y),
        len(set(data.docs)),
        len(set(data.sources)),
    )
    model, l2 = train(data, args.l2)
    text = json.dumps(model_to_dict(model, l2, data), separators=(",", ":")) + "\n"
    args.out.write_text(text, encoding="utf-8")
    logger.info(
        "wrote %s (l2=%g, %d terms, temperature %.2f)",
        args.out,
        l2,
        len(model.vocabulary),
        model.temperature,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
