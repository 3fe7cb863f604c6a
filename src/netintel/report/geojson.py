"""Write a route map (a GeoJSON FeatureCollection) to a file.

The collection is built by :func:`netintel.analysis.routes.routes_geojson` (corridors as
LineStrings, gates and provinces as Points, RFC 7946); this module only writes it: plain
JSON in UTF-8, names kept as written (``Nậm Cắn``, not ``\\u1eadm``), which GIS tools and
web maps read as it is.

Examples
--------
>>> import json, tempfile
>>> collection = {"type": "FeatureCollection", "features": []}
>>> path = write_geojson(collection, tempfile.mkdtemp() + "/maps/routes.geojson")
>>> json.loads(path.read_text(encoding="utf-8"))["type"]
'FeatureCollection'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from netintel.errors import OutputError
from netintel.outputs import atomic_write, check_output

__all__ = ["write_geojson"]


def write_geojson(collection: Mapping[str, Any], path: str | Path) -> Path:
    """Write ``collection`` to ``path`` as GeoJSON (UTF-8) and return the path.

    Folders on the way are created; the file is written to a temporary name and renamed
    (:func:`~netintel.outputs.atomic_write`), readable by its owner only.

    Raises
    ------
    OutputError
        If ``collection`` is not a GeoJSON FeatureCollection, or ``path`` cannot be written.
    """
    if not isinstance(collection, Mapping) or collection.get("type") != "FeatureCollection":
        raise OutputError(f"cannot write {path}: not a GeoJSON FeatureCollection")
    path = check_output(path)
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
