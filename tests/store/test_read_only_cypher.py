"""Read-only Cypher has no side effects: an allow-list of reading clauses on both stores, and
no file access from Cypher on the embedded store unless an import folder is configured.

The reproductions of issue 14: ``netintel cypher "LOAD FROM '/etc/shadow' ..."`` returned the
host's file, and the engine's read-only handle still ran ``COPY … TO`` and ``CHECKPOINT``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import netintel
from netintel.batch import GraphBatch
from netintel.cli import app
from netintel.errors import ReadOnlyError
from netintel.store.embedded import EmbeddedStore
from netintel.store.readonly import check_file_access, read_only_problem

SECRET = "netintel-secret-line"

READS = [
    "MATCH (p:Person) WHERE p.name = 'x DELETE y' RETURN p",
    "MATCH (p:Person) RETURN p.name AS name ORDER BY name DESC SKIP 1 LIMIT 5",
    "MATCH (p) WITH p, count(*) AS n WHERE n > 1 RETURN *",
    "OPTIONAL MATCH (p)-[:USES]->(f) RETURN p, f",
    "UNWIND $ids AS id MATCH (p {id: id}) RETURN p.id",
    "MATCH (p) RETURN CASE WHEN p.x IS NULL THEN 'a' ELSE 'b' END AS k, p.y",
    "MATCH (p) WHERE EXISTS { MATCH (p)-[:USES]->() } RETURN p",
    "MATCH (p) RETURN COUNT { MATCH (p)--() } AS degree",
    "CALL { MATCH (p) RETURN p } RETURN p",
    "MATCH (a) CALL (a) { MATCH (a)--(b) RETURN b } RETURN a, b",
    "MATCH (p) RETURN p.name STARTS WITH 'A' AS a",
    "MATCH (`DELETE`) RETURN `DELETE`",
    "MATCH (p) // CREATE (x)\n/* SET */ RETURN p",
    "RETURN 1;",
    "MATCH (a)-[* SHORTEST 1..5]-(b) RETURN a",
    "CALL show_tables() RETURN *",
    "CALL db.labels() YIELD label RETURN label",
    "EXPLAIN MATCH (p) RETURN p",
    "MATCH (p) RETURN [x IN p.sources WHERE x STARTS WITH 'A' | x] AS s",
    "MATCH (load:Person) RETURN load.name",
    "MATCH (p) RETURN p.id UNION ALL MATCH (q) RETURN q.id",
    "MATCH (p) WHERE p.quantity_kg * 2 > 3 RETURN p",
    "SHOW CONSTRAINTS YIELD name RETURN name",
    "SHOW RANGE INDEXES",
]

REFUSED = [
    ("LOAD FROM '/etc/shadow' (header=false) RETURN *", "LOAD"),
    ("COPY (MATCH (p) RETURN p.name) TO '/tmp/x.csv'", "COPY"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD"),
    ("CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value", "CALL apoc.load.json"),
    ("CALL dbms.listConfig() YIELD name RETURN name", "CALL dbms.listConfig"),
    ("CALL threads=4", "CALL threads"),
    ("MATCH (p) DETACH DELETE p", "DETACH"),
    ("MATCH (p) SET p.x = 1", "SET"),
    ("MATCH (p) WITH p CREATE (q)", "CREATE"),
    ("MATCH (p) RETURN p; DROP TABLE Person", "a second statement"),
    ("CALL { MATCH (p) DELETE p } RETURN 1", "DELETE"),
    ("MATCH (p) FOREACH (x IN [1] | CREATE (q))", "FOREACH"),
    ("MATCH (p) FROBNICATE p", "FROBNICATE"),
    ("ATTACH '/tmp/other.db' AS o (dbtype lbug)", "ATTACH"),
    ("INSTALL json", "INSTALL"),
    ("MATCH (p) RETURN p UNION ALL CREATE (x) RETURN x", "CREATE"),
    ("MATCH (p) /* */ MERGE (x)", "MERGE"),
    ("USE system SHOW USERS", "USE"),
    ("SHOW USERS", "SHOW USERS"),
    ("SHOW SETTINGS YIELD name, value RETURN *", "SHOW SETTINGS"),
    ("MATCH (p) WHERE p.id = 'x' REMOVE p.name", "REMOVE"),
]


@pytest.mark.parametrize("query", READS)
def test_reading_queries_are_allowed(query: str) -> None:
    assert read_only_problem(query) is None


@pytest.mark.parametrize(("query", "what"), REFUSED)
def test_anything_but_reading_is_refused_by_name(query: str, what: str) -> None:
    assert read_only_problem(query) == what


@pytest.fixture
def phones(tmp_path: Path) -> Path:
    db = tmp_path / "case.db"
    b = GraphBatch()
    b.add_nodes("Phone", pd.DataFrame({"id": ["+8491", "+85620"], "sources": [["c1"], ["c1"]]}))
    with EmbeddedStore(db) as store:
        store.write(b)
    return db


def test_read_only_cypher_cannot_read_host_files_or_touch_the_engine(
    phones: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "shadow"
    secret.write_text(f"{SECRET}\n")
    copy = tmp_path / "copied.csv"
    runner = CliRunner()
    for query in (
        f"LOAD FROM '{secret}' (header=false) RETURN *",
        f"COPY (MATCH (p:Phone) RETURN p.id) TO '{copy}'",
        "CHECKPOINT",
    ):
        result = runner.invoke(app, ["cypher", "--db", str(phones), query])
        assert result.exit_code == 1, result.output
        assert "refusing" in result.output and "read-only query" in result.output
        assert SECRET not in result.output and "Traceback" not in result.output
        with netintel.open(phones, read_only=True) as ws, pytest.raises(ReadOnlyError):
            ws.query.cypher(query)
    assert not copy.exists()
    result = runner.invoke(app, ["cypher", "--db", str(phones), "MATCH (p:Phone) RETURN p.id"])
    assert result.exit_code == 0 and "+85620" in result.output


def test_file_access_from_cypher_needs_an_import_folder(
    phones: Path, tmp_path: Path, monkeypatch
) -> None:
    secret = tmp_path / "shadow"
    secret.write_text(f"{SECRET}\n")
    folder = tmp_path / "import"
    folder.mkdir()
    inside, outside = folder / "phones.csv", tmp_path / "phones.csv"
    monkeypatch.delenv("NETINTEL_IMPORT_FOLDER", raising=False)
    with netintel.open(phones) as ws:
        for query in (
            f"LOAD FROM '{secret}' (header=false) RETURN *",
            f"COPY (MATCH (p:Phone) RETURN p.id) TO '{inside}'",
        ):
            with pytest.raises(ReadOnlyError, match="file access from Cypher is off"):
                ws.query.cypher(query, write=True)
        monkeypatch.setenv("NETINTEL_IMPORT_FOLDER", str(folder))
        with pytest.raises(ReadOnlyError, match="outside the import folder"):
            ws.query.cypher(f"COPY (MATCH (p:Phone) RETURN p.id) TO '{outside}'", write=True)
        with pytest.raises(ReadOnlyError, match="outside the import folder"):
            ws.query.cypher(f"LOAD FROM '{folder}/../shadow' (header=false) RETURN *", write=True)
        ws.query.cypher(
            f"COPY (MATCH (p:Phone) RETURN p.id ORDER BY p.id) TO '{inside}'", write=True
        )
    assert inside.read_text().split() == ["+8491", "+85620"] and not outside.exists()
    with pytest.raises(ReadOnlyError, match=r"never|not handled"):
        check_file_access("INSTALL json", folder)


def test_read_only_cypher_on_neo4j(request, monkeypatch) -> None:
    env = request.getfixturevalue("neo4j_server")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with netintel.open(env["NETINTEL_NEO4J_URI"], read_only=True) as ws:
        for query, what in (
            ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD"),
            ("CALL dbms.listConfig() YIELD name RETURN name", "CALL dbms.listConfig"),
            ("CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value", "CALL apoc"),
            ("MATCH (n) RETURN n LIMIT 1; MATCH (n) DETACH DELETE n", "a second statement"),
            ("CALL { MATCH (n:Nothing) DELETE n } RETURN 1", "DELETE"),
        ):
            with pytest.raises(ReadOnlyError, match=f"refusing {what}"):
                ws.query.cypher(query)
        labels = ws.query.cypher("CALL db.labels() YIELD label RETURN label")
        assert "label" in labels.columns
        assert ws.query.cypher("MATCH (p:Person) RETURN count(p) AS n")["n"].iloc[0] >= 0
