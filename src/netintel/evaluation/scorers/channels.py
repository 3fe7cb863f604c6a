"""The channels the programme counts, scored against the planted truth: are the parcel rings
(express delivery) found as rings?

The channel records (``shipments.csv``) are loaded into a workspace of their own beside the
four kinds (the same arrests, seizures, calls and links, plus the shipments): every other
score is measured on the four kinds alone, so it stays comparable with runs before the
channels were planted, and the parcel rings are looked for in the whole picture, as an
analyst would.

Rows of :func:`parcels`:
``parcel_rings_found``: the share of planted parcel rings (``truth["parcel_rings"]``: the
senders and recipients its waybills name) whose best-matching
ring of ``ws.network.rings`` has a Jaccard index of at least :data:`FOUND` with the planted
members (graph people matched to planted people by the waybills behind them,
:func:`~netintel.evaluation.truth.map_people`). ``parcel_ring_members_found``: the share of
planted members in the ring that best matches their parcel ring. The detail names each
planted ring, its members, couriers and waybills, and the ring found for it.
"""

from __future__ import annotations

from collections import Counter

import netintel
from netintel.evaluation.context import EvalContext, Row, skipped
from netintel.evaluation.truth import map_people
from netintel.synthetic import FILES

__all__ = ["FOUND", "parcels"]

#: The Jaccard index at which a planted parcel ring counts as found.
FOUND = 0.5


def parcels(ctx: EvalContext) -> list[Row]:
    """Rows ``parcel_rings_found`` and ``parcel_ring_members_found``."""
    planted = ctx.truth.get("parcel_rings") or []
    if not planted or "shipments" not in ctx.paths:
        why = "no parcel rings planted (a set generated before shipments)"
        return [skipped("parcel_rings_found", None, why)]
    db = ctx.workdir / "channels.db"
    with netintel.open(db) as ws:
        ws.ingest(**{name: ctx.paths[name] for name in FILES}, shipments=ctx.paths["shipments"])
        people = ws.records.people()
        rings = ws.network.rings(seed=ctx.seed)
    truth = {**ctx.truth, "persons": {**ctx.truth["persons"], **ctx.truth["parcel_people"]}}
    mapping = map_people(people, truth).dropna()
    ring_of = rings.set_index("person_id")["ring"]
    by_ring: dict[object, set[str]] = {}
    for pid, ring in ring_of.items():
        by_ring.setdefault(ring, set()).add(str(mapping.get(pid, pid)))
    found_rings, members_found, details = 0, 0, []
    for r in planted:
        members = set(r["members"])
        rings_of = Counter(
            ring_of[pid] for pid, tid in mapping.items() if tid in members and pid in ring_of
        )
        if rings_of:
            best = rings_of.most_common(1)[0][0]
            inside = members & by_ring[best]
            jaccard = len(inside) / len(members | by_ring[best])
        else:
            best, inside, jaccard = None, set(), 0.0
        found_rings += jaccard >= FOUND
        members_found += len(inside)
        details.append(
            f"{r['id']} ({len(members)} planted: {len(r['senders'])} senders, "
            f"{len(r['recipients'])} recipients, a runner under no name; {'/'.join(r['couriers'])}; "
            f"{len(r['waybills'])} waybills) -> "
            + (
                f"ring {best}: {len(inside)} of them among {len(by_ring[best])} (J {jaccard:.2f})"
                if best is not None
                else "not in any ring"
            )
        )
    n_members = sum(len(r["members"]) for r in planted)
    detail = "; ".join(details)
    return [
        {
            "metric": "parcel_rings_found",
            "k": None,
            "value": found_rings / len(planted),
            "detail": f"{found_rings} of {len(planted)} planted (Jaccard >= {FOUND}): {detail}",
        },
        {
            "metric": "parcel_ring_members_found",
            "k": None,
            "value": members_found / n_members,
            "detail": f"{members_found} of {n_members} planted members in their best ring",
        },
    ]
