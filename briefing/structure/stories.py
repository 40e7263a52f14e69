"""Stories in a brief: which are briefed and in what order (news value, then recency), how
the word budget is shared among them, their headlines and bottom lines, and the Sources
list numbered in reading order."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from ..headlines import headline_of, story_headline
from ..models import (
    SECTION_ORDER,
    Article,
    Item,
    Section,
    SectionKind,
    Source,
    Story,
    StoryStatus,
)
from ..options import Layout
from ..outlets import outlet_key
from ..state import story_status
from ..words import content_stems, names_someone_introduced_before, opens_with_quote
from .ahead import is_overtaken, within_its_story
from .candidates import Candidate
from .filing import structure

logger = logging.getLogger(__name__)


def sources_of(articles: Sequence[Article]) -> tuple[Source, ...]:
    """Return the numbered Sources list: one ``Source`` per article, in article order."""
    return tuple(
        Source(i + 1, headline_of(a), a.source, a.published, a.location)
        for i, a in enumerate(articles)
    )


NEWS_SENTENCES = 5
NEWS_PER_ACTION = 0.5
# An outlet's further reports of a story count this much of another outlet each: four AP
# reports of a crash are more news than one, and in a folder of one wire's feed they are
# the only sign of it.
FURTHER_REPORT = 0.25
MAX_NEWS_ACTIONS = 4
# Stories beyond the budget are still named, by headline, up to this many.
MAX_ALSO = 6
# A story whose newest report is this many days older than the newest of the brief is old
# news (an archive saved into the folder, last month's report): it comes after the others.
OLD_NEWS_DAYS = 7


def build_stories(
    stories: Sequence[Sequence[int]],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    *,
    copies: Mapping[int, Sequence[int]],
    seen: frozenset[int] | None = None,
    ranked: Sequence[Sequence[int]] | None = None,
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
    that are named, and so is a story that has no sentence to brief.

    Words a story leaves unused pass on to the stories after it, and a story may go over
    its share to keep its best bullet while the brief's budget has room for it.  A story
    whose best bullet no longer fits is named, not briefed, so the bullets of the whole
    brief stay within ``layout.max_words``, with one exception: the top story's best bullet
    is kept even when it alone is over, so that the budget never leaves a brief empty (a
    warning says so).

    ``ranked`` is ``stories`` in the order ``rank_stories`` gives, when that is known
    already.  ``per_article`` is then read story by story, most important first, and only
    for the articles of the stories briefed: the pipeline's workers may still be
    classifying the sentences of the next stories while the first is filed.
    """
    status = _statuses(stories, copies, seen)
    if ranked is None:
        ranked = rank_stories(stories, per_article, articles, layout, copies=copies, seen=seen)
    shown, named = ranked[: layout.max_stories], ranked[layout.max_stories :]
    is_old_news = _old_news(stories, articles, copies)
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
        members = set(_told_from(ids, status, copies, seen))
        own: list[Sequence[Candidate]] = [()] * len(per_article)
        newest = newest_report(members, articles)
        for i in members:
            own[i] = within_its_story(tuple(per_article[i]), articles[i].published, newest)
        typical = typicality(sorted(members), articles)
        # The latest reports first, then the most typical.
        older = members - latest_reports(sorted(members), articles)
        precedence = {i: -value for i, value in typical.items()}
        sections = structure(own, story_layout, copies=copies, precedence=precedence, older=older)
        if not any(section.items for section in sections):
            unbriefed.append(ids)  # no sentence a reader can use: a list, a table, a caption
            continue
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
        if is_old_news(ids):
            why += f"; old news: its newest report is over {OLD_NEWS_DAYS} days before the brief's"
        briefed.append(_story(ids, articles, copies, sections, status[tuple(ids)], members, why))
    also = tuple(
        _story(ids, articles, copies, (), status[tuple(ids)], _told_from(ids, status, copies, seen))
        for ids in [*unbriefed, *named][:MAX_ALSO]
    )
    logger.info(
        "briefed %d stories, named %d more, left out %d",
        len(briefed),
        len(also),
        len(ranked) - len(briefed) - len(also),
    )
    return tuple(briefed), also


def rank_stories(
    stories: Sequence[Sequence[int]],
    per_article: Sequence[Sequence[Candidate]],
    articles: Sequence[Article],
    layout: Layout,
    *,
    copies: Mapping[int, Sequence[int]],
    seen: frozenset[int] | None = None,
) -> list[Sequence[int]]:
    """Return ``stories`` (groups of article ids) most important first, as ``build_stories``
    orders them: the stories seen in earlier briefs last, before them old news (a story
    OLD_NEWS_DAYS older than the brief's newest), then by news value and recency.

    Of each article's candidates only its NEWS_SENTENCES best count, so ``per_article`` may
    hold those alone: the rest of an article is needed only if its story is briefed.
    """
    status = _statuses(stories, copies, seen)
    is_old_news = _old_news(stories, articles, copies)
    return sorted(
        stories,
        key=lambda ids: (
            status[tuple(ids)] == "seen",
            is_old_news(ids),
            *_importance(ids, per_article, articles, layout, copies),
        ),
    )


def _statuses(
    stories: Sequence[Sequence[int]],
    copies: Mapping[int, Sequence[int]],
    seen: frozenset[int] | None,
) -> dict[tuple[int, ...], StoryStatus]:
    """Each story's status (new, updated or seen) by what earlier briefs had."""
    return {tuple(ids): story_status(_cited(ids, copies), seen) for ids in stories}


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
    ahead = frozenset(item for s in sections if s.kind == "next_steps" for item in s.items)
    bottom_line = _most_typical(items, ids, articles, ahead)
    heads = [i for i in ids if i in set(headline_from)]
    # A story over days is headed by its latest reports, as its bullets lead with them.
    latest = latest_reports(heads, articles)
    heads = [i for i in heads if i in latest] or heads
    if bottom_line is not None and bottom_line.sentences:
        # Of equally typical headlines (as a pair's always are), the one of the article the
        # bottom line comes from, so that the two read as one report.
        source = bottom_line.sentences[0].article_id
        heads.sort(key=lambda i: i != source)
    return Story(
        headline=story_headline([articles[i] for i in heads]),
        sections=sections,
        sources=tuple(sorted(n + 1 for n in _cited(ids, copies))),
        status=status,
        carried_by=named_outlets(ids, articles, copies),
        reports=len(ids),
        why=why,
        bottom_line=bottom_line,
    )


# How many of a story's articles ``typicality`` reads, at most, besides those asked for.
TYPICAL_SAMPLE = 40


def _most_typical(
    items: Sequence[Item],
    ids: Sequence[int],
    articles: Sequence[Article],
    ahead: frozenset[Item] = frozenset(),
) -> Item | None:
    """The bottom line of the story of articles ``ids``: of its ``items`` drawn from its
    latest reports (``latest_reports``) and, of those, its more typical half (those whose
    words the story's other latest reports hold the most), the one whose content words
    most of them hold, on average over the words.
    So it says what the reports have in common, not one report's scene-setting ("Passengers
    describe taking off on the Concorde as a kick in the back" in a story of the crash), nor
    that of a stray report the grouping let in.  Ties go to the higher-ranked item.  An item
    naming someone by title and surname alone ("Mr. Pryce"), as a report does once it has
    introduced them, comes after the others: out of its article no one knows who that is;
    so does one that opens with a quotation, one speaker's words rather than what happened
    (a union officer's "Varden has refused to even model our plan properly" holds the words
    both reports of a steel deal use, and said nothing of the deal), and then one filed as
    a next step (``ahead``): the line says where the story stands, not what is to come.  The
    items themselves put the most typical article's sentences first among those ranked
    alike (``build_stories`` passes ``structure`` the precedence), so that a budget of one
    bullet keeps the lead the reports share, not the first article's.

    On the DUC 2006 topics, against their human summaries (benchmarks/bottom_lines.py): see
    the README's "The executive summary's line for a story"; from all the articles rather
    than the typical half, a stray report's line heads a story.
    """
    latest = latest_reports(ids, articles)
    now = [item for item in items if item.sentences and item.sentences[0].article_id in latest]
    if now:
        items, ids = now, [i for i in ids if i in latest]
    if not items:
        return None
    shown = [i.sentences[0].article_id for i in items if i.sentences]
    typical, holding = _typicality_and_holding(ids, articles, shown)
    sample = sorted(typical)

    def held(item: Item) -> float:
        own = set(content_stems(item.text))
        return sum(holding[w] for w in own) / (len(own) * len(sample)) if own else 0.0

    middle = sorted(typical.values())[(len(sample) - 1) // 2]
    core = [
        item
        for item in items
        if item.sentences and typical.get(item.sentences[0].article_id, middle) >= middle
    ]
    return max(
        core or items,
        key=lambda item: (
            not names_someone_introduced_before(item.text),
            not opens_with_quote(item.text),
            item not in ahead,
            held(item),
            item.score,
        ),
    )


def latest_reports(ids: Sequence[int], articles: Sequence[Article]) -> frozenset[int]:
    """The articles of ``ids`` that say where the story stands now: all of them, unless
    some are overtaken by the newest (``ahead.is_overtaken``), which then say where it
    stood (a death toll since risen, a finding the final report replaced); the undated are
    as new as any."""
    newest = newest_report(ids, articles)
    if newest is None:
        return frozenset(ids)
    return frozenset(
        i for i in ids if (d := articles[i].published) is None or not is_overtaken(d, newest)
    )


def newest_report(ids: Iterable[int], articles: Sequence[Article]) -> dt.date | None:
    """The day of the newest dated article of ``ids``, or None when none is dated."""
    return max((d for i in ids if (d := articles[i].published)), default=None)


def typicality(
    ids: Sequence[int], articles: Sequence[Article], also: Sequence[int] = ()
) -> dict[int, float]:
    """How typical each of the story's articles ``ids`` is: on average over its content
    words, the share of the story's other articles that hold each (a float per article id).
    A story of thousands of articles is judged on an even sample of TYPICAL_SAMPLE of them,
    and the articles ``also``; only those are in the result."""
    return _typicality_and_holding(ids, articles, also)[0]


def _typicality_and_holding(
    ids: Sequence[int], articles: Sequence[Article], also: Sequence[int]
) -> tuple[dict[int, float], Counter[str]]:
    """``typicality``, and how many of the articles judged hold each content stem."""
    step = max(1, math.ceil(len(ids) / TYPICAL_SAMPLE))
    sample = sorted({*ids[::step], *also})
    words = {i: set(content_stems(articles[i].text)) for i in sample}
    holding = Counter(stem for own in words.values() for stem in own)
    others = max(1, len(sample) - 1)
    typical = {
        i: sum(holding[w] - 1 for w in own) / (len(own) * others) if own else 0.0
        for i, own in words.items()
    }
    return typical, holding


def _told_from(
    ids: Sequence[int],
    status: Mapping[tuple[int, ...], StoryStatus],
    copies: Mapping[int, Sequence[int]],
    seen: frozenset[int] | None,
) -> list[int]:
    """The articles a story is told from, and headed by: an updated story's new ones, since
    its reader has had the rest; else all of them."""
    return _fresh(ids, copies, seen) if status[tuple(ids)] == "updated" else list(ids)


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
    [1]; a story keeps the count of its reports (``Story.reports``) for its summary line.
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
            reports=story.report_count,
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
    """How many independent reports the articles ``ids`` with their ``copies`` are, as a
    story's news value counts them: the distinct outlets their copies name, plus one for
    each article none of whose copies names one (so the same article saved twice counts
    once).  How many outlets a reader is told of is ``named_outlets``."""
    named, unnamed = _outlets_named(ids, articles, copies)
    return max(1, len(named) + unnamed)


def named_outlets(
    ids: Sequence[int], articles: Sequence[Article], copies: Mapping[int, Sequence[int]]
) -> int:
    """How many distinct outlets carry the articles ``ids`` with their ``copies``, when each
    article names one in some copy; 0 when one names none, since an article of unknown
    outlet may be another outlet's or one already counted."""
    named, unnamed = _outlets_named(ids, articles, copies)
    return 0 if unnamed else len(named)


def _outlets_named(
    ids: Sequence[int], articles: Sequence[Article], copies: Mapping[int, Sequence[int]]
) -> tuple[set[str], int]:
    """The outlets the copies of ``ids`` name (by ``outlet_key``), and how many of ``ids``
    have no copy naming one."""
    named: set[str] = set()
    unnamed = 0
    for i in ids:
        named_by = (articles[c].source for c in copies.get(i, (i,)))
        sources = {outlet_key(name) for name in named_by if name}
        named |= sources
        unnamed += not sources
    return named, unnamed


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
    files."""
    outlets = outlets_of(ids, articles, copies)
    latest = _latest_day(ids, articles, copies)
    return (-news_value(ids, per_article, layout, outlets), -latest, min(ids))


def _old_news(
    stories: Sequence[Sequence[int]],
    articles: Sequence[Article],
    copies: Mapping[int, Sequence[int]],
) -> Callable[[Sequence[int]], bool]:
    """Whether a story of ``stories`` is old news: its newest report more than OLD_NEWS_DAYS
    older than the newest of them all (a story of no known day is not)."""
    latest = {tuple(ids): _latest_day(ids, articles, copies) for ids in stories}
    before = max(latest.values(), default=0) - OLD_NEWS_DAYS
    return lambda ids: 0 < latest[tuple(ids)] < before


def _latest_day(
    ids: Sequence[int], articles: Sequence[Article], copies: Mapping[int, Sequence[int]]
) -> int:
    """The day (an ordinal; 0 for none) of a story's newest report.  An undated article is
    as recent as the day its file was saved."""
    dates = [d for i in _cited(ids, copies) if (d := articles[i].published or articles[i].saved)]
    return max(dates).toordinal() if dates else 0


def news_value(
    ids: Sequence[int], per_article: Sequence[Sequence[Candidate]], layout: Layout, outlets: int
) -> float:
    """Return a story's news value (a float): log2(1 + outlets + FURTHER_REPORT for each
    report beyond one an outlet), plus NEWS_PER_ACTION for each confident action sentence
    among its articles' NEWS_SENTENCES best, at most MAX_NEWS_ACTIONS of them."""
    return _value(outlets, len(ids), _news_actions(ids, per_article, layout))


def _value(outlets: int, reports: int, actions: int) -> float:
    carried = outlets + FURTHER_REPORT * max(0, reports - outlets)
    return math.log2(1 + carried) + NEWS_PER_ACTION * min(actions, MAX_NEWS_ACTIONS)


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
    named, unnamed = _outlets_named(ids, articles, copies)
    outlets = max(1, len(named) + unnamed)
    actions = _news_actions(ids, per_article, layout)
    value = _value(outlets, len(ids), actions)
    carriers = _counted(len(named), "outlet")
    if unnamed:
        carriers = f"{carriers} and {_counted(unnamed, 'report')} of unknown outlet"
    if len(ids) > outlets:
        carriers = f"{carriers}, {len(ids)} reports in all"
    return (
        f"news value {value:.2f}: {carriers}, "
        f"{actions} confident outcome, disagreement or next-step sentence"
        f"{'s' if actions != 1 else ''} among their best"
    )


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
