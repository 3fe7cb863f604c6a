"""Graph stores: the :class:`GraphStore` seam, its backends, and :func:`open`, which picks one.

=====================================  ==================================================
backend                                opened for
=====================================  ==================================================
:class:`~netintel.store.embedded.      an embedded LadybugDB database path (the default:
EmbeddedStore`                         a fresh machine needs no server)
:class:`~netintel.store.neo4j.         a Neo4j URI (``bolt://``, ``neo4j+s://`` ...); user,
Neo4jStore`                            password, database and TLS from ``NETINTEL_NEO4J_*``
=====================================  ==================================================

Only :func:`open` decides between them, so nothing above the store does.
"""

from __future__ import annotations

import os
from pathlib import Path

from netintel.errors import StoreError
from netintel.store.base import GraphStore, WriteSummary

__all__ = ["DEFAULT_DB", "GraphStore", "WriteSummary", "default_location", "open"]

#: The embedded database opened when no location is given or set in the environment.
DEFAULT_DB = "netintel.db"


def default_location() -> str:
    """Where :func:`open` opens without a location: ``$NETINTEL_NEO4J_URI`` if set, else
    ``$NETINTEL_DB``, else ``./netintel.db``.

    >>> import os
    >>> default_location() == (
    ...     os.environ.get("NETINTEL_NEO4J_URI") or os.environ.get("NETINTEL_DB") or DEFAULT_DB
    ... )
    True
    """
    return os.environ.get("NETINTEL_NEO4J_URI") or os.environ.get("NETINTEL_DB") or DEFAULT_DB


def open(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the graph store at ``location``: Neo4j for a Neo4j URI, else the embedded store.

    Parameters
    ----------
    location : str or Path, optional
        A LadybugDB database path, or a Neo4j URI (``bolt://host:7687``, ``neo4j+s://host``;
        user, password, database and TLS from the ``NETINTEL_NEO4J_*`` variables, see
        :mod:`netintel.store.neo4j`). Default: :func:`default_location`.
    read_only : bool, default False
        Open so that nothing can be written (the embedded database must then exist).

    Returns
    -------
    GraphStore
        A :class:`~netintel.store.neo4j.Neo4jStore` or an
        :class:`~netintel.store.embedded.EmbeddedStore`; a context manager that closes it.

    Raises
    ------
    StoreError
        If ``location`` is a URI of another scheme, the database cannot be opened, or the
        server cannot be reached.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, open(f"{tmp}/case.db") as store:
    ...     store.backend
    'embedded'
    >>> open("http://db.example.org")
    Traceback (most recent call last):
    ...
    netintel.errors.StoreError: http://db.example.org: unknown URI scheme; ...
    """
    from netintel.store.neo4j import SCHEMES, is_neo4j_uri, redact_uri

    location = str(location or default_location())
    if is_neo4j_uri(location):
        from netintel.store.neo4j import Neo4jStore

        return Neo4jStore(location, read_only=read_only)
    if "://" in location:
        schemes = ", ".join(f"{s}://" for s in SCHEMES)
        raise StoreError(
            f"{redact_uri(location)}: unknown URI scheme; use an embedded database path or a Neo4j URI "
            f"({schemes})"
        )
    from netintel.store.embedded import EmbeddedStore

    return EmbeddedStore(location, read_only=read_only)
