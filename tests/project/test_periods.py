"""Periods: calendar months, quarters and years, the span of the dated evidence, and the
snapshot of each period."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd
import pytest

from netintel.errors import AnalysisError
from netintel.project import ProjectionSettings
from netintel.project.periods import date_span, period_snapshots, period_windows


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


def _tables(*links: tuple[str, str, str]) -> dict[str, pd.DataFrame]:
    """The projection tables of two people and dated links between them."""

    def frame(columns: str, *rows: tuple) -> pd.DataFrame:
        return pd.DataFrame(list(rows), columns=columns.split())

    calls = frame("source target count sources date")
    return {
        "persons": frame("person_id name sources", ("P-a", "A", ["R1"]), ("P-b", "B", ["R2"])),
        "person_arrests": frame("person_id arrest_id role sources date"),
        "arrest_seizures": frame("arrest_id seizure_id quantity_kg sources"),
        "person_phones": frame("person_id phone sources"),
        **{f"calls_{a}_{b}": calls for a in ("phone", "person") for b in ("phone", "person")},
        "person_links": frame(
            "source target link_type weight sources date",
            *((u, v, "meeting", 1.0, [f"L-{day}"], day) for u, v, day in links),
        ),
        "person_vehicles": frame("person_id vehicle sources"),
        "person_addresses": frame("person_id address sources"),
    }


def test_snapshots_are_cut_inside_the_window_each_on_its_own_evidence():
    tables = _tables(("P-a", "P-b", "2022-11-05"), ("P-a", "P-b", "2023-02-01"))
    settings = ProjectionSettings(since="2022-10", until="2023-03")
    snaps = period_snapshots(tables, "quarter", settings=settings)
    assert snaps.windows["period"].tolist() == ["2022-Q4", "2023-Q1"]
    assert [G["P-a"]["P-b"]["sources"] for G in snaps.graphs.values()] == [
        ["L-2022-11-05"],
        ["L-2023-02-01"],
    ]
    with pytest.raises(AnalysisError, match="unknown period"):
        period_snapshots(tables, "fortnight")


def test_evidence_dated_after_today_is_left_out_with_a_warning():
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    tables = _tables(("P-a", "P-b", "2023-02-01"), ("P-a", "P-b", later))
    with pytest.warns(UserWarning, match="after today"):
        snaps = period_snapshots(tables, "year")
    assert snaps.windows["period"].iloc[-1] == str(dt.date.today().year)
