"""Rings and brokers end to end: the committed small set and the real networks, through the
workspace and the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import netintel
from netintel.analysis.network.brokers import ROLES
from netintel.cli import app
from netintel.evaluation import load_truth
from netintel.evaluation.truth import gatekeepers, graph_mapping
from netintel.ingest.matrix import network_folders
from netintel.project import read_tables

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "fixtures" / "small"
REAL = ROOT.parent / "shared" / "data" / "real"
KINDS = ("arrests", "seizures", "communications", "links")
runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def truth() -> dict:
    return load_truth(SMALL)


@pytest.fixture(scope="module")
def ws(small_db: Path):
    with netintel.open(small_db, read_only=True) as w:
        yield w


@pytest.fixture(scope="module")
def mapping(ws, truth) -> pd.Series:
    """Planted id of each (resolved) person of the graph."""
    return graph_mapping(ws.graph(), truth)


# -- the workspace on the small set ----------------------------------------------------


def test_every_planted_leader_leads_the_ring_it_lands_in(ws, truth, mapping) -> None:
    prof = ws.ring_profiles(seed=0, runs=3)
    rings = ws.communities(seed=0)
    for leader in truth["leaders"]:
        nodes = mapping[mapping == leader].index
        ring = rings.set_index("person_id").loc[nodes, "ring"].mode()[0]
        leaders = prof.set_index("ring").loc[ring, "leaders"]
        assert set(nodes) & set(leaders), f"planted leader {leader} not among {leaders}"


def test_ring_profiles_agree_with_the_store(ws) -> None:
    prof = ws.ring_profiles(seed=0, runs=3)
    rings = ws.communities(seed=0)
    assert prof["size"].tolist() == sorted(prof["size"], reverse=True)
    assert (prof["size"] >= 2).all() and prof["size"].sum() <= len(rings)
    assert prof["stability"].between(0, 1).all()
    assert (prof["first_activity"] <= prof["last_activity"]).all()
    big = prof.iloc[0]
    members = set(rings.loc[rings["ring"] == big["ring"], "person_id"])
    # seized kg: each seizure linked to a member's arrest, counted once
    seizures = ws.cypher(
        "MATCH (p:Person)-[:ARRESTED_IN]->(:Arrest)-[:LINKED_TO]->(s:Seizure) "
        "WHERE p.id IN $ids RETURN DISTINCT s.id AS id, s.quantity_kg AS kg, s.drug AS drug",
        ids=sorted(members),
    )
    assert big["seizures"] == len(seizures)
    assert big["seized_kg"] == pytest.approx(seizures["kg"].fillna(0).sum())
    assert set(big["drugs"]) == set(seizures["drug"].dropna())
    assert big["evidence"] and set(big["leaders"]) <= members and set(big["brokers"]) <= members


def test_home_province_and_country_follow_the_documented_rules(ws) -> None:
    places = ws.person_places()
    assert sorted(places["person_id"]) == sorted(ws.graph())
    assert set(places["province_source"].dropna()) <= {"address", "arrests"}
    assert set(places["country_source"].dropna()) <= {
        "nationality",
        "province",
        "phones",
        "arrests",
    }
    assert set(places["country"].dropna()) <= {"VN", "LA", "TH", "CN", "KH", "MM"}
    nat = read_tables(ws.store)["persons"].set_index("person_id")["nationality"]
    by_nat = places[places["country_source"] == "nationality"].set_index("person_id")
    assert (by_nat["country"] == nat.reindex(by_nat.index)).all()
    # a person living at a recorded address in Vietnam gets that province
    lives = ws.cypher("MATCH (p:Person)-[:LIVES_AT]->(a:Address) RETURN p.id AS id, a.text AS t")
    row = places.set_index("person_id").loc[lives["id"].iloc[0]]
    assert row["province_source"] == "address" and row["province"] in lives["t"].iloc[0]


@pytest.mark.parametrize("by", ["ring", "province", "country"])
def test_brokers_table_by_each_grouping(ws, by: str) -> None:
    table = ws.brokers(by, seed=0)
    assert list(table.columns[:3]) == ["person_id", "name", "group"]
    assert set(ROLES) <= set(table.columns)
    assert table["score"].is_monotonic_decreasing and table.attrs["by"] == by
    assert table["person_id"].is_unique and len(table) == ws.graph().number_of_nodes()
    top = table.iloc[0]
    assert top["score"] > 0 and top["evidence"] and top["explanation"]
    if by == "country":
        assert set(table["group"].dropna()) <= {"VN", "LA", "TH", "CN", "KH", "MM"}


def test_planted_brokers_surface(ws, truth, mapping) -> None:
    by_ring = ws.brokers("ring", seed=0, top=5)["person_id"].map(mapping)
    assert set(by_ring) & set(truth["brokers"])
    by_country = ws.brokers("country", seed=0, top=5)["person_id"].map(mapping)
    assert set(by_country) & set(gatekeepers(truth))


def test_brokers_against_a_given_partition(ws) -> None:
    people = list(ws.graph())
    halves = pd.DataFrame({"person_id": people, "group": [i % 2 for i in range(len(people))]})
    table = ws.brokers(groups=halves)
    assert table.attrs["by"] == "given" and set(table["group"]) == {0, 1}


def test_window_leaves_brokerage_outside_it_out(ws) -> None:
    inside = ws.brokers("ring", since="2023-01", until="2023-06")
    assert inside["brokerage"].sum() < ws.brokers("ring")["brokerage"].sum()


# -- the CLI ---------------------------------------------------------------------------


def test_cli_communities_with_profiles_writes_json(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "rings.json"
    result = cli(
        "communities", "--db", str(small_db), "--algorithm", "leiden", "--profiles",
        "--runs", "3", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and {"leaders", "stability", "seized_kg", "drugs"} <= set(rows[0])


def test_cli_communities_louvain_and_leiden(small_db: Path, tmp_path: Path) -> None:
    for algorithm in ("louvain", "leiden"):
        out = tmp_path / f"{algorithm}.csv"
        result = cli(
            "communities", "--db", str(small_db), "--algorithm", algorithm, "--seed", "3",
            "--out", str(out),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        df = pd.read_csv(out)
        assert list(df.columns) == ["person_id", "name", "ring"]


def test_cli_brokers_by_country_writes_the_table(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "gk.csv"
    result = cli(
        "brokers", "--db", str(small_db), "--by", "country", "--top", "5", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "brokers by country" in result.output
    df = pd.read_csv(out)
    assert len(df) == 5 and {"gatekeeper", "representative", "evidence"} <= set(df.columns)


def test_cli_refuses_unknown_grouping_and_missing_leidenalg(small_db, monkeypatch) -> None:
    result = cli("brokers", "--db", str(small_db), "--by", "village")
    assert result.exit_code == 2
    monkeypatch.setitem(sys.modules, "leidenalg", None)
    result = cli("communities", "--db", str(small_db), "--algorithm", "leiden")
    assert result.exit_code == 1
    assert "not installed: pip install leidenalg" in " ".join(result.output.split())


def test_cli_help_has_an_example() -> None:
    for command in ("brokers", "communities"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Example: netintel " + command in result.output


# -- the real networks -----------------------------------------------------------------


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
@pytest.mark.parametrize(
    "path",
    [n.matrix for n in network_folders(REAL)] if REAL.is_dir() else [],
    ids=lambda p: p.parent.name,
)
def test_real_network_rings_and_brokers(tmp_path: Path, path: Path) -> None:
    with netintel.open(tmp_path / "real.db") as ws:
        ws.ingest(matrices=path)
        n = len(ws.people())
        louvain = ws.communities(seed=0)
        leiden = ws.communities(seed=0, algorithm="leiden")
        brokers = ws.brokers("ring", seed=0)
    assert len(louvain) == len(leiden) == len(brokers) == n
    assert 1 < leiden["ring"].nunique() < n
    assert brokers["score"].is_monotonic_decreasing and brokers.iloc[0]["score"] > 0
    assert brokers.iloc[0]["evidence"]
