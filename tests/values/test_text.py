"""Text: the one fold, clean text, keys, edit distance and Jaro-Winkler."""

from __future__ import annotations

import random
import unicodedata

import duckdb
import pandas as pd
import pytest

from netintel.errors import InvalidValueError
from netintel.values import (
    Text,
    clean_text,
    clean_texts,
    edit_distance,
    fold,
    jaro_winkler,
    one_edit_apart,
    text_key,
)


def test_fold_is_diacritic_case_and_punctuation_blind():
    assert fold("Nguyễn Văn Hùng") == fold("NGUYEN  VAN HUNG") == "nguyen van hung"
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("Mr.A") == fold("Mr A") == "mr a"
    assert fold("Hùng-A") == "hung a"
    assert fold("ma-tuy-da") == fold("Ma túy đá")
    assert fold("--") == fold("") == fold(None) == fold(float("nan")) == ""
    assert fold("ຫຼວງນ້ຳທາ") != ""  # Lao script is romanised


def test_fold_is_the_same_for_composed_and_decomposed_text():
    for text in ("Nguyễn Thị Ánh Tuyết", "Ёлка", "Đặng Quốc Việt", "Ngô Thừa Ân"):
        assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_clean_text_changes_form_only():
    assert clean_text("Nguyê\u0303n\u00a0 Văn\u200bHùng") == "Nguyễn VănHùng"
    hostile = "x'}) DETACH DELETE n //"
    assert clean_text(hostile) == hostile
    with pytest.raises(InvalidValueError, match=r"'\\u200b ' is not a text"):
        clean_text("\u200b ")


def test_clean_texts_agrees_with_clean_text():
    raw = [" a\u00a0 b ", "\ufeffx", "e\u0301", "\u200b", "", None, "tab\there"]
    got = clean_texts(pd.Series(raw, dtype=object)).tolist()
    for value, cleaned in zip(raw, got, strict=True):
        try:
            want = clean_text(value) if value is not None else None
        except InvalidValueError:
            want = None
        assert (cleaned if isinstance(cleaned, str) else None) == want


def test_text_keys_and_compare():
    assert text_key("12 Đường Trần Phú") == "12 duong tran phu"
    assert text_key("??") == "??"
    assert Text.key(" 12  Trần Phú ") == Text.key("12 Tran Phu")
    assert Text.compare("12 Trần Phú", "12 tran phu") == 1.0
    assert Text.compare("Trần Phú", " ") == 0.0
    assert 0.0 < Text.compare("12 Trần Phú", "12 Trần Hưng Đạo") < 1.0


def test_one_edit_apart_matches_edit_distance():
    rng = random.Random(3)
    for _ in range(3000):
        a = "".join(rng.choice("0123") for _ in range(rng.randint(0, 6)))
        b = list(a)
        for _ in range(rng.randint(0, 2)):
            op = rng.randrange(4)
            i = rng.randrange(len(b) + 1)
            if op == 0 and i < len(b):
                b[i] = rng.choice("0123")
            elif op == 1:
                b.insert(i, rng.choice("0123"))
            elif op == 2 and i < len(b):
                del b[i]
            elif op == 3 and i + 1 < len(b):
                b[i], b[i + 1] = b[i + 1], b[i]
        b = "".join(b)
        assert one_edit_apart(a, b) == (edit_distance(a, b) <= 1), (a, b)
    assert one_edit_apart("040087000001", "040087000007")
    assert one_edit_apart("1987-05-14", "1987-05-41")
    assert not one_edit_apart("040087000001", "040087000077")


def test_jaro_winkler_is_duckdbs():
    rng = random.Random(11)
    pairs = []
    for _ in range(3000):
        a = "".join(rng.choice("aehngu yt") for _ in range(rng.randint(1, 20)))
        b = a[::-1] if rng.random() < 0.2 else a[: rng.randint(0, len(a))] + rng.choice("ahx")
        pairs.append((a, b))
    frame = pd.DataFrame(pairs, columns=["a", "b"])
    with duckdb.connect() as con:
        con.register("frame", frame)
        want = con.execute("SELECT jaro_winkler_similarity(a, b) FROM frame").fetchall()
    for (a, b), (w,) in zip(pairs, want, strict=True):
        assert jaro_winkler(a, b) == pytest.approx(w, abs=1e-12), (a, b)


def test_invisible_ranges_are_the_unicode_format_characters():
    import sys
    import unicodedata

    from netintel.values.text import INVISIBLE

    if unicodedata.unidata_version != "14.0.0":
        pytest.skip("the ranges are written for Unicode 14 (Python 3.11)")
    cf = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert set(INVISIBLE) == cf


@pytest.mark.parametrize(
    "raw",
    [
        "Xu\u200dan",
        "Xu\u200ban",
        "\u202eXuan",
        "Xu\u00adan",
        "\ufeffXuan",
        "Xuan\u2066",
        "X\u200cuan",
    ],
)
def test_invisible_and_bidi_characters_are_removed(raw):
    assert clean_text(raw) == "Xuan"
    assert clean_texts(pd.Series([raw])).tolist() == ["Xuan"]
    assert fold(raw) == "xuan"


@pytest.mark.parametrize("raw", ["Xu\x00an", "Xuan\x1b[31m", "\x7fXuan"])
def test_control_characters_are_refused(raw):
    with pytest.raises(InvalidValueError, match="control character"):
        clean_text(raw, what="name")
