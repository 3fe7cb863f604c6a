"""The scorers, one module per wing: records, network, dismantle, routes, hidden.

Each scorer is a function ``scorer(ctx: EvalContext) -> list[dict]`` (see
:mod:`netintel.evaluation.context`); its module lists the rows it returns.

========== ==================================================================
records    quarantine, people matched to the truth, entity resolution
network    target list, rings (Louvain, Leiden, stability), brokers, learned ranking
dismantle  key players, successors after an arrest
routes     corridors
hidden     suggested links (hidden ties)
channels   parcel rings (express delivery), hotspots that re-form, seller-to-supplier
           money paths (online): a workspace with them
========== ==================================================================

The time wing has no scorer of its own: successors (:func:`dismantle.successors`) are read
from its quarterly timeline. Scorers import the analyses they run (scikit-learn, igraph)
inside the function, so importing :mod:`netintel.evaluation` for its metrics (as ``bench/``
does, measuring peak memory) stays light.
"""

from __future__ import annotations

from netintel.evaluation.context import Scorer
from netintel.evaluation.scorers import channels, dismantle, hidden, network, records, routes

__all__ = ["SCORERS", "channels", "dismantle", "hidden", "network", "records", "routes"]

#: Every scorer :func:`~netintel.evaluation.driver.run_evaluation` runs, in the order of its
#: rows (the order of the table ``netintel evaluate`` prints, kept so runs compare line by line).
SCORERS: tuple[Scorer, ...] = (
    network.targets,
    network.rings,
    records.quarantine,
    records.people_mapped,
    network.ring_algorithms,
    network.brokers,
    dismantle.key_players,
    routes.corridors,
    hidden.links,
    network.learned,
    dismantle.successors,
    records.resolution,
    channels.parcels,
    channels.reformations,
    channels.money_paths,
)
