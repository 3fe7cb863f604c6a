"""Handling codes govern what leaves: restricted records (handling C) and what they alone
produced are withheld from every export and written table unless the disclosure names a
purpose and a recipient; --pseudonymise replaces names and identifiers with keyed hashes."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import netintel
from netintel.report.disclosure import Disclosure, record_gradings

KEY = "a-key-shared-with-the-partner-agency"


@pytest.fixture(scope="module")
def restricted(small_db: Path) -> set[str]:
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        gradings = record_gradings(ws.store)
    ids = {s for s, g in gradings.items() if g.endswith("C")}
    assert ids and len(ids) < len(gradings)  # fixtures/small has both kinds
    return ids


def _sources(G: nx.Graph) -> set[str]:
    found: set[str] = set()
    for _, data in list(G.nodes(data=True)) + [(None, d) for *_, d in G.edges(data=True)]:
        for col in ("sources", "evidence"):
            if col in data:
                found |= {s.strip() for s in str(data[col]).split(";") if s.strip()}
    return found


def test_a_graph_export_withholds_restricted_records_without_a_recipient(
    db: str, tmp_path: Path, cli, restricted: set[str]
) -> None:
    for graph in ("stored", "person"):
        out = tmp_path / f"{graph}.graphml"
        result = cli("export", "--db", db, "--format", "graphml", "--graph", graph, out)
        assert result.exit_code == 0, result.output
        assert "withheld" in result.output and "--recipient" in result.output
        G = nx.read_graphml(out)
        assert not (_sources(G) & restricted)
        shared = tmp_path / f"{graph}-shared.graphml"
        result = cli(
            "export", "--db", db, "--format", "graphml", "--graph", graph,
            "--recipient", "Lao police, DSD", shared,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        H = nx.read_graphml(shared)
        assert _sources(H) & restricted and H.number_of_nodes() >= G.number_of_nodes()


def test_a_neo4j_admin_export_withholds_restricted_records(
    db: str, tmp_path: Path, cli, restricted: set[str]
) -> None:
    result = cli("export", "--db", db, tmp_path / "export")
    assert result.exit_code == 0, result.output
    with (tmp_path / "export" / "nodes_Record.csv").open(encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    assert records and not {r["source_id:string"] for r in records} & restricted
    for path in (tmp_path / "export").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                assert not set((row.get("sources:string[]") or "").split(";")) & restricted


def test_a_written_table_withholds_restricted_evidence_and_explains_gradings(
    db: str, tmp_path: Path, cli, restricted: set[str]
) -> None:
    out = tmp_path / "targets.json"
    result = cli("rank", "--db", db, "--top", "40", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Evidence graded" in result.output  # explanations say the gradings
    table = pd.read_json(out)
    assert {"gradings", "handling"} <= set(table.columns)
    assert not {e for ev in table["evidence"] for e in ev} & restricted
    assert (table["handling"] != "C").any()


def test_json_on_stdout_withholds_as_a_written_file_does(
    db: str, cli, restricted: set[str]
) -> None:
    """A cron job redirecting ``--format json`` gets what ``--out`` would have written."""
    result = cli("--format", "json", "rank", "--db", db, "--top", "40")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)["targets"]
    assert shown and not {e for t in shown for e in t["evidence"]} & restricted
    released = cli("--format", "json", "--recipient", "Lao police, DSD", "rank", "--db", db,
                   "--top", "40")  # fmt: skip
    assert released.exit_code == 0, released.output
    evidence = {e for t in json.loads(released.stdout)["targets"] for e in t["evidence"]}
    assert evidence & restricted


def test_pseudonymised_exports_need_a_key_and_are_stable_and_matchable(
    db: str, tmp_path: Path, cli, monkeypatch
) -> None:
    monkeypatch.delenv("NETINTEL_PSEUDONYM_KEY", raising=False)
    result = cli(
        "export", "--db", db, "--format", "graphml", "--pseudonymise", tmp_path / "p.graphml"
    )
    assert result.exit_code == 1 and "NETINTEL_PSEUDONYM_KEY" in result.output
    assert not (tmp_path / "p.graphml").exists()
    monkeypatch.setenv("NETINTEL_PSEUDONYM_KEY", KEY)
    texts = []
    for n in (1, 2):
        out = tmp_path / f"p{n}.graphml"
        result = cli("export", "--db", db, "--format", "graphml", "--graph", "stored",
                     "--pseudonymise", out)  # fmt: skip
        assert result.exit_code == 0, result.output
        texts.append(out.read_text(encoding="utf-8"))
    assert texts[0] == texts[1]  # the same key, the same pseudonyms
    with netintel.open(db, read_only=True, purpose="test suite") as ws:
        people = ws.store.query("MATCH (p:Person) RETURN p.name AS name, p.name_key AS k")
        phones = ws.store.query("MATCH (f:Phone) RETURN f.id AS id")["id"].tolist()
    for name in people["name"].dropna().head(30):
        assert f">{name}<" not in texts[0]
    for phone in phones[:30]:
        assert phone not in texts[0]
    # a partner holding the key hashes its own phone numbers and finds ours
    mine = hmac.new(KEY.encode(), f"phone:{phones[0]}".encode(), hashlib.sha256).hexdigest()
    assert f"phone-{mine[:20]}" in texts[0]
    assert Disclosure(key=KEY.encode()).pseudonym("phone", phones[0]) == f"phone-{mine[:20]}"


def test_a_resolved_person_with_shareable_evidence_is_not_withheld(
    small_db: Path, restricted: set[str]
) -> None:
    """A resolved person takes one member's id; that member's records being all restricted
    must not withhold a person whose other members' records may be shared."""
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        disclosure = Disclosure.for_store(ws.store)
        persons = ws.store.query(
            "MATCH (p:Person) RETURN p.id AS id, p.resolved_id AS resolved_id, p.sources AS sources"
        )
        targets = ws.network.rank_targets()
    members = persons.groupby("resolved_id")["sources"].agg(
        lambda v: [set(s) <= restricted for s in v]
    )
    mixed = [rid for rid, only in members.items() if any(only) and not all(only)]
    lent = [
        rid
        for rid in mixed
        if rid in set(persons.loc[persons["sources"].map(lambda s: set(s) <= restricted), "id"])
    ]
    assert lent, "fixtures/small should hold a resolved person named by a restricted member"
    assert not set(lent) & disclosure.people
    shown = disclosure.table(targets)
    assert set(lent) & set(targets["person_id"]) <= set(shown["person_id"])
    all_restricted = [rid for rid, only in members.items() if all(only)]
    assert set(all_restricted) <= disclosure.people
