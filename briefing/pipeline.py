"""The pipeline: a folder of articles in, a ``Briefing`` out."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import overload

from .classify import Classifier, get_classifier
from .combine import copy_keys, duplicate_groups, story_groups
from .errors import NoArticlesError, StateError
from .headlines import headline_of
from .load import load_paths
from .models import (
    Article,
    Briefing,
    Progress,
    ScoredSentence,
    Sentence,
    Skipped,
    Story,
    describe_coverage,
)
from .options import BriefingOptions
from .parallel import executor_for
from .rank import Ranker, get_ranker
from .split import split_sentences
from .state import fingerprint, seen_before
from .structure import (
    NEWS_SENTENCES,
    Candidate,
    best_rows,
    build_stories,
    candidates_of,
    cite_only_used,
    merge_sections,
    rank_stories,
    sources_of,
    still_ahead,
)

logger = logging.getLogger(__name__)

# The garbage collector's thresholds while a brief is built (Python's: 700, 10, 10).
FEWER_COLLECTIONS = (50_000, 20, 100)


def build_briefing(
    paths: Iterable[str | Path], options: BriefingOptions, progress: Progress | None = None
) -> Briefing:
    """Return the ``Briefing`` of the articles under ``paths`` (files or folders).

    Raises ``NoArticlesError`` when no input yields an article; files that cannot be used
    are listed in ``Briefing.skipped``.
    """
    inputs = [Path(p) for p in paths]
    with _fewer_collections(), executor_for(options.jobs, options.scheduler) as executor:
        # 1. Load: read every file, decode it and clean away page furniture.
        loaded = load_paths(
            inputs,
            max_bytes=options.max_bytes,
            max_chars=options.max_chars,
            limits=options.file_limits,
            progress=progress,
            executor=executor,
        )
        english, skipped = loaded.articles, loaded.skipped
        if not english:
            raise NoArticlesError(_nothing_usable(inputs, skipped, loaded.files_read))
        articles = _since(english, options.since)
        day = options.date or dt.date.today()
        later = [a for a in articles if a.published and a.published > day]
        if later:
            logger.warning(
                "%d article(s) are dated after the brief's date, %s (the latest %s)",
                len(later),
                day,
                max(a.published for a in later if a.published),
            )
        # An unknown method or classifier fails here, before the work on the articles.
        get_ranker(options.method)
        get_classifier(options.classifier)
        # 2. Combine: the same article saved twice or syndicated is briefed once.
        # Each article's shingles and MinHash bands are the executor's work; comparing, ours.
        shingled = executor.map(copy_keys, articles) if len(articles) > 1 else None
        groups = duplicate_groups(articles, shingled)
        # 3-5. Split and rank each article, and classify its best sentences (see
        #    ``analyse``): the executor's workers may start at once, while this process
        #    groups the stories.
        work = [(g[0], articles[g[0]], options.method, options.classifier) for g in groups]
        analysed = executor.map(analyse, work)
        story_ids = story_groups(articles, [g[0] for g in groups])
        scored, per_article = _collect(analysed, work, articles, day, progress)
        # 6. Recall which articles the briefs of earlier days had, so that each story is
        #    marked new, updated or seen, and an updated one is told from its new articles.
        keys = tuple(fingerprint(article) for article in articles)
        seen = _seen(keys, options.state, day)
        copies = {g[0]: g for g in groups}
        # Only the stories briefed in full need every sentence of their articles classified:
        # the executor's work, story by story, while this process files each story (7.)
        # as soon as its articles are done.
        order = rank_stories(
            story_ids, per_article, articles, options.layout, copies=copies, seen=seen
        )
        briefed = list(dict.fromkeys(i for ids in order[: options.layout.max_stories] for i in ids))
        jobs = [(scored[i], articles[i].title, options.classifier) for i in briefed]
        in_full = executor.map(classify_all, jobs)
        classified = _Arriving(per_article, briefed, in_full, articles, day)
        # 7. File each story's best sentences into sections, citing every source that has them.
        stories, also = build_stories(
            story_ids, classified, articles, options.layout, copies=copies, seen=seen, ranked=order
        )
        classified.finish()
    stories, also = _keyed(stories, keys), _keyed(also, keys)
    everything = sources_of(articles)
    stories, also, sources = cite_only_used(stories, also, everything)
    return Briefing(
        title=options.title or _default_title(articles),
        date=day,
        sections=merge_sections(stories),
        sources=sources,
        stories=stories,
        also=also,
        left_out=len(story_ids) - len(stories) - len(also),
        covers=describe_coverage(everything),
        skipped=skipped,
        files_read=loaded.files_read,
        articles_read=len(english),
        before_since=len(english) - len(articles),
        method=options.method,
    )


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the block with the garbage collector run less often (and restored after): a brief
    makes hundreds of thousands of small records that live until it is done, which the
    collector, run every 700 allocations, traverses again and again (3 s of 26 s at 10,000
    articles, in this process alone).  Reference counting frees nearly all else: the
    records hold no cycles.  Worker processes forked in the block inherit the setting."""
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _collect(
    analysed: Iterable[tuple[tuple[ScoredSentence, ...], tuple[Candidate, ...]]],
    work: Sequence[tuple[int, Article, str, str]],
    articles: Sequence[Article],
    day: dt.date,
    progress: Progress | None,
) -> tuple[dict[int, tuple[ScoredSentence, ...]], list[tuple[Candidate, ...]]]:
    """Gather what ``analyse`` gave for each job of ``work``: the scored sentences of each
    article analysed, and the candidates of every article (its best sentences so far; none
    for a copy), with the steps whose day is past filed as context."""
    per_article: list[tuple[Candidate, ...]] = [() for _ in articles]
    scored: dict[int, tuple[ScoredSentence, ...]] = {}
    for done, (ranked, best) in enumerate(analysed, start=1):
        article_id = work[done - 1][0]
        scored[article_id] = ranked
        per_article[article_id] = still_ahead(best, articles[article_id].published, day)
        if progress is not None:
            progress("analysing", done, len(work))
    sentences = sum(len(s) for s in scored.values())
    logger.info("ranked %d sentences from %d articles", sentences, len(work))
    return scored, per_article


class _Arriving(Sequence[tuple[Candidate, ...]]):
    """Each article's candidates, where those of the articles ``pending`` (in that order)
    come from ``results`` as they are classified in full: reading one waits for it, so that
    a story is filed while the executor still classifies the sentences of the next ones."""

    def __init__(
        self,
        known: list[tuple[Candidate, ...]],
        pending: Sequence[int],
        results: Iterator[tuple[Candidate, ...]],
        articles: Sequence[Article],
        day: dt.date,
    ) -> None:
        self._known = known
        self._waiting = set(pending)
        self._in_full = len(self._waiting)
        self._arrivals = zip(pending, results, strict=True)
        self._articles = articles
        self._day = day

    def __len__(self) -> int:
        return len(self._known)

    @overload
    def __getitem__(self, index: int) -> tuple[Candidate, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[Candidate, ...]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[Candidate, ...] | Sequence[tuple[Candidate, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        while index in self._waiting:
            article_id, candidates = next(self._arrivals)
            published = self._articles[article_id].published
            self._known[article_id] = still_ahead(candidates, published, self._day)
            self._waiting.discard(article_id)
            if not self._waiting:
                logger.info("classified every sentence of %d articles", self._in_full)
        return self._known[index]

    def finish(self) -> None:
        """Wait for the articles not read (of stories left unbriefed after all), so that an
        error in classifying them is raised rather than lost."""
        while self._waiting:
            self[next(iter(self._waiting))]


def _since(articles: tuple[Article, ...], since: dt.date | None) -> tuple[Article, ...]:
    """The articles dated on or after ``since``; undated ones are kept, as they may be new."""
    if since is None:
        return articles
    kept = tuple(a for a in articles if a.published is None or a.published >= since)
    logger.info("kept %d of %d articles dated on or after %s", len(kept), len(articles), since)
    if not kept:
        raise NoArticlesError(f"none of the {len(articles)} articles is dated {since} or later")
    return kept


def _seen(keys: tuple[str, ...], state: Path | None, day: dt.date) -> frozenset[int] | None:
    """The indices of the articles (by fingerprint ``keys``) that briefs of the days before
    ``day`` had, or None without a state file or an earlier brief in it (a first brief marks
    no story new: there is nothing to compare with).

    An unreadable state file costs the marks, not the brief: it is logged and left alone.
    """
    if state is None:
        return None
    try:
        known = seen_before(state, keys, day)
    except StateError as exc:
        logger.warning("%s; stories are not marked new or seen", exc)
        return None
    if known is None:
        return None
    return frozenset(i for i, key in enumerate(keys) if key in known)


def _keyed(stories: tuple[Story, ...], keys: tuple[str, ...]) -> tuple[Story, ...]:
    """The stories with the fingerprints of their articles, for remembering them."""
    return tuple(
        replace(story, fingerprints=tuple(keys[n - 1] for n in story.sources)) for story in stories
    )


def analyse(
    job: tuple[int, Article, str, str],
) -> tuple[tuple[ScoredSentence, ...], tuple[Candidate, ...]]:
    """Split and rank one article, and classify its best sentences: ``job`` is (article id,
    article, method, classifier), the last two names in ``RANKERS`` and ``CLASSIFIERS``.

    Returns the article's scored sentences, and a ``Candidate`` for each of its
    NEWS_SENTENCES best, which is what a story's news value reads (``classify_all`` gives the
    rest when the story is briefed).  Module-level, so worker processes can run it.
    """
    article_id, article, method, classifier = job
    # 3. Split the body into sentences.
    sentences = split_article(article, article_id)
    texts = [s.text for s in sentences]
    # 4. Rank them by importance within the article.
    scores = _ranker(method).score(texts, title=article.title) if texts else ()
    scored = tuple(ScoredSentence(s, float(v)) for s, v in zip(sentences, scores, strict=True))
    # 5. Classify the best as outcome, disagreement, next step or context.
    best = best_rows(scored, NEWS_SENTENCES)
    labels = _classifier(classifier).classify(texts, title=article.title, rows=best)
    return scored, candidates_of(scored, labels, rows=best)


def classify_all(job: tuple[tuple[ScoredSentence, ...], str, str]) -> tuple[Candidate, ...]:
    """Return one ``Candidate`` per sentence of one article: ``job`` is (its scored
    sentences, its title, the classifier's name).  Module-level, for worker processes."""
    scored, title, classifier = job
    texts = [s.sentence.text for s in scored]
    return candidates_of(scored, _classifier(classifier).classify(texts, title=title or None))


@functools.cache
def _ranker(method: str) -> Ranker:
    """One ranker per method and process: building one may load word lists."""
    return get_ranker(method)


@functools.cache
def _classifier(name: str) -> Classifier:
    """One classifier per name and process: its first use loads a lexicon and weights."""
    return get_classifier(name)


def split_article(article: Article, article_id: int) -> tuple[Sentence, ...]:
    """Return the sentences of ``article``'s body as ``Sentence`` records."""
    return tuple(
        Sentence(article_id, index, text)
        for index, text in enumerate(split_sentences(article.text))
    )


def _default_title(articles: tuple[Article, ...]) -> str:
    if len(articles) == 1:
        return f"Briefing: {headline_of(articles[0])}"
    return "Briefing"


def _nothing_usable(paths: Sequence[Path], skipped: tuple[Skipped, ...], files_read: int) -> str:
    if not files_read and not skipped:
        where = ", ".join(str(p) for p in paths[:3]) + (", ..." if len(paths) > 3 else "")
        return f"no input files found in {where}"
    reasons = "; ".join(str(s) for s in skipped[:3])
    more = f" (and {len(skipped) - 3} more)" if len(skipped) > 3 else ""
    if not files_read:  # every path given was missing or unreadable
        return f"nothing to read: {reasons}{more}"
    return f"no usable articles in {files_read} file(s): {reasons}{more}"
