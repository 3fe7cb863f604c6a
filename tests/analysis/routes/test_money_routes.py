"""Money following the drugs back across the border (netintel.analysis.routes.money and
ws.routes.money) on a generated set with its planted online sellers."""

from __future__ import annotations

import networkx as nx
import pandas as pd

import netintel
from netintel.analysis.routes import money_by_country
from netintel.synthetic import generate, write


def test_planted_seller_payments_go_back_from_vietnam_to_laos(tmp_path):
    dataset = generate(700, seed=3)
    paths = write(dataset, tmp_path / "records")
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(
            arrests=paths["arrests"],
            links=paths["links"],
            accounts=paths["accounts"],
            interactions=paths["interactions"],
        )
        money = ws.routes.money()
    back = money[(money["from_country"] == "VN") & (money["to_country"] == "LA")]
    assert len(back) == 1 and bool(back.iloc[0]["cross_border"])
    assert back.index[0] == 0  # cross-border money comes first
    planted = {p for s in dataset.truth["online_sellers"] for p in s["payments"]}
    row = back.iloc[0]
    assert planted <= set(row["records"])
    assert row["payments"] == len(planted) and set(row["amounts"]) == {"USDT"}
    assert row["methods"] == {"crypto": len(planted)}
    # the buyers' payments to the sellers are nobody's: no row carries them
    buyers = {b for s in dataset.truth["online_sellers"] for b in s["buyer_interactions"]}
    assert not buyers & {r for rs in money["records"] for r in rs}


def test_people_without_a_country_and_no_money():
    flows = nx.DiGraph()
    flows.add_edge("a", "b", weight=2, amounts={"VND": 10.0}, sources=["I-1"])
    flows.add_edge("c", "b", weight=1, amounts={"VND": 5.0}, sources=["I-2"])
    money = money_by_country(flows, pd.DataFrame({"person_id": ["b"], "country": ["VN"]}))
    row = money.iloc[0]
    assert (row["from_country"], row["to_country"], row["cross_border"]) == (None, "VN", False)
    assert (row["payments"], row["amounts"], row["payers"]) == (3, {"VND": 15.0}, ["a", "c"])
    empty = money_by_country(nx.DiGraph(), pd.DataFrame({"person_id": [], "country": []}))
    assert empty.empty and list(empty.columns)[:2] == ["from_country", "to_country"]
