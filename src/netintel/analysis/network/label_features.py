"""What the labelled neighbours say: features of a person from the confirmed leaders near them.

Leaders meet leaders. A person whose ties run to confirmed organizers, or who sits where a
random walk from the confirmed organizers keeps arriving, is more likely one of them than
their own degree says. :func:`label_features` gives three such features from a set of
**training** positives (confirmed organizers or financiers), for every person of the graph:

``leader_tie_share``
    Share of the person's tie strength that runs to training positives.
``leader_pagerank``
    Personalised PageRank from the training positives (Haveliwala 2002): the long-run share
    of time a walker that restarts at a confirmed leader (damping 0.85, ties by strength)
    spends at the person, times the number of people (1 = the average person's share).
``leader_spread``
    Label spreading (Zhou et al. 2004): the positives' labels spread over the symmetrically
    normalised ties (``alpha`` 0.9), the label propagation of semi-supervised learning.

Both walks are linear in their seeds, so each seed's vector is computed once and a training
positive's own value leaves their own seed out (the mean of the other seeds' vectors at them):
a confirmed leader is scored by the other leaders around them, exactly as a person whose role
is not known is, and no label reaches its own feature. Computed inside each cross-validation
fold from that fold's training labels only (:mod:`netintel.analysis.network.label_check`).

References
----------
.. [1] T. H. Haveliwala, "Topic-sensitive PageRank", WWW 2002.
.. [2] D. Zhou, O. Bousquet, T. N. Lal, J. Weston, B. Schölkopf, "Learning with local and
   global consistency", NIPS 2004.

Examples
--------
>>> G = nx.Graph([("L1", "a"), ("L2", "a"), ("a", "b"), ("b", "c"), ("L1", "L2")])
>>> f = label_features(G, ["L1", "L2"])
>>> float(f.loc["a", "leader_tie_share"]), float(f.loc["b", "leader_tie_share"])
(0.6666666666666666, 0.0)
>>> bool(f.loc["a", "leader_pagerank"] > f.loc["b", "leader_pagerank"] > f.loc["c", "leader_pagerank"])
True
>>> bool(f.loc["L1", "leader_spread"] > f.loc["c", "leader_spread"])  # scored by L2 alone
True
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

__all__ = ["LABEL_FEATURES", "label_features"]

#: Feature columns, in order.
LABEL_FEATURES = ("leader_tie_share", "leader_pagerank", "leader_spread")

DAMPING = 0.85
ALPHA = 0.9
_TOL = 1e-10
_MAX_ITER = 1_000


def label_features(
    G: nx.Graph, positives: Iterable[Hashable], *, nodes: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """The :data:`LABEL_FEATURES` of every person from the training ``positives``.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (edge ``weight``: tie strength, 1 when missing).
    positives : iterable
        People of ``G`` confirmed as organizers or financiers in the training labels.
    nodes : sequence, optional
        Row order (default: ``G``'s node order).

    Returns
    -------
    pandas.DataFrame
        Index ``person_id``, columns :data:`LABEL_FEATURES`; all zeros when there are no
        positives (or a positive's only seed is their own).
    """
    nodes = list(G) if nodes is None else list(nodes)
    index = {u: i for i, u in enumerate(nodes)}
    seeds = sorted({index[p] for p in positives if p in index})
    n = len(nodes)
    W = nx.to_scipy_sparse_array(G, nodelist=nodes, weight="weight", format="csr").astype(float)
    W = sp.csr_matrix(W)
    W.setdiag(0)
    W.eliminate_zeros()
    strength = np.asarray(W.sum(axis=1)).ravel()
    out = pd.DataFrame(0.0, index=pd.Index(nodes, name="person_id"), columns=list(LABEL_FEATURES))
    if not seeds or n == 0:
        return out
    is_seed = np.zeros(n, bool)
    is_seed[seeds] = True
    to_seed = np.asarray(W[:, seeds].sum(axis=1)).ravel()
    out["leader_tie_share"] = np.divide(to_seed, strength, out=np.zeros(n), where=strength > 0)
    out["leader_pagerank"] = _leave_own_out(_pagerank_vectors(W, strength, seeds), seeds) * n
    out["leader_spread"] = _leave_own_out(_spread_vectors(W, strength, seeds), seeds)
    return out


def _leave_own_out(X: NDArray[np.float64], seeds: list[int]) -> NDArray[np.float64]:
    """Mean over seeds of the per-seed vectors (columns of ``X``), where a seed's own value
    is the mean of the other seeds' vectors at them (0 with a single seed)."""
    total = X.sum(axis=1)
    value = total / len(seeds)
    for col, s in enumerate(seeds):
        value[s] = (total[s] - X[s, col]) / (len(seeds) - 1) if len(seeds) > 1 else 0.0
    return value


def _pagerank_vectors(
    W: sp.csr_matrix, strength: NDArray[np.float64], seeds: list[int]
) -> NDArray[np.float64]:
    """One personalised PageRank vector per seed (columns); a walker at a person without
    ties restarts at the seed."""
    n = W.shape[0]
    inv = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    PT = (sp.diags(inv) @ W).T.tocsr()  # column-stochastic where a person has ties
    E = np.zeros((n, len(seeds)))
    E[seeds, np.arange(len(seeds))] = 1.0
    dangling = strength == 0
    X = E.copy()
    for _ in range(_MAX_ITER):
        lost = X[dangling].sum(axis=0)
        new = DAMPING * (PT @ X) + (1 - DAMPING + DAMPING * lost) * E
        if np.abs(new - X).sum() < _TOL * len(seeds):
            return new
        X = new
    return X


def _spread_vectors(
    W: sp.csr_matrix, strength: NDArray[np.float64], seeds: list[int]
) -> NDArray[np.float64]:
    """One label-spreading vector per seed: ``F = (1 - alpha) (I - alpha S)^-1 e_seed``."""
    n = W.shape[0]
    d = np.divide(1.0, np.sqrt(strength), out=np.zeros(n), where=strength > 0)
    S = (sp.diags(d) @ W @ sp.diags(d)).tocsr()
    E = np.zeros((n, len(seeds)))
    E[seeds, np.arange(len(seeds))] = 1.0
    X = (1 - ALPHA) * E
    for _ in range(_MAX_ITER):
        new = ALPHA * (S @ X) + (1 - ALPHA) * E
        if np.abs(new - X).sum() < _TOL * len(seeds):
            return new
        X = new
    return X
