"""Cases per channel and period: the measures the national programme reports each year.

Vietnam's 2025-2030 National Target Program counts drug cases "in border areas by land, sea,
air and express delivery" and "cases taking advantage of cyberspace". Here a case is a case
file (``CaseFile``) where the records give one, else the seizure or shipment itself; its
channel is that of its events: a seizure's transport mode (road, foot, rail and river:
``land``; ``sea``; ``air``; post: ``express``), a shipment's ``express``
(:func:`netintel.ingest.vocab.transport_channel`). A case with events in several channels
counts once in each; a seizure whose transport mode is not recorded counts under
``unknown``. Each row keeps the record ids behind it.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({
...     "event": ["S1", "S2", "S3", "W1", "W2"],
...     "transport": ["road", "road", None, "post", "post"],
...     "date": pd.to_datetime(["2023-02-01", "2023-03-01", "2024-01-05", "2024-02-01", "2024-05-01"]),
...     "case_id": ["C1", "C1", None, "C2", None],
...     "sources": [["S1"], ["S2"], ["S3"], ["W1"], ["W2"]]})
>>> cases_by_channel(events)[["period", "channel", "cases", "events"]].to_dict("records")
... # doctest: +NORMALIZE_WHITESPACE
[{'period': '2023', 'channel': 'land', 'cases': 1, 'events': 2},
 {'period': '2024', 'channel': 'express', 'cases': 2, 'events': 2},
 {'period': '2024', 'channel': 'unknown', 'cases': 1, 'events': 1}]
>>> cases_by_channel(events, period="quarter")["period"].tolist()
['2023Q1', '2024Q1', '2024Q1', '2024Q2']
"""

from __future__ import annotations

import pandas as pd

from netintel.errors import AnalysisError
from netintel.ingest.vocab import CHANNELS, transport_channel

__all__ = ["CHANNEL_COLUMNS", "PERIODS", "cases_by_channel"]

#: Columns of :func:`cases_by_channel`.
CHANNEL_COLUMNS = ("period", "channel", "cases", "events", "records")
#: Period lengths and how a date is labelled in each.
PERIODS = {"year": "Y", "quarter": "Q", "month": "M"}


def cases_by_channel(events: pd.DataFrame, *, period: str = "year") -> pd.DataFrame:
    """Cases per channel and period.

    Parameters
    ----------
    events : DataFrame
        ``event, transport, date, case_id, sources``: one row per seizure or shipment
        (``transport`` ``"post"`` for a shipment), as
        :data:`netintel.store.cypher.CHANNEL_EVENTS` reads them.
    period : {"year", "quarter", "month"}
        The length of a period (labels ``2024``, ``2024Q1``, ``2024-03``; ``undated`` for
        events without a date).

    Returns
    -------
    DataFrame
        :data:`CHANNEL_COLUMNS`: ``period``, ``channel`` (:data:`~netintel.ingest.vocab.CHANNELS`
        order, then ``unknown``), ``cases`` (distinct case files, or events without one),
        ``events`` (seizures and shipments), ``records`` (sorted record ids); sorted by period
        then channel.

    Raises
    ------
    AnalysisError
        An unknown ``period``.
    """
    if period not in PERIODS:
        raise AnalysisError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CHANNEL_COLUMNS})
    dates = pd.to_datetime(events["date"], errors="coerce")
    labels = dates.dt.to_period(PERIODS[period]).astype(str)
    if period == "month":
        labels = dates.dt.strftime("%Y-%m")
    frame = pd.DataFrame(
        {
            "period": labels.where(dates.notna(), "undated"),
            "channel": [transport_channel(t) or "unknown" for t in events["transport"]],
            "case": events["case_id"].where(events["case_id"].notna(), "event:" + events["event"]),
            "sources": events["sources"],
        }
    )
    order = {c: i for i, c in enumerate((*CHANNELS, "unknown"))}
    rows = []
    for (when, channel), group in frame.groupby(["period", "channel"], sort=False):
        records = sorted({r for s in group["sources"] for r in (s if s is not None else [])})
        rows.append((when, channel, group["case"].nunique(), len(group), records))
    out = pd.DataFrame(rows, columns=list(CHANNEL_COLUMNS))
    out["_order"] = out["channel"].map(order)
    out = out.sort_values(["period", "_order"], kind="mergesort").drop(columns="_order")
    return out.reset_index(drop=True)
