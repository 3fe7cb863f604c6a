"""The gazetteer: provinces, place paths, locations, border gates."""

from __future__ import annotations

from netintel.values.places import (
    find_gate,
    find_province,
    gate_id,
    place_chain,
    place_level,
    resolve_location,
)


def test_provinces_are_found_by_any_spelling():
    assert find_province("tỉnh Nghệ An").name == "Nghệ An"
    assert find_province("NGHE AN province").name == "Nghệ An"
    assert find_province("Louang Namtha").country == "LA"
    assert find_province("somewhere north") is None


def test_place_chains_are_folded_paths():
    chain = place_chain("VN", "Nghệ An", "huyện Kỳ Sơn")
    assert [p.id for p in chain] == ["vn", "vn/nghe an", "vn/nghe an/huyen ky son"]
    assert [p.parent for p in chain] == [None, "vn", "vn/nghe an"]
    assert place_level("xã Mường Xén") == "commune"
    assert place_chain("VN", None, "Kỳ Sơn")[-1].id == "vn/?/ky son"


def test_locations_and_gates():
    assert resolve_location("Luang Namtha, LA") == ("LA", "Luang Namtha", None)
    assert resolve_location("Laos") == ("LA", None, None)
    assert gate_id("VN", "Cửa khẩu Nậm Cắn") == gate_id("VN", "Nam Can border gate")
    gate = find_gate("Nậm Cắn")
    assert gate is not None and gate.country == "VN"
