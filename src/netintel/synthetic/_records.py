"""Generate the seizure and arrest rows from the planted population.

Rows are produced as integer/str arrays (person numbers, day numbers, event numbers); the
rendering into CSV text, identity variants and malformed values happen in ``_render``.
Private module: every function assumes valid input from :mod:`._people`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netintel.synthetic import _vocab as V
from netintel.synthetic._identities import plate as make_plate
from netintel.synthetic._people import (
    MEMBER_ROLES,
    N_DAYS,
    ROLE_BROKER,
    ROLE_BUYER,
    ROLE_COURIER,
    ROLE_DECOY,
    ROLE_FINANCIER,
    ROLE_LEADER,
    ROLE_LIEUTENANT,
    ROLE_LOOKOUT,
    ROLE_NOISE,
    ROLE_SELLER,
    People,
    Plan,
    Rings,
    isin,
)


# --- seizures ------------------------------------------------------------------------------
@dataclass
class Seizures:
    ring: np.ndarray
    corridor: np.ndarray  # index into V.CORRIDORS, -1 for local seizures
    in_laos: np.ndarray
    day: np.ndarray
    province: np.ndarray  # canonical
    country: np.ndarray  # "VN" / "LA"
    place: np.ndarray  # district
    gate: np.ndarray  # canonical gate or ""
    drug: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray
    kg: np.ndarray  # kg-equivalent (tablets at 0.1 g)
    origin: np.ndarray  # canonical Lao province or ""
    destination: np.ndarray  # canonical or ""
    transport: np.ndarray
    plate: np.ndarray
    case: np.ndarray
    with_arrests: np.ndarray

    def __len__(self) -> int:
        return len(self.day)


def _quantities(rng: np.random.Generator, drug: np.ndarray, small: np.ndarray):
    n = len(drug)
    q = np.zeros(n)
    unit = np.full(n, "kg", dtype=object)
    ln = rng.standard_normal(n)
    heroin = drug == "heroin"
    cakes = heroin & ~small & (rng.random(n) < 0.6)
    q[cakes] = np.maximum(1, np.round(np.exp(np.log(6) + 0.9 * ln[cakes])))
    unit[cakes] = "bánh"
    mass = {
        "heroin": (2.0, 1.0, 3.0),
        "methamphetamine": (3.0, 1.2, 2.0),
        "cannabis": (5.0, 1.0, 8.0),
        "ketamine": (1.0, 1.0, 3.0),
    }
    for d, (kg_med, sd, g_med) in mass.items():
        big = (drug == d) & ~small & ~cakes
        q[big] = np.round(np.exp(np.log(kg_med) + sd * ln[big]), 2).clip(0.05)
        sm = (drug == d) & small
        q[sm] = np.round(np.exp(np.log(g_med) + 0.8 * ln[sm]), 1).clip(0.1)
        unit[sm] = "g"
    tabs = {"methamphetamine tablets": (20000, 1.2, 30), "MDMA": (2000, 1.0, 20)}
    for d, (med, sd, small_med) in tabs.items():
        sel = drug == d
        big = sel & ~small
        q[big] = np.maximum(100, np.round(np.exp(np.log(med) + sd * ln[big]), -2))
        sm = sel & small
        q[sm] = np.maximum(1, np.round(np.exp(np.log(small_med) + 0.8 * ln[sm])))
        unit[sel] = np.where(rng.random(int(sel.sum())) < 0.7, "tablets", "viên")
    per = {
        "kg": 1.0,
        "g": 0.001,
        "bánh": V.HEROIN_CAKE_KG,
        "tablets": V.TABLET_KG,
        "viên": V.TABLET_KG,
    }
    kg = q * np.array([per[u] for u in unit])
    return q, unit, kg


def make_seizures(
    rng: np.random.Generator, plan: Plan, people: People, rings: Rings, cw: np.ndarray
) -> Seizures:
    """Ring seizures along the rings' corridors (a few on the Lao side), then small local ones.

    Rings get seizures in proportion to size and to the square root of their primary
    corridor's planted weight; a ring's seizures are grouped into cases.
    """
    n = plan.n_seizures
    n_rings = plan.n_rings
    n_ring = min(n, max(round(0.87 * n), 2 * n_rings))
    sizes = np.bincount(people.ring[people.ring >= 0], minlength=n_rings)[:n_rings]
    prim = np.array([c[0] for c in rings.corridors])
    w = sizes * np.sqrt(cw[prim]) * np.where(rings.lao, 1.0, 0.8)
    base = np.minimum(2, n_ring // n_rings)
    alloc = np.full(n_rings, base) + rng.multinomial(n_ring - base * n_rings, w / w.sum())
    ring = np.concatenate([np.repeat(np.arange(n_rings), alloc), np.full(n - n_ring, -1)])
    is_ring = ring >= 0
    rr = np.where(is_ring, ring, 0)
    # Corridor: primary three times in four when the ring runs two.
    second = np.array([c[-1] for c in rings.corridors])
    corridor = np.where(rng.random(n) < 0.75, prim[rr], second[rr])
    corridor = np.where(is_ring, corridor, -1)
    in_laos = is_ring & rings.lao[rr] & (rng.random(n) < 0.06)
    lo, hi = rings.start[rr], np.maximum(rings.start[rr] + 1, rings.end[rr] - 30)
    day = np.where(
        is_ring, lo + (rng.random(n) * (hi - lo)).astype(int), rng.integers(0, N_DAYS, size=n)
    )

    province = np.empty(n, dtype=object)
    country = np.full(n, "VN", dtype=object)
    place = np.empty(n, dtype=object)
    gate = np.full(n, "", dtype=object)
    origin = np.full(n, "", dtype=object)
    destination = np.full(n, "", dtype=object)
    local_prov = list(V.VN_PROVINCES)
    local_p = np.array([3.0 if p in V.VN_CITIES else 1.0 for p in local_prov])
    local_choice = rng.choice(len(local_prov), size=n, p=local_p / local_p.sum())
    pick = rng.integers(0, 1000, size=n)
    near_gate = rng.random(n) < 0.6
    for i in range(n):
        if corridor[i] >= 0:
            o, g, s, d = V.CORRIDORS[corridor[i]]
            origin[i], destination[i] = o, d
            if in_laos[i]:
                province[i], country[i] = o, "LA"
                ds = V.LA_PROVINCES[o][1]
                place[i] = ds[pick[i] % len(ds)]
                continue
            gate[i], province[i] = g, s
            gprov, gdist = V.GATES[g]
            ds = V.VN_PROVINCES[s][3]
            place[i] = gdist if (s == gprov and near_gate[i]) else ds[pick[i] % len(ds)]
        else:
            province[i] = local_prov[local_choice[i]]
            ds = V.VN_PROVINCES[province[i]][3]
            place[i] = ds[pick[i] % len(ds)]

    drug_main = rings.drug[rr]
    other = rng.choice(
        ["heroin", "methamphetamine", "methamphetamine tablets", "cannabis", "ketamine", "MDMA"],
        size=n,
        p=[0.3, 0.25, 0.25, 0.1, 0.05, 0.05],
    )
    drug = np.where(is_ring & (rng.random(n) < 0.75), drug_main, other).astype(object)
    small = ~is_ring
    quantity, unit, kg = _quantities(rng, drug, small)
    t_corr = rng.choice(V.TRANSPORTS, size=n, p=V.CORRIDOR_TRANSPORT_P)
    t_local = rng.choice(V.TRANSPORTS, size=n, p=V.LOCAL_TRANSPORT_P)
    transport = np.where(is_ring, t_corr, t_local).astype(object)
    plate = np.full(n, "", dtype=object)
    vehicular = isin(transport, ["road", "motorbike", "truck"]) & (rng.random(n) < 0.85)
    for i in np.flatnonzero(vehicular):
        if is_ring[i]:
            pool = rings.vehicles[ring[i]]
            plate[i] = pool[pick[i] % len(pool)]
        else:
            plate[i] = make_plate(rng, V.VN_PROVINCES[province[i]][1])

    # Cases: a ring's seizures are grouped into cases (most cases hold one seizure).
    order = np.lexsort((day, ring))
    new_case = np.ones(n, dtype=bool)
    same_ring = np.zeros(n, dtype=bool)
    same_ring[1:] = (ring[order][1:] == ring[order][:-1]) & (ring[order][1:] >= 0)
    new_case[same_ring] = rng.random(int(same_ring.sum())) < 0.7
    case = np.empty(n, dtype=int)
    case[order] = np.cumsum(new_case) - 1
    with_arrests = np.where(is_ring, rng.random(n) < 0.8, rng.random(n) < 0.55)
    # Every ring has at least its first seizure with arrests.
    first = order[~same_ring]
    with_arrests[first[ring[first] >= 0]] = True
    return Seizures(
        ring,
        corridor,
        in_laos,
        day,
        province,
        country,
        place,
        gate,
        drug,
        quantity,
        unit,
        kg,
        origin,
        destination,
        transport,
        plate,
        case,
        with_arrests,
    )


# --- arrests -------------------------------------------------------------------------------
@dataclass
class Events:
    kind: list[str]
    ring: list[int]
    seizure: list[int]
    case: list[int]
    day: list[int]
    province: list[str]
    country: list[str]
    place: list[str]

    def add(self, kind, ring, seizure, case, day, province, country, place) -> int:
        self.kind.append(kind)
        self.ring.append(ring)
        self.seizure.append(seizure)
        self.case.append(case)
        self.day.append(int(day))
        self.province.append(province)
        self.country.append(country)
        self.place.append(place)
        return len(self.kind) - 1


@dataclass
class Arrests:
    event: np.ndarray
    person: np.ndarray
    role: np.ndarray  # recorded role
    plate: np.ndarray
    events: Events

    def __len__(self) -> int:
        return len(self.event)


_RECORDED_ROLE = {
    ROLE_LEADER: (["organizer", "unknown"], [0.85, 0.15]),
    ROLE_LIEUTENANT: (["organizer", "seller", "courier", "unknown"], [0.1, 0.35, 0.1, 0.45]),
    ROLE_FINANCIER: (["financier", "unknown"], [0.75, 0.25]),
    ROLE_COURIER: (["courier", "unknown", "buyer"], [0.85, 0.1, 0.05]),
    ROLE_SELLER: (["seller", "buyer", "unknown"], [0.8, 0.05, 0.15]),
    ROLE_BUYER: (["buyer", "seller", "unknown"], [0.8, 0.05, 0.15]),
    ROLE_LOOKOUT: (["lookout", "courier", "unknown"], [0.75, 0.1, 0.15]),
    ROLE_BROKER: (["buyer", "seller", "unknown"], [0.3, 0.3, 0.4]),
    ROLE_DECOY: (["unknown", "courier"], [0.85, 0.15]),
    ROLE_NOISE: (["buyer", "courier", "seller", "unknown"], [0.5, 0.1, 0.1, 0.3]),
}
# How often a ring member turns up at a seizure scene beyond their first arrest.
_EXTRA_WEIGHT = {
    ROLE_COURIER: 5.0,
    ROLE_SELLER: 2.5,
    ROLE_BUYER: 2.0,
    ROLE_LOOKOUT: 1.5,
    ROLE_LIEUTENANT: 0.6,
    ROLE_FINANCIER: 0.1,
    ROLE_LEADER: 0.03,
}


def _home_place(rng: np.random.Generator, province: str) -> tuple[str, str]:
    if province in V.LA_PROVINCES:
        ds = V.LA_PROVINCES[province][1]
        return "LA", ds[int(rng.integers(len(ds)))]
    ds = V.VN_PROVINCES[province][3]
    return "VN", ds[int(rng.integers(len(ds)))]


def make_arrests(
    rng: np.random.Generator, plan: Plan, people: People, rings: Rings, sz: Seizures
) -> Arrests:
    """Arrest events and one row per person per event, exactly ``plan.n_arrests`` rows
    (more only when the planted people outnumber that share).

    Events: seizure scenes; takedowns (the leader as organizer with lieutenants, in a ring
    case); solo arrests (brokers, decoys, financiers, unrelated people). Every lieutenant and
    member is arrested once; the rest are repeat arrests, mostly of couriers.
    """
    ev = Events([], [], [], [], [], [], [], [])
    n_cases = int(sz.case.max()) + 1 if len(sz) else 0
    rows_e: list[int] = []
    rows_p: list[int] = []

    def arrest(e: int, p: int) -> None:
        rows_e.append(e)
        rows_p.append(int(p))

    def solo(p: int, day: int | None = None) -> int:
        nonlocal n_cases
        r = people.ring[p]
        if day is None:
            if r >= 0:
                day = int(rng.integers(rings.start[r], rings.end[r] + 1))
            else:
                day = int(rng.integers(0, N_DAYS))
        country, place = _home_place(rng, people.province[p])
        e = ev.add("solo", int(r), -1, n_cases, day, people.province[p], country, place)
        n_cases += 1
        return e

    # Seizure events.
    ring_events: dict[int, list[int]] = {r: [] for r in range(plan.n_rings)}
    noise_events: list[int] = []
    for s in np.flatnonzero(sz.with_arrests):
        e = ev.add(
            "seizure",
            int(sz.ring[s]),
            int(s),
            int(sz.case[s]),
            int(sz.day[s]),
            sz.province[s],
            sz.country[s],
            sz.place[s],
        )
        (ring_events[int(sz.ring[s])] if sz.ring[s] >= 0 else noise_events).append(e)
    # Takedowns: the leader (and lieutenants) arrested or charged as organisers.
    takedowns: dict[int, list[int]] = {}
    ring_cases: dict[int, list[int]] = {r: [] for r in range(plan.n_rings)}
    for r, c in sorted({(int(r), int(c)) for r, c in zip(sz.ring, sz.case, strict=True) if r >= 0}):
        ring_cases[r].append(c)
    case_seizure = {int(c): int(s) for s, c in reversed(list(enumerate(sz.case)))}
    for r in range(plan.n_rings):
        takedowns[r] = []
        boss = int(rings.leader[r])
        t = int(rings.succ_day[r])
        if t >= 0:
            # The leader is charged once before and arrested mid-period; the successor is the
            # one taken down later.
            lo = rings.start[r] + (t - rings.start[r]) // 3
            for day in (int(rng.integers(lo, max(lo + 1, t - 100))), t):
                c = int(rng.choice(ring_cases[r]))
                s = case_seizure[c] if rng.random() < 0.5 else -1
                country, place = _home_place(rng, rings.home[r])
                e = ev.add("takedown", r, s, c, day, rings.home[r], country, place)
                takedowns[r].append(e)
                arrest(e, boss)
            boss = int(rings.successor[r])
            later = np.flatnonzero((sz.ring == r) & (sz.day > t))
        for _ in range(1 + int(rng.binomial(2, 0.5))):
            lo = max(rings.start[r], rings.end[r] - 60, t + 1)
            day = int(rng.integers(lo, max(lo, rings.end[r]) + 1))
            c = int(rng.choice(ring_cases[r]))
            s = case_seizure[c] if rng.random() < 0.5 else -1
            if t >= 0 and len(later) and s >= 0:
                s = int(rng.choice(later))  # the successor is involved in later seizures
                c = int(sz.case[s])
            country, place = _home_place(rng, rings.home[r])
            e = ev.add("takedown", r, s, c, day, rings.home[r], country, place)
            takedowns[r].append(e)
            arrest(e, boss)

    role = people.role

    # Every lieutenant and member is arrested at least once: lieutenants mostly with their
    # leader, members at one of their ring's seizure scenes.
    def flat(groups: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sizes = np.array([len(groups[r]) for r in range(plan.n_rings)], dtype=int)
        items = np.array([e for r in range(plan.n_rings) for e in groups[r]], dtype=int)
        return items, np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int), sizes

    se, se_start, se_n = flat(ring_events)
    td, td_start, td_n = flat(takedowns)
    covered = np.flatnonzero(isin(role, [ROLE_LIEUTENANT, *MEMBER_ROLES]))
    covered = covered[~isin(covered, rings.successor[rings.successor >= 0])]
    r = people.ring[covered]
    at_scene = (se_n[r] > 0) & ((role[covered] != ROLE_LIEUTENANT) | (rng.random(len(r)) >= 0.6))
    u = rng.random(len(r))
    scene = (
        se[np.minimum(se_start[r] + (u * se_n[r]).astype(int), max(len(se) - 1, 0))]
        if len(se)
        else 0
    )
    down = td[td_start[r] + (u * td_n[r]).astype(int)]
    for e, p in zip(np.where(at_scene, scene, down).tolist(), covered.tolist(), strict=True):
        arrest(e, p)
    for p in np.flatnonzero(~isin(role, [ROLE_LIEUTENANT, *MEMBER_ROLES])).tolist():
        r = int(people.ring[p])
        if role[p] == ROLE_FINANCIER and rng.random() < 0.5:
            arrest(int(rng.choice(takedowns[r])) if rng.random() < 0.5 else solo(p), p)
        elif role[p] == ROLE_BROKER:
            arrest(solo(p), p)
        elif role[p] == ROLE_DECOY:
            kind = people.decoy_kind[p]
            if kind == "phone_shop" or (kind == "family" and rng.random() < 0.5):
                arrest(solo(p), p)
            elif kind == "taxi_driver":
                r2 = int(people.ring2[p])
                other = int(rng.integers(plan.n_rings))
                pool = ring_events[r2] + ring_events[other]
                for e in rng.choice(pool, size=min(len(pool), 3), replace=False):
                    arrest(int(e), p)
    noise = np.flatnonzero(role == ROLE_NOISE)
    for i, p in enumerate(rng.permutation(noise)):
        arrest(noise_events[i] if i < len(noise_events) else solo(int(p)), int(p))

    # Extra rows: repeat arrests, mostly couriers at their ring's seizure scenes.
    n_extra = plan.n_arrests - len(rows_e)
    if n_extra > 0:
        all_ring_ev = np.array([e for r in range(plan.n_rings) for e in ring_events[r]], dtype=int)
        in_ring = np.flatnonzero(people.ring >= 0)
        in_ring = in_ring[isin(role[in_ring], list(_EXTRA_WEIGHT))]
        in_ring = in_ring[~isin(in_ring, rings.leader[rings.succ_day >= 0])]
        in_ring = in_ring[np.argsort(people.ring[in_ring], kind="stable")]
        w = np.array([_EXTRA_WEIGHT[x] for x in role[in_ring]])
        cw = np.cumsum(w)
        ring_of = people.ring[in_ring]
        seg_end = np.searchsorted(ring_of, np.arange(plan.n_rings), side="right")
        seg_start = np.searchsorted(ring_of, np.arange(plan.n_rings), side="left")
        cw0 = np.concatenate([[0.0], cw])
        ev_ring = np.array(ev.ring)
        ev_e = np.array(rows_e)
        pairs = set(zip(rows_e, rows_p, strict=True))
        n_ring_extra = round(0.92 * n_extra) if len(all_ring_ev) else 0
        for _ in range(10):
            need = n_ring_extra - (len(rows_e) - len(ev_e))
            if need <= 0:
                break
            e = rng.choice(all_ring_ev, size=need)
            r = ev_ring[e]
            u = cw0[seg_start[r]] + rng.random(need) * (cw0[seg_end[r]] - cw0[seg_start[r]])
            pick = in_ring[np.minimum(np.searchsorted(cw, u, side="right"), len(in_ring) - 1)]
            for a, b in zip(e.tolist(), pick.tolist(), strict=True):
                if (a, b) not in pairs and len(rows_e) - len(ev_e) < n_ring_extra:
                    pairs.add((a, b))
                    arrest(a, b)
        # The rest: unrelated people arrested again on their own.
        rest = plan.n_arrests - len(rows_e)
        for p in rng.choice(noise, size=max(rest, 0)):
            arrest(solo(int(p)), int(p))

    event = np.array(rows_e, dtype=int)
    person = np.array(rows_p, dtype=int)
    rec = np.empty(len(person), dtype=object)
    for r, (labels, probs) in _RECORDED_ROLE.items():
        sel = role[person] == r
        rec[sel] = rng.choice(labels, size=int(sel.sum()), p=probs)
    plate = np.full(len(person), "", dtype=object)
    ev_seizure = np.array(ev.seizure, dtype=int)
    s = ev_seizure[event]
    driver = (s >= 0) & isin(role[person], [ROLE_COURIER, ROLE_DECOY]) & (rng.random(len(s)) < 0.7)
    plate[driver] = sz.plate[s[driver]]
    return Arrests(event, person, rec, plate, ev)
