"""Entity resolution does not depend on the order of the people it is given (issue 14)."""

from __future__ import annotations

import pandas as pd

from netintel.resolve import read_persons, resolve_people


def test_people_in_any_order_resolve_the_same_way(ws):
    persons = read_persons(ws.store)
    first = resolve_people(persons)
    shuffled = resolve_people(persons.sample(frac=1.0, random_state=3).reset_index(drop=True))
    columns = ["person_id", "resolved_id", "match_probability", "rule"]
    a = first.assignments[columns].sort_values("person_id", ignore_index=True)
    b = shuffled.assignments[columns].sort_values("person_id", ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    assert first.n_people == shuffled.n_people
