"""Every access on the record: an append-only, hash-chained audit log of each store.

Each action on a case is one entry (after the EU Law Enforcement Directive, Art. 25):

================  ==========================================================================
action            recorded for
================  ==========================================================================
collection        loading records (``netintel ingest``, ``ws.records.ingest``)
alteration        entity resolution, review decisions, record versions
consultation      queries, rankings, reports, notebook calls, raw Cypher (its text kept)
disclosure        every file written from the case (``--out``, ``export``...): path, SHA-256,
                  purpose (required) and recipient
combination       combining this case with another (imports)
erasure           removing records
================  ==========================================================================

An entry says who (``--user``, else ``$NETINTEL_USER``, else the OS user), when (UTC), what
(the command, its parameters with credentials removed, the records touched, the output file
and its SHA-256), why (``--purpose``) and to whom (``recipient``); see
:mod:`netintel.audit.entry` for the fields and the hash chain. The log lives with the store:
``<db>.audit.jsonl`` beside an embedded database (:mod:`netintel.audit.files` says why not
inside it) and ``:AuditEntry`` nodes in a Neo4j database (:mod:`netintel.audit.graph`).

Who acts, and why, is set once per session: the command line sets it from its global options
with :func:`acting`, and :func:`netintel.open` (``user=``, ``purpose=``) reads it from there.

Examples
--------
>>> import tempfile
>>> from netintel import store
>>> with store.open(tempfile.mkdtemp() + "/case.db") as s:
...     log = audit_log(s)
...     entry = log.append("consultation", user="ana", command="ws.query.stats",
...                        parameters={}, purpose="case 12 briefing")
...     log.append("consultation", user="ana", command="ws.query.stats", parameters={})["seq"]
...     log.verify().ok
2
True
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netintel.audit.entry import (
    ACTIONS,
    FIELDS,
    RECORD_IDS_KEPT,
    AuditError,
    ChainBreak,
    file_sha256,
    manifest,
    scrub,
)
from netintel.audit.files import FileLog, log_path
from netintel.outputs import atomic_write, check_output
from netintel.store.base import GraphStore

__all__ = [
    "ACTIONS",
    "FIELDS",
    "RECORD_IDS_KEPT",
    "Actor",
    "AuditError",
    "AuditLog",
    "Verification",
    "acting",
    "audit_log",
    "current_actor",
    "default_user",
    "log_path",
]


def default_user() -> str:
    """``$NETINTEL_USER``, else the operating system's user name.

    >>> import os
    >>> default_user() == (os.environ.get("NETINTEL_USER") or default_user())
    True
    """
    named = os.environ.get("NETINTEL_USER", "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@dataclass(frozen=True)
class Actor:
    """Who acts, why, and through which command (``netintel rank``; None in Python)."""

    user: str
    purpose: str | None = None
    command: str | None = None


_ACTOR: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "netintel_actor", default=None
)


def current_actor() -> Actor | None:
    """The :class:`Actor` set by :func:`acting`, or None."""
    return _ACTOR.get()


@contextlib.contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Within this block, workspaces opened without ``user=``/``purpose=`` act as ``actor``.

    >>> with acting(Actor("ana", "briefing", "netintel rank")):
    ...     current_actor().user
    'ana'
    >>> current_actor() is None
    True
    """
    token = _ACTOR.set(actor)
    try:
        yield actor
    finally:
        _ACTOR.reset(token)


@dataclass(frozen=True)
class Verification:
    """What :meth:`AuditLog.verify` found: ``ok``, the first ``broken`` entry (None if
    none), and the ``seq`` and ``hash`` the log ends at (note them to check later copies)."""

    broken: ChainBreak | None
    seq: int
    hash: str
    location: str

    @property
    def ok(self) -> bool:
        return self.broken is None

    def __str__(self) -> str:
        if self.broken is not None:
            return f"audit log {self.location} does not verify: {self.broken}"
        return f"audit log {self.location}: {self.seq} entries verified, head {self.hash}"


class AuditLog:
    """The audit log of one store (build it with :func:`audit_log`).

    Attributes
    ----------
    location : str
        Where the entries are (a file path, or the Neo4j URI).
    """

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def __repr__(self) -> str:
        return f"AuditLog({self.location!r})"

    @property
    def location(self) -> str:
        return self._backend.location

    def check(self) -> None:
        """Raise :class:`AuditError` now if no entry could be appended."""
        self._backend.check()

    def append(
        self,
        action: str,
        *,
        user: str,
        command: str,
        parameters: Mapping[str, Any] | None = None,
        purpose: str | None = None,
        recipient: str | None = None,
        records: Iterable[str] = (),
        output: str | Path | None = None,
        operation: str | None = None,
        outcome: str = "ok",
    ) -> dict[str, Any]:
        """Record one action; return the sealed entry.

        Parameters
        ----------
        action : str
            One of :data:`ACTIONS`.
        user, command : str
            Who, and the command or call (``netintel rank``, ``ws.network.rank_targets``).
        parameters : mapping, optional
            The command's parameters (made JSON; credentials removed).
        purpose, recipient : str, optional
            Why, and to whom (a disclosure needs a purpose).
        records : iterable of str
            Record ids touched (bounded in the entry, see :mod:`netintel.audit.entry`).
        output : path, optional
            A file or folder written; its SHA-256 is computed here, from what is on disk.
        operation : str, optional
            The workspace call that did the work (``network.rank_targets``).
        outcome : str
            ``"ok"``, or ``"failed: <error>"``.

        Raises
        ------
        AuditError
            If the action is unknown, a disclosure has no purpose, or the log cannot be
            written.
        """
        if action == "disclosure" and not (purpose and purpose.strip()):
            raise AuditError("a disclosure needs a purpose (--purpose TEXT, or purpose=)")
        digest = None
        if output is not None:
            path = Path(output)
            digest = file_sha256(path) if path.exists() else None
            if path.is_dir():
                parameters = {**dict(parameters or {}), "files": manifest(path)}
        return self._backend.append(
            action, user=user, command=command, operation=operation, parameters=parameters,
            records=records, output=output, output_sha256=digest, purpose=purpose,
            recipient=recipient, outcome=outcome,
        )  # fmt: skip

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, in log order, as stored (nothing is checked: see :meth:`verify`)."""
        return list(self._backend.entries())

    def head(self) -> tuple[int, str] | None:
        """The ``(seq, hash)`` the log's head record holds, or None."""
        return self._backend.head()

    def verify(self, expect: str | None = None) -> Verification:
        """Recompute the chain and compare its end with the head record (and ``expect``).

        Parameters
        ----------
        expect : str, optional
            A hash noted earlier (from ``netintel audit verify``): it must be the hash of
            some entry of the log, or the log was rewritten since.
        """
        try:
            broken, seq, digest = self._backend.verify()
        except AuditError as e:
            broken, seq, digest = ChainBreak(0, str(e)), 0, ""
        if broken is None and expect:
            hashes = {e.get("hash"): e.get("seq") for e in self._backend.entries()}
            if expect.strip().lower() not in hashes:
                broken = ChainBreak(seq, f"no entry has the expected hash {expect} (rewritten)")
        return Verification(broken, seq, digest, self.location)

    def table(
        self,
        *,
        user: str | None = None,
        action: str | None = None,
        since: str | None = None,
    ) -> pd.DataFrame:
        """The entries as a table (columns :data:`FIELDS`, ``parameters`` as JSON text),
        filtered by ``user``, ``action`` and ``since`` (an ISO date or time, UTC).

        Raises
        ------
        AuditError
            For an unknown ``action``.
        """
        if action is not None and action not in ACTIONS:
            raise AuditError(f"unknown audit action {action!r}; use one of {', '.join(ACTIONS)}")
        rows = self.entries()
        frame = pd.DataFrame(rows, columns=list(FIELDS))
        frame["parameters"] = [
            json.dumps(p, ensure_ascii=False, sort_keys=True) for p in frame["parameters"]
        ]
        keep = pd.Series(True, index=frame.index)
        if user is not None:
            keep &= frame["user"] == user
        if action is not None:
            keep &= frame["action"] == action
        if since is not None:
            keep &= frame["time"].astype(str) >= since
        return frame[keep].reset_index(drop=True)

    def export(self, path: str | Path) -> int:
        """Copy the log, as stored, to a JSON-lines file (0600, written whole); return the
        number of entries. Anyone can verify the copy with :func:`verify_file`.

        Raises
        ------
        OutputError
            Before anything is read, if ``path`` is not a ``.jsonl``/``.json`` file that can
            be written, or is the log itself (:func:`netintel.outputs.check_output`).
        """
        own = [getattr(self._backend, "path", None), getattr(self._backend, "head_path", None)]
        path = check_output(path, suffixes=(".jsonl", ".json"), inputs=own)
        entries = self.entries()
        with atomic_write(path) as tmp, tmp.open("w", encoding="utf-8") as f:
            for entry in entries:
                f.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")
        return len(entries)


def audit_log(store: GraphStore) -> AuditLog:
    """The audit log of ``store``: a :class:`~.files.FileLog` beside an embedded database,
    a :class:`~.graph.GraphLog` in a Neo4j database.

    Raises
    ------
    AuditError
        For a store of another kind.
    """
    if store.backend == "neo4j":
        from netintel.audit.graph import GraphLog

        return AuditLog(GraphLog(store))  # type: ignore[arg-type]
    path = getattr(store, "path", None)
    if path is None:
        raise AuditError(f"no audit log for {store!r}")
    return AuditLog(FileLog(path))


def verify_file(path: str | Path, expect: str | None = None) -> Verification:
    """Verify an exported log (``netintel audit export``) on its own: the chain, and
    ``expect`` (an exported copy has no head record: its last hash is what to compare).

    >>> verify_file("no-such.jsonl").ok
    True
    """

    class _Copy(FileLog):
        def __init__(self, file: Path) -> None:
            self.path = Path(file)
            self.head_path = Path(f"{file}.no-head")

        def head(self) -> tuple[int, str] | None:
            *_, last = [None, *self.entries()]
            return None if last is None else (last["seq"], last["hash"])

    return AuditLog(_Copy(Path(path))).verify(expect)


__all__ += ["scrub", "verify_file"]
