"""The records wing scored against the planted truth: quarantine, matching, entity resolution.

Rows (see :class:`~netintel.evaluation.context.EvalContext`), by scorer:

:func:`quarantine`
    ``quarantine_recall`` (planted malformed rows quarantined, or flagged when the malformed
    value is optional) and ``quarantine_precision`` (quarantined or flagged rows planted as
    malformed), from the ingest report
    (:func:`~netintel.evaluation.metrics.quarantine_scores`).
:func:`people_mapped`
    ``people_mapped``: share of graph people matched to a planted person.
:func:`resolution`
    ``resolution_precision``, ``resolution_recall``, ``resolution_f1``: pairwise scores of
    the resolved people over the record-level Person nodes
    (:func:`~netintel.evaluation.metrics.resolution_scores`); ``resolution_people``:
    resolved people over planted people (1.0 is ideal); ``resolution_review_queue``: pairs
    left for a reviewer; ``precision_leaders_resolved`` and ``precision_leaders_unresolved``
    at k = 5 and 10: leader precision of the target list with resolution (the evaluation
    database) and without it (the same records loaded into a second database with
    resolution off), each ranked person matched to planted people by all the records
    behind it.
"""

from __future__ import annotations

import time

import pandas as pd

import netintel
from netintel.evaluation.context import EvalContext, Row
from netintel.evaluation.metrics import precision_at_k, quarantine_scores, resolution_scores
from netintel.evaluation.truth import map_people, resolved_people, truth_ids
from netintel.synthetic import FILES

__all__ = ["people_mapped", "quarantine", "resolution"]

LEADERS_K = (5, 10)


def quarantine(ctx: EvalContext) -> list[Row]:
    """Planted malformed rows against the quarantine of the evaluation's ingest."""
    q = quarantine_scores(ctx.report.quarantine, ctx.truth, getattr(ctx.report, "flags", None))
    return [
        {
            "metric": "quarantine_recall",
            "k": pd.NA,
            "value": q["recall"],
            "detail": f"{q['planted']} malformed rows planted",
        },
        {
            "metric": "quarantine_precision",
            "k": pd.NA,
            "value": q["precision"],
            "detail": f"{q['quarantined']} rows quarantined",
        },
    ]


def people_mapped(ctx: EvalContext) -> list[Row]:
    """Share of graph people matched to a planted person."""
    people = ctx.people
    mapped = float(ctx.mapping.notna().mean()) if len(people) else 0.0
    return [
        {
            "metric": "people_mapped",
            "k": pd.NA,
            "value": mapped,
            "detail": f"{len(people)} graph people, {len(ctx.truth['persons'])} planted",
        }
    ]


def _leader_precision(ranking: pd.DataFrame, people: pd.DataFrame, truth: dict, k: int) -> float:
    ranked = ranking.sort_values("rank", kind="stable")["person_id"]
    tids = truth_ids(ranked, map_people(people, truth))
    return precision_at_k(tids, set(truth.get("leaders", [])), k)


def resolution(ctx: EvalContext) -> list[Row]:
    """Resolution scores of the evaluation workspace, and the target list without it."""
    people = ctx.people
    if people is None or "resolved_id" not in people:
        people = ctx.ws.records.people()
    rid = people["resolved_id"].where(people["resolved_id"].notna(), people["person_id"])
    clusters = pd.Series(rid.to_numpy(), index=people["person_id"].to_numpy())
    r = resolution_scores(clusters, people, ctx.truth)
    detail = (
        f"{r['predicted_pairs']} pairs merged, {r['true_pairs']} true pairs, "
        f"{r['people']} record-level people"
    )
    resolved = clusters.nunique()
    rows = [
        {"metric": "resolution_precision", "value": r["precision"], "detail": detail},
        {"metric": "resolution_recall", "value": r["recall"], "detail": detail},
        {"metric": "resolution_f1", "value": r["f1"], "detail": detail},
        {
            "metric": "resolution_people",
            "value": resolved / max(1, len(ctx.truth["persons"])),
            "detail": f"{resolved} resolved people, {len(ctx.truth['persons'])} planted",
        },
    ]
    if ctx.report is not None and getattr(ctx.report, "resolution", None) is not None:
        queue = len(ctx.report.resolution.review)
        rows.append(
            {
                "metric": "resolution_review_queue",
                "value": float(queue),
                "detail": "pairs left for a reviewer",
            }
        )

    ranking = ctx.targets()
    merged = resolved_people(people)
    started = time.perf_counter()
    with netintel.open(ctx.workdir / "unresolved.db") as ws:
        if ws.query.stats().get("Person", 0) == 0:
            ws.ingest(
                **{name: ctx.paths[name] for name in FILES if name in ctx.paths}, resolve=False
            )
        plain = ws.rank_targets(seed=ctx.seed)
        plain_people = ws.records.people()
    took = time.perf_counter() - started
    for k in LEADERS_K:
        rows += [
            {
                "metric": "precision_leaders_resolved",
                "k": k,
                "value": _leader_precision(ranking, merged, ctx.truth, k),
                "detail": f"{len(ctx.truth.get('leaders', []))} planted leaders",
            },
            {
                "metric": "precision_leaders_unresolved",
                "k": k,
                "value": _leader_precision(plain, plain_people, ctx.truth, k),
                "detail": f"same records without resolution ({took:.1f}s to load and rank)",
            },
        ]
    for row in rows:
        row.setdefault("k", pd.NA)
    return rows
