"""File the chosen sentences into the briefing's sections.

A sentence goes into Outcomes, Disagreements or Next steps only when the classifier is
confident of that label; the most important of the rest become Key points and the others
Context.  Near-duplicate sentences (the same fact in two articles) are merged into one item
that cites every source.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .classify import CONFIDENT
from .models import (
    SECTION_OF_LABEL,
    Article,
    Classification,
    Item,
    Label,
    ScoredSentence,
    Section,
    SectionKind,
    Source,
    Story,
)
from .words import content_stems

logger = logging.getLogger(__name__)

SECTION_ORDER: tuple[SectionKind, ...] = (
    "key_points",
    "outcomes",
    "disagreements",
    "next_steps",
    "context",
)
# Two sentences say the same thing when this share of the shorter one's content words
# (stemmed, stop words dropped) is in the other: outlets reword, but keep the facts.
DUPLICATE_OVERLAP = 0.6
# A shorter sentence is a fragment, a dateline or a caption, not a bullet a reader can use.
MIN_BULLET_WORDS = 5
# Priority an item gives up for each item of its article already picked for its section.
SECTION_VARIETY = 0.5
# Sentences with fewer content words than this are too thin to call duplicates.
DUPLICATE_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class Layout:
    """How much goes into a briefing: the budgets the structuring step works within."""

    max_items: int = 20
    max_words: int | None = None
    max_stories: int = 10
    key_points: int = 5
    per_section: int = 8
    per_article: int | None = None
    confident: float = CONFIDENT


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked, classified sentence competing for a place in the briefing."""

    scored: ScoredSentence
    classification: Classification
    percentile: float
    rank: int
    of: int
    words: frozenset[str] = frozenset()

    @property
    def identity(self) -> tuple[int, int]:
        return (self.scored.sentence.article_id, self.scored.sentence.index)

    @property
    def is_labelled(self) -> bool:
        return self.classification.label != "context"

    @property
    def fit(self) -> bool:
        """Whether the sentence can stand alone as a bullet: not a question, not a fragment."""
        text = self.scored.sentence.text.rstrip(" \"'”’)")
        return not text.endswith("?") and len(text.split()) >= MIN_BULLET_WORDS

    def kind(self, confident: float) -> Label:
        """The label it is filed by: its own when confident enough, else context."""
        return self.classification.label if self.is_confident(confident) else "context"

    def is_confident(self, confident: float) -> bool:
        """True when the sentence is sure enough of its label for an action section."""
        return self.is_labelled and self.classification.confidence >= confident

    def priority(self, confident: float) -> float:
        """How much the sentence deserves a place: its rank within its article, plus the
        classifier's confidence when that is high enough to file it in an action section,
        so that a clear disagreement outranks a vaguely important background sentence."""
        sure = self.is_confident(confident)
        return self.percentile + (self.classification.confidence if sure else 0.0)


def candidates_of(
    scored: Sequence[ScoredSentence], classified: Sequence[Classification]
) -> tuple[Candidate, ...]:
    """Return one ``Candidate`` per sentence of one article (scores and labels aligned)."""
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    n = len(scored)
    rank_of = {i: r for r, i in enumerate(order)}
    return tuple(
        Candidate(
            s,
            c,
            percentile=1 - rank_of[i] / n,
            rank=rank_of[i] + 1,
            of=n,
            words=frozenset(content_stems(s.sentence.text)),
        )
        for i, (s, c) in enumerate(zip(scored, classified, strict=True))
    )


def sources_of(articles: Sequence[Article]) -> tuple[Source, ...]:
    """Return the numbered Sources list: one ``Source`` per article, in article order."""
    return tuple(
        Source(i + 1, a.title, a.source, a.published, a.location) for i, a in enumerate(articles)
    )


def structure(
    per_article: Sequence[Sequence[Candidate]],
    layout: Layout,
    *,
    copies: Mapping[int, Sequence[int]] | None = None,
) -> tuple[Section, ...]:
    """Return the briefing's non-empty sections (a tuple of ``Section``), in reading order.

    ``per_article`` holds the candidates of each article, indexed like the Sources list;
    ``copies`` maps an article to all the articles that are copies of it (itself included),
    so that its bullets cite them all.
    Key points come first: the best sentences of each article that no action section
    claims.  Then each article gets a quota of its best remaining sentences (rank plus
    label confidence), filed by label, within the briefing's total budget.
    """
    everyone = [c for candidates in per_article for c in candidates]
    n_articles = max(1, sum(1 for c in per_article if c))
    n_key = min(layout.key_points, max(3, n_articles), max(1, layout.max_items // 4))
    key = sorted(
        (c for c in everyone if c.fit and not c.is_confident(layout.confident)),
        key=lambda c: (c.rank, c.scored.sentence.article_id),
    )[:n_key]
    rest = _choose(per_article, layout, taken={c.identity for c in key}, budget=n_key)
    if layout.max_words is not None:
        key, rest = _within_words(key, rest, layout.max_words)
    filed: dict[SectionKind, list[Item]] = {kind: [] for kind in SECTION_ORDER}
    cite = _Citer(everyone, copies or {})
    filed["key_points"] = [_item(g, cite, layout) for g in _merge_duplicates(key)]
    for group in _merge_duplicates(rest):
        section = SECTION_OF_LABEL[group[0].kind(layout.confident)]
        filed[section].append(_item(group, cite, layout))
    sections = tuple(
        Section(kind, tuple(filed[kind][: layout.per_section]))
        for kind in SECTION_ORDER
        if filed[kind]
    )
    logger.debug(
        "filed %d items into %d sections",
        sum(len(s.items) for s in sections),
        len(sections),
    )
    return sections


def _choose(
    per_article: Sequence[Sequence[Candidate]],
    layout: Layout,
    *,
    taken: set[tuple[int, int]],
    budget: int,
) -> list[Candidate]:
    """The candidates that go into the sections after the key points, most important first.

    Each article offers its quota, picked greedily by priority, where every item already
    picked for a section lowers the next ones for that section by ``SECTION_VARIETY``: a
    reader is better served by an article's outcome, its dispute and its next step than by
    three outcomes.  The same adjusted priority orders the picks across articles, so a
    tight word budget drops repeats first.
    """
    n_articles = max(1, sum(1 for c in per_article if c))
    room = max(0, layout.max_items - budget)
    quota = layout.per_article or max(2, min(12, math.ceil(room / n_articles)))
    picks: list[tuple[float, Candidate]] = []
    for candidates in per_article:
        pool = [c for c in candidates if c.fit and c.identity not in taken]
        picks.extend(_varied(pool, quota, layout.confident))
    picks.sort(key=lambda pick: (-pick[0], pick[1].scored.sentence.article_id))
    return [candidate for _, candidate in picks[:room]]


def _varied(
    pool: list[Candidate], quota: int, confident: float
) -> list[tuple[float, Candidate]]:
    """Up to ``quota`` candidates of one article with their section-adjusted priorities."""
    picks: list[tuple[float, Candidate]] = []
    filed: Counter[str] = Counter()
    pool = list(pool)
    while pool and len(picks) < quota:
        values = [c.priority(confident) - SECTION_VARIETY * filed[c.kind(confident)] for c in pool]
        best = max(range(len(pool)), key=lambda i: (values[i], -pool[i].scored.sentence.index))
        picks.append((values[best], pool[best]))
        filed[pool[best].kind(confident)] += 1
        del pool[best]
    return picks


def _within_words(
    key: list[Candidate], rest: list[Candidate], max_words: int
) -> tuple[list[Candidate], list[Candidate]]:
    """Keep the key points and then the most important other candidates that fit
    ``max_words``; the best key point always stays, so no story is left without a line."""
    kept_key: list[Candidate] = []
    kept_rest: list[Candidate] = []
    used = 0
    for kept, candidates in ((kept_key, key), (kept_rest, rest)):
        for candidate in candidates:
            words = len(candidate.scored.sentence.text.split())
            if used + words <= max_words or (not used and kept is kept_key):
                kept.append(candidate)
                used += words
    return kept_key, kept_rest


def _merge_duplicates(chosen: list[Candidate]) -> list[list[Candidate]]:
    """Group candidates that say the same thing; each group's first member is its best."""
    groups: list[tuple[frozenset[str], list[Candidate]]] = []
    for candidate in chosen:
        words = candidate.words
        for group_words, members in groups:
            if _same_fact(words, group_words):
                members.append(candidate)
                break
        else:
            groups.append((words, [candidate]))
    return [members for _, members in groups]


def _same_fact(a: frozenset[str], b: frozenset[str]) -> bool:
    shorter = min(len(a), len(b))
    return shorter >= DUPLICATE_MIN_WORDS and len(a & b) / shorter >= DUPLICATE_OVERLAP


@dataclass(frozen=True, slots=True)
class _Citer:
    """Finds every article a bullet should cite: those that say the same, and their copies."""

    everyone: Sequence[Candidate]
    copies: Mapping[int, Sequence[int]]

    def __call__(self, group: Sequence[Candidate]) -> tuple[int, ...]:
        """Return the 1-based source numbers (a sorted tuple of int) the group cites."""
        words = group[0].words
        citing = {m.scored.sentence.article_id for m in group}
        citing |= {
            other.scored.sentence.article_id
            for other in self.everyone
            if other.scored.sentence.article_id not in citing
            and _same_fact(words, other.words)
        }
        expanded = {copy for a in citing for copy in self.copies.get(a, (a,))}
        return tuple(sorted(a + 1 for a in expanded))


def _item(group: list[Candidate], cite: _Citer, layout: Layout) -> Item:
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
    if len(citations) > 1:
        why += f"; said by {len(citations)} sources"
    return Item(
        text=best.scored.sentence.text,
        score=best.scored.score,
        label=c.label,
        confidence=c.confidence,
        citations=citations,
        why=why,
        sentences=tuple(m.scored.sentence for m in group),
    )


# Stories beyond the budget are still named, by headline, up to this many.
MAX_ALSO = 15


def build_stories(
    stories: Sequence[Sequence[int]],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    *,
    copies: Mapping[int, Sequence[int]],
) -> tuple[tuple[Story, ...], tuple[Story, ...]]:
    """Return the briefed stories and the stories only named, most important first.

    ``stories`` are groups of article ids.  Importance is: more sources, then more recent,
    then more confident outcomes.  The first ``layout.max_stories`` share the briefing's
    item and word budgets by importance (a story carried by many outlets gets more room),
    and each is structured within its share; up to ``MAX_ALSO`` more are named by headline.
    """
    ranked = sorted(
        stories, key=lambda ids: _importance(ids, per_article, articles, layout, copies)
    )
    shown, named = ranked[: layout.max_stories], ranked[layout.max_stories :][:MAX_ALSO]
    weights = [1.0 + math.log2(len(_cited(ids, copies))) for ids in shown]
    total = sum(weights)
    briefed = []
    for ids, weight in zip(shown, weights, strict=True):
        share = weight / total
        words = None if layout.max_words is None else max(40, round(layout.max_words * share))
        story_layout = replace(
            layout, max_items=max(3, round(layout.max_items * share)), max_words=words
        )
        members = set(ids)
        own = [c if i in members else () for i, c in enumerate(per_article)]
        briefed.append(_story(ids, articles, copies, structure(own, story_layout, copies=copies)))
    also = tuple(_story(ids, articles, copies, ()) for ids in named)
    logger.info(
        "briefed %d stories, named %d more, left out %d",
        len(briefed),
        len(also),
        len(ranked) - len(briefed) - len(also),
    )
    return tuple(briefed), also


def _story(
    ids: Sequence[int],
    articles: Sequence[Article],
    copies: Mapping[int, Sequence[int]],
    sections: tuple[Section, ...],
) -> Story:
    return Story(
        headline=_headline([articles[i] for i in ids]),
        sections=sections,
        sources=tuple(sorted(n + 1 for n in _cited(ids, copies))),
    )


def cite_only_used(
    stories: Sequence[Story], also: Sequence[Story], sources: Sequence[Source]
) -> tuple[tuple[Story, ...], tuple[Story, ...], tuple[Source, ...]]:
    """Drop the sources nothing cites and number the rest 1, 2, 3... in order.

    Returns the stories, the named stories and the sources with citations renumbered, so a
    brief of 500 articles lists only the ones it draws on.
    """
    used = sorted(
        {n for story in (*stories, *also) for n in story.sources}
        | {n for story in stories for s in story.sections for i in s.items for n in i.citations}
    )
    number = {old: new for new, old in enumerate(used, start=1)}

    def renumber(story: Story) -> Story:
        sections = tuple(
            replace(
                section,
                items=tuple(
                    replace(item, citations=tuple(number[n] for n in item.citations))
                    for item in section.items
                ),
            )
            for section in story.sections
        )
        return replace(
            story, sections=sections, sources=tuple(number[n] for n in story.sources)
        )

    kept = tuple(replace(sources[old - 1], number=new) for old, new in number.items())
    return tuple(map(renumber, stories)), tuple(map(renumber, also)), kept


def merge_sections(stories: Sequence[Story]) -> tuple[Section, ...]:
    """Return the stories' sections merged by kind, in reading order (a tuple of Section)."""
    merged: dict[SectionKind, list[Item]] = {kind: [] for kind in SECTION_ORDER}
    for story in stories:
        for section in story.sections:
            merged[section.kind].extend(section.items)
    return tuple(Section(kind, tuple(merged[kind])) for kind in SECTION_ORDER if merged[kind])


def _cited(ids: Sequence[int], copies: Mapping[int, Sequence[int]]) -> set[int]:
    return {copy for i in ids for copy in copies.get(i, (i,))}


def _importance(
    ids: Sequence[int],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    copies: Mapping[int, Sequence[int]],
) -> tuple[int, int, int, int]:
    """Sort key of a story, most important first: sources, recency, outcomes, order."""
    cited = _cited(ids, copies)
    dates = [articles[i].published for i in cited if articles[i].published]
    latest = max(dates).toordinal() if dates else 0
    outcomes = sum(
        1
        for i in ids
        for c in per_article[i]
        if c.classification.label == "outcome" and c.is_confident(layout.confident)
    )
    return (-len(cited), -latest, -outcomes, min(ids))


def _headline(articles: Sequence[Article]) -> str:
    """The story's headline: the title sharing the most words with the other titles."""
    if len(articles) == 1:
        return articles[0].title
    titles = [frozenset(content_stems(a.title)) for a in articles]
    best = max(
        range(len(articles)),
        key=lambda i: (sum(len(titles[i] & t) for j, t in enumerate(titles) if j != i), -i),
    )
    return articles[best].title
