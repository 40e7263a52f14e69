"""File the chosen sentences into the briefing's sections.

A sentence goes into Outcomes, Disagreements or Next steps only when the classifier is
confident of that label; the most important of the rest become Key points and the others
Context.  Near-duplicate sentences (the same fact in two articles, or the same specific
figure) are merged into one item that cites every source.  A sentence that leans on the one
before it ("Mr. Okonedo rejected that claim, ...") is never shown alone: it is shown with that
sentence, in one bullet, or passed over.  The word budget keeps the best-ranked bullets first.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .clean import is_dateline, is_heading, is_prose
from .headlines import headline_of, story_headline
from .models import (
    SECTION_OF_LABEL,
    Article,
    Classification,
    Item,
    Label,
    ScoredSentence,
    Section,
    SectionKind,
    Sentence,
    Source,
    Story,
    StoryStatus,
)
from .options import Layout
from .words import content_stems, figures_of, leans_on_previous

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
# A repeat that shares a figure with a bullet is cited by it only if it shares this much of
# the shorter one's content words too.
CITED_OVERLAP = 0.2
# A sentence shown with the one it leans on makes a bullet of two; longer than this, the
# pair is no longer a bullet a reader takes in at a glance, and the sentence is passed over.
MAX_PAIR_WORDS = 60


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked, classified sentence competing for a place in the briefing.

    ``before`` is the sentence before it in its article when it leans on that sentence
    (see ``leans_on_previous``) and is shown with it; its rank and label are its own.
    """

    scored: ScoredSentence
    classification: Classification
    percentile: float
    rank: int
    of: int
    words: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    before: Candidate | None = None

    @property
    def identity(self) -> tuple[int, int]:
        return (self.scored.sentence.article_id, self.scored.sentence.index)

    @property
    def identities(self) -> frozenset[tuple[int, int]]:
        """The identities of every sentence the bullet shows: its own and ``before``'s."""
        shown = {self.identity}
        if self.before is not None:
            shown.add(self.before.identity)
        return frozenset(shown)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences the bullet shows, in article order."""
        own = self.scored.sentence
        return (own,) if self.before is None else (self.before.scored.sentence, own)

    @property
    def text(self) -> str:
        """The bullet's text: the sentence, after the one it leans on if it is shown with it."""
        return " ".join(s.text for s in self.sentences)

    @property
    def n_words(self) -> int:
        """How many words the bullet takes of the word budget."""
        return len(self.text.split())

    @property
    def is_labelled(self) -> bool:
        return self.classification.label != "context"

    @property
    def fit(self) -> bool:
        """Whether the sentence can stand as a bullet: not a question, not a fragment, prose
        rather than a heading, link or prompt (see ``clean.is_prose``), and, when it leans on
        the sentence before it, shown with that sentence."""
        text = self.scored.sentence.text.rstrip(" \"'”’)")
        if text.endswith("?") or len(text.split()) < MIN_BULLET_WORDS:
            return False
        if not is_prose(self.scored.sentence.text):
            return False
        return self.before is not None or not leans_on_previous(text)

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
            figures=figures_of(s.sentence.text),
        )
        for i, (s, c) in enumerate(zip(scored, classified, strict=True))
    )


def with_lead_ins(candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
    """Return one article's candidates (in sentence order), each sentence that leans on the
    one before it joined to that sentence (``Candidate.before``) when the two make a usable
    bullet: the sentence before is a whole sentence that stands on its own (not a heading,
    dateline, question or fragment, and not leaning further back) and the pair is at most
    ``MAX_PAIR_WORDS`` words.  Otherwise the leaning sentence stays unfit and is passed over.
    """
    joined = list(candidates)
    for i, candidate in enumerate(candidates):
        own = candidate.scored.sentence
        previous = candidates[i - 1] if i else None
        if (
            previous is not None
            and leans_on_previous(own.text)
            and previous.scored.sentence.index == own.index - 1
            and previous.fit
            and not is_heading(previous.scored.sentence.text)
            and not is_dateline(previous.scored.sentence.text)
            and previous.n_words + len(own.text.split()) <= MAX_PAIR_WORDS
        ):
            joined[i] = replace(
                candidate,
                before=previous,
                words=candidate.words | previous.words,
                figures=candidate.figures | previous.figures,
            )
    return tuple(joined)


def sources_of(articles: Sequence[Article]) -> tuple[Source, ...]:
    """Return the numbered Sources list: one ``Source`` per article, in article order."""
    return tuple(
        Source(i + 1, headline_of(a), a.source, a.published, a.location)
        for i, a in enumerate(articles)
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
    label confidence), filed by label.  A sentence that leans on the one before it is shown
    with it or passed over (``with_lead_ins``).  Sentences that state the same fact become
    one bullet, led by the best-ranked of them, citing them all.  Last, the word budget
    keeps bullets by rank, best first; the best one stays even when it alone is over.
    """
    everyone = [c for candidates in per_article for c in candidates]
    shown, repeats = _distinct([with_lead_ins(candidates) for candidates in per_article])
    n_articles = max(1, sum(1 for c in per_article if c))
    n_key = min(layout.key_points, max(3, n_articles), max(1, layout.max_items // 4))
    taken: set[tuple[int, int]] = set()
    key = _claim(
        sorted(
            (c for candidates in shown for c in candidates if not c.is_confident(layout.confident)),
            key=lambda c: (c.rank, c.scored.sentence.article_id),
        ),
        n_key,
        taken,
    )
    rest = _choose(shown, layout, taken=taken)
    groups = [[c, *repeats.get(c.identity, ())] for c in (*key, *rest)]
    key_ids = {c.identity for c in key}

    def section_of(leader: Candidate) -> SectionKind:
        if leader.identity in key_ids:
            return "key_points"
        return SECTION_OF_LABEL[leader.kind(layout.confident)]

    groups = _within_budget(groups, layout.max_items, layout.max_words, section_of)
    filed: dict[SectionKind, list[Item]] = {kind: [] for kind in SECTION_ORDER}
    cite = _Citer(everyone, copies or {})
    for group in groups:
        filed[section_of(group[0])].append(_item(group, cite, layout))
    # The story opens with its lead's section, so its first bullet is its most important;
    # the other sections keep their usual order.
    lead = min(groups, key=lambda group: group[0].rank, default=None)
    first = section_of(lead[0]) if lead else "key_points"
    order = (first, *(kind for kind in SECTION_ORDER if kind != first))
    sections = tuple(
        Section(kind, tuple(filed[kind][: layout.per_section])) for kind in order if filed[kind]
    )
    logger.debug(
        "filed %d items into %d sections",
        sum(len(s.items) for s in sections),
        len(sections),
    )
    return sections


def _claim(
    ordered: Sequence[Candidate], limit: int, taken: set[tuple[int, int]]
) -> list[Candidate]:
    """Up to ``limit`` of ``ordered``, in order, each showing no sentence already ``taken``
    (a sentence is in one bullet at most, alone or with the one leaning on it); the
    sentences of those returned are added to ``taken``."""
    claimed: list[Candidate] = []
    for candidate in ordered:
        if len(claimed) >= limit:
            break
        if candidate.identities & taken:
            continue
        claimed.append(candidate)
        taken |= candidate.identities
    return claimed


def _choose(
    per_article: Sequence[Sequence[Candidate]],
    layout: Layout,
    *,
    taken: set[tuple[int, int]],
) -> list[Candidate]:
    """Up to ``layout.max_items`` candidates for the sections after the key points, most
    important first (``per_article`` holds each article's usable, distinct candidates); the
    item and word budgets then keep the best of them with the key points.

    Each article offers its quota, picked greedily by priority, where every item already
    picked for a section lowers the next ones for that section by ``SECTION_VARIETY``: a
    reader is better served by an article's outcome, its dispute and its next step than by
    three outcomes.  The same adjusted priority orders the picks across articles.
    """
    n_articles = max(1, sum(1 for c in per_article if c))
    room = layout.max_items
    quota = layout.per_article or max(2, min(12, math.ceil(room / n_articles)))
    picks: list[tuple[float, Candidate]] = []
    for candidates in per_article:
        pool = [c for c in candidates if not c.identities & taken]
        picks.extend(_varied(pool, quota, layout.confident))
    picks.sort(key=lambda pick: (-pick[0], pick[1].scored.sentence.article_id))
    return _claim([candidate for _, candidate in picks], room, taken)


def _varied(pool: list[Candidate], quota: int, confident: float) -> list[tuple[float, Candidate]]:
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


def _within_budget(
    groups: list[list[Candidate]],
    max_items: int,
    max_words: int | None,
    section_of: Callable[[Candidate], SectionKind],
) -> list[list[Candidate]]:
    """Return the bullets (groups of near-duplicates, in their order) that fit ``max_items``
    bullets and ``max_words`` words (None: no word limit).

    Bullets are kept in rounds: the best-ranked bullet (the lead), then the best of every
    other section, Outcomes, Disagreements and Next steps before Key points, then the
    second of each, and so on, by rank within a round; Context comes after all of them.
    So a lead is never dropped for a lesser sentence, and a tight budget still shows the
    story's dispute and next step rather than a second outcome.  The lead stays even if it
    alone is over, so no story is left without a line; ``build_stories`` keeps the whole
    brief within its budget."""
    if not groups:
        return groups
    lead = min(range(len(groups)), key=lambda i: (groups[i][0].rank, i))
    seen: Counter[SectionKind] = Counter()
    order: list[tuple[bool, int, int, float, int]] = []
    for i in sorted(range(len(groups)), key=lambda i: (groups[i][0].rank, i)):
        section = section_of(groups[i][0])
        background = section == "context" and i != lead
        standing = 0 if i == lead else int(section == "key_points")
        order.append((background, seen[section], standing, groups[i][0].rank, i))
        seen[section] += 1
    kept: set[int] = set()
    used = 0
    for *_, i in sorted(order):
        if len(kept) >= max_items:
            break
        words = groups[i][0].n_words
        if max_words is None or used + words <= max_words or not kept:
            kept.add(i)
            used += words
    return [group for i, group in enumerate(groups) if i in kept]


def _distinct(
    per_article: Sequence[Sequence[Candidate]],
) -> tuple[list[list[Candidate]], dict[tuple[int, int], list[Candidate]]]:
    """Return the fit candidates of each article, each fact once, and what was set aside.

    Going through every article's fit candidates by rank, best first, a candidate that
    states the same fact as one already kept (``_same_fact``) is set aside as a repeat of
    it, so the better-ranked statement is the one that can become a bullet, and the room a
    repeat would have taken goes to another fact.  The repeats are returned by the identity
    of the candidate they repeat, and its bullet cites them, unless all they share is the
    figure (``_also_says``): "£1.25 billion" in a sentence on the workers' anger and in one
    on the funding is one figure, but the second outlet did not report the anger.
    """
    fit = sorted(
        (c for candidates in per_article for c in candidates if c.fit),
        key=lambda c: (c.rank, c.scored.sentence.article_id, c.scored.sentence.index),
    )
    kept: list[Candidate] = []
    repeats: dict[tuple[int, int], list[Candidate]] = {}
    for candidate in fit:
        same = next((k for k in kept if _same_fact(candidate, k)), None)
        if same is None:
            kept.append(candidate)
        elif _also_says(candidate, same):
            repeats.setdefault(same.identity, []).append(candidate)
    distinct = {c.identity for c in kept}
    pools = [[c for c in candidates if c.identity in distinct] for candidates in per_article]
    return pools, repeats


def _same_fact(a: Candidate, b: Candidate) -> bool:
    """True when two candidates of one story say the same thing: they state the same
    specific figure (``figures_of``), or most of the shorter one's content words are in the
    other (``DUPLICATE_OVERLAP``): outlets reword, but keep the facts."""
    if a.figures & b.figures:
        return True
    shorter = min(len(a.words), len(b.words))
    return shorter >= DUPLICATE_MIN_WORDS and len(a.words & b.words) / shorter >= DUPLICATE_OVERLAP


def _also_says(a: Candidate, b: Candidate) -> bool:
    """True when a repeat says enough of what the other says to be cited for it: beyond a
    shared figure, ``CITED_OVERLAP`` of the shorter one's content words."""
    shorter = min(len(a.words), len(b.words))
    return bool(shorter) and len(a.words & b.words) / shorter >= CITED_OVERLAP


@dataclass(frozen=True, slots=True)
class _Citer:
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
            and _same_fact(group[0], other)
            and _also_says(group[0], other)
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
NEWS_SENTENCES = 5
NEWS_PER_ACTION = 0.5
MAX_NEWS_ACTIONS = 4
# Stories beyond the budget are still named, by headline, up to this many.
MAX_ALSO = 6


def build_stories(
    stories: Sequence[Sequence[int]],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    *,
    copies: Mapping[int, Sequence[int]],
    seen: frozenset[int] | None = None,
) -> tuple[tuple[Story, ...], tuple[Story, ...]]:
    """Return the briefed stories and the stories only named, most important first.

    ``stories`` are groups of article ids.  ``seen`` holds the articles that earlier briefs
    had (None: no memory of earlier briefs); each story is then marked new, updated or seen,
    the seen ones come after the others, and an updated story is briefed from its new
    articles alone, under their headline: its reader has had the rest.  Importance is news
    value (``news_value``: outlets, and confident action sentences), then recency.  The first
    ``layout.max_stories`` share the briefing's item and word budgets by importance (a story
    carried by many outlets gets more room), and each is structured within its share; up to
    ``MAX_ALSO`` more are named by headline.
    A story gets one bullet at least while the brief has bullets left; the stories after
    that are named.

    Words a story leaves unused pass on to the stories after it, and a story may go over
    its share to keep its best bullet while the brief's budget has room for it.  A story
    whose best bullet no longer fits is named, not briefed, so the bullets of the whole
    brief stay within ``layout.max_words``, with one exception: the top story's best bullet
    is kept even when it alone is over, so that a brief is never empty (a warning says so).
    """
    status = {tuple(ids): _status(ids, copies, seen) for ids in stories}
    ranked = sorted(
        stories,
        key=lambda ids: (
            status[tuple(ids)] == "seen",
            *_importance(ids, per_article, articles, layout, copies),
        ),
    )
    shown, named = ranked[: layout.max_stories], ranked[layout.max_stories :]
    weights = [1.0 + math.log2(outlets_of(ids, articles, copies)) for ids in shown]
    total = sum(weights)
    unshared, left, items_left = total, layout.max_words, layout.max_items
    briefed: list[Story] = []
    unbriefed: list[Sequence[int]] = []
    for ids, weight in zip(shown, weights, strict=True):
        if items_left < 1:
            unbriefed.append(ids)
            continue
        words = None if left is None else math.floor(left * weight / unshared)
        items = max(1, math.floor(items_left * weight / unshared))
        unshared -= weight
        story_layout = replace(layout, max_items=items, max_words=words)
        members = set(_fresh(ids, copies, seen) if status[tuple(ids)] == "updated" else ids)
        own = [c if i in members else () for i, c in enumerate(per_article)]
        sections = structure(own, story_layout, copies=copies)
        items_left -= sum(len(section.items) for section in sections)
        if left is not None:
            used = sum(len(i.text.split()) for section in sections for i in section.items)
            if used > left and briefed:
                unbriefed.append(ids)
                continue
            if used > left:
                sections = _over_budget(sections, used, left)
            left = max(0, left - used)
        why = _why_it_ranks(ids, per_article, articles, layout, copies)
        briefed.append(_story(ids, articles, copies, sections, status[tuple(ids)], members, why))
    also = tuple(
        _story(ids, articles, copies, (), status[tuple(ids)], ids)
        for ids in [*unbriefed, *named][:MAX_ALSO]
    )
    logger.info(
        "briefed %d stories, named %d more, left out %d",
        len(briefed),
        len(also),
        len(ranked) - len(briefed) - len(also),
    )
    return tuple(briefed), also


def _over_budget(sections: tuple[Section, ...], used: int, budget: int) -> tuple[Section, ...]:
    """Return the top story's ``sections`` (its best bullet alone, ``used`` words, over the
    ``budget``) with the bullet's ``why`` saying so; a warning says so too."""
    logger.warning(
        "the top story's best sentence alone is %d words, over the %d-word budget; "
        "it is kept so the brief is not empty",
        used,
        budget,
    )
    note = f"; kept over the word budget ({used} > {budget} words): the brief's best sentence"
    return tuple(
        replace(section, items=tuple(replace(i, why=i.why + note) for i in section.items))
        for section in sections
    )


def _story(
    ids: Sequence[int],
    articles: Sequence[Article],
    copies: Mapping[int, Sequence[int]],
    sections: tuple[Section, ...],
    status: StoryStatus,
    headline_from: Iterable[int],
    why: str = "",
) -> Story:
    items = [item for section in sections for item in section.items]
    return Story(
        headline=story_headline([articles[i] for i in ids if i in set(headline_from)]),
        sections=sections,
        sources=tuple(sorted(n + 1 for n in _cited(ids, copies))),
        status=status,
        carried_by=outlets_of(ids, articles, copies),
        why=why,
        bottom_line=max(items, key=lambda item: item.score) if items else None,
    )


def _status(
    ids: Sequence[int], copies: Mapping[int, Sequence[int]], seen: frozenset[int] | None
) -> StoryStatus:
    """Whether earlier briefs had all of a story's articles ("seen"), some ("updated") or
    none ("new"); "" without a memory of earlier briefs."""
    if seen is None:
        return ""
    cited = _cited(ids, copies)
    had = len(cited & seen)
    return "new" if not had else "seen" if had == len(cited) else "updated"


def _fresh(
    ids: Sequence[int], copies: Mapping[int, Sequence[int]], seen: frozenset[int] | None
) -> list[int]:
    """The articles of ``ids`` that no earlier brief had, in any of their copies."""
    return [i for i in ids if not (seen and _cited([i], copies) & seen)]


def cite_only_used(
    stories: Sequence[Story], also: Sequence[Story], sources: Sequence[Source]
) -> tuple[tuple[Story, ...], tuple[Story, ...], tuple[Source, ...]]:
    """Drop the sources no bullet cites and number the rest 1, 2, 3... in reading order.

    Returns the stories, the named stories and the sources with citations renumbered, so a
    brief of 500 articles lists only the ones its bullets draw on, the first bullet citing
    [1]; a story keeps the count of its outlets (``Story.carried_by``) for its summary line.
    """
    # A brief of several stories opens with their bottom lines (the executive summary).
    summary = [s.bottom_line for s in stories if s.bottom_line] if len(stories) > 1 or also else []
    details = [i for story in stories for s in story.sections for i in s.items]
    used = list(dict.fromkeys(n for item in [*summary, *details] for n in sorted(item.citations)))
    number = {old: new for new, old in enumerate(used, start=1)}

    def renumbered(item: Item) -> Item:
        return replace(item, citations=tuple(sorted(number[n] for n in item.citations)))

    def renumber(story: Story) -> Story:
        sections = tuple(
            replace(section, items=tuple(map(renumbered, section.items)))
            for section in story.sections
        )
        return replace(
            story,
            sections=sections,
            sources=tuple(sorted(number[n] for n in story.sources if n in number)),
            carried_by=story.outlets,
            bottom_line=renumbered(story.bottom_line) if story.bottom_line else None,
        )

    kept = tuple(replace(sources[old - 1], number=new) for old, new in number.items())
    return tuple(map(renumber, stories)), tuple(map(renumber, also)), kept


def merge_sections(stories: Sequence[Story]) -> tuple[Section, ...]:
    """Return the stories' sections merged by kind (a tuple of Section), in the order the
    first story reads them (it opens with its lead's section), then the usual order."""
    merged: dict[SectionKind, list[Item]] = {}
    for story in stories:
        for section in story.sections:
            merged.setdefault(section.kind, []).extend(section.items)
    first = [next(iter(merged))] if merged else []
    order = [*first, *(kind for kind in SECTION_ORDER if kind not in first)]
    return tuple(Section(kind, tuple(merged[kind])) for kind in order if merged.get(kind))


def outlets_of(
    ids: Sequence[int], articles: Sequence[Article], copies: Mapping[int, Sequence[int]]
) -> int:
    """How many outlets carry the articles ``ids`` with their ``copies``: the distinct
    outlets their copies name, plus one for each article none of whose copies names one
    (so the same article saved twice counts once)."""
    named: set[str] = set()
    unnamed = 0
    for i in ids:
        sources = {articles[c].source for c in copies.get(i, (i,)) if articles[c].source}
        named |= sources
        unnamed += not sources
    return max(1, len(named) + unnamed)


def _cited(ids: Sequence[int], copies: Mapping[int, Sequence[int]]) -> set[int]:
    return {copy for i in ids for copy in copies.get(i, (i,))}


def _importance(
    ids: Sequence[int],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    copies: Mapping[int, Sequence[int]],
) -> tuple[float, int, int]:
    """Sort key of a story, most important first: its news value, then recency, then order.

    News value is how many outlets carry the story, each more counting for less, and how
    much of it is news: the confident outcomes, disagreements and next steps among its
    articles' best sentences, so a single report of a deal outranks a listicle in five
    files.  An undated article is as recent as the day its file was saved."""
    cited = _cited(ids, copies)
    dates = [d for i in cited if (d := articles[i].published or articles[i].saved)]
    latest = max(dates).toordinal() if dates else 0
    outlets = outlets_of(ids, articles, copies)
    return (-news_value(ids, per_article, layout, outlets), -latest, min(ids))


def news_value(
    ids: Sequence[int], per_article: Sequence[Sequence[Candidate]], layout: Layout, outlets: int
) -> float:
    """Return a story's news value (a float): log2(1 + outlets), plus NEWS_PER_ACTION for
    each confident action sentence among its articles' NEWS_SENTENCES best, at most
    MAX_NEWS_ACTIONS of them."""
    return _value(outlets, _news_actions(ids, per_article, layout))


def _value(outlets: int, actions: int) -> float:
    return math.log2(1 + outlets) + NEWS_PER_ACTION * min(actions, MAX_NEWS_ACTIONS)


def _news_actions(
    ids: Sequence[int], per_article: Sequence[Sequence[Candidate]], layout: Layout
) -> int:
    """How many confident action sentences the story's articles' best sentences hold."""
    return sum(
        1
        for i in ids
        for c in per_article[i]
        if c.rank <= NEWS_SENTENCES and c.is_labelled and c.is_confident(layout.confident)
    )


def _why_it_ranks(
    ids: Sequence[int],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    copies: Mapping[int, Sequence[int]],
) -> str:
    """Say (a str) what a story's place rests on, for ``--explain``."""
    outlets = outlets_of(ids, articles, copies)
    actions = _news_actions(ids, per_article, layout)
    value = _value(outlets, actions)
    return (
        f"news value {value:.2f}: {outlets} outlet{'s' if outlets != 1 else ''}, "
        f"{actions} confident outcome, disagreement or next-step sentence"
        f"{'s' if actions != 1 else ''} among their best"
    )
