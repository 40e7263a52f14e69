"""Rankers built on sumy: its summarizers adapted to :class:`~briefing.rank.Ranker`, and
vectorised equivalents of some of them.

* sumy adapters (``lexrank``, ``textrank``, ``lsa``, ``luhn``, ``edmundson``, ``sumbasic``,
  ``kl``, ``reduction``): each of sumy's summarizers run on a document built from our
  sentences, with every sentence's rating read back in input order.
* ``lexrank-fast``, ``textrank-fast`` and ``kl-fast``: sumy's LexRank, TextRank and KL-Sum
  re-written with (sparse) matrices; they give the same scores (up to floating-point
  rounding) many times faster.

``briefing.rank.RANKERS`` registers them next to our own rankers.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any, ClassVar

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

from .matrices import finite_scores, one_blas_thread
from .words import stop_words, tokenize_words

logger = logging.getLogger(__name__)

__all__ = [
    "EdmundsonRanker",
    "FastKLRanker",
    "FastLexRankRanker",
    "FastTextRankRanker",
    "KLRanker",
    "LexRankRanker",
    "LsaRanker",
    "LuhnRanker",
    "ReductionRanker",
    "SumBasicRanker",
    "TextRankRanker",
]


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


def sumy_document(sentences: Sequence[str], title: str | None = None) -> ObjectDocumentModel:
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


@cache
def _sumy_stem(word: str) -> str:
    """sumy's stem of lower-cased ``word`` (nltk's Snowball, not briefing's PyStemmer), so
    that the fast equivalents score as sumy does."""
    return str(_sumy_stemmer()(word))


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
        document = sumy_document(sentences, title)
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
        return finite_scores(scores, n)


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
# Sparse building blocks of the fast equivalents
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


def _count_matrix(token_lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Return the sentences x terms CSR count matrix of ``token_lists`` (lists of str)."""
    rows, cols, counts, n_terms = _terms(token_lists)
    return sp.csr_matrix((counts, (rows, cols)), shape=(len(token_lists), n_terms))


def _row_normalize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return ``matrix`` with each non-empty row scaled to unit L2 norm."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


# --------------------------------------------------------------------------------------
# Fast LexRank, TextRank and KL-Sum (same scores as sumy's)
# --------------------------------------------------------------------------------------


class _FastSumyGraph:
    """Shared tokenisation of the fast sumy equivalents: sumy's stemmed content words."""

    def __init__(self, *, stop_words: Iterable[str] | None = None) -> None:
        self._stop_words = frozenset(stop_words) if stop_words is not None else None

    def _tokens(self, sentence: str) -> list[str]:
        stops = self._stop_words if self._stop_words is not None else stop_words()
        words = (t.lower() for t in tokenize_words(sentence))
        return [_sumy_stem(w) for w in words if w not in stops]

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
        return finite_scores(p, n)


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
        return finite_scores(p, n)


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
