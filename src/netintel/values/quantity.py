"""Quantities seized: a non-negative number and a unit, in kilograms where the unit has a mass.

Examples
--------
>>> to_kg("1.5", "kg"), to_kg(500, "g"), to_kg(2, "bánh"), to_kg(10000, "viên")
(1.5, 0.5, 0.7, None)
>>> Quantity.clean(" 1,5 "), round(Quantity.compare("2", "2.5"), 2)
(1.5, 0.8)
"""

from __future__ import annotations

import re

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType
from netintel.values.text import fold

#: Kilograms per unit, keyed by the folded unit text. A heroin "bánh" (cake, block) is taken as
#: 350 g, the customary weight used in Vietnamese seizure reports.
UNIT_KG: dict[str, float] = {
    **dict.fromkeys(("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "ki"), 1.0),
    **dict.fromkeys(("g", "gr", "gram", "grams", "gam", "gramme", "grammes"), 1e-3),
    **dict.fromkeys(("mg", "milligram", "milligrams"), 1e-6),
    **dict.fromkeys(("t", "tonne", "tonnes", "ton", "tons", "tan"), 1000.0),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), 0.45359237),
    **dict.fromkeys(("oz", "ounce", "ounces"), 0.028349523125),
    **dict.fromkeys(("banh", "cake", "cakes"), 0.35),
}
#: Countable units: a quantity of them has no mass of its own (``quantity_kg`` stays empty).
COUNT_UNITS = frozenset(
    "tablet tablets tab tabs pill pills vien capsule capsules vial vials ampoule ampoules ong "
    "piece pieces pcs".split()
)


def unit_factor(unit: str) -> float | None:
    """Kilograms per ``unit`` (``None`` for countable units), case and diacritics ignored.

    >>> unit_factor("Tấn"), unit_factor("viên"), unit_factor("KG.")
    (1000.0, None, 1.0)
    """
    key = fold(unit).replace(" ", "").rstrip(".")
    if key in UNIT_KG:
        return UNIT_KG[key]
    if key in COUNT_UNITS:
        return None
    raise InvalidValueError(
        f"{str(unit).strip()!r} is not a known unit (kg, g, mg, t, lb, oz, bánh, tablets)"
    )


#: The largest number a record may give (a quantity, a count, a duration, a weight): beyond
#: it a value is a typing error or an attack, and 64-bit integers and floats stay exact.
MAX_NUMBER = 1e9
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def parse_number(raw: object, *, maximum: float = MAX_NUMBER) -> float:
    """A non-negative number of at most ``maximum``; a lone comma is the decimal mark
    (``"1,5"`` is 1.5).

    Only ASCII digits with at most one decimal point (or comma) are numbers: thousands
    separators (``"1,500.5"``, ``"1 000"``, ``"1_000"``), exponents (``"1e3"``), signs,
    ``inf``/``nan`` and other scripts' digits (full-width ``"１２"``) are errors, and ``"1.500"``
    is 1.5.

    >>> parse_number("2.5"), parse_number(" 1,5 "), parse_number(3), parse_number("7.")
    (2.5, 1.5, 3.0, 7.0)
    >>> parse_number("1_000")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: '1_000' is not a number (digits, with one decimal point or comma)
    >>> parse_number("99999999999999999999")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: '99999999999999999999' is out of range (at most 1,000,000,000)
    """
    text = str(raw).strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
        if value != value or value < 0:
            raise InvalidValueError(f"{text!r} is not a non-negative number")
        if not value <= maximum:
            raise InvalidValueError(f"{text!r} is out of range (at most {maximum:,.0f})")
        return value
    if text.startswith("-") and _NUMBER.fullmatch(text[1:].replace(",", ".", 1)):
        raise InvalidValueError(f"{text!r} is negative")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise InvalidValueError(
            f"{str(raw).strip()!r} is not a number (digits, with one decimal point or comma)"
        )
    value = float(text)
    if not value <= maximum:  # also catches inf
        raise InvalidValueError(f"{str(raw).strip()!r} is out of range (at most {maximum:,.0f})")
    return value


def to_kg(quantity: object, unit: str) -> float | None:
    """``quantity`` of ``unit`` in kilograms, or ``None`` for countable units (tablets).

    >>> to_kg(1, "bags")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: 'bags' is not a known unit (kg, g, mg, t, lb, oz, bánh, tablets)
    """
    factor = unit_factor(unit)
    value = parse_number(quantity)
    if factor is None:
        return None
    kg = round(value * factor, 9)
    if not kg <= MAX_NUMBER:
        raise InvalidValueError(
            f"{str(quantity).strip()} {str(unit).strip()} is out of range (at most "
            f"{MAX_NUMBER:,.0f} kg)"
        )
    return kg


class Quantity(ValueType):
    """An amount: ``clean`` is :func:`parse_number`, ``unit`` is :func:`unit_factor`, ``kg``
    is :func:`to_kg`; ``compare`` is the ratio of the smaller amount to the larger."""

    kind = "quantity"
    clean = staticmethod(parse_number)
    unit = staticmethod(unit_factor)
    kg = staticmethod(to_kg)

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """``min / max`` of the two amounts (1.0 for two zeros, 0.0 when either is invalid)."""
        try:
            x, y = sorted((parse_number(a), parse_number(b)))
        except ValueError:
            return 0.0
        return 1.0 if y == 0 else x / y
