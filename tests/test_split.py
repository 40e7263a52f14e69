"""Tests for briefing.split: sentence splitting with the shipped Punkt parameters."""

from __future__ import annotations

import importlib
import json
import time
from importlib import resources

import nltk
import pytest

from briefing import split
from briefing.split import split_sentences


def test_split_separates_plain_sentences() -> None:
    assert split_sentences("The vote passed. Critics objected! Will it last?") == [
        "The vote passed.",
        "Critics objected!",
        "Will it last?",
    ]


def test_split_keeps_abbreviation_inside_sentence() -> None:
    text = "Mr. Smith met Dr. Jones of Acme Inc. at St. Paul's on Jan. 5 to talk about the U.S. budget."
    assert split_sentences(text) == [text]


def test_split_ends_sentence_after_abbreviation_before_new_sentence() -> None:
    assert split_sentences("The deal was signed by Acme Inc. It closes in March.") == [
        "The deal was signed by Acme Inc.",
        "It closes in March.",
    ]
    assert split_sentences("I have lived in the U.S. How about you?") == [
        "I have lived in the U.S.",
        "How about you?",
    ]


def test_split_keeps_initials_inside_sentence() -> None:
    assert split_sentences("The book by J. K. Rowling sold well. Her publisher was pleased.") == [
        "The book by J. K. Rowling sold well.",
        "Her publisher was pleased.",
    ]


def test_split_keeps_decimals_inside_sentence() -> None:
    assert split_sentences(
        "Growth slowed to 3.5% in 2004, from 4.25% a year earlier. Prices rose."
    ) == [
        "Growth slowed to 3.5% in 2004, from 4.25% a year earlier.",
        "Prices rose.",
    ]


def test_split_keeps_money_inside_sentence() -> None:
    text = "Profits rose to $1.2bn (£650.5m), or £3.50 a share, from $980.7m. Costs fell."
    assert split_sentences(text) == [
        "Profits rose to $1.2bn (£650.5m), or £3.50 a share, from $980.7m.",
        "Costs fell.",
    ]


def test_split_keeps_quote_with_its_attribution() -> None:
    text = '"We will not give up," he said. "The talks go on." She nodded.'
    assert split_sentences(text) == [
        '"We will not give up," he said.',
        '"The talks go on."',
        "She nodded.",
    ]


def test_split_puts_closing_quote_after_period_in_the_sentence() -> None:
    assert split_sentences('She said: "It is over." Then she left.') == [
        'She said: "It is over."',
        "Then she left.",
    ]
    assert split_sentences("He said: “It is over.” Then he left.") == [
        "He said: “It is over.”",
        "Then he left.",
    ]


def test_split_keeps_quoted_sentence_followed_by_lower_case_attribution() -> None:
    text = '"Is this the end?" asked one official. "No."'
    assert split_sentences(text) == ['"Is this the end?" asked one official.', '"No."']


def test_split_handles_a_m_and_p_m() -> None:
    text = "Polls open at 7 a.m. and close at 10 p.m. on Thursday. Results follow on Friday."
    assert split_sentences(text) == [
        "Polls open at 7 a.m. and close at 10 p.m. on Thursday.",
        "Results follow on Friday.",
    ]


def test_split_treats_capitalised_acronym_as_a_word_not_an_abbreviation() -> None:
    assert split_sentences("The drug helps patients with MS. Approval is expected soon.") == [
        "The drug helps patients with MS.",
        "Approval is expected soon.",
    ]


def test_split_treats_each_line_as_a_paragraph() -> None:
    text = "Headline without a stop\nThe first paragraph ends in the U.S.\nEconomy news follows."
    assert split_sentences(text) == [
        "Headline without a stop",
        "The first paragraph ends in the U.S.",
        "Economy news follows.",
    ]


def test_split_skips_blank_lines_and_strips_whitespace() -> None:
    assert split_sentences("\n\n   One.   Two.  \n\t\n  Three.\r\n") == ["One.", "Two.", "Three."]


def test_split_returns_nothing_for_empty_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []


def test_split_returns_text_without_terminal_punctuation_as_one_sentence() -> None:
    assert split_sentences("Talks to resume next week") == ["Talks to resume next week"]


def test_split_separates_numbered_list_items() -> None:
    assert split_sentences("1. Cut taxes. 2. Raise spending 3. Hold an election") == [
        "1. Cut taxes.",
        "2. Raise spending",
        "3. Hold an election",
    ]


def test_split_separates_bulleted_items() -> None:
    assert split_sentences("• Cut taxes • Raise spending") == ["• Cut taxes", "• Raise spending"]


def test_split_keeps_ellipsis_inside_sentence() -> None:
    text = "It was ... well, not quite . . . what we expected."
    assert split_sentences(text) == [text]
    assert split_sentences("I never meant that.... She left.") == [
        "I never meant that....",
        "She left.",
    ]


def test_split_completes_a_very_long_single_line() -> None:
    sentence = "Mr. Brown said profits rose 3.5% to $1.2bn in the U.S. last year. "
    text = sentence * (2_000_000 // len(sentence))
    started = time.perf_counter()
    sentences = split_sentences(text)
    assert time.perf_counter() - started < 30
    assert len(sentences) == 2_000_000 // len(sentence)
    assert sentences[0] == sentence.strip()


def test_split_completes_a_very_long_line_without_spaces_or_stops() -> None:
    text = "x" * 2_000_000
    assert split_sentences(text) == [text]
    dotted = "a." * 1_000_000
    assert "".join(split_sentences(dotted)) == dotted


def test_split_cuts_a_paragraph_of_a_thousand_sentences_at_each() -> None:
    # Its speed is benchmarks/split.py's to measure (a bar of 1 s per 1,000 sentences).
    text = "The minister said on Monday that talks with the U.S. would resume. " * 1000
    assert len(split_sentences(text)) == 1000


def test_split_never_looks_up_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("nltk data lookup")

    monkeypatch.setattr(nltk.data, "load", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    module = importlib.reload(split)
    try:
        assert module.punkt_parameters.cache_info().currsize == 0  # nothing loaded at import
        assert module.split_sentences("Mr. Smith left. He was late.") == [
            "Mr. Smith left.",
            "He was late.",
        ]
    finally:
        importlib.reload(split)


def test_split_ships_small_parameters_without_article_text() -> None:
    resource = resources.files("briefing.data").joinpath(split.PARAMETERS_FILE)
    raw = resource.read_text(encoding="utf-8")
    assert len(raw.encode("utf-8")) < 1_000_000
    data = json.loads(raw)
    words = [*data["abbrev_types"], *data["sent_starters"], *data["ortho_context"]]
    assert all(" " not in word for word in words)
    assert {"mr", "u.s", "inc", "jan", "a.m", "st"} <= set(data["abbrev_types"])


def test_split_keeps_a_councillors_title_inside_the_sentence() -> None:
    text = "Northgate's mayor, Cllr. Anna Price, said the town would fight. Then it rained."
    assert split_sentences(text) == [
        "Northgate's mayor, Cllr. Anna Price, said the town would fight.",
        "Then it rained.",
    ]


def test_split_breaks_pre_tokenized_lower_case_text_at_standalone_stops() -> None:
    text = (
        "new delhi ( cnn ) thousands stormed a jail , police said . the suspect , 35 , died "
        "thursday . \" it was n't safe , \" he said . did it work ? no !"
    )
    assert split_sentences(text) == [
        "new delhi ( cnn ) thousands stormed a jail , police said .",
        "the suspect , 35 , died thursday .",
        "\" it was n't safe , \" he said .",
        "did it work ?",
        "no !",
    ]


def test_split_does_not_treat_a_spaced_ellipsis_as_tokenized_text() -> None:
    assert split_sentences("It was over . . . or was it? Yes.") == [
        "It was over . . . or was it?",
        "Yes.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Local MP J.R. Hale welcomed the agreement on Monday.",
            ["Local MP J.R. Hale welcomed the agreement on Monday."],
        ),
        (
            "Rep. A.B. Smith voted against. It passed anyway.",
            ["Rep. A.B. Smith voted against.", "It passed anyway."],
        ),
        (
            "The deal was signed in the U.S. The talks ended.",
            ["The deal was signed in the U.S.", "The talks ended."],
        ),
        ("The unit is called A.B. Its shares fell.", ["The unit is called A.B.", "Its shares fell."]),
        (
            "Texas Gov. George W. Bush said on Tuesday that he would run.",
            ["Texas Gov. George W. Bush said on Tuesday that he would run."],
        ),
        (
            "The chairman, James E. Hall, said the data were sound.",
            ["The chairman, James E. Hall, said the data were sound."],
        ),
        ("They fell back on Plan B. The rest went home.", ["They fell back on Plan B.", "The rest went home."]),
        (
            "The fire started in Terminal B. Police evacuated the building within minutes.",
            ["The fire started in Terminal B.", "Police evacuated the building within minutes."],
        ),
    ],
)
def test_initials_before_a_surname_do_not_end_a_sentence(text, expected):
    assert split_sentences(text) == expected


def test_the_sentence_tokenizer_pickles_and_keeps_its_class_name():
    import pickle

    tokenizer = split.sentence_tokenizer()
    again = pickle.loads(pickle.dumps(tokenizer))
    assert type(again) is split.NewsSentenceTokenizer is type(tokenizer)
    assert again.tokenize("Patients with MS. Final approval came later.") == [
        "Patients with MS.",
        "Final approval came later.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The man was detained, police said on Wednesday.The attack took place at a clinic.",
            ["The man was detained, police said on Wednesday.", "The attack took place at a clinic."],
        ),
        (
            "He said it was “the end of an era.”Nobody in the room disagreed.",
            ["He said it was “the end of an era.”", "Nobody in the room disagreed."],
        ),
        (  # a straight quote after the stop opens the next sentence
            'She arrived on the red carpet."It is wonderful," she said.',
            ["She arrived on the red carpet.", '"It is wonderful," she said.'],
        ),
    ],
)
def test_split_separates_sentences_run_together_without_a_space(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "She moved to St.Louis in May and opened a bakery.",
        "Write to Jane.Doe@example.com for tickets.",
        "Customers of One.Tel, which collapsed in 2001, were moved to rivals.",
        "The Zafi.D virus spreads by e-mail.",
        "Gov.Smith signed the bill on Monday.",
    ],
)
def test_split_leaves_names_addresses_and_an_opening_quote_after_a_stop_alone(text):
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The state's “Meth. We're on it.” campaign drew mockery on its first day.",
            ["The state's “Meth. We're on it.” campaign drew mockery on its first day."],
        ),
        (
            "“No. Never.” That was all the minister would say about the deal.",
            ["“No. Never.”", "That was all the minister would say about the deal."],
        ),
    ],
)
def test_split_keeps_a_short_quotation_whole(text, expected):
    assert split_sentences(text) == expected


def test_split_still_cuts_a_long_quotation_into_its_sentences():
    text = (
        "“The council has listened to residents on every street of the route. "
        "We will build the line,” the mayor said."
    )
    assert len(split_sentences(text)) == 2


def test_a_row_of_results_is_one_unit_not_sentences() -> None:
    text = (
        "Viera (4-0): K. Hupfer 1 goal. L. Patikas 1 goal. A. Sanger 2 saves.\n"
        "Viera won its fourth game in a row. The coach said the team was ready."
    )
    assert split_sentences(text) == [
        "Viera (4-0): K. Hupfer 1 goal. L. Patikas 1 goal. A. Sanger 2 saves.",
        "Viera won its fourth game in a row.",
        "The coach said the team was ready.",
    ]
