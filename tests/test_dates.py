"""Tests of briefing.dates: the days a sentence names, read from its article's date."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.dates import days_named


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("Dockworkers will return to work on Wednesday.", [dt.date(2026, 11, 25)]),
        ("The bill is due to receive its second reading on Dec. 2.", [dt.date(2026, 12, 2)]),
        ("The vote is on 2 December, with talks tomorrow.", [dt.date(2026, 11, 25), dt.date(2026, 12, 2)]),
        ("Talks resume on January 15th.", [dt.date(2027, 1, 15)]),
        ("The board meets on Tuesday to decide.", [dt.date(2026, 11, 24)]),
        ("Prices may rise next year.", []),
        (
            "Workers will return on Wednesday after the union agreed a deal late on Monday.",
            [dt.date(2026, 11, 25)],
        ),
        ("Talks that began on Monday will resume on Friday.", [dt.date(2026, 11, 27)]),
        ("The deal will be signed on Friday.", [dt.date(2026, 11, 27)]),
    ],
)
def test_days_named_are_read_from_the_day_the_article_was_published(sentence, days):
    published = dt.date(2026, 11, 24)  # a Tuesday
    assert sorted(days_named(sentence, published)) == days
