"""Gould-Fernandez brokerage roles, participation and the brokers table."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.network.brokers import ROLES, brokerage, gould_fernandez, participation
from netintel.errors import AnalysisError


def roles_of(D: nx.DiGraph, groups: dict, person: str, **kw) -> dict[str, int]:
    row = gould_fernandez(D, groups, **kw).set_index("person_id").loc[person]
    return {r: int(row[r]) for r in ROLES}


def only(role: str, n: int = 1) -> dict[str, int]:
    return {r: (n if r == role else 0) for r in ROLES}


PATH = nx.DiGraph([("a", "b"), ("b", "c")])


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ({"a": "X", "b": "X", "c": "X"}, "coordinator"),
        ({"a": "X", "b": "Y", "c": "X"}, "itinerant"),
        ({"a": "Y", "b": "X", "c": "X"}, "gatekeeper"),
        ({"a": "X", "b": "X", "c": "Y"}, "representative"),
        ({"a": "X", "b": "Y", "c": "Z"}, "liaison"),
    ],
)
def test_each_role_on_a_two_path(groups: dict, role: str) -> None:
    assert roles_of(PATH, groups, "b") == only(role)
    # the ends broker nothing
    assert roles_of(PATH, groups, "a") == only(role, 0)
    assert roles_of(PATH, groups, "c") == only(role, 0)


def test_lao_supplier_to_vietnamese_buyers_through_a_vietnamese_gatekeeper() -> None:
    D = nx.DiGraph([("lao1", "vn_gk"), ("lao2", "vn_gk"), ("vn_gk", "buyer1"), ("vn_gk", "buyer2")])
    side = {"lao1": "LA", "lao2": "LA", "vn_gk": "VN", "buyer1": "VN", "buyer2": "VN"}
    assert roles_of(D, side, "vn_gk") == only("gatekeeper", 4)
    # The same man, Lao: he represents the Lao side towards Vietnam.
    assert roles_of(D, {**side, "vn_gk": "LA"}, "vn_gk") == only("representative", 4)


def test_a_direct_tie_closes_the_path_unless_asked_to_count_it() -> None:
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    groups = {"a": "X", "b": "Y", "c": "Z"}
    assert roles_of(D, groups, "b") == only("liaison", 0)
    assert roles_of(D, groups, "b", open_only=False) == only("liaison", 1)
    # the reverse tie c -> a does not close a -> b -> c
    D2 = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert roles_of(D2, groups, "b")["liaison"] == 1


def test_going_back_and_forth_with_one_person_is_no_brokerage() -> None:
    D = nx.DiGraph([("a", "b"), ("b", "a")])
    assert roles_of(D, {"a": "X", "b": "Y"}, "b") == only("itinerant", 0)


def test_ungrouped_people_are_left_out() -> None:
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "b")])
    df = gould_fernandez(D, {"a": "X", "b": "X", "c": "Y"}).set_index("person_id")
    assert df.loc["b", "representative"] == 1  # a -> b -> c; d has no group
    assert df.loc["d", "group"] is None and df.loc["d", list(ROLES)].sum() == 0


def test_undirected_ties_are_mutual() -> None:
    G = nx.Graph([("a", "b"), ("b", "c")])
    counts = roles_of(G, {"a": "X", "b": "Y", "c": "X"}, "b")
    assert counts == only("itinerant", 2)  # a -> b -> c and c -> b -> a


def test_weighted_counts_are_geometric_means_of_tie_strengths() -> None:
    D = nx.DiGraph()
    D.add_edge("a", "b", weight=4.0)
    D.add_edge("b", "c", weight=9.0)
    D.add_edge("b", "d", weight=1.0)
    df = gould_fernandez(D, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, weight="weight")
    assert df.set_index("person_id").loc["b", "representative"] == pytest.approx(6.0 + 2.0)


def _brute_force(D: nx.DiGraph, g: dict, open_only: bool) -> pd.DataFrame:
    """The definition, path by path."""
    rows = []
    for b in D:
        counts = dict.fromkeys(ROLES, 0)
        if b in g:
            for a, c in itertools.permutations(D, 2):
                if b in (a, c) or a not in g or c not in g:
                    continue
                if not (D.has_edge(a, b) and D.has_edge(b, c)):
                    continue
                if open_only and D.has_edge(a, c):
                    continue
                ga, gb, gc = g[a], g[b], g[c]
                if ga == gc:
                    role = "coordinator" if ga == gb else "itinerant"
                elif ga == gb:
                    role = "representative"
                elif gb == gc:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                counts[role] += 1
        rows.append({"person_id": b, **counts})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("open_only", [True, False])
def test_counts_match_the_definition_on_random_graphs(seed: int, open_only: bool) -> None:
    D = nx.gnp_random_graph(25, 0.15, seed=seed, directed=True)
    rng = random.Random(seed)
    g = {u: rng.choice("XYZ") for u in D if rng.random() < 0.9}
    got = gould_fernandez(D, g, open_only=open_only)[["person_id", *ROLES]]
    pd.testing.assert_frame_equal(got, _brute_force(D, g, open_only), check_dtype=False)


def test_participation_coefficient() -> None:
    G = nx.Graph()
    G.add_edge("x", "a1", weight=1.0)
    G.add_edge("x", "a2", weight=1.0)
    G.add_edge("x", "b1", weight=2.0)
    G.add_edge("a1", "a2", weight=1.0)
    G.add_node("alone")
    p = participation(G, {"x": "A", "a1": "A", "a2": "A", "b1": "B"})
    assert p["x"] == pytest.approx(0.5)  # strength 2 in A, 2 in B
    assert p["a1"] == 0.0 and p["alone"] == 0.0
    unweighted = participation(G, {"x": "A", "a1": "A", "a2": "A", "b1": "B"}, weight=None)
    assert unweighted["x"] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)


@pytest.fixture
def two_rings() -> tuple[nx.Graph, nx.DiGraph, dict]:
    """Supply ring S (hub s0 calls s1..s4), buyer ring B (hub b0 calls b1..b4); the broker x
    takes calls from s0, s1 and calls b0, b1; s0 also once calls b2 directly."""
    D = nx.DiGraph()
    for ring in ("s", "b"):
        for i in range(1, 5):
            D.add_edge(f"{ring}0", f"{ring}{i}", weight=2.0, sources=[f"C-{ring}0{ring}{i}"])
            D.add_edge(f"{ring}{i}", f"{ring}0", weight=1.0, sources=[f"C-{ring}{i}{ring}0"])
    for a, c in (("s0", "x"), ("s1", "x"), ("x", "b0"), ("x", "b1")):
        D.add_edge(a, c, weight=3.0, sources=[f"C-{a}{c}"])
    D.add_edge("s0", "b2", weight=0.5, sources=["C-s0b2"])
    G = nx.Graph()
    for u, v, d in D.edges(data=True):
        if G.has_edge(u, v):
            G[u][v]["weight"] += d["weight"]
            G[u][v]["sources"] = sorted({*G[u][v]["sources"], *d["sources"]})
        else:
            G.add_edge(u, v, weight=d["weight"], sources=list(d["sources"]))
    for u in G:
        G.nodes[u].update(name=f"Name {u}", sources=[f"ARR-{u}"])
    groups = {u: ("S" if u.startswith("s") else "B") for u in G if u != "x"}
    groups["x"] = "S"
    return G, D, groups


def test_the_broker_between_two_rings_ranks_first(two_rings) -> None:
    G, D, groups = two_rings
    df = brokerage(G, groups, directed=D)
    assert df.loc[0, "person_id"] == "x"
    assert df.loc[0, "representative"] == 4  # (s0|s1) -> x -> (b0|b1)
    assert df.loc[0, "gatekeeper"] == 0
    # a hub that deals with the other ring once, among much coordination, ranks below
    s0 = df.set_index("person_id").loc["s0"]
    assert s0["coordinator"] > 0 and s0["score"] < df.loc[0, "score"]
    assert list(df.columns) == [
        "person_id",
        "name",
        "group",
        *ROLES,
        "brokerage",
        "participation",
        "score",
        "explanation",
        "evidence",
    ]
    assert df["score"].is_monotonic_decreasing


def test_explanation_and_evidence_name_the_crossing(two_rings) -> None:
    G, D, groups = two_rings
    row = brokerage(G, groups, directed=D, top=1).iloc[0]
    assert row["explanation"].startswith("representative 4 (S -> B 4)")
    assert "participation" in row["explanation"]
    # own records and the records of the ties to the other ring, not those inside its own
    assert row["evidence"] == ["ARR-x", "C-xb0", "C-xb1"]


def test_without_directed_ties_the_person_graph_is_read_as_mutual(two_rings) -> None:
    G, _, groups = two_rings
    df = brokerage(G, groups)
    assert df.loc[0, "person_id"] == "x"
    assert df.attrs["directed_ties"] == 0 and df.attrs["groups"] == 2


def test_ties_in_score_are_broken_by_participation_then_id() -> None:
    # d - c - e is closed by d - e: nobody brokers; c and d have contacts in both groups
    G = nx.Graph([("a", "b"), ("c", "d"), ("c", "e"), ("d", "e")])
    df = brokerage(G, {"a": "X", "b": "X", "c": "X", "d": "X", "e": "Y"})
    assert (df["score"] == 0).all()
    assert df["person_id"].tolist() == ["c", "d", "a", "b", "e"]
    assert df["participation"].tolist() == [0.5, 0.5, 0.0, 0.0, 0.0]


def test_groups_as_a_frame_and_people_without_a_group(two_rings) -> None:
    G, D, groups = two_rings
    frame = pd.DataFrame({"person_id": list(groups), "group": list(groups.values())})
    frame.loc[frame["person_id"] == "b4", "group"] = None
    df = brokerage(G, frame, directed=D)
    assert df.attrs["ungrouped"] == 1
    assert df.set_index("person_id").loc["b4", "explanation"] == "no group: not scored"


def test_invalid_input_raises(two_rings) -> None:
    G, D, groups = two_rings
    with pytest.raises(AnalysisError, match="top"):
        brokerage(G, groups, top=0)
    with pytest.raises(AnalysisError, match="columns"):
        brokerage(G, pd.DataFrame({"person_id": ["x"]}))
    with pytest.raises(AnalysisError, match="more than one group"):
        gould_fernandez(D, pd.Series(["A", "B"], index=["x", "x"]))
    with pytest.raises(AnalysisError, match="networkx"):
        gould_fernandez([("a", "b")], {})
    D.add_edge("s1", "s2", weight="strong")
    with pytest.raises(AnalysisError, match="number"):
        gould_fernandez(D, groups, weight="weight")
    assert math.isfinite(brokerage(G, groups, directed=D, weight=None)["score"].max())


def test_online_payments_are_directed_money_ties_for_brokerage(tmp_path: Path) -> None:
    """A buyer pays an online seller's e-wallet and the seller's USDT wallet pays a Lao
    supplier: in the directed graph the money runs buyer -> seller -> supplier (payments,
    with their records), so the seller brokers Vietnamese money to Laos (representative)."""
    import netintel

    exports = Path(__file__).resolve().parents[3] / "fixtures" / "exports"
    buyer = tmp_path / "buyer_accounts.csv"
    buyer.write_text(
        "record_id,platform,account,owner_name,owner_national_id,date\n"
        "ACC-B1,MoMo,0912555666,Lê Thị Mai,001190000222,2024-02-01\n",
        encoding="utf-8",
    )
    paid = tmp_path / "buyer_payments.csv"
    paid.write_text(
        "record_id,interaction,date,from_platform,from_account,to_platform,to_account,"
        "amount,currency,method\n"
        "I-B1,payment,2024-02-04,MoMo,0912555666,USDT,TXa9f3kP2mN8,300,USDT,crypto\n",
        encoding="utf-8",
    )
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(
            accounts=[exports / "accounts.csv", buyer],
            interactions=[exports / "interactions.csv", paid],
            arrests=exports / "online_arrests.csv",
        )
        D = ws.network.directed_graph()
    who = {D.nodes[n]["name"]: n for n in D}
    mai, bao, souk = who["Lê Thị Mai"], who["Trần Văn Bảo"], who["Souk Phommachan"]
    assert D.edges[mai, bao]["kinds"] == {"payment": 1} and not D.has_edge(bao, mai)
    assert "I-B1" in D.edges[mai, bao]["sources"]
    assert D.edges[bao, souk]["kinds"].get("payment") == 1
    assert "I-2" in D.edges[bao, souk]["sources"]
    money = D.edge_subgraph((u, v) for u, v, k in D.edges(data="kinds") if "payment" in k).copy()
    assert roles_of(money, {mai: "VN", bao: "VN", souk: "LA"}, bao) == only("representative")
