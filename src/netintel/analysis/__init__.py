"""Analyse the person graph: who matters, which rings it is made of, and whom to target.

Every function takes the person-to-person :class:`networkx.Graph` of :mod:`netintel.project`
first, options keyword-only, randomness through one ``seed``, and returns a tidy
:class:`pandas.DataFrame` with a documented column contract. Tie weights are evidence
*strengths*; :mod:`netintel.analysis.weights` is the one place that turns them into
distances for shortest-path measures.

Modules
-------
weights      strength -> distance (``1 / weight``), and which measure reads which
centrality   degree, strength, betweenness, PageRank, eigenvector, k-core (NetworkX or igraph)
community    Louvain rings and their stability across seeds
profile      ranking profiles (YAML), validated on load
ranking      the ranked target list with explanations and evidence
"""

from __future__ import annotations

from netintel.analysis.centrality import MEASURES, centrality, default_betweenness_k
from netintel.analysis.community import louvain, stability
from netintel.analysis.profile import RankingProfile
from netintel.analysis.ranking import RANKING_COLUMNS, TargetRanker, rank_targets
from netintel.analysis.weights import add_distance, strength_to_distance

__all__ = [
    "MEASURES",
    "RANKING_COLUMNS",
    "RankingProfile",
    "TargetRanker",
    "add_distance",
    "centrality",
    "default_betweenness_k",
    "louvain",
    "rank_targets",
    "stability",
    "strength_to_distance",
]
