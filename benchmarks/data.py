"""Where the benchmarks' data lives (../shared beside the checkout), and a reader for it.

The BBC News Summary file (``data/bbc_news_summary.jsonl``) holds one article a line; a row
marked ``duplicate_of`` repeats another and is skipped.  A held-out split numbers the
remaining rows from 1: with ``holdout_every = n > 1`` every n-th row is held out, for
measuring, and the others are for training.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BBC = SHARED / "data" / "bbc_news_summary.jsonl"
MULTIDOC = SHARED / "data" / "multidoc_dev.jsonl"


def _numbered_bbc_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (number from 1, row dict) for each row of ``path`` that is not a duplicate."""
    with path.open(encoding="utf-8") as lines:
        kept = 0
        for line in lines:
            row = json.loads(line)
            if row.get("duplicate_of"):
                continue
            kept += 1
            yield kept, row


def bbc_rows(holdout_every: int = 1, path: Path = BBC) -> Iterator[dict]:
    """Yield the BBC rows (dict) that are not duplicates, from ``path`` (a Path).

    With ``holdout_every`` = n > 1, only the held-out rows: every n-th of them.
    """
    for number, row in _numbered_bbc_rows(path):
        if holdout_every <= 1 or number % holdout_every == 0:
            yield row


def bbc_training_rows(holdout_every: int = 1, path: Path = BBC) -> Iterator[dict]:
    """Yield the BBC rows (dict) that are not duplicates and not held out, from ``path``.

    With ``holdout_every`` = n > 1, every n-th row is held out (``bbc_rows`` yields those).
    """
    for number, row in _numbered_bbc_rows(path):
        if holdout_every <= 1 or number % holdout_every:
            yield row
