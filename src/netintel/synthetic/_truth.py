"""The planted ground truth written to ``truth.json``: who is who, which rows name them,
which rows are variants or malformed, which corridors carry the volume (the layout is in
the README written next to the files).

Private module: :func:`truth` assumes the outputs of :mod:`._people`, :mod:`._records`,
:mod:`._contacts`, :mod:`._hidden` and the rendered frames of :mod:`._render`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netintel.synthetic import _vocab as V
from netintel.synthetic._contacts import Calls
from netintel.synthetic._hidden import HiddenTies
from netintel.synthetic._identities import Phones
from netintel.synthetic._people import (
    ROLE_BROKER,
    ROLE_DECOY,
    ROLE_FINANCIER,
    ROLE_LIEUTENANT,
    People,
    Plan,
    Rings,
    isin,
)
from netintel.synthetic._records import Arrests, Seizures
from netintel.synthetic._render import ISO, Identity, Rendered


def truth(
    plan: Plan,
    people: People,
    rings: Rings,
    phones: Phones,
    sz: Seizures,
    ar: Arrests,
    calls: Calls,
    cw: np.ndarray,
    seed: int,
    hidden: HiddenTies,
    rendered: Rendered,
) -> dict:
    """The truth dictionary of a rendered dataset (layout: the README written with it)."""
    r = rendered
    out = _truth(
        plan,
        people,
        rings,
        phones,
        sz,
        r.sid,
        cw,
        seed,
        r.frames,
        r.a_id,
        r.l_src,
        r.l_tgt,
        calls,
        r.c_order,
        r.malformed,
    )
    out.update(_new_truth(people, rings, phones, ar, r.a_order, r.frames, hidden, out))
    return out


def _tid(p: int | np.integer) -> str:
    return f"T{int(p) + 1:05d}"


def _rid(r: int) -> str:
    return f"R{int(r) + 1:02d}" if r < 99 else f"R{int(r) + 1}"


def _truth(
    plan,
    people: People,
    rings: Rings,
    phones: Phones,
    sz: Seizures,
    sid,
    cw,
    seed,
    out,
    a_id: Identity,
    l_src: Identity,
    l_tgt: Identity,
    calls: Calls,
    c_order: np.ndarray,
    malformed: list[dict],
) -> dict:
    arrests, links, comms = out["arrests"], out["links"], out["communications"]
    bad_name = {
        (m["file"], m["record_id"]) for m in malformed if m["problem"].startswith("missing")
    }
    named = calls.named[c_order]
    pid_parts = [
        a_id.person,
        l_src.person,
        l_tgt.person,
        calls.from_person[c_order][named],
        calls.to_person[c_order][named],
    ]
    rid_parts = [
        arrests["record_id"].to_numpy(),
        links["record_id"].to_numpy(),
        links["record_id"].to_numpy(),
        comms["record_id"].to_numpy()[named],
        comms["record_id"].to_numpy()[named],
    ]
    keep_parts = [
        ~arrests["record_id"].isin([r for f, r in bad_name if f == "arrests.csv"]).to_numpy(),
        links["source"].to_numpy() != "",
        links["target"].to_numpy() != "",
        np.ones(int(named.sum()), dtype=bool),
        np.ones(int(named.sum()), dtype=bool),
    ]
    # Numeric sort keys in record-id order (ARR < COM < LNK, then row).
    n_a, n_l = len(arrests), len(links)
    c_rows = np.flatnonzero(named)
    key_parts = [
        np.arange(n_a),
        2 * 10**9 + np.arange(n_l),
        2 * 10**9 + np.arange(n_l),
        10**9 + c_rows,
        10**9 + c_rows,
    ]
    keep = np.concatenate(keep_parts)
    pid = np.concatenate(pid_parts)[keep]
    rid = np.concatenate(rid_parts)[keep]
    order = np.lexsort((np.concatenate(key_parts)[keep], pid))
    pid, rid = pid[order], rid[order].tolist()
    bounds = np.searchsorted(pid, np.arange(len(people) + 1)).tolist()

    ring_ids = [_rid(r) for r in range(plan.n_rings)]
    tids = np.array([_tid(p) for p in range(len(people))], dtype=object)
    tid_l = tids.tolist()
    cols = zip(
        people.role.tolist(),
        people.ring.tolist(),
        people.ring2.tolist(),
        people.handler.tolist(),
        people.lao.tolist(),
        people.name.tolist(),
        people.national_id.tolist(),
        people.dob.tolist(),
        people.province.tolist(),
        people.alias.tolist(),
        people.decoy_kind.tolist(),
        people.phone_start.tolist(),
        people.phone_count.tolist(),
        strict=True,
    )
    e164 = phones.e164.tolist()
    passports = people.passport.tolist()
    persons: dict[str, dict] = {}
    for p, (role, ring, ring2, handler, lao, name, nid, dob, prov, alias, dk, ps, pc) in enumerate(
        cols
    ):
        rs = [ring_ids[ring]] if ring >= 0 else []
        if role == ROLE_BROKER:
            rs.append(ring_ids[ring2])
            if people.ring3[p] >= 0:
                rs.append(ring_ids[people.ring3[p]])
        side = "LA" if lao else "VN"
        rec = {
            "name": name,
            "national_id": nid,
            "dob": dob,
            "nationality": side,
            "side": side,
            "role": role,
            "rings": rs,
            "province": prov,
            "phones": e164[ps : ps + pc],
            "aliases": [alias] if alias else [],
            "passport": passports[p],
        }
        if role == ROLE_BROKER:
            rec["bridges"] = list(rs)
        if handler >= 0:
            rec["handler"] = tid_l[handler]
        if role == ROLE_DECOY:
            rec["decoy_kind"] = dk
            rec["attached_ring"] = ring_ids[ring2]
        rec["record_ids"] = rid[bounds[p] : bounds[p + 1]]
        persons[tid_l[p]] = rec

    ring_list = []
    in_ring = np.flatnonzero((people.ring >= 0) & (people.role != ROLE_BROKER))
    in_ring = in_ring[np.argsort(people.ring[in_ring], kind="stable")]
    bounds_r = np.searchsorted(people.ring[in_ring], np.arange(plan.n_rings + 1))
    brokers_of: dict[int, list[str]] = {}
    for b in np.flatnonzero(people.role == ROLE_BROKER):
        bridged = {int(people.ring[b]), int(people.ring2[b]), int(people.ring3[b])} - {-1}
        for r in sorted(bridged):
            brokers_of.setdefault(r, []).append(_tid(b))
    for r in range(plan.n_rings):
        mem = in_ring[bounds_r[r] : bounds_r[r + 1]]
        roles = people.role[mem]
        fin = mem[roles == ROLE_FINANCIER]
        ring_list.append(
            {
                "id": ring_ids[r],
                "side": "LA" if rings.lao[r] else "VN",
                "home_province": str(rings.home[r]),
                "drug": str(rings.drug[r]),
                "leader": _tid(rings.leader[r]),
                "lieutenants": tids[mem[roles == ROLE_LIEUTENANT]].tolist(),
                "financier": _tid(fin[0]) if len(fin) else None,
                "members": tids[mem].tolist(),
                "brokers": brokers_of.get(r, []),
                "provinces": sorted({str(x) for x in people.province[mem]}),
                "corridors": [],  # filled below, with corridor ids
                "active": [str(ISO[rings.start[r]]), str(ISO[rings.end[r]])],
            }
        )

    corridors = _corridor_truth(sz, sid, cw, malformed, ring_ids)
    cid = {c["catalogue"]: c["id"] for c in corridors}
    for r in range(plan.n_rings):
        ring_list[r]["corridors"] = [cid[c] for c in rings.corridors[r] if c in cid]
    for c in corridors:
        del c["catalogue"]

    duplicates: dict[str, list[dict]] = {}
    a_dob = arrests["dob"].to_numpy()
    spans = [
        ("arrests.csv", "name", a_id, arrests["record_id"].to_numpy()),
        ("links.csv", "source", l_src, links["record_id"].to_numpy()),
        ("links.csv", "target", l_tgt, links["record_id"].to_numpy()),
    ]
    entries = []
    for file, field, ident, rids in spans:
        for r in np.flatnonzero(ident.kinds != ""):
            if (file, rids[r]) in bad_name:
                continue
            e = {
                "record_id": str(rids[r]),
                "file": file,
                "field": field,
                "name": str(ident.name[r]),
                "kinds": str(ident.kinds[r]).split("+"),
                "national_id_given": bool(ident.nid[r] != ""),
            }
            if file == "arrests.csv":
                e["dob"] = str(a_dob[r])
                if ident.passport[r]:
                    e["passport"] = str(ident.passport[r])
            if "id_typo" in e["kinds"]:
                e["national_id"] = str(ident.nid[r])
            entries.append((int(ident.person[r]), e))
    c_rid = comms["record_id"].to_numpy()[named]
    for col, persons_named in (
        ("from_person", calls.from_person[c_order][named]),
        ("to_person", calls.to_person[c_order][named]),
    ):
        for r, p in zip(c_rid, persons_named, strict=True):
            entries.append(
                (
                    int(p),
                    {
                        "record_id": str(r),
                        "file": "communications.csv",
                        "field": col,
                        "name": str(people.name[p]),
                        "kinds": ["name_only"],
                        "national_id_given": False,
                    },
                )
            )
    entries.sort(key=lambda x: (x[0], x[1]["record_id"], x[1]["field"]))
    for p, e in entries:
        duplicates.setdefault(_tid(p), []).append(e)

    counts = {k: len(v) for k, v in out.items()}
    return {
        "generator": "netintel.synthetic",
        "format_version": 2,
        "seed": int(seed),
        "records": int(sum(counts.values())),
        "counts": counts,
        "date_range": [str(ISO[0]), str(ISO[-1])],
        "leaders": [_tid(x) for x in rings.leader],
        "brokers": [_tid(x) for x in np.flatnonzero(people.role == ROLE_BROKER)],
        "decoys": [_tid(x) for x in np.flatnonzero(people.role == ROLE_DECOY)],
        "rings": ring_list,
        "corridors": corridors,
        "persons": persons,
        "duplicates": duplicates,
        "malformed": malformed,
    }


def _corridor_truth(sz: Seizures, sid, cw, malformed, ring_ids) -> list[dict]:
    bad = {m["record_id"] for m in malformed if m["file"] == "seizures.csv"}
    valid = (sz.corridor >= 0) & ~sz.in_laos & ~pd.Series(sid).isin(bad).to_numpy()
    tablets = isin(sz.unit, ["tablets", "viên"])
    dominant = set(np.argsort(-cw, kind="stable")[:3].tolist())
    rows = []
    for c in np.unique(sz.corridor[valid]):
        sel = valid & (sz.corridor == c)
        o, g, s, d = V.CORRIDORS[c]
        rows.append(
            {
                "catalogue": int(c),
                "origin_province": o,
                "origin_country": "LA",
                "gate": g,
                "gate_province": V.GATES[g][0],
                "seizure_province": s,
                "destination": d,
                "count": int(sel.sum()),
                "kg": round(float(sz.kg[sel].sum()), 3),
                "tablets": int(sz.quantity[sel & tablets].sum()),
                "rings": [ring_ids[r] for r in np.unique(sz.ring[sel])],
                "dominant": int(c) in dominant,
            }
        )
    rows.sort(key=lambda x: (-x["kg"], -x["count"], x["catalogue"]))
    for i, row in enumerate(rows):
        row["rank"] = i + 1
        row["id"] = f"C{i + 1:02d}"
    return [
        {
            "id": r["id"],
            "rank": r["rank"],
            **{k: v for k, v in r.items() if k not in ("id", "rank")},
        }
        for r in rows
    ]


def _new_truth(
    people: People,
    rings: Rings,
    phones: Phones,
    ar: Arrests,
    a_order: np.ndarray,
    out: dict[str, pd.DataFrame],
    hidden: HiddenTies,
    truth: dict,
) -> dict:
    """Gatekeepers, hidden ties, successions, namesakes and shared phones."""
    side = {r["id"]: r["side"] for r in truth["rings"]}
    persons = truth["persons"]
    gatekeepers = [
        t for t in truth["brokers"] if {side[r] for r in persons[t]["bridges"]} == {"LA", "VN"}
    ]
    ties = []
    for a, b, kind, n in zip(hidden.a, hidden.b, hidden.kind, hidden.withheld, strict=True):
        ties.append(
            {
                "a": _tid(a),
                "b": _tid(b),
                "ring": _rid(int(people.ring[a])),
                "kind": str(kind),
                "withheld": int(n),
            }
        )
    ties.sort(key=lambda x: (x["a"], x["b"]))
    ev_day = np.array(ar.events.day, dtype=int)
    row_person, row_day = ar.person[a_order], ev_day[ar.event[a_order]]
    rids = out["arrests"]["record_id"].to_numpy()
    successions = []
    for r in np.flatnonzero(rings.succ_day >= 0):
        t = int(rings.succ_day[r])
        row = np.flatnonzero((row_person == rings.leader[r]) & (row_day == t))[0]
        successions.append(
            {
                "ring": _rid(r),
                "leader": _tid(rings.leader[r]),
                "arrested_on": str(ISO[t]),
                "record_id": str(rids[row]),
                "successor": _tid(rings.successor[r]),
                "from": str(ISO[t + 1]),
            }
        )
    namesakes = []
    for a, b, kind in people.namesakes:
        a, b = min(a, b), max(a, b)
        namesakes.append(
            {
                "a": _tid(a),
                "b": _tid(b),
                "kind": kind,
                "name_a": str(people.name[a]),
                "name_b": str(people.name[b]),
            }
        )
    namesakes.sort(key=lambda x: (x["a"], x["b"]))
    shared = [
        {"phone": str(phones.e164[row]), "persons": [_tid(p) for p in ps]}
        for row, ps in phones.shared
    ]
    shared.sort(key=lambda x: x["phone"])
    return {
        "gatekeepers": gatekeepers,
        "hidden_ties": ties,
        "successions": successions,
        "namesakes": namesakes,
        "shared_phones": shared,
    }
