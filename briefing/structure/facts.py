"""The same fact said twice: near-duplicate sentences (the same content words, or the same
specific figure) are one item citing every source that says it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models import (
    Item,
)
from ..options import Layout
from .candidates import Candidate

# Two sentences say the same thing when this share of the shorter one's content words
# (stemmed, stop words dropped) is in the other: outlets reword, but keep the facts.
DUPLICATE_OVERLAP = 0.6
# Sentences with fewer content words than this are too thin to call duplicates.
DUPLICATE_MIN_WORDS = 4
# A repeat that shares a figure with a bullet is cited by it only if it shares this much of
# the shorter one's content words too.
CITED_OVERLAP = 0.2


def same_fact(a: Candidate, b: Candidate) -> bool:
    """True when two candidates of one story say the same thing: they state the same
    specific figure (``figures_of``), or most of the shorter one's content words are in the
    other (``DUPLICATE_OVERLAP``): outlets reword, but keep the facts."""
    if a.figures & b.figures:
        return True
    shorter = min(len(a.words), len(b.words))
    return shorter >= DUPLICATE_MIN_WORDS and len(a.words & b.words) / shorter >= DUPLICATE_OVERLAP


def also_says(a: Candidate, b: Candidate) -> bool:
    """True when a repeat says enough of what the other says to be cited for it: beyond a
    shared figure, ``CITED_OVERLAP`` of the shorter one's content words."""
    shorter = min(len(a.words), len(b.words))
    return bool(shorter) and len(a.words & b.words) / shorter >= CITED_OVERLAP


@dataclass(frozen=True, slots=True)
class Citer:
    """Finds every article a bullet should cite: those that say the same, and their copies."""

    everyone: Sequence[Candidate]
    copies: Mapping[int, Sequence[int]]

    def __call__(self, group: Sequence[Candidate]) -> tuple[int, ...]:
        """Return the 1-based source numbers (a sorted tuple of int) the group cites."""
        citing = {m.scored.sentence.article_id for m in group}
        citing |= {
            other.scored.sentence.article_id
            for other in self.everyone
            if other.scored.sentence.article_id not in citing
            and same_fact(group[0], other)
            and also_says(group[0], other)
        }
        expanded = {copy for a in citing for copy in self.copies.get(a, (a,))}
        return tuple(sorted(a + 1 for a in expanded))


def cited_item(group: list[Candidate], cite: Citer, layout: Layout) -> Item:
    """One bullet for a group of near-duplicates, citing every article that says the same."""
    best = group[0]
    c = best.classification
    citations = cite(group)
    if best.is_confident(layout.confident):
        why = f"{c.label} ({c.confidence:.2f}): {c.reason}" if c.reason else c.label
    elif c.label != "context":
        why = f"not confident enough for {c.label} ({c.confidence:.2f} < {layout.confident:.2f})"
    else:
        why = f"context: {c.reason}" if c.reason else "context"
    why += f"; ranked {best.rank} of {best.of} in its article"
    if best.before is not None:
        why += "; shown after the sentence it leans on"
    if len(citations) > 1:
        why += f"; said by {len(citations)} sources"
    return Item(
        text=best.text,
        score=best.scored.score,
        label=c.label,
        confidence=c.confidence,
        citations=citations,
        why=why,
        sentences=tuple(dict.fromkeys(s for m in group for s in m.sentences)),
    )


# A story's news value counts the confident outcomes, disagreements and next steps among
# each of its articles' best sentences, this much each, up to this many (see news_value).
