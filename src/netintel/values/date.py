"""Dates with partial precision, and the time window analyses are restricted to.

A record's date may be known to the day, the month or only the year (a date of birth
``1987``, an arrest ``05/2024``). :class:`PartialDate` keeps that precision: it covers every
day from :attr:`~PartialDate.first_day` to :attr:`~PartialDate.last_day`. A :class:`Window`
is two partial dates, ``since`` and ``until``, checked once when it is made: nothing after
that has to wonder whether a window is empty.

Examples
--------
>>> PartialDate.parse("14/05/1987").iso, date_bounds("2024-02")
('1987-05-14', (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)))
>>> w = Window("2023", "2023-06")
>>> str(w), w.first_day, w.last_day
('2023 to 2023-06', Timestamp('2023-01-01 00:00:00'), Timestamp('2023-06-30 00:00:00'))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType
from netintel.values.text import one_edit_apart

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE_FORMATS = (
    (re.compile(r"(\d{4})"), "y"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})"), "ym"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME), "ymd"),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME), "dmy"),
    (re.compile(r"(\d{1,2})[-/.](\d{4})"), "my"),
)
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True, order=True)
class PartialDate(ValueType):
    """A date known to the year, the month or the day.

    Accepted forms: ISO ``yyyy``, ``yyyy-mm``, ``yyyy-mm-dd`` (a time of day after it is
    ignored), **day first** ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` (the Vietnamese and
    Lao convention: ``05/04/2024`` is 5 April), and ``mm/yyyy``. Years run from 1900 to 2100.

    ``compare`` scores the levels entity resolution's ``partial_date`` comparison tells
    apart: 1.0 the same date, 0.8 compatible precision (``1987`` and ``1987-05-14``), 0.5 one
    typo apart or the same year, else 0.0.

    Examples
    --------
    >>> d = PartialDate.parse("05/2024")
    >>> d.iso, d.first_day, d.last_day
    ('2024-05', datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))
    >>> PartialDate.parse("05/04/2024").iso, PartialDate.parse("1987").last_day
    ('2024-04-05', datetime.date(1987, 12, 31))
    >>> [PartialDate.compare("1987-05-14", b) for b in ("14/05/1987", "1987", "1987-05-15", "1990")]
    [1.0, 0.8, 0.5, 0.0]
    >>> PartialDate.parse("31/02/2024")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: '31/02/2024' is not a valid date (day is out of range for month)
    """

    year: int
    month: int | None = None
    day: int | None = None
    kind: ClassVar[str] = "date"

    @classmethod
    def parse(cls, raw: str) -> PartialDate:
        """Parse one of the accepted forms; :class:`InvalidValueError` otherwise."""
        text = str(raw).strip()
        for pattern, order in _DATE_FORMATS:
            m = pattern.fullmatch(text)
            if m:
                parts = dict(zip(order, map(int, m.groups()), strict=False))
                break
        else:
            raise InvalidValueError(
                f"{text!r} is not a valid date (expected yyyy-mm-dd, dd/mm/yyyy, mm/yyyy or yyyy)"
            )
        y, mo, d = parts["y"], parts.get("m"), parts.get("d")
        if not MIN_YEAR <= y <= MAX_YEAR:
            raise InvalidValueError(
                f"{text!r} is not a valid date (year outside {MIN_YEAR}-{MAX_YEAR})"
            )
        try:
            dt.date(y, 1 if mo is None else mo, 1 if d is None else d)
        except ValueError as e:
            raise InvalidValueError(f"{text!r} is not a valid date ({e})") from None
        return cls(y, mo, d)

    @classmethod
    def clean(cls, raw: str) -> str:
        """The ISO text of :meth:`parse` (``"1987"``, ``"1987-05"``, ``"1987-05-14"``)."""
        return cls.parse(raw).iso

    @classmethod
    def from_iso(cls, iso: str) -> PartialDate:
        """Rebuild from :attr:`iso` text (``yyyy``, ``yyyy-mm`` or ``yyyy-mm-dd``)."""
        m = _ISO.fullmatch(str(iso).strip())
        if m is None:
            raise InvalidValueError(f"{iso!r} is not an ISO date (yyyy, yyyy-mm or yyyy-mm-dd)")
        return cls.parse("-".join(p for p in m.groups() if p is not None))

    @classmethod
    def compare_cleaned(cls, x: str, y: str) -> float:
        """Similarity of two cleaned dates (see the class docstring)."""
        if x == y:
            return 1.0
        if x.startswith(y) or y.startswith(x):
            return 0.8
        return 0.5 if one_edit_apart(x, y) or x[:4] == y[:4] else 0.0

    @property
    def iso(self) -> str:
        """ISO text keeping the precision."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    @property
    def first_day(self) -> dt.date:
        """First calendar day the date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """Last calendar day the date covers."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        return self.iso


def date_bounds(iso: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by an ISO partial date.

    >>> date_bounds("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    d = PartialDate.from_iso(iso)
    return d.first_day, d.last_day


def _bound(value: PartialDate | str | None, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    if not str(value).strip():
        return None
    try:
        return PartialDate.parse(str(value))
    except InvalidValueError as e:
        raise InvalidValueError(f"{name} {value!r}: {e}") from None


@dataclass(frozen=True, init=False)
class Window:
    """The dates from the first day of ``since`` to the last day of ``until``, both included.

    Either bound may be missing (no limit on that side). Each is a :class:`PartialDate` or
    its text (``YYYY``, ``YYYY-MM``, a full date; blank text is no bound), so ``since="2023"``
    starts on 1 January 2023 and ``until="2023-06"`` ends on 30 June 2023.

    Parameters
    ----------
    since, until : PartialDate, str or None

    Raises
    ------
    InvalidValueError
        A bound that is not a date (the message names it), a window whose ``since`` is after
        its ``until`` (it would hold no date), or one that starts after today (no record
        can be in it yet).

    Examples
    --------
    >>> w = Window(since="2023-03", until="2023-04")
    >>> w.contains(pd.Series(["2023-02-28", "2023-04-30", None, "2023-05-01"])).tolist()
    [False, True, True, False]
    >>> str(Window(until="2024")), str(Window()), Window().is_open, w.is_open
    ('until 2024', 'all dates', True, False)
    >>> Window("2024-06", "2024-05")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: since 2024-06 is after until 2024-05: the window holds no date
    >>> Window(since="2023-13")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: since '2023-13': '2023-13' is not a valid date (month must be in 1..12)
    """

    since: PartialDate | None
    until: PartialDate | None

    def __init__(
        self, since: PartialDate | str | None = None, until: PartialDate | str | None = None
    ) -> None:
        lo, hi = _bound(since, "since"), _bound(until, "until")
        if lo is not None and hi is not None and lo.first_day > hi.last_day:
            raise InvalidValueError(f"since {lo} is after until {hi}: the window holds no date")
        today = dt.date.today()
        if lo is not None and lo.first_day > today:
            raise InvalidValueError(
                f"since {lo} is in the future (today is {today.isoformat()}): "
                "the window holds no record yet"
            )
        object.__setattr__(self, "since", lo)
        object.__setattr__(self, "until", hi)

    @property
    def first_day(self) -> pd.Timestamp | None:
        """The first day inside the window (``None``: no lower bound)."""
        return None if self.since is None else pd.Timestamp(self.since.first_day)

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The last day inside the window (``None``: no upper bound)."""
        return None if self.until is None else pd.Timestamp(self.until.last_day)

    @property
    def is_open(self) -> bool:
        """True when the window has no bound at all: every date is inside."""
        return self.since is None and self.until is None

    def contains(self, dates: pd.Series) -> pd.Series:
        """True where a date is inside the window; missing (and unreadable) dates count as
        inside: undated evidence is a standing fact."""
        dates = pd.to_datetime(pd.Series(dates), errors="coerce")
        keep = pd.Series(True, index=dates.index)
        if self.since is not None:
            keep &= dates.isna() | (dates >= self.first_day)
        if self.until is not None:
            keep &= dates.isna() | (dates <= self.last_day)
        return keep

    def __str__(self) -> str:
        if self.since is not None and self.until is not None:
            return f"{self.since} to {self.until}"
        if self.since is not None:
            return f"since {self.since}"
        return f"until {self.until}" if self.until is not None else "all dates"
