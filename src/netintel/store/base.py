"""The seam between netintel and a graph database.

:class:`GraphStore` is a small abstract base: a backend implements a handful of primitives
(create the schema, upsert the rows of one label or relationship type, run a query, close);
the public operations (:meth:`GraphStore.write`, :meth:`GraphStore.counts`, reading the
tables the projection needs) are written once here, on top of them. Everything above this
module is backend-agnostic; dialect differences live in the backend modules.

Labels, relationship types and property names always come from the schema
(:mod:`netintel.schema`); values always travel as parameters or DataFrames, never inside
query text.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netintel.batch import GraphBatch
from netintel.errors import ReadOnlyError
from netintel.progress import task
from netintel.schema import Schema, load_schema
from netintel.store import cypher
from netintel.store.readonly import check_file_access, check_read_only

log = logging.getLogger(__name__)


@dataclass
class WriteSummary:
    """What one :meth:`GraphStore.write` did, per label and relationship type.

    ``created`` counts new keys; ``updated`` counts existing keys that gained source records.
    Rows whose records were all loaded before count in neither.
    """

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, created: int, updated: int) -> None:
        self.created[name] = self.created.get(name, 0) + created
        self.updated[name] = self.updated.get(name, 0) + updated


Progress = Callable[[str, int], None]


class GraphStore(ABC):
    """A graph database holding the netintel schema. Use as a context manager.

    Backends implement :meth:`_ensure_schema`, :meth:`_upsert_nodes`, :meth:`_upsert_edges`,
    :meth:`_run` and :meth:`close`. Upserts must be idempotent and fold an existing key with
    the rule of :func:`netintel.batch.consolidate` (sources unioned, seen interval widened).
    """

    backend: str = "abstract"
    #: What a reader should know about the state it reads (an ingest running, one
    #: interrupted); None when there is nothing to say.
    notice: str | None = None

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()

    @contextmanager
    def transaction(self, action: str = "write", *, bulk: bool = False) -> Iterator[GraphStore]:
        """A unit of work that readers see whole or not at all; sessions nest.

        Everything the workspace writes runs in one: an ingest with its resolution
        (``bulk=True``), a resolution, a review apply. The embedded store publishes a copy of
        the database at the end; Neo4j runs one transaction, except for ``bulk`` work,
        which it records as an ingest run instead (see :mod:`netintel.store.neo4j`).

        Parameters
        ----------
        action : str
            What the work is, for readers' messages ("ingest", "resolve", "review apply").
        bulk : bool
            Too large for one server transaction (an ingest of many batches).

        Examples
        --------
        >>> with store.transaction("resolve"):  # doctest: +SKIP
        ...     store.query("MATCH (p:Person) SET p.resolved_id = p.id", write=True)
        """
        yield self

    # -- primitives ---------------------------------------------------------------------
    @abstractmethod
    def _ensure_schema(self) -> None:
        """Create the declared tables/constraints if they do not exist."""

    @abstractmethod
    def _upsert_nodes(self, label: str, frame: pd.DataFrame) -> tuple[int, int]:
        """Write one label's consolidated node rows; return (created, updated).

        Rows already stored with all of their sources change nothing and count in neither.
        """

    @abstractmethod
    def _upsert_edges(
        self, rel_type: str, from_label: str, to_label: str, frame: pd.DataFrame
    ) -> tuple[int, int]:
        """Write one relationship frame (columns ``from``, ``to``, ``id``, ...); return (created, updated)."""

    @abstractmethod
    def _run(self, query: str, params: Mapping[str, Any] | None, *, write: bool) -> pd.DataFrame:
        """Run one query with parameters and return the result as a DataFrame."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection (only what this store opened)."""

    # -- public operations --------------------------------------------------------------
    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, batch: GraphBatch, *, progress: Progress | None = None) -> WriteSummary:
        """Write a batch idempotently: nodes first, then relationships.

        Raises
        ------
        SchemaError
            If the batch names a label, type or property the schema does not declare.
        ReadOnlyError
            If the store was opened read-only (whether or not the batch would change it).
        """
        if getattr(self, "read_only", False):
            raise ReadOnlyError(f"{self!r} was opened read-only; open it for writing to load")
        batch.validate(self.schema)
        batch = batch.consolidated()
        parts = len(batch.nodes) + len(batch.edges)
        with self.transaction("load", bulk=True), task("load: labels and ties", parts) as done:
            self._ensure_schema()
            summary = WriteSummary()
            for label, frame in batch.nodes.items():
                summary.add(label, *self._upsert_nodes(label, self._conform(frame, label)))
                done.advance()
                if progress:
                    progress(label, len(frame))
            for e in batch.edges:
                frame = self._conform(e.frame, e.type, edge=True)
                summary.add(e.type, *self._upsert_edges(e.type, e.from_label, e.to_label, frame))
                done.advance()
                if progress:
                    progress(e.type, len(frame))
        return summary

    def query(
        self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> pd.DataFrame:
        """Run a Cypher query with parameters; read-only unless ``write=True``.

        Raises
        ------
        ReadOnlyError
            Without ``write``, if the query holds anything but reading clauses
            (:func:`~netintel.store.readonly.check_read_only`); with it, on the embedded
            store, if it reaches files outside the import folder
            (:func:`~netintel.store.readonly.check_file_access`).
        StoreError
            If the engine rejects the query.
        """
        if not write:
            check_read_only(query)
        elif self.backend == "embedded":  # Neo4j confines files to its own import folder
            check_file_access(query)
        return self._run(query, params, write=write)

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (labels from the schema)."""
        self._ensure_schema()
        out: dict[str, int] = {}
        for label in self.schema.nodes:
            text = cypher.count_nodes(self.schema, label)
            out[label] = int(self._run(text, None, write=False).iloc[0, 0])
        for rel_type in self.schema.relationships:
            text = cypher.count_relationships(self.schema, rel_type)
            out[rel_type] = int(self._run(text, None, write=False).iloc[0, 0])
        return out

    # -- helpers ------------------------------------------------------------------------
    def _conform(self, frame: pd.DataFrame, name: str, *, edge: bool = False) -> pd.DataFrame:
        """Columns in schema order, missing properties filled with nulls.

        Empty text and lists with no elements are missing values too, in every store: a
        property is either absent or holds something (``neo4j-admin`` files cannot tell an
        empty list from a missing one, and the stores then agree with them).
        """
        declared = self.schema.relationships[name] if edge else self.schema.nodes[name]
        cols = (["from", "to"] if edge else []) + list(declared.properties)
        out = frame.reindex(columns=cols)
        out = out.astype(object).where(out.notna(), None)
        for prop, typ in declared.properties.items():
            if prop == declared.key:
                continue
            values = out[prop].to_numpy(dtype=object)
            if typ == "STRING[]":
                cleaned = [_items(v) for v in values]
            elif typ == "STRING":
                cleaned = [None if isinstance(v, str) and not v else v for v in values]
            else:
                continue
            out[prop] = pd.Series(cleaned, index=out.index, dtype=object)
        return out


def _items(value: object) -> object:
    """A list cell without missing or empty elements; None when nothing is left."""
    if value is None or isinstance(value, str):
        return value  # a lone value: GraphBatch.validate and the stores handle it
    items = list(value) if isinstance(value, tuple | np.ndarray) else value
    if not isinstance(items, list):
        return value
    if all(isinstance(v, str) and v for v in items):
        return items or None
    kept = [v for v in items if not (v is None or v == "" or (isinstance(v, float) and v != v))]
    return kept or None
