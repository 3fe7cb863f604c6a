"""Top k by one measure: the single-measure strategies dismantling compares with."""

from __future__ import annotations

import networkx as nx
import pytest

from netintel.analysis.network.centrality import centrality
from netintel.analysis.network.ranking import rank_targets
from netintel.analysis.topk import MEASURE_STRATEGIES, by_score, id_key, top_targets
from netintel.errors import AnalysisError


def test_igraph_measures_agree_with_the_networkx_reference(two_cliques):
    reference = centrality(two_cliques, engine="networkx")
    for measure in ("betweenness", "pagerank"):
        expected = reference.sort_values([measure, "person_id"], ascending=[False, True])[
            "person_id"
        ].tolist()[:3]
        assert [u for u, _ in top_targets(two_cliques, measure, 3)] == expected
    assert top_targets(two_cliques, "betweenness", 1)[0][0] == "X"


def test_ranked_is_the_target_list(two_cliques):
    first = rank_targets(two_cliques, seed=0)["person_id"].tolist()[:3]
    assert [u for u, _ in top_targets(two_cliques, "ranked", 3)] == first


def test_weighted_degree_is_strength(person_graph):
    G = person_graph([("a", "b", 5.0), ("c", "d"), ("c", "e")])
    assert top_targets(G, "degree", 1) == [("a", 5.0)]
    assert top_targets(G, "degree", 1, weight=None) == [("c", 2.0)]


def test_ties_go_to_the_smaller_id_whatever_its_type():
    assert sorted(["b", 3, "a", 1], key=id_key) == [1, 3, "a", "b"]
    assert by_score([2.0, 2.0, 1.0], ["z", "y", "x"]) == [1, 0, 2]
    assert top_targets(nx.empty_graph(3), "degree", 2) == [(0, 0.0), (1, 0.0)]


def test_unknown_strategy_is_named(two_cliques):
    assert "random" not in MEASURE_STRATEGIES
    with pytest.raises(AnalysisError, match="unknown strategy 'random'"):
        top_targets(two_cliques, "random", 2)
