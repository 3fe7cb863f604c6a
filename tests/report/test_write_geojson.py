"""Route maps written to GeoJSON files."""

from __future__ import annotations

import json

import pytest

from netintel.analysis.routes import chokepoints, corridors, example_tables, routes_geojson
from netintel.errors import OutputError
from netintel.report.geojson import write_geojson


def test_the_route_map_is_written_as_utf8_json(tmp_path):
    t = example_tables()
    c = corridors(t)
    collection = routes_geojson(c, chokepoints(c, t))
    path = write_geojson(collection, tmp_path / "maps" / "routes.geojson")
    text = path.read_text(encoding="utf-8")
    assert "Nậm Cắn" in text  # names as written, not \u escapes
    assert json.loads(text) == json.loads(json.dumps(collection))


def test_only_a_feature_collection_is_written(tmp_path):
    with pytest.raises(OutputError, match="not a GeoJSON FeatureCollection"):
        write_geojson({"type": "Feature"}, tmp_path / "x.geojson")
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(OutputError, match="cannot write"):
        write_geojson({"type": "FeatureCollection", "features": []}, tmp_path / "taken" / "x")
