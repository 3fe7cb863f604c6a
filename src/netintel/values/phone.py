"""Phone numbers: E.164, read in a default region, with the region of each number's plan.

Examples
--------
>>> to_e164("0912 345 678"), to_e164("+856 20 5551 2345"), phone_region("+8562055512345")
('+84912345678', '+8562055512345', 'LA')
>>> Phone.compare("0912 345 678", "+84 912345678"), Phone.validate("12")
(1.0, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

import phonenumbers

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType

_PHONE_SEP = re.compile(r"[\s\-.()/]")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_DESCS = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "too short",
    phonenumbers.ValidationResult.TOO_LONG: "too long",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    phonenumbers.ValidationResult.INVALID_LENGTH: "wrong length",
}


@lru_cache(maxsize=512)
def _plan(region: str) -> tuple | None:
    """Compiled number plan of a region for the fast path, or None where it does not apply."""
    md = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if md is None or md.country_code is None:
        return None
    if md.national_prefix_for_parsing not in (None, md.national_prefix):
        return None
    if len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(md.country_code, ())) != 1:
        return None

    def desc(d: Any, fallback: tuple) -> tuple | None:
        if d is None or d.national_number_pattern is None:
            return None
        return re.compile(d.national_number_pattern), tuple(d.possible_length or fallback)

    general = desc(md.general_desc, ())
    if general is None:
        return None
    types = [t for t in (desc(getattr(md, n), general[1]) for n in _DESCS) if t is not None]
    return str(md.country_code), md.national_prefix, md.international_prefix, general, types


def _fast_e164(raw: str, region: str) -> str | None:
    """E.164 for the plain shapes (``+cc...``, ``00cc...``, ``0...``), else None (slow path).

    Mirrors phonenumbers' validity test (length and number-type patterns) for regions with
    a simple trunk prefix; anything unusual is left to phonenumbers itself.
    """
    s = _PHONE_SEP.sub("", raw)
    home = _plan(region)
    if s.startswith("+") or (home is not None and home[2] == "00" and s.startswith("00")):
        digits = s[1:] if s[0] == "+" else s[2:]
        if not _ASCII_DIGITS.fullmatch(digits) or digits[0] == "0":
            return None
        for n in (1, 2, 3):
            regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:n]))
            if regions:
                break
        else:
            return None
        plan = _plan(regions[0]) if len(regions) == 1 else None
        nsn = digits[n:]
    elif home is not None and home[1] and s.startswith(home[1]):
        plan, nsn = home, s[len(home[1]) :]
        if not _ASCII_DIGITS.fullmatch(nsn):
            return None
    else:
        return None
    if plan is None or not nsn or (plan[1] and nsn.startswith(plan[1])) or nsn[0] == "0":
        return None
    pattern, lengths = plan[3]
    if len(nsn) not in lengths or not pattern.fullmatch(nsn):
        return None
    for pattern, lengths in plan[4]:
        if len(nsn) in lengths and pattern.fullmatch(nsn):
            return f"+{plan[0]}{nsn}"
    return None


#: Vietnam's September 2018 renumbering of 11-digit mobile numbers: old prefix -> new prefix
#: (national significant numbers, without the trunk 0). Older records still carry old numbers.
VN_RENUMBERED = {
    "162": "32",
    "163": "33",
    "164": "34",
    "165": "35",
    "166": "36",
    "167": "37",
    "168": "38",
    "169": "39",
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    "186": "56",
    "188": "58",
    "199": "59",
}
_PHONE_CHARS = re.compile(r"[\d\s+\-.()/]+")
_SUBSCRIBER = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)


def check_region(region: str) -> str:
    """``region`` as an ISO code of a numbering plan phonenumbers knows (upper case).

    >>> check_region("la")
    'LA'
    >>> check_region("Vietnam")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: 'Vietnam' is not a phone region: give an ISO 3166 code such as VN or LA
    """
    code = str(region).strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidValueError(
            f"{region!r} is not a phone region: give an ISO 3166 code such as VN or LA"
        )
    return code


def to_e164(raw: str, default_region: str = "VN", *, strict: bool = False) -> str:
    """A phone number in E.164 form; national numbers are read in ``default_region``.

    A number is accepted when phonenumbers finds it valid, or -- unless ``strict`` -- when it
    has the length of a mobile or fixed-line number of its country: numbering plans move
    faster than any metadata table, and a record's number is evidence even in a range the
    table does not know yet. Letters are never accepted (no vanity numbers), nor a number
    too short or too long for its plan. Vietnamese 11-digit mobile numbers from before the
    2018 renumbering are converted to their current form (:data:`VN_RENUMBERED`).

    Raises
    ------
    InvalidValueError
        When the text is not a phone number of an acceptable shape, or ``default_region``
        is not a region (:func:`check_region`).

    Examples
    --------
    >>> to_e164("0912 345 678"), to_e164("+856 20 5551 2345"), to_e164("00856 20 5551 2345")
    ('+84912345678', '+8562055512345', '+8562055512345')
    >>> to_e164("020 5551 2345", default_region="LA"), to_e164("01662 345 678")
    ('+8562055512345', '+84362345678')
    >>> to_e164("0891 374 306"), Phone.validate("0891 374 306", strict=True)
    ('+84891374306', False)
    >>> to_e164("0912")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: '0912' is not a valid phone number (too short for region VN)
    """
    if default_region not in phonenumbers.SUPPORTED_REGIONS:
        default_region = check_region(default_region)
    text = str(raw).strip()
    fast = _fast_e164(text, default_region)
    if fast is not None:
        return fast
    if not _PHONE_CHARS.fullmatch(text):
        raise InvalidValueError(
            f"{text!r} is not a valid phone number (only digits, spaces, + - . ( ) /)"
        )
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise InvalidValueError(f"{text!r} is not a valid phone number") from None
    nsn = str(number.national_number)
    if number.country_code == 84 and len(nsn) == 10 and nsn[:3] in VN_RENUMBERED:
        number.national_number = int(VN_RENUMBERED[nsn[:3]] + nsn[3:])
    ok = phonenumbers.is_valid_number(number) or (
        not strict and any(phonenumbers.is_possible_number_for_type(number, t) for t in _SUBSCRIBER)
    )
    if not ok:
        why = _REASONS.get(
            phonenumbers.is_possible_number_with_reason(number), "not a number of the plan"
        )
        region = phonenumbers.region_code_for_country_code(number.country_code)
        raise InvalidValueError(f"{text!r} is not a valid phone number ({why} for region {region})")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_region(e164: str) -> str:
    """ISO region of an E.164 number's plan (``"ZZ"`` when unknown).

    >>> phone_region("+84912345678"), phone_region("+8562055512345"), phone_region("+12025550123")
    ('VN', 'LA', 'US')
    """
    digits = str(e164)[1:4]
    for n in (1, 2, 3) if digits.isdigit() else ():
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:n] or 0))
        if regions:
            if len(regions) == 1 and regions[0] != "001":
                return regions[0]
            break
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or "ZZ"
    except phonenumbers.NumberParseException:
        return "ZZ"


def phone_cleaner(default_region: str) -> Callable[[str], str]:
    """:func:`to_e164` bound to ``default_region`` (for :func:`~netintel.values.clean_series`),
    the region checked once here.

    >>> phone_cleaner("la")("020 5551 2345")
    '+8562055512345'
    """
    return partial(to_e164, default_region=check_region(default_region))


class Phone(ValueType):
    """A phone number: ``clean`` is :func:`to_e164` (default region VN), ``region`` is
    :func:`phone_region` and ``cleaner`` is :func:`phone_cleaner`; ``compare`` is 1.0 for the
    same E.164 number.
    """

    kind = "phone"
    clean = staticmethod(to_e164)
    region = staticmethod(phone_region)
    cleaner = staticmethod(phone_cleaner)

    @classmethod
    def validate(cls, raw: str, **options: Any) -> bool:
        """Whether ``raw`` is a phone number (``options`` as for :func:`to_e164`)."""
        try:
            to_e164(raw, **options)
        except ValueError:
            return False
        return True
