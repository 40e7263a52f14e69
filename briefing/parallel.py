"""Run one function over many items, in worker processes when asked to."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(function: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> Iterator[R]:
    """Yield ``function(item)`` for each of ``items``, in order.

    With ``jobs`` > 1 the calls run in that many worker processes, handed out in chunks so
    that memory stays bounded by the results, not by queued work; ``function`` must then be
    a module-level function and items and results picklable.
    """
    if jobs <= 1 or len(items) < 2:
        yield from map(function, items)
        return
    chunk = max(1, len(items) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(function, items, chunksize=chunk)
