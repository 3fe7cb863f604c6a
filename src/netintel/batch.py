"""The hand-over between ingestion and the store: node and relationship frames.

A :class:`GraphBatch` is what ``ingest`` produces and what every ``GraphStore`` writes.

Frame contract
--------------
Node frame for label ``L`` (one :class:`pandas.DataFrame` per label):
    ``id`` (str, the key), any properties the schema declares for ``L``, ``sources`` (list of
    record ids), ``first_seen`` / ``last_seen`` (:class:`datetime.date` or missing).
Relationship frame (:class:`EdgeFrame`, one per ``(type, from_label, to_label)``):
    ``from`` and ``to`` (node ids), ``id`` (the relationship's deterministic key), the
    properties the schema declares for the type, ``sources``, ``first_seen``, ``last_seen``.

Rows with the same ``id`` are folded by :func:`consolidate`: sources are unioned, the seen
interval widened, list properties unioned, and scalar properties take the first non-missing
value. Stores apply the same rule when a key already exists, so loading records in any number
of batches, or twice, gives the same graph.

Examples
--------
>>> import datetime as dt
>>> f = pd.DataFrame({"id": ["+84912", "+84912"], "region": ["VN", None],
...                   "sources": [["r1"], ["r2", "r1"]],
...                   "first_seen": [dt.date(2024, 1, 2), dt.date(2023, 5, 1)],
...                   "last_seen": [dt.date(2024, 1, 2), None]})
>>> consolidate(f).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
{'id': '+84912', 'region': 'VN', 'sources': ['r1', 'r2'],
 'first_seen': datetime.date(2023, 5, 1), 'last_seen': datetime.date(2024, 1, 2)}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from netintel.schema import Schema

COMMON = ("sources", "first_seen", "last_seen")


def stable_id(*parts: object, prefix: str = "") -> str:
    """A deterministic id from its parts (missing parts count as empty).

    >>> stable_id("ARRESTED_IN", "P-1", "A-2", prefix="R-")
    'R-405a66339b14a2a0839a'
    """
    text = "\x1f".join(
        "" if p is None or (isinstance(p, float) and p != p) else str(p) for p in parts
    )
    return prefix + hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


@dataclass
class EdgeFrame:
    """Relationships of one type between one pair of labels."""

    type: str
    from_label: str
    to_label: str
    frame: pd.DataFrame


@dataclass
class GraphBatch:
    """Node frames by label and relationship frames, ready to write to a store."""

    nodes: dict[str, pd.DataFrame] = field(default_factory=dict)
    edges: list[EdgeFrame] = field(default_factory=list)

    def add_nodes(self, label: str, frame: pd.DataFrame) -> None:
        """Append node rows for ``label`` (folded with existing rows on :meth:`consolidated`)."""
        if frame.empty:
            return
        old = self.nodes.get(label)
        self.nodes[label] = frame if old is None else pd.concat([old, frame], ignore_index=True)

    def add_edges(self, rel_type: str, from_label: str, to_label: str, frame: pd.DataFrame) -> None:
        """Append relationship rows of ``rel_type`` from ``from_label`` to ``to_label``."""
        if frame.empty:
            return
        for e in self.edges:
            if (e.type, e.from_label, e.to_label) == (rel_type, from_label, to_label):
                e.frame = pd.concat([e.frame, frame], ignore_index=True)
                return
        self.edges.append(EdgeFrame(rel_type, from_label, to_label, frame))

    def extend(self, other: GraphBatch) -> None:
        """Append every frame of ``other``."""
        for label, frame in other.nodes.items():
            self.add_nodes(label, frame)
        for e in other.edges:
            self.add_edges(e.type, e.from_label, e.to_label, e.frame)

    def validate(self, schema: Schema) -> None:
        """Raise :class:`~netintel.errors.SchemaError` for an undeclared label, type or property."""
        from netintel.errors import SchemaError

        for label, frame in self.nodes.items():
            declared = schema.node(label).properties
            extra = set(frame.columns) - set(declared)
            if extra:
                raise SchemaError(f"{label}: undeclared properties {sorted(extra)}")
        for e in self.edges:
            declared = schema.check_endpoints(e.type, e.from_label, e.to_label).properties
            extra = set(e.frame.columns) - set(declared) - {"from", "to"}
            if extra:
                raise SchemaError(f"{e.type}: undeclared properties {sorted(extra)}")

    def consolidated(self) -> GraphBatch:
        """A copy in which every frame has one row per id (see :func:`consolidate`)."""
        return GraphBatch(
            {label: consolidate(f) for label, f in self.nodes.items()},
            [EdgeFrame(e.type, e.from_label, e.to_label, consolidate(e.frame)) for e in self.edges],
        )

    def counts(self) -> dict[str, int]:
        """Rows per label and per relationship type (after consolidation, if applied)."""
        out = {label: len(f) for label, f in self.nodes.items()}
        for e in self.edges:
            out[e.type] = out.get(e.type, 0) + len(e.frame)
        return out


def _union(lists: pd.Series) -> list:
    seen: dict = {}
    for value in lists:
        if isinstance(value, list | tuple):
            for item in value:
                if item is not None and item == item:
                    seen.setdefault(item, None)
    return sorted(seen)


def consolidate(frame: pd.DataFrame) -> pd.DataFrame:
    """Fold rows sharing an ``id`` into one (see the module docstring for the rule)."""
    if frame.empty or not frame["id"].duplicated().any():
        return frame.reset_index(drop=True)
    unique = frame.drop_duplicates("id", keep=False)
    dup = frame[frame["id"].duplicated(keep=False)]
    grouped = dup.groupby("id", sort=False)
    parts = {}
    for col in frame.columns:
        if col == "id":
            continue
        sample = dup[col].dropna()
        is_list = col == "sources" or (len(sample) > 0 and isinstance(sample.iloc[0], list | tuple))
        if is_list:
            parts[col] = grouped[col].agg(_union)
        elif col == "first_seen":
            parts[col] = grouped[col].min()
        elif col == "last_seen":
            parts[col] = grouped[col].max()
        else:
            parts[col] = grouped[col].first()
    folded = pd.DataFrame(parts).reset_index()[list(frame.columns)]
    out = pd.concat([unique, folded], ignore_index=True)
    out["sources"] = [sorted(set(s)) for s in out["sources"]]
    for col in ("first_seen", "last_seen"):
        if col in out:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out
