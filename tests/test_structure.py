"""Filing ranked, classified sentences into a story's sections: what a bullet may say alone,
what the word budget keeps, and when two sentences are one fact."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from builders import make_article, make_scored
from conftest import EXAMPLE_STORIES

import briefing
from briefing.models import Classification, Label, Section, Story
from briefing.options import Layout
from briefing.structure import (
    Candidate,
    build_stories,
    candidates_of,
    merge_sections,
    news_value,
    outlets_of,
    rank_stories,
    structure,
)
from briefing.words import (
    figures_of,
    lacks_subject,
    leans_on_previous,
    names_someone_introduced_before,
)

CLAIM = (
    "Dr. Mair accused management of trying to automate the port by the back door "
    "and cut hundreds of jobs."
)
REPLY = (
    "Mr. Okonedo rejected that claim, saying automation was essential if the port was to "
    "compete with larger hubs."
)
LEAD = (
    "Dockworkers at the Port of Carrick Bay will return to work on Wednesday after their "
    "union agreed a two-year pay deal."
)


def sentence(
    text: str, score: float, label: Label = "context", confidence: float = 0.5
) -> tuple[str, float, Label, float]:
    """One sentence of an article given to ``article``: its text, score and label."""
    return (text, score, label, confidence)


def article(article_id: int, *sentences: tuple[str, float, Label, float]) -> tuple[Candidate, ...]:
    """The candidates of article ``article_id``, its sentences given in article order."""
    scored = [
        make_scored(text, score, article_id=article_id, index=i)
        for i, (text, score, _, _) in enumerate(sentences)
    ]
    labels = [Classification(label, confidence) for _, _, label, confidence in sentences]
    return candidates_of(scored, labels)


def bullets(sections: tuple[Section, ...]) -> list[str]:
    return [item.text for section in sections for item in section.items]


def section_texts(sections: tuple[Section, ...], kind: str) -> list[str]:
    return [item.text for section in sections if section.kind == kind for item in section.items]


def words(sections: tuple[Section, ...]) -> int:
    return sum(len(text.split()) for text in bullets(sections))


# -- A bullet must make sense alone ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Okonedo rejected that claim, saying automation was essential.",
        "Hollin Water rejected that analysis throughout the hearing, arguing monitors were faulty.",
        "Nordlys rejected the criticism, saying its satellites are coated with a dark material.",
        "The group said it would ask the council to redesign that section of the route.",
        "But the Civic Alliance, the junior partner, said it would not support the bill.",
        "Its two coal-fired blast furnaces will be replaced by a single electric arc furnace.",
        "He said the first vessels would be berthed from 6 a.m. on Wednesday.",
        "However, a group of shop stewards criticised the offer as too little, too late.",
        "This is the largest single investment in the industry for a generation.",
        "Also on Monday, the regulator opened an inquiry into the merger.",
        "Housing Minister Grace Adebayo rejected that argument.",
        "Ministers defended the decision, saying the plant had lost money for years.",
        "Traders on St. Mary's Road also remain opposed to the route.",
        "In the end, we will win the vote and keep the plant open,” the union leader said.",
        'In the end, we will win the vote," the union leader said.',
        "We are on it.” awareness campaign drew mockery on its first day.",
        '"We will not stand by while this town loses its steelworks," he said.',
        "“It is over,” said she.",
        "“We are ready,” she told reporters, “and we will win the vote.”",
        "“It was a mistake,” he quickly added.",
        "Seven years later, the council reopened the case.",
        "Still, this is not the first time a slogan has gone awry in the state.",
        "Either way, what the candidates say could matter if the Senate holds a trial.",
        "Therefore the plan was dropped.",
        "Meanwhile, police officials hope their efforts will eventually pay off.",
        "No sign of the virus has appeared in those birds, said a CDC entomologist.",
        "Scientists tested these samples in a laboratory in Atlanta.",
        "In a new case study out Monday, they detail how the man came down with the allergy.",
        "After the vote, his party walked out of the chamber.",
        "Assange has denied both allegations.",
        "The administration, however, puts modest resources into the two agencies.",
        "Environmentalists, too, are wary of linking one storm to global warming.",
        "The union, for its part, said it would study the offer.",
        "Later that evening, he admitted that he took the child to the hotel.",
        "That night, police found the car abandoned near the border.",
        "The next day, the council voted again on the tram line.",
        "Pointing to the empty depot, he said the trams would never run.",
        "Overwhelmed, she took a week off before the vote.",
        "Born in Leeds in 1950, she moved to the city as a child.",
        "Caught on camera at the depot, he denied taking the cables.",
    ],
)
def test_leans_on_previous_flags_a_sentence_that_needs_the_one_before(text):
    assert leans_on_previous(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ashbridge City Council voted on Thursday night to approve a £640m tram extension.",
        "Under the plan approved on Thursday, the council will apply for £410m from the fund.",
        "This year the plant will make three million tonnes of steel.",
        "The decision to close the plant was taken at a board meeting on Monday.",
        "Officials said that claims would be paid in full by the end of March.",
        "The company, based in Oregon, said net income rose to $186 million.",
        "Shareholders will vote on the deal at a special meeting on Dec. 15.",
        "The operator, Carrick Bay Terminals Ltd., also agreed to drop the roster change.",
        "Ministers said the scheme, which would also cover buses, would cost £40m a year.",
        "“We will keep the plant open,” the union leader said on Monday.",
        '"We will keep the plant open," the union leader said on Monday.',
        'The union leader called the offer "an insult" and walked out.',
        'The 6" water main under the high street burst on Monday.',
        '"We will keep the plant open," Mr. Lowry said.',
        'A 6" pipe burst near the station, he said.',
        "Both branches will close on March 31, the council said.",  # the story names them
        "Either the council pays for the repairs or the line closes in March.",
        "Still images from the station's cameras showed the train leaving early.",
        "Thus far the council has approved 12 of the 15 stations.",
        "The fund helps those in need across the county.",
        "Police said those arrested would appear in court on Monday.",
        "The council said it would help those who lost their homes in the flood.",
        "Rents have doubled in these years of shortage, the report said.",
        "In London, it rained for a third day on Monday.",
        "At the meeting, this year's budget was approved by 30 votes to 12.",
        "Both teams scored twice in the second half at Wembley.",
        "The minister, too tired to speak, left the chamber early.",  # no turn: an aside
        "Hubbard, of course, was a science-fiction writer before he led the church.",
        "Speaking on Monday, the mayor said the trams would run by May.",
        "The next year will decide the fate of the tram company, analysts said.",
        "Born in Leeds in 1950, the mayor moved to the city as a child.",
    ],
)
def test_leans_on_previous_leaves_a_self_contained_sentence_alone(text):
    assert not leans_on_previous(text)


@pytest.mark.parametrize(
    "text",
    [
        "Acquitted on May 16, 1868.",
        "Convicted and removed from office on March 12, 1804.",
        "Resigned from office and acquitted Aug. 1, 1876.",
        "Produced by Harpo Films and the city's arts council.",
    ],
)
def test_a_participle_phrase_standing_alone_lacks_a_subject(text):
    assert lacks_subject(text)


@pytest.mark.parametrize(
    "text",
    [
        "Founded in 1990, the firm now employs 4,000 people in three countries.",
        "Included in the plan is a new bridge over the river.",
        "Asked about the vote on Tuesday he said the party would abstain.",
        "Retired teachers marched on the capital on Monday.",  # an adjective before its noun
        "Edward Jones said the fund would close.",
    ],
)
def test_a_sentence_opening_with_a_participle_has_its_subject(text):
    assert not lacks_subject(text)


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        ("The symptoms came on quickly.", False),  # short, and names nothing
        ("Air pollution can be solved.", False),
        ("Talks will resume on Monday.", True),  # a day
        ("Shares fell 5% in early trading.", True),  # a figure
        ("Stadia, Google's streaming service, launches today.", True),  # a name
        ("The council voted to close the old library on the high street.", True),  # long
    ],
)
def test_a_short_sentence_stands_as_a_bullet_only_when_it_names_something(text, fit):
    (candidate,) = article(0, sentence(text, 1.0))
    assert candidate.fits(Layout().confident) is fit


def test_the_last_sentence_of_a_quotation_begun_before_it_is_no_bullet_alone():
    # The quotation opened two sentences back ('"Yes, we needed to win this game today.'),
    # and the sentence before it leans back too, so the pair is no bullet either.
    _, turn, last = article(
        0,
        sentence("\u201cYes, we needed to win this game today, the coach of the Chargers said.", 0.4),
        sentence("But now, obviously, I don\u2019t feel that way about our chances.", 0.5),
        sentence("I still think we have enough to win next week, but we will need some help.\u201d", 1.0),
    )
    assert not last.fits(Layout().confident)
    assert not turn.fits(Layout().confident)


def test_a_short_plain_outcome_or_dispute_is_still_a_bullet():
    (candidate,) = article(0, sentence("Unions rejected the offer outright.", 1.0, "disagreement", 0.9))
    assert candidate.fits(Layout().confident)


def test_a_short_plain_line_not_confidently_labelled_is_no_bullet():
    # Labelled a dispute, but not surely enough for Disagreements: it would stand as a Key
    # point or Context line that names nothing.
    (candidate,) = article(0, sentence("Not everyone welcomed the launch.", 1.0, "disagreement", 0.4))
    assert not candidate.fits(0.6)
    assert candidate.fits(0.3)


def test_a_reply_is_shown_with_the_claim_it_answers_in_one_cited_bullet():
    candidates = article(
        0,
        sentence(LEAD, 3.0, "next_step", 0.9),
        sentence(CLAIM, 0.2, "disagreement", 0.6),
        sentence(REPLY, 2.0, "disagreement", 0.9),
    )
    sections = structure([candidates], Layout())
    (item,) = [i for s in sections if s.kind == "disagreements" for i in s.items]
    assert item.text == f"{CLAIM} {REPLY}"
    assert [s.index for s in item.sentences] == [1, 2]
    assert item.citations == (1,)
    assert "leans on" in item.why
    assert sum(CLAIM in text for text in bullets(sections)) == 1


def test_a_reply_shown_with_its_claim_cites_every_copy_of_the_article():
    candidates = article(
        0,
        sentence(LEAD, 3.0, "next_step", 0.9),
        sentence(CLAIM, 0.2, "disagreement", 0.6),
        sentence(REPLY, 2.0, "disagreement", 0.9),
    )
    sections = structure([candidates, ()], Layout(), copies={0: (0, 1)})
    (item,) = [i for s in sections if s.kind == "disagreements" for i in s.items]
    assert item.text.startswith(CLAIM)
    assert item.citations == (1, 2)


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(None, id="first-sentence"),
        pytest.param("Unions react to the deal", id="heading"),
        pytest.param("Were the workers consulted at all?", id="question"),
        pytest.param("They said the offer was an insult to the members.", id="itself-leaning"),
        pytest.param(" ".join(["The union listed its demands in a long letter"] * 6) + ".", id="too-long"),
    ],
)
def test_a_sentence_that_cannot_be_shown_with_a_usable_sentence_before_it_is_passed_over(before):
    dangling = "But the union said it would fight the closures in court next year."
    other = "The regional council said it would review the plans for the site in March."
    lines = [sentence(LEAD, 3.0, "next_step", 0.9)]
    if before is not None:
        lines.append(sentence(before, 0.1))
    lines += [sentence(dangling, 2.5, "disagreement", 0.95), sentence(other, 1.0)]
    sections = structure([article(0, *lines)], Layout(max_items=3))
    texts = bullets(sections)
    assert not [t for t in texts if "fight the closures" in t]
    assert other in texts


def test_the_sentence_a_reply_leans_on_is_never_in_two_bullets():
    candidates = article(
        0,
        sentence(LEAD, 3.0, "next_step", 0.9),
        sentence(CLAIM, 2.8, "disagreement", 0.9),
        sentence(REPLY, 2.5, "disagreement", 0.9),
        sentence("Talks on a separate agreement for crane operators will resume on Dec. 8.", 1.0),
    )
    texts = bullets(structure([candidates], Layout()))
    assert sum(CLAIM in t for t in texts) == 1
    assert not [t for t in texts if t.startswith("Mr. Okonedo")]


def test_build_never_shows_a_reply_without_the_claim_it_rejects(tmp_path: Path):
    (tmp_path / "port.md").write_text(
        "# Port strike ends with pay deal\n\n"
        f"{LEAD}\n\n"
        "The agreement gives about 2,300 workers a 6.5% rise backdated to July.\n\n"
        f"{CLAIM}\n\n"
        f"{REPLY}\n\n"
        "Union members must still ratify the deal in a ballot that closes at noon on Friday.\n",
        encoding="utf-8",
    )
    texts = [i.text for s in briefing.build(tmp_path).sections for i in s.items]
    assert texts
    for text in texts:
        assert not text.startswith("Mr. Okonedo rejected"), text
        if REPLY in text:
            assert text == f"{CLAIM} {REPLY}"


def test_no_bullet_of_the_example_brief_opens_with_a_word_that_points_back(examples: Path):
    result = briefing.build(examples)
    for section in result.sections:
        for item in section.items:
            assert item.text.startswith(item.sentences[0].text)
            assert not leans_on_previous(item.sentences[0].text), item.text


# -- The word budget keeps the most important sentences first ---------------------------------


def test_a_tight_word_budget_keeps_the_lead_before_a_lesser_key_point():
    lead = "The council voted on Thursday night to approve a new tram line to the eastern districts."
    key = "Trams will run every six minutes at peak times, the council said."
    candidates = article(
        0,
        sentence(lead, 3.0, "outcome", 0.95),
        sentence(key, 2.0),
        sentence("Three councillors abstained in the vote on the tram plans.", 1.0),
    )
    sections = structure([candidates], Layout(max_words=len(lead.split()) + 5))
    assert bullets(sections) == [lead]


def test_the_word_budget_drops_the_worst_ranked_bullets_first():
    texts = [
        "The council approved the new tram line to the eastern districts on Thursday.",
        "Trams will run every six minutes at peak times from the opening day.",
        "Opponents said the cost had risen sharply since the scheme was first proposed.",
        "A public consultation on the design of the stops will open in January.",
        "Traders on the high street fear years of roadworks will drive customers away.",
        "An earlier plan to extend the network east was shelved for lack of money.",
    ]
    candidates = article(0, *(sentence(t, 6.0 - n) for n, t in enumerate(texts)))
    budget = sum(len(t.split()) for t in texts[:3])
    sections = structure([candidates], Layout(max_words=budget, key_points=6, max_items=24))
    assert sorted(bullets(sections)) == sorted(texts[:3])


def stories_of(n: int) -> tuple[list[tuple[Candidate, ...]], list, list[tuple[int, ...]]]:
    """``n`` one-article stories, each with a 16-word lead and two shorter sentences."""
    per_article, articles = [], []
    for i in range(n):
        per_article.append(
            article(
                i,
                sentence(f"Story {i} lead: the council voted on Thursday night to approve the new tram line.", 3.0, "outcome", 0.9),
                sentence(f"Story {i} detail: trams will run every six minutes at peak times.", 2.0),
                sentence(f"Story {i} reaction: opponents said the cost was far too high.", 1.0, "disagreement", 0.9),
            )
        )
        articles.append(make_article(title=f"Story {i} headline"))
    return per_article, articles, [(i,) for i in range(n)]


@pytest.mark.parametrize("budget", [20, 35, 50, 120])
def test_the_whole_brief_stays_within_its_word_budget_and_names_the_stories_left_out(budget):
    per_article, articles, stories = stories_of(7)
    layout = Layout(max_words=budget)
    briefed, also = build_stories(stories, per_article, articles, layout, copies={})
    used = sum(words(story.sections) for story in briefed)
    assert used <= budget
    assert len(briefed) + len(also) == 7
    for story in briefed:
        assert any("lead:" in text for text in bullets(story.sections)), story.headline


def test_words_a_story_leaves_unused_pass_on_to_the_next():
    per_article, articles, stories = stories_of(2)
    briefed, also = build_stories(stories, per_article, articles, Layout(max_words=45), copies={})
    assert not also
    assert [len(bullets(s.sections)) for s in briefed] == [1, 2]


def test_a_story_with_no_sentence_to_brief_is_named_not_briefed():
    # A list of auction lots, a table: no sentence a bullet can show, so no part of the
    # brief and no executive-summary line; its headline is named under "Also reported".
    per_article, articles, stories = stories_of(3)
    per_article[1] = ()
    briefed, also = build_stories(stories, per_article, articles, Layout(), copies={})
    assert [s.headline for s in briefed] == ["Story 0 headline", "Story 2 headline"]
    assert [s.headline for s in also] == ["Story 1 headline"]
    assert all(story.bottom_line for story in briefed)


def test_a_pair_storys_headline_is_that_of_the_article_its_bottom_line_comes_from():
    # Two titles of one story share as many words each way: the tie goes to the report
    # whose sentence the executive summary shows, so that headline and line agree.
    lead = "The council voted on Thursday night to approve the new tram line."
    per_article = [
        article(0, sentence("Trams will run every six minutes at peak times.", 2.0)),
        article(1, sentence(lead, 3.0, "outcome", 0.9)),
    ]
    articles = [
        make_article("Trams will run every six minutes.", title="Tram line timetable"),
        make_article(lead, title="Council backs tram line"),
    ]
    for order in ((0, 1), (1, 0)):
        (story,), _ = build_stories([order], per_article, articles, Layout(), copies={})
        assert story.bottom_line is not None and story.bottom_line.text == lead
        assert story.headline == "Council backs tram line"


def test_a_tight_budget_keeps_the_lead_of_the_storys_most_typical_article():
    # Every article's lead ranks first in its article; the scene-setting feature comes first
    # in the folder, but the lead the reports share is the story's line.
    scene = "Passengers describe taking off on the supersonic jet as a kick in the back."
    crash = "The supersonic jet crashed near Paris on Tuesday, killing all 109 people aboard."
    again = "All 109 people aboard died when the supersonic jet crashed near Paris on Tuesday."
    per_article = [article(i, sentence(text, 3.0)) for i, text in enumerate((scene, crash, again))]
    articles = [
        make_article(scene + "\nThe legroom is stingy.", title=""),
        make_article(crash + "\nInvestigators searched the wreckage near Paris.", title=""),
        make_article(again + "\nInvestigators began searching the wreckage.", title=""),
    ]
    layout = Layout(max_words=len(crash.split()) + 2)
    (story,), _ = build_stories([(0, 1, 2)], per_article, articles, layout, copies={})
    assert story.bottom_line is not None
    assert story.bottom_line.text in (crash, again)
    assert [i.text for s in story.sections for i in s.items] == [story.bottom_line.text]


def _story_of_reports(reports, layout: Layout | None = None):
    """The one story of ``reports``, each (its sentence, as ``sentence`` gives it, and the day
    it was published) an article of that sentence and one more."""
    per_article = [article(i, line) for i, (line, _) in enumerate(reports)]
    articles = [
        make_article(line[0] + "\nRescuers searched the rubble.", published=day)
        for line, day in reports
    ]
    ids = [tuple(range(len(reports)))]
    (story,), _ = build_stories(ids, per_article, articles, layout or Layout(), copies={})
    return story


@pytest.mark.parametrize(("newest", "overtaken"), [(dt.date(1999, 8, 25), True), (dt.date(1999, 8, 21), False)])
def test_the_latest_report_of_a_story_over_days_outranks_the_ones_it_overtook(newest, overtaken):
    # A rescue five days old, surer of its label, against the toll of the newest report.
    old = "Rescuers pulled a family of four alive from a collapsed block of flats in Izmit."
    new = "The death toll from the earthquake in Turkey reached 17,997 on Tuesday, officials said."
    story = _story_of_reports(
        [(sentence(old, 3.0, "outcome", 0.98), dt.date(1999, 8, 20)),
         (sentence(new, 3.0, "outcome", 0.65), newest)],
        Layout(max_items=1, max_words=400),
    )  # fmt: skip
    # Two days newer or more, the newest report says where the story stands; a day apart,
    # the two are one day's news, and the surer label leads.
    assert bullets(story.sections) == [new if overtaken else old]


def test_a_story_over_days_is_headed_by_its_latest_report():
    # The oldest report is the most typical of three, but the arrest a week on is the news.
    texts = [
        "A computer virus called Melissa spread through e-mail systems around the world.",
        "The Melissa computer virus spread to more e-mail systems, mutating as it went.",
        "A New Jersey programmer was charged in court with creating the Melissa virus.",
    ]
    titles = ["Warnings of computer virus issued", "Melissa virus mutating", "Melissa in court"]
    days = [dt.date(1999, 3, 27), dt.date(1999, 3, 30), dt.date(1999, 4, 8)]
    per_article = [article(i, sentence(t, 3.0, "outcome", 0.9)) for i, t in enumerate(texts)]
    articles = [
        make_article(t + "\nThe virus spread through e-mail.", title=h, published=d)
        for t, h, d in zip(texts, titles, days, strict=True)
    ]
    (story,), _ = build_stories([(0, 1, 2)], per_article, articles, Layout(), copies={})
    assert story.headline == "Melissa in court"


@pytest.mark.parametrize(("old", "dropped"), [
    ("The death toll from the earthquake in Turkey has risen to 7,085, officials said.", True),
    ("The toll rose to 7,085 on Friday as rescuers dug through the rubble.", True),
    # A count called no tally, a tally of another place, or no tally at all stays.
    ("Some 7,085 people have been confirmed dead, rescuers said on Friday.", False),
    ("The toll in Kocaeli province alone rose to 5,179 on Friday.", False),
    ("Rescuers pulled 212 survivors from the rubble on Friday.", False),
])  # fmt: skip
def test_an_overtaken_reports_tally_is_dropped_when_a_newer_one_updates_it(old, dropped):
    new = "The death toll from the earthquake in Turkey reached 17,997 on Tuesday, officials said."
    story = _story_of_reports(
        [(sentence(new, 3.0, "outcome", 0.9), dt.date(1999, 8, 25)),
         (sentence(old, 2.0, "outcome", 0.9), dt.date(1999, 8, 20))],
    )  # fmt: skip
    shown = bullets(story.sections)
    assert new in shown
    assert (old not in shown) == dropped


@pytest.mark.parametrize(("text", "tally"), [
    ("The death toll in western Turkey on August 17 reached 17,997 on Tuesday.", True),
    ("The toll rose to 7,085 as more bodies were found.", True),
    ("The quake of 17 August raised the toll on roads.", False),  # a day, not a count
    ("The toll has risen by 12% since 2019.", False),
    ("Some 12,040 people have so far been confirmed dead.", False),
])  # fmt: skip
def test_a_tally_is_a_number_given_to_a_toll(text, tally):
    from briefing.structure.facts import gives_a_tally

    assert gives_a_tally(text) == tally


@pytest.mark.parametrize(
    ("text", "introduced_before"),
    [
        ("The committee will question Mr. Pryce about the deal on Dec. 9.", True),
        ("Dr Mair accused management of cutting jobs.", True),
        ("Ms Lee resigned on Friday.", True),
        ("Mr. John Pryce, the business secretary, defended the deal.", False),
        ("Business Secretary John Pryce defended the deal.", False),
    ],
)
def test_a_person_named_by_title_and_surname_alone_was_introduced_before(
    text, introduced_before
):
    assert names_someone_introduced_before(text) is introduced_before


def test_a_storys_line_is_not_one_that_names_someone_by_title_and_surname_alone():
    # Both reports hold every word of the committee line; out of them, "Mr. Pryce" is nobody.
    deal = "The government agreed a £500m deal to keep the Northgate steelworks open."
    hearing = "The committee will question Mr. Pryce about the deal on Dec. 9."
    per_article = [
        article(0, sentence(deal, 3.0, "outcome", 0.9), sentence(hearing, 2.0, "next_step", 0.9)),
        article(1, sentence("Pickets gathered at the gates before dawn on Tuesday.", 3.0)),
    ]
    articles = [
        make_article(f"{deal}\n{hearing}", title="Steelworks deal agreed"),
        make_article(f"Pickets gathered at the gates before dawn on Tuesday.\n{hearing}", title=""),
    ]
    (story,), _ = build_stories([(0, 1)], per_article, articles, Layout(), copies={})
    assert hearing in [i.text for s in story.sections for i in s.items]
    assert story.bottom_line is not None and story.bottom_line.text == deal


def test_an_updated_story_with_nothing_new_to_brief_is_named_by_its_new_article():
    # The reader had article 0; article 1 is new but has no sentence to brief.
    per_article, articles, _ = stories_of(3)
    per_article[1] = ()
    stories = [(0, 1), (2,)]
    briefed, also = build_stories(
        stories, per_article, articles, Layout(), copies={}, seen=frozenset({0})
    )
    assert [(s.headline, s.status) for s in also] == [("Story 1 headline", "updated")]
    assert [s.headline for s in briefed] == ["Story 2 headline"]


class _Reads(list):
    """Per-article candidates that record which articles are read."""

    def __init__(self, items):
        super().__init__(items)
        self.read = set()

    def __getitem__(self, index):
        self.read.add(index)
        return super().__getitem__(index)


def test_with_its_ranking_given_build_stories_reads_only_the_briefed_stories_articles():
    # The pipeline's workers may still be classifying the later stories' articles.
    per_article, articles, stories = stories_of(5)
    reads = _Reads(per_article)
    ranked = rank_stories(stories, per_article, articles, Layout(max_stories=2), copies={})
    briefed, also = build_stories(
        stories, reads, articles, Layout(max_stories=2), copies={}, ranked=ranked
    )
    assert reads.read == {i for ids in ranked[:2] for i in ids}
    assert [s.headline for s in briefed] == [articles[ids[0]].title for ids in ranked[:2]]
    assert (briefed, also) == build_stories(
        stories, per_article, articles, Layout(max_stories=2), copies={}
    )


def test_a_budget_smaller_than_any_sentence_keeps_the_top_storys_lead_and_says_so(caplog):
    per_article, articles, stories = stories_of(3)
    with caplog.at_level(logging.WARNING, logger="briefing.structure"):
        briefed, also = build_stories(stories, per_article, articles, Layout(max_words=5), copies={})
    assert len(briefed) == 1
    (item,) = [i for s in briefed[0].sections for i in s.items]
    assert "lead:" in item.text
    assert "over the word budget" in item.why
    assert "over the 5-word budget" in caplog.text
    assert [s.headline for s in also] == ["Story 1 headline", "Story 2 headline"]


def test_the_example_brief_at_fifty_words_keeps_leads_within_the_budget(examples: Path):
    result = briefing.build(examples, max_words=50)
    texts = [i.text for s in result.sections for i in s.items]
    assert sum(len(t.split()) for t in texts) <= 50
    assert result.stories and len(result.stories) + len(result.also) == EXAMPLE_STORIES
    leads = [i for s in result.sections for i in s.items if "ranked 1 of" in i.why]
    assert len(leads) == len(result.stories)


# -- The same figure is the same fact ---------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The government will provide £500m for the furnace.", "Ministers put up £500 million."),
        ("Profit jumped 31% in the quarter.", "Profit rose 31 per cent, the company said."),
        ("About 1,950 jobs will go.", "The company confirmed that 1,950 of its staff will leave."),
        ("The plan costs $1.2 billion.", "The $1.2bn plan was approved."),
        ("The river was polluted on 212 occasions.", "There were 212 spills in three years."),
    ],
)
def test_figures_of_finds_the_same_figure_however_it_is_written(a, b):
    assert figures_of(a) & figures_of(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The plant will close in 2027, the company said.", "Contracts are due in 2027."),
        ("The strike lasted 11 days.", "The union has 11 branches."),
        ("The 11-day strike ended on Monday.", "Skylark-11 reached orbit."),
        ("The rocket lifted off at 4:12 a.m.", "The vote was 4 to 12."),
        ("Sales fell 6% in Europe.", "Shares rose 6% in New York."),
        ("About 200 trees will be felled.", "About 200 people protested."),
    ],
)
def test_figures_of_leaves_out_years_and_common_small_numbers(a, b):
    assert not figures_of(a) & figures_of(b)


def test_two_articles_stating_the_same_figure_make_one_bullet_led_by_the_better_ranked():
    ledger = article(
        0,
        sentence("The government has agreed to provide £500m towards a new electric furnace at the steelworks.", 3.0, "outcome", 0.93),
        sentence("The first furnace is expected to close in September 2027, the company said.", 1.0),
    )
    gazette = article(
        1,
        sentence("Steelworkers reacted with anger and relief after the rescue plan was confirmed on Thursday.", 3.0, "outcome", 0.9),
        sentence("The deal will see ministers contribute £500m to replace the plant's two blast furnaces.", 2.0, "next_step", 0.85),
        sentence("Business leaders in the town welcomed the news but warned of hard times ahead.", 1.0),
    )
    sections = structure([ledger, gazette], Layout())
    texts = bullets(sections)
    assert sum("£500m" in t for t in texts) == 1
    (item,) = [i for s in sections for i in s.items if "£500m" in i.text]
    assert item.text.startswith("The government has agreed")
    assert item.citations == (1, 2)


def test_a_bullet_cites_only_the_articles_that_say_what_it_says():
    # Every report of the collapse repeats its toll; only the first says who goes to inspect.
    inquiry = article(
        0,
        sentence("The transport minister, whose department is investigating the collapse that killed 143 people, said on Tuesday that two engineers would fly to Genoa.", 3.0, "outcome", 0.9),
        sentence("The bridge had been inspected in the spring.", 1.0),
    )
    toll = [
        article(
            n,
            sentence(text, 3.0),
            sentence("Rescue teams worked through the night under floodlights.", 1.0),
        )
        for n, text in enumerate(
            (
                "All 143 people on the bridge and the road below were killed.",
                "The viaduct fell into the river valley on Friday, killing 143 people.",
                "The collapse killed 143 commuters, the worst disaster in the region.",
            ),
            start=1,
        )
    ]
    sections = structure([inquiry, *toll], Layout())
    (item,) = [i for s in sections for i in s.items if "engineers" in i.text]
    assert item.citations == (1,)
    # The same fact reworded by another outlet is still cited.
    reworded = article(
        4,
        sentence("Two engineers will fly to Genoa to inspect what is left of the bridge, the transport minister said on Tuesday.", 3.0),
        sentence("Rescue teams worked through the night under floodlights.", 1.0),
    )
    sections = structure([inquiry, *toll, reworded], Layout())
    (item,) = [i for s in sections for i in s.items if "whose department" in i.text]
    assert item.citations == (1, 5)


def test_a_key_point_and_an_outcome_stating_the_same_figure_are_one_bullet():
    candidates = article(
        0,
        sentence("Steelworkers reacted with anger after the rescue was confirmed, with almost half of 4,200 jobs to go.", 3.0, "outcome", 0.9),
        sentence("The company confirmed that 1,950 of the 4,200 people who work at the site will lose their jobs.", 2.0),
        sentence("Varden said about 1,950 jobs would be lost over three years as the furnaces shut.", 1.5, "outcome", 0.9),
        sentence("The union will ballot its members on strike action in a vote opening on Dec. 1.", 1.0, "next_step", 0.9),
    )
    texts = bullets(structure([candidates], Layout()))
    assert sum("4,200" in t for t in texts) == 1
    assert sum("1,950" in t for t in texts) == 1
    assert any("ballot" in t for t in texts)


def test_sentences_sharing_only_a_year_or_a_small_number_stay_apart():
    candidates = article(
        0,
        sentence("The council approved the tram line on Thursday and work will start in 2027.", 3.0, "outcome", 0.9),
        sentence("Traders on the high street said 12 shops would close during construction in 2027.", 2.0, "disagreement", 0.9),
        sentence("The 12 new trams will be built in Derby by a British manufacturer.", 1.0),
    )
    assert len(bullets(structure([candidates], Layout()))) == 3


def test_the_steel_story_of_the_example_brief_states_each_figure_once(examples: Path):
    result = briefing.build(examples)
    steel = result.stories[0]
    assert "steel" in steel.headline.casefold()
    texts = bullets(steel.sections)
    for figure in ("1,950", "4,200", "£500m"):
        assert sum(figure in t for t in texts) <= 1, (figure, texts)
    (item,) = [i for s in steel.sections for i in s.items if "£500m" in i.text]
    assert len(item.citations) == 2


def test_a_tight_budget_keeps_the_dispute_before_a_second_outcome_or_a_key_point():
    lead = "The council approved the new tram line to the eastern districts on Thursday."
    second = "The council also approved a bus depot."
    detail = "Trams will run every six minutes at peak times from the opening day."
    dispute = "Traders on the high street opposed the route, fearing years of roadworks."
    candidates = article(
        0,
        sentence(lead, 4.0, "outcome", 0.9),
        sentence(second, 3.0, "outcome", 0.9),
        sentence(detail, 2.0),
        sentence(dispute, 1.0, "disagreement", 0.9),
    )
    budget = len(lead.split()) + len(dispute.split())
    sections = structure([candidates], Layout(max_words=budget, key_points=2, max_items=24))
    assert section_texts(sections, "outcomes") == [lead]
    assert section_texts(sections, "disagreements") == [dispute]
    assert bullets(sections) == [lead, dispute]


@pytest.mark.parametrize("max_items", [1, 3, 5, 8, 21])
def test_the_whole_brief_keeps_to_its_bullet_budget_leads_first(max_items):
    per_article, articles, stories = stories_of(7)
    layout = Layout(max_items=max_items, max_words=None)
    briefed, also = build_stories(stories, per_article, articles, layout, copies={})
    counts = [len(bullets(story.sections)) for story in briefed]
    assert sum(counts) <= max_items
    assert len(briefed) == min(7, max_items)
    assert len(briefed) + len(also) == 7
    for story in briefed:
        assert any("lead:" in text for text in bullets(story.sections)), story.headline


def test_an_undated_story_saved_today_comes_before_one_dated_years_ago():
    from dataclasses import replace

    per_article, articles, stories = stories_of(2)
    articles = [
        make_article(title="Old story", published=dt.date(2018, 5, 1)),
        replace(make_article(title="Fresh story", published=None), saved=dt.date(2026, 11, 28)),
    ]
    briefed, _ = build_stories(stories, per_article, articles, Layout(), copies={})
    assert [s.headline for s in briefed] == ["Fresh story", "Old story"]


def test_a_sentence_sharing_only_a_figure_is_not_cited_for_a_bullet_it_does_not_say():
    gazette = article(
        0,
        sentence(
            "Steelworkers reacted with anger and relief on Thursday after a £1.25 billion plan "
            "to rebuild the town's steelworks was confirmed.",
            3.0,
            "outcome",
            0.9,
        ),
    )
    ledger = article(
        1,
        sentence(
            "Under the deal announced on Wednesday, the plant's owner will invest in a new "
            "electric arc furnace costing £1.25 billion in all.",
            3.0,
            "outcome",
            0.9,
        ),
    )
    sections = structure([gazette, ledger], Layout())
    (item,) = [i for s in sections for i in s.items if "£1.25 billion" in i.text]
    assert item.citations == (1,)
    assert sum("£1.25 billion" in t for t in bullets(sections)) == 1


def test_a_story_opens_with_the_section_of_its_lead():
    lead = "The council approved the new tram line to the eastern districts on Thursday."
    detail = "Trams will run every six minutes at peak times from the opening day."
    dispute = "Traders on the high street opposed the route, fearing years of roadworks."
    candidates = article(
        0,
        sentence(lead, 3.0, "outcome", 0.9),
        sentence(detail, 2.0),
        sentence(dispute, 1.0, "disagreement", 0.9),
    )
    sections = structure([candidates], Layout())
    assert [s.kind for s in sections] == ["outcomes", "key_points", "disagreements"]
    assert bullets(sections)[0] == lead
    merged = merge_sections([Story("Tram line approved", sections, (1,))])
    assert [s.kind for s in merged] == ["outcomes", "key_points", "disagreements"]


def test_hard_news_in_one_article_outranks_a_feature_carried_by_three_files():
    feature = [
        article(
            i,
            sentence(f"Copy {i}: the band's tour will take in twelve cities, with a new light show.", 3.0),
            sentence(f"Copy {i}: fans queued for hours at the box office on a rainy morning.", 2.0),
        )
        for i in range(3)
    ]
    news = article(
        3,
        sentence("The utility cut power to 800,000 homes on Monday to prevent wildfires in the hills.", 3.0, "outcome", 0.9),
        sentence("Regulators criticised the shutoff as a failure of planning by the company.", 2.0, "disagreement", 0.9),
        sentence("The state will review the utility's licence at a hearing next month.", 1.0, "next_step", 0.9),
    )
    per_article = [*feature, news]
    articles = [make_article(title=f"Headline {i}") for i in range(4)]
    briefed, _ = build_stories([[0, 1, 2], [3]], per_article, articles, Layout(), copies={})
    assert briefed[0].sources == (4,)  # the power shutoff leads
    assert news_value([0, 1, 2], per_article, Layout(), 3) < news_value([3], per_article, Layout(), 1)


@pytest.mark.parametrize(("old_by", "news_first"), [(30, True), (3, False)])
def test_old_news_comes_after_the_fresh_however_many_outlets_carried_it(old_by, news_first):
    # Three outlets' reports of a deal, and one report of a fire: the fire leads when the
    # deal is a month older than it (an archive in the folder), not when it is days older.
    deal = [
        article(i, sentence(f"Outlet {i}: the union and the port agreed a pay deal on Monday.", 3.0, "outcome", 0.9))
        for i in range(3)
    ]
    fire = article(3, sentence("A fire closed the city's main library on Tuesday night.", 3.0))
    day = dt.date(2026, 11, 30)
    articles = [
        *(make_article(title=f"Deal {i}", source=f"Outlet {i}", published=day - dt.timedelta(old_by)) for i in range(3)),
        make_article(title="Library fire", source="Star", published=day),
    ]  # fmt: skip
    ranked = rank_stories([[0, 1, 2], [3]], [*deal, fire], articles, Layout(), copies={})
    assert ranked == ([[3], [0, 1, 2]] if news_first else [[0, 1, 2], [3]])


def test_a_story_of_no_known_day_is_not_old_news():
    # An article built in code, with no date and no file: nothing says it is old.
    deal = sentence("The union and the port agreed a pay deal.", 3.0, "outcome", 0.9)
    undated, dated = article(0, deal), article(1, sentence("A fire shut the library.", 3.0))
    articles = [
        make_article(title="Deal", published=None),
        make_article(title="Fire", published=dt.date(2026, 11, 30)),
    ]
    ranked = rank_stories([[1], [0]], [undated, dated], articles, Layout(), copies={})
    assert ranked == [[0], [1]]  # the deal's news value leads


def test_an_outlets_further_reports_of_a_story_count_for_some_of_its_news_value():
    # A wire feed: one AP report of a fire, filed first, and four AP reports of a crash,
    # neither with an action sentence among its best; the crash leads.
    fire = article(0, sentence("A fire closed the city's main library on Tuesday night.", 3.0))
    crash = [
        article(i, sentence(f"Report {i}: investigators searched the crash site.", 3.0))
        for i in range(1, 5)
    ]
    per_article = [fire, *crash]
    articles = [make_article(title=f"Report {i}", source="AP") for i in range(5)]
    ranked = rank_stories([[0], [1, 2, 3, 4]], per_article, articles, Layout(), copies={})
    assert ranked == [[1, 2, 3, 4], [0]]
    # Still, one more outlet counts for more than three more reports of one.
    one_outlet = news_value([1, 2, 3, 4], per_article, Layout(), 1)
    assert one_outlet < news_value([1, 2], per_article, Layout(), 2)


def test_an_article_saved_twice_is_one_outlet_and_a_syndicated_one_is_two():
    ledger, again = make_article(source="Ledger"), make_article(source="Ledger")
    gazette, unknown = make_article(source="Gazette"), make_article(source="")
    articles = [ledger, again, gazette, unknown, make_article(source="")]
    assert outlets_of([0], articles, {0: (0, 1)}) == 1  # saved twice by one reader
    assert outlets_of([0], articles, {0: (0, 2)}) == 2  # the same text from two outlets
    assert outlets_of([0, 2], articles, {0: (0, 1)}) == 2
    assert outlets_of([3], articles, {3: (3, 4)}) == 1  # two copies, neither names one
    assert outlets_of([0, 3], articles, {}) == 2
    # One outlet however its name is written: a page's "The Associated Press", a dateline's AP.
    wire = [make_article(source=name) for name in ("AP", "The Associated Press", "Reuters")]
    assert outlets_of([0, 1], wire, {}) == 1 and outlets_of([0, 1, 2], wire, {}) == 2


def test_the_fact_index_finds_the_same_first_match_as_comparing_with_every_kept_one():
    # Random sentences over a small vocabulary and a few figures, so that many pairs share
    # words and some share enough: the index must pick exactly what a full scan picks.
    import random

    from briefing.structure.candidates import Candidate
    from briefing.structure.facts import FactIndex, same_fact

    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(40)]
    figures = ["£5m", "31%", "1,950", "12"]
    candidates = []
    for i in range(600):
        words = frozenset(rng.sample(vocabulary, rng.randint(1, 12)))
        shown = frozenset(rng.sample(figures, 1)) if rng.random() < 0.1 else frozenset()
        scored = make_scored(" ".join(sorted(words)), 1.0, article_id=i, index=0)
        candidates.append(Candidate(scored, Classification("context", 0.5), 1.0, 1, 1,
                                    words=words, figures=shown))  # fmt: skip
    index, kept, matched = FactIndex(candidates), [], 0
    for candidate in candidates:
        expected = next((k for k in kept if same_fact(candidate, k)), None)
        assert index.first_same(candidate) is expected
        if expected is None:
            kept.append(candidate)
            index.keep(candidate)
        else:
            matched += 1
    assert 50 < matched < 550  # the case exercises both outcomes


def test_why_a_sentence_missed_its_section_never_reads_as_a_tie():
    from briefing.structure.facts import cited_item

    for confidence, shown in ((0.597, "0.59"), (0.58, "0.58"), (0.29, "0.29")):
        (candidate,) = article(0, sentence(LEAD, 1.0, "outcome", confidence))
        item = cited_item([candidate], lambda group: (1,), Layout(confident=0.6))
        assert f"not confident enough for outcome ({shown} < 0.60)" in item.why
