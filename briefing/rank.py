"""Rank sentences: score each sentence of an article by how much it belongs in a summary.

Every ranker satisfies :class:`Ranker`: it takes the article's sentences (already split, in
document order) and an optional title, and returns one finite float per sentence, aligned
with the input, higher meaning more important.  ``RANKERS`` maps each method name to a
factory; :func:`get_ranker` looks one up and :func:`select` picks the best ``k``.

Three families live here:

* ``default``: our own vectorised, news-tuned ranker (:class:`DefaultRanker`): the best
  lead sentences among the article's central ones first, then the rest by graph
  centrality, with penalties for sentences that make poor summary lines.
* ``lead``: the classic Lead-N baseline.
* sumy adapters (``lexrank``, ``textrank``, ``lsa``, ``luhn``, ``edmundson``, ``sumbasic``,
  ``kl``, ``reduction``): each of sumy's summarizers run on a document built from our
  sentences, with every sentence's rating read back in input order.
* ``lexrank-fast`` and ``textrank-fast``: sumy's LexRank and TextRank re-written with
  sparse matrices; they give the same scores (up to floating-point rounding) many times
  faster.  KL-Sum has no fast twin yet.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, ClassVar, Protocol

import numpy as np
import scipy.sparse as sp
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers._summarizer import AbstractSummarizer, SentenceInfo
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from threadpoolctl import ThreadpoolController

from .errors import UnknownMethodError
from .words import content_stems, stem, stop_words, tokenize_words

logger = logging.getLogger(__name__)

__all__ = [
    "RANKERS",
    "DefaultRanker",
    "EdmundsonRanker",
    "FastLexRankRanker",
    "FastTextRankRanker",
    "KLRanker",
    "LeadRanker",
    "LexRankRanker",
    "LsaRanker",
    "LuhnRanker",
    "Ranker",
    "ReductionRanker",
    "SumBasicRanker",
    "TextRankRanker",
    "get_ranker",
    "rank_sentences",
    "select",
]


class Ranker(Protocol):
    """Anything that scores an article's sentences."""

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return one float per sentence (an ndarray aligned with ``sentences``)."""
        ...


def _finite(scores: Iterable[float] | np.ndarray, n: int) -> np.ndarray:
    """Return ``scores`` as a float ndarray of length ``n`` with NaN/inf replaced by 0."""
    arr = np.asarray(scores, dtype=float).reshape(-1)
    if arr.shape[0] != n:
        raise ValueError(f"ranker returned {arr.shape[0]} scores for {n} sentences")
    return np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)


# --------------------------------------------------------------------------------------
# Lead-N
# --------------------------------------------------------------------------------------


class LeadRanker:
    """Lead-N: the earlier the sentence, the higher its score (``1 / (1 + index)``)."""

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return ``1 / (1 + i)`` for sentence ``i`` (an ndarray; ``title`` is ignored)."""
        return 1.0 / (1.0 + np.arange(len(sentences), dtype=float))


# --------------------------------------------------------------------------------------
# sumy adapters
# --------------------------------------------------------------------------------------


class _WordTokenizer:
    """The tokenizer sumy's document model asks for, backed by our regex (no Punkt data)."""

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(tokenize_words(text))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        # Sentences arrive already split; a paragraph's text is one sentence.
        text = text.strip()
        return (text,) if text else ()


class _NumberedSentence(SumySentence):
    """A sumy sentence that is equal only to itself, so duplicate texts keep their own rating.

    sumy keys ratings by sentence, and its sentences compare by text: two equal sentences
    would share one dict entry and lose their alignment with the input.
    """

    __slots__ = ("_number",)

    def __init__(self, text: str, tokenizer: Any, number: int, is_heading: bool = False) -> None:
        super().__init__(text, tokenizer, is_heading)
        self._number = number

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _NumberedSentence)
            and self._number == other._number
            and self._is_heading is other._is_heading
            and self._text == other._text
        )

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((self._number, self._is_heading, self._text))


def build_document(sentences: Sequence[str], title: str | None = None) -> ObjectDocumentModel:
    """Return a sumy ``ObjectDocumentModel`` of one paragraph holding ``sentences`` (str).

    The ``title`` (str or None) becomes the paragraph's heading, which is what sumy's
    Edmundson title and location methods read.
    """
    tokenizer = _WordTokenizer()
    items: list[SumySentence] = []
    if title and title.strip():
        items.append(_NumberedSentence(title, tokenizer, -1, is_heading=True))
    items.extend(_NumberedSentence(s, tokenizer, i) for i, s in enumerate(sentences))
    return ObjectDocumentModel([Paragraph(items)])


@lru_cache(maxsize=1)
def _sumy_stemmer() -> Stemmer:
    return Stemmer("english")


class _SumyRanker:
    """Base of the sumy adapters: run the summarizer and read back every sentence's rating."""

    summarizer_class: ClassVar[type[AbstractSummarizer]]

    def __init__(self, *, stop_words: Iterable[str] | None = None) -> None:
        self._stop_words = frozenset(stop_words) if stop_words is not None else None
        self._summarizer = self._build()

    def _build(self) -> AbstractSummarizer:
        summarizer = self.summarizer_class(_sumy_stemmer())
        # sumy takes its stop words as an attribute; it is set here, once, at construction.
        summarizer.stop_words = self._stop_words if self._stop_words is not None else stop_words()
        return summarizer

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return the summarizer's rating of each sentence (an ndarray aligned with input)."""
        n = len(sentences)
        scores = np.zeros(n)
        if n == 0:
            return scores
        document = build_document(sentences, title)
        stops = self._stop_words if self._stop_words is not None else stop_words()
        if not any(w.lower() not in stops for w in document.words):
            # Nothing to rate: sumy's frequency methods would divide by zero.
            return scores
        captured: list[SentenceInfo] = []

        def keep_all(infos: list[SentenceInfo]) -> list[SentenceInfo]:
            captured.extend(infos)
            return infos

        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # LSA warns when a document has fewer words than sentences; that is not an error.
            warnings.simplefilter("ignore")
            self._summarizer(document, keep_all)
        for info in captured:
            scores[info.order] = info.rating
        return _finite(scores, n)


class LexRankRanker(_SumyRanker):
    """sumy's LexRank (thresholded cosine graph, power method)."""

    summarizer_class = LexRankSummarizer


class TextRankRanker(_SumyRanker):
    """sumy's TextRank (word-overlap graph, damped PageRank)."""

    summarizer_class = TextRankSummarizer


class LsaRanker(_SumyRanker):
    """sumy's LSA (singular value decomposition of the term-sentence matrix)."""

    summarizer_class = LsaSummarizer


class LuhnRanker(_SumyRanker):
    """sumy's Luhn (clusters of significant words)."""

    summarizer_class = LuhnSummarizer


class SumBasicRanker(_SumyRanker):
    """sumy's SumBasic; the rating is minus the step at which a sentence is picked."""

    summarizer_class = SumBasicSummarizer


class KLRanker(_SumyRanker):
    """sumy's KL-Sum; the rating is minus the step at which a sentence is picked (slow)."""

    summarizer_class = KLSummarizer


class ReductionRanker(_SumyRanker):
    """sumy's Reduction (sum of word-overlap edge weights)."""

    summarizer_class = ReductionSummarizer


# Cue words for news: bonus words mark reported facts and decisions, stigma words mark page
# furniture and hedging, null words are the ones a title shares with everything.
NEWS_BONUS_WORDS: frozenset[str] = frozenset(
    [
        "said",
        "says",
        "announced",
        "agreed",
        "approved",
        "confirmed",
        "decided",
        "won",
        "killed",
        "arrested",
        "charged",
        "found",
        "reported",
        "launched",
        "signed",
        "rose",
        "fell",
        "increased",
        "decreased",
        "record",
        "first",
        "new",
        "officials",
        "police",
        "government",
        "president",
        "minister",
        "court",
        "deal",
        "plan",
        "will",
    ]
)
NEWS_STIGMA_WORDS: frozenset[str] = frozenset(
    [
        "click",
        "scroll",
        "video",
        "photo",
        "pictured",
        "caption",
        "subscribe",
        "newsletter",
        "advertisement",
        "read",
        "follow",
        "share",
        "comments",
        "copyright",
        "reserved",
        "updated",
        "published",
        "byline",
        "perhaps",
        "maybe",
        "might",
        "possibly",
        "reportedly",
        "allegedly",
    ]
)


class EdmundsonRanker(_SumyRanker):
    """sumy's Edmundson (cue, title and location methods) with news cue-word lists.

    The title, when given, is the document's heading; the null words default to the stop
    words, so only a title's content words count.
    """

    summarizer_class = EdmundsonSummarizer

    def __init__(
        self,
        *,
        stop_words: Iterable[str] | None = None,
        bonus_words: Iterable[str] = NEWS_BONUS_WORDS,
        stigma_words: Iterable[str] = NEWS_STIGMA_WORDS,
        null_words: Iterable[str] | None = None,
        cue_weight: float = 1.0,
        key_weight: float = 0.0,
        title_weight: float = 1.0,
        location_weight: float = 1.0,
    ) -> None:
        self._bonus_words = frozenset(bonus_words)
        self._stigma_words = frozenset(stigma_words)
        self._null_words = frozenset(null_words) if null_words is not None else None
        self._weights = (cue_weight, key_weight, title_weight, location_weight)
        super().__init__(stop_words=stop_words)

    def _build(self) -> AbstractSummarizer:
        cue, key, title, location = self._weights
        summarizer = EdmundsonSummarizer(
            _sumy_stemmer(),
            cue_weight=cue,
            key_weight=key,
            title_weight=title,
            location_weight=location,
        )
        # sumy's Edmundson takes its word lists as attributes only; they are set once, here.
        nulls = self._null_words
        if nulls is None:
            nulls = self._stop_words if self._stop_words is not None else stop_words()
        summarizer.bonus_words = self._bonus_words
        summarizer.stigma_words = self._stigma_words
        summarizer.null_words = nulls
        return summarizer


# --------------------------------------------------------------------------------------
# Sparse building blocks shared by the vectorised rankers
# --------------------------------------------------------------------------------------


def _terms(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Return the sentences x terms counts of ``token_lists`` as (rows, cols, counts, terms).

    The triples are unique and sorted by row, then column (ndarrays); ``terms`` is the size
    of the vocabulary.
    """
    vocab: dict[str, int] = {}
    cols = [vocab.setdefault(t, len(vocab)) for toks in token_lists for t in toks]
    n_terms = max(1, len(vocab))
    sizes = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    rows = np.repeat(np.arange(len(token_lists)), sizes)
    keys, counts = np.unique(rows * n_terms + np.asarray(cols, dtype=np.int64), return_counts=True)
    return keys // n_terms, keys % n_terms, counts.astype(float), n_terms


def _counts(
    rows: np.ndarray, ids: np.ndarray, n_terms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the distinct (row, term) pairs of the token ``ids`` in ``rows``, with counts."""
    width = max(1, n_terms)
    keys, counts = np.unique(rows * width + ids, return_counts=True)
    return keys // width, keys % width, counts.astype(float)


def _count_matrix(token_lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Return the sentences x terms CSR count matrix of ``token_lists`` (lists of str)."""
    rows, cols, counts, n_terms = _terms(token_lists)
    return sp.csr_matrix((counts, (rows, cols)), shape=(len(token_lists), n_terms))


def _cosine(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Return the dense cosine-similarity matrix (diagonal 0) of the rows of a sparse matrix.

    The matrix is given by its entries (``rows``, ``cols``, ``values``; unique) and its
    ``shape``.  A small article is multiplied densely (no sparse overhead per call), a long
    document sparsely.
    """
    n, n_terms = shape
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
    norms[norms == 0] = 1.0
    unit = values / norms[rows]
    if n * n_terms <= 250_000:
        dense = np.zeros(shape)
        dense[rows, cols] = unit
        sim = dense @ dense.T
    else:
        matrix = sp.csr_matrix((unit, (rows, cols)), shape=shape)
        sim = (matrix @ matrix.T).toarray()
    np.fill_diagonal(sim, 0.0)
    return sim


def _row_normalize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return ``matrix`` with each non-empty row scaled to unit L2 norm."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Run the block with BLAS on one thread: an article's matrices are so small that
    BLAS threads spend more CPU waiting for each other than computing (3x the CPU time)."""
    return _blas().limit(limits=1, user_api="blas")


def _scale_to_max(values: np.ndarray) -> np.ndarray:
    """Return ``values`` divided by their maximum (all 0 when the maximum is not positive)."""
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


# Up to this many sentences PageRank is one direct solve; beyond, power iteration is faster.
DIRECT_SOLVE_MAX = 300
PAGERANK_MAX_STEPS = 100
PAGERANK_TOLERANCE = 1e-6


def _pagerank(sim: np.ndarray, damping: float) -> np.ndarray:
    """Return the PageRank (ndarray, mean about 1) of the weighted graph ``sim`` (dense).

    Each row is normalised by its total weight and a random jump lands on any sentence
    with probability ``1 - damping``; the scores solve ``p = (1 - d) + d * W.T @ p``
    directly (one linear solve, no power iterations).  A sentence with no edges passes
    nothing on, as in the usual TextRank implementations.
    """
    n = sim.shape[0]
    if n == 0:
        return np.zeros(0)
    walk = sim / (sim.sum(axis=1, keepdims=True) + 1e-9)
    if n <= DIRECT_SOLVE_MAX:
        return np.linalg.solve(np.eye(n) - damping * walk.T, np.full(n, 1.0 - damping))
    # A long document: power iteration, each step one matrix-vector product.
    flow = walk.T.copy()
    scores = np.ones(n)
    for _ in range(PAGERANK_MAX_STEPS):
        updated = (1.0 - damping) + damping * (flow @ scores)
        if np.abs(updated - scores).max() < PAGERANK_TOLERANCE:
            return updated
        scores = updated
    return scores


# --------------------------------------------------------------------------------------
# Fast LexRank and TextRank (same scores as sumy's)
# --------------------------------------------------------------------------------------


class _FastSumyGraph:
    """Shared tokenisation of the fast sumy equivalents: sumy's stemmed content words."""

    def __init__(self, *, stop_words: Iterable[str] | None = None) -> None:
        self._stop_words = frozenset(stop_words) if stop_words is not None else None

    def _tokens(self, sentence: str) -> list[str]:
        if self._stop_words is None:
            return content_stems(sentence)
        words = (t.lower() for t in tokenize_words(sentence))
        return [stem(w) for w in words if w not in self._stop_words]

    def _counts(self, sentences: Sequence[str]) -> sp.csr_matrix:
        return _count_matrix([self._tokens(s) for s in sentences])


class FastLexRankRanker(_FastSumyGraph):
    """sumy's LexRank computed with sparse matrices: the same scores, many times faster.

    It reproduces sumy's choices exactly: max-normalised TF, ``log(n / (1 + df))`` IDF over
    the document's sentences, a 0.1 cosine threshold, a degree-normalised graph and the
    L2-normalised power method stopped when a step moves less than 0.1.
    """

    def __init__(
        self,
        *,
        stop_words: Iterable[str] | None = None,
        threshold: float = 0.1,
        epsilon: float = 0.1,
    ) -> None:
        super().__init__(stop_words=stop_words)
        self._threshold = threshold
        self._epsilon = epsilon

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return LexRank scores (an ndarray aligned with ``sentences``; title ignored)."""
        n = len(sentences)
        if n == 0:
            return np.zeros(0)
        counts = self._counts(sentences)
        if counts.nnz == 0:
            return np.zeros(n)
        max_tf = counts.max(axis=1).toarray().ravel()
        max_tf[max_tf == 0] = 1.0
        tf = sp.csr_matrix(sp.diags(1.0 / max_tf) @ counts)
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        idf = np.log(n / (1.0 + df))
        vectors = _row_normalize(sp.csr_matrix(tf @ sp.diags(idf)))
        cosine = (vectors @ vectors.T).toarray()
        adjacency = (cosine > self._threshold).astype(float)
        degrees = adjacency.sum(axis=1)
        degrees[degrees == 0] = 1.0
        matrix = adjacency / degrees[:, None]
        p = np.full(n, 1.0 / n)
        with np.errstate(all="ignore"):
            change = 1.0
            while change > self._epsilon:
                nxt = matrix.T @ p
                nxt /= np.linalg.norm(nxt)
                change = float(np.linalg.norm(nxt - p))
                p = nxt
        return _finite(p, n)


class FastTextRankRanker(_FastSumyGraph):
    """sumy's TextRank computed with sparse matrices: the same scores, many times faster.

    It reproduces sumy's choices exactly: edge weight = shared words (with multiplicity)
    over ``log |s1| + log |s2|`` (self-loops included), rows normalised, damping 0.85 with
    a uniform jump, and the power method stopped when a step moves less than 1e-4.
    """

    def __init__(
        self,
        *,
        stop_words: Iterable[str] | None = None,
        damping: float = 0.85,
        epsilon: float = 1e-4,
    ) -> None:
        super().__init__(stop_words=stop_words)
        self._damping = damping
        self._epsilon = epsilon

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return TextRank scores (an ndarray aligned with ``sentences``; title ignored)."""
        n = len(sentences)
        if n == 0:
            return np.zeros(0)
        counts = self._counts(sentences)
        shared = (counts @ counts.T).toarray()
        log_len = np.log(np.maximum(np.asarray(counts.sum(axis=1)).ravel(), 1.0))
        norm = log_len[:, None] + log_len[None, :]
        # sumy divides by the log lengths unless they sum to ~0 (two one-word sentences).
        tiny = np.isclose(norm, 0.0)
        weights = np.divide(shared, norm, out=shared.copy(), where=~tiny)
        weights /= weights.sum(axis=1)[:, None] + 1e-7
        matrix = np.full((n, n), (1.0 - self._damping) / n) + self._damping * weights
        transposed = matrix.T
        p = np.full(n, 1.0 / n)
        change = 1.0
        while change > self._epsilon:
            nxt = transposed @ p
            change = float(np.linalg.norm(nxt - p))
            p = nxt
        return _finite(p, n)


class FastKLRanker:
    """sumy's KL-Sum, vectorised: the same greedy picks, in a fraction of the time.

    Like sumy, it adds to the summary, one at a time, the sentence whose words bring the
    summary's word distribution closest (Kullback-Leibler) to the document's, and rates a
    sentence minus the step at which it was picked.  It keeps sumy's conventions: the
    document's distribution drops stop words before lower-casing, a candidate's words are
    lower-cased then stripped of stop words, and the summary counts its sentences' words as
    written.  Only words of the document's distribution weigh in the divergence, so each
    step is one pass over a sentences x document-words matrix.
    """

    def __init__(self, *, stop_words: Iterable[str] | None = None) -> None:
        self._stop_words = frozenset(stop_words) if stop_words is not None else None

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return KL-Sum ratings (an ndarray aligned with ``sentences``; title ignored)."""
        n = len(sentences)
        ratings = np.zeros(n)
        stops = self._stop_words if self._stop_words is not None else stop_words()
        raw = [tokenize_words(s) for s in sentences]
        document = [w.lower() for words in raw for w in words if w not in stops]
        if not any(w.lower() not in stops for words in raw for w in words):
            return ratings
        vocab: dict[str, int] = {}
        for word in document:
            vocab.setdefault(word, len(vocab))
        share = np.bincount([vocab[w] for w in document], minlength=len(vocab)) / len(document)
        candidate = np.zeros((n, len(vocab)))
        written = np.zeros((n, len(vocab)))
        lengths = np.zeros(n)
        for i, words in enumerate(raw):
            content = [w.lower() for w in words if w.lower() not in stops]
            lengths[i] = len(content)
            for word in content:
                candidate[i, vocab[word]] += 1
            for word in words:
                if word in vocab:
                    written[i, vocab[word]] += 1
        log_share = np.log(share)
        summary = np.zeros(len(vocab))
        summary_length = 0
        remaining = list(range(n))
        with one_blas_thread():
            for step in range(n):
                joint = candidate[remaining] + summary
                present = joint > 0
                weight = np.where(present, share, 0.0)
                log_joint = np.log(np.where(present, joint, 1.0))
                total = np.log(np.maximum(lengths[remaining] + summary_length, 1.0))
                divergence = (weight * (log_share - log_joint)).sum(axis=1)
                divergence += total * weight.sum(axis=1)
                # Equal up to rounding is a tie, which goes to the earlier sentence as in
                # sumy (whose sums run in another order, so they differ in the last bits).
                picked = remaining.pop(int(np.argmin(np.round(divergence, 9))))
                ratings[picked] = -step
                summary += written[picked]
                summary_length += len(raw[picked])
        return ratings


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
_DATELINE = re.compile(
    r"^[ \t]*(?:by[ \t]+[A-Za-z.' ]{2,40}(?:\.|,|$)"
    r"|[A-Z][A-Z .,'-]{2,30}[ \t]*(?:\(|—|–|-{1,2}\s))",
    re.MULTILINE,
)
_QUOTE_START = re.compile(r"^[ \t]*[\"'“‘«]", re.MULTILINE)


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
        "dateline": _matching(_DATELINE, lines, starts, text),
        "quote": _matching(_QUOTE_START, lines, starts, text),
        "short": n_words < 8,
    }


class DefaultRanker:
    """Our news ranker: a centrality-gated lead, then the most central sentences.

    Two scores are computed for each sentence ``i`` of an article::

        lead       = 1 / (1 + i) ** decay + forward * F_i + title * T_i
                     - length * |ln(words_i / target_words)| - penalties
        centrality = C_i - penalties

    ``C_i`` is the sentence's PageRank in the article's cosine-similarity graph (TF vectors
    of its lower-cased content words, unstemmed), ``F_i`` its TF-IDF similarity to the
    sentences after it (PacSum's forward centrality), ``T_i`` its similarity to the title
    (0 without one), all scaled to [0, 1] within the article; the penalties mark questions,
    bylines and page furniture, datelines, opening quotes and fragments (see
    :func:`quality_flags`).

    News puts the story first, so the ``lead_size`` sentences with the best lead score
    open the ranking.  But only sentences in the more central ``gate`` share of the article
    (by ``C``) may take a lead place: an opening that the rest of the article does not
    take up (an anecdote, a scene, a quote) gives way to the next central one.  All other
    sentences follow by centrality.  So a short summary is the article's best central lead
    sentences, and a longer one adds the sentences that most of the article is about.
    Scores fall in that order, so the top ``k`` by score are the pick for any ``k``.  The
    seven weights were tuned jointly on half of the CNN/DailyMail validation articles and
    half of the BBC News Summary set, and checked on the other halves (see
    benchmarks/rouge.py).
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
        gate: float = 0.55,
        decay: float = 1.5,
        forward: float = 0.3,
        title: float = 0.1,
        length: float = 0.3,
        target_words: float = 20.0,
        damping: float = 0.85,
        penalties: dict[str, float] | None = None,
    ) -> None:
        self.lead_size = lead_size
        self.gate = gate
        self.decay = decay
        self.forward = forward
        self.title_weight = title
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
        """Return the scores of one article's ``sentences`` (an ndarray aligned with them)."""
        n = len(sentences)
        if n == 0:
            return np.zeros(0)
        with one_blas_thread():
            feats = self.features(sentences, title)
            scores = self.combine(feats)
        logger.debug("scored %d sentences", n)
        return _finite(scores, n)

    def features(self, sentences: Sequence[str], title: str | None = None) -> dict[str, np.ndarray]:
        """Return the per-sentence features (ndarrays) of one article's ``sentences`` (str).

        The dict holds ``position``, ``centrality``, ``forward``, ``title``, ``n_words``
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
        forward = _scale_to_max(np.triu(sim, k=1).sum(axis=1))
        title_sim = np.zeros(n)
        title_words = (
            {w for w in tokenize_words(title.lower()) if w not in stops} if title else set()
        )
        if title_words:
            # Cosine of binary vectors: shared words over the root of the two set sizes.
            title_ids = [vocab[t] for t in title_words if t in vocab]
            shared = np.bincount(rows[np.isin(cols, title_ids)], minlength=n)
            distinct = np.bincount(rows, minlength=n)
            title_sim = shared / np.sqrt(np.maximum(distinct, 1) * len(title_words))
        return {
            "position": np.arange(n, dtype=float),
            "centrality": centrality,
            "forward": forward,
            "title": title_sim,
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
            1.0 / (1.0 + feats["position"]) ** self.decay
            + self.forward * feats["forward"]
            + self.title_weight * feats["title"]
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

RANKERS: dict[str, Callable[[], Ranker]] = {
    "default": DefaultRanker,
    "lead": LeadRanker,
    "lexrank": LexRankRanker,
    "lexrank-fast": FastLexRankRanker,
    "textrank": TextRankRanker,
    "textrank-fast": FastTextRankRanker,
    "kl-fast": FastKLRanker,
    "lsa": LsaRanker,
    "luhn": LuhnRanker,
    "edmundson": EdmundsonRanker,
    "sumbasic": SumBasicRanker,
    "kl": KLRanker,
    "reduction": ReductionRanker,
}


def get_ranker(method: str = "default") -> Ranker:
    """Return a new ranker for ``method`` (a name in ``RANKERS``).

    Raises :class:`~briefing.errors.UnknownMethodError` naming the valid methods.
    """
    try:
        factory = RANKERS[method]
    except KeyError:
        valid = ", ".join(sorted(RANKERS))
        raise UnknownMethodError(
            f"unknown ranking method {method!r}; choose one of: {valid}"
        ) from None
    return factory()


def rank_sentences(
    sentences: Sequence[str], *, title: str | None = None, method: str = "default"
) -> np.ndarray:
    """Return the ``method`` scores (an ndarray aligned with ``sentences``, a list of str)."""
    scores = get_ranker(method).score(sentences, title=title)
    logger.debug("ranked %d sentences with %s", len(sentences), method)
    return _finite(scores, len(sentences))


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
