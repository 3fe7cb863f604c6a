"""One audit entry: its fields, its canonical text and hash, and what never goes into it.

An entry is a flat JSON object (the columns of :data:`FIELDS`). Its ``hash`` is the SHA-256
of the canonical JSON (keys sorted, no spaces, UTF-8) of every other field, ``prev_hash``
included, so each entry seals the one before it: changing, inserting, removing or reordering
an entry breaks the chain from that point on (see :func:`check_chain`).

Credentials never enter an entry: :func:`scrub` removes the user information of URIs
(``bolt://user:secret@host`` becomes ``bolt://host``), masks the value of any parameter whose
name says it is a secret (password, token, key...) and masks every value of a secret
environment variable (``NETINTEL_NEO4J_PASSWORD``, a pseudonymisation key...) wherever it
appears in the text.

The records an action touched are bounded: an entry keeps their count, the SHA-256 of the
sorted, distinct ids (one per line), and the ids themselves when there are at most
:data:`RECORD_IDS_KEPT` of them. A ranking of 10,000 targets records 10,000 as the count and
a hash that any list of ids can be checked against, not 10,000 ids in every entry.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from netintel.errors import NetIntelError

#: The actions an entry records (after the EU Law Enforcement Directive, Art. 25).
ACTIONS = ("collection", "alteration", "consultation", "disclosure", "combination", "erasure")
#: The fields of an entry, in the order they are shown.
FIELDS = (
    "seq", "time", "user", "action", "command", "operation", "parameters", "record_count",
    "record_ids", "records_sha256", "output", "output_sha256", "purpose", "recipient",
    "outcome", "prev_hash", "hash",
)  # fmt: skip
#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64
#: At most this many record ids are kept in an entry (the count and a hash always are).
RECORD_IDS_KEPT = 100
#: Parameter texts longer than this are cut, with the hash of the whole text.
MAX_TEXT = 16_384

SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|credential|api.?key|^key$|_key$", re.I
)
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@")
_SECRET_ENV = re.compile(r"PASSWORD|SECRET|TOKEN|CREDENTIAL|_KEY$", re.I)


class AuditError(NetIntelError):
    """The audit log cannot be written or read, or does not verify."""


@dataclass(frozen=True)
class ChainBreak:
    """Where a chain stops verifying: the first bad ``seq`` (as the log's order expects it) and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.reason}"


def now() -> str:
    """The current time in UTC, ISO 8601 to the microsecond (``2026-12-05T09:30:00.123456+00:00``)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The canonical JSON of ``entry`` without its ``hash``: sorted keys, no spaces, UTF-8.

    >>> canonical({"seq": 1, "action": "consultation", "hash": "x"})
    b'{"action":"consultation","seq":1}'
    """
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of :func:`canonical` ``(entry)``: the entry's own fields and its ``prev_hash``."""
    return hashlib.sha256(canonical(entry)).hexdigest()


def make_entry(
    seq: int,
    prev_hash: str,
    action: str,
    *,
    user: str,
    command: str,
    operation: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    records: Iterable[str] = (),
    output: Path | str | None = None,
    output_sha256: str | None = None,
    purpose: str | None = None,
    recipient: str | None = None,
    outcome: str = "ok",
    time: str | None = None,
) -> dict[str, Any]:
    """A sealed entry (``hash`` set) following the entry ``prev_hash`` at position ``seq``.

    Raises
    ------
    AuditError
        For an unknown ``action`` or an empty ``user``.

    Examples
    --------
    >>> e = make_entry(1, GENESIS, "consultation", user="ana", command="netintel rank",
    ...                parameters={"top": 5, "db": "bolt://neo4j:pw@db:7687"},
    ...                records=["R-2", "R-1", "R-1"], time="2026-01-01T00:00:00+00:00")
    >>> e["parameters"], e["record_count"], e["record_ids"]
    ({'top': 5, 'db': 'bolt://db:7687'}, 2, ['R-1', 'R-2'])
    >>> e["hash"] == entry_hash(e)
    True
    """
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}; use one of {', '.join(ACTIONS)}")
    if not user or not str(user).strip():
        raise AuditError("an audit entry needs a user (--user, $NETINTEL_USER or the OS user)")
    ids = sorted({str(r) for r in records})
    entry: dict[str, Any] = {
        "seq": int(seq),
        "time": time or now(),
        "user": scrub(str(user).strip()),
        "action": action,
        "command": scrub(command),
        "operation": operation,
        "parameters": scrub(jsonable(dict(parameters or {}))),
        "record_count": len(ids),
        "record_ids": ids if len(ids) <= RECORD_IDS_KEPT else [],
        "records_sha256": hashlib.sha256("\n".join(ids).encode()).hexdigest() if ids else None,
        "output": str(output) if output is not None else None,
        "output_sha256": output_sha256,
        "purpose": scrub(purpose) if purpose else None,
        "recipient": scrub(recipient) if recipient else None,
        "outcome": scrub(outcome),
        "prev_hash": prev_hash,
    }
    entry["hash"] = entry_hash(entry)
    return entry


def check_chain(entries: Iterable[Mapping[str, Any]]) -> tuple[ChainBreak | None, int, str]:
    """Walk ``entries`` in log order; return (the first break or None, last seq, last hash).

    An entry breaks the chain when its ``seq`` is not the next one (a removed, inserted or
    moved entry), its ``prev_hash`` is not the previous entry's hash, or its ``hash`` is not
    the hash of its content (an edited field).

    >>> a = make_entry(1, GENESIS, "collection", user="ana", command="c")
    >>> b = make_entry(2, a["hash"], "consultation", user="ana", command="c")
    >>> check_chain([a, b])[0] is None, str(check_chain([b, a])[0])
    (True, 'seq 1: found seq 2 where seq 1 belongs (an entry removed, inserted or moved)')
    """
    last_seq, last_hash = 0, GENESIS
    for entry in entries:
        expected = last_seq + 1
        seq = entry.get("seq")
        if seq != expected:
            why = f"found seq {seq} where seq {expected} belongs (an entry removed, inserted or moved)"
            return ChainBreak(expected, why), last_seq, last_hash
        if entry.get("prev_hash") != last_hash:
            why = "its prev_hash is not the hash of the entry before (an entry removed or replaced)"
            return ChainBreak(expected, why), last_seq, last_hash
        if entry.get("hash") != entry_hash(entry):
            return (
                ChainBreak(expected, "its hash does not match its content (edited)"),
                last_seq,
                last_hash,
            )
        last_seq, last_hash = expected, str(entry["hash"])
    return None, last_seq, last_hash


def check_head(head: tuple[int, str] | None, seq: int, digest: str) -> ChainBreak | None:
    """The break between a verified chain ending at ``(seq, digest)`` and its ``head``
    (the last ``(seq, hash)`` the log recorded on its side), if any.

    >>> str(check_head((3, "h3"), 2, "h2"))
    'seq 3: the log ends at seq 2 but its head says seq 3 (entries removed from the end)'
    """
    if head is None:
        return ChainBreak(1, "the head record is missing") if seq else None
    if head == (seq, digest):
        return None
    if head[0] > seq:
        return ChainBreak(seq + 1, f"the log ends at seq {seq} but its head says seq {head[0]} "
                          "(entries removed from the end)")  # fmt: skip
    if head[0] == seq - 1:
        return ChainBreak(seq, "entered after the head was last written (an interrupted append)")
    return ChainBreak(head[0] or 1, f"the head (seq {head[0]}) does not match the log")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file; of a folder, the SHA-256 of its manifest (:func:`manifest`)."""
    if path.is_dir():
        text = "".join(f"{digest}  {name}\n" for name, digest in manifest(path).items())
        return hashlib.sha256(text.encode()).hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(folder: Path) -> dict[str, str]:
    """``relative path -> SHA-256`` of every file under ``folder``, sorted by path."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): file_sha256(p) for p in files}


# -- what an entry may hold ---------------------------------------------------------------
def jsonable(value: Any) -> Any:
    """``value`` as plain JSON: paths and windows as text, tables as their shape, callables
    left out, long texts cut (with the hash of the whole).

    >>> jsonable({"out": Path("t.csv"), "n": 3, "progress": print, "ids": ("a", "b")})
    {'out': 't.csv', 'n': 3, 'ids': ['a', 'b']}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if not callable(v)}
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, str):
        if len(value) <= MAX_TEXT:
            return value
        digest = hashlib.sha256(value.encode()).hexdigest()
        return f"{value[:MAX_TEXT]}... [{len(value)} characters, sha256 {digest}]"
    if isinstance(value, pd.DataFrame | pd.Series):
        shape = "x".join(str(n) for n in value.shape)
        return f"<{type(value).__name__} {shape}>"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return jsonable(value.item())
    return str(value)


def scrub(value: Any) -> Any:
    """``value`` with credentials removed (see the module notes).

    >>> scrub({"uri": "neo4j+s://ana:s3cret@db.example.org", "password": "pw", "top": 3})
    {'uri': 'neo4j+s://db.example.org', 'password': '***', 'top': 3}
    """
    if isinstance(value, Mapping):
        return {
            k: ("***" if v is not None and SECRET_NAME.search(str(k)) else scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if not isinstance(value, str):
        return value
    text = _USERINFO.sub(r"\g<scheme>", value)
    for secret in _secret_values():
        text = text.replace(secret, "***")
    return text


def _secret_values() -> list[str]:
    """Values of environment variables named like secrets (4 characters or more)."""
    return [v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 4]
