"""Centrality: the measures mean what they say, on both engines, on awkward graphs."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from netintel.analysis.engine import pick_engine
from netintel.analysis.network.centrality import MEASURES, centrality, default_betweenness_k
from netintel.errors import AnalysisError

ENGINES = ["networkx", "igraph"]


def by_person(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("person_id").sort_index()


@pytest.mark.parametrize("engine", ENGINES)
def test_hub_of_a_star_leads_every_measure(star: nx.Graph, engine: str) -> None:
    df = centrality(star, engine=engine)
    assert list(df.columns) == ["person_id", *MEASURES]
    assert df.loc[0, "person_id"] == "P-hub"
    hub = by_person(df).loc["P-hub"]
    assert hub["degree"] == 5 and hub["betweenness"] == pytest.approx(1.0)
    for m in ("degree", "strength", "betweenness", "pagerank", "eigenvector"):
        assert (df[m].iloc[1:] < hub[m]).all(), m
    # leaves tie exactly, so the person_id tie-break orders them
    assert df["person_id"].iloc[1:].tolist() == sorted(df["person_id"].iloc[1:])
    assert df.attrs["engine"] == engine


@pytest.mark.parametrize("engine", ENGINES)
def test_planted_bridge_has_the_highest_betweenness(two_cliques: nx.Graph, engine: str) -> None:
    df = centrality(two_cliques, engine=engine)
    assert df.loc[df["betweenness"].idxmax(), "person_id"] == "X"
    # ...although clique members have more contacts
    assert by_person(df).loc["X", "degree"] < df["degree"].max()


@pytest.mark.parametrize("engine", ENGINES)
def test_betweenness_reads_weight_as_strength_made_distance(person_graph, engine: str) -> None:
    # A-B and B-C are strong ties, A-C a weak one: the short route from A to C runs via B.
    G = person_graph([("A", "B", 10.0), ("B", "C", 10.0), ("A", "C", 0.1)])
    df = by_person(centrality(G, engine=engine))
    assert df.loc["B", "betweenness"] == pytest.approx(1.0)
    assert df.loc["B", "strength"] == pytest.approx(20.0)


def test_engines_agree_on_a_small_messy_graph(messy: nx.Graph) -> None:
    a = by_person(centrality(messy, engine="networkx"))
    b = by_person(centrality(messy, engine="igraph"))
    for m in ("degree", "kcore"):
        assert (a[m] == b[m]).all(), m
    np.testing.assert_allclose(a["strength"], b["strength"])
    for m in ("pagerank", "eigenvector", "betweenness"):
        rho = spearmanr(a[m], b[m]).statistic
        assert rho > 0.99, (m, rho)
        np.testing.assert_allclose(a[m], b[m], atol=5e-3)


def test_engines_sample_the_same_betweenness_sources_for_a_seed(messy: nx.Graph) -> None:
    a = by_person(centrality(messy, engine="networkx", betweenness_k=12, seed=5))
    b = by_person(centrality(messy, engine="igraph", betweenness_k=12, seed=5))
    np.testing.assert_allclose(a["betweenness"], b["betweenness"], atol=5e-3)
    assert a.attrs["betweenness_k"] == b.attrs["betweenness_k"] == 12
    assert a.attrs["seed"] == 5 and not a.attrs["betweenness_exact"]


@pytest.mark.parametrize("engine", ENGINES)
def test_sampled_betweenness_is_deterministic_for_a_seed(messy: nx.Graph, engine: str) -> None:
    runs = [centrality(messy, engine=engine, betweenness_k=8, seed=11) for _ in range(2)]
    pd.testing.assert_frame_equal(*runs)
    other = centrality(messy, engine=engine, betweenness_k=8, seed=12)
    assert not np.allclose(by_person(runs[0])["betweenness"], by_person(other)["betweenness"])


@pytest.mark.parametrize("engine", ENGINES)
def test_disconnected_graph_and_isolates(messy: nx.Graph, engine: str) -> None:
    df = by_person(centrality(messy, engine=engine))
    assert len(df) == messy.number_of_nodes()
    isolates = list(nx.isolates(messy))
    assert (
        isolates
        and (df.loc[isolates, ["degree", "betweenness", "eigenvector", "kcore"]] == 0).all().all()
    )
    assert df.notna().all().all()
    # eigenvector: each component's share of the unit length is its share of the people
    tied = len(df) - len(isolates)
    assert np.linalg.norm(df["eigenvector"]) ** 2 == pytest.approx(tied / len(df), abs=1e-6)
    pair = df.loc[["P-45", "P-46"], "eigenvector"]
    assert pair.iloc[0] == pair.iloc[1] == pytest.approx(np.sqrt(0.5 * 2 / len(df)))


def test_eigenvector_of_a_connected_graph_is_networkx_own() -> None:
    G = nx.karate_club_graph()
    ours = by_person(centrality(G, engine="networkx"))["eigenvector"]
    exact = nx.eigenvector_centrality_numpy(G, weight="weight")
    np.testing.assert_allclose(ours, [exact[u] for u in ours.index], rtol=1e-9)
    iterated = nx.eigenvector_centrality(G, weight="weight", max_iter=1000)  # tolerance 1e-6
    np.testing.assert_allclose(ours, [iterated[u] for u in ours.index], rtol=1e-4)


def test_unweighted_and_backend_pass_through(star: nx.Graph) -> None:
    df = centrality(star, weight=None, backend="networkx")
    assert df.attrs["engine"] == "networkx" and df.attrs["backend"] == "networkx"
    assert (df["strength"] == df["degree"]).all()


def test_default_k_exact_when_small_and_bounded_when_large() -> None:
    assert default_betweenness_k(2_000, 10_000) is None
    assert default_betweenness_k(20_000, 100_000) == 256
    assert default_betweenness_k(300_000, 1_500_000) == 42
    assert default_betweenness_k(300_000, 50_000_000) == 32


def test_auto_engine_is_networkx_small_and_igraph_large() -> None:
    assert pick_engine("auto", 500, 2_000) == "networkx"
    assert pick_engine("auto", 200_000, 1_000_000) == "igraph"
    assert pick_engine("auto", 200_000, 1_000_000, backend="networkx") == "networkx"


def test_invalid_input_raises(person_graph) -> None:
    with pytest.raises(AnalysisError, match="no people"):
        centrality(nx.Graph())
    with pytest.raises(AnalysisError, match="> 0"):
        centrality(person_graph([("a", "b", -1.0)]))
    with pytest.raises(AnalysisError, match="undirected"):
        centrality(nx.DiGraph([("a", "b")]))
    with pytest.raises(AnalysisError, match="unknown engine"):
        centrality(person_graph([("a", "b")]), engine="spark")
    with pytest.raises(AnalysisError, match="backend"):
        centrality(person_graph([("a", "b")]), engine="igraph", backend="networkx")
    with pytest.raises(AnalysisError, match="betweenness_k"):
        centrality(person_graph([("a", "b")]), betweenness_k=1)


def test_self_loops_are_dropped_with_a_warning(star: nx.Graph) -> None:
    star.add_edge("P-hub", "P-hub", weight=3.0)
    with pytest.warns(UserWarning, match="self-loop"):
        df = centrality(star)
    assert by_person(df).loc["P-hub", "degree"] == 5
    assert star.has_edge("P-hub", "P-hub")  # the caller's graph is untouched


def test_graph_without_ties_runs(person_graph) -> None:
    G = person_graph([], nodes=["a", "b", "c"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for engine in ENGINES:
            df = centrality(G, engine=engine)
            assert (df["degree"] == 0).all() and df["pagerank"].sum() == pytest.approx(1.0)
