"""The ranker's weight search (benchmarks/tune.py): its ROUGE, its folds and its frontier."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    # The repository's benchmarks package, not the one pysbd's wheel installs.
    sys.path.insert(0, str(REPO))
tune = importlib.import_module("benchmarks.tune")

KINDS = tuple(tune.TEST_MIX)


@pytest.mark.parametrize(
    ("reference", "summary"),
    [
        ("The council approved the new bridge on Tuesday.", "Councillors approved a bridge."),
        ("Rates rose. Rates rose again!", "rates rose rates rose and rose"),
        ("Nothing in common here.", "Entirely different words."),
    ],
)
def test_ngram_f1_is_rouge_scores_f1(reference: str, summary: str) -> None:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    expected = scorer.score(reference, summary)
    tokens = tune._tokenizer.tokenize(reference)
    ours = tune._tokenizer.tokenize(summary)
    for n, name in ((1, "rouge1"), (2, "rouge2")):
        got = tune.ngram_f1(ours, tune.ngrams(tokens, n), n)
        assert got == pytest.approx(expected[name].fmeasure)


def _sums(gains: dict[int, float], bbc: float = 50.0) -> dict:
    """Figures whose R-1 and R-2 on every kind are 40 + gains[fold] in each fold."""
    sums: dict = {(tune.BBC_GROUP, 0): [bbc, bbc, 1]}
    for fold in range(tune.FOLDS):
        for kind in KINDS:
            value = 40.0 + gains.get(fold, 0.0)
            sums[(kind, fold)] = [2 * value, 2 * value, 2]
    return sums


LEAD = _sums({})


def test_nested_chooses_on_the_other_folds_and_scores_the_held_out_one() -> None:
    # "steady" is ahead by 0.5 everywhere; "spiky" by 0.1, but by 5 on fold 0.
    steady = ({"gate": 0.8}, _sums(dict.fromkeys(range(5), 0.5)))
    spiky = ({"gate": 0.55}, _sums({0: 5.0, 1: 0.1, 2: 0.1, 3: 0.1, 4: 0.1}))
    held = {fold: (setting, gain) for fold, setting, gain, _ in tune.nested([steady, spiky], LEAD)}
    # Choosing for fold 0 never sees fold 0, so its spike cannot win there...
    assert held[0] == ({"gate": 0.8}, pytest.approx(0.5))
    # ... while for every other fold the spike is among the four folds seen.
    assert held[1] == ({"gate": 0.55}, pytest.approx(0.1))


def test_nested_prefers_settings_ahead_on_every_kind() -> None:
    bigger_but_behind = ({"gate": 1.0}, _sums({1: 6.0, 2: -0.5}))
    ahead = ({"gate": 0.8}, _sums(dict.fromkeys(range(5), 0.2)))
    held = tune.nested([bigger_but_behind, ahead], LEAD)
    # Choosing for fold 0 sees folds 1-4, where the bigger gain hides a fold behind Lead.
    assert held[0][1] == {"gate": 0.8}


def test_frontier_keeps_what_no_better_cnndm_setting_beats_on_bbc() -> None:
    results = [
        ({"gate": 0.8}, _sums(dict.fromkeys(range(5), 1.0), bbc=70.0)),
        ({"gate": 0.9}, _sums(dict.fromkeys(range(5), 0.8), bbc=65.0)),
        ({"gate": 0.55}, _sums(dict.fromkeys(range(5), 0.3), bbc=76.0)),
    ]
    kept = [setting for setting, _ in tune.frontier(results, LEAD)]
    assert kept == [{"gate": 0.8}, {"gate": 0.55}]


def test_least_gain_finds_the_worst_kind_in_the_worst_fold() -> None:
    sums = _sums(dict.fromkeys(range(5), 1.0))
    sums[("cnn", 3)] = [2 * 39.0, 2 * 39.0, 2]
    assert tune.least_gain(sums, LEAD, range(5)) == pytest.approx(-1.0)
    assert tune.least_gain(sums, LEAD, [0, 1]) == pytest.approx(1.0)
