"""The story-grouping benchmark (benchmarks/stories.py): its B-cubed score and the stories
labelled by hand among the shared news pages."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    # The repository's benchmarks package, not the one pysbd's wheel installs.
    sys.path.insert(0, str(REPO))
stories = importlib.import_module("benchmarks.stories")


def test_bcubed_is_perfect_for_the_true_grouping_and_penalises_a_merge():
    truth = [0, 0, 1, 2]
    assert stories.bcubed(truth, [(0, 1), (2,), (3,)]) == (1.0, 1.0, 1.0)
    precision, recall, _ = stories.bcubed(truth, [(0, 1, 2), (3,)])
    assert recall == 1.0
    assert precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


def test_page_truth_gives_a_labelled_story_one_number_and_every_other_page_its_own():
    labelled = json.loads(stories.PAGE_STORIES.read_text(encoding="utf-8"))["stories"]
    first, second = next(iter(labelled.values()))[:2]
    truth = stories.page_truth([first, "https://a.example/1", second, "https://a.example/2"])
    assert truth[0] == truth[2]
    assert len({truth[0], truth[1], truth[3]}) == 3


@pytest.mark.skipif(not stories.PAGES.exists(), reason="../shared/data/extraction is absent")
def test_every_page_labelled_by_hand_is_one_of_the_shared_news_pages():
    lines = stories.PAGES.read_text(encoding="utf-8").splitlines()
    urls = {json.loads(line)["url"] for line in lines if line.strip()}
    labelled = json.loads(stories.PAGE_STORIES.read_text(encoding="utf-8"))["stories"]
    assert all(len(members) >= 2 for members in labelled.values())
    assert {url for members in labelled.values() for url in members} <= urls
