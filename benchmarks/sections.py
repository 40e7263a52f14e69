"""Benchmark the section classifier on the labelled sentences (../shared/data/sections_dev.jsonl).

The shipped model is trained on that file, so its figures here are cross-validated: each
article is labelled by a model refitted without it (leave-one-article-out, same features and
regularisation as the shipped one).  Beside it: the most-frequent-label baseline and a plain
keyword list.  Also printed: the confusion matrix, precision/recall when only confident
predictions are kept (the rest counted as context), and the throughput of
``briefing.classify.classify_sentences``.

Example:
    /work/venv/bin/python benchmarks/sections.py
    /work/venv/bin/python benchmarks/sections.py --folds 5
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.classify import (  # noqa: E402
    CONFIDENT,
    MODEL_FILE,
    RULE_CONFIDENCE,
    classify_sentences,
)
from briefing.models import LABELS  # noqa: E402


def _load_trainer():
    """Return the scripts/train_sections.py module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "train_sections", ROOT / "scripts" / "train_sections.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_sections"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


SECTIONS = ("outcome", "disagreement", "next_step")
THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
PRECISION_BAR = 0.75
F05_TOLERANCE = 0.015

# The "plain keyword list" baseline: first list with a hit wins, else context.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "disagreement": (
        "criticised",
        "criticized",
        "accused",
        "denied",
        "rejected",
        "opposed",
        "attacked",
        "condemned",
        "dispute",
        "row",
        "clash",
        "protest",
        "refused",
        "no progress",
        "at odds",
        "disagree",
        "warned",
        "but",
    ),
    "next_step": (
        "will",
        "plans",
        "plan to",
        "expected",
        "next week",
        "next month",
        "next year",
        "later this year",
        "to be",
        "scheduled",
        "due to",
        "would",
    ),
    "outcome": (
        "agreed",
        "announced",
        "approved",
        "passed",
        "voted",
        "signed",
        "decided",
        "won",
        "rose",
        "fell",
        "reported",
        "appointed",
        "resigned",
        "launched",
    ),
}


def keyword_baseline(texts: Sequence[str]) -> np.ndarray:
    """Return label indices (an array) from the plain keyword list, context when none hits."""
    patterns = {
        label: re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
        for label, words in KEYWORDS.items()
    }
    out = []
    for text in texts:
        label = next((lab for lab, rx in patterns.items() if rx.search(text)), "context")
        out.append(LABELS.index(label))
    return np.asarray(out)


def scores(y: np.ndarray, pred: np.ndarray) -> dict[str, tuple[float, float, float, int]]:
    """Return {label: (precision, recall, F1, support)} for every label."""
    out = {}
    for k, label in enumerate(LABELS):
        tp = float(np.sum((pred == k) & (y == k)))
        predicted = float(np.sum(pred == k))
        support = int(np.sum(y == k))
        p = tp / predicted if predicted else 0.0
        r = tp / support if support else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = (p, r, f, support)
    return out


def macro(table: dict[str, tuple[float, float, float, int]], index: int = 2) -> float:
    """Return the mean over outcome, disagreement and next_step of column ``index`` (F1)."""
    return float(np.mean([table[label][index] for label in SECTIONS]))


def print_table(name: str, y: np.ndarray, pred: np.ndarray) -> None:
    """Print per-label precision, recall and F1 and the macro-F1 of one system."""
    table = scores(y, pred)
    print(f"\n{name}")
    print(f"  {'label':<13} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label in LABELS:
        p, r, f, n = table[label]
        print(f"  {label:<13} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")
    print(f"  macro-F1 (outcome, disagreement, next_step) = {macro(table):.3f}")


def print_confusion(y: np.ndarray, pred: np.ndarray) -> None:
    """Print the confusion matrix: rows are gold labels, columns predictions."""
    k = len(LABELS)
    matrix = np.zeros((k, k), dtype=int)
    for gold, guess in zip(y, pred, strict=True):
        matrix[gold, guess] += 1
    short = [label[:8] for label in LABELS]
    print("\nconfusion matrix (rows gold, columns predicted)")
    print("  " + " " * 13 + " ".join(f"{s:>8}" for s in short))
    for i, label in enumerate(LABELS):
        print(f"  {label:<13}" + " ".join(f"{v:8d}" for v in matrix[i]))


def decide(
    probs: np.ndarray, rules: Sequence[tuple[str, str] | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Return (label indices, confidences) as ``classify_sentences`` gives them.

    A priority rule sets the label, with at least RULE_CONFIDENCE; otherwise the model's
    most probable label and its probability.
    """
    pred = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    for i, rule in enumerate(rules):
        if rule is not None:
            pred[i] = LABELS.index(rule[0])
            conf[i] = max(RULE_CONFIDENCE, probs[i, pred[i]])
    return pred, conf


def threshold_table(y: np.ndarray, pred: np.ndarray, conf: np.ndarray) -> float:
    """Print P/R of the three sections when low-confidence labels become context.

    Returns the recommended threshold: the one with the best macro-F1 among those where each
    section's precision reaches PRECISION_BAR, else the highest one whose macro-F0.5 (which
    weighs precision over recall, as a briefing should) is within F05_TOLERANCE of the best,
    since deferring a borderline sentence to Key points is cheaper than misfiling it.
    """
    context = LABELS.index("context")
    print("\nkeep a section label only when confidence >= t (else context); * = shipped")
    print(
        f"  {'t':>5} "
        + " ".join(f"{s[:5] + ' P':>8} {s[:5] + ' R':>8}" for s in SECTIONS)
        + f" {'macroF1':>8} {'macroF.5':>8} {'kept':>5}"
    )
    rows = []
    for t in sorted({*THRESHOLDS, CONFIDENT}):
        kept_pred = np.where(conf >= t, pred, context)
        table = scores(y, kept_pred)
        f05 = []
        for label in SECTIONS:
            p, r, _, _ = table[label]
            f05.append(1.25 * p * r / (0.25 * p + r) if p + r else 0.0)
        kept = int(np.sum(kept_pred != context))
        rows.append((t, macro(table), float(np.mean(f05)), min(table[s][0] for s in SECTIONS)))
        mark = "*" if t == CONFIDENT else " "
        print(
            f"  {t:4.2f}{mark} "
            + " ".join(f"{table[s][0]:8.3f} {table[s][1]:8.3f}" for s in SECTIONS)
            + f" {macro(table):8.3f} {np.mean(f05):8.3f} {kept:5d}"
        )
    passing = [r for r in rows if r[3] >= PRECISION_BAR]
    if passing:
        best = max(passing, key=lambda r: r[1])
        why = f"best macro-F1 with every P >= {PRECISION_BAR}"
    else:
        top = max(r[2] for r in rows)
        best = max((r for r in rows if r[2] >= top - F05_TOLERANCE), key=lambda r: r[0])
        why = f"highest t with macro-F0.5 within {F05_TOLERANCE} of the best"
    print(f"  recommended CONFIDENT = {best[0]:.2f} ({why})")
    print(f"  shipped CONFIDENT = {CONFIDENT:.2f} (briefing.classify)")
    return best[0]


def rule_table(y: np.ndarray, rules: Sequence[tuple[str, str] | None], also) -> None:
    """Print how often each priority rule fires and how often its label is the editors'."""
    print("\npriority rules (no training; their label is final)")
    print(f"  {'rule':<18} {'label':<13} {'fired':>5} {'P':>6} {'P lenient':>9}")
    kinds: dict[tuple[str, str], list[int]] = {}
    for i, rule in enumerate(rules):
        if rule is not None:
            kind = rule[1].removeprefix("rule: ").split(' "')[0]
            kinds.setdefault((kind, rule[0]), []).append(i)
    for (kind, label), rows in sorted(kinds.items()):
        k = LABELS.index(label)
        right = sum(1 for i in rows if y[i] == k)
        lenient = sum(1 for i in rows if y[i] == k or label in also[i])
        print(
            f"  {kind:<18} {label:<13} {len(rows):5d} {right / len(rows):6.3f}"
            f" {lenient / len(rows):9.3f}"
        )
    fired = [i for i, r in enumerate(rules) if r is not None]
    right = sum(1 for i in fired if LABELS[y[i]] == rules[i][0])  # type: ignore[index]
    print(f"  {'all rules':<18} {'':<13} {len(fired):5d} {right / max(1, len(fired)):6.3f}")


def throughput(texts: Sequence[str], docs: Sequence[str], n: int = 1000) -> float:
    """Return sentences per second of classify_sentences over ``n`` sentences, by article."""
    articles: dict[str, list[str]] = {}
    for text, doc in zip(texts[:n], docs[:n], strict=True):
        articles.setdefault(doc, []).append(text)
    while sum(map(len, articles.values())) < n:  # repeat the file if it is short
        for doc, sentences in list(articles.items()):
            articles[doc + "+"] = sentences
    classify_sentences(["Warm-up."])  # loading the lexicon and weights is not throughput
    start = time.perf_counter()
    total = 0
    for sentences in articles.values():
        total += len(classify_sentences(sentences))
    elapsed = time.perf_counter() - start
    print(f"\nthroughput: {total} sentences in {elapsed:.3f}s ({total / elapsed:,.0f}/s)")
    return total / elapsed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    trainer = _load_trainer()
    parser.add_argument("--data", type=Path, default=trainer.DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=None, help="k-fold by article (default: LOAO)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no labelled data at {args.data}", file=sys.stderr)
        return 2

    shipped = json.loads((ROOT / "briefing" / "data" / MODEL_FILE).read_text(encoding="utf-8"))
    data = trainer.load_dataset(args.data)
    print(f"{len(data.y)} sentences, {len(set(data.docs))} articles from {args.data.name}")
    how = "leave-one-article-out" if args.folds is None else f"{args.folds}-fold by article"
    print(f"cross-validation: {how}; l2={shipped['l2']}, temperature fitted per fold")

    probs, _ = trainer.cross_val_probabilities(data, shipped["l2"], folds=args.folds)
    pred, conf = decide(probs, data.rules)
    print_table(
        "shipped: priority rules, then the calibrated model (all labels kept)", data.y, pred
    )
    print_table("the model alone", data.y, probs.argmax(axis=1))
    context = LABELS.index("context")
    rules_only = np.asarray([context if r is None else LABELS.index(r[0]) for r in data.rules])
    print_table("the priority rules alone (context where none fires)", data.y, rules_only)
    majority = np.bincount(data.y).argmax()
    print_table(
        f"baseline: most frequent label ({LABELS[majority]})",
        data.y,
        np.full_like(data.y, majority),
    )
    print_table("baseline: plain keyword list", data.y, keyword_baseline(data.texts))
    rule_table(data.y, data.rules, data.also)
    print_confusion(data.y, pred)
    threshold_table(data.y, pred, conf)

    news = np.asarray([d not in trainer.ARTICLE_WEIGHT for d in data.docs])
    print(
        f"\nwithout the down-weighted page of reader comments ({', '.join(trainer.ARTICLE_WEIGHT)};"
        f" {int(news.sum())} sentences of news copy)"
    )
    print_table("shipped, news copy only", data.y[news], pred[news])
    threshold_table(data.y[news], pred[news], conf[news])

    lenient = np.asarray(
        [
            LABELS[p] == LABELS[g] or LABELS[p] in also
            for p, g, also in zip(pred, data.y, data.also, strict=True)
        ]
    )
    print(f"\nlenient accuracy (prediction is the label or one in 'also'): {lenient.mean():.3f}")
    throughput(data.texts, data.docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
