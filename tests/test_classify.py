"""Tests of briefing.classify: cue lexicons, reported speech, confidence and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.classify import CONFIDENT, classify, classify_sentences, feature_names
from briefing.load import load_file
from briefing.models import LABELS
from briefing.split import split_sentences

# Neutral background that follows the sentence under test, since the classifier reads
# sentences in their article (position and neighbours are features).
BEFORE = "The city has about two million inhabitants."
AFTER = "It lies on the coast."


def label_of(sentence: str) -> str:
    """Return the label of a sentence classified between two neutral background sentences."""
    return classify_sentences([BEFORE, sentence, AFTER])[1].label


@pytest.mark.parametrize(
    "sentence",
    [
        "The two governments agreed to resume trade talks after a day of meetings in Geneva.",
        "Parliament voted to approve the new budget on Tuesday.",
        "The company reported a 12% rise in quarterly profits.",
    ],
)
def test_decision_and_result_cues_give_outcome(sentence: str) -> None:
    assert label_of(sentence) == "outcome"


@pytest.mark.parametrize(
    "sentence",
    [
        "Opposition leaders accused the minister of misleading parliament.",
        "The union rejected the offer and criticised the management's handling of the talks.",
        "The mayor denied the allegations.",
    ],
)
def test_dispute_and_criticism_cues_give_disagreement(sentence: str) -> None:
    assert label_of(sentence) == "disagreement"


@pytest.mark.parametrize(
    "sentence",
    [
        "There was no progress on the question of fishing rights.",
        "Negotiators failed to reach an agreement on the border.",
        "The two sides remain at odds over the price of gas.",
    ],
)
def test_negated_progress_gives_disagreement(sentence: str) -> None:
    assert label_of(sentence) == "disagreement"


@pytest.mark.parametrize(
    "sentence",
    [
        "The committee is expected to publish its report next month.",
        "Ministers plan to hold a second round of talks later this year.",
        "The summit will take place in Nairobi in the coming weeks.",
    ],
)
def test_future_and_scheduling_cues_give_next_step(sentence: str) -> None:
    assert label_of(sentence) == "next_step"


def test_reported_speech_takes_the_label_of_what_is_reported() -> None:
    future = "The chief executive said the company will cut 500 jobs next year."
    dispute = "A spokeswoman said the council rejected the claims as false."
    assert label_of(future) == "next_step"
    assert label_of(dispute) == "disagreement"


def test_neutral_reporting_verb_alone_is_not_a_section_cue() -> None:
    assert label_of("The museum, which opened in 1902, has three floors, she said.") == "context"


def test_sentence_repeating_the_headline_is_context() -> None:
    title = "Ministers agree to reopen talks"
    result = classify_sentences([title, "Ministers agreed to reopen talks."], title=title)
    assert result[0].label == "context"


def test_empty_input_gives_no_classifications() -> None:
    assert classify_sentences([]) == ()
    assert classify([]) == []


def test_classify_returns_one_label_per_sentence() -> None:
    sentences = ["Talks will resume next week.", "The minister denied the report.", "It rained."]
    labels = classify(sentences)
    assert len(labels) == len(sentences)
    assert set(labels) <= set(LABELS)


def test_confidence_is_a_probability_and_reason_is_given() -> None:
    sentences = [
        "The board approved the merger on Monday.",
        "Critics attacked the decision.",
        "A vote is scheduled for next week.",
        "The town has a population of 40,000.",
        "",
        "!!!",
    ]
    for result in classify_sentences(sentences):
        assert result.label in LABELS
        assert 0.0 <= result.confidence <= 1.0
        assert result.reason


def test_confident_threshold_is_a_probability() -> None:
    assert 0.0 < CONFIDENT < 1.0


def test_shipped_model_matches_the_features_of_the_code() -> None:
    from briefing.classify import load_model

    assert load_model().features == feature_names()


SEED_EXPECTED = {
    "The US and China agreed to reopen talks": "outcome",
    "There was no progress on restoring direct contacts": "disagreement",
    "The US and China also remain at odds over trade": "disagreement",
    "Blinken’s meeting with Xi lays the groundwork": "next_step",
    "Chinese Defense Minister Li Shangfu has declined to meet": "disagreement",
}


@pytest.mark.parametrize(("start", "expected"), sorted(SEED_EXPECTED.items()))
def test_seed_article_key_sentences_are_filed_confidently(
    seed_article: Path, start: str, expected: str
) -> None:
    (article,) = load_file(seed_article)
    sentences = split_sentences(article.text)
    results = classify_sentences(sentences, title=article.title)
    (index,) = [i for i, s in enumerate(sentences) if s.startswith(start)]
    assert results[index].label == expected
    assert results[index].confidence >= CONFIDENT
