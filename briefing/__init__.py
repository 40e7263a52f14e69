"""briefing: turn a folder of news articles into a short, well-structured Word briefing.

The stages, in the order data flows: ``load`` (read and clean), ``split`` (sentences),
``rank`` (importance), ``classify`` (outcome, disagreement, next step or context),
``structure`` (sections), ``render`` (.docx, Markdown, JSON).
"""

import logging

from .api import build, classify, load, rank, remember, summarize, summarize_many
from .errors import (
    AuthenticationError,
    BriefingError,
    ConfigError,
    DeliveryError,
    InputError,
    LockedError,
    NoArticlesError,
    OptionError,
    OutputError,
    PermanentDeliveryError,
    RecipientsDeferredError,
    RecipientsRefusedError,
    StateError,
    TemplateError,
    TransientDeliveryError,
    UnknownClassifierError,
    UnknownMethodError,
)
from .mail import run_briefing, send_briefing
from .models import Article, Briefing, Item, Section, Skipped, Source, Story
from .options import BriefingOptions
from .split import split_sentences

__version__ = "0.1.0"
__all__ = [
    "Article",
    "AuthenticationError",
    "Briefing",
    "BriefingError",
    "BriefingOptions",
    "ConfigError",
    "DeliveryError",
    "InputError",
    "Item",
    "LockedError",
    "NoArticlesError",
    "OptionError",
    "OutputError",
    "PermanentDeliveryError",
    "RecipientsDeferredError",
    "RecipientsRefusedError",
    "Section",
    "Skipped",
    "Source",
    "StateError",
    "Story",
    "TemplateError",
    "TransientDeliveryError",
    "UnknownClassifierError",
    "UnknownMethodError",
    "build",
    "classify",
    "load",
    "rank",
    "remember",
    "run_briefing",
    "send_briefing",
    "split_sentences",
    "summarize",
    "summarize_many",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
