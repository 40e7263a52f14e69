"""The lock that keeps two runs of the same output folder from building or sending at once."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import LockedError, OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".briefing.lock"


@contextlib.contextmanager
def run_lock(folder: Path) -> Iterator[Path]:
    """Hold the lock file ``.briefing.lock`` in ``folder`` (a Path) while the block runs.

    Yields the lock's Path.  Raises LockedError at once when another process holds it.
    The lock is released when the block ends or the process dies.
    """
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            _lock(fd)
        except OSError as exc:
            raise LockedError(f"another briefing run is in progress (lock {path})") from exc
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock(fd: int) -> None:
    """Take an exclusive lock on ``fd`` without waiting; raise OSError when it is held."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
