"""Resolution against a graph store: read the Person nodes, write the result and decisions.

Everything goes through :class:`~netintel.store.base.GraphStore` (``write`` for new
relationships, ``query`` with the portable texts of :mod:`netintel.store.cypher`), so it
works on every backend. What is stored:

- on each Person node: ``resolved_id``, ``match_probability``, ``match_rule``;
- ``SAME_AS`` between merged Person nodes, with the evidence (``probability``, ``rule``,
  ``agreed``, ``decided_by``); those a reviewer decided survive re-runs, the others are
  recomputed each run, so re-running is idempotent;
- ``NOT_SAME_AS`` for each pair a reviewer rejected.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netintel.batch import GraphBatch, stable_id
from netintel.errors import InputError
from netintel.resolve.core import Resolution, normalise_decisions, resolve_people
from netintel.resolve.prepare import as_list
from netintel.resolve.settings import ResolutionSettings
from netintel.store import cypher
from netintel.store.base import GraphStore

log = logging.getLogger(__name__)

REVIEWER = "reviewer"
_CHUNK = 20_000

# Pairs are always stored from the smaller id to the larger one; ``$rows`` holds
# ``{left, right}`` maps. Portable texts (both stores run them).
#: The model's merges (not a reviewer's) of the pairs in ``$rows``.
FORGET_MODEL_MERGES = (
    "UNWIND $rows AS row MATCH (a:Person)-[r:SAME_AS]->(b:Person) "
    "WHERE a.id = row.left AND b.id = row.right "
    "AND (r.decided_by IS NULL OR r.decided_by <> $reviewer) DELETE r"
)
#: Rejections of the pairs in ``$rows`` (once they have been accepted).
FORGET_REJECTIONS = (
    "UNWIND $rows AS row MATCH (a:Person)-[r:NOT_SAME_AS]->(b:Person) "
    "WHERE a.id = row.left AND b.id = row.right DELETE r"
)
#: Every merge of the pairs in ``$rows`` (once they have been rejected).
FORGET_MERGES = (
    "UNWIND $rows AS row MATCH (a:Person)-[r:SAME_AS]->(b:Person) "
    "WHERE a.id = row.left AND b.id = row.right DELETE r"
)


def read_persons(store: GraphStore) -> pd.DataFrame:
    """The record-level people of a store with what resolution compares.

    Columns: ``person_id, name, aliases, dob, national_id, passport, nationality, sources,
    phones, addresses, plates, provinces``.
    """
    persons = store.query(cypher.RESOLVE_PERSONS)
    for col in ("aliases", "sources"):
        persons[col] = [as_list(v) for v in persons[col].to_numpy(dtype=object)]
    if "passport" in store.schema.node("Person").properties:
        passports = store.query(cypher.RESOLVE_PASSPORTS).set_index("person_id")["passport"]
        persons["passport"] = persons["person_id"].map(passports)
    else:
        persons["passport"] = None
    for name, text in (
        ("phones", cypher.RESOLVE_PHONES),
        ("addresses", cypher.RESOLVE_ADDRESSES),
        ("plates", cypher.RESOLVE_PLATES),
        ("provinces", cypher.RESOLVE_PROVINCES),
    ):
        found = store.query(text).dropna()
        grouped = found.groupby("person_id")["value"].agg(lambda v: sorted(set(v)))
        persons[name] = [grouped.get(pid, []) for pid in persons["person_id"]]
    return persons.sort_values("person_id", ignore_index=True)


def read_decisions(store: GraphStore) -> pd.DataFrame:
    """The reviewer decisions kept in the store: ``left, right, decision``."""
    found = store.query(cypher.RESOLVE_DECISIONS, {"reviewer": REVIEWER})
    return normalise_decisions(found)


def resolve_store(
    store: GraphStore,
    *,
    settings: ResolutionSettings | None = None,
    seed: int = 0,
    spark: Any | None = None,
) -> Resolution:
    """Resolve the people of ``store`` and write the result back (see the module docstring)."""
    with store.transaction("resolve"):  # readers see the old resolution or the new one
        persons = read_persons(store)
        decisions = read_decisions(store)
        result = resolve_people(
            persons, settings=settings, decisions=decisions, seed=seed, spark=spark
        )
        write_resolution(store, result)
    return result


def _pair_frame(pairs: pd.DataFrame, sources: pd.Series, **props: object) -> pd.DataFrame:
    left, right = pairs["left"].astype(str), pairs["right"].astype(str)
    src = [
        sorted(set(as_list(sources.get(a))) | set(as_list(sources.get(b))))
        for a, b in zip(left, right, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "from": left.to_numpy(),
            "to": right.to_numpy(),
            "id": [stable_id(a, b, prefix="SA-") for a, b in zip(left, right, strict=True)],
            "sources": src,
            "first_seen": None,
            "last_seen": None,
        }
    )
    for name, value in props.items():
        frame[name] = value if not isinstance(value, pd.Series) else value.to_numpy()
    return frame


def write_resolution(store: GraphStore, result: Resolution) -> None:
    """Store a :class:`Resolution`: node properties, and SAME_AS for the merges not decided
    by a reviewer (those of earlier runs are replaced)."""
    store.query(cypher.RESOLVE_CLEAR_MERGES, {"reviewer": REVIEWER}, write=True)
    links = result.links[result.links["decided_by"] != REVIEWER].reset_index(drop=True)
    sources = result.assignments.set_index("person_id")["sources"]
    if len(links):
        batch = GraphBatch()
        frame = _pair_frame(
            links,
            sources,
            probability=links["probability"].astype(float),
            rule=links["rule"].astype(object),
            agreed=pd.Series([list(a) for a in links["agreed"]], dtype=object),
            decided_by=links["decided_by"].astype(object),
        )
        batch.add_edges("SAME_AS", "Person", "Person", frame)
        store.write(batch)
    a = result.assignments
    prob = a["match_probability"].astype(float).to_numpy()
    merged, alone = [], []
    for pid, rid, p, rule in zip(a["person_id"], a["resolved_id"], prob, a["rule"], strict=True):
        if np.isnan(p):
            alone.append({"person_id": pid, "resolved_id": rid})
        else:
            merged.append(
                {
                    "person_id": pid,
                    "resolved_id": rid,
                    "match_probability": float(p),
                    "match_rule": str(rule),
                }
            )
    for text, rows in ((cypher.RESOLVE_SET, merged), (cypher.RESOLVE_SET_ALONE, alone)):
        for start in range(0, len(rows), _CHUNK):
            store.query(text, {"rows": rows[start : start + _CHUNK]}, write=True)


def apply_decisions(store: GraphStore, decisions: pd.DataFrame | str | Path) -> dict[str, int]:
    """Record reviewer decisions in the store (a later decision on a pair replaces an earlier one).

    Parameters
    ----------
    store : GraphStore
    decisions : DataFrame or path
        The review queue with its ``decision`` column filled in (``accept`` / ``reject``),
        or any table with ``left_id, right_id, decision``; a .csv, .parquet or .json path.

    Returns
    -------
    dict
        ``accepted`` and ``rejected`` counts.

    Raises
    ------
    InputError
        If a decision names an unknown Person id or an unknown decision.
    """
    if not isinstance(decisions, pd.DataFrame):
        decisions = _read_table(Path(decisions))
    d = normalise_decisions(decisions)
    if d.empty:
        return {"accepted": 0, "rejected": 0}
    ids = set(store.query(cypher.RESOLVE_PERSON_IDS)["id"])
    unknown = sorted((set(d["left"]) | set(d["right"])) - ids)
    if unknown:
        raise InputError(
            f"decisions name {len(unknown)} unknown Person id(s), e.g. {unknown[0]!r}: "
            "use the ids of the review queue (left_id, right_id)"
        )
    acc = d[d["decision"] == "accept"].reset_index(drop=True)
    rej = d[d["decision"] == "reject"].reset_index(drop=True)
    # No stored decision is removed before the one replacing it is written: first the
    # model's own merges of accepted pairs go (they are no decision, and an accept must
    # replace them, not fold into them), then the decisions are written, and only then are
    # the earlier decisions they contradict removed. Callers run all of it as one
    # transaction (the workspace does); even without one, an interruption never loses a
    # decision.
    with store.transaction("review apply"):
        _each_pair(store, FORGET_MODEL_MERGES, acc, reviewer=REVIEWER)
        persons = store.query(cypher.RESOLVE_PERSON_SOURCES)
        sources = persons.set_index("id")["sources"]
        batch = GraphBatch()
        if len(acc):
            frame = _pair_frame(
                acc,
                sources,
                probability=1.0,
                rule="reviewer",
                agreed=pd.Series([[] for _ in range(len(acc))], dtype=object),
                decided_by=REVIEWER,
            )
            batch.add_edges("SAME_AS", "Person", "Person", frame)
        if len(rej):
            frame = _pair_frame(rej, sources, decided_by=REVIEWER, note=None)
            frame["id"] = [
                stable_id(a, b, prefix="NSA-")
                for a, b in zip(frame["from"], frame["to"], strict=True)
            ]
            batch.add_edges("NOT_SAME_AS", "Person", "Person", frame)
        store.write(batch)
        _each_pair(store, FORGET_REJECTIONS, acc)
        _each_pair(store, FORGET_MERGES, rej)
    return {"accepted": len(acc), "rejected": len(rej)}


def split_decisions(store: GraphStore, person_id: str) -> pd.DataFrame:
    """Decisions that take Person node ``person_id`` out of its resolved person: a rejection
    against every other member (apply them with :func:`apply_decisions`, then resolve)."""
    resolved = store.query(cypher.RESOLVE_RESOLVED)
    row = resolved[resolved["person_id"] == person_id]
    if row.empty:
        raise InputError(f"no Person node {person_id!r}")
    rid = row["resolved_id"].iloc[0]
    if rid is None or (isinstance(rid, float) and np.isnan(rid)):
        return pd.DataFrame(columns=["left_id", "right_id", "decision"])
    others = resolved.loc[
        (resolved["resolved_id"] == rid) & (resolved["person_id"] != person_id), "person_id"
    ]
    return pd.DataFrame({"left_id": person_id, "right_id": others.to_numpy(), "decision": "reject"})


def _each_pair(store: GraphStore, text: str, d: pd.DataFrame, **params: str) -> None:
    """Run ``text`` with ``$rows`` = the pairs of ``d`` (in chunks; nothing when empty)."""
    rows = [{"left": a, "right": b} for a, b in zip(d["left"], d["right"], strict=True)]
    for start in range(0, len(rows), _CHUNK):
        store.query(text, {**params, "rows": rows[start : start + _CHUNK]}, write=True)


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in {".json", ".jsonl"}:
            return pd.read_json(path, lines=suffix == ".jsonl", dtype=False)
        if suffix == ".xlsx":  # the review queue written as .xlsx, decisions filled in Excel
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read decisions from {path}: {e}") from e
