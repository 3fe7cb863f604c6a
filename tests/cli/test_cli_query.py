"""Saved queries driven as a user would: the list, parameters, output formats, errors."""

from __future__ import annotations

import json


def test_query_list_names_every_query_and_its_parameters(cli):
    out = cli("query", "--list")
    assert out.exit_code == 0, out.output
    for name in ("people_near_gate_seizure", "shortest_evidence_path", "calls_between_prefixes"):
        assert name in out.output
    assert "--param case_id=<string>" in out.output and "Example:" in out.output


def test_query_runs_with_parameters_and_writes_json(db, tmp_path, cli):
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
    assert out.exit_code == 0 and target.read_text(encoding="utf-8-sig").startswith("phone,")


def test_query_errors_are_clear(db, cli):
    out = cli("query", "people_linked_to_case", "--db", db)
    assert out.exit_code == 1 and "needs --param case_id" in out.output
    out = cli("query", "no_such_query", "--db", db)
    assert out.exit_code == 1 and "no saved query 'no_such_query'" in out.output
    out = cli("query", "calls_between_prefixes", "--db", db, "--param", "since=yesterday")
    assert out.exit_code == 1 and "since must be a date" in out.output
