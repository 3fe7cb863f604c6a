"""Per-period snapshots: the calendar months, quarters or years a window is cut into, and
the person graph of each, projected on that period's evidence alone.

A timeline (:mod:`netintel.analysis.time`) ranks each period's network and compares them.
Cutting the periods and projecting them is the projection's work, done here:
:func:`period_windows` cuts a date range into consecutive calendar periods, :func:`date_span`
finds the range the evidence covers, and :func:`period_snapshots` projects one graph per
period of a window.

Examples
--------
>>> period_windows("2023-11-15", "2024-01-10", "month")["period"].tolist()
['2023-11', '2023-12', '2024-01']
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from netintel.errors import AnalysisError
from netintel.project import ProjectionSettings, build_person_graph
from netintel.values import Window

__all__ = ["PERIODS", "Snapshots", "date_span", "period_snapshots", "period_windows"]

#: Period lengths :func:`period_windows` knows.
PERIODS = ("month", "quarter", "year")
_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}


def period_windows(start: str | pd.Timestamp, end: str | pd.Timestamp, period: str) -> pd.DataFrame:
    """Consecutive calendar periods covering ``start..end``.

    Returns
    -------
    pandas.DataFrame
        ``period, since, until``: a label (``2023-01``, ``2023-Q1``, ``2023``) and the first
        and last day of the period as ISO dates.

    Raises
    ------
    AnalysisError
        If ``period`` is unknown, ``start`` or ``end`` is not a date, or the range ends
        before it starts.

    Examples
    --------
    >>> period_windows("2023-02-10", "2023-07-01", "quarter").values.tolist()
    [['2023-Q1', '2023-01-01', '2023-03-31'], ['2023-Q2', '2023-04-01', '2023-06-30'], ['2023-Q3', '2023-07-01', '2023-09-30']]
    """
    if period not in PERIODS:
        raise AnalysisError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    first, last = _timestamp(start, "start"), _timestamp(end, "end")
    if last < first:
        raise AnalysisError(f"the period range ends ({last.date()}) before it starts")
    spans = pd.period_range(first, last, freq=_FREQ[period])
    labels = [str(p) if period != "quarter" else f"{p.year}-Q{p.quarter}" for p in spans]
    return pd.DataFrame(
        {
            "period": labels,
            "since": [p.start_time.date().isoformat() for p in spans],
            "until": [p.end_time.date().isoformat() for p in spans],
        }
    )


def date_span(
    G: nx.Graph, arrests: pd.DataFrame | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Earliest and latest date of the evidence: tie ``first_seen``/``last_seen`` and arrests.

    Raises
    ------
    AnalysisError
        If nothing is dated (e.g. a network loaded from adjacency matrices).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", first_seen="2023-01-05", last_seen="2023-04-01")
    >>> [d.date().isoformat() for d in date_span(G)]
    ['2023-01-05', '2023-04-01']
    """
    dates = [d.get(k) for _, _, d in G.edges(data=True) for k in ("first_seen", "last_seen")]
    if arrests is not None and "date" in arrests:
        dates += list(arrests["date"])
    stamps = pd.to_datetime(pd.Series(dates, dtype=object), errors="coerce").dropna()
    if stamps.empty:
        raise AnalysisError(
            "no dated evidence: a timeline needs dated records (arrests, calls or links with "
            "a date), and none of this graph's ties or arrests carries one"
        )
    return stamps.min(), stamps.max()


def _timestamp(value: str | pd.Timestamp, what: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as e:
        raise AnalysisError(f"the period range {what} {value!r} is not a date") from e
    if stamp is pd.NaT:
        raise AnalysisError(f"the period range {what} {value!r} is not a date")
    return stamp


@dataclass
class Snapshots:
    """The person graph of each period of a window (see :func:`period_snapshots`).

    Attributes
    ----------
    windows : DataFrame
        ``period, since, until`` of every period, in time order (:func:`period_windows`).
    graphs : dict of str to networkx.Graph
        Period label -> the person graph projected on that period's evidence alone.
    arrests : DataFrame
        The projection's ``person_arrests`` inside the window (one row per person per
        arrest), for placing arrests in periods.
    """

    windows: pd.DataFrame
    graphs: dict[str, nx.Graph]
    arrests: pd.DataFrame


def period_snapshots(
    tables: Mapping[str, pd.DataFrame],
    period: str,
    *,
    settings: ProjectionSettings | None = None,
    graph: nx.Graph | None = None,
) -> Snapshots:
    """Cut the window of ``settings`` into calendar periods and project each one.

    The periods cover the dated evidence (ties and arrests) inside the window, clipped to
    its bounds; each period's graph is :func:`~netintel.project.build_person_graph` with the
    window narrowed to the period. Undated evidence (shared vehicles and addresses) counts
    in every period.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        As :func:`~netintel.project.read_tables` returns them.
    period : {"month", "quarter", "year"}
    settings : ProjectionSettings, optional
        Kind weights, recency and the window (default: all dates).
    graph : networkx.Graph, optional
        The person graph of the whole window, if already projected with ``settings`` (its
        ties date the span); projected here otherwise.

    Returns
    -------
    Snapshots

    Raises
    ------
    AnalysisError
        If ``period`` is unknown or nothing in the window is dated (e.g. networks loaded
        from adjacency matrices).

    Examples
    --------
    Two people met in February 2023 and in May 2024; the window starts in 2023:

    >>> frame = lambda columns, *rows: pd.DataFrame(list(rows), columns=columns.split())
    >>> calls = frame("source target count sources date")
    >>> tables = {
    ...     "persons": frame("person_id name sources", ("P-a", "A", ["R1"]), ("P-b", "B", ["R2"])),
    ...     "person_arrests": frame("person_id arrest_id role sources date"),
    ...     "arrest_seizures": frame("arrest_id seizure_id quantity_kg sources"),
    ...     "person_phones": frame("person_id phone sources"),
    ...     **{f"calls_{a}_{b}": calls for a in ("phone", "person") for b in ("phone", "person")},
    ...     "person_links": frame("source target link_type weight sources date",
    ...         ("P-a", "P-b", "meeting", 1.0, ["L1"], "2023-02-01"),
    ...         ("P-a", "P-b", "meeting", 1.0, ["L2"], "2024-05-01")),
    ...     "person_vehicles": frame("person_id vehicle sources"),
    ...     "person_addresses": frame("person_id address sources"),
    ... }
    >>> snaps = period_snapshots(tables, "year", settings=ProjectionSettings(since="2023"))
    >>> snaps.windows.values.tolist()
    [['2023', '2023-01-01', '2023-12-31'], ['2024', '2024-01-01', '2024-12-31']]
    >>> [G["P-a"]["P-b"]["sources"] for G in snaps.graphs.values()]
    [['L1'], ['L2']]
    """
    settings = (settings or ProjectionSettings()).validate()
    window = settings.window
    arrests = tables["person_arrests"]
    arrests = arrests[window.contains(arrests["date"])]
    if graph is None:
        graph = build_person_graph(tables, settings)
    start, end = date_span(graph, arrests)
    if window.first_day is not None:
        start = max(start, window.first_day)
    if window.last_day is not None:
        end = min(end, window.last_day)
    end = _until_today(end)
    windows = period_windows(start, end, period)
    graphs = {}
    for w in windows.itertuples(index=False):
        inside = settings.within(Window(w.since, w.until))
        # Calls and links outside the period are dropped before projecting: each row is one
        # dated piece of evidence, so the graph is the same, for less work.
        dated = {
            name: frame[inside.window.contains(frame["date"])]
            if name.startswith("calls_") or name == "person_links"
            else frame
            for name, frame in tables.items()
        }
        graphs[w.period] = build_person_graph(dated, inside)
    return Snapshots(windows, graphs, arrests)


def _until_today(end: pd.Timestamp) -> pd.Timestamp:
    """``end``, or today when the evidence is dated later (a period cannot start after today:
    what is dated there is a typo, left out with a warning)."""
    today = pd.Timestamp(dt.date.today())
    if end <= today:
        return end
    warnings.warn(
        f"evidence dated up to {end.date()} is after today: the periods stop at {today.date()}",
        stacklevel=3,
    )
    return today
