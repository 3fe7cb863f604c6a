"""The network wing on the committed small set and the real networks: targets, rings, ring
profiles, brokers, centrality, home places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import netintel
from netintel.analysis.network.brokers import ROLES
from netintel.evaluation import load_truth
from netintel.evaluation.truth import gatekeepers, graph_mapping
from netintel.ingest.matrix import network_folders
from netintel.project import read_tables

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
REAL = ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="module")
def truth() -> dict:
    return load_truth(SMALL)


@pytest.fixture(scope="module")
def mapping(ws, truth) -> pd.Series:
    """Planted id of each (resolved) person of the graph."""
    return graph_mapping(ws.graph(), truth)


def test_every_planted_leader_leads_the_ring_it_lands_in(ws, truth, mapping) -> None:
    prof = ws.network.ring_profiles(seed=0, runs=3)
    rings = ws.network.rings(seed=0)
    for leader in truth["leaders"]:
        nodes = mapping[mapping == leader].index
        ring = rings.set_index("person_id").loc[nodes, "ring"].mode()[0]
        leaders = prof.set_index("ring").loc[ring, "leaders"]
        assert set(nodes) & set(leaders), f"planted leader {leader} not among {leaders}"


def test_ring_profiles_agree_with_the_store(ws) -> None:
    prof = ws.network.ring_profiles(seed=0, runs=3)
    rings = ws.network.rings(seed=0)
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
    places = ws.network.person_places()
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
    table = ws.network.brokers(by, seed=0)
    assert list(table.columns[:3]) == ["person_id", "name", "group"]
    assert set(ROLES) <= set(table.columns)
    assert table["score"].is_monotonic_decreasing and table.attrs["by"] == by
    assert table["person_id"].is_unique and len(table) == ws.graph().number_of_nodes()
    top = table.iloc[0]
    assert top["score"] > 0 and top["evidence"] and top["explanation"]
    if by == "country":
        assert set(table["group"].dropna()) <= {"VN", "LA", "TH", "CN", "KH", "MM"}


def test_planted_brokers_surface(ws, truth, mapping) -> None:
    by_ring = ws.network.brokers("ring", seed=0, top=5)["person_id"].map(mapping)
    assert set(by_ring) & set(truth["brokers"])
    by_country = ws.network.brokers("country", seed=0, top=5)["person_id"].map(mapping)
    assert set(by_country) & set(gatekeepers(truth))


def test_brokers_against_a_given_partition(ws) -> None:
    people = list(ws.graph())
    halves = pd.DataFrame({"person_id": people, "group": [i % 2 for i in range(len(people))]})
    table = ws.network.brokers(groups=halves)
    assert table.attrs["by"] == "given" and set(table["group"]) == {0, 1}


def test_window_leaves_brokerage_outside_it_out(ws) -> None:
    inside = ws.network.brokers("ring", window="2023-01 to 2023-06")
    assert inside["brokerage"].sum() < ws.network.brokers("ring")["brokerage"].sum()


def test_ring_profiles_rank_on_their_own_rings(ws) -> None:
    """One detection: the ranking behind the leaders reads the rings being profiled (Leiden
    here), and the rings are those of ws.network.rings with the same options."""
    prof = ws.network.ring_profiles(algorithm="leiden", seed=0, runs=2)
    rings = ws.network.rings(algorithm="leiden", seed=0).set_index("person_id")["ring"]
    for row in prof.itertuples(index=False):
        assert set(rings[list(row.leaders)]) == {row.ring}


def test_the_ranking_ring_column_is_the_rings_of_the_network_wing(ws) -> None:
    targets = ws.network.rank_targets(seed=0).set_index("person_id")["ring"]
    rings = ws.network.rings(seed=0).set_index("person_id")["ring"]
    assert targets.sort_index().tolist() == rings.reindex(targets.index).sort_index().tolist()


def test_centrality_in_a_window_is_of_that_window(ws) -> None:
    whole = ws.network.centrality().set_index("person_id")
    early = ws.network.centrality(window="until 2022-06").set_index("person_id")
    assert set(early.index) == set(whole.index)  # everyone stays, with fewer ties
    assert early["degree"].sum() < whole["degree"].sum()


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
        n = len(ws.records.people())
        louvain = ws.network.rings(seed=0)
        leiden = ws.network.rings(seed=0, algorithm="leiden")
        brokers = ws.network.brokers("ring", seed=0)
    assert len(louvain) == len(leiden) == len(brokers) == n
    assert 1 < leiden["ring"].nunique() < n
    assert brokers["score"].is_monotonic_decreasing and brokers.iloc[0]["score"] > 0
    assert brokers.iloc[0]["evidence"]
