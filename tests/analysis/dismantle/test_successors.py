"""Likely successors after a removal, and finding people by id or name."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netintel.analysis.dismantle.successors import _constraint, find_people, likely_successors
from netintel.errors import AnalysisError


def test_the_lieutenant_tied_to_the_bosss_contacts_succeeds(person_graph):
    edges = [("boss", c) for c in ("a", "b", "c", "d")]
    edges += [("lt", "boss", 2.0), ("lt", "a"), ("lt", "b"), ("lt", "c"), ("d", "e"), ("x", "e")]
    G = person_graph(edges)
    heirs = likely_successors(G, ["boss"])
    top = heirs.iloc[0]
    assert top["person_id"] == "lt"
    assert top["contacts_inherited"] == 3 and top["contact_share"] == pytest.approx(0.6)
    assert top["tie_to_removed"] == 2.0
    assert "boss" not in set(heirs["person_id"])
    assert "R-boss-lt" in top["succession_evidence"] and "R-d-e" not in top["succession_evidence"]
    assert "Name boss" in top["explanation"]
    assert heirs["score"].is_monotonic_decreasing


def test_the_other_route_gains_the_traffic(person_graph):
    edges = [(f"L{i}", "X") for i in range(3)] + [(f"R{i}", "X") for i in range(3)]
    edges += [(f"L{i}", "Y") for i in range(3)] + [("Y", "Z"), ("Z", "R0")]
    edges += [("R0", "R1"), ("R0", "R2")]
    G = person_graph(edges)
    heirs = likely_successors(G, ["X"], top=None, weight=None).set_index("person_id")
    assert heirs.loc["Y", "betweenness_gain"] > 0 and heirs.loc["Z", "betweenness_gain"] > 0
    assert heirs["score"].idxmax() in {"Y", "Z", "R0"}
    assert heirs.loc["Y", "betweenness_after"] == pytest.approx(
        heirs.loc["Y", "betweenness_before"] + heirs.loc["Y", "betweenness_gain"]
    )


def test_constraint_matches_networkx(messy):
    nodes = list(messy)
    ref = nx.constraint(messy, weight="weight")
    expected = [1.0 if np.isnan(ref[u]) else ref[u] for u in nodes]
    assert _constraint(messy, nodes, "weight") == pytest.approx(expected)


def test_successor_inputs_are_checked(messy):
    with pytest.raises(AnalysisError, match="not in the graph"):
        likely_successors(messy, ["nobody"])
    with pytest.raises(AnalysisError, match="at least one"):
        likely_successors(messy, [])
    G = nx.Graph()
    G.add_nodes_from([("p1", {"name": "Vi Văn An"}), ("p2", {"name": "Vi Văn An"})])
    with pytest.raises(AnalysisError, match="names 2 people"):
        find_people(G, ["vi văn an"])
    assert find_people(G, ["p2"]) == ["p2"]


def test_names_are_found_whatever_their_case_diacritics_and_spacing():
    G = nx.Graph()
    G.add_nodes_from([("p1", {"name": "Lê Văn Tám"}), ("p2", {"name": "Vi  Văn An"})])
    assert find_people(G, ["LE VAN TAM", "vi van an", "p1"]) == ["p1", "p2"]
    with pytest.raises(AnalysisError, match="neither a person id nor the name"):
        find_people(G, ["Lê Văn Tâm Hai"])
