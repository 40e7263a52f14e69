"""Tests of the ranking stage: every method, degenerate inputs, the default's preferences."""

from __future__ import annotations

import numpy as np
import pytest

from briefing.errors import UnknownMethodError
from briefing.rank import RANKERS, DefaultRanker, get_ranker, rank_sentences, select
from briefing.sumy_rankers import (
    EdmundsonRanker,
    FastKLRanker,
    FastLexRankRanker,
    FastTextRankRanker,
    KLRanker,
    LexRankRanker,
    TextRankRanker,
)
from briefing.words import content_stems, stop_words, tokenize_words

ARTICLE = (
    "The city council approved a new budget for public schools on Tuesday after months of debate.",
    "The budget raises spending on schools by 4 percent and hires two hundred new teachers.",
    "Council members said the schools budget was the largest in the city's history.",
    "Parents had campaigned for more teachers in crowded schools for several years.",
    "What happens next?",
    "The mayor is expected to sign the budget for schools next week.",
    "Opponents said the council should have cut property taxes instead.",
)
TITLE = "Council approves record schools budget"

ALL_METHODS = sorted(RANKERS)
# The methods that read where a sentence stands (the lead first), not only what it says.
POSITION_AWARE = {"default", "lead", "edmundson"}
# The methods that pick sentences one by one, each for what the picked ones lack.
GREEDY = {"kl", "kl-fast", "sumbasic"}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_every_method_returns_one_finite_score_per_sentence(method: str) -> None:
    scores = rank_sentences(ARTICLE, method=method)
    assert isinstance(scores, np.ndarray)
    assert scores.shape == (len(ARTICLE),)
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("method", ALL_METHODS)
def test_a_title_never_lowers_the_sentence_it_echoes(method: str) -> None:
    # A method either ignores the title or favours the sentences that share its words.
    title = "Opponents want property taxes cut"  # echoes ARTICLE[6]
    without = rank_sentences(ARTICLE, method=method)
    with_title = rank_sentences(ARTICLE, title=title, method=method)
    assert with_title.shape == (len(ARTICLE),) and np.isfinite(with_title).all()
    above = lambda scores: int((scores > scores[6]).sum())  # noqa: E731
    assert np.allclose(with_title, without) or above(with_title) <= above(without)


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize(
    "sentences",
    [(), ("Only one sentence here.",), ("...", "!!", "?"), ("", "  "), ("the", "of and", "a")],
    ids=["empty", "one", "punctuation", "blank", "stop-words-only"],
)
def test_every_method_survives_degenerate_input(method: str, sentences: tuple[str, ...]) -> None:
    scores = rank_sentences(sentences, method=method)
    assert scores.shape == (len(sentences),)
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("method", ALL_METHODS)
def test_duplicate_sentences_keep_their_own_scores_and_alignment(method: str) -> None:
    sentences = (*ARTICLE[:3], ARTICLE[0], *ARTICLE[3:], ARTICLE[1])
    scores = rank_sentences(sentences, method=method)
    assert scores.shape == (len(sentences),) and np.isfinite(scores).all()
    if method in POSITION_AWARE:
        return
    if method in GREEDY:
        # Once the original is picked, its copy adds nothing new: it comes after it.
        assert scores[3] < scores[0] and scores[-1] < scores[1]
        return
    # Scores follow the sentences, not the positions: a copy scores as its original, and
    # reversing the article reverses the scores.
    assert scores[3] == pytest.approx(scores[0]) and scores[-1] == pytest.approx(scores[1])
    reverse = rank_sentences(sentences[::-1], method=method)[::-1]
    assert reverse == pytest.approx(scores)


def test_sumy_lexrank_scores_duplicates_like_their_originals() -> None:
    sentences = (*ARTICLE, ARTICLE[2])
    scores = LexRankRanker().score(sentences)
    assert scores[2] == pytest.approx(scores[-1])


def test_fast_lexrank_gives_the_same_scores_as_sumy_lexrank() -> None:
    sentences = (*ARTICLE, ARTICLE[1], "Teachers welcomed the new budget for schools.")
    slow = LexRankRanker().score(sentences)
    fast = FastLexRankRanker().score(sentences)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12)
    assert select(fast, 3) == select(slow, 3)


def test_unknown_method_raises_error_naming_the_valid_methods() -> None:
    with pytest.raises(UnknownMethodError) as info:
        get_ranker("bogus")
    assert "lexrank" in str(info.value)
    assert "default" in str(info.value)
    with pytest.raises(UnknownMethodError):
        rank_sentences(ARTICLE, method="bogus")


def test_registry_has_every_sumy_method_and_the_default() -> None:
    expected = {"default", "lead", "lexrank", "textrank", "lsa", "luhn", "edmundson"}
    expected |= {"sumbasic", "kl", "reduction"}
    assert expected <= set(RANKERS)


def test_default_prefers_central_lead_sentence_over_a_question() -> None:
    sentences = (
        "Is this the end of cheap flights?",
        "Airlines raised fares on Monday as fuel prices rose for a third month.",
        "Fuel prices pushed fares up on most routes, the airlines said.",
        "Analysts expect fares to keep rising while fuel stays expensive.",
    )
    scores = rank_sentences(sentences)
    assert int(np.argmax(scores)) == 1
    assert scores[0] < scores[1]


def test_default_prefers_central_lead_sentence_over_a_byline() -> None:
    sentences = (
        "By . Daily Mail Reporter .",
        "Airlines raised fares on Monday as fuel prices rose for a third month.",
        "Fuel prices pushed fares up on most routes, the airlines said.",
        "Analysts expect fares to keep rising while fuel stays expensive.",
    )
    scores = rank_sentences(sentences)
    assert int(np.argmax(scores)) == 1


def test_default_opens_with_central_lead_sentences_then_follows_centrality() -> None:
    # The article's first three sentences are all on its subject (the budget): they open
    # the ranking in their own order, and the rest follow by centrality, the question and
    # the aside last.
    ranker = DefaultRanker()
    feats = ranker.features(ARTICLE)
    order = np.argsort(-ranker.combine(feats), kind="stable").tolist()
    assert order[:3] == [0, 1, 2]
    rest = order[3:]
    assert rest == sorted(rest, key=lambda i: -feats["centrality"][i])
    assert rest[-1] == 4  # "What happens next?"


def test_default_skips_an_opening_the_article_does_not_take_up() -> None:
    sentences = (
        "Grandma Edna always said the kettle should sing before breakfast.",
        "The city council approved a new budget for public schools on Tuesday.",
        "The budget raises spending on public schools and hires new teachers.",
        "Council members said the schools budget was the largest in the city's history.",
        "Teachers welcomed the budget for public schools.",
    )
    assert 0 not in select(rank_sentences(sentences), 3)


def test_fast_textrank_gives_the_same_scores_as_sumy_textrank() -> None:
    sentences = (*ARTICLE, ARTICLE[1], "Teachers welcomed the new budget for schools.", "Budget.")
    slow = TextRankRanker().score(sentences)
    fast = FastTextRankRanker().score(sentences)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12)
    assert select(fast, 3) == select(slow, 3)


def test_fast_kl_picks_sentences_in_the_same_order_as_sumy_kl() -> None:
    sentences = (*ARTICLE, ARTICLE[1], "The Budget for schools was approved.", "Budget.")
    slow = KLRanker().score(sentences)
    fast = FastKLRanker().score(sentences)
    np.testing.assert_array_equal(fast, slow)


def test_fast_kl_of_sentences_without_content_words_is_all_zero() -> None:
    assert FastKLRanker().score(["The and of.", "It is."]).tolist() == [0.0, 0.0]
    assert FastKLRanker().score([]).tolist() == []


def test_default_rejects_unknown_penalty_names() -> None:
    with pytest.raises(ValueError, match="unknown penalties"):
        DefaultRanker(penalties={"nonsense": 1.0})


def test_edmundson_uses_the_title_given_in_the_constructor_free_call() -> None:
    ranker = EdmundsonRanker(bonus_words=["approved"], stigma_words=["opponents"])
    with_title = ranker.score(ARTICLE, title=TITLE)
    without = ranker.score(ARTICLE)
    assert not np.allclose(with_title, without)


def test_select_returns_best_indices_in_document_order() -> None:
    assert select([0.1, 0.9, 0.5, 0.7], 2) == [1, 3]
    assert select(np.array([3.0, 1.0, 2.0]), 3) == [0, 1, 2]


def test_select_breaks_ties_towards_earlier_sentences() -> None:
    assert select([1.0, 1.0, 1.0, 0.0], 2) == [0, 1]


def test_select_handles_zero_and_oversized_k() -> None:
    assert select([0.3, 0.2], 0) == []
    assert select([0.3, 0.2], 5) == [0, 1]
    assert select([], 3) == []


def test_tokenizer_keeps_words_and_drops_punctuation() -> None:
    assert tokenize_words("Don't panic, U.S. well-known 3.5% ( cnn ) !") == [
        "Don't",
        "panic",
        "U.S",
        "well-known",
        "3.5",
        "cnn",
    ]


def test_content_stems_drop_stop_words_and_stem_the_rest() -> None:
    assert "the" in stop_words()
    assert content_stems("The councils were approving budgets") == ["council", "approv", "budget"]


def _textbook_features(sentences: list[str], damping: float) -> tuple[np.ndarray, np.ndarray]:
    """Centrality and forward centrality as DefaultRanker's docstring defines them, computed
    the plain dense way: TF (then sublinear TF-IDF) cosines, PageRank by one linear solve."""
    stops = stop_words()
    bags = [[w for w in tokenize_words(s.lower()) if w not in stops] for s in sentences]
    vocab = sorted({w for bag in bags for w in bag})
    column = {w: j for j, w in enumerate(vocab)}
    tf = np.zeros((len(sentences), len(vocab)))
    for i, bag in enumerate(bags):
        for w in bag:
            tf[i, column[w]] += 1

    def cosines(vectors: np.ndarray) -> np.ndarray:
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-300)
        sim = unit @ unit.T
        np.fill_diagonal(sim, 0.0)
        return sim

    graph = cosines(tf)
    walk = graph / (graph.sum(axis=1, keepdims=True) + 1e-9)
    n = len(sentences)
    rank = np.linalg.solve(np.eye(n) - damping * walk.T, np.full(n, 1.0 - damping))
    idf = np.log((1.0 + n) / (1.0 + (tf > 0).sum(axis=0))) + 1.0
    forward = np.triu(cosines(np.log1p(tf) * idf), k=1).sum(axis=1)
    return rank / rank.max(), forward / forward.max()


def test_a_long_document_is_ranked_as_the_textbook_dense_computation_ranks_it() -> None:
    # 1,200 sentences over a vocabulary of 3,000 words: long enough for the sparse path
    # (similarities kept sparse, PageRank by power iteration), few enough to check densely.
    rng = np.random.default_rng(7)
    words = [f"w{i}x" for i in range(3000)]
    sentences = [
        " ".join(rng.choice(words, size=rng.integers(5, 20))) + "." for _ in range(1200)
    ]
    sentences[::100] = [f"Alone{i}." for i in range(12)]  # sharing no word with the rest
    ranker = DefaultRanker()
    feats = ranker.features(sentences)
    centrality, forward = _textbook_features(sentences, ranker.damping)
    np.testing.assert_allclose(feats["centrality"], centrality, atol=1e-5)
    np.testing.assert_allclose(feats["forward"], forward, atol=1e-9)
    assert feats["centrality"][::100].max() < np.median(feats["centrality"])
