"""Paths and neighbourhoods as evidence (netintel.analysis.network.paths, ws.path,
ws.neighbourhood): over resolved people, shortest by evidence distance, every step a
sentence naming the records behind it."""

from __future__ import annotations

import networkx as nx
import pytest

from netintel.analysis.network.paths import evidence_paths, neighbourhood, path_sentences
from netintel.analysis.weights import add_distance
from netintel.errors import AnalysisError, InputError


def _line() -> nx.Graph:
    """a - b - d strong (two calls), a - c - d weak (one link each)."""
    G = nx.Graph()
    for n in "abcd":
        G.add_node(n, name=n.upper())
    for u, v, w, kind in (("a", "b", 4.0, "call"), ("b", "d", 4.0, "call"),
                          ("a", "c", 0.5, "link:meeting"), ("c", "d", 0.5, "link:meeting")):  # fmt: skip
        G.add_edge(u, v, weight=w, kinds={kind: 1}, sources=[f"R-{u}{v}"],
                   first_seen="2023-01-01", last_seen="2023-02-01")  # fmt: skip
    return G


def test_the_shortest_path_is_by_evidence_distance_with_alternatives():
    steps = evidence_paths(_line(), "a", "d", k=3)
    first = steps[steps["path"] == 1]
    assert list(first["to_id"]) == ["b", "d"]  # strong ties are short steps
    assert sorted(steps["path"].unique()) == [1, 2]  # only two simple paths exist
    assert list(steps[steps["path"] == 2]["to_id"]) == ["c", "d"]
    assert first["path_distance"].iloc[0] == pytest.approx(0.5)
    assert steps["records"].tolist()[0] == ["R-ab"]
    sentences = path_sentences(steps)
    assert sentences[0].startswith("A called or was called by B") and " -> " in sentences[0]
    assert "R-ab" in sentences[0] and "R-bd" in sentences[0]


def test_no_path_and_bad_ends():
    G = _line()
    G.add_node("z", name="Z")
    assert evidence_paths(G, "a", "z").empty
    with pytest.raises(AnalysisError, match="nobody-here"):
        evidence_paths(G, "a", "nobody-here")


def test_a_neighbourhood_holds_the_people_within_the_hops():
    sub, ties = neighbourhood(_line(), "a", hops=1)
    assert sorted(sub) == ["a", "b", "c"]
    assert set(ties["from_id"]) == {"a"} and set(ties["hops"]) == {1}
    sub2, _ = neighbourhood(_line(), "a", hops=2)
    assert sorted(sub2) == list("abcd") and sub2.nodes["d"]["hops"] == 2


def test_ws_path_reads_the_records_and_matches_networkx(ws):
    top = ws.rank_targets(top=3)
    a, b = top.loc[0, "person_id"], top.loc[2, "person_id"]
    found = ws.path(top.loc[0, "name"].lower(), b, k=2)
    G = ws.graph()
    best = nx.shortest_path_length(add_distance(G), a, b, weight="distance")
    first = found.steps[found.steps["path"] == 1]
    assert first["path_distance"].iloc[0] == pytest.approx(best)
    assert first["from_id"].iloc[0] == a and first["to_id"].iloc[-1] == b
    for row in found.steps.itertuples():
        assert G.has_edge(row.from_id, row.to_id)  # resolved people only: no SAME_AS hop
        assert set(row.records) == set(G.edges[row.from_id, row.to_id]["sources"])
        named = [r for r in row.records if r in row.sentence]
        assert named, row.sentence  # every sentence names records behind its tie
    assert len(found.sentences) == found.steps["path"].nunique()
    assert set(found.graph) >= set(first["from_id"]) | {b}


def test_ws_path_with_a_shared_name_and_no_match(ws):
    with pytest.raises(InputError, match="no person matches"):
        ws.path("Zzyzx Qwerty", ws.rank_targets(top=1).loc[0, "person_id"])


def test_ws_neighbourhood_of_a_person_named_in_any_spelling(ws):
    from netintel.values.text import fold

    top = ws.rank_targets(top=1)
    around = ws.neighbourhood(fold(top.loc[0, "name"]), hops=1)
    G = ws.graph()
    assert around.person == top.loc[0, "person_id"]
    assert set(around.people["person_id"]) == {around.person, *G.neighbors(around.person)}
    own = around.ties[around.ties["from_id"] == around.person]
    assert len(own) == G.degree(around.person)
