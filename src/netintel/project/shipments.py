"""Shipments in the projection: the ties parcels imply between people.

A waybill names a sender and a recipient by any of a name (or ID), a phone and an address;
parcels are often sent under false names, so a side without a person stands for the people
known to use its phone (``USES``, from any record), else those seen at its address (named on
another shipment's same side, or living there by an arrest record). The choices, made
explicit:

===================  ============================================================================
tie kind             two people are tied when ...
===================  ============================================================================
``parcel``           one sent a shipment to the other (or the phone or address on one side of
                     the waybill points to them)
``parcel_phone``     each was named on a shipment beside the same phone (on different waybills:
                     a phone shared across shipments)
``parcel_address``   each was named on a shipment beside the same address
===================  ============================================================================

A national ID shared across shipments needs no tie: it is the key of the Person
(:mod:`netintel.ingest.build`), so the mentions are one person already.

Every piece of evidence keeps the record ids behind it: the waybills, and for a side read
through its phone or address the records that tie the person to it. Its channel is
``express``. Each kind has its own weight in
:attr:`netintel.project.ProjectionSettings.kind_weights`.

Examples
--------
>>> import pandas as pd
>>> def parties(rows):
...     return pd.DataFrame(rows, columns=["party", "shipment_id", "sources", "date"])
>>> t = {
...     "shipment_sent_person": parties([("A", "W1", ["W1"], "2024-01-02")]),
...     "shipment_sent_phone": parties([("+8491", "W1", ["W1"], "2024-01-02"),
...                                     ("+8491", "W2", ["W2"], "2024-02-01")]),
...     "shipment_received_person": parties([("B", "W1", ["W1"], "2024-01-02"),
...                                          ("C", "W2", ["W2"], "2024-02-01")]),
...     "person_phones": pd.DataFrame({"person_id": ["A"], "phone": ["+8491"],
...                                    "sources": [["W1"]]}),
... }
>>> ev = shipment_evidence(t, max_group=50)
>>> ev[["u", "v", "kind", "sources"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'u': 'A', 'v': 'B', 'kind': 'parcel', 'sources': ['W1']},
 {'u': 'A', 'v': 'C', 'kind': 'parcel', 'sources': ['W1', 'W2']}]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from netintel.store import cypher

__all__ = ["PERSON_COLUMNS", "TABLES", "shipment_evidence"]

#: Projection table name -> the query that reads it.
TABLES = {
    f"shipment_{rel.lower()}_{label.lower()}": text
    for (rel, label), text in cypher.SHIPMENT_PARTIES.items()
}
#: The tables whose ``party`` column holds Person ids (mapped to resolved people).
PERSON_COLUMNS = {"shipment_sent_person": ("party",), "shipment_received_person": ("party",)}
#: The channel of every tie a shipment implies.
CHANNEL = "express"

_COLUMNS = ["u", "v", "kind", "strength", "sources", "date", "channel"]
_SIDES = ("sent", "received")


def _table(t: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    frame = t.get(name)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["party", "shipment_id", "sources", "date"])
    return frame


def _side(t: Mapping[str, pd.DataFrame], side: str, max_group: int) -> pd.DataFrame:
    """``shipment_id, person_id, sources, date`` of everyone one side of each waybill stands
    for: the people it names, else its phone's users, else its address's people."""
    named = _table(t, f"shipment_{side}_person").rename(columns={"party": "person_id"})
    phones = _table(t, f"shipment_{side}_phone")
    addresses = _table(t, f"shipment_{side}_address")
    users = t.get("person_phones", pd.DataFrame(columns=["person_id", "phone", "sources"]))
    users = users.rename(columns={"phone": "party", "sources": "via"})
    residents = pd.concat(
        [
            t.get(
                "person_addresses", pd.DataFrame(columns=["person_id", "address", "sources"])
            ).rename(columns={"address": "party", "sources": "via"})[["person_id", "party", "via"]],
            *(_beside(t, s, "address")[["person_id", "party", "via"]] for s in _SIDES),
        ],
        ignore_index=True,
    )
    rows = [named[["shipment_id", "person_id", "sources", "date"]]]
    done = set(named["shipment_id"])
    for table, who in ((phones, users), (addresses, residents)):
        todo = table[~table["shipment_id"].isin(done)]
        size = who.groupby("party")["person_id"].transform("nunique")
        who = who[size <= max_group]
        found = todo.merge(who, on="party")
        found = found.assign(
            sources=[
                sorted(set(a) | set(b)) for a, b in zip(found["sources"], found["via"], strict=True)
            ]
        )
        rows.append(found[["shipment_id", "person_id", "sources", "date"]])
        done |= set(todo["shipment_id"])
    out = pd.concat([r for r in rows if not r.empty] or rows[:1], ignore_index=True)
    return out.drop_duplicates(["shipment_id", "person_id"]) if len(out) else out


def _beside(t: Mapping[str, pd.DataFrame], side: str, what: str) -> pd.DataFrame:
    """``person_id, party, via, date``: each person named on one side of a waybill beside the
    phone or address (``what``) on that side, ``via`` the records of both."""
    named = _table(t, f"shipment_{side}_person")
    other = _table(t, f"shipment_{side}_{what}")
    m = named.merge(other, on="shipment_id", suffixes=("_p", ""))
    return pd.DataFrame(
        {
            "person_id": m["party_p"].to_numpy(dtype=object),
            "party": m["party"].to_numpy(dtype=object),
            "via": [
                sorted(set(a) | set(b)) for a, b in zip(m["sources_p"], m["sources"], strict=True)
            ],
            "date": m["date"].to_numpy(),
        }
    )


def shipment_evidence(t: Mapping[str, pd.DataFrame], *, max_group: int) -> pd.DataFrame:
    """Evidence rows (``u, v, kind, strength, sources, date, channel``) the shipments imply.

    Parameters
    ----------
    t : mapping of str to DataFrame
        The projection tables (:func:`netintel.project.read_tables`): the ``shipment_*``
        tables of :data:`TABLES`, ``person_phones`` and ``person_addresses``.
    max_group : int
        A phone or address that stands for more people than this, or is shared by more
        people across shipments, says nothing about who works with whom: skipped.

    Returns
    -------
    DataFrame
        One row per tie and waybill (``parcel``) or per tie and shared phone or address
        (``parcel_phone``, ``parcel_address``), ``u < v``, strength 1 before weighting.
    """
    from netintel.project import _pairs_within

    parts = []
    senders, recipients = (_side(t, s, max_group) for s in _SIDES)
    pairs = senders.merge(recipients, on="shipment_id", suffixes=("_s", "_r"))
    pairs = pairs[pairs["person_id_s"] != pairs["person_id_r"]]
    if len(pairs):
        lo = pairs[["person_id_s", "person_id_r"]].min(axis=1)
        hi = pairs[["person_id_s", "person_id_r"]].max(axis=1)
        parts.append(
            pd.DataFrame(
                {
                    "u": lo.to_numpy(dtype=object),
                    "v": hi.to_numpy(dtype=object),
                    "kind": "parcel",
                    "strength": 1.0,
                    "sources": [
                        sorted(set(a) | set(b))
                        for a, b in zip(pairs["sources_s"], pairs["sources_r"], strict=True)
                    ],
                    "date": pairs["date_s"].to_numpy(),
                }
            )
        )
    for what, kind in (("phone", "parcel_phone"), ("address", "parcel_address")):
        beside = pd.concat([_beside(t, s, what) for s in _SIDES], ignore_index=True)
        groups = beside.rename(columns={"party": what, "via": "sources"})
        groups = groups.drop_duplicates(subset=["person_id", what, "date"])
        if len(groups):
            found = _pairs_within(groups, what, kind, max_group)
            if not found.empty:
                parts.append(found)
    if not parts:
        return pd.DataFrame(columns=_COLUMNS)
    ev = pd.concat(parts, ignore_index=True)
    ev["channel"] = CHANNEL
    return ev[_COLUMNS].reset_index(drop=True)
