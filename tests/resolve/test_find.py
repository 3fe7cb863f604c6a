"""Finding a person in any spelling, by phone in any format, ID, plate or person id
(netintel.resolve.find, ws.find, ws.person), on fixtures/small and on a small table."""

from __future__ import annotations

import pandas as pd
import pytest

from netintel.errors import InputError
from netintel.resolve.find import MATCH, find, identities, matches, person
from netintel.values.text import fold


def _identities_of(ws, field: str) -> pd.DataFrame:
    people, _ = ws.network._identities()
    return people[people["field"] == field]


def test_a_name_is_found_in_any_spelling_and_word_order(ws):
    persons = ws.tables()["persons"]
    accented = persons[[not n.isascii() for n in persons["name"]]].iloc[0]
    pid, name = accented["person_id"], accented["name"]
    words = name.split()
    for text in (name, fold(name), name.upper(), " ".join([words[-1], *words[:-1]])):
        assert ws.person(text) == pid, text
        top = ws.find(text).iloc[0]
        assert (top["person_id"], top["score"], top["matched"]) == (pid, 1.0, "name")


def test_phones_in_any_format_and_without_the_country_code(ws):
    phones = _identities_of(ws, "phone")
    vn = phones[phones["value"].str.startswith("+84")].iloc[0]
    national = "0" + vn["value"][3:]
    spaced = f"{national[:4]} {national[4:7]} {national[7:]}"
    for text in (vn["value"], national, spaced, "+84 " + vn["value"][3:], "0084" + vn["value"][3:]):
        found = ws.find(text)
        assert found.loc[0, "person_id"] == vn["person_id"], text
        assert found.loc[0, "matched"] == "phone"
        assert vn["value"] in found.loc[0, "phones"]
    la = phones[phones["value"].str.startswith("+856")].iloc[0]
    local = "0" + la["value"][4:]  # a Lao number as written in Laos, no +856
    assert ws.person(local) == la["person_id"]
    assert ws.find(local).loc[0, "score"] < 1.0  # matched by its ending, not exactly


def test_national_ids_passports_and_plates_with_separators(ws):
    for field in ("national_id", "passport", "plate"):
        row = _identities_of(ws, field).iloc[0]
        value = row["value"]
        written = "-".join([value[:3], value[3:6], value[6:]]).lower()
        found = ws.find(written)
        assert found.loc[0, "person_id"] == row["person_id"], field
        assert (found.loc[0, "matched"], found.loc[0, "score"]) == (field, 1.0)


def test_a_record_level_person_id_finds_its_resolved_person(ws):
    persons = ws.tables()["persons"]
    merged = persons[persons["members"].str.len() > 1].iloc[0]
    other = next(m for m in merged["members"] if m != merged["person_id"])
    assert ws.person(other) == merged["person_id"]
    found = ws.find(merged["person_id"]).iloc[0]
    assert found["matched"] == "person_id" and set(found["members"]) == set(merged["members"])
    assert set(found["sources"]) == set(merged["sources"])


def test_no_match_names_the_text_and_the_nearest_names(ws):
    with pytest.raises(InputError, match=r"no person matches 'Zzyzx Qwerty'; nearest: \w"):
        ws.person("Zzyzx Qwerty")
    assert ws.find("Zzyzx Qwerty").empty


PEOPLE = pd.DataFrame(
    {
        "person_id": ["p1", "p2", "p3", "p4"],
        "name": ["Syphet Chanthavong", "Syphet Chanthasith", "Lê Xuân Hải", "Hải Lê Xuân"],
        "aliases": [[], [], ["Hải béo"], []],
        "sources": [["A1"], ["A2"], ["A3"], ["L9"]],
    }
)


def test_a_name_two_people_share_is_ambiguous_and_says_who():
    people = identities(PEOPLE, {"p4": "p3"})
    assert sorted(matches(people, "Syphet")) == ["p1", "p2"]
    with pytest.raises(InputError, match="'syphet' matches 2 people equally: Syphet Chanthavong"):
        person(people, "syphet")
    assert person(people, "Syphet Chanthasith") == "p2"
    # another family name is another person, not a typo
    assert find(people, "Syphet Chanthavong")["person_id"].tolist()[0] == "p1"
    scores = find(people, "Syphet Chanthavong", minimum=0).set_index("person_id")["score"]
    assert scores["p2"] < MATCH


def test_variants_and_aliases_of_the_members_are_listed():
    people = identities(PEOPLE, {"p4": "p3"})
    found = find(people, "hai beo", names={"p3": "Lê Xuân Hải"})
    row = found.iloc[0]
    assert (row["person_id"], row["matched"], row["value"]) == ("p3", "alias", "Hải béo")
    assert row["variants"] == ["Lê Xuân Hải", "Hải Lê Xuân", "Hải béo"]
    assert row["members"] == ["p3", "p4"] and row["sources"] == ["A3", "L9"]


def test_a_partial_or_misspelt_name_ranks_but_is_not_taken_for_another_person():
    people = identities(PEOPLE)
    # an extra family name is someone else
    assert (
        find(people, "Pham Le Xuan Hai", minimum=0).set_index("person_id").loc["p3", "score"]
        < MATCH
    )
    assert person(people, "Syphet Chanthavomg") == "p1"  # one typo in a long word
    with pytest.raises(InputError, match="nothing to find"):
        find(people, "  ")
