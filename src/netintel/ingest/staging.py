"""Staging: node and relationship rows collected one per record, then folded into a batch.

:class:`Rows` takes the rows of one frame of records as aligned Series (ids, properties; the
record id behind each row and the seen interval as day ordinals given once), checks labels and
types against the schema; its :class:`Stager` collects them and at the end folds them into one
row per id (:func:`netintel.batch.consolidate`).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netintel.batch import GraphBatch, consolidate
from netintel.schema import load_schema
from netintel.values.places import PlaceRow

Part = pd.Series | str


def hash_ids(prefix: str, *parts: Part) -> pd.Series:
    """Vectorised :func:`netintel.batch.stable_id` over aligned Series (or constant strings).

    >>> from netintel.batch import stable_id
    >>> hash_ids("R-", "CALLED", pd.Series(["r1", None])).tolist() == [
    ...     stable_id("CALLED", "r1", prefix="R-"), stable_id("CALLED", None, prefix="R-")]
    True
    """
    index = next(p.index for p in parts if isinstance(p, pd.Series))
    text: pd.Series | None = None
    for part in parts:
        if isinstance(part, pd.Series):
            s = part.astype(object).where(part.notna(), "").astype(str)
        else:
            s = pd.Series(str(part), index=index, dtype=object)
        text = s if text is None else text + "\x1f" + s
    assert text is not None
    codes, uniques = pd.factorize(text)
    uniques = np.asarray(uniques, dtype=object)  # iterating arrow-backed strings is slow
    hashed = np.array(
        [prefix + hashlib.blake2b(t.encode("utf-8"), digest_size=10).hexdigest() for t in uniques],
        dtype=object,
    )
    return pd.Series(hashed[codes], index=text.index, dtype=object)


Chains = tuple[np.ndarray, list[list[PlaceRow]]]


class Stager:
    """Collects node and edge rows (one per record, staged through :meth:`rows`), then folds
    them into the batch."""

    def __init__(self) -> None:
        self.schema = load_schema()
        self.parts: dict[tuple[str, ...], list[pd.DataFrame]] = {}

    def rows(self, rid: pd.Series, first: pd.Series | None, last: pd.Series | None) -> Rows:
        """Stage the rows of one frame of records (see :class:`Rows`)."""
        return Rows(self, rid, first, last)

    def finish(self) -> GraphBatch:
        """Fold the staged rows (one row per id) into a :class:`GraphBatch`."""
        batch = GraphBatch()
        for key, parts in self.parts.items():
            frame = pd.concat(parts, ignore_index=True)
            if key[0] == "node":
                props = self.schema.node(key[1]).properties
                columns = list(props)
            else:
                props = self.schema.check_endpoints(*key[1:]).properties
                columns = ["from", "to", *props]
            lists = tuple(c for c, t in props.items() if t == "STRING[]" and c != "sources")
            folded = consolidate(frame.rename(columns={"_rid": "sources"}), lists)
            for name in columns:
                if name not in folded:
                    empty = [[] for _ in range(len(folded))] if name in lists else None
                    folded[name] = pd.Series(empty, index=folded.index, dtype=object)
            if key[0] == "node":
                batch.add_nodes(key[1], folded[columns])
            else:
                batch.add_edges(key[1], key[2], key[3], folded[columns])
        batch.folded = True  # every frame went through consolidate above
        return batch


@dataclass(frozen=True)
class Rows:
    """Stages the rows of one frame of records into a :class:`Stager`: every row carries
    ``rid`` (the record id behind it) and ``first``/``last`` (its seen interval as day
    ordinals, ``None`` for none)."""

    stager: Stager
    rid: pd.Series
    first: pd.Series | None
    last: pd.Series | None

    def _stage(self, key: tuple[str, ...], data: dict[str, pd.Series], mask: pd.Series) -> None:
        frame = pd.DataFrame({k: v[mask] for k, v in data.items()})
        frame["_rid"] = self.rid[mask]
        for col, days in (("first_seen", self.first), ("last_seen", self.last)):
            frame[col] = days[mask].to_numpy(dtype=float) if days is not None else np.nan
        self.stager.parts.setdefault(key, []).append(frame.reset_index(drop=True))

    def nodes(self, label: str, mask: pd.Series, **props: pd.Series) -> None:
        """Stage one node row per true row of ``mask`` (ids in ``props['id']``)."""
        mask = mask & props["id"].notna()
        if mask.any():
            self.stager.schema.node(label)
            self._stage(("node", label), props, mask)

    def edges(
        self,
        rel: str,
        from_label: str,
        to_label: str,
        mask: pd.Series,
        src: pd.Series,
        dst: pd.Series,
        *,
        per_record: bool = False,
        **props: pd.Series,
    ) -> None:
        """Stage one relationship row per true row of ``mask`` with both ends known."""
        mask = mask & src.notna() & dst.notna()
        if not mask.any():
            return
        self.stager.schema.check_endpoints(rel, from_label, to_label)
        ids = hash_ids("R-", rel, self.rid) if per_record else hash_ids("R-", rel, src, dst)
        self._stage(
            ("edge", rel, from_label, to_label), {"from": src, "to": dst, "id": ids, **props}, mask
        )

    def places(self, chains: Chains) -> pd.Series:
        """Stage the Place chains (and LOCATED_IN edges) of each row; return the most specific id."""
        codes, table = chains

        def column(get: Callable[[list[PlaceRow]], object]) -> pd.Series:
            values = np.empty(len(table), dtype=object)
            values[:] = [get(c) for c in table]
            return pd.Series(values[codes], index=self.rid.index, dtype=object)

        for depth in range(3):

            def at(attr: str, d: int = depth) -> pd.Series:
                return column(lambda c: getattr(c[d], attr) if len(c) > d else None)

            ids, parent = at("id"), at("parent")
            has = ids.notna()
            if not has.any():
                break
            self.nodes(
                "Place", has, id=ids, name=at("name"), level=at("level"), country=at("country")
            )
            self.edges("LOCATED_IN", "Place", "Place", has, ids, parent)
        return column(lambda c: c[-1].id if c else None)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building creates millions of small lists (no
    cycles), and collections triggered by them rescan every live object, a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
