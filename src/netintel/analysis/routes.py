"""Routes: corridors of seizures through places and border gates, and their chokepoints.

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

:func:`chokepoints` ranks the border gates and the provinces that routes pass through: the
share of route seizures (and of their kg) that crossed a gate, or that were seized in a
province or crossed one of its gates (origins and destinations are ends, not passages), and
betweenness in the directed **place graph** (:func:`place_graph`: an arc for each pair of
consecutive known legs, weighted by seizures, read as distance ``1 / seizures`` as in
:mod:`netintel.analysis.weights`; Freeman 1977, Brandes 2001).

:func:`corridor_people` lists the people arrested for each corridor's seizures, with the
arrest records and seizures that put them there; :func:`routes_geojson` turns corridors and
chokepoints into a GeoJSON FeatureCollection with coordinates from
``graph_schema/gazetteer.yaml`` (RFC 7946: positions are ``[longitude, latitude]``).

References
----------
.. [1] L. C. Freeman, "A set of measures of centrality based on betweenness", Sociometry 40,
   35-41, 1977.
.. [2] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2), 163-177, 2001.
.. [3] H. Butler et al., "The GeoJSON Format", RFC 7946, 2016.

Examples
--------
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
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import networkx as nx
import numpy as np
import pandas as pd

from netintel.errors import AnalysisError
from netintel.values import country_name, fold, to_country
from netintel.values.places import country_point, find_gate, find_province

__all__ = [
    "LEVELS",
    "RANK_BY",
    "RouteTables",
    "chokepoints",
    "corridor_people",
    "corridors",
    "example_tables",
    "place_graph",
    "resolve_place",
    "routes_geojson",
]

LEVELS = ("country", "province", "district")
RANK_BY = ("seizures", "kg", "periods", "trend")
_DEPTH = {"country": 0, "province": 1, "district": 2, "commune": 3}
_LEGS = ("origin", "gate", "place", "destination")
UNKNOWN = "?"

CORRIDOR_COLUMNS = [
    "rank",
    "corridor",
    "origin",
    "gate",
    "seizure_place",
    "destination",
    "seizures",
    "complete",
    "attributed",
    "kg",
    "kg_by_drug",
    "unweighed",
    "periods",
    "trend",
    "first_seen",
    "last_seen",
    "people",
    "rings",
    "origin_id",
    "gate_id",
    "place_id",
    "destination_id",
    "path",
    "unlocated",
    "evidence",
]
CHOKEPOINT_COLUMNS = [
    "kind",
    "rank",
    "id",
    "name",
    "country",
    "seizures",
    "share",
    "kg",
    "kg_share",
    "betweenness",
    "corridors",
    "lat",
    "lon",
    "located",
    "counterpart",
]
PEOPLE_COLUMNS = [
    "corridor_rank",
    "corridor",
    "person_id",
    "name",
    "roles",
    "seizures",
    "ring",
    "evidence",
]


@dataclass
class RouteTables:
    """What route analysis reads (see :func:`netintel.project.routes.read_route_tables`).

    Attributes
    ----------
    seizures : DataFrame
        ``seizure_id, first_seen, last_seen, drug, quantity_kg`` and the leg ids ``origin``,
        ``gate``, ``place``, ``destination`` (missing when not recorded).
    places : DataFrame
        ``id, name, level, country, parent`` (``parent`` missing for a country).
    gates : DataFrame
        ``id, name, country, places`` (the Place ids the gate is recorded in).
    arrests : DataFrame
        ``person_id, name, role, seizure_id, evidence`` (record ids).
    """

    seizures: pd.DataFrame
    places: pd.DataFrame
    gates: pd.DataFrame
    arrests: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["person_id", "name", "role", "seizure_id", "evidence"]
        )
    )

    @cached_property
    def index(self) -> _Places:
        return _Places(self.places, self.gates)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


class _Places:
    """The place hierarchy and gates, with roll-up, the 2025 merger and coordinates."""

    def __init__(self, places: pd.DataFrame, gates: pd.DataFrame) -> None:
        self._merged: dict[str, str] = {}
        self._chains: dict[tuple[str | None, bool], list[str]] = {}
        self.name: dict[str, str] = {}
        self.level: dict[str, str] = {}
        self.country: dict[str, str] = {}
        self.parent: dict[str, str | None] = {}
        for row in places.itertuples(index=False):
            pid = str(row.id)
            self.name[pid] = _text(row.name) or pid
            self.level[pid] = _text(row.level) or "district"
            self.country[pid] = (_text(row.country) or pid.split("/")[0]).upper()
            self.parent[pid] = _text(row.parent)
        self.gates: dict[str, dict] = {}
        for row in gates.itertuples(index=False):
            recorded = [p for p in (row.places if isinstance(row.places, list) else [])]
            provinces = [self.name.get(p, p) for p in recorded if self.level.get(p) == "province"]
            found = None
            for prov in provinces or [None]:
                found = find_gate(str(row.name), prov)
                if found is not None:
                    break
            province_id = None
            if found is not None:
                province_id = self._province_id(found.country, found.province)
            elif len(recorded) == 1:
                province_id = recorded[0]
            self.gates[str(row.id)] = {
                "name": found.name if found else (_text(row.name) or str(row.id)),
                "country": found.country if found else (_text(row.country) or "").upper(),
                "province": province_id,
                "point": (found.lat, found.lon) if found else None,
                "counterpart": (
                    f"{found.counterpart} ({found.counterpart_province}, "
                    f"{found.counterpart_country})"
                    if found and found.counterpart
                    else None
                ),
            }

    def _province_id(self, country: str, name: str) -> str:
        pid = f"{country.lower()}/{fold(name)}"
        if pid not in self.name:
            self.name[pid], self.level[pid], self.country[pid] = name, "province", country
            self.parent[pid] = country.lower()
            self._ensure_country(country)
        return pid

    def _ensure_country(self, country: str) -> None:
        cc = country.lower()
        if cc not in self.name:
            self.name[cc], self.level[cc], self.country[cc] = (
                country_name(country),
                "country",
                country,
            )
            self.parent[cc] = None

    def merged(self, pid: str) -> str:
        """The post-2025 province of a Vietnamese province id (itself otherwise)."""
        if pid in self._merged:
            return self._merged[pid]
        out = pid
        if self.level.get(pid) == "province":
            found = find_province(self.name.get(pid, ""), self.country.get(pid))
            if found is not None and found.merged_into:
                out = self._province_id(found.country, found.merged_into)
        self._merged[pid] = out
        return out

    def chain(self, pid: str | None, *, merged: bool = False) -> list[str]:
        """``pid`` and its ancestors, most specific first."""
        key = (pid, merged)
        if key in self._chains:
            return self._chains[key]
        out: list[str] = []
        node = pid
        while node is not None and node not in out:
            out.append(self.merged(node) if merged else node)
            node = self.parent.get(node)
        self._chains[key] = out
        return out

    def roll(self, pid: str | None, level: str, *, merged: bool = False) -> str | None:
        """``pid`` rolled up to ``level`` (itself when recorded more coarsely)."""
        if pid is None:
            return None
        depth = _DEPTH[level]
        for anc in self.chain(pid):
            if _DEPTH.get(self.level.get(anc, "district"), 2) <= depth:
                return self.merged(anc) if merged else anc
        return pid

    def point(self, pid: str) -> tuple[float, float, str] | None:
        """``(lat, lon, located)`` of a place or gate: ``located`` says what the point is of."""
        if pid in self.gates:
            g = self.gates[pid]
            return (*g["point"], "gate") if g["point"] else None
        # A district or commune is placed at its province (approximately); a province the
        # gazetteer does not know, or a place under no known province, is not placed at all.
        for anc in self.chain(pid):
            lvl = self.level.get(anc)
            if lvl == "province":
                found = find_province(self.name.get(anc, ""), self.country.get(anc))
                if found is None or found.lat is None:
                    return None
                return found.lat, found.lon, "province" if anc == pid else "province (approx.)"
            if lvl == "country":
                p = country_point(self.country.get(anc, "")) if anc == pid else None
                return (p[0], p[1], "country") if p is not None else None
        return None

    def label(self, pid: str | None) -> str:
        if pid is None:
            return UNKNOWN
        if pid in self.gates:
            return self.gates[pid]["name"]
        return self.name.get(pid, pid)


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
    from netintel.project import ProjectionSettings

    try:
        return ProjectionSettings(since=since, until=until).window()
    except AnalysisError:
        raise
    except ValueError as e:  # pragma: no cover - window() raises AnalysisError
        raise AnalysisError(str(e)) from None


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
    raw = {leg: [_text(v) for v in sz[leg].to_numpy(dtype=object)] for leg in _LEGS}
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
    for leg in _LEGS:
        frame["raw_" + leg] = pd.Series(
            [v for v, k in zip(raw[leg], keep, strict=True) if k], dtype=object
        )
    return frame


def _effective(idx: _Places, raw: str | None, assigned: str | None) -> str | None:
    """The recorded leg, or the corridor's when it was not recorded or recorded coarser."""
    if raw is None:
        return assigned
    if assigned is not None and raw != assigned and raw in idx.chain(assigned):
        return assigned
    return raw


def _filter(
    frame: pd.DataFrame,
    idx: _Places,
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
        for leg in _LEGS
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


def _known(idx: _Places, pid: str | None, level: str, *, gate: bool = False) -> bool:
    if pid is None:
        return False
    return gate or level == "country" or idx.level.get(pid) != "country"


def _agrees(idx: _Places, partial: str | None, full: str | None, merged: bool) -> bool:
    return partial is None or (full is not None and partial in idx.chain(full, merged=merged))


def _attribute(frame: pd.DataFrame, idx: _Places, level: str, merged: bool) -> pd.DataFrame:
    keys = [tuple(map(_text, k)) for k in zip(*(frame[leg] for leg in _LEGS), strict=True)]
    complete = [
        all(_known(idx, k[i], level, gate=_LEGS[i] == "gate") for i in range(4)) for k in keys
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
    for i, leg in enumerate(_LEGS):
        frame[leg] = pd.Series([a[i] for a in assigned], dtype=object)
    return frame


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
    communities: pd.Series | None = None,
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
    communities : pandas.Series, optional
        ``person_id -> ring`` (e.g. from ``Workspace.communities``) to fill ``rings``.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank, corridor, origin, gate, seizure_place, destination, seizures,
        complete, attributed, kg, kg_by_drug, unweighed, periods, trend, first_seen,
        last_seen, people, rings, origin_id, gate_id, place_id, destination_id, path,
        unlocated, evidence`` (``path``: ``[lon, lat]`` of each located leg; ``unlocated``:
        legs the gazetteer cannot place; ``evidence``: the seizure ids).

    Raises
    ------
    AnalysisError
        If ``level`` or ``by`` is unknown, or ``origin``/``destination`` names nothing known.

    Examples
    --------
    >>> t = example_tables()
    >>> c = corridors(t, origin="la", destination="nghe an")
    >>> c[["corridor", "seizures", "kg"]].to_dict("records")[0]
    {'corridor': 'Xiangkhouang → Nậm Cắn → Nghệ An → Hà Nội', 'seizures': 3, 'kg': 7.0}
    >>> corridors(t, by="kg").loc[0, "gate"]
    'Tây Trang'
    """
    if by not in RANK_BY:
        raise AnalysisError(f"by {by!r}: use one of {', '.join(RANK_BY)}")
    if top is not None and top < 1:
        raise AnalysisError(f"top must be at least 1, got {top}")
    idx = tables.index
    frame = _route_frame(tables, level=level, merged=merged, since=since, until=until)
    if attribute:
        frame = _attribute(frame, idx, level, merged)
    else:
        frame["complete"] = [
            all(_known(idx, _text(r[i]), level, gate=_LEGS[i] == "gate") for i in range(4))
            for r in zip(*(frame[leg] for leg in _LEGS), strict=True)
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
    rows = []
    keycols = list(_LEGS)
    for key, g in frame.fillna({c: UNKNOWN for c in keycols}).groupby(keycols, sort=False):
        ids = dict(zip(keycols, (None if k == UNKNOWN else k for k in key), strict=True))
        kg_by_drug: dict[str, float] = {}
        for drug, kg in zip(g["drug"], g["kg"], strict=True):
            if not math.isnan(kg):
                name = _text(drug) or "unknown"
                kg_by_drug[name] = round(kg_by_drug.get(name, 0.0) + float(kg), 3)
        quarters = g.loc[g["quarter"] >= 0, "quarter"]
        counts = Counter(int(q) for q in quarters)
        who = sorted({p for s in g["seizure_id"] for p in people.get(s, ())})
        rings: list = []
        if communities is not None and who:
            c = Counter(communities.get(p) for p in who if p in communities.index)
            rings = [r for r, _ in sorted(c.items(), key=lambda x: (-x[1], str(x[0])))]
        names = [idx.label(ids[leg]) for leg in _LEGS]
        path, unlocated = [], []
        for leg in _LEGS:
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
                "rings": rings,
                "origin_id": ids["origin"],
                "gate_id": ids["gate"],
                "place_id": ids["place"],
                "destination_id": ids["destination"],
                "path": path,
                "unlocated": list(dict.fromkeys(unlocated)),
                "evidence": sorted(g["seizure_id"]),
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


def _people_by_seizure(arrests: pd.DataFrame) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for pid, sid in zip(arrests["person_id"], arrests["seizure_id"], strict=True):
        out.setdefault(str(sid), set()).add(str(pid))
    return out


def corridor_people(
    table: pd.DataFrame, tables: RouteTables, *, communities: pd.Series | None = None
) -> pd.DataFrame:
    """The people arrested for each corridor's seizures, with the records that say so.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`corridors` (its ``rank``, ``corridor`` and ``evidence``).
    tables : RouteTables
    communities : pandas.Series, optional
        ``person_id -> ring``.

    Returns
    -------
    pandas.DataFrame
        ``corridor_rank, corridor, person_id, name, roles, seizures, ring, evidence``: one
        row per person and corridor, by corridor rank, then seizures (descending), then
        ``person_id``. ``evidence`` holds the person's arrest record ids for those seizures
        and the seizure ids.

    Examples
    --------
    >>> t = example_tables()
    >>> p = corridor_people(corridors(t, top=1), t)
    >>> p[["name", "roles", "seizures", "evidence"]].to_dict("records")[0]
    {'name': 'Lầu Bá Chò', 'roles': ['organizer'], 'seizures': 2, 'evidence': ['A-1', 'A-2', 'S1', 'S2']}
    """
    arrests = tables.arrests
    rows = []
    for crow in table.itertuples(index=False):
        seized = set(crow.evidence)
        sub = arrests[arrests["seizure_id"].isin(seized)]
        for pid, g in sub.groupby("person_id", sort=True):
            records = sorted({r for ev in g["evidence"] for r in ev} | set(g["seizure_id"]))
            rows.append(
                {
                    "corridor_rank": crow.rank,
                    "corridor": crow.corridor,
                    "person_id": pid,
                    "name": g["name"].iloc[0],
                    "roles": sorted({r for r in g["role"] if _text(r)}),
                    "seizures": int(g["seizure_id"].nunique()),
                    "ring": communities.get(pid) if communities is not None else None,
                    "evidence": records,
                }
            )
    out = pd.DataFrame(rows, columns=PEOPLE_COLUMNS)
    if out.empty:
        return out
    return out.sort_values(
        ["corridor_rank", "seizures", "person_id"], ascending=[True, False, True]
    ).reset_index(drop=True)


def place_graph(table: pd.DataFrame, tables: RouteTables) -> nx.DiGraph:
    """The directed place graph of a corridor table.

    Nodes are the places and gates of the legs (attributes ``name``, ``kind``: ``gate`` or
    the place level); an arc joins each pair of consecutive known legs of a corridor
    (origin -> gate -> seizure place -> destination, skipping unknown ones and loops), with
    ``seizures`` and ``kg`` summed over the corridors using it and ``distance = 1 /
    seizures`` for shortest paths.

    Examples
    --------
    >>> t = example_tables()
    >>> G = place_graph(corridors(t), t)
    >>> G["gate:vn/nam can"]["vn/nghe an"]["seizures"]
    3
    """
    idx = tables.index
    G = nx.DiGraph()
    for row in table.itertuples(index=False):
        ids = (row.origin_id, row.gate_id, row.place_id, row.destination_id)
        legs = [p for p in map(_text, ids) if p]
        for pid in legs:
            kind = "gate" if pid in idx.gates else idx.level.get(pid, "place")
            G.add_node(pid, name=idx.label(pid), kind=kind)
        for a, b in pairwise(legs):
            if a == b:
                continue
            d = G.get_edge_data(a, b) or {"seizures": 0, "kg": 0.0}
            G.add_edge(a, b, seizures=d["seizures"] + row.seizures, kg=d["kg"] + row.kg)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["seizures"]
    return G


def chokepoints(
    table: pd.DataFrame,
    tables: RouteTables,
    *,
    merged: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """Border gates and provinces ranked by the share of route seizures passing through.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`corridors` at any level (all rows: pass it before ``top``).
    tables : RouteTables
    merged : bool
        Count provinces after the 2025 merger.
    top : int, optional
        Keep the first ``top`` of each kind.

    Returns
    -------
    pandas.DataFrame
        ``kind`` (``gate``, then ``province``), ``rank`` (within kind), ``id, name, country,
        seizures, share, kg, kg_share, betweenness`` (normalised, in the province-level place
        graph; gates and provinces are both nodes of it), ``corridors`` (how many pass),
        ``lat, lon, located`` (what the point is of), ``counterpart`` (a gate's facing gate).
        Ranked by ``share``, then ``kg_share``, ``betweenness``, ``name``.

    Examples
    --------
    >>> t = example_tables()
    >>> ch = chokepoints(corridors(t), t)
    >>> ch[ch["kind"] == "gate"][["name", "seizures", "share"]].to_dict("records")[0]
    {'name': 'Nậm Cắn', 'seizures': 3, 'share': 0.75}
    """
    idx = tables.index
    if table.empty:
        return pd.DataFrame(columns=CHOKEPOINT_COLUMNS)
    total = float(table["seizures"].sum())
    total_kg = float(table["kg"].sum())
    G = place_graph(table, tables)
    between = nx.betweenness_centrality(G, weight="distance", normalized=True) if len(G) else {}
    stats: dict[tuple[str, str], dict] = {}

    def add(kind: str, pid: str, row) -> None:
        s = stats.setdefault((kind, pid), {"seizures": 0, "kg": 0.0, "corridors": 0})
        s["seizures"] += row.seizures
        s["kg"] += row.kg
        s["corridors"] += 1

    for row in table.itertuples(index=False):
        provinces = set()
        gate, place = _text(row.gate_id), _text(row.place_id)
        if gate:
            add("gate", gate, row)
            gp = idx.gates.get(gate, {}).get("province")
            if gp:
                provinces.add(idx.merged(gp) if merged else gp)
        if place:
            prov = idx.roll(place, "province", merged=merged)
            if prov and idx.level.get(prov) == "province":
                provinces.add(prov)
        for prov in sorted(provinces):
            add("province", prov, row)
    rows = []
    for (kind, pid), s in stats.items():
        pt = idx.point(pid)
        node_b = between.get(pid)
        if node_b is None and kind == "province":
            # the graph's node for the province may be finer (district level): the largest
            node_b = max(
                (b for n, b in between.items() if pid in idx.chain(n, merged=merged)), default=0.0
            )
        rows.append(
            {
                "kind": kind,
                "id": pid,
                "name": idx.label(pid),
                "country": idx.gates[pid]["country"] if kind == "gate" else idx.country.get(pid),
                "seizures": s["seizures"],
                "share": round(s["seizures"] / total, 4) if total else 0.0,
                "kg": round(s["kg"], 3),
                "kg_share": round(s["kg"] / total_kg, 4) if total_kg else 0.0,
                "betweenness": round(float(node_b or 0.0), 4),
                "corridors": s["corridors"],
                "lat": pt[0] if pt else None,
                "lon": pt[1] if pt else None,
                "located": pt[2] if pt else None,
                "counterpart": idx.gates[pid]["counterpart"] if kind == "gate" else None,
            }
        )
    out = pd.DataFrame(rows)
    out["_k"] = out["kind"].map({"gate": 0, "province": 1})
    out = out.sort_values(
        ["_k", "share", "kg_share", "betweenness", "name"],
        ascending=[True, False, False, False, True],
        kind="mergesort",
    ).drop(columns="_k")
    out.insert(1, "rank", out.groupby("kind").cumcount() + 1)
    if top is not None:
        out = out[out["rank"] <= top]
    return out.reset_index(drop=True)[CHOKEPOINT_COLUMNS]


def _json_value(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def routes_geojson(table: pd.DataFrame, points: pd.DataFrame | None = None) -> dict:
    """A GeoJSON FeatureCollection: a LineString per corridor, a Point per gate or place.

    Positions are ``[longitude, latitude]`` (RFC 7946). A corridor with fewer than two
    located legs has no line (``geometry`` null) and says why in ``note``; every feature
    carries its ranking numbers in ``properties``.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`corridors`.
    points : pandas.DataFrame, optional
        From :func:`chokepoints`: each row with coordinates becomes a Point feature.

    Examples
    --------
    >>> t = example_tables()
    >>> c = corridors(t)
    >>> gj = routes_geojson(c, chokepoints(c, t))
    >>> gj["type"], gj["features"][0]["geometry"]["type"]
    ('FeatureCollection', 'LineString')
    >>> gj["features"][0]["geometry"]["coordinates"][0]
    [103.19, 19.45]
    """
    features = []
    for row in table.to_dict("records"):
        path = row.get("path") or []
        props = {
            k: _json_value(v) for k, v in row.items() if k not in {"path", "evidence", "kg_by_drug"}
        }
        props["feature"] = "corridor"
        props["kg_by_drug"] = _json_value(row.get("kg_by_drug") or {})
        props["evidence"] = _json_value(list(row.get("evidence") or []))
        notes = []
        if row.get("unlocated"):
            notes.append("not in the gazetteer: " + ", ".join(row["unlocated"]))
        geometry = None
        if len(path) >= 2:
            geometry = {"type": "LineString", "coordinates": [list(map(float, p)) for p in path]}
        else:
            notes.append("fewer than two located legs: no line")
        props["note"] = "; ".join(notes) or None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    if points is not None:
        for row in points.to_dict("records"):
            if row.get("lat") is None or pd.isna(row.get("lat")):
                continue
            props = {k: _json_value(v) for k, v in row.items() if k not in {"lat", "lon"}}
            props["feature"] = row["kind"]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(row["lon"]), float(row["lat"])],
                    },
                    "properties": props,
                }
            )
    return {"type": "FeatureCollection", "features": features}


def example_tables() -> RouteTables:
    """A tiny hand-made set of five seizures, for examples and tests.

    Three cross Nậm Cắn from Xiangkhouang to Hà Nội (one recorded with origin ``LA`` only),
    one crosses Tây Trang from Bokeo (20 kg), one is a local seizure with no route.
    """
    places = pd.DataFrame(
        [
            ("vn", "Vietnam", "country", "VN", None),
            ("la", "Laos", "country", "LA", None),
            ("vn/nghe an", "Nghệ An", "province", "VN", "vn"),
            ("vn/nghe an/ky son", "Kỳ Sơn", "district", "VN", "vn/nghe an"),
            ("vn/ha noi", "Hà Nội", "province", "VN", "vn"),
            ("vn/dien bien", "Điện Biên", "province", "VN", "vn"),
            ("la/xiangkhouang", "Xiangkhouang", "province", "LA", "la"),
            ("la/bokeo", "Bokeo", "province", "LA", "la"),
        ],
        columns=["id", "name", "level", "country", "parent"],
    )
    gates = pd.DataFrame(
        {
            "id": ["gate:vn/nam can", "gate:vn/tay trang"],
            "name": ["Nam Can", "Tây Trang"],
            "country": ["VN", "VN"],
            "places": [["vn/nghe an"], ["vn/dien bien"]],
        }
    )
    x, n = "la/xiangkhouang", "gate:vn/nam can"
    seizures = pd.DataFrame(
        [
            ("S1", "2023-01-10", "heroin", 2.0, x, n, "vn/nghe an/ky son", "vn/ha noi"),
            ("S2", "2023-05-02", "heroin", 3.0, x, n, "vn/nghe an", "vn/ha noi"),
            ("S3", "2023-09-20", "methamphetamine", 2.0, "la", n, "vn/nghe an", "vn/ha noi"),
            (
                "S4",
                "2023-03-01",
                "methamphetamine",
                20.0,
                "la/bokeo",
                "gate:vn/tay trang",
                "vn/dien bien",
                "vn/ha noi",
            ),
            ("S5", "2023-04-01", "cannabis", 0.5, None, None, "vn/ha noi", None),
        ],
        columns=[
            "seizure_id",
            "first_seen",
            "drug",
            "quantity_kg",
            "origin",
            "gate",
            "place",
            "destination",
        ],
    )
    seizures["last_seen"] = seizures["first_seen"]
    arrests = pd.DataFrame(
        [
            ("P1", "Lầu Bá Chò", "organizer", "S1", ["A-1"]),
            ("P1", "Lầu Bá Chò", "organizer", "S2", ["A-2"]),
            ("P2", "Vàng A Sử", "courier", "S2", ["A-3"]),
            ("P3", "Noy Vongsa", "courier", "S4", ["A-4"]),
        ],
        columns=["person_id", "name", "role", "seizure_id", "evidence"],
    )
    return RouteTables(seizures, places, gates, arrests)
