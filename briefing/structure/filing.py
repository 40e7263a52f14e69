"""File one story's chosen sentences into the brief's sections, within its budgets.

A sentence goes into Outcomes, Disagreements or Next steps only when the classifier is
confident of that label; the most important of the rest become Key points and the others
Context.  The word budget keeps the best-ranked bullets first.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence

from ..models import (
    SECTION_OF_LABEL,
    SECTION_ORDER,
    Item,
    Section,
    SectionKind,
)
from ..options import Layout
from .candidates import Candidate, with_lead_ins
from .facts import Citer, FactIndex, cited_item, updates

logger = logging.getLogger(__name__)

# Priority an item gives up for each item of its article already picked for its section.
SECTION_VARIETY = 0.5


def structure(
    per_article: Sequence[Sequence[Candidate]],
    layout: Layout,
    *,
    copies: Mapping[int, Sequence[int]] | None = None,
    precedence: Mapping[int, float] | None = None,
    older: Collection[int] = (),
) -> tuple[Section, ...]:
    """Return the briefing's non-empty sections (a tuple of ``Section``), in reading order.

    ``per_article`` holds the candidates of each article, indexed like the Sources list;
    ``copies`` maps an article to all the articles that are copies of it (itself included),
    so that its bullets cite them all.  Of sentences ranked alike in their articles (each
    article's lead, say), the one of the article first in ``precedence`` (article id ->
    place, lowest first; by default article order) comes first.  The candidates of the
    ``older`` articles (reports their story's newer ones have overtaken: a death toll since
    risen) come after all the others' in every choice below, so a tight budget keeps where
    the story stands now.
    Key points come first: the best sentences of each article that no action section
    claims.  Then each article gets a quota of its best remaining sentences (rank plus
    label confidence), filed by label.  A sentence that leans on the one before it is shown
    with it or passed over (``with_lead_ins``).  Sentences that state the same fact become
    one bullet, led by the best-ranked of them, citing them all.  Last, the word budget
    keeps bullets by rank, best first; the best one stays even when it alone is over.
    """
    everyone = [c for candidates in per_article for c in candidates]
    cite = Citer(everyone, copies or {})
    place = _places(precedence)
    old = set(older)

    def is_old(candidate: Candidate) -> bool:
        return candidate.scored.sentence.article_id in old

    joined = [with_lead_ins(candidates, layout.confident) for candidates in per_article]
    shown, repeats = _distinct(joined, cite, layout.confident, place, is_old)
    n_articles = max(1, sum(1 for c in per_article if c))
    n_key = min(layout.key_points, max(3, n_articles), max(1, layout.max_items // 4))
    taken: set[tuple[int, int]] = set()
    key = _claim(
        sorted(
            (c for candidates in shown for c in candidates if not c.is_confident(layout.confident)),
            key=lambda c: (is_old(c), c.rank, place(c)),
        ),
        n_key,
        taken,
    )
    rest = _choose(shown, layout, taken=taken, place=place, is_old=is_old)
    groups = [[c, *repeats.get(c.identity, ())] for c in (*key, *rest)]
    key_ids = {c.identity for c in key}

    def section_of(leader: Candidate) -> SectionKind:
        if leader.identity in key_ids:
            return "key_points"
        return SECTION_OF_LABEL[leader.kind(layout.confident)]

    groups = _within_budget(groups, layout.max_items, layout.max_words, section_of, is_old)
    filed: dict[SectionKind, list[Item]] = {kind: [] for kind in SECTION_ORDER}
    for group in groups:
        filed[section_of(group[0])].append(cited_item(group, cite, layout))
    # The story opens with its lead's section, so its first bullet is its most important;
    # the other sections keep their usual order.
    lead = min(groups, key=lambda group: (is_old(group[0]), group[0].rank), default=None)
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


# The sort key of a candidate's article among the story's.
Place = Callable[[Candidate], tuple[float, int]]


def _places(precedence: Mapping[int, float] | None) -> Place:
    """The sort key of a candidate's article: its place in ``precedence`` (0 for an article
    it does not hold), then its id."""
    places = precedence or {}

    def place(candidate: Candidate) -> tuple[float, int]:
        article = candidate.scored.sentence.article_id
        return (places.get(article, 0.0), article)

    return place


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
    place: Place,
    is_old: Callable[[Candidate], bool],
) -> list[Candidate]:
    """Up to ``layout.max_items`` candidates for the sections after the key points, most
    important first (``per_article`` holds each article's usable, distinct candidates); the
    item and word budgets then keep the best of them with the key points.

    Each article offers its quota, picked greedily by priority, where every item already
    picked for a section lowers the next ones for that section by ``SECTION_VARIETY``: a
    reader is better served by an article's outcome, its dispute and its next step than by
    three outcomes.  The same adjusted priority orders the picks across articles, after
    the overtaken reports' (``is_old``) picks come the others'.
    """
    n_articles = max(1, sum(1 for c in per_article if c))
    room = layout.max_items
    quota = layout.per_article or max(2, min(12, math.ceil(room / n_articles)))
    picks: list[tuple[float, Candidate]] = []
    for candidates in per_article:
        pool = [c for c in candidates if not c.identities & taken]
        picks.extend(_varied(pool, quota, layout.confident))
    picks.sort(key=lambda pick: (is_old(pick[1]), -pick[0], place(pick[1])))
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
    is_old: Callable[[Candidate], bool],
) -> list[list[Candidate]]:
    """Return the bullets (groups of near-duplicates, in their order) that fit ``max_items``
    bullets and ``max_words`` words (None: no word limit).

    Bullets are kept in rounds: the best-ranked bullet (the lead), then the best of every
    other section, Outcomes, Disagreements and Next steps before Key points, then the
    second of each, and so on, by rank within a round; Context comes after all of them.
    So a lead is never dropped for a lesser sentence, and a tight budget still shows the
    story's dispute and next step rather than a second outcome; within a round, the bullets
    of overtaken reports (``is_old``) come after the others.  The lead stays even if it
    alone is over, so no story is left without a line; ``build_stories`` keeps the whole
    brief within its budget."""
    if not groups:
        return groups

    def ranked(i: int) -> tuple[bool, int, int]:
        return (is_old(groups[i][0]), groups[i][0].rank, i)

    lead = min(range(len(groups)), key=ranked)
    seen: Counter[SectionKind] = Counter()
    order: list[tuple[bool, int, int, bool, float, int]] = []
    for i in sorted(range(len(groups)), key=ranked):
        section = section_of(groups[i][0])
        background = section == "context" and i != lead
        standing = 0 if i == lead else int(section == "key_points")
        old = is_old(groups[i][0])
        order.append((background, seen[section], standing, old, groups[i][0].rank, i))
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
    cite: Citer,
    confident: float,
    place: Place,
    is_old: Callable[[Candidate], bool],
) -> tuple[list[list[Candidate]], dict[tuple[int, int], list[Candidate]]]:
    """Return the candidates of each article that fit a bullet (``Candidate.fits`` at
    ``confident``), each fact once, and what was set aside.

    Going through every article's fit candidates by rank, best first (the overtaken
    reports', ``is_old``, after the others'), an overtaken report's candidate that a newer
    one updates (``updates``: a death toll since risen) is dropped, and a candidate that
    states the same fact as one
    already kept (``same_fact``) is set aside as a repeat of it, so the better-ranked (or
    newer) statement is the one that can become a bullet, and the room a
    repeat would have taken goes to another fact.  The repeats are returned by the identity
    of the candidate they repeat, and its bullet cites those that say what it says
    (``Citer.states``): "£1.25 billion" in a sentence on the workers' anger and in one on the
    funding is one figure, but the second outlet did not report the anger.
    """
    fit = sorted(
        (c for candidates in per_article for c in candidates if c.fits(confident)),
        key=lambda c: (is_old(c), c.rank, place(c), c.scored.sentence.index),
    )
    index = FactIndex(fit)
    repeats: dict[tuple[int, int], list[Candidate]] = {}
    latest: list[Candidate] = []  # the kept candidates of the newest reports
    for candidate in fit:
        if is_old(candidate) and any(updates(newer, candidate) for newer in latest):
            continue
        same = index.first_same(candidate)
        if same is None:
            index.keep(candidate)
            if not is_old(candidate):
                latest.append(candidate)
        elif cite.states(candidate, same):
            repeats.setdefault(same.identity, []).append(candidate)
    distinct = {c.identity for c in index.kept}
    pools = [[c for c in candidates if c.identity in distinct] for candidates in per_article]
    return pools, repeats
