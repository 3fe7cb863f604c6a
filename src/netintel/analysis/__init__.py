"""Analyse the person graph: who matters, which rings it is made of, whom to target, how to
break it, where the drugs move, how it changes, and what is not on record yet.

Every function takes a graph (or tables) first, options keyword-only, randomness through one
``seed``, and returns a tidy :class:`pandas.DataFrame` with a documented column contract;
none talks to a store. Tie weights are evidence *strengths*; :mod:`netintel.analysis.weights`
is the one place that turns them into distances for shortest-path measures. Every row that
names a person carries the records behind it (:func:`netintel.analysis.evidence.person_evidence`).

The analyses are grouped by the question they answer, one package per wing:

Wings
-----
network    who matters, the rings, brokers, the ranked target list
dismantle  fragmentation, key players, arrest sequences, successors
routes     corridors, chokepoints, the people on them, the route map
time       ranks per period, rising actors, replacements of arrested leaders
hidden     suggested hidden ties from link prediction

Shared modules
--------------
weights    strength -> distance (``1 / weight``), and which measure reads which
engine     the one prepared graph (NetworkX -> igraph once), engine choice, betweenness
topk       the top k people by one measure (degree, betweenness, PageRank, the ranked list)
evidence   the records behind a person or a tie

The same measures and rings computed inside Neo4j Graph Data Science, where the data lives,
are the Neo4j store's: :mod:`netintel.store.gds`.
"""

from __future__ import annotations

from netintel.analysis.dismantle import (
    KeyPlayerPlan,
    distance_fragmentation,
    fragmentation,
    global_efficiency,
    key_players,
    likely_successors,
    simulate_disruption,
)
from netintel.analysis.evidence import person_evidence
from netintel.analysis.hidden import LinkPredictor, suggest_links
from netintel.analysis.network import (
    MEASURES,
    RANKING_COLUMNS,
    LearnedRanker,
    RankingProfile,
    TargetRanker,
    brokerage,
    centrality,
    detect_rings,
    gould_fernandez,
    learned_ranking,
    leiden,
    louvain,
    participation,
    rank_targets,
    read_labels,
    ring_profiles,
    ring_stability,
)
from netintel.analysis.routes import (
    chokepoints,
    corridor_people,
    corridors,
    place_graph,
    routes_geojson,
)
from netintel.analysis.time import Timeline, timeline
from netintel.analysis.topk import top_targets
from netintel.analysis.weights import add_distance, strength_to_distance

__all__ = [
    "MEASURES",
    "RANKING_COLUMNS",
    "KeyPlayerPlan",
    "LearnedRanker",
    "LinkPredictor",
    "RankingProfile",
    "TargetRanker",
    "Timeline",
    "add_distance",
    "brokerage",
    "centrality",
    "chokepoints",
    "corridor_people",
    "corridors",
    "detect_rings",
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
    "rank_targets",
    "read_labels",
    "ring_profiles",
    "ring_stability",
    "routes_geojson",
    "simulate_disruption",
    "strength_to_distance",
    "suggest_links",
    "timeline",
    "top_targets",
]
