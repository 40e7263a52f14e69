"""Benchmark the headlines made for articles saved without one (``briefing.headlines``).

Every document of ``../shared/data/multidoc_dev.jsonl`` that has a headline is loaded
without it, as a wire story saved as plain text is, and headed by ``lead_headline``; the
line is scored against the wire's own headline with ROUGE-1 F1 (``rouge-score``, stemming)
and its length in words is counted.  The human headlines are abstractive ("Note Surfaces
From Atlanta Killer"), so no extractive line scores high; the figure compares ways of
cutting the lead.  ``--show N`` prints N of them beside the wire's.

Example:
    python benchmarks/headlines.py
    python benchmarks/headlines.py --show 20
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import MULTIDOC  # noqa: E402
from briefing.headlines import lead_headline  # noqa: E402
from briefing.load import clean_article  # noqa: E402
from briefing.models import Article  # noqa: E402

TOPICS = MULTIDOC


def headline_pairs(path: Path = TOPICS) -> list[tuple[str, str]]:
    """Return (the wire's headline, the one made from the lead) for every document of the
    topics file at ``path`` that has a headline and a lead."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for doc in json.loads(line)["docs"]:
            if not (doc.get("headline") or "").strip():
                continue
            made = lead_headline(clean_article(Article(title="", text=doc["text"])).text)
            if made:
                pairs.append((" ".join(doc["headline"].split()), made))
    return pairs


def score(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Return the mean ROUGE-1 F1 (x100) of the made headlines against the wire's, and
    their mean length in words."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    f1 = [scorer.score(wire, made)["rouge1"].fmeasure for wire, made in pairs]
    return {
        "rouge1_f1": 100.0 * statistics.mean(f1) if f1 else 0.0,
        "words": statistics.mean(len(made.split()) for _, made in pairs) if pairs else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many examples")
    args = parser.parse_args(argv)
    if not TOPICS.exists():
        print(f"no topics at {TOPICS}", file=sys.stderr)
        return 2
    pairs = headline_pairs()
    result = score(pairs)
    print(
        f"{len(pairs)} wire documents: ROUGE-1 F1 {result['rouge1_f1']:.2f} against the wire's"
        f" headline, {result['words']:.1f} words on average"
    )
    for wire, made in random.Random(0).sample(pairs, min(args.show, len(pairs))):
        print(f"  {wire[:60]:<62} | {made}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
