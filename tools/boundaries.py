"""Build the route map's basemap: src/netintel/report/data/boundaries.geojson.

The source is Natural Earth's 1:10m Admin 1 (states and provinces) v4.1.0, which is in the
public domain, as generalised and shipped by QGIS in ``world_map.gpkg`` (Debian package
``qgis-common``: ``/usr/share/qgis/resources/data/world_map.gpkg``, whose README names the
Natural Earth layers and the generalisation). This script takes from it:

- the 63 provinces of Vietnam (before the 2025 merger) and the 17 of Laos, as polygons, each
  named as ``graph_schema/gazetteer.yaml`` names it;
- the outlines of Vietnam and Laos (the union of their provinces, as the countries layer);
- the outlines of the neighbours on the routes (Thailand, Cambodia, China, Myanmar) as lines
  cut to the region, so borders and coasts around the two countries are drawn too.

Coordinates are WGS 84 degrees rounded to 3 decimals (about 100 m): the map shows routes
between provinces, not streets. Xaisomboun (Laos, created in 2013) is not a polygon of its
own in Natural Earth 4.1: its area lies within Vientiane Province and Xiangkhouang there.

Run it again to rebuild the file (from a checkout, with the project's virtualenv)::

    apt-get download qgis-common && dpkg -x qgis-common_*.deb /tmp/qgis
    .venv/bin/python tools/boundaries.py /tmp/qgis/usr/share/qgis/resources/data/world_map.gpkg

It reads the GeoPackage with the standard library (sqlite3 and struct: a GeoPackage geometry
is a small header and well-known binary) and checks that every province of the gazetteer for
Vietnam and Laos gets exactly one polygon.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from netintel.values.places import find_province, gazetteer  # noqa: E402

OUT = ROOT / "src" / "netintel" / "report" / "data" / "boundaries.geojson"
#: The region drawn: (west, south, east, north), degrees.
BBOX = (96.0, 7.0, 114.0, 27.0)
NEIGHBOURS = {"TH": "Thailand", "KH": "Cambodia", "CN": "China", "MM": "Myanmar"}
#: Natural Earth names the gazetteer cannot read unaided (Natural Earth -> gazetteer).
RENAMED = {
    ("LA", "Vientiane"): "Vientiane Province",  # the province; a bare "Vientiane" is the capital
    ("LA", "Vientiane [prefecture]"): "Vientiane Capital",
    ("LA", "Louangphrabang"): "Luang Prabang",
    ("VN", "Đông Bắc"): "Bắc Kạn",  # Natural Earth's name field is wrong; gn_name says Bac Kan
    ("VN", "Đông Nam Bộ"): "Đồng Nai",
    ("VN", "Đồng Bằng Sông Hồng"): "Hưng Yên",
    ("VN", "Ðong Tháp"): "Đồng Tháp",
}
SOURCE = (
    "Natural Earth 1:10m Admin 1 (states, provinces) v4.1.0, public domain "
    "(naturalearthdata.com), as generalised in QGIS's world_map.gpkg (Debian qgis-common); "
    "extracted, named after graph_schema/gazetteer.yaml and rounded by tools/boundaries.py"
)


def _wkb(blob: bytes, at: int = 0) -> tuple[list[list[list[tuple[float, float]]]], int]:
    """Polygons (rings of (lon, lat)) of a WKB Polygon or MultiPolygon at ``at``."""
    order = "<" if blob[at] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", blob, at + 1)
    kind %= 1000  # ISO Z/M codes
    at += 5
    if kind == 3:
        (nrings,) = struct.unpack_from(order + "I", blob, at)
        at += 4
        rings = []
        for _ in range(nrings):
            (n,) = struct.unpack_from(order + "I", blob, at)
            at += 4
            pts = struct.unpack_from(order + f"{2 * n}d", blob, at)
            at += 16 * n
            rings.append(list(zip(pts[0::2], pts[1::2], strict=True)))
        return [rings], at
    if kind == 6:
        (n,) = struct.unpack_from(order + "I", blob, at)
        at += 4
        polys = []
        for _ in range(n):
            part, at = _wkb(blob, at)
            polys.extend(part)
        return polys, at
    raise ValueError(f"unexpected WKB geometry type {kind}")


def _geometry(blob: bytes) -> list[list[list[tuple[float, float]]]]:
    """Polygons of a GeoPackage geometry blob (header ``GP``, envelope, then WKB)."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    envelope = (blob[3] >> 1) & 0b111
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[envelope]
    return _wkb(blob, 8 + size)[0]


def _round(ring: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, 3), round(lat, 3)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def _polygon_geometry(polys: list) -> dict:
    coords = [[_round(r) for r in poly] for poly in polys]
    coords = [[r for r in poly if len(r) >= 4] for poly in coords]
    coords = [poly for poly in coords if poly]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def _inside(p: tuple[float, float]) -> bool:
    w, s, e, n = BBOX
    return w <= p[0] <= e and s <= p[1] <= n


def _clip_lines(polys: list) -> list[list[list[float]]]:
    """The parts of the polygons' rings inside :data:`BBOX` (one point beyond at each end)."""
    lines = []
    for poly in polys:
        for ring in poly:
            run: list[tuple[float, float]] = []
            for i, p in enumerate(ring):
                if _inside(p):
                    if not run and i > 0:
                        run.append(ring[i - 1])
                    run.append(p)
                elif run:
                    run.append(p)
                    lines.append(run)
                    run = []
            if run:
                lines.append(run)
    return [r for r in (_round(line) for line in lines) if len(r) >= 2]


def build(gpkg: Path) -> dict:
    db = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    features = []
    found: dict[tuple[str, str], str] = {}
    rows = db.execute(
        "SELECT name, gn_name, woe_name, iso_a2, geom FROM states_provinces "
        "WHERE iso_a2 IN ('VN', 'LA') ORDER BY iso_a2 DESC, name"
    ).fetchall()
    for name, gn_name, woe_name, country, geom in rows:
        target = RENAMED.get((country, name))
        province = None
        for text in (target, name, gn_name, woe_name):
            if text:
                province = find_province(text, country)
                if province is not None:
                    break
        if province is None:
            raise SystemExit(f"{country} {name!r} ({gn_name}) is not a province of the gazetteer")
        key = (country, province.name)
        if key in found:
            raise SystemExit(f"{name!r} and {found[key]!r} both read as {province.name}")
        found[key] = name
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "province",
                    "country": country,
                    "name": province.name,
                    "merged_into": province.merged_into,
                    "source_name": name,
                },
                "geometry": _polygon_geometry(_geometry(geom)),
            }
        )
    expected = {
        (p.country, p.name)
        for provinces in gazetteer().values()
        for p in provinces
        if p.country in ("VN", "LA")
    }
    missing = expected - set(found) - {("LA", "Xaisomboun")}
    if missing:
        raise SystemExit(f"no polygon for {sorted(missing)}")
    for iso, name, geom in db.execute(
        "SELECT iso_a2, NAME, geom FROM countries WHERE iso_a2 IN ('VN', 'LA', 'TH', 'KH', "
        "'CN', 'MM') ORDER BY iso_a2 DESC"
    ):
        polys = _geometry(geom)
        if iso in ("VN", "LA"):
            geometry = _polygon_geometry(polys)
            kind = "country"
        else:
            geometry = {"type": "MultiLineString", "coordinates": _clip_lines(polys)}
            kind = "neighbour"
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": kind, "country": iso, "name": name},
                "geometry": geometry,
            }
        )
    return {
        "type": "FeatureCollection",
        "source": SOURCE,
        "licence": "public domain (Natural Earth terms of use)",
        "bbox": list(BBOX),
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gpkg", type=Path, help="QGIS's world_map.gpkg")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    collection = build(args.gpkg)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for f in collection["features"]:
        kinds[f["properties"]["kind"]] = kinds.get(f["properties"]["kind"], 0) + 1
    print(f"wrote {args.out} ({len(text) / 1024:.0f} KiB): {kinds}")


if __name__ == "__main__":
    main()
