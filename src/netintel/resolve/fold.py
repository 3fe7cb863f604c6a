"""The projection's view of resolution: Person ids replaced by resolved ids in its tables.

:func:`fold_tables` takes the tables :func:`netintel.project.read_tables` reads and returns
them with every Person id mapped to its ``resolved_id`` (a Person without one stands for
itself) and the ``persons`` table folded to one row per resolved person: records unioned,
and named by the name on its identity documents where it has one (a member with a national
ID), else the most frequent full-diacritic name among its members (names that carry
diacritics first, then by number of records, then alphabetically), so ``Nguyễn Văn Hùng``
wins over ``Nguyen Van Hung``, and over ``Hùng Nguyễn Văn`` written given name first in a
wiretap summary. Every edge keeps its records.

Examples
--------
>>> import pandas as pd
>>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "name": ["Nguyen Van Hung", "Nguyễn Văn Hùng"],
...     "name_key": ["nguyen van hung"] * 2, "national_id": [None, "040087000001"],
...     "dob": [None, "1987"], "nationality": ["VN", "VN"], "sources": [["A1", "A2"], ["A3"]],
...     "resolved_id": ["p1", "p1"]})
>>> out = fold_tables({"persons": persons})["persons"]
>>> out[["person_id", "name", "national_id", "sources", "members"]].to_dict("records")
... # doctest: +NORMALIZE_WHITESPACE
[{'person_id': 'p1', 'name': 'Nguyễn Văn Hùng', 'national_id': '040087000001',
  'sources': ['A1', 'A2', 'A3'], 'members': ['p1', 'p2']}]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

# table -> the columns in it that hold Person ids
PERSON_COLUMNS = {
    "person_arrests": ("person_id",),
    "person_phones": ("person_id",),
    "person_vehicles": ("person_id",),
    "person_addresses": ("person_id",),
    "person_links": ("source", "target"),
    "calls_person_person": ("source", "target"),
    "calls_person_phone": ("source",),
    "calls_phone_person": ("target",),
    "shipment_sent_person": ("party",),
    "shipment_received_person": ("party",),
    "account_owners": ("person_id",),
}


def _has_diacritics(name: object) -> bool:
    return isinstance(name, str) and not name.isascii()


def resolved_ids(persons: pd.DataFrame) -> pd.Series:
    """``person_id -> resolved id`` for every Person row (itself when not resolved).

    >>> resolved_ids(pd.DataFrame({"person_id": ["p1", "p2"], "resolved_id": [None, "p1"]})).to_dict()
    {'p1': 'p1', 'p2': 'p1'}
    """
    ids = persons["person_id"]
    rid = (
        persons["resolved_id"].where(persons["resolved_id"].notna(), ids)
        if "resolved_id" in persons
        else ids
    )
    return pd.Series(rid.astype(object).to_numpy(), index=ids.to_numpy())


def fold_columns(
    tables: Mapping[str, pd.DataFrame],
    columns: Mapping[str, tuple[str, ...]],
    mapping: pd.Series,
) -> dict[str, pd.DataFrame]:
    """Copies of ``tables[name]`` with the Person-id ``columns[name]`` mapped to resolved ids."""
    out = {}
    for name, cols in columns.items():
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        frame = frame.copy()
        for col in cols:
            frame[col] = frame[col].map(mapping).fillna(frame[col]).astype(object)
        out[name] = frame
    return out


def fold_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Tables with Person ids replaced by resolved ids (see the module docstring).

    Without a ``resolved_id`` column (or with none set) the tables come back unchanged
    (``persons`` gains ``members``).
    """
    out = dict(tables)
    persons = tables["persons"]
    mapping = resolved_ids(persons)
    if (mapping.index == mapping.to_numpy()).all():
        folded = persons.drop(columns=["resolved_id"], errors="ignore").copy()
        folded["members"] = [[p] for p in folded["person_id"]]
        out["persons"] = folded
        return out
    out.update(fold_columns(tables, PERSON_COLUMNS, mapping))
    out["persons"] = _fold_persons(persons.assign(_rid=mapping.to_numpy()))
    return out


def _fold_persons(persons: pd.DataFrame) -> pd.DataFrame:
    p = persons.copy()
    p["_n"] = [len(s) if isinstance(s, list) else 0 for s in p["sources"]]
    p["_dia"] = [_has_diacritics(n) for n in p["name"]]
    p["_doc"] = p["national_id"].notna() if "national_id" in p else False
    # name: as on an identity document, then diacritics, then most records (summed over
    # members with that name), then text
    named = p.dropna(subset=["name"])
    votes = named.groupby(["_rid", "name"], as_index=False).agg(
        n=("_n", "sum"), dia=("_dia", "max"), doc=("_doc", "max")
    )
    votes = votes.sort_values(
        ["_rid", "doc", "dia", "n", "name"], ascending=[True, False, False, False, True]
    )
    best_name = votes.drop_duplicates("_rid").set_index("_rid")["name"]

    def most_common(col: str) -> pd.Series:
        v = p.dropna(subset=[col]).groupby(["_rid", col], as_index=False)["_n"].sum()
        v = v.sort_values(["_rid", "_n", col], ascending=[True, False, True])
        return v.drop_duplicates("_rid").set_index("_rid")[col]

    p = p.sort_values(["_rid", "person_id"])
    groups = p.groupby("_rid", sort=True)
    out = pd.DataFrame(index=pd.Index(sorted(p["_rid"].unique()), name="_rid"))
    out["person_id"] = out.index
    out["name"] = best_name.reindex(out.index)
    if "name_key" in p:
        key_of = dict(zip(p["name"], p["name_key"], strict=True))
        out["name_key"] = out["name"].map(key_of)
    for col in ("national_id", "dob", "nationality"):
        if col in p:
            out[col] = most_common(col).reindex(out.index)
    out["sources"] = groups["sources"].agg(
        lambda s: sorted({r for lst in s if isinstance(lst, list) for r in lst})
    )
    out["members"] = groups["person_id"].agg(list)
    extra = [
        c for c in persons.columns if c not in out.columns and c not in {"resolved_id", "_rid"}
    ]
    for col in extra:  # anything else: the first member's value
        out[col] = groups[col].first()
    return out.reset_index(drop=True).astype({"person_id": object})
