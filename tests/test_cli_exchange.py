"""End to end: saved queries, export and import, GDS messages, driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netintel.cli import app

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "fixtures" / "small"
runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def db(small_db) -> Path:
    return small_db


def test_query_list_names_every_query_and_its_parameters():
    out = cli("query", "--list")
    assert out.exit_code == 0, out.output
    for name in ("people_near_gate_seizure", "shortest_evidence_path", "calls_between_prefixes"):
        assert name in out.output
    assert "--param case_id=<string>" in out.output and "Example:" in out.output


def test_query_runs_with_parameters_and_writes_json(db, tmp_path):
    out = cli(
        "query",
        "calls_between_prefixes",
        "--db",
        db,
        "--param",
        "prefix_a=+856",
        "--param",
        "since=2023-01-01",
        "--format",
        "json",
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows and all(r["date"] >= "2023-01-01" for r in rows)
    assert all("+856" in (r["caller"][:4] + r["callee"][:4]) for r in rows)
    target = tmp_path / "shared.csv"
    out = cli("query", "phones_shared_by_arrestees", "--db", db, "--out", target)
    assert out.exit_code == 0 and target.read_text().startswith("phone,")


def test_query_errors_are_clear(db):
    out = cli("query", "people_linked_to_case", "--db", db)
    assert out.exit_code == 1 and "needs --param case_id" in out.output
    out = cli("query", "no_such_query", "--db", db)
    assert out.exit_code == 1 and "no saved query 'no_such_query'" in out.output
    out = cli("query", "calls_between_prefixes", "--db", db, "--param", "since=yesterday")
    assert out.exit_code == 1 and "since must be a date" in out.output


def test_export_neo4j_admin_and_import_round_trip(db, tmp_path):
    folder = tmp_path / "export"
    out = cli("export", "--db", db, "--format", "neo4j-admin", folder)
    assert out.exit_code == 0, out.output
    assert "neo4j-admin database import full" in out.stdout
    assert (folder / "README.md").is_file() and (folder / "nodes_Person.csv").is_file()
    copy = tmp_path / "copy.db"
    out = cli("import", "--format", "neo4j-admin", folder, "--db", copy)
    assert out.exit_code == 0, out.output
    before = json.loads(cli("stats", "--db", db, "--json").stdout)
    after = json.loads(cli("stats", "--db", copy, "--json").stdout)
    assert before == after and before["Person"] > 50


def test_export_for_gephi(db, tmp_path):
    out = cli("export", "--db", db, "--format", "gexf", tmp_path / "people.gexf")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "people.gexf").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    out = cli("export", "--db", db, "--format", "dot", tmp_path / "x.dot")
    assert out.exit_code == 2 and "neo4j-admin, graphml, gexf" in out.output


def test_gds_on_the_embedded_store_says_what_it_needs(db):
    out = cli("gds", "centrality", "--db", db)
    assert out.exit_code == 1
    assert "Neo4j server with Graph Data Science" in out.output
    assert "--engine networkx" in " ".join(out.output.split())
