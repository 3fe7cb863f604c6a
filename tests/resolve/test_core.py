"""Resolution of hand-made record-level people: variants merge, traps stay apart."""

from __future__ import annotations

import pandas as pd
import pytest

from netintel.errors import InputError
from netintel.resolve import ResolutionSettings, fold_tables, normalise_decisions, resolve_people
from netintel.resolve.cluster import cluster

HUNG = "040087000001"


def people(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["sources"] = [[f"R-{pid}"] for pid in frame["person_id"]]
    for col in ("phones", "addresses", "provinces", "plates", "aliases"):
        if col not in frame:
            frame[col] = [[] for _ in range(len(frame))]
        frame[col] = [v if isinstance(v, list) else [] for v in frame[col]]
    return frame


@pytest.fixture(scope="module")
def case() -> pd.DataFrame:
    """Variants of one man, namesakes, a shared phone and a placeholder ID, plus filler
    people so that the model has non-matches to learn from."""
    rows = [
        # Nguyễn Văn Hùng: the record with everything, then variants.
        dict(
            person_id="a1",
            name="Nguyễn Văn Hùng",
            dob="1987-05-14",
            national_id=HUNG,
            phones=["+84912345678"],
            provinces=["Nghe An"],
        ),
        dict(person_id="a2", name="Nguyen Van Hung", dob="1987-05-14"),  # no diacritics
        dict(person_id="a3", name="Hùng Nguyễn Văn", dob="1987-05"),  # order, partial dob
        dict(
            person_id="a4", name="Nguyễn Văn Hùng", dob="1987-05-14", national_id="040087000007"
        ),  # one-digit typo in the ID
        dict(
            person_id="a5", name="Nguyễn Văn Hừng", dob="1987-05-14", phones=["+84912345678"]
        ),  # typo in the name, same phone
        # Namesakes: same name, different people (different IDs and dates of birth).
        dict(person_id="n1", name="Trần Văn Nam", dob="1980-01-01", national_id="038080000111"),
        dict(person_id="n2", name="Trần Văn Nam", dob="1992-09-30", national_id="001092000222"),
        dict(person_id="n3", name="Tran Van Nam"),  # name only: could be either
        # A phone shared by two different people.
        dict(person_id="s1", name="Lò Thị Mai", phones=["+84987654321"], dob="1990-03-03"),
        dict(person_id="s2", name="Vàng A Sùng", phones=["+84987654321"], dob="1975-11-20"),
        # A placeholder ID shared by two different people: not a key.
        dict(person_id="z1", name="Phạm Minh Tuấn", national_id="000000000", dob="1970"),
        dict(person_id="z2", name="Đỗ Thị Hoa", national_id="000000000", dob="1995"),
        # Lao romanisation variants.
        dict(person_id="l1", name="Souksavanh Vongsa", dob="1979-02-02", national_id="071609149"),
        dict(person_id="l2", name="Souksavan Vongsa", dob="1979-02-02"),
    ]
    given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Phúc"]
    family = ["Lê", "Phan", "Vũ", "Đặng", "Bùi", "Hồ", "Ngô", "Dương"]
    k = 0
    for f in family:
        for g in given:
            k += 1
            rows.append(
                dict(
                    person_id=f"f{k:03d}",
                    name=f"{f} Quốc {g}",
                    dob=f"19{60 + k % 40}-0{1 + k % 9}-1{k % 10}",
                    national_id=f"0{k % 90 + 10}0{60 + k % 40}{k:06d}",
                )
            )
    return people(*rows)


@pytest.fixture(scope="module")
def result(case):
    return resolve_people(case, seed=0)


def same(result, a: str, b: str) -> bool:
    rid = result.assignments.set_index("person_id")["resolved_id"]
    return rid[a] == rid[b]


def test_variants_of_one_person_merge(result):
    for other in ("a2", "a3", "a4", "a5"):
        assert same(result, "a1", other), other
    assert same(result, "l1", "l2")


def test_traps_stay_apart(result):
    assert not same(result, "n1", "n2")  # namesakes
    assert not same(result, "s1", "s2")  # shared phone, different names
    assert not same(result, "z1", "z2")  # placeholder ID


def test_ambiguous_name_only_record_goes_to_review(result):
    assert not same(result, "n3", "n1") and not same(result, "n3", "n2")
    queued = result.review[(result.review["left_id"] == "n3") | (result.review["right_id"] == "n3")]
    assert len(queued) >= 2
    assert queued["reason"].str.startswith("ambiguous").all()


def test_evidence_and_ids(result):
    a = result.assignments.set_index("person_id")
    assert a.loc["a1", "resolved_id"] == "a1"  # smallest member id
    assert a.loc["f001", "resolved_id"] == "f001" and a.loc["f001", "rule"] == ""
    links = result.links
    phone = links[(links["left"] == "a1") & (links["right"] == "a5")]
    assert phone["rule"].tolist() == ["phone+name"]
    model = links[links["decided_by"] == "model"]
    assert len(model) and (model["probability"] >= 0.95).all()
    assert all(any(f.startswith("name:") for f in agreed) for agreed in model["agreed"])
    rec = result.records()
    assert list(rec.columns) == ["record_id", "person_id", "node_id", "match_probability", "rule"]
    assert len(rec) == len(result.assignments)  # one record per person here


def test_resolution_is_deterministic(case, result):
    again = resolve_people(case, seed=0)
    pd.testing.assert_frame_equal(again.assignments, result.assignments)


def test_decisions_override(case, result):
    decisions = pd.DataFrame(
        {"left_id": ["a1", "s1"], "right_id": ["a5", "s2"], "decision": ["reject", "accept"]}
    )
    r = resolve_people(case, decisions=decisions)
    assert not same(r, "a1", "a5")
    assert same(r, "a1", "a2")  # the rest of the group holds
    assert same(r, "s1", "s2")
    assert r.assignments.set_index("person_id").loc["s2", "rule"] == "reviewer"


def test_decisions_are_checked():
    with pytest.raises(InputError, match="unknown decision"):
        normalise_decisions(
            pd.DataFrame({"left_id": ["a"], "right_id": ["b"], "decision": ["maybe"]})
        )
    with pytest.raises(InputError, match="lack columns"):
        normalise_decisions(pd.DataFrame({"a": [1], "decision": ["accept"]}))


def test_settings_are_validated(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("match_threshold: 0.9\nreview_threshold: 0.95\n", encoding="utf-8")
    with pytest.raises(InputError, match="review_threshold"):
        ResolutionSettings.from_yaml(bad)
    bad.write_text("model:\n  blocking_rules: [[shoe_size]]\n", encoding="utf-8")
    with pytest.raises(InputError, match="shoe_size"):
        ResolutionSettings.from_yaml(bad)
    bad.write_text("colour: red\n", encoding="utf-8")
    with pytest.raises(InputError, match="colour"):
        ResolutionSettings.from_yaml(bad)


def test_settings_errors_name_the_entry(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("match_threshold: high\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml: .*'high'"):
        ResolutionSettings.from_yaml(bad)
    bad.write_text("deterministic:\n  rules: [{keys: [national_id]}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks 'name'"):
        ResolutionSettings.from_yaml(bad)
    bad.write_text("deterministic:\n  national_id_formats: ['[0-9']\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'\[0-9' is not a regular expression"):
        ResolutionSettings.from_yaml(bad)
    bad.write_text("model: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read resolution settings"):
        ResolutionSettings.from_yaml(bad)


def test_person_tables_without_ids_or_with_repeated_ids_are_refused():
    with pytest.raises(InputError, match="person_id column"):
        resolve_people(pd.DataFrame({"name": ["A"]}))
    with pytest.raises(InputError, match="'p1' appears more than once"):
        resolve_people(people({"person_id": "p1", "name": "A"}, {"person_id": "p1", "name": "B"}))


def test_one_typo_tolerance_keeps_typos_together_and_other_ids_apart():
    rows = [
        {"person_id": "a", "name": "Nguyễn Văn Hùng", "national_id": "040087000001"},
        {"person_id": "b", "name": "Nguyen Van Hung", "national_id": "040087000007"},
        {"person_id": "c", "name": "Nguyễn Văn Hùng", "national_id": "079190000777"},
    ]
    nodes = pd.DataFrame(rows)[["person_id", "national_id"]].assign(dob=None)
    pairs = pd.DataFrame(
        {"left": ["a", "a"], "right": ["b", "c"], "probability": [0.99, 0.99],
         "rule": ["model", "model"], "agreed": [[], []], "decided_by": ["model", "model"]}
    )  # fmt: skip
    out = cluster(nodes, pairs, rejected=[])
    assert out.assignments["resolved_id"].tolist() == ["a", "a", "c"]
    assert out.refused["reason"].tolist() == ["different national IDs"]


def test_a_resolved_person_is_named_as_on_their_identity_document():
    persons = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3"],
            "name": ["Hùng Nguyễn Văn", "Nguyễn Văn Hùng", "Nguyen Van Hung"],
            "name_key": ["hung nguyen van", "nguyen van hung", "nguyen van hung"],
            "national_id": [None, "040087000001", None],
            "dob": [None, "1987-02-03", None],
            "nationality": ["VN"] * 3,
            "sources": [["COM-1", "COM-2", "COM-3"], ["ARR-1"], ["LNK-1", "LNK-2"]],
            "resolved_id": ["p1"] * 3,
        }
    )
    folded = fold_tables({"persons": persons})["persons"]
    # the wiretap summaries' given-name-first form has more records; the ID card wins
    assert folded["name"].tolist() == ["Nguyễn Văn Hùng"]
    # with no document, the diacritic form with the most records does
    no_doc = persons.assign(national_id=None)
    assert fold_tables({"persons": no_doc})["persons"]["name"].tolist() == ["Hùng Nguyễn Văn"]
