"""Identifiers: national ID numbers, passport numbers and vehicle plates.

Each cleans to upper-case letters and digits, separators removed. They are the
deterministic keys of ingest (a Person with a national ID is keyed by it) and of entity
resolution (which compares them allowing one typo: :func:`~netintel.values.text.one_edit_apart`).

Examples
--------
>>> clean_national_id(" 0401-9000 1234 "), clean_passport("pa 123 4567"), clean_plate("29C-123.45")
('040190001234', 'PA1234567', '29C12345')
>>> NationalId.compare("040087000001", "040087000010"), NationalId.compare("0400", "9999")
(0.917, 0.0)
"""

from __future__ import annotations

import re

from unidecode import unidecode

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType
from netintel.values.text import edit_distance

_ID_SEP = re.compile(r"[\s\-./]+")
_ID_OK = re.compile(r"[0-9A-Z]+")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_PASSPORT_OK = re.compile(r"[A-Z]{0,2}[0-9]{6,9}|[A-Z]{1,2}[0-9A-Z]{5,9}[0-9]")


def clean_national_id(raw: str) -> str:
    """National ID: spaces, dashes, dots and slashes removed, upper-case, letters and digits only.

    >>> clean_national_id(" 0401-9000 1234 "), clean_national_id("ab.123")
    ('040190001234', 'AB123')
    """
    text = _ID_SEP.sub("", str(raw)).upper()
    if not _ID_OK.fullmatch(text):
        raise InvalidValueError(
            f"{str(raw).strip()!r} is not a valid national ID (letters and digits only)"
        )
    return text


def clean_passport(raw: str) -> str:
    """Passport number: spaces, dashes, dots and slashes removed, upper case.

    Accepted loosely: one or two letters, then 6-9 digits (Vietnamese ``P1234567``, Lao
    ``PA1234567``), or digits only; other letter-and-digit mixes of 6 to 11 characters that
    start with a letter and end with a digit pass too (other countries' forms). Anything
    else (letters only, punctuation, too short or long) is an error.

    >>> clean_passport(" pa 123 4567 "), clean_passport("P-1234567")
    ('PA1234567', 'P1234567')
    >>> clean_passport("PA12")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: 'PA12' is not a valid passport number (expected letters then digits, like P1234567 or PA1234567)
    """
    text = _ID_SEP.sub("", str(raw)).upper()
    if not _PASSPORT_OK.fullmatch(text):
        raise InvalidValueError(
            f"{str(raw).strip()!r} is not a valid passport number "
            "(expected letters then digits, like P1234567 or PA1234567)"
        )
    return text


def clean_plate(raw: str) -> str:
    """Vehicle plate: folded, upper-case, separators removed; must contain a digit.

    >>> clean_plate("29C-123.45"), clean_plate("lào 7A 1234")
    ('29C12345', 'LAO7A1234')
    """
    text = re.sub(r"[^0-9A-Z]", "", unidecode(str(raw)).upper())
    if len(text) < 2 or not any(c.isdigit() for c in text):
        raise InvalidValueError(f"{str(raw).strip()!r} is not a valid vehicle plate")
    return text


def identifier_key(value: object) -> str | None:
    """Loose match key of any identifier: its letters and digits, upper case; ``None`` when
    there are none (or for a value that is not text). Never an error: for comparing
    identifiers from any table, cleaned or not.

    >>> identifier_key("pa-123 4567"), identifier_key("12#4"), identifier_key("--"), identifier_key(None)
    ('PA1234567', '124', None, None)
    """
    if not isinstance(value, str):
        return None
    return _NOT_ALNUM.sub("", value).upper() or None


class Identifier(ValueType):
    """Base of the identifier types: ``key`` is :func:`identifier_key`; ``compare`` is
    ``1 - edits / length`` of the cleaned values (a typo in a 12-digit ID: 0.917), rounded
    to 3 places; 0.0 when either is invalid."""

    kind = "identifier"
    key = staticmethod(identifier_key)

    @classmethod
    def compare_cleaned(cls, x: str, y: str) -> float:
        """Similarity of the cleaned identifiers (see the class docstring)."""
        return round(1.0 - edit_distance(x, y) / max(len(x), len(y)), 3)


class NationalId(Identifier):
    """A national identity number (:func:`clean_national_id`)."""

    kind = "national_id"
    clean = staticmethod(clean_national_id)


class Passport(Identifier):
    """A passport number (:func:`clean_passport`)."""

    kind = "passport"
    clean = staticmethod(clean_passport)


class Plate(Identifier):
    """A vehicle registration plate (:func:`clean_plate`)."""

    kind = "plate"
    clean = staticmethod(clean_plate)
