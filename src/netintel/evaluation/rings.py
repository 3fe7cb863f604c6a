"""Rings and brokers scored against the planted truth (see :class:`netintel.evaluation.EvalContext`).

Rows:

``ring_nmi_louvain``, ``ring_nmi_leiden``
    NMI of the detected rings against the planted rings (:func:`~netintel.evaluation.ring_nmi`),
    seeded with the evaluation seed; Leiden's row is NaN when ``leidenalg`` is missing.
``ring_stability_louvain``, ``ring_stability_leiden``
    Mean stability (best-match Jaccard over 10 reseeded runs) of the rings of 2 or more people.
``precision_brokers_top10``
    Planted brokers among the first 10 of the brokers table by ring.
``precision_gatekeepers_top10``
    Planted cross-border gatekeepers (brokers bridging a Lao-side and a Vietnamese-side ring)
    among the first 10 of the brokers table by country.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from netintel.evaluation import map_people, precision_at_k, recall_at_k, ring_nmi

if TYPE_CHECKING:
    from netintel.evaluation import EvalContext

K = 10
RUNS = 10


def gatekeepers(truth: dict) -> list[str]:
    """The planted gatekeepers: ``truth["gatekeepers"]``, or, in truth files that predate it,
    the brokers whose rings include both a Lao-side and a Vietnamese-side ring.

    >>> truth = {"brokers": ["T1", "T2"], "rings": [{"id": "R1", "side": "LA"},
    ...     {"id": "R2", "side": "VN"}, {"id": "R3", "side": "VN"}],
    ...     "persons": {"T1": {"rings": ["R1", "R2"]}, "T2": {"rings": ["R2", "R3"]}}}
    >>> gatekeepers(truth)
    ['T1']
    """
    if "gatekeepers" in truth:
        return list(truth["gatekeepers"])
    side = {r["id"]: r.get("side") for r in truth.get("rings", [])}
    out = []
    for b in truth.get("brokers", []):
        sides = {side.get(r) for r in truth["persons"].get(b, {}).get("rings", [])}
        if {"LA", "VN"} <= sides:
            out.append(b)
    return out


def graph_mapping(G, truth: dict) -> pd.Series:
    """Planted id of each person of the person graph, matched by the records behind the
    (resolved) person, as :func:`~netintel.evaluation.map_people` does for stored people."""
    people = pd.DataFrame(
        {
            "person_id": list(G),
            "name": [G.nodes[u].get("name") for u in G],
            "sources": [list(G.nodes[u].get("sources") or ()) for u in G],
        }
    )
    mapping = map_people(people, truth)
    return mapping[~mapping.index.duplicated()]


def score(ctx: EvalContext) -> list[dict]:
    """NMI and stability of Louvain and Leiden rings; precision at 10 of brokers and
    gatekeepers (see the module notes)."""
    from netintel.analysis.network import ring_stability
    from netintel.errors import AnalysisError

    ws, truth = ctx.ws, ctx.truth
    G = ws.graph()
    rows: list[dict] = []
    for algorithm in ("louvain", "leiden"):
        try:
            rings = ws.communities(seed=ctx.seed, algorithm=algorithm)
        except AnalysisError as e:
            rows.append(_row(f"ring_nmi_{algorithm}", math.nan, str(e)))
            rows.append(_row(f"ring_stability_{algorithm}", math.nan, str(e)))
            continue
        nmi = ring_nmi(rings.set_index("person_id")["ring"], ctx.people, truth)
        n = rings["ring"].nunique()
        rows.append(
            _row(f"ring_nmi_{algorithm}", nmi, f"{n} rings found, {len(truth['rings'])} planted")
        )
        stab = ring_stability(G, runs=RUNS, seed=ctx.seed, algorithm=algorithm, rings=rings)
        real = stab[stab["size"] >= 2]
        mean = float(real["stability"].mean()) if len(real) else math.nan
        rows.append(
            _row(
                f"ring_stability_{algorithm}",
                mean,
                f"mean over {len(real)} rings of 2+ people, {RUNS} reseeded runs; "
                f"lowest {float(real['stability'].min()) if len(real) else math.nan:.3f}",
            )
        )
    mapping = graph_mapping(G, truth)
    for metric, by, planted in (
        ("brokers", "ring", list(truth.get("brokers", []))),
        ("gatekeepers", "country", gatekeepers(truth)),
    ):
        table = ws.brokers(by, seed=ctx.seed)
        ids = [t if isinstance(t, str) else "" for t in table["person_id"].map(mapping)]
        relevant = set(planted)
        hits = [t for t in ids[:K] if t in relevant]
        rows.append(
            {
                "metric": f"precision_{metric}_top{K}",
                "k": K,
                "value": precision_at_k(ids, relevant, K),
                "detail": f"by {by}: {','.join(hits)} ({len(relevant)} planted)",
            }
        )
        rows.append(
            {
                "metric": f"recall_{metric}_top{K}",
                "k": K,
                "value": recall_at_k(ids, relevant, K),
                "detail": f"by {by}",
            }
        )
    return rows


def _row(metric: str, value: float, detail: str) -> dict:
    return {"metric": metric, "k": None, "value": value, "detail": detail}
