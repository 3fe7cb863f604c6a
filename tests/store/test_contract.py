"""One contract for every GraphStore backend: the embedded store and a live Neo4j server.

Every test here runs twice: on the embedded LadybugDB store in a temporary folder, and on the
Neo4j server of the session (the root conftest's ``neo4j_server``: a throwaway Neo4j 5.26 with
GDS that the suite starts from Maven Central, or the server named by
``NETINTEL_TEST_NEO4J_URI``). The Neo4j database is shared by the whole session, so every test
that writes empties it first.

Where a test says "the same on both stores", its steps return an outcome (counts, ids, ranks,
query rows as plain values); the Neo4j half compares its outcome with what the same steps
give on the embedded store.

    .venv/bin/pytest tests/store/test_contract.py              # both stores
    .venv/bin/pytest tests/store/test_contract.py -k embedded  # no Java needed
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import netintel
from netintel.batch import GraphBatch
from netintel.cli import app
from netintel.errors import ReadOnlyError
from netintel.project import read_tables
from netintel.schema import load_schema
from netintel.store import cypher
from netintel.store.base import GraphStore
from netintel.store.neo4j import is_neo4j_uri

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
FILES = {k: SMALL / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
HOSTILE = "x'}) DETACH DELETE n //"
#: Text an attacker or a careless export could put in any field: Cypher and CSV syntax,
#: quotes of every kind, escapes, parameters, line breaks, Vietnamese and Lao script.
HOSTILE_TEXTS = (
    HOSTILE,
    'Robert"}) MATCH (n) DETACH DELETE n; //',
    "back\\slash `tick` $rows {id: 1} /* c */",
    'two\nlines, a comma; and "quotes"',
    "Đoàn Văn Tâm ທ້າວ ສົມພອນ",
)
BACKENDS = ["embedded", "neo4j"]
SCHEMA = load_schema()
runner = CliRunner()


# -- the backend under test -------------------------------------------------------------------
def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return request.param


def _wipe(location: str) -> None:
    """Empty the shared Neo4j test database."""
    with netintel.open(location) as ws:
        ws.cypher("MATCH (n) DETACH DELETE n", write=True)


@pytest.fixture
def neo4j_location(request, monkeypatch) -> str:
    """The session's Neo4j server, emptied: its URI, with user, password (and database) in
    the environment as a user sets them, and small write batches (several per label)."""
    env = request.getfixturevalue("neo4j_server")
    monkeypatch.delenv("NETINTEL_NEO4J_URI", raising=False)
    for name, value in env.items():
        if name != "NETINTEL_NEO4J_URI":
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("NETINTEL_NEO4J_BATCH_SIZE", "50")
    _wipe(env["NETINTEL_NEO4J_URI"])
    return env["NETINTEL_NEO4J_URI"]


@pytest.fixture
def location(backend, request, tmp_path) -> str:
    """Where an empty graph of the backend under test lives: an embedded database path, or
    the Neo4j server's URI (see :func:`neo4j_location`)."""
    if backend == "embedded":
        return str(tmp_path / "case.db")
    return request.getfixturevalue("neo4j_location")


@pytest.fixture
def open_store(location):
    """``open_store(read_only=False)`` -> a store of the backend under test (empty at first)."""
    opened: list[GraphStore] = []

    def make(read_only: bool = False) -> GraphStore:
        ws = netintel.open(location, read_only=read_only)
        opened.append(ws.store)
        return ws.store

    yield make
    for store in opened:
        store.close()


class EmbeddedOutcomes:
    """What a scenario gives on the embedded store, computed once per module.

    A scenario is ``scenario(location, folder) -> outcome`` (plain values: ``==`` compares
    them). The embedded half of a test keeps its outcome here; the Neo4j half compares its
    own with it (running the scenario on a fresh embedded store if the embedded half did not
    run).
    """

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._found: dict[str, Any] = {}

    def check(
        self, backend: str, name: str, scenario: Callable[[str, Path], Any], outcome: Any
    ) -> None:
        if backend == "embedded":
            self._found[name] = outcome
            return
        if name not in self._found:
            folder = self._factory.mktemp(name)
            self._found[name] = scenario(str(folder / "case.db"), folder)
        assert outcome == self._found[name], f"{name}: Neo4j and the embedded store differ"


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> EmbeddedOutcomes:
    return EmbeddedOutcomes(tmp_path_factory)


# -- plain values, in one order ---------------------------------------------------------------
def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in an order that does not depend on the store: list cells as sorted tuples,
    rows sorted on every column (so tied rows are ordered too)."""
    out = frame.reset_index(drop=True)
    for col in out.columns:
        values = out[col].to_numpy(dtype=object)
        if any(_is_list(v) for v in values):
            out[col] = pd.Series(
                [tuple(sorted(map(str, v))) if _is_list(v) else v for v in values], dtype=object
            )
    if out.empty:
        return out
    return out.sort_values(list(out.columns), ignore_index=True, kind="mergesort")


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return value
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 9)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()  # a DATE read back as a timestamp
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return value


def plain_rows(frame: pd.DataFrame) -> list[tuple]:
    """The rows of :func:`canonical` as plain Python values (floats to 9 places, missing as
    None), to compare with ``==`` across stores."""
    return [tuple(_plain(v) for v in row) for row in canonical(frame).itertuples(index=False)]


def _person(src: str, *, name: str | None = None, day: dt.date | None = None, **extra):
    b = GraphBatch()
    row = {"id": ["P-1"], "sources": [[src]], "first_seen": [day], "last_seen": [day]}
    if name is not None:
        row["name"] = [name]
    row.update({k: [v] for k, v in extra.items()})
    b.add_nodes("Person", pd.DataFrame(row))
    return b


@pytest.fixture(scope="module")
def small_batch() -> GraphBatch:
    """fixtures/small (300 records) parsed and normalised, ready to write."""
    from netintel.ingest import ingest_files

    return ingest_files(**FILES).batch.consolidated()


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


def test_empty_text_and_empty_lists_are_missing_values(open_store):
    """A property is absent or holds something, in both stores (and in neo4j-admin files,
    which cannot hold an empty list): a list missing on both sides stays missing."""
    store = open_store()
    store.write(_person("r1", name="", aliases=[], roles=[""], gradings=["", "B2"]))
    store.write(_person("r2"))  # a later record about the same person
    row = store.query(
        "MATCH (p:Person) RETURN p.name IS NULL AS no_name, p.aliases IS NULL AS no_aliases, "
        "p.roles IS NULL AS no_roles, p.nationality IS NULL AS no_nationality, "
        "p.gradings AS gradings, p.sources AS sources"
    ).iloc[0]
    assert row[["no_name", "no_aliases", "no_roles", "no_nationality"]].all()
    assert list(row["gradings"]) == ["B2"] and list(row["sources"]) == ["r1", "r2"]


def test_a_node_named_by_many_records_folds_them_all(open_store):
    """A place or a drug is named by tens of thousands of records in a national load: the
    fold of its sources stays sorted, distinct and within the server's transaction memory
    (Neo4j 5.26 refused a 100k-record load when the fold sorted before taking distinct
    values)."""
    store = open_store()
    first = [f"R-{i:06d}" for i in range(20_000)]
    second = first[10_000:] + [f"S-{i:06d}" for i in range(20_000)]
    for sources in (first[::-1], second):
        b = GraphBatch()
        b.add_nodes("Drug", pd.DataFrame({"id": ["heroin"], "sources": [sources]}))
        store.write(b)
    out = store.query("MATCH (d:Drug {id: 'heroin'}) RETURN d.sources AS s")
    assert list(out.loc[0, "s"]) == sorted(set(first) | set(second))


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


# -- hostile values -----------------------------------------------------------------------
def _hostile_value(typ: str, i: int, texts: tuple[str, ...]) -> object:
    text = texts[i % len(texts)]
    return {
        "STRING": text,
        "STRING[]": [text, "r2", texts[(i + 1) % len(texts)]],
        "INT64": 7 + i,
        "DOUBLE": 1.5 + i,
        "BOOL": i % 2 == 0,
        "DATE": dt.date(2024, 1, 2 + i),
    }[typ]


def hostile_batch(rows: int = 3, texts: tuple[str, ...] = HOSTILE_TEXTS) -> GraphBatch:
    """Every declared property of every label and relationship type (every endpoint pair),
    filled with hostile ``texts``; keys are hostile too."""
    b = GraphBatch()
    for label, node in SCHEMA.nodes.items():
        frame = {
            p: [
                f"{HOSTILE}{i}" if p == node.key else _hostile_value(t, i, texts)
                for i in range(rows)
            ]
            for p, t in node.properties.items()
        }
        b.add_nodes(label, pd.DataFrame(frame))
    for rel_type, rel in SCHEMA.relationships.items():
        for a, c in rel.endpoints:
            frame: dict[str, list] = {
                "from": [f"{HOSTILE}{i}" for i in range(rows)],
                "to": [f"{HOSTILE}{(i + 1) % rows}" for i in range(rows)],
            }
            for p, t in rel.properties.items():
                frame[p] = [
                    f"{HOSTILE}{rel_type}{a}{c}{i}" if p == rel.key else _hostile_value(t, i, texts)
                    for i in range(rows)
                ]
            b.add_edges(rel_type, a, c, pd.DataFrame(frame))
    return b


def stored_rows(store: GraphStore) -> dict[str, list[tuple]]:
    """Every node and relationship with every declared property, read back."""
    out = {}
    for label in SCHEMA.nodes:
        out[label] = plain_rows(store.query(cypher.node_rows(SCHEMA, label)))
    for rel_type, rel in SCHEMA.relationships.items():
        for a, b in rel.endpoints:
            frame = store.query(cypher.edge_rows(SCHEMA, rel_type, a, b))
            out[f"{rel_type} ({a})->({b})"] = plain_rows(frame)
    return out


def _written_rows(batch: GraphBatch) -> dict[str, list[tuple]]:
    """What :func:`stored_rows` must give after writing ``batch`` to an empty store."""
    out = {}
    for label, node in SCHEMA.nodes.items():
        out[label] = plain_rows(batch.nodes[label].reindex(columns=list(node.properties)))
    for e in batch.edges:
        rel = SCHEMA.relationships[e.type]
        frame = e.frame.rename(columns={"from": "start_id", "to": "end_id"})
        cols = ["start_id", "end_id", *rel.properties]
        out[f"{e.type} ({e.from_label})->({e.to_label})"] = plain_rows(frame.reindex(columns=cols))
    return out


def test_hostile_values_are_stored_verbatim_in_every_property(open_store):
    store = open_store()
    batch = hostile_batch()
    summary = store.write(batch)
    assert summary.created == batch.counts()
    stored = stored_rows(store)
    assert stored == _written_rows(batch)
    assert sum(len(rows) for rows in stored.values()) == sum(batch.counts().values())
    again = store.write(batch)  # hostile keys fold like any other
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    found = store.query(
        "MATCH (p:Person) WHERE p.name = $n AND $s IN p.sources RETURN p.id AS id",
        {"n": HOSTILE_TEXTS[1], "s": HOSTILE_TEXTS[2]},
    )
    assert found["id"].tolist() == [f"{HOSTILE}1"]
    assert store.counts() == {**{k: 0 for k in store.counts()}, **batch.counts()}


# -- ingest, entity resolution, review -----------------------------------------------------
def _resolution_state(ws: netintel.Workspace) -> dict[str, Any]:
    """Counts, every Person's resolution, and every SAME_AS and NOT_SAME_AS with its evidence."""
    same = ws.cypher(
        "MATCH (a:Person)-[r:SAME_AS]->(b:Person) RETURN a.id AS a, b.id AS b, r.id AS id, "
        "r.rule AS rule, r.decided_by AS decided_by, r.probability AS probability, "
        "r.agreed AS agreed, r.sources AS sources"
    )
    apart = ws.cypher(
        "MATCH (a:Person)-[r:NOT_SAME_AS]->(b:Person) RETURN a.id AS a, b.id AS b, r.id AS id, "
        "r.decided_by AS decided_by, r.sources AS sources"
    )
    return {
        "counts": ws.query.stats(),
        "people": plain_rows(ws.store.query(cypher.RESOLVE_RESOLVED)),
        "same_as": plain_rows(same),
        "not_same_as": plain_rows(apart),
    }


def _extra_records(folder: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """A later arrest of the first arrested person (same ID, phone, case and seizure) and a
    later call between two known phones: new records about existing nodes."""
    arrests = pd.read_csv(FILES["arrests"], dtype=str, keep_default_na=False).head(1)
    arrests["record_id"] = "ARR-900001"
    arrests["arrest_date"] = "2024-11-20"
    calls = pd.read_csv(FILES["communications"], dtype=str, keep_default_na=False).head(1)
    calls["record_id"] = "COM-900001"
    calls["date"] = "2024-11-21"
    paths = {"arrests": folder / "arrests_extra.csv", "communications": folder / "calls_extra.csv"}
    arrests.to_csv(paths["arrests"], index=False)
    calls.to_csv(paths["communications"], index=False)
    known = {"national_id": arrests["national_id"].iloc[0], "case": arrests["case_id"].iloc[0]}
    return paths, known


def _node_sources(ws: netintel.Workspace, label: str, prop: str, value: str) -> list[str]:
    texts = {
        (
            "Person",
            "national_id",
        ): "MATCH (n:Person) WHERE n.national_id = $v RETURN n.sources AS s",
        ("CaseFile", "id"): "MATCH (n:CaseFile) WHERE n.id = $v OR n.case_id = $v "
        "RETURN n.sources AS s",
    }
    found = ws.cypher(texts[label, prop], v=value)
    assert len(found) == 1, (label, value)
    return list(found["s"].iloc[0])


def ingest_review_split(location: str, folder: Path) -> dict[str, Any]:
    """fixtures/small through the workspace with entity resolution; review decisions from
    the queue (one pair accepted, one rejected); the same files again; extra records about
    known people; a wrongly merged record split off. Returns the state after each step."""
    outcome: dict[str, Any] = {}
    with netintel.open(location) as ws:
        report = ws.ingest(**FILES)
        r = report.resolution
        state = _resolution_state(ws)
        counts = state["counts"]
        assert counts["SAME_AS"] == (r.links["decided_by"] != "reviewer").sum() > 0
        assert counts["NOT_SAME_AS"] == 0
        assert r.n_people == ws.records.people()["resolved_id"].nunique() < counts["Person"]
        review = r.review.sort_values(["left_id", "right_id"], ignore_index=True)
        outcome["ingest"] = state | {
            "review": plain_rows(review[["left_id", "right_id", "match_probability", "reason"]])
        }

        # A reviewer decides the ambiguous pairs of the queue: one is the same person, the
        # other is not. The file goes back as it came, with `decision` filled in.
        ambiguous = review.index[review["reason"].str.startswith("ambiguous")]
        assert len(ambiguous) >= 2, review[["left_id", "right_id", "reason"]]
        review["decision"] = ""
        review.loc[ambiguous[0], "decision"] = "reject"
        review.loc[ambiguous[1], "decision"] = "accept"
        review.to_csv(folder / "queue.csv", index=False)
        assert ws.records.review_apply(folder / "queue.csv") == {"accepted": 1, "rejected": 1}
        state = _resolution_state(ws)
        resolved = ws.records.people().set_index("person_id")["resolved_id"]
        no, yes = review.loc[ambiguous[0]], review.loc[ambiguous[1]]
        assert resolved[no["left_id"]] != resolved[no["right_id"]]
        assert resolved[yes["left_id"]] == resolved[yes["right_id"]]
        assert state["counts"]["NOT_SAME_AS"] == 1
        assert [row[:2] for row in state["not_same_as"]] == [(no["left_id"], no["right_id"])]
        assert (yes["left_id"], yes["right_id"], "reviewer") in {
            (a, b, by) for a, b, _, _, by, *_ in state["same_as"]
        }
        outcome["review"] = state

        # The same files again change nothing, and the decisions hold.
        again = ws.ingest(**FILES)
        assert sum(again.written.created.values()) == sum(again.written.updated.values()) == 0
        assert _resolution_state(ws) == state

        # New records about known people, phones and cases extend their sources.
        extra, known = _extra_records(folder)
        person = _node_sources(ws, "Person", "national_id", known["national_id"])
        case = _node_sources(ws, "CaseFile", "id", known["case"])
        report = ws.ingest(**extra)
        assert report.reconciliation["quarantined"].sum() == 0
        assert _node_sources(ws, "Person", "national_id", known["national_id"]) == sorted(
            [*person, "ARR-900001"]
        )
        assert _node_sources(ws, "CaseFile", "id", known["case"]) == sorted([*case, "ARR-900001"])
        assert report.written.updated["Person"] >= 1 and report.written.updated["Phone"] >= 1
        state = _resolution_state(ws)
        for label in ("Person", "Phone", "CaseFile", "Seizure"):
            assert state["counts"][label] == outcome["review"]["counts"][label], label
        assert state["not_same_as"] == outcome["review"]["not_same_as"]
        calls = ws.cypher(
            "MATCH (:Phone)-[r:CALLED]->(:Phone) WHERE $rec IN r.sources RETURN r.sources AS s",
            rec="COM-900001",
        )
        assert len(calls) == 1
        outcome["extended"] = state

        # Split a wrongly merged record-level Person off the largest resolved person.
        people = ws.records.people()
        sizes = people.groupby("resolved_id").size()
        group = sorted(people.loc[people["resolved_id"] == sizes.idxmax(), "person_id"])
        assert len(group) >= 3
        wrong = group[-1]
        decisions = ws.records.review_split(wrong)
        assert set(decisions["right_id"]) >= set(group) - {wrong}
        resolved = ws.records.people().set_index("person_id")["resolved_id"]
        assert resolved[wrong] == wrong and (resolved == wrong).sum() == 1
        state = _resolution_state(ws)
        assert state["counts"]["NOT_SAME_AS"] >= 1 + len(group) - 1
        outcome["split"] = state
    return outcome


def test_ingest_with_resolution_review_reingest_extension_and_split(
    backend, location, tmp_path, embedded
):
    outcome = ingest_review_split(location, tmp_path)
    embedded.check(backend, "ingest_review_split", ingest_review_split, outcome)


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


def saved_queries(location: str, folder: Path, *, batch: GraphBatch) -> dict[str, Any]:
    """Every saved query of graph_schema/queries on fixtures/small, with parameters the data
    make meaningful; returns the rows of each (the shortest path: its length)."""
    out: dict[str, Any] = {}
    with netintel.open(location) as ws:
        ws.store.write(batch)
        gates = ws.cypher("MATCH (g:BorderGate)<-[:CROSSED]-(:Seizure) RETURN DISTINCT g.name AS g")
        near = ws.query("people_near_gate_seizure", gate=sorted(gates["g"])[0])
        assert len(near) > 0 and near["evidence"].map(len).min() > 0
        out["people_near_gate_seizure"] = plain_rows(near)
        shared = ws.query("phones_shared_by_arrestees")
        assert len(shared) > 0 and (shared["people"] >= 2).all()
        out["phones_shared_by_arrestees"] = plain_rows(shared)
        case = ws.cypher(
            "MATCH (c:CaseFile)<-[:PART_OF]-(:Arrest) RETURN c.id AS case_id "
            "ORDER BY case_id LIMIT 1"
        ).iloc[0, 0]
        linked = ws.query("people_linked_to_case", case_id=case)
        assert len(linked) > 0 and linked["evidence"].map(len).min() > 0
        out["people_linked_to_case"] = plain_rows(linked)
        calls = ws.query("calls_between_prefixes", since="2022-01-01", until="2024-12-31")
        assert len(calls) > 0
        assert (calls["caller"].str[:4] + calls["callee"].str[:4]).str.contains(r"\+856").all()
        window = calls["date"].between(pd.Timestamp("2022-01-01"), pd.Timestamp("2024-12-31"))
        assert window.all()
        out["calls_between_prefixes"] = plain_rows(calls)
        a, b = near["person_id"].iloc[0], near["person_id"].iloc[-1]
        path = ws.query("shortest_evidence_path", person_a=a, person_b=b)
        assert len(path) >= 1
        first = path.iloc[0]
        assert first["node_ids"][0] == a and first["node_ids"][-1] == b
        assert first["hops"] == len(first["rel_types"]) == len(first["node_ids"]) - 1
        assert len(first["evidence"]) >= first["hops"]
        # Several shortest paths may tie: each store may return another one.
        out["shortest_evidence_path"] = int(first["hops"])
    assert set(out) == set(cypher.saved_queries()), "a saved query is not run here"
    return out


def test_every_saved_query_answers_the_same_on_real_data(
    backend, location, tmp_path, small_batch, embedded
):
    scenario = functools.partial(saved_queries, batch=small_batch)
    embedded.check(backend, "saved_queries", scenario, scenario(location, tmp_path))


def test_saved_query_tables_match_the_portable_reads(loaded):
    """The store's cypher() results keep dates as datetime64 and lists as lists."""
    frame = loaded.query(cypher.node_rows(loaded.schema, "Seizure"))
    assert str(frame["first_seen"].dtype).startswith("datetime64")
    assert all(isinstance(s, list) for s in frame["sources"])
    assert len(frame) == loaded.counts()["Seizure"]


def test_both_stores_give_the_same_projection_tables_and_targets(tmp_path, neo4j_location):
    """fixtures/small with entity resolution on both stores: the tables the person graph is
    built from hold the same rows (ties, weights, dates, record ids), and the ranked target
    list is the same (ids, ranks, scores)."""
    found = {}
    for name, location in (("embedded", str(tmp_path / "case.db")), ("neo4j", neo4j_location)):
        with netintel.open(location) as ws:
            ws.ingest(**FILES)
            found[name] = (read_tables(ws.store), ws.rank_targets())
    (a, targets_a), (b, targets_b) = found["embedded"], found["neo4j"]
    assert set(a) == set(b)
    for name in a:
        left, right = canonical(a[name]), canonical(b[name])
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)
        for col in left.columns:
            if str(left[col].dtype).startswith("datetime64") and len(left):
                assert str(right[col].dtype).startswith("datetime64"), (name, col)
    assert len(a["persons"]) > 40 and len(a["calls_phone_phone"]) > 20
    # On a server with GDS the rings come from GDS ("auto"); no score depends on them.
    columns = ["person_id", "rank", "score"]
    assert len(targets_a) > 20
    pd.testing.assert_frame_equal(targets_a[columns], targets_b[columns], check_exact=False)
    assert targets_a["evidence"].map(sorted).tolist() == targets_b["evidence"].map(sorted).tolist()


# -- the command line on either store -------------------------------------------------------
def cli(*args: object):
    """A command as a batch job types it, with the purpose every file it writes needs."""
    return runner.invoke(app, ["--purpose", "contract test", *(str(a) for a in args)])


def command_line(location: str, folder: Path) -> dict[str, Any]:
    """A batch job on either store: ingest, stats, rank, rings, cypher, a saved query
    and the neo4j-admin export, each as a user types it (``--neo4j URI`` for the server,
    credentials from the environment)."""
    where = ["--neo4j" if is_neo4j_uri(location) else "--db", location]
    files = [arg for kind, path in FILES.items() for arg in (f"--{kind}", path)]
    out: dict[str, Any] = {}
    result = cli("ingest", *where, *files, "--quarantine", folder / "rejected.csv")
    assert result.exit_code == 0, result.output
    assert "resolution:" in result.output and "people" in result.output
    result = cli("stats", *where, "--json")
    assert result.exit_code == 0, result.output
    out["stats"] = counts = json.loads(result.stdout)
    assert counts["Person"] > 50 and counts["SAME_AS"] > 0

    # Without a recipient, what restricted records (handling C) alone give is withheld: their
    # ids leave the evidence (and a target only they name would leave the list).
    result = cli("rank", *where, "--top", 10, "--out", folder / "withheld.csv")
    assert result.exit_code == 0, result.output
    assert "withheld" in result.output
    withheld = pd.read_csv(folder / "withheld.csv")
    result = cli("rank", *where, "--top", 10, "--out", folder / "t.csv", "--recipient", "unit 7")
    assert result.exit_code == 0, result.output
    targets = pd.read_csv(folder / "t.csv")
    assert targets["rank"].tolist() == list(range(1, 11))
    assert set(withheld["person_id"]) <= set(targets["person_id"])
    evidence = [set(v.split(";")) for v in targets.set_index("person_id")["evidence"]]
    kept = dict(zip(withheld["person_id"], withheld["evidence"].str.split(";"), strict=True))
    assert all(
        set(kept[p]) <= e for p, e in zip(targets["person_id"], evidence, strict=True) if p in kept
    )
    assert sum(map(len, kept.values())) < sum(map(len, evidence))
    assert targets["score"].is_monotonic_decreasing
    out["rank"] = plain_rows(targets[["person_id", "rank", "score"]])
    # each ranking is recorded as a run (netintel changes); nothing else changed
    ranked = json.loads(cli("stats", *where, "--json").stdout)
    assert ranked == {**counts, "RankRun": counts.get("RankRun", 0) + 2}
    counts = ranked

    # In-process rings on both stores (auto would use GDS on the server: another engine).
    result = cli("rings", *where, "--engine", "networkx", "--out", folder / "rings.csv")
    assert result.exit_code == 0, result.output
    rings = pd.read_csv(folder / "rings.csv")
    assert rings["ring"].nunique() > 1 and rings["person_id"].is_unique
    out["rings"] = plain_rows(rings[["person_id", "ring"]])

    text = "MATCH (p:Person) WHERE p.name <> $n RETURN count(p) AS people"
    result = cli("cypher", *where, "--format", "json", text, "--param", f"n={HOSTILE}")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"people": counts["Person"]}]
    result = cli("cypher", *where, "MATCH (p:Person) DETACH DELETE p")
    assert result.exit_code == 1 and "--write" in result.output

    result = cli("query", "phones_shared_by_arrestees", *where, "--format", "json")
    assert result.exit_code == 0, result.output
    shared = pd.DataFrame(json.loads(result.stdout))
    assert len(shared) > 0 and (shared["people"] >= 2).all()
    out["query"] = plain_rows(shared)

    result = cli(
        "export", *where, "--format", "neo4j-admin", folder / "export", "--recipient", "unit 7"
    )
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full" in result.stdout
    manifest = json.loads((folder / "export" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == counts
    out["export"] = {
        p.name: pd.read_csv(p, dtype=str).filter(regex="^(?!loaded_at)").to_csv(index=False)
        for p in sorted((folder / "export").glob("*.csv"))
        if "RankRun" not in p.name
    }  # the same files but for when each record was loaded and when each ranking ran
    result = cli("stats", *where, "--json")
    assert json.loads(result.stdout) == counts  # nothing above changed the graph
    return out


def test_the_command_line_on_either_store(backend, location, tmp_path, embedded):
    embedded.check(backend, "command_line", command_line, command_line(location, tmp_path))


# -- units of work: all or nothing ------------------------------------------------------------
def _phone_batch(*ids: str) -> GraphBatch:
    b = GraphBatch()
    b.add_nodes("Phone", pd.DataFrame({"id": list(ids), "sources": [["r1"]] * len(ids)}))
    return b


def test_a_unit_of_work_is_seen_whole_or_not_at_all(open_store):
    writer = open_store()
    with writer.transaction("resolve"):
        writer.query("CREATE (:Phone {id: '+84900000001'})", write=True)
        writer.write(_phone_batch("+84900000002"))
        # the writer reads its own work; a reader does not see it before the end
        count = "MATCH (f:Phone) RETURN count(f) AS n"
        assert writer.query(count).iloc[0, 0] == 2
        assert open_store(read_only=True).counts()["Phone"] == 0
    assert open_store(read_only=True).counts()["Phone"] == 2
    with pytest.raises(RuntimeError, match="boom"), writer.transaction("review apply"):
        writer.query("MATCH (f:Phone) DETACH DELETE f", write=True)
        raise RuntimeError("boom")
    assert open_store(read_only=True).counts()["Phone"] == 2
    assert open_store(read_only=True).notice is None


def test_a_reader_is_told_an_ingest_is_running(open_store):
    writer = open_store()
    with writer.transaction("ingest", bulk=True):
        writer.write(_phone_batch("+84900000001"))
        notice = open_store(read_only=True).notice
        assert notice.startswith("an ingest ") and " running" in notice, notice
    assert open_store(read_only=True).notice is None
    assert open_store(read_only=True).counts()["Phone"] == 1


def test_review_apply_stores_decisions_whole_and_a_reapply_loses_none(open_store, small_batch):
    """Decisions first, in one unit of their own: applying them again, with a change that
    fails half way, keeps every decision stored before."""
    from netintel.resolve import apply_decisions, read_decisions, resolve_store

    store = open_store()
    store.write(small_batch)
    resolve_store(store)
    merged = store.query(
        "MATCH (a:Person)-[:SAME_AS]->(b:Person) RETURN a.id AS left_id, b.id AS right_id "
        "ORDER BY left_id, right_id LIMIT 6"
    )
    first = merged.assign(decision="reject")
    assert apply_decisions(store, first) == {"accepted": 0, "rejected": 6}
    stored = read_decisions(store)
    assert len(stored) == 6

    class Interrupted(Exception):
        pass

    original = store.write

    def write_then_fail(batch, **kwargs):
        original(batch, **kwargs)
        raise Interrupted  # after the new decisions, before the contradicted ones go

    store.write = write_then_fail
    flipped = first.assign(decision="accept")
    with pytest.raises(Interrupted):
        apply_decisions(store, flipped)
    del store.write
    pd.testing.assert_frame_equal(read_decisions(open_store(read_only=True)), stored)
    resolve_store(store)
    people = store.query(cypher.RESOLVE_RESOLVED).set_index("person_id")["resolved_id"]
    for a, b in zip(first["left_id"], first["right_id"], strict=True):
        assert people[a] != people[b]


# -- record versions: retirement and conflicts, the same on both stores ------------------------
def record_versions(location: str, folder: Path) -> dict[str, Any]:
    """Load seizures and arrests; edit a seizure's drug and quantity and an arrest's date and
    place under the same ids; load again; load the arrest's id from another dataset with other
    content. Every step's version counts, the graph read back (Record nodes without their load
    time and folder) and the versions of the edited records."""
    src = folder / "in"
    src.mkdir(parents=True, exist_ok=True)
    frames = {
        k: pd.read_csv(FILES[k], dtype=str, keep_default_na=False) for k in ("seizures", "arrests")
    }
    for k, f in frames.items():
        f.to_csv(src / f"{k}.csv", index=False)
    outcome: dict[str, Any] = {}

    def counts(report) -> tuple:
        v = report.versions
        return (v.new, v.changed, v.unchanged, len(v.conflicts), tuple(sorted(v.retired.items())))

    files = {k: src / f"{k}.csv" for k in frames}
    with netintel.open(location) as ws:
        outcome["first"] = counts(ws.records.ingest(**files, resolve=False))
        sz, ar = frames["seizures"], frames["arrests"]
        sz.loc[sz["seizure_id"] == "SZ-000002", ["drug", "quantity"]] = ["opium", "9"]
        ar.loc[ar["record_id"] == "ARR-000001", ["arrest_date", "place"]] = [
            "2022-05-01",
            "Cau Giay",
        ]
        for k, f in frames.items():
            f.to_csv(src / f"{k}.csv", index=False)
        outcome["edited"] = counts(ws.records.ingest(**files, resolve=False))
        theirs = ar[ar["record_id"] == "ARR-000001"].assign(name="Somebody Else")
        theirs.to_csv(src / "agency_b.csv", index=False)
        outcome["conflict"] = counts(ws.records.ingest(arrests=src / "agency_b.csv", resolve=False))
        drug = ws.cypher(
            "MATCH (s:Seizure {id: 'SZ-000002'})-[:OF_DRUG]->(d:Drug) RETURN s.quantity, d.id"
        )
        assert drug.values.tolist() == [[9.0, "opium"]]
        orphans = ws.cypher(
            "MATCH (a:Arrest) WHERE NOT EXISTS { MATCH (:Person)-[:ARRESTED_IN]->(a) } RETURN a.id"
        )
        assert orphans.empty
        rows = stored_rows(ws.store)
        # A Record's load time and folder differ from run to run: leave them out.
        props = list(SCHEMA.node("Record").properties)
        keep = [i for i, p in enumerate(props) if p not in ("loaded_at", "file")]
        rows["Record"] = sorted(tuple(r[i] for i in keep) for r in rows["Record"])
        outcome["graph"] = rows
        for rid in ("SZ-000002", "ARR-000001"):
            v = ws.records.versions(rid)
            outcome[rid] = plain_rows(v[["source_id", "dataset", "row", "version", "current"]])
    assert outcome["edited"][:4] == (0, 2, 117, 0)
    assert outcome["conflict"][3] == 1
    return outcome


def test_record_versions_retire_and_flag_conflicts_alike(backend, location, tmp_path, embedded):
    outcome = record_versions(location, tmp_path)
    embedded.check(backend, "record_versions", record_versions, outcome)


def test_the_fold_takes_the_greatest_value_whatever_the_order(open_store):
    """Two records disagree on a person's name and date of birth: loaded in either order,
    in separate writes, the store keeps the greatest of each (the rule of batch.consolidate)."""
    store = open_store()
    first = _person("r1", name="Nguyen Van Hung", dob="1987", nationality="VN")
    second = _person("r2", name="Nguyễn Văn Hùng", dob="1987-05-14")
    read = (
        "MATCH (p:Person {id: 'P-1'}) RETURN p.name AS name, p.dob AS dob, "
        "p.nationality AS nationality, p.sources AS sources"
    )
    seen = []
    for batches in ((first, second), (second, first)):
        store.query("MATCH (n) DETACH DELETE n", write=True)
        for batch in batches:
            store.write(batch)
        seen.append(plain_rows(store.query(read)))
    assert seen[0] == seen[1] == [("Nguyễn Văn Hùng", "1987-05-14", "VN", ("r1", "r2"))]


# -- shipments (express delivery and post) ------------------------------------------------------
SHIPMENTS = ROOT / "fixtures" / "exports" / "van_don.csv"
SHIPMENT_MAPPING = ROOT / "graph_schema" / "mappings" / "vn_express_shipments.yaml"


def shipments(location: str, folder: Path) -> dict[str, Any]:
    """A courier's waybill export through its mapping: the Shipment nodes, who SENT and
    RECEIVED each, and the parcel ties of the projection, the same after a second load."""
    from netintel.project import build_person_graph

    with netintel.open(location, purpose="contract test") as ws:
        ws.ingest(shipments=SHIPMENTS, mapping=SHIPMENT_MAPPING)
        counts = ws.store.counts()
        ws.ingest(shipments=SHIPMENTS, mapping=SHIPMENT_MAPPING)
        assert ws.store.counts() == counts  # loading twice changes nothing
        tables = read_tables(ws.store)
        nodes = ws.store.query(cypher.node_rows(ws.store.schema, "Shipment"))
        G = build_person_graph(tables)
    ties = sorted(
        (
            *sorted((G.nodes[u]["name"], G.nodes[v]["name"])),
            tuple(sorted(d["kinds"].items())),
            tuple(sorted(d["channels"].items())),
            tuple(d["sources"]),
            round(d["weight"], 9),
        )
        for u, v, d in G.edges(data=True)
    )
    parties = {n: plain_rows(t) for n, t in tables.items() if n.startswith("shipment_")}
    return {
        "counts": {k: v for k, v in counts.items() if v},
        "shipments": plain_rows(nodes),
        "parties": parties,
        "ties": ties,
    }


def test_shipments_load_and_project_alike(backend, location, tmp_path, embedded):
    outcome = shipments(location, tmp_path)
    assert outcome["counts"]["Shipment"] == 3 and outcome["counts"]["SENT"] == 7
    kinds = {k for tie in outcome["ties"] for k, _ in tie[2]}
    assert kinds == {"parcel", "parcel_phone", "parcel_address"}
    embedded.check(backend, "shipments", shipments, outcome)


# -- back to the source row: the row as read and the file's hash, the same on both stores -----
def rows_as_read(location: str, folder: Path) -> dict[str, Any]:
    """An agency's arrest register (its own column names, a mapping) with hostile texts in its
    cells, and fixtures/small's seizures: each record's row as read, file, row and the file's
    SHA-256, read back from the store; a second load changes none of it."""
    import hashlib

    src = folder / "in"
    src.mkdir(parents=True, exist_ok=True)
    register = pd.DataFrame(
        {
            "STT": [str(i + 1) for i in range(len(HOSTILE_TEXTS))],
            "Ma_ho_so": [f"HS-{i:02d}" for i in range(len(HOSTILE_TEXTS))],
            "Ho_ten": [f"Lò Văn Páo {i}" for i in range(len(HOSTILE_TEXTS))],
            "Ngay_bat": "14/05/2024",
            "Noi_o": list(HOSTILE_TEXTS),
            "Ghi_chu": list(reversed(HOSTILE_TEXTS)),
        }
    )
    register.to_csv(src / "so_bat_giu.csv", index=False)
    seizures = src / "seizures.csv"
    seizures.write_bytes(FILES["seizures"].read_bytes())
    mapping = ROOT / "graph_schema" / "mappings" / "vn_police_arrests.yaml"
    ids = [*register["Ma_ho_so"], "SZ-000002"]
    cols = ["source_id", "dataset", "sheet", "row", "file_sha256"]
    with netintel.open(location) as ws:
        ws.records.ingest(arrests=src / "so_bat_giu.csv", mapping=mapping, resolve=False)
        ws.records.ingest(seizures=seizures, resolve=False)
        first = ws.records.records(ids)
        ws.records.ingest(seizures=seizures, resolve=False)
        again = ws.records.records(ids)
    assert first["loaded_at"].tolist() == again["loaded_at"].tolist()
    expected = register.where(register != "", None).to_dict("records")
    assert first["raw"].tolist()[: len(register)] == expected
    assert first.loc[len(register), "raw"]["seizure_id"] == "SZ-000002"
    sha = {
        "so_bat_giu.csv": hashlib.sha256((src / "so_bat_giu.csv").read_bytes()).hexdigest(),
        "seizures.csv": hashlib.sha256(seizures.read_bytes()).hexdigest(),
    }
    assert (first["file_sha256"] == first["dataset"].map(sha)).all()

    def plain(found: pd.DataFrame) -> list:
        return plain_rows(found[cols]) + [json.dumps(r, ensure_ascii=False) for r in found["raw"]]

    return {"first": plain(first), "again": plain(again)}


def test_records_keep_their_rows_as_read_alike(backend, location, tmp_path, embedded):
    embedded.check(backend, "rows_as_read", rows_as_read, rows_as_read(location, tmp_path))


# -- online accounts, messages and payments -----------------------------------------------------
ONLINE = {
    "accounts": ROOT / "fixtures" / "exports" / "accounts.csv",
    "interactions": ROOT / "fixtures" / "exports" / "interactions.csv",
    "arrests": ROOT / "fixtures" / "exports" / "online_arrests.csv",
}


def online(location: str, folder: Path) -> dict[str, Any]:
    """Accounts and their interactions: the accounts, what resolves them to people, the
    online ties and the money flows, the same after a second load."""
    from netintel.project import build_person_graph
    from netintel.project.online import account_people, money_flows

    with netintel.open(location, purpose="contract test") as ws:
        ws.ingest(**ONLINE)
        counts = ws.store.counts()
        ws.ingest(**ONLINE)
        assert ws.store.counts() == counts
        tables = read_tables(ws.store)
        nodes = ws.store.query(cypher.node_rows(ws.store.schema, "OnlineAccount"))
    names = tables["persons"].set_index("person_id")["name"].to_dict()
    G = build_person_graph(tables)
    flows = money_flows(tables)
    return {
        "counts": {k: v for k, v in counts.items() if v},
        "accounts": plain_rows(nodes),
        "resolved": plain_rows(
            account_people(tables).assign(person_id=lambda f: f["person_id"].map(names))
        ),
        "ties": sorted(
            (*sorted((names[u], names[v])), tuple(sorted(d["kinds"].items())), tuple(d["sources"]))
            for u, v, d in G.edges(data=True)
        ),
        "money": sorted(
            (names[u], names[v], tuple(sorted(d["amounts"].items())), tuple(d["sources"]))
            for u, v, d in flows.edges(data=True)
        ),
    }


def test_online_accounts_resolve_and_project_alike(backend, location, tmp_path, embedded):
    outcome = online(location, tmp_path)
    assert outcome["counts"]["OnlineAccount"] == 5 and outcome["counts"]["PAID"] == 1
    assert outcome["money"][0][:2] == ("Trần Văn Bảo", "Souk Phommachan")
    embedded.check(backend, "online", online, outcome)
