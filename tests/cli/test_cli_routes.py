"""``netintel routes`` and ``netintel chokepoints`` driven as a user would, in a temp dir."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import netintel
from netintel.ingest.matrix import network_folders

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real"


def test_routes_prints_corridors_chokepoints_and_people(db, cli):
    out = cli("routes", "--db", db, "--top", "5")
    assert out.exit_code == 0, out.output
    assert "corridors (province)" in out.output
    assert "Chokepoints" in out.output
    assert "People on corridor 1" in out.output


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json"])
def test_routes_from_laos_to_son_la_writes_the_table(db, tmp_path, suffix, cli):
    target = tmp_path / f"corridors{suffix}"
    out = cli("routes", "--db", db, "--from", "LA", "--to", "son la", "--out", target)
    assert out.exit_code == 0, out.output
    table = {
        ".csv": pd.read_csv,
        ".parquet": pd.read_parquet,
        ".json": lambda p: pd.read_json(p, orient="records"),
    }[suffix](target)
    assert len(table) > 0 and list(table["rank"]) == sorted(table["rank"])
    assert {"corridor", "seizures", "kg", "periods", "trend", "evidence"} <= set(table.columns)
    # every corridor reaches Sơn La (its gate's province, seizure place or destination)
    assert table["corridor"].str.contains("Sơn La").all()
    assert table.loc[0, "corridor"] == "Luang Namtha → Tây Trang → Sơn La → Hà Nội"
    again = tmp_path / f"again{suffix}"
    same = cli("routes", "--db", db, "--from", "Laos", "--to", "tỉnh Sơn La", "--out", again)
    assert same.exit_code == 0 and again.read_bytes() == target.read_bytes()
    none = cli("routes", "--db", db, "--from", "TH")
    assert none.exit_code == 0 and "no corridor matches from TH" in none.output


def test_routes_geojson_file(db, tmp_path, cli):
    target = tmp_path / "routes.geojson"
    out = cli("routes", "--db", db, "--level", "province", "--geojson", target, "--people", "0")
    assert out.exit_code == 0, out.output
    gj = json.loads(target.read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection"
    lines = [f for f in gj["features"] if f["properties"]["feature"] == "corridor"]
    points = [f for f in gj["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]
    assert lines and points
    for f in lines:
        assert (f["geometry"] is None and f["properties"]["note"]) or (
            f["geometry"]["type"] == "LineString" and len(f["geometry"]["coordinates"]) >= 2
        )
    for f in points:
        lon, lat = f["geometry"]["coordinates"]
        assert 95 < lon < 115 and 5 < lat < 30


def test_routes_levels_and_merged(db, cli):
    for args in (["--level", "country"], ["--level", "district"], ["--merged"]):
        out = cli("routes", "--db", db, "--people", "0", *args)
        assert out.exit_code == 0, out.output


def test_chokepoints_command(db, tmp_path, cli):
    target = tmp_path / "chokepoints.csv"
    out = cli("chokepoints", "--db", db, "--out", target)
    assert out.exit_code == 0, out.output
    table = pd.read_csv(target)
    assert set(table["kind"]) == {"gate", "province"}
    gates = table[table["kind"] == "gate"]
    assert gates["share"].is_monotonic_decreasing and gates["share"].between(0, 1).all()


def test_bad_options_fail_clearly(db, cli):
    out = cli("routes", "--db", db, "--level", "region")
    assert out.exit_code == 2 and "--level" in out.output
    out = cli("routes", "--db", db, "--from", "Atlantis del Norte")
    assert out.exit_code == 1 and "neither a country nor a province" in out.output
    out = cli("routes", "--db", db, "--since", "yesterday")
    assert out.exit_code == 1 and "since" in out.output


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
def test_real_network_has_no_routes_and_says_so(tmp_path, cli):
    matrix = network_folders(REAL)[0].matrix
    db = tmp_path / "real.db"
    with netintel.open(db) as ws:
        ws.ingest(matrices=matrix)
    for command in ("routes", "chokepoints"):
        out = cli(command, "--db", db)
        assert out.exit_code == 1, out.output
        assert "no seizures with places" in out.output


def test_money_prints_and_writes_the_payments_by_country_pair(cli, tmp_path):
    """netintel money on a generated set: the planted sellers' USDT payments go from
    Vietnam to Laos, written with every payment record; a case without payments says so."""
    from netintel.synthetic import generate, write

    dataset = generate(700, seed=3)
    paths = write(dataset, tmp_path / "records")
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(
            arrests=paths["arrests"],
            accounts=paths["accounts"],
            interactions=paths["interactions"],
        )
    target = tmp_path / "money.csv"
    out = cli("money", "--db", tmp_path / "case.db", "--out", target)
    assert out.exit_code == 0, out.output
    assert "Money by country pair" in out.output
    table = pd.read_csv(target, dtype=str, keep_default_na=False)
    first = table.iloc[0]
    assert (first["from_country"], first["to_country"], first["cross_border"]) == (
        "VN",
        "LA",
        "True",
    )
    assert first["amounts"].startswith("USDT ") and first["methods"].startswith("crypto ")
    planted = {r for s in dataset.truth["online_sellers"] for r in s["payments"]}
    assert planted <= set(first["records"].split(";"))
    with netintel.open(tmp_path / "none.db", purpose="test suite") as ws:
        ws.ingest(arrests=paths["arrests"])
    empty = cli("money", "--db", tmp_path / "none.db")
    assert empty.exit_code == 0 and "no payments" in empty.output
