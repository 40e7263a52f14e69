"""Tests of briefing.classify: cue lexicons, reported speech, confidence and the seed article."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

import briefing
from briefing.classify import (
    CLASSIFIERS,
    CONFIDENT,
    classify_sentences,
    extract_features,
    feature_names,
    get_classifier,
)
from briefing.classify.cues import find_cues
from briefing.errors import UnknownClassifierError
from briefing.load import load_file
from briefing.models import LABELS, Classification
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


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        # A one-letter first word, a literal that a longer cue of the group shares.
        ("i think the plan is wrong", "disagreement_opinion", "i think"),
        # A leading choice of words, then a wildcard.
        ("profits rose sharply", "outcome_result", "profits rose"),
        # A gap of up to three words.
        ("they failed to agree", "disagreement_stalemate", "failed to agree"),
        (
            "failed to quickly and fully agree",
            "disagreement_stalemate",
            "failed to quickly and fully agree",
        ),
        ("failed to quickly and then fully agree", "disagreement_stalemate", None),
        # Digits in a choice.
        ("the line opens in 2031", "next_step_time", "in 2031"),
        ("the line opened in 1999", "next_step_time", None),
        # A cue ends at a word's end: "signal" is not "signed".
        ("a signal from the board", "outcome_decision", None),
        # A stalemate is of talks, a deal or a process, not of buildings, a man or a virus.
        ("the talks collapsed on friday", "disagreement_stalemate", "talks collapsed"),
        ("the collapse of the peace talks", "disagreement_stalemate", "collapse of the peace talks"),
        ("buildings that collapsed in the quake", "disagreement_stalemate", None),
        ("negotiations broke down", "disagreement_stalemate", "negotiations broke down"),
        ("she broke down in tears", "disagreement_stalemate", None),
        ("there is no sign of a deal", "disagreement_stalemate", "no sign of a deal"),
        ("no sign of the virus has appeared", "disagreement_stalemate", None),
        ("the stalls sell food", "disagreement_stalemate", None),
        ("his first grand slam title", "disagreement_rejection", None),
        ("the suez canal", "disagreement_rejection", None),
        ("she sued the council", "disagreement_rejection", "sued"),
    ],
)
def test_cues_match_their_lexicon_line(text: str, group: str, expected: str | None) -> None:
    starts = [(m.start(), text[m.start() : m.start() + 2]) for m in re.finditer(r"\b\w", text)]
    found = find_cues(text, starts, {group})
    assert [cue for _, cue in found.get(group, [])][:1] == ([expected] if expected else [])


def test_neutral_reporting_verb_alone_is_not_a_section_cue() -> None:
    plain = "The museum, which opened in 1902, has three floors."
    reported = "The museum, which opened in 1902, has three floors, she said."
    assert label_of(reported) == label_of(plain)
    (result,) = classify_sentences([BEFORE, reported, AFTER])[1:2]
    assert result.label == "context" or result.confidence < CONFIDENT


@pytest.mark.parametrize(
    "sentence",
    [
        "If the companies were to merge, it would create the largest bank in the country.",
        "Some White House advisers would like to see China agree to buy more soybeans.",
        "The storm could weaken somewhat as it moves inland.",
    ],
)
def test_a_hypothetical_a_wish_or_a_speculation_is_not_a_confident_next_step(
    sentence: str,
) -> None:
    result = classify_sentences([BEFORE, sentence, AFTER])[1]
    assert not (result.label == "next_step" and result.confidence >= CONFIDENT), result


def test_a_scheduled_plan_is_a_confident_next_step_where_a_hypothetical_is_not() -> None:
    planned = classify_sentences([BEFORE, "The two banks will merge next year.", AFTER])[1]
    supposed = classify_sentences(
        [BEFORE, "If the two banks were to merge, they would cut jobs.", AFTER]
    )[1]
    assert planned.label == "next_step"
    assert planned.confidence >= CONFIDENT > supposed.confidence


def test_sentence_repeating_the_headline_is_context() -> None:
    title = "Ministers agree to reopen talks"
    result = classify_sentences([title, "Ministers agreed to reopen talks."], title=title)
    assert result[0].label == "context"


def test_empty_input_gives_no_classifications() -> None:
    assert classify_sentences([]) == ()
    assert briefing.classify([]) == []


def test_classify_gives_each_sentence_of_an_article_its_own_label_in_order() -> None:
    article = [
        "The council approved the budget on Monday.",
        "The union will hold a vote on the offer next Tuesday.",
        "Opposition leaders rejected the plan and accused ministers of ignoring the regions.",
        "The town has about 40,000 residents.",
    ]
    assert briefing.classify(article) == ["outcome", "next_step", "disagreement", "context"]
    assert briefing.classify(article) == [c.label for c in classify_sentences(article)]


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


def test_the_confident_threshold_splits_calibrated_confidences() -> None:
    # The shipped threshold is a probability that some labels reach and others do not.
    sentences = [*TAKEOVER, "It rained in the afternoon.", "The meeting was long."]
    confidences = [c.confidence for c in classify_sentences(sentences)]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert min(confidences) < CONFIDENT < max(confidences)


def test_shipped_model_matches_the_features_of_the_code() -> None:
    from briefing.classify import load_model

    assert load_model().features == feature_names()


SEED_EXPECTED = {
    "The US and China agreed to reopen talks": "outcome",
    "There was no progress on restoring direct contacts": "disagreement",
    "The US and China also remain at odds over trade": "disagreement",
    "Blinken’s meeting with Xi lays the groundwork": "next_step",
    "Chinese Defense Minister Li Shangfu has declined to meet": "disagreement",
    "In his meeting with Blinken, Wang Yi": "disagreement",
}
SEED_NOT_CONFIDENT = (
    "China has reasons to want to cool tensions.",
    "Beijing is facing an increasingly challenging geopolitical landscape",
)


def seed_results(path: Path) -> tuple[list[str], tuple]:
    """Return the seed article's sentences and their classifications."""
    (article,) = load_file(path)
    sentences = split_sentences(article.text)
    return sentences, classify_sentences(sentences, title=article.title)


@pytest.mark.parametrize(("start", "expected"), sorted(SEED_EXPECTED.items()))
def test_seed_article_key_sentences_get_the_editors_label(
    seed_article: Path, start: str, expected: str
) -> None:
    sentences, results = seed_results(seed_article)
    (index,) = [i for i, s in enumerate(sentences) if s.startswith(start)]
    assert results[index].label == expected


@pytest.mark.parametrize("start", SEED_NOT_CONFIDENT)
def test_seed_article_background_is_not_a_confident_disagreement(
    seed_article: Path, start: str
) -> None:
    sentences, results = seed_results(seed_article)
    (index,) = [i for i, s in enumerate(sentences) if s.startswith(start)]
    assert results[index].label == "context" or results[index].confidence < CONFIDENT


# Short articles of the kind briefings are made of; each case names a sentence of one of
# them and the label an editor gives it.  They are classified in their article.
LIBRARY = (
    "Westbrook's city council voted 9 to 4 on Monday night to close the Elm Street and Harrow Lane branch libraries, ending a year-long review of the library service.",
    "Councillor Dana Whitlock, who voted against the plan, accused the majority of balancing the budget on the backs of families.",
    "The Elm Street branch opened in 1962 and lends about 40,000 books a year.",
    "A mobile library van will start serving the two neighbourhoods in April, the library service said.",
)
FERRY = (
    "The operator of the Port Calder ferry and the seafarers' union agreed on Thursday to scrap a new timetable that had cut the number of evening sailings, ending a dispute that had left islanders stranded for two weeks.",
    "Under the deal, the last ferry of the day will again leave at 10.15 p.m.",
    "Island businesses said the deal came too late and criticised the operator for ignoring their warnings.",
    "The regional transport board will review the ferry contract in February.",
)
TAKEOVER = (
    "Kelling Glassworks agreed on Tuesday to be taken over by the Norvale group for £84 million.",
    "Norvale said it would keep the Kelling furnace running for at least five years.",
    "The company's chief executive said the deal would bring new investment in cleaner furnaces.",
    "The union said it opposed the deal because Norvale refused to guarantee pensions.",
    "Shareholders will vote on the takeover at a meeting on October 20.",
)
SUMMIT = (
    "Health ministers from 30 countries approved a treaty on pandemic preparedness in Geneva on Friday.",
    "Two countries said they would not support the treaty's rules on sharing vaccines.",
    "Talks on the financing of the plan failed to reach an agreement.",
    "The treaty will be opened for signature at a ceremony in March.",
    "Geneva has hosted the organisation's headquarters since 1948.",
)
CASES = [
    (LIBRARY, 0, "outcome"),
    (LIBRARY, 1, "disagreement"),
    (LIBRARY, 3, "next_step"),
    (FERRY, 0, "outcome"),
    (FERRY, 1, "next_step"),
    (FERRY, 2, "disagreement"),
    (FERRY, 3, "next_step"),
    (TAKEOVER, 0, "outcome"),
    (TAKEOVER, 1, "next_step"),
    (TAKEOVER, 3, "disagreement"),
    (TAKEOVER, 4, "next_step"),
    (SUMMIT, 0, "outcome"),
    (SUMMIT, 2, "disagreement"),
    (SUMMIT, 3, "next_step"),
]


@pytest.mark.parametrize(("article", "index", "expected"), CASES)
def test_plain_news_sentences_get_the_editors_label_in_their_article(
    article: tuple[str, ...], index: int, expected: str
) -> None:
    result = classify_sentences(article)[index]
    assert result.label == expected, result


def test_confidence_ranks_a_plain_dispute_above_a_neutral_description() -> None:
    results = classify_sentences(TAKEOVER)
    dispute = results[3]
    assert dispute.label == "disagreement" and dispute.confidence >= CONFIDENT
    assert results[2].label == "context" or results[2].confidence < dispute.confidence


def test_a_dispute_ended_by_an_agreement_is_an_outcome_not_a_disagreement() -> None:
    assert classify_sentences(FERRY)[0].label == "outcome"


def test_a_promise_or_expected_benefit_is_not_a_disagreement() -> None:
    results = classify_sentences(TAKEOVER)
    assert results[1].label == "next_step"
    assert results[2].label in ("next_step", "context")


def test_background_history_is_context() -> None:
    assert classify_sentences(LIBRARY)[2].label == "context"
    assert classify_sentences(SUMMIT)[4].label == "context"


def test_a_condition_is_not_a_negated_outcome() -> None:
    result = classify_sentences(
        [BEFORE, "If the council fails to agree, the budget lapses.", AFTER]
    )
    assert not (result[1].label == "disagreement" and result[1].confidence >= CONFIDENT)


def test_a_rule_decision_gives_a_readable_reason() -> None:
    reason = classify_sentences(TAKEOVER)[0].reason
    assert reason.startswith("rule: decision") and '"agreed"' in reason


def test_a_blast_furnace_is_not_a_dispute() -> None:
    sentences = [
        "The government agreed a rescue deal for the steelworks on Wednesday.",
        "Its two blast furnaces will be replaced by an electric arc furnace in 2029.",
        "The union said it would study the plan.",
    ]
    assert classify_sentences(sentences)[1].label != "disagreement"


def test_a_step_scheduled_on_a_wire_style_date_is_a_confident_next_step():
    (result,) = classify_sentences(
        ["Talks on a separate agreement covering crane operators will resume on Dec. 8."]
    )
    assert result.label == "next_step"
    assert result.confidence >= CONFIDENT
    assert "scheduled" in result.reason


def test_the_registry_has_the_shipped_classifier_as_default() -> None:
    assert "default" in CLASSIFIERS
    results = get_classifier().classify(list(TAKEOVER))
    assert results == classify_sentences(TAKEOVER)


def test_an_unknown_classifier_raises_an_error_naming_the_valid_ones() -> None:
    with pytest.raises(UnknownClassifierError) as caught:
        get_classifier("nope")
    assert "'nope'" in str(caught.value)
    assert "default" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(UnknownClassifierError):
        classify_sentences(TAKEOVER, classifier="nope")


class AllOutcomes:
    """A classifier sure that every sentence is an outcome."""

    def classify(
        self,
        sentences: Sequence[str],
        *,
        title: str | None = None,
        rows: Sequence[int] | None = None,
    ) -> tuple[Classification, ...]:
        wanted = range(len(sentences)) if rows is None else rows
        return tuple(Classification("outcome", 1.0, "test: all outcomes") for _ in wanted)


def test_the_pipeline_files_sentences_as_the_classifier_named_says(examples, monkeypatch):
    monkeypatch.setitem(CLASSIFIERS, "all-outcomes", AllOutcomes)
    brief = briefing.build(examples, date="2026-11-28", classifier="all-outcomes")
    kinds = {section.kind for section in brief.sections}
    assert "outcomes" in kinds
    assert not kinds & {"disagreements", "next_steps"}
    whys = [item.why for section in brief.sections for item in section.items]
    assert any("test: all outcomes" in why for why in whys)


def test_the_pipeline_refuses_an_unknown_classifier_before_any_work(examples):
    with pytest.raises(UnknownClassifierError, match="choose one of: default"):
        briefing.build(examples, classifier="nope")


def test_declining_to_comment_is_not_a_confident_disagreement() -> None:
    sentence = "The group's leader in South Carolina declined to comment."
    result = classify_sentences([BEFORE, sentence, AFTER])[1]
    assert not (result.label == "disagreement" and result.confidence >= CONFIDENT), result
    refusal = classify_sentences([BEFORE, "The group's leader refused to pay the fine.", AFTER])[1]
    assert refusal.label == "disagreement"


@pytest.mark.parametrize("rows", [[0], [4, 1], [2, 3, 0], [3]])
def test_classifying_some_rows_gives_what_the_whole_article_gives_them(rows) -> None:
    article = [*TAKEOVER, *SUMMIT]
    whole = classify_sentences(article, title="Kelling Glassworks sold to Norvale")
    some = get_classifier().classify(article, title="Kelling Glassworks sold to Norvale", rows=rows)
    assert some == tuple(whole[i] for i in rows)


def test_the_features_of_some_rows_are_those_rows_of_the_whole_article() -> None:
    article = [*SUMMIT, *TAKEOVER]
    whole = extract_features(article)
    rows = [len(article) - 1, 0, 5]
    some = extract_features(article, rows=rows)
    assert (some.matrix == whole.matrix[rows]).all()
    assert some.hits == tuple(whole.hits[i] for i in rows)
    assert some.terms == tuple(whole.terms[i] for i in rows)
    # Sentence 5 takes its neighbours' cues: the features are not those of it alone.
    alone = extract_features([article[5]])
    assert not (alone.matrix[0] == whole.matrix[5]).all()


class CountingClassifier:
    """The shipped classifier, noting how many sentences of each article it is asked for."""

    asked: ClassVar[list[int | None]] = []  # how many rows of each article; None: all of them

    def classify(self, sentences, *, title=None, rows=None):
        CountingClassifier.asked.append(None if rows is None else len(rows))
        return get_classifier().classify(sentences, title=title, rows=rows)


def test_only_the_briefed_stories_have_every_sentence_classified(examples, monkeypatch):
    monkeypatch.setitem(CLASSIFIERS, "counting", CountingClassifier)
    CountingClassifier.asked = []
    brief = briefing.build(examples, date="2026-11-28", classifier="counting", max_stories=2)
    plain = briefing.build(examples, date="2026-11-28", max_stories=2)
    assert brief.to_markdown() == plain.to_markdown()
    articles = len(list(examples.iterdir()))
    briefed_articles = sum(len(story.sources) for story in brief.stories)
    # Each article's five best sentences are classified to rank its story; every sentence
    # of the articles of the two stories briefed, to file them.
    assert CountingClassifier.asked.count(5) == articles
    assert CountingClassifier.asked.count(None) == briefed_articles < articles
