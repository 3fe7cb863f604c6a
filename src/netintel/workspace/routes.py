"""The routes wing, ``ws.routes``: corridors, chokepoints, the people on them, a map.

Every method takes the same filters: ``level`` (``"province"``, ``"country"`` or
``"district"``), ``merged`` (Vietnam's post-2025 provinces), ``origin`` and ``destination``
(a country code or a province in any spelling) and the ``window``.

Examples
--------
>>> ws.routes.corridors(origin="LA", top=3)["rank"].tolist()
[1, 2, 3]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from netintel.errors import AnalysisError
from netintel.workspace._wing import Wing
from netintel.workspace.window import WindowLike, as_window

if TYPE_CHECKING:
    from netintel.project.routes import RouteTables

PathLike = str | Path


class RoutesWing(Wing):
    """Corridors, chokepoints, corridor people and GeoJSON from seizures (``ws.routes``)."""

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
        level: str,
        merged: bool,
        origin: str | None,
        destination: str | None,
        window: WindowLike,
        top: int | None = None,
        by: str = "seizures",
        rings: pd.Series | None = None,
    ) -> pd.DataFrame:
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

    def _rings(self, window: WindowLike, seed: int) -> pd.Series:
        """``person_id -> ring`` of the window's person graph (Louvain, ``seed``)."""
        return self._ws.network.rings(window=window, seed=seed).set_index("person_id")["ring"]

    def corridors(
        self,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        window: WindowLike = None,
        top: int | None = None,
        merged: bool = False,
        by: str = "seizures",
        rings: bool = True,
        seed: int = 0,
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
        found = self._rings(window, seed) if rings else None
        return self._corridors(
            self.tables(), level=level, merged=merged, origin=origin, destination=destination,
            window=window, top=top, by=by, rings=found,
        )  # fmt: skip

    def chokepoints(
        self,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        window: WindowLike = None,
        top: int | None = None,
        merged: bool = False,
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
        table = self._corridors(
            tables, level=level, merged=merged, origin=origin, destination=destination,
            window=window,
        )  # fmt: skip
        return chokepoints(table, tables, merged=merged, top=top)

    def corridor_people(
        self,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        window: WindowLike = None,
        top: int | None = 3,
        merged: bool = False,
        by: str = "seizures",
        seed: int = 0,
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
        ring = self._rings(window, seed)
        table = self._corridors(
            tables, level=level, merged=merged, origin=origin, destination=destination,
            window=window, top=top, by=by, rings=ring,
        )  # fmt: skip
        return corridor_people(table, tables, rings=ring)

    def geojson(
        self,
        path: PathLike | None = None,
        *,
        level: str = "province",
        origin: str | None = None,
        destination: str | None = None,
        window: WindowLike = None,
        top: int | None = None,
        merged: bool = False,
        by: str = "seizures",
        rings: bool = True,
        seed: int = 0,
    ) -> dict:
        """Corridors (LineStrings) and chokepoints (Points) as a GeoJSON FeatureCollection
        (:func:`netintel.analysis.routes.geojson.routes_geojson`), written to ``path`` when
        given (:func:`netintel.report.geojson.write_geojson`).

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
        table = self._corridors(
            tables, level=level, merged=merged, origin=origin, destination=destination,
            window=window, by=by, rings=self._rings(window, seed) if rings else None,
        )  # fmt: skip
        points = chokepoints(table, tables, merged=merged, top=top)
        collection = routes_geojson(table if top is None else table.head(top), points)
        if path is not None:
            write_geojson(collection, path)
        return collection
