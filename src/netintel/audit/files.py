"""The audit log of an embedded database: an append-only JSON-lines file beside it.

Why a file and not the database: consultation commands open an embedded database read-only
(the engine then guarantees that a query changes nothing), and writes reach the database
whole, through a copy that replaces it when complete. An entry written into the database by
a read-only consultation is impossible, and one written by a write would be lost whenever the
write is undone. The log therefore lives in ``<db>.audit.jsonl``: one entry per line,
created readable and writable by its owner only (0600), appended under an exclusive
``flock`` (concurrent commands take turns; the chain stays one line) and flushed to disk
(``fsync``) before the command's result is returned.

Beside it, ``<db>.audit.head`` holds the last ``seq`` and ``hash``, replaced atomically after
each append. The verifier compares the end of the log with it, so removing the last entries
is detected as surely as editing one in the middle. Neither file is a secret and neither is
a seal: whoever can rewrite the log, its head and every copy of them can rewrite history
(see :doc:`/audit`); ``netintel audit verify --expect HASH`` checks the log against a head a
supervisor noted elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from netintel.audit.entry import (
    GENESIS,
    AuditError,
    ChainBreak,
    check_chain,
    check_head,
    make_entry,
)

_MODE = 0o600


def log_path(database: str | Path) -> Path:
    """Where the audit log of the embedded database ``database`` lives: ``<db>.audit.jsonl``.

    >>> log_path("cases/case.db").as_posix()
    'cases/case.db.audit.jsonl'
    """
    return Path(f"{database}.audit.jsonl")


class FileLog:
    """The audit log of an embedded database (see the module notes).

    Parameters
    ----------
    database : str or Path
        The embedded database the log belongs to; the log is ``<database>.audit.jsonl`` and
        its head ``<database>.audit.head``.
    """

    def __init__(self, database: str | Path) -> None:
        self.path = log_path(database)
        self.head_path = Path(f"{database}.audit.head")

    def __repr__(self) -> str:
        return f"FileLog({str(self.path)!r})"

    @property
    def location(self) -> str:
        return str(self.path)

    def check(self) -> None:
        """Make sure an entry can be appended (the file exists and is writable).

        Raises
        ------
        AuditError
            If the log cannot be created or opened for appending.
        """
        with self._open():
            pass

    def append(self, action: str, **fields: Any) -> dict[str, Any]:
        """Seal and append one entry (see :func:`netintel.audit.entry.make_entry`); return it.

        Raises
        ------
        AuditError
            If the log cannot be written, or its end does not match its head (entries were
            removed or edited: nothing more is appended until it is restored).
        """
        with self._open() as fd:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last = self._tail(fd)
            head = self.head()
            if head is not None and last is not None and head != (last["seq"], last["hash"]):
                if not (head[0] == last["seq"] - 1 and head[1] == last.get("prev_hash")):
                    raise AuditError(
                        f"the audit log {self.path} does not end where its head says "
                        f"(seq {head[0]}): entries were removed or edited; nothing more is "
                        "recorded until it is restored (netintel audit verify)"
                    )
            elif head is not None and last is None and head[0] > 0:
                raise AuditError(
                    f"the audit log {self.path} is empty but its head says seq {head[0]}: "
                    "entries were removed; nothing more is recorded until it is restored"
                )
            seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
            entry = make_entry(seq + 1, prev, action, **fields)
            line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
                self._write_head(entry["seq"], entry["hash"])
            except OSError as e:
                raise AuditError(f"cannot append to the audit log {self.path}: {e}") from e
            return entry

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, in the order of the file.

        Raises
        ------
        AuditError
            For a line that is not a JSON object (naming the line).
        """
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    entry = json.loads(line)
                except ValueError:
                    entry = None
                if not isinstance(entry, dict):
                    raise _BadLine(number, f"{self.path}, line {number}: not an audit entry")
                yield entry

    def head(self) -> tuple[int, str] | None:
        """The ``(seq, hash)`` the head file holds, or None if there is none."""
        try:
            data = json.loads(self.head_path.read_text(encoding="utf-8"))
            return int(data["seq"]), str(data["hash"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as e:
            raise AuditError(f"{self.head_path}: not an audit head ({e})") from None

    def verify(self) -> tuple[ChainBreak | None, int, str]:
        """(the first break or None, last seq, last hash) of the log and its head."""
        try:
            found, seq, digest = check_chain(self.entries())
        except _BadLine as e:
            return ChainBreak(e.line, str(e)), 0, GENESIS
        return found or check_head(self.head(), seq, digest), seq, digest

    # -- helpers ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _open(self) -> Iterator[int]:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, _MODE)
        except OSError as e:
            raise AuditError(
                f"cannot open the audit log {self.path}: {e.strerror}; every access is "
                "recorded, so nothing was done"
            ) from None
        try:
            yield fd
        finally:
            os.close(fd)

    def _tail(self, fd: int) -> dict[str, Any] | None:
        """The last entry of the file (read backwards from its end), or None if empty."""
        size = os.fstat(fd).st_size
        chunk, data = 65536, b""
        pos = size
        while pos > 0:
            step = min(chunk, pos)
            pos -= step
            data = os.pread(fd, step, pos) + data
            lines = data.rstrip(b"\n").split(b"\n")
            if len(lines) > 1 or pos == 0:
                try:
                    entry = json.loads(lines[-1])
                except ValueError:
                    raise AuditError(
                        f"the last line of the audit log {self.path} is not an entry "
                        "(a torn write or an edit): netintel audit verify"
                    ) from None
                return entry if isinstance(entry, dict) else None
        return None

    def _write_head(self, seq: int, digest: str) -> None:
        temporary = self.head_path.with_name(self.head_path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _MODE)
        try:
            os.write(fd, json.dumps({"seq": seq, "hash": digest}).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, self.head_path)


class _BadLine(AuditError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
