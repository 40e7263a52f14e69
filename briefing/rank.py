"""Rank sentences: score each sentence of an article by how much it belongs in a summary.

Every ranker satisfies :class:`Ranker`: it takes the article's sentences (already split, in
document order) and an optional title, and returns one finite float per sentence, aligned
with the input, higher meaning more important.  ``RANKERS`` maps each method name to a
factory; :func:`get_ranker` looks one up and :func:`select` picks the best ``k``.

Three families live here:

* ``default``: our own vectorised, news-tuned ranker (:class:`DefaultRanker`): a soft lead
  prior, forward-looking TF-IDF centrality, title overlap, penalties for sentences that make
  poor summary lines, and redundancy control (MMR) folded into the scores.
* ``lead``: the classic Lead-N baseline.
* sumy adapters (``lexrank``, ``textrank``, ``lsa``, ``luhn``, ``edmundson``, ``sumbasic``,
  ``kl``, ``reduction``): each of sumy's summarizers run on a document built from our
  sentences, with every sentence's rating read back in input order.
* ``lexrank-fast``: sumy's LexRank re-written with sparse matrices; it gives the same
  scores (up to floating-point rounding) many times faster.
"""

from __future__ import annotations

import itertools
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

from .errors import UnknownMethodError
from .words import content_stems, stem, stems_of_words, stop_words, tokenize_words

logger = logging.getLogger(__name__)

__all__ = [
    "RANKERS",
    "DefaultRanker",
    "EdmundsonRanker",
    "FastLexRankRanker",
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


def _segments(lengths: Sequence[int]) -> np.ndarray:
    """Return the document number of every sentence (int ndarray) for doc ``lengths``."""
    return np.repeat(np.arange(len(lengths)), np.asarray(lengths, dtype=int))


def _count_matrix(token_lists: Sequence[Sequence[str]], doc_of: np.ndarray) -> sp.csr_matrix:
    """Return a sentences x terms CSR count matrix whose terms are (document, word) pairs.

    Keying terms by document makes every product of the matrix with its transpose
    block-diagonal: sentences of different documents never meet, so many documents go
    through exactly the same code as one.
    """
    n = len(token_lists)
    sizes = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=n)
    vocab: dict[str, int] = {}
    word_ids = np.fromiter(
        (vocab.setdefault(t, len(vocab)) for toks in token_lists for t in toks),
        dtype=np.int64,
        count=int(sizes.sum()),
    )
    rows = np.repeat(np.arange(n), sizes)
    keys = np.repeat(np.asarray(doc_of, dtype=np.int64), sizes) * max(1, len(vocab)) + word_ids
    _, cols = np.unique(keys, return_inverse=True)
    n_terms = int(cols.max()) + 1 if cols.size else 0
    matrix = sp.csr_matrix((np.ones(cols.size), (rows, cols.reshape(-1))), shape=(n, n_terms))
    matrix.sum_duplicates()
    return matrix


def _row_normalize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return ``matrix`` with each non-empty row scaled to unit L2 norm."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def _scale_by_document(values: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Return ``values`` divided by their maximum within each document (0 where it is 0)."""
    doc_max = _segment_max(values, lengths)
    return np.divide(values, doc_max, out=np.zeros(values.shape[0]), where=doc_max > 0)


def _segment_max(values: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Return, for every sentence, the max of ``values`` over its document (ndarray)."""
    lengths_arr = np.asarray(lengths, dtype=int)
    nonempty = lengths_arr > 0
    starts = np.concatenate([[0], np.cumsum(lengths_arr)[:-1]])[nonempty]
    if values.size == 0:
        return values.copy()
    maxima = np.maximum.reduceat(values, starts)
    return np.repeat(maxima, lengths_arr[nonempty])


# --------------------------------------------------------------------------------------
# Fast LexRank (same scores as sumy's)
# --------------------------------------------------------------------------------------


class FastLexRankRanker:
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
        self._stop_words = frozenset(stop_words) if stop_words is not None else None
        self._threshold = threshold
        self._epsilon = epsilon

    def _tokens(self, sentence: str) -> list[str]:
        if self._stop_words is None:
            return content_stems(sentence)
        words = (t.lower() for t in tokenize_words(sentence))
        return [stem(w) for w in words if w not in self._stop_words]

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return LexRank scores (an ndarray aligned with ``sentences``; title ignored)."""
        n = len(sentences)
        if n == 0:
            return np.zeros(0)
        counts = _count_matrix([self._tokens(s) for s in sentences], np.zeros(n, dtype=int))
        if counts.nnz == 0:
            return np.zeros(n)
        max_tf = counts.max(axis=1).toarray().ravel()
        max_tf[max_tf == 0] = 1.0
        tf = sp.csr_matrix(sp.diags(1.0 / max_tf) @ counts)
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        idf = np.log(n / (1.0 + df))
        vectors = sp.csr_matrix(tf @ sp.diags(idf))
        sim = _row_normalize(vectors)
        cosine = (sim @ sim.T).toarray()
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
    that opens with a quotation mark), ``short`` (fewer than 8 words) and ``long`` (more
    than 55 words).  The patterns run once over all sentences joined by newlines.
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
        "long": n_words > 55,
    }


class DefaultRanker:
    """Our news ranker: open with the lead, then cover the story; vectorised, tuned on news.

    All documents given to :meth:`score_many` are scored together, in one sparse TF-IDF
    matrix whose terms are keyed by document (so the similarity matrix is block-diagonal);
    :meth:`score` is ``score_many`` of one document.  Two scores are computed per sentence::

        lead     = position / (1 + i) ** decay + centrality * F_i + title * T_i - penalties
        coverage = degree * D_i + coverage_position / (1 + i) + title * T_i - penalties

    ``F_i`` is the sentence's TF-IDF cosine similarity to the sentences after it (PacSum's
    forward centrality), ``D_i`` its word-overlap degree over the whole article (as in
    Reduction/TextRank), ``T_i`` its cosine similarity to the title (0 without one), all
    scaled to [0, 1] within the document; the penalties mark questions, bylines and page
    furniture, datelines, opening quotes and fragments (see :func:`quality_flags`).

    The ``lead_size`` sentences with the best lead score come first, in that order; the
    others follow by coverage.  So a short summary is the article's best lead sentences
    (news puts the story first), and a longer one adds the sentences that share most with
    the rest of the article.  When ``redundancy`` > 0 the order is then revised by maximal
    marginal relevance (importance minus ``redundancy`` x the largest similarity to the
    sentences already taken).  Scores fall strictly in the final order, so the top ``k`` by
    score are the pick for any ``k``.  The weights were tuned on CNN/DailyMail validation
    articles and the BBC News Summary set (see benchmarks/rouge.py).
    """

    DEFAULT_PENALTIES: ClassVar[dict[str, float]] = {
        "question": 0.3,
        "boilerplate": 0.5,
        "dateline": 0.3,
        "quote": 0.1,
        "short": 0.3,
        "long": 0.0,
    }

    def __init__(
        self,
        *,
        lead_size: int = 3,
        position: float = 1.0,
        decay: float = 1.5,
        centrality: float = 0.5,
        degree: float = 1.0,
        coverage_position: float = 0.3,
        title: float = 0.1,
        redundancy: float = 0.0,
        penalties: dict[str, float] | None = None,
    ) -> None:
        self.lead_size = lead_size
        self.position = position
        self.decay = decay
        self.centrality = centrality
        self.degree = degree
        self.coverage_position = coverage_position
        self.title_weight = title
        self.redundancy = redundancy
        self.penalties = dict(self.DEFAULT_PENALTIES)
        if penalties:
            unknown = set(penalties) - set(self.DEFAULT_PENALTIES)
            if unknown:
                raise ValueError(f"unknown penalties: {sorted(unknown)}")
            self.penalties.update(penalties)

    def score(self, sentences: Sequence[str], *, title: str | None = None) -> np.ndarray:
        """Return the scores of one document's ``sentences`` (an ndarray aligned with them)."""
        return self.score_many([sentences], titles=[title])[0]

    def features(
        self, documents: Sequence[Sequence[str]], titles: Sequence[str | None] | None = None
    ) -> dict[str, Any]:
        """Return the per-sentence features of ``documents`` (lists of str), concatenated.

        The dict holds ``lengths`` (sentences per document), ``position``, ``centrality``,
        ``title``, the quality flags and ``sim`` (the block-diagonal cosine matrix, CSR).
        """
        lengths = [len(d) for d in documents]
        doc_of = _segments(lengths)
        flat = [s for d in documents for s in d]
        n = len(flat)
        words = [tokenize_words(s.lower()) for s in flat]
        n_words = np.fromiter((len(w) for w in words), dtype=float, count=n)
        tokens = [stems_of_words(w) for w in words]
        counts = _count_matrix(tokens, doc_of)
        # TF-IDF with a sublinear TF and a smoothed IDF over each document's sentences.
        binary = counts.copy()
        binary.data[:] = 1.0
        df = np.asarray(binary.sum(axis=0)).ravel()
        if counts.shape[1]:
            # The document each term belongs to: read off the first sentence holding it.
            term_doc = np.zeros(counts.shape[1], dtype=int)
            coo = counts.tocoo()
            term_doc[coo.col] = doc_of[coo.row]
            n_doc = np.asarray(lengths, dtype=float)[term_doc]
            idf = np.log((1.0 + n_doc) / (1.0 + df)) + 1.0
        else:
            idf = np.zeros(0)
        tfidf = counts.copy()
        tfidf.data = np.log1p(tfidf.data)
        tfidf = _row_normalize(sp.csr_matrix(tfidf @ sp.diags(idf)))
        sim = sp.csr_matrix(tfidf @ tfidf.T)
        sim.setdiag(0.0)
        sim.eliminate_zeros()
        # Forward centrality: how much the sentences after this one repeat it.
        centrality = _scale_by_document(np.asarray(sp.triu(sim, k=1).sum(axis=1)).ravel(), lengths)
        # Overlap degree (as in Reduction/TextRank): shared words over the log lengths,
        # summed over the other sentences; it favours long, well-connected sentences.
        overlap = sp.coo_matrix(counts @ counts.T)
        log_len = np.log(np.maximum(np.asarray(counts.sum(axis=1)).ravel(), 1.0))
        norm = log_len[overlap.row] + log_len[overlap.col]
        keep = (overlap.row != overlap.col) & (norm > 0)
        weights = np.divide(overlap.data, norm, out=np.zeros_like(norm), where=norm > 0)
        degree = np.bincount(overlap.row[keep], weights=weights[keep], minlength=n)
        degree = _scale_by_document(degree, lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
        position = np.arange(n) - np.repeat(starts, lengths)
        title_sim = np.zeros(n)
        if titles is not None and any(titles):
            title_tokens = [content_stems(t) if t else [] for t in titles]
            title_sim = _title_similarity(tokens, title_tokens, doc_of)
        flags = quality_flags(flat, n_words)
        return {
            "lengths": lengths,
            "position": position,
            "centrality": centrality,
            "degree": degree,
            "title": title_sim,
            "n_words": n_words,
            "sim": sim,
            **flags,
        }

    def _penalty(self, feats: dict[str, Any]) -> np.ndarray:
        total = np.zeros(len(feats["position"]))
        for name, weight in self.penalties.items():
            total = total + weight * feats[name]
        return total

    def lead_scores(self, feats: dict[str, Any]) -> np.ndarray:
        """Return the lead score (ndarray) of every sentence described by ``feats``."""
        prior = 1.0 / (1.0 + feats["position"]) ** self.decay
        return (
            self.position * prior
            + self.centrality * feats["centrality"]
            + self.title_weight * feats["title"]
            - self._penalty(feats)
        )

    def coverage_scores(self, feats: dict[str, Any]) -> np.ndarray:
        """Return the coverage score (ndarray) of every sentence described by ``feats``."""
        return (
            self.degree * feats["degree"]
            + self.coverage_position / (1.0 + feats["position"])
            + self.title_weight * feats["title"]
            - self._penalty(feats)
        )

    def raw_scores(self, feats: dict[str, Any]) -> np.ndarray:
        """Return the scores (before MMR) of every sentence described by ``feats``.

        The ``lead_size`` best sentences of each document by lead score are lifted above
        all of its other sentences, which keep their coverage score.
        """
        lengths = feats["lengths"]
        n = len(feats["position"])
        if n == 0:
            return np.zeros(0)
        lead = self.lead_scores(feats)
        coverage = self.coverage_scores(feats)
        doc_of = _segments(lengths)
        # Rank within each document by lead score, ties to the earlier sentence.
        order = np.lexsort((feats["position"], -lead, doc_of))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
        rank = np.empty(n, dtype=int)
        rank[order] = np.arange(n) - np.repeat(starts, lengths)
        top = rank < self.lead_size
        # Lift the top tier: its lowest lead score lands 1 above the best coverage score.
        lowest_top = -_segment_max(np.where(top, -lead, -np.inf), lengths)
        lift = _segment_max(coverage, lengths) - lowest_top + 1.0
        return np.where(top, lead + lift, coverage)

    def score_many(
        self,
        documents: Sequence[Sequence[str]],
        titles: Sequence[str | None] | None = None,
    ) -> list[np.ndarray]:
        """Return one score ndarray per document of ``documents`` (sequences of str)."""
        feats = self.features(documents, titles)
        raw = self.raw_scores(feats)
        lengths = feats["lengths"]
        if self.redundancy > 0:
            raw = _mmr_scores(raw, feats["sim"], lengths, self.redundancy)
        bounds = np.cumsum([0, *lengths])
        logger.debug("scored %d sentences of %d documents", len(raw), len(documents))
        return [_finite(raw[a:b], b - a) for a, b in itertools.pairwise(bounds)]


def _title_similarity(
    tokens: Sequence[Sequence[str]], title_tokens: Sequence[Sequence[str]], doc_of: np.ndarray
) -> np.ndarray:
    """Return each sentence's cosine similarity (binary stems) to its document's title."""
    n_docs = len(title_tokens)
    all_tokens = list(tokens) + list(title_tokens)
    all_docs = np.concatenate([doc_of, np.arange(n_docs)])
    counts = _count_matrix(all_tokens, all_docs)
    counts.data[:] = 1.0
    normed = _row_normalize(counts)
    n = len(tokens)
    sentence_part = normed[:n]
    title_part = normed[n:]
    # Row i of the product of a sentence with its own document's title.
    return np.asarray(sentence_part.multiply(title_part[doc_of]).sum(axis=1)).ravel()


def _mmr_scores(
    raw: np.ndarray, sim: sp.csr_matrix, lengths: Sequence[int], redundancy: float
) -> np.ndarray:
    """Return scores that fall in maximal-marginal-relevance order within each document.

    The first pick keeps its raw score; each later pick gets its marginal value (raw score
    minus ``redundancy`` x its largest similarity to earlier picks), capped just below the
    previous pick's score so that the order is strict.
    """
    out = raw.astype(float).copy()
    start = 0
    for n in lengths:
        if n > 1:
            block = sim[start : start + n, start : start + n].toarray()
            value = raw[start : start + n].astype(float)
            taken = np.zeros(n, dtype=bool)
            max_sim = np.zeros(n)
            previous = np.inf
            for _ in range(n):
                marginal = np.where(taken, -np.inf, value - redundancy * max_sim)
                best = int(np.argmax(marginal))
                current = min(float(marginal[best]), previous - 1e-9)
                out[start + best] = current
                previous = current
                taken[best] = True
                max_sim = np.maximum(max_sim, block[best])
        start += n
    return out


# --------------------------------------------------------------------------------------
# Registry and helpers
# --------------------------------------------------------------------------------------

RANKERS: dict[str, Callable[[], Ranker]] = {
    "default": DefaultRanker,
    "lead": LeadRanker,
    "lexrank": LexRankRanker,
    "lexrank-fast": FastLexRankRanker,
    "textrank": TextRankRanker,
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
