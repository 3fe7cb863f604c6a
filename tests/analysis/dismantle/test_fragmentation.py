"""Fragmentation measures: components, F, DF, efficiency, and the effect of every removal."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from netintel.analysis.dismantle.fragmentation import (
    component_sizes,
    distance_fragmentation,
    fragmentation,
    global_efficiency,
    inverse_distance_sum,
    removal_effects,
)
from netintel.analysis.engine import prepare
from netintel.errors import AnalysisError


def test_removal_effects_match_brute_force():
    for seed in range(15):
        G = nx.gnm_random_graph(22, 26 + seed, seed=seed)
        prep = prepare(G, weight=None, engine="igraph")
        alive = np.ones(prep.n, dtype=bool)
        alive[[1, 5]] = False
        ss, lcc, total, biggest = removal_effects(prep.adjacency(), alive)
        for v in np.flatnonzero(alive).tolist():
            sizes = component_sizes(G, removed=[1, 5, v])
            assert ss[v] == sum(s * s for s in sizes)
            assert lcc[v] == max(sizes)
        sizes = component_sizes(G, removed=[1, 5])
        assert (total, biggest) == (sum(s * s for s in sizes), max(sizes))


def test_efficiency_matches_networkx_and_sampling_is_close(messy):
    assert global_efficiency(messy, weight=None) == pytest.approx(nx.global_efficiency(messy))
    g = prepare(messy, weight=None, engine="igraph").igraph()
    exact, sampled = inverse_distance_sum(g)
    estimate, was_sampled = inverse_distance_sum(g, sample=40, seed=3)
    assert not sampled and was_sampled
    assert estimate == pytest.approx(exact, rel=0.25)


def test_fragmentation_and_df_on_known_graphs():
    G = nx.barbell_graph(3, 1)
    assert fragmentation(G) == 0.0
    assert fragmentation(G, removed=[3]) == pytest.approx(1 - 12 / 30)
    assert distance_fragmentation(nx.complete_graph(5)) == 0.0
    assert distance_fragmentation(nx.empty_graph(4)) == 1.0
    # a path of 3: pairs at 1, 1, 2 hops
    assert distance_fragmentation(nx.path_graph(3)) == pytest.approx(1 - (1 + 1 + 0.5) / 3)


def test_all_pairs_sum_is_exact_by_brute_force():
    G = nx.gnm_random_graph(12, 18, seed=1)
    total, _ = inverse_distance_sum(prepare(G, weight=None, engine="igraph").igraph())
    lengths = dict(nx.all_pairs_shortest_path_length(G))
    expected = sum(1 / lengths[a][b] for a, b in itertools.permutations(G, 2) if b in lengths[a])
    assert total == pytest.approx(expected)


def test_a_sample_must_be_a_number_of_people():
    with pytest.raises(AnalysisError, match="sample must be an integer >= 1"):
        global_efficiency(nx.path_graph(4), sample=0)
    with pytest.raises(AnalysisError, match="sample"):
        distance_fragmentation(nx.path_graph(4), sample="all")
    with pytest.raises(AnalysisError, match="undirected"):
        fragmentation({"a": ["b"]})
