"""Route maps: the shipped boundaries, where places are drawn, and what the lines carry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.path import Path as Shape

from netintel.analysis.routes import chokepoints, corridors, example_tables
from netintel.errors import AnalysisError, OutputError
from netintel.report.maps import (
    boundaries,
    locate,
    map_layers,
    route_map,
    route_map_figure,
    write_map,
)
from netintel.values.districts import districts
from netintel.values.places import border_gates, gazetteer


def _shapes() -> dict[tuple[str, str], list[Shape]]:
    out: dict[tuple[str, str], list[Shape]] = {}
    for f in boundaries()["features"]:
        p = f["properties"]
        if p["kind"] != "province":
            continue
        geom = f["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        out[(p["country"], p["name"])] = [Shape(np.asarray(poly[0])) for poly in polys]
    return out


def _inside(shapes: list[Shape], lon: float, lat: float, margin: float = 0.0) -> bool:
    """Inside one of the polygons, or within ``margin`` degrees of one's outline."""
    if any(s.contains_point((lon, lat)) for s in shapes):
        return True
    p = np.array([lon, lat])
    for s in shapes:
        a, b = s.vertices[:-1], s.vertices[1:]
        ab = b - a
        t = np.clip(((p - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-12), 0, 1)
        if np.hypot(*(a + t[:, None] * ab - p).T).min() <= margin:
            return True
    return False


def test_every_province_of_vietnam_and_laos_has_its_polygon_and_its_point_inside():
    shapes = _shapes()
    provinces = {p for ps in gazetteer().values() for p in ps if p.country in ("VN", "LA")}
    missing = {(p.country, p.name) for p in provinces} - set(shapes) - {("LA", "Xaisomboun")}
    assert missing == set()
    assert len([k for k in shapes if k[0] == "VN"]) == 63
    # the gazetteer's point of each province (its capital) lies in the polygon of that name,
    # within the generalisation of the outlines (capitals on a river border or a coast sit on
    # the line): a polygon given the wrong name would put its capital far outside it
    outside = [
        p.name
        for p in provinces
        if (p.country, p.name) in shapes
        and not _inside(shapes[(p.country, p.name)], p.lon, p.lat, margin=0.15)
    ]
    assert outside == []


def test_district_seats_lie_in_their_province_and_gates_on_its_border():
    shapes = _shapes()
    wrong = [
        f"{d.name} ({d.province})"
        for d in set(districts().values())
        if (d.country, d.province) in shapes
        and not _inside(shapes[(d.country, d.province)], d.lon, d.lat, margin=0.05)
    ]
    assert wrong == []
    far = [
        g.name
        for g in border_gates()
        if g.country == "VN"
        and (g.country, g.province) in shapes
        and not _inside(shapes[(g.country, g.province)], g.lon, g.lat, margin=0.25)
    ]
    assert far == []


def test_the_basemap_says_its_source_and_licence():
    b = boundaries()
    assert "Natural Earth" in b["source"] and b["licence"].startswith("public domain")
    assert {
        f["properties"]["country"] for f in b["features"] if f["properties"]["kind"] == "country"
    } == {"VN", "LA"}


def test_places_are_placed_on_districts_or_marked_approximate():
    assert locate("vn/nghe an/huyen ky son")[2] == "district"
    lat, lon, precision = locate("vn/nghe an/xa khong co")  # a place the gazetteer lacks
    assert precision == "approximate" and (lat, lon) == locate("vn/nghe an")[:2]
    assert locate("gate:vn/thanh thuy", name="Thanh Thủy", province="ha giang")[:2] == (
        22.87,
        104.87,
    )


@pytest.fixture(scope="module")
def example():
    t = example_tables()
    table = corridors(t, level="district")
    return t, table, chokepoints(table, t)


def _corridor_traces(fig) -> dict[int, object]:
    return {tr.meta["rank"]: tr for tr in fig.data if (tr.meta or {}).get("layer") == "corridor"}


def test_each_corridor_line_carries_its_seizures(example):
    t, table, points = example
    fig = route_map(table, points, seizures=t)
    lines = _corridor_traces(fig)
    assert sorted(lines) == sorted(table["rank"])
    for row in table.itertuples():
        meta = lines[row.rank].meta
        assert meta["seizures"] == list(row.evidence)
        hover = lines[row.rank].text[0]
        for sid in row.evidence:
            seizure = t.seizures.set_index("seizure_id").loc[sid]
            detail = next(d for d in meta["details"] if d["id"] == sid)
            assert detail["kg"] == seizure["quantity_kg"] and detail["drug"] == seizure["drug"]
            assert sid in hover and str(seizure["first_seen"])[:10] in hover


def test_line_width_grows_with_seizures_and_gates_are_drawn():
    t = example_tables()
    table = corridors(t, level="province")  # rank 1 has 3 seizures, the others 1
    fig = route_map(table, chokepoints(table, t), seizures=t)
    lines = _corridor_traces(fig)
    assert lines[1].line.width > lines[2].line.width
    gates = next(tr for tr in fig.data if tr.name == "border gates")
    assert set(gates.text) == {"Nậm Cắn", "Tây Trang"}
    assert any("Nam Kan (Xiangkhouang, LA)" in h for h in gates.customdata)


def test_a_district_the_gazetteer_lacks_is_drawn_approximate():
    t = example_tables()
    seizures = t.seizures.copy()
    seizures.loc[seizures["seizure_id"] == "S1", "place"] = "vn/nghe an/anh son"
    places = pd.concat(
        [
            t.places,
            pd.DataFrame(
                [{"id": "vn/nghe an/anh son", "name": "Anh Sơn", "level": "district",
                  "country": "VN", "parent": "vn/nghe an"}]
            ),
        ]
    )  # fmt: skip
    t2 = type(t)(seizures, places, t.gates, t.arrests)
    table = corridors(t2, level="district", attribute=False)
    layers = map_layers(table, seizures=t2)
    approx = layers.points[layers.points["approximate"]]
    assert list(approx["name"]) == ["Anh Sơn"]
    assert "approximate" in approx["hover"].iloc[0]
    fig = route_map(table, seizures=t2)
    drawn = next(tr for tr in fig.data if tr.name == "approximate places")
    assert list(drawn.text) == ["Anh Sơn"] and drawn.marker.symbol == "circle-open"


def test_people_at_their_places(example):
    _, table, points = example
    people = pd.DataFrame(
        {
            "name": ["Lầu Bá Chò", "Noy Vongsa"],
            "place_id": ["vn/nghe an/ky son", "la/bokeo/xay"],
            "role": ["organizer", "courier"],
            "evidence": [["A-1"], ["A-4"]],
        }
    )
    fig = route_map(table, points, people=people)
    exact = next(tr for tr in fig.data if tr.name == "people")
    approx = next(tr for tr in fig.data if tr.name == "approximate places")
    assert list(exact.text) == ["Lầu Bá Chò"] and "A-1" in exact.customdata[0]
    assert list(approx.text) == ["Noy Vongsa"]
    with pytest.raises(AnalysisError, match="place_id"):
        route_map(table, people=people.drop(columns="place_id"))


def test_no_corridor_still_draws_the_basemap():
    fig = route_map(corridors(example_tables(), origin="LA", destination="Hồ Chí Minh"))
    assert not _corridor_traces(fig)
    assert any((tr.meta or {}).get("kind") == "province" for tr in fig.data)


def test_static_twin_draws_the_same_layers(example, tmp_path):
    t, table, points = example
    fig = route_map_figure(table, points, seizures=t)
    ax = fig.axes[0]
    labels = [h.get_label() for h in ax.get_legend().legend_handles]
    assert labels[0].startswith("#1 Bokeo → Tây Trang") and "border gate" in labels
    gate_names = {t.get_text() for t in ax.texts}
    assert {"Nậm Cắn", "Tây Trang"} <= gate_names
    fig.savefig(tmp_path / "map.svg")
    assert "Tây Trang" in (tmp_path / "map.svg").read_text(encoding="utf-8")


def test_write_map_is_one_offline_file(example, tmp_path):
    t, table, points = example
    path = write_map(route_map(table, points, seizures=t), tmp_path / "routes.html")
    page = path.read_text(encoding="utf-8")
    assert 'src="http' not in page and "cdn.plot.ly" not in page.split("<body>")[0]
    assert "S4" in page and "netintel-seizures" in page
    with pytest.raises(OutputError):
        write_map(route_map(table), tmp_path / "routes.png")
