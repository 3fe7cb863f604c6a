"""The network wing: who matters, which rings the network is made of, and whom to target.

It answers the first questions of an investigation: which people hold the network together
(centrality), which groups it is made of and how solid they are (rings), who carries what
between rings, provinces or countries (brokers), and, putting it together, the ranked target
list that says why each person is on it and on which records (ranking), or the one learned
from confirmed roles (learned).

Modules
-------
centrality  degree, strength, betweenness, PageRank, eigenvector, k-core (Freeman 1977, 1979;
            Brandes 2001; Brin & Page 1998; Bonacich 1987; Seidman 1983)
rings       Louvain and Leiden rings (Blondel et al. 2008; Traag et al. 2019), their stability
            across seeds (Hennig 2007), ring profiles
profile     ranking profiles (YAML), validated on load
ranking     the ranked target list with explanations and evidence
brokers     Gould-Fernandez (1989) brokerage roles and participation (Guimerà & Amaral 2005)
learned     a ranking learned from confirmed roles (scikit-learn, cross-validated)
label_features  what labelled neighbours say: ties to confirmed leaders, personalised
            PageRank and label spreading from them (Haveliwala 2002; Zhou et al. 2004)
label_check the learned ranking against the default and every single measure on the same
            held-out folds, and a verdict that claims only what the folds show

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(3, 0)
>>> detect_rings(G, seed=0)["ring"].tolist()
[0, 0, 0, 1, 1, 1]
"""

from __future__ import annotations

from netintel.analysis.network.brokers import brokerage, gould_fernandez, participation
from netintel.analysis.network.centrality import MEASURES, centrality, round_significant
from netintel.analysis.network.learned import LearnedRanker, learned_ranking, read_labels
from netintel.analysis.network.profile import COMPONENTS, RankingProfile
from netintel.analysis.network.ranking import RANKING_COLUMNS, TargetRanker, rank_targets
from netintel.analysis.network.rings import (
    ALGORITHMS,
    PROFILE_COLUMNS,
    detect_rings,
    leiden,
    louvain,
    ring_profiles,
    ring_stability,
)

__all__ = [
    "ALGORITHMS",
    "COMPONENTS",
    "MEASURES",
    "PROFILE_COLUMNS",
    "RANKING_COLUMNS",
    "LearnedRanker",
    "RankingProfile",
    "TargetRanker",
    "brokerage",
    "centrality",
    "detect_rings",
    "gould_fernandez",
    "learned_ranking",
    "leiden",
    "louvain",
    "participation",
    "rank_targets",
    "read_labels",
    "ring_profiles",
    "ring_stability",
    "round_significant",
]
