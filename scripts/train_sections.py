"""Retrain the section classifier's weights (briefing/data/sections_model.json).

Reads the labelled sentences (``../shared/data/sections_dev.jsonl`` by default), turns each
article's sentences into features with ``briefing.classify.extract_features`` and fits an
L2-regularised multinomial logistic regression with numpy/scipy (deterministic: no random
state).  The regularisation strength is chosen by leave-one-article-out cross-validation.

Example:
    /work/venv/bin/python scripts/train_sections.py
    /work/venv/bin/python scripts/train_sections.py --data ../shared/data/sections_dev.jsonl --l2 3
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
L2_GRID: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0, 100.0)
# Context is the default section, so its bias is the reference and is not penalised.
SECTION_LABELS = ("outcome", "disagreement", "next_step")
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


@dataclass(frozen=True, slots=True)
class Dataset:
    """Feature matrix, label indices (into LABELS), article of each row, and the texts."""

    x: np.ndarray
    y: np.ndarray
    docs: tuple[str, ...]
    texts: tuple[str, ...]
    also: tuple[tuple[str, ...], ...]


def load_dataset(path: Path) -> Dataset:
    """Return the Dataset of a sections JSONL file (a Path), articles in file order."""
    articles: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                articles.setdefault(row["doc"], []).append(row)
    blocks, labels, docs, texts, also = [], [], [], [], []
    for doc, rows in articles.items():
        rows.sort(key=lambda r: r["i"])
        sentences = [r["text"] for r in rows]
        blocks.append(extract_features(sentences).matrix)
        labels.extend(LABELS.index(r["label"]) for r in rows)
        docs.extend([doc] * len(rows))
        texts.extend(sentences)
        also.extend(tuple(r.get("also", ())) for r in rows)
    return Dataset(
        x=np.vstack(blocks),
        y=np.asarray(labels),
        docs=tuple(docs),
        texts=tuple(texts),
        also=tuple(also),
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
        for k, label in enumerate(LABELS):
            if name.startswith(label + "_"):
                prior[k, j] = PRIOR_STRENGTH.get(name.removeprefix(label + "_"), 1.0)
    return prior


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Return (weights, bias) of a multinomial logistic regression L2-penalised toward the prior."""
    n, d = x.shape
    k = len(LABELS)
    prior = prior_weights()[:, :d]
    onehot = np.eye(k)[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        scores = x @ w.T + b
        scores -= scores.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scores).sum(axis=1, keepdims=True))
        log_p = scores - log_norm
        shift = w - prior
        value = -(onehot * log_p).sum() / n + 0.5 * l2 / n * (shift * shift).sum()
        diff = (np.exp(log_p) - onehot) / n
        grad_w = diff.T @ x + l2 / n * shift
        grad_b = diff.sum(axis=0)
        return float(value), np.concatenate([grad_w.ravel(), grad_b])

    theta0 = np.concatenate([prior.ravel(), np.zeros(k)])
    result = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    w = result.x[: k * d].reshape(k, d)
    b = result.x[k * d :]
    return w, b


def probabilities(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the (n, labels) class probabilities of x under weights w and bias b."""
    scores = x @ w.T + b
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def cross_val_probabilities(data: Dataset, l2: float, folds: int | None = None) -> np.ndarray:
    """Return out-of-fold probabilities: each article is scored by a model trained without it.

    ``folds=None`` is leave-one-article-out; otherwise articles are dealt round-robin into
    that many folds (in file order, so the split is reproducible).
    """
    unique = list(dict.fromkeys(data.docs))
    fold_of = {doc: (i if folds is None else i % folds) for i, doc in enumerate(unique)}
    fold = np.asarray([fold_of[d] for d in data.docs])
    out = np.zeros((len(data.y), len(LABELS)))
    for f in np.unique(fold):
        test = fold == f
        w, b = fit(data.x[~test], data.y[~test], l2)
        out[test] = probabilities(data.x[test], w, b)
    return out


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
        pred = cross_val_probabilities(data, l2).argmax(axis=1)
        score = macro_f1(data.y, pred)
        logger.info("l2=%g: leave-one-article-out macro-F1 %.3f", l2, score)
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
    w, b = fit(data.x, data.y, l2)
    model = {
        "labels": list(LABELS),
        "features": list(feature_names()),
        "weights": np.round(w, 5).tolist(),
        "bias": np.round(b, 5).tolist(),
        "l2": l2,
        "trained_on": args.data.name,
        "sentences": len(data.y),
        "articles": len(set(data.docs)),
        "trained": dt.date.today().isoformat(),
    }
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    logger.info("wrote %s (l2=%g)", args.out, l2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
