"""Scores of hidden ties, learned ranking and successions against the planted truth.

Rows (see :class:`netintel.evaluation.EvalContext`):

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
``learned_rank_precision_leaders`` (k = 5)
    Precision at 5 of the learned ranking with the planted leaders as labels, every graph
    person matched to a planted person labelled: people ordered by their out-of-fold
    probability (each scored by a model that never saw their label).
``successor_found``
    Share of the planted ``successions`` whose successor the replacements table of the
    quarterly timeline names first for the leader's (first) arrest in the quarter of the
    planted one.

A metric whose truth field is missing (sets generated before it was planted) is reported with
a missing value and says so in ``detail``.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from netintel.errors import AnalysisError

SUGGESTIONS_K = 20
LEADERS_K = 5


def score(ctx: Any) -> list[dict]:
    """All rows of this area (see the module)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [*_links(ctx), *_learned(ctx), *_successions(ctx)]


def _skipped(metric: str, k: object, why: str) -> dict:
    return {"metric": metric, "k": k, "value": float("nan"), "detail": f"skipped: {why}"}


def _nodes_of(ctx: Any, G: Any) -> dict[str, list]:
    """Planted id -> person ids of the graph ``G``, in sorted order."""
    out: dict[str, list] = {}
    for pid, tid in ctx.mapping.dropna().items():
        if pid in G:
            out.setdefault(tid, []).append(pid)
    return {t: sorted(p, key=str) for t, p in out.items()}


def _links(ctx: Any) -> list[dict]:
    truth = ctx.truth
    if "hidden_ties" not in truth:
        return [
            _skipped("link_prediction_auc", pd.NA, "the truth has no hidden_ties"),
            _skipped("hidden_ties_in_top", SUGGESTIONS_K, "the truth has no hidden_ties"),
        ]
    G = ctx.ws.graph()
    nodes = _nodes_of(ctx, G)
    hidden = [(h["a"], h["b"]) for h in truth["hidden_ties"]]
    positives = [(a, b) for a, b in hidden if a in nodes and b in nodes]
    if not positives:
        return [_skipped("link_prediction_auc", pd.NA, "no hidden tie maps onto the graph")]

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
    while len(negatives) < len(positives) and tries < 100 * len(positives):
        tries += 1
        a, b = (people[i] for i in rng.choice(len(people), size=2, replace=False))
        key = frozenset((a, b))
        if ring_of[a] == ring_of[b] or key in hidden_set or key in seen:
            continue
        if any(G.has_edge(u, v) for u, v in itertools.product(nodes[a], nodes[b])):
            continue
        seen.add(key)
        negatives.append((a, b))

    predictor = ctx.ws.link_predictor(seed=ctx.seed)
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


def _learned(ctx: Any) -> list[dict]:
    from netintel.analysis.network import LearnedRanker
    from netintel.evaluation import precision_at_k

    leaders = set(ctx.truth.get("leaders", []))
    G = ctx.ws.graph()
    mapped = ctx.mapping.dropna()
    mapped = mapped[[p in G for p in mapped.index]]
    labels = pd.Series([int(t in leaders) for t in mapped], index=mapped.index)
    positives = int(labels.sum())
    if positives < 2 or positives == len(labels):
        return [_skipped("learned_rank_precision_leaders", LEADERS_K, "too few planted leaders")]
    folds = min(5, positives)
    try:
        ranker = LearnedRanker(folds=folds, permutation_repeats=0, seed=ctx.seed).fit(G, labels)
    except AnalysisError as e:
        return [_skipped("learned_rank_precision_leaders", LEADERS_K, str(e))]
    oof = ranker.oof_
    order = sorted(oof.index, key=lambda p: (-round(float(oof[p]), 12), str(p)))
    ids = [ctx.mapping.get(p) for p in order]
    return [
        {
            "metric": "learned_rank_precision_leaders",
            "k": LEADERS_K,
            "value": precision_at_k(ids, leaders, LEADERS_K),
            "detail": (
                f"{folds}-fold out-of-fold; {positives} leader nodes of {len(labels)} labelled; "
                f"CV ROC AUC {ranker.cv_['roc_auc'].mean():.3f}"
            ),
        }
    ]


def _quarter(day: str) -> str:
    """``2023-12-23`` -> ``2023-Q4`` (the labels of :func:`period_windows`)."""
    stamp = pd.Timestamp(day)
    return f"{stamp.year}-Q{stamp.quarter}"


def _successions(ctx: Any) -> list[dict]:
    successions = ctx.truth.get("successions")
    if successions is None:
        return [_skipped("successor_found", pd.NA, "the truth has no successions")]
    if not successions:
        return [_skipped("successor_found", pd.NA, "no succession planted")]
    try:
        result = ctx.ws.timeline(period="quarter", engine="igraph", seed=ctx.seed)
    except AnalysisError as e:
        return [_skipped("successor_found", pd.NA, str(e))]
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
