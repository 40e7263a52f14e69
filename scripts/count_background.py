"""Count the background document frequencies that story grouping ships in briefing/data.

``briefing.combine.tfidf_rows`` weighs each term by how rare it is among a folder's
articles, smoothed toward how rare it is in ordinary news, so that a small folder can tell
generic news words ("deal", "jobs", "team") from the names that make a story.  Ordinary news
is the BBC News Summary articles (duplicates left out) and the CNN/DailyMail validation
articles of ../shared: for each content stem (``briefing.words.content_stems``) held by at
least ``MIN_DOCUMENTS`` of them, the number of articles that hold it.  Only those counts are
written, no text; the same data give the same file, byte for byte.

Usage:
    python scripts/count_background.py            # writes briefing/data/background_df.json
    python scripts/count_background.py --out /tmp/background_df.json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import BBC, bbc_rows  # noqa: E402
from briefing.combine import BACKGROUND_FILE  # noqa: E402
from briefing.words import content_stems  # noqa: E402

logger = logging.getLogger("count_background")

CNNDM = BBC.parent / "cnndm_validation.jsonl"
DEFAULT_OUTPUT = ROOT / "briefing" / "data" / BACKGROUND_FILE
#: A stem held by fewer articles than this is left out (it counts as held by none).
MIN_DOCUMENTS = 3


def background_texts() -> Iterator[str]:
    """Yield the article texts counted: BBC (duplicates left out), then CNN/DailyMail."""
    for row in bbc_rows():
        yield row["article"]
    with CNNDM.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)["article"]


def count(texts: Iterator[str]) -> dict:
    """Return the JSON object of the counts: {"documents": N, "df": {stem: count}}."""
    frequencies: Counter[str] = Counter()
    documents = 0
    for text in texts:
        documents += 1
        frequencies.update(set(content_stems(text)))
    kept = {stem: n for stem, n in sorted(frequencies.items()) if n >= MIN_DOCUMENTS}
    return {"documents": documents, "min_documents": MIN_DOCUMENTS, "df": kept}


def main(argv: Sequence[str] | None = None) -> int:
    """Count and write the background frequencies to --out; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    missing = [p for p in (BBC, CNNDM) if not p.exists()]
    if missing:
        print(f"no articles at {missing[0]}", file=sys.stderr)
        return 2
    counts = count(background_texts())
    text = json.dumps(counts, ensure_ascii=False, separators=(",", ":")) + "\n"
    args.out.write_text(text, encoding="utf-8")
    logger.info(
        "wrote %s: %d stems of %d articles", args.out, len(counts["df"]), counts["documents"]
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
