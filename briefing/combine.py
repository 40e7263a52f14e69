"""Combine articles: find the same article saved twice or syndicated by several outlets.

Two articles are the same when most of the shorter one's word 5-grams (shingles) appear in
the other, whatever their titles, formats or page furniture say.  Such a group is briefed
once, from its longest member, and every bullet drawn from it cites every member.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from .models import Article

logger = logging.getLogger(__name__)

SHINGLE_WORDS = 5
# Share of the shorter article's shingles that the other must hold to be the same article.
SAME_ARTICLE = 0.7
_WORD = re.compile(r"[^\W_]+")


def shingles(text: str) -> frozenset[int]:
    """Return the hashed word 5-grams (a frozenset of int) of ``text``, case folded."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(
        hash(tuple(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def duplicate_groups(articles: Sequence[Article]) -> tuple[tuple[int, ...], ...]:
    """Return groups of indices into ``articles`` that hold the same article.

    Every index is in exactly one group (a tuple of int); the first index of a group is
    the member to brief (the longest text); groups come in the order of their first
    article.  An inverted index of shingles keeps this fast for hundreds of articles.
    """
    sets = [shingles(a.text) for a in articles]
    owners: dict[int, list[int]] = defaultdict(list)
    for i, shingle_set in enumerate(sets):
        for shingle in shingle_set:
            owners[shingle].append(i)
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, shingle_set in enumerate(sets):
        shared: Counter[int] = Counter(
            j for shingle in shingle_set for j in owners[shingle] if j > i
        )
        for j, count in shared.items():
            shorter = min(len(shingle_set), len(sets[j]))
            if shorter and count / shorter >= SAME_ARTICLE:
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        members[root(i)].append(i)
    groups = tuple(
        tuple(sorted(group, key=lambda i: (-len(articles[i].text), i)))
        for group in sorted(members.values(), key=min)
    )
    merged = sum(len(g) - 1 for g in groups)
    if merged:
        logger.info("found %d duplicate article(s) in %d group(s)", merged, len(groups))
    return groups
