"""Grading: the 3x5x2 scheme (source evaluation, intelligence assessment, handling code)."""

from __future__ import annotations

import pytest

from netintel.errors import InvalidValueError
from netintel.values import Grading, clean_grading, most_restrictive


@pytest.mark.parametrize("text", ["1AP", "1 A P", "1-A-P", "1/A/P", "1ap", " 1 a p "])
def test_accepted_forms_are_one_canonical_text(text):
    g = Grading.parse(text)
    assert (g.source, g.intelligence, g.handling, str(g)) == ("1", "A", "P", "1AP")
    assert not g.restricted


def test_missing_handling_code_is_read_as_conditions():
    g = Grading.parse("2B")
    assert str(g) == "2BC" and g.restricted


@pytest.mark.parametrize("text", ["B3", "A1", "E5", "4AP", "1FP", "1AX", "", "1APP", "１AP"])
def test_malformed_gradings_are_refused(text):
    with pytest.raises(InvalidValueError, match="not a 3x5x2 grading"):
        Grading.parse(text)


def test_every_code_of_the_scheme_parses():
    codes = [f"{s}{i}{h}" for s in "123" for i in "ABCDE" for h in "PC"]
    assert [clean_grading(c) for c in codes] == codes and len(codes) == 30


def test_most_restrictive_handling():
    assert most_restrictive(["1AP", "2BP"]) == "P"
    assert most_restrictive(["1AP", "2BC"]) == "C"
    assert most_restrictive(["1AP", "B2"]) == "C"  # unparseable: the safe reading
    assert most_restrictive([]) is None
