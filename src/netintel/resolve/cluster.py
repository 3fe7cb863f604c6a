"""Clustering: matched pairs into resolved people, strongest evidence first, with constraints.

Connected components alone would let one ambiguous mention chain two namesakes together.
Here pairs are applied in order (reviewer acceptances, then deterministic rules in settings
order, then model pairs by falling probability; ties by the pair's ids) and a pair is
applied only if the two groups it joins are compatible:

- no pair across them was rejected by a reviewer;
- their plausible national IDs agree (at most one character apart: a typo);
- their full dates of birth agree (one character apart at most), and so do their years.

"One character apart" is :func:`netintel.values.one_edit_apart`: one substitution,
insertion, deletion or swap of neighbours.

Reviewer acceptances are applied regardless of identifiers (the reviewer has seen them);
deterministic national-ID and passport matches only check reviewer rejections. A model pair
that is refused goes to the review queue.

A resolved person's id is the smallest Person id among its members: stable across re-runs,
and the same as the Person id for people that nothing merged.

Examples
--------
>>> import pandas as pd
>>> nodes = pd.DataFrame({"person_id": ["a", "b", "c"], "dob": [None, None, None],
...                       "national_id": ["040087000001", None, "079190000777"]})
>>> pairs = pd.DataFrame({"left": ["a", "b"], "right": ["b", "c"],
...     "probability": [0.99, 0.98], "rule": ["model", "model"], "agreed": [[], []],
...     "decided_by": ["model", "model"]})
>>> out = cluster(nodes, pairs, rejected=[])
>>> out.assignments["resolved_id"].tolist(), out.refused[["left", "right"]].values.tolist()
(['a', 'a', 'c'], [['b', 'c']])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netintel.errors import InputError
from netintel.values import one_edit_apart

FORCED = "reviewer"
KEY_RULES = {"national_id", "passport"}


def _compatible(x: set[str], y: set[str]) -> bool:
    return not x or not y or any(one_edit_apart(a, b) for a in x for b in y)


@dataclass
class Clusters:
    """The result of :func:`cluster`.

    Attributes
    ----------
    assignments : DataFrame
        ``person_id, resolved_id, match_probability, rule``: per Person node, its resolved
        person and the strongest applied pair touching it (NaN and ``""`` when alone).
    applied : DataFrame
        The pairs applied (their evidence: ``left, right, probability, rule, agreed,
        decided_by``).
    refused : DataFrame
        Pairs at or above the match threshold that a constraint kept apart, with ``reason``.
    """

    assignments: pd.DataFrame
    applied: pd.DataFrame
    refused: pd.DataFrame


def cluster(
    nodes: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    rejected: Iterable[tuple[str, str]],
    constraints: Iterable[str] = ("national_id", "dob"),
) -> Clusters:
    """Group nodes by applying ``pairs`` in order under the constraints above.

    Parameters
    ----------
    nodes : pandas.DataFrame
        ``person_id``, ``national_id`` (plausible, cleaned), ``dob``.
    pairs : pandas.DataFrame
        ``left, right, probability, rule, agreed, decided_by``, already in the order to
        apply (see :func:`order_pairs`).
    rejected : iterable of (str, str)
        Pairs a reviewer kept apart.
    constraints : iterable of str
        Which identifiers keep groups apart: ``national_id``, ``dob`` (full dates and
        years of birth).
    """
    ids = nodes["person_id"].astype(str).tolist()
    index = {pid: i for i, pid in enumerate(ids)}
    parent = list(range(len(ids)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ids))}
    nid: dict[int, set[str]] = {}
    dob: dict[int, set[str]] = {}
    year: dict[int, set[str]] = {}
    constraints = set(constraints)
    unknown = constraints - {"national_id", "dob"}
    if unknown:
        raise InputError(f"unknown constraints {sorted(unknown)}: use national_id, dob")
    for i, (n, d) in enumerate(zip(nodes["national_id"], nodes["dob"], strict=True)):
        if isinstance(n, str) and n and "national_id" in constraints:
            nid[i] = {n}
        if isinstance(d, str) and len(d) >= 4 and "dob" in constraints:
            year[i] = {d[:4]}
            if len(d) == 10:
                dob[i] = {d}
    cannot: dict[int, set[int]] = {}
    for a, b in rejected:
        if a in index and b in index:
            cannot.setdefault(index[a], set()).add(index[b])
            cannot.setdefault(index[b], set()).add(index[a])

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    applied, refused = [], []
    lefts, rights = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    rules, deciders = pairs["rule"].to_numpy(), pairs["decided_by"].to_numpy()
    for k in range(len(pairs)):
        a, b = index.get(lefts[k]), index.get(rights[k])
        if a is None or b is None:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            applied.append(k)
            continue
        reason = None
        if deciders[k] != FORCED:
            small, other = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
            if cannot and any(find(c) == other for m in members[small] for c in cannot.get(m, ())):
                reason = "rejected by a reviewer"
            elif rules[k] not in KEY_RULES:
                if not _compatible(nid.get(ra, set()), nid.get(rb, set())):
                    reason = "different national IDs"
                elif not _compatible(dob.get(ra, set()), dob.get(rb, set())):
                    reason = "different dates of birth"
                elif not _compatible(year.get(ra, set()), year.get(rb, set())):
                    reason = "different years of birth"
        if reason:
            refused.append((k, reason))
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        for attr in (nid, dob, year):
            if rb in attr:
                attr.setdefault(ra, set()).update(attr.pop(rb))
        applied.append(k)

    roots = np.array([find(i) for i in range(len(ids))])
    anchor = {r: min(ids[m] for m in ms) for r, ms in members.items()}
    out = pd.DataFrame(  # text columns even when empty (a database with no people)
        {"person_id": ids, "resolved_id": [anchor[r] for r in roots]},
        dtype=None if ids else "str",
    )
    done = pairs.iloc[applied].reset_index(drop=True)
    strongest = pd.concat(
        [
            done[["left", "probability", "rule"]].rename(columns={"left": "person_id"}),
            done[["right", "probability", "rule"]].rename(columns={"right": "person_id"}),
        ],
        ignore_index=True,
    )
    strongest = strongest.sort_values(["person_id", "probability"], ascending=[True, False])
    strongest = strongest.drop_duplicates("person_id").set_index("person_id")
    out["match_probability"] = out["person_id"].map(strongest["probability"]).astype(float)
    rule_of = strongest["rule"].to_dict()
    out["rule"] = pd.Series([rule_of.get(p, "") for p in out["person_id"]], dtype=object)
    alone = out.groupby("resolved_id")["person_id"].transform("size") == 1
    out.loc[alone, ["match_probability"]] = np.nan
    out.loc[alone, "rule"] = ""
    refused_frame = pairs.iloc[[k for k, _ in refused]].reset_index(drop=True)
    refused_frame["reason"] = [r for _, r in refused]
    return Clusters(out, done, refused_frame)


def order_pairs(
    accepted: pd.DataFrame, rules: pd.DataFrame, model: pd.DataFrame, rule_order: list[str]
) -> pd.DataFrame:
    """Reviewer acceptances, then rule pairs in ``rule_order``, then model pairs by falling
    probability; ties broken by ``(left, right)``. A pair appears once (its first reason)."""
    rank = {name: i for i, name in enumerate(rule_order)}
    parts = []
    if len(accepted):
        parts.append(accepted.sort_values(["left", "right"]).assign(decided_by=FORCED))
    if len(rules):
        r = rules.assign(_o=rules["rule"].map(rank).fillna(len(rank)))
        parts.append(
            r.sort_values(["_o", "left", "right"]).drop(columns="_o").assign(decided_by="rule")
        )
    if len(model):
        parts.append(
            model.sort_values(["probability", "left", "right"], ascending=[False, True, True])
            .assign(rule="model")
            .assign(decided_by="model")
        )
    cols = ["left", "right", "probability", "rule", "agreed", "decided_by"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat([p[cols] for p in parts], ignore_index=True)
    return out.drop_duplicates(["left", "right"], keep="first", ignore_index=True)
