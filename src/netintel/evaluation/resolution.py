"""Entity resolution against the planted truth, and what it does for the target list.

Rows (``metric, k, value, detail``):

- ``resolution_precision``, ``resolution_recall``, ``resolution_f1``: pairwise scores of the
  resolved people over the record-level Person nodes (:func:`resolution_scores`);
- ``resolution_people``: resolved people over planted people (1.0 is ideal);
- ``resolution_review_queue``: pairs left for a reviewer;
- ``precision_leaders_resolved`` and ``precision_leaders_unresolved`` at k = 5 and 10: leader
  precision of the target list with resolution (the evaluation database) and without it
  (the same records loaded into a second database with resolution off), each ranked person
  matched to planted people by all the records behind it.
"""

from __future__ import annotations

import time

import pandas as pd

from netintel.evaluation import EvalContext, precision_at_k, resolution_scores


def _resolved_people(people: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved person with the union of its members' records."""
    rid = people["resolved_id"].where(people["resolved_id"].notna(), people["person_id"])
    frame = people.assign(person_id=rid)
    grouped = frame.groupby("person_id", sort=True)
    return pd.DataFrame(
        {
            "person_id": list(grouped.groups),
            "name": grouped["name"].first().to_numpy(),
            "national_id": grouped["national_id"].first().to_numpy(),
            "sources": grouped["sources"]
            .agg(lambda s: sorted({r for x in s for r in (list(x) if x is not None else [])}))
            .to_numpy(),
        }
    )


def _leader_precision(ranking: pd.DataFrame, people: pd.DataFrame, truth: dict, k: int) -> float:
    from netintel.evaluation import map_people

    mapping = map_people(people, truth)
    mapping = mapping[~mapping.index.duplicated()]
    ranked = ranking.sort_values("rank", kind="stable")["person_id"]
    tids = [mapping.get(pid) for pid in ranked]
    tids = [t if isinstance(t, str) else "" for t in tids]
    return precision_at_k(tids, set(truth.get("leaders", [])), k)


def score(ctx: EvalContext, *, k: int = 5) -> list[dict]:
    """Resolution scores of the evaluation workspace (see the module docstring)."""
    import netintel
    from netintel.synthetic import FILES

    people = ctx.people
    if "resolved_id" not in people:
        people = ctx.ws.people()
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

    ranking = ctx.ws.rank_targets(seed=ctx.seed)
    resolved_people = _resolved_people(people)
    started = time.perf_counter()
    db = ctx.workdir / "unresolved.db"
    with netintel.open(db) as ws:
        if ws.stats().get("Person", 0) == 0:
            ws.ingest(
                **{name: ctx.paths[name] for name in FILES if name in ctx.paths}, resolve=False
            )
        plain = ws.rank_targets(seed=ctx.seed)
        plain_people = ws.people()
    took = time.perf_counter() - started
    for kk in sorted({k, 10}):
        rows += [
            {
                "metric": "precision_leaders_resolved",
                "k": kk,
                "value": _leader_precision(ranking, resolved_people, ctx.truth, kk),
                "detail": f"{len(ctx.truth.get('leaders', []))} planted leaders",
            },
            {
                "metric": "precision_leaders_unresolved",
                "k": kk,
                "value": _leader_precision(plain, plain_people, ctx.truth, kk),
                "detail": f"same records without resolution ({took:.1f}s to load and rank)",
            },
        ]
    for row in rows:
        row.setdefault("k", pd.NA)
    return rows
