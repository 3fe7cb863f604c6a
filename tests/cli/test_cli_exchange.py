"""End to end: export and import, GDS messages, driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"


def test_export_neo4j_admin_and_import_round_trip(db, tmp_path, cli):
    folder = tmp_path / "export"
    # a full copy: restricted records too, disclosed with a purpose and a recipient
    out = cli(
        "export", "--db", db, "--format", "neo4j-admin", "--recipient", "the case team", folder
    )
    assert out.exit_code == 0, out.output
    assert "neo4j-admin database import full" in out.stdout
    assert (folder / "README.md").is_file() and (folder / "nodes_Person.csv").is_file()
    copy = tmp_path / "copy.db"
    out = cli("import", "--format", "neo4j-admin", folder, "--db", copy)
    assert out.exit_code == 0, out.output
    before = json.loads(cli("stats", "--db", db, "--json").stdout)
    after = json.loads(cli("stats", "--db", copy, "--json").stdout)
    assert before == after and before["Person"] > 50
    # bringing another case's graph in is on the copy's record as a combination
    log = Path(f"{copy}.audit.jsonl").read_text(encoding="utf-8").splitlines()
    combined = [e for e in map(json.loads, log) if e["action"] == "combination"]
    assert [e["outcome"] for e in combined] == ["ok"]
    assert combined[0]["operation"] == "records.combine" and combined[0]["purpose"]
    assert cli("audit", "verify", "--db", copy).exit_code == 0


def test_export_for_gephi(db, tmp_path, cli):
    out = cli("export", "--db", db, "--format", "gexf", tmp_path / "people.gexf")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "people.gexf").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    out = cli("export", "--db", db, "--format", "dot", tmp_path / "x.dot")
    assert out.exit_code == 2 and "neo4j-admin, graphml, gexf" in out.output


def test_gds_on_the_embedded_store_says_what_it_needs(db, cli):
    out = cli("gds", "centrality", "--db", db)
    assert out.exit_code == 1
    assert "Neo4j server with Graph Data Science" in out.output
    assert "--engine networkx" in " ".join(out.output.split())
