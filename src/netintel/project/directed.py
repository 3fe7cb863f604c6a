"""The directed person graph, and the people's groups and activity, read from the store.

:func:`netintel.project.build_person_graph` folds every tie into an undirected person graph;
brokerage roles (Gould & Fernandez 1989) need to know who passes what to whom. This module
keeps the direction the records give:

=========================  ==========================================================
record                     directed tie
=========================  ==========================================================
communication              caller -> callee (a phone end stands for the people using it)
link ``money_transfer``    source -> target, as recorded (payer -> payee)
online payment             payer -> payee, between the people its accounts resolve to
                           (:func:`netintel.project.online.payment_evidence`)
any other link             both ways: a family tie, a meeting or co-offending has no
                           direction, so it is a mutual tie
=========================  ==========================================================

Each tie carries ``weight`` (summed evidence strength, as in the undirected projection, so
``kind_weights`` and the window of :class:`~netintel.project.ProjectionSettings` apply),
``kinds`` (kind -> pieces of evidence) and ``sources`` (record ids).

It also reads what groupings and ring profiles need, with portable read-only Cypher:

- :func:`person_places`: each person's **home province** and **country**. Home province:
  the province of the address the person lives at (the address's Place when the store has
  one, else the address text resolved against the gazetteer, e.g. ``"Số 78, Ky Son, Nghệ
  An"`` -> Nghệ An); failing that, the province where the person was arrested most often.
  Country: the recorded nationality; failing that, the country of the home province; then
  the country most of the person's phone numbers belong to (``+856`` -> LA); then the
  country of their arrests. Ties between equally frequent values go to the alphabetically
  first. ``province_source`` and ``country_source`` say which rule gave the value.
- :func:`person_activity`: one row per person and arrest, with the linked seizure's drug,
  kg, place and date when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from netintel.batch import union_by_group
from netintel.project import ProjectionSettings, _as_list, _calls, _links, read_tables, weigh
from netintel.project.online import payment_evidence
from netintel.store import cypher
from netintel.store.base import GraphStore

__all__ = [
    "DIRECTED_LINK_TYPES",
    "build_directed_graph",
    "directed_evidence",
    "person_activity",
    "person_places",
    "project_directed",
]

#: Link types whose recorded direction means something; other links are mutual ties.
DIRECTED_LINK_TYPES: frozenset[str] = frozenset({"money_transfer"})

_DIRECTED = ["u", "v", "kind", "strength", "sources", "date"]


def directed_evidence(
    tables: Mapping[str, pd.DataFrame], settings: ProjectionSettings | None = None
) -> pd.DataFrame:
    """One row per piece of directed evidence: ``u -> v, kind, strength, sources, date``.

    Calls run caller -> callee, money transfers source -> target, online payments payer ->
    payee, other links both ways (two rows). ``strength`` is scaled by the kind weights and recency of ``settings``, and
    evidence outside its window is left out, exactly as in the undirected projection.
    """
    settings = (settings or ProjectionSettings()).validate()
    calls = _calls(tables, settings.max_group)
    links = _links(tables)
    parts = [calls[_DIRECTED]] if not calls.empty else []
    if not links.empty:
        links = links[_DIRECTED]
        directed = links["kind"].str.removeprefix("link:").isin(DIRECTED_LINK_TYPES)
        mutual = links[~directed]
        back = mutual.rename(columns={"u": "v", "v": "u"})[_DIRECTED]
        parts += [links[directed], mutual, back]
    parts.append(payment_evidence(tables, max_group=settings.max_group))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=_DIRECTED)
    ev = pd.concat(parts, ignore_index=True)
    ev = ev[ev["u"] != ev["v"]]
    return weigh(ev, settings)


def build_directed_graph(
    tables: Mapping[str, pd.DataFrame], settings: ProjectionSettings | None = None
) -> nx.DiGraph:
    """The directed person graph from the projection tables (see the module notes).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        As returned by :func:`netintel.project.read_tables`.
    settings : ProjectionSettings, optional

    Returns
    -------
    networkx.DiGraph
        Every person as a node (``name``, ``sources``); ties ``u -> v`` with ``weight``,
        ``kinds``, ``sources``, ``first_seen``, ``last_seen``.
    """
    ev = directed_evidence(tables, settings)
    persons = tables["persons"]
    D = nx.DiGraph()
    D.add_nodes_from(
        (pid, {"name": "" if not isinstance(name, str) else name, "sources": _as_list(src)})
        for pid, name, src in zip(
            persons["person_id"], persons["name"], persons["sources"], strict=True
        )
    )
    if ev.empty:
        return D
    pair = ev["u"].astype(str) + "\x00" + ev["v"].astype(str)
    codes, uniques = pd.factorize(pair, sort=True)
    grouped = ev.groupby(codes, sort=True)
    sources = union_by_group(codes, ev["sources"], len(uniques))
    weights = grouped["strength"].sum().to_numpy()
    first, last = grouped["date"].min(), grouped["date"].max()
    kinds = ev.groupby([codes, ev["kind"].to_numpy()]).size()
    kind_map: list[dict[str, int]] = [{} for _ in range(len(uniques))]
    for (code, kind), n in kinds.items():
        kind_map[code][kind] = int(n)
    for i, key in enumerate(uniques):
        u, v = key.split("\x00")
        D.add_edge(
            u,
            v,
            weight=float(weights[i]),
            kinds=kind_map[i],
            sources=sources[i],
            first_seen=_iso(first.iloc[i]),
            last_seen=_iso(last.iloc[i]),
        )
    return D


def project_directed(store: GraphStore, settings: ProjectionSettings | None = None) -> nx.DiGraph:
    """Read a store and build the directed person graph (see :func:`build_directed_graph`)."""
    return build_directed_graph(read_tables(store), settings)


def _iso(value: object) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _province_of_places(store: GraphStore) -> pd.DataFrame:
    """``place_id -> province, country`` for every Place at or below province level."""
    places = store.query(cypher.PLACES)
    parents = dict(
        store.query(cypher.PLACE_PARENTS)[["place_id", "parent_id"]].itertuples(index=False)
    )
    level = dict(zip(places["place_id"], places["level"], strict=True))
    name = dict(zip(places["place_id"], places["name"], strict=True))
    rows = []
    for pid, country in zip(places["place_id"], places["country"], strict=True):
        cur, seen = pid, set()
        while cur is not None and level.get(cur) not in ("province", "country") and cur not in seen:
            seen.add(cur)
            cur = parents.get(cur)
        province = name.get(cur) if cur is not None and level.get(cur) == "province" else None
        rows.append((pid, province, country))
    return pd.DataFrame(rows, columns=["place_id", "province", "country"])


def _locate(text: str) -> tuple[str, str | None, str | None] | None:
    """``(country, province, place)`` of an address text: its last part when that is a
    province of the gazetteer (the common ``"..., Ky Son, Nghệ An"``), else
    :func:`netintel.values.places.resolve_location` (which also reads a trailing country)."""
    from netintel.values.places import find_province, resolve_location

    parts = [p.strip() for p in re.split(r"[,;]", str(text)) if p.strip()]
    if not parts:
        return None
    found = find_province(parts[-1])
    if found is not None:
        return found.country, found.name, None
    return resolve_location(text)


def _mode(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Most frequent non-missing ``value`` per ``key``; ties to the alphabetically first."""
    f = frame[[key, value]].dropna()
    f = f[f[value].astype(str).str.strip() != ""]
    if f.empty:
        return pd.Series(dtype=object)
    counts = f.groupby([key, value]).size().rename("n").reset_index()
    counts = counts.sort_values([key, "n", value], ascending=[True, False, True], kind="mergesort")
    return counts.drop_duplicates(key).set_index(key)[value]


def person_places(
    store: GraphStore, tables: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Each person's home province and country (rules in the module notes).

    Parameters
    ----------
    store : GraphStore
    tables : mapping, optional
        :func:`netintel.project.read_tables` of ``store``, when the caller has them already.

    Returns
    -------
    pandas.DataFrame
        ``person_id, province, country, province_source, country_source``, one row per
        (resolved) person; a value the store cannot support is ``None``, its source too.
    """
    t = read_tables(store) if tables is None else tables
    out = t["persons"].set_index("person_id")
    places = _province_of_places(store)
    addresses = store.query(cypher.ADDRESSES).merge(places, on="place_id", how="left")
    todo = addresses["province"].isna() & addresses["address_text"].notna()
    located = {x: _locate(x) for x in addresses.loc[todo, "address_text"].unique()}
    resolved = [located[x] for x in addresses.loc[todo, "address_text"]]
    addresses.loc[todo, "province"] = [r[1] if r else None for r in resolved]
    addresses.loc[todo, "country"] = [r[0] if r else None for r in resolved]
    homes = t["person_addresses"][["person_id", "address"]].merge(addresses, on="address")
    arrests = t["person_arrests"][["person_id", "arrest_id"]].merge(
        store.query(cypher.ARRESTS), on="arrest_id"
    )
    home = _mode(homes, "person_id", "province")
    home_country = _mode(homes.dropna(subset=["province"]), "person_id", "country")
    arrested = _mode(arrests, "person_id", "province")
    province = home.reindex(out.index).astype(object)
    psource = pd.Series(np.where(province.notna(), "address", None), index=out.index, dtype=object)
    fill = province.isna() & arrested.reindex(out.index).notna()
    province[fill] = arrested.reindex(out.index)[fill]
    psource[fill] = "arrests"
    province_country = home_country.reindex(out.index)
    by_arrest = province.map(_mode(arrests, "province", "country"))
    province_country = province_country.where(province_country.notna(), by_arrest)

    nationality = out["nationality"] if "nationality" in out else pd.Series(None, index=out.index)
    nationality = nationality.where(nationality.notna() & (nationality.astype(str) != ""))
    phones = t["person_phones"][["person_id", "phone"]].merge(
        store.query(cypher.PHONES), on="phone"
    )
    country = pd.Series(None, index=out.index, dtype=object)
    csource = pd.Series(None, index=out.index, dtype=object)
    for label, values in (
        ("nationality", nationality),
        ("province", province_country),
        ("phones", _mode(phones, "person_id", "region").reindex(out.index)),
        ("arrests", _mode(arrests, "person_id", "country").reindex(out.index)),
    ):
        fill = country.isna() & values.notna()
        country[fill] = values[fill]
        csource[fill] = label
    result = pd.DataFrame(
        {
            "person_id": out.index,
            "province": province.to_numpy(),
            "country": country.to_numpy(),
            "province_source": psource.to_numpy(),
            "country_source": csource.to_numpy(),
        }
    ).astype(object)
    result = result.where(result.notna(), None)
    return result.sort_values("person_id", ignore_index=True)


def person_activity(
    store: GraphStore, tables: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """One row per (resolved) person and arrest, with its linked seizure (if any).

    Parameters
    ----------
    store, tables
        As for :func:`person_places`.

    Returns
    -------
    pandas.DataFrame
        ``person_id, arrest_id, role, date, province, country, seizure_id, drug,
        quantity_kg, seizure_date, seizure_province, seizure_country, sources`` (the arrest
        record ids). A seizure linked to an arrest of several people appears once per person.
    """
    t = read_tables(store) if tables is None else tables
    arrests = t["person_arrests"][["person_id", "arrest_id", "role", "date", "sources"]]
    arrests = arrests.merge(store.query(cypher.ARRESTS), on="arrest_id", how="left")
    places = _province_of_places(store).rename(
        columns={
            "place_id": "seizure_place",
            "province": "seizure_province",
            "country": "seizure_country",
        }
    )
    seizures = store.query(cypher.SEIZURES).merge(places, on="seizure_place", how="left")
    linked = t["arrest_seizures"][["arrest_id", "seizure_id", "quantity_kg"]].merge(
        seizures.drop(columns="seizure_place"), on="seizure_id", how="left"
    )
    out = arrests.merge(linked, on="arrest_id", how="left")
    for col in ("date", "seizure_date"):
        out[col] = pd.to_datetime(out[col], errors="coerce")
    cols = [
        "person_id",
        "arrest_id",
        "role",
        "date",
        "province",
        "country",
        "seizure_id",
        "drug",
        "quantity_kg",
        "seizure_date",
        "seizure_province",
        "seizure_country",
        "sources",
    ]
    out = out[cols].drop_duplicates(["person_id", "arrest_id", "seizure_id"])
    return out.sort_values(["person_id", "arrest_id"], ignore_index=True)
