"""Retrain the section classifier's weights (briefing/data/sections_model.json).

Reads the labelled sentences (``../shared/data/sections_dev.jsonl`` by default), turns each
article's sentences into features with ``briefing.classify.extract_features`` and fits an
L2-regularised multinomial logistic regression with numpy/scipy (deterministic: no random
state), penalised toward a prior in which each cue group votes for its own label.

Two choices are made by cross-validation grouped by article, so no article is ever scored by
a model that saw it: the regularisation strength (best macro-F1), and a temperature that
calibrates the probabilities (least log-loss on the out-of-fold scores).  The shipped
weights are divided by that temperature, so ``confidence >= 0.7`` means about what it says.

One article is down-weighted (``ARTICLE_WEIGHT``): bbc:politics/380 is mostly a page of
readers' comments (152 sentences, 65 of the 235 disagreements in the file), labelled by how
opinionated each comment is.  At full weight it teaches that opinion is disagreement and
"will" is not a plan, which does not hold for news copy.

Example:
    /work/venv/bin/python scripts/train_sections.py
    /work/venv/bin/python scripts/train_sections.py --data ../shared/data/sections_dev.jsonl --l2 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.classify import MODEL_FILE, extract_features, feature_names  # noqa: E402
from briefing.models import LABELS  # noqa: E402

logger = logging.getLogger("train_sections")

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sections_dev.jsonl"
L2_GRID: tuple[float, ...] = (0.3, 1.0, 3.0)
FOLDS = 10
TEMPERATURES = np.round(np.arange(0.5, 3.001, 0.05), 2)
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
    "boilerplate": 3.0,
}
# A cue outside the main clause ("..., ending a dispute") votes at this share of the prior.
SUBORDINATE_PRIOR = 0.5


@dataclass(frozen=True, slots=True)
class Dataset:
    """Feature matrix, label indices (into LABELS), row weights, article of each row, texts,
    the editors' second labels, and the label a priority rule gives each row (or None)."""

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    docs: tuple[str, ...]
    texts: tuple[str, ...]
    also: tuple[tuple[str, ...], ...]
    rules: tuple[tuple[str, str] | None, ...]


def load_dataset(path: Path) -> Dataset:
    """Return the Dataset of a sections JSONL file (a Path), articles in file order."""
    articles: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                articles.setdefault(row["doc"], []).append(row)
    blocks, labels, docs, texts, also, rules = [], [], [], [], [], []
    for doc, rows in articles.items():
        rows.sort(key=lambda r: r["i"])
        sentences = [r["text"] for r in rows]
        features = extract_features(sentences)
        blocks.append(features.matrix)
        rules.extend(features.rules)
        labels.extend(LABELS.index(r["label"]) for r in rows)
        docs.extend([doc] * len(rows))
        texts.extend(sentences)
        also.extend(tuple(r.get("also", ())) for r in rows)
    return Dataset(
        x=np.vstack(blocks),
        y=np.asarray(labels),
        weight=np.asarray([ARTICLE_WEIGHT.get(d, 1.0) for d in docs]),
        docs=tuple(docs),
        texts=tuple(texts),
        also=tuple(also),
        rules=tuple(rules),
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


def fit(
    x: np.ndarray, y: np.ndarray, l2: float, weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return (weights, bias) of a weighted multinomial logistic regression, L2 toward the prior."""
    n, d = x.shape
    k = len(LABELS)
    prior = prior_weights()
    onehot = np.eye(k)[y]
    sw = np.ones(n) if weight is None else weight
    total = float(sw.sum())

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        scores = x @ w.T + b
        scores -= scores.max(axis=1, keepdims=True)
        log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        shift = w - prior
        value = -(sw[:, None] * onehot * log_p).sum() / total
        value += 0.5 * l2 / total * (shift * shift).sum()
        diff = sw[:, None] * (np.exp(log_p) - onehot) / total
        grad_w = diff.T @ x + l2 / total * shift
        return float(value), np.concatenate([grad_w.ravel(), diff.sum(axis=0)])

    theta0 = np.concatenate([prior.ravel(), np.zeros(k)])
    result = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 3000})
    return result.x[: k * d].reshape(k, d), result.x[k * d :]


def softmax(scores: np.ndarray) -> np.ndarray:
    """Return the row-wise softmax (an array) of a (n, labels) score array."""
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def fold_of(docs: Sequence[str], folds: int | None) -> np.ndarray:
    """Return the fold (an int array) of each row: articles dealt round-robin in file order.

    ``folds=None`` is leave-one-article-out.
    """
    unique = list(dict.fromkeys(docs))
    index = {doc: (i if folds is None else i % folds) for i, doc in enumerate(unique)}
    return np.asarray([index[d] for d in docs])


def cross_val_scores(data: Dataset, l2: float, folds: int | None = FOLDS) -> np.ndarray:
    """Return out-of-fold scores (logits): each article is scored by a model trained without it."""
    fold = fold_of(data.docs, folds)
    out = np.zeros((len(data.y), len(LABELS)))
    for f in np.unique(fold):
        test = fold == f
        w, b = fit(data.x[~test], data.y[~test], l2, data.weight[~test])
        out[test] = data.x[test] @ w.T + b
    return out


def fit_temperature(y: np.ndarray, scores: np.ndarray, weight: np.ndarray) -> float:
    """Return the temperature (a float) that minimises the weighted log-loss of ``scores``."""
    rows = np.arange(len(y))
    losses = [-(weight * np.log(softmax(scores / t)[rows, y] + 1e-12)).sum() for t in TEMPERATURES]
    return float(TEMPERATURES[int(np.argmin(losses))])


def cross_val_probabilities(
    data: Dataset, l2: float, folds: int | None = FOLDS
) -> tuple[np.ndarray, float]:
    """Return (calibrated out-of-fold probabilities, temperature).

    Each fold's temperature is fitted on the out-of-fold scores of the OTHER folds, so the
    calibration of an article never uses its own labels.  The temperature returned is the
    one fitted on all out-of-fold scores (the one the shipped model uses).
    """
    scores = cross_val_scores(data, l2, folds)
    fold = fold_of(data.docs, folds)
    probs = np.zeros_like(scores)
    for f in np.unique(fold):
        test = fold == f
        t = fit_temperature(data.y[~test], scores[~test], data.weight[~test])
        probs[test] = softmax(scores[test] / t)
    return probs, fit_temperature(data.y, scores, data.weight)


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


def choose_l2(data: Dataset, grid: Sequence[float] = L2_GRID) -> float:
    """Return the L2 strength (a float) of ``grid`` with the best cross-validated macro-F1."""
    best, best_score = grid[0], -1.0
    for l2 in grid:
        pred = cross_val_scores(data, l2).argmax(axis=1)
        score = macro_f1(data.y, pred)
        logger.info("l2=%g: %d-fold by article macro-F1 %.3f", l2, FOLDS, score)
        if score > best_score:
            best, best_score = l2, score
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Train on --data and write the weights to --out; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--l2", type=float, default=None, help="skip the search, use this")
    parser.add_argument("--out", type=Path, default=ROOT / "briefing" / "data" / MODEL_FILE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    data = load_dataset(args.data)
    logger.info("%d sentences from %d articles", len(data.y), len(set(data.docs)))
    l2 = args.l2 if args.l2 is not None else choose_l2(data)
    temperature = fit_temperature(data.y, cross_val_scores(data, l2), data.weight)
    w, b = fit(data.x, data.y, l2, data.weight)
    model = {
        "labels": list(LABELS),
        "features": list(feature_names()),
        "weights": np.round(w / temperature, 5).tolist(),
        "bias": np.round(b / temperature, 5).tolist(),
        "l2": l2,
        "temperature": temperature,
        "article_weight": ARTICLE_WEIGHT,
        "trained_on": args.data.name,
        "sentences": len(data.y),
        "articles": len(set(data.docs)),
        "trained": dt.date.today().isoformat(),
    }
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    logger.info("wrote %s (l2=%g, temperature %.2f)", args.out, l2, temperature)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
