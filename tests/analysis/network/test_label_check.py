"""Features from labelled neighbours, and the learned ranking against every single measure."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netintel.analysis.network import LearnedRanker
from netintel.analysis.network.label_check import fold_comparison, ranking_quality, verdict
from netintel.analysis.network.label_features import LABEL_FEATURES, label_features

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real"


def test_a_confirmed_leader_is_scored_by_the_other_leaders_only():
    G = nx.les_miserables_graph()
    a, b, c = "Valjean", "Javert", "Marius"
    both = label_features(G, [a, b, c])
    others = label_features(G, [b, c])
    # a's features with a among the positives equal those with a's own label left out
    for f in ("leader_pagerank", "leader_spread"):
        assert both.loc[a, f] == pytest.approx(others.loc[a, f], rel=1e-6)
    assert both.loc[a, "leader_tie_share"] == others.loc[a, "leader_tie_share"]
    assert (both >= 0).all().all() and list(both.columns) == list(LABEL_FEATURES)
    assert label_features(G, []).eq(0).all().all()


def test_tie_share_weighs_ties_by_strength():
    G = nx.Graph()
    G.add_edge("x", "L", weight=3.0)
    G.add_edge("x", "y", weight=1.0)
    assert label_features(G, ["L"]).loc["x", "leader_tie_share"] == 0.75


def test_every_labelled_person_is_held_out_once_per_repeat_and_never_trained_on():
    y = pd.Series([1] * 6 + [0] * 24, index=[f"p{i}" for i in range(30)])
    seen: list[tuple[set, set]] = []

    def models(train: pd.Index, test: pd.Index) -> pd.DataFrame:
        seen.append((set(train), set(test)))
        return pd.DataFrame({"model": np.arange(len(test), dtype=float)}, index=test)

    baselines = pd.DataFrame({"degree": np.arange(30.0)}, index=y.index)
    summary, per_fold = fold_comparison(y, baselines, models, folds=3, repeats=2, seed=0)
    assert len(seen) == 6 and all(not (tr & te) for tr, te in seen)
    for r in range(2):
        tested = [p for _, te in seen[3 * r : 3 * r + 3] for p in te]
        assert sorted(tested) == sorted(y.index)
    assert list(summary["method"]) == ["model", "degree"]
    assert set(per_fold["positives"]) == {2}
    assert summary.attrs == {"folds": 3, "repeats": 2, "positives": 6, "labels": 30}


def test_precision_counts_ties_at_the_cut_off_in_expectation():
    scores = pd.DataFrame({"flat": [1.0] * 4}, index=list("abcd"))
    y = pd.Series([1, 0, 0, 0], index=list("abcd"))
    q = ranking_quality(scores, y, ks=(2, 10))
    assert q.loc[0, "precision@2"] == 0.25 and q.loc[0, "precision@10"] == 0.25  # 1 of 4
    assert q.loc[0, "r_precision"] == 0.25


def test_one_repeat_never_claims_a_win():
    f = pd.DataFrame({"repeat": [1, 1], "method": ["model", "degree"], "r_precision": [1.0, 0.0]})
    assert verdict(f, others=["degree"]).startswith("The model does not beat degree")


def _cells(seed: int = 0) -> tuple[nx.Graph, dict]:
    """Leaders who meet leaders: 16 cells, each a leader and 5 members in a clique; the
    leaders are tied to each other, the members are not tied outside their cell."""
    rng = np.random.default_rng(seed)
    G, labels = nx.Graph(), {}
    leaders = [f"L{c:02d}" for c in range(16)]
    for c, lead in enumerate(leaders):
        cell = [lead] + [f"M{c:02d}{i}" for i in range(5)]
        G.add_edges_from((a, b) for i, a in enumerate(cell) for b in cell[i + 1 :])
        labels.update({lead: 1, **{m: 0 for m in cell[1:]}})
    for a in leaders:
        for b in rng.choice(leaders, 3, replace=False):
            if a != b:
                G.add_edge(a, b)
    for u, v in G.edges():
        G[u][v].update(weight=1.0, sources=[f"R-{u}-{v}"])
    return G, labels


def test_the_learned_ranking_reports_the_model_against_every_measure():
    G, labels = _cells()
    r = LearnedRanker(folds=4, repeats=3, seed=0, permutation_repeats=0).fit(G, labels)
    table = r.comparison_.set_index("method")
    assert list(table.index[:3]) == ["model", "model without neighbour labels", "default"]
    assert {"degree", "strength", "betweenness", "pagerank", "eigenvector", "kcore"} <= set(
        table.index
    )
    assert {"precision@5", "precision@10", "r_precision", "r_precision_sd"} <= set(table.columns)
    assert table.loc["model", "r_precision"] >= 0.9
    assert len(r.comparison_folds_) == 4 * 3 * len(table)
    assert r.verdict_.startswith("The model ")
    assert r.ranking_.attrs["verdict"] == r.verdict_
    assert set(r.importances_["feature"]) >= set(LABEL_FEATURES)


@pytest.mark.skipif(not (REAL / "caviar").is_dir(), reason="../shared/data/real is absent")
def test_on_caviar_the_model_claims_nothing_four_labels_cannot_show():
    from netintel.evaluation.real import read_real_network

    net = read_real_network(REAL / "caviar")
    labels = {p: int(p in net.relevant) for p in net.graph}
    r = LearnedRanker(folds=4, repeats=2, seed=0, permutation_repeats=0).fit(net.graph, labels)
    assert "Only 4 positive labels" in r.verdict_
    assert r.verdict_.startswith("The model does not beat")
    table = r.comparison_.set_index("method")
    assert table.loc["default", "r_precision"] >= table.loc["eigenvector", "r_precision"]
