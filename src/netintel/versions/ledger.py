"""Record versions without a store: hashing canonical rows, in-run conflicts, classification.

A record's **content** is its canonical row: the kind's columns (``netintel.ingest.kinds``)
after normalisation, so re-exporting a file with dates written another way is not a change.
Its ``sha256`` is over that row as JSON. A version is one (kind, record id, sha256).

Examples
--------
>>> import pandas as pd
>>> clean = {"seizures": pd.DataFrame({"file": ["a.csv", "a.csv"], "row": [2, 3],
...     "seizure_id": ["SZ-1", "SZ-1"], "drug": ["heroin", "opium"], "date": ["2024", "2024"]})}
>>> table = record_table(clean, loaded_at="2024-01-01T00:00:00Z")
>>> table[["record_id", "source_id", "conflict"]].values.tolist()
[['SZ-1', 'SZ-1', False], ['SZ-1', 'SZ-1', False]]
>>> qualified, conflicts = qualify_in_run(clean, table)
>>> sorted(qualified["seizures"]["seizure_id"].str[:5]), len(conflicts)
(['SZ-1@', 'SZ-1@'], 2)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.batch import stable_id
from netintel.ingest.kinds import KINDS
from netintel.store.cypher import RECORD_COLUMNS

#: Columns of a clean frame that say where a record was read, not what it says.
PROVENANCE = ("file", "sheet", "row")
#: The record table: what the store keeps of each version, its content and seen interval.
TABLE_COLUMNS = (*RECORD_COLUMNS, "content", "raw", "first_seen", "last_seen")


def _plain(value: object) -> object:
    """A cell as a JSON value (lists as lists, dates as ISO text, missing as null)."""
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _json(values: list) -> str:
    return json.dumps([_plain(v) for v in values], ensure_ascii=False, separators=(",", ":"))


def version_id(kind: str, record_id: str, sha256: str) -> str:
    """The key of a record version's ``Record`` node.

    >>> version_id("arrests", "ARR-1", "ab" * 32)
    'REC-7131dce0fa9393a04987'
    """
    return stable_id(kind, record_id, sha256, prefix="REC-")


def record_table(
    clean: dict[str, pd.DataFrame],
    *,
    loaded_at: str,
    flags: pd.DataFrame | None = None,
    originals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per loaded record: its version key, provenance, hash and content.

    ``content`` holds every column of the clean row but ``file``/``sheet``/``row`` (the
    graph is rebuilt from it); ``sha256`` covers the kind's canonical columns only.
    ``version`` and ``current`` are filled in against the store (:mod:`netintel.versions.apply`).
    ``originals`` (:attr:`netintel.ingest.IngestResult.originals`) gives each record its row
    as read (``raw``), its file's ``file_sha256`` and its ``sheet``, matched on file, row and
    record id (missing where not given).
    """
    parts = []
    for kind, frame in clean.items():
        if frame is None or not len(frame):
            continue
        spec = KINDS[kind]
        canonical = [c for c in spec.columns if c in frame]
        stored = [c for c in frame.columns if c not in PROVENANCE]
        canon = frame[canonical].to_numpy(dtype=object).tolist()
        body = frame[stored].to_numpy(dtype=object).tolist()
        sha = [hashlib.sha256(_json(r).encode("utf-8")).hexdigest() for r in canon]
        content = [
            json.dumps(dict(zip(stored, [_plain(v) for v in r], strict=True)), ensure_ascii=False)
            for r in body
        ]
        rid = frame[spec.id_column].astype(str).to_numpy()
        files = frame["file"].astype(str).to_numpy()
        sheet = frame["sheet"] if "sheet" in frame else pd.Series(None, index=frame.index)
        grading = frame["grading"] if "grading" in frame else pd.Series(None, index=frame.index)
        parts.append(
            pd.DataFrame(
                {
                    "id": [version_id(kind, r, s) for r, s in zip(rid, sha, strict=True)],
                    "record_id": rid,
                    "source_id": rid,
                    "kind": kind,
                    "file": files,
                    "sheet": sheet.astype(object).where(sheet.notna(), None).to_numpy(),
                    "row": pd.to_numeric(frame["row"], errors="coerce").to_numpy(),
                    "dataset": [Path(f).name for f in files],
                    "sha256": sha,
                    "file_sha256": None,
                    "content": content,
                    "raw": None,
                    "loaded_at": loaded_at,
                    "version": 1,
                    "current": True,
                    "conflict": False,
                    "grading": grading.astype(object).where(grading.notna(), None).to_numpy(),
                    "flags": [[] for _ in range(len(frame))],
                    "first_seen": frame.get("first_seen", pd.Series(None, index=frame.index)),
                    "last_seen": frame.get("last_seen", pd.Series(None, index=frame.index)),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TABLE_COLUMNS})
    table = pd.concat(parts, ignore_index=True)
    if originals is not None and len(originals):
        _add_originals(table, originals)
    if flags is not None and len(flags):
        table["flags"] = _flags_by_row(table, flags)
    return table


def _add_originals(table: pd.DataFrame, originals: pd.DataFrame) -> None:
    """Set ``raw``, ``file_sha256`` and ``sheet`` of ``table`` from ``originals`` (in place)."""
    keys = ["file", "row", "record_id"]
    found = originals.assign(
        file=originals["file"].astype(str),
        row=pd.to_numeric(originals["row"], errors="coerce"),
        record_id=originals["record_id"].astype(str),
    ).drop_duplicates(keys)
    index = pd.MultiIndex.from_frame(table[keys].astype({"file": str, "record_id": str}))
    found = found.set_index(keys).reindex(index)
    for column in ("raw", "file_sha256", "sheet"):
        values = found[column].to_numpy(dtype=object)
        given = pd.notna(values)
        table[column] = table[column].astype(object)
        table.loc[given, column] = values[given]


def _flags_by_row(table: pd.DataFrame, flags: pd.DataFrame) -> list[list[str]]:
    """``field: reason`` texts of each record, matched on (file, row)."""
    field, reason = flags["field"].astype(str), flags["reason"].astype(str)
    named = [r.startswith(f + ":") for f, r in zip(field, reason, strict=True)]
    f = flags.assign(
        _file=flags["file"].astype(str),
        _row=pd.to_numeric(flags["row"], errors="coerce"),
        _text=reason.where(named, field + ": " + reason),
    )
    grouped = f.groupby(["_file", "_row"])["_text"].agg(lambda v: sorted(set(v)))
    lookup = grouped.to_dict()
    return [
        lookup.get((file, row), []) for file, row in zip(table["file"], table["row"], strict=True)
    ]


def qualified_id(record_id: str, sha256: str) -> str:
    """The id a conflicting record carries in the graph: its own id and its content hash.

    >>> qualified_id("ARR-1", "0123456789abcdef")
    'ARR-1@0123456789'
    """
    return f"{record_id}@{sha256[:10]}"


def qualify(
    clean: dict[str, pd.DataFrame], table: pd.DataFrame, which: pd.Series
) -> dict[str, pd.DataFrame]:
    """Clean frames in which the records of ``table[which]`` carry their qualified id (and
    ``table`` updated alike): a conflict stays apart in the graph instead of merging."""
    if not which.any():
        return clean
    table.loc[which, "source_id"] = [
        qualified_id(r, s)
        for r, s in zip(table.loc[which, "record_id"], table.loc[which, "sha256"], strict=True)
    ]
    table.loc[which, "conflict"] = True
    out = dict(clean)
    for kind, frame in clean.items():
        rows = table[which & (table["kind"] == kind)]
        if not len(rows):
            continue
        spec = KINDS[kind]
        frame = frame.copy()
        key = pd.Series(
            rows["source_id"].to_numpy(),
            index=pd.MultiIndex.from_arrays([rows["file"], rows["row"]]),
        )
        index = pd.MultiIndex.from_arrays(
            [frame["file"].astype(str), pd.to_numeric(frame["row"], errors="coerce")]
        )
        new = key.reindex(index).to_numpy()
        has = pd.notna(new)
        frame.loc[has, spec.id_column] = new[has]
        out[kind] = frame
    return out


def qualify_in_run(
    clean: dict[str, pd.DataFrame], table: pd.DataFrame
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Records whose id comes with two or more contents in one ingest are conflicts: each
    content keeps its own qualified id (whichever arrives first: the rule is symmetric).

    Returns the clean frames with qualified ids and the conflicting rows of ``table``.
    """
    if not len(table):
        return clean, table
    n = table.groupby(["kind", "record_id"])["sha256"].transform("nunique")
    which = n > 1
    clean = qualify(clean, table, which)
    return clean, table[which]
