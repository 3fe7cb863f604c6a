"""The value-type protocol, missing values, column cleaning, the registry."""

from __future__ import annotations

import pandas as pd

from netintel.errors import InvalidValueError
from netintel.values import TYPES, ValueType, clean_series, is_missing, missing_to_none, to_e164


def test_missing_values():
    assert [is_missing(v) for v in (None, float("nan"), " N/A ", "--", "Na", "0")] == [
        True, True, True, True, False, False
    ]  # fmt: skip
    series = pd.Series(["x", "NULL", "None", "-", None], dtype="str")
    assert missing_to_none(series).isna().tolist() == [False, True, True, True, True]


def test_clean_series_cleans_each_distinct_value_once():
    calls = []

    def cleaner(value):
        calls.append(value)
        return to_e164(value)

    series = pd.Series(["0912 345 678", "0912 345 678", None, "12", "12"])
    cleaned, errors = clean_series(series, cleaner)
    assert sorted(calls) == ["0912 345 678", "12"]
    assert cleaned.tolist() == ["+84912345678", "+84912345678", None, None, None]
    assert errors.notna().tolist() == [False, False, False, True, True]
    assert "'12' is not a valid phone number" in errors[3]


def test_every_type_keeps_the_protocol():
    samples = {
        "text": ("12 Trần Phú", "\u200b"),
        "name": ("Nguyễn Văn Hùng", " "),
        "phone": ("0912 345 678", "12"),
        "date": ("14/05/1987", "31/02/1987"),
        "quantity": ("1,5", "-1"),
        "national_id": ("0400-8700-0001", "12#4"),
        "passport": ("PA1234567", "PA12"),
        "plate": ("29C-123.45", "--"),
        "country": ("Lào", "Atlantis"),
        "role": ("leader", "boss"),
        "grading": ("1-a-p", "B3"),
    }
    assert set(TYPES) == set(samples)
    for kind, (good, bad) in samples.items():
        vtype = TYPES[kind]
        assert issubclass(vtype, ValueType) and vtype.kind == kind
        assert vtype.validate(good) and not vtype.validate(bad), kind
        assert vtype.compare(good, good) == 1.0, kind
        assert vtype.compare(good, bad) == 0.0, kind
        try:
            vtype.clean(bad)
        except InvalidValueError as e:
            assert repr(bad.strip()) in str(e) or repr(bad) in str(e), (kind, str(e))
        else:
            raise AssertionError(f"{kind}: {bad!r} was cleaned")
