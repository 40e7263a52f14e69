"""The cleaner keeps the story and drops page furniture."""

from __future__ import annotations

import textwrap

import pytest

from briefing.clean import (
    clean_text,
    drop_extractor_leftovers,
    is_dateline,
    is_heading,
    is_prose,
    strip_forbidden,
    tidy_title,
    unwrap,
)

SAVED_PAGE = """\
World News

World News

Port workers end strike after pay deal

Port workers end strike after pay deal
Dockers cheer outside the terminal gates on Friday. (Photo by Ana Lopes/Example Images)

By Petra Novak, Labour Correspondent

Tuesday 3 November 2026

Port workers voted on Friday to accept a 6% pay rise, ending an 11-day strike that had halted container traffic.

Automation dispute

The union said talks on automated cranes had failed to produce an agreement. The company declined to comment.

A new round of talks will open on Dec. 8, the mediator said. NL


Comments - Please sign in to comment.

Sign up for our morning newsletter

We use cookies to improve your experience.
"""


def cleaned_lines(text: str, title: str | None = None) -> list[str]:
    return clean_text(text, title=title).splitlines()


def test_clean_keeps_the_story_paragraphs_in_order():
    lines = cleaned_lines(SAVED_PAGE, title="Port workers end strike after pay deal")
    assert lines[0].startswith("Port workers voted on Friday")
    assert lines[1].startswith("The union said talks")
    assert lines[2].startswith("A new round of talks")
    assert len(lines) == 3


def test_clean_drops_the_repeated_headline_and_section_name():
    text = clean_text(SAVED_PAGE, title="Port workers end strike after pay deal")
    assert "World News" not in text
    assert "end strike after pay deal" not in text


def test_clean_drops_photo_caption_and_byline_and_dateline():
    text = clean_text(SAVED_PAGE)
    assert "Photo by" not in text
    assert "Dockers cheer" not in text
    assert "Petra Novak" not in text
    assert "3 November 2026" not in text


@pytest.mark.parametrize(
    "paragraph",
    [
        "WASHINGTON (AP) _ The Senate voted 62-38 on Tuesday to approve the bill.",
        "LONDON, Nov 3 (Reuters) - The Senate voted 62-38 on Tuesday to approve the bill.",
        "(CNN) -- The Senate voted 62-38 on Tuesday to approve the bill.",
        "SAN FRANCISCO, Calif. -- The Senate voted 62-38 on Tuesday to approve the bill.",
        "PARIS \u2014 The Senate voted 62-38 on Tuesday to approve the bill.",
        "NEW DELHI: The Senate voted 62-38 on Tuesday to approve the bill.",
        "(OMAHA, Neb.) _ The Senate voted 62-38 on Tuesday to approve the bill.",
        "HANOI, Vietnam (AP) \u2014 The Senate voted 62-38 on Tuesday to approve the bill.",
        "Hong Kong (CNN Business)The Senate voted 62-38 on Tuesday to approve the bill.",
        "Indianapolis \u2013 The Senate voted 62-38 on Tuesday to approve the bill.",
        "Nashville, Tenn. \u2014 The Senate voted 62-38 on Tuesday to approve the bill.",
        "LONDON, November 27, 2026 - The Senate voted 62-38 on Tuesday to approve the bill.",
        "PARIS, 27 Nov. 2026 -- The Senate voted 62-38 on Tuesday to approve the bill.",
        "HONOLULU, Hawaii (HawaiiNewsNow) - The Senate voted 62-38 on Tuesday to approve the bill.",
        "BEIDAIHE (Hebei), March 5 (Xinhua) -- The Senate voted 62-38 on Tuesday to approve the bill.",
        "CANBERRA, November 27 (Xinhua) --The Senate voted 62-38 on Tuesday to approve the bill.",
        "WASHINGTON (AP -- The Senate voted 62-38 on Tuesday to approve the bill.",
    ],
)
def test_clean_strips_a_wire_dateline_from_the_start_of_a_paragraph(paragraph):
    assert clean_text(paragraph) == "The Senate voted 62-38 on Tuesday to approve the bill."


def test_clean_strips_the_outlets_own_name_opening_the_first_paragraph():
    text = "PanARMENIAN.Net - Security forces fired on protesters.\nPanARMENIAN.Net - More came."
    assert clean_text(text, outlet="PanARMENIAN.Net").split("\n") == [
        "Security forces fired on protesters.",
        "PanARMENIAN.Net - More came.",
    ]
    # Another name, or a lower-case word after the dash, is the sentence's own.
    assert clean_text("Reuters - the agency - said it would cut jobs.", outlet="Reuters") == (
        "Reuters - the agency - said it would cut jobs."
    )
    assert clean_text("Amnesty - Security forces fired.", outlet="PanARMENIAN.Net") == (
        "Amnesty - Security forces fired."
    )


@pytest.mark.parametrize(
    "paragraph",
    [
        "US \u2014 China talks resumed on Monday after a break of three months in Geneva.",
        "Mr Smith - who led the party for a decade - said he would not stand again.",
        "The firm (AP) said it would cut 500 jobs at its plant in the north.",
        "(Cindy Pearlman is a Chicago-based free-lance writer.) _ See her column.",
        "Amazon \u2014 Jeff Bezos's company \u2014 said it would cut 500 jobs in the north.",
        "Tesla \u2014 the carmaker \u2014 said it would cut 500 jobs at its plant in the north.",
        "Sen. Jo Brown (D-Ohio) told State of the Union (CNN) Sunday that she would vote no.",
    ],
)
def test_clean_keeps_a_dash_or_agency_name_that_is_not_a_dateline(paragraph):
    assert clean_text(paragraph) == paragraph


def test_clean_takes_a_place_and_a_dash_for_a_dateline_only_in_the_first_paragraph():
    text = (
        "The Senate voted 62-38 on Tuesday to approve the bill.\n"
        "Indianapolis \u2013 Teachers who rallied there last week welcomed the vote."
    )
    assert clean_text(text) == text
    # But under a standfirst, a place with its state opens the second paragraph.
    standfirst = "Native ads now earn publishers more than banners, a study finds.\n"
    dated = standfirst + "New York, NY \u2013 The range of native ad units grew last year."
    assert clean_text(dated) == standfirst + "The range of native ad units grew last year."


def test_clean_strips_the_dateline_of_lower_cased_tokenised_text():
    text = "london , england ( cnn ) -- a storm hit the coast on monday , cutting power ."
    assert clean_text(text) == "a storm hit the coast on monday , cutting power ."


def test_clean_drops_sub_headings_but_never_a_sentence():
    text = clean_text(SAVED_PAGE)
    assert "Automation dispute" not in text
    assert "The company declined to comment." in text


def test_clean_drops_the_comment_and_sign_up_tail_block():
    text = clean_text(SAVED_PAGE)
    for furniture in ("sign in to comment", "newsletter", "cookies"):
        assert furniture not in text


def test_clean_strips_an_outlet_sign_off_after_the_last_sentence():
    assert clean_text(SAVED_PAGE).splitlines()[-1].endswith("the mediator said.")


def test_clean_keeps_a_read_more_link_from_cutting_the_story_short():
    story = "\n".join(
        [
            "The council approved the budget on Monday after a long debate in the chamber.",
            "Read more: how the budget was drawn up",
            "Opposition members said the plan would raise council tax by 5% next year, "
            "and they promised to table an amendment when the budget returns in March "
            "for its final vote in the full council.",
            "Sign up for our newsletter",
        ]
    )
    text = clean_text(story)
    assert "Opposition members said" in text
    assert "Read more" not in text
    assert "newsletter" not in text


def test_clean_keeps_reported_speech_that_mentions_comments():
    line = '"We will not take comments from you," the minister said at the briefing.'
    assert clean_text(line) == line


def test_unwrap_joins_hard_wrapped_lines_into_paragraphs():
    first = (
        "The council voted 7-2 on Tuesday to approve the tram line. Opponents said it "
        "would cost too much and vowed to fight on in the courts."
    )
    second = "A final vote on the budget for the line is due in March, officials said today."
    wrapped = textwrap.fill(first, 60) + "\n\n" + textwrap.fill(second, 60)
    assert unwrap(wrapped).splitlines() == [first, second]


def test_unwrap_joins_a_wrapped_line_that_opens_with_a_dash_to_its_paragraph():
    # Wrapped at 62, the third line opens with the dash of an aside: it goes on with the
    # sentence, where "- " would have started an item.
    first = (
        "The mayor said the tram line would cost 40 million pounds over ten years, a figure "
        "\u2014 disputed by her opponents on the council \u2014 that they put at twice the sum, "
        "and the vote was put off until the spring."
    )
    second = "A final vote on the budget for the line is due in March, officials said on Tuesday."
    lines = textwrap.wrap(first, 62)
    assert lines[2].startswith("\u2014")
    wrapped = "\n".join(lines) + "\n\n" + textwrap.fill(second, 62)
    assert unwrap(wrapped).splitlines() == [first, second]


WIRE_STORY = """\
<DOC>
<DOCNO> WIRE19981016.0240 </DOCNO>
<HEADLINE> Harbour board rejects plan for a second container terminal at Carrick Bay </HEADLINE>
<TEXT>
   CARRICK BAY (AP) _ The harbour board on Friday rejected a plan for a second
container terminal, saying the town could not cope with the extra lorries.
   The plan's backers said they would appeal, calling the decision ``short-sighted''
and promising to take the case to the regional planning authority.
</TEXT>
</DOC>
"""


def test_clean_reads_a_wire_story_with_indented_paragraphs_and_markup():
    assert clean_text(WIRE_STORY).split("\n") == [
        "The harbour board on Friday rejected a plan for a second container terminal, "
        "saying the town could not cope with the extra lorries.",
        "The plan's backers said they would appeal, calling the decision \u201cshort-sighted\u201d "
        "and promising to take the case to the regional planning authority.",
    ]


def test_unwrap_leaves_long_lines_alone_whatever_their_indent():
    text = "\n".join(
        [
            "Taiwan security",
            "   " + "The talks covered the strait, trade and the fate of detained citizens. " * 2,
            "Xi-Biden meeting",
            "   " + "The leaders could meet later this year, officials on both sides said. " * 2,
            "Next steps",
        ]
    )
    assert unwrap(text).split("\n") == [line.strip() for line in text.split("\n")]


def test_unwrap_keeps_one_paragraph_per_line_text_as_it_is():
    text = "A short first paragraph.\nA second paragraph that is also short.\nA third."
    assert unwrap(text).splitlines() == text.splitlines()


def test_strip_forbidden_removes_characters_xml_refuses():
    assert strip_forbidden("a\x00b\x07c\x1fd\ud800e") == "a b c d e"
    assert strip_forbidden("tab\tand\nnewline") == "tab\tand\nnewline"


def test_is_heading_tells_headings_from_sentences():
    assert is_heading("Taiwan security")
    assert is_heading("Xi-Biden meeting")
    assert not is_heading("Beijing so far doesn't appear to have been convinced.")
    assert not is_heading('"We have no illusions," Blinken said.')


def test_is_dateline_only_matches_lines_that_are_just_a_date():
    assert is_dateline("Tuesday 10 November 2026, 9.40 a.m.")
    assert is_dateline("Updated 10:32 GMT")
    assert not is_dateline("The vote is on 18 November 2026.")


def test_clean_of_empty_or_blank_text_is_empty():
    assert clean_text("") == ""
    assert clean_text(" \n\t\n ") == ""


def test_clean_drops_an_endless_line_that_is_not_prose():
    text = "A real sentence about the port strike ended on Friday.\n" + "x" * 150_000
    assert clean_text(text) == "A real sentence about the port strike ended on Friday."


@pytest.mark.parametrize(
    "line",
    [
        '16" MacBook Pro Now Available',  # a link or sub-heading: no sentence ends so
        "Related: The 15 Weirdest Galaxies in Our Universe",
        "- Moon Rush: Private Lunar Lander Plans.",
        "-- Two Tiffany-style lamps, $7,000 each.",  # the wire's lists
        "--U.S. District Judge John Pickering of New Hampshire, charged with misconduct.",
        "_ The Senate voted 62-38 on Tuesday to approve the bill.",
        "| | Seeking a bigger role for a big rocket.",
        "Tell us what YOU think...",
        "Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik.",
        "Get Motor Cycle Monthly delivered through your letterbox every month.",
        "South Dakota Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor doubles down on ads MORE (R) said the campaign worked.",
        "8:02 a.m. EDT -- Plane, diverted by bad weather, lands at Newark airport.",  # timelines
        "Nov. 5 - The judge issues his findings of fact in the case.",
        "Saturday \u2014 Rescue teams reach the mountain village.",
        "Palm Bay (1-0-2): Noah Jackson 1 goal, 1 assist.",  # a row of results
        "St. Mary's (12-3): Jo Diaz 21 points and 9 rebounds.",
        "Astronaut (NR): Jaden Siemans 7 saves.",  # a box score's line
        "Turnout: 64 per cent.",
        "(The council never did settle on a name for the new park.)",  # asides
        "(Reporting by Jane Smith; Editing by Tom Brown)",
        "(More)",
        "On the fan site, a writer using the nickname Jedi wrote: \u201cWow!",  # cut in a quote
    ],
)
def test_links_prompts_and_pasted_link_boxes_are_not_prose(line: str) -> None:
    assert not is_prose(line)


@pytest.mark.parametrize(
    "line",
    [
        "The council voted 9 to 4 on Monday to close two libraries.",
        "“We will appeal the ruling,” the company’s lawyer said.",
        "Apple said the new iPhone and MacBook Pro would go on sale at McDonald's stores (in a pilot).",
        "Prices rose 4% in October…",
        "The plane landed at 8:02 a.m. EDT -- an hour late -- and left again at noon.",
        "10 p.m. Authorities say the suspect fled on foot before the police arrived.",
        "3 - 2 was the final score after extra time at the stadium.",
        "(Updated) The mayor said the bridge would reopen in May, after repairs.",
        "Palm Bay (population 120,000) voted on Tuesday to build a new library.",
        "The Rams (7-2) beat the Bears 24-10: the team's fifth win in a row.",
        "He said: we will win the next 3 games.",
        "He said: \u201cWe will fight this plan in every court of the land.",  # a quote goes on
        "The mayor said: \u201cWe are devastated.",
        "Claim (rated False): Tram fares rose 40% in 2023.",  # a fact check's, not a table's
    ],
)
def test_plain_sentences_are_prose(line: str) -> None:
    assert is_prose(line)


def test_a_list_of_other_stories_run_into_a_paragraph_is_cut_off():
    line = (
        "Snipers shot into crowds from rooftops, witnesses said. Top stories The House voted "
        "on Tuesday to recognise the genocide. Partner news | Armenia named top spot for tourists."
    )
    assert drop_extractor_leftovers([line]) == ["Snipers shot into crowds from rooftops, witnesses said."]
    kept = "Top stories of the year included the election. Most read pages were about it."
    assert drop_extractor_leftovers([kept]) == [kept]


def test_the_footnotes_and_company_boilerplate_closing_a_press_release_are_dropped():
    release = [
        "Ascom and GE Healthcare agreed on Monday to sell the alarm system across Europe.",
        "The system collects data from up to ten devices around each patient's bed.",
        "Hospitals in France and Italy will be the first to get it next spring.",
        "[1] Alarm fatigue: impacts on patient safety. Curr Opin Anaesthesiol. 2015.",
        "About Ascom",
        "Ascom is a global solutions provider focused on healthcare ICT and mobile workflows.",
        "Ascom is headquartered in Baar (Switzerland) and employs around 1,300 people.",
    ]
    assert drop_extractor_leftovers(release) == release[:3]
    # A story that says what a company is on the way, and goes on, keeps it.
    story = [release[0], "GE Healthcare is a leading medical technology company.", release[2]]
    assert drop_extractor_leftovers(story) == story


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "''All of a sudden I heard a noise,'' she said after the crash on Tuesday.",
            "“All of a sudden I heard a noise,” she said after the crash on Tuesday.",
        ),
        (
            "Passengers describe the take-off as ''a kick in the back'' on every flight.",
            "Passengers describe the take-off as “a kick in the back” on every flight.",
        ),
        (
            "The union called the decision ``short-sighted'' at its meeting on Monday.",
            "The union called the decision “short-sighted” at its meeting on Monday.",
        ),
    ],
)
def test_clean_turns_typewriter_quotes_into_curly_ones(line, expected):
    assert clean_text(line) == expected


BODY = (
    "MOSCOW (AP) -- Russia's navy made a second attempt on Tuesday to reach the crew of the "
    "submarine Kursk, which sank in the Barents Sea, while NATO and Norway offered help. "
    "The EgyptAir crash was not mentioned by the navy, which U.S. officials said had refused "
    "aid for days."
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "RUSSIANS MAKE SECOND ATTEMPT TO REACH KURSK CREW",
            "Russians make second attempt to reach Kursk crew",
        ),
        ("NATO AND NORWAY OFFER HELP TO RUSSIA'S NAVY", "NATO and Norway offer help to Russia's navy"),
        ("U.S. SAYS NBC REPORT ON EGYPTAIR WAS WRONG", "U.S. says NBC report on EgyptAir was wrong"),
        ("KURSK SALVAGE PLAN (HLW)", "Kursk salvage plan"),
        ("Navy divers reach the Kursk (2)", "Navy divers reach the Kursk"),
        ("RESCUE BID FAILS (FOR RELEASE SUNDAY, AUG. 2", "Rescue bid fails"),
        ("Russia says NATO help came too late", "Russia says NATO help came too late"),
        ("EDS-more details added Navy divers reach the Kursk", "Navy divers reach the Kursk"),
        ("EDS: ADDS background, details on rescue, quotes throughout; ADDS", ""),
        ("Eds say NATO help came too late", "Eds say NATO help came too late"),
        ("Baltic Sea Briefs /", "Baltic Sea Briefs"),  # a digest's separator
    ],
)
def test_a_wire_headline_loses_its_desk_notes_and_its_capitals(title, expected):
    assert tidy_title(title, BODY) == expected


def test_a_shouted_headline_repeated_in_the_body_does_not_spell_itself():
    title = "RUSSIANS MAKE SECOND ATTEMPT TO REACH KURSK CREW"
    assert tidy_title(title, f"# {title}\n{BODY}") == "Russians make second attempt to reach Kursk crew"


def test_a_comma_typed_without_its_space_gets_one_and_a_figure_keeps_its_own():
    text = clean_text("The report said the United States,the NTSB and 1,200 pilots agreed.")
    assert text == "The report said the United States, the NTSB and 1,200 pilots agreed."


def test_a_shouted_headline_spells_a_word_with_a_capital_inside_it_as_the_body_does():
    body = "MPs are preparing to debate a bill on living wills. Critics fear the iPhone vote."
    title = "MPS TO DEBATE 'EUTHANASIA LAWS' AS IPHONE VOTE NEARS"
    assert tidy_title(title, body) == "MPs to debate 'euthanasia laws' as iPhone vote nears"


def test_a_pages_labels_above_its_headline_go_and_its_paragraphs_above_it_stay():
    from briefing.clean import below_headline

    headline = "Council backs tram line after long debate"
    story = ["The council approved the tram line on Tuesday.", "Work starts in spring."]
    kicker = ["Review", '16" MacBook Pro Now Available', headline.upper()]
    assert below_headline([*kicker, *story], headline) == story
    standfirst = "A long debate ended with a vote of 34 to 21 for the line, the city's first."
    assert below_headline([standfirst, headline, *story], headline) == [standfirst, *story]
    assert below_headline([*story, headline], headline) == story
    assert below_headline(story, "") == story
