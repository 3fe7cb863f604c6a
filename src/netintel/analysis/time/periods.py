"""Periods: the calendar months, quarters or years a timeline is cut into.

A timeline ranks the network of each period on that period's evidence alone
(:mod:`netintel.analysis.time.timeline`). :func:`period_windows` cuts a date range into
consecutive calendar periods, and :func:`date_span` finds the range the evidence covers.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from netintel.errors import AnalysisError

__all__ = ["PERIODS", "date_span", "period_windows"]

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
