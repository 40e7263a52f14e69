"""One summary of several articles: concepts that several articles state come first."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from briefing.multi_document import _concept_weights, select_across
from briefing.words import content_stems

# Three reports of one opening, each from its own angle; all three name the heart scanner,
# two the children's ward and the health trust.
REPORTS = [
    [
        "A hospital in the northern town of Alby opened a new children's ward on Tuesday, "
        "the health trust said.",
        "Doctors said the ward would treat up to 40 children a week with its new heart scanner.",
        "The old ward was closed last year after a roof leak flooded two of its rooms.",
    ],
    [
        "Parents in Alby welcomed a children's ward that opened on Tuesday with a new heart "
        "scanner.",
        "One mother said she had driven two hours each way for her son's heart checks until now.",
        "The heart scanner cost the trust more than it had planned to spend this year.",
    ],
    [
        "The health trust's chief executive praised staff at the opening of the Alby ward on "
        "Tuesday.",
        "A new heart scanner means children no longer travel to the city for their checks, "
        "she said.",
        "Campaigners had collected signatures for three years to get the ward built in the town.",
    ],
]
FIRST_FIRST = [np.array([3.0, 2.0, 1.0])] * 3


def _concepts(sentence: str) -> set[tuple[str, str]]:
    return set(pairwise(content_stems(sentence)))


def test_a_concept_weighs_how_many_articles_state_it_once_each():
    concepts = [_concepts(s) for report in REPORTS for s in report]
    document_of = [d for d, report in enumerate(REPORTS) for _ in report]
    weights = _concept_weights(concepts, document_of, len(REPORTS))
    assert weights[("heart", "scanner")] == 3.0  # twice in the second report, counted once
    assert weights[("children", "ward")] == 2.0
    assert ("roof", "leak") not in weights  # one article alone


def test_the_summary_states_what_every_article_reports_within_its_budget():
    picks = select_across(REPORTS, FIRST_FIRST, words=40)
    chosen = [REPORTS[d][i] for d, i in picks]
    assert sum(len(s.split()) for s in chosen) <= 40
    assert any(("heart", "scanner") in _concepts(s) for s in chosen)
    assert any(("children", "ward") in _concepts(s) for s in chosen)


def test_a_summary_of_articles_sharing_nothing_still_fills_its_budget_by_worth():
    apart = [
        [s]
        for s in (
            "The river flooded three villages in the valley overnight.",
            "A new bakery opened on the high street selling rye bread.",
            "Voters in the county elect a new sheriff next month in May.",
        )
    ]
    picks = select_across(apart, [np.array([1.0])] * 3, words=35)
    assert len(picks) == 3
