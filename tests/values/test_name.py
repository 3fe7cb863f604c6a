"""Names: the recorded form, the key, the word-order-proof key, the comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from netintel.errors import InvalidValueError
from netintel.values import Name, clean_name, clean_names, name_key, name_turn


def test_name_keys_fold_diacritics_case_and_spacing():
    variants = ["Nguyễn Văn Hùng", "Nguyen Van Hung", "NGUYEN  VAN HUNG", "Nguye\u0303n Văn Hùng"]
    assert {name_key(v) for v in variants} == {"nguyen van hung"}
    assert name_key("Đặng Thị Đào") == "dang thi dao"
    assert name_key("ສົມພອນ") == name_key(" ສົມພອນ ") != ""  # Lao script is romanised
    assert name_key("?!") == "?!"  # never empty


def test_clean_name_is_nfc_and_otherwise_verbatim():
    decomposed = "Nguyê\u0303n\u00a0 Văn\u200bHùng"
    assert clean_name(decomposed) == "Nguyễn VănHùng"
    hostile = "x'}) DETACH DELETE n //"
    assert clean_name(hostile) == hostile
    with pytest.raises(InvalidValueError, match="'  ' is not a name"):
        clean_name("  ")
    assert clean_names(pd.Series([" Lò  Văn Páo ", "\u200b"])).isna().tolist() == [False, True]


def test_turn_keeps_rotations_together_and_other_orders_apart():
    assert name_turn("quyen nguyen thu thuy") == name_turn("nguyen thu thuy quyen")
    assert name_turn("thu thuy quyen nguyen") == name_turn("nguyen thu thuy quyen")
    assert name_turn("pham cong trong minh") != name_turn("pham minh trong cong")
    assert Name.turn("Quyên Nguyễn Thu Thùy") == Name.turn("Nguyễn Thu Thùy Quyên")
    assert Name.turn("  ") is None and Name.turn(None) is None


def test_name_compare_is_resolutions_measure():
    assert Name.compare("Nguyễn Văn Hùng", "hung nguyen van") == 1.0  # given name first
    assert Name.compare("Nguyễn Văn Hùng", "Trần Thị Lan") < 0.6
    assert 0.85 < Name.compare("Nguyễn Văn Hùng", "Nguyen Van Hong") < 1.0
    assert Name.compare("Nguyễn Văn Hùng", "") == 0.0
    assert Name.validate("Lò Văn Páo") and not Name.validate("\u200b")


def test_compare_is_what_the_resolution_rules_threshold():
    from netintel.resolve.prepare import prepare
    from netintel.resolve.settings import ResolutionSettings

    names = ["Nguyễn Văn Hùng", "Hùng Nguyễn Văn", "Nguyen Van Hong", "Trần Thị Lan", "Lò Văn Páo"]
    prepared = prepare(
        pd.DataFrame({"person_id": [str(i) for i in range(len(names))], "name": names}),
        ResolutionSettings.default(),
    )
    turn = dict(zip(names, prepared["name_turn"], strict=True))
    for a in names:
        assert Name.turn(a) == turn[a]
        for b in names:
            assert Name.compare(a, b) == pytest.approx(_duckdb_jaro_winkler(turn[a], turn[b]))


def _duckdb_jaro_winkler(a: str, b: str) -> float:
    import duckdb

    with duckdb.connect() as con:
        return con.execute("SELECT jaro_winkler_similarity(?, ?)", [a, b]).fetchone()[0]
