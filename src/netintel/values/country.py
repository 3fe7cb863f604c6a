"""Countries: ISO 3166-1 alpha-2 codes from codes or names (English, Vietnamese, local).

Examples
--------
>>> to_country("Việt Nam"), to_country("Lao PDR"), country_name("LA"), Country.compare("Lào", "LAO")
('VN', 'LA', 'Laos', 1.0)
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType
from netintel.values.text import fold

#: ISO alpha-3 codes of the region and of common trafficking partners.
_ALPHA3 = dict(
    pair.split(":")
    for pair in """VNM:VN LAO:LA THA:TH KHM:KH MMR:MM CHN:CN MYS:MY SGP:SG IDN:ID PHL:PH TWN:TW
    HKG:HK MAC:MO KOR:KR PRK:KP JPN:JP IND:IN BGD:BD PAK:PK AFG:AF IRN:IR USA:US CAN:CA GBR:GB
    FRA:FR DEU:DE NLD:NL BEL:BE AUS:AU NZL:NZ RUS:RU BRA:BR COL:CO PER:PE BOL:BO MEX:MX NGA:NG
    ZAF:ZA TUR:TR ARE:AE ITA:IT ESP:ES""".split()
)
_COUNTRY_ALIASES = {
    "VN": ("viet nam", "socialist republic of vietnam", "vietnamese", "ຫວຽດນາມ", "越南"),
    "LA": ("lao", "lao pdr", "lao people's democratic republic", "laotian", "ລາວ", "老挝"),
    "TH": ("thai", "siam", "ໄທ", "ไทย", "泰国"),
    "KH": ("kampuchea", "cambodian", "khmer", "ກຳປູເຈຍ", "柬埔寨"),
    "MM": ("burma", "mien dien", "burmese", "ມຽນມາ", "缅甸"),
    "CN": ("prc", "people's republic of china", "chinese", "trung hoa", "ຈີນ", "中国"),
    "GB": ("uk", "great britain", "britain", "england"),
    "US": ("usa", "united states of america", "america"),
    "KR": ("korea", "republic of korea"),
}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    from phonenumbers import geocoder

    index: dict[str, str] = {}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number(region)
        names = [region]
        if example is not None:
            names += [geocoder.country_name_for_number(example, lang) for lang in ("en", "vi")]
        for name in names:
            index.setdefault(fold(name), region)
    for a3, a2 in _ALPHA3.items():
        index[fold(a3)] = a2
    for a2, aliases in _COUNTRY_ALIASES.items():
        for alias in aliases:
            index[fold(alias)] = a2
    index.pop("", None)
    return index


def to_country(raw: str) -> str:
    """ISO 3166-1 alpha-2 code from a code (alpha-2 or alpha-3) or an English/Vietnamese name.

    >>> [to_country(c) for c in ("Vietnam", "Viet Nam", "Việt Nam", "vn", "Lao PDR", "LAO", "Thái Lan")]
    ['VN', 'VN', 'VN', 'VN', 'LA', 'LA', 'TH']
    >>> to_country("Atlantis")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: 'Atlantis' is not a recognised country
    """
    code = _country_index().get(fold(raw))
    if code is None:
        raise InvalidValueError(f"{str(raw).strip()!r} is not a recognised country")
    return code


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """English short name of an alpha-2 code (the code itself when unknown).

    >>> country_name("LA"), country_name("XX")
    ('Laos', 'XX')
    """
    from phonenumbers import geocoder

    example = phonenumbers.example_number(code)
    name = geocoder.country_name_for_number(example, "en") if example else ""
    return name or code


class Country(ValueType):
    """A country: ``clean`` is :func:`to_country`, ``name`` is :func:`country_name`;
    ``compare`` is 1.0 for the same ISO code (``Country.compare("Lào", "LAO")`` is 1.0)."""

    kind = "country"
    clean = staticmethod(to_country)
    name = staticmethod(country_name)
