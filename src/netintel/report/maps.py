"""Route maps: corridors, border gates, seizure places and people on a map of Vietnam and Laos.

Two twins draw the same map:

- :func:`route_map` returns an interactive :class:`plotly.graph_objects.Figure` (hover a
  corridor to see the seizures behind it, click it to list them under the map in written
  HTML); :func:`write_map` writes it as one HTML file with plotly.js inside, which opens
  offline and fetches nothing.
- :func:`route_map_figure` returns a static :class:`matplotlib.figure.Figure`, for the case
  report and its PDF.

The basemap is shipped with netintel (``report/data/boundaries.geojson``, built by
``tools/boundaries.py``): the provinces of Vietnam (the 63 before the 2025 merger) and Laos,
both countries' outlines and the neighbours' borders, from Natural Earth (public domain).
Boundaries are drawn as ordinary traces on longitude/latitude axes, so nothing is fetched
from a tile server or a CDN. Web tiles (OpenStreetMap) are an option for a machine that is
online (``tiles=True``); they are off by default.

Corridors are lines through their located legs (origin, border gate, seizure place,
destination), their width growing with the number of seizures and their colour with the kg
seized. Places come from the gazetteer (``graph_schema/gazetteer.yaml``): a gate at the
gate, a district at its seat when the gazetteer lists it (:mod:`netintel.values.districts`),
otherwise at its province's point and **marked approximate** (an open marker, and the word
in the hover), a province at its capital, a country at a point inside it.

Examples
--------
>>> from netintel.analysis.routes import chokepoints, corridors, example_tables
>>> t = example_tables()
>>> c = corridors(t, level="district")
>>> fig = route_map(c, chokepoints(c, t), seizures=t)
>>> lines = {tr.meta["rank"]: tr for tr in fig.data if (tr.meta or {}).get("layer") == "corridor"}
>>> lines[1].meta["corridor"], lines[1].meta["seizures"]
('Bokeo → Tây Trang → Điện Biên → Hà Nội', ['S4'])
>>> gates = next(tr for tr in fig.data if tr.name == "border gates")
>>> sorted(gates.text)
['Nậm Cắn', 'Tây Trang']
>>> route_map_figure(c, chokepoints(c, t)).axes[0].get_title()
'Corridors of seizures'
"""

from __future__ import annotations

import html
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netintel.outputs import atomic_write, check_output
from netintel.report.map_layers import (
    _LAND,
    BOUNDARIES,
    MapLayers,
    _colour,
    _rings,
    _width,
    boundaries,
    locate,
    map_layers,
)
from netintel.values.places import find_province

__all__ = [
    "BOUNDARIES",
    "MapLayers",
    "boundaries",
    "locate",
    "map_layers",
    "route_map",
    "route_map_figure",
    "write_map",
]

#: The shipped basemap (GeoJSON; source and licence in the file and tools/boundaries.py).
_HOVER_SEIZURES = 12  # seizures listed in a corridor's hover (all are in its meta)


def _dense(lon: list[float], lat: list[float], step: float = 0.08) -> tuple[list, list]:
    """Points every ``step`` degrees along the line, so hovering anywhere on it answers."""
    xs, ys = [lon[0]], [lat[0]]
    pts = list(zip(lon, lat, strict=True))
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        for k in range(1, n + 1):
            xs.append(round(x0 + (x1 - x0) * k / n, 4))
            ys.append(round(y0 + (y1 - y0) * k / n, 4))
    return xs, ys


def _corridor_hover(c: dict) -> str:
    drugs = "; ".join(f"{d} {kg:g} kg" for d, kg in c["kg_by_drug"].items())
    lines = [
        f"<b>#{c['rank']} {html.escape(c['corridor'])}</b>",
        f"{c['count']} seizures, {c['kg']:g} kg" + (f" ({html.escape(drugs)})" if drugs else ""),
    ]
    for d in c["details"][:_HOVER_SEIZURES]:
        bits = [d["id"], d.get("date") or "undated", d.get("drug") or ""]
        if d.get("kg") is not None:
            bits.append(f"{d['kg']:g} kg")
        lines.append(html.escape(" ".join(b for b in bits if b)))
    if len(c["details"]) > _HOVER_SEIZURES:
        lines.append(f"… and {len(c['details']) - _HOVER_SEIZURES} more (click the line)")
    if c["unlocated"]:
        lines.append("<i>not drawn: " + html.escape(", ".join(c["unlocated"])) + "</i>")
    return "<br>".join(lines)


def _trace(tiles: bool, lon: list, lat: list, **kw: Any) -> Any:
    import plotly.graph_objects as go

    if tiles:
        kw.pop("cliponaxis", None)
        return go.Scattermap(lon=lon, lat=lat, **kw)
    return go.Scatter(x=lon, y=lat, **kw)


def _joined(rings: list[list[list[float]]]) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for ring in rings:
        xs.extend([p[0] for p in ring] + [None])
        ys.extend([p[1] for p in ring] + [None])
    return xs, ys


def _basemap_traces(tiles: bool) -> list:
    traces = []
    feats = boundaries()["features"]
    for f in feats:
        p = f["properties"]
        if p["kind"] == "country":
            xs, ys = _joined(_rings(f["geometry"]))
            traces.append(
                _trace(
                    tiles, xs, ys, mode="lines", fill="toself", fillcolor=_LAND[p["country"]],
                    line={"color": "#555555", "width": 1.2}, name=p["name"], hoverinfo="skip",
                    showlegend=False, meta={"layer": "basemap", "kind": "country"},
                )
            )  # fmt: skip
    for kind, colour, width in (("province", "#b9b2a3", 0.5), ("neighbour", "#8a8a8a", 0.8)):
        rings = [r for f in feats if f["properties"]["kind"] == kind for r in _rings(f["geometry"])]
        xs, ys = _joined(rings)
        traces.append(
            _trace(
                tiles, xs, ys, mode="lines", line={"color": colour, "width": width},
                name=f"{kind} boundaries", hoverinfo="skip", showlegend=False,
                meta={"layer": "basemap", "kind": kind},
            )
        )  # fmt: skip
    # province names on hover: an invisible point at each province's gazetteer point
    names, xs, ys = [], [], []
    for f in feats:
        p = f["properties"]
        found = find_province(p["name"], p["country"]) if p["kind"] == "province" else None
        if found is not None and found.lat is not None:
            merged = f" (since 2025: {found.merged_into})" if found.merged_into else ""
            names.append(f"{p['name']}{merged}")
            xs.append(found.lon)
            ys.append(found.lat)
    traces.append(
        _trace(
            tiles, xs, ys, mode="markers", marker={"size": 4, "color": "#b9b2a3", "opacity": 0.5},
            text=names, hovertemplate="%{text}<extra></extra>", name="provinces",
            showlegend=False, meta={"layer": "basemap", "kind": "province names"},
        )
    )  # fmt: skip
    return traces


def route_map(
    corridors: pd.DataFrame,
    chokepoints: pd.DataFrame | None = None,
    *,
    seizures: Any = None,
    people: pd.DataFrame | None = None,
    top: int | None = 10,
    tiles: bool = False,
    title: str | None = None,
) -> Any:
    """An interactive map of corridors, border gates, seizure places and people.

    Parameters
    ----------
    corridors : pandas.DataFrame
        From :func:`netintel.analysis.routes.corridors` (any ``level``).
    chokepoints : pandas.DataFrame, optional
        From :func:`netintel.analysis.routes.chokepoints`: its gates are drawn with their
        share of seizures (the corridors' own gates are drawn either way).
    seizures : RouteTables or pandas.DataFrame, optional
        Seizure details (``seizure_id``, ``first_seen``, ``drug``, ``quantity_kg``) for the
        hover of each corridor; without them the hover lists the seizure ids alone.
    people : pandas.DataFrame, optional
        ``name, place_id`` (a Place id; optional ``role, place, ring, evidence``): a marker
        per person at their place, open and marked approximate when only the province is
        known.
    top : int or None
        Draw the first ``top`` corridors (``None``: all).
    tiles : bool
        Draw on OpenStreetMap web tiles (needs the network) instead of the shipped
        boundaries alone.
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per corridor (``meta``: ``layer="corridor"``, ``rank``, ``corridor``,
        ``seizures`` with the seizure ids, ``details``), a ``border gates`` trace, a
        ``seizure places`` and an ``approximate places`` trace, ``people`` and the basemap.

    Raises
    ------
    AnalysisError
        If ``corridors`` is not a corridor table, or ``people`` lacks its columns.

    Examples
    --------
    >>> from netintel.analysis.routes import corridors, example_tables
    >>> t = example_tables()
    >>> fig = route_map(corridors(t, level="district"), seizures=t)
    >>> places = next(tr for tr in fig.data if tr.name == "approximate places")
    >>> list(places.text) == [] and fig.layout.yaxis.scaleanchor == "x"
    True
    """
    import plotly.graph_objects as go

    layers = map_layers(corridors, chokepoints, seizures=seizures, people=people, top=top)
    fig = go.Figure()
    for t in _basemap_traces(tiles):
        fig.add_trace(t)
    most = max((c["count"] for c in layers.corridors), default=0)
    heaviest = max((c["kg"] for c in layers.corridors), default=0.0)
    for c in sorted(layers.corridors, key=lambda c: -c["rank"]):  # rank 1 drawn on top
        if len(c["lon"]) < 2:
            continue
        xs, ys = _dense(c["lon"], c["lat"])
        fig.add_trace(
            _trace(
                tiles, xs, ys, mode="lines",
                line={"width": _width(c["count"], most), "color": _colour(c["kg"], heaviest)},
                opacity=0.85, name=f"#{c['rank']} {c['corridor']}",
                text=[_corridor_hover(c)] * len(xs), hovertemplate="%{text}<extra></extra>",
                legendgroup="corridors", legendgrouptitle_text="corridors (width: seizures, "
                "colour: kg)",
                meta={"layer": "corridor", "rank": c["rank"], "corridor": c["corridor"],
                      "seizures": c["seizures"], "kg": c["kg"], "details": c["details"]},
            )
        )  # fmt: skip
    pts = layers.points
    styles = (
        ("gate", "border gates", {"symbol": "triangle-up", "size": 13, "color": "#1f4e9c"}),
        ("place", "seizure places", {"symbol": "circle", "size": 9, "color": "#b2182b"}),
        ("approx", "approximate places", {"symbol": "circle-open", "size": 11, "color": "#b2182b"}),
        ("person", "people", {"symbol": "diamond", "size": 8, "color": "#333333"}),
    )
    for key, name, marker in styles:
        if key == "approx":
            part = pts[(pts["layer"] != "gate") & pts["approximate"]]
        elif key in ("place", "person"):
            part = pts[(pts["layer"] == key) & ~pts["approximate"]]
        else:
            part = pts[pts["layer"] == key]
        if tiles and marker["symbol"] != "circle":
            marker = {**marker, "symbol": "circle"}  # map tiles draw circles only
        fig.add_trace(
            _trace(
                tiles, list(part["lon"]), list(part["lat"]),
                mode="markers+text" if key == "gate" else "markers", marker=marker,
                text=list(part["name"]), textposition="top center",
                customdata=list(part["hover"]), hovertemplate="%{customdata}<extra></extra>",
                name=name, meta={"layer": key, "names": list(part["name"])},
            )
        )  # fmt: skip
    fig.update_layout(
        title=title or "Corridors of seizures",
        height=760,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"itemsizing": "constant", "bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"align": "left"},
        plot_bgcolor="#dfe9f2",
        meta={"source": boundaries()["source"], "licence": boundaries()["licence"]},
    )
    w, e, s, n = layers.extent()
    if tiles:
        fig.update_layout(
            map={"style": "open-street-map", "center": {"lon": (w + e) / 2, "lat": (s + n) / 2},
                 "zoom": 5},
        )  # fmt: skip
    else:
        ratio = 1 / math.cos(math.radians((s + n) / 2))
        fig.update_xaxes(range=[w, e], showgrid=False, zeroline=False, title="longitude")
        fig.update_yaxes(
            range=[s, n], showgrid=False, zeroline=False, title="latitude",
            scaleanchor="x", scaleratio=ratio,
        )  # fmt: skip
    return fig


_CLICK_SCRIPT = """
var plot = document.getElementById('{plot_id}');
var panel = document.createElement('div');
panel.id = 'netintel-seizures';
panel.style.cssText = 'font:13px sans-serif;margin:8px 12px;white-space:pre-wrap';
panel.textContent = 'Click a corridor to list the seizures behind it.';
plot.parentNode.appendChild(panel);
plot.on('plotly_click', function (ev) {
  var meta = ev.points[0].data.meta || {};
  if (meta.layer !== 'corridor') { return; }
  var rows = (meta.details || []).map(function (d) {
    return [d.id, d.date || 'undated', d.drug || '', d.kg == null ? '' : d.kg + ' kg'].join('  ');
  });
  panel.textContent = '#' + meta.rank + ' ' + meta.corridor + ': ' + rows.length +
    ' seizures\\n' + rows.join('\\n');
});
"""


def write_map(fig: Any, path: str | Path) -> Path:
    """Write a :func:`route_map` figure as one offline HTML file and return its path.

    plotly.js is inlined (no script from a CDN, no MathJax); clicking a corridor lists its
    seizures under the map. Written to a temporary file and renamed
    (:func:`~netintel.outputs.atomic_write`).

    Raises
    ------
    OutputError
        If ``path`` does not end in ``.html`` or cannot be written (checked first).

    Examples
    --------
    >>> import tempfile
    >>> from netintel.analysis.routes import corridors, example_tables
    >>> path = write_map(route_map(corridors(example_tables())), tempfile.mkdtemp() + "/m.html")
    >>> "cdn." in path.read_text(encoding="utf-8").split("<script")[1][:300]
    False
    """
    path = check_output(path, suffixes=(".html",))
    page = fig.to_html(
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=True,
        post_script=_CLICK_SCRIPT,
        config={"displaylogo": False, "responsive": True, "scrollZoom": True},
    )
    with atomic_write(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def _draw_basemap(ax: Any) -> None:
    from matplotlib.patches import Polygon

    for f in boundaries()["features"]:
        p = f["properties"]
        for ring in _rings(f["geometry"]):
            arr = np.asarray(ring, dtype=float)
            if p["kind"] == "country":
                ax.add_patch(
                    Polygon(arr, closed=True, facecolor=_LAND[p["country"]], edgecolor="#555555",
                            linewidth=0.9, zorder=1)
                )  # fmt: skip
            else:
                colour, width = ("#b9b2a3", 0.4) if p["kind"] == "province" else ("#8a8a8a", 0.6)
                ax.plot(arr[:, 0], arr[:, 1], color=colour, linewidth=width, zorder=2)


def route_map_figure(
    corridors: pd.DataFrame,
    chokepoints: pd.DataFrame | None = None,
    *,
    seizures: Any = None,
    people: pd.DataFrame | None = None,
    top: int | None = 10,
    title: str | None = None,
    labels: int = 5,
) -> Any:
    """The static twin of :func:`route_map` (same layers, same boundaries), for reports.

    Parameters are those of :func:`route_map`; ``labels`` numbers the first ``labels``
    corridors on the map (their rank, beside the line's middle) and in the legend.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from netintel.analysis.routes import corridors, example_tables
    >>> fig = route_map_figure(corridors(example_tables(), level="district"))
    >>> sorted(t.get_text() for t in fig.axes[0].texts)[:3]
    ['#1', '#2', '#3']
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    layers = map_layers(corridors, chokepoints, seizures=seizures, people=people, top=top)
    w, e, s, n = layers.extent()
    aspect = 1 / math.cos(math.radians((s + n) / 2))
    height = min(max(7.5 * (n - s) * aspect / (e - w), 4.0), 10.0)
    fig = Figure(figsize=(7.5, height + 0.6))
    ax = fig.add_subplot()
    ax.set_facecolor("#dfe9f2")
    _draw_basemap(ax)
    most = max((c["count"] for c in layers.corridors), default=0)
    heaviest = max((c["kg"] for c in layers.corridors), default=0.0)
    handles = []
    for c in sorted(layers.corridors, key=lambda c: -c["rank"]):
        if len(c["lon"]) < 2:
            continue
        colour = _colour(c["kg"], heaviest)
        ax.plot(c["lon"], c["lat"], color=_rgb(colour), linewidth=_width(c["count"], most) * 0.8,
                alpha=0.85, solid_capstyle="round", zorder=3)  # fmt: skip
        if c["rank"] <= labels:
            mid = len(c["lon"]) // 2
            ax.text(c["lon"][mid], c["lat"][mid], f"#{c['rank']}", fontsize=8, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})  # fmt: skip
            handles.insert(
                0,
                Line2D([], [], color=_rgb(colour), linewidth=_width(c["count"], most) * 0.8,
                       label=f"#{c['rank']} {c['corridor']} ({c['count']}, {c['kg']:g} kg)")
            )  # fmt: skip
    pts = layers.points
    gates = pts[pts["layer"] == "gate"]
    ax.scatter(gates["lon"], gates["lat"], marker="^", s=60, color="#1f4e9c", zorder=5)
    for row in gates.itertuples():
        ax.annotate(row.name, (row.lon, row.lat), xytext=(4, 4), textcoords="offset points",
                    fontsize=7, color="#1f4e9c", zorder=6)  # fmt: skip
    for layer, marker, colour in (("place", "o", "#b2182b"), ("person", "D", "#333333")):
        part = pts[pts["layer"] == layer]
        exact, approx = part[~part["approximate"]], part[part["approximate"]]
        ax.scatter(exact["lon"], exact["lat"], marker=marker, s=22, color=colour, zorder=5)
        ax.scatter(approx["lon"], approx["lat"], marker=marker, s=50, facecolors="none",
                   edgecolors=colour, linewidths=1.2, zorder=5)  # fmt: skip
    handles += [
        Line2D([], [], marker="^", color="#1f4e9c", linestyle="none", label="border gate"),
        Line2D([], [], marker="o", color="#b2182b", linestyle="none", label="seizure place"),
        Line2D([], [], marker="o", markerfacecolor="none", color="#b2182b", linestyle="none",
               label="approximate (province point)"),
    ]  # fmt: skip
    if people is not None and len(pts[pts["layer"] == "person"]):
        handles.append(
            Line2D([], [], marker="D", color="#333333", linestyle="none", label="person")
        )
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(aspect)
    ax.set_title(title or "Corridors of seizures")
    ax.tick_params(labelsize=7)
    ax.legend(handles=handles, loc="lower left", fontsize=6.5, framealpha=0.9)
    fig.text(0.01, 0.005, "Boundaries: Natural Earth (public domain)", fontsize=6, color="#666")
    fig.tight_layout()
    return fig


def _rgb(colour: str) -> tuple[float, float, float]:
    """``rgb(r, g, b)`` (plotly's colour text) as a matplotlib colour."""
    r, g, b = (float(x) for x in colour[colour.index("(") + 1 : -1].split(","))
    return r / 255, g / 255, b / 255
