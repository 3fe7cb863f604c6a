"""The ranked target list: order, explanations, evidence, and the column contract."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netintel.analysis.network.profile import COMPONENTS, RankingProfile
from netintel.analysis.network.ranking import RANKING_COLUMNS, TargetRanker, rank_targets
from netintel.errors import AnalysisError

RING = [
    ("P-1", "P-2"),
    ("P-2", "P-3"),
    ("P-3", "P-4"),
    ("P-4", "P-5"),
    ("P-5", "P-6"),
    ("P-6", "P-1"),
]


def test_hub_of_a_star_ranks_first_with_the_contracted_columns(star: nx.Graph) -> None:
    df = rank_targets(star)
    assert tuple(df.columns) == RANKING_COLUMNS
    assert df.loc[0, "person_id"] == "P-hub" and df.loc[0, "name"] == "Name P-hub"
    assert df["rank"].tolist() == list(range(1, len(star) + 1))
    assert df["score"].between(0, 1).all() and df["score"].is_monotonic_decreasing
    assert df.attrs["engine"] == "networkx" and df.attrs["profile"] == "default"


def test_recorded_organizer_outranks_an_equal_structure_peer(person_graph) -> None:
    G = person_graph(RING, roles={"P-5": {"organizer": 2, "courier": 1}})
    df = rank_targets(G)
    assert df.loc[0, "person_id"] == "P-5" and df.loc[0, "roles"] == "organizer x2; courier x1"
    assert "recorded as organizer in 2 arrests" in df.loc[0, "explanation"].lower()
    # the others are structurally identical: equal scores, ordered by person_id
    rest = df.iloc[1:]
    assert rest["score"].nunique() == 1 and rest["person_id"].tolist() == sorted(rest["person_id"])


def test_linked_seizures_lift_a_person_and_are_explained(person_graph) -> None:
    G = person_graph(RING, seizure_kg={"P-3": 47.5})
    df = rank_targets(G)
    assert df.loc[0, "person_id"] == "P-3" and df.loc[0, "seizure_kg"] == 47.5
    assert "linked to 47.5 kg of seizures" in df.loc[0, "explanation"].lower()


def test_explanation_names_the_dominant_measure(two_cliques: nx.Graph) -> None:
    brokers = RankingProfile(weights={"betweenness": 1.0}, name="brokers")
    df = rank_targets(two_cliques, profile=brokers)
    assert df.loc[0, "person_id"] == "X" and df.loc[0, "score"] == pytest.approx(1.0)
    assert df.loc[0, "explanation"].startswith("Highest betweenness")
    default = rank_targets(two_cliques).set_index("person_id")
    assert "betweenness" in default.loc["X", "explanation"].split(";")[0]
    assert "4 direct contacts" in default.loc["X", "explanation"]


def test_evidence_is_the_union_of_the_records_behind_the_ties(person_graph) -> None:
    G = person_graph(
        [("a", "b"), ("a", "c"), ("c", "d")],
        sources={("a", "b"): ["r2", "r1"], ("a", "c"): ["r3", "r1"], ("c", "d"): ["r9"]},
    )
    df = rank_targets(G).set_index("person_id")
    assert df.loc["a", "evidence"] == ["r1", "r2", "r3"] and df.loc["a", "evidence_count"] == 3
    assert df.loc["d", "evidence"] == ["r9"]
    assert df.loc["c", "evidence"] == ["r1", "r3", "r9"]


def test_evidence_includes_the_records_naming_the_person(person_graph) -> None:
    G = person_graph([("a", "b")], sources={("a", "b"): ["call-1"]})
    G.nodes["a"]["sources"] = ["arrest-7"]  # the arrest that recorded a's role
    df = rank_targets(G).set_index("person_id")
    assert df.loc["a", "evidence"] == ["arrest-7", "call-1"]
    assert df.loc["b", "evidence"] == ["call-1"]


def test_contributions_add_up_to_the_score(messy: nx.Graph) -> None:
    ranker = TargetRanker(seed=1).fit(messy)
    parts = ranker.contributions_
    assert list(parts.columns) == ["person_id", *COMPONENTS]
    assert parts["person_id"].tolist() == ranker.ranking_["person_id"].tolist()
    np.testing.assert_allclose(parts[list(COMPONENTS)].sum(axis=1), ranker.ranking_["score"])
    assert ranker.profile_.name == "default" and len(ranker.measures_) == len(messy)


def test_same_seed_same_ranking_on_the_sampled_fast_path() -> None:
    G = nx.gnm_random_graph(2_500, 6_000, seed=3)
    nx.set_edge_attributes(G, 1.5, "weight")
    runs = [rank_targets(G, seed=9) for _ in range(2)]
    assert runs[0].attrs["engine"] == "igraph" and runs[0].attrs["betweenness_k"] == 256
    pd.testing.assert_frame_equal(*runs)


def test_top_keeps_the_head_and_contributions_keep_everyone(messy: nx.Graph) -> None:
    full = rank_targets(messy, seed=2)
    ranker = TargetRanker(seed=2, top=5).fit(messy)
    pd.testing.assert_frame_equal(ranker.ranking_, full.head(5), check_like=False)
    assert len(ranker.contributions_) == len(messy)


def test_disconnected_graph_with_isolates_ranks_everyone(messy: nx.Graph) -> None:
    df = rank_targets(messy, seed=0)
    assert len(df) == len(messy) and df.notna().all().all()
    isolate = df.set_index("person_id").loc["P-59"]
    assert isolate["evidence"] == [] and "0 direct contacts" in isolate["explanation"]
    assert df["ring"].nunique() >= 4  # components never share a ring


def test_given_rings_are_used_and_gaps_warned(star: nx.Graph) -> None:
    rings = pd.DataFrame({"person_id": ["P-hub", "P-leaf0"], "ring": [7, 7]})
    with pytest.warns(UserWarning, match="in no given ring"):
        df = rank_targets(star, rings=rings).set_index("person_id")
    assert df.loc["P-hub", "ring"] == 7 and df.loc["P-leaf4", "ring"] == -1


def test_graph_without_ties_warns_and_ranks_by_roles(person_graph) -> None:
    G = person_graph([], nodes=["a", "b", "c"], roles={"b": {"financier": 1}})
    with pytest.warns(UserWarning, match="no ties"):
        df = rank_targets(G)
    assert df["person_id"].tolist() == ["b", "a", "c"]


def test_engines_agree_on_the_head_of_the_list(messy: nx.Graph) -> None:
    a = rank_targets(messy, engine="networkx", rings=None, seed=0)
    b = rank_targets(messy, engine="igraph", seed=0)
    assert a["person_id"].head(3).tolist() == b["person_id"].head(3).tolist()


def test_minmax_normalisation(star: nx.Graph) -> None:
    p = RankingProfile(weights={"degree": 1.0}, normalization="minmax")
    df = rank_targets(star, profile=p)
    assert df["score"].tolist() == [1.0] + [0.0] * 5


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda G: G.clear(), "no people"),
        (lambda G: G.add_edge("P-hub", "P-leaf0", weight=-2.0), "> 0"),
        (lambda G: G.nodes["P-hub"].update(roles=["organizer"]), "roles must map"),
        (lambda G: G.nodes["P-hub"].update(seizure_kg=-1.0), "seizure_kg"),
    ],
)
def test_invalid_input_raises(star: nx.Graph, mutate, message: str) -> None:
    mutate(star)
    with pytest.raises(AnalysisError, match=message):
        rank_targets(star)


def test_invalid_options_raise(star: nx.Graph) -> None:
    with pytest.raises(AnalysisError, match="top"):
        rank_targets(star, top=0)
    with pytest.raises(AnalysisError, match="no ranking profile"):
        rank_targets(star, profile="nope")


def test_valid_input_raises_no_warning(two_cliques: nx.Graph) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rank_targets(two_cliques, engine="igraph")
