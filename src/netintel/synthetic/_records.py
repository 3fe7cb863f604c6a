"""Generate the structured rows of the four record kinds from the planted population.

Rows are produced as integer/str arrays (person numbers, day numbers, event numbers); the
rendering into CSV text, identity variants and malformed values happen in ``_render``.
Private module: every function assumes valid input from :mod:`._people`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from netintel.synthetic import _vocab as V
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
    Phones,
    Plan,
    Rings,
    _plate,
    isin,
    random_in_group,
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
            plate[i] = _plate(rng, V.VN_PROVINCES[province[i]][1])

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


# --- communications ------------------------------------------------------------------------
BROKER_CALL_KINDS = ("broker-leader", "broker-lieutenant", "broker-member")


@dataclass
class Calls:
    day: np.ndarray
    from_phone: np.ndarray  # index into the phone table
    to_phone: np.ndarray
    from_person: np.ndarray  # person index or -1 (who really made the call)
    to_person: np.ndarray
    count: np.ndarray
    duration: np.ndarray
    named: np.ndarray  # the row names the two people (a wiretap summary)
    kind: np.ndarray  # pair kind, for the truth's description of who calls whom

    def __len__(self) -> int:
        return len(self.day)


@dataclass
class _Pairs:
    a: list[np.ndarray]
    b: list[np.ndarray]
    w: list[np.ndarray]
    mean: list[np.ndarray]
    kind: list[np.ndarray]

    def add(self, a, b, w: float, mean: float, kind: str) -> None:
        a = np.asarray(a, dtype=int)
        b = np.asarray(b, dtype=int)
        keep = (a != b) & (a >= 0) & (b >= 0)
        a, b = a[keep], b[keep]
        self.a.append(a)
        self.b.append(b)
        self.w.append(np.full(len(a), w))
        self.mean.append(np.full(len(a), mean))
        self.kind.append(np.full(len(a), kind, dtype=object))

    def arrays(self):
        cat = np.concatenate
        return cat(self.a), cat(self.b), cat(self.w), cat(self.mean), cat(self.kind)


def _peers(rng: np.random.Generator, members: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For each member, a random other member of the same group (itself if alone)."""
    order = np.argsort(group[members], kind="stable")
    sm = members[order]
    g = group[sm]
    start = np.searchsorted(g, g, side="left")
    end = np.searchsorted(g, g, side="right")
    pick = sm[start + (rng.random(len(sm)) * (end - start)).astype(int)]
    out = np.empty(len(members), dtype=int)
    out[order] = pick
    return out


def _ring_structure(rng: np.random.Generator, people: People, rings: Rings):
    role = people.role
    leader_of = rings.leader[np.maximum(people.ring, 0)]
    lts = np.flatnonzero(role == ROLE_LIEUTENANT)
    fin = np.flatnonzero(role == ROLE_FINANCIER)
    mem = np.flatnonzero(isin(role, MEMBER_ROLES))
    # Lieutenants in a ring form a cycle (each with the next one).
    order = lts[np.argsort(people.ring[lts], kind="stable")]
    nxt = np.roll(order, -1)
    same = people.ring[nxt] == people.ring[order]
    first_of_ring = np.searchsorted(people.ring[order], people.ring[order], side="left")
    lt_next = np.where(same, nxt, order[first_of_ring])
    peers = _peers(rng, mem, people.handler)
    return leader_of, lts, fin, mem, order, lt_next, peers


def _ring_call_pairs(rng: np.random.Generator, people: People, rings: Rings) -> _Pairs:
    leader_of, lts, fin, mem, lt_o, lt_next, peers = _ring_structure(rng, people, rings)
    role = people.role
    pr = _Pairs([], [], [], [], [])
    pr.add(leader_of[lts], lts, 8.0, 14.0, "leader-lieutenant")
    pr.add(leader_of[fin], fin, 5.0, 8.0, "leader-financier")
    pr.add(lt_o, lt_next, 1.5, 6.0, "lieutenant-lieutenant")
    hw = {ROLE_SELLER: 2.0, ROLE_BUYER: 2.0, ROLE_LOOKOUT: 1.5, ROLE_COURIER: 1.0}
    for r, w in hw.items():
        m = mem[role[mem] == r]
        pr.add(people.handler[m], m, w, 4.0 if r != ROLE_COURIER else 2.0, "lieutenant-member")
    pr.add(mem, peers, 0.4, 2.0, "member-member")
    pr.add(leader_of[mem], mem, 0.2, 2.0, "leader-member")
    # Financier and the lieutenants.
    fin_of_ring = np.full(len(rings.leader), -1)
    fin_of_ring[people.ring[fin]] = fin
    pr.add(fin_of_ring[people.ring[lts]], lts, 0.8, 3.0, "financier-lieutenant")
    return pr


@dataclass
class BrokerContacts:
    """Who each broker deals with: one row per (broker, contact), the same for calls and links.

    ``side`` is ``"supply"`` (the broker's supply ring: its people call the broker, the broker
    pays its leader) or ``"buyer"`` (the broker calls them; their leader pays the broker).
    ``level`` is ``"leader"``, ``"lieutenant"`` or ``"member"``.
    """

    broker: np.ndarray
    contact: np.ndarray
    side: np.ndarray
    level: np.ndarray


def broker_contacts(rng: np.random.Generator, people: People, rings: Rings) -> BrokerContacts:
    """Each broker's contacts in every ring it bridges: the leader, up to two lieutenants and
    up to four members (couriers and sellers on the supply side, buyers and sellers on the
    buyer side), so that a broker is tied to several people of each ring."""
    role = people.role
    lts = np.flatnonzero(role == ROLE_LIEUTENANT)
    sup_pool = np.flatnonzero(isin(role, [ROLE_COURIER, ROLE_SELLER]))
    buy_pool = np.flatnonzero(isin(role, [ROLE_BUYER, ROLE_SELLER]))
    brokers = np.flatnonzero(role == ROLE_BROKER)
    b_l, c_l, s_l, v_l = [], [], [], []
    for ring_col, side, pool in (
        (people.ring, "supply", sup_pool),
        (people.ring2, "buyer", buy_pool),
        (people.ring3, "buyer", buy_pool),
    ):
        br = brokers[ring_col[brokers] >= 0]
        r = ring_col[br]
        groups = [(rings.leader[r], "leader")]
        groups += [(random_in_group(rng, lts, people.ring[lts], r), "lieutenant") for _ in range(2)]
        groups += [(random_in_group(rng, pool, people.ring[pool], r), "member") for _ in range(4)]
        for contact, level in groups:
            keep = contact >= 0
            b_l.append(br[keep])
            c_l.append(contact[keep])
            s_l.append(np.full(int(keep.sum()), side, dtype=object))
            v_l.append(np.full(int(keep.sum()), level, dtype=object))
    broker, contact = np.concatenate(b_l), np.concatenate(c_l)
    # The same lieutenant or member drawn twice counts once.
    first = ~pd.Series(broker * (len(people) + 1) + contact).duplicated().to_numpy()
    return BrokerContacts(
        broker[first], contact[first], np.concatenate(s_l)[first], np.concatenate(v_l)[first]
    )


def _noise_pairs(rng: np.random.Generator, people: People, n: int):
    """``n`` pairs for noise calls and links: an unrelated person with another one of the same
    neighbourhood, or (half the time) with a member of the one ring that neighbourhood is
    next to (person number modulo the number of rings)."""
    noise = np.flatnonzero(people.role == ROLE_NOISE)
    n_rings = int(people.ring.max()) + 1
    a = rng.choice(noise, size=n)
    near = (rng.random(n) < 0.5) & (n_rings > 0)
    members = np.flatnonzero((people.ring >= 0) & (people.role != ROLE_BROKER))
    neighbour = random_in_group(rng, members, people.ring[members], a % max(n_rings, 1))
    home = a % max(n_rings, 1)
    other = random_in_group(rng, noise, noise % max(n_rings, 1), home)  # same neighbourhood
    other = np.where(other >= 0, other, rng.choice(noise, size=n))
    b = np.where(near & (neighbour >= 0), neighbour, other)
    swap = rng.random(n) < 0.5
    return np.where(swap, b, a), np.where(swap, a, b)


def _person_phone(rng: np.random.Generator, people: People, p: np.ndarray) -> np.ndarray:
    return people.phone_start[p] + (rng.random(len(p)) * people.phone_count[p]).astype(int)


def _ring_days(rng, people: People, rings: Rings, p: np.ndarray) -> np.ndarray:
    r = people.ring[p]
    rr = np.maximum(r, 0)
    d = rings.start[rr] + (rng.random(len(p)) * (rings.end[rr] - rings.start[rr] + 1)).astype(int)
    return np.where(r >= 0, d, rng.integers(0, N_DAYS, size=len(p)))


def make_calls(
    rng: np.random.Generator,
    plan: Plan,
    people: People,
    rings: Rings,
    phones: Phones,
    n: int,
    bc: BrokerContacts,
) -> Calls:
    """``n`` call summaries: ring calls (leader-lieutenant pairs weigh most, couriers least),
    broker calls with the leaders, lieutenants and some members of the rings they bridge
    (supply-ring people call the broker, the broker calls the buyer ring), decoy calls, and
    noise."""
    role = people.role
    n_broker = max(6 * plan.n_brokers, round(0.18 * n))
    shops = np.flatnonzero(people.decoy_kind == "phone_shop")
    taxis = np.flatnonzero(people.decoy_kind == "taxi_driver")
    n_shop = round(0.045 * n) if len(shops) else 0
    n_taxi = round(0.025 * n) if len(taxis) else 0
    n_noise = round(0.14 * n)
    n_ring = n - n_broker - n_shop - n_taxi - n_noise

    a_l, b_l, mean_l, kind_l = [], [], [], []
    # Ring-internal calls.
    a, b, w, mean, kind = _ring_call_pairs(rng, people, rings).arrays()
    i = rng.choice(len(a), size=n_ring, p=w / w.sum())
    a_l.append(a[i]), b_l.append(b[i]), mean_l.append(mean[i]), kind_l.append(kind[i])
    # Brokers: supply-ring people call the broker, the broker calls the buyer ring.
    bp = _Pairs([], [], [], [], [])
    for level, w, mean in (("leader", 3.0, 6.0), ("lieutenant", 1.5, 4.0), ("member", 1.0, 3.0)):
        for side in ("supply", "buyer"):
            sel = (bc.level == level) & (bc.side == side)
            ends = (bc.contact[sel], bc.broker[sel])
            bp.add(*(ends if side == "supply" else ends[::-1]), w, mean, f"broker-{level}")
    a, b, w, mean, kind = bp.arrays()
    i = rng.choice(len(a), size=n_broker, p=w / w.sum())
    a_l.append(a[i]), b_l.append(b[i]), mean_l.append(mean[i]), kind_l.append(kind[i])
    # Decoys: a phone shop calls everybody once or twice; a taxi driver calls couriers.
    everyone = np.arange(len(people))
    if n_shop:
        a_l.append(rng.choice(shops, size=n_shop))
        b_l.append(rng.choice(everyone, size=n_shop))
        (
            mean_l.append(np.full(n_shop, 1.2)),
            kind_l.append(np.full(n_shop, "phone_shop", dtype=object)),
        )
    if n_taxi:
        fares = np.flatnonzero(isin(role, [ROLE_COURIER, ROLE_LOOKOUT, ROLE_BUYER]))
        t = rng.choice(taxis, size=n_taxi)
        near = rng.random(n_taxi) < 0.7
        # Mostly couriers of the attached ring, the rest anyone's.
        att = people.ring2[t]
        cand = rng.choice(fares, size=n_taxi)
        near_pick = random_in_group(rng, fares, people.ring[fares], att)
        cand = np.where(near & (near_pick >= 0), near_pick, cand)
        a_l.append(t), b_l.append(cand)
        (
            mean_l.append(np.full(n_taxi, 2.0)),
            kind_l.append(np.full(n_taxi, "taxi_driver", dtype=object)),
        )
    # Noise: unrelated people with one another, with people of the ring next door, or with
    # numbers nobody in the data owns (ring members do not call across rings by chance).
    a, b = _noise_pairs(rng, people, n_noise)
    a_l.append(a)
    b_l.append(b)
    mean_l.append(np.full(n_noise, 1.5)), kind_l.append(np.full(n_noise, "noise", dtype=object))

    fp = np.concatenate(a_l)
    tp = np.concatenate(b_l)
    mean = np.concatenate(mean_l)
    kind = np.concatenate(kind_l)
    swap = (rng.random(n) < 0.4) & ~isin(kind, BROKER_CALL_KINDS)
    fp, tp = np.where(swap, tp, fp), np.where(swap, fp, tp)
    f_phone = _person_phone(rng, people, fp)
    t_phone = _person_phone(rng, people, tp)
    unowned = np.flatnonzero(phones.owner < 0)
    # Two people sharing a number do not call "themselves": such a call goes elsewhere.
    same_number = phones.e164[f_phone] == phones.e164[t_phone]
    to_unowned = (kind == "noise") & (rng.random(n) < 0.5) | (fp == tp) | same_number
    t_phone[to_unowned] = rng.choice(unowned, size=int(to_unowned.sum()))
    tp = np.where(to_unowned, -1, tp)
    count = 1 + rng.poisson(np.maximum(mean - 1, 0.1))
    duration = np.round(count * rng.lognormal(np.log(75), 0.6, size=n)).astype(int)
    days = _ring_days(rng, people, rings, np.where(people.ring[fp] >= 0, fp, np.maximum(tp, 0)))
    days = np.where(kind == "noise", rng.integers(0, N_DAYS, size=n), days)
    ringy = isin(
        kind,
        [
            "leader-lieutenant",
            "lieutenant-member",
            "lieutenant-lieutenant",
            "leader-financier",
            "member-member",
        ],
    )
    named = ringy & (tp >= 0) & (rng.random(n) < 0.02)
    return Calls(days, f_phone, t_phone, fp, tp, count, duration, named, kind)


# --- links ---------------------------------------------------------------------------------
@dataclass
class Links:
    day: np.ndarray
    source: np.ndarray  # person index
    target: np.ndarray
    link_type: np.ndarray
    weight: np.ndarray
    kind: np.ndarray

    def __len__(self) -> int:
        return len(self.day)


def make_links(
    rng: np.random.Generator, plan: Plan, people: People, rings: Rings, n: int, bc: BrokerContacts
) -> Links:
    """``n`` links: ring money transfers (towards the leader), meetings, co-offending,
    family, shared vehicles and addresses; broker meetings and payments (buyer leader ->
    broker -> supplier leader); a family decoy's many family links; noise."""
    role = people.role
    n_broker = max(3 * plan.n_brokers, round(0.13 * n))
    fam = np.flatnonzero(people.decoy_kind == "family")
    n_fam = round(0.05 * n) if len(fam) else 0
    n_noise = round(0.13 * n)
    n_ring = n - n_broker - n_fam - n_noise

    leader_of, lts, fin, mem, lt_o, lt_next, peers = _ring_structure(rng, people, rings)
    types = {}

    def add(pr: _Pairs, a, b, w, link_type, kind) -> None:
        pr.add(a, b, w, 1.0, kind)
        types.setdefault(kind, link_type)

    pr = _Pairs([], [], [], [], [])
    add(pr, lts, leader_of[lts], 3.0, "money_transfer", "lieutenant->leader money")
    add(pr, fin, leader_of[fin], 4.0, "money_transfer", "financier->leader money")
    add(pr, leader_of[fin], fin, 1.0, "money_transfer", "leader->financier money")
    sel = mem[isin(role[mem], [ROLE_SELLER, ROLE_BUYER])]
    add(pr, sel, people.handler[sel], 0.8, "money_transfer", "member->lieutenant money")
    add(pr, leader_of[lts], lts, 2.5, "meeting", "leader-lieutenant meeting")
    add(pr, lt_o, lt_next, 0.8, "meeting", "lieutenant-lieutenant meeting")
    add(pr, people.handler[mem], mem, 0.3, "meeting", "lieutenant-member meeting")
    add(pr, mem, peers, 0.8, "co_offending", "member-member co-offending")
    add(pr, people.handler[mem], mem, 0.5, "co_offending", "lieutenant-member co-offending")
    ring_people = np.flatnonzero(people.ring >= 0)
    ring_people = ring_people[~isin(role[ring_people], [ROLE_BROKER])]
    rel = _peers(rng, ring_people, people.ring)
    add(pr, ring_people, rel, 0.15, "family", "ring family")
    cour = mem[role[mem] == ROLE_COURIER]
    add(pr, cour, peers[isin(mem, cour)], 0.4, "shared_vehicle", "courier shared vehicle")
    add(pr, cour, peers[isin(mem, cour)], 0.3, "shared_address", "courier shared address")
    a, b, w, _, kind = pr.arrays()
    i = rng.choice(len(a), size=n_ring, p=w / w.sum())
    src, tgt, knd = [a[i]], [b[i]], [kind[i]]

    bp = _Pairs([], [], [], [], [])
    lead = bc.level == "leader"
    sup, buy = lead & (bc.side == "supply"), lead & (bc.side == "buyer")
    add(bp, bc.broker[lead], bc.contact[lead], 3.0, "meeting", "broker-leader meeting")
    add(bp, bc.contact[buy], bc.broker[buy], 1.5, "money_transfer", "buyer leader->broker money")
    add(bp, bc.broker[sup], bc.contact[sup], 1.5, "money_transfer", "broker->supplier leader money")
    lt = bc.level == "lieutenant"
    add(bp, bc.broker[lt], bc.contact[lt], 1.0, "meeting", "broker-lieutenant meeting")
    mem_c = bc.level == "member"
    add(bp, bc.broker[mem_c], bc.contact[mem_c], 0.6, "meeting", "broker-member meeting")
    a, b, w, _, kind = bp.arrays()
    i = rng.choice(len(a), size=n_broker, p=w / w.sum())
    src.append(a[i]), tgt.append(b[i]), knd.append(kind[i])

    if n_fam:
        d = rng.choice(fam, size=n_fam)
        att = people.ring2[d]
        rel = rng.choice(np.arange(len(people)), size=n_fam)
        close = rng.random(n_fam) < 0.8
        close_pick = random_in_group(rng, ring_people, people.ring[ring_people], att)
        rel = np.where(close & (close_pick >= 0), close_pick, rel)
        rel = np.where(rel == d, (rel + 1) % len(people), rel)  # never a link to herself
        src.append(d), tgt.append(rel), knd.append(np.full(n_fam, "decoy family", dtype=object))
        types["decoy family"] = "family"

    a, b = _noise_pairs(rng, people, n_noise)
    b = np.where(a == b, (b + 1) % len(people), b)
    src.append(a), tgt.append(b), knd.append(np.full(n_noise, "noise", dtype=object))

    source, target, kind = np.concatenate(src), np.concatenate(tgt), np.concatenate(knd)
    link_type = np.array([types.get(k, "") for k in kind], dtype=object)
    noise = kind == "noise"
    link_type[noise] = rng.choice(
        ["meeting", "family", "co_offending", "money_transfer"],
        size=int(noise.sum()),
        p=[0.4, 0.2, 0.2, 0.2],
    )
    weight = np.ones(n)
    mt = link_type == "money_transfer"
    weight[mt] = rng.integers(1, 7, size=int(mt.sum()))
    mtg = link_type == "meeting"
    weight[mtg] = rng.integers(1, 4, size=int(mtg.sum()))
    ring_side = np.where(people.ring[source] >= 0, source, target)
    day = _ring_days(rng, people, rings, ring_side)
    day[noise] = rng.integers(0, N_DAYS, size=int(noise.sum()))
    return Links(day, source, target, link_type, weight, kind)


# --- successions and hidden ties -----------------------------------------------------------
def _take(rows, idx: np.ndarray):
    """The rows ``idx`` of a dataclass of equal-length arrays."""
    return type(rows)(**{f.name: getattr(rows, f.name)[idx] for f in fields(rows)})


def apply_successions(
    rng: np.random.Generator, people: People, rings: Rings, calls: Calls, links: Links
) -> None:
    """After a succession ring's leader is arrested, the successor takes the leader's place in
    half of the later calls and links (in place); the others, and any later call or
    link between the two, are moved to a day before the arrest. The leader is in no record dated
    after the arrest. Most of the successor's own records of the half year before the arrest
    (30 % of earlier ones) move after it: a quiet lieutenant before, the ring's hub after."""
    n = len(people)
    ok = rings.succ_day >= 0
    if not ok.any():
        return
    lead_day = np.full(n, -1)
    succ_of = np.full(n, -1)
    start_of = np.zeros(n, dtype=int)
    lead_day[rings.leader[ok]] = rings.succ_day[ok]
    succ_of[rings.leader[ok]] = rings.successor[ok]
    start_of[rings.leader[ok]] = rings.start[ok]

    def fix(day: np.ndarray, ends: list[np.ndarray], phones: list[np.ndarray] | None) -> None:
        for mine, other in ((0, 1), (1, 0)):
            p, o = ends[mine], ends[other]
            pp = np.maximum(p, 0)
            moved = (p >= 0) & (lead_day[pp] >= 0) & (day > lead_day[pp])
            if not moved.any():
                continue
            # The ring works less after the arrest: most of what the leader would have done
            # later happened before it; the successor does the rest.
            redate = moved & ((o == succ_of[pp]) | (rng.random(len(p)) < 0.5))
            t, st = lead_day[pp[redate]], start_of[pp[redate]]
            day[redate] = st + (rng.random(int(redate.sum())) * (t - st + 1)).astype(int)
            take = moved & ~redate
            p[take] = succ_of[pp[take]]
            if phones is not None:
                phones[mine][take] = _person_phone(rng, people, p[take])

    fix(calls.day, [calls.from_person, calls.to_person], [calls.from_phone, calls.to_phone])
    fix(links.day, [links.source, links.target], None)
    # Before taking over, the successor is a quieter lieutenant: most of their own calls and
    # links of the half year before the arrest (and some earlier ones) happen after it.
    succ_day = np.full(n, -1)
    succ_day[rings.successor[ok]] = rings.succ_day[ok]
    end_of = np.zeros(n, dtype=int)
    end_of[rings.successor[ok]] = rings.end[ok]
    for day, ends in (
        (calls.day, (calls.from_person, calls.to_person)),
        (links.day, (links.source, links.target)),
    ):
        p = np.where(succ_day[np.maximum(ends[0], 0)] >= 0, ends[0], ends[1])
        pp = np.maximum(p, 0)
        t = succ_day[pp]
        # Quiet in the half year before the arrest, somewhat quieter before that.
        share = np.where(day > t - 180, 0.85, 0.3)
        early = (p >= 0) & (t >= 0) & (day <= t) & (rng.random(len(day)) < share)
        early &= lead_day[np.maximum(ends[0], 0)] < 0
        early &= lead_day[np.maximum(ends[1], 0)] < 0
        span = np.maximum(end_of[pp[early]] - t[early], 1)
        day[early] = t[early] + 1 + (rng.random(int(early.sum())) * span).astype(int)


_NOT_A_TIE = ("noise", "phone_shop", "taxi_driver", "decoy family")
_TIE_KIND = {
    (ROLE_LIEUTENANT, "member"): "lieutenant-member",
    ("member", "member"): "member-member",
    (ROLE_LIEUTENANT, ROLE_LIEUTENANT): "lieutenant-lieutenant",
    (ROLE_FINANCIER, ROLE_LIEUTENANT): "financier-lieutenant",
}


@dataclass
class HiddenTies:
    a: np.ndarray  # person index (a < b)
    b: np.ndarray
    kind: np.ndarray
    withheld: np.ndarray  # records generated and left out


def _share_group(a: np.ndarray, b: np.ndarray, person: np.ndarray, group: np.ndarray):
    """For each pair ``(a[i], b[i])``, whether the two people share a group."""
    table = pd.DataFrame({"p": person, "g": group}).drop_duplicates()
    pairs = pd.DataFrame({"i": np.arange(len(a)), "p": a, "q": b})
    hit = pairs.merge(table, on="p").merge(table.rename(columns={"p": "q"}), on=["q", "g"])
    out = np.zeros(len(a), dtype=bool)
    out[hit["i"].to_numpy()] = True
    return out


def withhold_ties(
    rng: np.random.Generator,
    people: People,
    rings: Rings,
    phones: Phones,
    ar: Arrests,
    calls: Calls,
    links: Links,
    n_calls: int,
    n_links: int,
) -> tuple[Calls, Links, HiddenTies]:
    """Pick hidden ties, leave out every call and link between their two people, and thin
    the (over-generated) calls and links down to exactly ``n_calls`` and ``n_links`` rows.

    A hidden tie joins two people of one ring (lieutenants, the financier, plain members;
    never a leader, successor, broker or decoy, nor anyone sharing a phone) who were in
    contact through ring calls or links, who are not arrested together, for one seizure, at
    one address or with one vehicle, who keep at least two other contacts each and share at
    least one: about 10 % of the ring's contact pairs, each person in at most one.
    """
    n = len(people)
    # Thinning draws from its own stream, so the rest of the data does not depend on how many
    # rows were left out.
    thin_rng = np.random.default_rng(int(rng.integers(2**62)))
    role = people.role
    lvl = np.where(isin(role, MEMBER_ROLES), "member", role).astype(object)
    elig = isin(role, [ROLE_LIEUTENANT, ROLE_FINANCIER, *MEMBER_ROLES]).copy()
    elig[rings.successor[rings.successor >= 0]] = False
    for _, ps in phones.shared:
        elig[ps] = False
    u = np.concatenate([calls.from_person, links.source]).astype(np.int64)
    v = np.concatenate([calls.to_person, links.target]).astype(np.int64)
    kind = np.concatenate([calls.kind, links.kind])
    ok = (u >= 0) & (v >= 0) & (u != v)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    key = np.where(ok, lo * n + hi, -1)
    lo_, hi_ = np.maximum(lo, 0), np.maximum(hi, 0)
    same_ring = ok & (people.ring[lo_] >= 0) & (people.ring[lo_] == people.ring[hi_])
    same_ring &= (role[lo_] != ROLE_BROKER) & (role[hi_] != ROLE_BROKER)
    n_ring_pairs = len(np.unique(key[same_ring]))
    real = same_ring & elig[lo_] & elig[hi_] & ~isin(kind, _NOT_A_TIE)
    cand = np.unique(key[real])
    ca, cb = cand // n, cand % n
    tie_kind = np.array(
        [
            _TIE_KIND.get((x, y)) or _TIE_KIND.get((y, x)) or ""
            for x, y in zip(lvl[ca], lvl[cb], strict=True)
        ],
        dtype=object,
    )
    keep = tie_kind != ""
    cand, ca, cb, tie_kind = cand[keep], ca[keep], cb[keep], tie_kind[keep]
    # Pairs the arrests tie anyway: one event, one seizure, one vehicle, one address.
    ev_seizure = np.array(ar.events.seizure, dtype=int)
    ae, seized, plated = ar.event, ev_seizure[ar.event] >= 0, ar.plate != ""
    plate_code = pd.factorize(ar.plate)[0]
    person = np.concatenate([ar.person, ar.person[seized], ar.person[plated]])
    group = np.concatenate(
        [3 * ae, 3 * ev_seizure[ae][seized] + 1, 3 * plate_code[plated] + 2]
    ).astype(np.int64)
    clash = _share_group(ca, cb, person, group) | (people.address[ca] == people.address[cb])
    keep = ~clash
    cand, ca, cb, tie_kind = cand[keep], ca[keep], cb[keep], tie_kind[keep]
    # Observed contacts (calls and links), for degrees and shared contacts.
    pairs = pd.DataFrame({"x": lo[ok], "y": hi[ok]}).drop_duplicates()
    nb = pd.concat(
        [pairs, pairs.rename(columns={"x": "y", "y": "x"})], ignore_index=True
    ).drop_duplicates()
    deg = np.bincount(nb["x"].to_numpy(), minlength=n)
    want = max(3, round(0.1 * n_ring_pairs))
    order = rng.permutation(len(cand))[: 8 * want + 50]
    cand, ca, cb, tie_kind = cand[order], ca[order], cb[order], tie_kind[order]
    cn = (
        pd.DataFrame({"i": np.arange(len(cand)), "x": ca, "b": cb})
        .merge(nb, on="x")
        .merge(nb.rename(columns={"x": "b", "y": "y"}), on=["b", "y"])
        .groupby("i")
        .size()
    )
    common = np.zeros(len(cand), dtype=int)
    common[cn.index.to_numpy()] = cn.to_numpy()
    good = (deg[ca] >= 3) & (deg[cb] >= 3) & (common >= 1)
    # Records each pair would lose, within what the over-generation can absorb.
    n_c = len(calls)
    by_key = np.argsort(key, kind="stable")
    sorted_key = key[by_key]
    first = np.searchsorted(sorted_key, cand, side="left")
    last = np.searchsorted(sorted_key, cand, side="right")
    is_call = np.concatenate([[0], np.cumsum(by_key < n_c)])
    n_call = is_call[last] - is_call[first]
    n_link = (last - first) - n_call
    spare_c, spare_l = n_c - n_calls, len(links) - n_links
    used: set[int] = set()
    chosen: list[int] = []
    withheld: list[np.ndarray] = []
    for i in np.flatnonzero(good):
        if len(chosen) >= want:
            break
        a, b = int(ca[i]), int(cb[i])
        if a in used or b in used or n_call[i] > spare_c or n_link[i] > spare_l:
            continue
        spare_c, spare_l = spare_c - int(n_call[i]), spare_l - int(n_link[i])
        used.update((a, b))
        chosen.append(i)
        withheld.append(by_key[first[i] : last[i]])
    ch = np.array(chosen, dtype=int)
    gone = np.concatenate(withheld) if withheld else np.zeros(0, dtype=int)
    hidden = HiddenTies(ca[ch], cb[ch], tie_kind[ch], np.array([len(w) for w in withheld]))
    drop_c = np.zeros(n_c, dtype=bool)
    drop_c[gone[gone < n_c]] = True
    drop_l = np.zeros(len(links), dtype=bool)
    drop_l[gone[gone >= n_c] - n_c] = True

    def thin(drop: np.ndarray, size: int) -> np.ndarray:
        rest = np.flatnonzero(~drop)
        return np.sort(thin_rng.choice(rest, size=size, replace=False))

    return _take(calls, thin(drop_c, n_calls)), _take(links, thin(drop_l, n_links)), hidden
