"""Rank sentences: score each sentence of an article by how much it belongs in a summary.

Every ranker satisfies :class:`Ranker`: it takes the article's sentences (already split, in
document order) and an optional title, and returns one finite float per sentence, aligned
with the input, higher meaning more important.  ``RANKERS`` maps each method name to a
factory; :func:`get_ranker` looks one up and :func:`select` picks the best ``k``.

The families:

* ``default``: our own vectorised, news-tuned ranker (:class:`DefaultRanker`): the best
  lead sentences among the article's central ones first, then the rest by graph
  centrality, with penalties for sentences that make poor summary lines.
* ``lead``: the classic Lead-N baseline.
* sumy's summarizers and their vectorised equivalents (``lexrank``, ``lexrank-fast``,
  ``kl-fast`` ...), which live in :mod:`briefing.sumy_rankers`, imported (with sumy and
  nltk) when one of them is first asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Protocol

import numpy as np

from .errors import UnknownMethodError
from .matrices import finite_scores, one_blas_thread
from .nltk_import import import_nltk
from .registry import create
from .words import OPENING_QUOTES, stop_words, tokenize_words

logger = logging.getLogger(__name__)

# Sentence similarities: a dense ndarray for an article, a scipy sparse matrix for a long
# document.
Graph = Any

__all__ = [
    "RANKERS",
    "DefaultRanker",
    "LeadRanker",
    "Ranker",
    "get_ranker",
    "rank_sentences",
    "select",
]


class Ranker(Protocol):
    """Anything that scores an article's sentences."""

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return one float per sentence (an ndarray aligned with ``sentences``)."""
        ...


# --------------------------------------------------------------------------------------
# Lead-N
# --------------------------------------------------------------------------------------


class LeadRanker:
    """Lead-N: the earlier the sentence, the higher its score (``1 / (1 + index)``)."""

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return ``1 / (1 + i)`` for sentence ``i`` (an ndarray; ``title`` is ignored)."""
        return 1.0 / (1.0 + np.arange(len(sentences), dtype=float))


# --------------------------------------------------------------------------------------
# Numeric building blocks of the default ranker
# --------------------------------------------------------------------------------------


def _counts(
    rows: np.ndarray, ids: np.ndarray, n_terms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the distinct (row, term) pairs of the token ``ids`` in ``rows``, with counts."""
    width = max(1, n_terms)
    keys, counts = np.unique(rows * width + ids, return_counts=True)
    return keys // width, keys % width, counts.astype(float)


def _cosine(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> Graph:
    """Return the cosine-similarity matrix (diagonal 0) of the rows of a sparse matrix.

    The matrix is given by its entries (``rows``, ``cols``, ``values``; unique) and its
    ``shape``.  A small article is multiplied densely and its similarities returned dense
    (no sparse overhead per call); a long document's are returned sparse, as few of its
    sentences share a word (one in twenty pairs of a 1,000-sentence one).
    """
    n, n_terms = shape
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
    norms[norms == 0] = 1.0
    unit = values / norms[rows]
    if n * n_terms <= 250_000:
        dense = np.zeros(shape)
        dense[rows, cols] = unit
        sim = dense @ dense.T
        np.fill_diagonal(sim, 0.0)
        return sim
    import scipy.sparse as sp  # only for a long document: its import costs 0.07 s

    matrix = sp.csr_matrix((unit, (rows, cols)), shape=shape)
    product = (matrix @ matrix.T).tocsr()
    product.setdiag(0.0)
    product.eliminate_zeros()
    return product


def _row_sums(graph: Graph, *, after: bool = False) -> np.ndarray:
    """Return each row's total (an ndarray) of ``graph``, or with ``after`` only the part
    right of its diagonal (a sentence's similarity to the sentences after it)."""
    if isinstance(graph, np.ndarray):
        return (np.triu(graph, k=1) if after else graph).sum(axis=1)
    import scipy.sparse as sp

    return np.asarray((sp.triu(graph, k=1) if after else graph).sum(axis=1)).ravel()


def _scale_to_max(values: np.ndarray) -> np.ndarray:
    """Return ``values`` divided by their maximum (all 0 when the maximum is not positive)."""
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


# Up to this many sentences PageRank is one direct solve; beyond, power iteration is faster.
DIRECT_SOLVE_MAX = 300
PAGERANK_MAX_STEPS = 100
PAGERANK_TOLERANCE = 1e-6


def _pagerank(sim: Graph, damping: float) -> np.ndarray:
    """Return the PageRank (ndarray, mean about 1) of the weighted graph ``sim`` (dense or
    sparse, and symmetric, as cosine similarities are).

    Each row is normalised by its total weight and a random jump lands on any sentence
    with probability ``1 - damping``; the scores solve ``p = (1 - d) + d * W.T @ p``: for
    an article directly (one linear solve), for a long document by power iteration.  A
    sentence with no edges passes nothing on, as in the usual TextRank implementations.
    """
    n = sim.shape[0]
    if n == 0:
        return np.zeros(0)
    if n <= DIRECT_SOLVE_MAX:
        dense = sim if isinstance(sim, np.ndarray) else sim.toarray()
        walk = dense / (dense.sum(axis=1, keepdims=True) + 1e-9)
        return np.linalg.solve(np.eye(n) - damping * walk.T, np.full(n, 1.0 - damping))
    # A long document: power iteration, each step one matrix-vector product.  The graph is
    # symmetric, so W.T @ p is sim @ (p / row sums): no normalised or transposed copy of it.
    inverse = 1.0 / (_row_sums(sim) + 1e-9)
    scores = np.ones(n)
    for _ in range(PAGERANK_MAX_STEPS):
        updated = (1.0 - damping) + damping * (sim @ (scores * inverse))
        if np.abs(updated - scores).max() < PAGERANK_TOLERANCE:
            return updated
        scores = updated
    return scores


# --------------------------------------------------------------------------------------
# The default ranker
# --------------------------------------------------------------------------------------

# Sentences that make poor summary lines whatever their content: phrases of page furniture
# (found with str.find, much faster than one big case-insensitive regex over a batch) ...
_BOILERPLATE_PHRASES: tuple[str, ...] = (
    "scroll down",
    "click here",
    "for more news",
    "for more information",
    "read more",
    "follow us",
    "follow @",
    "subscribe",
    "sign up",
    "newsletter",
    "all rights reserved",
    "copyright",
    "updated :",
    "updated:",
    "published :",
    "published:",
    "daily mail reporter",
)
# ... and openings: a bare "by ." byline or a caption label.
_BOILERPLATE_START = re.compile(
    r"^[ \t]*(?:by[ \t]*\.|\(?[ \t]*(?:photo|picture|image|video|watch|pictured|caption)\b)",
    re.MULTILINE,
)
# A dateline or byline left at the head of a sentence: "LONDON (Reuters) -", "By Jane Doe".
_LEFT_DATELINE = re.compile(
    r"^[ \t]*(?:by[ \t]+[A-Za-z.' ]{2,40}(?:\.|,|$)"
    r"|[A-Z][A-Z .,'-]{2,30}[ \t]*(?:\(|—|–|-{1,2}\s))",
    re.MULTILINE,
)
_QUOTE_START = re.compile(rf"^[ \t]*[{OPENING_QUOTES}]", re.MULTILINE)


def _matching(
    pattern: re.Pattern[str], sentences: Sequence[str], starts: np.ndarray, text: str
) -> np.ndarray:
    """Return a boolean ndarray: which ``sentences`` (joined in ``text``) ``pattern`` hits."""
    flags = np.zeros(len(sentences), dtype=bool)
    hits = [m.start() for m in pattern.finditer(text)]
    if hits:
        flags[np.searchsorted(starts, np.asarray(hits), side="right") - 1] = True
    return flags


def _boilerplate(lowered: str, starts: np.ndarray, n: int) -> np.ndarray:
    """Return a boolean ndarray: which of the ``n`` lines of ``lowered`` are page furniture."""
    hits = [m.start() for m in _BOILERPLATE_START.finditer(lowered)]
    for phrase in _BOILERPLATE_PHRASES:
        at = lowered.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            # Whole words only: "subscribe" but not "subscribers".
            before_ok = at == 0 or not lowered[at - 1].isalnum()
            after_ok = end >= len(lowered) or not lowered[end].isalnum() or phrase[-1] in ":@"
            if before_ok and after_ok:
                hits.append(at)
            at = lowered.find(phrase, end)
    flags = np.zeros(n, dtype=bool)
    if hits:
        flags[np.searchsorted(starts, np.asarray(hits), side="right") - 1] = True
    return flags


def quality_flags(sentences: Sequence[str], n_words: np.ndarray) -> dict[str, np.ndarray]:
    """Return named boolean ndarrays marking poor summary lines among ``sentences`` (str).

    ``n_words`` holds each sentence's word count.  The flags: ``question``, ``boilerplate``
    (bylines, "updated :", "scroll down for video" ...), ``dateline``, ``quote`` (a sentence
    that opens with a quotation mark) and ``short`` (fewer than 8 words).  The patterns run
    once over all sentences joined by newlines.
    """
    lines = [s.replace("\n", " ") for s in sentences]
    text = "\n".join(lines)
    sizes = np.fromiter((len(s) + 1 for s in lines), dtype=np.int64, count=len(lines))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if lines else np.zeros(0)
    question = np.array([s.rstrip().endswith("?") for s in lines], dtype=bool)
    return {
        "question": question,
        "boilerplate": _boilerplate(text.lower(), starts, len(lines)),
        "dateline": _matching(_LEFT_DATELINE, lines, starts, text),
        "quote": _matching(_QUOTE_START, lines, starts, text),
        "short": n_words < 8,
    }


class DefaultRanker:
    """Our news ranker: a centrality-gated lead, then the most central sentences.

    Two scores are computed for each sentence ``i`` of an article::

        lead       = 1 / (1 + i) + forward * F_i
                     - length * |ln(words_i / target_words)| - penalties
        centrality = C_i - penalties

    ``C_i`` is the sentence's PageRank in the article's cosine-similarity graph (TF vectors
    of its lower-cased content words, unstemmed), ``F_i`` its TF-IDF similarity to the
    sentences after it (PacSum's forward centrality), both scaled to [0, 1] within the
    article; the penalties mark questions, bylines and page furniture, datelines, opening
    quotes and fragments (see :func:`quality_flags`).

    News puts the story first, so the ``lead_size`` sentences with the best lead score
    open the ranking.  But the least central sentences of the article (by ``C``, all but
    the ``gate`` share) may not take a lead place: an opening that nothing else in the
    article takes up (a scene, a teaser, a quote) gives way to the next sentence.  All
    other sentences follow by centrality.  So a short summary is the article's best lead
    sentences, and a longer one adds the sentences that most of the article is about.
    Scores fall in that order, so the top ``k`` by score are the pick for any ``k``.

    The weights were chosen on all CNN/DailyMail validation articles, counting its three
    kinds of article apart (Daily Mail sport, the rest of the Daily Mail, CNN), so that the
    ranker beats Lead-3 on each and in every fold (see benchmarks/rouge.py).  A stricter gate
    (0.55) suits the BBC News Summary set, whose references behave like the output of a
    centrality summarizer, but loses to Lead-3 on Daily Mail news.  The title is not used:
    a weight on the sentence's similarity to it changed no figure on BBC (the one titled
    set) or on the DUC 2006 topics' headlines.
    """

    DEFAULT_PENALTIES: ClassVar[dict[str, float]] = {
        "question": 0.3,
        "boilerplate": 0.5,
        "dateline": 0.3,
        "quote": 0.1,
        "short": 0.3,
    }

    def __init__(
        self,
        *,
        lead_size: int = 3,
        gate: float = 0.8,
        forward: float = 0.15,
        length: float = 0.15,
        target_words: float = 15.0,
        damping: float = 0.85,
        penalties: dict[str, float] | None = None,
    ) -> None:
        self.lead_size = lead_size
        self.gate = gate
        self.forward = forward
        self.length = length
        self.target_words = target_words
        self.damping = damping
        self.penalties = dict(self.DEFAULT_PENALTIES)
        if penalties:
            unknown = set(penalties) - set(self.DEFAULT_PENALTIES)
            if unknown:
                raise ValueError(f"unknown penalties: {sorted(unknown)}")
            self.penalties.update(penalties)

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return the scores of one article's ``sentences`` (an ndarray aligned with them;
        ``title`` is ignored)."""
        n = len(sentences)
        if n == 0:
            return np.zeros(0)
        with one_blas_thread():
            feats = self.features(sentences)
            scores = self.combine(feats)
        logger.debug("scored %d sentences", n)
        return finite_scores(scores, n)

    def features(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the per-sentence features (ndarrays) of one article's ``sentences`` (str).

        The dict holds ``position``, ``centrality``, ``forward``, ``n_words``
        and the quality flags of :func:`quality_flags`.
        """
        n = len(sentences)
        words = [tokenize_words(s.lower()) for s in sentences]
        n_words = np.fromiter((len(w) for w in words), dtype=float, count=n)
        stops = stop_words()
        content = [[w for w in ws if w not in stops] for ws in words]
        vocab: dict[str, int] = {}
        ids = np.fromiter(
            (vocab.setdefault(w, len(vocab)) for ws in content for w in ws), dtype=np.int64
        )
        row_of = np.repeat(np.arange(n), [len(ws) for ws in content])
        # All three on surface words: stemming merges words that the story uses apart
        # ("lead" the verb, "leader" the person); it made centrality worse on both data
        # sets and gained nothing elsewhere, at a third of the ranker's time.
        n_terms = max(1, len(vocab))
        rows, cols, counts = _counts(row_of, ids, n_terms)
        graph = _cosine(rows, cols, counts, (n, n_terms))
        centrality = _scale_to_max(_pagerank(graph, self.damping))
        # TF-IDF with a sublinear TF and a smoothed IDF over the article's sentences.
        idf = np.log((1.0 + n) / (1.0 + np.bincount(cols, minlength=n_terms))) + 1.0
        sim = _cosine(rows, cols, np.log1p(counts) * idf[cols], (n, n_terms))
        forward = _scale_to_max(_row_sums(sim, after=True))
        return {
            "position": np.arange(n, dtype=float),
            "centrality": centrality,
            "forward": forward,
            "n_words": n_words,
            **quality_flags(sentences, n_words),
        }

    def _penalty(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        total = np.zeros(len(feats["position"]))
        for name, weight in self.penalties.items():
            total = total + weight * feats[name]
        return total

    def lead_scores(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        """Return the lead score (ndarray) of every sentence described by ``feats``."""
        size = np.abs(np.log(np.maximum(feats["n_words"], 1.0) / self.target_words))
        return (
            1.0 / (1.0 + feats["position"])
            + self.forward * feats["forward"]
            - self.length * size
            - self._penalty(feats)
        )

    def combine(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        """Return the final scores (ndarray) of the sentences described by ``feats``.

        The lead places go to the ``lead_size`` best lead scores among the sentences in
        the central ``gate`` share; they are lifted above every other sentence, which
        keeps its centrality score.
        """
        n = len(feats["position"])
        if n == 0:
            return np.zeros(0)
        centrality = feats["centrality"] - self._penalty(feats)
        # Rank by centrality, ties to the earlier sentence; the top ceil(gate * n) pass.
        central_rank = np.empty(n, dtype=int)
        central_rank[np.lexsort((feats["position"], -feats["centrality"]))] = np.arange(n)
        passes = central_rank < int(np.ceil(self.gate * n))
        lead = np.where(passes, self.lead_scores(feats), -np.inf)
        order = np.lexsort((feats["position"], -lead))[: self.lead_size]
        top = order[np.isfinite(lead[order])]
        scores = centrality.copy()
        if top.size:
            # The lowest lead place lands 1 above the best centrality score.
            scores[top] = lead[top] - lead[top].min() + centrality.max() + 1.0
        return scores


# --------------------------------------------------------------------------------------
# Registry and helpers
# --------------------------------------------------------------------------------------


class _SumyRanker:
    """A factory of the ranker class ``name`` of :mod:`briefing.sumy_rankers`, which imports
    that module (and sumy, and nltk) when first called, or asked for its description,
    rather than with this one."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _class(self) -> type:
        ranker_class: type = getattr(import_nltk(f"{__package__}.sumy_rankers"), self.name)
        return ranker_class

    def __call__(self) -> Ranker:
        ranker: Ranker = self._class()()
        return ranker

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]  # the class's, for ``methods``
        return self._class().__doc__


RANKERS: dict[str, Callable[[], Ranker]] = {
    "default": DefaultRanker,
    "lead": LeadRanker,
    "lexrank": _SumyRanker("LexRankRanker"),
    "lexrank-fast": _SumyRanker("FastLexRankRanker"),
    "textrank": _SumyRanker("TextRankRanker"),
    "textrank-fast": _SumyRanker("FastTextRankRanker"),
    "kl-fast": _SumyRanker("FastKLRanker"),
    "lsa": _SumyRanker("LsaRanker"),
    "luhn": _SumyRanker("LuhnRanker"),
    "edmundson": _SumyRanker("EdmundsonRanker"),
    "sumbasic": _SumyRanker("SumBasicRanker"),
    "kl": _SumyRanker("KLRanker"),
    "reduction": _SumyRanker("ReductionRanker"),
}


def get_ranker(method: str = "default") -> Ranker:
    """Return a new ranker for ``method`` (a name in ``RANKERS``).

    Raises :class:`~briefing.errors.UnknownMethodError` naming the valid methods.
    """
    return create(RANKERS, method, UnknownMethodError, "ranking method")


def rank_sentences(
    sentences: Sequence[str], *, title: str | None = None, method: str = "default"
) -> np.ndarray:
    """Return the ``method`` scores (an ndarray aligned with ``sentences``, a list of str)."""
    scores = get_ranker(method).score(sentences, title=title)  # finite: every ranker's are
    logger.debug("ranked %d sentences with %s", len(sentences), method)
    return scores


def select(scores: Sequence[float] | np.ndarray, k: int) -> list[int]:
    """Return the indices (list of int) of the ``k`` best ``scores``, in document order.

    Ties go to the earlier sentence; ``k`` larger than the number of scores returns all.
    """
    arr = np.asarray(scores, dtype=float).reshape(-1)
    if k <= 0 or arr.size == 0:
        return []
    # A stable sort on the negated scores keeps earlier sentences first among equals.
    order = np.argsort(-arr, kind="stable")[:k]
    return sorted(int(i) for i in order)
