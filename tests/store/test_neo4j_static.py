"""The Neo4j store without a server: every statement it can send, checked statically.

Every statement netintel renders for Neo4j (constraints and indexes, the MERGE for every label
and every relationship type and endpoint pair, the portable reads, the saved queries, the GDS
projection and procedure calls) is checked to be a parameterised statement: brackets balance,
the only string literals are fixed words of the statement, every ``$parameter`` is supplied,
labels and relationship types are declared in the schema, and hostile values travel in the
parameters only. These need no server; what the server itself makes of the statements (every
one explained by a live Neo4j, hostile values written and read back) is checked in
test_neo4j_live.py and test_contract.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from netintel.errors import InputError, StoreError
from netintel.schema import load_schema
from netintel.store import cypher
from netintel.store.neo4j import (
    Neo4jSettings,
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
    for prop, typ in node.properties.items():
        if prop == node.key:
            continue
        if typ == "STRING[]":  # unioned in a plain SET after the MERGE, on create as on match
            both = f"coalesce(n.{prop}, []) + coalesce(row.{prop}, [])"
            assert f"n.{prop} = CASE WHEN size({both}) = 0 THEN null" in text
            assert f"COLLECT {{ UNWIND {both} AS v WITH v ORDER BY v RETURN DISTINCT v }}" in text
        else:
            assert f"n.{prop} = row.{prop}" in text
    assert text.index("ON MATCH SET") < text.index("\nSET\n") < text.index("COLLECT {")
    assert "row.first_seen < n.first_seen" in text and "row.last_seen > n.last_seen" in text
    assert "n.name = CASE WHEN n.name IS NULL OR row.name > n.name THEN row.name" in text


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


# -- values out -----------------------------------------------------------------------------
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
