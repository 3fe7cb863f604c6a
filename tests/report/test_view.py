"""The network view holds what it says: the cut, the people and ties, and what a click shows."""

from __future__ import annotations

import itertools
import re

import networkx as nx
import pytest

import netintel
from netintel.analysis.weights import strength_to_distance
from netintel.errors import AnalysisError, InputError, OutputError
from netintel.report.view import (
    TIE_COLOURS,
    cut,
    network_figure,
    network_view,
    offline_html,
    tie_category,
    view_html,
    write_html,
)


@pytest.fixture(scope="module")
def case(small_db):
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        yield ws, ws.graph(), ws.rank_targets()


def _nodes(view):
    return {n["key"]: n["attributes"] for n in view.data["nodes"]}


def _edges(view):
    return {frozenset((e["source"], e["target"])): e["attributes"] for e in view.data["edges"]}


def test_top_people_labelled_by_name_with_their_explanation_and_records(case):
    _, G, targets = case
    view = network_view(G, targets, top=10)
    nodes = _nodes(view)
    best = targets.head(10)
    assert set(nodes) == set(best["person_id"])
    assert view.cut.caption.startswith(f"Top 10 people by score: 10 of {G.number_of_nodes()}")
    assert view.name == view.cut.caption  # said on screen: the widget's title
    for row in best.itertuples():
        a = nodes[row.person_id]
        assert a["label"] == row.name and a["rank"] == row.rank
        assert a["explanation"] == row.explanation  # whole, not cut at 50 characters
        assert a["ring"] == f"ring {row.ring}"
        assert a["records"] == len(G.nodes[row.person_id]["sources"])
        assert set(a["record_ids"].split(", ")) == set(G.nodes[row.person_id]["sources"])
    # sized by score, coloured by ring
    assert view.visual_variables["nodeSize"]["attribute"] == "score"
    assert view.visual_variables["nodeColor"]["attribute"] == "ring"


def test_ties_carry_kind_records_and_dates(case):
    _, G, targets = case
    view = network_view(G, targets)  # 43 people: no cut needed
    assert view.cut.caption == (
        f"Everyone: {G.number_of_nodes()} of {G.number_of_nodes()} people, "
        f"{G.number_of_edges()} of {G.number_of_edges()} ties"
    )
    edges = _edges(view)
    assert len(edges) == G.number_of_edges()
    kinds = set()
    for u, v, d in G.edges(data=True):
        e = edges[frozenset((u, v))]
        assert set(e["record_ids"].split(", ")) == set(d["sources"])
        assert e["records"] == len(d["sources"])
        assert e["first_seen"] == (d["first_seen"] or "undated")
        assert e["people"] == f"{G.nodes[u]['name']} – {G.nodes[v]['name']}"
        assert e["weight"] == pytest.approx(d["weight"], abs=1e-4)
        assert sum(int(part.rsplit("x", 1)[1]) for part in e["evidence"].split("; ")) == sum(
            d["kinds"].values()
        )
        kinds.add(e["kind"])
    assert kinds <= set(TIE_COLOURS) and {"call", "co-arrest"} <= kinds
    assert view.visual_variables["edgeColor"]["attribute"] == "kind"
    assert view.visual_variables["edgeSize"]["attribute"] == "weight"


def test_cuts_a_ring_a_neighbourhood_and_a_path(case):
    _, G, targets = case
    ring = targets.loc[0, "ring"]
    view = network_view(G, targets, ring=ring)
    assert set(_nodes(view)) == set(targets.loc[targets["ring"] == ring, "person_id"])
    assert view.cut.caption.startswith(f"Ring {ring}:")

    who = targets.loc[0, "person_id"]
    view = network_view(G, targets, around=who, hops=2)
    assert set(_nodes(view)) == set(nx.ego_graph(G, who, radius=2))
    assert view.cut.people[0] == who and _nodes(view)[who]["focus"] == "yes"

    a, b = targets.loc[0, "person_id"], targets.iloc[-1]["person_id"]
    view = network_view(G, targets, between=(a, b))
    path = view.cut.people
    assert (path[0], path[-1]) == (a, b)
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = strength_to_distance(d["weight"])
    length = nx.shortest_path_length(H, a, b, weight="distance")
    walked = sum(H.edges[x, y]["distance"] for x, y in itertools.pairwise(path))
    assert walked == pytest.approx(length)


def test_a_large_graph_is_cut_and_says_so():
    G = nx.relabel_nodes(nx.barabasi_albert_graph(400, 2, seed=1), lambda n: f"P-{n}")
    view = network_view(G)
    assert len(view.data["nodes"]) == 150
    assert "the top 150 by score (a larger graph is cut" in view.cut.caption
    assert "150 of 400 people" in view.cut.caption
    strength = dict(G.degree())
    kept = {n["key"] for n in view.data["nodes"]}
    assert min(strength[p] for p in kept) >= max(strength[p] for p in set(G) - kept)


def test_bad_cuts_are_clear_errors(case):
    _, G, targets = case
    with pytest.raises(InputError, match="not a person of this graph"):
        network_view(G, targets, around="P-nobody")
    with pytest.raises(InputError, match="no one is in ring 999"):
        network_view(G, targets, ring=999)
    G2 = nx.Graph([("a", "b")])
    G2.add_node("c")
    with pytest.raises(AnalysisError, match="no path between a and c"):
        cut(G2, between=("a", "c"))


def test_workspace_show_takes_a_person_a_table_and_a_cypher_result(case):
    ws, _, targets = case
    view = ws.show(targets.head(3))
    assert set(_nodes(view)) == set(targets.head(3)["person_id"])
    rows = ws.cypher(
        "MATCH (p:Person) WHERE p.resolved_id IN $ids RETURN p",
        ids=list(targets.head(2)["person_id"]),
    )
    assert set(_nodes(ws.show(rows))) == set(targets.head(2)["person_id"])
    who = targets.loc[0, "person_id"]
    assert ws.network.view(around=who).cut.people[0] == who
    if hasattr(ws, "person"):  # a name in another spelling names the same person
        assert ws.show(around=targets.loc[0, "name"]).cut.people[0] == who
    entry = ws.audit.entries()[-1]
    assert entry["operation"] == "network.view"


def test_standalone_html_has_every_script_inline(case, tmp_path):
    _, G, targets = case
    view = network_view(G, targets, top=12)
    path = write_html(view, tmp_path / "network.html")
    page = path.read_text(encoding="utf-8")
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL)  # the inlined scripts
    assert not re.search(r"<(script|link|img)\b[^>]*\s(src|href)=", markup)  # nothing loaded
    assert not re.search(r"^//# sourceMappingURL", page, flags=re.MULTILINE)
    assert "Content-Security-Policy" in page and view.cut.caption in page
    assert targets.loc[0, "name"] in page
    with pytest.raises(OutputError):
        write_html(view, tmp_path / "network.png")
    assert view_html(view, title="Case 12").count("<h1>Case 12</h1>") == 1


def test_offline_html_replaces_the_cdn_scripts():
    page = (
        '<html><head><script src="https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@^1.0.1'
        '/dist/embed-amd.js" crossorigin="anonymous"></script></head><body></body></html>'
    )
    out = offline_html(page)
    assert 'define("ipysigma"' in out
    assert "cdn.jsdelivr" not in re.sub(r"<script>.*?</script>", "", out, flags=re.DOTALL)
    with pytest.raises(InputError):
        offline_html("no page")


def test_static_figure_names_the_top_people(case):
    _, G, targets = case
    fig = network_figure(G, targets, top=20, labels=5)
    names = {t.get_text() for t in fig.axes[0].texts}
    assert names == set(targets.head(5)["name"])
    assert fig.axes[0].get_title().startswith("Top 20 people by score")
    assert len(fig.axes[0].collections[-1].get_offsets()) == 20  # the people drawn


def test_tie_categories():
    assert tie_category("link:money_transfer") == "money"
    assert tie_category("link:shared_address") == "shared address"
    assert tie_category("shared_account") == "shared account"  # a kind added later still reads
