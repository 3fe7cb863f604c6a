"""Identifiers: national IDs, passports, plates, and the loose key resolution compares."""

from __future__ import annotations

import pytest

from netintel.errors import InvalidValueError
from netintel.values import (
    NationalId,
    Passport,
    Plate,
    clean_national_id,
    clean_passport,
    clean_plate,
    identifier_key,
)


def test_identifiers():
    assert clean_national_id(" 0401-9000 1234 ") == "040190001234"
    assert clean_national_id("ab.123") == "AB123"
    with pytest.raises(InvalidValueError, match="'12#4' is not a valid national ID"):
        clean_national_id("12#4")
    assert clean_plate("29C-123.45") == "29C12345"
    assert clean_plate("29c 123 45") == "29C12345"
    with pytest.raises(InvalidValueError, match="'--' is not a valid vehicle plate"):
        clean_plate("--")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("P1234567", "P1234567"), (" pa 123 4567 ", "PA1234567"), ("B-1234567", "B1234567"),
     ("123456789", "123456789"), ("XN12345678", "XN12345678")],
)  # fmt: skip
def test_passports(raw, clean):
    assert clean_passport(raw) == clean == Passport.clean(raw)


@pytest.mark.parametrize("raw", ["PA12", "PASSPORT", "P#1234567", "1234567890123"])
def test_bad_passports_are_named(raw):
    with pytest.raises(InvalidValueError, match=f"'{raw}' is not a valid passport number"):
        clean_passport(raw)


def test_loose_keys_never_fail():
    assert identifier_key("pa-123 4567") == "PA1234567"
    assert identifier_key("12#4") == "124"
    assert identifier_key("--") is None and identifier_key(None) is None
    assert NationalId.key("0400 8700 0001") == Passport.key("040087000001")


def test_compare_counts_typos():
    assert NationalId.compare("0400-8700-0001", "040087000001") == 1.0
    assert NationalId.compare("040087000001", "040087000010") == pytest.approx(11 / 12, abs=1e-3)
    assert NationalId.compare("040087000001", "12#4") == 0.0
    assert Plate.compare("29C-123.45", "29C 12345") == 1.0
    assert Passport.compare("P1234567", "P1234576") == pytest.approx(7 / 8, abs=1e-3)
    assert (NationalId.kind, Passport.kind, Plate.kind) == ("national_id", "passport", "plate")
