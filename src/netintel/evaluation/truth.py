"""The planted truth of :mod:`netintel.synthetic`, and which planted person each graph person is.

A synthetic set comes with ``truth.json``: the planted people (their names, national ids,
roles, rings and the record ids that name them), the leaders, brokers, decoys, rings,
corridors, hidden ties, successions and malformed rows. Graph people are matched to planted
people by the records behind them (:func:`map_people`); every score of
:mod:`netintel.evaluation` starts from that match.

Column contract
---------------
people
    ``person_id``, ``name``, ``national_id``, ``sources`` (list of record ids), as stored on
    graph Person nodes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from netintel.errors import InputError, InvalidValueError
from netintel.values import fold, identifier_key

__all__ = [
    "gatekeepers",
    "graph_mapping",
    "load_truth",
    "map_people",
    "resolved_people",
    "truth_frame",
    "truth_ids",
]


def load_truth(path: str | Path) -> dict:
    """Read a ``truth.json`` written by :func:`netintel.synthetic.write`.

    Parameters
    ----------
    path : str or Path
        The file, or the folder that holds ``truth.json``.

    Returns
    -------
    dict

    Raises
    ------
    InputError
        If there is no such file, or it is not a netintel truth file.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "truth.json").write_text(json.dumps({"persons": {}, "leaders": []}))
    >>> load_truth(folder)
    {'persons': {}, 'leaders': []}
    """
    p = Path(path)
    if p.is_dir():
        p = p / "truth.json"
    try:
        truth = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no truth file {p}: generate one with `netintel generate`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"cannot read the truth file {p}: {e}") from e
    if not isinstance(truth, dict) or "persons" not in truth or "leaders" not in truth:
        raise InputError(f"{p} is not a netintel truth file (no 'persons' / 'leaders')")
    return truth


def truth_frame(truth: dict) -> pd.DataFrame:
    """One row per planted person: ``truth_id``, ``name``, ``national_id``, ``role``,
    ``rings`` (list), ``side``.

    Examples
    --------
    >>> t = {"persons": {"T1": {"name": "Lê Văn Hùng", "national_id": "040", "role": "leader",
    ...                         "rings": ["R01"], "side": "VN"}}, "leaders": ["T1"]}
    >>> truth_frame(t)[["truth_id", "role"]].to_dict("records")
    [{'truth_id': 'T1', 'role': 'leader'}]
    """
    rows = [
        {
            "truth_id": tid,
            "name": p.get("name"),
            "national_id": p.get("national_id"),
            "role": p.get("role"),
            "rings": list(p.get("rings", [])),
            "side": p.get("side"),
        }
        for tid, p in truth["persons"].items()
    ]
    return pd.DataFrame(rows, columns=["truth_id", "name", "national_id", "role", "rings", "side"])


def gatekeepers(truth: dict) -> list[str]:
    """The planted gatekeepers: ``truth["gatekeepers"]``, or, in truth files that predate it,
    the brokers whose rings include both a Lao-side and a Vietnamese-side ring.

    Examples
    --------
    >>> truth = {"brokers": ["T1", "T2"], "rings": [{"id": "R1", "side": "LA"},
    ...     {"id": "R2", "side": "VN"}, {"id": "R3", "side": "VN"}],
    ...     "persons": {"T1": {"rings": ["R1", "R2"]}, "T2": {"rings": ["R2", "R3"]}}}
    >>> gatekeepers(truth)
    ['T1']
    """
    if "gatekeepers" in truth:
        return list(truth["gatekeepers"])
    side = {r["id"]: r.get("side") for r in truth.get("rings", [])}
    out = []
    for b in truth.get("brokers", []):
        sides = {side.get(r) for r in truth["persons"].get(b, {}).get("rings", [])}
        if {"LA", "VN"} <= sides:
            out.append(b)
    return out


def _nid(value: object) -> str:
    return identifier_key(value) or ""


def _as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def map_people(people: pd.DataFrame, truth: dict) -> pd.Series:
    """Match graph people to planted people.

    Each record id in a person's ``sources`` votes for the planted people that record
    names (an arrest row names one, a link row two); the majority wins, ties going to the
    candidate with the same national id, then the same folded name (canonical or a recorded
    variant), then the smaller truth id. People without votes are matched by national id.

    Parameters
    ----------
    people : pandas.DataFrame
        Columns ``person_id``, ``name``, ``national_id``, ``sources``.
    truth : dict
        From :func:`load_truth` or ``SyntheticDataset.truth``.

    Returns
    -------
    pandas.Series
        Indexed by ``person_id`` (in the order of ``people``), named ``truth_id``: the
        planted person's id, or NaN where none matches.

    Raises
    ------
    InvalidValueError
        If ``person_id`` or ``sources`` is missing (also a ``ValueError``).

    Examples
    --------
    >>> truth = {"leaders": ["T1"], "persons": {
    ...     "T1": {"name": "Nguyễn Văn Hùng", "national_id": "040087000001",
    ...            "record_ids": ["ARR-1", "LNK-1"]},
    ...     "T2": {"name": "Souksavanh Vongsa", "national_id": "05-0000001",
    ...            "record_ids": ["ARR-2", "LNK-1"]}}}
    >>> people = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"],
    ...     "name": ["Nguyen Van Hung", "Souksavan Vongsa", "X", "Y"],
    ...     "national_id": [None, None, "05-0000001", None],
    ...     "sources": [["ARR-1", "LNK-1"], ["LNK-1"], [], ["SZ-9"]]})
    >>> map_people(people, truth).tolist()
    ['T1', 'T2', 'T2', nan]
    """
    missing = {"person_id", "sources"} - set(people.columns)
    if missing:
        raise InvalidValueError(f"people lacks columns {sorted(missing)}")
    persons = truth["persons"]
    index = pd.Index(people["person_id"], name="person_id")
    out = pd.Series(np.nan, index=index, name="truth_id", dtype=object)
    if people.empty:
        return out

    rec = pd.DataFrame(
        [(rid, tid) for tid, p in persons.items() for rid in p.get("record_ids", [])],
        columns=["record_id", "truth_id"],
    )
    src = pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy(),
            "record_id": [_as_list(s) for s in people["sources"]],
        }
    )
    src = src.explode("record_id").dropna(subset=["record_id"]).drop_duplicates()
    votes = src.merge(rec, on="record_id").groupby(["person_id", "truth_id"]).size()
    votes = votes.rename("votes").reset_index()
    if not votes.empty:
        best = _best_votes(votes, people, truth)
        out.loc[best.index] = best
    by_nid = {_nid(p.get("national_id")): tid for tid, p in persons.items() if p.get("national_id")}
    todo = out.isna().to_numpy()
    if todo.any() and "national_id" in people:
        nids = [_nid(x) for x in people["national_id"].to_numpy()[todo]]
        out.iloc[np.flatnonzero(todo)] = [by_nid.get(x, np.nan) if x else np.nan for x in nids]
    return out


def _best_votes(votes: pd.DataFrame, people: pd.DataFrame, truth: dict) -> pd.Series:
    """The winner of each person's ``votes`` (``person_id, truth_id, votes``, not empty):
    the most votes, then the same national id, then the closest folded name, then the
    smaller truth id (see :func:`map_people`)."""
    persons = truth["persons"]
    p_name = dict(
        zip(people["person_id"], people.get("name", pd.Series(dtype=object)), strict=False)
    )
    p_nid = dict(
        zip(people["person_id"], people.get("national_id", pd.Series(dtype=object)), strict=False)
    )
    top = votes.groupby("person_id")["votes"].transform("max")
    votes = votes[votes["votes"] == top].copy()
    tied = votes["person_id"].duplicated(keep=False).to_numpy()
    votes["nid"] = False
    votes["similar"] = 0.0
    if tied.any():
        t_nid = {tid: _nid(p.get("national_id")) for tid, p in persons.items()}
        names: dict[str, set[str]] = {tid: {fold(p.get("name"))} for tid, p in persons.items()}
        for tid, entries in truth.get("duplicates", {}).items():
            names.setdefault(tid, set()).update(fold(e.get("name")) for e in entries)
        sub = votes[tied]
        votes.loc[tied, "nid"] = [
            bool(_nid(p_nid.get(pid))) and _nid(p_nid.get(pid)) == t_nid.get(tid, "")
            for pid, tid in zip(sub["person_id"], sub["truth_id"], strict=True)
        ]
        votes.loc[tied, "similar"] = [
            max(
                SequenceMatcher(None, fold(p_name.get(pid)), n).ratio()
                for n in names.get(tid, {""})
            )
            for pid, tid in zip(sub["person_id"], sub["truth_id"], strict=True)
        ]
    best = votes.sort_values(
        ["person_id", "nid", "similar", "truth_id"], ascending=[True, False, False, True]
    )
    return best.drop_duplicates("person_id").set_index("person_id")["truth_id"]


def truth_ids(person_ids: Iterable, mapping: pd.Series) -> list[str]:
    """The planted id of each person in ``person_ids`` (in that order), ``""`` where
    ``mapping`` (from :func:`map_people`) has none.

    Examples
    --------
    >>> truth_ids(["p2", "p1", "p9"], pd.Series({"p1": "T1", "p2": np.nan}))
    ['', 'T1', '']
    """
    mapping = mapping[~mapping.index.duplicated()]
    found = (mapping.get(pid, np.nan) for pid in person_ids)
    return [t if isinstance(t, str) else "" for t in found]


def graph_mapping(G: nx.Graph, truth: dict) -> pd.Series:
    """Planted id of each person of the person graph ``G``, matched by the records behind
    the (resolved) person, as :func:`map_people` does for stored people.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.nodes["a"]["sources"] = ["ARR-1"]
    >>> truth = {"leaders": [], "persons": {"T1": {"record_ids": ["ARR-1"]}}}
    >>> graph_mapping(G, truth).to_dict()
    {'a': 'T1', 'b': nan}
    """
    people = pd.DataFrame(
        {
            "person_id": list(G),
            "name": [G.nodes[u].get("name") for u in G],
            "sources": [list(G.nodes[u].get("sources") or ()) for u in G],
        }
    )
    mapping = map_people(people, truth)
    return mapping[~mapping.index.duplicated()]


def resolved_people(people: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved person (``resolved_id``, or the person's own id where there is
    none) with the first ``name`` and ``national_id`` of its members and the union of their
    ``sources``, sorted by ``person_id``.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "name": ["A", "A.", "B"],
    ...     "national_id": [None, "9", None], "resolved_id": ["r1", "r1", None],
    ...     "sources": [["ARR-2"], ["ARR-1"], None]})
    >>> resolved_people(people)[["person_id", "sources"]].to_dict("records")
    [{'person_id': 'p3', 'sources': []}, {'person_id': 'r1', 'sources': ['ARR-1', 'ARR-2']}]
    """
    rid = people["resolved_id"].where(people["resolved_id"].notna(), people["person_id"])
    grouped = people.assign(person_id=rid).groupby("person_id", sort=True)
    return pd.DataFrame(
        {
            "person_id": list(grouped.groups),
            "name": grouped["name"].first().to_numpy(),
            "national_id": grouped["national_id"].first().to_numpy(),
            "sources": grouped["sources"]
            .agg(lambda s: sorted({r for x in s for r in (list(x) if x is not None else [])}))
            .to_numpy(),
        }
    )
