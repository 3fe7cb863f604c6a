"""Disruption simulation, fragmentation measures and likely successors."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from netintel.analysis.centrality import centrality
from netintel.analysis.disruption import CURVE_COLUMNS, simulate_disruption, top_targets
from netintel.analysis.fragmentation import (
    component_sizes,
    distance_fragmentation,
    fragmentation,
    global_efficiency,
    inverse_distance_sum,
    removal_effects,
    residual,
)
from netintel.analysis.recovery import _constraint, find_people, likely_successors
from netintel.errors import AnalysisError


@pytest.fixture
def two_routes(person_graph):
    """L0, L1 reach R0, R1 through X (weak ties) or Y (strong ties): equal by hops."""
    edges = []
    for side in ("L0", "L1", "R0", "R1"):
        edges += [(side, "X", 0.1), (side, "Y", 5.0)]
    return person_graph(edges)


# -- fragmentation measures ---------------------------------------------------------------
def test_removal_effects_match_brute_force():
    for seed in range(15):
        G = nx.gnm_random_graph(22, 26 + seed, seed=seed)
        r = residual(G, weight=None)
        alive = np.ones(r.n, dtype=bool)
        alive[[1, 5]] = False
        ss, lcc, total, biggest = removal_effects(r.adj, alive)
        for v in np.flatnonzero(alive).tolist():
            sizes = component_sizes(G, removed=[1, 5, v])
            assert ss[v] == sum(s * s for s in sizes)
            assert lcc[v] == max(sizes)
        sizes = component_sizes(G, removed=[1, 5])
        assert (total, biggest) == (sum(s * s for s in sizes), max(sizes))


def test_efficiency_matches_networkx_and_sampling_is_close(messy):
    assert global_efficiency(messy, weight=None) == pytest.approx(nx.global_efficiency(messy))
    r = residual(messy, weight=None)
    exact, sampled = inverse_distance_sum(r.g)
    estimate, was_sampled = inverse_distance_sum(r.g, sample=40, seed=3)
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


# -- simulation -------------------------------------------------------------------------
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


def test_igraph_measures_agree_with_the_networkx_reference(two_cliques):
    reference = centrality(two_cliques, engine="networkx")
    for measure in ("betweenness", "pagerank"):
        expected = reference.sort_values([measure, "person_id"], ascending=[False, True])[
            "person_id"
        ].tolist()[:3]
        assert [u for u, _ in top_targets(two_cliques, measure, 3)] == expected
    assert top_targets(two_cliques, "betweenness", 1)[0][0] == "X"


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


def test_plot_writes_an_image(messy, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from netintel.analysis.disruption import plot_disruption

    curve = simulate_disruption(messy, strategies=["degree", "random"], steps=3)
    plot_disruption(curve, tmp_path / "c.png")
    assert (tmp_path / "c.png").stat().st_size > 1000


# -- likely successors ---------------------------------------------------------------------
def test_the_lieutenant_tied_to_the_bosss_contacts_succeeds(person_graph):
    edges = [("boss", c) for c in ("a", "b", "c", "d")]
    edges += [("lt", "boss", 2.0), ("lt", "a"), ("lt", "b"), ("lt", "c"), ("d", "e"), ("x", "e")]
    G = person_graph(edges)
    heirs = likely_successors(G, ["boss"])
    top = heirs.iloc[0]
    assert top["person_id"] == "lt"
    assert top["contacts_inherited"] == 3 and top["contact_share"] == pytest.approx(0.6)
    assert top["tie_to_removed"] == 2.0
    assert "boss" not in set(heirs["person_id"])
    assert "R-boss-lt" in top["succession_evidence"] and "R-d-e" not in top["succession_evidence"]
    assert "Name boss" in top["explanation"]
    assert heirs["score"].is_monotonic_decreasing


def test_the_other_route_gains_the_traffic(person_graph):
    edges = [(f"L{i}", "X") for i in range(3)] + [(f"R{i}", "X") for i in range(3)]
    edges += [(f"L{i}", "Y") for i in range(3)] + [("Y", "Z"), ("Z", "R0")]
    edges += [("R0", "R1"), ("R0", "R2")]
    G = person_graph(edges)
    heirs = likely_successors(G, ["X"], top=None, weight=None).set_index("person_id")
    assert heirs.loc["Y", "betweenness_gain"] > 0 and heirs.loc["Z", "betweenness_gain"] > 0
    assert heirs["score"].idxmax() in {"Y", "Z", "R0"}
    assert heirs.loc["Y", "betweenness_after"] == pytest.approx(
        heirs.loc["Y", "betweenness_before"] + heirs.loc["Y", "betweenness_gain"]
    )


def test_constraint_matches_networkx(messy):
    nodes = list(messy)
    ref = nx.constraint(messy, weight="weight")
    expected = [1.0 if np.isnan(ref[u]) else ref[u] for u in nodes]
    assert _constraint(messy, nodes, "weight") == pytest.approx(expected)


def test_successor_inputs_are_checked(messy):
    with pytest.raises(AnalysisError, match="not in the graph"):
        likely_successors(messy, ["nobody"])
    with pytest.raises(AnalysisError, match="at least one"):
        likely_successors(messy, [])
    G = nx.Graph()
    G.add_nodes_from([("p1", {"name": "Vi Văn An"}), ("p2", {"name": "Vi Văn An"})])
    with pytest.raises(AnalysisError, match="names 2 people"):
        find_people(G, ["vi văn an"])
    assert find_people(G, ["p2"]) == ["p2"]


def test_all_pairs_sum_is_exact_by_brute_force():
    G = nx.gnm_random_graph(12, 18, seed=1)
    r = residual(G, weight=None)
    total, _ = inverse_distance_sum(r.g)
    lengths = dict(nx.all_pairs_shortest_path_length(G))
    expected = sum(1 / lengths[a][b] for a, b in itertools.permutations(G, 2) if b in lengths[a])
    assert total == pytest.approx(expected)
