"""Pair features: topology, Katz and co-occurrence in the records."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netintel.analysis.hidden.features import (
    cooccurrence_pairs,
    katz_index,
    pair_features,
)
from netintel.errors import AnalysisError


@pytest.fixture
def kite() -> nx.Graph:
    """a and b share x and y; y also knows z; x is tied twice as strongly to a."""
    G = nx.Graph()
    G.add_edge("a", "x", weight=2.0, sources=["R-ax"])
    G.add_edge("b", "x", weight=1.0, sources=["R-bx"])
    G.add_edge("a", "y", weight=1.0, sources=["R-ay"])
    G.add_edge("b", "y", weight=3.0, sources=["R-by"])
    G.add_edge("y", "z", weight=1.0, sources=["R-yz"])
    return G


def test_topological_features_have_their_textbook_values(kite):
    f = pair_features(kite, [("a", "b"), ("a", "z"), ("x", "z")]).set_index(["u", "v"])
    ab = f.loc[("a", "b")]
    assert ab["common_neighbours"] == 2
    assert ab["jaccard"] == 1.0
    # x has degree 2, y degree 3
    assert ab["adamic_adar"] == pytest.approx(1 / math.log(2) + 1 / math.log(3))
    assert ab["resource_allocation"] == pytest.approx(1 / 2 + 1 / 3)
    assert ab["preferential_attachment"] == 4
    # weaker tie through x: min(2, 1); through y: min(1, 3)
    assert ab["weighted_common"] == 2.0
    az = f.loc[("a", "z")]
    assert (az["common_neighbours"], az["jaccard"]) == (1, 0.5)
    assert f.loc[("x", "z"), "common_neighbours"] == 0  # x knows a, b; z only y


def test_features_agree_with_networkx_on_a_random_graph():
    G = nx.gnm_random_graph(30, 80, seed=3)
    pairs = [(u, v) for u, v in nx.non_edges(G)][:60]
    f = pair_features(G, pairs)
    for name, fn in (
        ("adamic_adar", nx.adamic_adar_index),
        ("resource_allocation", nx.resource_allocation_index),
        ("jaccard", nx.jaccard_coefficient),
        ("preferential_attachment", nx.preferential_attachment),
    ):
        expected = [p for _, _, p in fn(G, pairs)]
        assert np.allclose(f[name], expected), name
    cn = [len(list(nx.common_neighbors(G, u, v))) for u, v in pairs]
    assert f["common_neighbours"].tolist() == cn


def test_katz_exact_matches_the_matrix_inverse_and_truncated_the_power_sum():
    G = nx.karate_club_graph()
    A = nx.to_numpy_array(G, nodelist=list(G), weight=None)
    lam = max(np.linalg.eigvalsh(A))
    beta = 0.5 / lam
    K = np.linalg.inv(np.eye(len(A)) - beta * A) - np.eye(len(A))
    pairs = [(0, 33), (5, 16), (2, 9), (11, 30)]
    assert np.allclose(katz_index(G, pairs), [K[u, v] for u, v in pairs])
    assert np.allclose(katz_index(G, pairs, beta=beta), [K[u, v] for u, v in pairs])
    powers = sum(beta**k * np.linalg.matrix_power(A, k) for k in range(1, 5))
    assert np.allclose(
        katz_index(G, pairs, beta=beta, max_length=4), [powers[u, v] for u, v in pairs]
    )
    # the truncated sum converges to the exact one
    assert np.allclose(katz_index(G, pairs, beta=beta, max_length=60), [K[u, v] for u, v in pairs])


def test_katz_refuses_a_divergent_beta():
    with pytest.raises(AnalysisError, match="does not converge"):
        katz_index(nx.complete_graph(5), [(0, 1)], beta=0.5)


def test_cooccurrence_pairs_respect_place_window_event_and_group_size():
    events = pd.DataFrame(
        {
            "person_id": ["a", "b", "c", "d", "e"],
            "event": ["S1", "S2", "S3", "S1", "S9"],
            "place": ["vn/nghe an", "vn/nghe an", "vn/nghe an", "vn/nghe an", "vn/son la"],
            "date": ["2023-01-01", "2023-01-25", "2023-03-01", "2023-01-01", "2023-01-01"],
            "sources": [["A1"], ["A2"], ["A3"], ["A4"], ["A5"]],
        }
    )
    pairs = cooccurrence_pairs({"events": events}, window_days=30)
    got = set(zip(pairs["u"], pairs["v"], strict=True))
    # a-d share the event S1 (already a tie), c is 35+ days later, e elsewhere
    assert got == {("a", "b"), ("b", "d")}
    assert pairs.loc[pairs["u"] == "a", "sources"].item() == ["A1", "A2"]
    assert cooccurrence_pairs({"events": events}, window_days=10).empty

    contacts = pd.DataFrame(
        {"person_id": ["a", "b", "c"], "phone": ["+84900", "+84900", "+84900"],
         "sources": [["C1"], ["C2"], ["C3"]]}
    )  # fmt: skip
    assert len(cooccurrence_pairs({"contacts": contacts})) == 3
    assert cooccurrence_pairs({"contacts": contacts}, max_group=2).empty
    with pytest.raises(AnalysisError, match="lacks column"):
        cooccurrence_pairs({"vehicles": contacts})
    with pytest.raises(AnalysisError, match="unknown co-occurrence table"):
        cooccurrence_pairs({"boats": contacts})


def test_cooccurrence_options_are_checked():
    with pytest.raises(AnalysisError, match="window_days must be an integer >= 0"):
        cooccurrence_pairs({}, window_days="a month")
    with pytest.raises(AnalysisError, match="max_group"):
        cooccurrence_pairs({}, max_group=0)
    with pytest.raises(AnalysisError, match="unknown co-occurrence table 'calls'"):
        cooccurrence_pairs({"calls": pd.DataFrame()})
