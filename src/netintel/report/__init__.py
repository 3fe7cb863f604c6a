"""Reports: what is written for people, tables, route maps and charts.

Modules
-------
tables   result tables to CSV, Parquet or JSON (:func:`write_table`)
geojson  route maps to GeoJSON files (:func:`write_geojson`)
plots    disruption curves as charts (:func:`plot_disruption`; matplotlib is optional)
"""

from __future__ import annotations

from netintel.report.geojson import write_geojson
from netintel.report.plots import plot_disruption
from netintel.report.tables import write_table

__all__ = ["plot_disruption", "write_geojson", "write_table"]
