"""Plain records passed between the stages: load, clean, split, rank, classify, structure, render.

Every record is a frozen, slotted dataclass and every collection is a tuple, so a stage can
never change what an earlier stage produced.  A sentence's identity is
``(article_id, index)``, never its text: two equal sentences from two articles stay distinct
until a stage merges them on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args

from .outlets import outlet_key

Label = Literal["outcome", "disagreement", "next_step", "context"]
LABELS: tuple[Label, ...] = get_args(Label)
#: Keep a sentence in Outcomes, Disagreements or Next steps only at or above this confidence;
#: below it, file it under Key points or Context.  A wrong item costs a section the reader's
#: trust, so this favours precision, but an action section that is always empty helps no one.
#: Chosen on benchmarks/sections.py's briefs of each labelled article alone, every outlet
#: briefed by a model that never saw it: at 0.60 the Outcomes / Disagreements / Next steps
#: bullets are right 0.53 / 0.61 / 0.75 of the time, 1.31 action bullets an article; at 0.70,
#: 0.61 / 0.70 / 0.80, but 0.75 an article.
CONFIDENT = 0.60

SectionKind = Literal["key_points", "outcomes", "disagreements", "next_steps", "context"]
#: Each section's title, in the order a story's sections are read (the one holding its
#: lead comes first; see ``structure``).
SECTION_TITLES: dict[SectionKind, str] = {
    "key_points": "Key points",
    "outcomes": "Outcomes",
    "disagreements": "Disagreements",
    "next_steps": "Next steps",
    "context": "Context",
}
SECTION_ORDER: tuple[SectionKind, ...] = tuple(SECTION_TITLES)
SECTION_OF_LABEL: dict[Label, SectionKind] = {
    "outcome": "outcomes",
    "disagreement": "disagreements",
    "next_step": "next_steps",
    "context": "context",
}

#: What marks a file as a brief this tool wrote, so that a later run over the same folder
#: does not read yesterday's brief as an article: the .docx's author and keywords, a
#: comment line of the Markdown, a header of the e-mail.
MADE_BY = "briefing"
MARKDOWN_MARK = f"<!-- made by {MADE_BY} -->"
EMAIL_MARK_HEADER = "X-Made-By"
NOT_AN_ARTICLE = f"a brief {MADE_BY} wrote, not an article"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as loaded and cleaned.

    ``text`` holds the body only, one paragraph per line; ``source`` is the outlet
    (or the file's name when the file does not say).  ``saved`` is the day its file was
    last written: how recent an undated article is, for ordering stories.
    """

    title: str
    text: str
    source: str = ""
    published: dt.date | None = None
    url: str | None = None
    path: Path | None = None
    author: str = ""
    saved: dt.date | None = None

    @property
    def date(self) -> dt.date | None:
        """The publication date, under the name users expect."""
        return self.published

    @property
    def location(self) -> str:
        """Where the reader can find the article: its URL, else its file path, else ''."""
        if self.url:
            return self.url
        return str(self.path) if self.path else ""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that yielded no article, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading produced: the articles, the inputs skipped, and how many files were read."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()
    files_read: int = 0


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence ``index`` of article ``article_id`` (its position in the briefing's articles)."""

    article_id: int
    index: int
    text: str


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    """A sentence with its importance within its article (higher is more important)."""

    sentence: Sentence
    score: float


@dataclass(frozen=True, slots=True)
class Classification:
    """The briefing label of one sentence, how sure the classifier is, and why."""

    label: Label
    confidence: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One bullet of a briefing section.

    ``citations`` are the 1-based numbers of the sources the bullet cites in
    ``Briefing.sources``; ``why`` says why it was filed in its section.
    """

    text: str
    score: float
    label: Label
    confidence: float
    citations: tuple[int, ...]
    why: str = ""
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A titled list of items; ``kind`` is one of ``SECTION_TITLES``' keys."""

    kind: SectionKind
    items: tuple[Item, ...]

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.kind]


StoryStatus = Literal["new", "updated", "seen", ""]

#: Told how far a long stage has got: ``progress(stage, done, total)``.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one story and the sections drawn from them.

    ``sources`` are the 1-based numbers of its cited articles in ``Briefing.sources``;
    ``reports`` how many articles it has in all, cited or not (an article saved twice
    counts once; 0: count its sources), and ``carried_by`` how many outlets carry them (a
    story syndicated by two outlets counts twice; 0 when some article names no outlet, as
    a text file may not, so the number is not known); ``status``
    says whether an earlier brief had it ("seen"), had it with fewer articles ("updated"),
    or not ("new"); it is "" when no earlier brief is known.  ``fingerprints`` identify its
    articles in the memory of earlier briefs (see ``briefing.state``); ``why`` says what its
    place in the brief rests on (``--explain`` prints it).  ``bottom_line`` is its best
    item, one of its sections' own, which the executive summary gives in a brief of several
    stories (see ``details``).
    """

    headline: str
    sections: tuple[Section, ...]
    sources: tuple[int, ...]
    status: StoryStatus = ""
    fingerprints: tuple[str, ...] = ()
    carried_by: int = 0
    reports: int = 0
    why: str = ""
    bottom_line: Item | None = None

    @property
    def details(self) -> tuple[Section, ...]:
        """Its sections as its part of a brief of several stories shows them: without the
        bottom line, which the executive summary gives (a section left empty is dropped;
        a story of one bullet has no part of its own)."""
        kept = (
            replace(s, items=tuple(i for i in s.items if i != self.bottom_line))
            for s in self.sections
        )
        return tuple(s for s in kept if s.items)

    @property
    def report_count(self) -> int:
        """How many articles the story has: ``reports``, else its sources."""
        return self.reports or len(self.sources)


@dataclass(frozen=True, slots=True)
class Source:
    """An entry of the numbered Sources list that items cite."""

    number: int
    title: str
    source: str
    published: dt.date | None
    location: str


def describe_coverage(sources: Sequence[Source]) -> str:
    """Return one line saying what ``sources`` cover: articles, outlets and date span."""
    n = len(sources)
    # An article whose outlet is unknown (a text file that does not say) is no outlet of
    # its own: "47 articles from 46 sources" would claim a breadth the folder does not have.
    m = len({outlet_key(s.source) for s in sources if s.source})
    unknown = sum(1 for s in sources if not s.source)
    line = f"{n} article{'s' if n != 1 else ''}"
    outlets = f"from {m} source{'s' if m != 1 else ''}"
    if m and unknown:
        line += f": {n - unknown} {outlets}, {unknown} of unknown source"
    elif m:
        line += f" {outlets}"
    dates = sorted(s.published for s in sources if s.published)
    if dates:
        first, last = dates[0], dates[-1]
        line += f", {first.isoformat()}"
        if last != first:
            line += f" to {last.isoformat()}"
    return line


@dataclass(frozen=True, slots=True)
class Briefing:
    """A finished briefing: what the writers render to .docx, Markdown or JSON.

    Empty sections are never stored, so a renderer can print every section it is given.
    ``sections`` holds every story's items, merged by kind; ``stories`` the same items story
    by story, most important story first.  A briefing of one story renders its sections
    alone; one of several renders an executive summary and a part per story.  ``also``
    lists, by headline only, stories the budget had no room for, and ``left_out`` counts the
    stories beyond those, too many to name.  ``sources`` lists only the
    articles the briefing cites; ``covers`` says what was read (see ``describe_coverage``);
    ``before_since`` counts the articles read but left out as dated before ``since``.
    """

    title: str
    date: dt.date
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    stories: tuple[Story, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    files_read: int = 0
    articles_read: int = 0
    before_since: int = 0
    method: str = "default"
    covers: str = ""
    also: tuple[Story, ...] = ()
    left_out: int = 0
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())

    @property
    def coverage(self) -> str:
        """One line saying what the briefing covers: articles, outlets and date span."""
        return self.covers or describe_coverage(self.sources)

    @property
    def by_story(self) -> bool:
        """Whether the brief is laid out story by story, under an executive summary: it is,
        unless it covers a single story and names no other."""
        return len(self.stories) > 1 or bool(self.also)

    @property
    def has_summary(self) -> bool:
        """Whether the brief opens with an executive summary: it is laid out story by story
        and briefs one story at least (when none had a sentence to brief, it only names)."""
        return self.by_story and bool(self.stories)

    def section(self, kind: SectionKind) -> Section | None:
        """The section of that kind, or None when the briefing has none."""
        return next((s for s in self.sections if s.kind == kind), None)

    def to_docx(self, path: str | Path, template: str | Path | None = None) -> Path:
        """Write the briefing as a Word document (atomically) and return its path."""
        from .render import write_docx

        return write_docx(self, path, template=template)

    def to_markdown(self) -> str:
        """The briefing as Markdown text."""
        from .render import to_markdown

        return to_markdown(self)

    def to_dict(self) -> dict:
        """The briefing as plain JSON-ready data (dates as ISO strings)."""
        from .render import to_dict

        return to_dict(self)
