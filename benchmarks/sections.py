"""Benchmark the section classifier on the labelled articles of ../shared.

Every figure is out of sample: a sentence is labelled by a model refitted without it, on
the same recipe as the shipped one (``scripts/train_sections.py``).  Two splits:

* **leave-one-outlet-out** (the headline figure, since users' outlets are not ours): each
  outlet's sentences scored by a model that saw no article of that outlet;
* **grouped by article** (10 folds): each article scored by a model that saw the rest of
  its outlet, which is how much the outlet's own style is worth.

Printed: per-label precision, recall and F1 and macro-F1 (outcome, disagreement, next step),
also per kind of source (the 40 BBC dev articles, BBC, CNN, Daily Mail, web pages of many
sites); beside them, the plain keyword list and the previous recipe (cue features only,
trained on the 40 BBC dev articles alone, scored on the other 242 articles); each priority
rule's precision; the precision of each action label and how many an article gets when
only confident labels are kept; **the brief of each article alone**, as a reader meets it
(``briefing.build`` of the article as a text file, each outlet's articles briefed with a
classifier that never saw that outlet): the precision of the Outcomes, Disagreements and
Next steps bullets (a bullet is right when the editors' label or their second choice is
that section) and how many action bullets an article gets, at several thresholds; and the
classifier's throughput.  ``--check`` compares the figures with the floors in
``benchmarks/baseline.json``.

Example:
    python benchmarks/sections.py
    python benchmarks/sections.py --check
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import briefing  # noqa: E402
from briefing.classify import CLASSIFIERS, CONFIDENT, LogisticClassifier  # noqa: E402
from briefing.classify.rules import rule_kind  # noqa: E402
from briefing.errors import BriefingError  # noqa: E402
from briefing.models import LABELS, Item  # noqa: E402
from briefing.words import normalise  # noqa: E402


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


trainer = _load_trainer()
SECTIONS = ("outcome", "disagreement", "next_step")
SECTION_OF = {"outcomes": "outcome", "disagreements": "disagreement", "next_steps": "next_step"}
THRESHOLDS = (0.0, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
BRIEF_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7)
BASELINE = ROOT / "benchmarks" / "baseline.json"
EPSILON = 0.01

# The "plain keyword list" baseline: first list with a hit wins, else context.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "disagreement": (
        "criticised", "criticized", "accused", "denied", "rejected", "opposed", "attacked",
        "condemned", "dispute", "row", "clash", "protest", "refused", "no progress",
        "at odds", "disagree", "warned", "but",
    ),
    "next_step": (
        "will", "plans", "plan to", "expected", "next week", "next month", "next year",
        "later this year", "to be", "scheduled", "due to", "would",
    ),
    "outcome": (
        "agreed", "announced", "approved", "passed", "voted", "signed", "decided", "won",
        "rose", "fell", "reported", "appointed", "resigned", "launched",
    ),
}  # fmt: skip


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


def print_table(name: str, y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Print per-label precision, recall and F1 and the macro-F1 of one system; return
    {"macro_f1": ..., "<label>_p": ...} for the floors."""
    table = scores(y, pred)
    print(f"\n{name}")
    print(f"  {'label':<13} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label in LABELS:
        p, r, f, n = table[label]
        print(f"  {label:<13} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")
    print(f"  macro-F1 (outcome, disagreement, next_step) = {macro(table):.3f}")
    return {"macro_f1": macro(table), **{f"{s}_p": table[s][0] for s in SECTIONS}}


@functools.cache
def dev_docs() -> frozenset[str]:
    """Return the ids of the 40 articles of sections_dev.jsonl."""
    return frozenset(trainer.read_articles(trainer.DEFAULT_DATA[:1]))


def kind_of_source(doc: str, source: str) -> str:
    """Return the kind of source (a str) an article is counted under."""
    if doc.startswith("zyte:"):
        return "web pages"
    if doc in dev_docs():
        return "BBC, dev (40)"
    return "BBC, train (80)" if source == trainer.DEFAULT_SOURCE else source


def print_by_kind(data, pred: np.ndarray) -> None:
    """Print macro-F1 and per-label precision for each kind of source."""
    kinds = np.asarray([kind_of_source(d, s) for d, s in zip(data.docs, data.sources, strict=True)])
    print(
        f"  {'by source':<18} {'n':>5} {'macroF1':>8} "
        + " ".join(f"{s[:8] + ' P':>10}" for s in SECTIONS)
    )
    for kind in sorted(set(kinds)):
        m = kinds == kind
        table = scores(data.y[m], pred[m])
        print(
            f"  {kind:<18} {int(m.sum()):5d} {macro(table):8.3f} "
            + " ".join(f"{table[s][0]:10.3f}" for s in SECTIONS)
        )


def rule_table(data) -> None:
    """Print how often each priority rule fires and how often its label is the editors'."""
    print("\npriority rules (features of the model; here alone)")
    print(f"  {'rule':<18} {'label':<13} {'fired':>5} {'P':>6} {'P lenient':>9}")
    kinds: dict[tuple[str, str], list[int]] = {}
    for i, rule in enumerate(data.rules):
        if rule is not None:
            kinds.setdefault((rule_kind(rule[1]), rule[0]), []).append(i)
    for (kind, label), rows in sorted(kinds.items()):
        k = LABELS.index(label)
        right = sum(1 for i in rows if data.y[i] == k)
        lenient = sum(1 for i in rows if data.y[i] == k or label in data.also[i])
        print(
            f"  {kind:<18} {label:<13} {len(rows):5d} {right / len(rows):6.3f}"
            f" {lenient / len(rows):9.3f}"
        )


def threshold_table(data, pred: np.ndarray, conf: np.ndarray) -> None:
    """Print, per threshold, each action label's strict and lenient precision and how many
    sentences an article gets, keeping a label only when its confidence reaches it."""
    articles = len(set(data.docs))
    print("\nkeep an action label only when its confidence >= t; P lenient counts the editors'")
    print("second choice too; 'per art.' is how many sentences of an article get it")
    print(
        f"  {'t':>5} "
        + " ".join(f"{s[:8] + ' P':>10} {'lenient':>8} {'per art.':>8}" for s in SECTIONS)
    )
    for t in sorted({*THRESHOLDS, CONFIDENT}):
        cells = []
        for label in SECTIONS:
            k = LABELS.index(label)
            rows = np.flatnonzero((pred == k) & (conf >= t))
            strict = float(np.mean(data.y[rows] == k)) if len(rows) else 0.0
            lenient = (
                float(np.mean([data.y[i] == k or label in data.also[i] for i in rows]))
                if len(rows)
                else 0.0
            )
            cells.append(f"{strict:10.3f} {lenient:8.3f} {len(rows) / articles:8.2f}")
        mark = "*" if t == CONFIDENT else " "
        print(f"  {t:4.2f}{mark} " + " ".join(cells))


def article_text(rows: Sequence[dict]) -> str:
    """Return an article's text rebuilt from its labelled rows, a paragraph each: the
    splitter then finds the editors' sentences (the CNN/DM copy is lower-case, where no
    splitter can tell a full stop from an abbreviation)."""
    return "\n\n".join(row["text"] for row in rows)


def _labelled_row(text: str, rows: Sequence[dict]) -> dict | None:
    """Return the labelled row a bullet's sentence is (exactly, or by most shared words)."""
    wanted = normalise(text)
    for row in rows:
        if normalise(row["text"]) == wanted:
            return row
    words = set(wanted.split())
    best = max(rows, key=lambda r: len(words & set(normalise(r["text"]).split())))
    shared = len(words & set(normalise(best["text"]).split()))
    return best if shared >= 0.6 * max(1, len(words)) else None


def bullet_sentence(item: Item) -> str:
    """Return the text of the sentence a bullet was filed by: the last one it shows (after
    the sentence it leans on, if any).  ``item.sentences`` also holds the near-duplicates
    merged into the bullet, which it does not show; they are not what was classified."""
    shown = [s.text for s in item.sentences if item.text.endswith(s.text)]
    return shown[0] if shown else item.sentences[-1].text


def fold_model(data, l2: float, train: np.ndarray, fold: np.ndarray):
    """Return the calibrated Model the shipped recipe fits on the rows ``train`` (a boolean
    array), calibrated on the folds of those rows, never on the rest."""
    part = data.subset(train)
    scores_ = trainer.cross_val_scores(part, l2, fold[train])
    return trainer.calibrated(trainer.fit(part, l2), *trainer.fit_calibration(part.y, scores_))


def brief_bullets(data, fold: np.ndarray, l2: float, show: bool = False) -> list[tuple]:
    """Brief each article alone, each outlet with a model that never saw it, at each of
    BRIEF_THRESHOLDS; return (article, threshold, section label, right) per action bullet
    and (article, threshold, None, False) per article briefed."""
    articles = trainer.read_articles(trainer.DEFAULT_DATA)
    doc_fold = {d: int(f) for d, f in zip(data.docs, fold, strict=True)}
    out: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in np.unique(fold):
            model = fold_model(data, l2, fold != f, fold)
            name = f"held-out-fold-{f}"
            CLASSIFIERS[name] = lambda model=model: LogisticClassifier(model=model)
            for doc, rows in articles.items():
                if doc_fold[doc] != f:
                    continue
                path = Path(tmp) / f"{len(out)}.txt"
                path.write_text(article_text(rows), encoding="utf-8")
                for t in BRIEF_THRESHOLDS:
                    try:
                        brief = briefing.build(path, classifier=name, confident=t)
                    except BriefingError as exc:  # an article not in English, say
                        print(f"  not briefed: {doc}: {exc}")
                        break
                    out.append((doc, t, None, False))
                    for section in brief.sections:
                        label = SECTION_OF.get(section.kind)
                        for item in section.items if label else ():
                            row = _labelled_row(bullet_sentence(item), rows)
                            right = row is not None and (
                                row["label"] == label or label in row.get("also", ())
                            )
                            out.append((doc, t, label, right))
                            if show and abs(t - CONFIDENT) < 1e-9:
                                gold = row["label"] if row else "?"
                                verdict = "ok " if right else "BAD"
                                why = f"{item.confidence:.2f} [{gold}]"
                                print(f"  {verdict} {label:<12} {why} {item.text[:100]}")
            del CLASSIFIERS[name]
    return out


def print_briefs(name: str, bullets: Sequence[tuple]) -> dict[str, float]:
    """Print each action section's precision and the action bullets per article, per
    threshold; return the figures at the shipped threshold."""
    print(f"\n{name}")
    print(
        f"  {'t':>5} "
        + " ".join(f"{s[:8] + ' P':>10} {'n':>5}" for s in SECTIONS)
        + f" {'action/art.':>11}"
    )
    result: dict[str, float] = {}
    for t in BRIEF_THRESHOLDS:
        at = [b for b in bullets if b[1] == t]
        articles = sum(1 for b in at if b[2] is None)
        cells, figures = [], {}
        for label in SECTIONS:
            verdicts = [b[3] for b in at if b[2] == label]
            precision = float(np.mean(verdicts)) if verdicts else 0.0
            figures[f"brief_{label}_p"] = precision
            cells.append(f"{precision:10.3f} {len(verdicts):5d}")
        action = sum(1 for b in at if b[2] is not None) / max(1, articles)
        figures["brief_action_per_article"] = action
        shipped = abs(t - CONFIDENT) < 1e-9
        print(f"  {t:4.2f}{'*' if shipped else ' '} " + " ".join(cells) + f" {action:11.2f}")
        if shipped:
            result = figures
    return result


def previous_recipe(data) -> np.ndarray:
    """Return the labels the previous recipe gives the articles outside sections_dev:
    cue features only (no vocabulary), trained on the 40 BBC dev articles alone."""
    dev = np.asarray([d in dev_docs() for d in data.docs])
    train = data.subset(dev)
    model = trainer.fit(train, 3.0, terms=False)
    return trainer.decision_scores(model, data.subset(~dev)).argmax(axis=1), ~dev


def throughput(texts: Sequence[str], docs: Sequence[str], n: int = 2000) -> float:
    """Return sentences per second of the shipped classifier over ``n`` sentences, by article."""
    articles: dict[str, list[str]] = {}
    for text, doc in zip(texts[:n], docs[:n], strict=True):
        articles.setdefault(doc, []).append(text)
    classifier = LogisticClassifier()
    classifier.classify(["Warm-up."])  # loading the lexicon and weights is not throughput
    start = time.perf_counter()
    total = sum(len(classifier.classify(sentences)) for sentences in articles.values())
    elapsed = time.perf_counter() - start
    print(f"\nthroughput: {total} sentences in {elapsed:.3f}s ({total / elapsed:,.0f}/s)")
    return total / elapsed


def check(figures: dict[str, float]) -> int:
    """Compare ``figures`` with the floors in baseline.json; return the exit status."""
    floors = json.loads(BASELINE.read_text(encoding="utf-8")).get("sections", {})
    failed = [
        f"{name}: {figures.get(name, 0.0):.3f} < floor {floor:.3f}"
        for name, floor in floors.items()
        if figures.get(name, 0.0) < floor - EPSILON
    ]
    for line in failed:
        print(f"BELOW FLOOR {line}")
    print("sections floors: " + ("FAILED" if failed else "all held"))
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with baseline.json")
    parser.add_argument("--no-briefs", action="store_true", help="skip the brief-level table")
    parser.add_argument(
        "--show-bullets", action="store_true", help="print each action bullet and its verdict"
    )
    args = parser.parse_args(argv)
    missing = [p for p in trainer.DEFAULT_DATA if not p.exists()]
    if missing:
        print(f"no labelled data at {missing[0]}", file=sys.stderr)
        return 2
    shipped = json.loads((ROOT / "briefing" / "data" / "sections_model.json").read_text("utf-8"))
    l2 = shipped["l2"]
    data = trainer.load_dataset()
    print(
        f"{len(data.y)} sentences, {len(set(data.docs))} articles, "
        f"{len(set(data.sources))} outlets; l2={l2} as shipped"
    )
    outlets = np.unique(np.asarray(data.sources), return_inverse=True)[1]
    figures: dict[str, float] = {}

    scores_, probs = trainer.cross_val_probabilities(data, l2, outlets)
    pred = scores_.argmax(axis=1)
    conf = probs[np.arange(len(pred)), pred]
    figures.update(
        {
            f"looo_{k}": v
            for k, v in print_table("shipped recipe, leave-one-outlet-out", data.y, pred).items()
        }
    )
    print_by_kind(data, pred)
    article_scores = trainer.cross_val_scores(data, l2, trainer.article_folds(data.docs))
    figures.update(
        {
            f"grouped_{k}": v
            for k, v in print_table(
                "shipped recipe, grouped by article (10 folds)",
                data.y,
                article_scores.argmax(axis=1),
            ).items()
        }
    )
    previous, outside = previous_recipe(data)
    print_table(
        "previous recipe: cues only, trained on the 40 BBC dev articles (other 242 articles)",
        data.y[outside],
        previous,
    )
    print_table(
        "same 242 articles, shipped recipe, leave-one-outlet-out", data.y[outside], pred[outside]
    )
    print_table("baseline: plain keyword list", data.y, keyword_baseline(data.texts))
    rule_table(data)
    threshold_table(data, pred, conf)
    if not args.no_briefs:
        bullets = brief_bullets(data, trainer.outlet_folds(data.sources), l2, args.show_bullets)
        figures.update(
            print_briefs(
                "the brief of each article alone, each outlet briefed with a model that never "
                "saw it:\nprecision of each action section (a bullet is right when the editors' "
                "label or second choice is its section)",
                bullets,
            )
        )
        print_briefs(
            "the same, the 242 articles outside sections_dev",
            [b for b in bullets if b[0] not in dev_docs()],
        )
    figures["sentences_per_second"] = throughput(data.texts, data.docs)
    for name, value in figures.items():
        print(f"  {name} = {value:.3f}")
    return check(figures) if args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
