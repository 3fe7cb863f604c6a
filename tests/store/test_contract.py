"""One contract for every GraphStore backend: the embedded store always, Neo4j when given.

The Neo4j half runs against a throwaway server named by ``NETINTEL_TEST_NEO4J_URI`` (every
test empties that database first). Start one with::

    docker run --rm -p7687:7687 -e NEO4J_AUTH=neo4j/secret neo4j:5
    NETINTEL_TEST_NEO4J_URI=bolt://localhost:7687 NETINTEL_TEST_NEO4J_PASSWORD=secret \\
        .venv/bin/pytest tests/store/test_contract.py
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from netintel.batch import GraphBatch
from netintel.errors import ReadOnlyError
from netintel.project import read_tables
from netintel.store import cypher
from netintel.store.base import GraphStore
from netintel.store.neo4j import Neo4jSettings, Neo4jStore

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
HOSTILE = "x'}) DETACH DELETE n //"
BACKENDS = ["embedded", "neo4j"]


def neo4j_settings(env: dict[str, str], **kwargs) -> Neo4jSettings:
    """Settings for the test server (small batches: several per label on fixtures/small)."""
    return replace(Neo4jSettings.from_env(env=env), batch_size=50, **kwargs)


def _neo4j_store(env: dict[str, str], read_only: bool = False) -> GraphStore:
    return Neo4jStore(settings=neo4j_settings(env), read_only=read_only)


@pytest.fixture
def open_store(request, tmp_path):
    """``open_store(read_only=False)`` -> an empty store of the backend under test."""
    backend = request.param
    opened: list[GraphStore] = []

    def make(read_only: bool = False) -> GraphStore:
        if backend == "embedded":
            from netintel.store.embedded import EmbeddedStore

            store = EmbeddedStore(tmp_path / "g.db", read_only=read_only)
        else:
            env = request.getfixturevalue("neo4j_server")
            if not opened:  # a fresh database for each test
                with _neo4j_store(env) as wipe:
                    wipe.query("MATCH (n) DETACH DELETE n", write=True)
            store = _neo4j_store(env, read_only)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def pytest_generate_tests(metafunc):
    if "open_store" in metafunc.fixturenames:
        metafunc.parametrize("open_store", BACKENDS, indirect=True)


@pytest.fixture(scope="module")
def small_batch() -> GraphBatch:
    """fixtures/small (300 records) parsed and normalised, ready to write."""
    from netintel.ingest import ingest_files

    result = ingest_files(
        arrests=SMALL / "arrests.csv",
        seizures=SMALL / "seizures.csv",
        communications=SMALL / "communications.csv",
        links=SMALL / "links.csv",
    )
    return result.batch.consolidated()


def _person(src: str, *, name: str | None = None, day: dt.date | None = None, **extra):
    b = GraphBatch()
    row = {"id": ["P-1"], "sources": [[src]], "first_seen": [day], "last_seen": [day]}
    if name is not None:
        row["name"] = [name]
    row.update({k: [v] for k, v in extra.items()})
    b.add_nodes("Person", pd.DataFrame(row))
    return b


# -- schema and writes --------------------------------------------------------------------
def test_schema_creation_is_idempotent(open_store):
    store = open_store()
    first = store.counts()
    store._schema_ready = False  # run the DDL again on the same database
    assert store.counts() == first
    assert all(n == 0 for n in first.values())
    assert set(first) == {*store.schema.nodes, *store.schema.relationships}


def test_loading_twice_gives_the_same_counts(open_store, small_batch):
    store = open_store()
    first = store.write(small_batch)
    counts = store.counts()
    again = store.write(small_batch)
    assert store.counts() == counts
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    expected = small_batch.counts()
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in expected.items() if v}
    assert first.created["Person"] == counts["Person"] > 50


def test_sources_union_seen_interval_and_filled_properties(open_store):
    store = open_store()
    store.write(_person("r2", name=HOSTILE, day=dt.date(2024, 3, 1), aliases=["Tư"]))
    summary = store.write(
        _person(
            "r1",
            name="other name",
            day=dt.date(2023, 1, 5),
            aliases=["Tư Lùn", "Tư"],
            nationality="VN",
        )
    )
    assert summary.updated == {"Person": 1} and summary.created.get("Person", 0) == 0
    store.write(_person("r1", name="third"))  # nothing new: skipped
    row = store.query(
        "MATCH (p:Person {id: $id}) RETURN p.sources AS sources, p.aliases AS aliases, "
        "p.name AS name, p.nationality AS nationality, p.first_seen AS first_seen, "
        "p.last_seen AS last_seen",
        {"id": "P-1"},
    ).iloc[0]
    assert list(row["sources"]) == ["r1", "r2"]  # unioned, sorted, no duplicates
    assert list(row["aliases"]) == ["Tư", "Tư Lùn"]
    assert row["name"] == HOSTILE  # kept: a later record never overwrites a value
    assert row["nationality"] == "VN"  # filled: it was missing
    assert row["first_seen"] == pd.Timestamp("2023-01-05")
    assert row["last_seen"] == pd.Timestamp("2024-03-01")


def test_relationship_sources_union(open_store):
    store = open_store()
    for src in ("c1", "c2", "c1"):
        b = GraphBatch()
        b.add_nodes("Phone", pd.DataFrame({"id": ["+8491", "+85620"], "sources": [[src]] * 2}))
        b.add_edges(
            "CALLED",
            "Phone",
            "Phone",
            pd.DataFrame(
                {
                    "from": ["+8491"],
                    "to": ["+85620"],
                    "id": ["R-1"],
                    "count": [3],
                    "sources": [[src]],
                    "first_seen": [dt.date(2024, 1, int(src[1]))],
                }
            ),
        )
        store.write(b)
    out = store.query(
        "MATCH (:Phone)-[r:CALLED]->(:Phone) RETURN r.sources AS s, r.count AS n, r.first_seen AS d"
    )
    assert len(out) == 1
    assert list(out.loc[0, "s"]) == ["c1", "c2"] and out.loc[0, "n"] == 3
    assert out.loc[0, "d"] == pd.Timestamp("2024-01-01")


def test_read_only_refusal(open_store, small_batch):
    store = open_store()
    store.write(small_batch)
    before = store.counts()
    for q in ("MATCH (p:Person) DETACH DELETE p", "MERGE (:Phone {id: 'x'})"):
        with pytest.raises(ReadOnlyError):
            store.query(q)
    # Past the text check, the engine itself refuses a write in a read transaction.
    with pytest.raises(ReadOnlyError):
        store._run("MATCH (p:Person) SET p.name = 'y'", None, write=False)
    store.close()
    reader = open_store(read_only=True)
    with pytest.raises(ReadOnlyError):
        reader.write(small_batch)  # even a batch that would change nothing
    with pytest.raises(ReadOnlyError):
        reader.write(_person("r-new", name="new"))
    with pytest.raises(ReadOnlyError):
        reader.query("MATCH (p:Person) DELETE p", write=True)
    assert reader.counts() == before


# -- reads --------------------------------------------------------------------------------
@pytest.fixture
def loaded(open_store, small_batch):
    store = open_store()
    store.write(small_batch)
    return store


def test_projection_tables_have_the_contracted_columns_and_types(loaded):
    tables = read_tables(loaded)
    persons = tables["persons"]
    core = ["person_id", "name", "name_key", "national_id", "dob", "nationality", "sources"]
    assert list(persons.columns[: len(core)]) == core
    assert 0 < len(persons) <= loaded.counts()["Person"]
    assert all(isinstance(s, list) and s for s in persons["sources"])
    arrests = tables["person_arrests"]
    assert list(arrests.columns) == ["person_id", "arrest_id", "role", "sources", "date"]
    assert str(arrests["date"].dtype).startswith("datetime64")
    calls = tables["calls_phone_phone"]
    assert list(calls.columns) == ["source", "target", "count", "sources", "date"]
    assert str(calls["date"].dtype).startswith("datetime64") and len(calls) > 20
    links = tables["person_links"]
    assert str(links["weight"].dtype) == "float64" and len(links) > 20


def test_cypher_with_parameters_and_a_hostile_value(loaded):
    people = loaded.query(
        "MATCH (p:Person)-[:USES]->(f:Phone) WHERE f.region = $r RETURN count(DISTINCT p) AS n",
        {"r": "LA"},
    )
    assert people.iloc[0, 0] > 0
    none = loaded.query("MATCH (p:Person) WHERE p.name = $n RETURN p.id AS id", {"n": HOSTILE})
    assert list(none.columns) == ["id"] and len(none) == 0
    assert loaded.counts()["Person"] > 50  # nothing deleted


def test_saved_queries_answer_on_real_data(loaded):
    from netintel.workspace import Workspace

    ws = Workspace(loaded)
    gates = ws.cypher("MATCH (g:BorderGate)<-[:CROSSED]-(:Seizure) RETURN DISTINCT g.name AS g")
    near = ws.query("people_near_gate_seizure", gate=sorted(gates["g"])[0])
    assert len(near) > 0 and near["evidence"].map(len).min() > 0
    shared = ws.query("phones_shared_by_arrestees")
    assert len(shared) > 0 and (shared["people"] >= 2).all()
    case = ws.cypher(
        "MATCH (c:CaseFile)<-[:PART_OF]-(:Arrest) RETURN c.id AS case_id ORDER BY case_id LIMIT 1"
    ).iloc[0, 0]
    linked = ws.query("people_linked_to_case", case_id=case)
    assert len(linked) > 0 and linked["evidence"].map(len).min() > 0
    calls = ws.query("calls_between_prefixes", since="2022-01-01", until="2024-12-31")
    assert len(calls) > 0
    sides = calls["caller"].str[:4] + calls["callee"].str[:4]
    assert sides.isin({"+856+84", "+84+856"} | {c for c in sides if "+856" in c}).all()
    assert calls["date"].between(pd.Timestamp("2022-01-01"), pd.Timestamp("2024-12-31")).all()
    a, b = near["person_id"].iloc[0], near["person_id"].iloc[-1]
    path = ws.query("shortest_evidence_path", person_a=a, person_b=b)
    assert len(path) >= 1
    first = path.iloc[0]
    assert first["node_ids"][0] == a and first["node_ids"][-1] == b
    assert first["hops"] == len(first["rel_types"]) == len(first["node_ids"]) - 1
    assert len(first["evidence"]) >= first["hops"]


def test_saved_query_tables_match_the_portable_reads(loaded):
    """The store's cypher() results keep dates as datetime64 and lists as lists."""
    frame = loaded.query(cypher.node_rows(loaded.schema, "Seizure"))
    assert str(frame["first_seen"].dtype).startswith("datetime64")
    assert all(isinstance(s, list) for s in frame["sources"])
    assert len(frame) == loaded.counts()["Seizure"]


def test_both_stores_return_the_same_projection_tables(tmp_path, small_batch, neo4j_server):
    from netintel.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "g.db") as emb, _neo4j_store(neo4j_server) as neo:
        neo.query("MATCH (n) DETACH DELETE n", write=True)
        emb.write(small_batch)
        neo.write(small_batch)
        a, b = read_tables(emb), read_tables(neo)
        for name in a:
            key = list(a[name].columns[:2])
            left = a[name].sort_values(key, ignore_index=True)
            right = b[name].sort_values(key, ignore_index=True)
            pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)
            for col in left.columns:
                if str(left[col].dtype).startswith("datetime64") and len(left):
                    assert str(right[col].dtype).startswith("datetime64"), (name, col)
