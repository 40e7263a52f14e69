"""briefing: turn a folder of news articles into a short, well-structured Word briefing.

The stages, in the order data flows: ``load`` (read and clean), ``split`` (sentences),
``rank`` (importance), ``classify`` (outcome, disagreement, next step or context),
``structure`` (sections), ``render`` (.docx, Markdown, JSON).
"""

import importlib
import logging
import sys
import types
from typing import TYPE_CHECKING, Any

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
from .models import Article, Briefing, Item, Section, Skipped, Source, Story

if TYPE_CHECKING:
    from .api import build, classify, load, rank, remember, summarize, summarize_many
    from .mail import run_briefing, send_briefing
    from .options import BriefingOptions
    from .split import split_sentences

# The names imported on first use, and the submodule each comes from: the pipeline's
# libraries (numpy, scipy, nltk, python-docx) take a second to import, which ``import
# briefing`` should not cost a script that only reads an option or catches an error.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("build", "classify", "load", "rank", "remember", "summarize"), "api"),
    "summarize_many": "api",
    "run_briefing": "mail",
    "send_briefing": "mail",
    "BriefingOptions": "options",
    "split_sentences": "split",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """The package's module, on which ``briefing.load``, ``briefing.rank`` and
    ``briefing.classify`` stay the API's functions when the stage modules of the same names
    are imported (Python would otherwise bind each submodule to its name here)."""

    def __setattr__(self, name: str, value: object) -> None:
        if not (name in _LAZY and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
