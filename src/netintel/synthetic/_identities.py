"""The documents of planted people: national IDs, passports, home addresses, phone numbers
and vehicle plates, each unique where real ones are.

Private module: the functions assume arrays of equal length and a seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netintel.synthetic import _vocab as V


@dataclass
class Phones:
    """The phone table: planted people's phones, then unattributed numbers."""

    owner: np.ndarray  # person index or -1
    e164: np.ndarray
    forms: np.ndarray  # (n, 3) renderings
    shared: list[tuple[int, list[int]]]  # (phone row, the people using that number)


def plate(rng: np.random.Generator, code: str) -> str:
    letters = "ABCDEFGHKLMNPSTUVXYZ"
    letter = letters[int(rng.integers(len(letters)))]
    a, b = int(rng.integers(100, 1000)), int(rng.integers(0, 100))
    if rng.random() < 0.5:  # motorbike style "37B1-234.56"
        return f"{code}{letter}{int(rng.integers(1, 10))}-{a}.{b:02d}"
    return f"{code}{letter}-{a}.{b:02d}"


def passports(rng: np.random.Generator, lao: np.ndarray) -> np.ndarray:
    """Unique passport numbers: ``PA`` + 7 digits for Lao nationals, ``P`` + 7 digits else."""

    def draw(idx: np.ndarray) -> np.ndarray:
        digits = rng.integers(0, 10_000_000, size=len(idx))
        return np.array(
            [("PA" if lao[i] else "P") + f"{d:07d}" for i, d in zip(idx, digits, strict=True)],
            dtype=object,
        )

    return redraw_unique(draw(np.arange(len(lao))), draw)


def redraw_unique(values: np.ndarray, redraw) -> np.ndarray:
    """Redraw (with ``redraw(index_array)``) the entries that repeat an earlier one."""
    for _ in range(50):
        idx = np.flatnonzero(pd.Series(values).duplicated().to_numpy())
        if len(idx) == 0:
            break
        values[idx] = redraw(idx)
    return values


def national_ids(rng, lao, female, year, province) -> np.ndarray:
    n = len(lao)
    la_code = np.array([V.LA_PROVINCES.get(p, ("01", []))[0] for p in province], dtype=object)
    vn_code = np.array(
        [V.VN_PROVINCES.get(p, ("", "", "040", []))[2] for p in province], dtype=object
    )
    century = np.where(year < 2000, 0, 2) + female.astype(int)

    def draw(idx: np.ndarray) -> np.ndarray:
        lao_d = rng.integers(0, 10_000_000, size=len(idx))
        vn_d = rng.integers(0, 1_000_000, size=len(idx))
        return np.array(
            [
                f"{la_code[p]}-{a:07d}"
                if lao[p]
                else f"{vn_code[p]}{century[p]}{year[p] % 100:02d}{b:06d}"
                for p, a, b in zip(idx, lao_d, vn_d, strict=True)
            ],
            dtype=object,
        )

    return redraw_unique(draw(np.arange(n)), draw)


_HAMLETS_VN = [
    "Bản Huồi Tụ",
    "Bản Na Ngoi",
    "Thôn 3",
    "Thôn Đông",
    "Xóm Mới",
    "Tổ 5",
    "Khối 2",
    "Bản Mường Lống",
    "Thôn Trung",
    "Bản Pha Khốm",
]
_HAMLETS_LA = [
    "Ban Nongping",
    "Ban Houayxay Tai",
    "Ban Phonsavan",
    "Ban Nakham",
    "Ban Donkoy",
    "Ban Thongkang",
]


def addresses(rng, lao, province, ring, courier) -> np.ndarray:
    """A home address per person; couriers of a ring (``courier``) sometimes share one."""
    n = len(lao)
    out = np.empty(n, dtype=object)
    hv = rng.integers(0, len(_HAMLETS_VN), size=n)
    hl = rng.integers(0, len(_HAMLETS_LA), size=n)
    num = rng.integers(1, 200, size=n)
    for p in range(n):
        if lao[p]:
            districts = V.LA_PROVINCES[province[p]][1]
            d = districts[int(num[p]) % len(districts)]
            out[p] = f"{_HAMLETS_LA[hl[p]]}, {d}, {province[p]}"
        else:
            viet, _, _, districts = V.VN_PROVINCES[province[p]]
            d = districts[int(num[p]) % len(districts)]
            out[p] = f"Số {num[p]}, {_HAMLETS_VN[hv[p]]}, {d}, {viet}"
    # Couriers of a ring sometimes share a safe house.
    cour = np.flatnonzero(courier & (rng.random(n) < 0.3))
    sc = cour[np.argsort(ring[cour], kind="stable")]
    first = np.searchsorted(ring[sc], ring[sc], side="left")
    out[sc] = out[sc[first]]
    return out


_VN_MOBILE = [
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "56",
]


def phone_table(rng: np.random.Generator, owner: np.ndarray, lao: np.ndarray) -> Phones:
    n = len(owner)

    def draw(idx: np.ndarray) -> np.ndarray:
        la_pre = np.array([2, 5, 7, 9])[rng.integers(0, 4, size=len(idx))]
        vn_pre = np.array(_VN_MOBILE)[rng.integers(0, len(_VN_MOBILE), size=len(idx))]
        sub = rng.integers(0, 10_000_000, size=len(idx))
        return np.array(
            [
                f"+85620{a}{s:07d}" if lao[i] else f"+84{b}{s:07d}"
                for i, a, b, s in zip(idx, la_pre, vn_pre, sub, strict=True)
            ],
            dtype=object,
        )

    e164 = redraw_unique(draw(np.arange(n)), draw)
    forms = np.empty((n, 3), dtype=object)
    for i, e in enumerate(e164):
        if lao[i]:
            spaced = f"+856 20 {e[6:10]} {e[10:]}"
            forms[i] = (e, spaced, spaced)
        else:
            local = "0" + e[3:]
            forms[i] = (e, local, f"{local[:4]} {local[4:7]} {local[7:]}")
    return Phones(owner, e164, forms, [])
