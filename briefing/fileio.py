"""Write files atomically: an existing file is either replaced whole or left untouched.

Every file briefing writes (the brief, its Markdown or JSON, the .eml of a dry run, the
sent ledger) goes through ``write_atomically``: a temp file beside the target, fsynced,
renamed over it, and the folder fsynced, so that a kill or a full disk never leaves a
half-written file where the user's was.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from .errors import OutputError

logger = logging.getLogger(__name__)


def _new_file_mode(path: Path) -> int:
    """Return the permission bits for ``path``: its current ones, else 0o666 minus umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def prepare_output(path: Path) -> None:
    """Make sure ``path`` (a Path) can be written before the work that fills it: create its
    folder and the folders above it, and refuse a file the user made read-only.  Raises
    OutputError naming what is in the way."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        clash = next((p for p in (folder, *folder.parents) if p.is_file()), None)
        if clash is not None:
            raise OutputError(f"cannot create the folder {folder}: {clash} is a file") from exc
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    refuse_read_only(path)


def refuse_read_only(path: Path) -> None:
    """Raise OutputError when ``path`` is a file its owner made read-only: it is theirs to
    keep, and replacing it by a rename would not ask."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # not there yet, or not ours to inspect: the write itself says
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {path}: it is read-only (make it writable to replace it)")


def write_atomically(path: Path, write: Callable[[IO[bytes]], Any]) -> Path:
    """Call ``write`` on a temp file beside ``path`` (a Path), then move it over ``path``.

    Returns ``path``.  On failure the temp file is removed and an existing ``path`` is left
    as it was; an OSError becomes an OutputError naming ``path``, and so does a ``path`` made
    read-only (``refuse_read_only``).
    """
    refuse_read_only(path)
    _remove_stale_temp_files(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _new_file_mode(path))
        os.replace(temp, path)
        _sync_folder(path.parent)
    except BaseException as exc:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove temporary file %s", temp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    return path


# A temp file of an earlier write this old was left by a run that was killed mid-write.
STALE_TEMP_SECONDS = 600


def _remove_stale_temp_files(path: Path) -> None:
    """Remove the temp files that killed writes of ``path`` left beside it."""
    now = time.time()
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - stale.stat().st_mtime > STALE_TEMP_SECONDS:
                stale.unlink()
                logger.info("removed %s, left by an interrupted write", stale)


def _sync_folder(folder: Path) -> None:
    """Make the rename into ``folder`` durable: fsync the folder itself (where it can be)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_text_atomically(path: Path, text: str) -> Path:
    """Write ``text`` (str) to ``path`` (a Path) as UTF-8, atomically; return ``path``.

    Raises OutputError when the file cannot be written.
    """
    target = Path(path)
    data = text.encode("utf-8")
    write_atomically(target, lambda handle: handle.write(data))
    logger.info("wrote %s", target)
    return target
