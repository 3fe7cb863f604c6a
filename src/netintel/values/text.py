"""Text: the one ``fold``, invisible characters, whitespace, and text similarity.

Every matching key in netintel is a :func:`fold` of the text: the names of people, places,
drugs, units, roles and link types, and the keys ingest and entity resolution build from them.
There is no other folding: the synthetic generator (names distinct after folding) and the
evaluation (matching found to planted names and places) use this one.

Decisions
---------
- Folding is per whitespace-separated word: NFC, then :mod:`unidecode` (which romanises
  Vietnamese, including đ/Đ, and Lao script), lower case, and every run of characters other
  than ``a-z`` and ``0-9`` becomes one space. So punctuation separates words
  (``"Mr.A"`` and ``"Mr A"`` agree, and so do ``"Hùng-A"`` and ``"Hung A"``), and a text made
  only of punctuation folds to ``""``.
- Cleaning text (:func:`clean_text`) changes nothing but form: NFC, the invisible characters
  of :data:`INVISIBLE` removed (every Unicode format character, category Cf: zero-width
  space and joiners, soft hyphen, byte order mark, the bidirectional marks and overrides such
  as U+202E), runs of whitespace turned into one space, ends stripped. Case, punctuation and
  diacritics are kept; what a record says is evidence. A control character (NUL, escape...:
  category Cc other than white space such as tab and line feed) is refused: it is
  not part of any name, and text holding one is damaged or hostile.

Examples
--------
>>> fold("Đắk Lắk"), fold("Mr.A"), fold("ຫຼວງນ້ຳທາ"), fold(None)
('dak lak', 'mr a', 'hlwngnamthaa', '')
>>> clean_text("  Nguyễn\\tVăn  Hùng ") == "Nguyễn Văn Hùng"
True
>>> one_edit_apart("040087000001", "040087000010"), edit_distance("kitten", "sitting")
(True, 3)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from unidecode import unidecode

from netintel.errors import InvalidValueError
from netintel.values.base import ValueType

#: Code point ranges of the Unicode format characters (category Cf, Unicode 14): removed by
#: :func:`clean_text`. ``tests/values/test_text.py`` checks them against :mod:`unicodedata`.
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip
#: Characters removed by :func:`clean_text`: zero-width space and joiners, soft hyphen,
#: byte-order mark, bidirectional marks, embeddings, overrides and isolates, ...
INVISIBLE = "".join(chr(c) for a, b in INVISIBLE_RANGES for c in range(a, b + 1))
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
_INVISIBLE_RE2 = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in INVISIBLE_RANGES) + "]"
#: Control characters refused in text: category Cc but the white space (tab, line feed,
#: vertical tab, form feed, carriage return, NEL), which becomes a space.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Python's ``\s`` (str.isspace) spelled for RE2, which pyarrow uses.
_WS_RE2 = (
    r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}"
    r"\x{2029}\x{202f}\x{205f}\x{3000}]+"
)


@lru_cache(maxsize=1 << 17)
def _fold_word(word: str) -> str:
    folded = unidecode(unicodedata.normalize("NFC", word)).lower()
    return _NON_ALNUM.sub(" ", folded).strip()


def fold(text: object) -> str:
    """Diacritic-folded, lower-case ASCII, runs of other characters turned into one space.

    ``None`` and NaN fold to ``""``. Words are folded once and cached: records share words.

    >>> fold("  Nguyễn  Văn Hùng"), fold("Nguye\\u0303n"), fold("O'Brien-Smith"), fold("--")
    ('nguyen van hung', 'nguyen', 'o brien smith', '')
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return " ".join(w for w in map(_fold_word, str(text).translate(_INVISIBLE).split()) if w)


def control_reason(raw: object) -> str | None:
    """Why ``raw`` is refused as text (it holds a control character), or ``None``.

    >>> control_reason("Xu\\x00an"), control_reason("Xuan\\tA")
    ('holds a control character (U+0000)', None)
    """
    found = CONTROL.search(str(raw))
    return None if found is None else f"holds a control character (U+{ord(found[0]):04X})"


def clean_text(raw: object, *, what: str = "text") -> str:
    """NFC-normalise, drop invisible characters, collapse whitespace; nothing else changes.

    Raises :class:`~netintel.errors.InvalidValueError` (``what`` names the kind of text)
    when nothing is left, or when the text holds a control character (:func:`control_reason`).

    >>> clean_text("Xu\\u200dan\\u202e") == "Xuan"
    True

    >>> clean_text("x'}) DETACH DELETE n //")
    "x'}) DETACH DELETE n //"
    >>> clean_text("\\u200b ", what="name")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: '\\u200b ' is not a name (blank or invisible characters only)
    """
    control = control_reason(raw)
    if control is not None:
        raise InvalidValueError(f"{raw!r} is not a {what}: it {control}")
    text = _WS.sub(" ", unicodedata.normalize("NFC", str(raw)).translate(_INVISIBLE)).strip()
    if not text:
        raise InvalidValueError(f"{raw!r} is not a {what} (blank or invisible characters only)")
    return text


def clean_texts(series: pd.Series) -> pd.Series:
    """:func:`clean_text` over a whole column at once (pyarrow compute); blank -> missing.

    Control characters are not checked here: find them with :func:`control_reason`.

    >>> clean_texts(pd.Series([" Lò  Văn\\u00a0Páo ", None, "\\u200b"])).tolist()
    ['Lò Văn Páo', nan, nan]
    """
    arr = pa.array(series.astype("str"), from_pandas=True)
    arr = pc.utf8_normalize(arr, "NFC")
    arr = pc.replace_substring_regex(arr, _INVISIBLE_RE2, "")
    arr = pc.utf8_trim(pc.replace_substring_regex(arr, _WS_RE2, " "), " ")
    out = pd.Series(pd.array(arr, dtype="str"), index=series.index)
    return out.where(out != "", None)


def text_key(raw: object) -> str:
    """Match key of a text: its :func:`fold`, or for text made only of punctuation its
    cleaned, lower-cased form (so it is never empty).

    >>> text_key("12 Đường Trần Phú"), text_key("??")
    ('12 duong tran phu', '??')
    """
    text = clean_text(raw)
    return fold(text) or text.lower()


def one_edit_apart(a: str, b: str) -> bool:
    """Equal, or one substitution, insertion, deletion or swap of neighbours apart.

    The same as ``edit_distance(a, b) <= 1``, without computing the distance.

    >>> one_edit_apart("1987-05-14", "1987-05-41"), one_edit_apart("1987", "1991")
    (True, False)
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            return a[i] == b[i + 1] and a[i + 1] == b[i]
        return len(diff) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def edit_distance(a: str, b: str) -> int:
    """Edits (substitution, insertion, deletion, swap of neighbours) from ``a`` to ``b``.

    The optimal string alignment distance (restricted Damerau-Levenshtein): a swap of
    neighbours is one edit, the typo most often made typing an identifier.

    >>> edit_distance("P1234567", "P1243567"), edit_distance("", "abc")
    (1, 3)
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (prefix weight 0.1 over at most 4 characters, applied above
    0.7), as DuckDB's ``jaro_winkler_similarity`` computes it: 0.0 when either text is empty.

    References
    ----------
    Winkler, W. E. (1990). String comparator metrics and enhanced decision rules in the
    Fellegi-Sunter model of record linkage. Proceedings of the Section on Survey Research
    Methods, American Statistical Association, 354-359.

    >>> round(jaro_winkler("martha", "marhta"), 4), jaro_winkler("", ""), jaro_winkler("a", "")
    (0.9611, 0.0, 0.0)
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used = [False] * len(b)
    matched_a = []
    for i, ca in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used[j] and b[j] == ca:
                used[j] = True
                matched_a.append(ca)
                break
    m = len(matched_a)
    if m == 0:
        return 0.0
    matched_b = [cb for cb, u in zip(b, used, strict=True) if u]
    half_swaps = sum(x != y for x, y in zip(matched_a, matched_b, strict=True))
    jaro = (m / len(a) + m / len(b) + (m - half_swaps // 2) / m) / 3
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


class Text(ValueType):
    """Free text (an address, a place as recorded): ``clean`` is :func:`clean_text`,
    ``key`` is :func:`text_key`; ``compare`` is the similarity of the folded texts.

    >>> Text.compare("12 Trần Phú", "12 tran phu"), round(Text.compare("Trần Phú", "Lê Lợi"), 2)
    (1.0, 0.14)
    """

    kind = "text"
    clean = staticmethod(clean_text)
    key = staticmethod(text_key)

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """difflib's ratio of the two :func:`fold`\\ s (0.0 when either is blank)."""
        fa, fb = fold(a), fold(b)
        if not fa or not fb:
            return 0.0
        return difflib.SequenceMatcher(None, fa, fb).ratio()
