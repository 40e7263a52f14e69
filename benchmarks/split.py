"""Benchmark briefing.split: pySBD's English golden rules, BBC reference sentences, speed.

Run:  python benchmarks/split.py [--pysbd-bbc] [--show-misses N]
      python benchmarks/split.py --params FILE --holdout-every N   (held-out check)

Bars: >= 90% of the golden rules give exactly the expected sentences, and >= 97% of the
BBC News Summary reference sentences (../shared/data/bbc_news_summary.jsonl) come out as
exactly one sentence of their split article.

The golden rules are read at run time from the installed pysbd wheel (a dev dependency);
nothing of them is copied into this repository.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import BBC, bbc_rows  # noqa: E402
from briefing import split  # noqa: E402

GOLDEN_MEMBER = "benchmarks/english_golden_rules.py"
GOLDEN_BAR = 0.90
BBC_BAR = 0.97
SPEED_SENTENCES = 1000

Splitter = Callable[[str], list[str]]
Rule = tuple[str, list[str]]


def golden_rules() -> list[Rule]:
    """Return pySBD's English golden rules (list of (text, expected sentences)).

    The pysbd wheel (a dev dependency) installs them as ``benchmarks/english_golden_rules.py``
    in site-packages, under a top-level name this repository's ``benchmarks`` shadows, so
    the file is found through the distribution's file list.  Returns [] without pysbd.
    """
    try:
        files = importlib.metadata.files("pysbd") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    path = next((f for f in files if str(f).endswith(GOLDEN_MEMBER)), None)
    if path is None:
        return []
    source = Path(path.locate()).read_text(encoding="utf-8")
    # The file is a single literal assignment; parse it rather than execute it.
    assignment = next(n for n in ast.parse(source).body if isinstance(n, ast.Assign))
    return [(text, list(expected)) for text, expected in ast.literal_eval(assignment.value)]


def score_golden(rules: list[Rule], splitter: Splitter) -> tuple[int, list[int]]:
    """Return the number of rules passed (int) and the 1-based numbers of those failed."""
    failed = [
        number
        for number, (text, expected) in enumerate(rules, start=1)
        if [s.strip() for s in splitter(text)] != [s.strip() for s in expected]
    ]
    return len(rules) - len(failed), failed


def normalise(text: str) -> str:
    """Return text (str) with runs of whitespace collapsed to one space."""
    return " ".join(text.split())


def score_bbc(rows: list[dict], splitter: Splitter) -> tuple[int, int, float]:
    """Return (reference sentences found, reference sentences, seconds spent splitting)."""
    found = total = 0
    seconds = 0.0
    for row in rows:
        started = time.perf_counter()
        sentences = {normalise(s) for s in splitter(row["article"])}
        seconds += time.perf_counter() - started
        for reference in row["summary"].split("\n"):
            if reference.strip():
                total += 1
                found += normalise(reference) in sentences
    return found, total, seconds


def speed_text(rows: list[dict], rules: list[Rule]) -> str:
    """Return a text (str) of about SPEED_SENTENCES sentences, from BBC articles or the rules."""
    paragraphs: list[str] = []
    count = 0
    sources = [row["article"] for row in rows] or [text for text, _ in rules] * 100
    for source in sources:
        paragraphs.append(source)
        count += len(split.split_sentences(source))
        if count >= SPEED_SENTENCES:
            break
    return "\n".join(paragraphs)


def time_split(text: str, splitter: Splitter, repeats: int = 5) -> tuple[int, float]:
    """Return the sentence count (int) and best time in seconds (float) to split text."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        sentences = splitter(text)
        best = min(best, time.perf_counter() - started)
    return len(sentences), best


def make_splitter(params_file: Path | None) -> Splitter:
    """Return briefing's splitter, on the shipped parameters or on those in params_file."""
    if params_file is None:
        return split.split_sentences
    tokenizer = split.news_sentence_tokenizer(
        split.parameters_from_json(json.loads(params_file.read_text(encoding="utf-8")))
    )

    def splitter(text: str) -> list[str]:
        lines = (line.strip() for line in text.splitlines())
        return [
            s for line in lines if line for s in split.split_paragraph(line, tokenizer=tokenizer)
        ]

    return splitter


def pysbd_splitter() -> Splitter | None:
    """Return pySBD's English segmenter as a Splitter, or None when pysbd is not installed."""
    try:
        import pysbd  # optional dev dependency
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def splitter(text: str) -> list[str]:
        # pySBD gets one paragraph at a time too, so both splitters see the same task.
        lines = (line.strip() for line in text.splitlines())
        return [s.strip() for line in lines if line for s in segmenter.segment(line) if s.strip()]

    return splitter


def row(name: str, *cells: str) -> str:
    """Return one table line (str)."""
    return f"{name:<60}" + "".join(f"{cell:>16}" for cell in cells)


def report_golden(rules: list[Rule], ours: Splitter, theirs: Splitter | None) -> bool:
    """Print the golden-rules line; return whether the bar is met (bool)."""
    if not rules:
        print(row("pySBD golden rules", "NOT RUN", "", f">= {GOLDEN_BAR:.0%}"))
        print("  pysbd is not installed: pip install '.[dev]'")
        return False
    count, failed = score_golden(rules, ours)
    share = count / len(rules)
    pysbd_share = "n/a"
    if theirs is not None:
        their_count, _ = score_golden(rules, theirs)
        pysbd_share = f"{their_count / len(rules):.1%}"
    label = f"pySBD golden rules ({len(rules)}, exact match)"
    print(row(label, f"{share:.1%} ({count})", pysbd_share, f">= {GOLDEN_BAR:.0%}"))
    print(f"  failed rules: {failed or 'none'}")
    return share >= GOLDEN_BAR


def report_bbc(
    rows: list[dict], ours: Splitter, theirs: Splitter | None, holdout_every: int
) -> bool:
    """Print the BBC line; return whether the bar is met (bool)."""
    if not rows:
        print(row("BBC reference sentences", "NOT RUN", "", f">= {BBC_BAR:.0%}"))
        print(f"  ../shared is absent: {BBC} not found, so the BBC bar is not checked.")
        return False
    found, total, _ = score_bbc(rows, ours)
    share = found / total
    pysbd_share = "--pysbd-bbc"
    if theirs is not None:
        their_found, _, _ = score_bbc(rows, theirs)
        pysbd_share = f"{their_found / total:.1%}"
    label = f"BBC reference sentences ({total})"
    if holdout_every > 1:
        label = f"BBC held-out sentences ({total}, 1/{holdout_every})"
    print(row(label, f"{share:.1%}", pysbd_share, f">= {BBC_BAR:.0%}"))
    return share >= BBC_BAR


def report_speed(text: str, ours: Splitter, theirs: Splitter | None) -> bool:
    """Print the speed line; return whether splitting took under a second (bool)."""
    sentences, seconds = time_split(text, ours)
    their_time = "n/a"
    if theirs is not None:
        _, their_seconds = time_split(text, theirs, repeats=1)
        their_time = f"{their_seconds * 1000:.0f} ms"
    label = f"time to split {sentences} sentences (best of 5)"
    print(row(label, f"{seconds * 1000:.0f} ms", their_time, "< 1000 ms"))
    return seconds < 1.0


def show_misses(rows: list[dict], ours: Splitter, limit: int) -> None:
    """Print up to about limit (int) BBC reference sentences that ours does not produce."""
    shown = 0
    for article in rows:
        if shown >= limit:
            break
        sentences = {normalise(s) for s in ours(article["article"])}
        for reference in article["summary"].split("\n"):
            if reference.strip() and normalise(reference) not in sentences:
                print(f"  miss {article['id']}: {reference[:150]!r}")
                shown += 1


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table; return 0 when every bar is met, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=Path, help="Punkt parameter file to use instead")
    parser.add_argument("--holdout-every", type=int, default=0, help="score every n-th BBC row")
    parser.add_argument("--pysbd-bbc", action="store_true", help="also score pySBD on BBC (~30 s)")
    parser.add_argument("--show-misses", type=int, default=0, help="print n BBC misses")
    args = parser.parse_args(argv)

    ours = make_splitter(args.params)
    theirs = pysbd_splitter()
    rules = golden_rules()
    rows = list(bbc_rows(args.holdout_every)) if BBC.is_file() else []

    print(row("measure", "briefing.split", "pySBD", "bar"))
    print("-" * 108)
    passed = report_golden(rules, ours, theirs)
    passed &= report_bbc(rows, ours, theirs if args.pysbd_bbc else None, args.holdout_every)
    passed &= report_speed(speed_text(rows, rules), ours, theirs)
    print("-" * 108)
    show_misses(rows, ours, args.show_misses)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
