"""Benchmark the executive summary's line for a story (``Story.bottom_line``).

Each DUC 2006 topic of ``../shared/data/multidoc_dev.jsonl`` that has human summaries is
saved as a folder of plain-text files (its first ``--docs`` articles, no headlines) and
briefed with ``--max-words`` words; the bottom line of the story with the most sources is
scored against the topic's four human summaries with ROUGE-1 and ROUGE-2 F1
(``rouge-score``, stemming), averaged over the summaries, then the topics.  The summaries
are 250 words written for the whole topic, so one sentence scores low on any rule: the
figures compare ways of choosing the line.  Its mean length in words is printed beside.

Example:
    python benchmarks/bottom_lines.py
    python benchmarks/bottom_lines.py --docs 25 --show 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import briefing  # noqa: E402
from benchmarks.data import MULTIDOC  # noqa: E402

TOPICS = MULTIDOC


def bottom_line(docs: Sequence[str], max_words: int) -> str:
    """Return the bottom line (a str, "" for none) of the brief of ``docs`` (texts)."""
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(docs):
            (Path(folder) / f"{number:03d}.txt").write_text(text, encoding="utf-8")
        brief = briefing.build([folder], max_words=max_words, state=None)
    story = max(brief.stories, key=lambda s: len(s.sources), default=None)
    return story.bottom_line.text if story and story.bottom_line else ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=10, help="articles of each topic (10)")
    parser.add_argument("--max-words", type=int, default=600, help="the brief's budget (600)")
    parser.add_argument("--show", type=int, default=0, help="print this many lines")
    args = parser.parse_args(argv)
    if not TOPICS.exists():
        print(f"no topics at {TOPICS}", file=sys.stderr)
        return 2
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    rows = [json.loads(line) for line in TOPICS.read_text(encoding="utf-8").splitlines() if line]
    topics = [row for row in rows if row.get("summaries")]
    r1, r2, lengths, lines = [], [], [], []
    for topic in topics:
        line = bottom_line([d["text"] for d in topic["docs"][: args.docs]], args.max_words)
        scores = [scorer.score(summary, line) for summary in topic["summaries"]]
        r1.append(statistics.mean(s["rouge1"].fmeasure for s in scores))
        r2.append(statistics.mean(s["rouge2"].fmeasure for s in scores))
        lengths.append(len(line.split()))
        lines.append(line)
    print(
        f"{len(topics)} topics, first {args.docs} articles: bottom line ROUGE-1 F1"
        f" {100 * statistics.mean(r1):.2f}, ROUGE-2 F1 {100 * statistics.mean(r2):.2f},"
        f" {statistics.mean(lengths):.1f} words"
    )
    for line in lines[: args.show]:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
