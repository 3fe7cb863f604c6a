"""The routes wing: where the drugs move, through which border gates, and who moves them.

It answers the questions of cross-border cases ("from Laos into Nghe An and on to the
northern provinces"): which corridors ``origin -> border gate -> seizure place ->
destination`` the seizures follow, ranked by volume, recurrence and trend (corridors); which
gates and provinces most routes pass through (chokepoints, with betweenness in the place
graph: Freeman 1977, Brandes 2001); who was arrested for each corridor's seizures (people);
and the map of it all (a GeoJSON FeatureCollection, RFC 7946). It reads the seizure, place
and arrest tables of :class:`~netintel.project.routes.RouteTables`.

Modules
-------
corridors    corridors of seizures, rolled up to a level, attributed and ranked
chokepoints  border gates and provinces by the share of route seizures through them, the
             place graph
people       the people arrested for each corridor's seizures, with their records
geojson      corridors and chokepoints as a GeoJSON FeatureCollection (written to a file by
             :func:`netintel.report.geojson.write_geojson`)
money        payments between people summed by country pair: the money going back
examples     a tiny hand-made set of route tables for examples and tests

Examples
--------
>>> t = example_tables()
>>> corridors(t, level="country").loc[0, "corridor"]
'Laos → Nậm Cắn → Vietnam → Vietnam'
"""

from __future__ import annotations

from netintel.analysis.routes.chokepoints import CHOKEPOINT_COLUMNS, chokepoints, place_graph
from netintel.analysis.routes.corridors import (
    CORRIDOR_COLUMNS,
    LEVELS,
    RANK_BY,
    corridors,
    resolve_place,
)
from netintel.analysis.routes.examples import example_tables
from netintel.analysis.routes.geojson import routes_geojson
from netintel.analysis.routes.money import MONEY_COLUMNS, money_by_country
from netintel.analysis.routes.people import PEOPLE_COLUMNS, corridor_people

__all__ = [
    "CHOKEPOINT_COLUMNS",
    "CORRIDOR_COLUMNS",
    "LEVELS",
    "MONEY_COLUMNS",
    "PEOPLE_COLUMNS",
    "RANK_BY",
    "chokepoints",
    "corridor_people",
    "corridors",
    "example_tables",
    "money_by_country",
    "place_graph",
    "resolve_place",
    "routes_geojson",
]
