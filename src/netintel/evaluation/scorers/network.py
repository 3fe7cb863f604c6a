"""The network wing scored against the planted truth: targets, rings, brokers, learned ranking.

Rows (see :class:`~netintel.evaluation.context.EvalContext`), by scorer:

:func:`targets` (``k`` = each of ``ctx.ks``)
    ``precision_leaders``, ``recall_leaders``, ``precision_brokers_in_targets``,
    ``recall_brokers_in_targets``, ``decoys_in_top``, ``mapped_in_top`` of the ranked target
    list (:func:`~netintel.evaluation.metrics.score_ranking`); then
    ``precision_brokers_by_betweenness`` and ``recall_brokers_by_betweenness``: brokers are
    not meant to top a target list of leaders, so they are also scored on the list a broker
    search starts from, everyone by betweenness.
:func:`rings`
    ``ring_nmi``: NMI of the default rings against the planted rings
    (:func:`~netintel.evaluation.metrics.ring_nmi`).
:func:`ring_algorithms`
    ``ring_nmi_louvain``, ``ring_nmi_leiden``: the same for each algorithm, seeded with the
    evaluation seed (Leiden's rows are NaN when ``leidenalg`` is missing);
    ``ring_stability_louvain``, ``ring_stability_leiden``: mean stability (best-match
    Jaccard over 10 reseeded runs) of the rings of 2 or more people.
:func:`brokers` (``k`` = 10)
    ``precision_brokers_top10``, ``recall_brokers_top10``: planted brokers among the first 10
    of the brokers table by ring; ``precision_gatekeepers_top10``,
    ``recall_gatekeepers_top10``: planted cross-border gatekeepers (brokers bridging a
    Lao-side and a Vietnamese-side ring) among the first 10 of the brokers table by country.
:func:`learned` (``k`` = 5)
    ``learned_rank_precision_leaders``: precision at 5 of the learned ranking with the
    planted leaders as labels, every graph person matched to a planted person labelled:
    people ordered by their out-of-fold probability (each scored by a model that never saw
    their label).
"""

from __future__ import annotations

import math

import pandas as pd

from netintel.errors import AnalysisError
from netintel.evaluation.context import EvalContext, Row, quiet, skipped
from netintel.evaluation.metrics import precision_at_k, recall_at_k, ring_nmi, score_ranking
from netintel.evaluation.truth import gatekeepers, graph_mapping, truth_ids

__all__ = ["brokers", "learned", "ring_algorithms", "rings", "targets"]

BROKERS_K = 10
LEADERS_K = 5
RUNS = 10

_IN_TARGETS = {
    "precision_brokers": "precision_brokers_in_targets",
    "recall_brokers": "recall_brokers_in_targets",
}


def targets(ctx: EvalContext) -> list[Row]:
    """Leaders and brokers in the ranked target list, brokers by betweenness."""
    ranking, truth = ctx.targets(), ctx.truth
    scores = score_ranking(ranking, ctx.people, truth, ks=ctx.ks)
    scores["metric"] = scores["metric"].replace(_IN_TARGETS)
    by_betweenness = ranking.sort_values(["betweenness", "person_id"], ascending=[False, True])
    planted = set(truth["brokers"])
    ids = truth_ids(by_betweenness["person_id"], ctx.mapping)
    return scores.to_dict("records") + [
        {
            "metric": f"{name}_brokers_by_betweenness",
            "k": k,
            "value": score(ids, planted, k),
            "detail": f"{len(planted)} planted",
        }
        for k in ctx.ks
        for name, score in (("precision", precision_at_k), ("recall", recall_at_k))
    ]


def rings(ctx: EvalContext) -> list[Row]:
    """NMI of the default rings."""
    found = ctx.ring_table()
    return [
        {
            "metric": "ring_nmi",
            "k": pd.NA,
            "value": ring_nmi(found.set_index("person_id")["ring"], ctx.people, ctx.truth),
            "detail": f"{found['ring'].nunique()} rings found, {len(ctx.truth['rings'])} planted",
        }
    ]


def ring_algorithms(ctx: EvalContext) -> list[Row]:
    """NMI and stability of Louvain and Leiden rings."""
    from netintel.analysis.network import ring_stability

    ws, truth = ctx.ws, ctx.truth
    G = ws.graph()
    rows: list[Row] = []
    for algorithm in ("louvain", "leiden"):
        try:
            found = ws.network.rings(seed=ctx.seed, algorithm=algorithm)
        except AnalysisError as e:
            rows.append(_row(f"ring_nmi_{algorithm}", math.nan, str(e)))
            rows.append(_row(f"ring_stability_{algorithm}", math.nan, str(e)))
            continue
        nmi = ring_nmi(found.set_index("person_id")["ring"], ctx.people, truth)
        n = found["ring"].nunique()
        rows.append(
            _row(f"ring_nmi_{algorithm}", nmi, f"{n} rings found, {len(truth['rings'])} planted")
        )
        stab = ring_stability(G, runs=RUNS, seed=ctx.seed, algorithm=algorithm, rings=found)
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
    return rows


def brokers(ctx: EvalContext) -> list[Row]:
    """Planted brokers and gatekeepers among the first 10 of the brokers tables."""
    truth = ctx.truth
    mapping = graph_mapping(ctx.ws.graph(), truth)
    rows: list[Row] = []
    for metric, by, planted in (
        ("brokers", "ring", list(truth.get("brokers", []))),
        ("gatekeepers", "country", gatekeepers(truth)),
    ):
        table = ctx.ws.network.brokers(by, seed=ctx.seed)
        ids = truth_ids(table["person_id"], mapping)
        relevant = set(planted)
        hits = [t for t in ids[:BROKERS_K] if t in relevant]
        rows.append(
            {
                "metric": f"precision_{metric}_top{BROKERS_K}",
                "k": BROKERS_K,
                "value": precision_at_k(ids, relevant, BROKERS_K),
                "detail": f"by {by}: {','.join(hits)} ({len(relevant)} planted)",
            }
        )
        rows.append(
            {
                "metric": f"recall_{metric}_top{BROKERS_K}",
                "k": BROKERS_K,
                "value": recall_at_k(ids, relevant, BROKERS_K),
                "detail": f"by {by}",
            }
        )
    return rows


@quiet
def learned(ctx: EvalContext) -> list[Row]:
    """Precision at 5 of the learned ranking, out of fold."""
    from netintel.analysis.network import LearnedRanker

    metric = "learned_rank_precision_leaders"
    leaders = set(ctx.truth.get("leaders", []))
    G = ctx.ws.graph()
    mapped = ctx.mapping.dropna()
    mapped = mapped[[p in G for p in mapped.index]]
    labels = pd.Series([int(t in leaders) for t in mapped], index=mapped.index)
    positives = int(labels.sum())
    if positives < 2 or positives == len(labels):
        return [skipped(metric, LEADERS_K, "too few planted leaders")]
    folds = min(5, positives)
    try:
        ranker = LearnedRanker(folds=folds, permutation_repeats=0, seed=ctx.seed).fit(G, labels)
    except AnalysisError as e:
        return [skipped(metric, LEADERS_K, str(e))]
    oof = ranker.oof_
    order = sorted(oof.index, key=lambda p: (-round(float(oof[p]), 12), str(p)))
    return [
        {
            "metric": metric,
            "k": LEADERS_K,
            "value": precision_at_k(truth_ids(order, ctx.mapping), leaders, LEADERS_K),
            "detail": (
                f"{folds}-fold out-of-fold; {positives} leader nodes of {len(labels)} labelled; "
                f"CV ROC AUC {ranker.cv_['roc_auc'].mean():.3f}"
            ),
        }
    ]


def _row(metric: str, value: float, detail: str) -> Row:
    return {"metric": metric, "k": None, "value": value, "detail": detail}
