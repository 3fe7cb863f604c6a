"""Periods: calendar months, quarters and years, and the span of the dated evidence."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.time import date_span, period_windows
from netintel.errors import AnalysisError


def test_period_windows_cover_the_span_with_calendar_labels():
    assert period_windows("2022-12-31", "2023-01-01", "year")["period"].tolist() == [
        "2022",
        "2023",
    ]
    months = period_windows("2023-01-15", "2023-03-02", "month")
    assert months.values.tolist() == [
        ["2023-01", "2023-01-01", "2023-01-31"],
        ["2023-02", "2023-02-01", "2023-02-28"],
        ["2023-03", "2023-03-01", "2023-03-31"],
    ]
    with pytest.raises(AnalysisError, match="unknown period"):
        period_windows("2023-01-01", "2023-02-01", "week")


def test_date_span_says_clearly_when_nothing_is_dated():
    with pytest.raises(AnalysisError, match="no dated evidence"):
        date_span(nx.path_graph(4))
    arrests = pd.DataFrame({"person_id": [0], "date": ["2021-05-02"]})
    assert date_span(nx.path_graph(4), arrests)[0] == pd.Timestamp("2021-05-02")


def test_a_range_that_is_not_dates_is_named():
    with pytest.raises(AnalysisError, match="start 'soon' is not a date"):
        period_windows("soon", "2023-02-01", "month")
    with pytest.raises(AnalysisError, match=r"ends \(2023-01-01\) before it starts"):
        period_windows("2023-02-01", "2023-01-01", "month")
