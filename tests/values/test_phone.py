"""Phone numbers: E.164 in a default region, the renumbering, strictness, the fast path."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from netintel.errors import InvalidValueError, NetIntelError
from netintel.values import Phone, check_region, phone_cleaner, phone_region, to_e164
from netintel.values.phone import _fast_e164


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0912 345 678", "VN", "+84912345678"),
        ("091.234.5678", "VN", "+84912345678"),
        ("+84 (0) 912 345 678", "VN", "+84912345678"),
        ("+856 20 5551 2345", "VN", "+8562055512345"),
        ("00856 20 5551 2345", "VN", "+8562055512345"),
        ("020 5551 2345", "LA", "+8562055512345"),
        ("01662 345 678", "VN", "+84362345678"),  # pre-2018 Vietnamese mobile number
        ("+66 81 234 5678", "VN", "+66812345678"),
    ],
)
def test_to_e164(raw, region, expected):
    assert to_e164(raw, default_region=region) == expected


def test_vietnamese_and_lao_numbers_stay_distinct():
    vn, la = to_e164("0205 551 2345"), to_e164("+856 20 5551 2345")
    assert vn != la
    assert (phone_region(vn), phone_region(la)) == ("VN", "LA")


@pytest.mark.parametrize(
    "raw", ["12", "0912", "12ab", "09x1234", "+84 12ab 345", "abc", "+999 1234"]
)
def test_invalid_phones_raise_with_the_value(raw):
    with pytest.raises(InvalidValueError, match="not a valid phone number") as info:
        to_e164(raw)
    assert repr(raw.strip()) in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, NetIntelError)


def test_strict_phone_validation_only_accepts_known_ranges():
    assert to_e164("0891 374 306") == "+84891374306"
    assert not Phone.validate("0891 374 306", strict=True)


def test_regions_are_checked_and_named():
    assert check_region(" la ") == "LA"
    assert phone_cleaner("la")("020 5551 2345") == "+8562055512345"
    assert to_e164("0912 345 678", default_region="vn") == "+84912345678"
    for bad in ("Vietnam", "XX", ""):
        with pytest.raises(InvalidValueError, match=f"{bad!r} is not a phone region"):
            phone_cleaner(bad)
        with pytest.raises(InvalidValueError, match="is not a phone region"):
            to_e164("0912 345 678", default_region=bad)


def test_phone_type():
    assert Phone.clean("0912 345 678") == "+84912345678"
    assert Phone.compare("0912 345 678", "+84 912345678") == 1.0
    assert Phone.compare("0912 345 678", "0912 345 679") == 0.0
    assert Phone.compare("0912 345 678", "12") == 0.0
    assert Phone.region("+8562055512345") == "LA"
    assert Phone.kind == "phone"


def test_fast_path_agrees_with_phonenumbers():
    rng = random.Random(7)
    prefixes = ["+84", "+856", "0", "00856", "0084", "+66", "+86", "+1", "+39", "00", "+855"]
    for region in ("VN", "LA", "TH"):
        for _ in range(4000):
            raw = rng.choice(prefixes) + "".join(
                rng.choice("0123456789") for _ in range(rng.randint(6, 12))
            )
            fast = _fast_e164(raw, region)
            if fast is None:
                continue
            number = phonenumbers.parse(raw, region)
            assert phonenumbers.is_valid_number(number), raw
            assert fast == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
