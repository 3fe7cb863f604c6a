"""The time wing, ``ws.time``: who mattered in each period, who rose, who took over.

Examples
--------
>>> result = ws.time.timeline(period="year", top=3, engine="igraph")
>>> int(result.timeline.groupby("period")["rank"].max().max())
3
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
