"""Record versions against a store: classify an ingest's records, retire superseded versions.

:func:`prepare_load` is called by the records wing between reading the files and writing the
batch. It compares every loaded record with the versions the store holds:

``new``
    No version of this record id is stored.
``unchanged``
    The stored current version has the same content (``sha256``): nothing to do.
``changed``
    The same dataset (file name) gives the id new content: a new version. The old version is
    **retired**: removed from the ``sources`` of everything it touched; a node or relationship
    left with no sources is deleted, the others get every property recomputed from the
    records that remain (the fold rule of :mod:`netintel.batch`); then the new version is
    loaded like any record. A content seen before (a revert) makes that version current again.
``conflict``
    Another dataset, or the same ingest, gives the id other content: both are kept and flagged
    (``Record.conflict``), never merged: the newcomer enters the graph under a qualified id
    (``record_id@<hash>``, :func:`~netintel.versions.ledger.qualified_id`).

Everything is batched: one read of the stored versions, one read of ``id, sources`` per table
when something is retired, one rebuild of the affected elements from the stored contents, and
``UNWIND $rows`` writes in chunks; no query per record.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

import pandas as pd

from netintel.batch import GraphBatch
from netintel.ingest import IngestResult
from netintel.ingest.build import build_batch
from netintel.store import cypher
from netintel.store.base import GraphStore
from netintel.store.neo4j import plain_value
from netintel.versions.ledger import PROVENANCE, qualify, qualify_in_run, record_table

log = logging.getLogger(__name__)

_CHUNK = 10_000
REVIEWER = "reviewer"  # resolve.store.REVIEWER (a later stage): who decided a SAME_AS


@dataclass
class VersionSummary:
    """What an ingest did to record versions.

    Attributes
    ----------
    new, changed, unchanged : int
        Loaded records by outcome (a record read twice with the same content counts once).
    conflicts : DataFrame
        ``kind, record_id, source_id, file, row, sha256``: records whose id another dataset
        (or the same ingest) gives with other content; each loaded under ``source_id``.
    retired : dict
        ``nodes`` and ``relationships`` deleted because only superseded versions produced
        them, and ``rebuilt``: those whose properties were recomputed without them.
    """

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    retired: dict[str, int] = field(
        default_factory=lambda: {"nodes": 0, "relationships": 0, "rebuilt": 0}
    )

    def line(self) -> str:
        """One line for a person.

        >>> VersionSummary(3, 1, 2).line()
        'records: 3 new, 1 changed (new version), 2 unchanged, 0 conflicts'
        """
        text = (
            f"records: {self.new:,} new, {self.changed:,} changed (new version), "
            f"{self.unchanged:,} unchanged, {len(self.conflicts):,} conflicts"
        )
        r = self.retired
        if r["nodes"] or r["relationships"] or r["rebuilt"]:
            text += (
                f"; retired {r['nodes']:,} nodes and {r['relationships']:,} relationships, "
                f"recomputed {r['rebuilt']:,}"
            )
        return text


def now() -> str:
    """The current UTC time, ISO 8601 to the second (``loaded_at``)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def prepare_load(
    store: GraphStore, result: IngestResult, *, loaded_at: str | None = None
) -> tuple[GraphBatch, VersionSummary]:
    """Classify ``result``'s records against ``store``, retire what they supersede, and
    return the batch to write (the graph rows plus one ``Record`` node per new version).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from netintel.ingest import ingest_files
    >>> from netintel.store.embedded import EmbeddedStore
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> f = d / "seizures.csv"
    >>> _ = f.write_text("seizure_id,date,country,drug,quantity,unit\\nSZ-1,2024-01-02,VN,heroin,4,kg\\n")
    >>> with EmbeddedStore(d / "g.db") as store:
    ...     batch, s = prepare_load(store, ingest_files(seizures=f)); _ = store.write(batch)
    ...     _ = f.write_text("seizure_id,date,country,drug,quantity,unit\\nSZ-1,2024-01-02,VN,opium,5,kg\\n")
    ...     batch, s = prepare_load(store, ingest_files(seizures=f)); _ = store.write(batch)
    ...     print(s.line())
    ...     store.query("MATCH (s:Seizure)-[:OF_DRUG]->(d:Drug) RETURN s.quantity, d.id").values.tolist()
    records: 0 new, 1 changed (new version), 0 unchanged, 0 conflicts; retired 3 nodes and 2 relationships, recomputed 0
    [[5.0, 'opium']]
    """
    loaded_at = loaded_at or now()
    table = record_table(
        result.clean, loaded_at=loaded_at, flags=result.flags, originals=result.originals
    )
    summary = VersionSummary(conflicts=_conflict_frame(table.iloc[:0]))
    if not len(table):
        return result.batch, summary
    clean, in_run = qualify_in_run(result.clean, table)
    # One row per version: the same content read twice is one version (its first row).
    table = table.sort_values(["id", "file", "row"], kind="stable")
    versions = table.drop_duplicates("id").reset_index(drop=True)

    stored = store.query(cypher.RECORDS)
    stored_ids = set(stored["id"])
    current = stored[stored["current"].fillna(False).astype(bool)]
    current_ids = set(current["id"])
    plain_rows = current[current["source_id"] == current["record_id"]]
    plain = {
        (k, r): {"id": i, "dataset": d}
        for k, r, i, d in zip(
            plain_rows["kind"],
            plain_rows["record_id"],
            plain_rows["id"],
            plain_rows["dataset"],
            strict=True,
        )
    }
    top = stored.groupby(["kind", "record_id"])["version"].max().to_dict() if len(stored) else {}

    retire_ids: set[str] = set()  # Record ids superseded
    reactivate: list[str] = []
    conflict_stored: list[str] = []
    cross = pd.Series(False, index=versions.index)
    outcome = []
    for i, v in enumerate(versions.itertuples(index=False)):
        key = (v.kind, v.record_id)
        old = plain.get(key)
        if v.conflict:  # two contents in this ingest
            outcome.append("conflict")
        elif v.id in stored_ids:
            if old is not None and old["id"] != v.id:
                retire_ids.add(old["id"])
                reactivate.append(v.id)
                outcome.append("changed")
            elif v.id in current_ids:
                outcome.append("unchanged")
            else:
                reactivate.append(v.id)
                outcome.append("changed")
        elif old is None:
            outcome.append("new")
        elif old["dataset"] == v.dataset:
            retire_ids.add(old["id"])
            outcome.append("changed")
        else:
            cross.iloc[i] = True
            conflict_stored.append(old["id"])
            outcome.append("conflict")
    versions["outcome"] = outcome
    versions["version"] = [
        int(top.get((k, r), 0)) + 1
        for k, r in zip(versions["kind"], versions["record_id"], strict=True)
    ]
    if cross.any():
        # Qualify every row of those versions (a version may have been read from two rows).
        which = table["id"].isin(set(versions.loc[cross, "id"]))
        clean = qualify(clean, table, which)
        versions = versions.drop(columns=["source_id", "conflict"]).merge(
            table.drop_duplicates("id")[["id", "source_id", "conflict"]], on="id"
        )
    batch = build_batch(clean) if (cross.any() or len(in_run)) else result.batch

    summary.new = int((versions["outcome"] == "new").sum())
    summary.changed = int((versions["outcome"] == "changed").sum())
    summary.unchanged = int((versions["outcome"] == "unchanged").sum())
    summary.conflicts = _conflict_frame(versions[versions["outcome"] == "conflict"])

    if retire_ids:
        retired_sources = set(stored.loc[stored["id"].isin(retire_ids), "source_id"])
        summary.retired = retire(store, retired_sources)
    rows = [{"id": i, "current": False} for i in sorted(retire_ids)]
    rows += [{"id": i, "current": True} for i in sorted(set(reactivate))]
    _unwind(store, cypher.RECORDS_SET_CURRENT, "rows", rows)
    _unwind(store, cypher.RECORDS_SET_CONFLICT, "ids", sorted(set(conflict_stored)))
    _unwind(store, cypher.RECORDS_SET_PROVENANCE, "rows", _missing_provenance(stored, versions))

    fresh = versions[~versions["id"].isin(stored_ids)]
    if len(fresh):
        records = fresh.assign(sources=[[s] for s in fresh["source_id"]])
        records = records[[c for c in records.columns if c != "outcome"]]
        batch.add_nodes("Record", records)
    return batch, summary


def _missing_provenance(stored: pd.DataFrame, versions: pd.DataFrame) -> list[dict]:
    """Rows as read and file hashes for stored versions that lack them (loaded before
    records kept them) and that this ingest read again: provenance only, the graph is as it
    was."""
    if "file_sha256" not in stored or not len(stored):
        return []
    bare = set(stored.loc[stored["file_sha256"].isna(), "id"])
    found = versions[versions["id"].isin(bare) & versions["file_sha256"].notna()]
    return [
        {"id": i, "raw": r, "file_sha256": f}
        for i, r, f in zip(found["id"], found["raw"], found["file_sha256"], strict=True)
    ]


def _conflict_frame(rows: pd.DataFrame) -> pd.DataFrame:
    cols = ["kind", "record_id", "source_id", "file", "row", "sha256"]
    return rows.reindex(columns=cols).sort_values(cols, ignore_index=True)


def _unwind(store: GraphStore, statement: str, name: str, values: list) -> None:
    for start in range(0, len(values), _CHUNK):
        store.query(statement, {name: values[start : start + _CHUNK]}, write=True)


def retire(store: GraphStore, retired: set[str]) -> dict[str, int]:
    """Take the record ids ``retired`` out of the graph: out of every ``sources``; what is
    left with none is deleted (people a reviewer decided about are kept, with no sources and
    no seen interval, so the decision is not lost), the rest get every property recomputed
    from the current versions of the records that remain.

    Returns the counts ``nodes``, ``relationships`` (deleted) and ``rebuilt``.
    """
    schema = store.schema
    tables = [(label, None) for label in schema.nodes if label not in cypher.NOT_FROM_RECORDS]
    tables += [
        (rel.type, tuple(ends))
        for rel in schema.relationships.values()
        if rel.type not in cypher.NOT_FROM_RECORDS
        for ends in rel.endpoints
    ]
    touched = []
    for label, ends in tables:
        found = store.query(cypher.element_sources(schema, label, ends))
        if not len(found):
            continue
        hit = [bool(retired.intersection(s)) if s is not None else False for s in found["sources"]]
        found = found[hit]
        if len(found):
            remaining = [sorted(set(s) - retired) for s in found["sources"]]
            touched.append((label, ends, found.assign(remaining=remaining)))
    counts = {"nodes": 0, "relationships": 0, "rebuilt": 0}
    need = {s for *_, f in touched for r in f["remaining"] for s in r}
    rebuilt = _rebuild(store, need) if need else GraphBatch()
    for label, ends, found in sorted(touched, key=lambda t: t[1] is None):  # edges first
        gone = found[[not r for r in found["remaining"]]]
        ids = sorted(gone["id"])
        if label == "Person" and ids:
            kept = set()
            for text in cypher.DECIDED_PEOPLE:
                kept |= set(store.query(text, {"ids": ids, "reviewer": REVIEWER})["id"])
            ids = [i for i in ids if i not in kept]
            # Kept for the decision that names them, but no longer evidence of anything.
            rows = [{"id": i, "sources": None, "first_seen": None, "last_seen": None} for i in kept]
            cast = store.backend == "embedded"
            text = cypher.set_properties(
                schema, label, ["sources", "first_seen", "last_seen"], cast=cast
            )
            _unwind(store, text, "rows", sorted(rows, key=lambda r: r["id"]))
        _unwind(store, cypher.delete_elements(schema, label, ends), "ids", ids)
        counts["nodes" if ends is None else "relationships"] += len(ids)
        left = found[[bool(r) for r in found["remaining"]]]
        if len(left):
            counts["rebuilt"] += _overwrite(store, label, ends, left, rebuilt)
    return counts


def _rebuild(store: GraphStore, source_ids: set[str]) -> GraphBatch:
    """The batch the current versions of ``source_ids`` build (from their stored content)."""
    contents = store.query(cypher.RECORD_CONTENTS)
    contents = contents[contents["source_id"].isin(source_ids)]
    frames = {}
    for kind, group in contents.groupby("kind"):
        rows = [json.loads(c) for c in group["content"]]
        frame = pd.DataFrame(rows)
        frame.insert(0, "file", group["file"].to_numpy())
        frame.insert(1, "row", group["row"].to_numpy())
        for col in ("first_seen", "last_seen"):
            if col in frame:
                frame[col] = [
                    dt.date.fromisoformat(d) if isinstance(d, str) else None for d in frame[col]
                ]
        frames[str(kind)] = frame.drop(
            columns=[c for c in PROVENANCE if c == "sheet" and c in frame]
        )
    return build_batch(frames) if frames else GraphBatch()


def _overwrite(
    store: GraphStore,
    label: str,
    ends: tuple[str, str] | None,
    found: pd.DataFrame,
    rebuilt: GraphBatch,
) -> int:
    """Set every record-derived property of ``found`` to its rebuilt value."""
    schema = store.schema
    if ends is None:
        declared = schema.node(label).properties
        frame = rebuilt.nodes.get(label)
    else:
        declared = schema.check_endpoints(label, *ends).properties
        frame = next(
            (
                e.frame
                for e in rebuilt.edges
                if (e.type, e.from_label, e.to_label) == (label, *ends)
            ),
            None,
        )
    props = [p for p in declared if p != schema.key and p not in cypher.RESOLUTION_PROPERTIES]
    by_id = frame.set_index("id") if frame is not None and len(frame) else pd.DataFrame()
    rows = []
    for element, remaining in zip(found["id"], found["remaining"], strict=True):
        if element in by_id.index:
            values = by_id.loc[element]
            row = {p: _value(values.get(p), declared[p]) for p in props}
        else:  # not rebuilt from records (e.g. a matrix's tie-less person): sources only
            row = {p: None for p in props}
            row["sources"] = remaining
        row["id"] = element
        rows.append(row)
    cast = store.backend == "embedded"
    _unwind(store, cypher.set_properties(schema, label, props, ends, cast=cast), "rows", rows)
    return len(rows)


def _value(value: object, typ: str) -> object:
    out = plain_value(value, typ)
    if isinstance(out, list) and not out:
        return None
    if isinstance(out, str) and not out:
        return None
    return out
