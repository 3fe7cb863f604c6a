"""The run history and the watchlist on every store: the embedded LadybugDB store and a live
Neo4j server (the root conftest's ``neo4j_server``) give the same runs, changes, watches and
alerts for the same deliveries.

    .venv/bin/pytest tests/store/test_history_contract.py -k embedded   # no Java needed
    NETINTEL_REQUIRE_NEO4J=1 .venv/bin/pytest tests/store/test_history_contract.py
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

import netintel
from netintel.schema import load_schema
from netintel.store import cypher, history

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"
KINDS = ("arrests", "seizures", "communications", "links")
#: A profile name no statement may run as Cypher: stored and read back verbatim.
HOSTILE = 'x\'}) MATCH (n) DETACH DELETE n // "$rows"'
#: Found on both stores by the scenario (the Neo4j half compares with the embedded one).
FOUND: dict[str, Any] = {}


@pytest.fixture(params=["embedded", "neo4j"])
def location(request, tmp_path, monkeypatch) -> str:
    if request.param == "embedded":
        return str(tmp_path / "case.db")
    env = request.getfixturevalue("neo4j_server")
    monkeypatch.delenv("NETINTEL_NEO4J_URI", raising=False)
    for name, value in env.items():
        if name != "NETINTEL_NEO4J_URI":
            monkeypatch.setenv(name, value)
    with netintel.open(env["NETINTEL_NEO4J_URI"]) as ws:  # the shared database, emptied
        ws.cypher("MATCH (n) DETACH DELETE n", write=True)
    return env["NETINTEL_NEO4J_URI"]


def deliveries(folder: Path) -> dict[str, dict[str, Path]]:
    """fixtures/small as a first delivery (60% of each file) and then all of it."""
    parts: dict[str, dict[str, Path]] = {"first": {}, "all": {}}
    for kind in KINDS:
        with open(SMALL / f"{kind}.csv", encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        for part, chunk in (("first", rows[: len(rows) * 6 // 10]), ("all", rows)):
            path = folder / part / f"{kind}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([header, *chunk])
            parts[part][kind] = path
    return parts


def scenario(location: str, folder: Path) -> dict[str, Any]:
    parts = deliveries(folder)
    with netintel.open(location, purpose="store contract") as ws:
        ws.ingest(**parts["first"])
        first = ws.changes.record_run(ws.rank_targets(top=20), profile=HOSTILE)
        phone = ws.changes.watch("0838 174 170")  # named by the second delivery only
        person = ws.changes.watch("Vienglay Xayvongsa")
        since = ws.changes.runs()["data_version"].iloc[0]  # the data version ranked first
        ws.ingest(**parts["all"])
        raised = ws.changes.check_alerts(since=since)
        again = ws.changes.check_alerts(since=since)  # stored once
        second = ws.changes.record_run(ws.rank_targets(top=20))
        runs = ws.changes.runs()
        changes = ws.changes.compare(top=20)
        removed = ws.changes.unwatch(phone.loc[0, "watch_id"])
        return {
            "runs": runs["run_id"].tolist() == [first, second],
            "profile": runs["profile_name"].tolist(),
            "people": runs["people"].tolist(),
            "versions": runs["record_versions"].tolist(),
            "watched": [phone.loc[0, "value"], person.loc[0, "kind"]],
            "alerts": sorted((a.value, tuple(a.records)) for a in raised.itertuples()),
            "alerts_again": sorted(again["alert_id"]) == sorted(raised["alert_id"]),
            "stored": len(ws.changes.alerts()),
            "changes": sorted((c.change, c.name, tuple(c.records)) for c in changes.itertuples()),
            "removed": removed["value"].tolist(),
            "left": ws.changes.watchlist()["kind"].tolist(),
            "history": sorted(
                int(ws.cypher(cypher.count_nodes(load_schema(), label)).iloc[0, 0])
                for label in history.HISTORY_LABELS
            ),
        }


def test_runs_changes_watches_and_alerts_are_the_same_on_both_stores(location, tmp_path):
    found = scenario(location, tmp_path)
    assert found["runs"] and found["profile"] == [HOSTILE, "default"]
    assert found["people"] == [20, 20] and 0 < found["versions"][0] < found["versions"][1]
    assert found["watched"] == ["+84838174170", "person"]
    phone_alerts = [records for value, records in found["alerts"] if value == "+84838174170"]
    assert phone_alerts and all(r.startswith(("COM-", "ARR-")) for r in phone_alerts[0])
    assert found["alerts_again"] and found["stored"] == len(found["alerts"])
    entered = [c for c in found["changes"] if c[0] == "entered"]
    assert entered and all(records for _, _, records in entered)
    assert found["removed"] == ["+84838174170"] and found["left"] == ["person"]
    assert found["history"] == sorted([2, 1, found["stored"]])  # runs, a watch, alerts
    if location.startswith(("bolt", "neo4j")):
        if "embedded" not in FOUND:
            FOUND["embedded"] = scenario(str(tmp_path / "twin.db"), tmp_path / "twin")
        assert found == FOUND["embedded"], "Neo4j and the embedded store differ"
    else:
        FOUND["embedded"] = found
