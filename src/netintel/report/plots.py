"""Charts for people: the disruption curves of simulated arrests, and chronologies as swimlanes.

matplotlib is optional (``pip install 'netintel[notebook]'``): it is imported when a chart is
drawn, so the rest of netintel runs without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from netintel.errors import AnalysisError
from netintel.outputs import atomic_write, check_output

__all__ = ["PLOT_FORMATS", "chronology_figure", "plot_disruption"]

#: The chart files :func:`plot_disruption` writes.
PLOT_FORMATS = (".png", ".svg", ".pdf")

_LABELS = {
    "lcc_fraction": "largest component (share of intact)",
    "efficiency_fraction": "global efficiency (share of intact)",
    "lcc_size": "largest component (people)",
    "components": "components",
    "efficiency": "global efficiency",
}


def plot_disruption(
    curve: pd.DataFrame,
    path: str | Path | None = None,
    *,
    measures: Iterable[str] = ("lcc_fraction", "efficiency_fraction"),
    title: str | None = None,
) -> Any:
    """Plot disruption curves (one line per strategy, one panel per measure).

    Parameters
    ----------
    curve : pandas.DataFrame
        From :func:`netintel.analysis.dismantle.disrupt.simulate_disruption`.
    path : str or Path, optional
        Save the figure there (``.png``, ``.svg`` or ``.pdf``), through a temporary file
        renamed over it (:func:`~netintel.outputs.atomic_write`).
    measures : iterable of str
        Columns to plot against ``step``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    AnalysisError
        If matplotlib is not installed, or a column is missing.
    OutputError
        If ``path`` has another suffix or cannot be written (checked before drawing).
    """
    if path is not None:
        path = check_output(path, suffixes=PLOT_FORMATS)
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise AnalysisError("plotting needs matplotlib: pip install 'netintel[notebook]'") from e
    measures = list(measures)
    missing = {"strategy", "step", *measures} - set(curve.columns)
    if missing:
        raise AnalysisError(f"curve lacks column(s) {sorted(missing)}")
    fig, axes = plt.subplots(1, len(measures), figsize=(5.5 * len(measures), 4), squeeze=False)
    for ax, m in zip(axes[0], measures, strict=True):
        for strategy, part in curve.groupby("strategy", sort=False):
            ax.plot(part["step"], part[m], marker="o", markersize=3, label=str(strategy))
        ax.set_xlabel("people removed")
        ax.set_ylabel(_LABELS.get(m, m))
        ax.grid(alpha=0.3)
    axes[0][0].legend(title="strategy")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if path is not None:
        with atomic_write(path) as tmp:
            fig.savefig(tmp, dpi=120)
    return fig


#: How each kind of event is drawn in :func:`chronology_figure`: marker, colour, label.
CHRONOLOGY_MARKERS = {
    "arrest": ("X", "#c0392b", "arrest"),
    "seizure": ("s", "#d35400", "seizure"),
    "call": ("o", "#2471a3", "call"),
    "link": ("^", "#1e8449", "link"),
    "parcel": ("D", "#7d3c98", "parcel"),
}


def chronology_figure(
    chronology: pd.DataFrame,
    *,
    lanes: str | None = None,
    max_lanes: int = 25,
    title: str | None = None,
    path: str | Path | None = None,
) -> Any:
    """A swimlane picture of a chronology: one lane per person (or per kind of event), a
    marker per event by kind, dates along the bottom.

    An event shared by people of the picture (a call between two of them, an arrest
    together) is joined across their lanes by a faint vertical line. Undated events are not
    drawn (the subtitle counts them), nor the lanes past ``max_lanes`` (the busiest are kept).

    Parameters
    ----------
    chronology : DataFrame
        From :func:`netintel.analysis.time.chronology` (``date, kind, person_id, name`` and
        ``records`` are used).
    lanes : {"person", "kind"}, optional
        Default: one lane per person, or per kind when the chronology is one person's.
    max_lanes : int
        At most this many lanes.
    title : str, optional
    path : str or Path, optional
        Save the figure there (``.png``, ``.svg`` or ``.pdf``), written whole or not at all.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    AnalysisError
        A column is missing, or ``lanes`` is neither ``"person"`` nor ``"kind"``.

    Examples
    --------
    >>> events = pd.DataFrame({
    ...     "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-03-01"]),
    ...     "kind": ["call", "arrest", "arrest"], "person_id": ["P-1", "P-1", "P-2"],
    ...     "name": ["Hùng", "Hùng", "Páo"], "records": [["C-1"], ["A-1"], ["A-2"]]})
    >>> fig = chronology_figure(events)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Hùng', 'Páo']
    """
    if path is not None:
        path = check_output(path, suffixes=PLOT_FORMATS)
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    missing = {"date", "kind", "person_id", "name", "records"} - set(chronology.columns)
    if missing:
        raise AnalysisError(f"chronology lacks column(s) {sorted(missing)}")
    if lanes is None:
        lanes = "kind" if chronology["person_id"].nunique() == 1 else "person"
    if lanes not in ("person", "kind"):
        raise AnalysisError(f"lanes must be 'person' or 'kind', not {lanes!r}")
    events = chronology.assign(date=pd.to_datetime(chronology["date"], errors="coerce"))
    undated = int(events["date"].isna().sum())
    events = events[events["date"].notna()]
    notes = [f"{undated} undated event(s) not drawn"] if undated else []
    if lanes == "person":
        labels = _lane_names(events)
        busiest = events.groupby("person_id").size().sort_values(ascending=False, kind="stable")
        order = sorted(
            busiest.index[:max_lanes], key=lambda p: events["date"][events["person_id"] == p].min()
        )
        if len(busiest) > max_lanes:
            notes.append(f"{len(busiest) - max_lanes} more people not drawn")
        lane_of = {p: i for i, p in enumerate(order)}
        names = [labels[p] for p in order]
        key = events["person_id"]
    else:
        kinds = [k for k in CHRONOLOGY_MARKERS if k in set(events["kind"])]
        kinds += sorted(set(events["kind"]) - set(kinds))
        lane_of = {k: i for i, k in enumerate(kinds)}
        names = [CHRONOLOGY_MARKERS.get(k, (None, None, k))[2] for k in kinds]
        key = events["kind"]
    events = events.assign(lane=key.map(lane_of)).dropna(subset=["lane"])
    n = max(len(names), 1)
    fig = Figure(figsize=(10, 1.6 + 0.42 * n))
    ax = fig.subplots()
    kinds_drawn = [k for k in CHRONOLOGY_MARKERS if k in set(events["kind"])]
    offsets = {k: 0.0 for k in kinds_drawn}
    if lanes == "person" and len(kinds_drawn) > 1:  # kinds side by side within a lane
        step = 0.5 / (len(kinds_drawn) - 1)
        offsets = {k: -0.25 + i * step for i, k in enumerate(kinds_drawn)}
    shared = events.assign(_r=events["records"].map(lambda r: ",".join(sorted(map(str, r)))))
    for _, group in shared.groupby(["date", "kind", "_r"]):
        if group["lane"].nunique() > 1:
            ys = group["lane"].astype(float) + group["kind"].map(offsets).fillna(0.0)
            ax.vlines(group["date"].iloc[0], ys.min(), ys.max(), color="0.75", lw=0.8, zorder=1)
    for kind, part in events.groupby("kind", sort=False):
        marker, colour, _ = CHRONOLOGY_MARKERS.get(str(kind), ("*", "0.3", str(kind)))
        y = part["lane"].astype(float) + offsets.get(str(kind), 0.0)
        ax.scatter(part["date"], y, marker=marker, color=colour, s=42, zorder=2, alpha=0.85)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(axis="x", alpha=0.3)
    for y in range(len(names) - 1):
        ax.axhline(y + 0.5, color="0.9", lw=0.6)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    handles = [
        Line2D([], [], marker=m, color=c, linestyle="", label=label)
        for k, (m, c, label) in CHRONOLOGY_MARKERS.items()
        if k in kinds_drawn
    ]
    if handles and lanes == "person":
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    if events.empty:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
    heading = title or "Chronology"
    ax.set_title(heading + (f"\n({'; '.join(notes)})" if notes else ""), loc="left")
    fig.tight_layout()
    if path is not None:
        with atomic_write(path) as tmp:
            fig.savefig(tmp, dpi=120)
    return fig


def _lane_names(events: pd.DataFrame) -> dict[str, str]:
    """A lane label per person: the name, with the id where two people share a name."""
    first = events.drop_duplicates("person_id").set_index("person_id")["name"].astype(str)
    twice = set(first[first.duplicated(keep=False)])
    return {p: f"{n} ({p})" if n in twice else n for p, n in first.items()}
