"""Countries: ISO codes from codes and names."""

from __future__ import annotations

import pytest

from netintel.errors import InvalidValueError
from netintel.values import Country, country_name, to_country


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Việt Nam", "VN"),
        ("VN", "VN"),
        ("vnm", "VN"),
        ("Laos", "LA"),
        ("Lao PDR", "LA"),
        ("Lào", "LA"),
        ("LA", "LA"),
        ("Thailand", "TH"),
        ("TH", "TH"),
        ("China", "CN"),
        ("Trung Quốc", "CN"),
        ("Cambodia", "KH"),
        ("KH", "KH"),
        ("Myanmar", "MM"),
        ("Burma", "MM"),
        ("MM", "MM"),
        ("Malaysia", "MY"),
        ("UK", "GB"),
    ],
)
def test_countries(raw, code):
    assert to_country(raw) == code


def test_unknown_countries_are_named():
    with pytest.raises(InvalidValueError, match="'Atlantis' is not a recognised country"):
        to_country(" Atlantis ")


def test_country_type():
    assert Country.compare("Lào", "LAO") == 1.0
    assert Country.compare("Lào", "Vietnam") == 0.0
    assert Country.name("LA") == country_name("LA") == "Laos"
    assert country_name("XX") == "XX"
