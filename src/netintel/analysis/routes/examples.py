"""A tiny hand-made set of route tables, for the examples and tests of the routes wing."""

from __future__ import annotations

import pandas as pd

from netintel.project.routes import RouteTables

__all__ = ["example_tables"]


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
