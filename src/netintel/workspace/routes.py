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
from typing import TYPE_CHECKING, TypedDict, Unpack

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
