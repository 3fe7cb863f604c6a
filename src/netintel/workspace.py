"""The notebook-friendly facade: one object over a store, from records to ranked targets.

Examples
--------
>>> import tempfile
>>> import netintel
>>> from netintel.synthetic import generate, write
>>> folder = tempfile.mkdtemp()
>>> files = write(generate(300, seed=1), folder)
>>> with netintel.open(folder + "/case.db") as ws:
...     report = ws.ingest(arrests=files["arrests"], seizures=files["seizures"],
...                        communications=files["communications"], links=files["links"])
...     bool((report.reconciliation["read"] == report.reconciliation["loaded"]
...           + report.reconciliation["quarantined"]).all())
...     targets = ws.rank_targets(top=5)
...     list(targets.columns[:4])
True
['rank', 'person_id', 'name', 'score']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from netintel.errors import StoreError
from netintel.project import ProjectionSettings, build_person_graph, read_tables
from netintel.store import cypher as portable
from netintel.store.base import GraphStore, Progress, WriteSummary

log = logging.getLogger(__name__)

DEFAULT_DB = "netintel.db"
PathLike = str | Path


def default_location() -> str:
    """``$NETINTEL_DB`` if set, else ``./netintel.db``."""
    return os.environ.get("NETINTEL_DB") or DEFAULT_DB


@dataclass
class IngestReport:
    """The outcome of :meth:`Workspace.ingest`.

    Attributes
    ----------
    reconciliation : DataFrame
        One row per input file: ``file, kind, read, loaded, quarantined``; always
        ``read == loaded + quarantined``.
    quarantine : DataFrame
        One row per rejected field: ``file, kind, row, record_id, field, value, reason``.
    written : WriteSummary
        Nodes and relationships created and updated, per label and type.
    counts : dict
        Node and relationship counts in the store after the load.
    resolution : Resolution or None
        The entity resolution run after the load (None with ``resolve=False``).
    """

    reconciliation: pd.DataFrame
    quarantine: pd.DataFrame
    written: WriteSummary
    counts: dict[str, int]
    resolution: Any = None


class Workspace:
    """A store plus the analyses over it. Build one with :func:`netintel.open`.

    The person graph is projected once and cached until the next write.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._graph: nx.Graph | None = None
        self._graph_key: str | None = None
        self._tables: dict[str, pd.DataFrame] | None = None

    def __repr__(self) -> str:
        return f"Workspace({self.store!r})"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    # -- records in ---------------------------------------------------------------------
    def ingest(
        self,
        *,
        arrests: PathLike | Iterable[PathLike] | None = None,
        seizures: PathLike | Iterable[PathLike] | None = None,
        communications: PathLike | Iterable[PathLike] | None = None,
        links: PathLike | Iterable[PathLike] | None = None,
        matrices: PathLike | Iterable[PathLike] | None = None,
        matrix_kind: str = "communications",
        mapping: PathLike | None = None,
        encoding: str | None = None,
        default_region: str = "VN",
        quarantine: PathLike | None = None,
        progress: Progress | None = None,
        resolve: bool = True,
    ) -> IngestReport:
        """Read, validate and normalise record files, and load them into the store.

        Loading the same files again changes nothing; new records extend existing nodes.
        Rows that fail validation go to ``quarantine`` (a .csv or .jsonl path) with reasons.
        Entity resolution of people (:meth:`resolve`) runs after the load unless
        ``resolve=False``.

        Parameters
        ----------
        arrests, seizures, communications, links : path or list of paths
            Record files (CSV, JSON Lines, Parquet, Excel) in the formats of
            ``graph_schema/records.md``, or any export with a ``mapping``.
        matrices : path or list of paths
            Adjacency-matrix CSVs (labels in the first row and column), read as
            ``matrix_kind`` records.
        mapping : path, optional
            YAML column mapping for exports that use other column names.
        encoding : str, optional
            Encoding of CSV files when not UTF-8.
        default_region : str
            Country whose numbering plan local phone numbers follow (ISO code, default VN).
        quarantine : path, optional
            Where to write rejected rows.
        progress : callable, optional
            ``progress(step, n)`` called as steps complete.
        resolve : bool, default True
            Resolve people after loading (with the shipped settings, seed 0).

        Returns
        -------
        IngestReport
        """
        from netintel.ingest import ingest_files

        result = ingest_files(
            arrests=arrests,
            seizures=seizures,
            communications=communications,
            links=links,
            matrices=matrices,
            matrix_kind=matrix_kind,
            mapping=mapping,
            encoding=encoding,
            default_region=default_region,
            quarantine=quarantine,
            progress=progress,
        )
        written = self.store.write(result.batch, progress=progress)
        self._changed()
        resolution = None
        if resolve:
            resolution = self.resolve()
            if progress:
                progress("resolve people", len(resolution.assignments))
        return IngestReport(
            result.reconciliation, result.quarantine, written, self.store.counts(), resolution
        )

    # -- the analysis graph ---------------------------------------------------------------
    def graph(
        self,
        *,
        settings: ProjectionSettings | None = None,
        since: str | None = None,
        until: str | None = None,
        refresh: bool = False,
    ) -> nx.Graph:
        """The person-to-person graph (see :mod:`netintel.project`), cached until a write.

        ``since`` and ``until`` (``YYYY``, ``YYYY-MM`` or a date) keep only the evidence in
        that window; they override the window of ``settings``.
        """
        if since is not None or until is not None:
            settings = replace(settings or ProjectionSettings(), since=since, until=until)
        key = None if settings is None else repr(settings)
        if refresh:
            self._changed()
        if self._graph is None or key != self._graph_key:
            self._graph = build_person_graph(self.tables(), settings)
            self._graph_key = key
        return self._graph

    def tables(self) -> dict[str, pd.DataFrame]:
        """The projection's tables (:func:`netintel.project.read_tables`: people, arrests,
        phones, calls, links, vehicles, addresses, people folded onto resolved people), read
        from the store once and kept until the next write."""
        if self._tables is None:
            self._tables = read_tables(self.store)
        return self._tables

    def _changed(self) -> None:
        """Forget what was read from the store: it has been written to."""
        self._graph = self._tables = None

    def people(self) -> pd.DataFrame:
        """Every Person node: ``person_id, name, name_key, national_id, dob, nationality,
        sources, resolved_id`` (``resolved_id``: the resolved person it belongs to)."""
        return self.store.query(portable.PERSONS).sort_values("person_id", ignore_index=True)

    def communities(
        self,
        *,
        seed: int = 0,
        resolution: float = 1.0,
        engine: str = "auto",
        since: str | None = None,
        until: str | None = None,
        algorithm: str = "louvain",
    ) -> pd.DataFrame:
        """Rings: ``person_id, name, ring`` (the largest ring is 0).

        ``algorithm`` is ``"louvain"`` or ``"leiden"`` (the optional ``leidenalg`` package);
        see :func:`netintel.analysis.network.rings.detect_rings`. ``engine="gds"`` finds them inside
        Neo4j Graph Data Science (:func:`netintel.store.gds.communities`); ``"auto"`` does
        so on a Neo4j server with GDS and in-process elsewhere.
        """
        from netintel.analysis.network.rings import detect_rings
        from netintel.store import gds

        if gds.wants_gds(engine, self.store, algorithm=algorithm, resolution=resolution):
            return gds.communities(
                self.store,
                algorithm=algorithm,
                seed=seed,
                resolution=resolution,
                settings=ProjectionSettings(since=since, until=until),
            )
        G = self.graph(since=since, until=until)
        rings = detect_rings(
            G, algorithm=algorithm, seed=seed, resolution=resolution, engine=engine
        )
        rings.insert(1, "name", rings["person_id"].map(nx.get_node_attributes(G, "name")))
        return rings

    def rank_targets(
        self,
        *,
        top: int | None = None,
        profile: str | PathLike = "default",
        seed: int = 0,
        engine: str = "auto",
        betweenness_k: int | None = None,
        since: str | None = None,
        until: str | None = None,
        labels: PathLike | pd.Series | dict | None = None,
    ) -> pd.DataFrame:
        """The ranked target list, each row with its ``explanation`` and ``evidence``.

        See :func:`netintel.analysis.network.ranking.rank_targets` for the columns; ``since`` and
        ``until`` rank on the evidence of that window only. With ``labels`` (confirmed roles)
        the list is the learned ranking of :meth:`learned_ranking`, same columns. With
        ``engine="gds"`` (or ``"auto"`` on a Neo4j server with GDS) the rings come from Graph
        Data Science and the measures are computed in-process (``"auto"``).
        """
        if labels is not None:
            return self.learned_ranking(
                labels,
                top=top,
                profile=profile,
                seed=seed,
                engine="auto" if engine == "gds" else engine,
                betweenness_k=betweenness_k,
                since=since,
                until=until,
            ).ranking_
        from netintel.analysis.network import rank_targets
        from netintel.store import gds

        rings = None
        if gds.wants_gds(engine, self.store):
            rings = gds.communities(
                self.store, seed=seed, settings=ProjectionSettings(since=since, until=until)
            )
            engine = "auto"
        return rank_targets(
            self.graph(since=since, until=until),
            top=top,
            profile=profile,
            rings=rings,
            seed=seed,
            engine=engine,
            betweenness_k=betweenness_k,
        )

    # -- dismantling: key players, disruption, recovery ----------------------------------
    def disrupt(
        self,
        strategies: str | Iterable[str] = ("degree", "betweenness", "pagerank", "ranked", "random"),
        *,
        recompute: str = "sequential",
        block_size: int = 1,
        steps: int | None = 20,
        weighted: bool = True,
        seed: int = 0,
        plans: dict[str, Iterable[str]] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """Simulated arrests by each strategy, and the network after every one.

        See :func:`netintel.analysis.dismantle.disrupt.simulate_disruption` for the strategies and
        columns; ``plans`` maps a label to people (ids or names) removed in that order.
        Example: ``ws.disrupt(["betweenness", "random"], steps=10)``.
        """
        from netintel.analysis.dismantle import find_people, simulate_disruption

        G = self.graph(since=since, until=until)
        return simulate_disruption(
            G,
            strategies=[strategies] if isinstance(strategies, str) else list(strategies),
            recompute=recompute,
            block_size=block_size,
            steps=steps,
            weight="weight" if weighted else None,
            seed=seed,
            plans={k: find_people(G, v) for k, v in (plans or {}).items()},
        )

    def key_players(
        self,
        k: int = 5,
        *,
        objective: str = "auto",
        weighted: bool = True,
        seed: int = 0,
        since: str | None = None,
        until: str | None = None,
    ) -> Any:
        """The ``k`` people whose arrest fragments the network most, with their evidence.

        Returns a :class:`netintel.analysis.dismantle.keyplayers.KeyPlayerPlan` (``.players``,
        ``.comparison`` with the top-k of each single measure, ``.fragmentation``, ...).
        Example: ``ws.key_players(k=5).players``.
        """
        from netintel.analysis.dismantle import key_players

        return key_players(
            self.graph(since=since, until=until),
            k,
            objective=objective,
            weight="weight" if weighted else None,
            seed=seed,
        )

    def successors(
        self,
        removed: str | Iterable[str],
        *,
        top: int | None = 10,
        weighted: bool = True,
        seed: int = 0,
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """Likely successors of the removed people (ids or names), with explanations.

        See :func:`netintel.analysis.dismantle.successors.likely_successors`.
        Example: ``ws.successors(ws.rank_targets(top=1)["person_id"][0])``.
        """
        from netintel.analysis.dismantle import find_people, likely_successors

        G = self.graph(since=since, until=until)
        refs = [removed] if isinstance(removed, str) else list(removed)
        return likely_successors(
            G,
            find_people(G, refs),
            top=top,
            weight="weight" if weighted else None,
            seed=seed,
        )

    # -- brokers and rings ----------------------------------------------------------------
    def directed_graph(self, *, since: str | None = None, until: str | None = None) -> nx.DiGraph:
        """The directed person graph: calls caller -> callee, money transfers as recorded,
        other links both ways (see :mod:`netintel.project.directed`)."""
        from netintel.project.directed import build_directed_graph

        settings = None
        if since is not None or until is not None:
            settings = ProjectionSettings(since=since, until=until)
        return build_directed_graph(self.tables(), settings)

    def person_places(self) -> pd.DataFrame:
        """Each person's home province and country, with the rule that gave each:
        ``person_id, province, country, province_source, country_source`` (see
        :func:`netintel.project.directed.person_places`)."""
        from netintel.project.directed import person_places

        return person_places(self.store, self.tables())

    def person_groups(
        self,
        by: str = "ring",
        *,
        seed: int = 0,
        algorithm: str = "louvain",
        resolution: float = 1.0,
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """``person_id, group``: the ring (detected), home province or country of everyone.

        ``by`` is ``"ring"``, ``"province"`` or ``"country"``; people the store gives no
        province or country have ``None``.
        """
        from netintel.errors import AnalysisError

        if by == "ring":
            rings = self.communities(
                seed=seed, algorithm=algorithm, resolution=resolution, since=since, until=until
            )
            return pd.DataFrame({"person_id": rings["person_id"], "group": rings["ring"]})
        if by in ("province", "country"):
            places = self.person_places()
            return pd.DataFrame({"person_id": places["person_id"], "group": places[by]})
        raise AnalysisError(f"unknown grouping {by!r}; use ring, province or country")

    def brokers(
        self,
        by: str = "ring",
        *,
        top: int | None = None,
        seed: int = 0,
        algorithm: str = "louvain",
        groups: pd.DataFrame | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """Brokers across rings, provinces or countries, best first.

        Gould-Fernandez roles on the directed ties, participation on the person graph, and
        the brokerage score (see :func:`netintel.analysis.network.brokers.brokerage` for the
        columns). ``groups`` (``person_id, group``) replaces the grouping ``by`` names, e.g.
        with a partition an analyst trusts.
        """
        from netintel.analysis.network import brokerage

        G = self.graph(since=since, until=until)
        given = groups is not None
        if groups is None:
            groups = self.person_groups(
                by, seed=seed, algorithm=algorithm, since=since, until=until
            )
        D = self.directed_graph(since=since, until=until)
        table = brokerage(G, groups, directed=D, top=top)
        table.attrs["by"] = "given" if given else by
        return table

    def ring_profiles(
        self,
        *,
        seed: int = 0,
        algorithm: str = "louvain",
        resolution: float = 1.0,
        runs: int = 10,
        top: int = 3,
        engine: str = "auto",
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """One row per ring: size, leaders, brokers, places, countries, drugs, seized kg,
        first and last activity, stability over ``runs`` reseeded runs, evidence (see
        :func:`netintel.analysis.network.rings.ring_profiles`)."""
        from netintel.analysis.network import brokerage
        from netintel.analysis.network.rings import ring_profiles, ring_stability
        from netintel.project.directed import person_activity

        G = self.graph(since=since, until=until)
        rings = self.communities(
            seed=seed,
            algorithm=algorithm,
            resolution=resolution,
            engine=engine,
            since=since,
            until=until,
        )
        groups = rings.rename(columns={"ring": "group"})[["person_id", "group"]]
        brokers = brokerage(G, groups, directed=self.directed_graph(since=since, until=until))
        ranking = self.rank_targets(seed=seed, since=since, until=until)
        stab = ring_stability(
            G,
            runs=runs,
            seed=seed,
            resolution=resolution,
            algorithm=algorithm,
            rings=rings,
        )
        activity = person_activity(self.store, self.tables())
        settings = ProjectionSettings(since=since, until=until)
        in_window = settings.in_window(activity["date"]) & settings.in_window(
            activity["seizure_date"]
        )
        return ring_profiles(
            G,
            rings,
            activity=activity[in_window],
            countries=self.person_places(),
            ranking=ranking,
            brokers=brokers,
            stability=stab,
            top=top,
        )

    # -- routes ---------------------------------------------------------------------------
    def route_tables(self):
        """Seizures, their legs, places, gates and arrested people (see
        :func:`netintel.project.routes.read_route_tables`).

        Raises
        ------
        AnalysisError
            If the store holds no seizure with an origin, a border gate or a destination
            (for example a network loaded from adjacency matrices, which has no places).
        """
        from netintel.errors import AnalysisError
        from netintel.project.routes import read_route_tables

        tables = read_route_tables(self.store)
        sz = tables.seizures
        legs = sz[["origin", "gate", "destination"]].notna().any(axis=1) if len(sz) else sz
        if len(sz) == 0 or not bool(legs.any()):
            raise AnalysisError(
                "these data have no seizures with places: routes need seizure records with an "
                "origin, a border gate or a destination "
                f"({len(sz)} seizure(s) in the store; load --seizures records)"
            )
        return tables

    def _route_rings(self, rings: bool, seed: int, since: str | None, until: str | None):
        if not rings:
            return None
        found = self.communities(seed=seed, since=since, until=until)
        return found.set_index("person_id")["ring"]

    def routes(
        self,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        since: str | None = None,
        until: str | None = None,
        top: int | None = None,
        merged: bool = False,
        by: str = "seizures",
        rings: bool = True,
        seed: int = 0,
    ) -> pd.DataFrame:
        """Corridors ``origin -> border gate -> seizure place -> destination``, ranked.

        See :func:`netintel.analysis.routes.corridors.corridors` for the columns and the choices.
        ``origin``/``destination`` take a country code or a province in any spelling
        (``ws.routes(origin="LA", destination="Nghe An")``: Laos into Nghệ An); ``merged``
        rolls pre-2025 provinces up to the post-2025 ones; ``rings`` fills the ``rings``
        column with the rings (:meth:`communities`, ``seed``) of the people arrested.
        """
        from netintel.analysis.routes import corridors

        return corridors(
            self.route_tables(),
            level=level,
            merged=merged,
            origin=origin,
            destination=destination,
            since=since,
            until=until,
            top=top,
            by=by,
            rings=self._route_rings(rings, seed, since, until),
        )

    def chokepoints(
        self,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        since: str | None = None,
        until: str | None = None,
        top: int | None = None,
        merged: bool = False,
    ) -> pd.DataFrame:
        """Border gates and provinces ranked by the share of route seizures passing through.

        See :func:`netintel.analysis.routes.chokepoints.chokepoints`.
        """
        from netintel.analysis.routes import chokepoints, corridors

        tables = self.route_tables()
        table = corridors(
            tables,
            level=level,
            merged=merged,
            origin=origin,
            destination=destination,
            since=since,
            until=until,
        )
        return chokepoints(table, tables, merged=merged, top=top)

    def corridor_people(
        self,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        since: str | None = None,
        until: str | None = None,
        top: int | None = 3,
        merged: bool = False,
        by: str = "seizures",
        seed: int = 0,
    ) -> pd.DataFrame:
        """The people arrested for the seizures of the ``top`` corridors, with their ring and
        the records that put them there (see :func:`netintel.analysis.routes.people.corridor_people`).
        """
        from netintel.analysis.routes import corridor_people, corridors

        tables = self.route_tables()
        ring = self._route_rings(True, seed, since, until)
        table = corridors(
            tables,
            level=level,
            merged=merged,
            origin=origin,
            destination=destination,
            since=since,
            until=until,
            top=top,
            by=by,
            rings=ring,
        )
        return corridor_people(table, tables, rings=ring)

    def routes_geojson(
        self,
        path: PathLike | None = None,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        since: str | None = None,
        until: str | None = None,
        top: int | None = None,
        merged: bool = False,
        by: str = "seizures",
    ) -> dict:
        """Corridors (LineStrings) and chokepoints (Points) as a GeoJSON FeatureCollection.

        Written to ``path`` (plain JSON, UTF-8) when given, by
        :func:`netintel.report.geojson.write_geojson`. See
        :func:`netintel.analysis.routes.geojson.routes_geojson`.
        """
        from netintel.analysis.routes import chokepoints, corridors, routes_geojson
        from netintel.report.geojson import write_geojson

        tables = self.route_tables()
        options = dict(
            level=level,
            merged=merged,
            origin=origin,
            destination=destination,
            since=since,
            until=until,
        )
        table = corridors(tables, **options, by=by)
        points = chokepoints(table, tables, merged=merged, top=top)
        collection = routes_geojson(table if top is None else table.head(top), points)
        if path is not None:
            write_geojson(collection, path)
        return collection

    # -- time, hidden ties, learned ranking -----------------------------------------------
    def timeline(
        self,
        *,
        period: str = "quarter",
        measure: str = "score",
        top: int | None = None,
        leader_top: int = 5,
        lookahead: int = 2,
        successors: int = 3,
        successor_top: int = 10,
        profile: str | PathLike = "default",
        seed: int = 0,
        engine: str = "auto",
        since: str | None = None,
        until: str | None = None,
    ) -> Any:
        """Rank per period, rising actors, and who replaced arrested leaders.

        Each period's graph is the projection of that period's evidence alone; undated
        evidence (shared vehicles and addresses) counts in every period. Returns a
        :class:`netintel.analysis.time.timeline.TimelineResult` (``timeline``, ``rising``,
        ``replacements``); see :class:`~netintel.analysis.time.timeline.Timeline` for the
        options.

        Raises
        ------
        AnalysisError
            If nothing in the store is dated (e.g. networks loaded from adjacency matrices).

        Example: ``ws.timeline(period="month", since="2023").replacements``
        """
        from netintel.analysis.time import Timeline, TimelineResult, date_span, period_windows
        from netintel.project import build_person_graph

        base = ProjectionSettings(since=since, until=until)
        tables = self.tables()
        arrests = tables["person_arrests"]
        arrests = arrests[base.in_window(arrests["date"])]
        G = self.graph(since=since, until=until)
        start, end = date_span(G, arrests)
        lo, hi = base.window()
        if lo is not None:
            start = max(start, lo)
        if hi is not None:
            end = min(end, hi)
        windows = period_windows(start, end, period)
        snapshots = {}
        for w in windows.itertuples(index=False):
            window = replace(base, since=w.since, until=w.until)
            # Calls and links outside the window are dropped before projecting: each row is
            # one dated piece of evidence, so the graph is the same, for less work.
            dated = {
                name: frame[window.in_window(frame["date"])]
                if name.startswith("calls_") or name == "person_links"
                else frame
                for name, frame in tables.items()
            }
            snapshots[w.period] = build_person_graph(dated, window)
        t = Timeline(
            measure=measure,
            top=top,
            leader_top=leader_top,
            lookahead=lookahead,
            successors=successors,
            successor_top=successor_top,
            profile=profile,
            seed=seed,
            engine=engine,
        ).fit(snapshots, windows=windows, arrests=arrests)
        return TimelineResult(t.timeline_, t.rising_, t.replacements_)

    def link_predictor(
        self,
        *,
        seed: int = 0,
        since: str | None = None,
        until: str | None = None,
        **options: Any,
    ) -> Any:
        """A :class:`netintel.analysis.hidden.links.LinkPredictor` fitted on the person graph and
        the store's co-occurrence tables (:mod:`netintel.project.cooccurrence`).

        ``options`` go to the predictor (``model``, ``max_hops``, ``window_days``, ...); its
        ``cv_`` and ``importances_`` say how well it finds hidden ties.
        """
        from netintel.analysis.hidden import LinkPredictor
        from netintel.project.cooccurrence import read_cooccurrence

        cooc = read_cooccurrence(self.store, ProjectionSettings(since=since, until=until))
        return LinkPredictor(seed=seed, **options).fit(self.graph(since=since, until=until), cooc)

    def suggest_links(
        self,
        *,
        top: int | None = 20,
        seed: int = 0,
        since: str | None = None,
        until: str | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Likely hidden ties, each with its probability and the records behind it.

        See :meth:`link_predictor` and :meth:`netintel.analysis.hidden.links.LinkPredictor.suggest`.

        Example: ``ws.suggest_links(top=20, window_days=14)``
        """
        return self.link_predictor(seed=seed, since=since, until=until, **options).suggest(top=top)

    def learned_ranking(
        self,
        labels: PathLike | pd.Series | dict,
        *,
        top: int | None = None,
        folds: int = 5,
        profile: str | PathLike = "default",
        seed: int = 0,
        engine: str = "auto",
        betweenness_k: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Any:
        """A :class:`netintel.analysis.network.learned.LearnedRanker` trained on confirmed roles.

        ``labels`` is a labels file (see :func:`netintel.analysis.network.learned.read_labels`) or a
        ``person_id -> 0/1`` mapping. The fitted ranker's ``ranking_`` has the columns of
        :meth:`rank_targets`; ``cv_`` and ``importances_`` say how far to trust it.
        """
        from netintel.analysis.network import LearnedRanker, read_labels

        G = self.graph(since=since, until=until)
        if isinstance(labels, str | Path):
            people = self.people()
            labels = read_labels(labels, people[people["person_id"].isin(list(G))])
        return LearnedRanker(
            folds=folds,
            profile=profile,
            seed=seed,
            engine=engine,
            betweenness_k=betweenness_k,
            top=top,
        ).fit(G, labels)

    # -- entity resolution ----------------------------------------------------------------
    def resolve(
        self,
        *,
        settings: Any = None,
        seed: int = 0,
        spark: Any = None,
    ) -> Any:
        """Resolve the people of the store and write the result back (idempotent).

        Each Person node gains ``resolved_id`` (its resolved person), ``match_probability``
        and ``match_rule``; merged nodes are joined by ``SAME_AS`` with the evidence; reviewer
        decisions in the store are honoured. The person graph then has one node per resolved
        person.

        Parameters
        ----------
        settings : ResolutionSettings or path, optional
            Default: ``graph_schema/resolution.yaml``.
        seed : int
            Seed of the model's random sampling.
        spark : pyspark.sql.SparkSession, optional
            Fit and score the model on Spark (same settings).

        Returns
        -------
        netintel.resolve.Resolution
            ``records()`` gives ``record_id, person_id, node_id, match_probability, rule``;
            ``review`` the queue of pairs to decide.
        """
        from netintel.resolve import ResolutionSettings, resolve_store

        if settings is not None and not isinstance(settings, ResolutionSettings):
            settings = ResolutionSettings.from_yaml(settings)
        result = resolve_store(self.store, settings=settings, seed=seed, spark=spark)
        self._changed()
        return result

    def review_apply(self, decisions: PathLike | pd.DataFrame, *, resolve: bool = True) -> dict:
        """Record reviewer decisions (``left_id, right_id, decision`` = accept / reject) in the
        store, then re-resolve. Returns the counts ``accepted`` and ``rejected``."""
        from netintel.resolve import apply_decisions

        counts = apply_decisions(self.store, decisions)
        self._changed()
        if resolve:
            self.resolve()
        return counts

    def split_person(self, person_id: str, *, max_rounds: int = 5) -> pd.DataFrame:
        """Take Person node ``person_id`` out of the resolved person it was merged into.

        Records a reviewer rejection against each other member and re-resolves, repeating
        while the evidence joins it to someone else (at most ``max_rounds`` times); returns
        the decisions recorded.
        """
        from netintel.resolve import apply_decisions, split_decisions

        recorded = []
        for _ in range(max_rounds):
            decisions = split_decisions(self.store, person_id)
            if decisions.empty:
                break
            apply_decisions(self.store, decisions)
            recorded.append(decisions)
            self.resolve()
        self._changed()
        columns = ["left_id", "right_id", "decision"]
        return pd.concat(recorded, ignore_index=True) if recorded else pd.DataFrame(columns=columns)

    # -- queries ------------------------------------------------------------------------
    def cypher(self, query: str, /, *, write: bool = False, **params: Any) -> pd.DataFrame:
        """Run Cypher with ``$parameters``; read-only unless ``write=True``.

        Example: ``ws.cypher("MATCH (p:Person) WHERE p.name = $name RETURN p.id", name="Lê Văn Tám")``
        """
        result = self.store.query(query, params, write=write)
        if write:
            self._changed()
        return result

    def query(self, name: str, /, **params: Any) -> pd.DataFrame:
        """Run a saved analyst query from ``graph_schema/queries`` by name (read-only).

        Parameters are checked against the query's header and converted to their declared
        types; those with defaults may be left out. The store's dialect version is used
        where one exists (see :func:`netintel.store.cypher.saved_query`).

        Example: ``ws.query("calls_between_prefixes", prefix_a="+856", since="2023-01-01")``

        Raises
        ------
        InputError
            For an unknown query or parameter, a missing required one, or a bad value.
        """
        saved = portable.saved_query(name, self.store.backend)
        return self.store.query(saved.text, saved.bind(params))

    def stats(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        return self.store.counts()


def open(location: PathLike | None = None, *, read_only: bool = False) -> Workspace:
    """Open a workspace on an embedded database path or a Neo4j server.

    Parameters
    ----------
    location : str or Path, optional
        A LadybugDB path, or a Neo4j URI (``bolt://host:7687``, ``neo4j+s://host``; user,
        password, database and TLS from the ``NETINTEL_NEO4J_*`` variables, see
        :mod:`netintel.store.neo4j`). Default: ``$NETINTEL_NEO4J_URI`` if set, else
        ``$NETINTEL_DB``, else ``./netintel.db``.
    read_only : bool
        Open so that nothing can be written.

    Raises
    ------
    StoreError
        If the database cannot be opened or the server cannot be reached.
    """
    from netintel.store.neo4j import is_neo4j_uri

    location = str(location or os.environ.get("NETINTEL_NEO4J_URI") or default_location())
    if is_neo4j_uri(location):
        from netintel.store.neo4j import Neo4jStore

        return Workspace(Neo4jStore(location, read_only=read_only))
    if "://" in location:
        raise StoreError(
            f"{location}: unknown URI scheme; use an embedded database path or a Neo4j URI "
            "(bolt://, bolt+s://, neo4j://, neo4j+s://)"
        )
    from netintel.store.embedded import EmbeddedStore

    return Workspace(EmbeddedStore(location, read_only=read_only))
