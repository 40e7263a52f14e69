"""Combine articles: the same article saved twice, and many articles on one story.

Two articles are the same when most of the shorter one's word 5-grams (shingles) appear in
the other, whatever their titles, formats or page furniture say; MinHash bands choose which
pairs to compare, so that a mailbox of 50,000 messages costs seconds, not hours.  Such a
group is briefed once, from its longest member, and every bullet drawn from it cites every
member.

Articles are on the same story when their whole texts share enough weighted vocabulary
(TF-IDF cosine, average-linkage clustering; a term weighs by how rare it is in the folder
and in ordinary news), the headline and the lead counting twice; then a story of a few
articles joins a story of many that it is like over the terms the folder's articles share:
a brief covering 200 articles is then a handful of stories, each said once.  The whole text,
not only the lead, since two outlets open the same story on different angles, and a wire
story saved without its headline has only its text to go by.
"""

from __future__ import annotations

import functools
import json
import logging
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from .models import Article
from .words import content_stems, plain_words

if TYPE_CHECKING:
    # scipy.sparse (and so the clustering) is imported where it is used: a brief of one
    # article compares nothing, and scipy's array-API layer makes the import cost 0.07 s.
    import scipy.sparse as sp
    from datasketch import MinHash

logger = logging.getLogger(__name__)

SHINGLE_WORDS = 5
# Articles whose vectors are at least this similar (cosine, average over the cluster) are
# on the same story.  benchmarks/stories.py, mixes of 5 wire topics without headlines,
# before the deep-story step below: B-cubed F1 0.93 at 0.12 (0.31 with the headline and
# lead alone at 0.25); on mixes of 5 topics each near the others in vocabulary, precision
# 0.90.  At 0.10, F1 0.945 but near-topic precision 0.86, and in the bundled examples a pay
# deal at the docks joins the steel deal (0.110 similar).
SAME_STORY = 0.12
# Two articles alone make a story only when their pair is this similar: two unrelated
# pages share generic words ("team", "water", "money") at 0.12 to 0.17, two reports of one
# event its names at 0.4 and more, while a larger story is held together by many links.
# Of the 80 English news pages of one week, 34 in 11 stories of more than one (50 in 19
# without this); wire mixes lose nothing.  In a story of up to SMALL_STORY articles, each
# is held by a link this strong or stands alone: a third page on the same subject (another
# moon's water, another prince's interview) averages 0.12 with a strong pair through its
# generic words alone.  Of the 80 pages, B-cubed F1 0.916 (0.907 with pairs alone); wire
# mixes 0.958 without headlines (0.958), near mixes 0.852 (0.854).
STORY_PAIR = 0.2
SMALL_STORY = 3
# In a larger story, average linkage lets in an article a little like each of a close-knit
# few: a dock pay deal (0.10 to 0.17 like each, through "union", "strike", "jobs") joins
# three reports of a steel deal that are 0.52 to 0.76 like each other.  An article of a
# story of up to STRAY_CHECK articles stands alone when no link of its own is STORY_PAIR
# strong and it is on average less than STRAY_SHARE as like the others as they are like
# each other.  The wire mixes, near mixes, small folders and the 80 news pages are grouped
# as without it from 0.25 to 0.3 (benchmarks/stories.py); at 0.35 a small folder loses a
# member.
STRAY_SHARE = 0.3
STRAY_CHECK = 200
# For story grouping, a folder's document frequencies count this many articles of ordinary
# news besides its own (see ``tfidf_rows``; a summary's sentences are weighed without): on
# the wire mixes, F1 0.928 over five seeds (0.896 without), on near mixes 0.820 (0.785) at
# a precision of 0.903 (0.941); of the 80 English news pages, 32 in 10 stories of more
# than one (34 in 11); unrelated articles of the bundled examples stay under 0.11, the two
# takes on the steel deal go from 0.67 to 0.77.
BACKGROUND_DOCUMENTS = 300
# A story of at least DEEP_STORY articles is a topic the folder holds in depth, and its own
# vocabulary says what it is about: a smaller story joins the deep story whose articles it
# is most like, when on average JOINS_DEEP_STORY similar over the terms two articles or more
# of the folder hold (``deep_story_vectors``).  Compared so, a long wire report's own names
# and figures no longer hide that it is on the topic: on the wire mixes, F1 0.953 over five
# seeds (0.929 without), on near mixes 0.855 (0.831) at a precision of 0.899 (0.910); the
# 80 news pages, the bundled examples and 40 mixes of 8 unrelated wire articles are grouped
# as without.  Compared so from the start, as one clustering, small folders of unrelated
# articles would be one story: the terms they share are the generic ones.  So would a small
# folder be, once it holds a deep story.  So a folder of fewer than DEEP_FOLDER articles,
# too few for the terms two of them share to be a story's own rather than the words any two
# reports share, joins nothing to a deep story; and a story joins one only when also at
# least DEEP_JOIN_FLOOR like it over all terms (the wire mixes' right joins are all 0.062 or
# more).  A topic of 4 or 5 wire articles among 3 to 6 unrelated ones (benchmarks/stories.py
# "small") is grouped at B-cubed precision 0.98 to 0.99 (0.87 to 0.92 without), F1 0.945 to
# 0.963 (0.907 to 0.933); none of the other figures moves.
DEEP_STORY = 4
# A story joins a deep one only when published within this many days of the deep story's
# reports (first to last), where both are dated: what the deep step takes in is like the
# deep story over the words its reports share, which a study of cannabis use of 2019 is
# like four reports on murder rates of 1998 to 2000.  The benchmarks' mixes are undated.
DEEP_JOIN_DAYS = 30
JOINS_DEEP_STORY = 0.16
DEEP_JOIN_FLOOR = SAME_STORY / 2
DEEP_FOLDER = 16
DEEP_BACKGROUND_DOCUMENTS = 1000
BACKGROUND_FILE = "background_df.json"
# How many paragraphs of each article, after the headline, are its lead.
LEAD_PARAGRAPHS = 3
# Share of the shorter article's shingles that the other must hold to be the same article.
SAME_ARTICLE = 0.7
# MinHash bands of two rows: a pair at Jaccard 0.3 (a copy cut to half, 70% contained) is a
# candidate 95% of the time, at 0.5 all but always.  Of each band's bucket, the first
# BUCKET_LEADERS members of different groups are compared with each newcomer.
MINHASH_BANDS = 32
BAND_ROWS = 2
BUCKET_LEADERS = 4


# Each word's CRC-32 (plus one, so that no word hashes to 0), cached: folders repeat words.
_WORD_HASHES: dict[str, int] = {}
MAX_CACHED_WORDS = 2_000_000
# An odd 64-bit multiplier: a shingle's hash is its words' hashes as digits in this base,
# wrapping around 2**64.
_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def shingles(text: str) -> np.ndarray:
    """Return the hashed word 5-grams of ``text``, case folded: a sorted array of distinct
    int64 (eight bytes a shingle, where a set of Python ints takes ten times that).

    The hashes are the same in every process (Python's own ``hash`` of a str is salted per
    process), so that which articles are copies, and so the brief, never changes from one
    run to the next.
    """
    words = plain_words(text)
    if not words:
        return np.zeros(0, dtype=np.int64)
    cache = _WORD_HASHES
    if len(cache) > MAX_CACHED_WORDS:  # a long-lived process (a Dask worker) reads on
        cache.clear()
    codes = np.fromiter(
        (cache.get(w) or cache.setdefault(w, zlib.crc32(w.encode()) + 1) for w in words),
        dtype=np.uint64,
        count=len(words),
    )
    span = min(SHINGLE_WORDS, len(words))
    count = len(words) - span + 1
    hashed = np.zeros(count, dtype=np.uint64)
    for offset in range(span):
        hashed = hashed * _SHINGLE_MULTIPLIER + codes[offset : offset + count]
    return np.unique(hashed.view(np.int64))


@dataclass(frozen=True, slots=True)
class CopyKeys:
    """What finds an article's copies: its shingles (``shingles``) and the keys of its
    MinHash signature's bands (none for a text without words): two articles whose shingle
    sets are J similar (Jaccard) share a key with probability 1 - (1 - J^2)^32."""

    shingles: np.ndarray
    bands: tuple[bytes, ...]


def copy_keys(article: Article) -> CopyKeys:
    """Return the CopyKeys of ``article``: the per-article half of ``duplicate_groups``,
    which the pipeline's workers compute, so that only the comparing is left to one process.
    """
    shingle_set = shingles(article.text)
    if not len(shingle_set):
        return CopyKeys(shingle_set, ())
    signature = _empty_minhash().copy()
    signature.update_batch((shingle_set & 0xFFFFFFFF).tolist())
    bands = signature.hashvalues.reshape(MINHASH_BANDS, BAND_ROWS)
    return CopyKeys(shingle_set, tuple(band.tobytes() for band in bands))


@functools.cache
def _empty_minhash() -> MinHash:
    """The empty MinHash every article's signature starts as a copy of, as datasketch's
    ``MinHash.bulk`` does (drawing the permutations again for each article would cost more
    than hashing it).

    datasketch is imported here, not with this module: its package imports scipy.integrate
    (0.2 s), which a brief of one article should not wait for.
    """
    from datasketch import MinHash

    return MinHash(num_perm=MINHASH_BANDS * BAND_ROWS, hashfunc=int)


def same_article(one: np.ndarray, other: np.ndarray) -> bool:
    """Return whether most (SAME_ARTICLE) of the shorter set's shingles are in the other."""
    shorter = min(len(one), len(other))
    shared = len(np.intersect1d(one, other, assume_unique=True))
    return bool(shorter) and shared / shorter >= SAME_ARTICLE


def duplicate_groups(
    articles: Sequence[Article], keys: Iterable[CopyKeys] | None = None
) -> tuple[tuple[int, ...], ...]:
    """Return groups of indices into ``articles`` that hold the same article.

    Every index is in exactly one group (a tuple of int); the first index of a group is
    the member to brief (the longest text); groups come in the order of their first
    article.  Articles at one address (``url``) are one article.  Otherwise only
    candidates are compared: articles whose MinHash signatures share a band,
    and of each band's bucket only its first few members of other groups, so the work is
    linear in the number of articles, even when thousands share a footer.  ``keys`` are
    the articles' ``copy_keys``, in order, if they are computed already.
    """
    if len(articles) < 2:
        return tuple((i,) for i in range(len(articles)))
    # Compared as they arrive: the executor's workers may still be computing the next ones.
    found = iter(keys) if keys is not None else map(copy_keys, articles)
    sets: list[np.ndarray] = []
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, bytes], list[int]] = {}
    for i, article_keys in enumerate(found):
        sets.append(article_keys.shingles)
        for band, key in enumerate(article_keys.bands):
            members = buckets.setdefault((band, key), [])
            for j in members:
                if root(j) != root(i) and same_article(sets[i], sets[j]):
                    parent[root(i)] = root(j)
            if len(members) < BUCKET_LEADERS and all(root(j) != root(i) for j in members):
                members.append(i)
    # One address is one article, however much of it a copy holds: a feed cut off
    # part-way keeps an entry's lead alone, too little for its shingles to find the whole.
    first_at: dict[str, int] = {}
    for i, article in enumerate(articles):
        if article.url and root(first_at.setdefault(article.url, i)) != root(i):
            parent[root(i)] = root(first_at[article.url])
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        members_of[root(i)].append(i)
    groups = tuple(
        tuple(sorted(group, key=lambda i: (-len(articles[i].text), i)))
        for group in sorted(members_of.values(), key=min)
    )
    merged = sum(len(g) - 1 for g in groups)
    if merged:
        logger.info("found %d duplicate article(s) in %d group(s)", merged, len(groups))
    return groups


def story_groups(articles: Sequence[Article], ids: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    """Return the articles ``ids`` (indices into ``articles``) grouped by story.

    Each group is a tuple of ids in the given order; groups come in the order of their
    first id.  The headline and lead count twice, then the rest of the text.
    """
    if len(ids) < 2:
        return tuple((i,) for i in ids)
    counts = term_counts([_about(articles[i]) for i in ids])
    vectors = weighted(counts, background=BACKGROUND_DOCUMENTS)
    from .cluster import average_linkage

    labels = average_linkage(vectors, SAME_STORY)
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(row)
    parts = [
        part
        for group in groups.values()
        for part in (
            _weak_links_apart(group, vectors)
            if len(group) <= SMALL_STORY
            else _strays_apart(group, vectors)
        )
    ]
    if len(ids) >= DEEP_FOLDER and any(len(part) >= DEEP_STORY for part in parts):
        days = np.array([_day(articles[i]) for i in ids])
        parts = _join_deep_stories(parts, deep_story_vectors(counts), vectors, days)
    stories = tuple(tuple(ids[row] for row in part) for part in sorted(parts))
    logger.info("grouped %d articles into %d stories", len(ids), len(stories))
    return stories


@functools.cache
def background_frequencies() -> tuple[dict[str, int], int]:
    """Return ({content stem: how many background articles hold it}, how many articles),
    read once from BACKGROUND_FILE (``scripts/count_background.py`` writes it)."""
    text = resources.files("briefing.data").joinpath(BACKGROUND_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    return data["df"], int(data["documents"])


def _weak_links_apart(rows: list[int], vectors: sp.csr_matrix) -> list[list[int]]:
    """The story of ``rows`` (rows of ``vectors``, at most SMALL_STORY): the rows with a link
    at least STORY_PAIR similar among them, each of the others alone."""
    if len(rows) < 2:
        return [rows]
    similar = _link_strengths(vectors[rows])
    strong = similar.max(axis=1) >= STORY_PAIR
    if strong.all():
        return [rows]
    held = [row for row, keep in zip(rows, strong, strict=True) if keep]
    alone = [[row] for row, keep in zip(rows, strong, strict=True) if not keep]
    return (_weak_links_apart(held, vectors) if held else []) + alone


def _strays_apart(rows: list[int], vectors: sp.csr_matrix) -> list[list[int]]:
    """The story of ``rows`` (rows of ``vectors``) without its strays, each then alone: the
    articles with no link STORY_PAIR similar that are on average less than STRAY_SHARE as
    like the others as the others are like each other."""
    size = len(rows)
    if not SMALL_STORY < size <= STRAY_CHECK:
        return [rows]
    similar = (vectors[rows] @ vectors[rows].T).toarray()
    np.fill_diagonal(similar, 0.0)
    own = similar.sum(axis=1)
    # The others' pairs: all pairs but this article's, over their number.
    others = (similar.sum() - 2 * own) / ((size - 1) * (size - 2))
    stray = (similar.max(axis=1) < STORY_PAIR) & (own / (size - 1) < STRAY_SHARE * others)
    if not stray.any():
        return [rows]
    kept = [row for row, out in zip(rows, stray, strict=True) if not out]
    return [kept, *([row] for row, out in zip(rows, stray, strict=True) if out)]


def _link_strengths(members: sp.csr_matrix) -> np.ndarray:
    """Return how strongly each pair of ``members`` (rows of TF-IDF) is linked: their
    cosine, in which no one term counts for more than all the others together.  Two
    reports on unrelated figures that both say "percent" twenty times are alike by that
    one word alone; two on one story share its names, places and what happened."""
    size = members.shape[0]
    strengths = np.zeros((size, size))
    for a in range(size):
        for b in range(a + 1, size):
            shared = members[a].multiply(members[b]).data
            top = shared.max() if shared.size else 0.0
            others = shared.sum() - top
            strengths[a, b] = strengths[b, a] = others + min(top, others)
    return strengths


def deep_story_vectors(counts: TermCounts) -> sp.csr_matrix:
    """Return the rows ``story_groups`` compares a story with a deep one by, for the
    articles' term ``counts``: TF-IDF over DEEP_BACKGROUND_DOCUMENTS, each count dampened
    (1 + log), and only the terms two articles or more hold (a term one article holds
    makes it like no other, yet takes a share of its length)."""
    return weighted(counts, background=DEEP_BACKGROUND_DOCUMENTS, sublinear=True, shared=True)


# Stories compared with the deep ones this many at a time (a block of averages in memory).
JOIN_BLOCK = 2048


def _day(article: Article) -> float:
    """The day ``article`` was published, as an ordinal (NaN when it does not say)."""
    return float(article.published.toordinal()) if article.published else np.nan


def _join_deep_stories(
    parts: list[list[int]],
    vectors: sp.csr_matrix,
    story_vectors: sp.csr_matrix,
    days: np.ndarray,
) -> list[list[int]]:
    """Return ``parts`` (lists of rows of ``vectors``) with each story of fewer than
    DEEP_STORY rows joined to the deep story it is on average most similar to, when that is
    at least JOINS_DEEP_STORY and, over ``story_vectors`` (the same rows as the clustering
    weighed them), at least DEEP_JOIN_FLOOR, and when it was published within the deep
    story's time (``days``: each row's, NaN when undated; see DEEP_JOIN_DAYS); the deep
    stories are not joined to each other."""
    deep = [part for part in parts if len(part) >= DEEP_STORY]
    small = [part for part in parts if len(part) < DEEP_STORY]
    deep_sums = _row_sums(deep, vectors)
    deep_story_sums = _row_sums(deep, story_vectors)
    deep_sizes = np.asarray([len(part) for part in deep], dtype=float)
    deep_first, deep_last = _spans(deep, days)
    joined = [list(part) for part in deep]
    alone = []
    for start in range(0, len(small), JOIN_BLOCK):
        block = small[start : start + JOIN_BLOCK]
        sizes = np.asarray([len(part) for part in block], dtype=float)
        pairs = np.outer(deep_sizes, sizes)
        average = (deep_sums @ _row_sums(block, vectors).T).toarray() / pairs
        plain = (deep_story_sums @ _row_sums(block, story_vectors).T).toarray() / pairs
        average[plain < DEEP_JOIN_FLOOR] = 0.0
        first, last = _spans(block, days)
        # An undated day (NaN) compares False: it keeps no story out.
        average[(first < deep_first[:, None] - DEEP_JOIN_DAYS)] = 0.0
        average[(last > deep_last[:, None] + DEEP_JOIN_DAYS)] = 0.0
        best = average.argmax(axis=0)
        for k, part in enumerate(block):
            if average[best[k], k] >= JOINS_DEEP_STORY:
                joined[best[k]] += part
            else:
                alone.append(part)
    return [sorted(part) for part in joined] + alone


def _spans(parts: list[list[int]], days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last day (NaN when none is dated) of each part's rows."""
    first = np.full(len(parts), np.nan)
    last = np.full(len(parts), np.nan)
    for k, part in enumerate(parts):
        dated = days[part][~np.isnan(days[part])]
        if dated.size:
            first[k], last[k] = dated.min(), dated.max()
    return first, last


def _row_sums(parts: list[list[int]], vectors: sp.csr_matrix) -> sp.csr_matrix:
    """Return a row per part: the sum of its rows of ``vectors``."""
    import scipy.sparse as sp

    rows = np.concatenate([np.asarray(part, dtype=np.int64) for part in parts])
    owner = np.repeat(np.arange(len(parts)), [len(part) for part in parts])
    members = sp.csr_matrix(
        (np.ones(len(rows)), (owner, rows)), shape=(len(parts), vectors.shape[0])
    )
    return (members @ vectors).tocsr()


def _about(article: Article) -> list[str]:
    """The stems an article is grouped by: its headline and lead twice, then the rest."""
    paragraphs = article.text.split("\n")
    title = content_stems(article.title)
    lead = content_stems("\n".join(paragraphs[:LEAD_PARAGRAPHS]))
    rest = content_stems("\n".join(paragraphs[LEAD_PARAGRAPHS:]))
    return title + title + lead + lead + rest


@dataclass(frozen=True, slots=True)
class TermCounts:
    """How often each term is in each of some token lists: ``matrix`` (lists x terms, sparse)
    and the column of each term in it (``vocabulary``)."""

    matrix: sp.csr_matrix
    vocabulary: dict[str, int]


def term_counts(documents: Sequence[list[str]]) -> TermCounts:
    """Return the TermCounts of token lists ``documents``."""
    import scipy.sparse as sp

    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, tokens in enumerate(documents):
        for token, count in Counter(tokens).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
            counts.append(count)
    matrix = sp.csr_matrix(
        (np.asarray(counts, dtype=float), (rows, cols)), shape=(len(documents), len(vocabulary))
    )
    return TermCounts(matrix, vocabulary)


def tfidf_rows(
    documents: Sequence[list[str]],
    *,
    background: int = 0,
    sublinear: bool = False,
    shared: bool = False,
) -> sp.csr_matrix:
    """Return L2-normalised TF-IDF rows (a sparse matrix) for token lists ``documents``, as
    ``weighted`` weighs their ``term_counts``."""
    return weighted(
        term_counts(documents), background=background, sublinear=sublinear, shared=shared
    )


def weighted(
    counts: TermCounts,
    *,
    background: int = 0,
    sublinear: bool = False,
    shared: bool = False,
) -> sp.csr_matrix:
    """Return L2-normalised TF-IDF rows (a sparse matrix) of term ``counts``.

    With ``background`` > 0 (articles, as ``story_groups`` passes BACKGROUND_DOCUMENTS), a
    term's document frequency is the folder's smoothed toward ordinary news: as if the
    folder held ``background`` more articles, holding each term as often as the background
    articles do (``background_frequencies``).  A small folder cannot tell by itself that
    "deal" or "jobs" is in every other article while a name is not; a large one outweighs
    the background.  With ``sublinear``, a count c weighs 1 + log c; with ``shared``, a
    term only one of the documents holds weighs nothing.
    """
    import scipy.sparse as sp

    matrix, vocabulary = counts.matrix, counts.vocabulary
    documents = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(float)
    held_by_one = df == 1
    if background:
        held, total = background_frequencies()
        share = np.zeros(len(vocabulary))
        for token, column in vocabulary.items():
            share[column] = held.get(token, 0) / total
        df += background * share
    idf = np.log((1 + documents + background) / (1 + df)) + 1.0
    if shared:
        idf[held_by_one] = 0.0
    if sublinear:
        matrix = matrix.copy()  # the counts may be weighed again
        matrix.data = 1.0 + np.log(matrix.data)
    matrix = matrix.multiply(idf).tocsr()
    if shared:
        matrix.eliminate_zeros()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ matrix
