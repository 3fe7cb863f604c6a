"""Generate the communication and link rows from the planted population.

Rows are produced as integer arrays (person numbers, day numbers, phone numbers), rendered
into CSV text in ``_render``. Private module: every function assumes valid input from
:mod:`._people`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netintel.synthetic._identities import Phones
from netintel.synthetic._people import (
    MEMBER_ROLES,
    N_DAYS,
    ROLE_BROKER,
    ROLE_BUYER,
    ROLE_COURIER,
    ROLE_FINANCIER,
    ROLE_LIEUTENANT,
    ROLE_LOOKOUT,
    ROLE_NOISE,
    ROLE_SELLER,
    People,
    Plan,
    Rings,
    isin,
    random_in_group,
)

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


def person_phone(rng: np.random.Generator, people: People, p: np.ndarray) -> np.ndarray:
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
    f_phone = person_phone(rng, people, fp)
    t_phone = person_phone(rng, people, tp)
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
