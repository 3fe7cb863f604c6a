"""Turn clean record frames into a :class:`~netintel.batch.GraphBatch` following the schema.

Id conventions (other stages rely on them):

- Person ``stable_id(key, prefix="P-")``, key ``"nid:" + national_id``, else
  ``"pp:" + passport`` (arrests), else ``"nd:" + name_key + "|" + dob``, else ``"ns:" + name_key + "|" + (source_ref or file name)``.
- Phone: the E.164 text. Vehicle: the cleaned plate. CaseFile (the schema's name for a case):
  the case id. Drug: the canonical drug name. Seizure: the seizure id.
- Address ``stable_id(address_key, prefix="ADDR-")`` (``address_key`` is the folded text).
- Place: the folded path (``"vn"``, ``"vn/nghe an"``, ``"vn/nghe an/ky son"``), see
  :mod:`netintel.values.places`, with ``LOCATED_IN`` from child to parent; BorderGate
  ``"gate:<cc>/<folded name>"``, ``LOCATED_IN`` its seizure's province (else country).
- Arrest ``stable_id(case_id, arrest_date, place, province, country, prefix="ARR-")`` when a
  case id or a date is given (people arrested together share it), else ``"ARR-" + record_id``.
- Relationships: ``stable_id(type, from_id, to_id, prefix="R-")``, except the per-record
  ARRESTED_IN, CALLED and LINKED: ``stable_id(type, record_id, prefix="R-")``.

Every row carries ``sources`` (the record ids behind it) and ``first_seen``/``last_seen``
(the first and last day the record's date covers; ``None`` without a date). A Seizure known
only from an arrest's ``seizure_id`` is a node with its id alone (no dates).

Shipments: the Shipment keyed by its waybill; each side's Person (named or identified),
Phone and Address ``SENT`` (sender) or ``RECEIVED`` (recipient) it, ``USES`` where a side has
a person and a phone; ``ORIGIN``/``DESTINED_FOR`` the most specific place of each end,
``LINKED_TO`` a (stub) Seizure and ``PART_OF`` a CaseFile as arrests do.

Accounts: an OnlineAccount ``stable_id(account_key, prefix="OA-")`` (the folded platform and
handle), ``REGISTERED_WITH`` its Phone and Email, ``OWNS`` from the owner's Person.
Interactions: both accounts, one ``MESSAGED`` or ``PAID`` (amount, currency, method, hash)
per record, or a Post ``stable_id(record_id, prefix="POST-")`` the author ``POSTED``.

Communications: a side with a phone gives a Phone, a side with a person a Person, a side with
both also ``Person-USES->Phone``. The CALLED edge joins the phones when both sides have one,
else what each side names (Person->Person, Person->Phone or Phone->Person).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.batch import GraphBatch, to_ordinals
from netintel.ingest.checks import group_codes, person_keys
from netintel.ingest.staging import Chains, Rows, Stager, gc_paused, hash_ids
from netintel.values import Phone, Text
from netintel.values.places import PlaceRow, find_gate, gate_id, place_chain, resolve_location


def _gate(country: str, name: str, province: str) -> tuple[str, str]:
    """The id and name of the border gate a record names: the gazetteer's gate when it knows
    it in that country (its name, any spelling of it or an alias), else the name recorded."""
    known = find_gate(name, province or None)
    if known is not None and known.country == country:
        return gate_id(country, known.name), known.name
    return gate_id(country, name), name


def _chains(df: pd.DataFrame, resolve: Callable[[tuple], list[PlaceRow]], *cols: str) -> Chains:
    """Place chains: a group code per row and the chain of each group (resolved once)."""
    keys = df[list(cols)]
    codes, firsts = group_codes(keys)
    table = [
        resolve(tuple(None if v is None or v != v else v for v in keys.iloc[p])) for p in firsts
    ]
    return codes, table


def _most_specific(chains: Chains, index: pd.Index, level: str) -> pd.Series:
    """Per row, the id of the chain's Place at ``level`` (else the country's)."""
    codes, table = chains
    values = np.empty(len(table), dtype=object)
    values[:] = [next((p.id for p in c if p.level == level), c[0].id if c else None) for c in table]
    return pd.Series(values[codes], index=index, dtype=object)


def _seen(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """first_seen/last_seen as day ordinals (floats, NaN when unknown) for folding."""
    return tuple(pd.Series(to_ordinals(df[c]), index=df.index) for c in ("first_seen", "last_seen"))


def _scope(df: pd.DataFrame) -> pd.Series:
    names = {f: Path(f).name for f in pd.unique(df["file"])}
    return df["source_ref"].where(df["source_ref"].notna(), df["file"].map(names))


def _person_ids(
    df: pd.DataFrame, key_col: str, nid_col: str, dob_col: str | None, pp_col: str | None = None
) -> pd.Series:
    keys = person_keys(
        df[key_col],
        df[nid_col],
        df[dob_col] if dob_col else None,
        _scope(df),
        df[pp_col] if pp_col else None,
    )
    ids = hash_ids("P-", keys)
    return ids.where(keys.notna(), None)


def _phones(r: Rows, phones: pd.Series) -> None:
    has = phones.notna()
    regions = {p: Phone.region(p) for p in pd.unique(phones[has])}
    r.nodes("Phone", has, id=phones, e164=phones, region=phones.map(regions).astype(object))


def build_arrests(b: Stager, df: pd.DataFrame) -> None:
    """Person, Phone, Address, Vehicle, Arrest, Place, CaseFile and stub Seizure rows of arrests."""
    rid, (first, last) = df["record_id"], _seen(df)
    r = b.rows(rid, first, last)
    pid = _person_ids(df, "name_key", "national_id", "dob", "passport")
    everyone = pd.Series(True, index=df.index)
    r.nodes(
        "Person",
        everyone,
        id=pid,
        name=df["name"],
        name_key=df["name_key"],
        aliases=df["aliases"],
        dob=df["dob"],
        national_id=df["national_id"],
        passport=df["passport"],
        nationality=df["nationality"],
        roles=df["role"],
        gradings=df["grading"],
    )
    ph = df[["phones"]].assign(pid=pid, rid=rid, first=first, last=last).explode("phones")
    ph = ph[ph["phones"].notna()].reset_index(drop=True)
    per_phone = b.rows(ph["rid"], ph["first"], ph["last"])
    _phones(per_phone, ph["phones"])
    per_phone.edges(
        "USES", "Person", "Phone", pd.Series(True, index=ph.index), ph["pid"], ph["phones"]
    )
    has = df["address"].notna()
    akey = df["address"].map({a: Text.key(a) for a in pd.unique(df["address"][has])})
    aid = hash_ids("ADDR-", akey).where(has, None)
    r.nodes("Address", has, id=aid, text=df["address"], address_key=akey)
    r.edges("LIVES_AT", "Person", "Address", has, pid, aid)
    has = df["vehicle_plate"].notna()
    r.nodes("Vehicle", has, id=df["vehicle_plate"], plate=df["vehicle_plate"])
    r.edges("USES_VEHICLE", "Person", "Vehicle", has, pid, df["vehicle_plate"])

    shared = df["case_id"].notna() | df["arrest_date"].notna()
    aid = hash_ids(
        "ARR-", df["case_id"], df["arrest_date"], df["place"], df["province"], df["country"]
    ).where(shared, "ARR-" + rid.astype(str))
    r.nodes(
        "Arrest",
        everyone,
        id=aid,
        date=df["arrest_date"],
        place=df["place"],
        province=df["province"],
        country=df["country"],
    )
    r.edges(
        "ARRESTED_IN",
        "Person",
        "Arrest",
        everyone,
        pid,
        aid,
        per_record=True,
        role=df["role"],
        grading=df["grading"],
        source_ref=df["source_ref"],
    )
    place = r.places(_chains(df, lambda k: place_chain(*k), "country", "province", "place"))
    r.edges("AT", "Arrest", "Place", place.notna(), aid, place)
    has = df["case_id"].notna()
    r.nodes("CaseFile", has, id=df["case_id"], case_id=df["case_id"])
    r.edges("PART_OF", "Arrest", "CaseFile", has, aid, df["case_id"])
    has = df["seizure_id"].notna()
    b.rows(rid, None, None).nodes("Seizure", has, id=df["seizure_id"])  # a stub: no dates
    r.edges("LINKED_TO", "Arrest", "Seizure", has, aid, df["seizure_id"])


def build_seizures(b: Stager, df: pd.DataFrame) -> None:
    """Seizure, Drug, Place, BorderGate, Vehicle and CaseFile rows of seizures."""
    sid = df["seizure_id"]
    r = b.rows(sid, *_seen(df))
    everyone = pd.Series(True, index=df.index)
    quantity = pd.to_numeric(df["quantity"], errors="coerce").astype(object)
    r.nodes(
        "Seizure",
        everyone,
        id=sid,
        date=df["date"],
        drug=df["drug"],
        quantity=quantity.where(quantity.notna(), None),
        unit=df["unit"],
        quantity_kg=df["quantity_kg"],
        transport=df["transport"],
        origin=df["origin"],
        destination=df["destination"],
        source_ref=df["source_ref"],
    )
    r.nodes("Drug", everyone, id=df["drug"], name=df["drug"])
    r.edges("OF_DRUG", "Seizure", "Drug", everyone, sid, df["drug"], quantity_kg=df["quantity_kg"])
    chains = _chains(df, lambda k: place_chain(*k), "country", "province", "place")
    place = r.places(chains)
    r.edges("AT", "Seizure", "Place", place.notna(), sid, place)

    has = df["border_gate"].notna() & df["country"].notna()
    named = df[["country", "border_gate", "province"]].astype(object)
    named = named.where(named.notna(), "")  # (missing values make poor dictionary keys)
    gates = named[has].drop_duplicates()
    # A gate of the gazetteer keeps its name there, diacritics included ("Cau Treo" and
    # "cửa khẩu Cầu Treo" are Cầu Treo); its id is the folded key of that name.
    lut = {k: _gate(*k) for k in gates.itertuples(index=False, name=None)}
    found = [lut.get(k, (None, None)) for k in named.itertuples(index=False, name=None)]
    gid = pd.Series([f[0] for f in found], index=df.index, dtype=object)
    gname = pd.Series([f[1] for f in found], index=df.index, dtype=object)
    r.nodes("BorderGate", has, id=gid, name=gname, country=df["country"])
    r.edges("CROSSED", "Seizure", "BorderGate", has, sid, gid)
    parent = _most_specific(chains, df.index, "province")
    r.edges("LOCATED_IN", "BorderGate", "Place", has, gid, parent)

    for col, rel in (("origin", "ORIGIN"), ("destination", "DESTINED_FOR")):

        def resolve(key: tuple) -> list[PlaceRow]:
            found = resolve_location(key[0]) if key[0] is not None else None
            return place_chain(*found) if found else []

        target = r.places(_chains(df, resolve, col))
        r.edges(rel, "Seizure", "Place", target.notna(), sid, target)
    has = df["vehicle_plate"].notna()
    r.nodes("Vehicle", has, id=df["vehicle_plate"], plate=df["vehicle_plate"])
    r.edges("TRANSPORTED_IN", "Seizure", "Vehicle", has, sid, df["vehicle_plate"])
    has = df["case_id"].notna()
    r.nodes("CaseFile", has, id=df["case_id"], case_id=df["case_id"])
    r.edges("PART_OF", "Seizure", "CaseFile", has, sid, df["case_id"])


def build_communications(b: Stager, df: pd.DataFrame) -> None:
    """Phone and Person rows of both sides, USES where a side has both, one CALLED per record."""
    r = b.rows(df["record_id"], *_seen(df))
    pid = {}
    for side in ("from", "to"):
        phone, person = df[f"{side}_phone"], df[f"{side}_person"]
        pid[side] = _person_ids(df, f"{side}_key", f"{side}_national_id", None)
        _phones(r, phone)
        has = person.notna()
        r.nodes(
            "Person",
            has,
            id=pid[side],
            name=person,
            name_key=df[f"{side}_key"],
            national_id=df[f"{side}_national_id"],
        )
        r.edges("USES", "Person", "Phone", has & phone.notna(), pid[side], phone)
    count = pd.to_numeric(df["count"], errors="coerce").fillna(1).astype("int64")
    duration = pd.to_numeric(df["duration_s"], errors="coerce").astype(object)
    props = {
        "count": count,
        "duration_s": duration.where(duration.notna(), None),
        "source_ref": df["source_ref"],
    }
    # Between the phones when both sides name one, else between what each side names.
    fp, tp = df["from_phone"].notna(), df["to_phone"].notna()
    phones = fp & tp
    for from_label, to_label, rows, src, dst in (
        ("Phone", "Phone", phones, df["from_phone"], df["to_phone"]),
        ("Person", "Person", ~fp & ~tp, pid["from"], pid["to"]),
        ("Person", "Phone", ~fp & tp, pid["from"], df["to_phone"]),
        ("Phone", "Person", fp & ~tp, df["from_phone"], pid["to"]),
    ):
        r.edges("CALLED", from_label, to_label, rows, src, dst, per_record=True, **props)


def build_links(b: Stager, df: pd.DataFrame) -> None:
    """Person rows of both ends and one LINKED per record."""
    r = b.rows(df["record_id"], *_seen(df))
    pid = {}
    everyone = pd.Series(True, index=df.index)
    for side in ("source", "target"):
        pid[side] = _person_ids(df, f"{side}_key", f"{side}_national_id", f"{side}_dob")
        r.nodes(
            "Person",
            everyone,
            id=pid[side],
            name=df[side],
            name_key=df[f"{side}_key"],
            national_id=df[f"{side}_national_id"],
            dob=df[f"{side}_dob"],
        )
    weight = pd.to_numeric(df["weight"], errors="coerce").fillna(1.0).astype(float)
    r.edges(
        "LINKED",
        "Person",
        "Person",
        everyone,
        pid["source"],
        pid["target"],
        per_record=True,
        link_type=df["link_type"],
        weight=weight,
        source_ref=df["source_ref"],
    )


def _addresses(r: Rows, texts: pd.Series) -> pd.Series:
    """Stage the Address nodes of ``texts``; return their ids (missing where no text)."""
    has = texts.notna()
    akey = texts.map({a: Text.key(a) for a in pd.unique(texts[has])})
    aid = hash_ids("ADDR-", akey).where(has, None)
    r.nodes("Address", has, id=aid, text=texts, address_key=akey)
    return aid


def build_shipments(b: Stager, df: pd.DataFrame) -> None:
    """Shipment, its senders and recipients (Person, Phone, Address), places, seizure, case.

    Each side gives ``SENT`` (sender) or ``RECEIVED`` (recipient) edges to the Shipment from
    the Person (when named or identified), the Phone and the Address given; a side with both
    a person and a phone also gives ``Person-USES->Phone``.
    """
    wid = df["waybill"]
    r = b.rows(wid, *_seen(df))
    everyone = pd.Series(True, index=df.index)
    weight = pd.to_numeric(df["weight_kg"], errors="coerce").astype(object)

    def most_specific(end: str) -> pd.Series:
        cols = [f"{end}_place", f"{end}_province", f"{end}_country"]
        return df[cols].bfill(axis=1).iloc[:, 0].astype(object)

    r.nodes(
        "Shipment",
        everyone,
        id=wid,
        waybill=wid,
        courier=df["courier"],
        date=df["date"],
        contents=df["contents"],
        weight_kg=weight.where(weight.notna(), None),
        origin=most_specific("origin"),
        destination=most_specific("destination"),
        source_ref=df["source_ref"],
        gradings=df["grading"],
    )
    for side, rel in (("sender", "SENT"), ("recipient", "RECEIVED")):
        name, phone = df[f"{side}_name"], df[f"{side}_phone"]
        pid = _person_ids(df, f"{side}_key", f"{side}_national_id", None)
        named = pid.notna()
        r.nodes(
            "Person",
            named,
            id=pid,
            name=name,
            name_key=df[f"{side}_key"],
            national_id=df[f"{side}_national_id"],
            gradings=df["grading"],
        )
        _phones(r, phone)
        aid = _addresses(r, df[f"{side}_address"])
        r.edges("USES", "Person", "Phone", named & phone.notna(), pid, phone)
        r.edges(rel, "Person", "Shipment", named, pid, wid)
        r.edges(rel, "Phone", "Shipment", phone.notna(), phone, wid)
        r.edges(rel, "Address", "Shipment", aid.notna(), aid, wid)
    for end, rel in (("origin", "ORIGIN"), ("destination", "DESTINED_FOR")):
        cols = (f"{end}_country", f"{end}_province", f"{end}_place")
        place = r.places(_chains(df, lambda k: place_chain(*k), *cols))
        r.edges(rel, "Shipment", "Place", place.notna(), wid, place)
    has = df["seizure_id"].notna()
    b.rows(wid, None, None).nodes("Seizure", has, id=df["seizure_id"])  # a stub: no dates
    r.edges("LINKED_TO", "Shipment", "Seizure", has, wid, df["seizure_id"])
    has = df["case_id"].notna()
    r.nodes("CaseFile", has, id=df["case_id"], case_id=df["case_id"])
    r.edges("PART_OF", "Shipment", "CaseFile", has, wid, df["case_id"])


def _accounts(
    r: Rows, platform: pd.Series, account: pd.Series, key: pd.Series, **more
) -> pd.Series:
    """Stage the OnlineAccount nodes of the rows with a key; return their ids."""
    has = key.notna()
    oid = hash_ids("OA-", key).where(has, None)
    r.nodes(
        "OnlineAccount", has, id=oid, platform=platform, account=account, account_key=key, **more
    )
    return oid


def build_accounts(b: Stager, df: pd.DataFrame) -> None:
    """OnlineAccount, its registration Phone and Email (REGISTERED_WITH), its owner (OWNS)."""
    r = b.rows(df["record_id"], *_seen(df))
    oid = _accounts(
        r,
        df["platform"],
        df["account"],
        df["account_key"],
        display_names=df["display_name"],
        gradings=df["grading"],
    )
    _phones(r, df["phone"])
    r.edges("REGISTERED_WITH", "OnlineAccount", "Phone", df["phone"].notna(), oid, df["phone"])
    has = df["email"].notna()
    r.nodes("Email", has, id=df["email"], address=df["email"])
    r.edges("REGISTERED_WITH", "OnlineAccount", "Email", has, oid, df["email"])
    pid = _person_ids(df, "owner_key", "owner_national_id", None)
    named = pid.notna()
    r.nodes(
        "Person",
        named,
        id=pid,
        name=df["owner_name"],
        name_key=df["owner_key"],
        national_id=df["owner_national_id"],
        gradings=df["grading"],
    )
    r.edges("OWNS", "Person", "OnlineAccount", named, pid, oid)


def build_interactions(b: Stager, df: pd.DataFrame) -> None:
    """Both accounts, and one MESSAGED, PAID or POSTED (with its Post) per record."""
    rid = df["record_id"]
    r = b.rows(rid, *_seen(df))
    src = _accounts(r, df["from_platform"], df["from_account"], df["from_key"])
    dst = _accounts(r, df["to_platform"], df["to_account"], df["to_key"])
    kind = df["interaction"]
    r.edges(
        "MESSAGED",
        "OnlineAccount",
        "OnlineAccount",
        kind == "message",
        src,
        dst,
        per_record=True,
        source_ref=df["source_ref"],
    )
    amount = pd.to_numeric(df["amount"], errors="coerce").astype(object)
    r.edges(
        "PAID",
        "OnlineAccount",
        "OnlineAccount",
        kind == "payment",
        src,
        dst,
        per_record=True,
        amount=amount.where(amount.notna(), None),
        currency=df["currency"],
        method=df["method"],
        tx_hash=df["tx_hash"],
        source_ref=df["source_ref"],
    )
    post = hash_ids("POST-", rid)
    posts = kind == "post"
    r.nodes("Post", posts, id=post, content=df["content"], platform=df["from_platform"])
    r.edges("POSTED", "OnlineAccount", "Post", posts, src, post)


BUILDERS = {
    "arrests": build_arrests,
    "seizures": build_seizures,
    "communications": build_communications,
    "links": build_links,
    "shipments": build_shipments,
    "accounts": build_accounts,
    "interactions": build_interactions,
}


def build_batch(clean: dict[str, pd.DataFrame]) -> GraphBatch:
    """The folded, schema-validated batch of clean frames by kind (one row per id).

    Rows of the same id fold by :func:`netintel.batch.consolidate` (each property the greatest
    non-missing value its records give), so the batch is a function of the set of records,
    not of their order; a seizure an arrest names only by its id adds no property values.
    """
    b = Stager()
    with gc_paused():
        for kind in (
            "seizures",
            "arrests",
            "communications",
            "links",
            "shipments",
            "accounts",
            "interactions",
        ):
            frame = clean.get(kind)
            if frame is not None and len(frame):
                BUILDERS[kind](b, frame.reset_index(drop=True))
        batch = b.finish()
    batch.validate(b.schema)
    return batch
