"""The time window of every workspace analysis: one :class:`~netintel.values.Window`,
converted once, at the edge, from what a notebook or the command line gives.

Every method of the workspace that looks at one window of evidence takes ``window=``: a
:class:`~netintel.values.Window`, the text of one (``"2024"``, ``"2023-03 to 2023-06"``,
``"since 2023-03"``, ``"until 2024"``) or a ``(since, until)`` pair. :func:`as_window`
turns it into a Window, which refuses a bound that is not a date, an inverted window and one
that starts after today (no record can be in it yet): an empty window is an error, never an
empty but ranked result.

Examples
--------
>>> str(as_window("2024")), str(as_window(("2023-03", None))), str(as_window(None))
('2024 to 2024', 'since 2023-03', 'all dates')
"""

from __future__ import annotations

import re

from netintel.errors import InvalidValueError
from netintel.values import PartialDate, Window

__all__ = ["Bound", "WindowLike", "as_window"]

#: One bound of a window: a partial date, its text, or no bound.
Bound = str | PartialDate | None
#: What ``window=`` accepts (see :func:`as_window`).
WindowLike = Window | str | PartialDate | tuple[Bound, Bound] | None

_SINCE = re.compile(r"since\s+(\S.*)", re.IGNORECASE)
_UNTIL = re.compile(r"until\s+(\S.*)", re.IGNORECASE)
_RANGE = re.compile(r"(\S+?)(?:\s+to\s+|\s*\.\.\s*)(\S+)", re.IGNORECASE)


def as_window(window: WindowLike = None) -> Window:
    """The :class:`~netintel.values.Window` that ``window`` describes.

    Parameters
    ----------
    window : Window, str, PartialDate, (since, until) or None
        ``None`` (or ``""``, ``"all dates"``): every date. A partial date alone (``"2024"``,
        ``"2024-03"``, ``"05/2024"``): the days it covers. ``"A to B"``, ``"since A"``,
        ``"until B"``: as a Window prints itself (``"A..B"`` too). A pair ``(since, until)``,
        either ``None``.

    Returns
    -------
    Window

    Raises
    ------
    InvalidValueError
        Naming the value: a bound that is not a date, a ``since`` after the ``until``, a
        ``since`` after today, or something that is not a window at all.

    Examples
    --------
    >>> str(as_window("2023-01 to 2023-06")), str(as_window("2023-01..2023-06"))
    ('2023-01 to 2023-06', '2023-01 to 2023-06')
    >>> as_window(as_window("2024")) == as_window(("2024", "2024"))
    True
    >>> as_window(("2024-06", "2024-05"))
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: since 2024-06 is after until 2024-05: the window holds no date
    >>> as_window(2024)
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: window 2024: give a Window, text such as '2024' or '2023-01 to 2023-06', or a (since, until) pair
    """
    if window is None or isinstance(window, Window):
        return window or Window()
    if isinstance(window, PartialDate):
        return Window(window, window)
    if isinstance(window, tuple | list) and len(window) == 2:
        return Window(*window)
    if isinstance(window, str):
        return _from_text(window.strip())
    raise InvalidValueError(
        f"window {window!r}: give a Window, text such as '2024' or '2023-01 to 2023-06', "
        "or a (since, until) pair"
    )


def _from_text(text: str) -> Window:
    if not text or text.lower() == "all dates":
        return Window()
    for pattern, make in (
        (_SINCE, lambda m: Window(since=m[1])),
        (_UNTIL, lambda m: Window(until=m[1])),
        (_RANGE, lambda m: Window(m[1], m[2])),
    ):
        found = pattern.fullmatch(text)
        if found:
            return make(found)
    return Window(text, text)
