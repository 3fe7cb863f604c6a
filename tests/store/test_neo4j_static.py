"""The Neo4j store without a server: every statement it can send, checked statically.

Every statement netintel renders for Neo4j (constraints and indexes, the MERGE for every label
and every relationship type and endpoint pair, the portable reads, the saved queries, the GDS
projection and procedure calls) is checked to be a parameterised statement: brackets balance,
the only string literals are fixed words of the statement, every ``$parameter`` is supplied,
labels and relationship types are declared in the schema, and hostile values travel in the
parameters only. A recording driver (standing in for the server, not for netintel) captures
what the store sends on a write and a read.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from netintel.batch import GraphBatch
from netintel.errors import InputError, ReadOnlyError, StoreError
from netintel.schema import load_schema
from netintel.store import cypher
from netintel.store.neo4j import (
    Neo4jSettings,
    Neo4jStore,
    edge_merge_statement,
    is_neo4j_uri,
    node_merge_statement,
    render_schema,
)

HOSTILE = "x'}) DETACH DELETE n //"
SCHEMA = load_schema()
# String literals that are part of statements themselves (never data).
FIXED_LITERALS = {"weight", "distance", "*", "other", "id", "sources"}
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_LABEL = re.compile(r"\(\s*\w*\s*:\s*([A-Za-z_]\w*)")
_TYPE = re.compile(r"\[\s*\w*\s*:\s*([A-Za-z_]\w*)")
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def check_statement(text: str, params: dict | None = None) -> None:
    """Assert ``text`` is a well-formed parameterised statement over the schema."""
    body = _COMMENT.sub(" ", text)
    literals = [a or b for a, b in _LITERAL.findall(body)]
    assert set(literals) <= FIXED_LITERALS, f"data-like literals {literals} in:\n{text}"
    bare = _LITERAL.sub("''", body)
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for ch in bare:
        if ch in pairs:
            stack.append(pairs[ch])
        elif ch in pairs.values():
            assert stack and stack.pop() == ch, f"unbalanced {ch!r} in:\n{text}"
    assert not stack, f"unclosed brackets in:\n{text}"
    first = bare.split()[0].upper()
    assert first in {"MATCH", "UNWIND", "CREATE", "CALL", "RETURN", "OPTIONAL", "WITH"}, text
    for label in _LABEL.findall(bare):
        assert label in SCHEMA.nodes, f"label {label} not in the schema:\n{text}"
    for rel_type in _TYPE.findall(bare):
        assert rel_type in SCHEMA.relationships, f"type {rel_type} not in the schema:\n{text}"
    if params is not None:
        missing = set(_PARAM.findall(bare)) - set(params)
        assert not missing, f"parameters {missing} not supplied for:\n{text}"
    assert HOSTILE not in text


def _merge_statements() -> list[str]:
    out = [node_merge_statement(node) for node in SCHEMA.nodes.values()]
    for rel in SCHEMA.relationships.values():
        for a, b in rel.endpoints:
            out.append(edge_merge_statement(SCHEMA, rel, a, b))
    return out


def _read_statements() -> list[str]:
    out = [
        cypher.PERSONS,
        cypher.PERSON_ARRESTS,
        cypher.ARREST_SEIZURES,
        cypher.PERSON_PHONES,
        cypher.PERSON_LINKS,
        cypher.PERSON_VEHICLES,
        cypher.PERSON_ADDRESSES,
        *cypher.CALLS.values(),
    ]
    for label in SCHEMA.nodes:
        out += [cypher.count_nodes(SCHEMA, label), cypher.node_rows(SCHEMA, label)]
    for rel_type, rel in SCHEMA.relationships.items():
        out.append(cypher.count_relationships(SCHEMA, rel_type))
        out += [cypher.edge_rows(SCHEMA, rel_type, a, b) for a, b in rel.endpoints]
    return out


# -- statements -------------------------------------------------------------------------------
def test_schema_statements_cover_every_label_and_type():
    ddl = render_schema(SCHEMA)
    for statement in ddl:
        check_statement(statement, {})
        assert "IF NOT EXISTS" in statement
    text = "\n".join(ddl)
    for label in SCHEMA.nodes:
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in text
    for rel_type in SCHEMA.relationships:
        assert f"FOR ()-[r:{rel_type}]-() REQUIRE r.id IS UNIQUE" in text
    assert len(set(s.split()[2] for s in ddl)) == len(ddl)  # names are unique


def test_merge_statements_for_every_label_and_type_are_parameterised():
    statements = _merge_statements()
    assert len(statements) == len(SCHEMA.nodes) + sum(
        len(r.endpoints) for r in SCHEMA.relationships.values()
    )
    for statement in statements:
        check_statement(statement, {"rows": []})
        assert statement.startswith("UNWIND $rows AS row")
        assert "MERGE (" in statement and "ON MATCH SET" in statement
        assert statement.rstrip().endswith("AS updated")


def test_merge_folds_every_declared_property():
    node = SCHEMA.node("Person")
    text = node_merge_statement(node)
    for prop in node.properties:
        if prop != node.key:
            assert f"n.{prop} = row.{prop}" in text
    assert "n.sources = COLLECT { UNWIND coalesce(n.sources, [])" in text
    assert "row.first_seen < n.first_seen" in text and "row.last_seen > n.last_seen" in text
    assert "n.name = coalesce(n.name, row.name)" in text


def test_portable_reads_are_parameter_free_and_schema_only():
    for statement in _read_statements():
        check_statement(statement, {})


def test_undeclared_names_never_reach_text():
    from netintel.errors import SchemaError

    with pytest.raises(SchemaError):
        cypher.node_rows(SCHEMA, "Person) DETACH DELETE (n")
    with pytest.raises(SchemaError):
        edge_merge_statement(SCHEMA, SCHEMA.relationship("USES"), "Phone", "Person")


# -- saved queries ----------------------------------------------------------------------------
def test_every_saved_query_is_documented_and_parameterised():
    found = cypher.saved_queries()
    assert {
        "people_near_gate_seizure",
        "phones_shared_by_arrestees",
        "people_linked_to_case",
        "calls_between_prefixes",
        "shortest_evidence_path",
    } <= set(found)
    for name, versions in found.items():
        assert "portable" in versions or {"neo4j", "ladybug"} <= set(versions), name
        signatures = {
            tuple((p.name, p.type, p.required) for p in q.params) for q in versions.values()
        }
        assert len(signatures) == 1, f"{name}: dialect files declare different parameters"
        for q in versions.values():
            assert len(q.description) > 40 and q.params, name
            for p in q.params:
                assert p.description and p.example, f"{name}: {p.name} needs text and an example"
            hostile = {p.name: (HOSTILE if p.type == "string" else p.example) for p in q.params}
            bound = q.bind(hostile)
            if q.dialect != "ladybug":
                check_statement(q.text, bound)
            assert HOSTILE not in q.text
            assert all(
                v == HOSTILE
                for k, v in bound.items()
                if dict((p.name, p.type) for p in q.params)[k] == "string"
            )


def test_neo4j_gets_its_dialect_and_the_embedded_store_its_own():
    assert cypher.saved_query("shortest_evidence_path", "neo4j").dialect == "neo4j"
    assert cypher.saved_query("shortest_evidence_path", "embedded").dialect == "ladybug"
    assert "shortestPath(" in cypher.saved_query("shortest_evidence_path", "neo4j").text
    assert cypher.saved_query("calls_between_prefixes", "neo4j").dialect == "portable"


def test_saved_query_parameters_are_checked():
    q = cypher.saved_query("calls_between_prefixes", "neo4j")
    assert q.bind({"since": "2023-01-01"})["prefix_a"] == "+856"
    with pytest.raises(InputError, match="since must be a date"):
        q.bind({"since": "last year"})
    with pytest.raises(InputError, match="has no parameter sinse"):
        q.bind({"sinse": "2023-01-01"})
    with pytest.raises(InputError, match="needs --param case_id"):
        cypher.saved_query("people_linked_to_case", "neo4j").bind({})
    with pytest.raises(InputError, match="no saved query 'nope'"):
        cypher.saved_query("nope", "neo4j")
    assert cypher.saved_query("phones_shared_by_arrestees", "neo4j").bind({"min_people": "3"}) == {
        "min_people": 3
    }


# -- the store's traffic, recorded ------------------------------------------------------------
class _Record(dict):
    def values(self):  # the driver's Record.values()
        return list(super().values())


class _Result:
    def __init__(self, records):
        self._records = records

    def keys(self):
        return list(self._records[0]) if self._records else []

    def __iter__(self):
        return iter(self._records)

    def single(self, strict=False):
        assert len(self._records) == 1
        return self._records[0]

    def consume(self):
        writes = bool(self._records) and "updated" in self._records[0]
        counters = SimpleNamespace(contains_updates=writes, contains_system_updates=False)
        return SimpleNamespace(counters=counters)


class RecordingDriver:
    """Stands in for a Neo4j server: records (mode, query, parameters) of every run."""

    def __init__(self, fail_on_call: int | None = None):
        self.calls: list[tuple[str, str, dict]] = []
        self.fail_on_call = fail_on_call
        self.closed = False

    def session(self, database=None, default_access_mode=None):
        return _Session(self, default_access_mode)

    def close(self):
        self.closed = True


class _Session:
    def __init__(self, driver, mode):
        self.driver, self.mode = driver, mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, work):
        assert self.mode == "WRITE"
        return work(_Tx(self.driver, "write"))

    def execute_read(self, work):
        assert self.mode == "READ"
        return work(_Tx(self.driver, "read"))


class _Tx:
    def __init__(self, driver, mode):
        self.driver, self.mode = driver, mode

    def run(self, query, parameters=None):
        from neo4j.exceptions import ServiceUnavailable

        d = self.driver
        d.calls.append((self.mode, query, dict(parameters or {})))
        if d.fail_on_call is not None and len(d.calls) == d.fail_on_call:
            raise ServiceUnavailable("connection lost")
        if query.startswith("UNWIND $rows"):
            return _Result([_Record(created=len(parameters["rows"]), updated=0)])
        if "SET " in query:  # a server that let a write through a read transaction
            return _Result([_Record(updated=1)])
        return _Result([_Record(n=0)])


def _hostile_value(typ: str):
    return {
        "STRING": HOSTILE,
        "STRING[]": [HOSTILE, "r2"],
        "INT64": 7,
        "DOUBLE": 1.5,
        "BOOL": True,
        "DATE": dt.date(2024, 1, 2),
    }[typ]


def _hostile_batch(rows: int = 3) -> GraphBatch:
    """Every declared property of every label and type, filled with hostile text."""
    b = GraphBatch()
    for label, node in SCHEMA.nodes.items():
        frame = {
            p: [f"{HOSTILE}{i}" if p == node.key else _hostile_value(t) for i in range(rows)]
            for p, t in node.properties.items()
        }
        b.add_nodes(label, pd.DataFrame(frame))
    for rel_type, rel in SCHEMA.relationships.items():
        for a, c in rel.endpoints:
            frame = {
                "from": [f"{HOSTILE}{i}" for i in range(rows)],
                "to": [f"{HOSTILE}{i}" for i in range(rows)],
            }
            for p, t in rel.properties.items():
                frame[p] = [
                    f"{HOSTILE}{rel_type}{a}{c}{i}" if p == rel.key else _hostile_value(t)
                    for i in range(rows)
                ]
            b.add_edges(rel_type, a, c, pd.DataFrame(frame))
    return b


def _store(driver, **kw) -> Neo4jStore:
    settings = Neo4jSettings(uri="bolt://recorded:7687", batch_size=kw.pop("batch_size", 2))
    return Neo4jStore(driver=driver, settings=settings, **kw)


def test_a_hostile_write_sends_values_only_as_parameters():
    driver = RecordingDriver()
    store = _store(driver)
    summary = store.write(_hostile_batch())
    rendered = set(render_schema(SCHEMA)) | set(_merge_statements())
    writes = [c for c in driver.calls if c[1].startswith("UNWIND")]
    assert {c[0] for c in driver.calls} == {"write"}
    for _, query, _ in driver.calls:
        assert query in rendered
        assert HOSTILE not in query
    # 3 rows in batches of 2: two transactions per label and per type/endpoint pair
    assert len(writes) == 2 * len(_merge_statements())
    sent = [row for _, _, p in writes for row in p["rows"]]
    assert all(
        isinstance(v, str | int | float | bool | list | dt.date | type(None))
        for row in sent
        for v in row.values()
    )
    assert sum(HOSTILE in str(row) for row in sent) == len(sent)
    person = next(p["rows"][0] for _, q, p in writes if "(n:Person " in q)
    assert person["name"] == HOSTILE and person["first_seen"] == dt.date(2024, 1, 2)
    assert sorted(person["sources"]) == sorted([HOSTILE, "r2"])
    assert summary.created["Person"] == 3
    store.close()
    assert driver.closed is False  # a driver passed in is the caller's to close


def test_reads_run_in_read_transactions_with_parameters():
    driver = RecordingDriver()
    store = _store(driver)
    store.query("MATCH (p:Person) WHERE p.name = $n RETURN count(p) AS n", {"n": HOSTILE})
    mode, query, params = driver.calls[-1]
    assert mode == "read" and params == {"n": HOSTILE} and HOSTILE not in query
    with pytest.raises(ReadOnlyError):
        store.query("MATCH (p:Person) DETACH DELETE p")
    assert len(driver.calls) == 1  # refused before it reached the server
    with pytest.raises(ReadOnlyError, match="rolled back"):
        store._run("MATCH (p:Person) SET p.name = 'y'", None, write=False)


def test_a_read_only_store_sends_no_write():
    driver = RecordingDriver()
    store = _store(driver, read_only=True)
    with pytest.raises(ReadOnlyError):
        store.write(_hostile_batch())
    with pytest.raises(ReadOnlyError):
        store.query("CREATE (:Phone {id: $id})", {"id": "x"}, write=True)
    store.counts()
    assert {c[0] for c in driver.calls} == {"read"}


def test_driver_errors_name_the_batch_and_rows():
    driver = RecordingDriver(fail_on_call=len(render_schema(SCHEMA)) + 2)
    store = _store(driver)
    with pytest.raises(StoreError, match=r"writing Person, batch 2 of 2, rows 2-2") as err:
        store.write(_hostile_batch())
    assert err.value.__cause__ is not None  # raised from the driver's error


def test_records_come_back_like_the_embedded_store():
    import neo4j.time

    from netintel.store.neo4j import records_frame

    frame = records_frame(
        ["id", "d", "s", "n"],
        [["a", neo4j.time.Date(2024, 1, 2), ["r1", "r2"], 1], ["b", None, [], None]],
    )
    assert str(frame["d"].dtype) == "datetime64[us]" and pd.isna(frame.loc[1, "d"])
    assert frame["s"].tolist() == [["r1", "r2"], []]
    assert str(frame["n"].dtype) == "float64"


# -- configuration ----------------------------------------------------------------------------
def test_settings_from_the_environment(tmp_path):
    env = {
        "NETINTEL_NEO4J_URI": "neo4j+s://db.example.org",
        "NETINTEL_NEO4J_USER": "analyst",
        "NETINTEL_NEO4J_PASSWORD": "s3cret",
        "NETINTEL_NEO4J_DATABASE": "cases",
    }
    s = Neo4jSettings.from_env(env=env)
    assert (s.uri, s.user, s.database) == ("neo4j+s://db.example.org", "analyst", "cases")
    assert "s3cret" not in repr(s)
    assert s.driver_config() == {}
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    with pytest.raises(StoreError, match="cannot be combined with neo4j\\+s://"):
        Neo4jSettings.from_env(env={**env, "NETINTEL_NEO4J_TRUSTED_CA": str(ca)}).driver_config()
    local = Neo4jSettings.from_env("bolt://db:7687", env={"NETINTEL_NEO4J_TRUSTED_CA": str(ca)})
    assert local.driver_config()["encrypted"] is True
    with pytest.raises(StoreError, match="no file at"):
        Neo4jSettings.from_env(
            "bolt://db", env={"NETINTEL_NEO4J_TRUSTED_CA": "/nope.pem"}
        ).driver_config()
    with pytest.raises(StoreError, match="NETINTEL_NEO4J_BATCH_SIZE"):
        Neo4jSettings.from_env("bolt://db", env={"NETINTEL_NEO4J_BATCH_SIZE": "lots"})
    with pytest.raises(StoreError, match="no Neo4j URI"):
        Neo4jSettings.from_env(env={})
    assert is_neo4j_uri("bolt+ssc://h:7687") and not is_neo4j_uri("bolt.db")


def test_an_unreachable_server_is_a_clear_store_error(monkeypatch):
    import netintel

    monkeypatch.setenv("NETINTEL_NEO4J_URI", "bolt://127.0.0.1:9")
    with pytest.raises(StoreError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:9"):
        netintel.open()
    with pytest.raises(StoreError, match="unknown URI scheme"):
        netintel.open("http://127.0.0.1:7474")
