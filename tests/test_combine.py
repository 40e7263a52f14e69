"""The same article saved twice, or syndicated by two outlets, is briefed once."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest
from builders import make_article
from conftest import EXAMPLE_ARTICLES, EXAMPLE_STORIES

import briefing
from briefing import combine
from briefing.combine import duplicate_groups, story_groups
from briefing.parallel import executor_for
from briefing.render import to_markdown

STORY = (
    "The regional water board agreed on Monday to raise household bills by 4% from April, "
    "after a four-hour meeting in the town hall.\n"
    "Consumer groups criticised the rise and said the board had ignored cheaper options "
    "for repairing the leaking main pipes.\n"
    "The board said the money would pay for 40 kilometres of new pipes over five years.\n"
    "A public hearing on the repair plan will be held on February 3, the board said."
)
OTHER = (
    "The city's football club sacked its manager on Sunday after a run of nine defeats, "
    "leaving the team second from bottom of the league.\n"
    "Supporters protested outside the stadium and demanded that the owners sell the club.\n"
    "A new manager is expected to be named before the next home game on Saturday."
)


def test_duplicate_groups_keeps_distinct_articles_apart():
    groups = duplicate_groups([make_article(STORY), make_article(OTHER)])
    assert groups == ((0,), (1,))


def test_duplicate_groups_finds_a_copy_saved_with_another_title_and_an_extra_line():
    copy = "Bills to rise, board decides.\n" + STORY + "\nFollow us for more local news."
    groups = duplicate_groups(
        [make_article(STORY, title="A"), make_article(OTHER), make_article(copy, title="B")]
    )
    assert groups == ((2, 0), (1,))


def test_duplicate_groups_finds_a_syndicated_copy_with_its_last_paragraph_cut():
    cut = "\n".join(STORY.splitlines()[:3])
    groups = duplicate_groups([make_article(cut), make_article(STORY)])
    assert groups == ((1, 0),)


def test_duplicate_groups_of_empty_and_tiny_texts_does_not_fail():
    groups = duplicate_groups([make_article(""), make_article("Short."), make_article("")])
    assert sorted(i for g in groups for i in g) == [0, 1, 2]


def test_an_article_saved_twice_is_briefed_once_and_cites_both_files(tmp_path):
    md = "---\ntitle: Water bills to rise 4%\nsource: Valley Gazette\ndate: 2026-11-02\n---\n\n"
    (tmp_path / "gazette.md").write_text(md + STORY.replace("\n", "\n\n"), encoding="utf-8")
    page = "Water bills to rise 4%, board decides\n\n" + STORY.replace("\n", "\n\n")
    (tmp_path / "saved-page.txt").write_text(page, encoding="utf-8")
    result = briefing.build(tmp_path)
    assert len(result.sources) == 2
    items = [item for section in result.sections for item in section.items]
    texts = [item.text for item in items]
    assert len(texts) == len(set(texts))
    assert all(item.citations == (1, 2) for item in items)


def test_story_groups_put_two_outlets_reports_of_one_story_together(examples):
    from briefing.combine import story_groups
    from briefing.load import load_paths

    articles = load_paths([examples]).articles
    groups = story_groups(articles, list(range(len(articles))))
    steel = [i for i, a in enumerate(articles) if "steel" in a.title.casefold()]
    assert len(steel) == 2
    assert tuple(steel) in groups
    assert len(groups) == len(articles) - 1


# A third report on the steel story, written for this test: with it the folder holds a story
# of three, and a dock pay deal that shares "union", "deal" and "jobs" with it sits near.
STEEL_FOLLOW_UP = (
    "The steelworkers' union said on Tuesday it would ballot its members at the Northgate "
    "steelworks on strike action over the plan to cut 1,950 jobs as part of the £500m furnace "
    "deal agreed with the government.\n"
    "Gareth Lowry, the union's national officer, said Varden Steel had refused to consider the "
    "union's alternative plan, which would keep one blast furnace running until 2032.\n"
    "Varden said the electric arc furnace was the only way to keep the plant open and that it "
    "would continue talks with the union. The ballot will close on Dec. 12."
)


def test_a_story_that_grows_in_a_small_folder_takes_in_no_unrelated_article(examples):
    # Once the steel story had four articles (its three and the dock deal, at 0.12 on
    # average), every other example joined it over the generic words the folder shares.
    from briefing.load import load_paths

    articles = [
        *load_paths([examples]).articles,
        make_article(STEEL_FOLLOW_UP, title="Union calls strike ballot at Northgate steelworks"),
    ]
    groups = story_groups(articles, list(range(len(articles))))
    steel = tuple(i for i, a in enumerate(articles) if "steel" in a.title.casefold())
    assert len(steel) == 3
    (story,) = [g for g in groups if set(steel) <= set(g)]
    unrelated = [
        i for i, a in enumerate(articles)
        if not any(w in a.title.casefold() for w in ("steel", "dock"))
    ]  # fmt: skip
    assert len(unrelated) == 5
    assert not set(story) & set(unrelated)
    assert all((i,) in groups for i in unrelated)
    # Nor the dock pay deal, a little like each steel report through "union" and "strike".
    (dock,) = [i for i, a in enumerate(articles) if "dock" in a.title.casefold()]
    assert (dock,) in groups


def _unit_rows(*rows: list[float]):
    import scipy.sparse as sp

    matrix = np.asarray(rows, dtype=float)
    return sp.csr_matrix(matrix / np.linalg.norm(matrix, axis=1, keepdims=True))


def test_one_word_alone_does_not_link_a_small_story():
    # 0 and 1 share one heavy word (0.8 x 0.8) and a trace of another (0.1 x 0.1); 0 and 2
    # share three words, none of them more than the others together.
    vectors = _unit_rows([0.8, 0.1, 0.0, 0.0, 0.59161], [0.8, 0.1, 0.59161, 0.0, 0.0],
                         [0.25, 0.5, 0.0, 0.75714, 0.338])  # fmt: skip
    plain = (vectors @ vectors.T).toarray()
    links = combine._link_strengths(vectors)
    assert plain[0, 1] == pytest.approx(0.65, abs=1e-4) and links[0, 1] == pytest.approx(0.02, abs=1e-4)
    assert links[0, 2] == pytest.approx(plain[0, 2]) == pytest.approx(0.45, abs=1e-4)
    assert (links == links.T).all() and (np.diag(links) == 0).all()
    assert combine._weak_links_apart([0, 1], vectors) == [[0], [1]]
    assert combine._weak_links_apart([0, 2], vectors) == [[0, 2]]


def test_a_small_story_keeps_only_the_articles_strongly_linked_in_it():
    # 0 and 1 share their names (0.84); 2 shares a little of the generic words of each
    # (0.14, 0.12), which average linkage's 0.12 lets in, but no link of 2's is STORY_PAIR
    # strong.
    vectors = _unit_rows([0.6, 0.8, 0, 0], [0.6, 0.6, 0.52915, 0], [0.1, 0.1, 0, 0.98995])
    assert combine._weak_links_apart([0, 1, 2], vectors) == [[0, 1], [2]]
    assert combine._weak_links_apart([0, 2], vectors) == [[0], [2]]
    assert combine._weak_links_apart([0, 1], vectors) == [[0, 1]]
    # A story larger than SMALL_STORY is held together by its many links, not one each.
    larger = _unit_rows(*vectors.toarray(), [0.9, 0.4, 0.1, 0.1])
    assert combine.SMALL_STORY < 4
    assert combine._weak_links_apart([0, 1, 2, 3], larger) == [[0, 1, 2, 3]]


def test_a_larger_story_sets_apart_an_article_only_a_little_like_each_of_the_others():
    # 0, 1 and 2 share their names (0.5 to 0.8 alike); 3 shares generic words with each
    # (about 0.15), so that the average of the four is over SAME_STORY.
    close = _unit_rows([0.7, 0.7, 0.1, 0.1, 0.1], [0.8, 0.5, 0.2, 0.25, 0.0],
                       [0.5, 0.8, 0.3, 0.0, 0.1], [0.0, 0.0, 0.35, 0.3, 0.88])  # fmt: skip
    similar = (close @ close.T).toarray()
    assert similar[3, :3].max() < combine.STORY_PAIR and similar[:3, :3].min() > 0.5
    assert combine._strays_apart([0, 1, 2, 3], close) == [[0, 1, 2], [3]]
    # An article as like the others as they are like each other stays, however weak its
    # links: a wire story is held by many.
    loose = _unit_rows(*(np.r_[np.eye(4)[k] * 0.95, 0.25, 0.25] for k in range(4)))
    assert (loose @ loose.T).toarray().max(where=~np.eye(4, dtype=bool), initial=0) < 0.2
    assert combine._strays_apart([0, 1, 2, 3], loose) == [[0, 1, 2, 3]]
    # One strong link keeps an article.
    linked = _unit_rows(*close.toarray(), [0.0, 0.0, 0.3, 0.3, 0.9])
    assert combine._strays_apart([0, 1, 2, 3, 4], linked) == [[0, 1, 2, 3, 4]]


@pytest.mark.parametrize(("late_by", "joins"), [(10, True), (400, False), (None, True)])
def test_a_straggler_joins_a_deep_story_only_within_its_time(late_by, joins):
    # Four reports of a story over four days and one more like them: it joins them when
    # published in those days or soon after, or undated, but not a year on.
    reports = (np.r_[np.eye(4)[k] * 0.5, 0.6, 0.6] for k in range(4))
    deep = _unit_rows(*reports, [0, 0, 0, 0, 0.7, 0.7])
    first = dt.date(2026, 3, 2).toordinal()
    late = np.nan if late_by is None else first + 3 + late_by
    days = np.array([first, first + 1, first + 2, first + 3, late], dtype=float)
    parts = combine._join_deep_stories([[0, 1, 2, 3], [4]], deep, deep, days)
    assert parts == ([[0, 1, 2, 3, 4]] if joins else [[0, 1, 2, 3], [4]])


def test_story_groups_of_one_or_no_article():
    from briefing.combine import story_groups

    assert story_groups([make_article(STORY)], [0]) == ((0,),)
    assert story_groups([], []) == ()


def test_a_brief_of_many_stories_has_one_part_per_story_most_sourced_first(examples):
    result = briefing.build(examples)
    assert len(result.stories) == EXAMPLE_STORIES
    first = result.stories[0]
    assert first.carried_by == 2
    assert "steel" in first.headline.casefold()
    assert {n for story in result.stories for n in story.sources} == set(
        range(1, EXAMPLE_ARTICLES + 1)
    )
    for story in result.stories:
        cited = {n for section in story.sections for item in section.items for n in item.citations}
        assert cited <= set(story.sources)


def test_a_brief_keeps_within_its_word_budget(examples):
    result = briefing.build(examples, max_words=300)
    words = sum(len(item.text.split()) for s in result.sections for item in s.items)
    assert words <= 300
    assert all(story.sections for story in result.stories)


def test_summarize_many_says_each_fact_once_within_the_word_budget():
    copy = STORY.replace("agreed on Monday", "decided on Monday")
    summary = briefing.summarize_many([STORY, copy, OTHER], words=60)
    assert summary
    assert sum(len(s.split()) for s in summary) <= 60
    facts = [s.replace("decided on Monday", "agreed on Monday") for s in summary]
    assert len(facts) == len(set(facts))
    assert any(s in STORY for s in facts)


def test_summarize_many_of_nothing_is_empty():
    assert briefing.summarize_many([], words=100) == []
    assert briefing.summarize_many(["", "   "], words=100) == []
    assert briefing.summarize_many([STORY], words=0) == []


def test_a_story_whose_articles_name_no_outlet_counts_reports_not_sources(examples, tmp_path):
    # The two takes on the steel deal, saved without the outlet each names: "(2 sources)"
    # would claim two outlets where one may have written both.
    for path in examples.iterdir():
        data = path.read_bytes()
        if "steel" in path.name:
            data = b"\n".join(line for line in data.splitlines() if not line.startswith(b"source:"))
        (tmp_path / path.name).write_bytes(data)
    result = briefing.build(tmp_path)
    steel = result.stories[0]
    assert "steel" in steel.headline.casefold()
    assert (steel.carried_by, steel.reports) == (0, 2)
    lines = to_markdown(result).splitlines()
    (summary,) = [line for line in lines if "£500m" in line and line.startswith("- ")]
    assert "(2 reports)" in summary and "sources)" not in summary
    named = briefing.build(examples)
    assert (named.stories[0].carried_by, named.stories[0].reports) == (2, 2)


def test_stories_beyond_the_budget_are_named_and_only_cited_sources_are_listed(examples):
    result = briefing.build(examples, max_stories=3)
    assert len(result.stories) == 3
    assert len(result.also) == 4
    assert all(not story.sections for story in result.also)
    numbers = [s.number for s in result.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {n for story in (*result.stories, *result.also) for n in story.sources}
    assert cited == set(numbers)
    # The two saved pages name no outlet: they are not outlets of their own.
    assert result.coverage.startswith(
        f"{EXAMPLE_ARTICLES} articles: {EXAMPLE_ARTICLES - 2} from 5 sources, 2 of unknown source"
    )


def test_stories_too_many_to_name_are_counted(examples, monkeypatch):
    from briefing.structure import stories

    monkeypatch.setattr(stories, "MAX_ALSO", 2)
    result = briefing.build(examples, max_stories=3)
    assert (len(result.stories), len(result.also), result.left_out) == (3, 2, 2)
    assert "- 2 more stories, not named here." in result.to_markdown()


STORM_ANGLES = (
    # The same storm, opened on three angles: deaths, aid, and damage to the economy.
    "Hurricane Mitch has killed at least 9,000 people in Honduras and Nicaragua, officials said.\n"
    "Rescue teams reached villages in northern Honduras that the hurricane had cut off for a week.\n"
    "Mudslides buried homes on the slopes of the Casita volcano in Nicaragua after days of rain.",
    "Aid flights carrying food, water and medicine landed in Tegucigalpa on Tuesday.\n"
    "Relief agencies said the hurricane had left more than a million people homeless in Honduras.\n"
    "The United States and Mexico sent helicopters to reach villages cut off by mudslides and floods.\n"
    "Hurricane Mitch killed thousands of people in Honduras and Nicaragua last week.",
    "Honduras will need years to rebuild roads and bridges destroyed by the hurricane, the finance minister said.\n"
    "Banana plantations along the north coast were flooded, and exports are expected to fall sharply.\n"
    "Mitch destroyed more than 90 bridges, cutting the capital off from the coast for days.\n"
    "The hurricane killed thousands of people in Honduras and Nicaragua, and rescue teams are "
    "still reaching villages cut off by mudslides.",
)
FOOTBALL = (
    "Honduras beat Jamaica 2-0 in a World Cup qualifier in San Pedro Sula on Saturday.\n"
    "The striker scored twice in the second half as the home side moved top of the group.\n"
    "The coach praised the defence, which has not conceded a goal in four matches."
)


def test_articles_on_one_event_stay_together_whatever_their_angle_and_without_headlines():
    articles = [make_article(text, title="") for text in (*STORM_ANGLES, FOOTBALL)]
    groups = story_groups(articles, [0, 1, 2, 3])
    assert (0, 1, 2) in groups
    assert (3,) in groups  # the same country is not the same story


def test_duplicate_groups_compares_a_bounded_number_of_pairs_when_thousands_share_a_footer(
    monkeypatch,
):
    # Messages of a mailing list: a line of their own and the same long footer.  All-pairs
    # work would be 4.5 million comparisons; candidates from MinHash bands keep it linear.
    footer = " ".join(OTHER.split()[:40])
    articles = [make_article(f"Note {i}: item {i} of the list, number {i * 7}.\n{footer}")
                for i in range(3000)]  # fmt: skip
    calls = []
    real = combine.same_article
    monkeypatch.setattr(combine, "same_article", lambda a, b: calls.append(1) or real(a, b))
    groups = duplicate_groups(articles)
    assert len(calls) <= combine.MINHASH_BANDS * combine.BUCKET_LEADERS * len(articles)
    assert sorted(i for g in groups for i in g) == list(range(3000))


def test_duplicate_groups_finds_the_copies_in_a_large_folder():
    rng = random.Random(3)
    words = [f"word{k}" for k in range(3000)]
    stories = [
        "\n".join(" ".join(rng.choice(words) for _ in range(20)) + "." for _ in range(6))
        for _ in range(400)
    ]
    # Every tenth saved again, with a line of furniture and its last paragraph cut.
    copies = ["Sponsored: read more\n" + text.rsplit("\n", 1)[0] for text in stories[::10]]
    groups = duplicate_groups([make_article(t) for t in stories + copies])
    pairs = {g for g in groups if len(g) > 1}
    expected = {(i, 400 + i // 10) for i in range(0, 400, 10)}  # the longer one first
    assert pairs <= expected
    assert len(pairs) >= len(expected) - 1  # a MinHash band may miss one pair in a hundred


def test_shingles_are_the_same_in_every_process():
    # Python salts str hashes per process; copies found by hashed shingles must not be.
    code = (
        "import sys; from briefing.combine import shingles; print(shingles(sys.argv[1]).tolist())"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code, STORY],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert seen == {f"{combine.shingles(STORY).tolist()}\n"}


def test_shingles_of_short_and_empty_texts():
    assert len(combine.shingles("")) == 0
    assert len(combine.shingles("Two words")) == 1  # shorter than a shingle: one of all
    assert len(combine.shingles("one two three four five")) == 1
    assert len(combine.shingles("one two three four five six")) == 2
    assert (
        combine.shingles("One two THREE four five").tolist()
        == combine.shingles("one, two; three four five!").tolist()
    )  # case and punctuation folded


def test_copy_keys_computed_by_workers_give_the_groups_of_one_process():
    rng = random.Random(5)
    words = [f"word{k}" for k in range(500)]
    texts = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(60)]
    texts += [t + " Read more." for t in texts[:20]]
    articles = [make_article(t) for t in texts]
    with executor_for(2) as executor:
        keys = list(executor.map(combine.copy_keys, articles))
    assert duplicate_groups(articles, keys) == duplicate_groups(articles)
    assert duplicate_groups(articles, iter(keys)) == duplicate_groups(articles)  # as they come
    assert sum(1 for g in duplicate_groups(articles) if len(g) > 1) == 20


def test_two_unrelated_pages_that_share_generic_words_are_not_one_story(shared):
    # Of one week's news pages: a tennis report and a football one share "beat", "team",
    # "clinch" (0.12 similar); two reports of a kidnapping share its names (0.65).
    from briefing.load import clean_article
    from briefing.models import Article

    truth = shared / "data" / "extraction" / "ground_truth.jsonl"
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    pages = [clean_article(Article(title="", text=row["articleBody"])) for row in rows]
    groups = story_groups(pages, list(range(len(pages))))
    story_of = {i: g for g in groups for i in g}

    def page(fragment: str) -> int:
        return next(i for i, row in enumerate(rows) if fragment in row["url"])

    tennis, football = page("sportsnet.ca/tennis"), page("cbssports.com/soccer")
    assert story_of[tennis] != story_of[football]
    # A study of cannabis use and October's car sales both say "percent" twenty times.
    assert story_of[page("newsweek.com/cannabis")] != story_of[page("New-car-sales-plunge")]
    assert story_of[page("michael-webb-fort-worth")] == story_of[page("nbcdfw.com")]
    pairs = [g for g in groups if len(g) == 2]
    about = [combine._about(page) for page in pages]
    vectors = combine.tfidf_rows(about, background=combine.BACKGROUND_DOCUMENTS)
    assert all(combine._link_strengths(vectors[list(p)])[0, 1] >= combine.STORY_PAIR for p in pairs)


def test_the_shipped_background_frequencies_are_rebuilt_byte_for_byte_from_shared(shared, tmp_path):
    import importlib
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    counter = importlib.import_module("scripts.count_background")
    out = tmp_path / "background.json"
    assert counter.main(["--out", str(out)]) == 0
    assert out.read_bytes() == (repo / "briefing" / "data" / combine.BACKGROUND_FILE).read_bytes()


def test_a_shared_name_weighs_more_than_a_shared_generic_word_in_a_small_folder():
    # Three articles: the first shares "deal" (in most news) with the second and a name no
    # background article holds with the third, each once: alone, the folder could not tell.
    background, _ = combine.background_frequencies()
    assert background["deal"] > 500 and "northgatia" not in background
    documents = [["deal", "northgatia"], ["deal", "harbour"], ["northgatia", "tram"]]
    rows = combine.tfidf_rows(documents, background=combine.BACKGROUND_DOCUMENTS)
    similarity = (rows @ rows.T).toarray()
    assert similarity[0, 2] > 2 * similarity[0, 1] > 0


def test_the_two_takes_on_one_story_stay_far_above_the_unrelated_examples(examples):
    from briefing.load import load_paths

    articles = load_paths([examples]).articles
    about = [combine._about(a) for a in articles]
    rows = combine.tfidf_rows(about, background=combine.BACKGROUND_DOCUMENTS)
    similarity = (rows @ rows.T).toarray()
    steel = [i for i, a in enumerate(articles) if "steel" in a.title.casefold()]
    others = [
        similarity[i, j]
        for i in range(len(articles))
        for j in range(i + 1, len(articles))
        if not (i in steel and j in steel)
    ]
    assert similarity[steel[0], steel[1]] > combine.STORY_PAIR > combine.SAME_STORY > max(others)


def _stories_benchmark():
    """The benchmarks/stories.py module, whose mixes the wire tests draw."""
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    return __import__("benchmarks.stories", fromlist=["mixes"])


def _wire_topics(shared) -> list[dict]:
    lines = (shared / "data" / "multidoc_dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _cleaned(mix):
    """(the topic of each article, its article cleaned, with no headline) of one mix."""
    from briefing.load import clean_article
    from briefing.models import Article

    return (
        [k for k, _ in mix],
        [clean_article(Article(title="", text=d["text"])) for _, d in mix],
    )


def _wire_mixes(shared, count: int, topics: int, per_topic: int, seed: int):
    """Mixes of wire topics from the shared multi-document set, as benchmarks/stories.py
    draws them: (the topic of each article, its article cleaned, with no headline)."""
    bench = _stories_benchmark()
    wire = _wire_topics(shared)
    return bench, [_cleaned(mix) for mix in bench.mixes(wire, count, topics, per_topic, seed)]


def test_a_wire_topic_comes_back_as_one_story_though_its_reports_name_different_people(shared):
    # Ten reports on each of five topics, no headlines: a report that the first clustering
    # leaves alone (its own names and figures are most of its length) joins its topic.
    bench, mixes = _wire_mixes(shared, 20, 5, 10, seed=0)
    scores = [bench.bcubed(truth, story_groups(articles, list(range(len(articles)))))
              for truth, articles in mixes]  # fmt: skip
    precision, recall, _ = (sum(column) / len(scores) for column in zip(*scores, strict=True))
    assert precision >= 0.97  # 0.99
    assert recall >= 0.91  # 0.93; 0.87 without joining the deep stories


def test_a_few_unrelated_wire_articles_stay_apart(shared):
    # One article of each of eight topics, as a small morning folder holds them: the terms
    # they share are generic, so comparing over shared terms alone would make them one story.
    _, mixes = _wire_mixes(shared, 20, 8, 1, seed=99)
    apart = [len(story_groups(articles, list(range(len(articles))))) for _, articles in mixes]
    assert sum(apart) >= 0.9 * 8 * len(mixes)


def test_a_topic_in_a_small_folder_takes_in_none_of_the_unrelated_articles_beside_it(shared):
    # A topic of 4 or 5 wire articles among a few unrelated ones: over the terms two articles
    # of so small a folder share, every article is like the topic (precision 0.87 to 0.92).
    bench = _stories_benchmark()
    wire = _wire_topics(shared)
    for deep, alone in bench.SMALL_FOLDERS:
        scores = []
        for mix in bench.sized_mixes(wire, 40, [deep] + [1] * alone, seed=0):
            truth, articles = _cleaned(mix)
            scores.append(bench.bcubed(truth, story_groups(articles, list(range(len(articles))))))
        precision = sum(p for p, _, _ in scores) / len(scores)
        assert precision >= 0.96, (deep, alone)  # 0.977 to 0.994


def test_tfidf_rows_over_shared_terms_with_dampened_counts():
    documents = [["storm", "storm", "storm", "storm", "levee"], ["storm", "levee"], ["tram"]]
    plain = combine.tfidf_rows(documents).toarray()
    shared = combine.tfidf_rows(documents, sublinear=True, shared=True).toarray()
    assert plain[2].any() and not shared[2].any()  # "tram" is in one document only
    assert shared[0, 0] / shared[0, 1] == pytest.approx(1 + np.log(4))  # storm, levee: same idf
    assert plain[0, 0] / plain[0, 1] == pytest.approx(4)


def test_two_articles_at_one_address_are_one_however_little_of_it_one_holds():
    url = "https://star.example/news/tram-line"
    whole = make_article(STORY, url=url)
    lead = make_article(STORY.split("\n", maxsplit=1)[0], url=url)  # a feed cut off after it
    other = make_article(OTHER, url="https://star.example/news/football")
    assert duplicate_groups([lead, other, whole]) == ((2, 0), (1,))
    assert duplicate_groups([make_article(STORY), make_article(OTHER)]) == ((0,), (1,))
