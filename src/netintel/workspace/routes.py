"""The routes wing, ``ws.routes``: corridors, chokepoints, the people on them, a map.

Every method takes the same filters (:class:`RouteFilters`): ``level`` (``"province"``,
``"country"`` or ``"district"``), ``merged`` (Vietnam's post-2025 provinces), ``origin`` and
``destination`` (a country code or a province in any spelling) and the ``window``.

Examples
--------
>>> ws.routes.corridors(origin="LA", top=3)["rank"].tolist()
[1, 2, 3]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import pandas as pd

from netintel.errors import AnalysisError
from netintel.workspace._wing import Wing, audited
from netintel.workspace.window import WindowLike, as_window

if TYPE_CHECKING:
    from netintel.project.routes import RouteTables

PathLike = str | Path


class RouteFilters(TypedDict, total=False):
    """The filters every ``ws.routes`` method takes as keywords (see the module docstring).

    ``level`` (default ``"province"``), ``origin`` and ``destination`` (default ``None``:
    any), ``window`` (default ``None``: all dates) and ``merged`` (default ``False``).
    """

    level: str
    origin: str | None
    destination: str | None
    window: WindowLike
    merged: bool


def _people_places(store: object, arrests: pd.DataFrame, seizure_ids: set[str]) -> pd.DataFrame:
    """The people arrested for ``seizure_ids`` at the places of their arrests: ``person_id,
    name, role, place_id, evidence`` (one row per person and place)."""
    schema = store.schema  # type: ignore[attr-defined]
    schema.check_endpoints("ARRESTED_IN", "Person", "Arrest")
    schema.check_endpoints("AT", "Arrest", "Place")
    resolved = (
        "p.resolved_id AS resolved_id, "
        if "resolved_id" in schema.node("Person").properties
        else ""
    )
    text = (
        "MATCH (p:Person)-[:ARRESTED_IN]->(a:Arrest)-[:AT]->(pl:Place) "
        f"RETURN p.{schema.key} AS node_id, {resolved}pl.{schema.key} AS place_id"
    )
    found = store.query(text)  # type: ignore[attr-defined]
    if "resolved_id" in found:
        found["person_id"] = found["resolved_id"].where(
            found["resolved_id"].notna(), found["node_id"]
        )
    else:
        found["person_id"] = found["node_id"]
    on = arrests[arrests["seizure_id"].astype(str).isin(seizure_ids)]
    if on.empty:
        return pd.DataFrame(columns=["person_id", "name", "role", "place_id", "evidence"])
    who = on.groupby("person_id").agg(
        name=("name", "first"),
        role=("role", lambda r: ", ".join(sorted({str(x) for x in r if pd.notna(x)}))),
        evidence=("evidence", lambda e: sorted({i for ids in e for i in ids})),
    )
    places = found[found["person_id"].isin(who.index)][["person_id", "place_id"]]
    out = places.drop_duplicates().join(who, on="person_id")
    return out.sort_values(["name", "place_id"]).reset_index(drop=True)


class RoutesWing(Wing):
    """Corridors, chokepoints, corridor people and GeoJSON from seizures (``ws.routes``)."""

    word = "routes"

    @audited()
    def tables(self) -> RouteTables:
        """Seizures, their legs, places, gates and arrested people
        (:func:`netintel.project.routes.read_route_tables`).

        Raises
        ------
        AnalysisError
            If the store holds no seizure with an origin, a border gate or a destination
            (for example a network loaded from adjacency matrices, which has no places).

        Examples
        --------
        >>> len(ws.routes.tables().seizures) > 0
        True
        """
        from netintel.project.routes import read_route_tables

        tables = read_route_tables(self._ws.store)
        sz = tables.seizures
        legs = sz[["origin", "gate", "destination"]].notna().any(axis=1) if len(sz) else sz
        if len(sz) == 0 or not bool(legs.any()):
            raise AnalysisError(
                "these data have no seizures with places: routes need seizure records with an "
                "origin, a border gate or a destination "
                f"({len(sz)} seizure(s) in the store; load --seizures records)"
            )
        return tables

    def _corridors(
        self,
        tables: RouteTables,
        *,
        level: str = "province",
        merged: bool = False,
        origin: str | None = None,
        destination: str | None = None,
        window: WindowLike = None,
        top: int | None = None,
        by: str = "seizures",
        rings: pd.Series | None = None,
    ) -> pd.DataFrame:
        """The corridor table under the :class:`RouteFilters` (their defaults are these)."""
        from netintel.analysis.routes import corridors

        w = as_window(window)
        return corridors(
            tables,
            level=level,
            merged=merged,
            origin=origin,
            destination=destination,
            since=None if w.since is None else w.since.iso,
            until=None if w.until is None else w.until.iso,
            top=top,
            by=by,
            rings=rings,
        )

    def _rings(self, filters: RouteFilters, seed: int) -> pd.Series:
        """``person_id -> ring`` of the filters' window's person graph (Louvain, ``seed``)."""
        rings = self._ws.network.rings(window=filters.get("window"), seed=seed)
        return rings.set_index("person_id")["ring"]

    @audited()
    def corridors(
        self,
        *,
        top: int | None = None,
        by: str = "seizures",
        rings: bool = True,
        seed: int = 0,
        **filters: Unpack[RouteFilters],
    ) -> pd.DataFrame:
        """Corridors ``origin -> border gate -> seizure place -> destination``, ranked ``by``
        seizures, kg, periods or trend (columns and choices:
        :func:`netintel.analysis.routes.corridors.corridors`). ``rings`` fills the ``rings``
        column with the rings (:meth:`NetworkWing.rings`, ``seed``) of the people arrested.

        Examples
        --------
        >>> ws.routes.corridors(origin="LA", destination="Son La", top=1)["corridor"][0]
        'Luang Namtha → Tây Trang → Sơn La → Hà Nội'
        """
        found = self._rings(filters, seed) if rings else None
        return self._corridors(self.tables(), top=top, by=by, rings=found, **filters)

    @audited()
    def chokepoints(
        self, *, top: int | None = None, **filters: Unpack[RouteFilters]
    ) -> pd.DataFrame:
        """Border gates and provinces ranked by the share of route seizures passing through
        (:func:`netintel.analysis.routes.chokepoints.chokepoints`).

        Examples
        --------
        >>> set(ws.routes.chokepoints(top=2)["kind"]) == {"gate", "province"}
        True
        """
        from netintel.analysis.routes import chokepoints

        tables = self.tables()
        table = self._corridors(tables, **filters)
        return chokepoints(table, tables, merged=filters.get("merged", False), top=top)

    @audited()
    def corridor_people(
        self,
        *,
        top: int | None = 3,
        by: str = "seizures",
        seed: int = 0,
        **filters: Unpack[RouteFilters],
    ) -> pd.DataFrame:
        """The people arrested for the seizures of the ``top`` corridors, with their ring and
        the records that put them there
        (:func:`netintel.analysis.routes.people.corridor_people`).

        Examples
        --------
        >>> set(ws.routes.corridor_people(top=1)["corridor_rank"])
        {1}
        """
        from netintel.analysis.routes import corridor_people

        tables = self.tables()
        ring = self._rings(filters, seed)
        table = self._corridors(tables, top=top, by=by, rings=ring, **filters)
        return corridor_people(table, tables, rings=ring)

    @audited()
    def money(self) -> pd.DataFrame:
        """The money going back along the routes: online payments between the people their
        accounts resolve to, summed by the payer's and the payee's country, cross-border
        first (:func:`netintel.analysis.routes.money.money_by_country` of
        :func:`netintel.project.online.money_flows` and each person's country); empty
        without payments.

        Examples
        --------
        >>> list(ws.routes.money().columns)[:4]
        ['from_country', 'to_country', 'cross_border', 'payments']
        """
        from netintel.analysis.routes import money_by_country
        from netintel.project.directed import person_places
        from netintel.project.online import money_flows

        tables = self._ws.tables()
        flows = money_flows(tables, max_group=self._ws.projection_settings(None).max_group)
        if not flows.number_of_edges():
            return money_by_country(flows, pd.DataFrame({"person_id": [], "country": []}))
        return money_by_country(flows, person_places(self._ws.store, tables))

    @audited(output="path")
    def geojson(
        self,
        path: PathLike | None = None,
        *,
        top: int | None = None,
        by: str = "seizures",
        rings: bool = True,
        seed: int = 0,
        recipient: str | None = None,
        **filters: Unpack[RouteFilters],
    ) -> dict:
        """Corridors (LineStrings) and chokepoints (Points) as a GeoJSON FeatureCollection
        (:func:`netintel.analysis.routes.geojson.routes_geojson`), written to ``path`` when
        given (:func:`netintel.report.geojson.write_geojson`).

        A written map is a disclosure: corridors that restricted records (handling code
        ``C``) alone evidence are left out of it, and restricted record ids out of the rest,
        unless the workspace's purpose and ``recipient`` release them
        (:class:`~netintel.report.disclosure.Disclosure`); the chokepoints are computed from
        the corridors kept.

        Raises
        ------
        OutputError
            If ``path`` cannot be written.

        Examples
        --------
        >>> ws.routes.geojson(top=2)["features"][0]["geometry"]["type"]
        'LineString'
        """
        from netintel.analysis.routes import chokepoints, routes_geojson
        from netintel.report.geojson import write_geojson

        tables = self.tables()
        found = self._rings(filters, seed) if rings else None
        table = self._corridors(tables, by=by, rings=found, **filters)
        if path is not None:
            from netintel.report.disclosure import Disclosure

            disclosure = Disclosure.for_store(
                self._ws.store, purpose=self._ws.purpose, recipient=recipient
            )
            table = disclosure.table(table)
        points = chokepoints(table, tables, merged=filters.get("merged", False), top=top)
        collection = routes_geojson(table if top is None else table.head(top), points)
        if path is not None:
            write_geojson(collection, path)
        return collection

    @audited(output="path")
    def map(
        self,
        path: PathLike | None = None,
        *,
        top: int | None = 10,
        by: str = "seizures",
        people: bool = True,
        tiles: bool = False,
        static: bool = False,
        seed: int = 0,
        recipient: str | None = None,
        **filters: Unpack[RouteFilters],
    ) -> Any:
        """The ``top`` corridors, their border gates and seizure places, and the people
        arrested for their seizures at the places of their arrests, on a map of Vietnam and
        Laos (:func:`netintel.report.maps.route_map`; ``static=True``:
        :func:`~netintel.report.maps.route_map_figure`, for reports), written to ``path``
        (``.html``, offline: plotly.js inside; :func:`~netintel.report.maps.write_map`) when
        given.

        Hovering a corridor lists the seizures behind it (id, date, drug, kg); a district the
        gazetteer does not list is drawn at its province and marked approximate. A written
        map is a disclosure, as for :meth:`geojson`: corridors that restricted records alone
        evidence are left out unless the purpose and ``recipient`` release them.

        Raises
        ------
        OutputError
            If ``path`` does not end in ``.html`` or cannot be written.

        Examples
        --------
        >>> fig = ws.routes.map(top=3)
        >>> [tr.meta["rank"] for tr in fig.data if (tr.meta or {}).get("layer") == "corridor"]
        [3, 2, 1]
        """
        from netintel.outputs import check_output
        from netintel.report.maps import route_map, route_map_figure, write_map

        if path is not None:
            path = check_output(path, suffixes=(".html",))
        tables = self.tables()
        table = self._corridors(tables, by=by, **filters)
        if path is not None:
            from netintel.report.disclosure import Disclosure

            disclosure = Disclosure.for_store(
                self._ws.store, purpose=self._ws.purpose, recipient=recipient
            )
            table = disclosure.table(table)
        from netintel.analysis.routes import chokepoints

        points = chokepoints(table, tables, merged=filters.get("merged", False), top=top)
        shown = table if top is None else table.head(top)
        who = None
        if people:
            ids = {str(s) for ev in shown["evidence"] for s in ev}
            who = _people_places(self._ws.store, tables.arrests, ids)
        kw = {"seizures": tables, "people": who, "top": top}
        if static:
            return route_map_figure(table, points, **kw)
        fig = route_map(table, points, tiles=tiles, **kw)
        if path is not None:
            write_map(fig, path)
        return fig
