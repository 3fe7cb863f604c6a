"""The route map: corridors and chokepoints as GeoJSON, positions longitude first."""

from __future__ import annotations

import json

import pytest

from netintel.analysis.routes import chokepoints, corridors, routes_geojson
from netintel.errors import AnalysisError


def _positions(geometry: dict) -> list[list[float]]:
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def test_geojson_is_valid_with_lon_lat_order(known):
    c = corridors(known)
    gj = routes_geojson(c, chokepoints(c, known))
    json.loads(json.dumps(gj))  # plain JSON
    assert gj["type"] == "FeatureCollection"
    kinds = [f["properties"]["feature"] for f in gj["features"]]
    assert kinds.count("corridor") == 2 and "gate" in kinds and "province" in kinds
    for f in gj["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in {"LineString", "Point"}
        for lon, lat in _positions(f["geometry"]):
            assert 95 < lon < 115 and 5 < lat < 30  # mainland South-East Asia, lon first
    line = gj["features"][0]
    assert line["geometry"]["type"] == "LineString"
    assert line["geometry"]["coordinates"][0] == [103.19, 19.45]  # Xiangkhouang
    assert line["properties"]["seizures"] == 4 and line["properties"]["rank"] == 1


def test_geojson_notes_places_missing_from_the_gazetteer(route_tables):
    t = route_tables(
        [("S1", "2022-01-05", "heroin", 1.0, "vn/atlantis", None, "vn/atlantis", None)]
    )
    c = corridors(t)
    assert c.loc[0, "unlocated"] == ["Atlantis"]
    gj = routes_geojson(c)
    f = gj["features"][0]
    assert f["geometry"] is None and "not in the gazetteer: Atlantis" in f["properties"]["note"]


def test_geojson_needs_the_chokepoint_columns(known):
    c = corridors(known)
    with pytest.raises(AnalysisError, match="chokepoint table lacks"):
        routes_geojson(c, chokepoints(c, known).drop(columns=["lat"]))
