"""Learned ranking: labels files, cross-validation, the ranking it produces."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netintel
from netintel.analysis.network.learned import (
    LEARNED_FEATURES,
    LearnedRanker,
    parse_label,
    read_labels,
)
from netintel.analysis.network.ranking import RANKING_COLUMNS
from netintel.errors import AnalysisError, InputError
from netintel.evaluation import map_people

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = pd.DataFrame({"person_id": ["P-1", "P-2", "P-3"], "national_id": ["0011", None, "0033"]})


def _write(tmp_path: Path, text: str, name: str = "confirmed.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_labels_accept_numbers_words_and_roles():
    assert [parse_label(x) for x in ("1", "0", "TRUE", "no", "Organiser", "financier")] == [
        1, 0, 1, 0, 1, 1,
    ]  # fmt: skip
    assert [parse_label(x) for x in ("courier", "lookout", "unknown", "cầm đầu")] == [0, 0, 0, 1]
    with pytest.raises(InputError, match="not a label"):
        parse_label("boss")


def test_read_labels_by_person_id_and_by_national_id(tmp_path):
    by_id = _write(tmp_path, "person_id,label\nP-1,leader\nP-3,courier\n")
    assert read_labels(by_id, PEOPLE).to_dict() == {"P-1": 1, "P-3": 0}
    by_nid = _write(tmp_path, "national_id,label\n0033,1\n0011,0\n", "nid.csv")
    assert read_labels(by_nid, PEOPLE).to_dict() == {"P-3": 1, "P-1": 0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "person_id,label\nP-1,1\nP-9,0\n",
            r"confirmed\.csv, row 3, field person_id: no person 'P-9'",
        ),
        ("person_id,label\nP-1,boss\n", r"row 2, field label: 'boss' is not a label"),
        ("person_id,label\nP-1,1\nP-1,0\n", r"row 3, field label: 'P-1' is labelled both"),
        ("person_id,label\nP-1,\n", r"row 2, field label: empty"),
        ("person_id,role\nP-1,1\n", r"no 'label' column"),
        ("name,label\nAn,1\n", r"needs a 'person_id' or 'national_id' column"),
        ("national_id,label\n9999,1\n", r"row 2, field national_id: no person with national ID"),
    ],
)
def test_labels_file_errors_name_the_file_row_and_field(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        read_labels(_write(tmp_path, text), PEOPLE)


def test_missing_labels_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_labels(tmp_path / "absent.csv", PEOPLE)


def _rings(seed: int = 0) -> tuple[nx.Graph, dict]:
    """Twelve rings: an organizer hub with a recorded role, five members, a few couriers."""
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    labels = {}
    for r in range(12):
        hub, members = f"H{r:02d}", [f"M{r:02d}{i}" for i in range(5)]
        G.add_edges_from((hub, m) for m in members)
        G.add_edges_from((a, b) for a in members for b in members if a < b and rng.random() < 0.3)
        G.add_edge(hub, f"H{(r + 1) % 12:02d}")
        G.nodes[hub]["roles"] = {"organizer": 1} if r % 3 else {}
        for m in members:
            G.nodes[m]["roles"] = {"courier": 1} if rng.random() < 0.5 else {}
            labels[m] = 0
        labels[hub] = 1
    for u, v in G.edges():
        G[u][v].update(weight=1.0, sources=[f"R-{u}-{v}"])
    return G, labels


def test_learned_ranking_puts_the_confirmed_kind_first_and_reports_its_folds():
    G, labels = _rings()
    ranker = LearnedRanker(folds=4, seed=0).fit(G, labels)
    out = ranker.ranking_
    assert list(out.columns) == list(RANKING_COLUMNS)
    assert len(out) == G.number_of_nodes()
    assert out["score"].between(0, 1).all() and out["score"].is_monotonic_decreasing
    assert set(out.head(12)["person_id"]) == {f"H{r:02d}" for r in range(12)}
    assert len(ranker.cv_) == 4 and ranker.cv_["roc_auc"].min() > 0.9
    assert set(ranker.importances_["feature"]) == set(LEARNED_FEATURES)
    assert ranker.importances_["permutation_importance"].notna().all()
    assert out.loc[0, "explanation"].startswith("Predicted ")
    assert out.loc[0, "evidence"]  # the records of the person's ties
    # out-of-fold probabilities exist for every labelled person
    assert set(ranker.oof_.index) == set(labels)
    top = LearnedRanker(folds=4, seed=0, top=5).fit(G, labels).ranking_
    pd.testing.assert_frame_equal(top, out.head(5), check_like=False)


def test_learned_ranking_refuses_labels_it_cannot_learn_from():
    G, labels = _rings()
    with pytest.raises(AnalysisError, match="not in the graph"):
        LearnedRanker().fit(G, {**labels, "nobody": 1})
    with pytest.raises(AnalysisError, match="all 3 labels are positive"):
        LearnedRanker().fit(G, {"H00": 1, "H01": 1, "H02": 1})
    few = {"H00": 1, "H01": 1, **{f"M00{i}": 0 for i in range(5)}}
    with pytest.raises(AnalysisError, match="too few labels for 5-fold"):
        LearnedRanker(folds=5).fit(G, few)
    with pytest.raises(AnalysisError, match="0 or 1"):
        LearnedRanker().fit(G, {"H00": 2, "H01": 0})


def test_learned_ranking_on_the_committed_records_with_labels_from_the_truth(tmp_path):
    small = ROOT / "fixtures" / "small"
    truth = json.loads((small / "truth.json").read_text(encoding="utf-8"))
    with netintel.open(tmp_path / "case.db") as ws:
        ws.ingest(
            **{k: small / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
        )
        G = ws.graph()
        mapped = map_people(ws.records.people(), truth).dropna()
        mapped = mapped[[p in G for p in mapped.index]]
        role = {t: p["role"] for t, p in truth["persons"].items()}
        labels = pd.DataFrame(
            {
                "person_id": mapped.index,
                "label": [
                    role[t] if role[t] in ("leader", "financier") else "courier" for t in mapped
                ],
            }
        )
        path = tmp_path / "confirmed.csv"
        labels.to_csv(path, index=False)
        targets = ws.network.learned_ranking(path, folds=3, top=10).ranking_
        composite = ws.rank_targets(top=10)
    assert list(targets.columns) == list(composite.columns)
    assert targets.attrs["labels"] == len(labels)
    positives = set(labels.loc[labels["label"] != "courier", "person_id"])
    assert len(positives & set(targets.head(5)["person_id"])) >= min(3, len(positives))
