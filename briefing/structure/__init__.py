"""Structure the chosen sentences into a brief: candidates, facts, sections, stories.

``candidates`` makes the records that compete for a place, ``ahead`` files a next step no
longer ahead as context, ``facts`` merges the same fact
said twice into one item, ``filing`` files one story's sentences into sections within its
budgets, and ``stories`` orders the stories, shares the budget among them and numbers the
Sources.
"""

from .ahead import still_ahead
from .candidates import Candidate, best_rows, candidates_of, with_lead_ins
from .filing import structure
from .stories import (
    MAX_ALSO,
    NEWS_SENTENCES,
    build_stories,
    cite_only_used,
    merge_sections,
    news_value,
    outlets_of,
    rank_stories,
    sources_of,
)

__all__ = [
    "MAX_ALSO", "NEWS_SENTENCES", "Candidate", "best_rows", "build_stories", "candidates_of",
    "cite_only_used", "merge_sections", "news_value", "outlets_of", "rank_stories",
    "sources_of", "still_ahead", "structure", "with_lead_ins",
]  # fmt: skip
