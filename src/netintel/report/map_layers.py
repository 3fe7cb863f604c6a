"""Where things go on a route map: the shipped boundaries, places located, the layers drawn.

:func:`map_layers` locates what :func:`netintel.report.maps.route_map` and its static twin
draw (corridor lines, border gates, seizure places, people), from the gazetteer
(``graph_schema/gazetteer.yaml``) and its districts (:mod:`netintel.values.districts`);
:func:`boundaries` is the basemap shipped in ``report/data/boundaries.geojson`` (Natural
Earth, public domain; built by ``tools/boundaries.py``).

Examples
--------
>>> locate("vn/nghe an/ky son"), locate("vn/nghe an/muong xen")[2]
((19.4, 104.13, 'district'), 'approximate')
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from netintel.errors import AnalysisError
from netintel.values.districts import district_of_place
from netintel.values.places import country_point, find_gate, find_province

__all__ = ["BOUNDARIES", "PRECISION", "MapLayers", "boundaries", "locate", "map_layers"]

BOUNDARIES = Path(__file__).resolve().parent / "data" / "boundaries.geojson"
#: How a point is placed: at the place itself, or at its province (approximate).
PRECISION = ("gate", "district", "province", "country", "approximate")
_LAND = {"VN": "#f4efe3", "LA": "#eef3e6"}


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """The shipped basemap: a GeoJSON FeatureCollection of ``province`` polygons (Vietnam and
    Laos, named as the gazetteer names them), ``country`` polygons (VN, LA) and
    ``neighbour`` lines (TH, KH, CN, MM), with its ``source`` and ``licence``.

    >>> b = boundaries()
    >>> sum(f["properties"]["kind"] == "province" for f in b["features"]), b["licence"][:13]
    (80, 'public domain')
    """
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def _province_point(key: str, country: str) -> tuple[float, float] | None:
    found = find_province(key, country)
    if found is None or found.lat is None:
        return None
    return float(found.lat), float(found.lon)


def locate(
    place_id: object, *, name: str | None = None, province: str | None = None
) -> tuple[float, float, str] | None:
    """``(lat, lon, precision)`` of a Place or BorderGate id, or ``None`` when unplaceable.

    ``precision`` is ``gate``, ``district``, ``province``, ``country``, or ``approximate``
    for a place below a province that the gazetteer does not list (drawn at its province).
    A gate is found by ``name`` (or its id) and, where two gates share a name, ``province``.

    >>> locate("gate:vn/cau treo")
    (18.39, 105.16, 'gate')
    >>> locate("la/bokeo"), locate("la")
    ((20.28, 100.41, 'province'), (19.0, 102.5, 'country'))
    >>> locate("vn/?/somewhere") is None
    True
    """
    if place_id is None or (isinstance(place_id, float) and math.isnan(place_id)):
        return None
    pid = str(place_id)
    if pid.startswith("gate:"):
        gate = find_gate(name or pid.split("/", 1)[-1], province)
        return (gate.lat, gate.lon, "gate") if gate is not None else None
    parts = pid.split("/")
    country = parts[0].upper()
    if len(parts) == 1:
        p = country_point(country)
        return (p[0], p[1], "country") if p is not None else None
    if parts[1] == "?":
        return None
    point = _province_point(parts[1], country)
    if len(parts) == 2:
        return (*point, "province") if point else None
    d = district_of_place(pid)
    if d is not None:
        return d.lat, d.lon, "district"
    return (*point, "approximate") if point else None


@dataclass
class MapLayers:
    """What a route map draws, computed once for both twins (:func:`map_layers`).

    Attributes
    ----------
    corridors : list of dict
        Per corridor: ``rank, corridor, seizures (ids), count, kg, kg_by_drug, lon, lat``
        (its located legs, in route order), ``legs`` (names), ``details`` (one dict per
        seizure: ``id, date, drug, kg``) and ``unlocated`` (legs not drawn).
    points : pandas.DataFrame
        ``layer`` (``gate``, ``place`` or ``person``), ``name, lat, lon, precision,
        approximate, hover``, one row per point.
    """

    corridors: list[dict] = field(default_factory=list)
    points: pd.DataFrame = field(default_factory=pd.DataFrame)

    def extent(self) -> tuple[float, float, float, float]:
        """``(west, east, south, north)`` of everything located, with a margin."""
        lons = [x for c in self.corridors for x in c["lon"]] + list(self.points.get("lon", []))
        lats = [y for c in self.corridors for y in c["lat"]] + list(self.points.get("lat", []))
        if not lons:
            return 99.5, 110.0, 8.0, 23.5
        w, e, s, n = min(lons), max(lons), min(lats), max(lats)
        cx, cy = (w + e) / 2, (s + n) / 2
        half_x, half_y = max((e - w) / 2 + 0.8, 2.0), max((n - s) / 2 + 0.8, 2.0)
        return cx - half_x, cx + half_x, cy - half_y, cy + half_y


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _seizure_details(seizures: Any) -> dict[str, dict]:
    if seizures is None:
        return {}
    frame = getattr(seizures, "seizures", seizures)
    if not isinstance(frame, pd.DataFrame) or "seizure_id" not in frame:
        raise AnalysisError("seizures must be RouteTables or a table with a seizure_id column")
    dates = pd.to_datetime(
        frame["first_seen"] if "first_seen" in frame else frame.get("date"), errors="coerce"
    )
    kg = pd.to_numeric(frame.get("quantity_kg"), errors="coerce")
    out = {}
    for i, sid in enumerate(frame["seizure_id"].astype(str)):
        date = dates.iloc[i] if dates is not None else None
        weight = kg.iloc[i] if kg is not None else None
        out[sid] = {
            "id": sid,
            "date": None if date is None or pd.isna(date) else date.date().isoformat(),
            "drug": _text(frame["drug"].iloc[i]) if "drug" in frame else None,
            "kg": None if weight is None or pd.isna(weight) else round(float(weight), 3),
        }
    return out


def _legs(row: dict) -> list[tuple[str | None, str | None, str | None]]:
    """``(id, name, province hint)`` of the four legs of a corridor row."""
    place = _text(row.get("place_id"))
    hint = place.split("/")[1] if place and place.count("/") >= 1 else None
    return [
        (_text(row.get("origin_id")), _text(row.get("origin")), None),
        (_text(row.get("gate_id")), _text(row.get("gate")), hint),
        (place, _text(row.get("seizure_place")), None),
        (_text(row.get("destination_id")), _text(row.get("destination")), None),
    ]


def map_layers(
    corridors: pd.DataFrame,
    chokepoints: pd.DataFrame | None = None,
    *,
    seizures: Any = None,
    people: pd.DataFrame | None = None,
    top: int | None = None,
) -> MapLayers:
    """Locate what a route map draws (see :class:`MapLayers`); both twins call it.

    Parameters are those of :func:`route_map`.
    """
    if not isinstance(corridors, pd.DataFrame) or "corridor" not in corridors:
        raise AnalysisError("expected a corridor table (netintel.analysis.routes.corridors)")
    details = _seizure_details(seizures)
    table = corridors if top is None else corridors.head(top)
    layers = MapLayers()
    rows: list[dict] = []
    for row in table.to_dict("records"):
        lon, lat, names, unlocated = [], [], [], []
        for i, (pid, name, hint) in enumerate(_legs(row)):
            if pid is None:
                continue
            found = locate(pid, name=name, province=hint)
            if found is None:
                unlocated.append(name or pid)
                continue
            if lon and (lon[-1], lat[-1]) == (found[1], found[0]):
                continue
            lon.append(found[1])
            lat.append(found[0])
            names.append(name or pid)
            if i == 2:  # the seizure place: a point of its own
                rows.append(_point("place", name or pid, found, f"seizure place of #{row['rank']}"))
        ids = [str(s) for s in (row.get("evidence") or [])]
        kg = row.get("kg")
        layers.corridors.append(
            {
                "rank": int(row.get("rank", len(layers.corridors) + 1)),
                "corridor": str(row["corridor"]),
                "seizures": ids,
                "count": int(row.get("seizures", len(ids))),
                "kg": 0.0 if kg is None or pd.isna(kg) else float(kg),
                "kg_by_drug": dict(row.get("kg_by_drug") or {}),
                "lon": lon,
                "lat": lat,
                "legs": names,
                "details": [details.get(s, {"id": s}) for s in ids],
                "unlocated": unlocated,
            }
        )
    if chokepoints is not None and len(chokepoints):
        for row in chokepoints[chokepoints["kind"] == "gate"].to_dict("records"):
            found = locate(row.get("id"), name=_text(row.get("name")))
            if found is None and pd.notna(row.get("lat")):
                found = (float(row["lat"]), float(row["lon"]), "gate")
            if found is not None:
                note = f"{row.get('seizures', 0)} seizures ({float(row.get('share', 0)):.0%})"
                if _text(row.get("counterpart")):
                    note += f"<br>facing {row['counterpart']}"
                rows.append(_point("gate", str(row["name"]), found, note))
    for row in table.to_dict("records"):  # gates of the corridors drawn, chokepoints or not
        pid, name, hint = _legs(row)[1]
        found = locate(pid, name=name, province=hint) if pid else None
        if found is not None and not any(r["layer"] == "gate" and r["name"] == name for r in rows):
            rows.append(_point("gate", name or str(pid), found, "border gate"))
    if people is not None and len(people):
        missing = {"name", "place_id"} - set(people.columns)
        if missing:
            raise AnalysisError(f"the people table lacks column(s) {sorted(missing)}")
        for row in people.to_dict("records"):
            found = locate(_text(row.get("place_id")))
            if found is None:
                continue
            note = ", ".join(
                str(row[c]) for c in ("role", "place") if c in row and _text(row[c]) is not None
            )
            if "ring" in row and _text(row["ring"]) is not None:
                note += f"{', ' if note else ''}ring {row['ring']}"
            records = row.get("evidence")
            if isinstance(records, list | tuple) and records:
                note += "<br>records: " + ", ".join(map(str, records[:8]))
            rows.append(_point("person", str(row["name"]), found, note))
    cols = ["layer", "name", "lat", "lon", "precision", "approximate", "hover"]
    layers.points = pd.DataFrame(rows, columns=cols).drop_duplicates(["layer", "name", "hover"])
    return layers


def _point(layer: str, name: str, found: tuple[float, float, str], note: str) -> dict:
    lat, lon, precision = found
    approximate = precision == "approximate"
    where = "approximate: drawn at its province" if approximate else f"placed at the {precision}"
    hover = f"<b>{html.escape(name)}</b><br>{note}<br><i>{where}</i>"
    return {
        "layer": layer,
        "name": name,
        "lat": lat,
        "lon": lon,
        "precision": precision,
        "approximate": approximate,
        "hover": hover,
    }


def _width(value: float, top: float) -> float:
    return 1.5 + 9.0 * math.sqrt(value / top) if top > 0 else 1.5


def _colour(kg: float, top: float) -> str:
    from plotly.colors import sample_colorscale

    return sample_colorscale("OrRd", [0.35 + 0.65 * (kg / top if top > 0 else 0.0)])[0]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [r for poly in geometry["coordinates"] for r in poly]
    if geometry["type"] == "MultiLineString":
        return geometry["coordinates"]
    return [geometry["coordinates"]]
