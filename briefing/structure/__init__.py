"""Structure the chosen sentences into a brief: candidates, facts, sections, stories.

``candidates`` makes the records that compete for a place, ``facts`` merges the same fact
said twice into one item, ``filing`` files one story's sentences into sections within its
budgets, and ``stories`` orders the stories, shares the budget among them and numbers the
Sources.
"""

from .candidates import Candidate, candidates_of, with_lead_ins
from .filing import structure
from .stories import (
    MAX_ALSO,
    build_stories,
    cite_only_used,
    merge_sections,
    news_value,
    outlets_of,
    sources_of,
)

__all__ = [
    "MAX_ALSO", "Candidate", "build_stories", "candidates_of",
    "cite_only_used", "merge_sections", "news_value", "outlets_of", "sources_of",
    "structure", "with_lead_ins",
]  # fmt: skip
