"""Extraction quality of the HTML reader, beside bare trafilatura, on news pages with gold bodies.

Data: ``../shared/data/extraction`` (Zyte's article-extraction-benchmark: ``ground_truth.jsonl``
with ``id``, ``url``, ``articleBody``, ``html_file``, and the raw pages).  For every page it
scores the text each extractor yields against the gold body with the benchmark's measure:
tokens are runs of word characters (``\\w+``), and a page's precision and recall count the
overlap of the two bags of tokens (or of n-token shingles with ``--ngram``).  It prints the
mean precision, recall and F1 of each extractor:

- ``briefing.load``: what users get (reader, then the loader's normalisation);
- ``reader + cleaner``: the reader's text put through ``clean.clean_text`` as plain text is,
  which is why HTML is exempt from the furniture rules (``load.EXTRACTED_SUFFIXES``);
- ``trafilatura.extract``: bare ``trafilatura.extract(html)`` with its defaults.

"F1" is the mean of the per-page F1 scores (a page with no output scores 0); "F1 (Zyte)" is
the benchmark's own figure, the harmonic mean of mean precision and mean recall.

Run:  python benchmarks/extraction.py [--data DIR] [--ngram N] [--min-f1 0.90] [--show-worst 5]
Exits 1 when briefing.load's mean F1 is under ``--min-f1``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from briefing.errors import InputError
from briefing.load import READERS, clean_article, load_file

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "extraction"
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[Path], str]


def tokens(text: str, ngram: int = 1) -> Counter[tuple[str, ...]]:
    """Return the bag (Counter) of ``ngram``-token shingles of ``text``."""
    words = _TOKEN.findall(text or "")
    if len(words) < ngram:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + ngram]) for i in range(len(words) - ngram + 1))


def score(gold: str, predicted: str, ngram: int = 1) -> tuple[float | None, float | None, float]:
    """Return (precision, recall, F1) of ``predicted`` against ``gold`` text.

    Precision is None when nothing was predicted and recall None when the gold is empty
    (the benchmark leaves those pages out of the mean); F1 is then 0 unless both are empty.
    """
    true, pred = tokens(gold, ngram), tokens(predicted, ngram)
    tp = sum((true & pred).values())
    n_pred, n_true = sum(pred.values()), sum(true.values())
    if n_pred == n_true == 0:
        return 1.0, 1.0, 1.0
    precision = tp / n_pred if n_pred else None
    recall = tp / n_true if n_true else None
    f1 = 2 * tp / (n_pred + n_true)
    return precision, recall, f1


def briefing_load(path: Path) -> str:
    """The text ``briefing.load`` yields for the page ('' when it refuses the page)."""
    try:
        return "\n".join(article.text for article in load_file(path))
    except InputError as exc:
        print(f"  briefing.load skipped {path.name}: {exc.reason}", file=sys.stderr)
        return ""


def reader_and_cleaner(path: Path) -> str:
    """The HTML reader's text put through the plain-text furniture cleaner."""
    try:
        raw = READERS[path.suffix.lower()](path, path.read_bytes())
    except InputError:
        return ""
    return "\n".join(clean_article(article).text for article in raw)


def bare_trafilatura(path: Path) -> str:
    """``trafilatura.extract`` with its defaults on the page's bytes."""
    return trafilatura.extract(path.read_bytes()) or ""


EXTRACTORS: dict[str, Extractor] = {
    "briefing.load": briefing_load,
    "reader + cleaner": reader_and_cleaner,
    "trafilatura.extract": bare_trafilatura,
}


def read_rows(data: Path) -> list[dict[str, str]]:
    """Return the benchmark's rows (dicts with id, url, articleBody, html_file)."""
    lines = (data / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate(data: Path, ngram: int, show_worst: int) -> dict[str, dict[str, float]]:
    """Return {extractor: {precision, recall, f1, f1_zyte, seconds}} over the pages in ``data``."""
    rows = read_rows(data)
    results: dict[str, dict[str, float]] = {}
    for name, extract in EXTRACTORS.items():
        precisions, recalls, f1s = [], [], []
        per_page: list[tuple[float, str]] = []
        start = time.perf_counter()
        for row in rows:
            predicted = extract(data / row["html_file"])
            precision, recall, f1 = score(row["articleBody"], predicted, ngram)
            if precision is not None:
                precisions.append(precision)
            if recall is not None:
                recalls.append(recall)
            f1s.append(f1)
            per_page.append((f1, row["html_file"]))
        seconds = time.perf_counter() - start
        p, r = statistics.mean(precisions), statistics.mean(recalls)
        results[name] = {
            "precision": p,
            "recall": r,
            "f1": statistics.mean(f1s),
            "f1_zyte": 2 * p * r / (p + r) if p + r else 0.0,
            "seconds": seconds,
        }
        for f1, page in sorted(per_page)[:show_worst]:
            print(f"  {name}: F1 {f1:.3f} on {page}", file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the table; return 1 when briefing.load's mean F1 is under ``--min-f1``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="benchmark folder")
    parser.add_argument("--ngram", type=int, default=1, help="shingle size (1: bag of tokens)")
    parser.add_argument("--min-f1", type=float, default=0.90, help="floor for briefing.load")
    parser.add_argument("--show-worst", type=int, default=0, help="print the N worst pages")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if not (args.data / "ground_truth.jsonl").is_file():
        parser.error(f"no ground_truth.jsonl in {args.data}")
    results = evaluate(args.data, args.ngram, args.show_worst)
    pages = len(read_rows(args.data))
    print(f"{pages} pages, {'tokens' if args.ngram == 1 else f'{args.ngram}-token shingles'}")
    print(f"{'extractor':22} {'precision':>9} {'recall':>7} {'F1':>6} {'F1 (Zyte)':>9} {'s':>6}")
    for name, m in results.items():
        print(
            f"{name:22} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} "
            f"{m['f1_zyte']:9.3f} {m['seconds']:6.1f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ours = results["briefing.load"]["f1"]
    if ours < args.min_f1:
        print(f"FAIL: briefing.load mean F1 {ours:.3f} is under {args.min_f1:.2f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
