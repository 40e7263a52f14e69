"""Average-linkage story clustering: the sparse path for large folders agrees with the dense
one, and keeps average linkage's meaning (a cluster joins another only on average)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import scipy.sparse as sp

from briefing import cluster
from briefing.combine import SAME_STORY, _about, tfidf_rows
from briefing.models import Article


def unit_rows(*rows: list[float]) -> sp.csr_matrix:
    matrix = np.asarray(rows, dtype=float)
    return sp.csr_matrix(matrix / np.linalg.norm(matrix, axis=1, keepdims=True))


def same_partition(one: np.ndarray, other: np.ndarray) -> bool:
    pairs = {(a, b) for a, b in zip(one.tolist(), other.tolist(), strict=True)}
    return len(pairs) == len(set(one.tolist())) == len(set(other.tolist()))


@pytest.mark.parametrize("bridge", [0.0, 0.5])
def test_the_sparse_linkage_joins_a_third_row_only_when_the_average_says_so(bridge):
    # a-b 0.71; c is 0.63 like b but unlike a (0.0): single linkage would chain all three,
    # average linkage keeps c apart, (0.63 + 0.0) / 2 being under 0.4, unless c is bridged
    # to a too (then b-c 0.87, a-c 0.41).
    vectors = unit_rows([1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [bridge, 1.0, 0.5])
    dense = cluster._dense_average_linkage(vectors, 0.4)
    sparse = cluster._sparse_average_linkage(cluster.candidate_similarities(vectors, 0.0), 0.4)
    assert same_partition(dense, sparse)
    assert (len(set(sparse.tolist())) == 2) == (bridge == 0.0)


def test_the_sparse_path_groups_wire_stories_as_the_dense_one_does(shared, monkeypatch):
    lines = (shared / "data" / "multidoc_dev.jsonl").read_text(encoding="utf-8").splitlines()
    topics = [json.loads(line) for line in lines]
    picked = random.Random(7).sample(topics, 12)
    articles = [Article(title=d.get("headline") or "", text=d["text"])
                for topic in picked for d in topic["docs"]]  # fmt: skip
    vectors = tfidf_rows([_about(a) for a in articles])
    dense = cluster.average_linkage(vectors, SAME_STORY)
    monkeypatch.setattr(cluster, "DENSE_MAX", 20)
    sparse = cluster.average_linkage(vectors, SAME_STORY)
    together = lambda labels: labels[:, None] == labels[None, :]  # noqa: E731
    agree = np.mean(together(dense) == together(sparse))
    assert agree > 0.99, agree
    assert abs(len(set(dense.tolist())) - len(set(sparse.tolist()))) <= 2


def test_rows_that_share_only_terms_every_row_has_are_not_compared(monkeypatch):
    # 4,000 rows over the same 20 words: no term is rare, so no pair is a candidate, and the
    # folder costs what its rows cost, not their square.
    rng = np.random.default_rng(0)
    vectors = sp.csr_matrix(rng.random((4000, 20)))
    vectors = sp.csr_matrix(vectors / np.sqrt(vectors.multiply(vectors).sum(axis=1)))
    monkeypatch.setattr(cluster, "PAIR_BUDGET", 1000)
    assert cluster.candidate_similarities(vectors, 0.0).nnz == 0
    assert len(set(cluster.average_linkage(vectors, 0.5).tolist())) == 4000


@pytest.mark.parametrize("seed", range(5))
def test_scipy_over_condensed_distances_clusters_a_graph_as_the_graph_linkage_does(seed):
    # A sparse graph of 300 rows with clumps: unscored pairs count as similarity 0 in both.
    rng = np.random.default_rng(seed)
    rows, clumps = 300, rng.integers(0, 40, 300)
    first, second = np.triu_indices(rows, k=1)
    near = clumps[first] == clumps[second]
    keep = near | (rng.random(len(first)) < 0.01)
    scores = np.where(
        near[keep], rng.uniform(0.1, 0.9, keep.sum()), rng.uniform(0.03, 0.2, keep.sum())
    )
    graph = sp.coo_matrix((scores, (first[keep], second[keep])), shape=(rows, rows))
    condensed = cluster._condensed_average_linkage(graph, SAME_STORY)
    pure = cluster._sparse_average_linkage(graph, SAME_STORY)
    assert same_partition(condensed, pure)
    assert 20 < len(set(pure.tolist())) < rows  # clumps joined, not everything, not nothing


def test_a_large_group_of_candidate_pairs_is_clustered_over_the_graph_when_too_big(
    shared, monkeypatch
):
    lines = (shared / "data" / "multidoc_dev.jsonl").read_text(encoding="utf-8").splitlines()
    topics = [json.loads(line) for line in lines]
    articles = [Article(title="", text=d["text"])
                for topic in random.Random(3).sample(topics, 10) for d in topic["docs"]]  # fmt: skip
    vectors = tfidf_rows([_about(a) for a in articles])
    monkeypatch.setattr(cluster, "DENSE_MAX", 20)
    condensed = cluster.average_linkage(vectors, SAME_STORY)
    monkeypatch.setattr(cluster, "CONDENSED_CELLS", 100)
    graph = cluster.average_linkage(vectors, SAME_STORY)
    assert same_partition(condensed, graph)
    assert len(set(graph.tolist())) >= 10
