"""Route maps: corridors and chokepoints as a GeoJSON FeatureCollection.

:func:`routes_geojson` turns a corridor table (a LineString per corridor, through its located
legs) and a chokepoint table (a Point per gate or province) into a GeoJSON FeatureCollection,
with coordinates from ``graph_schema/gazetteer.yaml`` (RFC 7946: positions are
``[longitude, latitude]``) and every ranking number in the features' ``properties``. It only
builds the collection; :func:`netintel.report.geojson.write_geojson` writes it to a file.

References
----------
.. [1] H. Butler, M. Daly, A. Doyle, S. Gillies, S. Hagen, T. Schaub, "The GeoJSON Format",
   RFC 7946, 2016.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from netintel.errors import AnalysisError

__all__ = ["routes_geojson"]


def _json_value(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def routes_geojson(table: pd.DataFrame, points: pd.DataFrame | None = None) -> dict:
    """A GeoJSON FeatureCollection: a LineString per corridor, a Point per gate or place.

    Positions are ``[longitude, latitude]`` (RFC 7946). A corridor with fewer than two
    located legs has no line (``geometry`` null) and says why in ``note``; every feature
    carries its ranking numbers in ``properties``.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`~netintel.analysis.routes.corridors.corridors`.
    points : pandas.DataFrame, optional
        From :func:`~netintel.analysis.routes.chokepoints.chokepoints`: each row with
        coordinates becomes a Point feature.

    Raises
    ------
    AnalysisError
        If ``points`` lacks its ``kind``, ``lat`` or ``lon`` column.

    Examples
    --------
    >>> from netintel.analysis.routes import chokepoints, corridors, example_tables
    >>> t = example_tables()
    >>> c = corridors(t)
    >>> gj = routes_geojson(c, chokepoints(c, t))
    >>> gj["type"], gj["features"][0]["geometry"]["type"]
    ('FeatureCollection', 'LineString')
    >>> gj["features"][0]["geometry"]["coordinates"][0]
    [103.19, 19.45]
    """
    if points is not None:
        missing = {"kind", "lat", "lon"} - set(points.columns)
        if missing:
            raise AnalysisError(f"chokepoint table lacks column(s) {sorted(missing)}")
    features = []
    for row in table.to_dict("records"):
        path = row.get("path") or []
        props = {
            k: _json_value(v) for k, v in row.items() if k not in {"path", "evidence", "kg_by_drug"}
        }
        props["feature"] = "corridor"
        props["kg_by_drug"] = _json_value(row.get("kg_by_drug") or {})
        props["evidence"] = _json_value(list(row.get("evidence") or []))
        notes = []
        if row.get("unlocated"):
            notes.append("not in the gazetteer: " + ", ".join(row["unlocated"]))
        geometry = None
        if len(path) >= 2:
            geometry = {"type": "LineString", "coordinates": [list(map(float, p)) for p in path]}
        else:
            notes.append("fewer than two located legs: no line")
        props["note"] = "; ".join(notes) or None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    if points is not None:
        for row in points.to_dict("records"):
            if row.get("lat") is None or pd.isna(row.get("lat")):
                continue
            props = {k: _json_value(v) for k, v in row.items() if k not in {"lat", "lon"}}
            props["feature"] = row["kind"]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(row["lon"]), float(row["lat"])],
                    },
                    "properties": props,
                }
            )
    return {"type": "FeatureCollection", "features": features}
