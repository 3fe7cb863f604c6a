"""The audit log on both stores: a Neo4j database keeps it as :AuditEntry nodes, and the same
edits, removals and truncations are found there (NETINTEL_REQUIRE_NEO4J=1 to fail loudly)."""

from __future__ import annotations

import pytest

import netintel
import netintel.store
from netintel.audit.graph import ENTRY, HEAD


@pytest.fixture(params=["embedded", "neo4j"])
def location(request, tmp_path, monkeypatch) -> str:
    if request.param == "embedded":
        netintel.store.open(tmp_path / "case.db").close()  # a read-only open needs it to exist
        return str(tmp_path / "case.db")
    env = request.getfixturevalue("neo4j_server")
    monkeypatch.delenv("NETINTEL_NEO4J_URI", raising=False)
    for name, value in env.items():
        if name != "NETINTEL_NEO4J_URI":
            monkeypatch.setenv(name, value)
    with netintel.open(env["NETINTEL_NEO4J_URI"]) as ws:
        ws.store.query(f"MATCH (n) WHERE n:{ENTRY} OR n:{HEAD} DETACH DELETE n", write=True)
    return env["NETINTEL_NEO4J_URI"]


def _consult(location: str, n: int = 4) -> None:
    with netintel.open(location, read_only=True, user="ana", purpose="audit test") as ws:
        for _ in range(n):
            ws.query.stats()


def test_a_read_only_workspace_is_on_the_record_and_verifies(location):
    _consult(location)
    with netintel.open(location, read_only=True) as ws:
        result = ws.audit.verify()
        entries = ws.audit.entries()
    assert result.ok and result.seq == 4, result
    assert {e["user"] for e in entries} == {"ana"} and entries[-1]["operation"] == "query.stats"


def test_an_edited_entry_is_found(location):
    _consult(location)
    with netintel.open(location) as ws:
        if ws.store.backend == "neo4j":
            ws.store.query(f"MATCH (e:{ENTRY} {{seq: 2}}) SET e.user = 'mallory'", write=True)
        else:
            path = ws.audit._backend.path
            path.write_text(path.read_text().replace('"user":"ana"', '"user":"mallory"', 2))
        found = ws.audit.verify()
    assert not found.ok and found.broken.seq in (1, 2)


def test_removing_the_last_entry_is_found(location):
    _consult(location)
    with netintel.open(location) as ws:
        if ws.store.backend == "neo4j":
            ws.store.query(f"MATCH (e:{ENTRY} {{seq: 4}}) DELETE e", write=True)
            found = ws.audit.verify()
        else:
            path = ws.audit._backend.path
            path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))
            found = ws.audit.verify()
    assert not found.ok and "removed" in found.broken.reason


def test_removing_a_middle_entry_is_found(location):
    _consult(location)
    with netintel.open(location) as ws:
        if ws.store.backend == "neo4j":
            ws.store.query(f"MATCH (e:{ENTRY} {{seq: 2}}) DELETE e", write=True)
        else:
            path = ws.audit._backend.path
            lines = path.read_text().splitlines(keepends=True)
            path.write_text("".join(lines[:1] + lines[2:]))
        found = ws.audit.verify()
    assert not found.ok and found.broken.seq == 2
