"""The dismantle wing: which arrests would break the network, and who would take over.

It answers the questions of an operation against a network: how broken the network is after
people are removed (fragmentation), which ``k`` arrests together fragment it most (key
players), what happens, step by step, when people are arrested in the order a strategy
dictates (disrupt), and who is best placed to carry on after an arrest (successors).

Modules
-------
fragmentation  components, fragmentation F and distance-weighted DF (Borgatti 2006), global
               efficiency (Latora & Marchiori 2001)
keyplayers     Borgatti's (2006) KPP-Neg: the k arrests that fragment the network most (or
               leave the smallest largest component), never leaving a larger component than
               the top k of a single measure or k sequential arrests by one
disrupt        arrest sequences by strategy, and what is left after each step (Duijn, Kashirin
               & Sloot 2014; Cavallaro et al. 2020)
successors     likely successors after a removal (Burt 1992; Bright et al. 2015)

The single-measure strategies all of them compare with are :mod:`netintel.analysis.topk`.

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through person 4
>>> key_players(G, k=1, objective="F", compare=()).summary()["people"]
[4]
"""

from __future__ import annotations

from netintel.analysis.dismantle.disrupt import CURVE_COLUMNS, STRATEGIES, simulate_disruption
from netintel.analysis.dismantle.fragmentation import (
    component_sizes,
    distance_fragmentation,
    fragmentation,
    global_efficiency,
)
from netintel.analysis.dismantle.keyplayers import KeyPlayerPlan, key_players
from netintel.analysis.dismantle.successors import (
    SUCCESSOR_COLUMNS,
    find_people,
    likely_successors,
)

__all__ = [
    "CURVE_COLUMNS",
    "STRATEGIES",
    "SUCCESSOR_COLUMNS",
    "KeyPlayerPlan",
    "component_sizes",
    "distance_fragmentation",
    "find_people",
    "fragmentation",
    "global_efficiency",
    "key_players",
    "likely_successors",
    "simulate_disruption",
]
