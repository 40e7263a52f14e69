"""Numeric helpers shared by the rankers: finite score arrays and single-threaded BLAS."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

logger = logging.getLogger(__name__)

__all__ = ["finite_scores", "one_blas_thread"]


def finite_scores(scores: Iterable[float] | np.ndarray, n: int) -> np.ndarray:
    """Return ``scores`` as a float ndarray of length ``n`` with NaN/inf replaced by 0."""
    arr = np.asarray(scores, dtype=float).reshape(-1)
    if arr.shape[0] != n:
        raise ValueError(f"ranker returned {arr.shape[0]} scores for {n} sentences")
    return np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Run the block with BLAS on one thread: an article's matrices are so small that
    BLAS threads spend more CPU waiting for each other than computing (3x the CPU time)."""
    return _blas().limit(limits=1, user_api="blas")
