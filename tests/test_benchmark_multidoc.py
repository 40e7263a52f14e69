"""The multi-document benchmark (benchmarks/multidoc.py): its scoring and its --data path."""

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
multidoc = importlib.import_module("benchmarks.multidoc")

STORM = [
    "A powerful storm struck the coastal town of Harwick on Monday night. "
    "Winds of 120 miles an hour tore roofs from houses and felled power lines. "
    "Emergency crews worked through the night to reach stranded residents.",
    "The storm that hit Harwick left 4,000 homes without electricity. "
    "Officials said power would be restored by Thursday. "
    "Schools in the town will stay closed for the rest of the week.",
    "Residents of Harwick began clearing debris on Tuesday after the storm. "
    "The mayor praised the emergency crews who rescued stranded families. "
    "Insurers expect claims to exceed ten million pounds.",
]
STORM_SUMMARIES = [
    "A storm with winds of 120 miles an hour hit Harwick, leaving 4,000 homes without power.",
    "Emergency crews rescued stranded residents after a storm struck Harwick on Monday.",
]
BRIDGE = [
    "The city council approved plans for a new bridge over the river Lent on Wednesday. "
    "The bridge will cost 40 million pounds and open in 2027. "
    "Cyclists and pedestrians will have their own lanes.",
    "Councillors voted eleven to four in favour of the river Lent bridge. "
    "Opponents said the money should be spent on buses instead. "
    "Construction is due to start next spring.",
    "Shop owners near the river Lent welcomed the vote on the new bridge. "
    "They hope it will bring more customers to the old town. "
    "The council said traffic on the existing crossing would fall by a third.",
]
BRIDGE_SUMMARIES = [
    "The council approved a 40 million pound bridge over the river Lent, to open in 2027.",
]


def write_topics(path: Path) -> Path:
    """Write the two topics above to ``path`` as the benchmark's JSONL format."""
    rows = [
        {"id": "storm", "docs": STORM, "summaries": STORM_SUMMARIES},
        {"id": "bridge", "docs": BRIDGE, "summaries": BRIDGE_SUMMARIES},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_summary_identical_to_the_reference_gets_full_recall():
    scores = multidoc.score(STORM_SUMMARIES[0], [STORM_SUMMARIES[0]])
    assert scores["rouge1_recall"] == pytest.approx(1.0)
    assert scores["rouge2_recall"] == pytest.approx(1.0)
    assert scores["rouge2_f1"] == pytest.approx(1.0)


def test_scores_are_the_mean_over_the_references():
    unrelated = "Quarterly profits at the bakery chain doubled thanks to strong demand."
    scores = multidoc.score(STORM_SUMMARIES[0], [STORM_SUMMARIES[0], unrelated])
    assert scores["rouge2_recall"] == pytest.approx(0.5)


def test_summary_is_cut_to_its_first_words_before_scoring():
    reference = " ".join(f"w{i}" for i in range(100))
    long_summary = " ".join(f"w{i}" for i in range(200))
    assert multidoc.count_words(multidoc.truncate(long_summary, 100)) == 100
    # Cut to 100 words, the longer summary has the precision of an exact match.
    assert multidoc.score(long_summary, [reference], 100)["rouge1_f1"] == pytest.approx(1.0)
    assert multidoc.score(long_summary, [reference], 50)["rouge1_recall"] == pytest.approx(0.5)


def test_lead_takes_the_first_document_sentences_within_the_budget():
    assert multidoc.lead(STORM, 25) == [
        "A powerful storm struck the coastal town of Harwick on Monday night."
    ]
    assert len(multidoc.lead(STORM, 100)) == 3


def test_lexrank_returns_sentences_of_the_documents_within_the_budget():
    summary = multidoc.lexrank(STORM, 30)
    assert summary
    assert sum(multidoc.count_words(s) for s in summary) <= 30
    assert all(any(s in doc for doc in STORM) for s in summary)


def test_load_topics_reads_docs_and_summaries(tmp_path):
    topics = multidoc.load_topics(write_topics(tmp_path / "topics.jsonl"))
    assert [t.id for t in topics] == ["storm", "bridge"]
    assert topics[0].docs == tuple(STORM)
    assert topics[1].references == tuple(BRIDGE_SUMMARIES)


def test_half_odd_keeps_the_second_topic(tmp_path):
    topics = multidoc.load_topics(write_topics(tmp_path / "topics.jsonl"))
    assert [t.id for t in multidoc.pick(topics, "odd", None)] == ["bridge"]
    assert [t.id for t in multidoc.pick(topics, "even", None)] == ["storm"]


def test_docs_keeps_each_topics_first_documents(tmp_path):
    topics = multidoc.load_topics(write_topics(tmp_path / "topics.jsonl"))
    cut = multidoc.pick(topics, None, None, 2)
    assert [t.docs for t in cut] == [tuple(STORM[:2]), tuple(BRIDGE[:2])]
    assert [t.references for t in cut] == [t.references for t in topics]
    assert multidoc.pick(topics, None, None) == topics


def test_docs_below_one_is_refused_in_one_line(tmp_path, capsys):
    path = write_topics(tmp_path / "topics.jsonl")
    with pytest.raises(SystemExit) as exit_info:
        multidoc.main(["--data", str(path), "--docs", "0"])
    assert exit_info.value.code == 2
    assert "--docs takes a whole number of at least 1" in capsys.readouterr().err


def test_data_run_prints_a_row_for_every_method(tmp_path, capsys):
    path = write_topics(tmp_path / "topics.jsonl")
    assert multidoc.main(["--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "topics: 2;" in out
    assert "mean docs per topic 3.0" in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split("|")[1].strip() for row in rows[1:]] == list(multidoc.METHODS)
    assert "PROXY" not in out
    for row in rows[1:]:
        recall_2 = float(row.split("|")[3])
        assert 0.0 < recall_2 <= 100.0


def test_missing_data_file_exits_with_code_2_and_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        multidoc.main(["--data", str(tmp_path / "absent.jsonl")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "data file not found" in err


def test_load_topics_reads_documents_as_objects_and_leaves_out_topics_without_summaries(
    tmp_path,
):
    as_objects = [{"docno": f"d{i}", "headline": "", "text": text} for i, text in enumerate(BRIDGE)]
    rows = [
        {"id": "storm", "docs": [{"docno": "s", "text": t} for t in STORM], "summaries": []},
        {"id": "bridge", "docs": as_objects, "summaries": BRIDGE_SUMMARIES},
    ]
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (topic,) = multidoc.load_topics(path)
    assert topic.id == "bridge"
    assert topic.docs == tuple(BRIDGE)


def test_a_file_with_no_summaries_at_all_is_refused(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_text(json.dumps({"id": "storm", "docs": STORM, "summaries": []}) + "\n")
    with pytest.raises(multidoc.DataError, match="no topic has summaries"):
        multidoc.load_topics(path)


def test_a_run_at_several_lengths_prints_a_table_for_each(tmp_path, capsys):
    path = write_topics(tmp_path / "topics.jsonl")
    assert multidoc.main(["--data", str(path), "--methods", "lead", "--words", "20,40"]) == 0
    out = capsys.readouterr().out
    assert "summaries cut to 20 words" in out
    assert "summaries cut to 40 words" in out
    assert out.count("| lead |") == 2
