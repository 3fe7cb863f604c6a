"""Where an analysis runs: in-process on the person graph, or inside Neo4j Graph Data Science.

The one engine choice of the workspace, used by rings, the ranking and centrality:
``engine="gds"`` always runs in GDS (and fails clearly where it is missing); ``"auto"`` does
so on a Neo4j store whose server has GDS and can run the algorithm asked for; any other
engine (``"networkx"``, ``"igraph"``) runs in-process. The rule itself is the store's
(:func:`netintel.store.gds.wants_gds`).

Examples
--------
>>> uses_gds(ws.store, "auto"), uses_gds(ws.store, "igraph"), uses_gds(ws.store, "gds")
(False, False, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from netintel.store.base import GraphStore

if TYPE_CHECKING:
    from netintel.values import Window
    from netintel.workspace import Workspace


def uses_gds(
    store: GraphStore, engine: str, *, algorithm: str = "louvain", resolution: float = 1.0
) -> bool:
    """Whether ``engine`` runs ``algorithm`` at ``resolution`` inside GDS on ``store``."""
    from netintel.store import gds

    return gds.wants_gds(engine, store, algorithm=algorithm, resolution=resolution)


def gds_rings(
    ws: Workspace, window: Window, *, engine: str, algorithm: str, seed: int, resolution: float
) -> pd.DataFrame | None:
    """The rings (``person_id, name, ring``) GDS finds in the window's person graph when
    :func:`uses_gds` says so; ``None`` when they are to be found in-process."""
    if not uses_gds(ws.store, engine, algorithm=algorithm, resolution=resolution):
        return None
    from netintel.store import gds

    settings = ws.projection_settings(window)
    return gds.communities(
        ws.store, algorithm=algorithm, seed=seed, resolution=resolution, settings=settings
    )
