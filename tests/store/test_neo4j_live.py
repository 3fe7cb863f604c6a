"""What only a live Neo4j server can check: that it accepts every statement netintel renders,
that its own bulk import tool loads netintel's export, and how the driver's errors reach a user.

These run on the session's server (the root conftest's ``neo4j_server``); the neo4j-admin test
also starts a second, fresh server for the imported database. Everything that both stores must
do alike is in test_contract.py.
"""

from __future__ import annotations

import re
import secrets
import shlex
from typing import Any

import pandas as pd
import pytest
from test_contract import (
    FILES,
    HOSTILE,
    HOSTILE_TEXTS,
    SCHEMA,
    cli,
    hostile_batch,
    stored_rows,
)

import netintel
from netintel.batch import GraphBatch
from netintel.errors import StoreError
from netintel.ingest import ingest_files
from netintel.project.routes import route_queries
from netintel.store import cypher
from netintel.store.neo4j import (
    Neo4jSettings,
    Neo4jStore,
    edge_merge_statement,
    frame_rows,
    node_merge_statement,
    render_schema,
)

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def _store(env: dict[str, str], **kwargs: Any) -> Neo4jStore:
    return Neo4jStore(settings=Neo4jSettings.from_env(env=env), **kwargs)


@pytest.fixture
def neo4j_env(neo4j_server) -> dict[str, str]:
    """The session server's variables, its database emptied."""
    with _store(neo4j_server) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
    return dict(neo4j_server)


# -- every statement, explained by the server ---------------------------------------------
def _portable_statements() -> dict[str, str]:
    """Every query text of netintel.store.cypher (constants, tables of them, and the texts
    rendered for each declared label and type) and of the route tables."""
    out: dict[str, str] = {}
    for name, value in vars(cypher).items():
        texts = value if isinstance(value, dict) else {None: value}
        for key, text in texts.items():
            if name.isupper() and isinstance(text, str) and text.startswith(("MATCH", "UNWIND")):
                out[f"cypher.{name}" + (f"[{key}]" if key else "")] = text
    for label in SCHEMA.nodes:
        out[f"count_nodes({label})"] = cypher.count_nodes(SCHEMA, label)
        out[f"node_rows({label})"] = cypher.node_rows(SCHEMA, label)
    for rel_type, rel in SCHEMA.relationships.items():
        out[f"count_relationships({rel_type})"] = cypher.count_relationships(SCHEMA, rel_type)
        for a, b in rel.endpoints:
            out[f"edge_rows({rel_type}, {a}, {b})"] = cypher.edge_rows(SCHEMA, rel_type, a, b)
    for table, text in route_queries(SCHEMA).items():
        out[f"route_queries[{table}]"] = text
    return out


def _statements(batch: GraphBatch) -> list[tuple[str, str, dict[str, Any]]]:
    """(what, text, parameters) of everything the Neo4j store, the portable reads, entity
    resolution and the saved queries send; parameters are real rows or hostile values."""
    out = [(f"schema: {s}", s, {}) for s in render_schema(SCHEMA)]
    for label, node in SCHEMA.nodes.items():
        rows = frame_rows(
            batch.nodes[label].reindex(columns=list(node.properties)), node.properties
        )
        out.append((f"merge {label}", node_merge_statement(node), {"rows": rows}))
    for e in batch.edges:
        rel = SCHEMA.relationships[e.type]
        frame = e.frame.reindex(columns=["from", "to", *rel.properties])
        rows = frame_rows(frame, rel.properties, ends=True)
        text = edge_merge_statement(SCHEMA, rel, e.from_label, e.to_label)
        out.append((f"merge {e.type} ({e.from_label})->({e.to_label})", text, {"rows": rows}))
    values = {
        "ids": [HOSTILE],
        "reviewer": "reviewer",
        "left": HOSTILE,
        "right": HOSTILE_TEXTS[1],
        "rows": [
            {
                "person_id": HOSTILE,
                "resolved_id": HOSTILE_TEXTS[1],
                "match_probability": 0.97,
                "match_rule": "model",
            }
        ],
    }
    for what, text in _portable_statements().items():
        out.append((what, text, {k: v for k, v in values.items() if f"${k}" in text}))
    for name in cypher.saved_queries():
        q = cypher.saved_query(name, "neo4j")
        params = q.bind({p.name: HOSTILE if p.type == "string" else p.example for p in q.params})
        out.append((f"saved query {name} ({q.dialect})", q.text, params))
    return out


def test_the_server_accepts_every_statement_netintel_renders(neo4j_env):
    """``EXPLAIN`` of each statement with its parameters, on a database where every declared
    label, type and property exists (the hostile batch fills them all): the server plans it,
    and warns of nothing (no unknown label, type or property, no missing parameter)."""
    import neo4j

    batch = hostile_batch().consolidated()
    with _store(neo4j_env) as store:
        store.write(batch)  # every declared name becomes known to the server
        for _ in range(2):  # the DDL for real, twice: the second run changes nothing
            store._schema_ready = False
            store._ensure_schema()
        names = set(store.query("SHOW CONSTRAINTS YIELD name RETURN name")["name"])
        names |= set(store.query("SHOW INDEXES YIELD name RETURN name")["name"])
    assert {s.split()[2] for s in render_schema(SCHEMA)} <= names

    statements = _statements(batch)
    resolution = {cypher.RESOLVE_PERSON_IDS, cypher.RESOLVE_SET, cypher.RESOLVE_CLEAR_MERGES}
    assert resolution <= {text for _, text, _ in statements}
    auth = (neo4j_env["NETINTEL_NEO4J_USER"], neo4j_env.get("NETINTEL_NEO4J_PASSWORD", ""))
    problems = []
    # A driver of its own, with every notification on (netintel's store mutes some).
    with (
        neo4j.GraphDatabase.driver(neo4j_env["NETINTEL_NEO4J_URI"], auth=auth) as driver,
        driver.session(database=neo4j_env.get("NETINTEL_NEO4J_DATABASE")) as session,
    ):
        for what, text, params in statements:
            missing = set(_PARAM.findall(text)) - set(params)
            assert not missing, f"{what}: parameters {missing} not supplied"
            try:
                summary = session.run(f"EXPLAIN {text}", params).consume()
            except neo4j.exceptions.Neo4jError as e:
                problems.append(f"{what}: {e.code}: {e.message}\n{text}")
                continue
            if summary.plan is None:
                problems.append(f"{what}: no plan")
            for note in summary.gql_status_objects:
                if note.is_notification and note.severity == neo4j.NotificationSeverity.WARNING:
                    problems.append(f"{what}: {note.gql_status} {note.status_description}")
    assert not problems, "\n\n".join(problems)
    assert len(statements) > 150


def test_names_no_node_holds_yet_raise_no_warning_on_the_terminal(neo4j_env, caplog):
    """netintel's statements name every declared property, also those no node holds yet (a
    fresh database has none): the server's "does not exist" notifications, which the driver
    logs as warnings, stay off the user's terminal. A plain driver shows what they were."""
    import logging

    import neo4j

    text = "MATCH (p:Person) RETURN p.netintel_never_set AS x"
    auth = (neo4j_env["NETINTEL_NEO4J_USER"], neo4j_env.get("NETINTEL_NEO4J_PASSWORD", ""))
    with caplog.at_level(logging.WARNING, logger="neo4j.notifications"):
        with neo4j.GraphDatabase.driver(neo4j_env["NETINTEL_NEO4J_URI"], auth=auth) as driver:
            driver.execute_query(text, database_=neo4j_env.get("NETINTEL_NEO4J_DATABASE"))
        assert any("does not exist" in r.getMessage() for r in caplog.records)
        caplog.clear()
        with _store(neo4j_env) as store:
            assert store.query(text).empty
    assert not caplog.records, [r.getMessage() for r in caplog.records]


# -- bulk import with Neo4j's own tool ----------------------------------------------------
def _printed_command(stdout: str) -> list[str]:
    """The ``neo4j-admin ...`` command netintel export prints, as arguments."""
    start = stdout.index("neo4j-admin database import full")
    lines = []
    for line in stdout[start:].splitlines():
        lines.append(line.rstrip("\\").strip())
        if not line.rstrip().endswith("\\"):
            break
    return shlex.split(" ".join(lines))


def test_neo4j_admin_imports_an_export_of_the_neo4j_store(
    neo4j_env, neo4j_local, tmp_path, monkeypatch
):
    """fixtures/small plus hostile values in every declared property of every label and type
    (text spanning lines, quotes, commas) go into Neo4j; ``netintel export --format
    neo4j-admin`` reads them from there; Neo4j's own ``neo4j-admin database import full``
    loads the folder into a new server exactly as printed; that server holds the same nodes,
    relationships and values."""
    server = neo4j_local
    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    uri = neo4j_env["NETINTEL_NEO4J_URI"]
    with netintel.open(uri) as ws:
        ws.store.write(ingest_files(**FILES).batch)
        texts = tuple(t.replace(";", ".") for t in HOSTILE_TEXTS)  # ; joins list elements
        ws.store.write(hostile_batch(rows=len(texts), texts=texts))
        counts = ws.query.stats()
        rows = stored_rows(ws.store)
    assert counts["Person"] > 50 and all(counts.values())
    assert any("\n" in str(v) for row in rows["Person"] for v in row)

    folder = tmp_path / "export"
    result = cli(
        "export",
        "--neo4j",
        uri,
        "--format",
        "neo4j-admin",
        folder,
        "--database",
        "case",
        "--purpose",
        "copy to a second server",
        "--recipient",
        "the test's own server",
    )
    assert result.exit_code == 0, result.output
    args = _printed_command(result.stdout)
    assert args[:4] == ["neo4j-admin", "database", "import", "full"] and args[-1] == "case"
    assert "--multiline-fields=true" in args  # the hostile text spans lines

    home = tmp_path / "imported"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text(
        server.render_conf(home, server.free_port()), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)  # nothing the tool writes lands in the repository
    done = server.admin(home, *args[1:])
    assert done.returncode == 0, f"neo4j-admin refused the export:\n{done.stdout}\n{done.stderr}"
    assert "IMPORT DONE" in done.stdout and (folder / "import.report").is_file()
    started = server.start(home, default_database="case", heap="512m", pagecache="64m")
    try:
        env = started.env() | {"NETINTEL_NEO4J_DATABASE": "case"}
        with _store(env, read_only=True) as copy:
            assert copy.counts() == counts
            assert stored_rows(copy) == rows
        # Then netintel's constraints and indexes, as the export's README says.
        with _store(env) as copy:
            for statement in (folder / "schema.cypher").read_text(encoding="utf-8").split(";\n"):
                if statement.strip():
                    copy.query(statement, write=True)
            names = set(copy.query("SHOW CONSTRAINTS YIELD name RETURN name")["name"])
            assert {s.split()[2] for s in render_schema(SCHEMA) if "CONSTRAINT" in s} <= names
    finally:
        server.stop(home, timeout=5)  # a throwaway: no need to wait for a clean shutdown


# -- how driver errors reach a user -------------------------------------------------------
def test_a_wrong_password_is_a_clear_store_error_that_does_not_repeat_it(neo4j_server, monkeypatch):
    if not neo4j_server.get("NETINTEL_NEO4J_PASSWORD"):
        pytest.skip("the test server runs without authentication")
    wrong = "not-" + secrets.token_urlsafe(12)
    env = neo4j_server | {"NETINTEL_NEO4J_PASSWORD": wrong}
    with pytest.raises(StoreError) as err:
        _store(env)
    message = str(err.value)
    assert "refused the credentials" in message and "NETINTEL_NEO4J_PASSWORD" in message
    assert neo4j_server["NETINTEL_NEO4J_URI"] in message
    assert f"connecting as {neo4j_server['NETINTEL_NEO4J_USER']!r}" in message
    for secret in (wrong, neo4j_server["NETINTEL_NEO4J_PASSWORD"]):
        assert secret not in message and secret not in repr(err.value.__cause__)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = cli("stats", "--neo4j", env["NETINTEL_NEO4J_URI"])
    assert result.exit_code == 1 and "refused the credentials" in result.output
    assert wrong not in result.output


def test_a_failed_batch_names_the_rows_and_keeps_the_server_error(neo4j_env):
    """A relationship id reused between other endpoints breaks the uniqueness constraint on
    relationship ids: the error names the type, the batch and its rows."""
    phones = GraphBatch()
    phones.add_nodes("Phone", pd.DataFrame({"id": list("ABCDEF"), "sources": [["c1"]] * 6}))
    first = GraphBatch()
    first.extend(phones)
    first.add_edges(
        "CALLED",
        "Phone",
        "Phone",
        pd.DataFrame({"from": ["A"], "to": ["B"], "id": ["R-9"], "sources": [["c1"]]}),
    )
    later = GraphBatch()
    later.add_edges(
        "CALLED",
        "Phone",
        "Phone",
        pd.DataFrame(
            {
                "from": ["C", "D", "E"],
                "to": ["D", "E", "F"],
                "id": ["R-2", "R-3", "R-9"],  # R-9 again, between E and F (last in id order)
                "sources": [["c2"]] * 3,
            }
        ),
    )
    env = neo4j_env | {"NETINTEL_NEO4J_BATCH_SIZE": "2"}
    with _store(env) as store:
        store.write(first)
        with pytest.raises(
            StoreError, match=r"writing CALLED \(Phone\)->\(Phone\), batch 2 of 2, rows 2-2"
        ) as err:
            store.write(later)
        assert "ConstraintValidationFailed" in str(err.value)
        assert err.value.__cause__ is not None  # raised from the driver's error
        assert store.counts()["CALLED"] == 3  # the first batch of two was committed
