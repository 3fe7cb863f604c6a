"""A proven lower bound on the largest component k arrests can leave (critical-node problem).

:func:`lcc_bound` answers, for a person graph and a number of arrests ``k``: how small can
the largest connected component left be, at best? It returns a lower bound that is proven
(no set of ``k`` people can leave a smaller component), the best set it found, and whether
the two meet (the optimum is then known exactly).

Method
------
The mixed-integer model of the critical-node problem with pairwise connectivity variables
(Arulselvan et al. 2009; here for the largest component, as in Lalou et al. 2018): binary
``x_v = 1`` when person ``v`` is removed, ``u_ij`` for every pair of the same component
(1 when ``i`` and ``j`` are still connected), and the bound ``L``::

    minimise    L
    subject to  sum_v x_v = k
                u_ij >= 1 - x_i - x_j              for every tie i-j
                u_it >= u_jt - x_i                 for every tie i-j and person t
                1 - x_i + sum_j u_ij <= L           for every person i

If ``i`` is kept and ``j`` still reaches ``t``, so does ``i``: along any path left, the
second family forces ``u = 1``, so every solution's ``L`` is at least the largest component
its ``x`` leaves, and the optimum is exact. It is solved with :func:`scipy.optimize.milp`
(HiGHS) under a time limit. A better set than the one known replaces it; when time runs
out, HiGHS's dual bound (rounded up: ``L`` counts people) is a proven lower bound, and
when HiGHS finishes, its optimum is the exact answer.

Before any solve a counting bound holds: removing a person of degree ``d`` adds at most
``d - 1`` components, so ``k`` arrests leave at most ``c + sum (d_i - 1)`` components (the
``k`` highest degrees, ``c`` the components at the start) among ``n - k`` people. Above
:data:`MILP_MAX_PAIRS` pairs the model is not built and this bound is the one given.

References
----------
.. [1] A. Arulselvan, C. W. Commander, L. Elefteriadou, P. M. Pardalos, "Detecting critical
   nodes in sparse graphs", Computers & Operations Research 36(7), 2193-2200, 2009.
.. [2] M. Lalou, M. A. Tahraoui, H. Kheddouci, "The critical node detection problem in
   networks: a survey", Computer Science Review 28, 92-117, 2018.
.. [3] Q. Huangfu, J. A. J. Hall, "Parallelizing the dual revised simplex method",
   Mathematical Programming Computation 10, 119-142, 2018 (HiGHS).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from netintel.errors import AnalysisError

__all__ = ["DEFAULT_TIME_LIMIT", "MILP_MAX_PAIRS", "LccBound", "lcc_bound"]

#: Seconds the solver may spend by default.
DEFAULT_TIME_LIMIT = 5.0

#: The model is built while the pairs of people in the same component stay at or below this.
MILP_MAX_PAIRS = 200_000


@dataclass(frozen=True)
class LccBound:
    """What :func:`lcc_bound` proved and found.

    Attributes
    ----------
    lower : int
        No set of ``k`` people leaves a largest component smaller than this (proven).
    upper : int
        The largest component left by ``people`` (the best set known).
    people : list
        The best set known (at most ``k`` people; removing more never enlarges a component).
    exact : bool
        ``lower == upper``: ``people`` is optimal.
    solves : int
        Mixed-integer programs solved (HiGHS).
    seconds : float
        Time spent.
    """

    lower: int
    upper: int
    people: list
    exact: bool
    solves: int
    seconds: float

    @property
    def gap(self) -> int:
        """``upper - lower``: how many people the best set might still be from the optimum."""
        return self.upper - self.lower


def _lcc(adj: list[list[int]], removed: set[int]) -> tuple[int, list[list[int]]]:
    """Largest component size and the components after removing ``removed``."""
    seen = set(removed)
    comps = []
    for s in range(len(adj)):
        if s in seen:
            continue
        seen.add(s)
        comp, queue = [s], deque([s])
        while queue:
            for w in adj[queue.popleft()]:
                if w not in seen:
                    seen.add(w)
                    comp.append(w)
                    queue.append(w)
        comps.append(comp)
    return max((len(c) for c in comps), default=0), comps


def _counting_bound(adj: list[list[int]], k: int) -> int:
    n = len(adj)
    components = len(_lcc(adj, set())[1])
    degrees = sorted((len(a) for a in adj), reverse=True)[:k]
    most = components + sum(max(d - 1, 0) for d in degrees)
    return max(1, math.ceil((n - k) / max(most, 1))) if n > k else 0


def _solve(adj: list[list[int]], k: int, hi: int, time_limit: float) -> tuple[int, set | None]:
    """The model of the module: (a proven lower bound, a set leaving less than ``hi`` or
    None)."""
    n = len(adj)
    _, comps = _lcc(adj, set())
    where = {v: c for c, comp in enumerate(comps) for v in comp}
    pair: dict[tuple[int, int], int] = {}
    for comp in comps:
        for i, j in combinations(sorted(comp), 2):
            pair[(i, j)] = n + len(pair)
    if len(pair) > MILP_MAX_PAIRS or hi <= 1:
        return 0, None
    L = n + len(pair)

    def u(i: int, j: int) -> int:
        return pair[(i, j) if i < j else (j, i)]

    rows: list[list[tuple[int, float]]] = []
    low: list[float] = []
    for a in range(n):
        for b in adj[a]:
            if a < b:
                rows.append([(u(a, b), 1), (a, 1), (b, 1)])
                low.append(1.0)
            for t in comps[where[a]]:
                if t != a and t != b:
                    rows.append([(u(a, t), 1), (u(b, t), -1), (a, 1)])
                    low.append(0.0)
    for i in range(n):
        rows.append([(L, 1), (i, 1), *((u(i, j), -1) for j in comps[where[i]] if j != i)])
        low.append(1.0)
    r = [q for q, row in enumerate(rows) for _ in row]
    c = [col for row in rows for col, _ in row]
    v = [val for row in rows for _, val in row]
    A = coo_array((v, (r, c)), shape=(len(rows), L + 1)).tocsr()
    cost = np.zeros(L + 1)
    cost[L] = 1
    card = np.zeros((1, L + 1))
    card[0, :n] = 1
    upper = np.ones(L + 1)
    upper[L] = n  # no cut-off: HiGHS reports its dual bound only once it holds a solution
    res = milp(
        cost,
        constraints=[LinearConstraint(A, lb=low, ub=np.inf), LinearConstraint(card, lb=k, ub=k)],
        integrality=np.r_[np.ones(n), np.zeros(len(pair) + 1)],
        bounds=Bounds(0, upper),
        options={"time_limit": max(time_limit, 0.05), "disp": False},
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = math.ceil(dual - 1e-6) if dual is not None and np.isfinite(dual) else 0
    if res.status == 0:
        bound = max(bound, math.ceil(res.fun - 1e-6))
    found = None if res.x is None else {int(i) for i in np.flatnonzero(res.x[:n] > 0.5)}
    return bound, found


def lcc_bound(
    G: nx.Graph,
    k: int,
    *,
    start: Sequence | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> LccBound:
    """A proven lower bound on the largest component left by ``k`` arrests, and the best set.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (directions and weights are ignored).
    k : int
        Number of people removed (``0 <= k < n``).
    start : sequence, optional
        A set of people already known (for example the key-player plan): the search only
        looks for better. Default: the ``k`` people of highest degree.
    time_limit : float, default :data:`DEFAULT_TIME_LIMIT`
        Seconds for all solves together; when they run out, the bound proven so far stands.

    Returns
    -------
    LccBound

    Raises
    ------
    AnalysisError
        If ``k`` is out of range or ``start`` names someone not in the graph.

    Examples
    --------
    A chain of ten people: two arrests cannot leave less than a chain of three.

    >>> b = lcc_bound(nx.path_graph(10), 2, start=[0, 1])
    >>> b.lower, b.upper, b.exact, b.gap
    (3, 3, True, 0)
    """
    began = time.monotonic()
    nodes = list(G.nodes)
    n = len(nodes)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < max(n, 1):
        raise AnalysisError(f"k must be an integer between 0 and {n - 1}, got {k!r}")
    index = {u: i for i, u in enumerate(nodes)}
    adj: list[list[int]] = [[] for _ in range(n)]
    for u, v in G.edges():
        if u != v:
            adj[index[u]].append(index[v])
            adj[index[v]].append(index[u])
    if start is None:
        start = sorted(nodes, key=lambda u: -G.degree(u))[:k]
    missing = [u for u in start if u not in index]
    if missing:
        raise AnalysisError(f"start names people not in the graph: {missing[:5]}")
    best = {index[u] for u in start}
    hi, _ = _lcc(adj, best)
    lo, solves = _counting_bound(adj, k), 0
    if lo < hi and time_limit > 0:
        bound, found = _solve(adj, k, hi, time_limit - (time.monotonic() - began))
        solves += 1
        if found is not None and _lcc(adj, found)[0] < hi:
            best = found
            hi = _lcc(adj, best)[0]
        lo = max(lo, bound)
    lo = min(lo, hi)
    return LccBound(
        lower=lo,
        upper=hi,
        people=[nodes[i] for i in sorted(best, key=lambda i: str(nodes[i]))],
        exact=lo >= hi,
        solves=solves,
        seconds=time.monotonic() - began,
    )
