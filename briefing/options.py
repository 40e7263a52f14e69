"""The settings of a briefing run, each declared once: ``BriefingOptions``.

The CLI's option defaults (``option_default``), the config file's [briefing] keys
(``CONFIG_FIELDS``) and the structuring step's budgets (``Layout``) all come from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import OptionError
from .guard import FILE_MEGABYTES, FILE_SECONDS, FileLimits
from .load import MAX_ARTICLE_CHARS, MAX_FILE_BYTES
from .models import CONFIDENT

# Options that count something: each at least 1 (or None where None means "no limit").
_AT_LEAST_ONE = (
    "max_items",
    "max_words",
    "max_stories",
    "key_points",
    "per_section",
    "per_article",
    "max_bytes",
    "max_chars",
    "max_file_memory_mb",
    "jobs",
)


def option_default(name: str) -> object:
    """Return the default of the ``BriefingOptions`` field ``name``: the one declaration the
    CLI's options take theirs from."""
    return next(f.default for f in fields(BriefingOptions) if f.name == name)


def _iso_date(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise OptionError(f"{name} must be a date (YYYY-MM-DD), not {text!r}") from None


@dataclass(frozen=True, slots=True)
class BriefingOptions:
    """Every setting of one briefing run; ``briefing.build`` makes one from its keywords."""

    method: str = "default"
    classifier: str = "default"
    title: str | None = None
    date: dt.date | None = None
    max_items: int = 20
    # A morning of 30 to 60 articles fits two A4 pages, Sources included (measured in
    # LibreOffice on three mixes of 50 news pages and wire copy; 700 words and 10 stories made
    # 4 or 5 pages).
    max_words: int | None = 300
    max_stories: int = 7
    key_points: int = 5
    per_section: int = 8
    per_article: int | None = None
    confident: float = CONFIDENT
    max_bytes: int = MAX_FILE_BYTES
    max_chars: int = MAX_ARTICLE_CHARS
    max_file_seconds: float = FILE_SECONDS
    max_file_memory_mb: int = FILE_MEGABYTES
    since: dt.date | None = None
    state: Path | None = None
    jobs: int = 1
    #: The address of a Dask scheduler to run the per-article work on; None: this machine.
    scheduler: str | None = None

    def __post_init__(self) -> None:
        """Take dates as ISO strings and the state file as a str; refuse impossible values."""
        for name in ("date", "since"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, _iso_date(name, value))
            elif value is not None and not isinstance(value, dt.date):
                raise OptionError(f"{name} must be a date, not {value!r}")
        if self.state is not None and not isinstance(self.state, Path):
            object.__setattr__(self, "state", Path(self.state))
        for name in _AT_LEAST_ONE:
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise OptionError(f"{name} must be a whole number of at least 1, not {value!r}")
        if not self.max_file_seconds > 0:
            seconds = self.max_file_seconds
            raise OptionError(f"max_file_seconds must be more than 0, not {seconds!r}")
        if not 0.0 <= self.confident <= 1.0:
            raise OptionError(f"confident must be between 0 and 1, not {self.confident!r}")

    @classmethod
    def from_keywords(cls, **keywords: object) -> BriefingOptions:
        """Return options from keyword arguments, naming any keyword that is not an option."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(keywords) - known)
        if unknown:
            raise TypeError(f"unknown briefing option(s): {', '.join(unknown)}")
        return cls(**keywords)  # type: ignore[arg-type]

    @property
    def file_limits(self) -> FileLimits:
        """How long and how much memory reading one input file may take."""
        return FileLimits(self.max_file_seconds, self.max_file_memory_mb)

    @property
    def layout(self) -> Layout:
        """The budgets structuring works within: these options' fields of Layout's names."""
        return Layout(**{f.name: getattr(self, f.name) for f in fields(Layout)})


#: The fields a config file's [briefing] table may set (``max_file_mb`` sets ``max_bytes``).
CONFIG_FIELDS = (
    "title", "method", "classifier", "max_items", "max_words", "max_stories", "jobs", "scheduler",
    "key_points", "per_section", "per_article", "max_file_seconds", "max_file_memory_mb",
)  # fmt: skip

_DEFAULTS = BriefingOptions()


@dataclass(frozen=True, slots=True)
class Layout:
    """How much goes into a briefing: the budgets the structuring step works within.

    Each is the ``BriefingOptions`` field of the same name, whose default it takes."""

    max_items: int = _DEFAULTS.max_items
    max_words: int | None = _DEFAULTS.max_words
    max_stories: int = _DEFAULTS.max_stories
    key_points: int = _DEFAULTS.key_points
    per_section: int = _DEFAULTS.per_section
    per_article: int | None = _DEFAULTS.per_article
    confident: float = _DEFAULTS.confident
