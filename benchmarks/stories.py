"""Benchmark story grouping (``briefing.combine.story_groups``) on mixes of wire stories.

Each mix draws ``--topics`` topics of ``../shared/data/multidoc_dev.jsonl`` and ``--per-topic``
articles of each, as a morning's folder would hold them, cleaned as the loader cleans them;
it is grouped into stories and scored with B-cubed precision, recall and F1 (each article:
the share of its predicted story that is its topic, and the share of its topic in its
predicted story), once with the wire headlines and once without them (title "", as plain
text files saved without a headline line are).  A topic can hold more than one event, so
some splits are expected.  The same on **near mixes**, each of a topic and the four topics
nearest it in vocabulary, where merging related but different stories costs precision; and
on **unrelated mixes**, one article of each of 8 topics, as a small morning folder holds
them, where every article should be a story of its own; and on **small folders**, a topic
of 4 or 5 articles among a few unrelated ones (one article of each of other topics), where
the topic's articles must take in none of the others.
Also: the English news pages of the extraction set (one week of 2019, a few on the same
story), grouped without their headlines and scored with B-cubed against ``page_stories.json``
(the stories among them, labelled by hand by URL); each merge is printed, marked "wrong" where
it joins pages of different stories.

Example:
    python benchmarks/stories.py
    python benchmarks/stories.py --dated        # each wire article with its date
    python benchmarks/stories.py --mixes 20 --topics 5 --per-topic 10
    python benchmarks/stories.py --year 2006    # only the DUC 2006 topics
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import MULTIDOC  # noqa: E402
from briefing.combine import story_groups, tfidf_rows  # noqa: E402
from briefing.load import clean_article  # noqa: E402
from briefing.models import Article  # noqa: E402
from briefing.words import content_stems, looks_english  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
TOPICS = MULTIDOC
PAGES = SHARED / "extraction" / "ground_truth.jsonl"
PAGE_STORIES = Path(__file__).with_name("page_stories.json")
# Topics in an unrelated mix, one article of each.
UNRELATED_TOPICS = 8
# Small folders: (articles of one topic, unrelated articles beside them).
SMALL_FOLDERS = ((4, 4), (4, 6), (5, 3))


def bcubed(truth: Sequence[int], groups: Sequence[Sequence[int]]) -> tuple[float, float, float]:
    """Return B-cubed (precision, recall, F1) of ``groups`` (lists of indices) against the
    true class of each index."""
    predicted = {i: tuple(g) for g in groups for i in g}
    precision, recall = [], []
    for i, cls in enumerate(truth):
        mine = predicted[i]
        same = sum(1 for j in mine if truth[j] == cls)
        precision.append(same / len(mine))
        recall.append(same / sum(1 for c in truth if c == cls))
    p, r = float(np.mean(precision)), float(np.mean(recall))
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _mix(
    topics: list[dict], chosen: Sequence[int], per_topic: int, rng: random.Random
) -> list[tuple[int, dict]]:
    """Return (topic number in the mix, article) for ``per_topic`` articles of each topic
    ``chosen``, shuffled."""
    mix = []
    for k, t in enumerate(chosen):
        docs = topics[t]["docs"]
        mix += [(k, d) for d in rng.sample(docs, min(per_topic, len(docs)))]
    rng.shuffle(mix)
    return mix


def mixes(
    topics: list[dict], count: int, per_mix: int, per_topic: int, seed: int = 0
) -> list[list[tuple[int, dict]]]:
    """Return ``count`` mixes, each a list of (topic number, article) of ``per_mix`` topics."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chosen = rng.sample(range(len(topics)), per_mix)
        out.append(_mix(topics, chosen, per_topic, rng))
    return out


def sized_mixes(
    topics: list[dict], count: int, sizes: Sequence[int], seed: int = 0
) -> list[list[tuple[int, dict]]]:
    """Return ``count`` mixes, each of ``len(sizes)`` topics with ``sizes[k]`` articles of
    the k-th (a list of (topic number, article), shuffled)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chosen = rng.sample(range(len(topics)), len(sizes))
        mix = []
        for k, (t, size) in enumerate(zip(chosen, sizes, strict=True)):
            docs = topics[t]["docs"]
            mix += [(k, d) for d in rng.sample(docs, min(size, len(docs)))]
        rng.shuffle(mix)
        out.append(mix)
    return out


def near_mixes(
    topics: list[dict], count: int, per_mix: int, per_topic: int, seed: int = 0
) -> list[list[tuple[int, dict]]]:
    """Return ``count`` mixes, each of a random topic and the ``per_mix - 1`` topics whose
    whole texts are nearest its own (TF-IDF cosine)."""
    vectors = tfidf_rows(
        [[s for d in t["docs"] for s in content_stems(d["text"])] for t in topics]
    )
    similar = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similar, -1.0)
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        first = rng.randrange(len(topics))
        chosen = [first, *(int(t) for t in np.argsort(-similar[first])[: per_mix - 1])]
        out.append(_mix(topics, chosen, per_topic, rng))
    return out


def page_truth(urls: Sequence[str]) -> list[int]:
    """Return the true story of each page of ``urls`` (an int), from PAGE_STORIES: the
    pages of one labelled story share a number, every other page has its own."""
    labelled = json.loads(PAGE_STORIES.read_text(encoding="utf-8"))["stories"]
    story_of = {url: k for k, members in enumerate(labelled.values()) for url in members}
    return [story_of.get(url, len(labelled) + i) for i, url in enumerate(urls)]


def group(articles: list[Article]) -> tuple[tuple[int, ...], ...]:
    """Return the stories ``story_groups`` makes of ``articles``."""
    return story_groups(articles, list(range(len(articles))))


def score_mixes(all_mixes, headlines: bool, dated: bool = False) -> dict[str, float]:
    """Group every mix and return the mean B-cubed P, R, F1, the worst F1 and stories per mix;
    with ``dated``, each article carries its wire date."""
    p, r, f, stories = [], [], [], []
    for mix in all_mixes:
        articles = [
            clean_article(
                Article(
                    title=d["headline"] if headlines else "",
                    text=d["text"],
                    published=_wire_date(d["date"]) if dated else None,
                )
            )
            for _, d in mix
        ]
        groups = group(articles)
        scores = bcubed([k for k, _ in mix], groups)
        p.append(scores[0])
        r.append(scores[1])
        f.append(scores[2])
        stories.append(len(groups))
    return {
        "precision": float(np.mean(p)),
        "recall": float(np.mean(r)),
        "f1": float(np.mean(f)),
        "worst_f1": float(np.min(f)),
        "stories": float(np.mean(stories)),
    }


def _wire_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mixes", type=int, default=20)
    parser.add_argument("--topics", type=int, default=5, help="topics in a mix")
    parser.add_argument("--per-topic", type=int, default=10, help="articles of each topic")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, help="only the topics of this year (2006 or 2007)")
    parser.add_argument(
        "--dated", action="store_true", help="give each wire article its date, as a folder would"
    )
    args = parser.parse_args(argv)
    if not TOPICS.exists():
        print(f"no topics at {TOPICS}", file=sys.stderr)
        return 2
    topics = [json.loads(line) for line in TOPICS.open(encoding="utf-8") if line.strip()]
    if args.year:
        topics = [t for t in topics if t["year"] == args.year]
    all_mixes = mixes(topics, args.mixes, args.topics, args.per_topic, args.seed)
    print(
        f"{args.mixes} mixes of {args.topics} topics x {args.per_topic} articles "
        f"(multidoc_dev.jsonl, {len(topics)} topics, seed {args.seed}); B-cubed, mean over mixes"
    )
    print(f"  {'':<22} {'P':>6} {'R':>6} {'F1':>6} {'worst F1':>9} {'stories':>8}")
    start = time.perf_counter()
    near = near_mixes(topics, args.mixes, args.topics, args.per_topic, args.seed)
    unrelated = mixes(topics, 2 * args.mixes, UNRELATED_TOPICS, 1, args.seed)
    small = [
        (f"small, {deep} + {alone} x 1", sized_mixes(topics, count, sizes, args.seed), False)
        for deep, alone in SMALL_FOLDERS
        for count, sizes in ((2 * args.mixes, [deep] + [1] * alone),)
    ]  # fmt: skip
    for name, chosen, headlines in (
        ("with headlines", all_mixes, True),
        ("without headlines", all_mixes, False),
        ("near, no headlines", near, False),
        (f"unrelated, {UNRELATED_TOPICS} x 1", unrelated, False),
        *small,
    ):
        s = score_mixes(chosen, headlines, args.dated)
        print(
            f"  {name:<22} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}"
            f" {s['worst_f1']:9.3f} {s['stories']:8.1f}"
        )
    if PAGES.exists():
        lines = PAGES.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        # The pages a brief would read: those in English (the loader skips the others).
        rows = [r for r in rows if looks_english(r["articleBody"])]
        pages = [clean_article(Article(title="", text=r["articleBody"])) for r in rows]
        groups = group(pages)
        truth = page_truth([r["url"] for r in rows])
        merged = [g for g in groups if len(g) > 1]
        precision, recall, f1 = bcubed(truth, groups)
        print(
            f"\n{len(pages)} English news pages of one week ({len(set(truth))} stories by hand):"
            f" {len(groups)} stories; {len(merged)} merges of {sum(len(g) for g in merged)} pages;"
            f" B-cubed P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"
        )
        for g in merged:
            mark = "wrong " if len({truth[i] for i in g}) > 1 else ""
            print(f"  {mark}merged: " + " | ".join(rows[i]["url"][:50] for i in g))
    print(f"\n{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
