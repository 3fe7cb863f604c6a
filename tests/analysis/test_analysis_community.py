"""Louvain rings and their stability."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.community import louvain, stability
from netintel.errors import AnalysisError

ENGINES = ["networkx", "igraph"]


@pytest.fixture
def cliques_one_tie(person_graph) -> nx.Graph:
    """A 6-clique ``A*`` and a 4-clique ``B*`` joined by the single tie A0-B0, plus an isolate."""
    a, b = [f"A{i}" for i in range(6)], [f"B{i}" for i in range(4)]
    edges = [(u, v) for grp in (a, b) for i, u in enumerate(grp) for v in grp[i + 1 :]]
    return person_graph([*edges, ("A0", "B0")], nodes=["Z-alone"])


def rings(df: pd.DataFrame) -> list[list[str]]:
    return df.groupby("community")["person_id"].apply(sorted).tolist()


@pytest.mark.parametrize("engine", ENGINES)
def test_recovers_two_planted_cliques(cliques_one_tie: nx.Graph, engine: str) -> None:
    df = louvain(cliques_one_tie, seed=0, engine=engine)
    assert list(df.columns) == ["person_id", "community"]
    # numbered by size, the isolate is a ring of its own
    assert rings(df) == [[f"A{i}" for i in range(6)], [f"B{i}" for i in range(4)], ["Z-alone"]]
    assert df.attrs["engine"] == engine and df.attrs["communities"] == 3


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
    df = stability(cliques_one_tie, runs=4, seed=0, engine=engine)
    assert list(df.columns) == ["community", "size", "stability", "worst"]
    assert df["size"].tolist() == [6, 4, 1]
    assert (df["stability"] == 1.0).all() and (df["worst"] == 1.0).all()


def test_stability_scores_a_given_partition(cliques_one_tie: nx.Graph) -> None:
    wrong = pd.DataFrame(
        {"person_id": list(cliques_one_tie), "community": [0] * len(cliques_one_tie)}
    )
    df = stability(cliques_one_tie, runs=2, seed=0, communities=wrong)
    assert df["size"].tolist() == [11] and df["stability"].iloc[0] == pytest.approx(6 / 11)


def test_invalid_options_raise(cliques_one_tie: nx.Graph) -> None:
    with pytest.raises(AnalysisError, match="runs"):
        stability(cliques_one_tie, runs=0)
    with pytest.raises(AnalysisError, match="resolution"):
        louvain(cliques_one_tie, resolution=0)
    with pytest.raises(AnalysisError, match="lacks"):
        stability(cliques_one_tie, communities=pd.DataFrame({"person_id": ["A0"]}))
    with pytest.raises(AnalysisError, match="no people"):
        louvain(nx.Graph())
