"""One outlet, however an article's source writes its name."""

from __future__ import annotations

import pytest

from briefing.outlets import outlet_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("AP", "The Associated Press"),
        ("Associated Press", "ap"),
        ("AFP", "Agence France-Presse"),
        ("Xinhua", "Xinhua News Agency"),
        ("USA TODAY", "USA Today"),
        ("hawaiinewsnow.com", "Hawaii News Now"),
        ("www.bbc.co.uk", "BBC"),
        ("The New York Times", "NYTimes"),
    ],
)
def test_two_ways_of_writing_one_outlet_give_one_key(one: str, other: str) -> None:
    assert outlet_key(one) == outlet_key(other) != ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("AP", "AFP"),
        ("The Times", "The New York Times"),
        ("Space.com", "SpaceNews"),
        ("Reuters", "Reuters Health Daily"),
    ],
)
def test_two_outlets_keep_two_keys(one: str, other: str) -> None:
    assert outlet_key(one) != outlet_key(other)


def test_no_name_is_no_key() -> None:
    assert outlet_key("") == outlet_key("  ") == ""
