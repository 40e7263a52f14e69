"""End to end: articles in, a .docx out, read back to check what a reader would see."""

from __future__ import annotations

import datetime
import logging
import re
import shutil
import sys
from pathlib import Path

import docx
import pytest

import briefing
from briefing.errors import NoArticlesError
from briefing.words import looks_english

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CASES = Path(__file__).parent / "examples"
FURNITURE = ("Sign up", "sign in", "in order to comment", "community comments", "Photo by",
             "Getty Images", "Business Maverick", "password", "free to read", "signing up")


def read_sections(path: Path) -> dict[str, list[str]]:
    """Map each heading of the .docx at ``path`` to the paragraphs under it."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for paragraph in docx.Document(str(path)).paragraphs:
        if paragraph.style.name.startswith(("Heading", "Title")):
            current = paragraph.text.strip()
            sections.setdefault(current, [])
        elif paragraph.text.strip():
            sections[current].append(paragraph.text.strip())
    return sections


def bullets_containing(bullets: list[str], phrase: str) -> list[str]:
    return [b for b in bullets if phrase.casefold() in b.casefold()]


@pytest.fixture
def seed_docx(seed_article, tmp_path) -> dict[str, list[str]]:
    out = briefing.build(seed_article).to_docx(tmp_path / "seed.docx")
    return read_sections(out)


def test_seed_briefing_files_the_agreement_to_reopen_talks_under_outcomes(seed_docx):
    assert bullets_containing(seed_docx["Outcomes"], "agreed to reopen talks")


def test_seed_briefing_files_the_open_disputes_under_disagreements(seed_docx):
    disputes = seed_docx["Disagreements"]
    topics = {
        "military contacts": "contacts between the two countries",
        "trade": "at odds over trade",
        "sanctions": "sanctions",
    }
    found = {topic for topic, phrase in topics.items() if bullets_containing(disputes, phrase)}
    assert found == set(topics)


def test_seed_briefing_files_the_leaders_talks_under_next_steps(seed_docx):
    assert bullets_containing(seed_docx["Next steps"], "later this year")


def test_seed_briefing_holds_none_of_the_page_furniture(seed_docx):
    body = [text for heading, texts in seed_docx.items() if heading != "Sources" for text in texts]
    for phrase in FURNITURE:
        assert not bullets_containing(body, phrase), phrase
    headline = "US, China upbeat on ties after Blinken visit but few specifics"
    assert not bullets_containing(body, headline)


def test_seed_briefing_cites_its_source_on_every_bullet(seed_docx):
    for heading in ("Outcomes", "Disagreements", "Next steps"):
        for bullet in seed_docx[heading]:
            assert bullet.endswith("[1]"), bullet
    assert len(seed_docx["Sources"]) == 1


def test_bundled_examples_brief_into_cited_sections(examples, tmp_path):
    # A budget wider than the two-page default, so every story keeps more than its lead.
    result = briefing.build(examples, date=None, max_words=700)
    sources = len(result.sources)
    assert sources == len(list(examples.iterdir()))
    assert {s.kind for s in result.sections} >= {"outcomes", "disagreements", "next_steps"}
    for section in result.sections:
        for item in section.items:
            assert item.citations and all(1 <= n <= sources for n in item.citations)
    path = result.to_docx(tmp_path / "brief.docx")
    sections = read_sections(path)
    assert len(sections["Sources"]) == sources


def test_the_executive_summary_of_the_examples_gives_each_story_once(examples):
    result = briefing.build(examples, date=None)
    assert result.by_story
    for story in result.stories:
        items = [item for section in story.sections for item in section.items]
        assert story.bottom_line in items
        assert story.bottom_line.text != story.headline
        assert all(story.bottom_line not in s.items for s in story.details)
    # The steel story's two reports share the £500m deal, not one report's scene of anger.
    steel = next(story for story in result.stories if "Northgate" in story.headline)
    assert steel.bottom_line.text.startswith("The government has agreed to provide £500m")
    assert steel.bottom_line.citations == steel.sources
    # A larger budget gives the story more bullets, not another bottom line: not a union
    # officer's quotation, nor the signing expected in March, though both reports hold
    # their words.
    roomy = briefing.build(examples, date="2026-11-24", max_words=600, state=None)
    (steel,) = [story for story in roomy.stories if "Northgate" in story.headline]
    assert steel.bottom_line.text.startswith("The government has agreed to provide £500m")
    assert steel.headline == "Government agrees £500m deal to keep Northgate steelworks open"
    # Citations are numbered in reading order, and the summary is read first.
    assert result.stories[0].bottom_line.citations[0] == 1
    markdown = result.to_markdown()
    summary = markdown.split("## Executive summary", 1)[1].split("\n## ", 1)[0]
    for story in result.stories:
        assert story.bottom_line.text in summary
        assert markdown.count(story.bottom_line.text) == 1


def case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expected.toml").is_file())


@pytest.mark.parametrize("case", case_folders(), ids=lambda p: p.name)
def test_example_case_files_its_key_sentences_where_an_editor_would(case, tmp_path):
    expected = tomllib.loads((case / "expected.toml").read_text(encoding="utf-8"))
    inputs = [case / p for p in expected.get("inputs", ["articles"])]
    # The brief's day (default today) decides which next steps are still ahead.
    path = briefing.build(inputs, date=expected.get("date")).to_docx(tmp_path / "case.docx")
    sections = read_sections(path)
    for heading, phrases in expected.get("sections", {}).items():
        for phrase in phrases:
            assert bullets_containing(sections.get(heading, []), phrase), (heading, phrase)
    for phrase, numbers in expected.get("cited", {}).items():
        bullets = [b for texts in sections.values() for b in bullets_containing(texts, phrase)]
        assert len(bullets) == 1, (phrase, bullets)
        cited = re.search(r"\[([\d, ]+)(?:; [^\]]+)?\]$", bullets[0])
        assert cited and cited[1] == ", ".join(map(str, numbers)), bullets[0]
    everything = " ".join(t for texts in sections.values() for t in texts)
    for phrase in expected.get("absent", []):
        assert phrase.casefold() not in everything.casefold(), phrase


def test_a_run_with_bad_files_briefs_the_good_ones_and_lists_the_bad(examples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul.txt").write_bytes(b"\x00" * 100)
    (folder / "ctl.md").write_text(
        "# Control\n\nThe board\x07 approved the merger on Monday, the company said.\x0c\n"
        "Shareholders opposed the plan and said they would sue the board.\n",
        encoding="utf-8",
    )
    result = briefing.build(folder)
    assert {s.path.name for s in result.skipped} == {"empty.txt", "nul.txt"}
    path = result.to_docx(tmp_path / "brief.docx")
    text = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "nul.txt" in text and "empty file" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_build_raises_no_articles_error_for_an_empty_folder(tmp_path):
    with pytest.raises(NoArticlesError, match="no input files found in ") as caught:
        briefing.build(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_build_of_a_path_that_is_not_there_says_so_by_name(tmp_path):
    missing = tmp_path / "no-such-folder"
    with pytest.raises(NoArticlesError) as caught:
        briefing.build(missing)
    assert str(caught.value) == f"nothing to read: {missing}: no such file or folder"


def test_build_rejects_an_unknown_option():
    with pytest.raises(TypeError, match="colour"):
        briefing.build(".", colour="red")


def test_build_takes_dates_and_the_state_file_as_strings(examples, tmp_path):
    state = tmp_path / "state.sqlite"
    brief = briefing.build(examples, since="2026-11-20", date="2026-11-28", state=str(state))
    assert brief.date == datetime.date(2026, 11, 28)
    assert all(s.status == "" for s in brief.stories)  # no earlier brief to compare with
    briefing.remember(brief, str(state))
    assert state.is_file()


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"max_items": 0}, "max_items must be a whole number of at least 1, not 0"),
        ({"max_words": -5}, "max_words must be a whole number of at least 1"),
        ({"jobs": 1.5}, "jobs must be a whole number"),
        ({"since": "28/11/2026"}, "since must be a date (YYYY-MM-DD), not '28/11/2026'"),
        ({"date": 20261128}, "date must be a date, not 20261128"),
        ({"confident": 1.5}, "confident must be between 0 and 1"),
    ],
)
def test_build_refuses_an_option_value_it_cannot_take(examples, keywords, message):
    with pytest.raises(briefing.OptionError) as caught:
        briefing.build(examples, **keywords)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_building_in_worker_processes_gives_the_same_briefing(examples):
    serial = briefing.build(examples, date=None)
    parallel = briefing.build(examples, date=None, jobs=2)
    assert parallel.to_dict()["stories"] == serial.to_dict()["stories"]
    assert parallel.sources == serial.sources


def test_progress_is_reported_for_each_file_and_each_article(examples):
    from briefing.options import BriefingOptions
    from briefing.pipeline import build_briefing

    seen: list[tuple[str, int, int]] = []
    build_briefing([examples], BriefingOptions(), progress=lambda *step: seen.append(step))
    loading = [s for s in seen if s[0] == "loading"]
    analysing = [s for s in seen if s[0] == "analysing"]
    assert loading[-1] == ("loading", 8, 8)
    assert [done for _, done, _ in analysing] == list(range(1, 9))


def test_summarize_picks_whole_sentences_of_a_pre_tokenized_lower_case_article():
    article = (
        "london ( cnn ) the council approved the new tram line on tuesday , officials said . "
        "opponents said the cost was far too high . work will start next spring . "
        "the line will run for six miles . it will have twelve stops ."
    )
    summary = briefing.summarize(article, sentences=3)
    assert len(summary) == 3
    assert all(s.endswith(" .") for s in summary)
    assert all(s in article for s in summary)


def test_a_question_or_a_fragment_never_becomes_a_bullet(tmp_path):
    (tmp_path / "slogan.md").write_text(
        "# State picks a new slogan\n\n"
        "Remember the long quest to find a state slogan?\n\n"
        "The governor unveiled the new slogan on Monday after a year of public votes.\n\n"
        "Critics said the campaign had cost far too much money for a single line.\n\n"
        "Really?\n\n"
        "The legislature will debate the campaign budget next month, officials said.\n",
        encoding="utf-8",
    )
    result = briefing.build(tmp_path)
    bullets = [item.text for section in result.sections for item in section.items]
    assert bullets
    assert not [b for b in bullets if b.endswith("?") or len(b.split()) < 5]


def test_an_article_not_in_english_is_skipped_by_name_and_the_rest_briefed(examples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    french = folder / "retraites.md"
    french.write_text(
        "# Réforme des retraites\n\n"
        + "Le gouvernement a annoncé mardi une réforme des retraites qui sera présentée au "
        "Parlement la semaine prochaine. Les syndicats ont appelé à la grève pour protester "
        "contre le projet, jugé injuste par une majorité de Français. " * 3,
        encoding="utf-8",
    )
    brief = briefing.build(folder)
    assert [(s.path, s.reason) for s in brief.skipped] == [
        (french, "not in English: 'Réforme des retraites'")
    ]
    assert len(brief.sources) == len(list(examples.iterdir()))
    assert all(source.location != str(french) for source in brief.sources)
    assert not any("retraites" in story.headline for story in (*brief.stories, *brief.also))


PORTUGUESE = (
    "A prefeitura anunciou nesta segunda-feira que vai fechar duas bibliotecas do bairro no "
    "fim do ano. Os moradores protestaram em frente à câmara municipal e pediram que a "
    "decisão seja revista antes da votação do orçamento, marcada para dezembro."
)
ITALIAN = (
    "Il consiglio comunale ha approvato ieri sera il nuovo piano per il traffico del centro "
    "storico. L'opposizione ha criticato la decisione e ha annunciato un ricorso al "
    "tribunale amministrativo, mentre i commercianti chiedono più parcheggi."
)
SCORES = (
    "Jefferson 21, Lincoln 14. Jefferson quarterback Sam Ortiz threw for 212 yards and two "
    "touchdowns as the Eagles won their fourth straight game. Lincoln led 14-7 at the half "
    "before Ortiz found Malik Brown for a 35-yard score. Next up: Jefferson hosts Roosevelt "
    "on Friday at 7 p.m."
)


@pytest.mark.parametrize("text", [PORTUGUESE, ITALIAN], ids=["portuguese", "italian"])
def test_portuguese_and_italian_pages_are_not_taken_for_english(text: str) -> None:
    assert not looks_english(text)


def test_an_english_page_of_scores_and_names_is_english() -> None:
    assert looks_english(SCORES)


def test_a_short_or_english_text_is_never_taken_for_a_foreign_one():
    assert looks_english("Le budget.")  # too short to tell
    assert looks_english(
        "The council voted on Thursday night to approve the extension of the tram network to "
        "the Eastside and Millbrook districts, ending more than six years of debate over the "
        "route, and work is due to start in the spring."
    )


def test_summaries_of_raw_markdown_files_leave_their_front_matter_out(examples):
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("northgate-*.md"))]
    assert all(text.startswith("---") for text in texts)
    many = briefing.summarize_many(texts, words=100)
    one = briefing.summarize(texts[0], sentences=3)
    assert many and one
    for sentence in (*many, *one):
        assert "title:" not in sentence and "source:" not in sentence


def test_a_next_step_whose_day_has_passed_is_no_longer_filed_as_one(tmp_path):
    articles = Path(__file__).parent / "examples" / "two-outlets" / "articles"
    before = briefing.build(articles, date="2026-10-01")
    after = briefing.build(articles, date="2026-10-21")  # the vote was on October 20
    vote = "Shareholders will vote on the takeover"
    ahead = before.section("next_steps")
    assert ahead is not None and any(vote in item.text for item in ahead.items)
    steps = after.section("next_steps")
    assert not steps or not any(vote in item.text for item in steps.items)
    moved = [i for s in after.sections for i in s.items if vote in i.text]
    assert all("is past" in item.why for item in moved)


def test_a_skipped_foreign_article_is_not_counted_as_read(examples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    (folder / "retraites.md").write_text(
        "# Réforme des retraites\n\n"
        + "Le gouvernement a annoncé mardi une réforme des retraites qui sera présentée au "
        "Parlement la semaine prochaine, et les syndicats ont appelé à la grève. " * 3,
        encoding="utf-8",
    )
    brief = briefing.build(folder)
    assert brief.articles_read == len(list(examples.iterdir()))
    assert brief.files_read == len(list(examples.iterdir())) + 1


def test_summarize_many_says_a_figure_once_and_never_a_sentence_that_leans_on_another():
    texts = [
        "The government agreed on Wednesday to provide £500m for a new furnace at the plant. "
        "Its two blast furnaces will close by 2029, with the loss of many jobs in the town.",
        "Ministers will contribute £500m to replace the blast furnaces at the Northgate works. "
        "The union condemned the job losses and said its members would ballot for strikes.",
    ]
    summary = briefing.summarize_many(texts, words=100)
    assert sum("£500m" in s for s in summary) == 1
    assert not any(s.startswith("Its ") for s in summary)
    assert any("union" in s for s in summary)


def test_summarize_many_leaves_out_what_a_brief_would_not_show_as_a_bullet():
    note = "(Story will move in the business category of the wire for Monday.)"
    texts = [
        f"The council agreed on Wednesday to provide £50m for a new tram depot. {note}",
        "Ministers will contribute £20m to the tram depot at the Northgate works. " + note,
    ]
    summary = briefing.summarize_many(texts, words=100)
    assert summary and note not in summary


def test_a_brief_dated_before_some_of_its_articles_says_so(examples, caplog):
    with caplog.at_level(logging.WARNING, logger="briefing.pipeline"):
        briefing.build(examples, date="2026-11-20")
    assert "1 article(s) are dated after the brief's date, 2026-11-20 (the latest 2026-11-24)" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="briefing.pipeline"):
        briefing.build(examples, date="2026-11-28")
    assert "dated after" not in caplog.text


PAGE = """<!doctype html><html><head><title>Council closes two libraries</title></head>
<body><article><h1>Council closes two libraries</h1>
<p>Westbrook's city council voted 9 to 4 on Monday night to close the Elm Street and Harrow
Lane branch libraries, ending a year-long review of the library service.</p>
<p>Related: Westbrook Library Friends Launch Petition To Save Branches</p>
<p>Councillor Dana Whitlock accused the majority of balancing the budget on the backs of
families who cannot afford the bus fare to the central library.</p>
<p>- Five Things To Know About The Library Budget</p>
<p>Mayor Paul AsantePaul Asante defends library cuts MORE said the city had to choose between
fewer buildings and shorter opening hours everywhere.</p>
<p>Both branches will close on March 31, and the council is expected to decide in January how
to spend the money from the sales of the two buildings.</p>
<p>Tell us what YOU think about the closures...</p>
<p>Residents packed the council chamber for the three-hour meeting, and several held signs
reading "Books, not budgets".</p>
</article></body></html>"""


def test_a_saved_page_briefs_no_links_prompts_or_pasted_link_boxes(tmp_path: Path) -> None:
    page = tmp_path / "libraries.html"
    page.write_text(PAGE, encoding="utf-8")
    brief = briefing.build(page)
    bullets = [item.text for section in brief.sections for item in section.items]
    assert any("voted 9 to 4" in b for b in bullets)
    for furniture in ("Related:", "Five Things", "AsantePaul", "Tell us what"):
        assert not any(furniture in b for b in bullets), (furniture, bullets)



def test_a_folder_with_no_sentence_to_brief_names_its_story_without_an_empty_summary(tmp_path):
    # Every line a question: nothing a bullet can show, so the story is only named.
    questions = [
        "Is the council right to spend forty million pounds on a tram line for the east?",
        "Will the trams really run every six minutes at the busiest times of the day?",
        "Who will pay for the line if the cost doubles, as its opponents on the council say?",
        "And what will happen to the bus routes that the new tram line would replace?",
    ]
    (tmp_path / "questions.md").write_text(
        "# Four questions on the tram line\n\n" + "\n\n".join(questions), encoding="utf-8"
    )
    result = briefing.build(tmp_path)
    assert not result.stories
    assert [s.headline for s in result.also] == ["Four questions on the tram line"]
    markdown = result.to_markdown()
    assert "Executive summary" not in markdown
    assert "Four questions on the tram line" in markdown
    out = result.to_docx(tmp_path / "brief.docx")
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Executive summary" not in text
    assert "Four questions on the tram line" in " ".join(text)


def test_an_error_classifying_a_story_left_unbriefed_is_raised_not_lost(examples, monkeypatch):
    # With two bullets in all, the later of the seven stories classified in full are never
    # filed; an error in classifying their articles must still end the run.
    from briefing import pipeline

    calls = []
    real = pipeline.classify_all

    def failing(job):
        calls.append(job)
        if len(calls) >= 5:
            raise RuntimeError("the classifier failed")
        return real(job)

    monkeypatch.setattr(pipeline, "classify_all", failing)
    with pytest.raises(RuntimeError, match="the classifier failed"):
        briefing.build(examples, max_items=2)


BALLOON_LAUNCH = """---
title: Breitling balloon lifts off from Swiss Alps on round-the-world attempt
source: {source}
date: {day}
---
Swiss psychiatrist Bertrand Piccard and British pilot Brian Jones lifted off from the Swiss
Alpine village of Chateau d'Oex on Monday in the Breitling Orbiter 3 balloon.

The Breitling Orbiter 3 team said the balloon is expected to cross the Atlantic within the
next ten days if the jet stream holds.

Piccard and Jones are attempting the first non-stop flight around the world by balloon.
"""
BALLOON_LANDING = """---
title: Breitling Orbiter 3 balloon lands in Egypt after non-stop flight around the world
source: Daily Ledger
date: {day}
---
Bertrand Piccard and Brian Jones landed the Breitling Orbiter 3 balloon in the Egyptian
desert, completing the first non-stop flight around the world by balloon.

The Swiss psychiatrist and the British pilot had lifted off from Chateau d'Oex in the Swiss
Alps and crossed the Atlantic before the jet stream carried them over Africa.

Piccard said the Breitling Orbiter 3 flight was a victory for patience and for the team.
"""


@pytest.mark.parametrize(("landed", "overtaken"), [("2026-03-21", True), ("2026-03-02", False)])
def test_a_next_step_a_later_report_of_its_story_overtakes_is_filed_as_context(
    tmp_path, landed, overtaken
):
    folder = tmp_path / "in"
    folder.mkdir()
    launch = BALLOON_LAUNCH.format(source="Example News", day="2026-03-01")
    (folder / "launch.md").write_text(launch, encoding="utf-8")
    (folder / "landing.md").write_text(BALLOON_LANDING.format(day=landed), encoding="utf-8")
    brief = briefing.build(folder, date=landed, max_words=400, max_items=12)
    assert len(brief.stories) == 1
    step = "expected to cross the Atlantic"
    items = [i for s in brief.sections for i in s.items if step in i.text]
    assert len(items) == 1
    steps = brief.section("next_steps")
    filed_as_step = steps is not None and items[0] in steps.items
    assert filed_as_step is not overtaken
    assert ("later report, of 2026-03-21" in items[0].why) is overtaken


def test_a_story_over_several_days_is_summed_up_by_its_latest_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, source in (("launch-a.md", "Example News"), ("launch-b.md", "Daily Ledger")):
        launch = BALLOON_LAUNCH.format(source=source, day="2026-03-01")
        (folder / name).write_text(launch, encoding="utf-8")
    (folder / "landing.md").write_text(BALLOON_LANDING.format(day="2026-03-21"), encoding="utf-8")
    brief = briefing.build(folder, date="2026-03-21", max_words=400, max_items=12)
    (story,) = brief.stories
    # Two reports of the launch share its words; the one of the landing says where it stands.
    assert story.bottom_line is not None and "landed" in story.bottom_line.text
    assert story.headline.startswith("Breitling Orbiter 3 balloon lands")
