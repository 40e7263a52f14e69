"""How many bullets of a brief are not text of the article: page furniture that got through.

Each news page of ``../shared/data/extraction`` (raw HTML with its gold article body) is
briefed alone with the defaults, as a user briefing a saved page would; every sentence of
every bullet is then looked up in the page's gold body.  A sentence is body text when at
least ``BODY_SHARE`` of its word trigrams (its words, when it has fewer than three) are in
the body; the others are furniture: related links, promos, prompts, captions, shortcodes.
Pages that are skipped (not in English, say) are counted apart.

Example:
    python benchmarks/furniture.py
    python benchmarks/furniture.py --show 40
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import briefing  # noqa: E402
from briefing.errors import BriefingError  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "extraction"
BODY_SHARE = 0.8
_WORD = re.compile(r"\w+")


def grams(text: str) -> set[tuple[str, ...]]:
    """Return the word trigrams of ``text`` (its single words when it has fewer than 3)."""
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return {(w,) for w in words}
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def is_body_text(sentence: str, body_grams: set, body_words: set) -> bool:
    """True when ``sentence`` is text of the body whose trigrams and words are given."""
    mine = grams(sentence)
    if not mine:
        return True
    pool = body_words if len(next(iter(mine))) == 1 else body_grams
    return sum(g in pool for g in mine) / len(mine) >= BODY_SHARE


def main(argv: Sequence[str] | None = None) -> int:
    """Brief every page and print the share of bullet sentences that are not body text."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", type=int, default=20, help="print this many furniture lines")
    args = parser.parse_args(argv)
    truth = args.data / "ground_truth.jsonl"
    if not truth.exists():
        print(f"no pages at {truth}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in truth.open(encoding="utf-8") if line.strip()]
    sentences = furniture = briefed = 0
    skipped: list[str] = []
    found: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            path = Path(tmp) / f"{row['id']}.html"
            shutil.copyfile(args.data / row["html_file"], path)
            try:
                brief = briefing.build(path)
            except BriefingError as exc:
                skipped.append(f"{row['url']}: {exc}")
                continue
            finally:
                path.unlink()
            briefed += 1
            body = row["articleBody"]
            body_grams = grams(body)
            body_words = {w for w in _WORD.findall(body.casefold())}
            for section in brief.sections:
                for item in section.items:
                    for sentence in item.sentences:
                        sentences += 1
                        if not is_body_text(sentence.text, body_grams, body_words):
                            furniture += 1
                            found.append((row["url"], sentence.text))
    print(f"{len(rows)} pages: {briefed} briefed, {len(skipped)} skipped")
    for line in skipped:
        print(f"  skipped {line[:140]}")
    share = furniture / max(1, sentences)
    print(f"\n{sentences} bullet sentences; {furniture} not text of the article: {share:.1%}")
    print("(bar: at most 1%)")
    for url, text in found[: args.show]:
        print(f"  {url[:45]:<45} {text[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
