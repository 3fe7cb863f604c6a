"""Analyse the person graph: who matters, which rings it is made of, whom to target, how to
break it, where the drugs move, how it changes, and what is not on record yet.

Every function takes a graph (or tables) first, options keyword-only, randomness through one
``seed``, and returns a tidy :class:`pandas.DataFrame` with a documented column contract;
none talks to a store. Tie weights are evidence *strengths*; :mod:`netintel.analysis.weights`
is the one place that turns them into distances for shortest-path measures. Every row that
names a person carries the records behind it (:func:`netintel.analysis.evidence.person_evidence`).

Modules
-------
weights        strength -> distance (``1 / weight``), and which measure reads which
centrality     degree, strength, betweenness, PageRank, eigenvector, k-core (NetworkX or igraph)
community      Louvain and Leiden rings, their stability across seeds, ring profiles
profile        ranking profiles (YAML), validated on load
ranking        the ranked target list with explanations and evidence
evidence       the records behind a person
brokerage      Gould-Fernandez brokerage roles and participation across rings, provinces, countries
fragmentation  fragmentation F, distance-weighted fragmentation DF, global efficiency
keyplayers     Borgatti's KPP-Neg: the k arrests that fragment the network most
disruption     arrest sequences by strategy, and what is left after each step
recovery       likely successors after a removal
routes         corridors, border gates and chokepoints from seizures
timeline       ranks per period, rising actors, who replaced an arrested leader
linkpred       hidden ties: link prediction over topological and co-occurrence features
learned        a ranking learned from confirmed roles (scikit-learn, cross-validated)

The same measures and rings computed inside Neo4j Graph Data Science, where the data lives,
are the Neo4j store's: :mod:`netintel.store.gds`.
"""

from __future__ import annotations

from netintel.analysis.brokerage import brokerage, gould_fernandez, participation
from netintel.analysis.centrality import MEASURES, centrality, default_betweenness_k
from netintel.analysis.community import detect, leiden, louvain, profiles, stability
from netintel.analysis.disruption import plot_disruption, simulate_disruption, top_targets
from netintel.analysis.evidence import person_evidence
from netintel.analysis.fragmentation import (
    distance_fragmentation,
    fragmentation,
    global_efficiency,
)
from netintel.analysis.keyplayers import KeyPlayerPlan, key_players
from netintel.analysis.learned import LearnedRanker, learned_ranking, read_labels
from netintel.analysis.linkpred import LinkPredictor, suggest_links
from netintel.analysis.profile import RankingProfile
from netintel.analysis.ranking import RANKING_COLUMNS, TargetRanker, rank_targets
from netintel.analysis.recovery import likely_successors
from netintel.analysis.routes import (
    RouteTables,
    chokepoints,
    corridor_people,
    corridors,
    place_graph,
    routes_geojson,
)
from netintel.analysis.timeline import Timeline, timeline
from netintel.analysis.weights import add_distance, strength_to_distance

__all__ = [
    "MEASURES",
    "RANKING_COLUMNS",
    "KeyPlayerPlan",
    "LearnedRanker",
    "LinkPredictor",
    "RankingProfile",
    "RouteTables",
    "TargetRanker",
    "Timeline",
    "add_distance",
    "brokerage",
    "centrality",
    "chokepoints",
    "corridor_people",
    "corridors",
    "default_betweenness_k",
    "detect",
    "distance_fragmentation",
    "fragmentation",
    "global_efficiency",
    "gould_fernandez",
    "key_players",
    "learned_ranking",
    "leiden",
    "likely_successors",
    "louvain",
    "participation",
    "person_evidence",
    "place_graph",
    "plot_disruption",
    "profiles",
    "rank_targets",
    "read_labels",
    "routes_geojson",
    "simulate_disruption",
    "stability",
    "strength_to_distance",
    "suggest_links",
    "timeline",
    "top_targets",
]
