"""find, path and neighbourhood driven as a user would, on fixtures/small and on the demo
database (the names the issue asks for: "le xuan hai", "Syphet")."""

from __future__ import annotations

import json

import pytest

from netintel.values.text import fold


def _json(out) -> dict:
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def test_find_lists_the_person_in_any_spelling_and_by_phone(db, cli, ws):
    top = ws.rank_targets(top=1).iloc[0]
    found = _json(cli("--format", "json", "find", fold(top["name"]), "--db", db))["people"]
    assert found[0]["person_id"] == top["person_id"] and found[0]["score"] == 1.0
    phone = found[0]["phones"][0]
    by_phone = _json(cli("--format", "json", "find", phone.replace("+84", "0"), "--db", db))
    assert by_phone["people"][0]["person_id"] == top["person_id"]
    text = cli("find", top["name"].upper(), "--db", db)
    assert text.exit_code == 0 and top["name"].split()[0] in text.output


def test_find_of_nobody_says_so(db, cli):
    out = cli("find", "Zzyzx Qwerty", "--db", db)
    assert out.exit_code == 0 and "nobody matches" in out.output


def test_path_and_neighbourhood_print_the_evidence(db, cli, ws, tmp_path):
    top = ws.rank_targets(top=3)
    a, b = fold(top.loc[0, "name"]), top.loc[2, "person_id"]
    out = cli("path", a, b, "--db", db, "--k", "2", "--out", tmp_path / "path.csv")
    assert out.exit_code == 0, out.output
    expected = ws.path(top.loc[0, "person_id"], b, k=2)
    assert expected.sentences[0].split(" (")[0] in " ".join(out.output.split())
    assert (tmp_path / "path.csv").is_file()
    got = _json(cli("--format", "json", "path", a, b, "--db", db, "--k", "2"))
    assert got["sentences"] == expected.sentences
    around = _json(cli("--format", "json", "neighbourhood", a, "--db", db))
    pid = top.loc[0, "person_id"]
    assert {t["to_id"] for t in around["ties"] if t["from_id"] == pid} == set(ws.graph()[pid])
    assert {p["person_id"] for p in around["people"]} == {pid, *ws.graph()[pid]}
    bad = cli("path", "Zzyzx Qwerty", b, "--db", db)
    assert bad.exit_code == 1 and "no person matches 'Zzyzx Qwerty'; nearest:" in bad.output


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, cli) -> str:
    folder = tmp_path_factory.mktemp("demo")
    out = cli("demo", "--out", folder)
    assert out.exit_code == 0, out.output
    return str(folder / "netintel.db")


def test_the_demo_finds_le_xuan_hai_and_the_path_to_syphet(demo_db, cli):
    found = _json(cli("--format", "json", "find", "le xuan hai", "--db", demo_db))["people"]
    assert found[0]["name"] == "Lê Xuân Hải" and found[0]["score"] == 1.0
    out = cli("path", "Le Xuan Hai", "Syphet", "--db", demo_db)
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert text.count(" -> ") >= 1 and "1. Lê Xuân Hải" in text and "Syphet" in text
    assert "names 2 people equally" in text  # the demo has two people called Syphet
    paths = _json(cli("--format", "json", "path", "Le Xuan Hai", "Syphet", "--db", demo_db))
    ends = {s["to_name"] for s in paths["steps"] if s["to_name"].startswith("Syphet")}
    assert len(ends) == 2


def test_the_readmes_gate_query_in_both_spellings_on_the_demo(demo_db, cli):
    rows = {}
    for gate in ("Cầu Treo", "Cau Treo", "cua khau cau treo"):
        out = cli("query", "people_near_gate_seizure", "--db", demo_db, "--param", f"gate={gate}",
                  "--format", "json")  # fmt: skip
        assert out.exit_code == 0, out.output
        rows[gate] = json.loads(out.stdout)
    assert rows["Cầu Treo"] and {r["gate"] for r in rows["Cầu Treo"]} == {"Cầu Treo"}
    assert rows["Cau Treo"] == rows["Cầu Treo"] == rows["cua khau cau treo"]
