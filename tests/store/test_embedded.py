"""The embedded LadybugDB store: schema, idempotent bulk loads, read-only guarantees."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from netintel.batch import GraphBatch
from netintel.errors import ReadOnlyError, SchemaError, StoreError
from netintel.store.embedded import EmbeddedStore

HOSTILE = "x'}) DETACH DELETE n //"


def _batch(extra_source: str | None = None) -> GraphBatch:
    src = ["r1"] if extra_source is None else [extra_source]
    b = GraphBatch()
    b.add_nodes(
        "Person",
        pd.DataFrame(
            {
                "id": ["P-1", "P-2"],
                "name": [HOSTILE, "Nguyễn Văn Hùng"],
                "aliases": [["Tư"], None],
                "sources": [src, ["r2"]],
                "first_seen": [dt.date(2024, 3, 1), None],
                "last_seen": [dt.date(2024, 3, 1), None],
            }
        ),
    )
    b.add_nodes("Phone", pd.DataFrame({"id": ["+84912345678"], "region": ["VN"], "sources": [src]}))
    b.add_edges(
        "USES",
        "Person",
        "Phone",
        pd.DataFrame({"from": ["P-1"], "to": ["+84912345678"], "id": ["R-u1"], "sources": [src]}),
    )
    b.add_edges(
        "CALLED",
        "Person",
        "Person",
        pd.DataFrame(
            {"from": ["P-1"], "to": ["P-2"], "id": ["R-c1"], "count": [4], "sources": [["c1"]]}
        ),
    )
    return b


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "g.db") as s:
        yield s


def test_loading_twice_changes_no_count(store):
    store.write(_batch())
    first = store.counts()
    summary = store.write(_batch())
    assert store.counts() == first
    assert sum(summary.created.values()) == 0
    assert first["Person"] == 2 and first["USES"] == 1 and first["CALLED"] == 1


def test_new_records_extend_sources_and_seen_interval(store):
    store.write(_batch())
    b = GraphBatch()
    b.add_nodes(
        "Person",
        pd.DataFrame(
            {
                "id": ["P-1"],
                "aliases": [["Tư Lùn"]],
                "sources": [["r9"]],
                "first_seen": [dt.date(2023, 1, 5)],
                "last_seen": [dt.date(2023, 1, 5)],
            }
        ),
    )
    store.write(b)
    row = store.query("MATCH (p:Person {id: $id}) RETURN p.*", {"id": "P-1"}).iloc[0]
    assert list(row["p.sources"]) == ["r1", "r9"]
    assert sorted(row["p.aliases"]) == ["Tư", "Tư Lùn"]
    assert row["p.first_seen"].date() == dt.date(2023, 1, 5)
    assert row["p.last_seen"].date() == dt.date(2024, 3, 1)
    assert row["p.name"] == HOSTILE  # an existing value is never overwritten by a later load


def test_hostile_name_is_stored_verbatim_and_deletes_nothing(store):
    store.write(_batch())
    before = store.counts()
    found = store.query(
        "MATCH (p:Person) WHERE p.name = $n RETURN p.id AS id, p.name AS name", {"n": HOSTILE}
    )
    assert found.to_dict("records") == [{"id": "P-1", "name": HOSTILE}]
    assert store.counts() == before


def test_read_only_queries_refuse_writes(store):
    store.write(_batch())
    for q in [
        "MATCH (p:Person) DETACH DELETE p",
        "CREATE (:Phone {id: 'x'})",
        "MATCH (p:Person) SET p.name = 'y'",
        "MERGE (:Phone {id: 'x'})",
    ]:
        with pytest.raises(ReadOnlyError, match="--write"):
            store.query(q)
    # Even past the text check, the engine's read-only handle refuses.
    with pytest.raises(ReadOnlyError):
        store._run("MATCH (p:Person) SET p.name = 'y'", None, write=False)
    assert store.query("MATCH (p:Person) RETURN count(p) AS n").iloc[0, 0] == 2


def test_write_clause_inside_a_string_is_not_a_write(store):
    store.write(_batch())
    out = store.query("MATCH (p:Person) WHERE p.name <> 'DELETE me' RETURN count(p) AS n")
    assert out.iloc[0, 0] == 2


def test_write_true_allows_changes(store):
    store.write(_batch())
    store.query(
        "MATCH (p:Person {id: $id}) SET p.nationality = $c", {"id": "P-2", "c": "VN"}, write=True
    )
    got = store.query("MATCH (p:Person {id: 'P-2'}) RETURN p.nationality AS c").iloc[0, 0]
    assert got == "VN"


def test_undeclared_label_or_property_cannot_be_written(store):
    b = GraphBatch()
    b.add_nodes("Suspect", pd.DataFrame({"id": ["s"], "sources": [["r"]]}))
    with pytest.raises(SchemaError, match="unknown node label 'Suspect'"):
        store.write(b)
    b = GraphBatch()
    b.add_nodes("Phone", pd.DataFrame({"id": ["+84"], "owner": ["x"], "sources": [["r"]]}))
    with pytest.raises(SchemaError, match="owner"):
        store.write(b)
    b = GraphBatch()
    b.add_edges(
        "USES",
        "Phone",
        "Person",
        pd.DataFrame({"from": ["a"], "to": ["b"], "id": ["r"], "sources": [["r"]]}),
    )
    with pytest.raises(SchemaError, match=r"does not connect \(Phone\)->\(Person\)"):
        store.write(b)


def test_a_frame_without_its_key_or_ends_is_named(store):
    b = GraphBatch()
    b.add_nodes("Phone", pd.DataFrame({"region": ["VN"], "sources": [["r"]]}))
    with pytest.raises(SchemaError, match=r"Phone: the frame lacks 'id'"):
        store.write(b)
    b = GraphBatch()
    b.add_edges("USES", "Person", "Phone", pd.DataFrame({"from": ["a"], "id": ["r"]}))
    with pytest.raises(SchemaError, match=r"USES \(Person\)->\(Phone\): the frame lacks 'to'"):
        store.write(b)


def test_read_only_store_and_missing_database(tmp_path):
    with pytest.raises(StoreError, match="no netintel database"):
        EmbeddedStore(tmp_path / "absent.db", read_only=True)
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.write(_batch())
    with EmbeddedStore(tmp_path / "g.db", read_only=True) as ro:
        assert ro.counts()["Person"] == 2
        with pytest.raises(ReadOnlyError):
            ro.query("MATCH (p:Person) DELETE p", write=True)


def test_engine_errors_are_translated(store):
    with pytest.raises(StoreError, match="LadybugDB"):
        store.query("MATCH (p:Nope) RETURN p")


def test_many_batches_give_the_same_graph_as_one(tmp_path):
    rows = pd.DataFrame(
        {"id": [f"+8491{i:07d}" for i in range(500)], "sources": [[f"r{i}"] for i in range(500)]}
    )
    one, many = GraphBatch(), []
    one.add_nodes("Phone", rows)
    for chunk in range(0, 500, 100):
        b = GraphBatch()
        b.add_nodes("Phone", rows.iloc[max(0, chunk - 50) : chunk + 100])  # overlapping chunks
        many.append(b)
    with EmbeddedStore(tmp_path / "a.db") as a, EmbeddedStore(tmp_path / "b.db") as b:
        a.write(one)
        for batch in many:
            b.write(batch)
        q = "MATCH (f:Phone) RETURN f.id AS id, f.sources AS s ORDER BY f.id"
        pd.testing.assert_frame_equal(a.query(q), b.query(q))


def test_a_property_declared_later_is_added_to_an_existing_database(tmp_path):
    import copy

    import yaml

    from netintel.resources import schema_dir
    from netintel.schema import parse_schema

    doc = yaml.safe_load((schema_dir() / "schema.yaml").read_text(encoding="utf-8"))
    older = copy.deepcopy(doc)
    del older["nodes"]["Phone"]["properties"]["region"]
    with EmbeddedStore(tmp_path / "g.db", schema=parse_schema(older)) as s:
        s.write(_batch().__class__())  # creates the tables of the older schema
        s.counts()
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.write(_batch())
        assert s.query("MATCH (f:Phone) RETURN f.region AS r").iloc[0, 0] == "VN"
