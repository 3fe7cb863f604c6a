"""Hotspots that re-form: places where arrests and seizures keep coming back.

Vietnam's 2025-2030 National Target Program asks that drug hotspots, once destroyed, are not
allowed to re-form. Two questions, two functions:

- :func:`hotspots`: places ranked by *repeated* activity over time: the number of periods
  (quarters by default) with an arrest or a seizure there, then the number of events, each
  with the people and the records behind it.
- :func:`reformations`: a hotspot destroyed at a date (given by the analyst, or recorded in
  the data as a raid: an arrest event of at least ``raid_size`` people at the place) is
  watched; activity within ``days`` after it, at the same place or (``within="province"``)
  anywhere in its province, is flagged as re-formation, with the people linking the old and
  the new activity: who was there before, who returns, who is new, each with their records.

Distance is administrative, as the records give it: a place is the commune or district an
arrest or seizure names (Place ids ``country/province/place``); the gazetteer has no
coordinates below the province, so "nearby" is the same place or the same province.

Events: one row per (event, person) with ``kind`` (arrest, seizure), ``event``, ``place``
(Place id), ``place_name``, ``date``, ``person_id`` (missing for a seizure nobody was
arrested for), ``name``, ``sources`` (list of record ids).

Examples
--------
>>> import pandas as pd
>>> day = pd.Timestamp
>>> rows = [("arrest", f"A{i}", "vn/x/xa a", "xã A", day(d), p, p.upper(), [f"R{i}"])
...         for i, (d, p) in enumerate([("2023-01-05", "p1"), ("2023-04-02", "p2"),
...                                     ("2023-06-01", "p1"), ("2023-09-01", "p3")])]
>>> rows += [("arrest", "RAID", "vn/x/xa a", "xã A", day("2023-10-01"), p, p.upper(), ["R9"])
...          for p in ("p1", "p2", "p3", "p4")]
>>> rows += [("arrest", "A10", "vn/x/xa a", "xã A", day("2024-01-10"), "p2", "P2", ["R10"]),
...          ("arrest", "A11", "vn/x/xa a", "xã A", day("2024-01-20"), "p7", "P7", ["R11"])]
>>> events = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
>>> hotspots(events)[["place", "periods", "events", "people"]].to_dict("records")
[{'place': 'vn/x/xa a', 'periods': 5, 'events': 7, 'people': 5}]
>>> r = reformations(events, raid_size=4).iloc[0]
>>> r["destroyed_on"], r["how"], bool(r["reformed"]), r["returning"], r["new"]
('2023-10-01', 'raid of 4 people (R9)', True, ['p2'], ['p7'])
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from netintel.errors import AnalysisError
from netintel.values import fold

__all__ = [
    "EVENT_COLUMNS",
    "HOTSPOT_COLUMNS",
    "REFORMATION_COLUMNS",
    "find_place",
    "hotspots",
    "reformations",
]

EVENT_COLUMNS = ("kind", "event", "place", "place_name", "date", "person_id", "name", "sources")
HOTSPOT_COLUMNS = (
    "place", "place_name", "periods", "events", "arrests", "seizures", "people",
    "first_seen", "last_seen", "records",
)  # fmt: skip
REFORMATION_COLUMNS = (
    "place", "place_name", "destroyed_on", "how", "reformed", "new_places", "first_after",
    "events_after", "before", "returning", "new", "returning_names", "new_names",
    "records_before", "records_after",
)  # fmt: skip
_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
WITHIN = ("place", "province")


def _records(frame: pd.DataFrame) -> list[str]:
    return sorted({r for s in frame["sources"] for r in (s if s is not None else [])})


def _dated(events: pd.DataFrame) -> pd.DataFrame:
    missing = set(EVENT_COLUMNS) - set(events.columns)
    if missing:
        raise AnalysisError(f"hotspot events lack columns {sorted(missing)}")
    ev = events.assign(date=pd.to_datetime(events["date"], errors="coerce"))
    return ev[ev["place"].notna()]


def hotspots(events: pd.DataFrame, *, period: str = "quarter", min_events: int = 2) -> pd.DataFrame:
    """Places ranked by repeated activity.

    Parameters
    ----------
    events : DataFrame
        :data:`EVENT_COLUMNS` (see the module).
    period : {"month", "quarter", "year"}
        The periods activity is counted in.
    min_events : int
        Places with fewer distinct events are left out.

    Returns
    -------
    DataFrame
        :data:`HOTSPOT_COLUMNS`, sorted by ``periods``, then ``events`` (descending), then
        ``place``; ``people`` counts distinct people, ``records`` lists the record ids.

    Raises
    ------
    AnalysisError
        An unknown ``period`` or missing columns.
    """
    if period not in _FREQ:
        raise AnalysisError(f"period must be one of {', '.join(_FREQ)}, not {period!r}")
    ev = _dated(events)
    rows = []
    for place, group in ev.groupby("place", sort=True):
        distinct = group.drop_duplicates("event")
        if len(distinct) < min_events:
            continue
        dated = distinct["date"].dropna()
        rows.append(
            (
                place,
                group["place_name"].dropna().iloc[0]
                if group["place_name"].notna().any()
                else place,
                int(dated.dt.to_period(_FREQ[period]).nunique()),
                len(distinct),
                int((distinct["kind"] == "arrest").sum()),
                int((distinct["kind"] == "seizure").sum()),
                int(group["person_id"].nunique()),
                dated.min().date().isoformat() if len(dated) else None,
                dated.max().date().isoformat() if len(dated) else None,
                _records(group),
            )
        )
    out = pd.DataFrame(rows, columns=list(HOTSPOT_COLUMNS))
    if out.empty:
        return out
    out = out.sort_values(
        ["periods", "events", "place"], ascending=[False, False, True], kind="mergesort"
    )
    return out.reset_index(drop=True)


def find_place(events: pd.DataFrame, text: str) -> str:
    """The Place id ``text`` names: an id, or a place name in any spelling (folded), which
    must name one place; :class:`AnalysisError` naming the nearest names otherwise.

    >>> ev = pd.DataFrame({"place": ["vn/nghe an/xa a", "vn/son la/xa a", "vn/x/xa b"],
    ...                    "place_name": ["xã A", "xã A", "Xã B"]})
    >>> find_place(ev, "XA B"), find_place(ev, "vn/son la/xa a")
    ('vn/x/xa b', 'vn/son la/xa a')
    >>> find_place(ev, "xa a")
    Traceback (most recent call last):
    ...
    netintel.errors.AnalysisError: place 'xa a' names 2 places: vn/nghe an/xa a, vn/son la/xa a; give the place id
    """
    places = events[["place", "place_name"]].dropna().drop_duplicates()
    if text in set(places["place"]):
        return text
    key = fold(text)
    hits = sorted(set(places.loc[places["place_name"].map(fold) == key, "place"]))
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise AnalysisError(
            f"place {text!r} names {len(hits)} places: {', '.join(hits)}; give the place id"
        )
    names = sorted(set(places["place_name"]), key=lambda n: -_overlap(fold(n), key))[:3]
    raise AnalysisError(f"no place {text!r} in the records; nearest: {', '.join(names)}")


def _overlap(a: str, b: str) -> int:
    return len(set(a.split()) & set(b.split()))


def _province(place: str) -> str:
    return "/".join(place.split("/")[:2])


def reformations(
    events: pd.DataFrame,
    destroyed: Mapping[str, object] | None = None,
    *,
    raid_size: int | None = 4,
    within: str = "place",
    days: int = 180,
) -> pd.DataFrame:
    """Destroyed hotspots watched for re-formation.

    Parameters
    ----------
    events : DataFrame
        :data:`EVENT_COLUMNS`.
    destroyed : mapping of place to date, optional
        Hotspots the analyst says were destroyed: Place ids or names (:func:`find_place`)
        to a date (``"2024-03-15"``).
    raid_size : int or None, default 4
        An arrest event of at least this many people at a place is recorded as the
        destruction of the place's hotspot (the latest such raid, where the analyst gave
        no date); ``None``: only the analyst's dates.
    within : {"place", "province"}
        Where new activity counts as re-formation: the same place, or the same province.
    days : int
        How long after the destruction new activity counts as re-formation.

    Returns
    -------
    DataFrame
        :data:`REFORMATION_COLUMNS`, one row per destroyed hotspot: ``destroyed_on``,
        ``how`` (``analyst`` or the raid and its records), ``reformed``, ``new_places``,
        ``first_after`` (date of the first new activity), ``events_after``, ``before``
        (people there before or in the raid), ``returning`` (of those, people in the new
        activity), ``new`` (people in the new activity not there before), their names, and
        the records before and after. Re-formed hotspots first, then by date.

    Raises
    ------
    AnalysisError
        An unknown ``within``, a ``days`` or ``raid_size`` below 1, a place or date that
        cannot be read.
    """
    if within not in WITHIN:
        raise AnalysisError(f"within must be one of {', '.join(WITHIN)}, not {within!r}")
    if days < 1 or (raid_size is not None and raid_size < 1):
        raise AnalysisError("days and raid_size must be whole numbers >= 1")
    ev = _dated(events)
    when: dict[str, tuple[pd.Timestamp, str]] = {}
    if raid_size is not None:
        size = ev[ev["kind"] == "arrest"].groupby(["place", "event"])["person_id"].nunique()
        for (place, event), n in size[size >= raid_size].items():
            raid = ev[ev["event"] == event]
            date = raid["date"].min()
            if pd.notna(date) and (place not in when or date > when[place][0]):
                when[place] = (date, f"raid of {n} people ({', '.join(_records(raid))})")
    for text, date in (destroyed or {}).items():
        place = find_place(ev, str(text))
        try:
            stamp = pd.Timestamp(str(date))
        except (TypeError, ValueError):
            raise AnalysisError(f"destroyed {text}: {date!r} is not a date") from None
        when[place] = (stamp, "analyst")
    names = ev.dropna(subset=["person_id"]).drop_duplicates("person_id")
    names = dict(zip(names["person_id"], names["name"], strict=True))
    rows = []
    for place, (date, how) in when.items():
        here = ev["place"] == place
        near = here if within == "place" else ev["place"].map(_province) == _province(place)
        before = ev[here & (ev["date"] <= date)]
        after = ev[near & (ev["date"] > date) & (ev["date"] <= date + pd.Timedelta(days=days))]
        old = set(before["person_id"].dropna())
        later = set(after["person_id"].dropna())
        returning, new = sorted(old & later), sorted(later - old)
        rows.append(
            (
                place,
                ev.loc[here, "place_name"].dropna().iloc[0] if here.any() else place,
                date.date().isoformat(),
                how,
                bool(after["event"].nunique()),
                sorted(set(after["place"])),
                after["date"].min().date().isoformat() if len(after) else None,
                int(after["event"].nunique()),
                sorted(old),
                returning,
                new,
                [names.get(p, p) for p in returning],
                [names.get(p, p) for p in new],
                _records(before),
                _records(after),
            )
        )
    out = pd.DataFrame(rows, columns=list(REFORMATION_COLUMNS))
    if out.empty:
        return out
    order = np.lexsort(
        (out["place"].to_numpy(), out["destroyed_on"].to_numpy(), ~out["reformed"].to_numpy())
    )
    return out.iloc[order].reset_index(drop=True)
