"""Units of work on a live Neo4j server: one transaction for a resolution or a review
apply, an :IngestRun marker for an ingest (see netintel.store.neo4j_runs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_contract import FILES

import netintel
from netintel.batch import GraphBatch
from netintel.resolve.store import FORGET_MERGES, FORGET_MODEL_MERGES, FORGET_REJECTIONS
from netintel.store import neo4j_runs
from netintel.store.neo4j import Neo4jSettings, Neo4jStore


def _store(env: dict[str, str], **kwargs: Any) -> Neo4jStore:
    return Neo4jStore(settings=Neo4jSettings.from_env(env=env), **kwargs)


@pytest.fixture
def neo4j_env(neo4j_server) -> dict[str, str]:
    with _store(neo4j_server) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
    return dict(neo4j_server)


def _phones(*ids: str) -> GraphBatch:
    b = GraphBatch()
    b.add_nodes("Phone", pd.DataFrame({"id": list(ids), "sources": [["r1"]] * len(ids)}))
    return b


def test_the_server_accepts_the_unit_of_work_statements(neo4j_env):
    texts = [
        neo4j_runs.START_RUN,
        neo4j_runs.FINISH_RUN,
        neo4j_runs.SUPERSEDE_RUNS,
        neo4j_runs.UNFINISHED_RUNS,
        neo4j_runs.PRUNE_RUNS,
        FORGET_MERGES,
        FORGET_MODEL_MERGES,
        FORGET_REJECTIONS,
    ]
    with _store(neo4j_env) as store:
        for text in texts:
            store.query(f"EXPLAIN {text}", write=True)


def test_a_failed_ingest_is_named_and_a_rerun_completes_it(neo4j_env):
    store = _store(neo4j_env)
    with pytest.raises(RuntimeError), store.transaction("ingest", bulk=True):
        store.write(_phones("+84900000001"))
        raise RuntimeError("disk full")
    store.close()
    with _store(neo4j_env, read_only=True) as reader:
        assert reader.counts()["Phone"] == 1  # batches commit one by one: part of it is there
        assert "an ingest started " in reader.notice
        assert "failed (RuntimeError: disk full)" in reader.notice
        assert "re-running the same ingest completes it" in reader.notice
        assert reader.counts().get(neo4j_runs.RUN_LABEL) is None  # not a data label
    with _store(neo4j_env) as store, store.transaction("ingest", bulk=True):
        store.write(_phones("+84900000001", "+84900000002"))
    with _store(neo4j_env, read_only=True) as reader:
        assert reader.notice is None
        states = reader.query(f"MATCH (r:{neo4j_runs.RUN_LABEL}) RETURN r.state AS s")["s"]
        assert sorted(states) == ["complete", "superseded"]
    with _store(neo4j_env) as store:  # only the newest complete run is kept
        store.write(_phones("+84900000003"))
        store.write(_phones("+84900000004"))
        runs = store.query(f"MATCH (r:{neo4j_runs.RUN_LABEL}) RETURN r.action AS a, r.state AS s")
    assert sorted(zip(runs["a"], runs["s"], strict=True)) == [
        ("ingest", "complete"),
        ("ingest", "superseded"),
        ("load", "complete"),
    ]


def test_a_killed_ingest_is_said_to_be_interrupted(neo4j_env):
    child = textwrap.dedent(
        """
        import sys, time, netintel
        ws = netintel.open(sys.argv[1])
        with ws.store.transaction("ingest", bulk=True):
            print("running", flush=True)
            time.sleep(60)
        """
    )
    env = {**os.environ, **neo4j_env}
    uri = neo4j_env["NETINTEL_NEO4J_URI"]
    proc = subprocess.Popen(
        [sys.executable, "-c", child, uri], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout.readline().strip() == "running"
        with _store(neo4j_env, read_only=True) as reader:
            assert f"by pid {proc.pid} " in reader.notice
            assert " is running;" in reader.notice
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    with _store(neo4j_env, read_only=True) as reader:
        assert " was interrupted;" in reader.notice


def test_a_resolution_runs_in_one_transaction(neo4j_env, monkeypatch):
    """A resolution that fails after clearing the merges leaves the last one in place."""
    import netintel.resolve.store as resolve_store

    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    uri = neo4j_env["NETINTEL_NEO4J_URI"]
    with netintel.open(uri) as ws:
        ws.records.ingest(**FILES)
        before = ws.records.people()[["person_id", "resolved_id"]]
        merges = ws.store.counts()["SAME_AS"]
        assert merges > 0

        def clear_then_fail(store, result):
            clear = resolve_store.cypher.RESOLVE_CLEAR_MERGES
            store.query(clear, {"reviewer": resolve_store.REVIEWER}, write=True)
            raise RuntimeError("interrupted")

        monkeypatch.setattr(resolve_store, "write_resolution", clear_then_fail)
        with pytest.raises(RuntimeError, match="interrupted"):
            ws.records.resolve()
    with netintel.open(uri, read_only=True) as ws:
        after = ws.records.people()[["person_id", "resolved_id"]]
        assert ws.store.counts()["SAME_AS"] == merges
    pd.testing.assert_frame_equal(after, before)


def test_killing_review_apply_on_neo4j_never_loses_a_decision(neo4j_env, monkeypatch, tmp_path):
    """The reviewers' decisions applied again with a few more, and `review apply` SIGKILLed
    at 4 points: every stored decision is still there, the next resolve honours them."""
    from test_atomic import _children, _run, _state

    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)  # the children read them
    uri = neo4j_env["NETINTEL_NEO4J_URI"]
    with netintel.open(uri) as ws:
        ws.records.ingest(**FILES)
        merged = ws.store.query(
            "MATCH (a:Person)-[r:SAME_AS]->(b:Person) RETURN a.id AS left_id, b.id AS right_id "
            "ORDER BY left_id, right_id"
        )
        first = merged.iloc[:8].assign(decision="reject")
        ws.records.review_apply(first)
    stored = _state(uri)[2]
    assert len(stored) == 8
    decisions = tmp_path / "decisions.csv"
    pd.concat([first, merged.iloc[8:12].assign(decision="reject")]).to_csv(decisions, index=False)
    children = _children([uri] * 5, "review", str(decisions))
    took = _run(children[0], None)
    for child, delay in zip(children[1:], np.linspace(0.05, took * 0.95, 4), strict=True):
        _run(child, float(delay))
        assert stored <= _state(uri)[2], f"killed at {delay:.2f}s: decisions lost"
    with netintel.open(uri) as ws:
        ws.records.resolve()
        people = ws.records.people().set_index("person_id")["resolved_id"]
    for left, right, _decision in _state(uri)[2]:
        assert people[left] != people[right]
