"""Value types: names, phones, dates, quantities, identifiers, countries, roles."""

from __future__ import annotations

import datetime as dt
import random

import phonenumbers
import pytest

from netintel.values import (
    Name,
    PartialDate,
    Phone,
    _fast_e164,
    clean_name,
    clean_national_id,
    clean_plate,
    clean_role,
    name_key,
    parse_number,
    phone_region,
    to_country,
    to_e164,
    to_kg,
)


def test_name_keys_fold_diacritics_case_and_spacing():
    variants = ["Nguyễn Văn Hùng", "Nguyen Van Hung", "NGUYEN  VAN HUNG", "Nguye\u0303n Văn Hùng"]
    assert {name_key(v) for v in variants} == {"nguyen van hung"}
    assert name_key("Đặng Thị Đào") == "dang thi dao"
    assert name_key("ສົມພອນ") == name_key(" ສົມພອນ ") != ""  # Lao script is romanised


def test_clean_name_is_nfc_and_otherwise_verbatim():
    decomposed = "Nguyê\u0303n\u00a0 Văn\u200bHùng"
    assert clean_name(decomposed) == "Nguyễn VănHùng"
    hostile = "x'}) DETACH DELETE n //"
    assert clean_name(hostile) == hostile
    with pytest.raises(ValueError):
        clean_name("  ")


def test_name_compare_ignores_order_and_accents():
    assert Name.compare("Nguyễn Văn Hùng", "hung nguyen van") == 1.0
    assert Name.compare("Nguyễn Văn Hùng", "Trần Thị Lan") < 0.6


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
    with pytest.raises(ValueError, match="not a valid phone number"):
        to_e164(raw)


def test_strict_phone_validation_only_accepts_known_ranges():
    assert to_e164("0891 374 306") == "+84891374306"
    assert not Phone.validate("0891 374 306", strict=True)


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


@pytest.mark.parametrize(
    ("raw", "iso", "first", "last"),
    [
        ("1987", "1987", dt.date(1987, 1, 1), dt.date(1987, 12, 31)),
        ("1987-05", "1987-05", dt.date(1987, 5, 1), dt.date(1987, 5, 31)),
        ("02/2024", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("1987-05-14", "1987-05-14", dt.date(1987, 5, 14), dt.date(1987, 5, 14)),
        ("05/04/2024", "2024-04-05", dt.date(2024, 4, 5), dt.date(2024, 4, 5)),  # day first
        ("05-04-2024", "2024-04-05", dt.date(2024, 4, 5), dt.date(2024, 4, 5)),
        ("2024-05-10 21:14", "2024-05-10", dt.date(2024, 5, 10), dt.date(2024, 5, 10)),
    ],
)
def test_partial_dates(raw, iso, first, last):
    d = PartialDate.parse(raw)
    assert (d.iso, d.first_day, d.last_day) == (iso, first, last)


@pytest.mark.parametrize(
    "raw", ["31/02/2024", "2024-13-07", "00/05/2024", "32/12/2022", "14 May", "1850"]
)
def test_invalid_dates(raw):
    with pytest.raises(ValueError, match="not a valid date"):
        PartialDate.parse(raw)


def test_quantities():
    assert to_kg("1.5", "kg") == 1.5
    assert to_kg("1,5", "KG") == 1.5
    assert to_kg("250", "g") == 0.25
    assert to_kg("2", "Tấn") == 2000.0
    assert to_kg("3", "bánh") == pytest.approx(1.05)
    assert to_kg("1", "lb") == pytest.approx(0.45359237)
    assert to_kg("5000", "viên") is None
    assert to_kg("5000", "Tablets") is None
    with pytest.raises(ValueError, match="not a known unit"):
        to_kg("1", "bags")
    for bad in ("abc", "-3", "1,500.5"):
        with pytest.raises(ValueError):
            parse_number(bad)


def test_identifiers():
    assert clean_national_id(" 0401-9000 1234 ") == "040190001234"
    assert clean_national_id("ab.123") == "AB123"
    with pytest.raises(ValueError):
        clean_national_id("12#4")
    assert clean_plate("29C-123.45") == "29C12345"
    assert clean_plate("29c 123 45") == "29C12345"
    with pytest.raises(ValueError):
        clean_plate("--")


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


def test_roles_and_synonyms():
    assert clean_role("Organizer") == "organizer"
    assert clean_role("organiser") == "organizer"
    assert clean_role("leader") == "organizer"
    assert clean_role("Cầm đầu") == "organizer"
    assert clean_role("vận chuyển") == "courier"
    for slang in ("boss", "mule", "driver?"):
        with pytest.raises(ValueError, match="not a known role"):
            clean_role(slang)
