"""The person table resolution compares: one row per record-level Person, with match features.

Input columns (missing ones are treated as empty): ``person_id``, ``name``, ``aliases``
(list), ``dob`` (ISO, possibly partial), ``national_id``, ``passport``, ``nationality``,
``phones``, ``addresses``, ``provinces``, ``plates`` (lists) and ``sources`` (record ids).

Features added (the columns blocking rules and comparisons name):

==============  =================================================================
``name_key``    diacritics folded, lower case (``"nguyen van hung"``)
``name_sorted`` the words of ``name_key`` sorted (a blocking key: any word order)
``name_turn``   the smallest rotation of the words of ``name_key``: the same for
                ``nguyen thu thuy quyen``, ``quyen nguyen thu thuy`` (given name
                first) and ``thu thuy quyen nguyen`` (family name last), but not for
                other orders of the same words, which name other people
                (``pham cong trong minh`` is not ``pham minh trong cong``)
``name_prefix`` the first three letters of each sorted word (``"hun ngu van"``)
``surname``     first word; ``given_name``: last word
``names``       ``name_turn`` of the name and of every alias
``dob_year``    the year of ``dob``
``national_id`` cleaned, and only when plausible (see ``national_id_formats``)
``nid_head``    first half of ``national_id``; ``nid_tail``: second half
``phone1``      the smallest phone; ``province1``: the smallest folded province
==============  =================================================================

Examples
--------
>>> import pandas as pd
>>> from netintel.resolve.settings import ResolutionSettings
>>> raw = pd.DataFrame({"person_id": ["a"], "name": ["Nguyễn Văn Hùng"],
...                     "national_id": ["0400-8700-0001"], "dob": ["1987-05"]})
>>> row = prepare(raw, ResolutionSettings.default()).iloc[0]
>>> row["name_sorted"], row["given_name"], row["nid_head"], row["dob_year"]
('hung nguyen van', 'hung', '040087', '1987')

The features come from the value types (:mod:`netintel.values`): names are folded by
:func:`~netintel.values.fold` and turned by :func:`~netintel.values.name_turn` (aliases by
:meth:`Name.turn <netintel.values.Name.turn>`), identifiers keyed by
:func:`~netintel.values.identifier_key`, places folded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netintel.errors import InputError
from netintel.resolve.settings import LIST_KEYS, ResolutionSettings
from netintel.values import Name, fold, identifier_key, name_turn

TEXT_INPUTS = ("name", "dob", "national_id", "passport", "nationality")
LIST_INPUTS = ("aliases", "phones", "addresses", "provinces", "plates", "sources")


def as_list(value: object) -> list:
    """A list cell as a list (tuples and arrays converted; anything else: empty)."""
    if isinstance(value, list):
        return value
    if isinstance(value, tuple | np.ndarray):
        return list(value)
    return []


def prepare(persons: pd.DataFrame, settings: ResolutionSettings) -> pd.DataFrame:
    """Add the match features to a person table (a new frame; the input is not changed).

    Parameters
    ----------
    persons : pandas.DataFrame
        One row per record-level person; ``person_id`` is required and unique.
    settings : ResolutionSettings

    Returns
    -------
    pandas.DataFrame
        The input columns (lists as lists, missing text as None) plus the features.

    Raises
    ------
    InputError
        Without a ``person_id`` column, or with a ``person_id`` on two rows.
    """
    if "person_id" not in persons:
        raise InputError(f"persons need a person_id column; the table has {list(persons.columns)}")
    df = pd.DataFrame({"person_id": persons["person_id"].astype(str).to_numpy()})
    for col in TEXT_INPUTS:
        values = persons[col] if col in persons else pd.Series(None, index=persons.index)
        values = values.astype(object).to_numpy()
        df[col] = pd.Series(
            [v if isinstance(v, str) and v.strip() else None for v in values], dtype=object
        )
    for col in LIST_INPUTS:
        values = persons[col].to_numpy(dtype=object) if col in persons else [None] * len(df)
        df[col] = [sorted({str(x) for x in as_list(v) if x is not None and x == x}) for v in values]

    names = df["name"]
    uniq = pd.unique(names.dropna())
    key_of = {n: fold(n) or None for n in uniq}
    keys = [key_of.get(n) if isinstance(n, str) else None for n in names]
    tokens = [k.split() if k else None for k in keys]
    srt = [" ".join(sorted(t)) if t else None for t in tokens]
    df["name_key"] = pd.Series(keys, dtype=object)
    df["name_sorted"] = pd.Series(srt, dtype=object)
    turn_of = {k: name_turn(k) for k in set(keys) if k}
    df["name_turn"] = pd.Series([turn_of.get(k) for k in keys], dtype=object)
    df["name_prefix"] = pd.Series(
        [" ".join(w[:3] for w in sorted(t)) if t else None for t in tokens], dtype=object
    )
    df["surname"] = pd.Series([t[0] if t else None for t in tokens], dtype=object)
    df["given_name"] = pd.Series([t[-1] if t else None for t in tokens], dtype=object)
    df["names"] = [
        sorted({k for k in [s, *(Name.turn(a) for a in al)] if k}) or None
        for s, al in zip(df["name_turn"], df["aliases"], strict=True)
    ]
    df["dob_year"] = pd.Series(
        [v[:4] if isinstance(v, str) and len(v) >= 4 else None for v in df["dob"]], dtype=object
    )
    nid = [identifier_key(v) for v in df["national_id"]]
    nid = [v if settings.plausible_id(v) else None for v in nid]
    df["national_id"] = pd.Series(nid, index=df.index, dtype=object)
    df["nid_head"] = pd.Series([v[: len(v) // 2] if v else None for v in nid], dtype=object)
    df["nid_tail"] = pd.Series([v[len(v) // 2 :] if v else None for v in nid], dtype=object)
    df["passport"] = pd.Series([identifier_key(v) for v in df["passport"]], dtype=object)
    df["nationality"] = pd.Series(
        [v.upper() if isinstance(v, str) else None for v in df["nationality"]], dtype=object
    )
    for col in ("provinces", "addresses"):
        folded = {v: fold(v) for v in {x for xs in df[col] for x in xs}}
        df[col] = [sorted({folded[x] for x in xs if folded[x]}) for xs in df[col]]
    df["phone1"] = pd.Series([v[0] if v else None for v in df["phones"]], dtype=object)
    df["province1"] = pd.Series([v[0] if v else None for v in df["provinces"]], dtype=object)
    for col in LIST_KEYS:  # empty lists are missing values to the model
        df[col] = pd.Series([v if v else None for v in df[col]], dtype=object)
    if df["person_id"].duplicated().any():
        dup = df.loc[df["person_id"].duplicated(), "person_id"].iloc[0]
        raise InputError(f"persons: person_id {dup!r} appears more than once")
    return df
