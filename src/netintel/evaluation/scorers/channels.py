"""The channels the programme counts, scored against the planted truth: are the parcel rings
(express delivery) found as rings, and are the hotspots that re-form flagged with the people
who link the old and the new activity?

The channel records (``shipments.csv``, ``hotspots.csv``) are loaded into a workspace of
their own beside the four kinds (the same arrests, seizures, calls and links, plus the
channel files): every other score is measured on the four kinds alone, so it stays comparable
with runs before the channels were planted, and the planted channels are looked for in the
whole picture, as an analyst would.

Rows of :func:`parcels`:
``parcel_rings_found``: the share of planted parcel rings (``truth["parcel_rings"]``: the
senders and recipients its waybills name) whose best-matching
ring of ``ws.network.rings`` has a Jaccard index of at least :data:`FOUND` with the planted
members (graph people matched to planted people by the waybills behind them,
:func:`~netintel.evaluation.truth.map_people`). ``parcel_ring_members_found``: the share of
planted members in the ring that best matches their parcel ring. The detail names each
planted ring, its members, couriers and waybills, and the ring found for it.

Rows of :func:`reformations` (``ws.time.reformations`` with its defaults: a raid of 4 people
records the destruction, activity at the same place within 180 days is re-formation):
``reformations_flagged``: the share of planted hotspots that re-form (``truth["hotspots"]``,
``reforms``) flagged as re-formed. ``reformation_false_flags``: planted hotspots destroyed
for good that are flagged. ``reformation_people_named``: the share of the planted returning
and new people of the re-formed hotspots named as returning and new.

Row of :func:`money_paths` (measured in a workspace that also holds ``accounts.csv`` and
``interactions.csv``: the payments would tie Vietnamese and Lao rings in the graph the parcel
rings are looked for in; accounts resolved to people by
:func:`~netintel.project.online.account_people`, money as
:func:`~netintel.project.online.money_flows`, both on the workspace's tables):
``seller_money_paths_found``: the share of planted online sellers (``truth["online_sellers"]``)
whose accounts resolve to the graph person matched to the planted seller and from whom a
directed money path reaches the graph person matched to the planted supplier across the
border. The detail names each seller, supplier, their rings and the payments planted.
"""

from __future__ import annotations

from collections import Counter

import netintel
from netintel.evaluation.context import EvalContext, Row, skipped
from netintel.evaluation.truth import map_people
from netintel.synthetic import FILES
from netintel.values.places import place_chain

__all__ = ["FOUND", "money_paths", "parcels", "reformations"]

#: The Jaccard index at which a planted parcel ring counts as found.
FOUND = 0.5


def _workspace(ctx: EvalContext, *, online: bool = False) -> netintel.Workspace:
    """The workspace of the four kinds and the channel files, loaded on first use; with
    ``online`` also the accounts and interactions (a workspace of its own, so the parcel
    and hotspot scores stay those measured before the online sellers were planted)."""
    db = ctx.workdir / ("channels_online.db" if online else "channels.db")
    if db.exists():
        return netintel.open(db, read_only=True)
    ws = netintel.open(db)
    files = {name: ctx.paths[name] for name in FILES}
    if "hotspots" in ctx.paths:  # arrest records of their own
        files["arrests"] = [files["arrests"], ctx.paths["hotspots"]]
    online_files = (
        {"accounts": ctx.paths.get("accounts"), "interactions": ctx.paths.get("interactions")}
        if online
        else {}
    )
    ws.ingest(**files, shipments=ctx.paths.get("shipments"), **online_files)
    return ws


def _truth(ctx: EvalContext) -> dict:
    """The truth with the planted people of every channel among its ``persons``."""
    persons = dict(ctx.truth["persons"])
    for key in ("parcel_people", "hotspot_people"):  # online sellers are planted persons
        persons.update(ctx.truth.get(key) or {})
    return {**ctx.truth, "persons": persons}


def parcels(ctx: EvalContext) -> list[Row]:
    """Rows ``parcel_rings_found`` and ``parcel_ring_members_found``."""
    planted = ctx.truth.get("parcel_rings") or []
    if not planted or "shipments" not in ctx.paths:
        why = "no parcel rings planted (a set generated before shipments)"
        return [skipped("parcel_rings_found", None, why)]
    with _workspace(ctx) as ws:
        people = ws.records.people()
        rings = ws.network.rings(seed=ctx.seed)
    truth = _truth(ctx)
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


def reformations(ctx: EvalContext) -> list[Row]:
    """Rows ``reformations_flagged``, ``reformation_false_flags``, ``reformation_people_named``."""
    planted = ctx.truth.get("hotspots") or []
    if not planted or "hotspots" not in ctx.paths:
        why = "no hotspots planted (a set generated before hotspots)"
        return [skipped("reformations_flagged", None, why)]
    with _workspace(ctx) as ws:
        found = ws.time.reformations()
        people = ws.records.people()
    mapping = map_people(people, _truth(ctx)).dropna()
    by_place = found.set_index("place")
    flagged, false_flags, named, to_name, details = 0, 0, 0, 0, []
    for h in planted:
        place = place_chain("VN", h["province"], h["place"])[-1].id
        row = by_place.loc[place] if place in by_place.index else None
        reformed = bool(row is not None and row["reformed"])
        if h["reforms"]:
            flagged += reformed
            returning = {mapping.get(p) for p in row["returning"]} if row is not None else set()
            new = {mapping.get(p) for p in row["new"]} if row is not None else set()
            hits = len(returning & set(h["returning"])) + len(new & set(h["new"]))
            named += hits
            to_name += len(h["returning"]) + len(h["new"])
            details.append(
                f"{h['id']} {h['place']} ({h['province']}) raided {h['destroyed_on']}, re-formed "
                f"{h['reformed_on']}: {'flagged' if reformed else 'missed'}, "
                f"{hits} of {len(h['returning']) + len(h['new'])} linking people named"
            )
        else:
            false_flags += reformed
            details.append(
                f"{h['id']} {h['place']} raided {h['destroyed_on']}, destroyed for good: "
                + ("flagged (false)" if reformed else "not flagged")
            )
    n_reform = sum(1 for h in planted if h["reforms"])
    detail = "; ".join(details)
    return [
        {
            "metric": "reformations_flagged",
            "k": None,
            "value": flagged / n_reform if n_reform else float("nan"),
            "detail": f"{flagged} of {n_reform} planted re-formations flagged: {detail}",
        },
        {
            "metric": "reformation_false_flags",
            "k": None,
            "value": float(false_flags),
            "detail": f"of {len(planted) - n_reform} planted hotspot(s) destroyed for good",
        },
        {
            "metric": "reformation_people_named",
            "k": None,
            "value": named / to_name if to_name else float("nan"),
            "detail": f"{named} of {to_name} planted returning and new people named as such",
        },
    ]


def money_paths(ctx: EvalContext) -> list[Row]:
    """Row ``seller_money_paths_found``."""
    import networkx as nx

    from netintel.project.online import account_people, money_flows

    planted = ctx.truth.get("online_sellers") or []
    if not planted or "interactions" not in ctx.paths:
        why = "no online sellers planted (a set generated before accounts and payments)"
        return [skipped("seller_money_paths_found", None, why)]
    with _workspace(ctx, online=True) as ws:
        tables = ws.tables()
        people = ws.records.people()
    owners = account_people(tables)
    flows = money_flows(tables)
    mapping = map_people(people, _truth(ctx)).dropna()
    graph_of: dict[str, set[str]] = {}
    for pid, tid in mapping.items():
        graph_of.setdefault(str(tid), set()).add(str(pid))
    found, details = 0, []
    for s in planted:
        mine = set(s["accounts"])
        resolved = {
            str(pid)
            for pid, sources in zip(owners["person_id"], owners["sources"], strict=True)
            if mine & set(sources)
        } & graph_of.get(s["seller"], set())
        suppliers = graph_of.get(s["supplier"], set()) & set(flows)
        path = next(
            (
                nx.shortest_path(flows, a, b)
                for a in sorted(resolved & set(flows))
                for b in sorted(suppliers)
                if nx.has_path(flows, a, b)
            ),
            None,
        )
        found += path is not None
        details.append(
            f"{s['id']}: seller {s['seller']} (ring {s['ring']}, {len(mine)} accounts on "
            f"{s['phone']}) -> supplier {s['supplier']} (ring {s['supplier_ring']}, "
            f"{len(s['payments'])} payments): "
            + (
                f"path of {len(path) - 1} step(s) found"
                if path is not None
                else ("accounts resolved, no money path" if resolved else "accounts not resolved")
            )
        )
    return [
        {
            "metric": "seller_money_paths_found",
            "k": None,
            "value": found / len(planted),
            "detail": f"{found} of {len(planted)} planted sellers: " + "; ".join(details),
        }
    ]
