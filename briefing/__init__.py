"""briefing: turn a folder of news articles into a short, well-structured Word briefing.

The stages, in the order data flows: ``load`` (read and clean), ``split`` (sentences),
``rank`` (importance), ``classify`` (outcome, disagreement, next step or context),
``structure`` (sections), ``render`` (.docx, Markdown, JSON).
"""

import logging

from .api import build, classify, load, rank, remember, summarize, summarize_many
from .errors import (
    BriefingError,
    DeliveryError,
    InputError,
    NoArticlesError,
    OutputError,
    StateError,
    TemplateError,
    UnknownMethodError,
)
from .models import Article, Briefing, Item, Section, Skipped, Source, Story
from .pipeline import BriefingOptions

__version__ = "0.1.0"
__all__ = [
    "Article",
    "Briefing",
    "BriefingError",
    "BriefingOptions",
    "DeliveryError",
    "InputError",
    "Item",
    "NoArticlesError",
    "OutputError",
    "Section",
    "Skipped",
    "Source",
    "StateError",
    "Story",
    "TemplateError",
    "UnknownMethodError",
    "build",
    "classify",
    "load",
    "rank",
    "remember",
    "summarize",
    "summarize_many",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
