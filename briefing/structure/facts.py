"""The same fact said twice: near-duplicate sentences (the same content words, or the same
specific figure) are one item citing every source that says it."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ..dates import MONTH_WORD, WEEKDAY
from ..models import Item
from ..options import Layout
from ..words import content_stems, stated_counts
from .candidates import Candidate

# Two sentences say the same thing when this share of the shorter one's content words
# (stemmed, stop words dropped) is in the other: outlets reword, but keep the facts.
DUPLICATE_OVERLAP = 0.6
# Sentences with fewer content words than this are too thin to call duplicates.
DUPLICATE_MIN_WORDS = 4
# A source is cited for a bullet only when it says what the bullet says: one of its
# sentences holds this share of the bullet's own content words.  A repeat that shares no
# more than a few names with the bullet is the same fact for the brief, which says it once,
# but the reader who opens that source must find there what the bullet says.
CITED_SHARE = 0.5
# ... or a figure of the bullet's and this share of its words: "ministers contribute £500m
# to replace the furnaces" states "The government has agreed to provide £500m towards a
# new furnace".
FIGURE_CITED_SHARE = 0.2
# Unless the figure is the story's own, like its names, stated by this share of its
# articles and at least STORY_FIGURE_ARTICLES: the death toll every report of a crash
# repeats ("killed 217 people") says nothing of whether two sentences report one thing.
STORY_FIGURE_SHARE = 0.5
STORY_FIGURE_ARTICLES = 3


# A running count that a story's reports update from day to day is called by this word
# beside its number: "the death toll reached 17,997", "the toll rose to 7,085".  Counts
# named so loosely as "killed" or "injured" are as often another place's or another
# event's ("the blast in Tanzania killed 11"; "air bags have killed 131 people").
TALLY_WORDS = "toll tolls"
_TALLY_STEMS = frozenset(content_stems(TALLY_WORDS))
# A tally's word is this many content words at most from its number.
TALLY_WINDOW = 6
_DAY_OF_MONTH = re.compile(rf"(?i:\b{MONTH_WORD}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH_WORD})")
_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w-]*")
_CALENDAR_WORD = re.compile(rf"(?i:{WEEKDAY}|{MONTH_WORD})")


@functools.lru_cache(maxsize=4096)
def gives_a_tally(text: str) -> bool:
    """True when the sentence ``text`` puts a number to a running count (TALLY_WORDS)."""
    text = _DAY_OF_MONTH.sub(" ", text)
    for start, end, value in stated_counts(text):
        before = content_stems(text[:start])[-TALLY_WINDOW:]
        after = content_stems(text[end:])[:TALLY_WINDOW]
        if value >= 2 and not _TALLY_STEMS.isdisjoint(before + after):
            return True
    return False


def _names(text: str) -> frozenset[str]:
    """The capitalised words inside ``text``, days and months aside: its names."""
    return frozenset(
        name.casefold()
        for name in _NAME.findall(text)
        if not _CALENDAR_WORD.fullmatch(name)
    )


def updates(newer: Candidate, older: Candidate) -> bool:
    """True when ``newer`` (of a later report) and ``older`` both give a tally, with other
    figures, and ``older`` names nothing ``newer`` does not: "The death toll in Turkey
    reached 17,997" updates "The death toll from the earthquake in Turkey has risen to
    7,085", which a reader should no longer be shown as news."""
    return (
        gives_a_tally(newer.text)
        and gives_a_tally(older.text)
        and newer.figures.isdisjoint(older.figures)
        and _names(older.text) <= _names(newer.text)
    )


def same_fact(a: Candidate, b: Candidate) -> bool:
    """True when two candidates of one story say the same thing: they state the same
    specific figure (``figures_of``), or most of the shorter one's content words are in the
    other (``DUPLICATE_OVERLAP``): outlets reword, but keep the facts."""
    if a.figures and not a.figures.isdisjoint(b.figures):
        return True
    shorter = min(len(a.words), len(b.words))
    return shorter >= DUPLICATE_MIN_WORDS and len(a.words & b.words) >= _needed(shorter)


@functools.cache
def _needed(size: int) -> int:
    """The fewest shared words that make DUPLICATE_OVERLAP of ``size`` words, as
    ``same_fact`` reckons it."""
    return next(m for m in range(size + 1) if m / size >= DUPLICATE_OVERLAP)


class FactIndex:
    """The candidates kept so far, in order, indexed so that finding the first of them
    that states the same fact as a newcomer (``same_fact``) looks only at those that can.

    A kept candidate that does must share a figure with it, or enough words: then (prefix
    filtering) the shorter of the two has one of those words among its rarest, as many
    rarest as it could miss and still share enough.  So each kept candidate is indexed by
    its figures, all its words and its rarest words, and a newcomer looks up its figures,
    its rarest words among all the kept words, and all its words among the kept rarest:
    every kept candidate that can match, and few that cannot, whatever the story's size.
    """

    def __init__(self, everyone: Iterable[Candidate]) -> None:
        counts = Counter(word for candidate in everyone for word in candidate.words)
        self._rarity = counts
        self.kept: list[Candidate] = []
        self._by_figure: dict[str, list[int]] = defaultdict(list)
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._by_rarest: dict[str, list[int]] = defaultdict(list)
        self._rarest_of: dict[frozenset[str], list[str]] = {}

    def _rarest(self, words: frozenset[str]) -> list[str]:
        rarest = self._rarest_of.get(words)
        if rarest is None:
            ranked = sorted(words, key=lambda word: (self._rarity[word], word))
            rarest = self._rarest_of[words] = ranked[: len(words) - _needed(len(words)) + 1]
        return rarest

    def first_same(self, candidate: Candidate) -> Candidate | None:
        """Return the first kept candidate that states the same fact, or None."""
        found: set[int] = set()
        for figure in candidate.figures:
            found.update(self._by_figure.get(figure, ()))
        if len(candidate.words) >= DUPLICATE_MIN_WORDS:
            for word in self._rarest(candidate.words):  # the newcomer is the shorter
                found.update(self._by_word.get(word, ()))
            for word in candidate.words:  # the kept one is the shorter
                found.update(self._by_rarest.get(word, ()))
        matches = (self.kept[i] for i in sorted(found) if same_fact(candidate, self.kept[i]))
        return next(matches, None)

    def keep(self, candidate: Candidate) -> None:
        """Add ``candidate`` to the kept ones, last."""
        index = len(self.kept)
        self.kept.append(candidate)
        for figure in candidate.figures:
            self._by_figure[figure].append(index)
        if len(candidate.words) >= DUPLICATE_MIN_WORDS:
            for word in candidate.words:
                self._by_word[word].append(index)
            for word in self._rarest(candidate.words):
                self._by_rarest[word].append(index)


class Citer:
    """Finds every article a bullet of one story should cite: those that say what it says
    (``states``), and their copies.  ``everyone`` holds the story's candidates."""

    def __init__(self, everyone: Sequence[Candidate], copies: Mapping[int, Sequence[int]]):
        self.everyone = everyone
        self.copies = copies
        stating: dict[str, set[int]] = defaultdict(set)
        for candidate in everyone:
            for figure in candidate.figures:
                stating[figure].add(candidate.scored.sentence.article_id)
        n_articles = len({c.scored.sentence.article_id for c in everyone})
        least = max(STORY_FIGURE_ARTICLES, STORY_FIGURE_SHARE * n_articles)
        self.story_figures = frozenset(f for f, ids in stating.items() if len(ids) >= least)

    def states(self, source: Candidate, bullet: Candidate) -> bool:
        """True when ``source`` says what ``bullet`` says, so that the bullet may cite its
        article: it holds ``CITED_SHARE`` of the bullet's content words, or shares a figure
        of the bullet's that is not the story's own and ``FIGURE_CITED_SHARE`` of its words.
        Not symmetric: "All 217 people aboard were killed" does not state "The NTSB
        chairman, whose agency is investigating the crash that killed 217 people, announced
        ...", though the reverse holds."""
        if not bullet.words:
            return False
        share = len(source.words & bullet.words) / len(bullet.words)
        if share >= CITED_SHARE:
            return True
        specific = (source.figures & bullet.figures) - self.story_figures
        return bool(specific) and share >= FIGURE_CITED_SHARE

    def __call__(self, group: Sequence[Candidate]) -> tuple[int, ...]:
        """Return the 1-based source numbers (a sorted tuple of int) the group cites: the
        group's (its bullet and the repeats that state it) and any other candidate's of the
        story that states it."""
        citing = {m.scored.sentence.article_id for m in group}
        citing |= {
            other.scored.sentence.article_id
            for other in self.everyone
            if other.scored.sentence.article_id not in citing
            and same_fact(group[0], other)
            and self.states(other, group[0])
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
        # Rounded down, so that 0.597 reads "0.59 < 0.60", never "0.60 < 0.60" (and 0.58,
        # which is 57.99... hundredths in binary, still "0.58").
        shown = math.floor(round(c.confidence * 100, 6)) / 100
        why = f"not confident enough for {c.label} ({shown:.2f} < {layout.confident:.2f})"
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
