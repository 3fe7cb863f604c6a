"""What every value type shares: the protocol, missing values, and cleaning a whole column.

A value type is a small class with three class methods (no instances are needed):

``clean(raw)``
    The canonical form of a recorded text; raises :class:`~netintel.errors.InvalidValueError`
    (which names the text) when there is none.
``validate(raw)``
    Whether ``raw`` can be cleaned.
``compare(a, b)``
    Similarity of two recorded texts in ``[0, 1]``: 1.0 for the same value, 0.0 for
    unrelated or invalid ones. By default the :meth:`~ValueType.compare_cleaned` of their
    cleaned values, which a type overrides to grade near misses.

Cleaning a column goes through :func:`clean_series`, which calls the cleaner once per
*distinct* value and maps the results back: records repeat their values (the same phone, the
same province, the same date) and this is what keeps a million rows fast.

Examples
--------
>>> from netintel.errors import InvalidValueError
>>> class Upper(ValueType):
...     kind = "upper"
...     @classmethod
...     def clean(cls, raw):
...         if not str(raw).strip():
...             raise InvalidValueError(f"{raw!r} is blank")
...         return str(raw).strip().upper()
>>> Upper.clean(" ab "), Upper.validate("  "), Upper.compare("ab", "AB "), Upper.compare("ab", "")
('AB', False, 1.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

#: Cell texts read as "no value" (compared case-insensitively, after stripping).
MISSING_TOKENS = frozenset({"", "null", "none", "n/a", "nan", "-", "--"})


def is_missing(value: object) -> bool:
    """True for ``None``, NaN and the texts in :data:`MISSING_TOKENS`.

    >>> [is_missing(v) for v in (None, float("nan"), " N/A ", "Na", "0")]
    [True, True, True, False, False]
    """
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


def missing_to_none(series: pd.Series) -> pd.Series:
    """A text column with the :data:`MISSING_TOKENS` texts made missing (case ignored).

    The texts are compared as they are: strip them first where they may carry spaces.

    >>> missing_to_none(pd.Series(["a", "N/A", "null", None, " - "])).isna().tolist()
    [False, True, True, True, False]
    """
    return series.where(~series.str.lower().isin(MISSING_TOKENS), None)


def clean_series(series: pd.Series, cleaner: Callable[[Any], Any]) -> tuple[pd.Series, pd.Series]:
    """Apply ``cleaner`` to each distinct non-missing value of ``series``.

    Returns ``(cleaned, errors)``, both aligned with ``series`` (object dtype): ``cleaned``
    holds the cleaned value (``None`` where the input is missing or invalid), ``errors`` the
    :class:`ValueError` message for invalid values (``None`` elsewhere).

    >>> from netintel.values.phone import to_e164
    >>> cleaned, errors = clean_series(pd.Series(["09 12 345 678", None, "12"]), to_e164)
    >>> cleaned.tolist()[0], errors.notna().tolist()
    ('+84912345678', [False, False, True])
    """
    codes, uniques = pd.factorize(series)
    uniques = np.asarray(uniques, dtype=object)  # iterating arrow-backed strings is slow
    out = np.full(len(uniques) + 1, None, dtype=object)  # the last slot serves code -1
    err = np.full(len(uniques) + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        try:
            out[i] = cleaner(value)
        except ValueError as e:  # InvalidValueError, or a plain ValueError of a user's cleaner
            err[i] = str(e)
    return (
        pd.Series(out[codes], index=series.index, dtype=object),
        pd.Series(err[codes], index=series.index, dtype=object),
    )


class ValueType:
    """Base of the value types: subclasses define :meth:`clean` (see the module docstring)."""

    kind: ClassVar[str] = "value"

    @classmethod
    def clean(cls, raw: str) -> Any:
        """The canonical form of ``raw``; :class:`InvalidValueError` when it has none."""
        raise NotImplementedError

    @classmethod
    def validate(cls, raw: str) -> bool:
        """Whether ``raw`` can be cleaned."""
        try:
            cls.clean(raw)
        except ValueError:
            return False
        return True

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """:meth:`compare_cleaned` of the two cleaned values; 0.0 when either is invalid."""
        try:
            x, y = cls.clean(a), cls.clean(b)
        except ValueError:
            return 0.0
        return cls.compare_cleaned(x, y)

    @classmethod
    def compare_cleaned(cls, x: Any, y: Any) -> float:
        """Similarity of two cleaned values: 1.0 when they are the same, else 0.0."""
        return 1.0 if x == y else 0.0
