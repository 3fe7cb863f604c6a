"""Intelligence grading: the UK 3x5x2 scheme (source, intelligence, handling).

A grading has three parts:

=====================  =====  ==================================================
part                   code   meaning
=====================  =====  ==================================================
source evaluation      ``1``  reliable
                       ``2``  untested
                       ``3``  not reliable
intelligence           ``A``  known directly to the source
assessment             ``B``  known indirectly to the source, corroborated
                       ``C``  known indirectly to the source
                       ``D``  not known
                       ``E``  suspected to be false
handling code          ``P``  lawful sharing permitted
                       ``C``  lawful sharing permitted with conditions
=====================  =====  ==================================================

The canonical text is the three codes run together, ``"1AP"``. Accepted forms: ``1AP``,
``1 A P``, ``1-A-P``, ``1/A/P``, any case, spaces around. A grading without a handling code
(``1A``) is accepted with handling ``C``: the conditions are unknown, and the safe reading is
that there are some. Anything else (the older Admiralty ``B3``, ``4AP``, ``1FP``) raises
:class:`~netintel.errors.InvalidValueError`. A record without a grading is *ungraded*.

Examples
--------
>>> g = Grading.parse("1-a-p")
>>> str(g), g.source, g.intelligence, g.handling, g.restricted
('1AP', '1', 'A', 'P', False)
>>> Grading.parse("2 b").restricted, str(Grading.parse("2 b"))
(True, '2BC')
>>> Grading.parse("B3")
Traceback (most recent call last):
...
netintel.errors.InvalidValueError: 'B3' is not a 3x5x2 grading (source 1-3, intelligence A-E, handling P or C, e.g. 1AP)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType

SOURCE = {"1": "reliable", "2": "untested", "3": "not reliable"}
INTELLIGENCE = {
    "A": "known directly",
    "B": "known indirectly, corroborated",
    "C": "known indirectly",
    "D": "not known",
    "E": "suspected false",
}
HANDLING = {"P": "lawful sharing permitted", "C": "lawful sharing permitted with conditions"}
_FORM = re.compile(r"([123])[\s/-]*([A-E])(?:[\s/-]*([PC]))?", re.ASCII)


@dataclass(frozen=True, order=True)
class Grading:
    """A 3x5x2 grading (see the module docstring); ``str(g)`` is the canonical text.

    >>> Grading("3", "E", "C"), Grading.parse(" 3/e/c ") == Grading("3", "E", "C")
    (Grading(source='3', intelligence='E', handling='C'), True)
    """

    source: str
    intelligence: str
    handling: str

    def __post_init__(self) -> None:
        if (
            self.source not in SOURCE
            or self.intelligence not in INTELLIGENCE
            or self.handling not in HANDLING
        ):
            raise InvalidValueError(
                f"{self.source!r}, {self.intelligence!r}, {self.handling!r} is not a 3x5x2 grading"
            )

    @classmethod
    def parse(cls, text: object) -> Grading:
        """The grading written in ``text``; :class:`InvalidValueError` when it is not one.

        >>> Grading.parse("1AP"), str(Grading.parse("1 a"))
        (Grading(source='1', intelligence='A', handling='P'), '1AC')
        >>> Grading.parse("A1")
        Traceback (most recent call last):
        ...
        netintel.errors.InvalidValueError: 'A1' is not a 3x5x2 grading (source 1-3, intelligence A-E, handling P or C, e.g. 1AP)
        """
        raw = str(text).strip()
        found = _FORM.fullmatch(raw.upper())
        if found is None:
            raise InvalidValueError(
                f"{raw!r} is not a 3x5x2 grading "
                "(source 1-3, intelligence A-E, handling P or C, e.g. 1AP)"
            )
        source, intelligence, handling = found.groups()
        return cls(source, intelligence, handling or "C")

    @property
    def restricted(self) -> bool:
        """Whether sharing is under conditions (handling ``C``).

        >>> Grading.parse("2BP").restricted, Grading.parse("2BC").restricted
        (False, True)
        """
        return self.handling == "C"

    def describe(self) -> str:
        """The three parts in words.

        >>> Grading.parse("2BC").describe()
        'untested source; known indirectly, corroborated; lawful sharing permitted with conditions'
        """
        return (
            f"{SOURCE[self.source]} source; {INTELLIGENCE[self.intelligence]}; "
            f"{HANDLING[self.handling]}"
        )

    def __str__(self) -> str:
        return f"{self.source}{self.intelligence}{self.handling}"


def clean_grading(raw: object) -> str:
    """The canonical text of a grading (:meth:`Grading.parse`).

    >>> clean_grading("1/b/p"), clean_grading("3 E")
    ('1BP', '3EC')
    """
    return str(Grading.parse(raw))


def most_restrictive(gradings: object) -> str | None:
    """The handling code that governs a set of gradings: ``"C"`` when any is restricted or
    unparseable, ``"P"`` when all are ``P``, ``None`` when there are none.

    >>> most_restrictive(["1AP", "2BP"]), most_restrictive(["1AP", "3EC"]), most_restrictive([])
    ('P', 'C', None)
    """
    codes = [g for g in (gradings or []) if g]
    if not codes:
        return None
    for g in codes:
        try:
            if Grading.parse(g).restricted:
                return "C"
        except InvalidValueError:
            return "C"
    return "P"


class GradingType(ValueType):
    """A grading as a value type: ``clean`` is :func:`clean_grading`; ``compare`` is 1.0 for
    the same grading."""

    kind = "grading"
    clean = staticmethod(clean_grading)
