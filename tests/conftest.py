"""Fixtures shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples" / "articles"


@pytest.fixture
def shared() -> Path:
    """The ../shared data folder; tests that need it are skipped where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared (the project's data sets) is absent beside this checkout")
    return SHARED


@pytest.fixture
def seed_article(shared: Path) -> Path:
    path = shared / "seed" / "us-china-blinken-visit.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def examples() -> Path:
    """The bundled example articles."""
    return EXAMPLES


#: How many articles and stories the examples hold: one file each, and the two outlets'
#: takes on the Northgate steelworks deal are one story.
EXAMPLE_ARTICLES = sum(1 for p in EXAMPLES.iterdir() if p.is_file())
EXAMPLE_STORIES = EXAMPLE_ARTICLES - (len(list(EXAMPLES.glob("northgate-*"))) - 1)
