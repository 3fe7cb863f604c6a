"""Hotspots that are destroyed and re-form: street-level selling spots in border communes.

Planted after everything else with a random generator of their own, written as arrest
records of a file of their own (``hotspots.csv``, same columns as ``arrests.csv``), so the
four files of the other kinds stay byte-identical.

Each hotspot is a commune where a handful of regulars are arrested again and again (sellers
and users, one or two at a time), until a raid arrests four or five of them together (one
case, one day: the destruction the records show). In most hotspots the spot re-forms within
a few months: two of the regulars come back and new people join them, arrested there again.
One hotspot is destroyed for good (the control: nothing happens there after the raid).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netintel.ingest.kinds import KINDS
from netintel.synthetic._parcels import _Names
from netintel.synthetic._people import START_DATE
from netintel.values import fold

ARREST_COLUMNS = list(KINDS["arrests"].columns)
COMMUNES = (
    ("xã Mường Xén", "Nghệ An"),
    ("xã Tà Cạ", "Nghệ An"),
    ("xã Chiềng Khương", "Sơn La"),
    ("xã Lóng Sập", "Sơn La"),
    ("xã Mường Lạn", "Điện Biên"),
    ("xã Na Mèo", "Thanh Hóa"),
    ("xã Tam Hợp", "Nghệ An"),
    ("xã Phiêng Khoài", "Sơn La"),
)


def _day(day: int) -> str:
    return pd.Timestamp(START_DATE + np.timedelta64(int(day), "D")).strftime("%Y-%m-%d")


def plant_hotspots(seed: int, truth: dict) -> tuple[pd.DataFrame, dict]:
    """The hotspot arrest rows and their truth: ``hotspots`` and ``hotspot_people``.

    Parameters
    ----------
    seed : int
        The dataset's seed (the hotspots draw from a generator of their own).
    truth : dict
        The truth planted so far (its people's names are not reused): read, not changed.

    Returns
    -------
    (DataFrame, dict)
        Arrest rows (text, ``""`` for blank) and ``{"hotspots": [...], "hotspot_people":
        {...}}``.
    """
    rng = np.random.default_rng([int(seed), 23])
    taken = {fold(p["name"]) for p in truth["persons"].values()}
    taken |= {fold(p["name"]) for p in truth.get("parcel_people", {}).values()}
    names = _Names(rng, taken)
    n_spots = min(len(COMMUNES), max(3, len(truth["rings"]) // 2))
    rows: list[dict] = []
    people: dict[str, dict] = {}
    spots: list[dict] = []

    def person(role: str, spot: str, province: str) -> str:
        tid = f"TH{len(people) + 1:05d}"
        people[tid] = {
            "name": names.draw(1)[0],
            "national_id": f"0{rng.integers(10, 99)}{rng.integers(0, 10**9):09d}",
            "role": role,
            "hotspot": spot,
            "province": province,
            "record_ids": [],
        }
        return tid

    def arrest(who: list[str], day: int, place: str, province: str, case: str = "") -> list[str]:
        ids = []
        for tid in who:
            rid = f"HS-{len(rows) + 1:06d}"
            p = people[tid]
            rows.append(
                {
                    "record_id": rid,
                    "arrest_date": _day(day),
                    "name": p["name"],
                    "national_id": p["national_id"],
                    "nationality": "VN",
                    "place": place,
                    "province": province,
                    "country": "VN",
                    "case_id": case,
                    "role": ("seller", "buyer", "unknown")[int(rng.integers(0, 3))],
                    "source_ref": f"BB-{case or rid}",
                    "grading": "2BP",
                }
            )
            p["record_ids"].append(rid)
            ids.append(rid)
        return ids

    for k in range(n_spots):
        sid = f"H{k + 1:02d}"
        place, province = COMMUNES[k]
        reforms = k < n_spots - 1  # the last one is destroyed for good
        regulars = [person("regular", sid, province) for _ in range(5)]
        start = int(rng.integers(30, 500))
        day = start
        for _ in range(6):  # repeated arrests, one or two regulars at a time, distinct days
            day += int(rng.integers(20, 60))
            who = list(rng.choice(regulars, size=int(rng.integers(1, 3)), replace=False))
            arrest(who, day, place, province)
        raid_day = day + int(rng.integers(20, 60))
        extra = [person("regular", sid, province) for _ in range(int(rng.integers(1, 3)))]
        raided = [*regulars[:3], *extra]
        raid_records = arrest(raided, raid_day, place, province, case=f"VA-HS-{k + 1:02d}")
        before = sorted({*regulars, *extra})
        returning: list[str] = []
        new: list[str] = []
        reformed_on = None
        if reforms:
            returning = sorted(str(t) for t in rng.choice(before, size=2, replace=False))
            new = [person("newcomer", sid, province) for _ in range(2)]
            day = raid_day + int(rng.integers(30, 100))
            reformed_on = _day(day)
            arrest([returning[0], new[0]], day, place, province)
            day += int(rng.integers(10, 40))
            arrest([returning[1], new[1]], day, place, province)
        spots.append(
            {
                "id": sid,
                "place": place,
                "province": province,
                "destroyed_on": _day(raid_day),
                "raid_records": raid_records,
                "reforms": reforms,
                "reformed_on": reformed_on,
                "before": before,
                "returning": returning,
                "new": new,
            }
        )
    frame = pd.DataFrame(rows).reindex(columns=ARREST_COLUMNS, fill_value="").astype(str)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    return frame, {"hotspots": spots, "hotspot_people": people}
