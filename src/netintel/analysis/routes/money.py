"""Money following the drugs back across the border: payments summed by country pair.

Drugs move from Laos into Vietnam; the money for them moves the other way. Given the money
layer (:func:`netintel.project.online.money_flows`: payer -> payee between people, amounts
by currency, records) and each person's country
(:func:`netintel.project.directed.person_places`), :func:`money_by_country` sums the
payments from the people of one country to those of another, so a corridor ``LA -> VN``
of seizures can be read beside the money ``VN -> LA`` that pays for it.

Examples
--------
>>> import networkx as nx
>>> import pandas as pd
>>> flows = nx.DiGraph()
>>> flows.add_edge("seller", "supplier", weight=3, amounts={"USDT": 900.0},
...                methods={"crypto": 3}, sources=["ONL-2", "ONL-4", "ONL-6"],
...                first_seen="2024-01-02", last_seen="2024-03-01")
>>> flows.add_edge("buyer", "seller", weight=1, amounts={"VND": 500000.0},
...                methods={"ewallet": 1}, sources=["ONL-1"],
...                first_seen="2024-01-01", last_seen="2024-01-01")
>>> places = pd.DataFrame({"person_id": ["seller", "supplier", "buyer"],
...                        "country": ["VN", "LA", "VN"]})
>>> money = money_by_country(flows, places)
>>> money[["from_country", "to_country", "payments", "amounts", "cross_border"]].values.tolist()
[['VN', 'LA', 3, {'USDT': 900.0}, True], ['VN', 'VN', 1, {'VND': 500000.0}, False]]
>>> money.loc[0, "payers"], money.loc[0, "records"]
(['seller'], ['ONL-2', 'ONL-4', 'ONL-6'])
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["MONEY_COLUMNS", "money_by_country"]

#: Columns of :func:`money_by_country`.
MONEY_COLUMNS = (
    "from_country",
    "to_country",
    "cross_border",
    "payments",
    "amounts",
    "methods",
    "payers",
    "payees",
    "first_seen",
    "last_seen",
    "records",
)


def money_by_country(flows: nx.DiGraph, places: pd.DataFrame) -> pd.DataFrame:
    """The payments between people summed by the payer's and the payee's country.

    Parameters
    ----------
    flows : networkx.DiGraph
        Payer -> payee ties with ``weight`` (payments), ``amounts`` (currency -> total),
        ``methods``, ``sources``, ``first_seen``, ``last_seen``
        (:func:`netintel.project.online.money_flows`).
    places : pandas.DataFrame
        ``person_id, country``; a person without a country is counted under ``None``.

    Returns
    -------
    pandas.DataFrame
        :data:`MONEY_COLUMNS`, one row per (payer country, payee country): ``cross_border``
        when the two differ, ``payments`` (how many), ``amounts`` and ``methods`` summed,
        ``payers`` and ``payees`` (person ids), the first and last payment's dates and the
        records behind them; cross-border rows first, then by payments.
    """
    country = dict(zip(places["person_id"], places["country"], strict=True))
    rows: dict[tuple, dict] = {}
    for u, v, d in flows.edges(data=True):
        cu, cv = country.get(u), country.get(v)
        row = rows.setdefault(
            (cu, cv),
            {
                "payments": 0,
                "amounts": {},
                "methods": {},
                "payers": set(),
                "payees": set(),
                "dates": [],
                "records": set(),
            },
        )
        row["payments"] += int(d.get("weight", 1))
        for key in ("amounts", "methods"):
            for k, x in (d.get(key) or {}).items():
                row[key][k] = row[key].get(k, 0) + x
        row["payers"].add(u)
        row["payees"].add(v)
        row["dates"] += [x for x in (d.get("first_seen"), d.get("last_seen")) if x]
        row["records"] |= set(d.get("sources") or [])
    out = pd.DataFrame(
        [
            {
                "from_country": cu,
                "to_country": cv,
                "cross_border": cu is not None and cv is not None and cu != cv,
                "payments": r["payments"],
                "amounts": dict(sorted(r["amounts"].items())),
                "methods": dict(sorted(r["methods"].items())),
                "payers": sorted(map(str, r["payers"])),
                "payees": sorted(map(str, r["payees"])),
                "first_seen": min(r["dates"]) if r["dates"] else None,
                "last_seen": max(r["dates"]) if r["dates"] else None,
                "records": sorted(r["records"]),
            }
            for (cu, cv), r in rows.items()
        ],
        columns=list(MONEY_COLUMNS),
    )
    if out.empty:
        return out.astype(object)
    order = out.assign(_from=out["from_country"].fillna(""), _to=out["to_country"].fillna(""))
    order = order.sort_values(
        ["cross_border", "payments", "_from", "_to"], ascending=[False, False, True, True]
    )
    return out.loc[order.index].reset_index(drop=True)
