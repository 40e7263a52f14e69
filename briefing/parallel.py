"""Where the per-article work runs: in this process, in local worker processes, or on Dask.

The pipeline has two maps over many items, each item independent of the others: reading
the files (``map_files``) and analysing each article (``map``).  An ``Executor`` runs
both.  ``LocalExecutor`` runs them here, or in ``jobs`` worker processes; each file is read
in a worker under the per-file limits of :mod:`.guard`.  ``DaskExecutor``
(:mod:`.dask_executor`) runs them on a ``dask.distributed`` cluster.  ``executor_for``
opens the one a run asks for.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

from .guard import DEFAULT_LIMITS, FileLimits, exit_with_parent, guarded_map

T = TypeVar("T")
R = TypeVar("R")

# Items a worker is handed at a time: about this many chunks per worker, so that the
# workers stay evenly busy to the end while each hand-over carries enough work to pay for
# its pickling.
CHUNKS_PER_WORKER = 8


class Executor(Protocol):
    """Runs a module-level function over many items, yielding the results in order."""

    #: Whether the functions run where the input files can be read by their paths.
    shares_files: bool

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Yield ``function(item)`` for each of ``items``, in order; an exception ends it.

        The work may start before the first result is asked for."""
        ...

    def map_files(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        on_failure: Callable[[T, str], R],
        limits: FileLimits,
    ) -> Iterator[R]:
        """Yield ``function(item)`` for each of ``items`` (one per input file), in order; a
        call that fails, or passes ``limits``, yields ``on_failure(item, reason)``."""
        ...


class LocalExecutor:
    """Runs everything on this machine: in this process, or in ``jobs`` worker processes.

    With ``jobs`` > 1, ``map`` hands all its work to a pool of processes at once and
    returns at once, so that this process can do other work (group the stories) while the
    workers analyse the articles; ``close`` ends the pool.
    """

    shares_files = True

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        if self.jobs <= 1 or len(items) < 2:
            return map(function, items)
        chunk = max(1, len(items) // (self.jobs * CHUNKS_PER_WORKER))
        if self._pool is not None:
            return self._pool.map(function, items, chunksize=chunk)
        # The workers are forked by this first map.  Frozen, this process's objects are left
        # out of their garbage collections, which would otherwise touch, and so copy, every
        # page of them.
        gc.freeze()
        try:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, initializer=_start_worker, initargs=(os.getpid(),)
            )
            return self._pool.map(function, items, chunksize=chunk)
        finally:
            gc.unfreeze()

    def map_files(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        on_failure: Callable[[T, str], R],
        limits: FileLimits = DEFAULT_LIMITS,
    ) -> Iterator[R]:
        return guarded_map(function, items, on_failure, limits, self.jobs)

    def close(self) -> None:
        """End the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


# The analysis workers run while this process groups the stories, whose linkage (one long
# serial step) the rest of the run waits for: a little lower priority for the workers keeps
# a core for it (10,000 articles, 2 cores: 34 s -> 30 s).
WORKER_NICENESS = 5


def _start_worker(parent: int) -> None:
    """Lower the worker's priority, and end it with its parent (``guard.exit_with_parent``)."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    exit_with_parent(parent)


@contextlib.contextmanager
def executor_for(jobs: int = 1, scheduler: str | None = None) -> Iterator[Executor]:
    """Yield the Executor a run asks for: a ``DaskExecutor`` connected to the Dask scheduler
    at ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``), closed on leaving; else a
    ``LocalExecutor`` of ``jobs`` processes.

    Raises :class:`~briefing.errors.SchedulerError` when the scheduler cannot be used.
    """
    if scheduler is None:
        local = LocalExecutor(jobs)
        try:
            yield local
        finally:
            local.close()
        return
    from .dask_executor import DaskExecutor

    with DaskExecutor.connect(scheduler) as executor:
        yield executor
