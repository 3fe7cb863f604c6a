"""Key players: the k people whose removal fragments the network most (Borgatti's KPP-Neg).

:func:`key_players` searches for the set of ``k`` people whose removal leaves the network
most broken, by Borgatti's (2006) fragmentation ``F`` (the share of pairs who can no longer
reach each other), distance-weighted fragmentation ``DF`` (which also counts pairs that
drift apart), or the largest connected component left (``LCC``, the critical-node problem;
ties go to the larger ``F``); see :mod:`netintel.analysis.dismantle.fragmentation`.

Search
------
exact
    When the search space is small: every set of ``k - 1`` people is tried, each completed
    by the best ``k``-th person found in one linear-time pass (objectives ``F`` and ``LCC``,
    while ``C(n, k - 1) * (n + m) <= EXACT_F_MAX_WORK``); every set of ``k`` (objective
    ``DF``, while ``C(n, k) <= EXACT_DF_MAX_SETS``).
greedy plus swaps (Borgatti 2006)
    Otherwise: a greedy construction (add the person whose removal helps most), then swap
    local search (exchange a member for an outsider while that improves the objective),
    started from the greedy set, from the top-``k`` of every single-measure strategy it is
    compared with, and from ``restarts`` seeded random sets. For ``F`` one depth-first
    search gives the effect of removing every candidate at once (``O(n + m)``), so a full
    swap neighbourhood costs ``k`` searches. For ``DF`` every candidate set needs all its
    distances, so the search runs by ``F`` as above and then swaps by ``DF`` from the best
    set found (by ``DF``) among those, the single-measure sets and DF's own greedy set.
iterated swaps by the largest component (every objective, when not exact)
    From the set found so far that leaves the smallest largest component: swaps (by largest
    component, then ``F``), then ``perturbations`` rounds that replace a seeded random third
    of the set by people of the largest component left and swap again, moving to the result
    when it is no worse (Lourenco, Martin & Stutzle 2003); fewer rounds on large graphs (see
    :data:`ILS_MAX_WORK`). The best set seen is a candidate.
proven bound on the largest component (every objective)
    Then the critical-node MILP (:func:`~netintel.analysis.dismantle.cnp.lcc_bound`, HiGHS,
    ``bound_time`` seconds) starts from the candidate leaving the smallest largest component:
    a better set it finds is a candidate, and the plan's ``bound`` is the size below which no
    ``k`` arrests can bring the largest component (proven; ``gap``: how far the plan is).

Objective ``"auto"`` searches by ``DF`` up to :data:`DF_SEARCH_MAX_NODES` people and by ``F``
above (``DF`` needs all distances for every candidate set); ``DF`` is reported either way,
exact up to 5,000 people and sampled (seeded) above. Ties between sets go to the smaller
largest component, then to the set whose sorted person ids come first.

Never worse than a single measure
---------------------------------
The plan is compared with the top ``k`` people of each single-measure strategy (degree,
betweenness, PageRank, the ranked target list; see
:func:`~netintel.analysis.topk.top_targets`) and with the first ``k`` people removed by
each *sequential* strategy, its measure recomputed after every arrest (degree, betweenness
and PageRank by default, as Cavallaro et al. 2020 did; labelled ``sequential degree`` and so
on; see :func:`~netintel.analysis.topk.sequential_targets`). Those sets are themselves
candidates and starting points of the search, and
the plan is chosen, among all candidates, as the best by the objective among those that are
no worse than *every* single-measure set both by the objective and by the largest component
left. Should no candidate be that good on both counts (the two can pull apart), the plan is
the best candidate no worse on both counts than the best single-measure set, the one that
leaves the smallest largest component (such a candidate always exists: that set itself), and
a warning says so. The plan therefore never leaves a larger component than any single
measure, and never fragments less than the best of them, by construction.

References
----------
.. [1] S. P. Borgatti, "Identifying sets of key players in a social network", Computational
   and Mathematical Organization Theory 12, 21-34, 2006.
.. [2] J. Hopcroft, R. Tarjan, "Algorithm 447: efficient algorithms for graph manipulation",
   Communications of the ACM 16(6), 372-378, 1973.
.. [3] L. Cavallaro, A. Ficara, P. De Meo, G. Fiumara, S. Catanese, O. Bagdasar, W. Song,
   A. Liotta, "Disrupting resilient criminal networks through data analysis: The case of
   Sicilian Mafia", PLOS ONE 15(8), e0236476, 2020.
.. [4] H. R. Lourenco, O. C. Martin, T. Stutzle, "Iterated local search", Handbook of
   Metaheuristics, 320-353, Springer, 2003.
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netintel.analysis.dismantle.cnp import DEFAULT_TIME_LIMIT, lcc_bound
from netintel.analysis.dismantle.fragmentation import (
    EXACT_EFFICIENCY_MAX_NODES,
    distance_fragmentation,
    fragmentation_of,
    inverse_distance_sum,
    removal_effects,
)
from netintel.analysis.engine import Prepared, prepare
from netintel.analysis.evidence import person_evidence
from netintel.analysis.topk import MEASURE_STRATEGIES, id_key, sequential_targets, top_targets
from netintel.errors import AnalysisError
from netintel.progress import track

__all__ = [
    "DF_SEARCH_MAX_NODES",
    "EXACT_DF_MAX_SETS",
    "EXACT_F_MAX_WORK",
    "ILS_MAX_WORK",
    "SEQUENTIAL_STRATEGIES",
    "KeyPlayerPlan",
    "key_players",
]

#: ``objective="auto"`` searches by DF up to this many people, by F above.
DF_SEARCH_MAX_NODES = 100

#: Exact search by F while ``C(n, k - 1) * (n + m)`` stays at or below this.
EXACT_F_MAX_WORK = 2_000_000

#: Exact search by DF while ``C(n, k)`` stays at or below this.
EXACT_DF_MAX_SETS = 3_000

#: The sequential strategies a plan is compared with by default (Cavallaro et al. 2020).
SEQUENTIAL_STRATEGIES = ("degree", "betweenness", "pagerank")

#: Iterated swaps run at most ``ILS_MAX_WORK // (k * (n + m))`` rounds (at least one).
ILS_MAX_WORK = 400_000

_DF_MAX_PASSES = 10  # DF swap passes (each pass tries k (n - k) sets)

Key = tuple[float, int]  # (objective to minimise, LCC size)
OBJECTIVES = ("auto", "F", "DF", "LCC")
#: Names an objective may also be given by (any case): Borgatti's F and DF, the largest component.
OBJECTIVE_NAMES = {"fragmentation": "F", "distance": "DF", "lcc": "LCC", "f": "F", "df": "DF"}


@dataclass
class KeyPlayerPlan:
    """The outcome of :func:`key_players`.

    Attributes
    ----------
    players : pandas.DataFrame
        ``order, person_id, name, degree, lcc_after, fragmentation_after, evidence,
        evidence_count``: the set, most damaging first (``lcc_after`` and
        ``fragmentation_after`` are cumulative: after removing this person and those before).
    comparison : pandas.DataFrame
        ``strategy, people, names, lcc_size, lcc_fraction, components, fragmentation,
        distance_fragmentation``: the plan (``keyplayer``), each single-measure top-k, then
        each sequential strategy's first k (``sequential degree``, ...).
    k, objective, method, seed, weighted
        What was searched and how (``method`` is "exact" or "greedy + swaps (N starts)",
        plus the iterated swaps by largest component when not exact).
    fragmentation, distance_fragmentation : float
        ``F`` and ``DF`` after removing the set.
    distance_fragmentation_sampled : bool
        Whether ``DF`` is a sampled estimate (more than 5,000 people).
    lcc_size, lcc_fraction : int, float
        Largest component left, in people and as a share of the intact network's.
    component_sizes : list of int
        Sizes of the components left, largest first.
    best_single : str
        The strategy compared (single measure or sequential) with the smallest largest
        component left (ties: better objective, then the order compared).
    started_from : str or None
        The starting set the search did best to improve on: the best, by the objective, of
        the compared strategies' sets and the greedy set (``"greedy"``).
    improvement : int
        People fewer in the largest component left than ``started_from`` leaves (0 when
        the search kept that set, or found nothing smaller).
    bound, gap : int or None
        No ``k`` arrests can leave a largest component under ``bound`` (proven by the MILP
        or by counting); ``gap = lcc_size - bound`` (0: the plan's component is optimal).
        None when ``bound_time=0``.
    """

    players: pd.DataFrame
    comparison: pd.DataFrame
    k: int
    objective: str
    method: str
    fragmentation: float
    distance_fragmentation: float
    distance_fragmentation_sampled: bool
    lcc_size: int
    lcc_fraction: float
    component_sizes: list[int]
    best_single: str | None
    weighted: bool
    seed: int | None
    notes: list[str] = field(default_factory=list)
    started_from: str | None = None
    improvement: int = 0
    bound: int | None = None
    gap: int | None = None

    def summary(self) -> dict[str, Any]:
        """The headline numbers as a dict."""
        return {
            "k": self.k,
            "people": list(self.players["person_id"]),
            "names": list(self.players["name"]),
            "objective": self.objective,
            "method": self.method,
            "fragmentation": self.fragmentation,
            "distance_fragmentation": self.distance_fragmentation,
            "lcc_size": self.lcc_size,
            "lcc_fraction": self.lcc_fraction,
            "components": len(self.component_sizes),
            "best_single": self.best_single,
            "started_from": self.started_from,
            "improvement": self.improvement,
            "bound": self.bound,
            "gap": self.gap,
        }


class _Search:
    """Set search on a :class:`~netintel.analysis.engine.Prepared` graph (indices); assumes
    valid input."""

    def __init__(self, prep: Prepared, k: int, objective: str) -> None:
        self.prep, self.k, self.objective = prep, k, objective
        order = sorted(range(prep.n), key=lambda i: id_key(prep.nodes[i]))
        self.rank = np.empty(prep.n, dtype=np.int64)
        self.rank[order] = np.arange(prep.n)
        self.evaluations = 0

    def tag(self, S: Sequence[int]) -> tuple[int, ...]:
        """Sorted id ranks of a set: the final tie-break, and a canonical form."""
        return tuple(sorted(int(self.rank[i]) for i in S))

    def state(self, S: Sequence[int]) -> tuple[list[int], Key]:
        """Component sizes after removing ``S``, and the set's key (smaller is better)."""
        alive = np.ones(self.prep.n, dtype=bool)
        alive[list(S)] = False
        sub = self.prep.igraph().induced_subgraph(np.flatnonzero(alive).tolist())
        sizes = sorted(sub.connected_components().sizes(), reverse=True)
        lcc = sizes[0] if sizes else 0
        self.evaluations += 1
        if self.objective != "DF":
            return sizes, self._key(sum(s * s for s in sizes), lcc)
        total, _ = inverse_distance_sum(sub)
        return sizes, (round(total, 9), lcc)

    def _key(self, ss: int, lcc: int) -> Key:
        """The key of a set from its sum of squared component sizes and largest component:
        by ``LCC``, the largest component then the sum (less than 1 apart: ``ss <= n**2``)."""
        if self.objective == "LCC":
            return (lcc + ss / (self.prep.n**2 + 1), lcc)
        return (float(ss), lcc)

    def key(self, S: Sequence[int]) -> Key:
        return self.state(S)[1]

    def lcc_members(self, S: Sequence[int]) -> list[int]:
        """The people of the largest component left once ``S`` is removed."""
        alive = np.ones(self.prep.n, dtype=bool)
        alive[list(S)] = False
        idx = np.flatnonzero(alive)
        parts = self.prep.igraph().induced_subgraph(idx.tolist()).connected_components()
        return [int(idx[j]) for j in max(parts, key=len)] if len(idx) else []

    # -- F: one depth-first search scores every candidate ----------------------------------
    def _best_addition(self, removed: Sequence[int], lcc_first: bool) -> tuple[Key, int]:
        alive = np.ones(self.prep.n, dtype=bool)
        alive[list(removed)] = False
        ss, lcc, _, _ = removal_effects(self.prep.adjacency(), alive)
        idx = np.flatnonzero(alive)
        lcc_first = lcc_first or self.objective == "LCC"
        a, b = (lcc[idx], ss[idx]) if lcc_first else (ss[idx], lcc[idx])
        j = int(np.lexsort((self.rank[idx], b, a))[0])
        v = int(idx[j])
        self.evaluations += 1
        return self._key(int(ss[v]), int(lcc[v])), v

    def greedy(self, lcc_first: bool = False) -> list[int]:
        S: list[int] = []
        for _ in range(self.k):
            if self.objective != "DF":
                _, v = self._best_addition(S, lcc_first)
            else:
                outside = [i for i in range(self.prep.n) if i not in set(S)]
                v = min(outside, key=lambda i: (self.key([*S, i]), self.rank[i]))
            S.append(v)
        return S

    def swaps(self, S: Sequence[int], lcc_first: bool = False, max_passes: int = 100) -> list[int]:
        """Best-improvement swap local search from ``S`` (Borgatti 2006)."""
        S = list(S)

        def better(a: Key, b: Key) -> bool:
            return (a[1], a[0]) < (b[1], b[0]) if lcc_first else a < b

        current = self.key(S)
        for _ in range(max_passes):
            best: tuple[Key, int, int] | None = None
            for pos in sorted(range(len(S)), key=lambda p: self.rank[S[p]]):
                rest = S[:pos] + S[pos + 1 :]
                if self.objective != "DF":
                    key, v = self._best_addition(rest, lcc_first)
                    moves = [(key, v)]
                else:
                    inside = set(S)
                    moves = [
                        (self.key([*rest, v]), v) for v in range(self.prep.n) if v not in inside
                    ]
                for key, v in moves:
                    if v == S[pos]:
                        continue
                    if better(key, current) and (best is None or better(key, best[0])):
                        best = (key, pos, v)
            if best is None:
                break
            current, pos, v = best
            S[pos] = v
        return S

    def iterated(self, S: Sequence[int], rounds: int, rng: random.Random) -> list[int]:
        """Iterated swaps by largest component (then ``F``) from ``S``: each round replaces
        a random third of the current set by people of the largest component it leaves,
        swaps again, and moves there when no worse; returns the best set seen."""

        def key(T: Sequence[int]) -> tuple[int, float, tuple[int, ...]]:
            (obj, lcc) = self.key(T)
            return (lcc, obj, self.tag(T))

        current = self.swaps(S, lcc_first=True)
        best, best_key = current, key(current)
        current_key = best_key
        for _ in range(rounds):
            pool = sorted(set(self.lcc_members(current)), key=lambda i: self.rank[i])
            drop = rng.sample(range(self.k), max(1, self.k // 3))
            kept = [v for j, v in enumerate(current) if j not in drop]
            pool = [v for v in pool if v not in kept]
            if len(pool) < len(drop):
                break
            trial = self.swaps([*kept, *rng.sample(pool, len(drop))], lcc_first=True)
            trial_key = key(trial)
            if trial_key[:2] <= current_key[:2]:
                current, current_key = trial, trial_key
                if trial_key < best_key:
                    best, best_key = trial, trial_key
        return best

    def exact(self) -> list[int]:
        n, k = self.prep.n, self.k
        best: tuple[Key, tuple[int, ...]] | None = None
        if self.objective != "DF":
            for combo in combinations(range(n), k - 1):
                key, v = self._best_addition(combo, False)
                cand = (key, self.tag([*combo, v]))
                best = cand if best is None or cand < best else best
        else:
            for combo in combinations(range(n), k):
                cand = (self.key(combo), self.tag(combo))
                best = cand if best is None or cand < best else best
        assert best is not None
        by_rank = {int(self.rank[i]): i for i in range(n)}
        return [by_rank[t] for t in best[1]]


def _exact_feasible(objective: str, n: int, m: int, k: int) -> bool:
    if objective != "DF":
        return math.comb(n, k - 1) * (n + m) <= EXACT_F_MAX_WORK
    return math.comb(n, k) <= EXACT_DF_MAX_SETS


def key_players(
    G: nx.Graph,
    k: int = 5,
    *,
    objective: str = "auto",
    weight: str | None = "weight",
    seed: int | None = 0,
    compare: Sequence[str] = MEASURE_STRATEGIES,
    sequential: Sequence[str] = SEQUENTIAL_STRATEGIES,
    restarts: int = 4,
    perturbations: int = 30,
    exact: bool | None = None,
    bound_time: float = DEFAULT_TIME_LIMIT,
) -> KeyPlayerPlan:
    """The set of ``k`` people whose removal fragments the network most (KPP-Neg).

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    k : int, default 5
        Size of the set (``1 <= k < n``).
    objective : {"auto", "F", "DF", "LCC"}, default "auto"
        Maximise fragmentation ``F`` or distance-weighted fragmentation ``DF``, or minimise
        the largest component left (``LCC``, ties to the larger ``F``); ``"auto"`` is ``DF``
        up to :data:`DF_SEARCH_MAX_NODES` people, ``F`` above. Also by name:
        ``"fragmentation"`` (F), ``"distance"`` (DF), ``"lcc"``, in any case.
    weight : str or None, default "weight"
        Evidence strength of ties, read by the strategies compared (``F``, ``DF`` and ``LCC``
        count people and hops, as Borgatti defines them). ``None``: unweighted.
    seed : int or None, default 0
        Seed of the random restarts and perturbations, sampled measures and ``DF`` on very
        large graphs.
    compare : sequence of str, default ("degree", "betweenness", "pagerank", "ranked")
        Single-measure strategies whose top ``k`` the plan is compared with (and seeded by).
    sequential : sequence of str, default ("degree", "betweenness", "pagerank")
        Strategies whose first ``k`` arrests, the measure recomputed after each, the plan is
        compared with (and seeded by); ``"ranked"`` is allowed, and slow.
    restarts : int, default 4
        Seeded random starting sets of the swap search by ``F``.
    perturbations : int, default 30
        Rounds of the iterated swaps by largest component (0: none); fewer on large graphs
        (:data:`ILS_MAX_WORK`).
    exact : bool or None, default None
        Force (``True``) or forbid (``False``) exhaustive search; ``None`` decides by size.
    bound_time : float, default :data:`~netintel.analysis.dismantle.cnp.DEFAULT_TIME_LIMIT`
        Seconds for the MILP bound on the largest component (0: no bound).

    Returns
    -------
    KeyPlayerPlan
        Its largest component left is never larger than any compared strategy's.

    Raises
    ------
    AnalysisError
        If ``k`` is out of range, the objective or a strategy unknown, or the graph invalid.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through person 4
    >>> plan = key_players(G, k=1, objective="F", compare=("degree",), sequential=())
    >>> list(plan.players["person_id"]), plan.component_sizes, round(plan.fragmentation, 3)
    ([4], [4, 4], 0.571)
    >>> plan.comparison[["strategy", "people", "lcc_size"]].values.tolist()
    [['keyplayer', [4], 4], ['degree', [3], 5]]

    A chain of ten: sequential degree (recomputed after each arrest) leaves six people
    together; the search leaves three.

    >>> plan = key_players(nx.path_graph(10), k=2, objective="LCC", compare=(), sequential=("degree",))
    >>> sorted(plan.players["person_id"]), plan.component_sizes, plan.method
    ([2, 6], [3, 3, 2], 'exact')
    >>> plan.comparison[["strategy", "lcc_size"]].values.tolist()
    [['keyplayer', 3], ['sequential degree', 6]]
    >>> plan.started_from, plan.improvement  # the greedy set left 4
    ('greedy', 1)
    >>> plan.bound, plan.gap  # proven: no two arrests leave less than three together
    (3, 0)
    """
    if isinstance(k, bool) or not isinstance(k, int):
        raise AnalysisError(f"k must be an integer, got {k!r}")
    for name, value in (("restarts", restarts), ("perturbations", perturbations)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise AnalysisError(f"{name} must be an integer >= 0, got {value!r}")
    objective = OBJECTIVE_NAMES.get(str(objective).lower(), objective)
    if objective not in OBJECTIVES:
        raise AnalysisError(
            f"objective must be 'auto', 'F' (fragmentation), 'DF' (distance) or 'LCC', "
            f"got {objective!r}"
        )
    for s in (*compare, *sequential):
        if s not in MEASURE_STRATEGIES:
            raise AnalysisError(
                f"unknown strategy {s!r} to compare; use {', '.join(MEASURE_STRATEGIES)}"
            )
    prep = prepare(G, weight=weight, engine="igraph")
    n, m = prep.n, prep.m
    if not 1 <= k < n:
        raise AnalysisError(f"k must be between 1 and {n - 1} (the graph has {n} people), got {k}")
    if objective == "auto":
        objective = "DF" if n <= DF_SEARCH_MAX_NODES else "F"
    search = _Search(prep, k, objective)
    index = {u: i for i, u in enumerate(prep.nodes)}

    seeds: dict[str, list[int]] = {
        s: [index[u] for u, _ in top_targets(G, s, k, weight=weight, seed=seed)] for s in compare
    }
    for s in track(sequential, label="key players: sequential strategies"):
        seeds[f"sequential {s}"] = sequential_targets(G, prep, s, k, seed)
    by_f = search if objective != "DF" else _Search(prep, k, "F")
    starts_named = {**seeds, "greedy": search.greedy()}
    candidates: list[list[int]] = list(starts_named.values())
    if exact or (exact is None and _exact_feasible(objective, n, m, k)):
        candidates.append(search.exact())
        method = "exact"
    else:
        # Search by F first (cheap: one depth-first search per swap neighbourhood) ...
        rng = random.Random(seed)
        ordered = sorted(range(n), key=lambda i: search.rank[i])
        starts = [
            by_f.greedy(),
            *seeds.values(),
            *(rng.sample(ordered, k) for _ in range(restarts)),
        ]
        starts = list({search.tag(S): S for S in starts}.values())
        found = [by_f.swaps(S) for S in track(starts, label="key players: swaps from each start")]
        # ... and again with the largest component first, so that a plan beating every
        # single measure on both counts is found where one exists.
        again = track((by_f.greedy(True), *starts), label="key players: swaps, largest first")
        found += [by_f.swaps(S, lcc_first=True) for S in again]
        method = f"greedy + swaps ({len(starts)} starts)"
        if objective == "DF":
            # ... then DF swaps (each candidate set needs all its distances) from the best
            # set found so far by DF, or DF's own greedy set.
            pool = [*found, *seeds.values(), search.greedy()]
            start = min(pool, key=lambda S: (search.key(S), search.tag(S)))
            found += [pool[-1], search.swaps(start, max_passes=_DF_MAX_PASSES)]
            method = f"greedy + swaps ({len(starts)} starts by F, then by DF from the best)"
        # ... and iterated swaps by largest component from the set that leaves the smallest.
        rounds = min(perturbations, max(1, ILS_MAX_WORK // (k * (n + m))))
        if rounds:
            smallest = min(found, key=lambda S: (by_f.key(S)[1], by_f.key(S)[0], by_f.tag(S)))
            found.append(by_f.iterated(smallest, rounds, rng))
            method += f", then {rounds} rounds of iterated swaps by largest component"
        candidates += found

    proof = None
    if bound_time > 0:
        smallest = min(candidates, key=lambda S: (search.key(S)[1], search.tag(S)))
        proof = lcc_bound(G, k, start=[prep.nodes[i] for i in smallest], time_limit=bound_time)
        candidates.append([index[u] for u in proof.people])
    keyed = {search.tag(S): (search.key(S), S) for S in candidates}
    single = {s: search.key(S) for s, S in seeds.items()}
    notes: list[str] = []
    plan = _choose(keyed, single, notes)
    label, start = min(starts_named.items(), key=lambda kv: (search.key(kv[1]), search.tag(kv[1])))
    report = _report(G, prep, search, plan, seeds, objective, method, weight, seed, notes)
    report.started_from = label
    report.improvement = max(0, search.key(start)[1] - report.lcc_size)
    if proof is not None:
        report.bound, report.gap = proof.lower, report.lcc_size - proof.lower
    return report


def _choose(
    keyed: dict[tuple[int, ...], tuple[Key, list[int]]],
    single: dict[str, Key],
    notes: list[str],
) -> list[int]:
    """The never-worse choice (see the module notes)."""
    ranked = sorted(keyed.items(), key=lambda kv: (kv[1][0], kv[0]))
    if not single:
        return ranked[0][1][1]
    best_obj = min(key[0] for key in single.values())
    best_lcc = min(key[1] for key in single.values())
    for _, (key, S) in ranked:
        if key[0] <= best_obj and key[1] <= best_lcc:
            return S
    name, ref = min(single.items(), key=lambda kv: (kv[1][1], kv[1][0], list(single).index(kv[0])))
    message = (
        "no set found beats every single measure on both fragmentation and largest "
        f"component; the plan is no worse than {name}, the single measure that leaves the "
        "smallest largest component"
    )
    warnings.warn(message, stacklevel=3)
    notes.append(message)
    for _, (key, S) in ranked:
        if key[0] <= ref[0] and key[1] <= ref[1]:
            return S
    raise AssertionError("the best single-measure set is itself a candidate")  # pragma: no cover


def _report(
    G: nx.Graph,
    prep: Prepared,
    search: _Search,
    plan: list[int],
    seeds: dict[str, list[int]],
    objective: str,
    method: str,
    weight: str | None,
    seed: int | None,
    notes: list[str],
) -> KeyPlayerPlan:
    lcc0 = max(prep.igraph().connected_components().sizes())
    sample_df = prep.n > EXACT_EFFICIENCY_MAX_NODES

    def describe(label: str, S: list[int]) -> dict[str, Any]:
        sizes, _ = search.state(S)
        people = [prep.nodes[i] for i in S]
        return {
            "strategy": label,
            "people": people,
            "names": [G.nodes[u].get("name") for u in people],
            "lcc_size": sizes[0] if sizes else 0,
            "lcc_fraction": (sizes[0] if sizes else 0) / lcc0,
            "components": len(sizes),
            "fragmentation": fragmentation_of(sizes),
            "distance_fragmentation": distance_fragmentation(G, removed=people, seed=seed),
        }

    ordered = _damage_order(prep, plan, search.rank)
    comparison = pd.DataFrame(
        [describe("keyplayer", ordered), *(describe(s, S) for s, S in seeds.items())]
    )
    rows = []
    for j, v in enumerate(ordered):
        u = prep.nodes[v]
        sizes, _ = search.state(ordered[: j + 1])
        ev = person_evidence(G, u)
        rows.append(
            {
                "order": j + 1,
                "person_id": u,
                "name": G.nodes[u].get("name"),
                "degree": G.degree(u),
                "lcc_after": sizes[0] if sizes else 0,
                "fragmentation_after": fragmentation_of(sizes),
                "evidence": ev,
                "evidence_count": len(ev),
            }
        )
    players = pd.DataFrame(rows)
    best_single = None
    if seeds:
        others = comparison.iloc[1:].reset_index(drop=True)
        obj = "distance_fragmentation" if objective == "DF" else "fragmentation"
        best_single = str(
            others.assign(_o=-others[obj], _i=range(len(others)))
            .sort_values(["lcc_fraction", "_o", "_i"])
            .iloc[0]["strategy"]
        )
    head = comparison.iloc[0]
    sizes, _ = search.state(ordered)
    return KeyPlayerPlan(
        players=players,
        comparison=comparison,
        k=len(plan),
        objective=objective,
        method=method,
        fragmentation=float(head["fragmentation"]),
        distance_fragmentation=float(head["distance_fragmentation"]),
        distance_fragmentation_sampled=sample_df,
        lcc_size=int(head["lcc_size"]),
        lcc_fraction=float(head["lcc_fraction"]),
        component_sizes=sizes,
        best_single=best_single,
        weighted=weight is not None,
        seed=seed,
        notes=notes,
    )


def _damage_order(prep: Prepared, S: list[int], rank: np.ndarray) -> list[int]:
    """The set's members, each time the one whose removal leaves the smallest largest
    component (then the most fragmented network, then person id)."""
    alive = np.ones(prep.n, dtype=bool)
    left, out = list(S), []
    while left:
        ss, lcc, _, _ = removal_effects(prep.adjacency(), alive)
        v = min(left, key=lambda i: (lcc[i], ss[i], rank[i]))
        out.append(v)
        left.remove(v)
        alive[v] = False
    return out
