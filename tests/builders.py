"""Builders for the records tests pass around: small defaults, every field overridable.

Each ``make_*`` returns a frozen record from ``briefing.models``; pass keywords to change
what the test is about and leave the rest to the defaults, e.g.
``make_briefing(sections=(make_section("outcomes", make_item("Deal agreed.")),))``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from briefing.models import (
    Article,
    Briefing,
    Item,
    Label,
    LoadResult,
    ScoredSentence,
    Section,
    SectionKind,
    Sentence,
    Skipped,
    Source,
    Story,
)

DAY = dt.date(2025, 3, 12)
GENERATED = dt.datetime(2025, 3, 12, 9, 30, tzinfo=dt.timezone.utc)

_LABEL_OF_SECTION: dict[str, Label] = {
    "key_points": "outcome",
    "outcomes": "outcome",
    "disagreements": "disagreement",
    "next_steps": "next_step",
    "context": "context",
}


def make_article(
    text: str = "Ministers agreed a new budget on Tuesday.\nTalks resume next week.",
    *,
    title: str = "Budget agreed",
    source: str = "Example News",
    published: dt.date | None = DAY,
    url: str | None = None,
    path: Path | None = None,
) -> Article:
    """Return an Article; ``text`` holds one paragraph per line."""
    return Article(title=title, text=text, source=source, published=published, url=url, path=path)


def make_sentence(
    text: str = "Ministers agreed a new budget.", article_id: int = 0, index: int = 0
) -> Sentence:
    """Return Sentence ``index`` of article ``article_id``."""
    return Sentence(article_id=article_id, index=index, text=text)


def make_scored(
    text: str = "Ministers agreed a new budget.", score: float = 1.0, **sentence: Any
) -> ScoredSentence:
    """Return a ScoredSentence around ``make_sentence(text, **sentence)``."""
    return ScoredSentence(sentence=make_sentence(text, **sentence), score=score)


def make_item(
    text: str = "Ministers agreed a new budget.",
    *,
    citations: tuple[int, ...] = (1,),
    label: Label = "outcome",
    score: float = 0.9,
    confidence: float = 0.8,
    why: str = "says what was decided",
    sentences: tuple[Sentence, ...] = (),
) -> Item:
    """Return an Item (a bullet) citing sources ``citations``."""
    return Item(
        text=text,
        score=score,
        label=label,
        confidence=confidence,
        citations=citations,
        why=why,
        sentences=sentences,
    )


def make_section(kind: SectionKind = "key_points", *items: Item | str) -> Section:
    """Return a Section of ``kind``; plain strings become items with a fitting label."""
    label = _LABEL_OF_SECTION[kind]
    built = tuple(make_item(i, label=label) if isinstance(i, str) else i for i in items)
    return Section(kind=kind, items=built)


def make_source(
    number: int = 1,
    *,
    title: str = "Budget agreed after late-night talks",
    source: str = "Example News",
    published: dt.date | None = DAY,
    location: str = "https://news.example.com/budget",
) -> Source:
    """Return entry ``number`` of the Sources list."""
    return Source(number=number, title=title, source=source, published=published, location=location)


def make_skipped(
    path: str | Path = "articles/broken.pdf", reason: str = "no text found"
) -> Skipped:
    """Return a Skipped input."""
    return Skipped(path=Path(path), reason=reason)


def make_load_result(
    *articles: Article, skipped: tuple[Skipped, ...] = (), files_read: int | None = None
) -> LoadResult:
    """Return a LoadResult; ``files_read`` defaults to articles plus skipped."""
    count = len(articles) + len(skipped) if files_read is None else files_read
    return LoadResult(articles=tuple(articles), skipped=skipped, files_read=count)


def default_sections() -> tuple[Section, ...]:
    """Return a small, realistic set of sections citing sources 1 to 3."""
    return (
        make_section(
            "key_points",
            make_item("Parliament passed the 2025 budget by 312 votes to 290.", citations=(1, 2)),
            make_item("The deficit target was cut to 2.9% of GDP.", citations=(2,)),
        ),
        make_section(
            "disagreements",
            make_item(
                "Opposition leaders said the spending cuts fall hardest on regions.",
                citations=(3,),
                label="disagreement",
                why="reports opposing views",
            ),
        ),
        make_section(
            "next_steps",
            make_item(
                "The upper house will vote on the bill next Thursday.",
                citations=(1,),
                label="next_step",
                why="names a future event",
            ),
        ),
    )


def default_sources() -> tuple[Source, ...]:
    """Return three sources from two outlets over two days."""
    return (
        make_source(1),
        make_source(
            2,
            title="Deficit target lowered",
            source="Daily Ledger",
            published=dt.date(2025, 3, 11),
            location="articles/ledger-deficit.html",
        ),
        make_source(
            3,
            title="Regions push back on cuts",
            source="Daily Ledger",
            published=dt.date(2025, 3, 12),
            location="articles/ledger-regions.txt",
        ),
    )


def make_story(
    headline: str = "Budget agreed after all-night talks",
    *sections: Section,
    sources: tuple[int, ...] = (1,),
    status: str = "",
    carried_by: int | None = None,
) -> Story:
    """Return a Story; by default one Outcomes section citing source 1, each of its
    sources from an outlet of its own."""
    if not sections:
        sections = (make_section("outcomes", make_item("Ministers agreed a budget.")),)
    outlets = len(sources) if carried_by is None else carried_by
    return Story(
        headline=headline,
        sections=sections,
        sources=sources,
        status=status,  # type: ignore[arg-type]
        carried_by=outlets,
    )


def make_briefing(
    sections: tuple[Section, ...] | None = None,
    *,
    sources: tuple[Source, ...] | None = None,
    title: str = "Budget briefing",
    date: dt.date = DAY,
    skipped: tuple[Skipped, ...] = (),
    files_read: int | None = None,
    method: str = "default",
    generated: dt.datetime = GENERATED,
    stories: tuple[Story, ...] = (),
) -> Briefing:
    """Return a Briefing; by default three sections citing three sources."""
    sources = default_sources() if sources is None else sources
    return Briefing(
        title=title,
        date=date,
        sections=default_sections() if sections is None else sections,
        sources=sources,
        stories=stories,
        skipped=skipped,
        files_read=len(sources) + len(skipped) if files_read is None else files_read,
        method=method,
        generated=generated,
    )
