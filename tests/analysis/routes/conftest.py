"""Route tables shaped like the store's: a small place hierarchy, three gates, and seizures."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from netintel.project.routes import RouteTables

PLACES = [
    ("vn", "Vietnam", "country", "VN", None),
    ("la", "Laos", "country", "LA", None),
    ("vn/nghe an", "Nghệ An", "province", "VN", "vn"),
    ("vn/nghe an/huyen ky son", "huyện Kỳ Sơn", "district", "VN", "vn/nghe an"),
    ("vn/nghe an/huyen ky son/xa muong xen", "xã Mường Xén", "commune", "VN",
     "vn/nghe an/huyen ky son"),
    ("vn/ha noi", "Hà Nội", "province", "VN", "vn"),
    ("vn/ha giang", "Hà Giang", "province", "VN", "vn"),
    ("vn/tuyen quang", "Tuyên Quang", "province", "VN", "vn"),
    ("vn/ha tinh", "Hà Tĩnh", "province", "VN", "vn"),
    ("vn/atlantis", "Atlantis", "province", "VN", "vn"),
    ("la/xiangkhouang", "Xiangkhouang", "province", "LA", "la"),
    ("la/bolikhamxay", "Bolikhamxay", "province", "LA", "la"),
]  # fmt: skip

GATES = pd.DataFrame(
    {
        "id": ["gate:vn/nam can", "gate:vn/cau treo", "gate:vn/thanh thuy"],
        "name": ["Cửa khẩu Nậm Cắn", "Cau Treo", "Thanh Thuy"],
        "country": ["VN", "VN", "VN"],
        "places": [["vn/nghe an"], ["vn/ha tinh"], ["vn/ha giang"]],
    }
)


def _tables(rows: list[tuple], arrests: list[tuple] | None = None) -> RouteTables:
    """Seizures ``(id, date, drug, kg, origin, gate, place, destination)``."""
    sz = pd.DataFrame(
        rows,
        columns=["seizure_id", "first_seen", "drug", "quantity_kg", "origin", "gate", "place",
                 "destination"],
    )  # fmt: skip
    sz["last_seen"] = sz["first_seen"]
    places = pd.DataFrame(PLACES, columns=["id", "name", "level", "country", "parent"])
    frame = pd.DataFrame(
        arrests or [], columns=["person_id", "name", "role", "seizure_id", "evidence"]
    )
    return RouteTables(sz, places, GATES.copy(), frame)


X, B = "la/xiangkhouang", "la/bolikhamxay"
NC, CT = "gate:vn/nam can", "gate:vn/cau treo"
KS, XA = "vn/nghe an/huyen ky son", "vn/nghe an/huyen ky son/xa muong xen"


@pytest.fixture
def route_tables() -> Callable[..., RouteTables]:
    """Factory: ``route_tables(rows, arrests=None)``, seizures ``(id, date, drug, kg, origin,
    gate, place, destination)`` and arrests ``(person_id, name, role, seizure_id, evidence)``."""
    return _tables


@pytest.fixture
def known() -> RouteTables:
    """Nậm Cắn to Hà Nội: 4 seizures over 4 quarters, rising; Cầu Treo: 2 heavy ones."""
    return _tables(
        [
            ("S1", "2022-01-05", "heroin", 1.0, X, NC, XA, "vn/ha noi"),
            ("S2", "2022-07-05", "heroin", 1.0, X, NC, KS, "vn/ha noi"),
            ("S3", "2022-10-05", "heroin", 1.0, X, NC, "vn/nghe an", "vn/ha noi"),
            ("S4", "2022-10-20", "methamphetamine", 2.0, X, NC, "vn/nghe an", "vn/ha noi"),
            ("S5", "2022-01-10", "methamphetamine", 30.0, B, CT, "vn/ha tinh", "vn/ha noi"),
            ("S6", "2022-01-11", "methamphetamine", 20.0, B, CT, "vn/ha tinh", "vn/ha noi"),
            ("S7", "2022-04-01", "cannabis", 0.1, None, None, "vn/ha noi", None),
        ],
        arrests=[
            ("P1", "Lầu Bá Chò", "organizer", "S1", ["A-1"]),
            ("P1", "Lầu Bá Chò", "organizer", "S3", ["A-3"]),
            ("P2", "Vàng A Sử", "courier", "S3", ["A-4"]),
            ("P3", "Noy Vongsa", "courier", "S5", ["A-5"]),
        ],
    )
