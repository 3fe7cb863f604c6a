"""Export for neo4j-admin and back, GraphML and GEXF: counts and values survive the trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import netintel
from netintel.errors import InputError, OutputError, SchemaError
from netintel.exchange import export_neo4j_admin, import_neo4j_admin, stored_graph, write_graph
from netintel.store import cypher

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("small") / "small.db"
    with netintel.open(db) as ws:
        ws.ingest(
            arrests=SMALL / "arrests.csv",
            seizures=SMALL / "seizures.csv",
            communications=SMALL / "communications.csv",
            links=SMALL / "links.csv",
        )
    return db


@pytest.fixture(scope="module")
def exported(small_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    with netintel.open(small_db, read_only=True) as ws:
        result = export_neo4j_admin(ws.store, folder)
        counts = ws.query.stats()
    return result, counts


def test_headers_follow_the_neo4j_admin_format(exported):
    result, _ = exported
    with result.node_files["Person"].open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[0] == "id:ID(Person)" and header[-1] == ":LABEL"
    assert {"sources:string[]", "first_seen:date", "aliases:string[]", "name:string"} <= set(header)
    path = result.relationship_files[("CALLED", "Phone", "Phone")]
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:2] == [":START_ID(Phone)", ":END_ID(Phone)"] and header[-1] == ":TYPE"
    assert {"id:string", "count:long", "duration_s:double"} <= set(header)
    readme = (result.folder / "README.md").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in readme and "--array-delimiter=;" in readme
    assert f"--nodes={result.node_files['Person'].resolve()}" in result.command
    assert "CREATE CONSTRAINT netintel_Person_id" in (result.folder / "schema.cypher").read_text()
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["counts"]["Person"] == exported[1]["Person"]


def test_round_trip_into_a_fresh_store_gives_identical_counts_and_values(
    exported, small_db, tmp_path
):
    result, counts = exported
    assert {k: v for k, v in result.counts.items()} == counts
    with netintel.open(tmp_path / "copy.db") as ws:
        summary = import_neo4j_admin(result.folder, ws.store)
        assert ws.query.stats() == counts
        again = import_neo4j_admin(result.folder, ws.store)  # idempotent
        assert ws.query.stats() == counts and sum(again.created.values()) == 0
        assert summary.created["Person"] == counts["Person"]
        copy = {
            label: ws.store.query(cypher.node_rows(ws.store.schema, label))
            for label in ("Person", "Seizure")
        }
        calls = ws.store.query(cypher.edge_rows(ws.store.schema, "CALLED", "Phone", "Phone"))
    with netintel.open(small_db, read_only=True) as ws:
        for label, frame in copy.items():
            original = ws.store.query(cypher.node_rows(ws.store.schema, label))
            for col in ("id", "name", "sources", "first_seen", "quantity_kg", "roles"):
                if col in original:
                    pairs = zip(original[col].tolist(), frame[col].tolist(), strict=True)
                    same = [_same(a, b) for a, b in pairs]
                    assert all(same), (label, col)
        orig_calls = ws.store.query(cypher.edge_rows(ws.store.schema, "CALLED", "Phone", "Phone"))
    pd.testing.assert_frame_equal(
        orig_calls[["start_id", "end_id", "id", "count"]],
        calls[["start_id", "end_id", "id", "count"]],
    )


def _same(a: object, b: object) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) == list(b or [])
    return bool((pd.isna(a) and pd.isna(b)) or a == b)


def test_a_list_element_holding_the_delimiter_is_refused(small_db, tmp_path):
    with netintel.open(small_db, read_only=True) as ws:
        with pytest.raises(InputError, match="contains the array delimiter 'R'"):
            # arrest record ids (ARR-...) contain an 'R'
            export_neo4j_admin(ws.store, tmp_path / "x", array_delimiter="R")
        with pytest.raises(InputError, match="one character"):
            export_neo4j_admin(ws.store, tmp_path / "x", array_delimiter=";;")


def test_import_refuses_undeclared_labels_and_bad_headers(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes_Suspect.csv").write_text("id:ID(Suspect),:LABEL\ns1,Suspect\n")
    with netintel.open(tmp_path / "g.db") as ws:
        with pytest.raises(SchemaError, match="unknown node label 'Suspect'"):
            import_neo4j_admin(bad, ws.store)
        (bad / "nodes_Suspect.csv").write_text("id:ID(Phone),owner:text,:LABEL\n+84,x,Phone\n")
        with pytest.raises(InputError, match="has type 'text'"):
            import_neo4j_admin(bad, ws.store)
        with pytest.raises(InputError, match="no nodes_"):
            import_neo4j_admin(tmp_path, ws.store)
        with pytest.raises(InputError, match="array delimiter ''"):
            import_neo4j_admin(bad, ws.store, array_delimiter="")


def test_graphml_and_gexf_hold_the_person_graph(small_db, tmp_path):
    with netintel.open(small_db, read_only=True) as ws:
        G = ws.graph()
        stored = stored_graph(ws.store)
        counts = ws.query.stats()
    for fmt in ("graphml", "gexf"):
        path = write_graph(G, tmp_path / f"people.{fmt}")
        H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert H.number_of_nodes() == G.number_of_nodes()
        assert H.number_of_edges() == G.number_of_edges()
        u, v = next(iter(G.edges()))
        assert H.edges[u, v]["sources"] == ";".join(G.edges[u, v]["sources"])
        assert set(H.edges[u, v]["kinds"].split(";")) == set(G.edges[u, v]["kinds"])
        assert "type" not in H.edges[u, v]  # GEXF's edge type is directed/undirected
    assert stored.number_of_nodes() == sum(counts[label] for label in ws.store.schema.nodes)
    assert stored.number_of_edges() == sum(counts[t] for t in ws.store.schema.relationships)
    path = write_graph(stored, tmp_path / "stored.graphml")
    assert nx.read_graphml(path).number_of_edges() == stored.number_of_edges()
    with pytest.raises(InputError, match="graphml or gexf"):
        write_graph(G, tmp_path / "people.dot")


def test_import_names_the_file_and_value_it_cannot_read(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "nodes_Phone.csv").write_text("id:ID(Phone),first_seen:date,:LABEL\n+84,soon,Phone\n")
    with netintel.open(tmp_path / "g.db") as ws:
        with pytest.raises(
            InputError, match=r"nodes_Phone.csv: column 'first_seen:date' holds 'soon'"
        ):
            import_neo4j_admin(folder, ws.store)
        (folder / "manifest.json").write_text("{not json")
        with pytest.raises(InputError, match=r"cannot read .*manifest.json"):
            import_neo4j_admin(folder, ws.store)
        (folder / "manifest.json").unlink()
        (folder / "nodes_Phone.csv").write_text('id:ID(Phone),:LABEL\n"+84,Phone\n')
        with pytest.raises(InputError, match=r"cannot read .*nodes_Phone.csv"):
            import_neo4j_admin(folder, ws.store)


def test_an_output_that_cannot_be_written_is_named(small_db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with netintel.open(small_db, read_only=True) as ws:
        with pytest.raises(OutputError, match=r"cannot write the neo4j-admin export to .*a-file"):
            export_neo4j_admin(ws.store, blocker)
        with pytest.raises(OutputError, match=r"cannot write .*a-file/g.graphml"):
            write_graph(ws.graph(), blocker / "g.graphml")
