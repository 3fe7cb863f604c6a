"""Successions (a leader arrested, a lieutenant taking over) and hidden ties (real
contacts whose every call and link is left out of the files).

Private module: every function assumes valid input from :mod:`._people` and the rows of
:mod:`._records` and :mod:`._contacts`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from netintel.synthetic._contacts import Calls, Links, person_phone
from netintel.synthetic._identities import Phones
from netintel.synthetic._people import (
    MEMBER_ROLES,
    ROLE_BROKER,
    ROLE_FINANCIER,
    ROLE_LIEUTENANT,
    People,
    Rings,
    isin,
)
from netintel.synthetic._records import Arrests


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
                phones[mine][take] = person_phone(rng, people, p[take])

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
