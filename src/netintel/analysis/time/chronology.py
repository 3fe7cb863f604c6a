"""A chronology of people: their arrests, seizures, calls, links and parcels, in date order.

Where :mod:`~netintel.analysis.time.timeline` ranks people per period, a chronology tells the
story of a person or a ring event by event, each with the records it comes from, as an
investigator reads a case file: who was arrested with whom and where, what was seized, who
called whom and how often, who paid whom.

:func:`chronology` reads the projection's tables (:func:`netintel.project.read_tables`,
people already folded onto resolved people) and, when given, two tables of event details
read by the workspace: ``event_arrests`` (``arrest_id, date, place, province``) and
``event_seizures`` (``seizure_id, date, drug, quantity, unit, quantity_kg, place, gate``).

Columns of the result (:data:`COLUMNS`), one row per event and person taking part in it (a
call between two people of a ring is a row in each one's lane):

==========  ===================================================================
date        the day the event began (``Timestamp``; a partial date's first day); missing
            when the record gives none (those rows come last)
kind        ``arrest``, ``seizure``, ``call``, ``link`` or ``parcel`` (:data:`KINDS`)
person_id   the resolved person
name        their name
other       the other people of the event by name (``"; "``-joined): arrested with them,
            tied to the same seizure, at the other end of the call, link or parcel (a phone
            number when nobody is known to use it)
place       where (arrests and seizures: place, province; a seizure's border gate)
detail      what happened, in words (``arrested as courier``, ``4.09 kg heroin``,
            ``3 calls to +84912345678``, ``money transfer to Lò Văn Páo (weight 2)``)
records     the record ids behind the row (sorted)
==========  ===================================================================

Sorted by date, then kind (in :data:`KINDS` order), name, person id and detail.

Examples
--------
>>> tables = {
...     "persons": pd.DataFrame({"person_id": ["P-1", "P-2"], "name": ["Hùng", "Páo"]}),
...     "person_links": pd.DataFrame({"source": ["P-1"], "target": ["P-2"],
...         "link_type": ["money_transfer"], "weight": [2.0], "sources": [["L-1"]],
...         "date": [pd.Timestamp("2024-04-01")]}),
... }
>>> chronology(tables)[["kind", "name", "other", "detail", "records"]].values.tolist()
[['link', 'Hùng', 'Páo', 'money transfer to Páo (weight 2)', ['L-1']], ['link', 'Páo', 'Hùng', 'money transfer from Hùng (weight 2)', ['L-1']]]
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

COLUMNS = ("date", "kind", "person_id", "name", "other", "place", "detail", "records")
#: The kinds of event, in the order rows of one day are listed.
KINDS = ("arrest", "seizure", "call", "link", "parcel")
#: The link types said with a direction ("money transfer to X"); the others are "with X".
DIRECTED_LINKS = ("money_transfer",)


def chronology(
    tables: dict[str, pd.DataFrame], *, people: Iterable[str] | str | None = None
) -> pd.DataFrame:
    """The events of ``people`` (everyone by default) in date order, with their records.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The projection's tables (:func:`netintel.project.read_tables`), optionally with
        ``event_arrests`` and ``event_seizures`` (see the module docstring); a table that is
        absent contributes no events.
    people : str or iterable of str, optional
        Resolved person ids whose events to keep (the ``other`` column still names everyone
        else taking part).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, sorted by date (undated events last), see the module docstring.

    Examples
    --------
    >>> tables = {
    ...     "persons": pd.DataFrame({"person_id": ["P-1", "P-2"], "name": ["Hùng", "Páo"]}),
    ...     "person_arrests": pd.DataFrame({"person_id": ["P-1", "P-2"],
    ...         "arrest_id": ["A-1", "A-1"], "role": ["organizer", "courier"],
    ...         "sources": [["ARR-1"], ["ARR-2"]], "date": pd.to_datetime(["2024-05-14"] * 2)}),
    ... }
    >>> chronology(tables, people="P-2")[["kind", "name", "other", "detail"]].values.tolist()
    [['arrest', 'Páo', 'Hùng', 'arrested as courier']]
    """
    wanted = None if people is None else {people} if isinstance(people, str) else set(people)
    persons = tables.get("persons")
    names = (
        dict(zip(persons["person_id"], persons["name"], strict=True))
        if persons is not None and len(persons)
        else {}
    )
    parts = [
        _arrests(tables, names),
        _seizures(tables, names),
        _calls(tables, names, wanted),
        _links(tables, names),
        _parcels(tables, names),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    frame = pd.concat(parts, ignore_index=True)
    if wanted is not None:
        frame = frame[frame["person_id"].isin(wanted)]
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    frame["name"] = frame["person_id"].map(names).fillna(frame["person_id"])
    frame["records"] = [sorted({str(r) for r in rs}) for rs in frame["records"]]
    for col in ("other", "place"):
        frame[col] = frame[col].astype(object).where(frame[col].notna() & (frame[col] != ""), None)
    order = {k: i for i, k in enumerate(KINDS)}
    frame = frame.assign(
        _kind=frame["kind"].map(order),
        _undated=frame["date"].isna(),
        _records=frame["records"].map(",".join),
    )
    frame = frame.sort_values(
        ["_undated", "date", "_kind", "name", "person_id", "detail", "_records"],
        kind="stable",
        ignore_index=True,
    )
    return frame[list(COLUMNS)]


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame["date"] = pd.Series(dtype="datetime64[ns]")
    return frame


def _table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    frame = tables.get(name)
    return frame if frame is not None and len(frame) else None


def _joined(values: Iterable[object]) -> str | None:
    """Distinct non-missing texts, in order, ``"; "``-joined (None for none)."""
    seen = list(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))
    return "; ".join(seen) or None


def _others(frame: pd.DataFrame, group: str, names: dict[str, str]) -> list[str | None]:
    """For each row, the names of the other people of its ``group`` (an arrest, a seizure)."""
    members = frame.groupby(group)["person_id"].agg(lambda s: list(dict.fromkeys(s)))
    return [
        _joined(names.get(p, p) for p in members[g] if p != me)
        for g, me in zip(frame[group], frame["person_id"], strict=True)
    ]


def _place(*parts: object) -> str | None:
    return _joined(p for p in parts if isinstance(p, str))


def _number(value: float) -> str:
    """``2.0`` -> ``2``, ``4.09`` -> ``4.09``."""
    return f"{value:g}" if value == value else ""


def _arrests(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> pd.DataFrame:
    pa = _table(tables, "person_arrests")
    if pa is None:
        return _empty()
    pa = pa.drop_duplicates(["person_id", "arrest_id"]).reset_index(drop=True)
    details = _table(tables, "event_arrests")
    place: list[str | None] = [None] * len(pa)
    if details is not None:
        by_id = details.drop_duplicates("arrest_id").set_index("arrest_id")
        found = by_id.reindex(pa["arrest_id"])
        place = [
            _place(a, b)
            for a, b in zip(found["place"].to_numpy(), found["province"].to_numpy(), strict=True)
        ]
    roles = pa["role"].astype(object).where(pa["role"].notna(), None)
    return pd.DataFrame(
        {
            "date": pa["date"],
            "kind": "arrest",
            "person_id": pa["person_id"],
            "other": _others(pa, "arrest_id", names),
            "place": place,
            "detail": [
                f"arrested as {r}" if isinstance(r, str) and r != "unknown" else "arrested"
                for r in roles
            ],
            "records": pa["sources"].to_numpy(),
        }
    )


def _seizures(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> pd.DataFrame:
    pa, links = _table(tables, "person_arrests"), _table(tables, "arrest_seizures")
    if pa is None or links is None:
        return _empty()
    # Records of the arrests naming the seizure: the rest of its sources are its own records.
    naming = links.groupby("seizure_id")["sources"].agg(lambda s: {r for rs in s for r in rs})
    own = {
        sid: set(srcs) - naming.get(sid, set())
        for sid, srcs in zip(links["seizure_id"], links["seizure_sources"], strict=True)
    }
    pairs = pa[["person_id", "arrest_id", "sources", "date"]].merge(
        links[["arrest_id", "seizure_id", "quantity_kg"]], on="arrest_id"
    )
    if not len(pairs):
        return _empty()
    pairs = (
        pairs.groupby(["person_id", "seizure_id"], sort=False)
        .agg(
            records=("sources", lambda s: {r for rs in s for r in rs}),
            date=("date", "min"),
            quantity_kg=("quantity_kg", "first"),
        )
        .reset_index()
    )
    pairs["records"] = [
        rs | own.get(sid, set())
        for rs, sid in zip(pairs["records"], pairs["seizure_id"], strict=True)
    ]
    details = _table(tables, "event_seizures")
    if details is not None:
        found = details.drop_duplicates("seizure_id").set_index("seizure_id")
        found = found.reindex(pairs["seizure_id"]).reset_index(drop=True)
        dated = pd.to_datetime(found["date"], errors="coerce")
        pairs["date"] = dated.where(dated.notna(), pairs["date"])
    else:
        found = pd.DataFrame(index=pairs.index)
    column = lambda name: found[name] if name in found else pd.Series(None, index=pairs.index)  # noqa: E731
    kg = pd.to_numeric(column("quantity_kg"), errors="coerce").fillna(pairs["quantity_kg"])
    amount = [
        f"{_number(k)} kg" if k == k else _place(_number(q) if q == q else None, u) or ""
        for k, q, u in zip(
            kg, pd.to_numeric(column("quantity"), errors="coerce"), column("unit"), strict=True
        )
    ]
    detail = [
        " ".join(t for t in (a, d if isinstance(d, str) else "", f"({sid})") if t)
        for a, d, sid in zip(amount, column("drug"), pairs["seizure_id"], strict=True)
    ]
    gates = [f"{g} gate" if isinstance(g, str) and g else None for g in column("gate")]
    return pd.DataFrame(
        {
            "date": pairs["date"],
            "kind": "seizure",
            "person_id": pairs["person_id"],
            "other": _others(pairs, "seizure_id", names),
            "place": [_place(p, g) for p, g in zip(column("place"), gates, strict=True)],
            "detail": [f"seized: {d}" for d in detail],
            "records": pairs["records"].to_numpy(),
        }
    )


def _calls(
    tables: dict[str, pd.DataFrame], names: dict[str, str], wanted: set[str] | None
) -> pd.DataFrame:
    phones = _table(tables, "person_phones")
    users = (
        phones.groupby("phone")["person_id"].agg(lambda s: list(dict.fromkeys(s))).to_dict()
        if phones is not None
        else {}
    )
    rows = []
    for a in ("phone", "person"):
        for b in ("phone", "person"):
            calls = _table(tables, f"calls_{a}_{b}")
            if calls is None:
                continue
            for side, end, other, other_end, word in (
                ("source", a, "target", b, "to"),
                ("target", b, "source", a, "from"),
            ):
                rows.append(
                    _call_rows(calls, side, end, other, other_end, word, users, names, wanted)
                )
    rows = [r for r in rows if len(r)]
    return pd.concat(rows, ignore_index=True) if rows else _empty()


def _call_rows(
    calls: pd.DataFrame,
    side: str,
    end: str,
    other: str,
    other_end: str,
    word: str,
    users: dict[str, list[str]],
    names: dict[str, str],
    wanted: set[str] | None,
) -> pd.DataFrame:
    """One row per call and person at its ``side`` (a phone's users, or the person)."""
    people = calls[side].map(users) if end == "phone" else calls[side].map(lambda p: [p])
    frame = calls.assign(person_id=people).explode("person_id").dropna(subset=["person_id"])
    if wanted is not None:
        frame = frame[frame["person_id"].isin(wanted)]
    if not len(frame):
        return _empty()

    def label(value: str, kind: str) -> str:
        return value if kind == "phone" else names.get(value, value)

    def counterpart(value: str, kind: str) -> str | None:
        found = users.get(value, []) if kind == "phone" else [value]
        return _joined(names.get(p, p) for p in found) or (value if kind == "phone" else None)

    counts = pd.to_numeric(frame["count"], errors="coerce").fillna(1).astype(int).to_numpy()
    detail = []
    for n, mine, theirs in zip(counts, frame[side], frame[other], strict=True):
        text = f"{n} call{'s' if n != 1 else ''} {word} {label(theirs, other_end)}"
        if end == "phone":
            text += f" ({'from' if word == 'to' else 'to'} {mine})"
        detail.append(text)
    return pd.DataFrame(
        {
            "date": frame["date"].to_numpy(),
            "kind": "call",
            "person_id": frame["person_id"].to_numpy(),
            "other": [counterpart(v, other_end) for v in frame[other]],
            "place": None,
            "detail": detail,
            "records": frame["sources"].to_numpy(),
        }
    )


def _links(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> pd.DataFrame:
    links = _table(tables, "person_links")
    if links is None:
        return _empty()
    parts = []
    for me, them, word in (("source", "target", "to"), ("target", "source", "from")):
        other = links[them].map(lambda p: names.get(p, p))
        detail = []
        for kind, name, weight in zip(links["link_type"], other, links["weight"], strict=True):
            joint = word if kind in DIRECTED_LINKS else "with"
            text = f"{str(kind).replace('_', ' ')} {joint} {name}"
            if weight == weight and weight is not None and float(weight) != 1.0:
                text += f" (weight {_number(float(weight))})"
            detail.append(text)
        parts.append(
            pd.DataFrame(
                {
                    "date": links["date"].to_numpy(),
                    "kind": "link",
                    "person_id": links[me].to_numpy(),
                    "other": other.to_numpy(),
                    "place": None,
                    "detail": detail,
                    "records": links["sources"].to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _parcels(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> pd.DataFrame:
    sent = _table(tables, "shipment_sent_person")
    received = _table(tables, "shipment_received_person")
    if sent is None and received is None:
        return _empty()
    frames = {
        "sent": sent if sent is not None else pd.DataFrame(columns=["party", "shipment_id"]),
        "received": received
        if received is not None
        else pd.DataFrame(columns=["party", "shipment_id"]),
    }
    parts = []
    for verb, frame in frames.items():
        if not len(frame):
            continue
        counterpart = frames["received" if verb == "sent" else "sent"]
        by_parcel = counterpart.groupby("shipment_id")["party"].agg(list).to_dict()
        parts.append(
            pd.DataFrame(
                {
                    "date": frame["date"].to_numpy(),
                    "kind": "parcel",
                    "person_id": frame["party"].to_numpy(),
                    "other": [
                        _joined(names.get(p, p) for p in by_parcel.get(s, []))
                        for s in frame["shipment_id"]
                    ],
                    "place": None,
                    "detail": [f"{verb} parcel {s}" for s in frame["shipment_id"]],
                    "records": frame["sources"].to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else _empty()
