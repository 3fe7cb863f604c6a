"""The time wing: who mattered in each period, who is rising, and who took over after arrests.

It answers how a network changes: the ranked target list of each month, quarter or year,
each on that period's evidence alone (a snapshot); the people whose score rose most from
one period to the next, with the new ties behind the rise; and, for each arrested leader,
the people of their ring or neighbourhood who rose right after the arrest, the likely
successor first (Duijn, Kashirin & Sloot 2014: networks replace removed leaders from
within).

Modules
-------
periods   calendar periods covering a date range, and the range the evidence covers
timeline  ranks per period, rising actors, replacements of arrested leaders

Examples
--------
>>> period_windows("2023-11-15", "2024-01-10", "month")["period"].tolist()
['2023-11', '2023-12', '2024-01']
"""

from __future__ import annotations

from netintel.analysis.time.periods import PERIODS, date_span, period_windows
from netintel.analysis.time.timeline import Timeline, TimelineResult, timeline

__all__ = ["PERIODS", "Timeline", "TimelineResult", "date_span", "period_windows", "timeline"]
