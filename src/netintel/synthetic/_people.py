"""Plant the population: rings with their roles, brokers, decoys and unrelated people.

Private module: :func:`plant` assumes a valid :class:`Plan` and a seeded generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netintel.synthetic import _names
from netintel.synthetic import _vocab as V
from netintel.synthetic._identities import (
    Phones,
    addresses,
    national_ids,
    passports,
    phone_table,
    plate,
)
from netintel.values import fold

N_DAYS = 1096  # 2022-01-01 .. 2024-12-31
START_DATE = np.datetime64("2022-01-01")

ROLE_LEADER, ROLE_LIEUTENANT, ROLE_FINANCIER = "leader", "lieutenant", "financier"
ROLE_COURIER, ROLE_BUYER, ROLE_SELLER, ROLE_LOOKOUT = "courier", "buyer", "seller", "lookout"
ROLE_BROKER, ROLE_DECOY, ROLE_NOISE = "broker", "decoy", "noise"
MEMBER_ROLES = (ROLE_COURIER, ROLE_BUYER, ROLE_SELLER, ROLE_LOOKOUT)
DECOY_KINDS = ("phone_shop", "taxi_driver", "family")


def isin(values: np.ndarray, options) -> np.ndarray:
    """``np.isin`` by hashing (numpy compares object arrays element by element)."""
    return (
        pd.Series(values, dtype=object if np.asarray(values).dtype == object else None)
        .isin(list(options))
        .to_numpy()
    )


def random_in_group(
    rng: np.random.Generator, pool: np.ndarray, pool_group: np.ndarray, wanted: np.ndarray
) -> np.ndarray:
    """For each wanted group, a random member of ``pool`` in that group (-1 if none).

    >>> rng = np.random.default_rng(0)
    >>> random_in_group(rng, np.array([10, 11, 20]), np.array([1, 1, 2]), np.array([2, 3])).tolist()
    [20, -1]
    """
    order = np.argsort(pool_group, kind="stable")
    sp, sg = pool[order], pool_group[order]
    start = np.searchsorted(sg, wanted, side="left")
    size = np.searchsorted(sg, wanted, side="right") - start
    pick = start + (rng.random(len(wanted)) * size).astype(int)
    return np.where(size > 0, sp[np.minimum(pick, max(len(sp) - 1, 0))], -1)


@dataclass
class Plan:
    """How many rows per file and how many people of each kind, derived from ``records``."""

    records: int
    n_arrests: int
    n_seizures: int
    n_communications: int
    n_links: int
    n_rings: int
    ring_people: int
    n_brokers: int
    n_decoys: int
    n_noise: int

    @classmethod
    def for_records(cls, records: int) -> Plan:
        """The plan for a total of ``records`` rows across the four files."""
        n_sez = round(0.13 * records)
        n_arr = round(0.27 * records)
        n_lnk = round(0.20 * records)
        n_com = records - n_sez - n_arr - n_lnk
        n_rings = max(2, round(records / 330))
        ring_people = max(5 * n_rings, round(0.10 * records))
        return cls(
            records=records,
            n_arrests=n_arr,
            n_seizures=n_sez,
            n_communications=n_com,
            n_links=n_lnk,
            n_rings=n_rings,
            ring_people=ring_people,
            n_brokers=2 * n_rings,
            n_decoys=max(1, round(0.5 * n_rings)),
            n_noise=max(2, round(0.022 * records)),
        )


@dataclass
class Rings:
    """One entry per ring (arrays indexed by ring number)."""

    lao: np.ndarray  # Lao-side supply ring?
    home: np.ndarray  # home province (canonical)
    corridors: list[list[int]]  # indices into V.CORRIDORS, primary first
    drug: np.ndarray
    leader: np.ndarray  # person index
    start: np.ndarray  # active period, day numbers
    end: np.ndarray
    vehicles: list[list[str]]
    # Succession: the leader is arrested on ``succ_day`` and a lieutenant, ``successor``,
    # takes over from the next day (-1 where the ring has no succession).
    succ_day: np.ndarray | None = None
    successor: np.ndarray | None = None


@dataclass
class People:
    """One entry per planted person (arrays indexed by person number)."""

    role: np.ndarray
    ring: np.ndarray  # ring number or -1 (a broker's supply ring)
    ring2: np.ndarray  # second ring (a broker's buyer ring; decoys' attached ring) or -1
    ring3: np.ndarray  # a broker's second buyer ring, or -1
    handler: np.ndarray  # lieutenant in charge of a member, or -1
    lao: np.ndarray
    female: np.ndarray
    name: np.ndarray
    alias: np.ndarray
    national_id: np.ndarray
    dob: np.ndarray  # ISO date
    province: np.ndarray
    address: np.ndarray
    decoy_kind: np.ndarray
    phone_start: np.ndarray  # first row in the phone table
    phone_count: np.ndarray
    passport: np.ndarray
    namesakes: list[tuple[int, int, str]]  # (first, second, "same_name" | "near_name")

    def __len__(self) -> int:
        return len(self.role)


def _corridor_weights(rng: np.random.Generator) -> np.ndarray:
    """Planted popularity of each corridor: three dominant ones, drawn per seed."""
    w = np.ones(len(V.CORRIDORS))
    top = rng.permutation(len(V.CORRIDORS))[:3]
    w[top] = [8.0, 5.0, 3.5]
    return w


def _plant_rings(rng: np.random.Generator, plan: Plan, cw: np.ndarray) -> tuple[Rings, np.ndarray]:
    n = plan.n_rings
    lao = np.array([i % 5 in (1, 3) for i in range(n)])
    p = cw / cw.sum()
    corridors: list[list[int]] = []
    home = np.empty(n, dtype=object)
    dominant = np.argsort(-cw, kind="stable")[:3]
    for r in range(n):
        # The first rings run the dominant corridors, so every planted one carries volume.
        first = int(dominant[r]) if r < len(dominant) else int(rng.choice(len(cw), p=p))
        chosen = [first]
        if rng.random() < 0.4:
            second = int(rng.choice(len(cw), p=p))
            if second != first:
                chosen.append(second)
        corridors.append(chosen)
        origin, gate, _, dest = V.CORRIDORS[first]
        if lao[r]:
            home[r] = origin
        else:
            home[r] = dest if (dest in V.VN_CITIES and rng.random() < 0.35) else V.GATES[gate][0]
    drug_lao = rng.choice(
        ["heroin", "methamphetamine tablets", "methamphetamine"], size=n, p=[0.4, 0.35, 0.25]
    )
    drug_vn = rng.choice(
        ["heroin", "methamphetamine tablets", "methamphetamine", "ketamine", "MDMA"],
        size=n,
        p=[0.3, 0.3, 0.25, 0.08, 0.07],
    )
    drug = np.where(lao, drug_lao, drug_vn).astype(object)
    start = rng.integers(0, int(0.35 * N_DAYS), size=n)
    length = (rng.uniform(0.55, 1.0, size=n) * N_DAYS).astype(int)
    end = np.minimum(N_DAYS - 1, start + length)
    # Ring sizes: heterogeneous, at least 5.
    share = rng.dirichlet(np.full(n, 4.0))
    sizes = np.maximum(5, np.round(share * plan.ring_people)).astype(int)
    vehicles = []
    for r in range(n):
        prov = home[r] if home[r] in V.VN_PROVINCES else V.GATES[V.CORRIDORS[corridors[r][0]][1]][0]
        vehicles.append(
            [plate(rng, V.VN_PROVINCES[prov][1]) for _ in range(int(rng.integers(2, 5)))]
        )
    rings = Rings(lao, home, corridors, drug, np.zeros(n, dtype=int), start, end, vehicles)
    return rings, sizes


def _ring_roles(rng: np.random.Generator, size: int, lao_ring: bool) -> list[str]:
    n_lt = max(1, round(0.12 * size))
    n_fin = 1 if size >= 8 and rng.random() < 0.6 else 0
    n_look = round(0.1 * size)
    rest = size - 1 - n_lt - n_fin - n_look
    n_cour = math.ceil(0.55 * rest)
    n_trade = rest - n_cour
    n_buy = round(n_trade * (0.15 if lao_ring else 0.4))
    return (
        [ROLE_LEADER]
        + [ROLE_LIEUTENANT] * n_lt
        + [ROLE_FINANCIER] * n_fin
        + [ROLE_COURIER] * n_cour
        + [ROLE_SELLER] * (n_trade - n_buy)
        + [ROLE_BUYER] * n_buy
        + [ROLE_LOOKOUT] * n_look
    )


def plant(rng: np.random.Generator, plan: Plan) -> tuple[People, Rings, Phones, np.ndarray]:
    """Plant every person; returns people, rings, phones and the corridor weights."""
    cw = _corridor_weights(rng)
    rings, sizes = _plant_rings(rng, plan, cw)
    role: list[str] = []
    ring: list[int] = []
    for r, size in enumerate(sizes):
        roles = _ring_roles(rng, int(size), bool(rings.lao[r]))
        rings.leader[r] = len(role)
        role += roles
        ring += [r] * len(roles)
    n_ring_people = len(role)
    role += [ROLE_BROKER] * plan.n_brokers + [ROLE_DECOY] * plan.n_decoys
    role += [ROLE_NOISE] * plan.n_noise
    n = len(role)
    role_a = np.array(role, dtype=object)
    ring_a = np.full(n, -1, dtype=int)
    ring_a[:n_ring_people] = ring
    ring2 = np.full(n, -1, dtype=int)
    ring3 = np.full(n, -1, dtype=int)
    decoy_kind = np.full(n, "", dtype=object)

    brokers = np.flatnonzero(role_a == ROLE_BROKER)
    broker_lao = _assign_brokers(rng, rings, brokers, ring_a, ring2, ring3)

    decoys = np.flatnonzero(role_a == ROLE_DECOY)
    kinds = rng.permutation(np.resize(np.array(DECOY_KINDS, dtype=object), len(decoys)))
    decoy_kind[decoys] = kinds
    ring2[decoys] = rng.integers(0, plan.n_rings, size=len(decoys))  # attached, not a member

    # Handlers: each plain member answers to one lieutenant of the ring.
    handler = np.full(n, -1, dtype=int)
    is_lt = role_a == ROLE_LIEUTENANT
    members = isin(role_a, MEMBER_ROLES)
    lt_idx = np.flatnonzero(is_lt)
    lt_ring = ring_a[lt_idx]
    mem = np.flatnonzero(members)
    handler[mem] = random_in_group(rng, lt_idx, lt_ring, ring_a[mem])

    # Sides and home provinces.
    lao = np.zeros(n, dtype=bool)
    province = np.empty(n, dtype=object)
    for p in range(n_ring_people):
        r = ring_a[p]
        if rings.lao[r]:
            lao[p] = rng.random() < {
                ROLE_LEADER: 1.0,
                ROLE_LIEUTENANT: 0.95,
                ROLE_COURIER: 0.85,
            }.get(role_a[p], 0.97)
        else:
            lao[p] = role_a[p] == ROLE_COURIER and rng.random() < 0.04
    lao[brokers] = broker_lao[brokers]
    noise = np.flatnonzero(role_a == ROLE_NOISE)
    lao[noise] = rng.random(len(noise)) < 0.2
    lao[decoys] = False
    for p in range(n):
        r = ring_a[p]
        gate_prov = None
        if r >= 0:
            gate_prov = V.GATES[V.CORRIDORS[rings.corridors[r][0]][1]][0]
        if lao[p]:
            if r >= 0 and rings.lao[r]:
                province[p] = rings.home[r]
            elif r >= 0:
                province[p] = V.CORRIDORS[rings.corridors[r][0]][0]
            else:
                province[p] = str(rng.choice(list(V.LA_PROVINCES)))
        elif r >= 0 and not rings.lao[r] and role_a[p] != ROLE_COURIER:
            province[p] = rings.home[r]
        elif gate_prov is not None:
            province[p] = gate_prov
        elif role_a[p] == ROLE_DECOY:
            province[p] = V.GATES[V.CORRIDORS[rings.corridors[ring2[p]][0]][1]][0]
        else:
            province[p] = str(rng.choice(list(V.VN_PROVINCES)))

    female = rng.random(n) < np.where(isin(role_a, (ROLE_LEADER, ROLE_LIEUTENANT)), 0.15, 0.3)
    female[decoys] = decoy_kind[decoys] == "family"
    hmong = (
        ~lao
        & isin(province, ["Nghe An", "Thanh Hoa", "Dien Bien", "Son La"])
        & (rng.random(n) < 0.25)
    )
    names = _names.make_names(rng, lao, female, hmong)
    namesakes = _namesakes(rng, names, lao, female, role_a, ring_a)
    alias = _names.make_aliases(rng, names, lao)

    young = isin(role_a, (ROLE_COURIER, ROLE_LOOKOUT))
    year = np.where(young, rng.integers(1984, 2005, size=n), rng.integers(1958, 1996, size=n))
    month = rng.integers(1, 13, size=n)
    day = rng.integers(1, 29, size=n)
    dob = np.array(
        [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(year, month, day, strict=True)], dtype=object
    )
    nid = national_ids(rng, lao, female, year, province)
    address = addresses(rng, lao, province, ring_a, role_a == ROLE_COURIER)
    phone_count = np.where(rng.random(n) < 0.25, 2, 1)
    phone_count[decoys] = 1
    phone_start = np.concatenate([[0], np.cumsum(phone_count)[:-1]])
    owner = np.repeat(np.arange(n), phone_count)
    passport = passports(rng, lao)
    _plant_successions(rng, rings, role_a, ring_a)
    people = People(
        role_a,
        ring_a,
        ring2,
        ring3,
        handler,
        lao,
        female,
        names,
        alias,
        nid,
        dob,
        province,
        address,
        decoy_kind,
        phone_start,
        phone_count,
        passport,
        namesakes,
    )
    n_extra = max(5, plan.n_communications // 15)
    owner = np.concatenate([owner, np.full(n_extra, -1)])
    owner_lao = np.concatenate([lao[owner[: len(owner) - n_extra]], rng.random(n_extra) < 0.3])
    phones = phone_table(rng, owner, owner_lao)
    _share_phones(rng, people, phones, rings)
    return people, rings, phones, cw


def _assign_brokers(
    rng: np.random.Generator,
    rings: Rings,
    brokers: np.ndarray,
    ring_a: np.ndarray,
    ring2: np.ndarray,
    ring3: np.ndarray,
) -> np.ndarray:
    """Give each broker the rings it bridges (in place); returns who is a Lao national.

    Most brokers are cross-border gatekeepers: a Lao supply ring (``ring``, spread evenly
    over the Lao rings) and a Vietnamese buyer ring (``ring2``, preferably one sharing a
    corridor), a fifth of them a second Vietnamese buyer ring (``ring3``). The rest bridge
    two Vietnamese rings (upstream first).
    """
    n_rings = len(rings.lao)
    lao_rings = rng.permutation(np.flatnonzero(rings.lao))
    vn_rings = np.flatnonzero(~rings.lao)
    broker_lao = np.zeros(len(ring_a), dtype=bool)
    vn_by_corridor: dict[int, list[int]] = {}
    for v in vn_rings:
        for c in rings.corridors[v]:
            vn_by_corridor.setdefault(c, []).append(int(v))
    for i, b in enumerate(brokers):
        if len(vn_rings) == 0:  # cannot happen with the ring layout; kept for safety
            a, c = (int(x) for x in rng.choice(n_rings, size=2, replace=False))
        elif rng.random() < 0.8 or len(vn_rings) < 2:
            a = int(lao_rings[i % len(lao_rings)])
            share = sorted({v for c in rings.corridors[a] for v in vn_by_corridor.get(c, [])})
            c = int(rng.choice(share if share and rng.random() < 0.7 else vn_rings))
            if len(vn_rings) >= 2 and rng.random() < 0.2:
                ring3[b] = int(rng.choice(vn_rings[vn_rings != c]))
            broker_lao[b] = rng.random() < 0.6
        else:
            a, c = (int(x) for x in rng.choice(vn_rings, size=2, replace=False))
        ring_a[b], ring2[b] = a, c
    return broker_lao


def _namesakes(
    rng: np.random.Generator,
    names: np.ndarray,
    lao: np.ndarray,
    female: np.ndarray,
    role: np.ndarray,
    ring: np.ndarray,
) -> list[tuple[int, int, str]]:
    """Give some pairs of distinct people the same or nearly the same name (in place).

    One pair per eighty people (at least one pair): plain members and unrelated people of the
    same side and sex, never in one ring. Every other Vietnamese pair, starting with the
    first, gets a *near* name (a different middle name), the others the same name; Lao pairs
    the same name.
    """
    eligible = np.flatnonzero(isin(role, [*MEMBER_ROLES, ROLE_NOISE]))
    want = max(1, round(len(names) / 80))
    folded = {fold(x) for x in names}
    perm = rng.permutation(eligible)
    vn_pairs = 0
    mid_m = rng.choice(len(V.VN_MIDDLE_M), size=len(perm))
    mid_f = rng.choice(len(V.VN_MIDDLE_F), size=len(perm))
    used: set[int] = set()
    out: list[tuple[int, int, str]] = []
    for i in range(len(perm)):
        if len(out) >= want:
            break
        p = int(perm[i])
        if p in used:
            continue
        for j in range(i + 1, min(len(perm), i + 40)):
            q = int(perm[j])
            if (
                q in used
                or lao[q] != lao[p]
                or female[q] != female[p]
                or (ring[p] >= 0 and ring[p] == ring[q])
            ):
                continue
            name, kind = names[p], "same_name"
            tokens = names[p].split()
            if not lao[p] and vn_pairs % 2 == 0 and len(tokens) >= 3:
                mids = V.VN_MIDDLE_F if female[p] else V.VN_MIDDLE_M
                mid = mids[(mid_f if female[p] else mid_m)[i]]
                if mid != tokens[1]:
                    candidate = " ".join([tokens[0], mid, *tokens[2:]])
                    if fold(candidate) not in folded:
                        name, kind = candidate, "near_name"
            vn_pairs += int(not lao[p])
            folded.discard(fold(names[q]))
            folded.add(fold(name))
            names[q] = name
            used.update((p, q))
            out.append((p, q, kind))
            break
    return out


def _plant_successions(
    rng: np.random.Generator, rings: Rings, role: np.ndarray, ring: np.ndarray
) -> None:
    """About a third of the rings (at least one; the largest of those active long enough)
    lose their leader to an arrest mid-period; one of their lieutenants takes over from the
    next day."""
    n = len(rings.lao)
    rings.succ_day = np.full(n, -1, dtype=int)
    rings.successor = np.full(n, -1, dtype=int)
    lts = np.flatnonzero(role == ROLE_LIEUTENANT)
    length = rings.end - rings.start
    ok = (np.bincount(ring[lts], minlength=n)[:n] > 0) & (length >= 240)
    # The largest rings: their leaders stand out even with a shortened tenure.
    size = np.bincount(ring[ring >= 0], minlength=n)[:n]
    cand = np.flatnonzero(ok)
    cand = cand[np.argsort(-size[cand], kind="stable")]
    chosen = np.sort(cand[: max(1, round(n / 3))])
    frac = rng.uniform(0.55, 0.68, size=len(chosen))
    pick = random_in_group(rng, lts, ring[lts], chosen)
    rings.succ_day[chosen] = rings.start[chosen] + (frac * length[chosen]).astype(int)
    rings.successor[chosen] = pick


def _share_phones(rng: np.random.Generator, people: People, phones: Phones, rings: Rings) -> None:
    """Some numbers are used by two distinct people (in place): a courier's phone also used by
    another member of the ring, or an unrelated person's phone passed to someone else.

    The second person's last phone becomes the first person's number. Leaders, lieutenants,
    financiers, brokers, decoys, namesakes and successors are left out.
    """
    role = people.role
    left_out = {p for a, b, _ in people.namesakes for p in (a, b)}
    left_out |= {int(x) for x in rings.successor if x >= 0}
    eligible = np.flatnonzero(isin(role, [*MEMBER_ROLES, ROLE_NOISE]))
    eligible = eligible[~isin(eligible, left_out)] if left_out else eligible
    want = max(1, round(len(people) / 80))
    perm = rng.permutation(eligible)
    same_ring = rng.random(len(perm)) < 0.5
    members = eligible[people.ring[eligible] >= 0]
    mate = random_in_group(rng, members, people.ring[members], people.ring[perm])
    used: set[int] = set()
    for i in range(len(perm)):
        if len(phones.shared) >= want:
            break
        p = int(perm[i])
        if p in used:
            continue
        if same_ring[i]:
            options = [int(mate[i])] if people.ring[p] >= 0 and mate[i] >= 0 else []
        else:
            options = [int(x) for x in perm[i + 1 : i + 40] if people.ring[x] != people.ring[p]]
        for q in options:
            if q == p or q in used or people.lao[q] != people.lao[p]:
                continue
            src = int(people.phone_start[p])
            dst = int(people.phone_start[q] + people.phone_count[q] - 1)
            phones.e164[dst] = phones.e164[src]
            phones.forms[dst] = phones.forms[src]
            used.update((p, q))
            phones.shared.append((src, sorted([p, q])))
            break
