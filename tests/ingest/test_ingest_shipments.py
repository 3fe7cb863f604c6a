"""Shipments (express delivery and post): read through the courier mapping, validated and
quarantined like every kind, built into Shipment nodes and projected into parcel ties."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import netintel
from netintel.ingest import KINDS, ingest_files
from netintel.project import ProjectionSettings, build_person_graph, read_tables

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "fixtures" / "exports" / "van_don.csv"
MAPPING = ROOT / "graph_schema" / "mappings" / "vn_express_shipments.yaml"
HEADER = ",".join(KINDS["shipments"].columns)


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "shipments.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _row(**values: str) -> str:
    return ",".join(values.get(c, "") for c in KINDS["shipments"].columns)


def test_the_courier_export_loads_through_its_mapping_and_reconciles():
    result = ingest_files(shipments=EXPORT, mapping=MAPPING)
    rec = result.reconciliation.iloc[0]
    assert (rec["read"], rec["loaded"], rec["quarantined"]) == (7, 3, 4)
    assert rec["unknown_columns"] == ""  # STT and Cuoc_phi are ignored on purpose
    clean = result.clean["shipments"].set_index("waybill")
    first = clean.loc["VTP840001"]
    assert first["courier"] == "Viettel Post" and first["date"] == "2024-03-02"
    assert first["sender_phone"] == "+84912345678" and first["origin_province"] == "Nghệ An"
    assert clean.loc["GHN55501", "courier"] == "GHN"  # "Giao hàng nhanh"
    assert pd.isna(clean.loc["VTP840002", "sender_name"])  # a parcel sent under no name


def test_bad_shipment_rows_are_quarantined_with_field_and_reason():
    q = ingest_files(shipments=EXPORT, mapping=MAPPING).quarantine
    reasons = {(r.row, r.field): r.reason for r in q.itertuples()}
    assert reasons[(5, "waybill")] == "waybill: required value is missing"
    assert "is not a valid date" in reasons[(6, "date")]
    assert reasons[(6, "recipient_phone")] == "recipient_phone: same as sender_phone"
    assert "'nặng' is not a number" in reasons[(7, "weight_kg")]
    assert "also used by row 2 with different content" in reasons[(8, "waybill")]
    assert set(q["kind"]) == {"shipments"} and set(q["record_id"].dropna()) >= {"GHN55504"}


def test_a_bad_optional_value_is_flagged_and_the_parcel_loads(tmp_path):
    path = _csv(
        tmp_path,
        _row(waybill="W1", sender_name="A", sender_phone="12", recipient_name="B", grading="9ZZ"),
    )
    result = ingest_files(shipments=path)
    assert result.reconciliation.iloc[0]["loaded"] == 1
    assert set(result.flags["field"]) == {"sender_phone", "grading"}


def test_each_side_reads_phones_in_its_own_country(tmp_path):
    path = _csv(
        tmp_path,
        _row(
            waybill="W1",
            sender_phone="020 5551 2345",
            origin_country="Laos",
            recipient_phone="0912345678",
            destination_country="VN",
        ),
    )
    clean = ingest_files(shipments=path).clean["shipments"].iloc[0]
    assert (clean["sender_phone"], clean["recipient_phone"]) == ("+8562055512345", "+84912345678")


def test_the_graph_has_the_shipment_its_parties_places_seizure_and_case():
    batch = ingest_files(shipments=EXPORT, mapping=MAPPING).batch
    ship = batch.nodes["Shipment"].set_index("id")
    assert ship.loc["VTP840001", "sources"] == ["VTP840001"]
    assert ship.loc["VTP840001", "weight_kg"] == 2.5
    edges = {(e.type, e.from_label, e.to_label): e.frame for e in batch.edges}
    sent = {k[1]: e for k, e in edges.items() if k[0] == "SENT"}
    assert set(sent) == {"Person", "Phone", "Address"}
    # the unnamed sender of VTP840002 is its phone (and no person)
    assert "VTP840002" in set(sent["Phone"]["to"]) and "VTP840002" not in set(sent["Person"]["to"])
    linked = edges[("LINKED_TO", "Shipment", "Seizure")]
    assert linked[["from", "to"]].values.tolist() == [["VTP840001", "SZ-000901"]]
    assert set(edges[("PART_OF", "Shipment", "CaseFile")]["from"]) == {
        "VTP840001",
        "VTP840002",
    }


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    db = tmp_path_factory.mktemp("ship") / "case.db"
    with netintel.open(db, purpose="test suite") as ws:
        ws.ingest(shipments=EXPORT, mapping=MAPPING)
        yield read_tables(ws.store)


def _ties(G) -> dict[frozenset, dict]:
    return {
        frozenset((G.nodes[u]["name"], G.nodes[v]["name"])): d for u, v, d in G.edges(data=True)
    }


def test_parcels_tie_senders_recipients_and_the_phones_they_share(tables):
    ties = _ties(build_person_graph(tables))
    pao_mai = ties[frozenset(("Lò Văn Páo", "Trần Thị Mai"))]
    assert pao_mai["kinds"] == {"parcel": 1} and pao_mai["channels"] == {"express": 1}
    assert pao_mai["sources"] == ["VTP840001"]
    assert ties[frozenset(("Vàng Thị Dung", "Trần Thị Mai"))]["sources"] == ["GHN55501"]
    # VTP840002 names no sender: its phone stands for those who gave it on other waybills
    nam = ties[frozenset(("Lò Văn Páo", "Đỗ Văn Nam"))]
    assert nam["kinds"] == {"parcel": 1} and "VTP840002" in nam["sources"]
    # two names on two waybills beside the same phone and address
    shared = ties[frozenset(("Lò Văn Páo", "Vàng Thị Dung"))]
    assert shared["kinds"] == {"parcel_phone": 1, "parcel_address": 1}
    assert shared["sources"] == ["GHN55501", "VTP840001"]


def test_each_parcel_tie_kind_has_its_own_weight(tables):
    base = _ties(build_person_graph(tables))
    weights = {**ProjectionSettings().kind_weights, "parcel_phone": 2.0, "parcel": 0.0}
    changed = _ties(build_person_graph(tables, ProjectionSettings(kind_weights=weights)))
    pair = frozenset(("Lò Văn Páo", "Vàng Thị Dung"))
    assert base[pair]["weight"] == pytest.approx(0.6 + 0.3)
    assert changed[pair]["weight"] == pytest.approx(2.0 + 0.3)
    assert frozenset(("Lò Văn Páo", "Trần Thị Mai")) not in changed  # parcel weighs nothing


def test_shipment_records_are_versioned_like_every_kind(tmp_path):
    first = _csv(tmp_path, _row(waybill="W1", sender_name="A", recipient_name="B", weight_kg="1"))
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(shipments=first)
        first.write_text(
            HEADER + "\n" + _row(waybill="W1", sender_name="A", recipient_name="C") + "\n",
            encoding="utf-8",
        )
        ws.ingest(shipments=first)
        versions = ws.records.versions("W1")
        assert versions["version"].tolist() == [1, 2]
        assert versions["kind"].unique().tolist() == ["shipments"]
        people = set(ws.cypher("MATCH (p:Person)-[:RECEIVED]->(:Shipment) RETURN p.name AS n")["n"])
        assert people == {"C"}  # what the old version alone said left the graph


def test_the_ingest_command_loads_shipments_with_their_mapping(cli, tmp_path):
    db, bad = tmp_path / "case.db", tmp_path / "bad.csv"
    result = cli(
        "ingest", "--db", db, "--shipments", EXPORT, "--mapping", MAPPING, "--quarantine", bad
    )
    assert result.exit_code == 0, result.output
    assert "shipments" in result.output and "4 row(s) quarantined" in result.output
    assert set(pd.read_csv(bad)["field"]) == {"waybill", "date", "recipient_phone", "weight_kg"}
    result = cli("stats", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["Shipment"] == 3
