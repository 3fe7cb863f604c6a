"""Online accounts in the projection: accounts resolved to people, with the evidence kept, and
the ties and money flows their messages and payments imply.

An account is a person's where the evidence allows, never silently:

==========================  ======================================================================
``how``                     the account is the person's because ...
==========================  ======================================================================
``owner``                   an account record names the person as its owner (``OWNS``)
``registration phone``      it was registered with a phone the person uses (``USES``, from any
                            record: an arrest, a waybill, an account's owner)
``registration e-mail``     it was registered with the same e-mail as an account the person owns
==========================  ======================================================================

:func:`account_people` lists every such match with its records; an account may point to
several people (a shared phone), and every one of them is kept. Ties (channel ``online``):
``online_message`` (a message between two accounts), ``payment`` (a payment between two
accounts); each carries the interaction's records and those that resolve both accounts.
:func:`money_flows` is the money as a directed, weighted layer between people.

Examples
--------
>>> import pandas as pd
>>> t = {
...     "account_owners": pd.DataFrame({"person_id": ["P1"], "account": ["OA-1"],
...                                     "sources": [["ACC-1"]]}),
...     "account_phones": pd.DataFrame({"account": ["OA-2"], "phone": ["+8491"],
...                                     "sources": [["ACC-2"]]}),
...     "person_phones": pd.DataFrame({"person_id": ["P2"], "phone": ["+8491"],
...                                    "sources": [["ARR-9"]]}),
...     "account_payments": pd.DataFrame({"source": ["OA-1"], "target": ["OA-2"],
...         "amount": [5000.0], "currency": ["USDT"], "method": ["crypto"],
...         "sources": [["I-1"]], "date": [pd.Timestamp("2024-01-02")]}),
... }
>>> account_people(t, max_group=50)[["account", "person_id", "how", "sources"]].values.tolist()
[['OA-1', 'P1', 'owner', ['ACC-1']], ['OA-2', 'P2', 'registration phone', ['ACC-2', 'ARR-9']]]
>>> online_evidence(t, max_group=50)[["u", "v", "kind", "sources", "channel"]].values.tolist()
[['P1', 'P2', 'payment', ['ACC-1', 'ACC-2', 'ARR-9', 'I-1'], 'online']]
>>> flows = money_flows(t)
>>> flows.edges["P1", "P2"]["amounts"], flows.edges["P1", "P2"]["weight"]
({'USDT': 5000.0}, 1)
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from netintel.store import cypher

__all__ = [
    "ACCOUNT_COLUMNS",
    "TABLES",
    "account_people",
    "money_flows",
    "online_evidence",
    "payment_evidence",
]

#: Projection table name -> the query that reads it.
TABLES = {
    "account_owners": cypher.ACCOUNT_OWNERS,
    "account_phones": cypher.ACCOUNT_PHONES,
    "account_emails": cypher.ACCOUNT_EMAILS,
    "account_messages": cypher.ACCOUNT_MESSAGES,
    "account_payments": cypher.ACCOUNT_PAYMENTS,
}
#: Columns of :func:`account_people`.
ACCOUNT_COLUMNS = ("account", "person_id", "how", "sources")
CHANNEL = "online"
_COLUMNS = ["u", "v", "kind", "strength", "sources", "date", "channel"]


def _get(t: Mapping[str, pd.DataFrame], name: str, columns: list[str]) -> pd.DataFrame:
    frame = t.get(name)
    return frame if frame is not None and len(frame) else pd.DataFrame(columns=columns)


def _union(a: object, b: object) -> list[str]:
    return sorted(set(a or []) | set(b or []))


def account_people(t: Mapping[str, pd.DataFrame], *, max_group: int = 50) -> pd.DataFrame:
    """Every match of an online account to a person, with how and on which records.

    Parameters
    ----------
    t : mapping of str to DataFrame
        The projection tables (:data:`TABLES`, ``person_phones``), people resolved.
    max_group : int
        A phone used by more people than this resolves no account.

    Returns
    -------
    DataFrame
        :data:`ACCOUNT_COLUMNS`, sorted by account, person and how.
    """
    owners = _get(t, "account_owners", ["person_id", "account", "sources"])
    rows = [owners.assign(how="owner")[list(ACCOUNT_COLUMNS)]]
    phones = _get(t, "account_phones", ["account", "phone", "sources"])
    users = _get(t, "person_phones", ["person_id", "phone", "sources"])
    users = users[users.groupby("phone")["person_id"].transform("nunique") <= max_group]
    m = phones.merge(users, on="phone", suffixes=("", "_use"))
    rows.append(
        pd.DataFrame(
            {
                "account": m["account"],
                "person_id": m["person_id"],
                "how": "registration phone",
                "sources": [
                    _union(a, b) for a, b in zip(m["sources"], m["sources_use"], strict=True)
                ],
            }
        )
    )
    emails = _get(t, "account_emails", ["account", "email", "sources"])
    owned = emails.merge(owners, on="account", suffixes=("", "_own"))
    m = emails.merge(owned, on="email", suffixes=("", "_o"))
    m = m[m["account"] != m["account_o"]]
    rows.append(
        pd.DataFrame(
            {
                "account": m["account"],
                "person_id": m["person_id"],
                "how": "registration e-mail",
                "sources": [
                    _union(_union(a, b), c)
                    for a, b, c in zip(m["sources"], m["sources_o"], m["sources_own"], strict=True)
                ],
            }
        )
    )
    out = pd.concat([r for r in rows if len(r)] or rows[:1], ignore_index=True)
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ACCOUNT_COLUMNS})
    out = out.sort_values(["account", "person_id", "how"], kind="mergesort")
    return out.drop_duplicates(["account", "person_id", "how"]).reset_index(drop=True)


def _between(t: Mapping[str, pd.DataFrame], name: str, max_group: int) -> pd.DataFrame:
    """The interactions of table ``name`` with the people of both accounts (one row per pair
    of people), ``sources`` the interaction's and the resolutions'."""
    cols = ["source", "target", "sources", "date", "amount", "currency", "method"]
    frame = _get(t, name, cols)
    people = account_people(t, max_group=max_group)
    people = people.groupby(["account", "person_id"], as_index=False)["sources"].agg(
        lambda s: sorted({r for x in s for r in x})
    )
    m = frame.merge(
        people.rename(columns={"account": "source", "person_id": "u", "sources": "su"}), on="source"
    )
    m = m.merge(
        people.rename(columns={"account": "target", "person_id": "v", "sources": "sv"}), on="target"
    )
    m = m[m["u"] != m["v"]]
    m = m.assign(
        sources=[
            _union(_union(a, b), c) for a, b, c in zip(m["sources"], m["su"], m["sv"], strict=True)
        ]
    )
    return m.reset_index(drop=True)


def online_evidence(t: Mapping[str, pd.DataFrame], *, max_group: int = 50) -> pd.DataFrame:
    """Evidence rows (``u, v, kind, strength, sources, date, channel``) of messages and
    payments between the people the accounts resolve to."""
    parts = []
    for name, kind in (("account_messages", "online_message"), ("account_payments", "payment")):
        m = _between(t, name, max_group)
        if len(m):
            lo = m[["u", "v"]].min(axis=1).to_numpy(dtype=object)
            hi = m[["u", "v"]].max(axis=1).to_numpy(dtype=object)
            parts.append(
                pd.DataFrame(
                    {
                        "u": lo,
                        "v": hi,
                        "kind": kind,
                        "strength": 1.0,
                        "sources": m["sources"],
                        "date": m["date"],
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=_COLUMNS)
    ev = pd.concat(parts, ignore_index=True)
    ev["channel"] = CHANNEL
    return ev[_COLUMNS]


def payment_evidence(t: Mapping[str, pd.DataFrame], *, max_group: int = 50) -> pd.DataFrame:
    """Directed evidence rows of the payments between people: ``u`` the payer, ``v`` the
    payee, ``kind`` ``payment``, ``strength`` 1, ``sources`` (the payment's records and those
    resolving both accounts), ``date``; one row per payment and pair of people.

    The undirected projection (:func:`online_evidence`) orders each pair; this keeps who paid
    whom, for the directed person graph (:func:`netintel.project.directed.directed_evidence`).

    >>> import pandas as pd
    >>> t = {"account_owners": pd.DataFrame({"person_id": ["P1", "P2"],
    ...          "account": ["B", "A"], "sources": [["ACC-1"], ["ACC-2"]]}),
    ...      "account_payments": pd.DataFrame({"source": ["A"], "target": ["B"],
    ...          "amount": [10.0], "currency": ["USDT"], "method": ["crypto"],
    ...          "sources": [["I-1"]], "date": [pd.Timestamp("2024-01-02")]})}
    >>> payment_evidence(t)[["u", "v", "kind", "sources"]].values.tolist()
    [['P2', 'P1', 'payment', ['ACC-1', 'ACC-2', 'I-1']]]
    """
    m = _between(t, "account_payments", max_group)
    cols = ["u", "v", "kind", "strength", "sources", "date"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    return m.assign(kind="payment", strength=1.0)[cols].reset_index(drop=True)


def money_flows(t: Mapping[str, pd.DataFrame], *, max_group: int = 50) -> nx.DiGraph:
    """The payments between people as a directed, weighted graph.

    Returns
    -------
    networkx.DiGraph
        An edge payer -> payee per pair of people: ``weight`` (number of payments),
        ``amounts`` (currency -> total), ``methods`` (method -> number), ``sources`` (the
        payments' records and those resolving the accounts), ``first_seen``, ``last_seen``.
    """
    G = nx.DiGraph()
    m = _between(t, "account_payments", max_group)
    for (u, v), group in m.groupby(["u", "v"], sort=True):
        amounts: dict[str, float] = {}
        for amount, currency in zip(group["amount"], group["currency"], strict=True):
            if pd.notna(amount):
                key = currency if isinstance(currency, str) else "?"
                amounts[key] = amounts.get(key, 0.0) + float(amount)
        dates = pd.to_datetime(group["date"], errors="coerce").dropna()
        G.add_edge(
            u,
            v,
            weight=len(group),
            amounts=amounts,
            methods=group["method"].dropna().value_counts().to_dict(),
            sources=sorted({r for s in group["sources"] for r in s}),
            first_seen=dates.min().date().isoformat() if len(dates) else None,
            last_seen=dates.max().date().isoformat() if len(dates) else None,
        )
    return G
