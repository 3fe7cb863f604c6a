"""Property tests: any text given to a value type is cleaned or refused with an
InvalidValueError, never another exception (bounded and derandomised, so the suite stays fast
and repeatable)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netintel.errors import InvalidValueError
from netintel.values import (
    TYPES,
    Grading,
    PartialDate,
    clean_texts,
    date_bounds,
    fold,
    parse_number,
    phone_region,
    text_key,
    to_e164,
    to_kg,
)

BOUNDED = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Text that looks like what records hold, plus what attacks and damaged files add.
SPECIAL = ["\x00", "\x1b", "\t", "\n", "\u200b", "\u200d", "\u202e", "\u00ad", "\ufeff", "１", "٣"]
ALPHABET = st.sampled_from([*"0123456789+-./,;:_ ()'\"abcdeAPTkgtvđĐàếọ", *SPECIAL])
TEXT = st.one_of(st.text(ALPHABET, max_size=30), st.text(max_size=30))


def outcome(call, *args):
    """The value, or ``None`` when refused with InvalidValueError."""
    try:
        return call(*args)
    except InvalidValueError as e:
        assert str(e)  # the message names the value
        return None


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_every_value_type_cleans_or_refuses(kind):
    vtype = TYPES[kind]

    @BOUNDED
    @given(TEXT, TEXT)
    def check(a, b):
        cleaned = outcome(vtype.clean, a)
        assert vtype.validate(a) is (cleaned is not None)
        score = vtype.compare(a, b)
        assert 0.0 <= score <= 1.0

    check()


@BOUNDED
@given(TEXT)
def test_numbers_are_finite_in_range_or_refused(text):
    value = outcome(parse_number, text)
    if value is not None:
        assert math.isfinite(value) and 0 <= value <= 1e9


@BOUNDED
@given(TEXT, st.sampled_from(["kg", "g", "t", "bánh", "viên", "bags", "", "\x00"]))
def test_kilograms_are_finite_or_refused(quantity, unit):
    kg = outcome(to_kg, quantity, unit)
    if kg is not None:
        assert math.isfinite(kg) and 0 <= kg <= 1e9


@BOUNDED
@given(TEXT, st.sampled_from(["VN", "LA", "TH", "CN", "KH", "MM", "US"]))
def test_phones_are_e164_or_refused(text, region):
    e164 = outcome(to_e164, text, region)
    if e164 is not None:
        assert e164.startswith("+") and e164[1:].isdigit() and e164.isascii()
        assert phone_region(e164) is None or len(phone_region(e164)) == 2


@BOUNDED
@given(TEXT)
def test_dates_are_iso_and_bounded_or_refused(text):
    iso = outcome(PartialDate.clean, text)
    if iso is not None:
        first, last = date_bounds(iso)
        assert first <= last


@BOUNDED
@given(TEXT)
def test_gradings_are_canonical_or_refused(text):
    g = outcome(Grading.parse, text)
    if g is not None:
        assert Grading.parse(str(g)) == g and len(str(g)) == 3


@BOUNDED
@given(st.lists(TEXT, max_size=5))
def test_folding_and_column_cleaning_never_fail(texts):
    for t in texts:
        assert fold(t) == fold(fold(t)) and fold(t).isascii()
        key = outcome(text_key, t)
        assert key is None or key
    cleaned = clean_texts(pd.Series(texts, dtype=object))
    for value in cleaned.dropna():
        assert value == value.strip() and "\u200d" not in value and "\u202e" not in value


@BOUNDED
@given(TEXT, st.sampled_from([None, "VN", "LA", "TH"]), TEXT)
def test_places_and_identifiers_never_fail(text, country, other):
    from netintel.values import identifier_key
    from netintel.values.places import (
        find_gate,
        find_province,
        place_chain,
        place_level,
        resolve_location,
    )

    found = find_province(text, country)
    assert found is None or found.name
    assert find_gate(text) is None or find_gate(text).name
    assert resolve_location(text) is None or len(resolve_location(text)) == 3
    assert place_level(text)
    outcome(place_chain, country, text or None, other or None)
    key = identifier_key(text)
    assert key is None or key.isascii() or key


@BOUNDED
@given(st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT))
def test_time_windows_are_built_or_refused(start, end):
    from netintel.values import Window

    window = outcome(Window, start, end)
    if window is not None and window.first_day is not None and window.last_day is not None:
        assert window.first_day <= window.last_day
