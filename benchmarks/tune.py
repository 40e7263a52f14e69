"""Weight search of the default ranker: a grid of settings on every CNN/DailyMail validation
article and on BBC, each kind of CNN/DM article counted apart, with nested cross-validation.

The README's account of how the default's weights were chosen (#16) is reproduced here::

    python benchmarks/tune.py --jobs 2          # GRID: 200 settings, 2 minutes
    python benchmarks/tune.py --gate 0.55,0.8 --forward 0.15 --length 0.15 --target 15

Each setting is a ``DefaultRanker(gate=, forward=, length=, target_words=)``; the penalties,
``lead_size`` and ``damping`` keep their defaults.  A setting's figure on a kind of CNN/DM
article (Daily Mail sport, the rest of the Daily Mail, CNN; see ``rouge.cnndm_group``) is
its ROUGE-1 F1 minus Lead-3's on the same articles.  The validation file is 72% sport, the
test split about a third, so settings are compared by their gain at the test split's mix
(``TEST_MIX``, estimated in the README from the test figures of the weights before #16).
The five folds are those of ``rouge.py --fold`` (the SHA-1 of the article's id, mod 5).

It prints:

* the best settings by that gain on all articles, with each kind's gain, the least gain of
  any kind in any fold, and BBC's R-1 / R-2 (as many sentences as the reference has);
* nested cross-validation: for each fold, the setting with the best gain on the other four
  (among those ahead of Lead-3 on every kind there), scored on the held-out fold;
* the frontier between CNN/DM and BBC: each setting that scores higher on BBC than every
  setting with a larger CNN/DM gain.

ROUGE-1/2 F1 are those of ``rouge-score`` with stemming (its tokenizer; the n-grams of the
summary's sentences joined in order), computed from tokens counted once per article so that
a setting costs seconds; ``rouge.py`` gives ROUGE-Lsum as well for the setting chosen.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from rouge_score.tokenizers import DefaultTokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.rouge import DATA, Example, load_bbc, load_cnndm  # noqa: E402
from briefing.rank import DefaultRanker, select  # noqa: E402

# Each kind's share of the CNN/DM test split (see the module docstring).
TEST_MIX = {"dailymail sport": 0.355, "dailymail other": 0.55, "cnn": 0.095}
GRID = {
    "gate": (0.55, 0.7, 0.8, 0.9, 1.0),
    "forward": (0.0, 0.1, 0.15, 0.3),
    "length": (0.0, 0.1, 0.15, 0.2, 0.3),
    "target_words": (15.0, 20.0),
}
FOLDS = 5
BBC_GROUP = "bbc"

_tokenizer = DefaultTokenizer(use_stemmer=True)


@dataclass(frozen=True, slots=True)
class Prepared:
    """One article ready to score under any setting: the ranker's features, each sentence's
    ROUGE tokens, the reference's n-gram counts, the summary length and where it counts."""

    features: dict[str, np.ndarray]
    tokens: tuple[tuple[str, ...], ...]
    reference_1: Counter
    reference_2: Counter
    k: int
    group: str
    fold: int


def ngrams(tokens: Sequence[str], n: int) -> Counter:
    """Return the counts of the ``n``-grams (tuples) of ``tokens``."""
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def ngram_f1(summary: Sequence[str], reference: Counter, n: int) -> float:
    """Return ROUGE-``n`` F1 (0 to 1) of the ``summary`` tokens against ``reference``'s
    ``n``-gram counts (see :func:`ngrams`), as ``rouge-score`` computes it."""
    counts = ngrams(summary, n)
    overlap = sum((counts & reference).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(counts.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def prepare(job: tuple[Example, int]) -> Prepared:
    """Return one ``Example`` (with its fold) as :class:`Prepared`."""
    example, fold = job
    reference = _tokenizer.tokenize(example.reference)
    return Prepared(
        DefaultRanker().features(example.sentences),
        tuple(tuple(_tokenizer.tokenize(s)) for s in example.sentences),
        ngrams(reference, 1),
        ngrams(reference, 2),
        example.k,
        example.group or BBC_GROUP,
        fold,
    )


def score_setting(setting: dict[str, float], articles: Sequence[Prepared]) -> dict:
    """Return the summed ROUGE-1/2 F1 (x100) and article count of ``setting`` (empty: Lead)
    on ``articles``, keyed by (group, fold)."""
    ranker = DefaultRanker(**setting) if setting else None
    sums: dict[tuple[str, int], list[float]] = {}
    for article in articles:
        if ranker is None:
            scores = -article.features["position"]
        else:
            scores = ranker.combine(article.features)
        summary = [w for i in select(scores, article.k) for w in article.tokens[i]]
        cell = sums.setdefault((article.group, article.fold), [0.0, 0.0, 0])
        cell[0] += 100 * ngram_f1(summary, article.reference_1, 1)
        cell[1] += 100 * ngram_f1(summary, article.reference_2, 2)
        cell[2] += 1
    return sums


_shared: list[Prepared] = []


def _share(articles: list[Prepared]) -> None:
    _shared[:] = articles


def _run(setting: dict[str, float]) -> dict:
    return score_setting(setting, _shared)


def mean(sums: dict, group: str, folds: Iterable[int], metric: int = 0) -> float:
    """Return the mean of ``metric`` (0: R-1, 1: R-2) over ``group``'s articles in ``folds``."""
    cells = [sums[(group, f)] for f in folds if (group, f) in sums]
    count = sum(c[2] for c in cells)
    return sum(c[metric] for c in cells) / count if count else float("nan")


def bbc_mean(sums: dict, metric: int = 0) -> float:
    """Return the mean of ``metric`` over the BBC articles (all in one fold)."""
    return mean(sums, BBC_GROUP, [0], metric)


def mix_gain(sums: dict, lead: dict, folds: Iterable[int], metric: int = 0) -> float:
    """Return the gain over Lead-3 at ``TEST_MIX`` on ``folds``."""
    folds = list(folds)
    return sum(
        share * (mean(sums, g, folds, metric) - mean(lead, g, folds, metric))
        for g, share in TEST_MIX.items()
    )


def least_gain(sums: dict, lead: dict, folds: Iterable[int]) -> float:
    """Return the smallest R-1 gain over Lead-3 of any kind of article in any one fold."""
    return min(mean(sums, g, [f]) - mean(lead, g, [f]) for g in TEST_MIX for f in folds)


def nested(results: list[tuple[dict, dict]], lead: dict) -> list[tuple[int, dict, float, float]]:
    """For each fold, the setting best on the others (ahead on every kind there, where any
    is) and its held-out R-1 and R-2 gains: (fold, setting, R-1 gain, R-2 gain)."""
    out = []
    for fold in range(FOLDS):
        rest = [f for f in range(FOLDS) if f != fold]
        ahead = [r for r in results if least_gain(r[1], lead, rest) > 0] or results
        setting, sums = max(ahead, key=lambda r: mix_gain(r[1], lead, rest))
        out.append((fold, setting, mix_gain(sums, lead, [fold]), mix_gain(sums, lead, [fold], 1)))
    return out


def frontier(results: list[tuple[dict, dict]], lead: dict) -> list[tuple[dict, dict]]:
    """The settings that score higher on BBC R-2 than every one with a larger CNN/DM gain."""
    everything = range(FOLDS)
    ordered = sorted(results, key=lambda r: -mix_gain(r[1], lead, everything))
    kept, best = [], -np.inf
    for setting, sums in ordered:
        bbc = bbc_mean(sums, 1)
        if bbc > best:
            kept.append((setting, sums))
            best = bbc
    return kept


def describe(setting: dict[str, float]) -> str:
    """Return ``setting`` as the keyword arguments it is."""
    return ", ".join(f"{k}={v:g}" for k, v in setting.items())


def row(setting: dict, sums: dict, lead: dict) -> str:
    """Return one table row of ``setting``'s figures."""
    everything = range(FOLDS)
    kinds = " | ".join(
        f"{mean(sums, g, everything) - mean(lead, g, everything):+.2f}" for g in TEST_MIX
    )
    return (
        f"| {describe(setting)} | {mix_gain(sums, lead, everything):+.2f} | {kinds} | "
        f"{least_gain(sums, lead, everything):+.2f} | "
        f"{bbc_mean(sums):.2f} / {bbc_mean(sums, 1):.2f} |"
    )


HEADER = (
    "| setting | R-1 gain at the test mix | sport | other Daily Mail | CNN "
    "| least kind-fold gain | BBC R-1 / R-2 |\n|---|---:|---:|---:|---:|---:|---:|"
)


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(v) for v in text.split(","))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the search from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, values in GRID.items():
        flag = "--target" if name == "target_words" else f"--{name}"
        parser.add_argument(
            flag, dest=name, type=_floats, default=values, help=f"values ({values})"
        )
    parser.add_argument("--top", type=int, default=10, help="settings listed (10)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)

    print("command: python benchmarks/tune.py " + " ".join(sys.argv[1:]))
    cnndm_path = DATA / "cnndm_validation.jsonl"
    jobs = [(ex, f) for f in range(FOLDS) for ex in load_cnndm(cnndm_path, None, fold=f)]
    jobs += [(ex, 0) for ex in load_bbc(DATA / "bbc_news_summary.jsonl", None)]
    names = list(GRID)
    settings = [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(getattr(args, n) for n in names))
    ]
    workers = max(1, args.jobs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        articles = list(pool.map(prepare, jobs, chunksize=64))
    with ProcessPoolExecutor(workers, initializer=_share, initargs=(articles,)) as pool:
        lead, *scored = pool.map(_run, [{}, *settings])
    results = list(zip(settings, scored, strict=True))
    n_bbc = sum(1 for a in articles if a.group == BBC_GROUP)
    print(f"{len(settings)} settings; {len(articles) - n_bbc} CNN/DM articles, {n_bbc} BBC")
    print(f"Lead: BBC {bbc_mean(lead):.2f} / {bbc_mean(lead, 1):.2f}")
    print()
    print(f"Best {args.top} by the R-1 gain over Lead-3 at the test mix, all folds:")
    print(HEADER)
    ranked = sorted(results, key=lambda r: -mix_gain(r[1], lead, range(FOLDS)))
    for setting, sums in ranked[: args.top]:
        print(row(setting, sums, lead))
    print()
    print("Nested cross-validation (chosen on four folds, scored on the fifth):")
    held = nested(results, lead)
    for fold, setting, gain_1, gain_2 in held:
        print(f"  fold {fold}: {describe(setting)}: R-1 {gain_1:+.2f}, R-2 {gain_2:+.2f}")
    print(
        f"  mean held out: R-1 {np.mean([h[2] for h in held]):+.2f}, "
        f"R-2 {np.mean([h[3] for h in held]):+.2f}"
    )
    print()
    print("Frontier between CNN/DM (gain at the test mix) and BBC (R-2):")
    print(HEADER)
    for setting, sums in frontier(results, lead):
        print(row(setting, sums, lead))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
