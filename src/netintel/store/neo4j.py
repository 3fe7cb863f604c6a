"""The Neo4j store: the same :class:`~netintel.store.base.GraphStore` on a Neo4j 5 server.

Configuration comes from the environment (or a URI and a ready driver), never from code:

==============================  ===============================================================
``NETINTEL_NEO4J_URI``          ``bolt://host:7687``, ``neo4j://host:7687`` (routing), or the
                                encrypted ``bolt+s://`` / ``neo4j+s://`` (system CAs) and
                                ``+ssc`` (self-signed: encrypted, certificate not checked)
``NETINTEL_NEO4J_USER``         user name (default ``neo4j``)
``NETINTEL_NEO4J_PASSWORD``     password; with none set, no authentication is sent
``NETINTEL_NEO4J_DATABASE``     database name (default: the server's default database)
``NETINTEL_NEO4J_TRUSTED_CA``   a PEM file of the CA that signed the server's certificate:
                                encrypts a ``bolt://`` / ``neo4j://`` connection and trusts
                                only that CA (the ``+s`` schemes cannot take one)
``NETINTEL_NEO4J_BATCH_SIZE``   rows per write transaction (default 10,000)
``NETINTEL_NEO4J_ALLOW_PLAINTEXT``  ``1``: allow an unencrypted ``bolt://`` / ``neo4j://``
                                connection to a host other than this machine (with a warning)
==============================  ===============================================================

Credentials never travel in clear by accident: a plain ``bolt://`` or ``neo4j://`` URI
(neither ``+s``/``+ssc`` nor a trusted CA) is refused for any host but the loopback
(``localhost``, ``127.0.0.1``, ``::1``) unless ``NETINTEL_NEO4J_ALLOW_PLAINTEXT=1``, which
warns. User and password written into the URI (``bolt://user:secret@host``) are taken out of
it: the settings keep the URI without them, so no message, log line or audit entry can show
the password; :func:`redact_uri` does the same for any text.

Writes are ``UNWIND $rows AS row MERGE ...`` statements, one per label or relationship type and
endpoint pair, run in batches, each batch in one managed transaction
(``session.execute_write``). A batch folds existing keys with the rule of
:func:`netintel.batch.consolidate` (sources unioned and sorted, seen interval widened, missing
properties filled, existing values kept), so running it twice changes nothing: the driver's own
retries of transient failures are safe, and netintel adds no retries of its own. Rows whose
records are all stored already are skipped, as in the embedded store.

Reads run in managed read transactions (``execute_read``) in sessions opened with the
read access mode, so the server refuses a write (``Neo.ClientError.Statement.AccessMode``),
whatever the text check let through; and should a server accept one anyway, the result's
update counters show it and the transaction is rolled back with a :class:`ReadOnlyError`.

Labels, relationship types and property names in every statement come from the schema; every
value is a ``$parameter``. The statements are built by the functions below, which the tests
render for every declared label and type, and a live server explains (``EXPLAIN``) each of
them without a warning. Since they name every declared property, also those no node holds
yet, the driver this store opens asks the server for no notifications of the
``UNRECOGNIZED`` classification ("the property ... does not exist"): on a fresh database
they would fill the user's terminal with the driver's log lines, one per unused property.

Examples
--------
>>> from netintel.schema import load_schema
>>> schema = load_schema()
>>> render_schema(schema)[0]
'CREATE CONSTRAINT netintel_Person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE'
>>> print(node_merge_statement(schema.node("Phone")).splitlines()[0])
UNWIND $rows AS row
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import ReadOnlyError, StoreError
from netintel.schema import NodeType, RelType, Schema
from netintel.store import cypher
from netintel.store.base import GraphStore
from netintel.store.neo4j_runs import Neo4jUnits
from netintel.store.neo4j_settings import (  # noqa: F401 (their home for callers)
    ALLOW_PLAINTEXT_ENV,
    DEFAULT_BATCH_SIZE,
    SCHEMES,
    Neo4jSettings,
    is_neo4j_uri,
    redact_uri,
)

log = logging.getLogger(__name__)

#: Relationship types whose ``first_seen`` gets a range index (time-window queries).
DATED_RELATIONSHIPS = ("CALLED", "LINKED", "ARRESTED_IN")
_LIST = "STRING[]"
_READ_ONLY_CODES = (
    "Neo.ClientError.Statement.AccessMode",
    "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
    "Neo.TransientError.General.ForbiddenOnReadOnlyDatabase",
)


# -- statements -------------------------------------------------------------------------------
def _lookup_properties(node: NodeType) -> list[str]:
    """Node properties that analysts look people and things up by (``*_key``, ``*_id``)."""
    return [
        p
        for p, typ in node.properties.items()
        if p != node.key and typ == "STRING" and (p.endswith("_key") or p.endswith("_id"))
    ]


def render_schema(schema: Schema) -> list[str]:
    """Constraints and indexes for every declared label and relationship type.

    A uniqueness constraint on each label's key (which also indexes it), a uniqueness
    constraint on each relationship type's key (Neo4j 5.7 or later), and range indexes on
    lookup properties and on ``first_seen`` of :data:`DATED_RELATIONSHIPS`. All are
    ``IF NOT EXISTS``: running them again changes nothing.
    """
    out = []
    for node in schema.nodes.values():
        out.append(
            f"CREATE CONSTRAINT netintel_{node.label}_{node.key} IF NOT EXISTS "
            f"FOR (n:{node.label}) REQUIRE n.{node.key} IS UNIQUE"
        )
    for rel in schema.relationships.values():
        out.append(
            f"CREATE CONSTRAINT netintel_{rel.type}_{rel.key} IF NOT EXISTS "
            f"FOR ()-[r:{rel.type}]-() REQUIRE r.{rel.key} IS UNIQUE"
        )
    for node in schema.nodes.values():
        for prop in _lookup_properties(node):
            out.append(
                f"CREATE INDEX netintel_{node.label}_{prop} IF NOT EXISTS "
                f"FOR (n:{node.label}) ON (n.{prop})"
            )
    for name in DATED_RELATIONSHIPS:
        rel = schema.relationships.get(name)
        if rel is not None and "first_seen" in rel.properties:
            out.append(
                f"CREATE INDEX netintel_{rel.type}_first_seen IF NOT EXISTS "
                f"FOR ()-[r:{rel.type}]-() ON (r.first_seen)"
            )
    return out


def _fold(var: str, props: Mapping[str, str], key: str) -> tuple[str, str, str]:
    """``ON CREATE SET``, ``ON MATCH SET`` and plain ``SET`` lists folding ``row.<prop>`` into
    ``var``.

    The same rule as the embedded store: lists unioned, distinct and sorted; scalars by
    :func:`netintel.store.cypher.fold_scalar` (``first_seen`` the earlier and ``last_seen``
    the later date; other properties keep a stored value and fill a missing one). Lists are
    folded in a plain ``SET`` after the ``MERGE``: Neo4j allows no subquery expression (the
    sorting ``COLLECT { ... }``) inside ``MERGE ... ON MATCH SET``. The subquery sorts first
    and then keeps distinct values (Neo4j's DISTINCT keeps the order it is given; the store
    contract suite checks the result is sorted): with the DISTINCT before the ORDER BY
    (``RETURN DISTINCT v ORDER BY v`` or ``WITH DISTINCT v RETURN v ORDER BY v``), Neo4j 5.26
    accounts the transaction's memory as growing with the square of the list, and a Place
    named by 6,000 records exceeded a 4 GB server's transaction limit.
    A list with no elements is a missing property, as in the embedded store and in
    ``neo4j-admin`` files (which cannot hold an empty list).
    """
    create, match, always = [], [], []
    for name, typ in props.items():
        if name == key:
            continue
        cur, new = f"{var}.{name}", f"row.{name}"
        if typ == _LIST:
            both = f"coalesce({cur}, []) + coalesce({new}, [])"
            always.append(
                f"{cur} = CASE WHEN size({both}) = 0 THEN null ELSE "
                f"COLLECT {{ UNWIND {both} AS v WITH v ORDER BY v RETURN DISTINCT v }} END"
            )
            continue
        create.append(f"{cur} = {new}")
        match.append(f"{cur} = {cypher.fold_scalar(name, cur, new)}")
    return tuple(",\n    ".join(part) for part in (create, match, always))  # type: ignore[return-value]


def _set_clauses(create: str, match: str, always: str) -> str:
    """The ``ON CREATE SET`` / ``ON MATCH SET`` / ``SET`` lines after a ``MERGE``."""
    out = ""
    if create:
        out += f"ON CREATE SET\n    {create}\n"
    if match:
        out += f"ON MATCH SET\n    {match}\n"
    if always:
        out += f"SET\n    {always}\n"
    return out


_NEW_RECORDS = "old IS NULL OR any(s IN row.sources WHERE NOT s IN coalesce(old.sources, []))"
_COUNTS = "RETURN count(*) - count(old) AS created, count(old) AS updated"


def node_merge_statement(node: NodeType) -> str:
    """``UNWIND $rows AS row MERGE (n:Label {key: row.key}) ...`` for one declared label.

    Returns one row: ``created`` (new keys) and ``updated`` (existing keys that gained records).
    """
    return (
        "UNWIND $rows AS row\n"
        f"OPTIONAL MATCH (old:{node.label} {{{node.key}: row.{node.key}}})\n"
        f"WITH row, old WHERE {_NEW_RECORDS}\n"
        f"MERGE (n:{node.label} {{{node.key}: row.{node.key}}})\n"
        f"{_set_clauses(*_fold('n', node.properties, node.key))}"
        f"{_COUNTS}"
    )


def edge_merge_statement(schema: Schema, rel: RelType, from_label: str, to_label: str) -> str:
    """``UNWIND $rows AS row MATCH ... MERGE (a)-[r:TYPE {key: row.key}]->(b) ...``.

    Row keys ``src`` and ``dst`` are the endpoint keys. Endpoints are matched in two MATCH
    clauses (each an index seek on the key constraint); a row whose endpoint is missing
    writes nothing.
    """
    schema.check_endpoints(rel.type, from_label, to_label)
    key = schema.key
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{from_label} {{{key}: row.src}})\n"
        f"MATCH (b:{to_label} {{{key}: row.dst}})\n"
        f"OPTIONAL MATCH (a)-[old:{rel.type} {{{rel.key}: row.{rel.key}}}]->(b)\n"
        f"WITH a, b, row, old WHERE {_NEW_RECORDS}\n"
        f"MERGE (a)-[r:{rel.type} {{{rel.key}: row.{rel.key}}}]->(b)\n"
        f"{_set_clauses(*_fold('r', rel.properties, rel.key))}"
        f"{_COUNTS}"
    )


# -- values in --------------------------------------------------------------------------------
def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def plain_value(value: object, typ: str) -> Any:
    """A DataFrame cell as the plain Python value the driver sends for a schema type.

    >>> plain_value(np.int64(3), "INT64"), plain_value(float("nan"), "DOUBLE")
    (3, None)
    >>> plain_value(pd.Timestamp("2024-03-01"), "DATE")
    datetime.date(2024, 3, 1)
    >>> plain_value(np.array(["b", "a"]), "STRING[]")
    ['b', 'a']
    """
    if typ == _LIST:
        if value is None or (not isinstance(value, list | tuple | np.ndarray) and _missing(value)):
            return None
        items = value if isinstance(value, list | tuple | np.ndarray) else [value]
        return [str(v) for v in items if not _missing(v)]
    if _missing(value):
        return None
    if typ == "DATE":
        if isinstance(value, pd.Timestamp | dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])
    if typ == "INT64":
        return int(value)
    if typ == "DOUBLE":
        return float(value)
    if typ == "BOOL":
        return bool(value)
    return str(value)


def frame_rows(
    frame: pd.DataFrame, props: Mapping[str, str], *, ends: bool = False
) -> list[dict[str, Any]]:
    """Rows of a conformed frame as parameter maps (``from``/``to`` become ``src``/``dst``)."""
    cols = {name: frame[name].to_numpy(dtype=object) for name in props if name in frame}
    out = []
    for i in range(len(frame)):
        row = {name: plain_value(values[i], props[name]) for name, values in cols.items()}
        if ends:
            row["src"] = str(frame["from"].iat[i])
            row["dst"] = str(frame["to"].iat[i])
        out.append(row)
    return out


# -- values out -------------------------------------------------------------------------------
def _native(value: Any) -> Any:
    """Driver values as the Python/pandas values the embedded store returns."""
    import neo4j.graph
    import neo4j.time

    if isinstance(value, neo4j.time.DateTime):
        return pd.Timestamp(value.to_native())
    if isinstance(value, neo4j.time.Date):
        return pd.Timestamp(value.year, value.month, value.day)
    if isinstance(value, neo4j.time.Duration | neo4j.time.Time):
        return value.to_native() if hasattr(value, "to_native") else str(value)
    if isinstance(value, neo4j.graph.Node):
        label = sorted(value.labels)[0] if value.labels else None
        return {"_ID": value.element_id, "_LABEL": label, **_native(dict(value))}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_ID": value.element_id, "_LABEL": value.type, **_native(dict(value))}
    if isinstance(value, neo4j.graph.Path):
        return {
            "_NODES": [_native(n) for n in value.nodes],
            "_RELS": [_native(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    return value


def records_frame(keys: list[str], rows: list[list[Any]]) -> pd.DataFrame:
    """A result as a DataFrame shaped like the embedded store's: dates as ``datetime64``
    columns, lists as Python lists, nodes as property dicts with ``_LABEL``.

    >>> import neo4j.time
    >>> df = records_frame(["d", "s"], [[neo4j.time.Date(2024, 1, 2), ["r1"]], [None, []]])
    >>> str(df["d"].dtype), df["s"].tolist()
    ('datetime64[us]', [['r1'], []])
    """
    columns: dict[str, list[Any]] = {k: [] for k in keys}
    for row in rows:
        for k, v in zip(keys, row, strict=True):
            columns[k].append(_native(v))
    frame = {}
    for k, values in columns.items():
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, pd.Timestamp) for v in present):
            frame[k] = pd.Series(pd.to_datetime(values), dtype="datetime64[us]")
        elif present and all(isinstance(v, list | dict) for v in present):
            frame[k] = pd.Series(values, dtype=object)
        else:
            frame[k] = pd.Series(values) if values else pd.Series([], dtype=object)
    return pd.DataFrame(frame, columns=keys)


# -- configuration ----------------------------------------------------------------------------
def translate(error: Exception, uri: str, context: str = "") -> StoreError:
    """A driver error as a netintel :class:`StoreError` (or :class:`ReadOnlyError`)."""
    from neo4j import exceptions as ex

    where = f" ({context})" if context else ""
    if isinstance(error, ex.AuthError):
        return StoreError(
            f"Neo4j at {redact_uri(uri)} refused the credentials{where}: check NETINTEL_NEO4J_USER and "
            f"NETINTEL_NEO4J_PASSWORD ({redact_uri(error.message)})"
        )
    if isinstance(error, ex.Neo4jError):
        code = error.code or ""
        if code in _READ_ONLY_CODES or isinstance(error, ex.ForbiddenOnReadOnlyDatabase):
            return ReadOnlyError(
                f"Neo4j refused a write in a read-only transaction{where}: {error.message}; "
                "pass --write (CLI) or write=True (Python) to change the graph"
            )
        return StoreError(f"Neo4j{where}: {code}: {redact_uri(error.message)}")
    if isinstance(error, ex.ServiceUnavailable | ex.SessionExpired):
        return StoreError(f"cannot reach Neo4j at {redact_uri(uri)}{where}: {redact_uri(error)}")
    return StoreError(f"Neo4j driver{where}: {type(error).__name__}: {redact_uri(error)}")


# -- the store --------------------------------------------------------------------------------
class Neo4jStore(Neo4jUnits, GraphStore):
    """A Neo4j 5 database holding the netintel schema.

    Parameters
    ----------
    uri : str, optional
        ``bolt://``, ``neo4j://`` or their ``+s``/``+ssc`` forms; default
        ``$NETINTEL_NEO4J_URI``. Credentials, database and TLS come from the environment
        (see the module notes).
    read_only : bool
        Refuse every write: writes raise :class:`ReadOnlyError` before reaching the server,
        and queries run in read transactions the server will not let write.
    driver : neo4j.Driver, optional
        A ready driver; the store then does not close it.
    settings : Neo4jSettings, optional
        Instead of reading the environment.
    schema : Schema, optional
        Defaults to the shipped ``graph_schema/schema.yaml``.

    Raises
    ------
    StoreError
        If the server cannot be reached or refuses the credentials.
    """

    backend = "neo4j"
    _translate = staticmethod(translate)  # for the units of work (store.neo4j_runs)

    def __init__(
        self,
        uri: str | None = None,
        *,
        read_only: bool = False,
        driver: Any = None,
        settings: Neo4jSettings | None = None,
        schema: Schema | None = None,
    ) -> None:
        super().__init__(schema)
        self.settings = settings or Neo4jSettings.from_env(uri)
        self.read_only = read_only
        self.batch_size = self.settings.batch_size
        self._owns_driver = driver is None
        self._schema_ready = False
        if driver is None:
            import neo4j

            self.settings.check_transport()
            auth = (self.settings.user, self.settings.password) if self.settings.password else None
            quiet = [neo4j.NotificationDisabledClassification.UNRECOGNIZED]
            try:
                driver = neo4j.GraphDatabase.driver(
                    self.settings.uri,
                    auth=auth,
                    notifications_disabled_classifications=quiet,
                    **self.settings.driver_config(),
                )
                driver.verify_connectivity()
            except StoreError:
                raise
            except Exception as e:
                if driver is not None:
                    driver.close()
                context = f"connecting as {self.settings.user!r}" if auth else "connecting"
                raise translate(e, self.settings.uri, context) from e
        self._driver = driver
        self._check_runs()  # an ingest running or interrupted: said in self.notice

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        db = f", database={self.settings.database!r}" if self.settings.database else ""
        return f"Neo4jStore({self.settings.uri!r}{db}, {mode})"

    @property
    def driver(self) -> Any:
        """The :class:`neo4j.Driver` (for the GDS client)."""
        return self._driver

    # -- primitives ---------------------------------------------------------------------
    def _session(self, write: bool) -> Any:
        import neo4j

        if self._driver is None:
            raise StoreError(f"the store at {self.settings.uri} is closed")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._driver.session(database=self.settings.database, default_access_mode=mode)

    def _transaction(self, work: Callable[[Any], Any], *, write: bool, context: str = "") -> Any:
        """Run ``work(tx)`` in one managed transaction (or in the unit of work open, see
        :meth:`transaction`); driver errors become StoreError."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            if self._tx is not None:
                return work(self._tx)
            with self._session(write) as session:
                run = session.execute_write if write else session.execute_read
                return run(work)
        except (Neo4jError, DriverError) as e:
            raise translate(e, self.settings.uri, context) from e

    def _ensure_schema(self) -> None:
        if self._schema_ready or self.read_only:
            return
        for statement in render_schema(self.schema):
            # One schema command per transaction: Neo4j does not mix them with data writes.
            self._transaction(
                lambda tx, s=statement: tx.run(s).consume(), write=True, context=statement
            )
        self._schema_ready = True

    def _write_batches(
        self, name: str, statement: str, rows: list[dict[str, Any]]
    ) -> tuple[int, int]:
        if self.read_only:
            raise ReadOnlyError(f"the Neo4j store at {self.settings.uri} was opened read-only")
        created = updated = 0
        size = self.batch_size
        batches = max(1, math.ceil(len(rows) / size))
        for i, start in enumerate(range(0, len(rows), size)):
            chunk = rows[start : start + size]

            def work(tx: Any, chunk: list[dict[str, Any]] = chunk) -> tuple[int, int]:
                record = tx.run(statement, {"rows": chunk}).single(strict=True)
                return int(record["created"]), int(record["updated"])

            context = (
                f"writing {name}, batch {i + 1} of {batches}, rows {start}-{start + len(chunk) - 1}"
            )
            c, u = self._transaction(work, write=True, context=context)
            created, updated = created + c, updated + u
        return created, updated

    def _upsert_nodes(self, label: str, frame: pd.DataFrame) -> tuple[int, int]:
        node = self.schema.node(label)
        rows = frame_rows(frame, node.properties)
        return self._write_batches(label, node_merge_statement(node), rows)

    def _upsert_edges(
        self, rel_type: str, from_label: str, to_label: str, frame: pd.DataFrame
    ) -> tuple[int, int]:
        rel = self.schema.check_endpoints(rel_type, from_label, to_label)
        rows = frame_rows(frame, rel.properties, ends=True)
        statement = edge_merge_statement(self.schema, rel, from_label, to_label)
        return self._write_batches(f"{rel_type} ({from_label})->({to_label})", statement, rows)

    def _run(self, query: str, params: Mapping[str, Any] | None, *, write: bool) -> pd.DataFrame:
        if write and self.read_only:
            raise ReadOnlyError(f"the Neo4j store at {self.settings.uri} was opened read-only")
        parameters = dict(params or {})

        def work(tx: Any) -> tuple[list[str], list[list[Any]]]:
            result = tx.run(query, parameters)
            keys = list(result.keys())
            rows = [record.values() for record in result]
            counters = result.consume().counters
            if not write and (counters.contains_updates or counters.contains_system_updates):
                # Raising inside the managed transaction rolls it back: whatever the server's
                # read access mode allowed, a read never commits a change.
                raise ReadOnlyError(
                    "the query changed the graph in a read-only transaction (rolled back); "
                    "pass --write (CLI) or write=True (Python) to change the graph"
                )
            return keys, rows

        keys, rows = self._transaction(work, write=write)
        return records_frame(keys, rows)

    def close(self) -> None:
        if self._driver is not None and self._owns_driver:
            self._driver.close()
        self._driver = None
