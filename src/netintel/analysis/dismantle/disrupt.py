"""Disruption simulation: arrest people in order and watch the network come apart.

:func:`simulate_disruption` removes people one at a time by a *strategy* and, after every
removal, measures what is left: the size of the largest connected component (LCC), that size
as a fraction of the intact network's LCC, the number of components, and global efficiency
(:mod:`netintel.analysis.dismantle.fragmentation`). Several strategies run side by side on
the same graph, as in Cavallaro et al. (2020) and Duijn, Kashirin & Sloot (2014).

Strategies
----------
``degree``, ``betweenness``, ``pagerank``, ``ranked``
    One score per person (:mod:`netintel.analysis.topk`, where each is described); the
    ranked target list is recomputed on igraph (``engine="igraph"``), for speed.
``random``
    A seeded random order: the baseline every targeted strategy should beat.
``keyplayer``
    The key-player set (:func:`~netintel.analysis.dismantle.keyplayers.key_players`, objective
    ``F``, compared with no other strategy) for ``k = steps`` (at most
    :data:`KEYPLAYER_MAX_K`), found once on the intact network and removed most damaging
    first. A set is a joint choice, so ``recompute`` does not apply.

Recomputation
-------------
``recompute="sequential"`` recomputes the strategy's measure on what is left after every
removal (the adaptive attack of the literature); ``"block"`` takes the top ``block_size``
people at once and recomputes only after the whole block is removed (a wave of arrests).
Rows stay one per removed person either way, so curves are comparable step by step.

Ties in a measure are broken by person id (ascending), after rounding scores to 12
significant digits so that structurally equal people tie exactly. Measures are computed by
igraph (C core): the simulation recomputes them hundreds of times.

A curve ends after ``steps`` removals, or earlier once no tie is left to break.

References
----------
.. [1] L. Cavallaro, A. Ficara, P. De Meo, G. Fiumara, S. Catanese, O. Bagdasar, W. Song,
   A. Liotta, "Disrupting resilient criminal networks through data analysis: The case of
   Sicilian Mafia", PLOS ONE 15(8), e0236476, 2020.
.. [2] P. A. C. Duijn, V. Kashirin, P. M. A. Sloot, "The relative ineffectiveness of criminal
   network disruption", Scientific Reports 4, 4238, 2014.
.. [3] V. Latora, M. Marchiori, "Efficient behavior of small-world networks", Physical Review
   Letters 87, 198701, 2001.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netintel.analysis.dismantle.fragmentation import (
    EFFICIENCY_SAMPLE,
    EXACT_EFFICIENCY_MAX_NODES,
    check_sample,
    inverse_distance_sum,
)
from netintel.analysis.dismantle.keyplayers import key_players
from netintel.analysis.engine import Prepared, prepare
from netintel.analysis.evidence import person_evidence
from netintel.analysis.topk import (
    MEASURE_STRATEGIES,
    by_score,
    check_strategy,
    id_key,
    strategy_scores,
)
from netintel.errors import AnalysisError
from netintel.progress import Task, task

__all__ = ["CURVE_COLUMNS", "KEYPLAYER_MAX_K", "STRATEGIES", "simulate_disruption"]

#: Every strategy :func:`simulate_disruption` knows: the single measures of
#: :data:`~netintel.analysis.topk.MEASURE_STRATEGIES`, then ``random`` and ``keyplayer``.
STRATEGIES = (*MEASURE_STRATEGIES, "random", "keyplayer")

#: The required columns of a disruption curve, in order (more follow).
CURVE_COLUMNS = (
    "strategy", "step", "removed", "lcc_size", "lcc_fraction", "components", "efficiency",
)  # fmt: skip

#: Largest key-player set the ``keyplayer`` strategy searches for.
KEYPLAYER_MAX_K = 50


def simulate_disruption(
    G: nx.Graph,
    *,
    strategies: str | Sequence[str] = ("degree", "betweenness", "pagerank", "ranked", "random"),
    recompute: str = "sequential",
    block_size: int = 1,
    steps: int | None = 20,
    weight: str | None = "weight",
    seed: int | None = 0,
    plans: Mapping[str, Sequence[Hashable]] | None = None,
    efficiency_sample: int | None = None,
) -> pd.DataFrame:
    """Remove people by each strategy and measure the network after every removal.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (undirected; ``weight`` is evidence strength).
    strategies : str or sequence of str, default: degree, betweenness, pagerank, ranked, random
        Any of :data:`STRATEGIES` (see the module notes), side by side.
    recompute : {"sequential", "block"}, default "sequential"
        Recompute the measure after every removal, or once per block of ``block_size``.
    block_size : int, default 1
        People removed per block with ``recompute="block"``.
    steps : int or None, default 20
        Removals per strategy; ``None`` goes on until no tie is left.
    weight : str or None, default "weight"
        Edge attribute with the evidence strength; ``None`` for the unweighted graph (every
        tie strength 1, every path step distance 1).
    seed : int or None, default 0
        Seed of ``random``, of sampled betweenness and efficiency, and of the ranked list's
        communities.
    plans : mapping of str to sequence of person ids, optional
        Removal orders of your own (e.g. the arrests a case plans), each a curve labelled by
        its key.
    efficiency_sample : int, optional
        Source people for sampled efficiency (an integer >= 1); default exact up to
        :data:`~netintel.analysis.dismantle.fragmentation.EXACT_EFFICIENCY_MAX_NODES` people,
        512 above.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CURVE_COLUMNS` then ``name, score, efficiency_fraction, evidence``:
        one row per strategy and step; step 0 is the intact network (``removed`` empty).
        ``score`` is the removed person's score by the strategy when chosen (NaN for
        ``random``, ``keyplayer`` and plans); ``evidence`` the records behind them
        (:func:`~netintel.analysis.evidence.person_evidence`). ``attrs`` records
        ``recompute``, ``block_size``, ``weighted``, ``seed``, ``efficiency`` ("exact" or
        "sampled from N sources"), ``people``, ``ties`` and ``initial_lcc``.

    Raises
    ------
    AnalysisError
        On an unknown strategy or recompute mode, ``block_size < 1``, ``steps < 0``, a plan
        naming someone not in the graph, or an invalid graph.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through person 4
    >>> curve = simulate_disruption(G, strategies="betweenness", steps=2, weight=None)
    >>> print(curve[["step", "removed", "lcc_size", "lcc_fraction", "components"]].to_string(index=False))
     step removed  lcc_size  lcc_fraction  components
        0    None         9      1.000000           1
        1       4         4      0.444444           2
        2       0         4      0.444444           2
    """
    names = [strategies] if isinstance(strategies, str) else list(strategies)
    for s in names:
        check_strategy(s, STRATEGIES)
    if recompute not in ("sequential", "block"):
        raise AnalysisError(f"recompute must be 'sequential' or 'block', got {recompute!r}")
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise AnalysisError(f"block_size must be an integer >= 1, got {block_size!r}")
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 0):
        raise AnalysisError(f"steps must be an integer >= 0 or None, got {steps!r}")
    check_sample(efficiency_sample, "efficiency_sample")
    plans = dict(plans or {})
    if not names and not plans:
        raise AnalysisError("no strategy or plan to simulate")
    if G.number_of_nodes() == 0:
        raise AnalysisError("the graph has no people to disrupt")
    prep = prepare(G, weight=weight, engine="igraph")
    index = {u: i for i, u in enumerate(prep.nodes)}
    for label, people in plans.items():
        missing = [u for u in people if u not in index]
        if missing:
            raise AnalysisError(f"plan {label!r}: {missing[:5]} not in the graph")
    limit = prep.n if steps is None else min(steps, prep.n)
    if efficiency_sample is None and prep.n > EXACT_EFFICIENCY_MAX_NODES:
        efficiency_sample = EFFICIENCY_SAMPLE
    # progress: strategies x steps (netintel.progress)
    with task("disruption: strategies x steps", (len(names) + len(plans)) * limit) as done:
        frames = [
            _curve(G, prep, s, None, recompute, block_size, limit, seed, efficiency_sample, done)
            for s in names
        ]
        frames += [
            _curve(G, prep, label, [index[u] for u in people], recompute, block_size, limit,
                   seed, efficiency_sample, done)
            for label, people in plans.items()
        ]  # fmt: skip
    curve = pd.concat(frames, ignore_index=True)
    sampled = efficiency_sample is not None and efficiency_sample < prep.n
    curve.attrs.update(
        recompute=recompute,
        block_size=block_size if recompute == "block" else 1,
        weighted=weight is not None,
        seed=seed,
        efficiency=f"sampled from {efficiency_sample} sources" if sampled else "exact",
        people=prep.n,
        ties=prep.m,
        initial_lcc=int(curve.loc[0, "lcc_size"]),
    )
    return curve


def _state(
    prep: Prepared, idx: list[int], n0: int, sample: int | None, seed: int | None
) -> tuple[int, int, float, bool]:
    """(LCC size, components, efficiency, any tie left) of the people ``idx``."""
    sub = prep.igraph().induced_subgraph(idx)
    sizes = sub.connected_components().sizes() if idx else []
    total, _ = inverse_distance_sum(sub, weights=prep.path_weights, sample=sample, seed=seed)
    eff = total / (n0 * (n0 - 1)) if n0 > 1 else 0.0
    return max(sizes, default=0), len(sizes), eff, sub.ecount() > 0


def _curve(
    G: nx.Graph,
    prep: Prepared,
    strategy: str,
    plan: list[int] | None,
    recompute: str,
    block_size: int,
    limit: int,
    seed: int | None,
    sample: int | None,
    done: Task,
) -> pd.DataFrame:
    alive = np.ones(prep.n, dtype=bool)
    lcc0, comps, eff0, has_ties = _state(prep, list(range(prep.n)), prep.n, sample, seed)
    rows: list[dict[str, Any]] = [
        dict(removed=None, name=None, score=math.nan, lcc_size=lcc0, components=comps,
             efficiency=eff0, evidence=[])
    ]  # fmt: skip
    queue: list[tuple[int, float]] = []
    if plan is not None:
        queue = [(i, math.nan) for i in dict.fromkeys(plan)][:limit]
    elif strategy == "random":
        order = sorted(range(prep.n), key=lambda i: id_key(prep.nodes[i]))
        random.Random(seed).shuffle(order)
        queue = [(i, math.nan) for i in order[:limit]]
    elif strategy == "keyplayer":
        k = min(limit, KEYPLAYER_MAX_K)
        if k > 0 and has_ties:
            found = key_players(
                G, k, objective="F", weight="weight" if prep.weighted else None, seed=seed,
                compare=(), sequential=(),
            )  # fmt: skip
            index = {u: i for i, u in enumerate(prep.nodes)}
            queue = [(index[u], math.nan) for u in found.players["person_id"]]
    fixed = plan is not None or strategy in ("random", "keyplayer")
    removed = 0
    while removed < limit and has_ties:
        if not queue:
            if fixed:
                break
            idx = np.flatnonzero(alive).tolist()
            scores = strategy_scores(G, prep, idx, strategy, seed)
            take = block_size if recompute == "block" else 1
            order = by_score(scores, [prep.nodes[i] for i in idx])
            queue = [(idx[j], float(scores[j])) for j in order]
            queue = queue[:take]
        v, score = queue.pop(0)
        alive[v] = False
        removed += 1
        lcc, comps, eff, has_ties = _state(
            prep, np.flatnonzero(alive).tolist(), prep.n, sample, seed
        )
        done.advance()
        u = prep.nodes[v]
        rows.append(
            dict(removed=u, name=G.nodes[u].get("name"), score=score, lcc_size=lcc,
                 components=comps, efficiency=eff, evidence=person_evidence(G, u))
        )  # fmt: skip
    done.advance(limit - removed)  # the steps a strategy did not need
    df = pd.DataFrame(rows)
    df["removed"] = pd.Series([row["removed"] for row in rows], dtype=object)
    df.insert(0, "strategy", strategy)
    df.insert(1, "step", np.arange(len(df), dtype=np.int64))
    df["lcc_fraction"] = df["lcc_size"] / lcc0 if lcc0 else 0.0
    df["efficiency_fraction"] = df["efficiency"] / eff0 if eff0 > 0 else 0.0
    return df[[*CURVE_COLUMNS, "name", "score", "efficiency_fraction", "evidence"]]
