"""The people on each corridor, with the records that put them there."""

from __future__ import annotations

import pandas as pd

from netintel.analysis.routes import corridor_people, corridors


def test_people_on_corridors_carry_their_records(known):
    people = corridor_people(corridors(known), known, rings=pd.Series({"P1": 0, "P2": 1}))
    first = people[people["corridor_rank"] == 1]
    assert first["name"].tolist() == ["Lầu Bá Chò", "Vàng A Sử"]
    assert first.iloc[0]["evidence"] == ["A-1", "A-3", "S1", "S3"]
    assert first.iloc[0]["ring"] == 0 and first.iloc[0]["seizures"] == 2
    c = corridors(known, rings=pd.Series({"P1": 0, "P2": 1, "P3": 4}))
    assert c["people"].tolist() == [2, 1] and c["rings"].tolist() == [[0, 1], [4]]
