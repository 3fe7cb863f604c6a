"""Roles a record gives a person in an arrest: one of :data:`ROLES`.

Examples
--------
>>> clean_role("leader"), clean_role("người vận chuyển"), Role.validate("boss")
('organizer', 'courier', False)
"""

from __future__ import annotations

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType
from netintel.values.text import fold

ROLES = ("organizer", "financier", "courier", "buyer", "seller", "lookout", "unknown")
#: Accepted synonyms (folded), deliberately few: spelling variants, the usual English and
#: Vietnamese equivalents. Leaders and masterminds count as organizers (the national programme's
#: "masterminds and leaders" are the people who organise the network). Slang ("boss", "mule")
#: is not guessed at: map it in the mapping's ``values`` when an agency uses it.
_ROLE_SYNONYMS = {
    "organizer": ("organiser", "organizers", "organisers", "leader", "ringleader", "mastermind",
                  "cam dau", "doi tuong cam dau", "chu muu", "ke chu muu", "to chuc"),
    "financier": ("financer", "funder", "tai tro", "bo von", "nguoi bo von"),
    "courier": ("carrier", "transporter", "van chuyen", "nguoi van chuyen"),
    "buyer": ("purchaser", "nguoi mua"),
    "seller": ("dealer", "vendor", "nguoi ban"),
    "lookout": ("watcher", "canh gioi", "canh gac"),
    "unknown": ("khong ro", "chua ro"),
}  # fmt: skip
_ROLE_INDEX = {fold(s): role for role, syns in _ROLE_SYNONYMS.items() for s in (role, *syns)}


def clean_role(raw: str) -> str:
    """One of :data:`ROLES`, from the role itself or a documented synonym.

    >>> clean_role("Organiser"), clean_role("đối tượng cầm đầu"), clean_role("Carrier")
    ('organizer', 'organizer', 'courier')
    """
    role = _ROLE_INDEX.get(fold(raw))
    if role is None:
        raise InvalidValueError(f"{str(raw).strip()!r} is not a known role ({', '.join(ROLES)})")
    return role


class Role(ValueType):
    """A person's role in an arrest record: ``clean`` is :func:`clean_role`; ``compare`` is
    1.0 for the same role."""

    kind = "role"
    clean = staticmethod(clean_role)
