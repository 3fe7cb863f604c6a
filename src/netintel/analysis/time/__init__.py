"""The time wing: who mattered in each period, who is rising, who took over after arrests, and
what each person did, event by event.

It answers how a network changes: the ranked target list of each month, quarter or year,
each on that period's evidence alone (a snapshot); the people whose score rose most from
one period to the next, with the new ties behind the rise; and, for each arrested leader,
the people of their ring or neighbourhood who rose right after the arrest, the likely
successor first (Duijn, Kashirin & Sloot 2014: networks replace removed leaders from
within).

Modules
-------
timeline    ranks per period, rising actors, replacements of arrested leaders
chronology  the arrests, seizures, calls, links and parcels of people, in date order

The periods themselves, and the graph of each, are cut and projected by
:mod:`netintel.project.periods` (the projection's work, not the analysis's).

Examples
--------
>>> from netintel.project.periods import period_windows
>>> windows = period_windows("2023-01-01", "2023-02-28", "month")
>>> import networkx as nx
>>> snaps = {p: nx.path_graph(["a", "b", "c"]) for p in windows["period"]}
>>> Timeline(measure="degree").fit(snaps).timeline_.groupby("period")["person_id"].first().tolist()
['b', 'b']
"""

from __future__ import annotations

from netintel.analysis.time.chronology import chronology
from netintel.analysis.time.timeline import Timeline, TimelineResult, timeline

__all__ = ["Timeline", "TimelineResult", "chronology", "timeline"]
