"""Projection: the stored graph folded into a person-to-person NetworkX graph.

Events are nodes in the store (an Arrest, a Seizure); here they become ties between the
people they involve. The choice, made explicit:

========================  ===============================================================
tie kind                  two people are tied when ...
========================  ===============================================================
``co_arrest``             they were arrested in the same Arrest event
``co_seizure``            their (different) arrests are linked to the same Seizure
``call``                  a phone one uses called a phone the other uses, or a record
                          names both as the parties of a communication
``link:<type>``           an explicit link record ties them (money_transfer, family, ...)
``shared_vehicle``        they are recorded with the same vehicle
``shared_address``        they are recorded at the same address
``parcel``                one sent a shipment to the other (:mod:`.shipments`)
``parcel_phone``          each was named on a shipment beside the same phone
``parcel_address``        each was named on a shipment beside the same address
``online_message``        a message passed between accounts resolved to them
                          (:mod:`.online`: an owner named, a registration phone or e-mail)
``payment``               a payment passed between accounts resolved to them
========================  ===============================================================

Every piece of evidence has a ``channel``, the way the drugs moved as the records say
(:data:`netintel.ingest.vocab.CHANNELS`): a co-arrest or co-seizure takes its seizure's
transport mode (``land``, ``sea``, ``air``, ``express`` for post), a shipment tie is
``express``, an online message or payment ``online``; calls, links, shared vehicles and
addresses have none.

Each piece of evidence adds ``kind weight x recency`` to the tie's *strength* (``weight``):
calls scale with ``1 + ln(count)``, links with their recorded ``weight``; with a half-life, a
piece of evidence ``t`` days older than the reference date counts ``0.5 ** (t / half_life)``.
Groups larger than ``max_group`` (a mass arrest, a phone or an address shared by dozens) say
little about who works with whom and would add a clique of ``n^2/2`` ties, so they are skipped
with a warning.

Every tie keeps ``kinds`` (kind -> number of pieces of evidence), ``channels`` (channel ->
number of pieces of evidence) and ``sources`` (the record ids behind it); every person keeps ``roles`` (role -> number of arrest records), ``seizure_kg`` and
``sources``. The result follows the contract :mod:`netintel.analysis` expects.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import yaml

from netintel.batch import union_by_group
from netintel.errors import AnalysisError, InputError, InvalidValueError
from netintel.ingest.vocab import transport_channel
from netintel.project.online import TABLES as online_tables
from netintel.project.online import online_evidence
from netintel.project.shipments import TABLES as shipment_tables
from netintel.project.shipments import shipment_evidence
from netintel.resolve.fold import fold_tables
from netintel.store import cypher
from netintel.store.base import GraphStore
from netintel.values import PartialDate, Window

log = logging.getLogger(__name__)

DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "co_arrest": 1.0,
    "co_seizure": 0.8,
    "call": 0.5,
    "shared_vehicle": 0.6,
    "shared_address": 0.3,
    "link:co_offending": 1.0,
    "link:money_transfer": 1.0,
    "link:meeting": 0.7,
    "link:shared_vehicle": 0.6,
    "link:shared_address": 0.3,
    "link:family": 0.3,
    "link:other": 0.5,
    "parcel": 0.8,
    "parcel_phone": 0.6,
    "parcel_address": 0.3,
    "online_message": 0.5,
    "payment": 1.0,
}


@dataclass
class ProjectionSettings:
    """How evidence becomes tie strength. Loadable from YAML (same keys).

    Parameters
    ----------
    kind_weights : dict
        Strength added per piece of evidence of each kind (see the module docstring).
    half_life_days : float or None
        Recency decay; ``None`` weighs old and new evidence alike.
    reference_date : str or None
        ISO date recency is measured from; default: the latest evidence date.
    max_group : int
        Events, phones, vehicles and addresses shared by more people than this are skipped.
    since, until : str, PartialDate or None
        The bounds of the time window, as a settings file writes them (``YYYY``, ``YYYY-MM``
        or a full date, bounds included); :attr:`window` is the one
        :class:`~netintel.values.Window` they make, and :meth:`within` sets both from a
        Window. Dated evidence outside the window is left out, and so are the arrests behind
        roles and seized kg. Undated evidence (a shared vehicle or address) is a standing
        fact and always kept. Everyone stays in the graph; people with nothing in the window
        are isolated.

    Examples
    --------
    >>> ProjectionSettings(half_life_days=365).weight_of("link:money_transfer")
    1.0
    >>> ProjectionSettings().weight_of("link:unheard_of")
    0.5
    >>> w = ProjectionSettings(since="2023", until="2023-06").window
    >>> str(w), w.first_day, w.last_day
    ('2023 to 2023-06', Timestamp('2023-01-01 00:00:00'), Timestamp('2023-06-30 00:00:00'))
    >>> str(ProjectionSettings(half_life_days=90).within(Window("2024")).window)
    'since 2024'
    """

    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    half_life_days: float | None = None
    reference_date: str | None = None
    max_group: int = 50
    since: str | PartialDate | None = None
    until: str | PartialDate | None = None

    @property
    def window(self) -> Window:
        """``since`` and ``until`` as one :class:`~netintel.values.Window`.

        Raises
        ------
        AnalysisError
            Naming the bound: one that is not a date, a ``since`` after the ``until`` (the
            window would hold no date), or a ``since`` after today.
        """
        try:
            return Window(self.since, self.until)
        except InvalidValueError as e:
            raise AnalysisError(str(e)) from None

    def within(self, window: Window) -> ProjectionSettings:
        """A copy of these settings whose window is ``window`` (a checked
        :class:`~netintel.values.Window`: see :func:`netintel.workspace.as_window`)."""
        return replace(self, since=window.since, until=window.until)

    def weight_of(self, kind: str) -> float:
        """The strength one piece of evidence of ``kind`` adds (``link:<type>`` without a
        weight of its own falls back to ``link:other``; other unknown kinds add nothing)."""
        if kind in self.kind_weights:
            return float(self.kind_weights[kind])
        return float(self.kind_weights.get("link:other", 0.5)) if kind.startswith("link:") else 0.0

    def validate(self) -> ProjectionSettings:
        """Check every setting; return ``self``. The projections call it before they run.

        Raises
        ------
        AnalysisError
            Naming the setting and its value: a kind weight that is not a finite number
            >= 0, a half-life that is not a number > 0 (``None`` or 0: no decay), a
            reference date or window bound that is not a date, an empty window (see
            :attr:`window`), a ``max_group`` that is not a whole number >= 1.

        Examples
        --------
        >>> ProjectionSettings(half_life_days=90).validate().half_life_days
        90
        >>> ProjectionSettings(kind_weights={"call": "lots"}).validate()
        Traceback (most recent call last):
        ...
        netintel.errors.AnalysisError: kind weight 'call': 'lots' is not a finite number >= 0
        """
        if not isinstance(self.kind_weights, Mapping):
            raise AnalysisError(
                f"kind_weights must map tie kinds to numbers, got {self.kind_weights!r}"
            )
        for kind, weight in self.kind_weights.items():
            if not _finite(weight) or float(weight) < 0:
                raise AnalysisError(f"kind weight {kind!r}: {weight!r} is not a finite number >= 0")
        if self.half_life_days and not (_finite(self.half_life_days) and self.half_life_days > 0):
            raise AnalysisError(f"half_life_days must be a number > 0, got {self.half_life_days!r}")
        if self.reference_date:
            try:
                pd.Timestamp(self.reference_date)
            except (TypeError, ValueError) as e:
                raise AnalysisError(
                    f"reference_date {self.reference_date!r} is not a date: {e}"
                ) from None
        group = self.max_group
        if isinstance(group, bool) or not isinstance(group, Integral) or group < 1:
            raise AnalysisError(f"max_group must be a whole number >= 1, got {group!r}")
        _ = self.window
        return self

    @classmethod
    def from_yaml(cls, path: str | Path) -> ProjectionSettings:
        """Read settings from a YAML file (the keys of the constructor).

        Raises
        ------
        InputError
            If the file cannot be read or is not a YAML mapping.
        AnalysisError
            For an unknown key or a bad value (see :meth:`validate`), naming the file.
        """
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise InputError(f"cannot read projection settings {path}: {e}") from e
        if not isinstance(doc, dict):
            raise InputError(f"{path}: projection settings must be a YAML mapping of keys")
        known = {"kind_weights", "half_life_days", "reference_date", "max_group", "since", "until"}
        unknown = set(doc) - known
        if unknown:
            raise AnalysisError(f"{path}: unknown projection settings {sorted(unknown)}")
        weights = doc.pop("kind_weights", None) or {}
        if not isinstance(weights, dict):
            raise AnalysisError(f"{path}: kind_weights must map tie kinds to numbers")
        settings = cls(kind_weights={**DEFAULT_KIND_WEIGHTS, **weights}, **doc)
        try:
            return settings.validate()
        except AnalysisError as e:
            raise AnalysisError(f"{path}: {e}") from None


def _finite(value: object) -> bool:
    """Whether ``value`` is a real number (not a bool) and finite."""
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def read_tables(store: GraphStore) -> dict[str, pd.DataFrame]:
    """The tables the projection needs, read from a store with the portable queries, with
    Person ids mapped to resolved people (:func:`netintel.resolve.fold_tables`)."""
    names = {
        "persons": cypher.PERSONS,
        "person_arrests": cypher.PERSON_ARRESTS,
        "arrest_seizures": cypher.ARREST_SEIZURES,
        "person_phones": cypher.PERSON_PHONES,
        **{f"calls_{a.lower()}_{b.lower()}": text for (a, b), text in cypher.CALLS.items()},
        "person_links": cypher.PERSON_LINKS,
        "person_vehicles": cypher.PERSON_VEHICLES,
        "person_addresses": cypher.PERSON_ADDRESSES,
        "seizure_transport": cypher.SEIZURE_TRANSPORT,
        **shipment_tables,
        **online_tables,
    }
    tables = {name: _source_lists(store.query(text)) for name, text in names.items()}
    # One node per resolved person (entity resolution); Person ids become resolved ids.
    return fold_tables(tables)


_EVIDENCE = ["u", "v", "kind", "strength", "sources", "date", "channel"]


def _source_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every ``*sources`` column holding lists (a store may return arrays or
    missing values)."""
    for col in frame.columns:
        if col.endswith("sources"):
            frame[col] = [_as_list(x) for x in frame[col].to_numpy(dtype=object)]
    return frame


def _as_list(value: object) -> list:
    if type(value) is list:
        return value
    return list(value) if isinstance(value, tuple | np.ndarray) else []


def _group_codes(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes 0..n-1 of the distinct ``(a, b)`` pairs, in order of first appearance, and the
    pairs' two values as object arrays. Integer codes per column, combined: far faster than
    hashing tuples of strings."""
    ca, ua = pd.factorize(a.to_numpy(dtype=object))
    cb, ub = pd.factorize(b.to_numpy(dtype=object))
    codes, combined = pd.factorize(ca.astype(np.int64) * len(ub) + cb)
    first = np.asarray(ua, dtype=object)[combined // len(ub)]
    second = np.asarray(ub, dtype=object)[combined % len(ub)]
    return codes, first, second


def _pairs_within(groups: pd.DataFrame, key: str, kind: str, max_group: int) -> pd.DataFrame:
    """Evidence rows for every pair of people sharing ``key`` (one row per pair and group)."""
    if groups.empty:
        return pd.DataFrame(columns=_EVIDENCE)
    codes, group, person = _group_codes(groups[key], groups["person_id"])
    members = pd.DataFrame(
        {
            key: group,
            "person_id": person,
            "sources": union_by_group(codes, groups["sources"], len(group)),
        }
    )
    if "date" in groups:
        dates = pd.to_datetime(groups["date"]).groupby(codes).min()
        members["date"] = dates.reindex(range(len(group))).to_numpy()
    else:
        members["date"] = pd.NaT
    size = members.groupby(key)["person_id"].transform("size")
    big = members.loc[size > max_group, key].unique()
    if len(big):
        warnings.warn(
            f"{len(big)} {kind} group(s) with more than {max_group} people skipped "
            f"(largest: {int(size.max())}); raise max_group to include them",
            stacklevel=3,
        )
    members = members[size <= max_group]
    pairs = members.merge(members, on=key, suffixes=("_a", "_b"))
    pairs = pairs[pairs["person_id_a"] < pairs["person_id_b"]]
    return pd.DataFrame(
        {
            "u": pairs["person_id_a"].to_numpy(),
            "v": pairs["person_id_b"].to_numpy(),
            "kind": kind,
            "strength": 1.0,
            "sources": [a + b for a, b in zip(pairs["sources_a"], pairs["sources_b"], strict=True)],
            "date": pairs[["date_a", "date_b"]].min(axis=1).to_numpy(),
            "group": pairs[key].to_numpy(),
        }
    )


def _calls(t: Mapping[str, pd.DataFrame], max_group: int) -> pd.DataFrame:
    """Call evidence: each end of a call is a person, or a phone mapped to the people using it."""
    users = t["person_phones"][["person_id", "phone"]].drop_duplicates()
    per_phone = users.groupby("phone")["person_id"].transform("size")
    shared = users.loc[per_phone > max_group, "phone"].nunique()
    if shared:
        warnings.warn(
            f"{shared} phone(s) used by more than {max_group} people skipped", stacklevel=3
        )
    users = users[per_phone <= max_group]
    frames = []
    for a, b in (
        ("phone", "phone"),
        ("phone", "person"),
        ("person", "phone"),
        ("person", "person"),
    ):
        calls = t[f"calls_{a}_{b}"]
        for end, label, out in (("source", a, "u"), ("target", b, "v")):
            if label == "phone":
                calls = calls.merge(users.rename(columns={"phone": end, "person_id": out}), on=end)
            else:
                calls = calls.rename(columns={end: out})
        frames.append(calls)
    m = pd.concat(
        [f for f in frames if not f.empty]
        or [pd.DataFrame(columns=["u", "v", "count", "sources", "date"])],
        ignore_index=True,
    )
    m = m[m["u"] != m["v"]]
    count = pd.to_numeric(m["count"], errors="coerce").fillna(1).clip(lower=1)
    return pd.DataFrame(
        {
            "u": m["u"],
            "v": m["v"],
            "kind": "call",
            "strength": 1.0 + np.log(count.astype(float)),
            "sources": m["sources"],
            "date": m["date"],
        }
    )


def _links(t: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    links = t["person_links"]
    if links.empty:
        return pd.DataFrame(columns=_EVIDENCE)
    links = links[links["source"] != links["target"]]
    weight = pd.to_numeric(links["weight"], errors="coerce").fillna(1.0)
    return pd.DataFrame(
        {
            "u": links["source"],
            "v": links["target"],
            "kind": "link:" + links["link_type"].fillna("other").astype(str),
            "strength": weight,
            "sources": links["sources"],
            "date": links["date"],
        }
    )


def _seizure_channels(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``seizure_id -> channel`` of every seizure whose transport mode names one."""
    frame = tables.get("seizure_transport")
    if frame is None or frame.empty:
        return {}
    out = {
        s: transport_channel(m)
        for s, m in zip(frame["seizure_id"], frame["transport"], strict=True)
    }
    return {s: c for s, c in out.items() if c}


def evidence(tables: Mapping[str, pd.DataFrame], settings: ProjectionSettings) -> pd.DataFrame:
    """One row per piece of evidence tying two people: ``u, v, kind, strength, sources, date,
    channel``."""
    arrests = tables["person_arrests"]
    seizures = arrests.merge(tables["arrest_seizures"][["arrest_id", "seizure_id"]], on="arrest_id")
    co_seizure = _pairs_within(seizures, "seizure_id", "co_seizure", settings.max_group)
    if not co_seizure.empty:
        # People arrested together for that seizure already share a co_arrest tie.
        together = seizures[["seizure_id", "arrest_id", "person_id"]].drop_duplicates()
        together = together.merge(together, on=["seizure_id", "arrest_id"])
        together = together[together["person_id_x"] < together["person_id_y"]]
        together = together.rename(
            columns={"person_id_x": "u", "person_id_y": "v", "seizure_id": "group"}
        )[["u", "v", "group"]].drop_duplicates()
        marked = co_seizure.merge(together, on=["u", "v", "group"], how="left", indicator=True)
        co_seizure = marked[marked["_merge"] == "left_only"].drop(columns="_merge")
    channels = _seizure_channels(tables)
    if not co_seizure.empty:
        co_seizure = co_seizure.assign(channel=co_seizure["group"].map(channels))
    co_arrest = _pairs_within(arrests, "arrest_id", "co_arrest", settings.max_group)
    if not co_arrest.empty:
        # an arrest's channel: that of a seizure it is linked to (the smallest id, if several)
        linked = tables["arrest_seizures"][["arrest_id", "seizure_id"]].assign(
            channel=lambda f: f["seizure_id"].map(channels)
        )
        linked = linked.dropna(subset=["channel"]).sort_values("seizure_id")
        by_arrest = linked.drop_duplicates("arrest_id").set_index("arrest_id")["channel"]
        co_arrest = co_arrest.assign(channel=co_arrest["group"].map(by_arrest))
    parts = [
        co_arrest,
        co_seizure,
        _calls(tables, settings.max_group),
        _links(tables),
        _pairs_within(
            tables["person_vehicles"].assign(date=pd.NaT),
            "vehicle",
            "shared_vehicle",
            settings.max_group,
        ),
        _pairs_within(
            tables["person_addresses"].assign(date=pd.NaT),
            "address",
            "shared_address",
            settings.max_group,
        ),
        shipment_evidence(tables, max_group=settings.max_group),
        online_evidence(tables, max_group=settings.max_group),
    ]
    found = [p.reindex(columns=_EVIDENCE) for p in parts if not p.empty]
    if not found:  # nothing ties anyone (an empty period, a store of isolated people)
        return pd.DataFrame(columns=_EVIDENCE)
    ev = pd.concat(found, ignore_index=True)
    if ev.empty:
        return pd.DataFrame(columns=_EVIDENCE)
    swap = ev["u"] > ev["v"]
    ev.loc[swap, ["u", "v"]] = ev.loc[swap, ["v", "u"]].to_numpy()
    return weigh(ev, settings)


def weigh(ev: pd.DataFrame, settings: ProjectionSettings) -> pd.DataFrame:
    """Keep the evidence rows inside the settings' window and scale their ``strength`` by
    kind weight and recency; rows left with no strength are dropped."""
    ev = ev.assign(date=pd.to_datetime(ev["date"], errors="coerce"))
    ev = ev[settings.window.contains(ev["date"])]
    factor = ev["kind"].map(settings.weight_of).astype(float)
    if settings.half_life_days:
        ref = pd.Timestamp(settings.reference_date) if settings.reference_date else ev["date"].max()
        age = (ref - ev["date"]).dt.days.clip(lower=0)
        factor = factor * np.power(0.5, (age / settings.half_life_days).fillna(0.0))
    ev = ev.assign(strength=ev["strength"].astype(float) * factor)
    return ev[ev["strength"] > 0].reset_index(drop=True)


def _person_attributes(
    tables: Mapping[str, pd.DataFrame], settings: ProjectionSettings
) -> pd.DataFrame:
    persons = tables["persons"].set_index("person_id")
    arrests = tables["person_arrests"]
    arrests = arrests[settings.window.contains(arrests["date"])]
    role_counts = arrests.dropna(subset=["role"]).groupby(["person_id", "role"]).size()
    role_map: dict[str, dict[str, int]] = {}
    for (pid, role), n in role_counts.items():
        role_map.setdefault(pid, {})[role] = int(n)
    kg = (
        arrests[["person_id", "arrest_id"]]
        .merge(
            tables["arrest_seizures"][["arrest_id", "seizure_id", "quantity_kg"]], on="arrest_id"
        )
        .drop_duplicates(["person_id", "seizure_id"])
        .groupby("person_id")["quantity_kg"]
        .sum()
    )
    out = pd.DataFrame(index=persons.index)
    out["name"] = persons["name"].fillna("")
    out["roles"] = [role_map.get(pid, {}) for pid in out.index]
    out["seizure_kg"] = kg.reindex(out.index).fillna(0.0).astype(float)
    out["sources"] = persons["sources"].tolist()  # lists already (see read_tables)
    out["n_records"] = [len(s) for s in out["sources"]]
    return out


def build_person_graph(
    tables: Mapping[str, pd.DataFrame], settings: ProjectionSettings | None = None
) -> nx.Graph:
    """The weighted person-to-person graph from the projection tables.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        As returned by :func:`read_tables`.
    settings : ProjectionSettings, optional

    Returns
    -------
    networkx.Graph
        Nodes: person ids with ``name``, ``roles``, ``seizure_kg``, ``n_records``,
        ``sources``. Edges: ``weight`` (strength), ``kinds``, ``channels`` (channel ->
        pieces of evidence; empty when none says how the drugs moved),
        ``channel_sources`` (channel -> the record ids of that evidence), ``sources``,
        ``first_seen``, ``last_seen``. ``G.graph["evidence_rows"]`` counts the pieces of evidence folded in.
    """
    settings = (settings or ProjectionSettings()).validate()
    ev = evidence(tables, settings)
    people = _person_attributes(tables, settings)
    G = nx.Graph()
    G.add_nodes_from(
        (
            pid,
            {
                "name": r.name,
                "roles": r.roles,
                "seizure_kg": r.seizure_kg,
                "n_records": r.n_records,
                "sources": r.sources,
            },
        )
        for pid, r in zip(people.index, people.itertuples(index=False), strict=True)
    )
    G.graph["evidence_rows"] = len(ev)
    if ev.empty:
        return G
    codes, us, vs = _group_codes(ev["u"], ev["v"])
    by_pair = ev.groupby(codes, sort=True)
    agg = pd.DataFrame(
        {
            "u": pd.Series(us, dtype=object),
            "v": pd.Series(vs, dtype=object),
            "weight": by_pair["strength"].sum().to_numpy(),
            "first": by_pair["date"].min().to_numpy(),
            "last": by_pair["date"].max().to_numpy(),
            "sources": union_by_group(codes, ev["sources"], len(us)),
        }
    )
    kind_codes, kind_names = pd.factorize(ev["kind"])
    kinds = list(kind_names)
    kind_map: list[dict[str, int]] = [{} for _ in range(len(us))]
    combined, counts = np.unique(
        codes.astype(np.int64) * len(kinds) + kind_codes, return_counts=True
    )
    for code, n in zip(combined.tolist(), counts.tolist(), strict=True):
        kind_map[code // len(kinds)][kinds[code % len(kinds)]] = n
    channel_map: list[dict[str, int]] = [{} for _ in range(len(us))]
    channel_records: list[dict[str, list[str]]] = [{} for _ in range(len(us))]
    known = ev["channel"].notna().to_numpy()
    if known.any():
        chan_codes, chan_names = pd.factorize(ev["channel"][known])
        keyed = codes[known].astype(np.int64) * len(chan_names) + chan_codes
        combined, inverse, counts = np.unique(keyed, return_inverse=True, return_counts=True)
        records = union_by_group(inverse, ev["sources"][known], len(combined))
        for code, n, rec in zip(combined.tolist(), counts.tolist(), records, strict=True):
            channel = chan_names[code % len(chan_names)]
            channel_map[code // len(chan_names)][channel] = n
            channel_records[code // len(chan_names)][channel] = rec
    agg = agg.sort_values(["u", "v"])
    first, last = (_iso(agg[c]) for c in ("first", "last"))
    G.add_edges_from(
        (
            u,
            v,
            {
                "weight": float(w),
                "kinds": kind_map[i],
                "channels": channel_map[i],
                "channel_sources": channel_records[i],
                "sources": s,
                "first_seen": f,
                "last_seen": la,
            },
        )
        for i, u, v, w, s, f, la in zip(
            agg.index.tolist(),
            agg["u"].tolist(),
            agg["v"].tolist(),
            agg["weight"].tolist(),
            agg["sources"].tolist(),
            first,
            last,
            strict=True,
        )
    )
    return G


def _iso(dates: pd.Series) -> list[str | None]:
    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[D]")
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = None
    return text.tolist()


def project(store: GraphStore, settings: ProjectionSettings | None = None) -> nx.Graph:
    """Read a store and build the person graph (see :func:`build_person_graph`)."""
    return build_person_graph(read_tables(store), settings)
