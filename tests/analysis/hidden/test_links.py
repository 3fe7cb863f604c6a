"""The link predictor: hidden ties found again, suggestions with their evidence."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import netintel
from netintel.analysis.hidden import (
    FEATURES,
    SUGGESTION_COLUMNS,
    LinkPredictor,
    suggest_links,
)
from netintel.errors import AnalysisError


def _planted(seed: int = 0) -> tuple[nx.Graph, list[tuple[int, int]]]:
    """Eight dense rings of ten, a few ties between rings; 20 in-ring ties withheld."""
    G = nx.planted_partition_graph(8, 10, 0.6, 0.01, seed=seed)
    rng = np.random.default_rng(seed)
    in_ring = [(u, v) for u, v in G.edges() if u // 10 == v // 10]
    hidden = [in_ring[i] for i in rng.choice(len(in_ring), size=20, replace=False)]
    G.remove_edges_from(hidden)
    nx.set_edge_attributes(G, 1.0, "weight")
    return G, hidden


def test_withheld_ties_score_above_random_pairs():
    G, hidden = _planted()
    lp = LinkPredictor(seed=0).fit(G)
    rng = np.random.default_rng(1)
    others: list[tuple[int, int]] = []
    while len(others) < 60:
        u, v = (int(x) for x in rng.choice(80, size=2, replace=False))
        if not G.has_edge(u, v) and (u, v) not in hidden and (v, u) not in hidden:
            others.append((u, v))
    p = lp.predict_proba(hidden + others)
    assert roc_auc_score([1] * len(hidden) + [0] * len(others), p) > 0.85
    assert lp.cv_["roc_auc"].mean() > 0.85
    assert len(lp.cv_) == 5


def test_suggestions_are_untied_sorted_explained_and_deterministic():
    G, _ = _planted()
    for u, v, d in G.edges(data=True):
        d["sources"] = [f"R-{min(u, v)}-{max(u, v)}"]
    out = suggest_links(G, top=15, seed=0)
    assert list(out.columns) == list(SUGGESTION_COLUMNS)
    assert len(out) == 15
    pairs = zip(out["person_id_a"], out["person_id_b"], strict=True)
    assert not any(G.has_edge(u, v) for u, v in pairs)
    assert out["probability"].is_monotonic_decreasing
    assert out["rank"].tolist() == list(range(1, 16))
    # most suggestions close a ring; the evidence holds the records of the common ties
    assert out["same_ring"].mean() >= 0.8
    row = out.iloc[0]
    expected = set()
    for w in row["common"]:
        expected |= {f"R-{min(row.person_id_a, w)}-{max(row.person_id_a, w)}"}
        expected |= {f"R-{min(row.person_id_b, w)}-{max(row.person_id_b, w)}"}
    assert set(row["evidence"]) == expected
    assert row["explanation"].startswith("Probability ")
    again = suggest_links(G, top=15, seed=0)
    pd.testing.assert_frame_equal(out, again)


def test_cooccurrence_features_and_evidence_reach_the_suggestions():
    G = nx.connected_caveman_graph(4, 5)
    contacts = pd.DataFrame(
        {"person_id": [0, 17], "phone": ["+84911", "+84911"], "sources": [["COM-1"], ["COM-2"]]}
    )
    lp = LinkPredictor(seed=0).fit(G, {"contacts": contacts})
    out = lp.suggest(top=None)
    row = out[(out["person_id_a"] == 0) & (out["person_id_b"] == 17)]
    assert len(row) == 1  # three ties apart: a candidate only through the shared phone
    assert row["shared_contacts"].item() == 1
    assert {"COM-1", "COM-2"} <= set(row["evidence"].item())
    assert "+84911" in row["explanation"].item()
    assert set(lp.importances_["feature"]) == set(FEATURES)


def test_link_predictor_checks_its_input():
    with pytest.raises(AnalysisError, match="need 10"):
        LinkPredictor().fit(nx.path_graph(5))
    with pytest.raises(AnalysisError, match="holdout"):
        LinkPredictor(holdout=1.5).fit(nx.karate_club_graph())
    with pytest.raises(AnalysisError, match="model"):
        LinkPredictor(model="svm").fit(nx.karate_club_graph())
    with pytest.raises(AnalysisError, match="not fitted"):
        LinkPredictor().suggest()
    lp = LinkPredictor().fit(nx.karate_club_graph())
    with pytest.raises(AnalysisError, match="not in the graph"):
        lp.predict_proba([(0, 99)])


def test_workspace_gathers_cooccurrence_tables_and_suggests(tmp_path):
    from pathlib import Path

    import netintel
    from netintel.project.cooccurrence import read_cooccurrence

    small = Path(__file__).resolve().parents[3] / "fixtures" / "small"
    with netintel.open(tmp_path / "case.db") as ws:
        ws.ingest(
            **{k: small / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
        )
        tables = read_cooccurrence(ws.store)
        phones = ws.cypher(
            "MATCH (p:Person)-[:USES]->(f:Phone) RETURN p.id AS person_id, f.id AS phone"
        )
        out = ws.hidden.suggest_links(top=5)
    assert set(tables) == {"events", "contacts", "vehicles"}
    assert not tables["events"].empty and not tables["contacts"].empty
    assert tables["events"]["place"].str.count("/").eq(1).all()  # province keys
    own = tables["contacts"].merge(phones, on=["person_id", "phone"])
    assert own.empty  # a contact is never the person's own phone
    assert all(s for s in tables["contacts"]["sources"])
    assert len(out) == 5 and all(out["evidence_count"] > 0)


def test_cooccurrence_tables_speak_of_resolved_people(small_db):
    from netintel.project.cooccurrence import read_cooccurrence

    with netintel.open(small_db, read_only=True) as ws:
        nodes = set(ws.graph())
        merged = ws.records.people().query("resolved_id != person_id")
        cooc = read_cooccurrence(ws.store)
    assert len(merged)  # fixtures/small has planted duplicates that resolution merges
    for name, frame in cooc.items():
        assert set(frame["person_id"]) <= nodes, name


@pytest.mark.parametrize("seed", range(3))
def test_probabilities_are_calibrated_on_held_out_ties_not_a_list_of_099s(seed):
    G, hidden = _planted(seed)
    m = G.number_of_edges() + len(hidden)
    lp = LinkPredictor(seed=seed, missing=len(hidden) / m).fit(G)
    truth = {tuple(sorted(t)) for t in hidden}
    pairs = [(u, v) for u in G for v in G if u < v and not G.has_edge(u, v)]
    y = np.array([(u, v) in truth for u, v in pairs], dtype=float)
    p = lp.predict_proba(pairs)
    base = y.mean()
    assert np.quantile(p, 0.99) < 0.9 and (p > 0.99).sum() <= 2
    # calibrated in the large: the probabilities add up to about the ties held out ...
    assert 0.5 < p.sum() / y.sum() < 2.0
    # ... and the Brier score beats the constant that knows the share of held-out ties
    assert np.mean((p - y) ** 2) < base * (1 - base)
    # the held-out ties get far more than the average pair, and the order is the classifier's
    assert p[y == 1].mean() > 5 * p.mean()
    c = lp.calibration_
    assert c["slope"] > 0 and c["population_rate"] < c["training_rate"] == 0.25
    out = lp.suggest(top=None)
    assert out["probability"].is_monotonic_decreasing and out["probability"].max() < 0.99
