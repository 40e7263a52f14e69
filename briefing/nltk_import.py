"""Import nltk without the parts of scipy it reaches for at import time and briefing never
uses.

``import nltk`` imports every one of its subpackages, whatever is used, and three of them
try ``from scipy.stats import ...``: Fisher's exact test for collocations, the normal
distribution for Gale-Church sentence alignment, and a ``betai`` that scipy no longer has.
Importing scipy.stats takes half a second, more than the rest of a one-article brief.  A
fourth, the transition parser, tries ``from scipy import sparse`` for a classifier of
scikit-learn's (0.07 s, most of it scipy's array-API layer).  Each of those imports falls
back when what it asks for is missing (Gale-Church on nltk's own normal tail; the parser
needs scikit-learn anyway), so :func:`import_nltk` imports nltk with scipy.stats and
scipy.sparse out of reach of its own thread (other threads import as usual) and then gives
nltk's association measures their Fisher test back, importing scipy.stats on first call.
Where nltk or scipy.stats is already imported, or scikit-learn is installed (nltk imports
it too, and it needs both), it imports nltk as is.

Briefing's modules import nltk (and sumy, which imports nltk) only through this module, and
only when they first split or stem, so that ``import briefing`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = ["import_nltk"]

# What nltk imports only to offer statistics briefing never computes, and a parser it never
# runs.
DEFERRED = ("scipy.stats", "scipy.sparse")

_LOCK = threading.RLock()


class _Deferred(importlib.abc.MetaPathFinder):
    """A finder under which the thread that made it cannot import the modules DEFERRED (or
    their submodules)."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        deferred = any(fullname == d or fullname.startswith(d + ".") for d in DEFERRED)
        if deferred and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"{fullname} is imported on first use", name=fullname)
        return None


def _fisher_exact(*args: Any, **kwargs: Any) -> Any:
    """scipy.stats.fisher_exact, imported on first call."""
    from scipy.stats import fisher_exact

    return fisher_exact(*args, **kwargs)


def _has_sklearn() -> bool:
    return importlib.util.find_spec("sklearn") is not None


def import_nltk(name: str = "nltk") -> ModuleType:
    """Return the module ``name`` of nltk (or of sumy, which imports nltk), imported as above."""
    with _LOCK:
        if "nltk" not in sys.modules and "scipy.stats" not in sys.modules and not _has_sklearn():
            finder = _Deferred()
            sys.meta_path.insert(0, finder)
            try:
                importlib.import_module("nltk")
            finally:
                sys.meta_path.remove(finder)
            association = importlib.import_module("nltk.metrics.association")
            association.fisher_exact = _fisher_exact  # type: ignore[attr-defined]
        return importlib.import_module(name)
