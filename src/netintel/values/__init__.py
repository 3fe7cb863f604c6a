"""Value types shared by ingestion and entity resolution.

Each type is a small class with ``clean`` (raw text -> canonical value, :class:`ValueError`
on a value that cannot be cleaned), ``validate`` (``bool``) and ``compare`` (similarity in
``[0, 1]``), plus plain-function twins for the common cases (:func:`clean_name`,
:func:`name_key`, :func:`to_e164`, :func:`phone_region`, :func:`to_kg`, ...).

Cleaning a column goes through :func:`clean_series`, which calls the cleaner once per
*distinct* value and maps the results back: records repeat their values (the same phone, the
same province, the same date) and this is what keeps a million rows fast.

Examples
--------
>>> name_key("Nguyễn  Văn Hùng"), to_e164("0912 345 678"), PartialDate.parse("14/05/1987").iso
('nguyen van hung', '+84912345678', '1987-05-14')
>>> to_kg("2", "bánh"), to_country("Lao PDR"), clean_role("leader")
(0.7, 'LA', 'organizer')
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from unidecode import unidecode

#: Cell texts read as "no value" (compared case-insensitively, after stripping).
MISSING_TOKENS = frozenset({"", "null", "none", "n/a", "nan", "-", "--"})


def is_missing(value: object) -> bool:
    """True for ``None``, NaN and the texts in :data:`MISSING_TOKENS`.

    >>> [is_missing(v) for v in (None, float("nan"), " N/A ", "Na", "0")]
    [True, True, True, False, False]
    """
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


def clean_series(series: pd.Series, cleaner: Callable[[Any], Any]) -> tuple[pd.Series, pd.Series]:
    """Apply ``cleaner`` to each distinct non-missing value of ``series``.

    Returns ``(cleaned, errors)``, both aligned with ``series`` (object dtype): ``cleaned``
    holds the cleaned value (``None`` where the input is missing or invalid), ``errors`` the
    :class:`ValueError` message for invalid values (``None`` elsewhere).

    >>> cleaned, errors = clean_series(pd.Series(["09 12 345 678", None, "12"]), to_e164)
    >>> cleaned.tolist()[0], errors.notna().tolist()
    ('+84912345678', [False, False, True])
    """
    codes, uniques = pd.factorize(series)
    uniques = np.asarray(uniques, dtype=object)  # iterating arrow-backed strings is slow
    out = np.full(len(uniques) + 1, None, dtype=object)  # the last slot serves code -1
    err = np.full(len(uniques) + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        try:
            out[i] = cleaner(value)
        except ValueError as e:
            err[i] = str(e)
    return (
        pd.Series(out[codes], index=series.index, dtype=object),
        pd.Series(err[codes], index=series.index, dtype=object),
    )


class ValueType:
    """Base of the value types: subclasses define :meth:`clean`."""

    kind: ClassVar[str] = "value"

    @classmethod
    def clean(cls, raw: str) -> Any:
        """The canonical form of ``raw``; raises :class:`ValueError` when it has none."""
        raise NotImplementedError

    @classmethod
    def validate(cls, raw: str) -> bool:
        """Whether ``raw`` can be cleaned."""
        try:
            cls.clean(raw)
        except ValueError:
            return False
        return True

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """1.0 when both clean to the same value, else 0.0 (invalid values never match)."""
        try:
            return 1.0 if cls.clean(a) == cls.clean(b) else 0.0
        except ValueError:
            return 0.0


# --- names -----------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\ufeff\u00ad"))


def clean_name(raw: str) -> str:
    """NFC-normalise, drop invisible characters, collapse whitespace; nothing else changes.

    >>> clean_name("  Nguyễn\\tVăn  Hùng ") == "Nguyễn Văn Hùng"
    True
    >>> clean_name("x'}) DETACH DELETE n //")
    "x'}) DETACH DELETE n //"
    """
    text = _WS.sub(" ", unicodedata.normalize("NFC", str(raw)).translate(_INVISIBLE)).strip()
    if not text:
        raise ValueError("empty name")
    return text


# Python's ``\s`` (str.isspace) spelled for RE2, which pyarrow uses.
_WS_RE2 = (
    r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}"
    r"\x{2029}\x{202f}\x{205f}\x{3000}]+"
)


def clean_names(series: pd.Series) -> pd.Series:
    """:func:`clean_name` over a whole column at once (pyarrow compute); blank -> missing.

    >>> clean_names(pd.Series([" Lò  Văn\u00a0Páo ", None, "\u200b"])).tolist()
    ['Lò Văn Páo', nan, nan]
    """
    arr = pa.array(series.astype("str"), from_pandas=True)
    arr = pc.utf8_normalize(arr, "NFC")
    arr = pc.replace_substring_regex(arr, "[\u200b\ufeff\u00ad]", "")
    arr = pc.utf8_trim(pc.replace_substring_regex(arr, _WS_RE2, " "), " ")
    out = pd.Series(pd.array(arr, dtype="str"), index=series.index)
    return out.where(out != "", None)


@lru_cache(maxsize=1 << 17)
def _fold_token(token: str) -> str:
    return _NON_ALNUM.sub(" ", unidecode(token).lower()).strip()


def fold(text: str) -> str:
    """Diacritic-folded, lower-case ASCII, runs of other characters turned into one space.

    >>> fold("Đắk Lắk"), fold("Mr.A"), fold("ຫຼວງນ້ຳທາ")
    ('dak lak', 'mr a', 'hlwngnamthaa')
    """
    return " ".join(t for t in map(_fold_token, str(text).split()) if t)


def name_key(raw: str) -> str:
    """Match key of a name: :func:`fold` of :func:`clean_name` (never empty).

    Folding is done per token and cached, since names share their tokens. A name made only
    of punctuation keeps its cleaned, lower-cased text as its key.

    >>> {name_key(n) for n in ("Nguyễn Văn Hùng", "Nguyen Van Hung", "NGUYEN  VAN HUNG")}
    {'nguyen van hung'}
    >>> name_key("Đỗ Thị Đào")
    'do thi dao'
    """
    text = clean_name(raw)
    return fold(text) or text.lower()


class Name(ValueType):
    """A person's name. ``clean`` is :func:`clean_name`, ``key`` is :func:`name_key`.

    >>> Name.compare("Nguyễn Văn Hùng", "Hung Nguyen Van")  # word order ignored
    1.0
    >>> round(Name.compare("Nguyen Van Hung", "Nguyen Van Hong"), 2)
    0.93
    """

    kind = "name"
    clean = staticmethod(clean_name)
    key = staticmethod(name_key)

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """Similarity of the sorted tokens of the two keys (difflib ratio)."""
        try:
            ka, kb = (" ".join(sorted(name_key(x).split())) for x in (a, b))
        except ValueError:
            return 0.0
        return difflib.SequenceMatcher(None, ka, kb).ratio()


# --- phones ----------------------------------------------------------------------------------

_PHONE_SEP = re.compile(r"[\s\-.()/]")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_DESCS = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "too short",
    phonenumbers.ValidationResult.TOO_LONG: "too long",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    phonenumbers.ValidationResult.INVALID_LENGTH: "wrong length",
}


@lru_cache(maxsize=512)
def _plan(region: str) -> tuple | None:
    """Compiled number plan of a region for the fast path, or None where it does not apply."""
    md = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if md is None or md.country_code is None:
        return None
    if md.national_prefix_for_parsing not in (None, md.national_prefix):
        return None
    if len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(md.country_code, ())) != 1:
        return None

    def desc(d: Any, fallback: tuple) -> tuple | None:
        if d is None or d.national_number_pattern is None:
            return None
        return re.compile(d.national_number_pattern), tuple(d.possible_length or fallback)

    general = desc(md.general_desc, ())
    if general is None:
        return None
    types = [t for t in (desc(getattr(md, n), general[1]) for n in _DESCS) if t is not None]
    return str(md.country_code), md.national_prefix, md.international_prefix, general, types


def _fast_e164(raw: str, region: str) -> str | None:
    """E.164 for the plain shapes (``+cc...``, ``00cc...``, ``0...``), else None (slow path).

    Mirrors phonenumbers' validity test (length and number-type patterns) for regions with
    a simple trunk prefix; anything unusual is left to phonenumbers itself.
    """
    s = _PHONE_SEP.sub("", raw)
    home = _plan(region)
    if s.startswith("+") or (home is not None and home[2] == "00" and s.startswith("00")):
        digits = s[1:] if s[0] == "+" else s[2:]
        if not _ASCII_DIGITS.fullmatch(digits) or digits[0] == "0":
            return None
        for n in (1, 2, 3):
            regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:n]))
            if regions:
                break
        else:
            return None
        plan = _plan(regions[0]) if len(regions) == 1 else None
        nsn = digits[n:]
    elif home is not None and home[1] and s.startswith(home[1]):
        plan, nsn = home, s[len(home[1]) :]
        if not _ASCII_DIGITS.fullmatch(nsn):
            return None
    else:
        return None
    if plan is None or not nsn or (plan[1] and nsn.startswith(plan[1])) or nsn[0] == "0":
        return None
    pattern, lengths = plan[3]
    if len(nsn) not in lengths or not pattern.fullmatch(nsn):
        return None
    for pattern, lengths in plan[4]:
        if len(nsn) in lengths and pattern.fullmatch(nsn):
            return f"+{plan[0]}{nsn}"
    return None


#: Vietnam's September 2018 renumbering of 11-digit mobile numbers: old prefix -> new prefix
#: (national significant numbers, without the trunk 0). Older records still carry old numbers.
VN_RENUMBERED = {
    "162": "32",
    "163": "33",
    "164": "34",
    "165": "35",
    "166": "36",
    "167": "37",
    "168": "38",
    "169": "39",
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    "186": "56",
    "188": "58",
    "199": "59",
}
_PHONE_CHARS = re.compile(r"[\d\s+\-.()/]+")
_SUBSCRIBER = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)


def to_e164(raw: str, default_region: str = "VN", *, strict: bool = False) -> str:
    """A phone number in E.164 form; national numbers are read in ``default_region``.

    A number is accepted when phonenumbers finds it valid, or -- unless ``strict`` -- when it
    has the length of a mobile or fixed-line number of its country: numbering plans move
    faster than any metadata table, and a record's number is evidence even in a range the
    table does not know yet. Letters are never accepted (no vanity numbers), nor a number
    too short or too long for its plan. Vietnamese 11-digit mobile numbers from before the
    2018 renumbering are converted to their current form (:data:`VN_RENUMBERED`).

    Raises
    ------
    ValueError
        When the text is not a phone number of an acceptable shape.

    Examples
    --------
    >>> to_e164("0912 345 678"), to_e164("+856 20 5551 2345"), to_e164("00856 20 5551 2345")
    ('+84912345678', '+8562055512345', '+8562055512345')
    >>> to_e164("020 5551 2345", default_region="LA"), to_e164("01662 345 678")
    ('+8562055512345', '+84362345678')
    >>> to_e164("0891 374 306"), Phone.validate("0891 374 306", strict=True)
    ('+84891374306', False)
    >>> to_e164("0912")
    Traceback (most recent call last):
    ...
    ValueError: '0912' is not a valid phone number (too short for region VN)
    """
    text = str(raw).strip()
    fast = _fast_e164(text, default_region)
    if fast is not None:
        return fast
    if not _PHONE_CHARS.fullmatch(text):
        raise ValueError(f"{text!r} is not a valid phone number (only digits, spaces, + - . ( ) /)")
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a valid phone number") from None
    nsn = str(number.national_number)
    if number.country_code == 84 and len(nsn) == 10 and nsn[:3] in VN_RENUMBERED:
        number.national_number = int(VN_RENUMBERED[nsn[:3]] + nsn[3:])
    ok = phonenumbers.is_valid_number(number) or (
        not strict and any(phonenumbers.is_possible_number_for_type(number, t) for t in _SUBSCRIBER)
    )
    if not ok:
        why = _REASONS.get(
            phonenumbers.is_possible_number_with_reason(number), "not a number of the plan"
        )
        region = phonenumbers.region_code_for_country_code(number.country_code)
        raise ValueError(f"{text!r} is not a valid phone number ({why} for region {region})")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_region(e164: str) -> str:
    """ISO region of an E.164 number's plan (``"ZZ"`` when unknown).

    >>> phone_region("+84912345678"), phone_region("+8562055512345"), phone_region("+12025550123")
    ('VN', 'LA', 'US')
    """
    digits = str(e164)[1:4]
    for n in (1, 2, 3) if digits.isdigit() else ():
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:n] or 0))
        if regions:
            if len(regions) == 1 and regions[0] != "001":
                return regions[0]
            break
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or "ZZ"
    except phonenumbers.NumberParseException:
        return "ZZ"


class Phone(ValueType):
    """A phone number: ``clean`` is :func:`to_e164` (default region VN).

    >>> Phone.compare("0912 345 678", "+84 912345678"), Phone.validate("12")
    (1.0, False)
    """

    kind = "phone"
    clean = staticmethod(to_e164)
    region = staticmethod(phone_region)

    @classmethod
    def validate(cls, raw: str, **options: Any) -> bool:
        """Whether ``raw`` is a phone number (``options`` as for :func:`to_e164`)."""
        try:
            to_e164(raw, **options)
        except ValueError:
            return False
        return True


# --- dates -----------------------------------------------------------------------------------

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE_FORMATS = (
    (re.compile(r"(\d{4})"), "y"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})"), "ym"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME), "ymd"),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME), "dmy"),
    (re.compile(r"(\d{1,2})[-/.](\d{4})"), "my"),
)
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True, order=True)
class PartialDate(ValueType):
    """A date known to the year, the month or the day.

    Accepted forms: ISO ``yyyy``, ``yyyy-mm``, ``yyyy-mm-dd`` (a time of day after it is
    ignored), **day first** ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` (the Vietnamese and
    Lao convention: ``05/04/2024`` is 5 April), and ``mm/yyyy``. Years run from 1900 to 2100.

    Examples
    --------
    >>> d = PartialDate.parse("05/2024")
    >>> d.iso, d.first_day, d.last_day
    ('2024-05', datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))
    >>> PartialDate.parse("05/04/2024").iso, PartialDate.parse("1987").last_day
    ('2024-04-05', datetime.date(1987, 12, 31))
    >>> PartialDate.parse("31/02/2024")
    Traceback (most recent call last):
    ...
    ValueError: '31/02/2024' is not a valid date (day is out of range for month)
    """

    year: int
    month: int | None = None
    day: int | None = None
    kind: ClassVar[str] = "date"

    @classmethod
    def parse(cls, raw: str) -> PartialDate:
        """Parse one of the accepted forms; :class:`ValueError` otherwise."""
        text = str(raw).strip()
        for pattern, order in _DATE_FORMATS:
            m = pattern.fullmatch(text)
            if m:
                parts = dict(zip(order, map(int, m.groups()), strict=False))
                break
        else:
            raise ValueError(
                f"{text!r} is not a valid date (expected yyyy-mm-dd, dd/mm/yyyy, mm/yyyy or yyyy)"
            )
        y, mo, d = parts["y"], parts.get("m"), parts.get("d")
        if not MIN_YEAR <= y <= MAX_YEAR:
            raise ValueError(f"{text!r} is not a valid date (year outside {MIN_YEAR}-{MAX_YEAR})")
        try:
            dt.date(y, 1 if mo is None else mo, 1 if d is None else d)
        except ValueError as e:
            raise ValueError(f"{text!r} is not a valid date ({e})") from None
        return cls(y, mo, d)

    @classmethod
    def clean(cls, raw: str) -> str:
        """The ISO text of :meth:`parse` (``"1987"``, ``"1987-05"``, ``"1987-05-14"``)."""
        return cls.parse(raw).iso

    @classmethod
    def from_iso(cls, iso: str) -> PartialDate:
        """Rebuild from :attr:`iso` text."""
        parts = [int(p) for p in iso.split("-")]
        return cls(*parts)

    @property
    def iso(self) -> str:
        """ISO text keeping the precision."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    @property
    def first_day(self) -> dt.date:
        """First calendar day the date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """Last calendar day the date covers."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        return self.iso


def date_bounds(iso: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by an ISO partial date.

    >>> date_bounds("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    d = PartialDate.from_iso(iso)
    return d.first_day, d.last_day


# --- quantities ------------------------------------------------------------------------------

#: Kilograms per unit, keyed by the folded unit text. A heroin "bánh" (cake, block) is taken as
#: 350 g, the customary weight used in Vietnamese seizure reports.
UNIT_KG: dict[str, float] = {
    **dict.fromkeys(("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "ki"), 1.0),
    **dict.fromkeys(("g", "gr", "gram", "grams", "gam", "gramme", "grammes"), 1e-3),
    **dict.fromkeys(("mg", "milligram", "milligrams"), 1e-6),
    **dict.fromkeys(("t", "tonne", "tonnes", "ton", "tons", "tan"), 1000.0),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), 0.45359237),
    **dict.fromkeys(("oz", "ounce", "ounces"), 0.028349523125),
    **dict.fromkeys(("banh", "cake", "cakes"), 0.35),
}
#: Countable units: a quantity of them has no mass of its own (``quantity_kg`` stays empty).
COUNT_UNITS = frozenset(
    "tablet tablets tab tabs pill pills vien capsule capsules vial vials ampoule ampoules ong "
    "piece pieces pcs".split()
)


def unit_factor(unit: str) -> float | None:
    """Kilograms per ``unit`` (``None`` for countable units), case and diacritics ignored.

    >>> unit_factor("Tấn"), unit_factor("viên"), unit_factor("KG.")
    (1000.0, None, 1.0)
    """
    key = fold(unit).replace(" ", "").rstrip(".")
    if key in UNIT_KG:
        return UNIT_KG[key]
    if key in COUNT_UNITS:
        return None
    raise ValueError(
        f"{str(unit).strip()!r} is not a known unit (kg, g, mg, t, lb, oz, bánh, tablets)"
    )


def parse_number(raw: object) -> float:
    """A non-negative number; a lone comma is read as the decimal mark (``"1,5"`` is 1.5).

    Thousands separators are not accepted: ``"1.500"`` is 1.5 and ``"1,500.5"`` is an error.

    >>> parse_number("2.5"), parse_number(" 1,5 "), parse_number(3)
    (2.5, 1.5, 3.0)
    """
    text = str(raw).strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{str(raw).strip()!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{str(raw).strip()!r} is not a number")
    if value < 0:
        raise ValueError(f"{str(raw).strip()!r} is negative")
    return value


def to_kg(quantity: object, unit: str) -> float | None:
    """``quantity`` of ``unit`` in kilograms, or ``None`` for countable units (tablets).

    >>> to_kg("1.5", "kg"), to_kg(500, "g"), to_kg(2, "bánh"), to_kg(10000, "viên")
    (1.5, 0.5, 0.7, None)
    >>> to_kg(1, "bags")
    Traceback (most recent call last):
    ...
    ValueError: 'bags' is not a known unit (kg, g, mg, t, lb, oz, bánh, tablets)
    """
    factor = unit_factor(unit)
    value = parse_number(quantity)
    return None if factor is None else round(value * factor, 9)


# --- identifiers and countries --------------------------------------------------------------

_ID_SEP = re.compile(r"[\s\-./]+")
_ID_OK = re.compile(r"[0-9A-Z]+")


def clean_national_id(raw: str) -> str:
    """National ID: spaces, dashes, dots and slashes removed, upper-case, letters and digits only.

    >>> clean_national_id(" 0401-9000 1234 "), clean_national_id("ab.123")
    ('040190001234', 'AB123')
    """
    text = _ID_SEP.sub("", str(raw)).upper()
    if not _ID_OK.fullmatch(text):
        raise ValueError(
            f"{str(raw).strip()!r} is not a valid national ID (letters and digits only)"
        )
    return text


def clean_plate(raw: str) -> str:
    """Vehicle plate: folded, upper-case, separators removed; must contain a digit.

    >>> clean_plate("29C-123.45"), clean_plate("lào 7A 1234")
    ('29C12345', 'LAO7A1234')
    """
    text = re.sub(r"[^0-9A-Z]", "", unidecode(str(raw)).upper())
    if len(text) < 2 or not any(c.isdigit() for c in text):
        raise ValueError(f"{str(raw).strip()!r} is not a valid vehicle plate")
    return text


class NationalId(ValueType):
    """A national identity number (:func:`clean_national_id`)."""

    kind = "national_id"
    clean = staticmethod(clean_national_id)


class Plate(ValueType):
    """A vehicle registration plate (:func:`clean_plate`)."""

    kind = "plate"
    clean = staticmethod(clean_plate)


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
    ValueError: 'Atlantis' is not a recognised country
    """
    code = _country_index().get(fold(raw))
    if code is None:
        raise ValueError(f"{str(raw).strip()!r} is not a recognised country")
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
    """A country (:func:`to_country`)."""

    kind = "country"
    clean = staticmethod(to_country)
    name = staticmethod(country_name)


# --- roles -----------------------------------------------------------------------------------

ROLES = ("organizer", "financier", "courier", "buyer", "seller", "lookout", "unknown")
#: Accepted synonyms (folded), deliberately few: spelling variants, the usual English and
#: Vietnamese equivalents. Leaders and masterminds count as organizers (the national programme's
#: "masterminds and leaders" are the people who organise the network). Slang ("boss", "mule")
#: is not guessed at: map it in the mapping's ``values`` when an agency uses it.
_ROLE_SYNONYMS = {
    "organizer": ("organiser", "organizers", "organisers", "leader", "ringleader", "mastermind",
                  "cam dau", "doi tuong cam dau", "chu muu", "ke chu muu", "to chuc"),
    "financier": ("financer", "funder", "tai tro", "bo von", "nguoi bo von"),
    "courier": ("carrier", "transporter", "van chuyen", "nguoi van chuyen"),
    "buyer": ("purchaser", "nguoi mua"),
    "seller": ("dealer", "vendor", "nguoi ban"),
    "lookout": ("watcher", "canh gioi", "canh gac"),
    "unknown": ("khong ro", "chua ro"),
}  # fmt: skip
_ROLE_INDEX = {fold(s): role for role, syns in _ROLE_SYNONYMS.items() for s in (role, *syns)}


def clean_role(raw: str) -> str:
    """One of :data:`ROLES`, from the role itself or a documented synonym.

    >>> clean_role("Organiser"), clean_role("đối tượng cầm đầu"), clean_role("Carrier")
    ('organizer', 'organizer', 'courier')
    """
    role = _ROLE_INDEX.get(fold(raw).replace("_", " "))
    if role is None:
        raise ValueError(f"{str(raw).strip()!r} is not a known role ({', '.join(ROLES)})")
    return role


class Role(ValueType):
    """A person's role in an arrest record (:func:`clean_role`)."""

    kind = "role"
    clean = staticmethod(clean_role)


def phone_cleaner(default_region: str) -> Callable[[str], str]:
    """:func:`to_e164` bound to ``default_region`` (for :func:`clean_series`)."""
    return partial(to_e164, default_region=default_region)
