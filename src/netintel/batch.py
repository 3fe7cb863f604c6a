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
interval widened, list properties unioned, and each scalar property takes the **greatest**
non-missing value its records give (numbers by value, text by Unicode code point). Stores apply
the same rule when a key already exists (:func:`netintel.store.cypher.fold_scalar`), so loading
records in any number of batches, in any order, or twice, gives the same graph: every property
is a function of the set of records behind it, never of the order they arrived in.

Why the greatest value: the rule must be a function of the set of values alone (so that a store
can fold a new record into a stored node without re-reading the records behind it), and among
such rules it keeps the most information in the cases that occur: a full date of birth
(``1987-05-14``) over its year (``1987``), a name with its diacritics (``Nguyễn``) over its
ASCII transliteration (``Nguyen``: accented letters sort after plain ones). Every record's own
value stays on its ``Record`` node, so the choice is visible and checkable.

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

Whichever row comes first, the greatest value wins:

>>> g = pd.DataFrame({"id": ["P-1", "P-1", "P-1"], "dob": ["1987-05-14", "1987", None],
...                   "name": ["Nguyen Van Hung", "Nguyễn Văn Hùng", None], "sources": ["a", "b", "c"]})
>>> [consolidate(g.iloc[list(o)])[["dob", "name"]].iloc[0].tolist() for o in ([0, 1, 2], [2, 1, 0])]
[['1987-05-14', 'Nguyễn Văn Hùng'], ['1987-05-14', 'Nguyễn Văn Hùng']]
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netintel.errors import SchemaError
from netintel.schema import Schema

COMMON = ("sources", "first_seen", "last_seen")
SEEN = ("first_seen", "last_seen")


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
    """Node frames by label and relationship frames, ready to write to a store.

    ``folded`` says every frame already has one row per id in the form :func:`consolidate`
    gives, so :meth:`consolidated` has nothing to do; adding rows clears it.
    """

    nodes: dict[str, pd.DataFrame] = field(default_factory=dict)
    edges: list[EdgeFrame] = field(default_factory=list)
    folded: bool = False

    def add_nodes(self, label: str, frame: pd.DataFrame) -> None:
        """Append node rows for ``label`` (folded with existing rows on :meth:`consolidated`)."""
        if frame.empty:
            return
        self.folded = False
        old = self.nodes.get(label)
        self.nodes[label] = frame if old is None else pd.concat([old, frame], ignore_index=True)

    def add_edges(self, rel_type: str, from_label: str, to_label: str, frame: pd.DataFrame) -> None:
        """Append relationship rows of ``rel_type`` from ``from_label`` to ``to_label``."""
        if frame.empty:
            return
        self.folded = False
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
        """Check every frame against ``schema``.

        Raises
        ------
        SchemaError
            For an undeclared label, type, endpoint pair or property, or a frame without
            its key column (``from`` and ``to`` too for relationships), naming the frame.

        Examples
        --------
        >>> from netintel.schema import load_schema
        >>> batch = GraphBatch({"Phone": pd.DataFrame({"region": ["VN"]})})
        >>> batch.validate(load_schema())
        Traceback (most recent call last):
        ...
        netintel.errors.SchemaError: Phone: the frame lacks 'id' (it needs 'id')
        """
        for label, frame in self.nodes.items():
            declared = schema.node(label).properties
            _check_columns(label, frame, declared, (schema.key,))
        for e in self.edges:
            declared = schema.check_endpoints(e.type, e.from_label, e.to_label).properties
            name = f"{e.type} ({e.from_label})->({e.to_label})"
            _check_columns(name, e.frame, declared, ("from", "to", schema.key))

    def consolidated(self) -> GraphBatch:
        """A batch in which every frame has one row per id (see :func:`consolidate`)."""
        if self.folded:
            return self
        return GraphBatch(
            {label: consolidate(f) for label, f in self.nodes.items()},
            [EdgeFrame(e.type, e.from_label, e.to_label, consolidate(e.frame)) for e in self.edges],
            folded=True,
        )

    def counts(self) -> dict[str, int]:
        """Rows per label and per relationship type (after consolidation, if applied)."""
        out = {label: len(f) for label, f in self.nodes.items()}
        for e in self.edges:
            out[e.type] = out.get(e.type, 0) + len(e.frame)
        return out


def _check_columns(
    name: str, frame: pd.DataFrame, declared: dict[str, str], required: tuple[str, ...]
) -> None:
    """Raise :class:`SchemaError` for a missing required column or an undeclared one."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{name}: the frame lacks {', '.join(map(repr, missing))} "
            f"(it needs {', '.join(map(repr, required))})"
        )
    extra = set(frame.columns) - set(declared) - set(required)
    if extra:
        raise SchemaError(f"{name}: undeclared properties {sorted(extra)}")


def union_by_group(codes: np.ndarray, values: pd.Series, n: int) -> list[list]:
    """Sorted distinct non-missing values per group code (``values`` may hold lists)."""
    vals = values.to_numpy(dtype=object)
    present = values.notna().to_numpy()
    sample = vals[present][:1]
    is_lists = len(sample) and isinstance(sample[0], list | tuple | np.ndarray)
    if not is_lists and n == len(vals):  # one row per group: nothing to merge or sort
        out_one: list[list] = [[] for _ in range(n)]
        for code, value, ok in zip(codes.tolist(), vals.tolist(), present.tolist(), strict=True):
            if ok:
                out_one[code] = [value]
        return out_one
    if is_lists:
        is_list = [isinstance(v, list | tuple | np.ndarray) for v in vals]
        lengths = np.array([len(v) if ok else 0 for v, ok in zip(vals, is_list, strict=True)])
        codes = np.repeat(codes, lengths)
        vals = np.array(
            [x for v, ok in zip(vals, is_list, strict=True) if ok for x in v], dtype=object
        )
        present = pd.notna(vals)
    codes, vals = codes[present], vals[present]
    out: list[list] = [[] for _ in range(n)]
    if not len(vals):
        return out
    vcodes, uniques = pd.factorize(vals, sort=True)
    key = np.sort(codes.astype(np.int64) * len(uniques) + vcodes)
    key = key[np.r_[True, key[1:] != key[:-1]]]
    g = key // len(uniques)
    items = np.asarray(uniques, dtype=object)[key % len(uniques)].tolist()
    bounds = (np.flatnonzero(np.diff(g)) + 1).tolist()
    starts, ends = [0, *bounds], [*bounds, len(items)]
    for gid, a, b in zip(g[starts].tolist(), starts, ends, strict=True):
        out[gid] = items[a:b]
    return out


def to_ordinals(dates: pd.Series) -> np.ndarray:
    """:class:`datetime.date` values as float day ordinals (NaN where missing)."""
    codes, uniques = pd.factorize(dates)
    table = np.array([d.toordinal() for d in uniques] + [np.nan], dtype=float)
    return table[codes]


def from_ordinals(days: np.ndarray) -> list:
    """Day ordinals back to :class:`datetime.date` (``None`` for NaN)."""
    codes, uniques = pd.factorize(days)
    table = np.array([dt.date.fromordinal(int(d)) for d in uniques] + [None], dtype=object)
    return table[codes].tolist()


def _dates(series: pd.Series, codes: np.ndarray, how: str) -> list:
    days = series.to_numpy(dtype=float) if series.dtype.kind == "f" else to_ordinals(series)
    grouped = getattr(pd.Series(days).groupby(codes, sort=True), how)()
    return from_ordinals(grouped.to_numpy())


def consolidate(frame: pd.DataFrame, list_columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Fold rows sharing an ``id`` into one (see the module docstring for the rule).

    Vectorised with group codes, so a million rows fold in seconds. ``sources`` may hold
    lists of record ids or single record ids. ``list_columns`` are unioned like ``sources``;
    by default, every column whose first non-missing value is a list. Scalar columns take the
    greatest non-missing value of their group (:func:`greatest_by_group`). Rows come out
    sorted by ``id``, so the frame itself does not depend on the order of the input rows.
    """
    if list_columns is None:
        list_columns = tuple(
            c
            for c in frame.columns
            if c != "sources" and isinstance(_first(frame[c]), list | tuple | np.ndarray)
        )
    codes, uniques = pd.factorize(frame["id"], sort=True)
    n = len(uniques)
    out: dict[str, object] = {"id": np.asarray(uniques, dtype=object)}
    scalars = [c for c in frame.columns if c not in ("id", "sources", *SEEN, *list_columns)]
    if n == len(frame):  # one row per id: values as they are, in id order
        order = np.argsort(codes, kind="stable")
        chosen = frame[scalars].iloc[order].reset_index(drop=True)
    else:
        chosen = greatest_by_group(frame[scalars], codes)
    for col in scalars:
        values = chosen[col].astype(object)
        out[col] = values.where(values.notna(), None).to_numpy()
    for col in (*list_columns, "sources"):
        if col in frame:
            out[col] = union_by_group(codes, frame[col], n)
    for col, how in zip(SEEN, ("min", "max"), strict=True):
        if col in frame:
            out[col] = _dates(frame[col], codes, how)
    order = [c for c in frame.columns if c in out]
    return pd.DataFrame({k: pd.Series(out[k], dtype=object) for k in order})


def greatest_by_group(frame: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    """Per group code (0..n-1, all present), the greatest non-missing value of each column.

    Numbers compare by value, text by Unicode code point (as both stores compare them). A
    column mixing types (which a schema-typed frame never does) falls back to comparing the
    values' text, so the result is still independent of row order.

    >>> f = pd.DataFrame({"a": ["x", None, "y"], "q": [1.0, 2.0, None]}, dtype=object)
    >>> greatest_by_group(f, np.array([0, 0, 1])).to_dict("list")
    {'a': ['x', 'y'], 'q': [2.0, None]}
    """
    out = {}
    for col in frame.columns:
        values = frame[col].astype(object)
        values = values.where(values.notna(), None)
        try:
            folded = values.groupby(codes, sort=True).max()
        except TypeError:
            text = values.map(lambda v: None if v is None else f"{type(v).__name__}:{v}")
            best = text.groupby(codes, sort=True).max()
            lookup = dict(zip(text, values, strict=True))
            folded = pd.Series([lookup.get(t) for t in best], index=best.index, dtype=object)
        folded = folded.astype(object)
        out[col] = folded.where(folded.notna(), None).to_numpy()
    return pd.DataFrame(out, columns=list(frame.columns))


def _first(values: pd.Series) -> object:
    present = values.dropna()
    return present.iloc[0] if len(present) else None
