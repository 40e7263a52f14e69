"""Average-linkage clustering of unit vectors, cut where clusters stop being similar enough.

Up to ``DENSE_MAX`` rows every pair is compared and scipy clusters the dense distances.
Beyond that an all-pairs matrix costs the square of the rows in time and memory (50,000
rows: 20 GB), so only candidate pairs are scored: rows that share a term rare enough that
its pairs fit in ``PAIR_BUDGET``, each pair's similarity then computed exactly on all
terms.  Pairs never scored count as dissimilar (similarity 0), and the same average
linkage runs over the sparse graph of the others: by scipy over the condensed distances
of a group of rows where they fit in ``CONDENSED_CELLS``, else over the graph itself.  A
term that most rows hold separates nothing, so leaving it out of the candidates loses little.
"""

from __future__ import annotations

import heapq
import logging

import numpy as np
import scipy.sparse as sp

logger = logging.getLogger(__name__)

#: Up to this many rows, every pair is compared (a dense matrix of 72 MB at most).
DENSE_MAX = 3000
#: A group of rows linked by candidate pairs is clustered by scipy, over its condensed
#: distances (unscored pairs at distance 1), when they are at most this many (256 MB, which
#: scipy copies once; a Python graph of the same group's pairs takes as much, ten times slower).
CONDENSED_CELLS = 32_000_000
#: At most this many (row, row) products through shared candidate terms.
PAIR_BUDGET = 20_000_000
#: Candidate pairs less similar than this are dropped before clustering.
MIN_LINK = 0.03
#: The common terms' share of a candidate pair's cosine is added for this many of them.
MAX_COMMON = 512
#: Candidate pairs are scored this many at a time.
PAIR_CHUNK = 50_000
#: A block of rows and its partners make a product of at most this many cells (64 MB) ...
PRODUCT_CELLS = 16_000_000
#: ... computed by one matrix product when it has at most this many cells per pair: a cell
#: of a product costs a fraction of reading a pair's two rows.
PRODUCT_ADVANTAGE = 8


def average_linkage(vectors: sp.csr_matrix, threshold: float) -> np.ndarray:
    """Return a cluster label (int array) for each row of ``vectors`` (L2-normalised,
    non-negative): average-linkage clusters whose members are, on average, at least
    ``threshold`` similar (cosine)."""
    rows = vectors.shape[0]
    if rows <= DENSE_MAX:
        return _dense_average_linkage(vectors, threshold)
    similar = candidate_similarities(vectors, MIN_LINK).tocsr()
    # Two clusters merge only if some pair across them is ``threshold`` similar, so no
    # cluster spans two components of the graph of such pairs: each is clustered alone.
    strong = similar.multiply(similar >= threshold)
    from scipy.sparse.csgraph import connected_components  # 0.04 s to import: only if needed

    _, component = connected_components(strong, directed=False)
    labels = np.empty(rows, dtype=np.int64)
    used = 0
    members = np.argsort(component, kind="stable")
    for group in np.split(members, np.flatnonzero(np.diff(component[members])) + 1):
        if len(group) <= DENSE_MAX:
            local = _dense_average_linkage(vectors[group], threshold)
        elif len(group) * (len(group) - 1) // 2 <= CONDENSED_CELLS:
            local = _condensed_average_linkage(similar[group][:, group].tocoo(), threshold)
        else:
            local = _sparse_average_linkage(similar[group][:, group].tocoo(), threshold)
        distinct, inverse = np.unique(local, return_inverse=True)
        labels[group] = used + inverse
        used += len(distinct)
    return labels


def _dense_average_linkage(vectors: sp.csr_matrix, threshold: float) -> np.ndarray:
    rows = vectors.shape[0]
    if rows < 2:
        return np.zeros(rows, dtype=np.int64)
    similarity = (vectors @ vectors.T).toarray()
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    return _cut(distance[np.triu_indices(rows, k=1)], threshold)


def _condensed_average_linkage(similar: sp.coo_matrix, threshold: float) -> np.ndarray:
    """Average linkage over a sparse graph of pair similarities (missing pairs are 0), as
    :func:`_sparse_average_linkage` computes it, by scipy over the condensed distances."""
    rows = similar.shape[0]
    first = np.minimum(similar.row, similar.col).astype(np.int64)
    second = np.maximum(similar.row, similar.col).astype(np.int64)
    distance = np.ones(rows * (rows - 1) // 2)
    distance[rows * first - first * (first + 1) // 2 + (second - first - 1)] = np.clip(
        1.0 - similar.data, 0.0, 1.0
    )
    return _cut(distance, threshold)


def _cut(distance: np.ndarray, threshold: float) -> np.ndarray:
    """Return the average-linkage clusters (a label per row) of condensed ``distance``s,
    cut where the average similarity of two clusters falls below ``threshold``."""
    from scipy.cluster.hierarchy import fcluster, linkage  # 0.1 s to import: only when needed

    tree = linkage(distance, method="average")
    return fcluster(tree, t=1.0 - threshold, criterion="distance")


def _rare_terms(df: np.ndarray) -> np.ndarray:
    """Return the columns (a bool mask) that pick candidate pairs: the rarest terms held by
    two rows or more, as many as keep the pairs they make within PAIR_BUDGET."""
    order = np.argsort(df, kind="stable")
    pairs = np.cumsum(df[order] * (df[order] - 1) // 2)
    rare = np.zeros(len(df), dtype=bool)
    rare[order[pairs <= PAIR_BUDGET]] = True
    return rare & (df > 1)


def candidate_similarities(vectors: sp.csr_matrix, floor: float) -> sp.coo_matrix:
    """Return the cosine of each candidate pair (i < j) of rows, as a sparse matrix holding
    only the pairs at least ``floor`` similar.

    The rare terms' share of a pair's cosine comes from their sparse product; the common
    terms' share (the MAX_COMMON commonest of them) is added from a dense block.
    """
    df = np.bincount(vectors.indices, minlength=vectors.shape[1]).astype(np.int64)
    rare = _rare_terms(df)
    blocked = vectors[:, np.flatnonzero(rare)]
    similar = sp.triu(blocked @ blocked.T, k=1).tocsr()
    rows = vectors.shape[0]
    first = np.repeat(np.arange(rows), np.diff(similar.indptr))
    second, scores = similar.indices, similar.data.copy()
    common = np.flatnonzero(~rare & (df > 1))
    common = common[np.argsort(-df[common], kind="stable")[:MAX_COMMON]]
    if len(common):
        dense = vectors[:, common].toarray().astype(np.float32)
        _add_common(scores, first, second, similar.indptr, dense)
    keep = scores >= floor
    logger.info(
        "scored %d candidate pairs of %d rows (%d rare terms, %d common), %d similar",
        len(first), vectors.shape[0], int(rare.sum()), len(common), int(keep.sum()),
    )  # fmt: skip
    shape = (vectors.shape[0], vectors.shape[0])
    return sp.coo_matrix((scores[keep], (first[keep], second[keep])), shape=shape)


def _add_common(
    scores: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    indptr: np.ndarray,
    dense: np.ndarray,
) -> None:
    """Add to each pair's score the dot product of its rows of ``dense`` (the common terms),
    a block of rows at a time: by one matrix product with the block's partners where they
    are few enough for it to cost less than reading the two rows of every pair."""
    rows = dense.shape[0]
    block = max(1, PRODUCT_CELLS // rows)
    for start in range(0, rows, block):
        stop = min(rows, start + block)
        lo, hi = int(indptr[start]), int(indptr[stop])
        if lo == hi:
            continue
        partners, where = np.unique(second[lo:hi], return_inverse=True)
        if (stop - start) * len(partners) <= PRODUCT_ADVANTAGE * (hi - lo):
            products = dense[start:stop] @ dense[partners].T
            scores[lo:hi] += products[first[lo:hi] - start, where]
            continue
        for at in range(lo, hi, PAIR_CHUNK):
            part = slice(at, min(hi, at + PAIR_CHUNK))
            scores[part] += np.einsum("ij,ij->i", dense[first[part]], dense[second[part]])


def _sparse_average_linkage(similar: sp.coo_matrix, threshold: float) -> np.ndarray:
    """Average linkage over a sparse graph of pair similarities (missing pairs are 0):
    repeatedly merge the two clusters of highest average similarity while it is at least
    ``threshold``.  Returns a label per row."""
    rows = similar.shape[0]
    pairs = list(
        zip(similar.row.tolist(), similar.col.tolist(), similar.data.tolist(), strict=True)
    )
    links: list[dict[int, float]] = [{} for _ in range(rows)]  # summed similarity
    for i, j, score in pairs:
        links[i][j] = links[j][i] = score
    size = [1] * rows
    heap = [(-score, i, j) for i, j, score in pairs if score >= threshold]
    heapq.heapify(heap)
    label = list(range(rows))
    while heap:
        negative, i, j = heapq.heappop(heap)
        if label[i] != i or label[j] != j or j not in links[i]:
            continue
        if links[i][j] / (size[i] * size[j]) != -negative:
            continue  # a pair whose average changed since it was pushed
        keep, gone = (i, j) if len(links[i]) >= len(links[j]) else (j, i)
        label[gone] = keep
        for other, total in links[gone].items():
            if other != keep:
                del links[other][gone]
                links[keep][other] = links[other][keep] = links[keep].get(other, 0.0) + total
        del links[keep][gone]
        links[gone] = {}
        size[keep] += size[gone]
        for other, total in links[keep].items():
            average = total / (size[keep] * size[other])
            if average >= threshold:
                heapq.heappush(heap, (-average, min(keep, other), max(keep, other)))

    def root(i: int) -> int:
        while label[i] != i:
            label[i] = label[label[i]]
            i = label[i]
        return i

    return np.asarray([root(i) for i in range(rows)])
