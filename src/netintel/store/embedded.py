"""The embedded store: LadybugDB in-process, on disk, no server.

Loads are bulk and idempotent. Each batch is split on its keys: rows whose key is new go in
with ``COPY Table FROM <DataFrame>`` (the fast path, hundreds of thousands of rows a second;
COPY must never see a key that exists), rows whose key exists are folded in with
``LOAD FROM <DataFrame> MERGE ... ON MATCH SET`` (sources unioned, seen interval widened,
missing properties filled). The DataFrames are passed by name to the engine, which reads them
in place: no value ever enters query text.

Read-only queries run on a second handle opened with ``read_only=True``, so the engine itself
refuses writes; the text check in :mod:`netintel.store.base` only makes the message clearer.

Examples
--------
>>> import tempfile, pandas as pd
>>> from netintel.batch import GraphBatch
>>> b = GraphBatch()
>>> b.add_nodes("Phone", pd.DataFrame({"id": ["+84912345678"], "sources": [["r1"]]}))
>>> with EmbeddedStore(tempfile.mkdtemp() + "/g.db") as store:
...     _ = store.write(b); _ = store.write(b)   # twice: nothing duplicated
...     store.counts()["Phone"]
1
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug
import pandas as pd

from netintel.errors import ReadOnlyError, StoreError
from netintel.schema import NodeType, RelType, Schema
from netintel.store import cypher, snapshot
from netintel.store.base import GraphStore

log = logging.getLogger(__name__)

_LIST_TYPES = {"STRING[]"}
_EMPTY_LIST = {"STRING[]": "CAST([] AS STRING[])"}


def render_ddl(schema: Schema) -> list[str]:
    """LadybugDB DDL for every declared label and relationship type.

    >>> from netintel.schema import load_schema
    >>> ddl = render_ddl(load_schema())
    >>> ddl[0][:60]
    'CREATE NODE TABLE IF NOT EXISTS Person(id STRING, name STRIN'
    >>> [s for s in ddl if " AT(" in s][0][:80]
    'CREATE REL TABLE IF NOT EXISTS AT(FROM Arrest TO Place, FROM Seizure TO Place, F'
    """
    out = []
    for node in schema.nodes.values():
        cols = ", ".join(f"{name} {typ}" for name, typ in node.properties.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY({node.key}))")
    for rel in schema.relationships.values():
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in rel.endpoints)
        cols = ", ".join(f"{name} {typ}" for name, typ in rel.properties.items())
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.type}({ends}, {cols})")
    return out


def _declared(schema: Schema, table: str) -> NodeType | RelType:
    """The declared node or relationship type named ``table`` (names reach text only so)."""
    if table in schema.nodes:
        return schema.nodes[table]
    return schema.relationship(table)


def copy_statement(schema: Schema, table: str, ends: tuple[str, str] | None = None) -> str:
    """``COPY Table FROM frame`` (with the endpoint labels for a relationship table).

    >>> from netintel.schema import load_schema
    >>> copy_statement(load_schema(), "AT", ("Seizure", "Place"))
    "COPY AT FROM frame (from='Seizure', to='Place')"
    """
    if ends:
        schema.check_endpoints(table, *ends)
        return f"COPY {table} FROM frame (from='{ends[0]}', to='{ends[1]}')"
    schema.node(table)
    return f"COPY {table} FROM frame"


def table_info_statement(schema: Schema, table: str) -> str:
    """The property names of an existing declared table."""
    _declared(schema, table)
    return f"CALL table_info('{table}') RETURN name"


def add_property_statement(schema: Schema, table: str, prop: str) -> str:
    """``ALTER TABLE`` adding a declared property that an older database lacks."""
    typ = _declared(schema, table).properties[prop]
    return f"ALTER TABLE {table} ADD {prop} {typ}"


def _fold_assignments(var: str, props: dict[str, str], key: str) -> tuple[str, str]:
    """``ON CREATE SET`` and ``ON MATCH SET`` lists folding column ``v_<prop>`` into ``var``."""
    create, match = [], []
    for name, typ in props.items():
        if name == key:
            continue
        # Explicit casts: a column that is all null reaches the engine typed as STRING.
        col, cur = f"CAST(v_{name} AS {typ})", f"{var}.{name}"
        create.append(f"{cur} = {col}")
        if typ in _LIST_TYPES:
            # Unioned, distinct and sorted; no elements is a missing property (as in Neo4j).
            empty = _EMPTY_LIST[typ]
            both = f"list_concat(coalesce({cur}, {empty}), coalesce({col}, {empty}))"
            match.append(
                f"{cur} = CASE WHEN size({both}) = 0 THEN CAST(NULL AS {typ}) "
                f"ELSE list_sort(list_distinct({both})) END"
            )
        else:
            match.append(f"{cur} = {cypher.fold_scalar(name, cur, col)}")
    return ", ".join(create), ", ".join(match)


def node_merge_statement(node: NodeType) -> str:
    """``LOAD FROM frame MERGE`` folding existing nodes of one label (names from the schema)."""
    create, match = _fold_assignments("n", node.properties, node.key)
    return (
        f"LOAD FROM frame MERGE (n:{node.label} {{{node.key}: v_{node.key}}}) "
        f"ON CREATE SET {create} ON MATCH SET {match}"
    )


def edge_merge_statement(rel: RelType, from_label: str, to_label: str) -> str:
    """``LOAD FROM frame ... MERGE`` folding existing relationships of one type."""
    create, match = _fold_assignments("r", rel.properties, rel.key)
    return (
        f"LOAD FROM frame MATCH (a:{from_label} {{id: v_from}}) MATCH (b:{to_label} {{id: v_to}}) "
        f"MERGE (a)-[r:{rel.type} {{{rel.key}: v_{rel.key}}}]->(b) "
        f"ON CREATE SET {create} ON MATCH SET {match}"
    )


class EmbeddedStore(GraphStore):
    """A LadybugDB database at ``path`` (created on first open for writing, owner-only).

    Every write happens in a write session (:meth:`transaction`) on a copy of the database
    that is published whole at its end (see :mod:`netintel.store.snapshot`): a reader, in
    this process or another, sees the last complete state, and a crash at any point leaves
    it. A write outside an explicit session is a session of its own.

    Parameters
    ----------
    path : str or Path
        The database file. Created if missing (unless ``read_only``).
    read_only : bool
        Open so that the engine refuses every write. While a writer holds the database,
        :attr:`notice` says so (and is logged as a warning): what is read is the last
        complete state.
    schema : Schema, optional
        Defaults to the shipped ``graph_schema/schema.yaml``.

    Examples
    --------
    >>> import tempfile
    >>> db = tempfile.mkdtemp() + "/case.db"
    >>> with EmbeddedStore(db) as store, store.transaction("ingest"):
    ...     _ = store.query("CREATE (:Phone {id: '+84900000001'})", write=True)
    ...     EmbeddedStore(db, read_only=True).counts()["Phone"]   # not published yet
    0
    >>> EmbeddedStore(db, read_only=True).counts()["Phone"]
    1
    """

    backend = "embedded"

    def __init__(
        self, path: str | Path, *, read_only: bool = False, schema: Schema | None = None
    ) -> None:
        super().__init__(schema)
        self.path = Path(path)
        self.read_only = read_only
        self.notice: str | None = None
        self._closed = False
        self._reader: ladybug.Connection | None = None
        self._reader_db: ladybug.Database | None = None
        self._recovered: Path | None = None  # a private copy a reader completed recovery on
        self._session_db: ladybug.Database | None = None
        self._session_conn: ladybug.Connection | None = None
        self._depth = 0
        self._schema_ready = False
        self._columns: dict[str, list[str]] = {}
        if read_only and not self.path.exists():
            info = snapshot.holder(self.path)
            if info:  # the first load of a new case is under way
                raise StoreError(
                    f"no netintel database at {self.path} yet: {snapshot.describe(info)}; "
                    "nothing is complete to show until it finishes"
                )
            raise StoreError(
                f"no netintel database at {self.path}; load records first (netintel ingest)"
            )
        if read_only:
            info = snapshot.holder(self.path)
            if info:
                self.notice = f"{snapshot.describe(info)}; showing the last complete state"
                log.warning("%s: %s", self.path, self.notice)
            self._read_connection()  # fail now, not at the first query
        elif not self.path.exists():
            snapshot.make_parent(self.path)
            with self.transaction("create"):
                pass

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"EmbeddedStore({str(self.path)!r}, {mode})"

    # -- write sessions -----------------------------------------------------------------
    @contextmanager
    def transaction(self, action: str = "write", *, bulk: bool = False) -> Iterator[EmbeddedStore]:
        """A write session: everything written inside is published at once, or not at all.

        Sessions nest (the outermost one publishes). Readers keep seeing the last published
        state until the end; an exception (or a crash) inside leaves it unchanged.

        Parameters
        ----------
        action : str
            What the session does ("ingest", "resolve", "review apply"): readers are told.
        bulk : bool
            Accepted for the :class:`GraphStore` contract; a session here is always whole.

        Raises
        ------
        ReadOnlyError
            If the store was opened read-only.
        StoreError
            If another process is writing to the database (the message names it).
        """
        if self.read_only:
            raise ReadOnlyError(f"the database at {self.path} was opened read-only")
        if self._closed:
            raise StoreError(f"the store at {self.path} is closed")
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        with snapshot.WriterLock(self.path, action):
            self._depth = 1
            try:
                try:
                    self._open_session()
                except OSError as e:  # no room for the copy, a folder that takes no file
                    raise StoreError(
                        f"cannot write to {self.path}: {e.strerror}: {e.filename}; "
                        "the database is unchanged"
                    ) from e
                yield self
                try:
                    self._close_session()
                    snapshot.publish(snapshot.writing_path(self.path), self.path)
                except (OSError, RuntimeError) as e:  # RuntimeError: the engine's checkpoint
                    reason = e.strerror if isinstance(e, OSError) else str(e)
                    raise StoreError(
                        f"cannot publish the {action} to {self.path}: {reason}; "
                        "the database is unchanged"
                    ) from e
            except BaseException:
                self._close_session(discard=True)
                raise
            finally:
                self._depth = 0
                self._schema_ready = False
                self._drop_reader()  # the next read opens the published file
            snapshot.remove_writing(self.path)

    def _open_session(self) -> None:
        removed = snapshot.remove_writing(self.path)
        if removed:
            log.warning("%s: removed the leftovers of an interrupted write: %s", self.path, removed)
        if snapshot.engine_side_files(self.path):
            _complete_recovery(self.path)
        target = snapshot.writing_path(self.path)
        snapshot.start_copy(self.path, target)
        try:
            self._session_db = ladybug.Database(str(target))
            self._session_conn = ladybug.Connection(self._session_db)
        except RuntimeError as e:
            raise StoreError(f"cannot open LadybugDB database at {self.path}: {e}") from e
        self._schema_ready = False
        self._ensure_schema()

    def _close_session(self, *, discard: bool = False) -> None:
        conn, db = self._session_conn, self._session_db
        self._session_conn = self._session_db = None
        try:
            if conn is not None and not discard:
                conn.execute("CHECKPOINT")
        finally:
            if conn is not None:
                conn.close()
            if db is not None:
                db.close()
            if discard:
                snapshot.remove_writing(self.path)

    # -- primitives ---------------------------------------------------------------------
    def _tables(self, conn: ladybug.Connection) -> dict[str, list[str]]:
        """Existing declared tables and their property names, in the table's column order."""
        declared = {*self.schema.nodes, *self.schema.relationships}
        names = self._execute("CALL show_tables() RETURN name", conn=conn).get_as_df()["name"]
        out = {}
        for name in names:
            if name in declared:  # only schema names ever reach query text
                info = self._execute(table_info_statement(self.schema, name), conn=conn)
                out[name] = list(info.get_as_df()["name"])
        return out

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        conn = self._session_conn or self._read_connection()
        existing = self._tables(conn)
        missing = [n for n in [*self.schema.nodes, *self.schema.relationships] if n not in existing]
        lacking = [
            (name, prop)
            for name, columns in existing.items()
            for prop in _declared(self.schema, name).properties
            if prop not in columns
        ]
        if self._session_conn is None:
            if self.read_only and missing:
                raise StoreError(
                    f"the database at {self.path} lacks {', '.join(missing)}; "
                    "it was not created by this netintel version, or nothing was loaded yet"
                )
            if not self.read_only and (missing or lacking):
                with self.transaction("schema upgrade"):  # creates them, published whole
                    pass
                return self._ensure_schema()
        else:
            for statement in render_ddl(self.schema):
                self._execute(statement)
            # Properties declared after a table was created are added in place.
            for name, prop in lacking:
                self._execute(add_property_statement(self.schema, name, prop))
        # COPY matches DataFrame columns by position: a property added later sits last.
        self._columns = self._tables(self._session_conn or conn)
        self._schema_ready = True

    def _upsert_nodes(self, label: str, frame: pd.DataFrame) -> tuple[int, int]:
        node = self.schema.node(label)
        found = self._execute(
            f"LOAD FROM frame MATCH (n:{label} {{{node.key}: k}}) "
            f"RETURN n.{node.key} AS k, n.sources AS s",
            frame=frame[[node.key]].rename(columns={node.key: "k"}),
        ).get_as_df()
        return self._split_and_write(frame, node.key, found, label, node_merge_statement(node))

    def _upsert_edges(
        self, rel_type: str, from_label: str, to_label: str, frame: pd.DataFrame
    ) -> tuple[int, int]:
        rel = self.schema.check_endpoints(rel_type, from_label, to_label)
        found = self._execute(
            f"MATCH (:{from_label})-[r:{rel_type}]->(:{to_label}) RETURN r.{rel.key} AS k, r.sources AS s"
        ).get_as_df()
        statement = edge_merge_statement(rel, from_label, to_label)
        return self._split_and_write(
            frame, rel.key, found, rel_type, statement, (from_label, to_label)
        )

    def _split_and_write(
        self,
        frame: pd.DataFrame,
        key: str,
        found: pd.DataFrame,
        table: str,
        merge_statement: str,
        ends: tuple[str, str] | None = None,
    ) -> tuple[int, int]:
        """COPY the new keys, MERGE the existing ones that bring records not applied yet.

        A row whose every source record is already among the stored row's sources carries
        nothing new (ids and properties derive from the records), so it is skipped: this is
        what makes re-loading the same files cheap as well as harmless.
        """
        known = dict(zip(found["k"], found["s"], strict=True))
        exists = frame[key].isin(known.keys())
        new, old = frame[~exists], frame[exists]
        fresh = [
            not set(src or ()).issubset(known[k] if known[k] is not None else ())
            for k, src in zip(old[key], old["sources"], strict=True)
        ]
        old = old[fresh]
        if len(new):
            self._copy(table, new, ends)
        if len(old):
            self._merge(merge_statement, old)
        return len(new), len(old)

    def _copy(self, table: str, frame: pd.DataFrame, ends: tuple[str, str] | None = None) -> None:
        ends_columns = ["from", "to"] if ends else []
        frame = frame.reindex(columns=ends_columns + self._columns[table]).reset_index(drop=True)
        started = time.perf_counter()
        self._execute(copy_statement(self.schema, table, ends), frame=frame)
        log.debug(
            "COPY %s%s: %d rows in %.2fs",
            table,
            ends or "",
            len(frame),
            time.perf_counter() - started,
        )

    def _merge(self, statement: str, frame: pd.DataFrame) -> None:
        frame = frame.reset_index(drop=True)
        frame.columns = [f"v_{c}" for c in frame.columns]
        self._execute(statement, frame=frame)

    def _run(self, query: str, params: Mapping[str, Any] | None, *, write: bool) -> pd.DataFrame:
        if write and self.read_only:
            raise ReadOnlyError(f"the database at {self.path} was opened read-only")
        if write and not self._depth:
            with self.transaction("write"):
                return self._run(query, params, write=True)
        self._ensure_schema()
        # Inside a session the session's own copy (its writes so far); else the published
        # file, through a handle the engine itself keeps read-only.
        conn = self._session_conn if self._depth else self._read_connection()
        return self._execute(query, dict(params or {}), conn=conn).get_as_df()

    def close(self) -> None:
        self._drop_reader()
        self._closed = True
        if self._recovered is not None:
            shutil.rmtree(self._recovered, ignore_errors=True)
            self._recovered = None

    # -- engine access ------------------------------------------------------------------
    def _read_connection(self) -> ladybug.Connection:
        """A connection to a read-only handle on the published database (refuses writes)."""
        if self._closed:
            raise StoreError(f"the store at {self.path} is closed")
        if self._reader is None:
            path = self._recovered / self.path.name if self._recovered else self.path
            try:
                self._reader_db = ladybug.Database(str(path), read_only=True)
            except RuntimeError as e:
                if self._recovered or not snapshot.engine_side_files(self.path):
                    raise StoreError(f"cannot open LadybugDB database at {self.path}: {e}") from e
                self._recover_privately()
                return self._read_connection()
            self._reader = ladybug.Connection(self._reader_db)
        return self._reader

    def _recover_privately(self) -> None:
        """Read a database an earlier netintel version left mid-checkpoint, without touching
        it: the engine completes its recovery on a private copy, which is then read."""
        folder = Path(tempfile.mkdtemp(prefix="netintel-recovered-"))
        for src in [self.path, *snapshot.engine_side_files(self.path)]:
            shutil.copyfile(src, folder / src.name)
            (folder / src.name).chmod(0o600)
        _complete_recovery(folder / self.path.name)
        self._recovered = folder
        self.notice = (
            "the database was left mid-write by an earlier netintel version; showing its last "
            "committed state (any write, e.g. `netintel resolve`, repairs the file itself)"
        )
        log.warning("%s: %s", self.path, self.notice)

    def _drop_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader_db.close()
            self._reader = self._reader_db = None

    def _execute(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        conn: ladybug.Connection | None = None,
        frame: pd.DataFrame | None = None,
    ) -> ladybug.QueryResult:
        """Run one statement (on the session's copy unless ``conn`` is given); ``frame`` is
        visible to the engine as the name ``frame``."""
        if self._closed:
            raise StoreError(f"the store at {self.path} is closed")
        conn = conn or self._session_conn
        if conn is None:
            raise StoreError(f"{self!r}: writes happen in a write session (store.transaction())")
        try:
            result = conn.execute(query, params or {})
        except RuntimeError as e:
            message = str(e)
            if "read-only" in message:
                raise ReadOnlyError(
                    f"the query tried to write, but the database is open read-only: {message}"
                ) from e
            raise StoreError(f"LadybugDB: {message}") from e
        if isinstance(result, list):  # several statements: the last result is the answer
            result = result[-1]
        return result


def _complete_recovery(path: Path) -> None:
    """Open ``path`` for writing and close it: the engine replays its WAL and completes an
    interrupted checkpoint (what a database written in place by an earlier version needs)."""
    try:
        db = ladybug.Database(str(path))
        db.close()
    except RuntimeError as e:
        raise StoreError(f"cannot recover the LadybugDB database at {path}: {e}") from e
