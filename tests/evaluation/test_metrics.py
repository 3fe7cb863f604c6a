"""Metrics on hand-made examples and on a generated truth."""

from __future__ import annotations

import pandas as pd
import pytest
from planted_cases import graph_people, planted_truth

from netintel.evaluation.metrics import (
    corridor_recall,
    nmi,
    pair_scores,
    precision_at_k,
    quarantine_scores,
    recall_at_k,
    resolution_scores,
    ring_nmi,
    score_ranking,
)
from netintel.synthetic import generate


@pytest.fixture
def truth() -> dict:
    return planted_truth()


@pytest.fixture
def people() -> pd.DataFrame:
    return graph_people()


def test_precision_at_k():
    assert precision_at_k(["a", "b", "c"], {"a", "c"}, 1) == 1.0
    assert precision_at_k(["a", "b", "c"], {"a", "c"}, 3) == pytest.approx(2 / 3)
    assert precision_at_k(["a", "a"], {"a"}, 2) == 1.0  # two nodes of one leader: two hits
    assert precision_at_k([], {"a"}, 5) == 0.0
    with pytest.raises(ValueError, match="k must be at least 1"):
        precision_at_k(["a"], {"a"}, 0)


def test_recall_at_k():
    assert recall_at_k(["a", "a", "b"], {"a", "b"}, 2) == 0.5
    assert recall_at_k(["a", "b"], {"a", "b", "c"}, 1) == 1.0  # min(k, #relevant)
    with pytest.raises(ValueError):
        recall_at_k(["a"], {"a"}, 0)


def test_score_ranking(people, truth):
    ranking = pd.DataFrame(
        {
            "rank": [3, 1, 2, 4, 5],
            "person_id": ["p-ty", "p-hung", "p-hung-variant", "p-lan", "p-souk"],
            "score": [0.7, 0.9, 0.8, 0.5, 0.4],
        }
    )
    s = score_ranking(ranking, people, truth, ks=(2, 5)).set_index(["metric", "k"])["value"]
    assert s["precision_leaders", 2] == 1.0  # both nodes of Hùng
    assert s["recall_leaders", 2] == 0.5  # one distinct leader of two
    assert s["precision_leaders", 5] == 0.6
    assert s["recall_leaders", 5] == 1.0
    assert s["precision_brokers", 5] == 0.2 and s["recall_brokers", 5] == 1.0
    assert s["decoys_in_top", 2] == 0.0 and s["decoys_in_top", 5] == 0.2
    assert s["mapped_in_top", 5] == 1.0
    with pytest.raises(ValueError, match="rank"):
        score_ranking(ranking[["person_id"]], people, truth)


def test_nmi():
    assert nmi(["x", "x", "y", "y"], [1, 1, 2, 2]) == 1.0
    assert nmi([0, 1, 0, 1], [0, 0, 1, 1]) == 0.0
    assert nmi([0, 0, 0], [1, 1, 1]) == 1.0  # both one block
    assert nmi([], []) == 0.0
    assert 0.0 < nmi([0, 0, 1, 1, 1], [0, 0, 0, 1, 1]) < 1.0


def test_ring_nmi(people, truth):
    perfect = pd.Series({"p-hung": "a", "p-hung-variant": "a", "p-cho": "a", "p-souk": "b"})
    assert ring_nmi(perfect, people, truth) == 1.0
    assert ring_nmi(pd.Series({"p-x": 0}), people, truth) == 0.0  # nobody planted in a ring


def test_pair_scores():
    truth = pd.Series(["a", "a", "a", "b"])
    assert pair_scores(pd.Series([1, 1, 1, 2]), truth)["f1"] == 1.0
    s = pair_scores(pd.Series([1, 1, 2, 2]), truth, digits=4)
    assert s == {"precision": 0.5, "recall": 0.3333, "f1": 0.4, "true_pairs": 3,
                 "predicted_pairs": 2}  # fmt: skip
    assert pair_scores(pd.Series([1, 2, 3, 4]), truth)["precision"] == 1.0  # nothing merged


def test_resolution_scores(people, truth):
    merged = pd.Series({"p-hung": 1, "p-hung-variant": 1})
    r = resolution_scores(merged, people, truth)
    assert r["precision"] == 1.0 and r["recall"] == 1.0 and r["true_pairs"] == 1
    assert r["people"] == 6  # p-x maps to nobody
    r = resolution_scores(pd.Series(dtype=object), people, truth)
    assert r["recall"] == 0.0 and r["predicted_pairs"] == 0
    nobody = people[people["person_id"] == "p-x"]
    assert resolution_scores(merged, nobody, truth)["people"] == 0


def test_corridor_recall(truth):
    found = pd.DataFrame({"gate": ["Tây Trang", "Nam Can"], "destination": ["Ha Noi", "Hà Nội"]})
    assert corridor_recall(found, truth, k=2) == 1.0
    assert corridor_recall(found, truth, k=1) == 0.0
    assert corridor_recall(found, {"corridors": []}, k=1) == 0.0
    with pytest.raises(ValueError, match="destination"):
        corridor_recall(found[["gate"]], truth, k=1)
    with pytest.raises(ValueError):
        corridor_recall(found, truth, k=0)


def test_quarantine_scores():
    truth = {"malformed": [{"file": "arrests.csv", "record_id": "ARR-1"}]}
    q = pd.DataFrame(
        {"file": ["/x/arrests.csv", "/x/arrests.csv"], "record_id": ["ARR-1", "ARR-1"]}
    )
    assert quarantine_scores(q, truth) == {
        "recall": 1.0, "precision": 1.0, "planted": 1, "quarantined": 1
    }  # fmt: skip
    empty = quarantine_scores(q.iloc[:0], {})
    assert empty["recall"] == empty["precision"] == 1.0


def test_scores_on_generated_truth():
    """An oracle graph (one node per planted person) scores perfectly."""
    t = generate(600, seed=5).truth
    people = pd.DataFrame(
        [
            {
                "person_id": f"node-{tid}",
                "name": p["name"],
                "national_id": None,
                "sources": p["record_ids"],
            }
            for tid, p in t["persons"].items()
            if p["record_ids"]
        ]
    )
    order = t["leaders"] + [tid for tid in t["persons"] if tid not in t["leaders"]]
    ranking = pd.DataFrame(
        {"rank": range(1, len(order) + 1), "person_id": [f"node-{x}" for x in order]}
    )
    ranking = ranking[ranking.person_id.isin(people.person_id)]
    k = len(t["leaders"])
    s = score_ranking(ranking, people, t, ks=(k,)).set_index("metric")["value"]
    assert s["precision_leaders"] == 1.0 and s["recall_leaders"] == 1.0
    rings = pd.Series(
        {f"node-{tid}": p["rings"][0] for tid, p in t["persons"].items() if len(p["rings"]) == 1}
    )
    assert ring_nmi(rings, people, t) == 1.0
    found = pd.DataFrame(t["corridors"])
    assert corridor_recall(found, t, k=3, on=("origin_province", "gate", "destination")) == 1.0
    clusters = pd.Series(people["person_id"].str.removeprefix("node-").to_numpy(),
                         index=people["person_id"].to_numpy())  # fmt: skip
    assert resolution_scores(clusters, people, t)["f1"] == 1.0
