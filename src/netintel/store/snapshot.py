"""Whole-state publishing for the embedded store: a writer lock and shadow files.

An embedded database is one file (``case.db``) plus the engine's side files while it is open
for writing (``case.db.wal``, ``case.db.shadow`` and ``case.db.checkpoint.*.lock``). netintel
never writes that file in place. A *write session* (an ingest with its resolution, a
resolution, a review apply) takes the writer lock, copies the file to ``case.db.writing/``,
does all of its work there, checkpoints and closes it, and publishes it with one atomic
``os.replace``. So:

- a reader sees the last complete state, whatever the writer is doing: a reader that opened
  the old file keeps reading it after the publish (the old inode lives until it closes);
- a writer killed at any point (even during the engine's checkpoint) leaves the published
  file as it was; the next writer removes its ``case.db.writing*`` leftovers;
- two writers never interleave: the lock (``fcntl.flock`` on ``case.db.netintel-lock``) is
  exclusive, released by the kernel when its holder dies, and names its holder (pid, action,
  start time) so that a reader can say an ingest is running.

The copy lives in ``case.db.writing/`` (0700), with the engine's side files of the session.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> db = Path(tempfile.mkdtemp()) / "case.db"
>>> with WriterLock(db, "ingest"):
...     holder(db)["action"]
'ingest'
>>> holder(db) is None
True
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from netintel.errors import StoreError

#: Suffix of the lock file beside a database.
LOCK_SUFFIX = ".netintel-lock"
#: Suffix of the copy a write session works on.
WRITING_SUFFIX = ".writing"
#: The engine's side files of an open (or crashed) database: their presence beside the
#: published file means it was written in place by an earlier netintel version.
ENGINE_SIDE_SUFFIXES = (".wal", ".shadow")


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + LOCK_SUFFIX)


def writing_path(db: Path) -> Path:
    """The copy a session works on: ``case.db.writing/case.db``, in a folder only the owner
    can enter (the engine creates its side files there with the process's umask)."""
    return db.with_name(db.name + WRITING_SUFFIX) / db.name


def describe(info: dict[str, Any]) -> str:
    """``"an ingest is running since 2026-01-05 10:12:03 UTC by pid 4242"``."""
    since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(info.get("since", 0)))
    action = info.get("action") or "write"
    article = "an" if action[:1].lower() in "aeiou" else "a"
    where = f" on {info['host']}" if info.get("host") not in (None, socket.gethostname()) else ""
    return f"{article} {action} is running since {since} by pid {info.get('pid')}{where}"


def holder(db: Path) -> dict[str, Any] | None:
    """Who holds the writer lock of ``db`` (``pid, action, since, host``), or None if free."""
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                return json.loads(os.pread(fd, 4096, 0) or b"{}")
            except ValueError:
                return {"pid": None, "action": "write", "since": 0}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class WriterLock:
    """The exclusive writer lock of the database ``db``; a context manager.

    Raises
    ------
    StoreError
        If another process holds it (the message says who, what and since when).
    """

    def __init__(self, db: Path, action: str) -> None:
        self.db, self.action = Path(db), action
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        path = lock_path(self.db)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(f"cannot write to {self.db}: {path}: {e.strerror}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            info = holder(self.db) or {}
            raise StoreError(
                f"cannot write to {self.db}: {describe(info)}; "
                "wait for it to finish (readers see the last complete state meanwhile)"
            ) from None
        info = {
            "pid": os.getpid(),
            "action": self.action,
            "since": time.time(),
            "host": socket.gethostname(),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def remove_writing(db: Path) -> list[Path]:
    """Remove the files of a write session (``case.db.writing`` and its side files).

    Call only while holding the writer lock: then no live session owns them.
    """
    removed = []
    prefix = db.name + WRITING_SUFFIX
    for path in db.parent.glob(f"{glob_escape(prefix)}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        removed.append(path)
    return removed


def glob_escape(text: str) -> str:
    """``text`` with glob metacharacters escaped (a database may be called ``case[1].db``)."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def engine_side_files(db: Path) -> list[Path]:
    """The engine's ``.wal`` / ``.shadow`` files beside ``db`` (left by an in-place writer)."""
    return [p for s in ENGINE_SIDE_SUFFIXES if (p := db.with_name(db.name + s)).exists()]


def start_copy(db: Path, target: Path) -> None:
    """Create ``target`` owner-only (0600, in a 0700 folder) holding a copy of ``db`` (empty
    if ``db`` is absent)."""
    target.parent.mkdir(mode=0o700)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    if db.exists():
        shutil.copyfile(db, target)  # the kernel's copy; the file keeps its 0600 mode


def publish(target: Path, db: Path) -> None:
    """Atomically make ``target`` the database ``db`` (durable once this returns)."""
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(target, db)
    sync_dir(db.parent)


def sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_parent(db: Path) -> None:
    """Create the database's folder (owner-only, 0700) if it does not exist."""
    if not db.parent.exists():
        db.parent.mkdir(mode=0o700, parents=True)
