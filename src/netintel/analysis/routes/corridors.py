"""Corridors: seizures grouped by the route they took, origin to destination, ranked.

A seizure record says where the drugs came from (origin), which border gate they crossed,
where they were seized and where they were going (destination). Each of these **legs** is a
place of the stored hierarchy (commune in district in province in country) or a border gate.
:func:`corridors` rolls the legs up to one ``level`` (``country``, ``province`` or
``district``; with ``merged=True`` Vietnam's 63 pre-2025 provinces become the 34 they were
merged into) and groups seizures that share all four legs into a **corridor**:
``origin -> gate -> seizure place -> destination``.

How corridors are built and ranked (the choices, made explicit):

- A seizure with no origin, gate or destination says nothing about movement and is left out.
- A leg recorded more coarsely than ``level`` stays coarse (an origin given as ``LA`` stays
  the country); a leg not recorded is unknown (``?``). A seizure whose every leg is known at
  ``level`` is *complete*. A *partial* seizure (a leg unknown, or only a country where
  provinces are asked for) is **attributed** to a complete corridor when exactly one complete
  corridor agrees with every leg it does record (same place, or a place inside the one
  recorded: ``LA`` agrees with ``Bokeo``); otherwise it forms a corridor of its own, with
  ``?`` for what is unknown. ``attributed`` counts these seizures, so the inference is visible
  (``attribute=False`` turns it off).
- Measures per corridor: ``seizures`` (count), ``kg`` (total mass; seizures counted in
  tablets have no mass and are counted in ``unweighed``), ``kg_by_drug``, ``periods`` (the
  recurrence: distinct quarters with a seizure), ``trend`` (least-squares slope of the number
  of seizures per quarter, over every quarter from the first to the last of the data, zeros
  included: seizures per quarter, per quarter; positive when rising) and ``first_seen`` /
  ``last_seen``.
- Ranked by ``by`` (default ``seizures``), ties broken by ``kg``, ``periods``, ``trend``
  (all descending), then the corridor's text, so the order is deterministic.

The place hierarchy, the merger and the gazetteer's coordinates are those of
:class:`~netintel.project.routes.PlaceIndex` (the tables' ``index``); each corridor's
``path`` is the ``[longitude, latitude]`` of its located legs, for the map of
:mod:`netintel.analysis.routes.geojson`.

Examples
--------
>>> from netintel.analysis.routes import example_tables
>>> t = example_tables()
>>> top = corridors(t, level="province")
>>> top.loc[0, "corridor"], int(top.loc[0, "seizures"]), int(top.loc[0, "attributed"])
('Xiangkhouang → Nậm Cắn → Nghệ An → Hà Nội', 3, 1)
>>> corridors(t, level="country").loc[0, "corridor"]
'Laos → Nậm Cắn → Vietnam → Vietnam'
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from netintel.analysis.network.channels import CHANNEL_WORDS, channels_text
from netintel.errors import AnalysisError
from netintel.ingest.vocab import transport_channel
from netintel.project import ProjectionSettings
from netintel.project.routes import UNKNOWN, PlaceIndex, RouteTables, optional_text
from netintel.values import fold, to_country
from netintel.values.places import find_province

__all__ = [
    "CORRIDOR_COLUMNS",
    "LEGS",
    "LEVELS",
    "RANK_BY",
    "check_corridor_table",
    "corridors",
    "resolve_place",
]

#: The levels legs are rolled up to.
LEVELS = ("country", "province", "district")
#: The measures corridors can be ranked by.
RANK_BY = ("seizures", "kg", "periods", "trend")
#: The legs of a corridor, in route order.
LEGS = ("origin", "gate", "place", "destination")

#: Columns of :func:`corridors`, in order.
CORRIDOR_COLUMNS = [
    "rank", "corridor", "origin", "gate", "seizure_place", "destination", "seizures",
    "complete", "attributed", "kg", "kg_by_drug", "unweighed", "periods", "trend",
    "first_seen", "last_seen", "people", "rings", "origin_id", "gate_id", "place_id",
    "destination_id", "path", "unlocated", "evidence", "channels",
]  # fmt: skip


def _seizure_channels(seizures: pd.DataFrame) -> dict[str, str]:
    """``seizure_id -> channel`` (land, sea, air, express) of the seizures whose transport
    mode names one (:func:`netintel.ingest.vocab.transport_channel`)."""
    if "transport" not in seizures:
        return {}
    found = zip(seizures["seizure_id"], seizures["transport"].map(transport_channel), strict=True)
    return {s: c for s, c in found if c}


def check_corridor_table(table: object, tables: object, columns: tuple[str, ...]) -> None:
    """Raise :class:`~netintel.errors.AnalysisError` unless ``tables`` is a
    :class:`~netintel.project.routes.RouteTables` and ``table`` a corridor table (from
    :func:`corridors`) with ``columns``."""
    if not isinstance(tables, RouteTables):
        raise AnalysisError(f"expected RouteTables, got {type(tables).__name__}")
    if not isinstance(table, pd.DataFrame):
        raise AnalysisError(f"expected a corridor table (DataFrame), got {type(table).__name__}")
    missing = set(columns) - set(table.columns)
    if missing:
        raise AnalysisError(f"the corridor table lacks column(s) {sorted(missing)}")


def _check_top(top: object) -> None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise AnalysisError(f"top must be an integer >= 1 or None, got {top!r}")


def resolve_place(text: str, *, merged: bool = False) -> str:
    """The Place id named by ``text``: a country (code or name) or a gazetteer province.

    Any spelling the gazetteer matches works (case, diacritics and words such as ``tỉnh`` do
    not matter). With ``merged``, a province merged in 2025 resolves to the one it joined.

    Raises
    ------
    AnalysisError
        If ``text`` names neither.

    Examples
    --------
    >>> resolve_place("LA"), resolve_place("nghệ an"), resolve_place("Nghe An")
    ('la', 'vn/nghe an', 'vn/nghe an')
    >>> resolve_place("Hà Giang"), resolve_place("Ha Giang", merged=True)
    ('vn/ha giang', 'vn/tuyen quang')
    """
    raw = str(text).strip()
    try:
        return to_country(raw).lower()
    except ValueError:
        pass
    found = find_province(raw)
    if found is None:
        raise AnalysisError(
            f"{text!r} is neither a country nor a province of the gazetteer "
            "(graph_schema/gazetteer.yaml); give a country code (LA, VN) or a province name"
        )
    name = found.merged_into if merged and found.merged_into else found.name
    return f"{found.country.lower()}/{fold(name)}"


def _window(since: str | None, until: str | None) -> tuple[pd.Timestamp | None, ...]:
    window = ProjectionSettings(since=since, until=until).window  # AnalysisError naming a bound
    return window.first_day, window.last_day


def _route_frame(
    tables: RouteTables,
    *,
    level: str,
    merged: bool,
    since: str | None,
    until: str | None,
) -> pd.DataFrame:
    """One row per route seizure in the window, legs rolled up (and as recorded: ``raw_*``)."""
    if level not in LEVELS:
        raise AnalysisError(f"level {level!r}: use one of {', '.join(LEVELS)}")
    sz = tables.seizures
    missing = {"seizure_id", "origin", "gate", "place", "destination"} - set(sz.columns)
    if missing:
        raise AnalysisError(f"the seizure table lacks columns {sorted(missing)}")
    idx = tables.index
    frame = pd.DataFrame(
        {
            "seizure_id": sz["seizure_id"].astype(str).to_numpy(),
            "drug": sz.get("drug", pd.Series(None, index=sz.index)).to_numpy(dtype=object),
            "kg": pd.to_numeric(sz.get("quantity_kg"), errors="coerce").to_numpy(dtype=float)
            if "quantity_kg" in sz
            else np.full(len(sz), np.nan),
            "first_seen": pd.to_datetime(sz.get("first_seen"), errors="coerce").to_numpy(),
            "last_seen": pd.to_datetime(
                sz.get("last_seen", sz.get("first_seen")), errors="coerce"
            ).to_numpy(),
        }
    )
    raw = {leg: [optional_text(v) for v in sz[leg].to_numpy(dtype=object)] for leg in LEGS}
    frame["route"] = [
        any(raw[leg][i] is not None for leg in ("origin", "gate", "destination"))
        for i in range(len(frame))
    ]
    start, end = _window(since, until)
    if start is not None:
        frame["route"] &= frame["last_seen"].notna() & (frame["last_seen"] >= start)
    if end is not None:
        frame["route"] &= frame["first_seen"].notna() & (frame["first_seen"] <= end)
    keep = frame["route"].to_numpy()
    frame = frame[keep].drop(columns="route").reset_index(drop=True)
    for leg in ("origin", "place", "destination"):
        vals = [v for v, k in zip(raw[leg], keep, strict=True) if k]
        frame[leg] = pd.Series([idx.roll(v, level, merged=merged) for v in vals], dtype=object)
    frame["gate"] = pd.Series(
        [v for v, k in zip(raw["gate"], keep, strict=True) if k], dtype=object
    )
    for leg in LEGS:
        frame["raw_" + leg] = pd.Series(
            [v for v, k in zip(raw[leg], keep, strict=True) if k], dtype=object
        )
    return frame


def _effective(idx: PlaceIndex, raw: str | None, assigned: str | None) -> str | None:
    """The recorded leg, or the corridor's when it was not recorded or recorded coarser."""
    if raw is None:
        return assigned
    if assigned is not None and raw != assigned and raw in idx.chain(assigned):
        return assigned
    return raw


def _filter(
    frame: pd.DataFrame,
    idx: PlaceIndex,
    *,
    origin: str | None,
    destination: str | None,
    merged: bool,
) -> pd.DataFrame:
    """Seizures whose origin lies in ``origin`` and that reach ``destination``.

    Legs are the recorded ones, completed by the corridor a partial seizure was attributed to.
    """
    if origin is None and destination is None:
        return frame
    keep = np.ones(len(frame), dtype=bool)
    legs = {
        leg: [_effective(idx, r, a) for r, a in zip(frame["raw_" + leg], frame[leg], strict=True)]
        for leg in LEGS
    }
    if origin is not None:
        target = resolve_place(origin, merged=merged)
        keep &= np.array([target in idx.chain(o, merged=merged) for o in legs["origin"]])
    if destination is not None:
        target = resolve_place(destination, merged=merged)
        gate_province = [idx.gates.get(g, {}).get("province") if g else None for g in legs["gate"]]
        keep &= np.array(
            [
                any(target in idx.chain(x, merged=merged) for x in (g, p, d))
                for g, p, d in zip(gate_province, legs["place"], legs["destination"], strict=True)
            ],
            dtype=bool,
        )
    return frame[keep].reset_index(drop=True)


def _known(idx: PlaceIndex, pid: str | None, level: str, *, gate: bool = False) -> bool:
    if pid is None:
        return False
    return gate or level == "country" or idx.level.get(pid) != "country"


def _agrees(idx: PlaceIndex, partial: str | None, full: str | None, merged: bool) -> bool:
    return partial is None or (full is not None and partial in idx.chain(full, merged=merged))


def _attribute(frame: pd.DataFrame, idx: PlaceIndex, level: str, merged: bool) -> pd.DataFrame:
    keys = [tuple(map(optional_text, k)) for k in zip(*(frame[leg] for leg in LEGS), strict=True)]
    complete = [
        all(_known(idx, k[i], level, gate=LEGS[i] == "gate") for i in range(4)) for k in keys
    ]
    full = sorted({k for k, c in zip(keys, complete, strict=True) if c}, key=str)
    assigned = []
    for k, c in zip(keys, complete, strict=True):
        if c:
            assigned.append(k)
            continue
        hits = [f for f in full if all(_agrees(idx, k[i], f[i], merged) for i in range(4))]
        assigned.append(hits[0] if len(hits) == 1 else k)
    frame = frame.assign(complete=complete)
    frame["attributed"] = [a != k for a, k in zip(assigned, keys, strict=True)]
    for i, leg in enumerate(LEGS):
        frame[leg] = pd.Series([a[i] for a in assigned], dtype=object)
    return frame


def _people_by_seizure(arrests: pd.DataFrame) -> dict[str, set[str]]:
    """Seizure id -> the ids of the people arrested for it (``arrests`` of :class:`RouteTables`).

    >>> arrests = pd.DataFrame({"person_id": ["P1", "P2"], "seizure_id": ["S1", "S1"]})
    >>> sorted(_people_by_seizure(arrests)["S1"])
    ['P1', 'P2']
    """
    out: dict[str, set[str]] = {}
    for pid, sid in zip(arrests["person_id"], arrests["seizure_id"], strict=True):
        out.setdefault(str(sid), set()).add(str(pid))
    return out


def _quarters(dates: pd.Series) -> pd.Series:
    return dates.dt.year * 4 + (dates.dt.month - 1) // 3


def _trend(counts: dict[int, int], q0: int, q1: int) -> float:
    if q1 <= q0:
        return 0.0
    x = np.arange(q0, q1 + 1, dtype=float)
    y = np.array([counts.get(int(q), 0) for q in x], dtype=float)
    return float(np.polyfit(x - x.mean(), y, 1)[0])


def corridors(
    tables: RouteTables,
    *,
    level: str = "province",
    merged: bool = False,
    origin: str | None = None,
    destination: str | None = None,
    since: str | None = None,
    until: str | None = None,
    top: int | None = None,
    by: str = "seizures",
    attribute: bool = True,
    rings: pd.Series | None = None,
) -> pd.DataFrame:
    """Corridors ``origin -> gate -> seizure place -> destination``, ranked.

    Parameters
    ----------
    tables : RouteTables
    level : {"province", "country", "district"}
        The level legs are rolled up to (the seizure place at ``district`` is its district).
    merged : bool
        Roll Vietnam's pre-2025 provinces up to the post-2025 ones (``merged_into``).
    origin : str, optional
        Keep seizures whose recorded origin lies in this country or province (any spelling).
    destination : str, optional
        Keep seizures that reach this country or province: their destination, seizure place
        or crossed gate lies in it ("Laos into Nghe An": ``origin="LA",
        destination="Nghe An"``).
    since, until : str, optional
        Keep seizures dated inside the window (``YYYY``, ``YYYY-MM`` or a date); undated
        seizures are left out when a window is given.
    top : int, optional
        Keep the first ``top`` corridors.
    by : {"seizures", "kg", "periods", "trend"}
        The ranking measure (ties: see the module docstring).
    attribute : bool
        Attribute partial seizures to the one complete corridor they agree with.
    rings : pandas.Series, optional
        ``person_id -> ring`` (e.g. from :func:`~netintel.analysis.network.rings.detect_rings`)
        to fill the ``rings`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank, corridor, origin, gate, seizure_place, destination, seizures,
        complete, attributed, kg, kg_by_drug, unweighed, periods, trend, first_seen,
        last_seen, people, rings, origin_id, gate_id, place_id, destination_id, path,
        unlocated, evidence, channels`` (``path``: ``[lon, lat]`` of each located leg;
        ``unlocated``: legs the gazetteer cannot place; ``evidence``: the seizure ids; ``channels``: the
        channels its seizures' transport modes name, land, sea, air, express delivery,
        ``"; "``-joined, ``""`` when none says).

    Raises
    ------
    AnalysisError
        If ``level`` or ``by`` is unknown, or ``origin``/``destination`` names nothing known.

    Examples
    --------
    >>> from netintel.analysis.routes import example_tables
    >>> t = example_tables()
    >>> c = corridors(t, origin="la", destination="nghe an")
    >>> c[["corridor", "seizures", "kg"]].to_dict("records")[0]
    {'corridor': 'Xiangkhouang → Nậm Cắn → Nghệ An → Hà Nội', 'seizures': 3, 'kg': 7.0}
    >>> corridors(t, by="kg").loc[0, "gate"]
    'Tây Trang'
    """
    if by not in RANK_BY:
        raise AnalysisError(f"by {by!r}: use one of {', '.join(RANK_BY)}")
    _check_top(top)
    if not isinstance(tables, RouteTables):
        raise AnalysisError(f"expected RouteTables, got {type(tables).__name__}")
    idx = tables.index
    frame = _route_frame(tables, level=level, merged=merged, since=since, until=until)
    if attribute:
        frame = _attribute(frame, idx, level, merged)
    else:
        frame["complete"] = [
            all(_known(idx, optional_text(r[i]), level, gate=LEGS[i] == "gate") for i in range(4))
            for r in zip(*(frame[leg] for leg in LEGS), strict=True)
        ]
        frame["attributed"] = False
    # The trend is measured over the quarters of every route seizure in the window, so a
    # corridor's slope does not change with the origin/destination filters.
    dated = frame["first_seen"].notna()
    frame["quarter"] = np.where(dated, _quarters(frame["first_seen"].fillna(pd.Timestamp(0))), -1)
    q0 = int(frame.loc[dated, "quarter"].min()) if dated.any() else 0
    q1 = int(frame.loc[dated, "quarter"].max()) if dated.any() else 0
    frame = _filter(frame, idx, origin=origin, destination=destination, merged=merged)
    if frame.empty:
        return pd.DataFrame(columns=CORRIDOR_COLUMNS)
    people = _people_by_seizure(tables.arrests)
    channel_of = _seizure_channels(tables.seizures)
    rows = []
    keycols = list(LEGS)
    for key, g in frame.fillna({c: UNKNOWN for c in keycols}).groupby(keycols, sort=False):
        ids = dict(zip(keycols, (None if k == UNKNOWN else k for k in key), strict=True))
        kg_by_drug: dict[str, float] = {}
        for drug, kg in zip(g["drug"], g["kg"], strict=True):
            if not math.isnan(kg):
                name = optional_text(drug) or "unknown"
                kg_by_drug[name] = round(kg_by_drug.get(name, 0.0) + float(kg), 3)
        quarters = g.loc[g["quarter"] >= 0, "quarter"]
        counts = Counter(int(q) for q in quarters)
        who = sorted({p for s in g["seizure_id"] for p in people.get(s, ())})
        on_route: list = []
        if rings is not None and who:
            c = Counter(rings.get(p) for p in who if p in rings.index)
            on_route = [r for r, _ in sorted(c.items(), key=lambda x: (-x[1], str(x[0])))]
        names = [idx.label(ids[leg]) for leg in LEGS]
        moved = {channel_of.get(s) for s in g["seizure_id"]}
        path, unlocated = [], []
        for leg in LEGS:
            pid = ids[leg]
            if pid is None:
                continue
            pt = idx.point(pid)
            if pt is None:
                unlocated.append(idx.label(pid))
            elif not path or path[-1] != [pt[1], pt[0]]:
                path.append([pt[1], pt[0]])
        rows.append(
            {
                "corridor": " → ".join(names),
                "origin": names[0],
                "gate": names[1],
                "seizure_place": names[2],
                "destination": names[3],
                "seizures": len(g),
                "complete": int(g["complete"].sum()),
                "attributed": int(g["attributed"].sum()),
                "kg": round(float(np.nansum(g["kg"].to_numpy())), 3),
                "kg_by_drug": dict(sorted(kg_by_drug.items(), key=lambda x: (-x[1], x[0]))),
                "unweighed": int(g["kg"].isna().sum()),
                "periods": len(counts),
                "trend": round(_trend(counts, q0, q1), 4),
                "first_seen": g["first_seen"].min(),
                "last_seen": g["last_seen"].max(),
                "people": len(who),
                "rings": on_route,
                "origin_id": ids["origin"],
                "gate_id": ids["gate"],
                "place_id": ids["place"],
                "destination_id": ids["destination"],
                "path": path,
                "unlocated": list(dict.fromkeys(unlocated)),
                "evidence": sorted(g["seizure_id"]),
                "channels": channels_text(dict.fromkeys(c for c in CHANNEL_WORDS if c in moved)),
            }
        )
    out = pd.DataFrame(rows)
    order = [by] + [c for c in ("seizures", "kg", "periods", "trend") if c != by]
    out = out.sort_values(
        [*order, "corridor"], ascending=[False] * len(order) + [True], kind="mergesort"
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out = out.reset_index(drop=True)
    if top is not None:
        out = out.head(top)
    return out[CORRIDOR_COLUMNS]
