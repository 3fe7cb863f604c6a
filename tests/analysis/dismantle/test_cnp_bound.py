"""The proven lower bound on the largest component left (critical-node MILP, HiGHS)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest

from netintel.analysis.dismantle.cnp import lcc_bound
from netintel.errors import AnalysisError


def _optimum(G: nx.Graph, k: int) -> int:
    """Every set of k people, by enumeration."""
    best = len(G)
    for S in combinations(G, k):
        H = G.subgraph(set(G) - set(S))
        best = min(best, max((len(c) for c in nx.connected_components(H)), default=0))
    return best


def _lcc_after(G: nx.Graph, S) -> int:
    H = G.subgraph(set(G) - set(S))
    return max((len(c) for c in nx.connected_components(H)), default=0)


@pytest.mark.parametrize("seed", range(40))
def test_exact_on_small_random_graphs_equals_enumeration(seed):
    n = 8 + seed % 6
    G = nx.gnp_random_graph(n, 0.2 + 0.05 * (seed % 5), seed=seed)
    k = 1 + seed % 3
    b = lcc_bound(G, k, time_limit=30)
    truth = _optimum(G, k)
    assert b.exact and b.lower == b.upper == truth
    assert len(b.people) <= k and _lcc_after(G, b.people) == b.upper


@pytest.mark.parametrize("seed", range(20))
def test_bound_never_exceeds_the_optimum_under_a_tiny_time_limit(seed):
    G = nx.gnm_random_graph(14, 24, seed=100 + seed)
    k = 1 + seed % 4
    truth = _optimum(G, k)
    for limit in (0.0, 0.001, 0.05):
        b = lcc_bound(G, k, time_limit=limit)
        assert b.lower <= truth <= b.upper == _lcc_after(G, b.people)
        assert b.gap == b.upper - b.lower and b.exact == (b.gap == 0)


def test_start_set_is_improved_and_named_people_are_kept():
    G = nx.relabel_nodes(nx.path_graph(12), {i: f"p{i}" for i in range(12)})
    b = lcc_bound(G, 2, start=["p0", "p1"], time_limit=30)
    assert (b.lower, b.upper, b.exact) == (4, 4, True)  # ten left in three pieces
    assert all(u in G for u in b.people)


def test_bad_input_is_named():
    with pytest.raises(AnalysisError, match="between 0 and"):
        lcc_bound(nx.path_graph(3), 3)
    with pytest.raises(AnalysisError, match="not in the graph"):
        lcc_bound(nx.path_graph(3), 1, start=["nobody"])


REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="real networks absent")
def test_real_networks_bound_is_below_the_plan_and_exact_on_the_small_ones():
    from netintel.evaluation.real import read_real_networks

    for net in read_real_networks(REAL):
        G = net.graph
        if G.number_of_nodes() > 40:
            continue
        b = lcc_bound(G, 5, time_limit=30)
        assert b.exact, net.name
        assert _lcc_after(G, b.people) == b.lower


@pytest.mark.skipif(not REAL.is_dir(), reason="real networks absent")
def test_real_networks_plan_says_how_far_it_is_from_the_bound():
    import warnings

    from netintel.analysis.dismantle import key_players
    from netintel.evaluation.real import read_real_networks

    for net in read_real_networks(REAL):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            small = net.graph.number_of_nodes() <= 40  # HiGHS finishes in seconds
            plan = key_players(net.graph, 5, objective="lcc", seed=0, bound_time=20 if small else 2)
        assert plan.bound is not None and 1 <= plan.bound <= plan.lcc_size, net.name
        assert plan.gap == plan.lcc_size - plan.bound
        assert plan.summary()["gap"] == plan.gap
        if small:
            assert plan.gap == 0, net.name
