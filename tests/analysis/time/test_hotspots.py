"""Hotspots that re-form: places ranked by repeated activity; a destroyed hotspot watched,
its re-formation flagged with who was there before, who returns and who is new."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from netintel.analysis.time.hotspots import EVENT_COLUMNS, hotspots, reformations
from netintel.errors import AnalysisError

A, B, C = "vn/nghe an/xa muong xen", "vn/nghe an/xa ta ca", "vn/son la/xa chieng"


def _events(*rows: tuple) -> pd.DataFrame:
    out = []
    for kind, event, place, date, people in rows:
        for person in people or [None]:
            src = [f"{event}/{person}"] if person else [event]
            out.append(
                (
                    kind,
                    event,
                    place,
                    place.rsplit("/", 1)[-1].title(),
                    pd.Timestamp(date),
                    person,
                    person and person.upper(),
                    src,
                )
            )
    return pd.DataFrame(out, columns=list(EVENT_COLUMNS))


@pytest.fixture
def events() -> pd.DataFrame:
    return _events(
        ("arrest", "a1", A, "2023-01-10", ["lan", "minh"]),
        ("seizure", "s1", A, "2023-03-02", None),
        ("arrest", "a2", A, "2023-05-20", ["lan"]),
        ("arrest", "raid", A, "2023-08-01", ["lan", "minh", "hoa", "tuan"]),
        ("arrest", "a3", A, "2023-10-05", ["minh", "khoa"]),  # minh returns, khoa is new
        ("arrest", "b1", B, "2023-09-01", ["son"]),  # same province, another commune
        ("arrest", "c1", C, "2023-02-01", ["vu"]),
        ("arrest", "c2", C, "2023-02-03", ["vu"]),
    )


def test_places_are_ranked_by_periods_with_activity_then_events(events):
    ranked = hotspots(events)
    assert ranked["place"].tolist() == [A, C]  # B has one event only
    top = ranked.iloc[0]
    assert (top["periods"], top["events"], top["arrests"], top["seizures"]) == (4, 5, 4, 1)
    assert top["people"] == 5 and "raid/hoa" in top["records"]
    assert hotspots(events, period="year")["periods"].tolist() == [1, 1]


def test_a_raid_destroys_the_hotspot_and_its_reformation_names_the_linking_people(events):
    (row,) = reformations(events).to_dict("records")
    assert row["place"] == A and row["destroyed_on"] == "2023-08-01"
    assert row["how"].startswith("raid of 4 people (raid/hoa")
    assert row["reformed"] and row["first_after"] == "2023-10-05" and row["events_after"] == 1
    assert row["before"] == ["hoa", "lan", "minh", "tuan"]
    assert (row["returning"], row["new"]) == (["minh"], ["khoa"])
    assert (row["returning_names"], row["new_names"]) == (["MINH"], ["KHOA"])
    assert row["records_after"] == ["a3/khoa", "a3/minh"]
    assert "raid/lan" in row["records_before"]


def test_the_watch_has_a_period_and_a_distance(events):
    assert not reformations(events, days=30).iloc[0]["reformed"]
    wide = reformations(events, within="province").iloc[0]
    assert wide["new_places"] == [A, B] and wide["new"] == ["khoa", "son"]


def test_the_analyst_gives_a_destruction_by_place_name_in_any_spelling(events):
    out = reformations(events, {"Xa Chieng": "2023-02-02"}, raid_size=None)
    (row,) = out.to_dict("records")
    assert row["place"] == C and row["how"] == "analyst" and row["reformed"]
    assert row["returning"] == ["vu"] and row["new"] == []
    # a hotspot destroyed for good is listed, not flagged
    quiet = reformations(events, {C: "2023-03-01"}, raid_size=None).iloc[0]
    assert not quiet["reformed"] and quiet["events_after"] == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"destroyed": {"Nowhere": "2023-01-01"}}, "no place 'Nowhere' in the records; nearest"),
        ({"destroyed": {A: "someday"}}, "is not a date"),
        ({"within": "planet"}, "within must be one of place, province"),
        ({"days": 0}, "days and raid_size must be whole numbers >= 1"),
    ],
)
def test_bad_input_is_named(events, kwargs, message):
    with pytest.raises(AnalysisError, match=message):
        reformations(events, **kwargs)


def test_the_hotspots_command_on_a_loaded_case(cli, db, tmp_path):
    out = tmp_path / "reformed.json"
    result = cli("hotspots", "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Destroyed hotspots:" in result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and all("returning" in r and "records_after" in r for r in rows)
    result = cli("hotspots", "--db", db, "--list", "--period", "year")
    assert result.exit_code == 0 and "Hotspots:" in result.output
    result = cli("hotspots", "--db", db, "--destroyed", "nowhere")
    assert result.exit_code == 1 and "PLACE=DATE" in result.output
