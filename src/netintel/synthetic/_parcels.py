"""Parcel chains: sender rings that move drugs by express delivery and post.

Planted after everything else, with a random generator of their own (seeded from the
dataset's seed), so the four files of the other kinds stay byte-identical with or without
them.

A parcel ring is a few senders in a border province, a drop-off runner who hands parcels in
for them under no name (only the ring's phones on those waybills tie them to it: the runner
is not among the members a ring must be found with), and recipients in the cities; the ring's phones are shared
across its waybills (the runner writes one of the senders' numbers), and its stash address
is the sender address of many of them. One recipient is a member of a planted Vietnamese
trafficking ring: the parcels reach the network. Ordinary parcels between unrelated people
are the noise around them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netintel.ingest.kinds import KINDS
from netintel.synthetic import _names
from netintel.synthetic._people import N_DAYS, START_DATE
from netintel.values import fold

SHIPMENT_COLUMNS = list(KINDS["shipments"].columns)
#: The couriers as written by their exports (several spellings of each).
COURIERS = (
    ("Viettel Post", "viettelpost", "VIETTEL POST"),
    ("GHN", "Giao hàng nhanh"),
    ("J&T Express", "J&T"),
    ("VNPost", "Bưu điện"),
)
SENDER_PROVINCES = ("Nghệ An", "Sơn La", "Điện Biên", "Thanh Hóa", "Hà Tĩnh", "Quảng Trị")
CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Quảng Ninh")
CONTENTS = ("quần áo", "trà", "cà phê", "bánh kẹo", "mỹ phẩm", "đồ chơi", "sách", "gia vị")
STREETS = ("Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hàng Bạc", "Lý Thường Kiệt", "Hai Bà Trưng")


def _phone(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        e164 = f"+849{rng.integers(0, 10)}{rng.integers(0, 10_000_000):07d}"
        if e164 not in used:
            used.add(e164)
            return e164


def _written(rng: np.random.Generator, e164: str) -> str:
    local = "0" + e164[3:]
    return (e164, local, f"{local[:4]} {local[4:7]} {local[7:]}")[rng.integers(0, 3)]


def _date(rng: np.random.Generator, day: int) -> str:
    d = pd.Timestamp(START_DATE + np.timedelta64(int(day), "D"))
    return d.strftime("%Y-%m-%d") if rng.random() < 0.6 else d.strftime("%d/%m/%Y")


def _address(rng: np.random.Generator, place: str) -> str:
    return f"{rng.integers(1, 200)} {STREETS[rng.integers(0, len(STREETS))]}, {place}"


class _Names:
    """Names distinct (folded) from every planted person's and from each other."""

    def __init__(self, rng: np.random.Generator, taken: set[str]) -> None:
        self.rng, self.taken = rng, set(taken)

    def draw(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            female = self.rng.random(n) < 0.4
            lao, hmong = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
            for name in _names.make_names(self.rng, lao, female, hmong):
                if fold(name) not in self.taken and len(out) < n:
                    self.taken.add(fold(name))
                    out.append(name)
        return out


def plant_parcels(seed: int, truth: dict) -> tuple[pd.DataFrame, dict]:
    """The shipments file and its truth: ``parcel_rings`` and ``parcel_people``.

    Parameters
    ----------
    seed : int
        The dataset's seed (the parcels draw from a generator of their own).
    truth : dict
        The truth of the other kinds (planted people, rings): read, not changed.

    Returns
    -------
    (DataFrame, dict)
        The shipment rows (text, ``""`` for blank) and ``{"parcel_rings": [...],
        "parcel_people": {...}}``.
    """
    rng = np.random.default_rng([int(seed), 17])
    persons, rings = truth["persons"], truth["rings"]
    names = _Names(rng, {fold(p["name"]) for p in persons.values()})
    used = {ph for p in persons.values() for ph in p.get("phones", [])}
    vn_rings = [r for r in rings if r["side"] == "VN"] or rings
    n_rings = max(2, len(rings) // 3)
    rows: list[dict] = []
    people: dict[str, dict] = {}
    planted: list[dict] = []

    def person(name: str, role: str, ring: str, province: str, phone: str) -> str:
        tid = f"TP{len(people) + 1:05d}"
        people[tid] = {
            "name": name,
            "role": role,
            "parcel_ring": ring,
            "province": province,
            "phones": [phone],
            "record_ids": [],
        }
        return tid

    def waybill(courier: tuple[str, ...]) -> str:
        prefix = {"Viettel Post": "VTP", "GHN": "GHN", "J&T Express": "JT", "VNPost": "EE"}
        return f"{prefix[courier[0]]}{len(rows) + 1:08d}"

    for k in range(n_rings):
        rid = f"PR{k + 1:02d}"
        home = SENDER_PROVINCES[k % len(SENDER_PROVINCES)]
        target = vn_rings[k % len(vn_rings)]
        inside = [target.get("leader"), *target.get("lieutenants", []), *target.get("members", [])]
        inside = [t for t in inside if t in persons]
        link = inside[int(rng.integers(1, len(inside)))] if len(inside) > 1 else inside[0]
        couriers = [COURIERS[(k + i) % len(COURIERS)] for i in range(2)]
        n_send, n_recv = int(rng.integers(2, 4)), int(rng.integers(3, 5))
        drawn = names.draw(n_send + 1 + n_recv)
        ring_phones = [_phone(rng, used) for _ in range(2)]
        senders = [
            person(n, "sender", rid, home, ring_phones[i % 2]) for i, n in enumerate(drawn[:n_send])
        ]
        runner = person(drawn[n_send], "runner", rid, home, _phone(rng, used))
        recipients = []
        for n in drawn[n_send + 1 :]:
            city = CITIES[int(rng.integers(0, len(CITIES)))]
            recipients.append(person(n, "recipient", rid, city, _phone(rng, used)))
            people[recipients[-1]]["address"] = _address(rng, city)
        stash = _address(rng, home)
        start = int(rng.integers(0, N_DAYS - 200))
        link_phone = (persons[link].get("phones") or [_phone(rng, used)])[0]
        targets = [*recipients, link]
        waybills: list[str] = []
        for i in range(int(rng.integers(12, 17))):
            courier = couriers[i % 2]
            who = [*senders, runner][int(rng.integers(0, n_send + 1))]
            to = (
                targets[i % len(targets)]
                if i < len(targets)
                else targets[int(rng.integers(0, len(targets)))]
            )
            unnamed = who == runner or rng.random() < 0.3
            phone = (
                ring_phones[int(rng.integers(0, 2))] if who == runner else people[who]["phones"][0]
            )
            is_link = to == link
            to_name = persons[link]["name"] if is_link else people[to]["name"]
            to_phone = link_phone if is_link else people[to]["phones"][0]
            city = people[to]["province"] if not is_link else CITIES[k % len(CITIES)]
            wb = waybill(courier)
            rows.append(
                {
                    "waybill": wb,
                    "courier": courier[int(rng.integers(0, len(courier)))],
                    "date": _date(rng, start + int(rng.integers(0, 200))),
                    "sender_name": "" if unnamed else people[who]["name"],
                    "sender_phone": _written(rng, phone),
                    "sender_address": stash if rng.random() < 0.6 else "",
                    "recipient_name": to_name,
                    "recipient_phone": _written(rng, to_phone),
                    "recipient_address": "" if is_link else people[to].get("address", ""),
                    "origin_province": home,
                    "origin_country": "VN",
                    "destination_province": city,
                    "destination_country": "VN",
                    "contents": CONTENTS[int(rng.integers(0, len(CONTENTS)))],
                    "weight_kg": f"{rng.uniform(0.3, 3.0):.1f}",
                    "source_ref": f"CV-{k + 1:03d}/PC04",
                    "grading": "2BP",
                }
            )
            waybills.append(wb)
            if not unnamed:
                people[who]["record_ids"].append(wb)
            if not is_link:
                people[to]["record_ids"].append(wb)
        planted.append(
            {
                "id": rid,
                "province": home,
                "members": [*senders, *recipients],
                "senders": senders,
                "runner": runner,
                "recipients": recipients,
                "phones": ring_phones,
                "couriers": [c[0] for c in couriers],
                "link": link,
                "link_ring": target["id"],
                "waybills": waybills,
            }
        )
    # ordinary parcels: one sender, one recipient, nothing shared
    n_noise = max(10, 2 * len(rows))
    drawn = names.draw(2 * n_noise)
    for i in range(n_noise):
        home = SENDER_PROVINCES[int(rng.integers(0, len(SENDER_PROVINCES)))]
        city = CITIES[int(rng.integers(0, len(CITIES)))]
        courier = COURIERS[int(rng.integers(0, len(COURIERS)))]
        s = person(drawn[2 * i], "noise", "", home, _phone(rng, used))
        r = person(drawn[2 * i + 1], "noise", "", city, _phone(rng, used))
        wb = waybill(courier)
        rows.append(
            {
                "waybill": wb,
                "courier": courier[0],
                "date": _date(rng, int(rng.integers(0, N_DAYS))),
                "sender_name": people[s]["name"],
                "sender_phone": _written(rng, people[s]["phones"][0]),
                "sender_address": _address(rng, home),
                "recipient_name": people[r]["name"],
                "recipient_phone": _written(rng, people[r]["phones"][0]),
                "recipient_address": _address(rng, city),
                "origin_province": home,
                "origin_country": "VN",
                "destination_province": city,
                "destination_country": "VN",
                "contents": CONTENTS[int(rng.integers(0, len(CONTENTS)))],
                "weight_kg": f"{rng.uniform(0.2, 5.0):.1f}",
                "source_ref": "CV-900/PC04",
                "grading": "",
            }
        )
        people[s]["record_ids"].append(wb)
        people[r]["record_ids"].append(wb)
    frame = pd.DataFrame(rows).reindex(columns=SHIPMENT_COLUMNS, fill_value="").astype(str)
    order = rng.permutation(len(frame))
    frame = frame.iloc[order].reset_index(drop=True)
    return frame, {"parcel_rings": planted, "parcel_people": people}
