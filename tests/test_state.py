"""The memory of earlier briefs marks stories new, updated or seen; --since filters by date."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from builders import make_article

import briefing
from briefing.errors import NoArticlesError, StateError
from briefing.state import fingerprint, remember, seen_before

DAY = dt.date(2026, 11, 28)
NEXT_DAY = DAY + dt.timedelta(days=1)


def test_fingerprint_prefers_the_url_and_ignores_case_and_a_trailing_slash():
    a = make_article(url="https://News.example/story/")
    b = make_article(text="Other text entirely.", url="https://news.example/story")
    assert fingerprint(a) == fingerprint(b)


def test_fingerprint_of_an_article_without_url_depends_on_its_text_only():
    a = make_article("The council voted on Monday.", title="One")
    b = make_article("The council  voted on Monday.", title="Two")
    c = make_article("The council voted on Tuesday.", title="One")
    assert fingerprint(a) == fingerprint(b) != fingerprint(c)


def test_there_is_nothing_to_compare_with_without_a_state_file(tmp_path):
    assert seen_before(tmp_path / "state.sqlite", ["a", "b"], DAY) is None


def test_articles_remembered_from_a_brief_were_seen_before_the_next_day(tmp_path):
    state = tmp_path / "state.sqlite"
    remember(state, ["a", "b"], DAY)
    assert seen_before(state, ["a", "b", "c"], NEXT_DAY) == {"a", "b"}
    assert seen_before(state, ["c"], NEXT_DAY) == set()  # an earlier brief, without "c"


def test_briefs_of_the_same_day_do_not_count_as_earlier_briefs(tmp_path):
    state = tmp_path / "state.sqlite"
    remember(state, ["a"], DAY)
    assert seen_before(state, ["a"], DAY) is None
    remember(state, ["a"], NEXT_DAY)  # briefed again the next day: still first seen on DAY
    assert seen_before(state, ["a"], NEXT_DAY) == {"a"}


def test_a_state_file_that_is_not_sqlite_is_reported_and_left_alone(tmp_path):
    state = tmp_path / "state.sqlite"
    state.write_bytes(b"my notes, not a database")
    with pytest.raises(StateError, match="not a briefing state file"):
        seen_before(state, ["a"], DAY)
    with pytest.raises(StateError, match="cannot record"):
        remember(state, ["a"], DAY)
    assert state.read_bytes() == b"my notes, not a database"


def test_a_second_brief_marks_the_stories_of_the_first_as_seen(examples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    state = tmp_path / "state.sqlite"
    first = briefing.build(folder, state=state, date=DAY)
    assert {story.status for story in first.stories} == {""}  # nothing to compare with
    briefing.remember(first, state)
    rebuilt = briefing.build(folder, state=state, date=DAY)
    assert {story.status for story in rebuilt.stories} == {""}
    second = briefing.build(folder, state=state, date=NEXT_DAY)
    assert {story.status for story in second.stories} == {"seen"}


def test_a_story_with_a_new_article_is_marked_updated(examples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    steel = folder / "northgate-steel-deal-gazette.md"
    held_back = steel.read_bytes()
    steel.unlink()
    state = tmp_path / "state.sqlite"
    briefing.remember(briefing.build(folder, state=state, date=DAY), state)
    steel.write_bytes(held_back)
    later = briefing.build(folder, state=state, date=NEXT_DAY)
    statuses = {s.headline: s.status for s in later.stories}
    assert list(statuses.values()).count("updated") == 1
    (updated,) = [s for s in later.stories if s.status == "updated"]
    assert "steel" in updated.headline.casefold()
    # The updated story is told from its new article, under that article's headline.
    headline = "Steel town counts the cost as furnace deal puts 1,950 jobs at risk"
    assert updated.headline == headline
    gazette = next(src.number for src in later.sources if src.title == headline)
    cited = {n for section in updated.sections for item in section.items for n in item.citations}
    assert gazette in cited
    assert all(gazette in item.citations for s in updated.sections for item in s.items)
    # Stories the reader had come after the new and updated ones.
    order = [s.status for s in later.stories]
    assert order == sorted(order, key=lambda status: status == "seen")


def test_since_keeps_articles_dated_on_or_after_it_and_undated_ones(examples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    (folder / "undated.md").write_text(
        "# Bridge reopens\n\nThe river bridge reopened on Monday after repairs, the council said, "
        "and traffic is expected to return to normal by Friday.\n",
        encoding="utf-8",
    )
    result = briefing.build(folder, since=dt.date(2026, 11, 18))
    dates = {s.published for s in result.sources}
    assert None in dates
    assert all(d is None or d >= dt.date(2026, 11, 18) for d in dates)
    with pytest.raises(NoArticlesError, match="dated 2027-01-01 or later"):
        briefing.build(examples, since=dt.date(2027, 1, 1))
