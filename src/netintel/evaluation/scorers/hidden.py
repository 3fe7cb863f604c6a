"""The hidden wing scored against the planted truth: suggested links.

Rows of :func:`links` (see :class:`~netintel.evaluation.context.EvalContext`):

``link_prediction_auc``
    ROC AUC of :class:`~netintel.analysis.hidden.links.LinkPredictor` probabilities: the planted
    ``hidden_ties`` (pairs whose call and link records were withheld from the files) against
    as many seeded pairs of planted people of different rings with no tie in the graph. A
    planted person with several graph nodes (unresolved duplicates) scores the pair's best.
``hidden_ties_in_top`` (k = 20)
    Share of the first 20 suggestions that are planted hidden ties. The planted ties are a
    random few of the untied pairs inside rings, so this stays low; the next row says whether
    the suggestions are plausible at all.
``suggestions_same_ring`` (k = 20)
    Share of the first 20 suggestions whose two people share a planted ring.

A truth without hidden ties (sets generated before they were planted) gives missing values
that say so in ``detail``.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd

from netintel.evaluation.context import EvalContext, Row, quiet, skipped

__all__ = ["links"]

SUGGESTIONS_K = 20


def _nodes_of(ctx: EvalContext, G: nx.Graph) -> dict[str, list]:
    """Planted id -> person ids of the graph ``G``, in sorted order."""
    out: dict[str, list] = {}
    for pid, tid in ctx.mapping.dropna().items():
        if pid in G:
            out.setdefault(tid, []).append(pid)
    return {t: sorted(p, key=str) for t, p in out.items()}


def _untied_pairs(
    ctx: EvalContext, G: nx.Graph, nodes: dict[str, list], hidden: list[tuple], n: int
) -> list[tuple[str, str]]:
    """Up to ``n`` seeded pairs of planted people of different rings, neither a hidden tie
    nor tied in ``G`` (through any of their nodes)."""
    truth = ctx.truth
    ring_of = {
        t: p["rings"][0]
        for t, p in truth["persons"].items()
        if len(p.get("rings", [])) == 1 and t in nodes
    }
    people = sorted(ring_of)
    hidden_set = {frozenset(p) for p in hidden}
    rng = np.random.default_rng(ctx.seed)
    negatives: list[tuple[str, str]] = []
    seen: set[frozenset] = set()
    tries = 0
    while len(negatives) < n and tries < 100 * n:
        tries += 1
        a, b = (people[i] for i in rng.choice(len(people), size=2, replace=False))
        key = frozenset((a, b))
        if ring_of[a] == ring_of[b] or key in hidden_set or key in seen:
            continue
        if any(G.has_edge(u, v) for u, v in itertools.product(nodes[a], nodes[b])):
            continue
        seen.add(key)
        negatives.append((a, b))
    return negatives


@quiet
def links(ctx: EvalContext) -> list[Row]:
    """Planted hidden ties against the link predictor and its suggestions."""
    from sklearn.metrics import roc_auc_score

    truth = ctx.truth
    if "hidden_ties" not in truth:
        return [
            skipped("link_prediction_auc", pd.NA, "the truth has no hidden_ties"),
            skipped("hidden_ties_in_top", SUGGESTIONS_K, "the truth has no hidden_ties"),
        ]
    G = ctx.ws.graph()
    nodes = _nodes_of(ctx, G)
    hidden = [(h["a"], h["b"]) for h in truth["hidden_ties"]]
    positives = [(a, b) for a, b in hidden if a in nodes and b in nodes]
    if not positives:
        return [skipped("link_prediction_auc", pd.NA, "no hidden tie maps onto the graph")]

    negatives = _untied_pairs(ctx, G, nodes, hidden, len(positives))
    predictor = ctx.ws.hidden.link_predictor(seed=ctx.seed)
    pairs = positives + negatives
    graph_pairs = [(u, v) for a, b in pairs for u, v in itertools.product(nodes[a], nodes[b])]
    owner = [k for k, (a, b) in enumerate(pairs) for _ in range(len(nodes[a]) * len(nodes[b]))]
    proba = pd.Series(predictor.predict_proba(graph_pairs)).groupby(owner).max()
    labels = [1] * len(positives) + [0] * len(negatives)
    auc = float(roc_auc_score(labels, proba.reindex(range(len(pairs))).to_numpy()))
    cv = float(predictor.cv_["roc_auc"].mean()) if len(predictor.cv_) else float("nan")

    top = predictor.suggest(top=SUGGESTIONS_K)
    planted_pairs = {frozenset(p) for p in hidden}
    suggested = [
        (ctx.mapping.get(u), ctx.mapping.get(v))
        for u, v in zip(top["person_id_a"], top["person_id_b"], strict=True)
    ]
    hits = sum(frozenset(p) in planted_pairs for p in suggested)
    rings = {t: set(p.get("rings", [])) for t, p in truth["persons"].items()}
    same_ring = sum(bool(rings.get(a, set()) & rings.get(b, set())) for a, b in suggested)
    return [
        {
            "metric": "link_prediction_auc",
            "k": pd.NA,
            "value": auc,
            "detail": (
                f"{len(positives)} hidden ties vs {len(negatives)} cross-ring pairs; "
                f"hidden-edge CV ROC AUC {cv:.3f}"
            ),
        },
        {
            "metric": "hidden_ties_in_top",
            "k": SUGGESTIONS_K,
            "value": hits / SUGGESTIONS_K,
            "detail": (
                f"{hits} of the first {SUGGESTIONS_K} suggestions; {len(hidden)} planted among "
                f"{top.attrs['candidates']:,} candidate pairs"
            ),
        },
        {
            "metric": "suggestions_same_ring",
            "k": SUGGESTIONS_K,
            "value": same_ring / SUGGESTIONS_K,
            "detail": "share of the first suggestions whose two people share a planted ring",
        },
    ]
