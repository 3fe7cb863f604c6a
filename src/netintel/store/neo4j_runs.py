"""Units of work on Neo4j: one server transaction, or an ingest run recorded by a marker.

:meth:`Neo4jStore.transaction <netintel.store.base.GraphStore.transaction>` comes from
:class:`Neo4jUnits`:

- a resolution, a review apply (small: thousands of rows) run in **one explicit server
  transaction**: every query and batch of the unit goes through it, readers see the old
  state until it commits, and an error or a crash rolls it back;
- an ingest (``bulk=True``) cannot be one transaction (the server holds a transaction's
  changes in memory, and a load of 100k records is millions of rows): its batches commit one
  by one, as before, and the run is recorded by a marker node, ``(:IngestRun {id, action,
  state, started, finished, pid, host})`` with ``state`` ``'running'``, then
  ``'complete'`` (or ``'failed'`` with the ``error``). The label is this module's constant,
  never one from data. A store opened while a run is unfinished says so in its
  :attr:`~netintel.store.base.GraphStore.notice` (logged as a warning): the ingest is
  running, or was interrupted, and re-running the same ingest completes it (loading is an
  idempotent MERGE). A run that completes closes the unfinished earlier runs of the same
  action (``state: 'superseded'``) and removes the earlier complete ones (the audit log
  keeps the history).

What a Neo4j reader can see during an ingest is documented in ``docs/neo4j.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from netintel.errors import ReadOnlyError

log = logging.getLogger(__name__)

#: The label of ingest-run markers (a module constant: never a label from data).
RUN_LABEL = "IngestRun"

START_RUN = (
    f"CREATE (r:{RUN_LABEL} {{id: $id, action: $action, state: 'running', started: $started, "
    "pid: $pid, host: $host})"
)
FINISH_RUN = (
    f"MATCH (r:{RUN_LABEL} {{id: $id}}) "
    "SET r.state = $state, r.finished = $finished, r.error = $error"
)
SUPERSEDE_RUNS = (
    f"MATCH (r:{RUN_LABEL}) WHERE r.state IN ['running', 'failed'] AND r.action = $action "
    "AND r.started <= $started AND r.id <> $id "
    "SET r.state = 'superseded', r.superseded_by = $id, r.finished = $finished"
)
#: Earlier completed runs of the action: only the newest is kept (the audit log keeps them all).
PRUNE_RUNS = (
    f"MATCH (r:{RUN_LABEL}) WHERE r.state = 'complete' AND r.action = $action "
    "AND r.started <= $started AND r.id <> $id DELETE r"
)
UNFINISHED_RUNS = (
    f"MATCH (r:{RUN_LABEL}) WHERE r.state IN ['running', 'failed'] "
    "RETURN r.id AS id, r.action AS action, r.state AS state, r.started AS started, "
    "r.pid AS pid, r.host AS host, r.error AS error ORDER BY r.started DESC"
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _alive(pid: object, host: object) -> bool | None:
    """Whether process ``pid`` on ``host`` lives (None: another host, cannot tell)."""
    if host != socket.gethostname() or not isinstance(pid, int):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe_run(run: dict[str, Any]) -> str:
    """What a reader is told about an unfinished run.

    >>> describe_run({"action": "ingest", "state": "failed", "started": "2026-01-05T10:00:00",
    ...               "pid": 7, "host": "h", "error": "disk full"})  # doctest: +ELLIPSIS
    'an ingest started 2026-01-05T10:00:00 by pid 7 on h failed (disk full); what is read ...'
    """
    action = run.get("action") or "ingest"
    article = "an" if action[:1].lower() in "aeiou" else "a"
    who = f"{article} {action} started {run.get('started')} by pid {run.get('pid')}"
    who += f" on {run.get('host')}"
    if run.get("state") == "failed":
        status = f" failed ({run.get('error')})"
    else:
        status = {
            True: " is running",
            False: " was interrupted",
            None: " is running or was interrupted",
        }[_alive(run.get("pid"), run.get("host"))]
    return (
        f"{who}{status}; what is read may lack part of it (nodes without their ties, ties "
        f"without a resolution); re-running the same {action} completes it"
    )


class Neo4jUnits:
    """Mixin of :class:`~netintel.store.neo4j.Neo4jStore`: its units of work."""

    _tx: Any = None
    _run_id: str | None = None

    def unfinished_runs(self) -> list[dict[str, Any]]:
        """The ingest runs that are running or were interrupted, newest first."""
        frame = self._run(UNFINISHED_RUNS, None, write=False)  # type: ignore[attr-defined]
        return frame.to_dict("records")

    def _check_runs(self) -> None:
        """Set :attr:`notice` (and warn) when an ingest run is unfinished."""
        runs = self.unfinished_runs()
        if runs:
            self.notice = describe_run(runs[0])
            log.warning("%s: %s", self.settings.uri, self.notice)  # type: ignore[attr-defined]

    @contextmanager
    def transaction(self, action: str = "write", *, bulk: bool = False) -> Iterator[Any]:
        """One server transaction, or (``bulk``) an ingest run recorded by a marker node
        (see :mod:`netintel.store.neo4j_runs`). Units nest: the outermost decides."""
        if self.read_only:  # type: ignore[attr-defined]
            raise ReadOnlyError(f"{self!r} was opened read-only")
        if self._tx is not None or (bulk and self._run_id is not None):
            yield self
            return
        self._ensure_schema()  # type: ignore[attr-defined]  # schema commands: not in a unit
        if bulk:
            yield from self._ingest_run(action)
        else:
            yield from self._one_transaction(action)

    def _marker(self, text: str, params: dict[str, Any]) -> None:
        self._transaction(  # type: ignore[attr-defined]
            lambda tx: tx.run(text, params).consume(), write=True, context=f"{RUN_LABEL} marker"
        )

    def _ingest_run(self, action: str) -> Iterator[Any]:
        run_id, started = uuid.uuid4().hex, _now()
        base = {"id": run_id, "action": action, "started": started}
        self._marker(START_RUN, {**base, "pid": os.getpid(), "host": socket.gethostname()})
        self._run_id = run_id
        try:
            yield self
        except BaseException as e:
            self._run_id = None
            error = f"{type(e).__name__}: {e}"[:500]
            self._marker(
                FINISH_RUN, {"id": run_id, "state": "failed", "finished": _now(), "error": error}
            )
            raise
        self._run_id = None
        finished = _now()
        self._marker(
            FINISH_RUN, {"id": run_id, "state": "complete", "finished": finished, "error": None}
        )
        self._marker(SUPERSEDE_RUNS, {**base, "finished": finished})
        self._marker(PRUNE_RUNS, base)

    def _one_transaction(self, action: str) -> Iterator[Any]:
        from neo4j.exceptions import DriverError, Neo4jError

        translate = self._translate  # type: ignore[attr-defined]  # store.neo4j.translate
        uri = self.settings.uri  # type: ignore[attr-defined]
        try:
            session = self._session(True)  # type: ignore[attr-defined]
            tx = session.begin_transaction()
        except (Neo4jError, DriverError) as e:
            raise translate(e, uri, f"starting the {action} transaction") from e
        self._tx = tx
        try:
            yield self
            try:
                tx.commit()
            except (Neo4jError, DriverError) as e:
                raise translate(e, uri, f"committing the {action} transaction") from e
        except BaseException:
            if tx.closed() is False:
                try:
                    tx.rollback()
                except (Neo4jError, DriverError) as e:  # the server rolls back on its own
                    log.debug("rollback of %s failed: %s", action, e)
            raise
        finally:
            self._tx = None
            session.close()
