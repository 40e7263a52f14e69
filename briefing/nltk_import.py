"""Import the one module of nltk that briefing uses without the rest of nltk, and nltk whole
without the parts of scipy it reaches for at import time and briefing never uses.

Briefing splits sentences with nltk's Punkt, and nothing else of nltk.  ``import nltk``
imports every one of its 400 modules, whatever is used, and takes longer than the rest of a
one-article brief; Punkt needs ten of them.  So :func:`import_nltk` imports
``nltk.tokenize.punkt`` with its packages, ``nltk`` and ``nltk.tokenize``, made but not
run: their ``__init__`` is not executed and they are not in ``sys.modules``.  The first
import of either, by anyone, runs its ``__init__`` in that same module object (which Punkt
and its other modules are already bound to), so nltk is as whole as if it had been
imported the usual way.

Three of nltk's subpackages try ``from scipy.stats import ...`` when nltk is imported
whole: Fisher's exact test for collocations, the normal distribution for Gale-Church
sentence alignment, and a ``betai`` that scipy no longer has.  Importing scipy.stats takes
half a second.  A fourth, the transition parser, tries ``from scipy import sparse`` for a
classifier of scikit-learn's (0.07 s).  Each of those imports falls back when what it asks
for is missing (Gale-Church on nltk's own normal tail; the parser needs scikit-learn
anyway), so when briefing imports nltk whole (for sumy's rankers) it does so with
scipy.stats and scipy.sparse out of reach of its own thread (other threads import as
usual), then gives nltk's association measures their Fisher test back, importing
scipy.stats on first call.  Where nltk or scipy.stats is already imported, or scikit-learn
is installed (nltk imports it too, and it needs both), nltk is imported as is.

Briefing's modules import nltk (and sumy, which imports nltk) only through this module, and
only when they first split, so that ``import briefing`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import logging
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = ["import_nltk"]

logger = logging.getLogger(__name__)

# What nltk imports only to offer statistics briefing never computes, and a parser it never
# runs.
DEFERRED = ("scipy.stats", "scipy.sparse")

# The modules of nltk imported without running their packages' __init__: {module: packages}.
UNRUN_PACKAGES = {"nltk.tokenize.punkt": ("nltk", "nltk.tokenize")}

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


class _Unrun(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The finder and loader of the packages made but not run: the first import of each
    runs its ``__init__`` in the module object that exists already."""

    def __init__(self) -> None:
        self.waiting: dict[str, ModuleType] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        module = self.waiting.get(fullname)
        if module is None:
            return None
        made = module.__spec__
        assert made is not None
        spec = importlib.machinery.ModuleSpec(
            fullname, self, origin=made.origin, loader_state=(module, made), is_package=True
        )
        spec.submodule_search_locations = made.submodule_search_locations
        spec.cached = made.cached
        spec.has_location = made.has_location
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module: ModuleType = spec.loader_state[0]
        self.waiting.pop(spec.name, None)
        return module

    def exec_module(self, module: ModuleType) -> None:
        assert module.__spec__ is not None
        made: importlib.machinery.ModuleSpec = module.__spec__.loader_state[1]
        assert made.loader is not None
        made.loader.exec_module(module)
        # From now on the package is nltk's own, its spec and its loader's resources too.
        module.__spec__ = made


_UNRUN = _Unrun()


def _fisher_exact(*args: Any, **kwargs: Any) -> Any:
    """scipy.stats.fisher_exact, imported on first call."""
    from scipy.stats import fisher_exact

    return fisher_exact(*args, **kwargs)


def _has_sklearn() -> bool:
    return importlib.util.find_spec("sklearn") is not None


def _import_whole_nltk() -> None:
    """Import nltk whole (running the packages left unrun, if any), with DEFERRED out of
    reach unless that would break it."""
    if "scipy.stats" in sys.modules or _has_sklearn():
        importlib.import_module("nltk")
        return
    finder = _Deferred()
    sys.meta_path.insert(0, finder)
    try:
        importlib.import_module("nltk")
    finally:
        sys.meta_path.remove(finder)
    association = importlib.import_module("nltk.metrics.association")
    association.fisher_exact = _fisher_exact  # type: ignore[attr-defined]


def _import_unrun(name: str) -> ModuleType:
    """Import ``name`` with its packages UNRUN_PACKAGES[name] made but not run; on failure
    (another nltk than this was written for), take back what it imported and import nltk
    whole instead."""
    before = set(sys.modules)
    made: dict[str, ModuleType] = {}
    try:
        for package in UNRUN_PACKAGES[name]:
            parent, _, child = package.rpartition(".")
            spec = importlib.machinery.PathFinder.find_spec(
                package, made[parent].__path__ if parent else None
            )
            if spec is None or spec.loader is None or spec.submodule_search_locations is None:
                raise ModuleNotFoundError(f"{package} is not a package on the path", name=package)
            module = made[package] = importlib.util.module_from_spec(spec)
            sys.modules[package] = module
            if parent:
                setattr(made[parent], child, module)
        imported = importlib.import_module(name)
    except Exception as error:  # any failure falls back to the usual import
        for added in set(sys.modules) - before:
            del sys.modules[added]
        logger.debug("importing %s alone failed (%s): importing nltk whole", name, error)
        _import_whole_nltk()
        return importlib.import_module(name)
    for package in made:
        del sys.modules[package]
    _UNRUN.waiting.update(made)
    if _UNRUN not in sys.meta_path:
        sys.meta_path.insert(0, _UNRUN)
    return imported


def import_nltk(name: str = "nltk") -> ModuleType:
    """Return the module ``name`` of nltk (or of sumy, which imports nltk), imported as above."""
    with _LOCK:
        if name in sys.modules:
            return sys.modules[name]
        nltk_imported = "nltk" in sys.modules or bool(_UNRUN.waiting)
        if name in UNRUN_PACKAGES and not nltk_imported:
            return _import_unrun(name)
        if "nltk" not in sys.modules:
            _import_whole_nltk()
        return importlib.import_module(name)
