"""netintel: link analysis for drug-trafficking investigations.

Records in, a provenance-carrying graph, ranked targets out::

    import netintel
    ws = netintel.open("case.db")
    ws.ingest(arrests="arrests.csv", seizures="seizures.csv")
    ws.rank_targets(top=10, window="2024")
    ws.network.rings(algorithm="leiden"); ws.dismantle.key_players(k=5)

The workspace and its wings (records, network, dismantle, routes, time, hidden, query) are
described in :mod:`netintel.workspace`; a time window is one :class:`Window`.
"""

from __future__ import annotations

from netintel.errors import (
    AnalysisError,
    InputError,
    NetIntelError,
    ReadOnlyError,
    SchemaError,
    StoreError,
)
from netintel.values import Window
from netintel.workspace import IngestReport, Workspace, open

__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "IngestReport",
    "InputError",
    "NetIntelError",
    "ReadOnlyError",
    "SchemaError",
    "StoreError",
    "Window",
    "Workspace",
    "__version__",
    "load_ipython_extension",
    "open",
]


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext netintel``: the ``%%cypher`` and ``%cypher`` magics
    (:mod:`netintel.workspace.magic`)."""
    from netintel.workspace.magic import load_ipython_extension as load

    load(ipython)
