"""Registries of interchangeable parts (rankers, classifiers): a dict from name to factory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from .errors import BriefingError

T = TypeVar("T")


def create(
    registry: Mapping[str, Callable[[], T]],
    name: str,
    error: Callable[[str], BriefingError],
    what: str,
) -> T:
    """Return a new part made by ``registry[name]``.

    An unknown ``name`` raises ``error`` (a BriefingError class) with a message naming
    ``what`` is asked for (a str, "classifier") and every valid name.
    """
    try:
        factory = registry[name]
    except KeyError:
        valid = ", ".join(sorted(registry))
        raise error(f"unknown {what} {name!r}; choose one of: {valid}") from None
    return factory()
