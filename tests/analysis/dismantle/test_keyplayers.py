"""Key players (KPP-Neg): known answers, exact search, the never-worse guarantee."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.dismantle import key_players, simulate_disruption
from netintel.analysis.dismantle.fragmentation import distance_fragmentation, fragmentation
from netintel.errors import AnalysisError
from netintel.ingest.matrix import network_folders


def _weighted(G: nx.Graph, seed: int) -> nx.Graph:
    for u, v, d in G.edges(data=True):
        d["weight"] = 0.5 + ((u * 7 + v * 13 + seed) % 5)
        d["sources"] = [f"R-{u}-{v}"]
    nx.set_node_attributes(G, {u: f"Person {u}" for u in G}, "name")
    return G


def test_the_bridge_of_a_barbell_is_the_key_player():
    plan = key_players(nx.barbell_graph(4, 1), k=1, objective="F")
    assert list(plan.players["person_id"]) == [4]
    assert plan.component_sizes == [4, 4]
    assert plan.fragmentation == pytest.approx(1 - 24 / 56)
    assert plan.lcc_fraction == pytest.approx(4 / 9)
    assert plan.method == "exact"


def test_star_hubs_are_found_and_explained(person_graph):
    edges = [("H1", f"a{i}") for i in range(6)] + [("H2", f"b{i}") for i in range(5)]
    edges += [("H1", "H2"), ("a0", "b0")]
    plan = key_players(person_graph(edges), k=2)
    assert set(plan.players["person_id"]) == {"H1", "H2"}
    row = plan.players.iloc[0]
    assert row["name"].startswith("Name H") and row["evidence"] and row["evidence_count"] > 0
    assert plan.players["lcc_after"].iloc[-1] == plan.lcc_size


@pytest.mark.parametrize("seed", range(4))
def test_exact_search_finds_the_true_optimum_and_the_heuristic_is_close(seed):
    G = _weighted(nx.gnm_random_graph(16, 22, seed=seed), seed)
    k = 3
    best = max(fragmentation(G, removed=S) for S in itertools.combinations(G, k))
    exact = key_players(G, k, objective="F", exact=True, compare=())
    heur = key_players(G, k, objective="F", exact=False, compare=(), seed=seed)
    assert exact.fragmentation == pytest.approx(best)
    assert heur.fragmentation <= exact.fragmentation + 1e-12
    assert heur.fragmentation >= 0.9 * best


def test_df_search_is_exact_on_a_cycle_where_f_cannot_tell():
    G = nx.cycle_graph(9)
    G.add_edges_from([(0, 4), (9, 0), (10, 9)])
    plan = key_players(G, 1, objective="DF", compare=())
    best = max(distance_fragmentation(G, removed=[u]) for u in G)
    assert plan.distance_fragmentation == pytest.approx(best)
    assert plan.objective == "DF"


@pytest.mark.parametrize("seed", range(6))
def test_never_worse_than_the_best_single_measure(seed):
    G = _weighted(nx.powerlaw_cluster_graph(120, 2, 0.1, seed=seed), seed)
    G.remove_edges_from(list(G.edges)[:: 9 + seed])  # some ties gone: several components
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = key_players(G, 4, objective="F", seed=seed, exact=False)
    cmp = plan.comparison.set_index("strategy")
    single = cmp.drop(index="keyplayer")
    kp = cmp.loc["keyplayer"]
    # the best single measure (smallest largest component), on both counts ...
    ref = single.sort_values(["lcc_size", "fragmentation"], ascending=[True, False]).iloc[0]
    assert kp["fragmentation"] >= ref["fragmentation"] - 1e-12
    assert kp["lcc_fraction"] <= ref["lcc_fraction"]
    # ... and every single measure on both counts, unless a warning says otherwise
    if not caught:
        assert kp["fragmentation"] >= single["fragmentation"].max() - 1e-12
        assert kp["lcc_fraction"] <= single["lcc_fraction"].min()
    assert plan.best_single in set(single.index)
    assert cmp.loc[plan.best_single, "lcc_fraction"] == single["lcc_fraction"].min()


def test_never_worse_by_df_when_df_is_the_objective(messy):
    plan = key_players(messy, 3, objective="DF", seed=0)
    cmp = plan.comparison.set_index("strategy")
    single = cmp.drop(index="keyplayer")
    ref = single.sort_values(["lcc_size", "distance_fragmentation"], ascending=[True, False]).iloc[
        0
    ]
    assert cmp.loc["keyplayer", "distance_fragmentation"] >= ref["distance_fragmentation"] - 1e-9
    assert cmp.loc["keyplayer", "lcc_size"] <= ref["lcc_size"]


def test_same_seed_same_plan(messy):
    a = key_players(messy, 4, objective="F", exact=False, seed=3)
    b = key_players(messy, 4, objective="F", exact=False, seed=3)
    assert a.players.equals(b.players) and a.comparison.equals(b.comparison)


def test_weights_change_the_single_measure_sets_not_the_fragmentation(person_graph):
    edges = []
    for side in ("L0", "L1", "R0", "R1"):
        edges += [(side, "X", 0.1), (side, "Y", 5.0)]
    G = person_graph(edges)
    weighted = key_players(G, 1, compare=("betweenness",))
    plain = key_players(G, 1, compare=("betweenness",), weight=None)
    assert weighted.comparison.loc[1, "people"] == ["Y"]
    assert plain.comparison.loc[1, "people"] == ["X"]
    assert weighted.fragmentation == plain.fragmentation


def test_invalid_requests_are_named(messy):
    with pytest.raises(AnalysisError, match="k must be between 1 and 59"):
        key_players(messy, 60)
    with pytest.raises(AnalysisError, match="objective"):
        key_players(messy, 2, objective="closeness")
    with pytest.raises(AnalysisError, match="unknown strategy 'random'"):
        key_players(messy, 2, compare=("random",))
    with pytest.raises(AnalysisError, match="restarts"):
        key_players(messy, 2, restarts=-1)
    with pytest.raises(AnalysisError, match="perturbations"):
        key_players(messy, 2, perturbations=-1)
    with pytest.raises(AnalysisError, match="unknown strategy 'random'"):
        key_players(messy, 2, sequential=("random",))
    with pytest.raises(AnalysisError, match="no people"):
        key_players(nx.Graph(), 1)


REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real"


def _matrix_graph(path: Path) -> nx.Graph:
    """An adjacency-matrix CSV as a person graph (ties symmetrised, strongest direction)."""
    m = pd.read_csv(path, index_col=0)
    G = nx.Graph()
    G.add_nodes_from((str(u), {"name": str(u), "sources": []}) for u in m.index)
    for u, row in m.iterrows():
        for v, w in row.items():
            if w and w > 0 and str(u) != str(v):
                old = G.get_edge_data(str(u), str(v), {}).get("weight", 0.0)
                G.add_edge(str(u), str(v), weight=max(old, float(w)), sources=[f"{u}-{v}"])
    return G


#: Each real network's matrix, a test apiece (skipped when the folder is absent).
each_real_network = pytest.mark.parametrize(
    "path",
    [n.matrix for n in network_folders(REAL)] if REAL.is_dir() else [],
    ids=lambda p: p.parent.name,
)
absent = pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)


@absent
@each_real_network
def test_real_networks_plan_is_never_worse_and_curves_run(path):
    G = _matrix_graph(path)
    plan = key_players(G, 3, seed=0)
    cmp = plan.comparison.set_index("strategy")
    obj = "distance_fragmentation" if plan.objective == "DF" else "fragmentation"
    single = cmp.drop(index="keyplayer")
    ref = single.sort_values(["lcc_size", obj], ascending=[True, False]).iloc[0]
    assert cmp.loc["keyplayer", obj] >= ref[obj] - 1e-9
    assert cmp.loc["keyplayer", "lcc_size"] <= ref["lcc_size"]
    curve = simulate_disruption(G, strategies=["betweenness", "keyplayer"], steps=3)
    assert (curve.groupby("strategy")["lcc_fraction"].min() < 1.0).all()


@absent
@each_real_network
def test_real_networks_plan_beats_every_sequential_strategy_for_k_up_to_10(path):
    G = _matrix_graph(path)
    sequential = ("degree", "betweenness", "pagerank")
    curve = simulate_disruption(G, strategies=sequential, steps=10)  # Cavallaro et al. 2020
    lcc = curve.pivot(index="step", columns="strategy", values="lcc_size")
    lcc = lcc.reindex(range(11)).ffill()  # a curve ends once no tie is left
    for k in range(1, 11):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plan = key_players(G, k, seed=0, bound_time=0)  # the bound: test_cnp_bound
        baseline = lcc.loc[k]
        assert (plan.lcc_size <= baseline).all(), (k, plan.lcc_size, baseline.to_dict())
        cmp = plan.comparison.set_index("strategy")["lcc_size"]
        for s in sequential:  # the plan's own baselines are the simulation's
            assert cmp[f"sequential {s}"] == baseline[s]
        start = cmp[plan.started_from] if plan.started_from != "greedy" else None
        assert start is None or plan.improvement == start - plan.lcc_size


def test_lcc_objective_beats_sequential_degree_on_a_chain():
    plan = key_players(nx.path_graph(10), 2, objective="LCC", compare=(), sequential=("degree",))
    assert plan.component_sizes == [3, 3, 2] and plan.objective == "LCC"
    assert plan.comparison.set_index("strategy").loc["sequential degree", "lcc_size"] == 6


@pytest.mark.parametrize("seed", range(3))
def test_iterated_swaps_never_lose_to_a_start_and_repeat_by_seed(seed):
    G = nx.powerlaw_cluster_graph(150, 2, 0.1, seed=seed)
    a = key_players(G, 6, objective="LCC", seed=seed, exact=False, compare=())
    b = key_players(G, 6, objective="LCC", seed=seed, exact=False, compare=())
    assert a.players.equals(b.players)
    assert "iterated swaps" in a.method
    cmp = a.comparison.set_index("strategy")["lcc_size"]
    assert a.lcc_size <= cmp.drop(index="keyplayer").min()
    assert a.started_from in {*cmp.index, "greedy"} and a.improvement >= 0


def test_objectives_go_by_their_names_too():
    G = nx.barbell_graph(4, 1)
    for name, code in (("fragmentation", "F"), ("distance", "DF"), ("lcc", "LCC"), ("df", "DF")):
        plan = key_players(G, 1, objective=name, compare=(), sequential=())
        assert plan.objective == code
        assert plan.objective == "DF" or list(plan.players["person_id"]) == [4]
    with pytest.raises(AnalysisError, match=r"'F' \(fragmentation\), 'DF' \(distance\)"):
        key_players(G, 1, objective="closeness")
