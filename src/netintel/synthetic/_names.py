"""Names of planted people, and the spelling variants records give them.

"The same after folding" means the same :func:`netintel.values.fold`, the key ingest gives a
name: canonical names are distinct under it, and only some variant kinds fold to the same key.

Private helpers: they assume valid input (arrays of equal length, a seeded generator).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
from unidecode import unidecode

from netintel.synthetic import _vocab as V
from netintel.values import fold


def _pick(rng: np.random.Generator, items: list[str], n: int, p: np.ndarray | None = None):
    return np.asarray(items, dtype=object)[rng.choice(len(items), size=n, p=p)]


def _vn_names(
    rng: np.random.Generator, n: int, female: np.ndarray, hmong: np.ndarray, four_p: float
) -> np.ndarray:
    fam_names = [f for f, _ in V.VN_FAMILY]
    fam_w = np.array([w for _, w in V.VN_FAMILY], dtype=float)
    fam = _pick(rng, fam_names, n, fam_w / fam_w.sum())
    mid = np.where(female, _pick(rng, V.VN_MIDDLE_F, n), _pick(rng, V.VN_MIDDLE_M, n))
    mid2 = np.where(female, _pick(rng, V.VN_MIDDLE_F, n), _pick(rng, V.VN_MIDDLE_M, n))
    given = np.where(female, _pick(rng, V.VN_GIVEN_F, n), _pick(rng, V.VN_GIVEN_M, n))
    four = rng.random(n) < four_p
    h_fam = _pick(rng, V.HMONG_FAMILY, n)
    h_mid = _pick(rng, V.HMONG_MIDDLE, n)
    h_given = _pick(rng, V.HMONG_GIVEN, n)
    out = np.empty(n, dtype=object)
    for i in range(n):
        if hmong[i]:
            out[i] = f"{h_fam[i]} {h_mid[i]} {h_given[i]}"
        elif four[i] and mid2[i] != mid[i]:
            out[i] = f"{fam[i]} {mid[i]} {mid2[i]} {given[i]}"
        else:
            out[i] = f"{fam[i]} {mid[i]} {given[i]}"
    return out


def _lao_names(rng: np.random.Generator, n: int) -> np.ndarray:
    g_head = _pick(rng, V.LAO_GIVEN_HEAD, n)
    g_tail = _pick(rng, V.LAO_GIVEN_TAIL, n)
    real = rng.random(n) < 0.35
    f_real = _pick(rng, V.LAO_FAMILY_REAL, n)
    f_head = _pick(rng, V.LAO_FAMILY_HEAD, n)
    f_tail = _pick(rng, V.LAO_FAMILY_TAIL, n)
    out = np.empty(n, dtype=object)
    for i in range(n):
        family = f_real[i] if real[i] else f_head[i] + f_tail[i]
        out[i] = f"{g_head[i]}{g_tail[i]} {family}"
    return out


def make_names(
    rng: np.random.Generator, lao: np.ndarray, female: np.ndarray, hmong: np.ndarray
) -> np.ndarray:
    """Canonical names, distinct after folding wherever the name space allows it.

    Names that repeat an earlier one are drawn again, from then on as four-part Vietnamese
    names (the three-part space is small) and without H'Mong names.
    """
    n = len(lao)
    names = np.empty(n, dtype=object)
    folded = np.empty(n, dtype=object)
    todo = np.arange(n)
    for attempt in range(20):
        lao_t = lao[todo]
        la_i, vn_i = todo[lao_t], todo[~lao_t]
        names[la_i] = _lao_names(rng, len(la_i))
        hm = hmong[vn_i] & (attempt == 0)
        names[vn_i] = _vn_names(rng, len(vn_i), female[vn_i], hm, 0.35 if attempt == 0 else 1.0)
        folded[todo] = [fold(x) for x in names[todo]]
        todo = np.flatnonzero(pd.Series(folded).duplicated().to_numpy())
        if len(todo) == 0:
            break
    return names


def make_aliases(rng: np.random.Generator, names: np.ndarray, lao: np.ndarray) -> np.ndarray:
    """A nickname for about a fifth of the people ('' for the others)."""
    n = len(names)
    has = rng.random(n) < 0.2
    nick = _pick(rng, V.VN_NICKNAMES, n)
    pre = _pick(rng, V.LAO_ALIAS_PREFIX, n)
    out = np.full(n, "", dtype=object)
    for i in np.flatnonzero(has):
        parts = names[i].split()
        if lao[i]:
            out[i] = f"{pre[i]} {parts[0]}"
        else:
            out[i] = f"{parts[-1]} {nick[i]}"
    return out


# --- spelling variants ---------------------------------------------------------------------
_LAO_RULES = [
    ("nh", "n", True),
    ("th", "t", True),
    ("y", "i", True),
    ("ck", "k", True),
    ("ou", "u", False),
    ("x", "s", False),
    ("ph", "p", False),
    ("vong", "vongs", True),
    ("ee", "i", False),
]


def _translit(name: str, rng: np.random.Generator) -> str:
    tokens = name.split()
    order = rng.permutation(len(tokens))
    for t in order:
        tok = tokens[t]
        low = tok.lower()
        for old, new, at_end in _LAO_RULES:
            if at_end and low.endswith(old):
                tokens[t] = tok[: len(tok) - len(old)] + new
                return " ".join(tokens)
            if not at_end and old in low[1:]:
                i = low.index(old, 1)
                tokens[t] = tok[:i] + new + tok[i + len(old) :]
                return " ".join(tokens)
    return name


def _typo(name: str, rng: np.random.Generator) -> str:
    tokens = name.split()
    t = int(np.argmax([len(x) for x in tokens])) if rng.random() < 0.7 else len(tokens) - 1
    tok = tokens[t]
    if len(tok) < 3:
        tok = tok + tok[-1]
    else:
        i = int(rng.integers(1, len(tok) - 1))
        kind = rng.integers(3)
        if kind == 0:  # drop a letter
            tok = tok[:i] + tok[i + 1 :]
        elif kind == 1:  # swap two neighbours
            tok = tok[:i] + tok[i + 1] + tok[i] + tok[i + 2 :]
        else:  # double a letter
            tok = tok[:i] + tok[i] + tok[i:]
    tokens[t] = tok
    out = " ".join(tokens)
    return out if fold(out) != fold(name) else name + "h"


# Alternative romanisations of Lao, applied all at once: (old, new, only at a token's end).
_LAO_ROMANISATION = [
    ("ou", "u", False),
    ("ph", "p", False),
    ("x", "s", False),
    ("ee", "i", False),
    ("oo", "o", False),
    ("nh", "n", True),
    ("ck", "k", True),
]


def lao_romanisation(name: str) -> str:
    """Another romanisation of a Lao name: ou/u, ph/p, x/s, doubled vowels, final nh/n.

    >>> lao_romanisation("Souksavanh Phommachanh")
    'Suksavan Pommachan'
    >>> lao_romanisation("Xaysana Keomany")
    'Saysana Keomany'
    """
    out = []
    for tok in name.split():
        low = tok.lower()
        for old, new, at_end in _LAO_ROMANISATION:
            if at_end:
                if low.endswith(old):
                    low = low[: len(low) - len(old)] + new
            else:
                low = low.replace(old, new)
        out.append(low[:1].upper() + low[1:])
    return " ".join(out)


def name_order(name: str, lao: bool) -> str:
    """The name with the given name first (Vietnamese) or the family name first (Lao).

    >>> name_order("Nguyễn Thu Thùy Quyên", False)
    'Quyên Nguyễn Thu Thùy'
    >>> name_order("Souksavanh Vongsa", True)
    'Vongsa Souksavanh'
    """
    tokens = name.split()
    return " ".join([tokens[-1], *tokens[:-1]])


def variant(name: str, lao: bool, rng: np.random.Generator) -> tuple[str, str]:
    """A recorded spelling variant of ``name`` and the kind of variation.

    Kinds: ``no_diacritics``, ``order_swapped`` (Vietnamese family name last), ``name_order``
    (Vietnamese given name first, Lao family name first), ``typo``, ``transliteration`` (one
    Lao spelling rule), ``lao_romanisation`` (several Lao rules at once), ``upper_case``.
    Only ``no_diacritics`` and ``upper_case`` fold to the same key.
    """
    if lao:
        kinds = ["transliteration", "lao_romanisation", "lao_romanisation", "name_order", "typo"]
        kinds.append("upper_case")
    else:
        kinds = ["no_diacritics", "no_diacritics", "order_swapped", "name_order", "typo"]
        kinds.append("upper_case")
        if unidecode(name) == name:
            kinds = ["order_swapped", "name_order", "typo", "typo"]
    kind = kinds[int(rng.integers(len(kinds)))]
    tokens = name.split()
    if kind == "no_diacritics":
        out = unidecode(name)
    elif kind == "upper_case":
        out = name.upper()
    elif kind == "name_order":
        out = name_order(name, lao)
    elif kind == "lao_romanisation":
        out = lao_romanisation(name)
        if fold(out) == fold(name):
            kind, out = "transliteration", _translit(name, rng)
    elif kind == "order_swapped":
        # Vietnamese family name moved last (as foreign forms write it); Lao family name first.
        out = (
            " ".join([*tokens[1:], tokens[0]]) if not lao else " ".join([tokens[-1], *tokens[:-1]])
        )
    elif kind == "transliteration":
        out = _translit(name, rng)
        if out == name:
            kind, out = "typo", _typo(name, rng)
    else:
        out = _typo(name, rng)
    same = fold(out) == fold(name)
    if out == name or (same and kind not in ("no_diacritics", "upper_case")):
        kind, out = "typo", _typo(name, rng)
    return unicodedata.normalize("NFC", out), kind
