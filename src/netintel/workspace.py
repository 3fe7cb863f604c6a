"""The notebook-friendly facade: one object over a store, from records to ranked targets.

Examples
--------
>>> import tempfile
>>> import netintel
>>> from netintel.synthetic import generate, write
>>> folder = tempfile.mkdtemp()
>>> files = write(generate(300, seed=1), folder)
>>> with netintel.open(folder + "/case.db") as ws:
...     report = ws.ingest(arrests=files["arrests"], seizures=files["seizures"],
...                        communications=files["communications"], links=files["links"])
...     bool((report.reconciliation["read"] == report.reconciliation["loaded"]
...           + report.reconciliation["quarantined"]).all())
...     targets = ws.rank_targets(top=5)
...     list(targets.columns[:4])
True
['rank', 'person_id', 'name', 'score']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from netintel.errors import StoreError
from netintel.project import ProjectionSettings, project
from netintel.store import cypher as portable
from netintel.store.base import GraphStore, Progress, WriteSummary

log = logging.getLogger(__name__)

DEFAULT_DB = "netintel.db"
PathLike = str | Path


def default_location() -> str:
    """``$NETINTEL_DB`` if set, else ``./netintel.db``."""
    return os.environ.get("NETINTEL_DB") or DEFAULT_DB


@dataclass
class IngestReport:
    """The outcome of :meth:`Workspace.ingest`.

    Attributes
    ----------
    reconciliation : DataFrame
        One row per input file: ``file, kind, read, loaded, quarantined``; always
        ``read == loaded + quarantined``.
    quarantine : DataFrame
        One row per rejected field: ``file, kind, row, record_id, field, value, reason``.
    written : WriteSummary
        Nodes and relationships created and updated, per label and type.
    counts : dict
        Node and relationship counts in the store after the load.
    """

    reconciliation: pd.DataFrame
    quarantine: pd.DataFrame
    written: WriteSummary
    counts: dict[str, int]


class Workspace:
    """A store plus the analyses over it. Build one with :func:`netintel.open`.

    The person graph is projected once and cached until the next write.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._graph: nx.Graph | None = None
        self._graph_key: str | None = None

    def __repr__(self) -> str:
        return f"Workspace({self.store!r})"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    # -- records in ---------------------------------------------------------------------
    def ingest(
        self,
        *,
        arrests: PathLike | Iterable[PathLike] | None = None,
        seizures: PathLike | Iterable[PathLike] | None = None,
        communications: PathLike | Iterable[PathLike] | None = None,
        links: PathLike | Iterable[PathLike] | None = None,
        matrices: PathLike | Iterable[PathLike] | None = None,
        matrix_kind: str = "communications",
        mapping: PathLike | None = None,
        encoding: str | None = None,
        default_region: str = "VN",
        quarantine: PathLike | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read, validate and normalise record files, and load them into the store.

        Loading the same files again changes nothing; new records extend existing nodes.
        Rows that fail validation go to ``quarantine`` (a .csv or .jsonl path) with reasons.

        Parameters
        ----------
        arrests, seizures, communications, links : path or list of paths
            Record files (CSV, JSON Lines, Parquet, Excel) in the formats of
            ``graph_schema/records.md``, or any export with a ``mapping``.
        matrices : path or list of paths
            Adjacency-matrix CSVs (labels in the first row and column), read as
            ``matrix_kind`` records.
        mapping : path, optional
            YAML column mapping for exports that use other column names.
        encoding : str, optional
            Encoding of CSV files when not UTF-8.
        default_region : str
            Country whose numbering plan local phone numbers follow (ISO code, default VN).
        quarantine : path, optional
            Where to write rejected rows.
        progress : callable, optional
            ``progress(step, n)`` called as steps complete.

        Returns
        -------
        IngestReport
        """
        from netintel.ingest import ingest_files

        result = ingest_files(
            arrests=arrests,
            seizures=seizures,
            communications=communications,
            links=links,
            matrices=matrices,
            matrix_kind=matrix_kind,
            mapping=mapping,
            encoding=encoding,
            default_region=default_region,
            quarantine=quarantine,
            progress=progress,
        )
        written = self.store.write(result.batch, progress=progress)
        self._graph = None
        return IngestReport(result.reconciliation, result.quarantine, written, self.store.counts())

    # -- the analysis graph ---------------------------------------------------------------
    def graph(
        self,
        *,
        settings: ProjectionSettings | None = None,
        since: str | None = None,
        until: str | None = None,
        refresh: bool = False,
    ) -> nx.Graph:
        """The person-to-person graph (see :mod:`netintel.project`), cached until a write.

        ``since`` and ``until`` (``YYYY``, ``YYYY-MM`` or a date) keep only the evidence in
        that window; they override the window of ``settings``.
        """
        if since is not None or until is not None:
            settings = replace(settings or ProjectionSettings(), since=since, until=until)
        key = None if settings is None else repr(settings)
        if refresh or self._graph is None or key != self._graph_key:
            self._graph = project(self.store, settings)
            self._graph_key = key
        return self._graph

    def people(self) -> pd.DataFrame:
        """Every Person node: ``person_id, name, name_key, national_id, dob, nationality, sources``."""
        return self.store.query(portable.PERSONS).sort_values("person_id", ignore_index=True)

    def communities(
        self,
        *,
        seed: int = 0,
        resolution: float = 1.0,
        engine: str = "auto",
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """Rings by Louvain: ``person_id, name, community`` (largest community is 0)."""
        from netintel.analysis.community import louvain

        G = self.graph(since=since, until=until)
        rings = louvain(G, seed=seed, resolution=resolution, engine=engine)
        rings.insert(1, "name", rings["person_id"].map(nx.get_node_attributes(G, "name")))
        return rings

    def rank_targets(
        self,
        *,
        top: int | None = None,
        profile: str | PathLike = "default",
        seed: int = 0,
        engine: str = "auto",
        betweenness_k: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """The ranked target list, each row with its ``explanation`` and ``evidence``.

        See :func:`netintel.analysis.ranking.rank_targets` for the columns; ``since`` and
        ``until`` rank on the evidence of that window only.
        """
        from netintel.analysis.ranking import rank_targets

        return rank_targets(
            self.graph(since=since, until=until),
            top=top,
            profile=profile,
            seed=seed,
            engine=engine,
            betweenness_k=betweenness_k,
        )

    # -- dismantling: key players, disruption, recovery ----------------------------------

    # -- brokers and rings ----------------------------------------------------------------

    # -- routes ---------------------------------------------------------------------------

    # -- time, hidden ties, learned ranking -----------------------------------------------

    # -- entity resolution ----------------------------------------------------------------

    # -- queries ------------------------------------------------------------------------
    def cypher(self, query: str, /, *, write: bool = False, **params: Any) -> pd.DataFrame:
        """Run Cypher with ``$parameters``; read-only unless ``write=True``.

        Example: ``ws.cypher("MATCH (p:Person) WHERE p.name = $name RETURN p.id", name="Lê Văn Tám")``
        """
        result = self.store.query(query, params, write=write)
        if write:
            self._graph = None
        return result

    def stats(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        return self.store.counts()


def open(location: PathLike | None = None, *, read_only: bool = False) -> Workspace:
    """Open a workspace on an embedded database path (default ``$NETINTEL_DB`` or ``./netintel.db``).

    Parameters
    ----------
    location : str or Path, optional
        A LadybugDB path. A ``bolt://`` or ``neo4j://`` URI names a Neo4j server.
    read_only : bool
        Open so that nothing can be written.

    Raises
    ------
    StoreError
        If the database cannot be opened.
    """
    location = str(location or default_location())
    if location.split("://", 1)[0] in {
        "bolt",
        "bolt+s",
        "bolt+ssc",
        "neo4j",
        "neo4j+s",
        "neo4j+ssc",
    }:
        raise StoreError(
            f"{location}: the Neo4j store is not available in this version of netintel; "
            "use an embedded database path"
        )
    from netintel.store.embedded import EmbeddedStore

    return Workspace(EmbeddedStore(location, read_only=read_only))
