"""Dismantling scores: how far the key-player plan breaks the network (see
:class:`netintel.evaluation.EvalContext`).

Rows (``k`` = 5, the size of the arrest plan):

``keyplayer_lcc_fraction``
    Largest connected component left after removing the key-player set, as a share of the
    intact network's (lower is better).
``best_single_lcc_fraction``
    The same for the best top-5 of a single measure (degree, betweenness, PageRank, ranked
    list); ``detail`` names the measure. The plan is never worse, by construction.
``keyplayer_fragmentation``
    Borgatti's fragmentation ``F`` after removing the plan; ``detail`` gives the objective
    and search used, and ``DF``.
``keyplayer_planted_hits``
    How many of the plan's people are planted leaders or brokers (they hold rings
    together, so a good plan tends to include them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netintel.analysis.dismantle import key_players

if TYPE_CHECKING:
    from netintel.evaluation import EvalContext

K = 5


def score(ctx: EvalContext) -> list[dict]:
    """Rows ``metric, k, value, detail`` for the key-player plan of the evaluation graph."""
    G = ctx.ws.graph()
    plan = key_players(G, K, seed=ctx.seed)
    comparison = plan.comparison.set_index("strategy")
    best = comparison.loc[plan.best_single]
    planted = set(ctx.truth.get("leaders", [])) | set(ctx.truth.get("brokers", []))
    truth_ids = [ctx.mapping.get(u) for u in plan.players["person_id"]]
    hits = sum(1 for t in truth_ids if t in planted)
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
