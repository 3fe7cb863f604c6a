"""Districts of the gazetteer (``graph_schema/gazetteer.yaml``, ``districts``), for maps.

A seizure or an arrest recorded in a district is drawn at the district's seat when the
gazetteer lists the district, and at its province's point, marked approximate, when it does
not. Names match in any spelling: case, diacritics and district words (huyện, quận, thị xã,
thành phố, district, city, muang) do not matter.

Examples
--------
>>> find_district("huyện Kỳ Sơn", "Nghe An").name
'Kỳ Sơn'
>>> find_district("Son La City", "Sơn La", "VN").lat
21.33
>>> district_of_place("vn/nghe an/huyen ky son").name, district_of_place("vn/nghe an") is None
('Kỳ Sơn', True)
>>> find_district("Kỳ Sơn", "Hà Tĩnh") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from netintel.values.places import _document, find_province
from netintel.values.text import fold

__all__ = ["District", "district_of_place", "districts", "find_district"]

_LEADING = ("huyen", "quan", "thi xa", "thanh pho", "tp", "muang", "mueang", "meuang", "district")
_TRAILING = ("district", "city", "town")


@dataclass(frozen=True)
class District:
    """A district of the gazetteer: its province, country and seat (``lat``, ``lon``)."""

    name: str
    province: str
    country: str
    lat: float
    lon: float


def _key(text: str) -> str:
    key = fold(text)
    for word in _LEADING:
        if key.startswith(word + " ") and len(key) > len(word) + 1:
            key = key[len(word) + 1 :]
            break
    for word in _TRAILING:
        if key.endswith(" " + word) and len(key) > len(word) + 1:
            key = key[: -len(word) - 1]
            break
    return key.replace(" ", "")


@lru_cache(maxsize=1)
def districts() -> dict[tuple[str, str, str], District]:
    """``(country, province, folded name or alias) -> District`` for every district listed."""
    out: dict[tuple[str, str, str], District] = {}
    for entry in _document().get("districts") or ():
        province = find_province(entry["province"], entry["country"])
        if province is None:
            continue
        d = District(
            entry["name"], province.name, province.country, float(entry["lat"]), float(entry["lon"])
        )
        for alias in (entry["name"], *(entry.get("aliases") or ())):
            out.setdefault((d.country, d.province, _key(alias)), d)
    return out


def find_district(name: str, province: str, country: str | None = None) -> District | None:
    """The gazetteer district ``name`` of ``province`` (both in any spelling), or ``None``."""
    found = find_province(province, country)
    if found is None:
        return None
    return districts().get((found.country, found.name, _key(name)))


def district_of_place(place_id: str) -> District | None:
    """The gazetteer district of a Place id below a province (``"vn/nghe an/ky son"``)."""
    parts = str(place_id).split("/")
    if len(parts) < 3 or parts[1] == "?":
        return None
    return find_district(parts[2], parts[1], parts[0].upper())
