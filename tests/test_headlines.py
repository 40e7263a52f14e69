"""Headlines for articles saved without one (briefing.headlines), and what a brief shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_article, make_source

import briefing
from briefing.headlines import MAX_HEADLINE_WORDS, headline_of, lead_headline, story_headline
from briefing.models import describe_coverage

STORM = (
    "Hurricane Mitch killed at least 9,000 people in Honduras and Nicaragua, officials said "
    "on Monday, as rescue teams reached villages cut off for a week.\n"
    "The storm destroyed bridges and roads across the north of Honduras.\n"
    "Aid agencies said they would fly in food and medicine on Wednesday."
)
BANK = (
    "Two of Germany's largest banks agreed on Sunday to merge, creating the country's "
    "biggest lender with 60,000 staff.\n"
    "The boards of both banks approved the deal after talks that lasted through the night.\n"
    "Shareholders will vote on the merger at meetings in June."
)


def test_a_lead_headline_is_the_main_clause_of_the_first_sentence() -> None:
    assert (
        lead_headline(STORM)
        == "Hurricane Mitch killed at least 9,000 people in Honduras and Nicaragua"
    )


def test_a_relative_clause_after_the_subject_is_passed_over() -> None:
    lead = (
        "Hugo Chavez, who staged a bloody coup attempt six years ago, was elected president "
        "of Venezuela on Sunday."
    )
    assert lead_headline(lead) == "Hugo Chavez was elected president of Venezuela"


@pytest.mark.parametrize(
    ("lead", "headline"),
    [
        ("On Monday, the council approved the new tram line.", "The council approved the new tram line"),
        (
            "On the fifth day of the search, divers found the wreck of the ferry off the cape.",
            "Divers found the wreck of the ferry off the cape",
        ),
        (
            "With a band playing on the quay and flags flying, the liner left port for its last voyage.",
            "The liner left port for its last voyage",
        ),
        (
            "Citing a shortage of drivers, the city cut its night bus service by a third.",
            "The city cut its night bus service by a third",
        ),
        (
            "Facing a vote it could lose, Northfield Council delayed the budget to March.",
            "Northfield Council delayed the budget to March",
        ),
    ],
)
def test_a_headline_starts_at_the_main_clause_after_an_opening_phrase(lead, headline) -> None:
    assert lead_headline(lead) == headline


def test_a_main_clause_of_fourteen_words_is_kept_whole() -> None:
    lead = "The remains of the first victims of the Harwick ferry disaster have been identified."
    assert lead_headline(lead) == lead.rstrip(".")


def test_a_long_lead_is_cut_at_a_word_boundary_before_a_phrase() -> None:
    lead = (
        "Residents of the coastal town of Harwick in the north of the county began clearing "
        "debris from streets and gardens on Tuesday after the storm."
    )
    headline = lead_headline(lead)
    assert len(headline.split()) <= MAX_HEADLINE_WORDS
    assert lead.startswith(headline)
    assert lead[len(headline)] == " "  # a whole word, not part of one
    assert headline.split()[-1] not in ("of", "in", "the", "from", "on")


@pytest.mark.parametrize(
    ("lead", "headline"),
    [
        # Not before "of", which leaves the noun it continues hanging.
        (
            "The chief of Britain's largest police force apologized Thursday to the parents of a"
            " black teenager whose stabbing death five years ago focused attention on police.",
            "The chief of Britain's largest police force apologized",
        ),
        # Before "under", so the clause keeps its object.
        (
            "Chinese couples will find it easier and foreigners perhaps more difficult to adopt"
            " children under a revised adoption law approved by China's legislature Wednesday.",
            "Chinese couples will find it easier and foreigners perhaps more difficult to adopt"
            " children",
        ),
        # Before a relative clause, so the noun keeps what defines it.
        (
            "Hearings opened Tuesday in the case of a Leeds builder who says the council cut"
            " his water supply without notice.",
            "Hearings opened Tuesday in the case of a Leeds builder",
        ),
        # Never after a word that needs the next: "due", "in order", a modal.
        (
            "Harbour Foods said on Friday that its profits would be lower than expected due to"
            " the cost of its new online shop and a poor harvest.",
            "Harbour Foods said that its profits would be lower than expected",
        ),
        (
            "The city is rebuilding its flood defences along the whole river front in order to"
            " protect the old town from the next storm.",
            "The city is rebuilding its flood defences along the whole river front",
        ),
        # A month, a noun and a numeral are whole last words.
        (
            "The general election will be held in May, the prime minister announced on Tuesday"
            " after weeks of talk.",
            "The general election will be held in May",
        ),
        (
            "A federal judge blocked the mayor's executive order, which would have closed the"
            " shelters.",
            "A federal judge blocked the mayor's executive order",
        ),
        (
            "The museum opened an exhibition on World War I, drawing thousands of visitors.",
            "The museum opened an exhibition on World War I",
        ),
        # Nor inside a bracket it opens.
        (
            "Researchers estimate that some 1.2 million people in the region (or nearly one in"
            " five adults) now have the disease.",
            "Researchers estimate that some 1.2 million people in the region",
        ),
    ],
)
def test_a_long_lead_is_cut_where_a_phrase_starts_not_inside_a_noun(lead, headline) -> None:
    assert lead_headline(lead) == headline


def test_no_text_gives_no_headline() -> None:
    assert lead_headline("") == ""
    assert lead_headline("\n\n   \n") == ""


def test_an_article_keeps_its_own_title_when_it_has_one() -> None:
    assert headline_of(make_article(STORM, title="Mitch death toll passes 9,000")) == (
        "Mitch death toll passes 9,000"
    )
    assert headline_of(make_article(STORM, title="")).startswith("Hurricane Mitch killed")


def test_a_story_takes_a_title_over_any_lead_headline() -> None:
    untitled = make_article(STORM, title="")
    titled = make_article(STORM, title="Mitch kills thousands in Central America")
    assert story_headline([untitled, titled]) == "Mitch kills thousands in Central America"
    assert story_headline([untitled]).startswith("Hurricane Mitch killed")


def test_an_article_of_unknown_source_is_not_an_outlet_of_its_own() -> None:
    named = [make_source(1, source="Wire"), make_source(2, source="Wire")]
    unnamed = [make_source(n, source="") for n in (3, 4, 5)]
    assert describe_coverage(named + unnamed).startswith(
        "5 articles: 2 from 1 source, 3 of unknown source"
    )
    assert describe_coverage(unnamed).startswith("3 articles,")
    assert describe_coverage(named).startswith("2 articles from 1 source")
    spelled = [make_source(1, source="USA TODAY"), make_source(2, source="USA Today")]
    assert describe_coverage(spelled).startswith("2 articles from 1 source")


def test_text_files_without_a_headline_are_never_headed_by_their_file_name(tmp_path: Path):
    (tmp_path / "wire-02.txt").write_text(STORM, encoding="utf-8")
    (tmp_path / "15c1d2df.txt").write_text(BANK, encoding="utf-8")
    result = briefing.build(tmp_path)
    headlines = [story.headline for story in result.stories]
    assert sorted(headlines) == sorted(
        [
            "Hurricane Mitch killed at least 9,000 people in Honduras and Nicaragua",
            "Two of Germany's largest banks agreed to merge",
        ]
    )
    titles = [*headlines, *(source.title for source in result.sources)]
    assert not any("wire" in t.casefold() or "15c1d2df" in t for t in titles), titles
    summary = result.to_markdown().split("## Sources")[0]
    assert "Wire 02" not in summary and "15c1d2df" not in summary
    assert result.coverage == "2 articles"  # undated, and neither file names its outlet


@pytest.mark.parametrize(
    ("lead", "headline"),
    [
        (
            "Passengers describe taking off on the Concorde as “a kick in the back” and complain "
            "about the stingy legroom on the flights.",
            "Passengers describe taking off on the Concorde as “a kick in the back”",
        ),
        (
            "Passengers describe taking off on the supersonic Concorde jet as “a kick in the back "
            "of the seat on every single flight” and more.",
            "Passengers describe taking off on the supersonic Concorde jet",
        ),
    ],
)
def test_a_headline_never_leaves_a_quotation_open(lead, headline) -> None:
    assert lead_headline(lead) == headline


@pytest.mark.parametrize(
    ("lead", "headline"),
    [
        # Cut to its main clause, the lead would leave only who spoke and when.
        (
            "Regional Transport Safety Board chairman Ruth Okafor said Friday that further "
            "checks must be completed before the board can name the cause of the crash.",
            "Further checks must be completed before the board can name the cause",
        ),
        (
            "Nordlys Space chief executive Ingrid Solberg said on Monday that, after two delays, "
            "the Skylark satellite would be launched from Sørvik in March.",
            "The Skylark satellite would be launched from Sørvik in March",
        ),
        (
            "The harbour master of Carrick Bay said here Tuesday that no ship would leave the"
            " port before the storm had passed.",
            "No ship would leave the port before the storm had passed",
        ),
    ],
)
def test_a_lead_that_opens_on_who_said_it_is_headed_by_what_was_said(lead, headline) -> None:
    assert lead_headline(lead) == headline


@pytest.mark.parametrize(
    "lead",
    [
        # What was said opens with a pronoun: "He would stay in the race" says nobody.
        "Republican presidential contender Gary Bauer said Tuesday he would stay in the race "
        "until the Iowa caucuses next month.",
        # The attribution closes the lead: its main clause is the news.
        "Hurricane Mitch killed 9,000 people in Honduras and left a million homeless, "
        "officials said on Friday.",
        # The clause is whole within the headline: nothing to replace.
        "The council said the tram line would open in 2028.",
    ],
)
def test_a_lead_whose_main_clause_says_more_than_who_spoke_keeps_it(lead) -> None:
    headline = lead_headline(lead)
    assert len(headline.split()) >= 5 and lead.startswith(headline)


def test_a_lead_with_an_inch_mark_still_gets_its_headline() -> None:
    lead = 'The 6" water main burst under the high street on Monday morning, flooding the shops.'
    assert lead_headline(lead) == 'The 6" water main burst under the high street'


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        # A name ending in -ing, capitalised within the text: the sentence's subject.
        (
            "Beijing has banned smoking in offices, as other cities did last year.\n"
            "Officials in Beijing said fines start in May.",
            "Beijing has banned smoking in offices",
        ),
        # An adjective: no clause follows the comma, which ends the main clause.
        (
            "Migrating geese may have carried the virus to the farm, where 40 birds died.",
            "Migrating geese may have carried the virus to the farm",
        ),
        # A list: the phrase goes on past the comma.
        (
            "Having flown over Europe, Africa, Asia and the Pacific, the balloon landed in Egypt.",
            "Having flown over Europe",
        ),
    ],
)
def test_a_word_ending_in_ing_that_opens_no_phrase_keeps_the_lead_whole(text, headline) -> None:
    assert lead_headline(text).startswith(headline)


def test_a_lead_headline_leaves_out_the_days_it_names_so_its_verb_fits():
    lead = (
        "The death toll in the monster earthquake in western Turkey on August 17 reached "
        "17,997 on Tuesday as the suffering of the survivors mounted."
    )
    assert lead_headline(lead) == "The death toll in the monster earthquake in western Turkey reached 17,997"
    assert lead_headline("Ministers backed Tuesday's budget after all-night talks in the capital.") == (
        "Ministers backed Tuesday's budget after all-night talks in the capital"
    )


def test_a_day_left_at_the_end_of_a_lead_headline_goes_to_the_date_line() -> None:
    lead = "Thousands of teachers marched through the capital Tuesday, demanding higher pay."
    assert lead_headline(lead) == "Thousands of teachers marched through the capital"
