"""The prepared graph every analysis runs on, and the one betweenness of the analyses."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netintel.analysis.engine import (
    betweenness,
    default_betweenness_k,
    pick_engine,
    prepare,
    sample_sources,
)
from netintel.errors import AnalysisError


def test_the_igraph_twin_carries_strength_and_distance(person_graph):
    prep = prepare(person_graph([("a", "b", 4.0), ("b", "c")]), weight="weight", engine="igraph")
    g = prep.igraph()
    assert g is prep.igraph()  # converted once
    assert g.es["strength"] == [4.0, 1.0] and g.es["distance"] == [0.25, 1.0]
    assert prep.path_weights == "distance" and prep.weighted
    assert prep.adjacency() == [[1], [0, 2], [1]]
    plain = prepare(person_graph([("a", "b", 4.0)]), weight=None, engine="igraph")
    assert plain.path_weights is None and plain.strength.tolist() == [1.0]


def test_betweenness_is_networkx_exact_and_sampled(messy):
    # strengths whose distances add up exactly (igraph compares path lengths within a
    # tolerance, NetworkX exactly: see netintel.analysis.network.centrality)
    for i, (_, _, d) in enumerate(messy.edges(data=True)):
        d["weight"] = 2.0 ** (i % 3)
    prep = prepare(messy, weight="weight", engine="igraph")
    H = messy.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1 / d["weight"]
    exact = nx.betweenness_centrality(H, weight="distance")
    got = betweenness(prep.igraph(), weights=prep.path_weights)
    assert got == pytest.approx([exact[u] for u in prep.nodes], abs=1e-9)
    sampled = nx.betweenness_centrality(H, k=20, weight="distance", seed=3)
    sources = sample_sources(prep.n, 20, seed=3)
    got = betweenness(prep.igraph(), weights=prep.path_weights, sources=sources)
    assert got == pytest.approx([sampled[u] for u in prep.nodes], abs=1e-9)


def test_unnormalised_betweenness_counts_pairs():
    g = prepare(nx.path_graph(4), weight=None, engine="igraph").igraph()
    assert betweenness(g, normalized=False).tolist() == [0.0, 2.0, 2.0, 0.0]
    # from sources 0 and 3 only (each pair counted half from each end), scaled by n / k = 2
    assert betweenness(g, sources=[0, 3], normalized=False).tolist() == [0.0, 3.0, 3.0, 0.0]


def test_sampling_policy():
    assert default_betweenness_k(2_000, 10_000) is None
    assert default_betweenness_k(3_000, 10_000) == 256
    assert sample_sources(5, None, seed=1) is None
    assert sample_sources(50, 4, seed=1) == sample_sources(50, 4, seed=1)


def test_invalid_graphs_and_engines_are_named():
    with pytest.raises(AnalysisError, match="undirected simple"):
        prepare(nx.DiGraph([(1, 2)]), weight=None)
    with pytest.raises(AnalysisError, match="no people"):
        prepare(nx.Graph(), weight=None)
    assert prepare(nx.Graph(), weight=None, allow_empty=True).n == 0
    with pytest.raises(AnalysisError, match="unknown engine 'spark'"):
        pick_engine("spark", 10, 10)
    G = nx.Graph([(1, 2, {"weight": "strong"})])
    with pytest.raises(AnalysisError, match="must be numbers"):
        prepare(G, weight="weight")
    assert np.isfinite(prepare(nx.Graph([(1, 2)]), weight="weight").strength).all()
