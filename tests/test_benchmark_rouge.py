"""The ROUGE benchmark (benchmarks/rouge.py): its kinds of CNN/DM article and their figures."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    # The repository's benchmarks package, not the one pysbd's wheel installs.
    sys.path.insert(0, str(REPO))
rouge = importlib.import_module("benchmarks.rouge")

SPORT_URL = "http://www.dailymail.co.uk/sport/football/article-1/a-match.html"
NEWS_URL = "http://www.dailymail.co.uk/news/article-2/a-story.html"


@pytest.mark.parametrize(
    ("row", "group"),
    [
        ({"source": "cnn", "url": "http://www.cnn.com/2015/03/06/sport/x/"}, "cnn"),
        ({"source": "dailymail", "url": SPORT_URL}, "dailymail sport"),
        ({"source": "dailymail", "url": NEWS_URL}, "dailymail other"),
        ({"source": "dailymail"}, "dailymail other"),
    ],
)
def test_cnndm_group_names_the_kind_of_article(row: dict, group: str) -> None:
    assert rouge.cnndm_group(row) == group


def _example(reference: str, group: str) -> object:
    return rouge.Example((reference,), None, reference, 1, group)


def test_each_group_is_scored_on_its_own_articles() -> None:
    examples = [
        _example("the council approved the bridge", "news"),
        _example("the team won the cup final", "sport"),
        _example("the striker scored twice", "sport"),
    ]
    # The news summary is exact, the sport summaries share no word with their references.
    summaries = ["the council approved the bridge", "rain fell", "snow fell"]
    groups = rouge.score_groups(summaries, examples)
    assert set(groups) == {"news", "sport"}
    assert groups["news"]["rouge1"] == pytest.approx(100.0)
    assert groups["news"]["articles"] == 1
    assert groups["sport"]["articles"] == 2
    assert groups["sport"]["rouge1"] < 30.0
    overall = rouge.score_rouge(summaries, examples)["rouge1"]
    assert groups["sport"]["rouge1"] < overall < groups["news"]["rouge1"]


def test_one_group_gives_no_group_figures() -> None:
    examples = [_example("a b c", ""), _example("d e f", "")]
    assert rouge.score_groups(["a b c", "d e f"], examples) == {}


def test_group_table_sets_each_method_beside_lead() -> None:
    results = {
        "cnndm": {
            "lead": {
                "groups": {
                    "sport": {"rouge1": 40.0, "rouge2": 17.0, "rougeLsum": 36.0, "articles": 3.0}
                }
            },
            "default": {
                "groups": {
                    "sport": {"rouge1": 41.5, "rouge2": 17.5, "rougeLsum": 37.0, "articles": 3.0}
                }
            },
        }
    }
    lines = rouge.group_table(results).splitlines()
    assert "| cnndm | sport | 3 | default | 41.50 | 17.50 | 37.00 | +1.50 |" in lines
    assert rouge.group_table({"bbc": {"lead": {"rouge1": 1.0}}}) == ""
