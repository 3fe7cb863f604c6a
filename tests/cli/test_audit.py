"""Every access on the record, through the command line: who, why, what, and the files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import netintel
from netintel.audit import audit_log

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
FILES = [f"--{k}" for k in ("arrests", "seizures", "communications", "links")]


def run(*args: object):
    return CliRunner().invoke(netintel.cli.app, [str(a) for a in args])


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("audit") / "case.db"
    args = [a for k in FILES for a in (k, SMALL / f"{k[2:]}.csv")]
    assert run("--user", "ana", "ingest", "--db", db, *args).exit_code == 0
    return db


def _entries(db: Path) -> list[dict]:
    return [json.loads(line) for line in Path(f"{db}.audit.jsonl").read_text().splitlines()]


def test_ingest_rank_export_verify(case, tmp_path):
    out = tmp_path / "t.csv"
    result = run("--user", "bo", "rank", "--db", case, "--top", 5, "--out", out,
                 "--purpose", "case 7 briefing")  # fmt: skip
    assert result.exit_code == 0, result.stdout
    entries = _entries(case)
    assert entries[0]["action"] == "collection" and entries[0]["user"] == "ana"
    consulted, recorded, disclosed = [e for e in entries if e["outcome"] != "started"][-3:]
    assert (
        consulted["action"] == "consultation" and consulted["operation"] == "network.rank_targets"
    )
    # the run is recorded for netintel changes: an alteration of the case, on the record
    assert recorded["action"] == "alteration" and recorded["operation"] == "changes.record_run"
    assert consulted["record_count"] > 0 and consulted["parameters"]["top"] == 5
    assert disclosed["action"] == "disclosure" and disclosed["user"] == "bo"
    assert disclosed["purpose"] == "case 7 briefing" and disclosed["output"] == str(out)
    assert disclosed["output_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    verified = run("audit", "verify", "--db", case)
    assert verified.exit_code == 0 and "verified" in verified.stdout


def test_a_file_without_a_purpose_is_refused_before_any_work(case, tmp_path):
    before = len(_entries(case))
    result = run("rank", "--db", case, "--out", tmp_path / "t.csv")
    assert result.exit_code == 1 and "needs --purpose" in result.stderr
    assert "\n" not in result.stderr.strip() and not (tmp_path / "t.csv").exists()
    assert len(_entries(case)) == before


@pytest.mark.parametrize(
    "command",
    [
        ["rank", "--out", "{tmp}/t.csv"],
        ["rings", "--out", "{tmp}/r.csv"],
        ["brokers", "--out", "{tmp}/b.csv"],
        ["keyplayers", "--k", "2", "--out", "{tmp}/k.csv"],
        ["disrupt", "--steps", "2", "--out", "{tmp}/d.csv"],
        ["routes", "--out", "{tmp}/c.csv", "--geojson", "{tmp}/c.geojson"],
        ["chokepoints", "--out", "{tmp}/p.csv"],
        ["timeline", "--out", "{tmp}/tl.csv"],
        ["suggest-links", "--top", "3", "--out", "{tmp}/s.csv"],
        ["query", "phones_shared_by_arrestees", "--out", "{tmp}/q.json"],
        ["export", "--format", "gexf", "{tmp}/g.gexf"],
        ["export", "--format", "neo4j-admin", "{tmp}/admin"],
    ],
)
def test_every_export_leaves_a_disclosure_with_user_purpose_and_hash(case, tmp_path, command):
    args = [a.format(tmp=tmp_path) for a in command]
    before = len(_entries(case))
    result = run("--user", "cam", "--purpose", "oversight sample", args[0], "--db", case, *args[1:])
    assert result.exit_code == 0, result.stdout + result.stderr
    written = [e for e in _entries(case)[before:] if e["action"] == "disclosure"]
    assert written, "no disclosure recorded"
    for entry in written:
        assert entry["user"] == "cam" and entry["purpose"] == "oversight sample"
        assert Path(entry["output"]).exists() and len(entry["output_sha256"]) == 64
    assert run("audit", "verify", "--db", case).exit_code == 0


def test_verify_fails_after_an_edit_and_names_the_seq(case, tmp_path):
    copy = tmp_path / "copy.jsonl"
    assert run("audit", "export", "--db", case, "--out", copy).exit_code == 0
    assert run("audit", "verify", "--file", copy).exit_code == 0
    lines = copy.read_text().splitlines()
    edited = json.loads(lines[1])
    edited["user"] = "nobody"
    lines[1] = json.dumps(edited)
    copy.write_text("\n".join(lines) + "\n")
    result = run("audit", "verify", "--file", copy)
    assert result.exit_code == 1 and "seq 2" in result.stderr and "edited" in result.stderr


def test_verify_fails_after_the_last_entry_is_removed(tmp_path):
    db = tmp_path / "c.db"
    with netintel.open(db, user="ana") as ws:
        ws.query.stats()
        ws.query.stats()
    log = Path(f"{db}.audit.jsonl")
    log.write_text("".join(log.read_text().splitlines(keepends=True)[:-1]))
    result = run("audit", "verify", "--db", db)
    assert result.exit_code == 1 and "seq 2" in result.stderr and "removed" in result.stderr


def test_show_filters_by_user_and_action(case):
    result = run("audit", "show", "--db", case, "--by", "ana", "--action", "collection", "--json")
    shown = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and [e["action"] for e in shown] == ["collection"] * 2
    assert [e["outcome"] for e in shown] == ["started", "ok"]  # on the record before it ran
    assert shown[0]["user"] == "ana"
    assert "2 audit entries" in run("audit", "show", "--db", case, "--by", "ana").stdout
    assert run("audit", "show", "--db", case, "--action", "reading").exit_code == 1


def test_notebook_calls_are_on_the_record(case, monkeypatch):
    monkeypatch.setenv("NETINTEL_USER", "dana")
    with netintel.open(case, read_only=True) as ws:
        ws.network.ring_profiles(runs=2)
        ws.cypher("MATCH (p:Person) RETURN count(p) AS n")
        log = audit_log(ws.store)
        last = log.entries()[-2:]
    assert [e["operation"] for e in last] == ["network.ring_profiles", "query.cypher"]
    assert all(e["user"] == "dana" and e["command"].startswith("ws.") for e in last)
    assert last[1]["parameters"]["query"] == "MATCH (p:Person) RETURN count(p) AS n"


def test_a_notebook_file_needs_a_purpose(case, tmp_path):
    refused = pytest.raises(netintel.audit.AuditError, match="purpose")
    with netintel.open(case, read_only=True) as ws, refused:
        ws.routes.geojson(tmp_path / "r.geojson")
    assert not (tmp_path / "r.geojson").exists()


def test_credentials_never_reach_the_log(case, monkeypatch):
    monkeypatch.setenv("NETINTEL_NEO4J_PASSWORD", "s3cr3t-pw")
    with netintel.open(case, read_only=True, user="ana") as ws:
        ws.cypher("MATCH (p:Person) WHERE p.name = $n RETURN p.id", n="s3cr3t-pw")
    assert "s3cr3t-pw" not in Path(f"{case}.audit.jsonl").read_text()
