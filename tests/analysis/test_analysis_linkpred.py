"""Hidden ties: pair features, Katz, co-occurrence and the link predictor."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import netintel
from netintel.analysis.linkpred import (
    FEATURES,
    SUGGESTION_COLUMNS,
    LinkPredictor,
    cooccurrence_pairs,
    katz_index,
    pair_features,
    suggest_links,
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

    small = Path(__file__).resolve().parents[2] / "fixtures" / "small"
    with netintel.open(tmp_path / "case.db") as ws:
        ws.ingest(
            **{k: small / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
        )
        tables = read_cooccurrence(ws.store)
        phones = ws.cypher(
            "MATCH (p:Person)-[:USES]->(f:Phone) RETURN p.id AS person_id, f.id AS phone"
        )
        out = ws.suggest_links(top=5)
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
        merged = ws.people().query("resolved_id != person_id")
        cooc = read_cooccurrence(ws.store)
    assert len(merged)  # fixtures/small has planted duplicates that resolution merges
    for name, frame in cooc.items():
        assert set(frame["person_id"]) <= nodes, name
