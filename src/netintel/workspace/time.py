"""The time wing, ``ws.time``: who mattered in each period, who rose, who took over.

Examples
--------
>>> result = ws.time.timeline(period="year", top=3, engine="igraph")
>>> int(result.timeline.groupby("period")["rank"].max().max())
3
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from netintel.errors import InputError
from netintel.store import cypher as portable
from netintel.workspace._wing import Wing, audited
from netintel.workspace.window import WindowLike, as_window

if TYPE_CHECKING:
    from netintel.analysis.time import TimelineResult


class TimeWing(Wing):
    """Timelines: ranks per period, rising actors, replacements of arrested leaders."""

    word = "time"

    @audited()
    def timeline(
        self, *, period: str = "quarter", window: WindowLike = None, **options: Any
    ) -> TimelineResult:
        """Rank per period, rising actors, and who replaced arrested leaders.

        The window is cut into calendar periods (``"month"``, ``"quarter"`` or ``"year"``)
        and each period's graph is projected on that period's evidence alone, by
        :func:`netintel.project.periods.period_snapshots`; undated evidence (shared vehicles
        and addresses) counts in every period. The ``options`` are those of
        :class:`~netintel.analysis.time.timeline.Timeline` (``measure``, ``top``,
        ``leader_top``, ``lookahead``, ``successors``, ``successor_top``, ``profile``,
        ``seed``, ``engine``, ``betweenness_k``), with its defaults.

        Returns
        -------
        TimelineResult
            ``timeline``, ``rising`` and ``replacements`` (columns:
            :mod:`netintel.analysis.time.timeline`).

        Raises
        ------
        AnalysisError
            If nothing in the window is dated (e.g. networks loaded from adjacency
            matrices), or ``period`` is unknown.

        Examples
        --------
        >>> ws.time.timeline(period="quarter", window="2023-01 to 2023-06").timeline[
        ...     "period"].unique().tolist()
        ['2023-Q1', '2023-Q2']
        """
        from netintel.analysis.time import Timeline, TimelineResult
        from netintel.project.periods import period_snapshots

        t = Timeline(**options)  # an unknown option fails before anything is projected
        w = as_window(window)
        snapshots = period_snapshots(
            self._ws.tables(),
            period,
            settings=self._ws.projection_settings(w),
            graph=self._ws.graph(window=w),
        )
        t.fit(snapshots.graphs, windows=snapshots.windows, arrests=snapshots.arrests)
        return TimelineResult(t.timeline_, t.rising_, t.replacements_)

    @audited()
    def chronology(
        self,
        person: str | Iterable[str] | None = None,
        *,
        ring: int | None = None,
        window: WindowLike = None,
        **rings: Any,
    ) -> pd.DataFrame:
        """What a person or a ring did, event by event: arrests, seizures, calls, links and
        parcels in date order, each with the records behind it
        (:func:`netintel.analysis.time.chronology`), beside the per-period ranks of
        :meth:`timeline`.

        Parameters
        ----------
        person : str or iterable of str, optional
            Anyone :meth:`ws.person <netintel.workspace.network.NetworkWing.person>` finds:
            a name in any spelling, an alias, a phone, an ID or plate, a person id.
        ring : int, optional
            A ring of :meth:`ws.network.rings <netintel.workspace.network.NetworkWing.rings>`
            (over the same ``window``; ``rings`` passes its ``algorithm``, ``seed``...):
            the events of all its members. With ``person`` too: the events of both.
        window : Window, text or (since, until), optional
            Keep only the events dated in it (undated events stay, as everywhere a window
            applies: :meth:`netintel.values.Window.contains`).

        Returns
        -------
        DataFrame
            ``date, kind, person_id, name, other, place, detail, records``, sorted by date:
            see :mod:`netintel.analysis.time.chronology`. Everyone's events when neither
            ``person`` nor ``ring`` is given.

        Raises
        ------
        InputError
            A person nobody matches, or a ring that does not exist.

        Examples
        --------
        >>> events = ws.time.chronology("Nguyễn Minh Công Tuấn")
        >>> events.columns.tolist()
        ['date', 'kind', 'person_id', 'name', 'other', 'place', 'detail', 'records']
        >>> events["date"].is_monotonic_increasing and set(events["kind"]) <= {
        ...     "arrest", "seizure", "call", "link", "parcel"}
        True
        """
        from netintel.analysis.time.chronology import chronology

        w = as_window(window)
        people: set[str] | None = None
        if person is not None:
            texts = [person] if isinstance(person, str) else list(person)
            people = {self._ws.person(t) for t in texts}
        if ring is not None:
            found = self._ws.network.rings(window=w, **rings)
            members = set(found.loc[found["ring"] == ring, "person_id"])
            if not members:
                raise InputError(
                    f"no ring {ring}: rings are numbered 0 to {int(found['ring'].max())} "
                    "(netintel rings lists them)"
                    if len(found)
                    else f"no ring {ring}: the network has no rings"
                )
            people = members | (people or set())
        tables = dict(self._ws.tables())
        store = self._ws.store
        tables["event_arrests"] = store.query(portable.EVENT_ARRESTS)
        tables["event_seizures"] = store.query(portable.EVENT_SEIZURES)
        events = chronology(tables, people=people)
        if not w.is_open:
            events = events[w.contains(events["date"]).to_numpy()]
        return events.reset_index(drop=True)

    def _hotspot_events(self) -> pd.DataFrame:
        """Arrests and seizures at places, one row per person involved, people resolved
        (:data:`netintel.analysis.time.hotspots.EVENT_COLUMNS`)."""
        from netintel.resolve.fold import fold_tables, resolved_ids

        store = self._ws.store
        events = pd.concat(
            [store.query(text) for text in portable.HOTSPOT_EVENTS.values()], ignore_index=True
        )
        persons = store.query(portable.PERSONS)
        has = events["person_id"].notna()
        events["person_id"] = events["person_id"].map(resolved_ids(persons)).where(has, None)
        names = fold_tables({"persons": persons})["persons"].set_index("person_id")["name"]
        events["name"] = events["person_id"].map(names).where(has, None)
        events["sources"] = [
            list(s) if isinstance(s, list | tuple) or hasattr(s, "tolist") else []
            for s in events["sources"]
        ]
        return events

    @audited()
    def hotspots(self, *, period: str = "quarter", min_events: int = 2) -> pd.DataFrame:
        """Places ranked by repeated arrests and seizures over time
        (:func:`netintel.analysis.time.hotspots.hotspots`).

        Parameters
        ----------
        period : {"month", "quarter", "year"}
            The periods activity is counted in (the first sort key: periods with activity).
        min_events : int
            Places with fewer distinct arrests and seizures are left out.

        Returns
        -------
        DataFrame
            ``place, place_name, periods, events, arrests, seizures, people, first_seen,
            last_seen, records``.

        Examples
        --------
        >>> ws.time.hotspots().iloc[0]["periods"] >= 2  # doctest: +SKIP
        True
        """
        from netintel.analysis.time.hotspots import hotspots

        return hotspots(self._hotspot_events(), period=period, min_events=min_events)

    @audited()
    def reformations(
        self,
        destroyed: dict[str, object] | None = None,
        *,
        raid_size: int | None = 4,
        within: str = "place",
        days: int = 180,
    ) -> pd.DataFrame:
        """Destroyed hotspots watched for re-formation, with the people linking the old and
        the new activity (:func:`netintel.analysis.time.hotspots.reformations`).

        Parameters
        ----------
        destroyed : dict, optional
            Place (id or name in any spelling) -> the date the analyst says its hotspot was
            destroyed.
        raid_size : int or None, default 4
            An arrest of at least this many people at a place records its destruction.
        within : {"place", "province"}
            Where new activity counts: the same place, or the same province.
        days : int, default 180
            How long after the destruction new activity counts.

        Returns
        -------
        DataFrame
            One row per destroyed hotspot: ``place, place_name, destroyed_on, how,
            reformed, new_places, first_after, events_after, before, returning, new,
            returning_names, new_names, records_before, records_after``.

        Raises
        ------
        AnalysisError
            A place the records do not name (with the nearest names), a bad date or option.

        Examples
        --------
        >>> ws.time.reformations({"xã Mường Xén": "2024-03-01"}, days=90)  # doctest: +SKIP
        """
        from netintel.analysis.time.hotspots import reformations

        return reformations(
            self._hotspot_events(), destroyed, raid_size=raid_size, within=within, days=days
        )
