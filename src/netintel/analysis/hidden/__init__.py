"""The hidden wing: which ties are probably there, though no record shows them yet.

It answers where to look next: the pairs of people who are not tied in the records but whose
neighbourhoods, rings and co-occurrences (the same place within days, a shared third phone,
a shared vehicle) look like those of tied people. A classifier learns what a tie looks like
by hiding observed ties and finding them again (Berlusconi et al. 2016), and every
suggestion comes with its probability, an explanation and the records behind it.

Modules
-------
features  topological features of a pair (common neighbours, Jaccard, Adamic-Adar, resource
          allocation, preferential attachment, Katz; Liben-Nowell & Kleinberg 2007) and
          co-occurrence in the records
links     the link predictor (scikit-learn, cross-validated) and the suggestion table

Examples
--------
>>> import networkx as nx
>>> G = nx.connected_caveman_graph(5, 5)
>>> out = suggest_links(G, top=5)
>>> sorted(zip(out["person_id_a"], out["person_id_b"]))
[(0, 1), (5, 6), (10, 11), (15, 16), (20, 21)]
"""

from __future__ import annotations

from netintel.analysis.hidden.features import (
    COOCCURRENCE_COLUMNS,
    FEATURES,
    cooccurrence_pairs,
    katz_index,
    pair_features,
)
from netintel.analysis.hidden.links import SUGGESTION_COLUMNS, LinkPredictor, suggest_links

__all__ = [
    "COOCCURRENCE_COLUMNS",
    "FEATURES",
    "SUGGESTION_COLUMNS",
    "LinkPredictor",
    "cooccurrence_pairs",
    "katz_index",
    "pair_features",
    "suggest_links",
]
