"""The audit log of a Neo4j store: ``:AuditEntry`` nodes and one ``:AuditHead`` in the database.

Each entry is a node of the module-constant label :data:`ENTRY` holding the entry's canonical
text (``entry``) and, for queries, its ``seq``, ``time``, ``user``, ``action`` and ``hash``;
a uniqueness constraint on ``seq`` keeps one entry per position. The one :data:`HEAD` node
holds the last ``seq`` and ``hash``. An append is one write transaction: it locks the head
(``SET``), seals the next entry on the head's hash, creates it and moves the head, so
concurrent commands take turns and the chain stays one line. Labels are constants; every value
is a parameter.

An audit entry is written even when the store was opened read-only: a consultation does not
change the graph, but it is on the record. The Neo4j user therefore needs write access to
these two labels; a user who has none gets an :class:`AuditError` and no result, since no
access goes unrecorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from netintel.audit.entry import (
    GENESIS,
    AuditError,
    ChainBreak,
    check_chain,
    check_head,
    make_entry,
)

if TYPE_CHECKING:
    from netintel.store.neo4j import Neo4jStore

ENTRY = "AuditEntry"
HEAD = "AuditHead"
HEAD_ID = "head"
#: Properties copied out of the entry text onto the node, for queries (verify compares them).
INDEXED = ("seq", "time", "user", "action", "hash")

_CONSTRAINTS = (
    f"CREATE CONSTRAINT netintel_audit_seq IF NOT EXISTS FOR (e:{ENTRY}) REQUIRE e.seq IS UNIQUE",
    f"CREATE CONSTRAINT netintel_audit_head IF NOT EXISTS FOR (h:{HEAD}) REQUIRE h.id IS UNIQUE",
)
_LOCK_HEAD = (
    f"MERGE (h:{HEAD} {{id: $id}}) ON CREATE SET h.seq = 0, h.hash = $genesis "
    "SET h.locked = datetime() RETURN h.seq AS seq, h.hash AS hash"
)
_LAST = f"MATCH (e:{ENTRY}) RETURN e.seq AS seq, e.hash AS hash ORDER BY e.seq DESC LIMIT 1"
_CREATE = (
    f"MATCH (h:{HEAD} {{id: $id}}) CREATE (e:{ENTRY}) SET e = $props "
    "SET h.seq = $props.seq, h.hash = $props.hash REMOVE h.locked"
)
_ENTRIES = f"MATCH (e:{ENTRY}) RETURN e{{.*}} AS e ORDER BY e.seq"
_HEAD = f"MATCH (h:{HEAD} {{id: $id}}) RETURN h.seq AS seq, h.hash AS hash"


class GraphLog:
    """The audit log inside a Neo4j database (see the module notes).

    Parameters
    ----------
    store : Neo4jStore
        The store whose driver and database the log uses (it is not closed by the log).
    """

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        self._ready = False

    def __repr__(self) -> str:
        return f"GraphLog({self.location!r})"

    @property
    def location(self) -> str:
        db = self.store.settings.database
        return f"{self.store.settings.uri} ({ENTRY} nodes{f' in {db}' if db else ''})"

    def check(self) -> None:
        """Create the constraints if needed: this also proves the user may write the log.

        Raises
        ------
        AuditError
            If the server refuses.
        """
        if self._ready:
            return
        for statement in _CONSTRAINTS:
            self._transaction(lambda tx, s=statement: tx.run(s).consume(), write=True)
        self._ready = True

    def append(self, action: str, **fields: Any) -> dict[str, Any]:
        """Seal and append one entry in one transaction (see the module notes); return it.

        Raises
        ------
        AuditError
            If the server refuses, or the entries end where the head does not say.
        """
        self.check()

        def work(tx: Any) -> dict[str, Any]:
            head = tx.run(_LOCK_HEAD, {"id": HEAD_ID, "genesis": GENESIS}).single(strict=True)
            last = tx.run(_LAST).single()
            seq, prev = int(head["seq"]), str(head["hash"])
            if last is not None and (int(last["seq"]), last["hash"]) != (seq, prev):
                raise AuditError(
                    f"the audit log in {self.store.settings.uri} does not end where its head "
                    f"says (seq {seq}): entries were removed or edited; nothing more is "
                    "recorded until it is restored (netintel audit verify)"
                )
            if last is None and seq > 0:
                raise AuditError(
                    f"the audit log in {self.store.settings.uri} is empty but its head says "
                    f"seq {seq}: entries were removed"
                )
            entry = make_entry(seq + 1, prev, action, **fields)
            props = {k: entry[k] for k in INDEXED}
            props["entry"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            tx.run(_CREATE, {"id": HEAD_ID, "props": props}).consume()
            return entry

        return self._transaction(work, write=True)

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, by ``seq``. An entry whose node properties disagree with its text
        comes back with the node's values (so :func:`check_chain` sees the edit)."""
        rows = self._transaction(lambda tx: [r["e"] for r in tx.run(_ENTRIES)], write=False)
        out = []
        for node in rows:
            try:
                entry = json.loads(node.get("entry") or "")
            except ValueError:
                entry = {}
            if not isinstance(entry, dict):
                entry = {}
            for key in INDEXED:
                if node.get(key) != entry.get(key):
                    entry[key] = node.get(key)
            out.append(entry)
        return out

    def head(self) -> tuple[int, str] | None:
        record = self._transaction(lambda tx: tx.run(_HEAD, {"id": HEAD_ID}).single(), write=False)
        return None if record is None else (int(record["seq"]), str(record["hash"]))

    def verify(self) -> tuple[ChainBreak | None, int, str]:
        """(the first break or None, last seq, last hash) of the entries and the head."""
        found, seq, digest = check_chain(self.entries())
        return found or check_head(self.head(), seq, digest), seq, digest

    def _transaction(self, work: Callable[[Any], Any], *, write: bool) -> Any:
        import neo4j
        from neo4j.exceptions import DriverError, Neo4jError

        driver = self.store.driver
        if driver is None:
            raise AuditError(f"the store at {self.store.settings.uri} is closed")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with driver.session(
                database=self.store.settings.database, default_access_mode=mode
            ) as session:
                run = session.execute_write if write else session.execute_read
                return run(work)
        except (Neo4jError, DriverError) as e:
            message = getattr(e, "message", None) or type(e).__name__
            raise AuditError(
                f"cannot {'write' if write else 'read'} the audit log in "
                f"{self.store.settings.uri}: {message}"
            ) from e
