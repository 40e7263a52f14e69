"""Retraining the section classifier (scripts/train_sections.py) and the sections benchmark."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from briefing.classify import LogisticClassifier, feature_names, load_model
from briefing.classify.model import MODEL_FILE, model_from_dict, parse_model

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
trainer = importlib.import_module("scripts.train_sections")
SHIPPED = REPO / "briefing" / "data" / MODEL_FILE


def test_the_shipped_model_is_rebuilt_byte_for_byte_from_shared(shared: Path, tmp_path: Path):
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    out = tmp_path / "model.json"
    # The shipped strength, so the test skips the search over L2_GRID (which chose it).
    assert trainer.main(["--l2", str(shipped["l2"]), "--out", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_the_shipped_model_reads_the_features_the_code_computes():
    model = load_model()
    assert model.features == feature_names()
    assert model.weights.shape == (len(model.labels), len(feature_names()))
    assert model.term_weights.shape == (len(model.labels), len(model.vocabulary))
    assert len(model.vocabulary) > 1000 and list(model.vocabulary) == sorted(model.vocabulary)


def test_a_model_trained_on_other_features_is_refused():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(RuntimeError, match="train_sections"):
        parse_model(json.dumps(data))


def _toy_dataset() -> trainer.Dataset:
    """Articles of three outlets that agree on what a plan and a dispute look like."""
    rows = []
    for outlet in ("a.example", "b.example", "c.example", "d.example"):
        for n in range(3):
            rows += [
                (
                    f"{outlet}/{n}",
                    outlet,
                    "The council will vote on the plan next week.",
                    "next_step",
                ),
                (
                    f"{outlet}/{n}",
                    outlet,
                    "Residents rejected the plan and criticised the mayor.",
                    "disagreement",
                ),
                (f"{outlet}/{n}", outlet, "The town hall was built in stone.", "context"),
                (f"{outlet}/{n}", outlet, "The council approved the budget on Monday.", "outcome"),
            ]
    from briefing.classify import extract_features
    from briefing.models import LABELS

    docs = [r[0] for r in rows]
    blocks, terms, rules = [], [], []
    for doc in dict.fromkeys(docs):
        texts = [r[2] for r in rows if r[0] == doc]
        features = extract_features(texts)
        blocks.append(features.matrix)
        terms.extend(features.terms)
        rules.extend(features.rules)
    return trainer.Dataset(
        x=np.vstack(blocks),
        terms=tuple(terms),
        y=np.asarray([LABELS.index(r[3]) for r in rows]),
        weight=np.ones(len(rows)),
        docs=tuple(docs),
        sources=tuple(r[1] for r in rows),
        texts=tuple(r[2] for r in rows),
        also=tuple(() for _ in rows),
        rules=tuple(rules),
    )


def test_the_vocabulary_keeps_only_terms_several_outlets_use():
    data = _toy_dataset()
    one_outlet = data.subset(np.asarray([s == "a.example" for s in data.sources]))
    assert trainer.vocabulary(one_outlet) == ()
    assert "vote" in trainer.vocabulary(data)


def test_training_is_deterministic_and_learns_the_labels():
    data = _toy_dataset()
    first, l2 = trainer.train(data, 3.0)
    second, _ = trainer.train(data, 3.0)
    assert trainer.model_to_dict(first, l2, data) == trainer.model_to_dict(second, l2, data)
    labels = [c.label for c in LogisticClassifier(model=first).classify(list(data.texts[:4]))]
    assert labels == ["next_step", "disagreement", "context", "outcome"]


def test_a_model_survives_its_json_round_trip():
    data = _toy_dataset()
    model, l2 = trainer.train(data, 3.0)
    again = model_from_dict(json.loads(json.dumps(trainer.model_to_dict(model, l2, data))))
    texts = list(data.texts[:4])
    ours = LogisticClassifier(model=model).classify(texts)
    theirs = LogisticClassifier(model=again).classify(texts)
    assert [c.label for c in ours] == [c.label for c in theirs]
    assert np.allclose([c.confidence for c in ours], [c.confidence for c in theirs], atol=1e-3)


def test_outlet_folds_never_split_an_outlet():
    sources = ["big"] * 400 + [f"small{i % 13}" for i in range(130)]
    fold = trainer.outlet_folds(sources)
    for source in set(sources):
        assert len({f for f, s in zip(fold, sources, strict=True) if s == source}) == 1
    assert len(set(fold)) == 1 + trainer.SMALL_FOLDS
