"""Quantities: numbers, units, kilograms."""

from __future__ import annotations

import pytest

from netintel.errors import InvalidValueError
from netintel.values import Quantity, parse_number, to_kg, unit_factor


def test_quantities():
    assert to_kg("1.5", "kg") == 1.5
    assert to_kg("1,5", "KG") == 1.5
    assert to_kg("250", "g") == 0.25
    assert to_kg("2", "Tấn") == 2000.0
    assert to_kg("3", "bánh") == pytest.approx(1.05)
    assert to_kg("1", "lb") == pytest.approx(0.45359237)
    assert to_kg("5000", "viên") is None
    assert to_kg("5000", "Tablets") is None
    with pytest.raises(InvalidValueError, match="'bags' is not a known unit"):
        to_kg("1", "bags")


@pytest.mark.parametrize(
    ("bad", "message"),
    [("abc", "'abc' is not a number"), ("-3", "'-3' is negative"), ("1,500.5", "'1,500.5'"),
     ("nan", "'nan' is not a number"), ("inf", "'inf' is not a number")],
)  # fmt: skip
def test_bad_numbers_are_named(bad, message):
    with pytest.raises(InvalidValueError, match=message):
        parse_number(bad)


def test_quantity_type():
    assert Quantity.clean(" 1,5 ") == 1.5
    assert Quantity.unit("KG.") == unit_factor("kilo") == 1.0
    assert Quantity.kg(2, "bánh") == pytest.approx(0.7)
    assert Quantity.compare("2", "2.0") == 1.0
    assert Quantity.compare("2", "2.5") == pytest.approx(0.8)
    assert Quantity.compare("0", "0") == 1.0
    assert Quantity.compare("2", "x") == 0.0
    assert not Quantity.validate("-1")
