"""File the chosen sentences into the briefing's sections.

A sentence goes into Outcomes, Disagreements or Next steps only when the classifier is
confident of that label; the most important of the rest become Key points and the others
Context.  Near-duplicate sentences (the same fact in two articles) are merged into one item
that cites every source.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .models import (
    SECTION_OF_LABEL,
    Article,
    Classification,
    Item,
    ScoredSentence,
    Section,
    SectionKind,
    Source,
)

logger = logging.getLogger(__name__)

SECTION_ORDER: tuple[SectionKind, ...] = (
    "key_points",
    "outcomes",
    "disagreements",
    "next_steps",
    "context",
)
# Word-set overlap (Jaccard) above which two sentences say the same thing.
DUPLICATE_OVERLAP = 0.6
# Extra priority a confidently labelled sentence gets when choosing what goes in.
LABEL_BONUS = 0.35
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Layout:
    """How much goes into a briefing: the budgets the structuring step works within."""

    max_items: int = 20
    key_points: int = 5
    per_section: int = 6
    per_article: int | None = None
    confident: float = 0.5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked, classified sentence competing for a place in the briefing."""

    scored: ScoredSentence
    classification: Classification
    percentile: float
    rank: int
    of: int

    @property
    def is_labelled(self) -> bool:
        return self.classification.label != "context"

    def priority(self, confident: float) -> float:
        sure = self.is_labelled and self.classification.confidence >= confident
        return self.percentile + (LABEL_BONUS if sure else 0.0)


def candidates_of(
    scored: Sequence[ScoredSentence], classified: Sequence[Classification]
) -> tuple[Candidate, ...]:
    """Return one ``Candidate`` per sentence of one article (scores and labels aligned)."""
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    n = len(scored)
    rank_of = {i: r for r, i in enumerate(order)}
    return tuple(
        Candidate(s, c, percentile=1 - rank_of[i] / n, rank=rank_of[i] + 1, of=n)
        for i, (s, c) in enumerate(zip(scored, classified, strict=True))
    )


def sources_of(articles: Sequence[Article]) -> tuple[Source, ...]:
    """Return the numbered Sources list: one ``Source`` per article, in article order."""
    return tuple(
        Source(i + 1, a.title, a.source, a.published, a.location) for i, a in enumerate(articles)
    )


def structure(per_article: Sequence[Sequence[Candidate]], layout: Layout) -> tuple[Section, ...]:
    """Return the briefing's non-empty sections (a tuple of ``Section``), in reading order.

    ``per_article`` holds the candidates of each article, indexed like the Sources list.
    """
    chosen = _choose(per_article, layout)
    groups = _merge_duplicates(chosen)
    filed: dict[SectionKind, list[Item]] = {kind: [] for kind in SECTION_ORDER}
    unfiled: list[Item] = []
    for group in groups:
        best = group[0]
        label = best.classification.label
        confident = best.classification.confidence >= layout.confident
        item = _item(group, layout)
        if label != "context" and confident:
            filed[SECTION_OF_LABEL[label]].append(item)
        else:
            unfiled.append(item)
    filed["key_points"] = unfiled[: layout.key_points]
    filed["context"] = unfiled[layout.key_points :]
    sections = tuple(
        Section(kind, tuple(filed[kind][: layout.per_section]))
        for kind in SECTION_ORDER
        if filed[kind]
    )
    logger.info(
        "filed %d items into %d sections",
        sum(len(s.items) for s in sections),
        len(sections),
    )
    return sections


def _choose(per_article: Sequence[Sequence[Candidate]], layout: Layout) -> list[Candidate]:
    """The candidates that go in, most important first."""
    n_articles = max(1, sum(1 for c in per_article if c))
    quota = layout.per_article or max(2, min(10, round(layout.max_items / n_articles)))
    chosen: list[Candidate] = []
    for candidates in per_article:
        by_priority = sorted(
            candidates, key=lambda c: (-c.priority(layout.confident), c.scored.sentence.index)
        )
        chosen.extend(by_priority[:quota])
    chosen.sort(key=lambda c: (-c.priority(layout.confident), c.scored.sentence.article_id))
    return chosen[: layout.max_items]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _merge_duplicates(chosen: list[Candidate]) -> list[list[Candidate]]:
    """Group candidates that say the same thing; each group's first member is its best."""
    groups: list[tuple[frozenset[str], list[Candidate]]] = []
    for candidate in chosen:
        words = _words(candidate.scored.sentence.text)
        for group_words, members in groups:
            union = len(words | group_words)
            if union and len(words & group_words) / union >= DUPLICATE_OVERLAP:
                members.append(candidate)
                break
        else:
            groups.append((words, [candidate]))
    return [members for _, members in groups]


def _item(group: list[Candidate], layout: Layout) -> Item:
    best = group[0]
    c = best.classification
    citations = tuple(sorted({m.scored.sentence.article_id + 1 for m in group}))
    if c.label != "context" and c.confidence >= layout.confident:
        why = f"{c.label} ({c.confidence:.2f}): {c.reason}" if c.reason else c.label
    elif c.label != "context":
        why = f"not confident enough for {c.label} ({c.confidence:.2f} < {layout.confident:.2f})"
    else:
        why = f"context: {c.reason}" if c.reason else "context"
    why += f"; ranked {best.rank} of {best.of} in its article"
    if len(group) > 1:
        why += f"; merged with {len(group) - 1} near-duplicate(s)"
    return Item(
        text=best.scored.sentence.text,
        score=best.scored.score,
        label=c.label,
        confidence=c.confidence,
        citations=citations,
        why=why,
        sentences=tuple(m.scored.sentence for m in group),
    )
