"""Dates with partial precision, and the time window."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from netintel.errors import InvalidValueError
from netintel.values import PartialDate, Window, date_bounds


@pytest.mark.parametrize(
    ("raw", "iso", "first", "last"),
    [
        ("1987", "1987", dt.date(1987, 1, 1), dt.date(1987, 12, 31)),
        ("1987-05", "1987-05", dt.date(1987, 5, 1), dt.date(1987, 5, 31)),
        ("02/2024", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("1987-05-14", "1987-05-14", dt.date(1987, 5, 14), dt.date(1987, 5, 14)),
        ("05/04/2024", "2024-04-05", dt.date(2024, 4, 5), dt.date(2024, 4, 5)),  # day first
        ("05-04-2024", "2024-04-05", dt.date(2024, 4, 5), dt.date(2024, 4, 5)),
        ("2024-05-10 21:14", "2024-05-10", dt.date(2024, 5, 10), dt.date(2024, 5, 10)),
    ],
)
def test_partial_dates(raw, iso, first, last):
    d = PartialDate.parse(raw)
    assert (d.iso, d.first_day, d.last_day) == (iso, first, last)
    assert date_bounds(iso) == (first, last)
    assert PartialDate.from_iso(iso) == d


@pytest.mark.parametrize(
    "raw", ["31/02/2024", "2024-13-07", "00/05/2024", "32/12/2022", "14 May", "1850"]
)
def test_invalid_dates(raw):
    with pytest.raises(InvalidValueError, match=f"'{raw}' is not a valid date"):
        PartialDate.parse(raw)


def test_from_iso_refuses_what_is_not_iso():
    for bad in ("14/05/1987", "1987-5", "x", "1987-02-30"):
        with pytest.raises(InvalidValueError, match=re.escape(repr(bad))):
            PartialDate.from_iso(bad)


def test_compare_levels():
    assert PartialDate.compare("1987-05-14", "14/05/1987") == 1.0
    assert PartialDate.compare("1987", "1987-05-14") == 0.8
    assert PartialDate.compare("1987-05-14", "1987-05-15") == 0.5  # a typo
    assert PartialDate.compare("1987-05-14", "1987-11-02") == 0.5  # the same year
    assert PartialDate.compare("1987-05-14", "1991") == 0.0
    assert PartialDate.compare("1987-05-14", "not a date") == 0.0


def test_window_bounds_and_membership():
    w = Window("2023", "2023-06")
    assert (w.first_day, w.last_day) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-06-30"))
    dates = pd.Series(["2022-12-31", "2023-01-01", "2023-06-30", "2023-07-01", None, "junk"])
    assert w.contains(dates).tolist() == [False, True, True, False, True, True]
    assert Window(since="2023-03").contains(dates).tolist() == [
        False, False, True, True, True, True
    ]  # fmt: skip
    assert Window(since=PartialDate(2023, 6)) == Window("06/2023")
    assert Window("", "  ") == Window() and Window().contains(dates).all()


def test_window_text_and_openness():
    assert str(Window("2023", "2023-06")) == "2023 to 2023-06"
    assert str(Window(since="2023-03-15")) == "since 2023-03-15"
    assert str(Window(until="2024")) == "until 2024"
    assert str(Window()) == "all dates"
    assert Window().is_open
    assert not Window(since="2023").is_open and not Window(until="2023").is_open


def test_a_window_in_one_day_or_month_is_not_inverted():
    assert Window("2024-05", "2024-05").last_day == pd.Timestamp("2024-05-31")
    assert Window("2024-05-31", "2024-05").first_day == pd.Timestamp("2024-05-31")


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2024-06", "2024-05", "since 2024-06 is after until 2024-05"),
        ("2025", "2024", "since 2025 is after until 2024"),
        ("2023-13", None, r"since '2023-13': '2023-13' is not a valid date"),
        (None, "31/02/2024", r"until '31/02/2024': '31/02/2024' is not a valid date"),
        ("last year", None, "since 'last year'"),
        ("2100", None, r"since 2100 is in the future \(today is "),
    ],
)
def test_window_validation_names_the_bounds(since, until, message):
    with pytest.raises(InvalidValueError, match=message):
        Window(since, until)


def test_a_window_starting_tomorrow_is_refused_but_one_ending_later_is_not():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidValueError, match="in the future"):
        Window(since=tomorrow.isoformat())
    assert Window(until=str(tomorrow.year + 1)).until == PartialDate(tomorrow.year + 1)
    assert Window(since=dt.date.today().isoformat()).first_day == pd.Timestamp(dt.date.today())
