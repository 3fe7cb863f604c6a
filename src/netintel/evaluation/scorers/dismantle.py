"""The dismantle wing scored against the planted truth: key players and successors.

Rows (see :class:`~netintel.evaluation.context.EvalContext`), by scorer:

:func:`key_players` (``k`` = 5, the size of the arrest plan)
    ``keyplayer_lcc_fraction``: largest connected component left after removing the
    key-player set, as a share of the intact network's (lower is better);
    ``best_single_lcc_fraction``: the same for the best top-5 of a single measure (degree,
    betweenness, PageRank, ranked list), ``detail`` naming the measure (the plan is never
    worse, by construction); ``keyplayer_fragmentation``: Borgatti's fragmentation ``F``
    after removing the plan, ``detail`` giving the objective and search used, and ``DF``;
    ``keyplayer_planted_hits``: how many of the plan's people are planted leaders or brokers
    (they hold rings together, so a good plan tends to include them).
:func:`successors`
    ``successor_found``: share of the planted ``successions`` whose successor the
    replacements table of the quarterly timeline names first for the leader's (first)
    arrest in the quarter of the planted one. A truth without successions (sets generated
    before they were planted) gives a missing value that says so.
"""

from __future__ import annotations

import pandas as pd

from netintel.errors import AnalysisError
from netintel.evaluation.context import EvalContext, Row, quiet, skipped

__all__ = ["key_players", "successors"]

K = 5


def key_players(ctx: EvalContext) -> list[Row]:
    """Rows ``metric, k, value, detail`` for the key-player plan of the evaluation graph."""
    from netintel.analysis.dismantle import key_players as find_key_players

    plan = find_key_players(ctx.ws.graph(), K, seed=ctx.seed)
    best = plan.comparison.set_index("strategy").loc[plan.best_single]
    planted = set(ctx.truth.get("leaders", [])) | set(ctx.truth.get("brokers", []))
    planted_ids = [ctx.mapping.get(u) for u in plan.players["person_id"]]
    hits = sum(1 for t in planted_ids if t in planted)
    return [
        {
            "metric": "keyplayer_lcc_fraction",
            "k": K,
            "value": plan.lcc_fraction,
            "detail": f"{plan.lcc_size} of {round(plan.lcc_size / plan.lcc_fraction)} people "
            f"left in the largest component; {len(plan.component_sizes)} components",
        },
        {
            "metric": "best_single_lcc_fraction",
            "k": K,
            "value": float(best["lcc_fraction"]),
            "detail": f"top {K} by {plan.best_single}",
        },
        {
            "metric": "keyplayer_fragmentation",
            "k": K,
            "value": plan.fragmentation,
            "detail": f"objective {plan.objective}, {plan.method}; "
            f"DF {plan.distance_fragmentation:.3f}",
        },
        {
            "metric": "keyplayer_planted_hits",
            "k": K,
            "value": float(hits),
            "detail": f"of {K} key players, {len(planted)} leaders and brokers planted",
        },
    ]


def _quarter(day: str) -> str:
    """``2023-12-23`` -> ``2023-Q4`` (the labels of quarterly periods).

    >>> _quarter("2023-12-23")
    '2023-Q4'
    """
    stamp = pd.Timestamp(day)
    return f"{stamp.year}-Q{stamp.quarter}"


@quiet
def successors(ctx: EvalContext) -> list[Row]:
    """Planted successors named first after their leader's arrest."""
    successions = ctx.truth.get("successions")
    if successions is None:
        return [skipped("successor_found", pd.NA, "the truth has no successions")]
    if not successions:
        return [skipped("successor_found", pd.NA, "no succession planted")]
    try:
        result = ctx.ws.time.timeline(period="quarter", engine="igraph", seed=ctx.seed)
    except AnalysisError as e:
        return [skipped("successor_found", pd.NA, str(e))]
    rep = result.replacements
    rep = rep.assign(
        leader=rep["arrested_id"].map(ctx.mapping), found=rep["person_id"].map(ctx.mapping)
    )
    found, notes = 0, []
    for s in successions:
        # The leader's arrest in the quarter of the planted one (the records may hold an
        # earlier arrest of theirs in that quarter, or name them under several ids).
        period = _quarter(s["arrested_on"])
        rows = rep[(rep["leader"] == s["leader"]) & (rep["arrest_period"] == period)]
        if len(rows):
            rows = rows[rows["arrest_date"] == rows["arrest_date"].min()]
        first = rows[rows["candidate"] == 1]
        if first.empty:
            notes.append(f"{s['ring']}: leader's arrest not in the table")
        elif (first["found"] == s["successor"]).any():
            found += 1
            notes.append(f"{s['ring']}: found")
        else:
            later = rows.loc[rows["found"] == s["successor"], "candidate"]
            where = f"candidate {int(later.min())}" if len(later) else "not a candidate"
            notes.append(f"{s['ring']}: successor {where}")
    return [
        {
            "metric": "successor_found",
            "k": pd.NA,
            "value": found / len(successions),
            "detail": "; ".join(notes),
        }
    ]
