"""Disruption simulation: arrest sequences by strategy, and the network after each step."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netintel.analysis.dismantle.disrupt import CURVE_COLUMNS, simulate_disruption
from netintel.analysis.topk import top_targets
from netintel.errors import AnalysisError


@pytest.fixture
def two_routes(person_graph):
    """L0, L1 reach R0, R1 through X (weak ties) or Y (strong ties): equal by hops."""
    edges = []
    for side in ("L0", "L1", "R0", "R1"):
        edges += [(side, "X", 0.1), (side, "Y", 5.0)]
    return person_graph(edges)


def test_step_zero_is_the_intact_network(messy):
    curve = simulate_disruption(messy, strategies=["degree", "random"], steps=5)
    assert list(curve.columns[: len(CURVE_COLUMNS)]) == list(CURVE_COLUMNS)
    first = curve[curve["step"] == 0]
    assert len(first) == 2 and first["removed"].isna().all()
    assert (first["lcc_fraction"] == 1.0).all() and (first["efficiency_fraction"] == 1.0).all()
    assert first["lcc_size"].iloc[0] == max(len(c) for c in nx.connected_components(messy))
    assert first["components"].iloc[0] == nx.number_connected_components(messy)
    assert curve.groupby("strategy")["step"].max().tolist() == [5, 5]


def test_betweenness_removes_the_bridge_and_halves_the_network():
    G = nx.barbell_graph(5, 1)  # two 5-cliques through person 5
    curve = simulate_disruption(G, strategies="betweenness", steps=1, weight=None)
    row = curve.iloc[1]
    assert row["removed"] == 5 and row["lcc_size"] == 5 and row["components"] == 2
    assert row["lcc_fraction"] == pytest.approx(5 / 11)


def test_star_falls_apart_when_the_hub_goes(star):
    curve = simulate_disruption(star, strategies=["degree", "random"], steps=1, seed=1)
    by = curve[curve["step"] == 1].set_index("strategy")
    assert by.loc["degree", "removed"] == "P-hub" and by.loc["degree", "lcc_size"] == 1
    assert by.loc["degree", "efficiency"] == 0.0
    assert by.loc["random", "lcc_size"] > 1
    assert by.loc["degree", "evidence"] == sorted(f"R-P-hub-P-leaf{i}" for i in range(5))
    assert by.loc["degree", "name"] == "Name P-hub"


def test_efficiency_never_rises_as_people_are_removed(messy):
    curve = simulate_disruption(messy, strategies=["pagerank", "random"], steps=12, seed=2)
    for _, part in curve.groupby("strategy"):
        assert (np.diff(part["efficiency"].to_numpy()) <= 1e-12).all()
        assert (np.diff(part["lcc_size"].to_numpy()) <= 0).all()


def test_block_takes_the_intact_top_and_sequential_recomputes(messy):
    block = simulate_disruption(
        messy, strategies="betweenness", recompute="block", block_size=4, steps=4
    )
    seq = simulate_disruption(messy, strategies="betweenness", steps=4)
    top4 = [u for u, _ in top_targets(messy, "betweenness", 4)]
    assert list(block["removed"][1:]) == top4
    assert seq["removed"].iloc[1] == top4[0]
    assert list(seq["removed"][1:]) != top4  # recomputation changes the later choices
    H = messy.copy()
    H.remove_node(top4[0])
    assert seq["removed"].iloc[2] == top_targets(H, "betweenness", 1)[0][0]


def test_weighted_and_unweighted_pick_different_brokers(two_routes):
    weighted = simulate_disruption(two_routes, strategies="betweenness", steps=1)
    plain = simulate_disruption(two_routes, strategies="betweenness", steps=1, weight=None)
    assert weighted["removed"].iloc[1] == "Y"  # strong ties: all shortest paths run through Y
    assert plain["removed"].iloc[1] == "X"  # equal by hops: the tie goes to the smaller id
    assert weighted["efficiency"].iloc[0] > plain["efficiency"].iloc[0]


def test_random_order_follows_the_seed(messy):
    a = simulate_disruption(messy, strategies="random", steps=6, seed=4)
    b = simulate_disruption(messy, strategies="random", steps=6, seed=4)
    c = simulate_disruption(messy, strategies="random", steps=6, seed=5)
    assert a.equals(b)
    assert list(a["removed"]) != list(c["removed"])


def test_plans_and_keyplayer_curves(messy):
    plan = ["P-01", "P-02", "P-03"]
    curve = simulate_disruption(messy, strategies="keyplayer", plans={"case plan": plan}, steps=3)
    assert list(curve.loc[curve["strategy"] == "case plan", "removed"][1:]) == plan
    kp = curve[curve["strategy"] == "keyplayer"]
    assert len(kp) == 4 and kp["removed"][1:].notna().all()


def test_curve_stops_when_no_tie_is_left(star):
    curve = simulate_disruption(star, strategies="degree", steps=None)
    assert curve["step"].max() == 1


def test_invalid_options_are_named(messy):
    with pytest.raises(AnalysisError, match="unknown strategy 'closeness'"):
        simulate_disruption(messy, strategies="closeness")
    with pytest.raises(AnalysisError, match="recompute"):
        simulate_disruption(messy, recompute="sometimes")
    with pytest.raises(AnalysisError, match="block_size"):
        simulate_disruption(messy, recompute="block", block_size=0)
    with pytest.raises(AnalysisError, match="not in the graph"):
        simulate_disruption(messy, strategies=[], plans={"x": ["nobody"]})
