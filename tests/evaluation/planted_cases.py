"""A hand-made planted truth and the graph people ingest would make of it, shared by the
truth and metrics tests (plain functions: a conftest.py here would clash with the other
conftest.py files of the suite under pytest's doctest collection)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def planted_truth() -> dict:
    """Two leaders, a broker and a decoy; Hùng has a planted spelling variant."""
    persons = {
        "T1": {
            "name": "Nguyễn Văn Hùng",
            "national_id": "040085001234",
            "role": "leader",
            "rings": ["R01"],
            "record_ids": ["ARR-1", "ARR-2", "LNK-1"],
        },
        "T2": {
            "name": "Souksavanh Phommachanh",
            "national_id": "09-1234567",
            "role": "leader",
            "rings": ["R02"],
            "record_ids": ["ARR-3", "LNK-1", "LNK-2"],
        },
        "T3": {
            "name": "Trần Thị Lan",
            "national_id": "040188004321",
            "role": "broker",
            "rings": ["R01", "R02"],
            "record_ids": ["ARR-4", "LNK-2"],
        },
        "T4": {
            "name": "Lê Văn Tý",
            "national_id": "040090000001",
            "role": "decoy",
            "rings": [],
            "record_ids": ["ARR-5"],
        },
        "T5": {
            "name": "Vừ Bá Chò",
            "national_id": "040092000002",
            "role": "courier",
            "rings": ["R01"],
            "record_ids": ["ARR-6"],
        },
    }
    return {
        "leaders": ["T1", "T2"],
        "brokers": ["T3"],
        "decoys": ["T4"],
        "persons": persons,
        "rings": [{"id": "R01", "side": "VN"}, {"id": "R02", "side": "LA"}],
        "duplicates": {"T1": [{"record_id": "ARR-2", "name": "Hung Nguyen Van"}]},
        "corridors": [
            {"gate": "Nam Can", "destination": "Hanoi"},
            {"gate": "Tay Trang", "destination": "Hanoi"},
        ],
    }


def graph_people() -> pd.DataFrame:
    """Graph people as ingest would key them: Hùng split in two by a variant without id."""
    return pd.DataFrame(
        {
            "person_id": ["p-hung", "p-hung-variant", "p-souk", "p-lan", "p-ty", "p-cho", "p-x"],
            "name": [
                "Nguyễn Văn Hùng",
                "Hung Nguyen Van",
                "Souksavanh Phommachanh",
                "Trần Thị Lan",
                "Lê Văn Tý",
                "Vừ Bá Chò",
                "Nobody",
            ],
            "national_id": [
                "040085001234",
                None,
                "09-1234567",
                "040188004321",
                None,
                "040092000002",
                None,
            ],
            "sources": [
                ["ARR-1", "LNK-1"],
                ["ARR-2"],
                np.array(["ARR-3", "LNK-1", "LNK-2"]),
                ["LNK-2"],
                ["ARR-5"],
                [],
                ["SZ-000001"],
            ],
        }
    )
