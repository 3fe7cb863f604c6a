"""Places: provinces from ``graph_schema/gazetteer.yaml``, place paths, origins, border gates.

Place ids are folded paths: ``"vn"`` (country), ``"vn/nghe an"`` (province),
``"vn/nghe an/ky son"`` (a place below the province). A place whose province is unknown sits
directly under its country with ``?`` for the province (``"vn/?/ky son"``), so it can never be
mistaken for a province. A place below a province is level ``district`` unless its name starts
with a commune word (xã, phường, thị trấn, bản, ban) -- then ``commune``.

Examples
--------
>>> find_province("tỉnh Nghệ An").name, find_province("Louang Namtha").country
('Nghệ An', 'LA')
>>> [p.id for p in place_chain("VN", "Nghệ An", "huyện Kỳ Sơn")]
['vn', 'vn/nghe an', 'vn/nghe an/huyen ky son']
>>> resolve_location("Luang Namtha, LA"), resolve_location("Hanoi"), resolve_location("Laos")
(('LA', 'Luang Namtha', None), ('VN', 'Hà Nội', None), ('LA', None, None))
>>> resolve_location("somewhere north") is None
True
>>> gate_id("VN", "Cửa khẩu Nậm Cắn"), gate_id("VN", "Nam Can border gate")
('gate:vn/nam can', 'gate:vn/nam can')
>>> gate_match("Cầu Treo") == gate_match("cau treo border gate") == gate_match("gate:vn/cau treo")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from netintel.errors import InputError
from netintel.resources import schema_dir
from netintel.values.country import country_name, to_country
from netintel.values.name import clean_name
from netintel.values.text import fold

_LEADING = (
    "thanh pho",
    "thu do",
    "tinh",
    "tp",
    "t p",
    "khoueng",
    "khouang",
    "khoeng",
    "province of",
    "city of",
)
_TRAILING = ("province", "city", "municipality", "prefecture")
_GATE_LEADING = ("cua khau quoc te", "cua khau chinh", "cua khau phu", "cua khau", "ckqt", "ck")
_GATE_TRAILING = (
    "international border gate",
    "international checkpoint",
    "border gate",
    "border crossing",
    "border checkpoint",
    "checkpoint",
    "gate",
)
_COMMUNE = ("xa", "phuong", "thi tran", "ban", "village", "commune")


@dataclass(frozen=True)
class Province:
    """A province of the gazetteer."""

    country: str
    name: str
    merged_into: str | None = None
    lat: float | None = field(default=None, compare=False)
    lon: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Gate:
    """A border gate of the gazetteer: where it is, and the gate facing it across the border."""

    name: str
    country: str
    province: str
    lat: float
    lon: float
    counterpart: str | None = None
    counterpart_province: str | None = None
    counterpart_country: str | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class PlaceRow:
    """One Place node of a chain, with the id of its parent (``None`` for a country)."""

    id: str
    name: str
    level: str
    country: str
    parent: str | None


def _strip(key: str, leading: tuple[str, ...], trailing: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for word in leading:
            if key.startswith(word + " "):
                key, changed = key[len(word) + 1 :], True
        for word in trailing:
            if key.endswith(" " + word):
                key, changed = key[: -len(word) - 1], True
    return key


def _keys(text: str) -> list[str]:
    key = fold(text)
    stripped = _strip(key, _LEADING, _TRAILING)
    return list(dict.fromkeys(k.replace(" ", "") for k in (key, stripped) if k))


@lru_cache(maxsize=1)
def _document() -> dict:
    path = schema_dir() / "gazetteer.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise InputError(f"cannot read the gazetteer {path}: {e}") from e
    return doc or {}


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Province, ...]]:
    """Index of the gazetteer: spaceless folded name or alias -> provinces bearing it."""
    doc = _document()
    index: dict[str, list[Province]] = {}
    for country, spec in (doc.get("countries") or {}).items():
        for entry in spec.get("provinces") or ():
            province = Province(
                country, entry["name"], entry.get("merged_into"), entry.get("lat"), entry.get("lon")
            )
            for alias in (entry["name"], *(entry.get("aliases") or ())):
                key = fold(alias).replace(" ", "")
                if province not in index.setdefault(key, []):
                    index[key].append(province)
    return {k: tuple(v) for k, v in index.items()}


def find_province(text: str, country: str | None = None) -> Province | None:
    """The gazetteer province named by ``text`` (in ``country`` when given), or ``None``.

    The full text is tried first, then without administrative words (so "Vientiane Province"
    and "Vientiane" stay different provinces).

    >>> find_province("Vientiane Province").name, find_province("Vientiane").name
    ('Vientiane Province', 'Vientiane Capital')
    >>> find_province("Nghệ An", "LA") is None
    True
    """
    index = gazetteer()
    for key in _keys(text):
        hits = [p for p in index.get(key, ()) if country is None or p.country == country]
        if len(hits) == 1:
            return hits[0]
    return None


def province_name(text: str, country: str | None) -> str:
    """The canonical name of a province when the gazetteer knows it, else the cleaned text."""
    found = find_province(text, country)
    return found.name if found else clean_name(text)


def place_level(text: str) -> str:
    """``commune`` when the name starts with a commune word, else ``district``.

    >>> place_level("xã Mường Xén"), place_level("Kỳ Sơn")
    ('commune', 'district')
    """
    key = fold(text)
    return "commune" if any(key == w or key.startswith(w + " ") for w in _COMMUNE) else "district"


def place_chain(country: str | None, province: str | None, place: str | None) -> list[PlaceRow]:
    """The Place rows of a record, country first, most specific last (empty without a country)."""
    if not country:
        return []
    cc = country.lower()
    rows = [PlaceRow(cc, country_name(country), "country", country, None)]
    parent = cc
    if province:
        pid = f"{cc}/{fold(province) or province.lower()}"
        rows.append(PlaceRow(pid, province, "province", country, cc))
        parent = pid
    if place:
        base = parent if province else f"{cc}/?"
        rows.append(
            PlaceRow(
                f"{base}/{fold(place) or place.lower()}", place, place_level(place), country, parent
            )
        )
    return rows


def resolve_location(text: str) -> tuple[str, str | None, str | None] | None:
    """``(country, province, place)`` named by free text, or ``None`` when unresolvable.

    Accepted: a country (``"LA"``, ``"Laos"``), a known province (``"Hanoi"``), or
    comma-separated ``[place,] province, country`` / ``place, known province``.
    """
    parts = [p.strip() for p in re.split(r"[,;]", str(text)) if p.strip()]
    if not parts:
        return None
    try:
        country: str | None = to_country(parts[-1])
    except ValueError:
        country = None
    if country is not None:
        rest = parts[:-1]
        if not rest:
            return country, None, None
        province = province_name(rest[-1], country)
        return country, province, clean_name(rest[-2]) if len(rest) > 1 else None
    found = find_province(parts[-1])
    if found is None:
        return None
    return found.country, found.name, clean_name(parts[-2]) if len(parts) > 1 else None


def gate_id(country: str, name: str) -> str:
    """Id of a border gate: ``"gate:<cc>/<folded name without 'cửa khẩu', 'border gate'...>"``."""
    key = fold(name)
    key = _strip(key, _GATE_LEADING, _GATE_TRAILING) or key
    return f"gate:{country.lower()}/{key or clean_name(name).lower()}"


def country_point(country: str) -> tuple[float, float] | None:
    """A representative ``(lat, lon)`` inside a country of the gazetteer, or ``None``.

    >>> country_point("LA")
    (19.0, 102.5)
    """
    spec = (_document().get("countries") or {}).get(str(country).upper()) or {}
    point = spec.get("point")
    return (float(point["lat"]), float(point["lon"])) if point else None


@lru_cache(maxsize=1)
def border_gates() -> tuple[Gate, ...]:
    """The border gates of the gazetteer, in its order.

    >>> [g.name for g in border_gates()][:3]
    ['Nậm Cắn', 'Thanh Thủy', 'Cầu Treo']
    """
    gates = []
    for entry in _document().get("gates") or ():
        other = entry.get("counterpart") or {}
        gates.append(
            Gate(
                entry["name"],
                entry["country"],
                entry["province"],
                float(entry["lat"]),
                float(entry["lon"]),
                other.get("name"),
                other.get("province"),
                other.get("country"),
                tuple(entry.get("aliases") or ()),
            )
        )
    return tuple(gates)


def _gate_key(name: str) -> str:
    key = fold(name)
    return (_strip(key, _GATE_LEADING, _GATE_TRAILING) or key).replace(" ", "")


def find_gate(name: str, province: str | None = None) -> Gate | None:
    """The gazetteer gate named ``name`` (any spelling), or ``None``.

    A name two gates share is told apart by ``province`` (any spelling); without a province
    that settles it, the answer is ``None`` rather than a guess.

    >>> find_gate("Cửa khẩu Nậm Cắn").province, find_gate("cau treo border gate").name
    ('Nghệ An', 'Cầu Treo')
    >>> find_gate("Thanh Thuy") is None, find_gate("Thanh Thuy", "Ha Giang").province
    (True, 'Hà Giang')
    """
    key = _gate_key(name)
    hits = [g for g in border_gates() if key in {_gate_key(a) for a in (g.name, *g.aliases)}]
    if len(hits) > 1 and province:
        found = find_province(province)
        hits = [g for g in hits if found is not None and g.province == found.name]
    return hits[0] if len(hits) == 1 else None


def gate_match(text: str) -> str:
    """The end of the id of every border gate ``text`` names, in any spelling: match a gate
    with ``g.id ENDS WITH $gate`` (the stored name keeps its diacritics; the id is folded).

    ``text`` is a gate id (``gate:vn/cau treo``), a gazetteer gate's name or alias in any
    spelling, or any other gate's name (folded as :func:`gate_id` folds it).

    >>> gate_match("Cửa khẩu Cầu Treo"), gate_match("Nam Kan"), gate_match("gate:la/nam phao")
    ('/cau treo', '/nam can', '/nam phao')
    """
    text = str(text).strip()
    if text.lower().startswith("gate:") and "/" in text:
        return "/" + text.split("/", 1)[1]
    known = find_gate(text)
    return "/" + gate_id("xx", known.name if known else text).split("/", 1)[1]
