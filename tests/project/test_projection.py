"""The person-graph projection: which evidence ties whom, with what strength and records."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from netintel.batch import GraphBatch
from netintel.errors import AnalysisError, InputError
from netintel.project import ProjectionSettings, project
from netintel.store.embedded import EmbeddedStore


def _frame(**cols):
    return pd.DataFrame(cols)


@pytest.fixture
def store(tmp_path):
    b = GraphBatch()
    people = ["P-a", "P-b", "P-c", "P-d", "P-e"]
    b.add_nodes(
        "Person", _frame(id=people, name=["A", "B", "C", "D", "E"], sources=[[p] for p in people])
    )
    b.add_nodes(
        "Arrest",
        _frame(
            id=["ARR-1", "ARR-2"],
            sources=[["a1", "a2"], ["a3"]],
            first_seen=[dt.date(2024, 1, 1), dt.date(2020, 1, 1)],
        ),
    )
    b.add_nodes("Seizure", _frame(id=["S-1"], quantity_kg=[12.5], sources=[["s1"]]))
    b.add_edges(
        "ARRESTED_IN",
        "Person",
        "Arrest",
        _frame(
            **{
                "from": ["P-a", "P-b", "P-c"],
                "to": ["ARR-1", "ARR-1", "ARR-2"],
                "id": ["r1", "r2", "r3"],
                "role": ["organizer", "courier", "courier"],
                "sources": [["a1"], ["a2"], ["a3"]],
            }
        ),
    )
    b.add_edges(
        "LINKED_TO",
        "Arrest",
        "Seizure",
        _frame(
            **{
                "from": ["ARR-1", "ARR-2"],
                "to": ["S-1", "S-1"],
                "id": ["l1", "l2"],
                "sources": [["a1"], ["a3"]],
            }
        ),
    )
    b.add_nodes("Phone", _frame(id=["+84911", "+85620"], sources=[["a1"], ["a4"]]))
    b.add_edges(
        "USES",
        "Person",
        "Phone",
        _frame(
            **{
                "from": ["P-a", "P-d"],
                "to": ["+84911", "+85620"],
                "id": ["u1", "u2"],
                "sources": [["a1"], ["a4"]],
            }
        ),
    )
    b.add_edges(
        "CALLED",
        "Phone",
        "Phone",
        _frame(
            **{
                "from": ["+84911"],
                "to": ["+85620"],
                "id": ["c1"],
                "count": [7],
                "sources": [["call-1"]],
            }
        ),
    )
    b.add_edges(  # a wiretap summary names the caller, not their phone
        "CALLED",
        "Person",
        "Phone",
        _frame(
            **{
                "from": ["P-e"],
                "to": ["+84911"],
                "id": ["c2"],
                "count": [1],
                "sources": [["call-2"]],
            }
        ),
    )
    b.add_edges(
        "LINKED",
        "Person",
        "Person",
        _frame(
            **{
                "from": ["P-d"],
                "to": ["P-e"],
                "id": ["k1"],
                "link_type": ["money_transfer"],
                "weight": [2.0],
                "sources": [["link-1"]],
            }
        ),
    )
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.write(b)
        yield s


def test_each_kind_of_evidence_ties_the_right_people(store):
    G = project(store)
    assert set(G.nodes) == {"P-a", "P-b", "P-c", "P-d", "P-e"}
    assert G["P-a"]["P-b"]["kinds"] == {"co_arrest": 1}
    # a and c were arrested apart, for the same seizure
    assert G["P-a"]["P-c"]["kinds"] == {"co_seizure": 1}
    assert G["P-a"]["P-d"]["kinds"] == {"call": 1}
    assert G["P-d"]["P-e"]["kinds"] == {"link:money_transfer": 1}
    assert G["P-a"]["P-e"]["kinds"] == {"call": 1}  # e called the number a uses


def test_ties_remember_their_records(store):
    G = project(store)
    assert G["P-a"]["P-b"]["sources"] == ["a1", "a2"]
    assert G["P-a"]["P-d"]["sources"] == ["call-1"]
    assert G["P-d"]["P-e"]["sources"] == ["link-1"]


def test_strength_follows_the_settings(store):
    G = project(store)
    assert G["P-d"]["P-e"]["weight"] == pytest.approx(2.0 * 1.0)  # link weight x money_transfer
    assert G["P-a"]["P-b"]["weight"] == pytest.approx(1.0)
    settings = ProjectionSettings(kind_weights={"co_arrest": 3.0})
    assert project(store, settings)["P-a"]["P-b"]["weight"] == pytest.approx(3.0)


def test_recency_half_life_discounts_old_evidence(store):
    G = project(store, ProjectionSettings(half_life_days=365, reference_date="2024-01-01"))
    assert G["P-a"]["P-b"]["weight"] == pytest.approx(1.0)  # arrested on the reference date
    # the co-seizure tie dates from the 2020 arrest: four years, four half-lives
    assert G["P-a"]["P-c"]["weight"] == pytest.approx(0.8 * 0.5 ** (1461 / 365), rel=1e-3)


def test_people_carry_roles_and_seizure_volume(store):
    G = project(store)
    assert G.nodes["P-a"]["roles"] == {"organizer": 1}
    assert G.nodes["P-a"]["seizure_kg"] == pytest.approx(12.5)
    assert G.nodes["P-e"]["seizure_kg"] == 0.0


def test_a_time_window_keeps_only_the_evidence_inside_it(store):
    G = project(store, ProjectionSettings(since="2023", until="2024-06"))
    assert set(G.nodes) == {"P-a", "P-b", "P-c", "P-d", "P-e"}  # everyone stays
    assert G.has_edge("P-a", "P-b")  # co-arrest of January 2024
    assert not G.has_edge("P-a", "P-c")  # the co-seizure tie dates from the 2020 arrest
    assert G.has_edge("P-d", "P-e")  # undated evidence is a standing fact
    assert G.nodes["P-c"]["roles"] == {}  # the 2020 arrest is outside the window
    before = project(store, ProjectionSettings(until="2020-12-31"))
    assert before.has_edge("P-a", "P-c") and not before.has_edge("P-a", "P-b")


def test_a_bad_window_names_the_bound(store):
    with pytest.raises(AnalysisError, match="since '2023-13'"):
        project(store, ProjectionSettings(since="2023-13"))


def test_large_groups_are_skipped_with_a_warning(store):
    with pytest.warns(UserWarning, match=r"group\(s\) with more than 1 people skipped"):
        G = project(store, ProjectionSettings(max_group=1))
    assert not G.has_edge("P-a", "P-b")


def test_settings_from_yaml_reject_unknown_keys(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("half_life_days: 90\nkind_weights: {call: 0.2}\n")
    s = ProjectionSettings.from_yaml(path)
    assert s.half_life_days == 90 and s.weight_of("call") == 0.2 and s.weight_of("co_arrest") == 1.0
    path.write_text("halflife: 90\n")
    from netintel.errors import AnalysisError

    with pytest.raises(AnalysisError, match="halflife"):
        ProjectionSettings.from_yaml(path)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (ProjectionSettings(kind_weights={"call": -1.0}), "kind weight 'call': -1.0"),
        (ProjectionSettings(kind_weights=[1.0]), "kind_weights must map tie kinds"),
        (ProjectionSettings(half_life_days=-30), "half_life_days must be a number > 0, got -30"),
        (ProjectionSettings(half_life_days="a year"), "half_life_days .* got 'a year'"),
        (ProjectionSettings(half_life_days=9, reference_date="soon"), "reference_date 'soon'"),
        (ProjectionSettings(max_group=2.5), "max_group must be a whole number >= 1, got 2.5"),
        (ProjectionSettings(until="2024-02-30"), "until '2024-02-30'"),
    ],
)
def test_a_bad_setting_is_named_before_anything_is_read(store, settings, message):
    with pytest.raises(AnalysisError, match=message):
        project(store, settings)


def test_settings_files_that_cannot_be_used_are_named(tmp_path):
    path = tmp_path / "p.yaml"
    with pytest.raises(InputError, match=r"cannot read projection settings .*p.yaml"):
        ProjectionSettings.from_yaml(path)
    path.write_text("half_life_days: [90\n")
    with pytest.raises(InputError, match="cannot read projection settings"):
        ProjectionSettings.from_yaml(path)
    path.write_text("- 90\n")
    with pytest.raises(InputError, match=r"p.yaml: projection settings must be a YAML mapping"):
        ProjectionSettings.from_yaml(path)
    path.write_text("kind_weights: {call: lots}\n")
    with pytest.raises(AnalysisError, match=r"p.yaml: kind weight 'call': 'lots'"):
        ProjectionSettings.from_yaml(path)
    path.write_text("max_group: many\n")
    with pytest.raises(AnalysisError, match=r"p.yaml: max_group .* got 'many'"):
        ProjectionSettings.from_yaml(path)
