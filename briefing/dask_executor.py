"""Run the per-article work on a Dask cluster (``dask.distributed``), beyond one machine.

The client (this process) walks the folders and reads each file's bytes; the workers
decode, clean, identify the language, split, rank and classify, and send back each
article and its candidate sentences; the global stage (copies, stories, the brief) runs
here on what they send.  The workers need the same version of briefing installed (``pip
install 'briefing[dask]'``), not the input files.  Work is sent in batches, a few per
worker in flight at a time, so that the client's memory holds what is being worked on,
not the whole folder.

The per-file limits of :mod:`.guard` are the cluster's own on Dask: a file whose reader
kills its worker (Dask's nanny restarts a worker past its memory limit) is retried alone
and then skipped by name, and a reader's exception skips its file; a reader that never
returns holds its worker until the cluster is told otherwise.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import math
import socket
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import SchedulerError
from .guard import FileLimits
from .parallel import CHUNKS_PER_WORKER

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["DaskExecutor"]

#: How long to wait for the scheduler to answer, and for it to have a worker.
CONNECT_SECONDS = 10
# The most a scheduler's first message (its handshake, some dozens of bytes) may announce.
MAX_FIRST_MESSAGE = 1 << 24
# At most this many items a task: a lost worker costs at most one such batch again.
MAX_BATCH = 256
# Batches in flight per worker: enough to keep it busy while the client collects results.
IN_FLIGHT_PER_WORKER = 3


def _version() -> str:
    return importlib.metadata.version("briefing")


def _call_batch(
    items: Sequence[Any], function: Callable[[Any], Any], guarded: bool
) -> list[tuple[bool, Any]]:
    """Run on a worker: ``function`` over ``items``, as (True, result) pairs; when
    ``guarded``, an item whose call raises gives (False, why it failed) instead."""
    answers: list[tuple[bool, Any]] = []
    for item in items:
        try:
            answers.append((True, function(item)))
        except Exception as exc:  # a reader's own bug: this file fails, not the run
            if not guarded:
                raise
            answers.append((False, f"its reader failed ({_error_line(exc)})"))
    return answers


def _error_line(exc: BaseException | None) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:200]


def _check_address(address: str) -> None:
    """Refuse, in one line and at once, an address that names no Dask scheduler.

    distributed itself would hang on a server that never speaks (a web server waits for
    the client), and run out of memory on one that speaks another protocol: a Dask
    scheduler speaks first, and its TCP messages start with their length as eight bytes.
    """
    from distributed.comm import registry
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location)
    except ValueError as exc:
        raise SchedulerError(
            f"{address!r} is not a Dask scheduler address (such as tcp://10.0.0.5:8786): {exc}"
        ) from None
    if scheme not in registry.backends:
        raise SchedulerError(
            f"{address!r} is not a Dask scheduler address: unknown scheme {scheme!r}"
            f" (one of {', '.join(sorted(registry.backends))})"
        )
    if scheme != "tcp":
        return  # the other transports start with the client's handshake (TLS) or are local
    try:
        with socket.create_connection((host, port), timeout=CONNECT_SECONDS) as probe:
            probe.settimeout(CONNECT_SECONDS)
            first = b""
            while len(first) < 8 and (more := probe.recv(8 - len(first))):
                first += more
    except TimeoutError:
        raise SchedulerError(
            f"the server at {address} does not answer as a Dask scheduler"
            f" (nothing in {CONNECT_SECONDS} s)"
        ) from None
    except OSError as exc:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {address}: {_error_line(exc)}"
        ) from None
    if len(first) < 8 or int.from_bytes(first, "little") > MAX_FIRST_MESSAGE:
        raise SchedulerError(f"the server at {address} is not a Dask scheduler")


class DaskExecutor:
    """Runs the pipeline's maps on the Dask cluster whose ``client`` (a
    ``distributed.Client``) it is given; see :meth:`connect`."""

    shares_files = False

    def __init__(self, client: Any) -> None:
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))
        logger.info("running on the Dask scheduler at %s, %d workers", client.scheduler.address,
                    self.workers)  # fmt: skip

    @classmethod
    @contextlib.contextmanager
    def connect(cls, address: str) -> Iterator[DaskExecutor]:
        """Yield a DaskExecutor on the scheduler at ``address``, closing the connection on
        leaving.  Raises SchedulerError when distributed is not installed, the scheduler
        does not answer or has no worker, or its workers run another version of briefing."""
        try:
            from distributed import Client
        except ImportError:
            raise SchedulerError(
                "running on Dask needs the dask extra: pip install 'briefing[dask]'"
            ) from None
        _check_address(address)
        try:
            client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {address}: {_error_line(exc)}"
            ) from exc
        try:
            cls._check_workers(client, address)
            yield cls(client)
        finally:
            client.close()

    @staticmethod
    def _check_workers(client: Any, address: str) -> None:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise SchedulerError(f"the Dask scheduler at {address} has no workers") from None
        try:
            theirs = client.submit(_version, pure=False).result(timeout=CONNECT_SECONDS)
        except Exception as exc:  # whatever stops a worker from running briefing at all
            raise SchedulerError(
                f"the Dask workers at {address} cannot run briefing ({_error_line(exc)}); "
                "install it on each worker"
            ) from exc
        ours = _version()
        if theirs != ours:
            raise SchedulerError(
                f"the Dask workers at {address} run briefing {theirs}, this is {ours}: "
                "install the same version on each, so that a brief is the same wherever it runs"
            )

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return self._run(function, items, None)

    def map_files(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        on_failure: Callable[[T, str], R],
        limits: FileLimits,
    ) -> Iterator[R]:
        return self._run(function, items, on_failure)

    def _batch_size(self, n: int) -> int:
        return max(1, min(MAX_BATCH, math.ceil(n / (self.workers * CHUNKS_PER_WORKER))))

    def _run(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        on_failure: Callable[[T, str], R] | None,
    ) -> Iterator[R]:
        """Yield the results of ``function`` over ``items`` in order, a few batches in
        flight at a time; with ``on_failure``, a failed item yields its result instead."""
        from distributed import as_completed

        size = self._batch_size(len(items))
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        pending: dict[Any, int] = {}
        done: dict[int, list[R]] = {}
        completed = as_completed(loop=self.client.loop)
        submitted = 0

        def submit_next() -> None:
            nonlocal submitted
            future = self.client.submit(
                _call_batch, batches[submitted], function, on_failure is not None, pure=False
            )
            pending[future] = submitted
            completed.add(future)
            submitted += 1

        while submitted < len(batches) and submitted < self.workers * IN_FLIGHT_PER_WORKER:
            submit_next()
        next_out = 0
        for future in completed:
            index = pending.pop(future)
            done[index] = self._results(future, function, batches[index], on_failure)
            future.release()
            if submitted < len(batches):
                submit_next()
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1

    def _results(
        self,
        future: Any,
        function: Callable[[T], R],
        batch: Sequence[T],
        on_failure: Callable[[T, str], R] | None,
    ) -> list[R]:
        """The results of one finished batch; a batch that failed as a whole (its worker
        died) is retried item by item, so that only the item that kills a worker fails."""
        from distributed import KilledWorker

        error = future.exception()  # waits for the batch to end, in success or failure
        if error is None:
            answers = future.result()
            if on_failure is None:
                return [value for _, value in answers]
            return [
                value if ok else on_failure(item, value)
                for item, (ok, value) in zip(batch, answers, strict=True)
            ]
        if on_failure is None:
            if isinstance(error, KilledWorker):
                raise SchedulerError(f"the Dask cluster lost its workers ({_error_line(error)})")
            raise error
        if len(batch) == 1:
            return [
                on_failure(batch[0], f"its reader stopped a Dask worker ({_error_line(error)})")
            ]
        # One at a time, so that a file that kills its worker takes no other file with it.
        logger.warning("a Dask batch of %d files failed; retrying each alone", len(batch))
        results: list[R] = []
        for item in batch:
            alone = self.client.submit(_call_batch, [item], function, True, pure=False)
            results.extend(self._results(alone, function, [item], on_failure))
        return results
