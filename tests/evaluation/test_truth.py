"""The planted truth, and matching graph people to planted people."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from planted_cases import graph_people, planted_truth

from netintel.errors import InputError
from netintel.evaluation.truth import (
    gatekeepers,
    graph_mapping,
    load_truth,
    map_people,
    resolved_people,
    truth_frame,
    truth_ids,
)
from netintel.synthetic import generate


@pytest.fixture
def truth() -> dict:
    return planted_truth()


@pytest.fixture
def people() -> pd.DataFrame:
    return graph_people()


def test_map_people(people, truth):
    m = map_people(people, truth)
    assert m.index.tolist() == people["person_id"].tolist()
    assert m["p-hung"] == "T1"
    assert m["p-hung-variant"] == "T1"  # via its arrest record, not its name
    assert m["p-souk"] == "T2"  # LNK-1 names T1 and T2; ARR-3 decides
    assert m["p-lan"] == "T3"  # LNK-2 names T2 and T3: a tie, decided by the name
    assert m["p-ty"] == "T4"
    assert m["p-cho"] == "T5"  # no sources: national id
    assert pd.isna(m["p-x"])


def test_a_tie_of_votes_goes_to_the_same_national_id(truth):
    # LNK-1 names T1 and T2 once each; the national id (punctuation aside) decides
    people = pd.DataFrame(
        {"person_id": ["p"], "name": ["Somebody"], "national_id": ["09 1234567"],
         "sources": [["LNK-1"]]}
    )  # fmt: skip
    assert map_people(people, truth).tolist() == ["T2"]


def test_map_people_requires_sources(truth):
    with pytest.raises(ValueError, match="sources"):
        map_people(pd.DataFrame({"person_id": ["a"]}), truth)
    empty = pd.DataFrame({"person_id": [], "name": [], "national_id": [], "sources": []})
    assert map_people(empty, truth).empty


def test_an_oracle_graph_maps_onto_the_generated_truth():
    t = generate(600, seed=5).truth
    people = pd.DataFrame(
        [
            {"person_id": f"node-{tid}", "name": p["name"], "national_id": None,
             "sources": p["record_ids"]}
            for tid, p in t["persons"].items()
            if p["record_ids"]
        ]
    )  # fmt: skip
    m = map_people(people, t)
    assert (m == people["person_id"].str.removeprefix("node-").to_numpy()).all()


def test_truth_frame_and_load(tmp_path, truth):
    frame = truth_frame(truth)
    assert frame.set_index("truth_id").loc["T3", "rings"] == ["R01", "R02"]
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert load_truth(tmp_path) == truth
    assert load_truth(tmp_path / "truth.json") == truth


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("other.json", "{}", "not a netintel truth file"),
        ("broken.json", "{", "cannot read the truth file"),
        ("missing.json", None, "no truth file"),
    ],
)
def test_a_bad_truth_file_is_named(tmp_path, name, text, message):
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as e:
        load_truth(path)
    assert name in str(e.value)


def test_gatekeepers_are_read_or_derived(truth):
    assert gatekeepers(truth) == ["T3"]  # a broker between a VN and a LA ring
    assert gatekeepers({**truth, "gatekeepers": ["T9"]}) == ["T9"]


def test_truth_ids_and_graph_mapping(truth):
    assert truth_ids(["b", "a", "z"], pd.Series({"a": "T1", "b": np.nan})) == ["", "T1", ""]
    G = nx.Graph([("p-hung", "p-souk")])
    G.nodes["p-hung"].update(name="Nguyễn Văn Hùng", sources=["ARR-1", "ARR-2"])
    G.nodes["p-souk"]["sources"] = ("ARR-3",)
    assert graph_mapping(G, truth).to_dict() == {"p-hung": "T1", "p-souk": "T2"}


def test_resolved_people_pool_the_records_of_their_members(people):
    people = people.assign(resolved_id=["r1", "r1", None, None, None, None, None])
    merged = resolved_people(people).set_index("person_id")
    assert len(merged) == len(people) - 1
    assert merged.loc["r1", "sources"] == ["ARR-1", "ARR-2", "LNK-1"]
    assert merged.loc["p-souk", "sources"] == ["ARR-3", "LNK-1", "LNK-2"]
