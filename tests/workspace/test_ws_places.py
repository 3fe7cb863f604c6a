"""Places and gates in any spelling: stored gates keep the gazetteer's name (diacritics
included) and saved queries match a gate or a person named in any spelling."""

from __future__ import annotations

import pytest

from netintel.errors import InputError
from netintel.values.places import border_gates


def test_stored_gates_keep_the_gazetteers_names_with_diacritics(ws):
    gates = ws.cypher("MATCH (g:BorderGate) RETURN g.id AS id, g.name AS name")
    known = {g.name for g in border_gates()}
    assert not gates.empty and set(gates["name"]) <= known  # fixtures/small: all gazetteer gates
    assert "Na Mèo" in set(gates["name"]) and "Tây Trang" in set(gates["name"])
    assert gates["id"].is_unique  # "Na Meo" and "Na Mèo" in the records: one gate


@pytest.mark.parametrize("spellings", [("Na Mèo", "na meo", "Cửa khẩu Na Mèo", "gate:vn/na meo"),
                                       ("Tây Trang", "TAY TRANG", "Tay Trang border gate")])  # fmt: skip
def test_the_gate_query_returns_the_same_rows_in_any_spelling(ws, spellings):
    results = [ws.query("people_near_gate_seizure", gate=s) for s in spellings]
    assert not results[0].empty
    assert set(results[0]["gate"]) == {spellings[0]}  # shown as stored, with diacritics
    for other in results[1:]:
        assert other.equals(results[0])
    assert ws.query("people_near_gate_seizure", gate="Lao Bảo").empty  # no seizure crossed it


def test_a_saved_query_takes_a_person_in_any_spelling(ws):
    top = ws.rank_targets(top=2)
    by_id = ws.query("shortest_evidence_path", person_a=top.loc[0, "person_id"],
                     person_b=top.loc[1, "person_id"])  # fmt: skip
    by_name = ws.query("shortest_evidence_path", person_a=top.loc[0, "name"].upper(),
                       person_b=top.loc[1, "name"])  # fmt: skip
    assert not by_id.empty and by_name.equals(by_id)
    with pytest.raises(InputError, match="no person matches"):
        ws.query("shortest_evidence_path", person_a="Zzyzx Qwerty", person_b=top.loc[1, "name"])


def test_routes_take_a_province_in_any_spelling(ws):
    corridors = [ws.routes.corridors(origin="LA", destination=d)
                 for d in ("Sơn La", "son la", "Tỉnh Sơn La", "SON LA PROVINCE")]  # fmt: skip
    assert not corridors[0].empty
    for other in corridors[1:]:
        assert other.equals(corridors[0])
