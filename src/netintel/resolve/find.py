"""Finding a resolved person from what an investigator types: a name in any spelling, an
alias, a phone in any format, a national ID, a passport, a plate, or a person id.

:func:`identities` lays out everything records say identifies each resolved person, one row
per value (``person_id, member_id, field, value``), and :func:`find` ranks the people by how
well the text matches any of them:

=============  =====================================================================  =======
field          matches when the text ...                                              score
=============  =====================================================================  =======
person_id      is the id of the resolved person or of one of its record-level people  1.0
phone          is the number in E.164 (:func:`~netintel.values.phone.to_e164`, read   1.0
               in Vietnam), or ends it once a trunk ``0`` is dropped (a local number  0.95
               written without its country code: ``020 2894 2294`` for +856...)
national_id,   has the same letters and digits (:func:`~netintel.values.identifier.   1.0
passport,      identifier_key`; a plate as :func:`~netintel.values.identifier.
plate          clean_plate` cleans it), or is one typo away (8 characters or more)   0.85
name, alias    folds to the same name in some word order (:class:`~netintel.values.   1.0
               name.Name`: ``Le Xuan Hai``, ``lê xuân hải``, ``Hải Lê Xuân``)
               holds only words of the name (``Syphet``, ``Xuan Hai``)               0.9
               is close: each word of the text is paired with its most similar word  <= 0.95
               of the name and each word of the name with its most similar word of
               the text (Jaro-Winkler, 0 below 0.88: ``Chanthasith`` is not a typo
               of ``Chanthavong``), and the score is the smaller of the two means (a
               typo; the same words in an order that names someone else); or 0.9 x
               the first mean alone (a partial name with a typo), if larger
=============  =====================================================================  =======

Names are folded by the same :func:`~netintel.values.text.fold` ingest keys them with
(diacritics off, ``đ`` to ``d``). :func:`person` wants one answer: the best-scoring person,
at :data:`MATCH` or above, alone at the top; it raises :class:`~netintel.errors.InputError`
naming the text and the nearest names otherwise (``Syphet`` when two people are called
Syphet).

Examples
--------
>>> import pandas as pd
>>> persons = pd.DataFrame({"person_id": ["p1", "p2", "p3"],
...     "name": ["Lê Xuân Hải", "Le Xuan Hai", "Syphet Chanthavong"],
...     "aliases": [["Hải béo"], [], []], "national_id": ["040069483026", None, None],
...     "passport": [None, None, "PA1234567"], "phones": [["+84912345678"], [], ["+8562028942294"]],
...     "plates": [[], ["27A48294"], []], "sources": [["A1"], ["A2"], ["A3"]]})
>>> people = identities(persons, {"p1": "p1", "p2": "p1", "p3": "p3"})
>>> found = find(people, "hai le xuan")
>>> found[["person_id", "name", "score", "matched"]].to_dict("records")
[{'person_id': 'p1', 'name': 'Lê Xuân Hải', 'score': 1.0, 'matched': 'name'}]
>>> found.loc[0, "variants"], found.loc[0, "members"]
(['Lê Xuân Hải', 'Le Xuan Hai', 'Hải béo'], ['p1', 'p2'])
>>> [person(people, t) for t in ("0912 345 678", "020 2894 2294", "27A-482.94", "Syphet", "p2")]
['p1', 'p3', 'p1', 'p3', 'p1']
>>> person(people, "Nguyen Van Hung")
Traceback (most recent call last):
...
netintel.errors.InputError: no person matches 'Nguyen Van Hung'; nearest: Lê Xuân Hải (p1), Syphet Chanthavong (p3)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

from netintel.errors import InputError, InvalidValueError
from netintel.values.identifier import clean_plate, identifier_key
from netintel.values.name import name_turn
from netintel.values.phone import to_e164
from netintel.values.text import fold, one_edit_apart

__all__ = ["FIELDS", "FIND_COLUMNS", "MATCH", "find", "identities", "matches", "nearest", "person"]

#: The fields a person is found by, in the order a tie between them is settled.
FIELDS = ("person_id", "national_id", "passport", "phone", "plate", "name", "alias")
#: Columns of :func:`find`.
FIND_COLUMNS = [
    "person_id", "name", "score", "matched", "value", "variants", "phones", "national_ids",
    "passports", "plates", "members", "sources",
]  # fmt: skip
#: The score :func:`person` needs to take a match as the person meant.
MATCH = 0.85
#: The lowest score :func:`find` lists.
LISTED = 0.7
_SUBSET = 0.9
_NEAR = 0.95
_WORD = 0.88
_LOCAL_PHONE = 0.95
_ID_TYPO = 0.85
_PHONE_TEXT = re.compile(r"[0-9+\s\-.()/]{7,}")


def identities(
    persons: pd.DataFrame, resolved: Mapping[str, str] | pd.Series | None = None
) -> pd.DataFrame:
    """Every value identifying a resolved person, one row each.

    Parameters
    ----------
    persons : DataFrame
        The record-level people, as :func:`netintel.resolve.read_persons` reads them:
        ``person_id, name`` and, where present, ``aliases, national_id, passport, phones,
        plates, sources`` (lists for the plural ones).
    resolved : mapping or Series, optional
        Record-level person id -> resolved person id (a person missing from it stands for
        itself). Default: everyone stands for themselves.

    Returns
    -------
    DataFrame
        ``person_id`` (resolved), ``member_id`` (record-level), ``field`` (one of
        :data:`FIELDS`), ``value`` (as stored), ``key`` (what :func:`find` compares),
        ``sources`` (the member's records), in a stable order.
    """
    mapping = dict(resolved.items()) if resolved is not None else {}
    rows: list[tuple[str, str, str, str, str, list]] = []

    def add(rid: str, member: str, field: str, value: object, key: str | None, src: list) -> None:
        if isinstance(value, str) and value and key:
            rows.append((rid, member, field, value, key, src))

    for r in persons.to_dict("records"):
        member = str(r["person_id"])
        rid = str(mapping.get(member, member))
        src = list(r.get("sources")) if _is_list(r.get("sources")) else []
        add(rid, member, "person_id", member, member.casefold(), src)
        add(rid, member, "name", r.get("name"), fold(r.get("name")), src)
        for alias in _values(r.get("aliases")):
            add(rid, member, "alias", alias, fold(alias), src)
        for field in ("national_id", "passport"):
            add(rid, member, field, r.get(field), identifier_key(r.get(field)), src)
        for phone in _values(r.get("phones")):
            add(rid, member, "phone", phone, phone, src)
        for plate in _values(r.get("plates")):
            add(rid, member, "plate", plate, identifier_key(plate), src)
    for rid in sorted(set(mapping.values()) - {r[1] for r in rows}):
        rows.append((rid, rid, "person_id", rid, rid.casefold(), []))
    frame = pd.DataFrame(
        rows, columns=["person_id", "member_id", "field", "value", "key", "sources"]
    )
    return frame.drop_duplicates(["person_id", "member_id", "field", "value"]).reset_index(
        drop=True
    )


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def _values(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if _is_list(value) else []


def _score_names(keys: pd.Series, text: str) -> np.ndarray:
    """Score of each folded name in ``keys`` against ``text`` (see the module docstring).

    Vectorised over the distinct names: their words are laid end to end, and each name's
    best match per word of the text is a ``maximum.reduceat`` over its segment.
    """
    query = fold(text)
    if not query or keys.empty:
        return np.zeros(len(keys))
    distinct = pd.unique(keys.to_numpy(dtype=object))
    split = [k.split() for k in distinct]
    lengths = np.fromiter((len(w) for w in split), dtype=np.int64, count=len(split))
    words = [w for ws in split for w in ws]
    vocab, at = np.unique(np.asarray(words, dtype=object), return_inverse=True)
    # best[i, j]: Jaro-Winkler similarity of the text's word i and the vocabulary's word j
    best = process.cdist(query.split(), list(vocab), scorer=JaroWinkler.normalized_similarity)
    best[best < _WORD] = 0.0  # words this far apart are other words, not typos
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    # the text's words found in each name, and each name's words found in the text
    covered = np.maximum.reduceat(best[:, at], starts, axis=1).mean(axis=0)
    found = np.add.reduceat(best.max(axis=0)[at], starts) / lengths
    turn = name_turn(query)
    exact = np.fromiter((name_turn(k) == turn for k in distinct), dtype=bool, count=len(distinct))
    score = np.where(
        exact, 1.0, np.maximum(np.minimum(np.minimum(covered, found), _NEAR), _SUBSET * covered)
    )
    lookup = dict(zip(distinct, score, strict=True))
    return keys.map(lookup).to_numpy(dtype=float)


def _phone_keys(text: str) -> tuple[str | None, str | None]:
    """``(E.164 read in Vietnam or None, national digits without a trunk 0 or None)``."""
    if not _PHONE_TEXT.fullmatch(text.strip()):
        return None, None
    try:
        e164: str | None = to_e164(text)
    except InvalidValueError:
        e164 = None
    digits = re.sub(r"\D", "", text)
    local = None if text.strip().startswith("+") or digits.startswith("00") else digits.lstrip("0")
    return e164, (local if local and len(local) >= 7 else None)


def _id_key(text: str) -> str | None:
    key = identifier_key(unidecode(text))
    return key if key and any(c.isdigit() for c in key) else None


def _score(people: pd.DataFrame, text: str) -> pd.Series:
    """The score of every row of :func:`identities` against ``text``."""
    score = pd.Series(0.0, index=people.index)
    field, key = people["field"], people["key"]
    text = str(text).strip()
    ids = field == "person_id"
    score[ids & (key == text.casefold())] = 1.0
    e164, local = _phone_keys(text)
    phones = field == "phone"
    if local:
        digits = key[phones].str.replace("+", "", regex=False)
        score[digits[digits.str.endswith(local)].index] = _LOCAL_PHONE
    if e164:
        score[phones & (key == e164)] = 1.0
    idkey = _id_key(text)
    if idkey:
        try:
            plate = clean_plate(text)
        except InvalidValueError:
            plate = idkey
        docs = field.isin(["national_id", "passport", "plate"])
        for i, (f, k) in zip(
            key[docs].index, zip(field[docs], key[docs], strict=True), strict=True
        ):
            want = plate if f == "plate" else idkey
            if k == want:
                score[i] = 1.0
            elif len(want) >= 8 and one_edit_apart(k, want):
                score[i] = max(score[i], _ID_TYPO)
    names = field.isin(["name", "alias"])
    if fold(text) and any(c.isalpha() for c in text):
        score[names] = _score_names(key[names], text)
    return score


def find(
    people: pd.DataFrame,
    text: str,
    *,
    top: int | None = 10,
    names: Mapping[str, str] | pd.Series | None = None,
    minimum: float = LISTED,
) -> pd.DataFrame:
    """The resolved people ``text`` names, best first (see the module docstring).

    Parameters
    ----------
    people : DataFrame
        From :func:`identities`.
    text : str
        A name in any spelling or word order, a part of a name, an alias, a phone in any
        format, a national ID, a passport, a plate or a person id.
    top : int or None, default 10
        How many people to list (``None``: all at ``minimum`` or above).
    names : mapping or Series, optional
        Resolved person id -> the name to show (the resolved name of
        :func:`netintel.resolve.fold_tables`); default the first name recorded.
    minimum : float, default 0.7
        The lowest score listed.

    Returns
    -------
    DataFrame
        :data:`FIND_COLUMNS`: ``person_id, name, score`` (0-1, rounded to 3 places),
        ``matched`` (the field that matched: one of :data:`FIELDS`), ``value`` (the
        recorded value that matched), ``variants`` (the spellings and aliases recorded),
        ``phones``, ``national_ids``, ``passports``, ``plates``, ``members`` (record-level
        person ids) and ``sources`` (the records naming the person). Sorted by score, then
        the field (an id before a name), name and id.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("nothing to find: give a name, phone, ID, plate or person id")
    scored = people.assign(score=_score(people, text).round(3))
    hits = scored[scored["score"] >= minimum]
    rank = {f: i for i, f in enumerate(FIELDS)}
    hits = hits.assign(_f=hits["field"].map(rank)).sort_values(
        ["score", "_f", "person_id", "value"], ascending=[False, True, True, True]
    )
    best = hits.drop_duplicates("person_id")
    if top is not None:
        best = best.head(top)
    chosen = set(best["person_id"])
    mine = people[people["person_id"].isin(chosen)]
    shown = dict(names.items()) if names is not None else {}
    rows = []
    for hit in best.itertuples(index=False):
        own = mine[mine["person_id"] == hit.person_id]

        def of(*fields: str, own: pd.DataFrame = own) -> list[str]:
            return list(
                dict.fromkeys(v for f in fields for v in own.loc[own["field"] == f, "value"])
            )

        spellings = of("name", "alias")
        name = shown.get(hit.person_id) or (spellings[0] if spellings else hit.person_id)
        variants = list(dict.fromkeys([name, *spellings])) if name in spellings else spellings
        rows.append(
            {
                "person_id": hit.person_id, "name": name, "score": float(hit.score),
                "matched": hit.field, "value": hit.value, "variants": variants,
                "phones": of("phone"), "national_ids": of("national_id"),
                "passports": of("passport"), "plates": of("plate"),
                "members": sorted(set(own["member_id"])),
                "sources": sorted({s for lst in own["sources"] for s in lst}),
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=FIND_COLUMNS)


def matches(
    people: pd.DataFrame, text: str, *, names: Mapping[str, str] | pd.Series | None = None
) -> list[str]:
    """The people ``text`` names best: every person tied at the top score, at :data:`MATCH`
    or above (one id for an unambiguous text, several for ``Syphet`` when two people are
    called Syphet).

    Raises
    ------
    InputError
        When nobody scores :data:`MATCH` or above, naming the text and the nearest names.
    """
    found = find(people, text, top=None, names=names, minimum=MATCH)
    if found.empty:
        near = ", ".join(nearest(people, text, names=names))
        raise InputError(f"no person matches {text!r}" + (f"; nearest: {near}" if near else ""))
    good = found
    return good.loc[good["score"] == good["score"].iloc[0], "person_id"].tolist()


def nearest(
    people: pd.DataFrame,
    text: str,
    *,
    n: int = 3,
    names: Mapping[str, str] | pd.Series | None = None,
) -> list[str]:
    """The ``n`` names (``name (person id)``) most like ``text`` by the similarity of their
    folded letters in sorted word order (rapidfuzz's ``token_sort_ratio``), to suggest when
    nothing matches: looser than :func:`find`, which takes only words that are typos.

    >>> nearest(identities(pd.DataFrame({"person_id": ["p1", "p2"],
    ...     "name": ["Lê Xuân Hải", "Syphet Chanthavong"]})), "Le Xuan Hoa", n=1)
    ['Lê Xuân Hải (p1)']
    """
    named = people[people["field"].isin(["name", "alias"])]
    query = fold(text)
    if named.empty or not query:
        return []
    score = process.cdist([query], named["key"].tolist(), scorer=fuzz.token_sort_ratio)[0]
    ranked = named.assign(_s=score).sort_values(["_s", "person_id"], ascending=[False, True])
    shown = dict(names.items()) if names is not None else {}
    best = ranked.drop_duplicates("person_id").head(n)
    return [
        f"{shown.get(pid) or value} ({pid})"
        for pid, value in zip(best["person_id"], best["value"], strict=True)
    ]


def person(
    people: pd.DataFrame, text: str, *, names: Mapping[str, str] | pd.Series | None = None
) -> str:
    """The one resolved person ``text`` names (see :func:`matches`).

    Raises
    ------
    InputError
        When nobody matches well enough, or several people match equally well (naming
        them: give more of the name, a phone or an ID).
    """
    ids = matches(people, text, names=names)
    if len(ids) > 1:
        found = find(people, text, top=None, names=names)
        found = found[found["person_id"].isin(ids)]
        who = ", ".join(f"{r.name} ({r.person_id})" for r in found.itertuples())
        raise InputError(
            f"{text!r} matches {len(ids)} people equally: {who}; "
            "give more of the name, a phone or an ID"
        )
    return ids[0]
