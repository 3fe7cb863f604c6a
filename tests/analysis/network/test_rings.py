"""Louvain and Leiden rings, their stability, and ring profiles."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.network.rings import (
    detect_rings,
    leiden,
    louvain,
    ring_profiles,
    ring_stability,
)
from netintel.errors import AnalysisError

ENGINES = ["networkx", "igraph"]


@pytest.fixture
def cliques_one_tie(person_graph) -> nx.Graph:
    """A 6-clique ``A*`` and a 4-clique ``B*`` joined by the single tie A0-B0, plus an isolate."""
    a, b = [f"A{i}" for i in range(6)], [f"B{i}" for i in range(4)]
    edges = [(u, v) for grp in (a, b) for i, u in enumerate(grp) for v in grp[i + 1 :]]
    return person_graph([*edges, ("A0", "B0")], nodes=["Z-alone"])


def rings(df: pd.DataFrame) -> list[list[str]]:
    return df.groupby("ring")["person_id"].apply(sorted).tolist()


@pytest.mark.parametrize("engine", ENGINES)
def test_recovers_two_planted_cliques(cliques_one_tie: nx.Graph, engine: str) -> None:
    df = louvain(cliques_one_tie, seed=0, engine=engine)
    assert list(df.columns) == ["person_id", "ring"]
    # numbered by size, the isolate is a ring of its own
    assert rings(df) == [[f"A{i}" for i in range(6)], [f"B{i}" for i in range(4)], ["Z-alone"]]
    assert df.attrs["engine"] == engine and df.attrs["rings"] == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_equal_sized_rings_are_numbered_by_smallest_member(person_graph, engine: str) -> None:
    edges = [("b1", "b2"), ("b2", "b3"), ("b1", "b3"), ("a1", "a2"), ("a2", "a3"), ("a1", "a3")]
    df = louvain(person_graph(edges), seed=0, engine=engine)
    assert rings(df) == [["a1", "a2", "a3"], ["b1", "b2", "b3"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_same_rings(messy: nx.Graph, engine: str) -> None:
    pd.testing.assert_frame_equal(
        louvain(messy, seed=4, engine=engine), louvain(messy, seed=4, engine=engine)
    )


def test_igraph_seeding_leaves_the_global_generator_as_it_found_it(messy: nx.Graph) -> None:
    import random

    import igraph as ig

    louvain(messy, seed=1, engine="igraph")
    ig.set_random_number_generator(random)  # igraph's documented default: no error, no change
    random.seed(3)
    x = random.random()
    random.seed(3)
    louvain(messy, seed=2, engine="igraph")
    assert random.random() == x  # the seeded run drew nothing from the global generator


@pytest.mark.parametrize("engine", ENGINES)
def test_stability_of_clear_rings_is_one(cliques_one_tie: nx.Graph, engine: str) -> None:
    df = ring_stability(cliques_one_tie, runs=4, seed=0, engine=engine)
    assert list(df.columns) == ["ring", "size", "stability", "worst"]
    assert df["size"].tolist() == [6, 4, 1]
    assert (df["stability"] == 1.0).all() and (df["worst"] == 1.0).all()


def test_stability_scores_a_given_partition(cliques_one_tie: nx.Graph) -> None:
    wrong = pd.DataFrame({"person_id": list(cliques_one_tie), "ring": [0] * len(cliques_one_tie)})
    df = ring_stability(cliques_one_tie, runs=2, seed=0, rings=wrong)
    assert df["size"].tolist() == [11] and df["stability"].iloc[0] == pytest.approx(6 / 11)


def test_invalid_options_raise(cliques_one_tie: nx.Graph) -> None:
    with pytest.raises(AnalysisError, match="runs"):
        ring_stability(cliques_one_tie, runs=0)
    with pytest.raises(AnalysisError, match="resolution"):
        louvain(cliques_one_tie, resolution=0)
    with pytest.raises(AnalysisError, match="lacks"):
        ring_stability(cliques_one_tie, rings=pd.DataFrame({"person_id": ["A0"]}))
    with pytest.raises(AnalysisError, match="no people"):
        louvain(nx.Graph())


# -- Leiden, algorithm choice, ring profiles -----------------------------------------------


def test_leiden_recovers_two_planted_cliques(cliques_one_tie: nx.Graph) -> None:
    df = leiden(cliques_one_tie, seed=0)
    assert rings(df) == [[f"A{i}" for i in range(6)], [f"B{i}" for i in range(4)], ["Z-alone"]]
    assert df.attrs["algorithm"] == "leiden" and df.attrs["rings"] == 3


@pytest.mark.parametrize("algorithm", ["louvain", "leiden"])
def test_same_seed_same_rings_for_either_algorithm(messy: nx.Graph, algorithm: str) -> None:
    a = detect_rings(messy, algorithm=algorithm, seed=7)
    b = detect_rings(messy, algorithm=algorithm, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["algorithm"] == algorithm


def test_leiden_seed_is_what_varies_the_result() -> None:
    G = nx.gnp_random_graph(60, 0.08, seed=3)  # no clear structure: many near-optimal splits

    def partition(seed: int) -> frozenset:
        df = detect_rings(G, algorithm="leiden", seed=seed)
        return frozenset(frozenset(m) for m in df.groupby("ring")["person_id"].apply(list))

    assert len({partition(s) for s in range(6)}) > 1
    assert partition(2) == partition(2)


def test_missing_leidenalg_says_how_to_install_it(monkeypatch, cliques_one_tie) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "leidenalg", None)  # import leidenalg -> ImportError
    with pytest.raises(AnalysisError, match="not installed: pip install leidenalg"):
        leiden(cliques_one_tie, seed=0)
    with pytest.raises(AnalysisError, match="leidenalg"):
        ring_stability(cliques_one_tie, runs=2, algorithm="leiden")
    # Louvain does not need it
    assert len(detect_rings(cliques_one_tie, algorithm="louvain", seed=0)) == 11


def test_leiden_stability_of_clear_rings_is_one(cliques_one_tie: nx.Graph) -> None:
    df = ring_stability(cliques_one_tie, runs=3, seed=0, algorithm="leiden")
    assert df["stability"].tolist() == [1.0, 1.0, 1.0] and df.attrs["algorithm"] == "leiden"


def test_unknown_algorithm_raises(cliques_one_tie: nx.Graph) -> None:
    with pytest.raises(AnalysisError, match="unknown ring detection algorithm 'infomap'"):
        detect_rings(cliques_one_tie, algorithm="infomap")


def test_ring_profiles_describe_each_ring(cliques_one_tie: nx.Graph) -> None:
    G = cliques_one_tie
    G.nodes["A3"]["roles"] = {"organizer": 2}
    for u, v in G.edges():
        G[u][v].update(first_seen="2023-02-01", last_seen="2023-03-01")
    rings_df = detect_rings(G, seed=0)
    activity = pd.DataFrame(
        {
            "person_id": ["A0", "A1", "A1", "B0"],
            "arrest_id": ["ARR-1", "ARR-2", "ARR-3", "ARR-4"],
            "date": pd.to_datetime(["2022-05-01", "2024-01-02", "2023-06-01", None]),
            "province": ["Nghệ An", "Nghệ An", "Hà Tĩnh", "Bokeo"],
            "country": ["VN", "VN", "VN", "LA"],
            "seizure_id": ["SZ-1", "SZ-1", "SZ-2", None],
            "drug": ["heroin", "heroin", "methamphetamine", None],
            "quantity_kg": [2.0, 2.0, 5.0, None],
            "seizure_date": pd.to_datetime(["2022-05-01", "2022-05-01", "2023-06-01", None]),
            "seizure_province": ["Nghệ An", "Nghệ An", "Hà Tĩnh", None],
            "seizure_country": ["VN", "VN", "VN", None],
        }
    )
    ranking = pd.DataFrame({"rank": [1, 2], "person_id": ["A5", "B2"]})
    brokers = pd.DataFrame({"person_id": ["A0", "B0", "A1"], "score": [2.0, 1.5, 0.0]})
    stab = ring_stability(G, runs=2, seed=0, rings=rings_df)
    df = ring_profiles(
        G,
        rings_df,
        activity=activity,
        countries=pd.Series({"B1": "LA"}),
        ranking=ranking,
        brokers=brokers,
        stability=stab,
        top=2,
    )
    assert df["ring"].tolist() == [0, 1]  # the isolate is no ring
    a, b = df.iloc[0], df.iloc[1]
    assert a["size"] == 6 and a["leaders"] == ["A3", "A5"]  # recorded organizer, then rank
    assert a["leader_names"] == ["Name A3", "Name A5"]
    assert a["brokers"] == ["A0"]  # A1's score is 0: no broker
    assert a["places"] == ["Nghệ An", "Hà Tĩnh"] and a["countries"] == ["VN"]
    assert a["drugs"] == ["methamphetamine", "heroin"]  # by kg
    assert a["seizures"] == 2 and a["seized_kg"] == 7.0  # SZ-1 counted once
    assert (a["first_activity"], a["last_activity"]) == ("2022-05-01", "2024-01-02")
    assert a["stability"] == 1.0 and a["evidence"][0].startswith("R-A")
    assert b["leaders"] == ["B2", "B0"] and b["countries"] == ["LA"]
    assert b["seized_kg"] == 0.0 and b["drugs"] == []
    assert (b["first_activity"], b["last_activity"]) == ("2023-02-01", "2023-03-01")


def test_ring_profiles_reject_malformed_frames(cliques_one_tie: nx.Graph) -> None:
    rings_df = detect_rings(cliques_one_tie, seed=0)
    with pytest.raises(AnalysisError, match="lacks"):
        ring_profiles(cliques_one_tie, rings_df[["person_id"]])
    with pytest.raises(AnalysisError, match="person_id"):
        ring_profiles(cliques_one_tie, rings_df, activity=pd.DataFrame({"x": [1]}))
    with pytest.raises(AnalysisError, match="top"):
        ring_profiles(cliques_one_tie, rings_df, top=0)
    with pytest.raises(AnalysisError, match="brokers frame lacks"):
        ring_profiles(cliques_one_tie, rings_df, brokers=pd.DataFrame({"person_id": ["A0"]}))
    with pytest.raises(AnalysisError, match="stability frame lacks"):
        ring_profiles(cliques_one_tie, rings_df, stability=pd.DataFrame({"ring": [0]}))


def test_options_of_the_wrong_type_are_named(cliques_one_tie: nx.Graph) -> None:
    with pytest.raises(AnalysisError, match="resolution must be > 0, got 'high'"):
        louvain(cliques_one_tie, resolution="high")
    with pytest.raises(AnalysisError, match="n_iterations"):
        leiden(cliques_one_tie, n_iterations="all")
    with pytest.raises(AnalysisError, match="rings must be a DataFrame"):
        ring_stability(cliques_one_tie, rings={"A0": 0})


def test_each_ring_profile_says_which_channels_its_evidence_came_through(tmp_path) -> None:
    """An online seller and a Lao supplier tied by messages and a payment, a second pair by
    a seizure carried by motorbike (land): each ring's profile names the channel of the ties
    inside it, with the records in its evidence."""
    from pathlib import Path

    import netintel

    exports = Path(__file__).resolve().parents[3] / "fixtures" / "exports"
    arrests = tmp_path / "arrests.csv"
    arrests.write_text(
        "record_id,arrest_date,name,national_id,role,seizure_id,case_id\n"
        "ARR-1,2024-03-01,Lò Văn Pó,001080000111,courier,SZ-1,C-1\n"
        "ARR-2,2024-03-01,Vàng A Sùng,001080000222,courier,SZ-1,C-1\n",
        encoding="utf-8",
    )
    seizures = tmp_path / "seizures.csv"
    seizures.write_text(
        "seizure_id,date,province,country,drug,quantity,unit,transport\n"
        "SZ-1,2024-03-01,Sơn La,VN,heroin,2,kg,motorbike\n",
        encoding="utf-8",
    )
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(
            accounts=exports / "accounts.csv",
            interactions=exports / "interactions.csv",
            arrests=[exports / "online_arrests.csv", arrests],
            seizures=seizures,
        )
        G = ws.graph()
    names = {G.nodes[n]["name"]: n for n in G}
    rings_df = pd.DataFrame(
        {
            "person_id": [names[n] for n in ("Trần Văn Bảo", "Souk Phommachan")]
            + [names[n] for n in ("Lò Văn Pó", "Vàng A Sùng")],
            "ring": [0, 0, 1, 1],
        }
    )
    profiles = ring_profiles(G, rings_df).set_index("ring")
    assert profiles.loc[0, "channels"] == "online"
    assert profiles.loc[1, "channels"] == "land"
    assert {"I-1", "I-2"} <= set(profiles.loc[0, "evidence"])
