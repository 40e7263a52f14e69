"""Run a reader over many files, each call in a worker process under a limit of time and memory.

A hostile or broken file can make a parser loop, recurse, or allocate without end, and no
check inside a reader catches every way.  ``guarded_map`` hands each file to a worker
process and waits at most ``limits.seconds`` for its answer; the worker's memory is capped
at ``limits.megabytes`` above what it started with (on Linux, where ``RLIMIT_DATA``
counts every allocation).  A call that runs out of time is killed, one that runs out of
memory fails with MemoryError, one that crashes its worker ends it, and one that raises
any other exception fails alone: each yields
``on_failure(item, reason)`` instead of its result, a fresh worker takes the next file,
and the other files are read as usual.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

FILE_SECONDS = 60.0
_OUT_OF_MEMORY = "\0memory"
FILE_MEGABYTES = 1024


@dataclass(frozen=True, slots=True)
class FileLimits:
    """How long (seconds) and how much memory (megabytes) reading one file may take."""

    seconds: float = FILE_SECONDS
    megabytes: int = FILE_MEGABYTES

    def __post_init__(self) -> None:
        if not self.seconds > 0 or not self.megabytes > 0:
            raise ValueError(f"file limits must be more than 0, not {self}")


DEFAULT_LIMITS = FileLimits()


def _context() -> Any:
    # Fork starts a worker in a millisecond with the readers already imported; where
    # there is no fork, spawn.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _data_bytes() -> int:
    """Return this process's data size (bytes), which RLIMIT_DATA caps, or 0 if unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[5]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cap_memory(megabytes: int) -> None:
    if resource is None or not sys.platform.startswith("linux"):
        return
    limit = _data_bytes() + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


# How often a worker looks whether the process that started it is still there.
ORPHAN_CHECK_SECONDS = 0.5


def exit_with_parent(parent: int) -> None:
    """End this worker process soon after ``parent`` (the pid of the process that started
    it) is gone, killed or crashed.

    A forked worker holds copies of the parent's descriptors: of the other workers' pipes,
    so that it never reads an end of input and waits forever, and of the run's lock
    (``mail.lock``), which it would hold, so that every later run of a daily schedule
    found "another briefing run in progress".  A thread watches the parent's pid."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _serve(conn: Connection, function: Callable[[Any], Any], megabytes: int, parent: int) -> None:
    """The worker: answer each (index, item) it is sent with (index, ok, result)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    exit_with_parent(parent)
    _cap_memory(megabytes)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        index, item = job
        try:
            answer = (index, True, function(item))
        except MemoryError:
            answer = (index, False, _OUT_OF_MEMORY)
        except Exception as exc:  # a reader's own bug: this file fails, not the run
            answer = (index, False, f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:200])
        conn.send(answer)


class _Worker:
    """One worker process and the call it is busy with, if any."""

    def __init__(self, context: Any, function: Callable[[Any], Any], megabytes: int) -> None:
        self.conn, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, function, megabytes, os.getpid()), daemon=True
        )
        self.process.start()
        theirs.close()
        self.index: int | None = None
        self.deadline = 0.0

    def start(self, index: int, item: object, seconds: float) -> None:
        self.index = index
        self.deadline = time.monotonic() + seconds
        self.conn.send((index, item))

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def crash_reason(self) -> str:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if code is not None and code < 0:
            return f"its reader crashed ({signal.Signals(-code).name})"
        return f"its reader stopped (exit code {code})"


class _Pool(Generic[T, R]):
    def __init__(
        self,
        function: Callable[[T], R],
        on_failure: Callable[[T, str], R],
        limits: FileLimits,
        jobs: int,
    ) -> None:
        self.function = function
        self.on_failure = on_failure
        self.limits = limits
        self.context = _context()
        self.workers = [self._new_worker() for _ in range(jobs)]

    def _new_worker(self) -> _Worker:
        return _Worker(self.context, self.function, self.limits.megabytes)

    def run(self, items: Sequence[T]) -> Iterator[R]:
        done: dict[int, R] = {}
        queued = iter(range(len(items)))
        next_out = 0
        for worker in self.workers:
            self._feed(worker, queued, items)
        while next_out < len(items):
            busy = [w for w in self.workers if w.index is not None]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout=timeout)
            for slot, worker in enumerate(list(self.workers)):
                index = worker.index
                if index is None:
                    continue
                if worker.conn in ready:
                    done[index], healthy = self._answer(worker, items[index])
                elif time.monotonic() >= worker.deadline:
                    limit = f"{self.limits.seconds:g} s"
                    done[index] = self.on_failure(
                        items[index], f"took longer than {limit} to read (the limit for a file)"
                    )
                    healthy = False
                else:
                    continue
                if healthy:
                    worker.index = None
                else:
                    worker.stop()
                    self.workers[slot] = self._new_worker()
                self._feed(self.workers[slot], queued, items)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1

    def _answer(self, worker: _Worker, item: T) -> tuple[R, bool]:
        """Return the worker's answer for ``item`` and whether the worker can go on."""
        try:
            _, ok, result = worker.conn.recv()
        except (EOFError, OSError):
            return self.on_failure(item, worker.crash_reason()), False
        if ok:
            return result, True
        if result != _OUT_OF_MEMORY:
            return self.on_failure(item, f"its reader failed ({result})"), True
        # A worker that ran out of memory may hold it still: start afresh.
        reason = f"needed more than {self.limits.megabytes} MB to read (the limit for a file)"
        return self.on_failure(item, reason), False

    def _feed(self, worker: _Worker, queued: Iterator[int], items: Sequence[T]) -> None:
        index = next(queued, None)
        if index is not None:
            worker.start(index, items[index], self.limits.seconds)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


def guarded_map(
    function: Callable[[T], R],
    items: Sequence[T],
    on_failure: Callable[[T, str], R],
    limits: FileLimits = DEFAULT_LIMITS,
    jobs: int = 1,
) -> Iterator[R]:
    """Yield ``function(item)`` for each of ``items``, in order, each call in one of ``jobs``
    worker processes under ``limits``; a call that exceeds them, or kills its worker,
    yields ``on_failure(item, reason)`` (reason: a str saying which limit) instead.

    ``function`` and ``on_failure`` must be module-level functions where processes are
    spawned (not forked), and items and results picklable.
    """
    if not items:
        return
    pool = _Pool(function, on_failure, limits, max(1, min(jobs, len(items))))
    try:
        yield from pool.run(items)
    finally:
        pool.close()
