"""Names of people: the recorded form, the match key, and the word-order-proof key.

Ingest keeps a name as recorded (:func:`clean_name`: NFC, invisible characters dropped,
whitespace collapsed) and keys it by :func:`name_key` (the :func:`~netintel.values.text.fold`).
Entity resolution compares names by :func:`name_turn` of the key: the smallest rotation of
its words, the same for ``nguyen thu thuy quyen``, ``quyen nguyen thu thuy`` (given name
first) and ``thu thuy quyen nguyen`` (family name last), but not for other orders of the same
words, which name other people (``pham cong trong minh`` is not ``pham minh trong cong``).

Examples
--------
>>> name_key("Nguyễn  Văn Hùng"), Name.turn("Hùng Nguyễn Văn")
('nguyen van hung', 'hung nguyen van')
>>> round(Name.compare("Nguyễn Văn Hùng", "Nguyen Van Hong"), 3)
0.896
"""

from __future__ import annotations

import pandas as pd

from netintel.values.base import ValueType
from netintel.values.text import clean_text, clean_texts, fold, jaro_winkler


def clean_name(raw: object) -> str:
    """A name as recorded, in clean form (:func:`~netintel.values.text.clean_text`).

    >>> clean_name("  Nguyễn\\tVăn  Hùng ") == "Nguyễn Văn Hùng"
    True
    >>> clean_name("x'}) DETACH DELETE n //")
    "x'}) DETACH DELETE n //"
    """
    return clean_text(raw, what="name")


def clean_names(series: pd.Series) -> pd.Series:
    """:func:`clean_name` over a whole column at once; blank names become missing.

    >>> clean_names(pd.Series([" Lò  Văn\\u00a0Páo ", None, "\\u200b"])).tolist()
    ['Lò Văn Páo', nan, nan]
    """
    return clean_texts(series)


def name_key(raw: object) -> str:
    """Match key of a name: :func:`~netintel.values.text.fold` of :func:`clean_name` (never
    empty: a name made only of punctuation keeps its cleaned, lower-cased text).

    >>> {name_key(n) for n in ("Nguyễn Văn Hùng", "Nguyen Van Hung", "NGUYEN  VAN HUNG")}
    {'nguyen van hung'}
    >>> name_key("Đỗ Thị Đào"), name_key("?!")
    ('do thi dao', '?!')
    """
    text = clean_name(raw)
    return fold(text) or text.lower()


def name_turn(key: str) -> str:
    """The smallest rotation of the words of a folded name (see the module docstring).

    >>> name_turn("quyen nguyen thu thuy") == name_turn("nguyen thu thuy quyen")
    True
    >>> name_turn("pham cong trong minh") == name_turn("pham minh trong cong")
    False
    """
    words = key.split()
    return min(" ".join(words[i:] + words[:i]) for i in range(len(words))) if words else key


class Name(ValueType):
    """A person's name: ``clean`` is :func:`clean_name`, ``key`` is :func:`name_key`.

    ``compare`` is the Jaro-Winkler similarity of the two :meth:`turn` keys: the measure
    entity resolution applies (in DuckDB) to a pair of names, so a rule's
    ``name_similarity: 0.9`` means ``Name.compare(a, b) >= 0.9``.

    >>> Name.compare("Nguyễn Văn Hùng", "Hùng Nguyễn Văn")  # given name first: same person
    1.0
    >>> Name.compare("Nguyễn Văn Hùng", "   ")
    0.0
    """

    kind = "name"
    clean = staticmethod(clean_name)
    key = staticmethod(name_key)

    @staticmethod
    def turn(raw: object) -> str | None:
        """:func:`name_turn` of the folded name; ``None`` when it folds to nothing.

        >>> Name.turn("Thu Thùy Quyên Nguyễn"), Name.turn(" ?? ")
        ('nguyen thu thuy quyen', None)
        """
        key = fold(raw) if isinstance(raw, str) else ""
        return name_turn(key) if key else None

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """Jaro-Winkler similarity of the turn keys (0.0 when either folds to nothing)."""
        ta, tb = cls.turn(a), cls.turn(b)
        if ta is None or tb is None:
            return 0.0
        return jaro_winkler(ta, tb)
