"""Render structured rows into record text, plant identity variants and malformed values.

Private module: :func:`render` assumes the outputs of :mod:`._people`, :mod:`._records` and
:mod:`._contacts`; the truth about the rendered rows is assembled in :mod:`._truth`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netintel.ingest.kinds import KINDS
from netintel.synthetic import _names
from netintel.synthetic import _vocab as V
from netintel.synthetic._contacts import Calls, Links
from netintel.synthetic._identities import Phones
from netintel.synthetic._people import (
    N_DAYS,
    ROLE_BROKER,
    ROLE_LEADER,
    START_DATE,
    People,
    isin,
)
from netintel.synthetic._records import Arrests, Seizures
from netintel.values import fold

# The canonical record columns (netintel.ingest.kinds), less the optional ones the generator
# never fills: the callers' national IDs and the link ends' dates of birth.
ARREST_COLUMNS = list(KINDS["arrests"].columns)
SEIZURE_COLUMNS = list(KINDS["seizures"].columns)
CALL_COLUMNS = [c for c in KINDS["communications"].columns if not c.endswith("_national_id")]
LINK_COLUMNS = [c for c in KINDS["links"].columns if not c.endswith("_dob")]

_DAYS = START_DATE + np.arange(N_DAYS)
ISO = np.datetime_as_string(_DAYS, unit="D").astype(object)
DMY = np.array([f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in ISO], dtype=object)
YEAR = np.array([int(s[:4]) for s in ISO])
BAD_DATES = ["31/02/2024", "2024-13-07", "30/02/2023", "2023-02-30", "00/05/2024", "32/12/2022"]


def _ids(prefix: str, n: int) -> np.ndarray:
    width = max(6, len(str(n)))
    return np.array([f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _choose(rng: np.random.Generator, n: int, options: list, p: list[float]) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def _dates(rng: np.random.Generator, day: np.ndarray, p_iso: float) -> np.ndarray:
    return np.where(rng.random(len(day)) < p_iso, ISO[day], DMY[day])


def _province_text(rng: np.random.Generator, province: np.ndarray) -> np.ndarray:
    viet = np.array(
        [V.VN_PROVINCES[p][0] if p in V.VN_PROVINCES else p for p in province], dtype=object
    )
    return np.where(rng.random(len(province)) < 0.15, viet, province)


def _country_text(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    vn = _choose(rng, len(country), ["VN", "Vietnam", "Việt Nam"], [0.7, 0.2, 0.1])
    la = _choose(rng, len(country), ["LA", "Laos", "Lao PDR"], [0.7, 0.2, 0.1])
    return np.where(country == "LA", la, vn)


def _plate_code(province: str) -> str:
    return V.VN_PROVINCES[province][1] if province in V.VN_PROVINCES else "LA"


def _refs(prefix: str, province: np.ndarray, day: np.ndarray, serial: np.ndarray) -> np.ndarray:
    return np.array(
        [
            f"{prefix}-{_plate_code(p)}-{YEAR[d]}-{k:05d}"
            for p, d, k in zip(province, day, serial, strict=True)
        ],
        dtype=object,
    )


def _fmt_quantity(q: np.ndarray, unit: np.ndarray) -> np.ndarray:
    out = np.empty(len(q), dtype=object)
    for i, (x, u) in enumerate(zip(q, unit, strict=True)):
        if u in ("bánh", "tablets", "viên"):
            out[i] = str(int(x))
        else:
            out[i] = f"{x:.2f}".rstrip("0").rstrip(".")
    return out


def _render_seizures(rng: np.random.Generator, sz: Seizures):
    n = len(sz)
    order = np.argsort(sz.day, kind="stable")
    sid = np.empty(n, dtype=object)
    sid[order] = _ids("SZ", n)
    gate = np.where(rng.random(n) < 0.9, sz.gate, "")
    gate_viet = np.array([V.GATE_VIETNAMESE.get(g, g) for g in gate], dtype=object)
    gate = np.where(rng.random(n) < 0.15, gate_viet, gate)
    la_form = rng.choice(5, size=n, p=[0.55, 0.1, 0.15, 0.05, 0.15])
    origin = np.array(
        [
            "" if not o else [f"{o}, LA", f"{o}, Laos", "LA", "Laos", ""][f]
            for o, f in zip(sz.origin, la_form, strict=True)
        ],
        dtype=object,
    )
    local = sz.corridor < 0
    origin[local] = np.where(rng.random(int(local.sum())) < 0.15, "LA", "")
    d_form = rng.choice(4, size=n, p=[0.6, 0.15, 0.15, 0.1])
    dest = np.empty(n, dtype=object)
    for i, (d, f) in enumerate(zip(sz.destination, d_form, strict=True)):
        if not d or f == 3:
            dest[i] = ""
        elif d in V.VN_CITIES:
            dest[i] = [d, V.VN_PROVINCES[d][0], f"{d}, VN"][f]
        else:
            dest[i] = [f"{d}, VN", V.VN_PROVINCES[d][0], d][f]
    serial = np.empty(n, dtype=int)
    serial[order] = np.arange(1, n + 1)
    frame = {
        "seizure_id": sid,
        "date": _dates(rng, sz.day, 0.8),
        "place": sz.place,
        "province": _province_text(rng, sz.province),
        "country": _country_text(rng, sz.country),
        "border_gate": gate,
        "drug": sz.drug,
        "quantity": _fmt_quantity(sz.quantity, sz.unit),
        "unit": sz.unit.copy(),
        "origin": origin,
        "destination": dest,
        "transport": sz.transport,
        "vehicle_plate": sz.plate,
        "case_id": np.array([f"CASE-{c + 1:06d}" for c in sz.case], dtype=object),
        "source_ref": _refs("BB", sz.province, sz.day, serial),
    }
    return frame, order, sid


class Identity:
    """Recorded name / national id of every mention of a person (arrest rows, link ends)."""

    def __init__(self, people: People, persons: np.ndarray) -> None:
        self.person = persons
        self.name = people.name[persons].copy()
        self.nid = people.national_id[persons].copy()
        self.passport = np.full(len(persons), "", dtype=object)
        self.kinds = np.full(len(persons), "", dtype=object)


# Kinds after which a record still carries its full corroborating fields (date of birth, a
# phone): the name or the id is what differs.
_PLAIN_KINDS = ("", "missing_national_id", "passport")


def _plant_variants(
    rng: np.random.Generator,
    people: People,
    ids: list[Identity],
    missing_p: list[float],
    blank_p: list[float],
) -> None:
    """Spelling variants, aliases given as the name and missing national ids on some
    mentions (in place). ``ids[0]`` are the arrest rows: only they get aliases (they carry a
    date of birth and phones to corroborate); a variant loses its national id with
    probability ``blank_p``."""
    for ident, p_missing in zip(ids, missing_p, strict=True):
        miss = rng.random(len(ident.person)) < p_missing
        ident.nid[miss] = ""
        ident.kinds[miss] = "missing_national_id"
    sizes = [len(x.person) for x in ids]
    person = np.concatenate([x.person for x in ids])
    which = np.repeat(np.arange(len(ids)), sizes)
    row = np.concatenate([np.arange(s) for s in sizes])
    perm = rng.permutation(len(person))
    perm = perm[np.argsort(person[perm], kind="stable")]
    grp = person[perm]
    start = np.searchsorted(grp, grp, side="left")
    count = np.searchsorted(grp, grp, side="right") - start
    pos = np.arange(len(grp)) - start
    role = people.role
    p_var = np.where(role == ROLE_LEADER, 0.2, np.where(role == "noise", 0.05, 0.12))
    chosen = (rng.random(len(people)) < p_var) & (np.bincount(person, minlength=len(people)) >= 2)
    k = np.where(rng.random(len(people)) < 0.3, 2, 1)
    pick = chosen[grp] & (pos < np.minimum(k[grp], count - 1))
    for j in np.flatnonzero(pick):
        m = perm[j]
        ident = ids[which[m]]
        r = row[m]
        p = ident.person[r]
        if which[m] == 0 and people.alias[p] and rng.random() < 0.6:
            name, kind = people.alias[p], "alias"
        else:
            name, kind = _names.variant(people.name[p], bool(people.lao[p]), rng)
        ident.name[r] = name
        kinds = [kind]
        if rng.random() < blank_p[which[m]]:
            ident.nid[r] = ""
            kinds.append("missing_national_id")
        ident.kinds[r] = "+".join(kinds)
    # Aliases given as the name on some more arrest rows of people known by one.
    arrests = ids[0]
    n_mentions = np.bincount(person, minlength=len(people))
    p = arrests.person
    alias = (
        (arrests.kinds == "")
        & (people.alias[p] != "")
        & (n_mentions[p] >= 2)
        & (rng.random(len(p)) < 0.05)
    )
    arrests.name[alias] = people.alias[p[alias]]
    arrests.kinds[alias] = "alias"
    # Other romanisations of Lao names on some more arrest rows of Lao nationals.
    roman = (
        (arrests.kinds == "") & people.lao[p] & (n_mentions[p] >= 2) & (rng.random(len(p)) < 0.04)
    )
    for r in np.flatnonzero(roman):
        name = _names.lao_romanisation(people.name[p[r]])
        if fold(name) != fold(people.name[p[r]]):
            arrests.name[r] = name
            arrests.kinds[r] = "lao_romanisation"


def _id_typo(nid: str, rng: np.random.Generator, taken: set[str]) -> str:
    """``nid`` with one of its last six digits changed (never into someone else's id)."""
    digits = [i for i, c in enumerate(nid) if c.isdigit()]
    for _ in range(20):
        i = digits[-1 - int(rng.integers(min(6, len(digits))))]
        new = nid[:i] + str((int(nid[i]) + 1 + int(rng.integers(9))) % 10) + nid[i + 1 :]
        if new not in taken:
            return new
    return nid


def _plant_documents(rng: np.random.Generator, people: People, ident: Identity) -> None:
    """Arrest rows only (in place): passports shown (most Lao nationals' rows, a few
    Vietnamese), some Lao rows with the passport and no national id, and national ids with
    one digit mistyped."""
    n = len(ident.person)
    lao = people.lao[ident.person]
    show = rng.random(n) < np.where(lao, 0.7, 0.05)
    ident.passport[show] = people.passport[ident.person[show]]
    plain = ident.kinds == ""
    only = plain & show & lao & (ident.nid != "") & (rng.random(n) < 0.2)
    ident.nid[only] = ""
    ident.kinds[only] = "passport"
    typo = (ident.kinds == "") & (ident.nid != "") & (rng.random(n) < 0.03)
    taken = set(people.national_id.tolist())
    for r in np.flatnonzero(typo):
        new = _id_typo(ident.nid[r], rng, taken)
        if new != ident.nid[r]:
            ident.nid[r] = new
            ident.kinds[r] = "id_typo"


def _phones_text(
    rng: np.random.Generator,
    people: People,
    phones: Phones,
    persons: np.ndarray,
    keep: np.ndarray | None = None,
) -> np.ndarray:
    """Each row's phones as recorded (one or both, in varied formats; 4 % blank unless
    ``keep``)."""
    n = len(persons)
    f1 = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    f2 = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    both = rng.random(n) < 0.75
    blank = rng.random(n) < 0.04
    if keep is not None:
        blank &= ~keep
    start = people.phone_start[persons]
    cnt = people.phone_count[persons]
    out = np.empty(n, dtype=object)
    forms = phones.forms
    for i in range(n):
        if blank[i]:
            out[i] = ""
        elif cnt[i] == 2 and both[i]:
            out[i] = f"{forms[start[i], f1[i]]};{forms[start[i] + 1, f2[i]]}"
        else:
            out[i] = forms[start[i] + (cnt[i] - 1) * int(f2[i] == 0), f1[i]]
    return out


def _render_arrests(
    rng,
    people: People,
    phones: Phones,
    ar: Arrests,
    sid: np.ndarray,
    ident: Identity,
    order: np.ndarray,
):
    ev = ar.events
    ev_day = np.array(ev.day, dtype=int)
    n_ev = len(ev_day)
    ev_order = np.argsort(ev_day, kind="stable")
    ev_serial = np.empty(n_ev, dtype=int)
    ev_serial[ev_order] = np.arange(1, n_ev + 1)
    ev_prov = np.array(ev.province, dtype=object)
    ev_date = _dates(rng, ev_day, 0.75)
    ev_province = _province_text(rng, ev_prov)
    ev_country = _country_text(rng, np.array(ev.country, dtype=object))
    ev_ref = _refs("BC", ev_prov, ev_day, ev_serial)
    ev_seizure = np.array(ev.seizure, dtype=int)
    ev_sid = np.where(ev_seizure >= 0, sid[np.maximum(ev_seizure, 0)], "")
    ev_case = np.array([f"CASE-{c + 1:06d}" for c in ev.case], dtype=object)
    ev_place = np.array(ev.place, dtype=object)

    e = ar.event[order]
    p = ar.person[order]
    n = len(p)
    missing = ident.nid == ""
    dob_iso = people.dob[p]
    dob_dmy = np.array([f"{s[8:10]}/{s[5:7]}/{s[:4]}" for s in dob_iso], dtype=object)
    dob_year = np.array([s[:4] for s in dob_iso], dtype=object)
    f_ok = rng.choice(4, size=n, p=[0.6, 0.25, 0.1, 0.05])
    f_miss = rng.choice(4, size=n, p=[0.25, 0.15, 0.25, 0.35])
    f = np.where(missing, f_miss, f_ok)
    # A name or id variant keeps a full date of birth and a phone to corroborate it.
    hard = ~isin(ident.kinds, _PLAIN_KINDS)
    f = np.where(hard & (f >= 2), f % 2, f)
    dob = np.select([f == 0, f == 1, f == 2], [dob_iso, dob_dmy, dob_year], "").astype(object)
    for code, tag in ((2, "partial_dob"), (3, "missing_dob")):
        sel = f == code
        ident.kinds[sel] = np.where(ident.kinds[sel] == "", tag, ident.kinds[sel] + "+" + tag)
    nat_vn = _choose(rng, n, ["VN", "Vietnam", "Việt Nam"], [0.6, 0.25, 0.15])
    nat_la = _choose(rng, n, ["LA", "Lao", "Laos"], [0.6, 0.2, 0.2])
    alias = np.where(rng.random(n) < 0.6, people.alias[p], "")
    address = np.where(rng.random(n) < 0.85, people.address[p], "")
    frame = {
        "record_id": _ids("ARR", n),
        "arrest_date": ev_date[e],
        "name": ident.name,
        "aliases": alias,
        "dob": dob,
        "national_id": ident.nid,
        "passport": ident.passport,
        "nationality": np.where(people.lao[p], nat_la, nat_vn),
        "phones": _phones_text(rng, people, phones, p, hard),
        "address": address,
        "place": ev_place[e],
        "province": ev_province[e],
        "country": ev_country[e],
        "case_id": ev_case[e],
        "seizure_id": ev_sid[e],
        "role": ar.role[order],
        "source_ref": ev_ref[e],
        "grading": _choose(rng, n, V.GRADINGS, V.GRADING_P),
        "vehicle_plate": ar.plate[order],
    }
    return frame


def _render_calls(rng, people: People, phones: Phones, calls: Calls, order: np.ndarray):
    n = len(calls)
    day = calls.day[order]
    fmt = rng.choice(3, size=(2, n), p=[0.5, 0.3, 0.2])
    fp, tp = calls.from_person[order], calls.to_person[order]
    named = calls.named[order]
    frame = {
        "record_id": _ids("COM", n),
        "date": _dates(rng, day, 0.85),
        "from_phone": phones.forms[calls.from_phone[order], fmt[0]],
        "to_phone": phones.forms[calls.to_phone[order], fmt[1]],
        "from_person": np.where(named, people.name[np.maximum(fp, 0)], ""),
        "to_person": np.where(named, people.name[np.maximum(tp, 0)], ""),
        "count": calls.count[order].astype(str).astype(object),
        "duration_s": calls.duration[order].astype(str).astype(object),
        "source_ref": np.array(
            [f"CDR-{YEAR[d]}-{k // 25 + 1:05d}" for k, d in enumerate(day)], dtype=object
        ),
    }
    return frame


def _render_links(rng, links: Links, src: Identity, tgt: Identity, order: np.ndarray):
    n = len(links)
    day = links.day[order]
    lt = links.link_type[order]
    frame = {
        "record_id": _ids("LNK", n),
        "source": src.name,
        "target": tgt.name,
        "link_type": lt,
        "date": _dates(rng, day, 0.85),
        "weight": links.weight[order].astype(int).astype(str).astype(object),
        "source_ref": np.array(
            [
                f"{'STR' if t == 'money_transfer' else 'INT'}-{YEAR[d]}-{k // 6 + 1:05d}"
                for k, (t, d) in enumerate(zip(lt, day, strict=True))
            ],
            dtype=object,
        ),
        "source_national_id": src.nid,
        "target_national_id": tgt.nid,
    }
    return frame


# --- malformed rows ------------------------------------------------------------------------
_MALFORMED = {
    "arrests.csv": [
        ("arrest_date", "invalid date"),
        ("phones", "invalid phone number"),
        ("name", "missing required name"),
        ("role", "unknown role"),
        ("passport", "invalid passport number"),
    ],
    "seizures.csv": [
        ("unit", "unknown unit"),
        ("quantity", "negative quantity"),
        ("quantity", "non-numeric quantity"),
        ("date", "invalid date"),
    ],
    "communications.csv": [
        ("from_phone", "invalid phone number"),
        ("date", "invalid date"),
        ("to_phone", "invalid phone number"),
    ],
    "links.csv": [
        ("source", "missing required name"),
        ("date", "invalid date"),
        ("target", "missing required name"),
    ],
}


def _bad_value(field: str, problem: str, rng: np.random.Generator, old: str) -> str:
    if problem == "invalid date":
        return BAD_DATES[int(rng.integers(len(BAD_DATES)))]
    if problem == "invalid phone number":
        return ["12ab", "09x1234", "+84 12ab 345"][int(rng.integers(3))]
    if problem.startswith("missing"):
        return ""
    if problem == "invalid passport number":
        return ["PA12", "P-12", "PASSPORT", "PA 12 34"][int(rng.integers(4))]
    if problem == "unknown role":
        return ["boss", "mule", "driver?"][int(rng.integers(3))]
    if problem == "unknown unit":
        return ["bags", "boxes", "packs"][int(rng.integers(3))]
    if problem == "negative quantity":
        return "-" + old
    return ["abc", "approx. 5", "several"][int(rng.integers(3))]


def _corrupt(
    rng: np.random.Generator,
    frames: dict[str, dict[str, np.ndarray]],
    eligible: dict[str, np.ndarray],
) -> list[dict]:
    out = []
    for file, kinds in _MALFORMED.items():
        frame = frames[file]
        ok = np.flatnonzero(eligible[file])
        m = min(len(ok), max(1, round(0.005 * len(eligible[file]))))
        rows = np.sort(rng.choice(ok, size=m, replace=False))
        id_col = "seizure_id" if file == "seizures.csv" else "record_id"
        for j, r in enumerate(rows):
            field, problem = kinds[(j + int(rng.integers(len(kinds)))) % len(kinds)]
            value = _bad_value(field, problem, rng, str(frame[field][r]))
            frame[field][r] = value
            out.append(
                {
                    "file": file,
                    "record_id": str(frame[id_col][r]),
                    "row": int(r) + 1,
                    "field": field,
                    "value": value,
                    "problem": problem,
                }
            )
    return out


# --- everything ----------------------------------------------------------------------------
@dataclass
class Rendered:
    """The four record frames (all text, by file stem) and what the truth needs to name
    their rows: seizure ids, the identities written on arrest and link rows, the output
    order of arrests and calls, and the malformed values planted."""

    frames: dict[str, pd.DataFrame]
    sid: np.ndarray
    a_id: Identity
    l_src: Identity
    l_tgt: Identity
    a_order: np.ndarray
    c_order: np.ndarray
    malformed: list[dict]


def render(
    rng: np.random.Generator,
    people: People,
    phones: Phones,
    sz: Seizures,
    ar: Arrests,
    calls: Calls,
    links: Links,
) -> Rendered:
    """The four record frames, as text, with the identity variants and malformed values."""
    seizure_frame, s_order, sid = _render_seizures(rng, sz)

    ev_day = np.array(ar.events.day, dtype=int)
    a_order = np.lexsort((np.arange(len(ar)), ar.event, ev_day[ar.event]))
    c_order = np.argsort(calls.day, kind="stable")
    l_order = np.argsort(links.day, kind="stable")
    a_id = Identity(people, ar.person[a_order])
    l_src = Identity(people, links.source[l_order])
    l_tgt = Identity(people, links.target[l_order])
    _plant_variants(rng, people, [a_id, l_src, l_tgt], [0.025, 0.06, 0.06], [0.6, 0.3, 0.3])
    # Two ends of a link named alike (namesakes) keep their national ids, so the link does
    # not read as joining a person to themselves.
    alike = np.array(
        [fold(x) == fold(y) for x, y in zip(l_src.name, l_tgt.name, strict=True)],
        dtype=bool,
    )
    for ident in (l_src, l_tgt):
        ident.nid[alike] = people.national_id[ident.person[alike]]
        kinds = [
            "+".join(k for k in str(x).split("+") if k and k != "missing_national_id")
            for x in ident.kinds[alike]
        ]
        ident.kinds[alike] = np.array(kinds, dtype=object)
    _plant_documents(rng, people, a_id)
    # Identity rows are in output order.
    a_frame = _render_arrests(rng, people, phones, ar, sid, a_id, a_order)
    c_frame = _render_calls(rng, people, phones, calls, c_order)
    l_frame = _render_links(rng, links, l_src, l_tgt, l_order)

    key = isin(people.role, [ROLE_LEADER, ROLE_BROKER])
    c_fp, c_tp = calls.from_person[c_order], calls.to_person[c_order]
    eligible = {
        "arrests.csv": (a_id.kinds == "") & ~key[a_id.person],
        "seizures.csv": np.ones(len(sz), dtype=bool),
        "communications.csv": ~key[c_fp]
        & ~np.where(c_tp >= 0, key[np.maximum(c_tp, 0)], False)
        & ~calls.named[c_order],
        "links.csv": (l_src.kinds == "")
        & (l_tgt.kinds == "")
        & ~key[l_src.person]
        & ~key[l_tgt.person],
    }
    frames = {
        "arrests.csv": a_frame,
        "seizures.csv": seizure_frame,
        "communications.csv": c_frame,
        "links.csv": l_frame,
    }
    malformed = _corrupt(rng, frames, eligible)
    # Sort seizures by id (= by date) for output.
    seizure_frame = {k: v[s_order] for k, v in seizure_frame.items()}
    frames["seizures.csv"] = seizure_frame
    s_row = {sid_: i + 1 for i, sid_ in enumerate(seizure_frame["seizure_id"])}
    for m in malformed:
        if m["file"] == "seizures.csv":
            m["row"] = s_row[m["record_id"]]

    columns = {
        "arrests.csv": ARREST_COLUMNS,
        "seizures.csv": SEIZURE_COLUMNS,
        "communications.csv": CALL_COLUMNS,
        "links.csv": LINK_COLUMNS,
    }
    out = {
        file[:-4]: pd.DataFrame({c: frames[file][c] for c in columns[file]}, dtype=object)
        for file in columns
    }
    return Rendered(out, sid, a_id, l_src, l_tgt, a_order, c_order, malformed)
