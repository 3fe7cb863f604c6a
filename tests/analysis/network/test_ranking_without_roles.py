"""The default ranking where the records give no roles: no worse than the best single measure."""

from __future__ import annotations

import json
from pathlib import Path

from netintel.analysis.network.ranking import TargetRanker
from netintel.evaluation.metrics import precision_at_k
from netintel.evaluation.truth import map_people, truth_ids

SMALL = Path(__file__).resolve().parents[3] / "fixtures" / "small"


def test_with_roles_and_seizures_removed_the_default_top_5_matches_the_best_single_measure(ws):
    truth = json.loads((SMALL / "truth.json").read_text(encoding="utf-8"))
    G = ws.graph().copy()
    for u in G:  # a case file that records no roles and links no seizures
        G.nodes[u]["roles"] = {}
        G.nodes[u]["seizure_kg"] = 0.0
    mapping = map_people(ws.records.people(), truth)
    leaders = set(truth["leaders"])
    ranking = TargetRanker(seed=0).fit(G).ranking_

    def top(column: str) -> list:
        order = ranking.sort_values([column, "person_id"], ascending=[False, True])
        return truth_ids(order["person_id"].tolist(), mapping)

    default = precision_at_k(top("score"), leaders, 5)
    single = {m: precision_at_k(top(m), leaders, 5) for m in ("degree", "betweenness", "pagerank")}
    assert default > 0 and default >= max(single.values()), (default, single)
