"""``store.open``: the one place that picks the backend for a location."""

from __future__ import annotations

import pytest

from netintel import store
from netintel.errors import StoreError
from netintel.store.embedded import EmbeddedStore
from netintel.store.neo4j import Neo4jStore


@pytest.fixture
def no_location_set(monkeypatch, tmp_path):
    monkeypatch.delenv("NETINTEL_NEO4J_URI", raising=False)
    monkeypatch.delenv("NETINTEL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_path_opens_the_embedded_store(tmp_path):
    with store.open(tmp_path / "case.db") as s:
        assert isinstance(s, EmbeddedStore) and not s.read_only
        assert s.path == tmp_path / "case.db"
    with store.open(str(tmp_path / "case.db"), read_only=True) as s:
        assert isinstance(s, EmbeddedStore) and s.read_only


def test_without_a_location_the_environment_decides(no_location_set, monkeypatch):
    with store.open() as s:
        assert isinstance(s, EmbeddedStore) and str(s.path) == store.DEFAULT_DB
    monkeypatch.setenv("NETINTEL_DB", str(no_location_set / "env.db"))
    with store.open() as s:
        assert s.path == no_location_set / "env.db"
    # a Neo4j URI in the environment comes first (here one nothing listens on)
    monkeypatch.setenv("NETINTEL_NEO4J_URI", "bolt://127.0.0.1:9")
    assert store.default_location() == "bolt://127.0.0.1:9"
    with pytest.raises(StoreError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:9"):
        store.open()


def test_what_cannot_be_opened_is_named(tmp_path):
    with pytest.raises(StoreError, match=r"http://db\.example\.org: unknown URI scheme.*bolt://"):
        store.open("http://db.example.org")
    with pytest.raises(StoreError, match=f"no netintel database at {tmp_path / 'none.db'}"):
        store.open(tmp_path / "none.db", read_only=True)


def test_a_neo4j_uri_opens_the_neo4j_store(neo4j_server, monkeypatch):
    for name, value in neo4j_server.items():
        monkeypatch.setenv(name, value)
    with store.open(neo4j_server["NETINTEL_NEO4J_URI"], read_only=True) as s:
        assert isinstance(s, Neo4jStore) and s.read_only
        assert s.backend == "neo4j"
