"""Tests of briefing.dates: the days a sentence names, read from its article's date."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from briefing.dates import date_in_name, days_named, find_long_date, long_date, short_date


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


def test_a_long_date_reads_back_as_the_day_it_was_written_for_every_day_of_a_year():
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        assert find_long_date(f"Based on 3 articles. {long_date(day)}") == day
        day += dt.timedelta(days=1)
    assert long_date(dt.date(2025, 3, 12)) == "12 March 2025"
    assert find_long_date("31 February 2025") is None and find_long_date("no date") is None


def test_a_short_date_names_the_year_only_when_it_is_not_the_readers(monkeypatch):
    import locale

    with contextlib.suppress(locale.Error):  # a locale whose month names are not English
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    try:
        assert short_date(dt.date(2026, 3, 14), dt.date(2026, 12, 1)) == "14 Mar"
        assert short_date(dt.date(1999, 11, 3), dt.date(2026, 12, 1)) == "3 Nov 1999"
    finally:
        locale.setlocale(locale.LC_TIME, "C")


def test_a_day_in_a_file_name_is_found_only_when_year_month_and_day_are_written_out():
    assert date_in_name("APW19980617.1094.txt") == dt.date(1998, 6, 17)
    assert date_in_name("briefing-2026.12.01.md") == dt.date(2026, 12, 1)
    assert date_in_name("2026-1201.txt") is None  # separators differ
    assert date_in_name("report-2026-13-01.txt") is None
    assert date_in_name("IMG_1234.html") is None and date_in_name("") is None
