"""Roles: the seven roles and their documented synonyms."""

from __future__ import annotations

import re

import pytest

from netintel.errors import InvalidValueError
from netintel.values import ROLES, Role, clean_role


def test_roles_and_synonyms():
    assert clean_role("Organizer") == "organizer"
    assert clean_role("organiser") == "organizer"
    assert clean_role("leader") == "organizer"
    assert clean_role("Cầm đầu") == "organizer"
    assert clean_role("vận chuyển") == "courier"
    assert [clean_role(r.upper()) for r in ROLES] == list(ROLES)
    for slang in ("boss", "mule", "driver?"):
        with pytest.raises(InvalidValueError, match=re.escape(f"'{slang}' is not a known role")):
            clean_role(slang)


def test_role_type():
    assert Role.clean("Mastermind") == "organizer"
    assert Role.compare("leader", "ringleader") == 1.0
    assert Role.compare("leader", "courier") == 0.0
    assert not Role.validate("boss")
