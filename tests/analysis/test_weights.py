"""Strength -> distance: the one conversion, its copy semantics and its checks."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netintel.analysis.weights import add_distance, check_strengths, strength_to_distance
from netintel.errors import AnalysisError


def test_distance_is_reciprocal_of_strength() -> None:
    assert strength_to_distance(4.0) == 0.25
    np.testing.assert_allclose(strength_to_distance(np.array([0.5, 2.0])), [2.0, 0.5])


def test_add_distance_copies_by_default_and_writes_in_place_on_request() -> None:
    G = nx.Graph()
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("b", "c")  # no weight: counts 1, as in NetworkX
    H = add_distance(G, attr="d")
    assert H is not G and "d" not in G["a"]["b"]
    assert H["a"]["b"]["d"] == 0.5 and H["b"]["c"]["d"] == 1.0
    assert add_distance(G, copy=False) is G and G["a"]["b"]["distance"] == 0.5


def test_unweighted_distance_is_hop_count() -> None:
    H = add_distance(nx.path_graph(3), weight=None)
    assert nx.get_edge_attributes(H, "distance") == {(0, 1): 1.0, (1, 2): 1.0}


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_non_positive_or_non_finite_strength_is_rejected(bad: float) -> None:
    G = nx.Graph()
    G.add_edge("a", "b", weight=bad)
    with pytest.raises(AnalysisError, match="finite evidence strengths > 0"):
        add_distance(G)
    with pytest.raises(AnalysisError):
        check_strengths(np.array([1.0, bad]))
