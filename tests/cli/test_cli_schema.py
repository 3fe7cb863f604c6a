"""netintel schema, as a user runs it."""

from __future__ import annotations

import json


def test_schema_lists_what_cypher_can_ask_for(cli, db):
    out = cli("schema", "--db", db, "--format", "json")
    assert out.exit_code == 0, out.output
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert rows["USES"]["endpoints"] == "(Person)-[:USES]->(Phone)"
    assert rows["Person"]["count"] > 0 and "name_key STRING" in rows["Person"]["properties"]
    out = cli("schema", "Person", "CALLED", "--db", db)
    assert out.exit_code == 0 and "CALLED" in out.output and "Seizure" not in out.output


def test_schema_names_an_unknown_label(cli, db):
    out = cli("schema", "Persn", "--db", db)
    assert out.exit_code == 2 and "not in the schema: Persn" in out.output
