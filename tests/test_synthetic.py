"""The synthetic generator: determinism, sizes, and a truth that matches the files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import phonenumbers
import pytest

from netintel.synthetic import generate, generate_to, write
from netintel.synthetic._names import fold

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FILES = ("arrests", "seizures", "communications", "links")
ROLES = {"organizer", "financier", "courier", "buyer", "seller", "lookout", "unknown"}
UNITS = {"kg", "g", "bánh", "tablets", "viên"}
LINK_TYPES = {
    "co_offending",
    "money_transfer",
    "family",
    "meeting",
    "shared_vehicle",
    "shared_address",
}


@pytest.fixture(scope="module")
def dataset():
    return generate(2000, seed=0)


@pytest.fixture(scope="module")
def frames(dataset, tmp_path_factory):
    """The written files, read back as an ingest would (all text, blanks as "")."""
    out = tmp_path_factory.mktemp("syn")
    write(dataset, out)
    return {
        name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False) for name in FILES
    }


def _date_ok(text: str) -> bool:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            dt.date.fromisoformat(text)
        elif re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
            dt.datetime.strptime(text, "%d/%m/%Y")
        else:
            return False
    except ValueError:
        return False
    return True


def _phone_ok(text: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, "VN"))
    except phonenumbers.NumberParseException:
        return False


def _quantity_ok(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def test_same_seed_same_bytes(tmp_path):
    a = generate_to(tmp_path / "a", records=600, seed=3)
    b = generate_to(tmp_path / "b", records=600, seed=3)
    c = generate_to(tmp_path / "c", records=600, seed=4)
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name
    assert a["arrests"].read_bytes() != c["arrests"].read_bytes()


@pytest.mark.parametrize("records", [100, 20_000])
def test_total_records_exact(records):
    ds = generate(records, seed=1)
    assert ds.records == records
    assert ds.truth["records"] == records
    assert all(len(f) > 0 for f in ds.frames().values())
    assert sum(ds.truth["counts"].values()) == records
    assert len(ds.truth["rings"]) >= 2
    if records == 20_000:
        assert len(ds.truth["rings"]) > 30  # rings scale with the data


def test_too_few_records_rejected():
    with pytest.raises(ValueError, match="at least 100"):
        generate(99)


def test_columns_and_all_text(dataset):
    assert dataset.arrests.columns.tolist()[:3] == ["record_id", "arrest_date", "name"]
    assert "border_gate" in dataset.seizures.columns
    assert dataset.links.columns.tolist()[-2:] == ["source_national_id", "target_national_id"]
    for frame in dataset.frames().values():
        assert frame.map(lambda v: isinstance(v, str)).all().all()


def test_every_truth_record_id_exists(dataset, frames):
    ids = set(frames["arrests"].record_id) | set(frames["links"].record_id)
    ids |= set(frames["communications"].record_id)
    persons = dataset.truth["persons"]
    for tid, person in persons.items():
        assert set(person["record_ids"]) <= ids, tid
    for tid, entries in dataset.truth["duplicates"].items():
        assert tid in persons
        assert {e["record_id"] for e in entries} <= ids
    sids = set(frames["seizures"].seizure_id)
    assert set(frames["arrests"].seizure_id) - {""} <= sids


def test_arrest_rows_name_their_person(dataset, frames):
    arrests = frames["arrests"].set_index("record_id")
    for tid, person in dataset.truth["persons"].items():
        for rid in person["record_ids"]:
            if rid.startswith("ARR-"):
                row = arrests.loc[rid]
                assert row["national_id"] in ("", person["national_id"]), (tid, rid)


def test_leaders_have_records_and_organizer_rows(dataset, frames):
    truth = dataset.truth
    persons = truth["persons"]
    arrests = frames["arrests"].set_index("record_id")
    assert len(truth["leaders"]) == len(truth["rings"])
    for ring in truth["rings"]:
        leader = persons[ring["leader"]]
        assert leader["role"] == "leader"
        assert ring["leader"] in truth["leaders"]
        assert leader["record_ids"], ring["id"]
        rows = [r for r in leader["record_ids"] if r.startswith("ARR-")]
        assert rows and set(arrests.loc[rows, "role"]) <= {"organizer", "unknown"}
        assert set(ring["lieutenants"]) <= set(ring["members"])
    for tid in truth["brokers"]:
        assert persons[tid]["role"] == "broker"
        assert len(persons[tid]["rings"]) == 2
    assert not set(truth["decoys"]) & set(truth["leaders"])
    assert {persons[t]["decoy_kind"] for t in truth["decoys"]} <= {
        "phone_shop",
        "taxi_driver",
        "family",
    }


def test_malformed_rows_are_malformed_and_the_rest_are_not(dataset, frames):
    malformed = dataset.truth["malformed"]
    assert malformed
    bad = {(m["file"], m["record_id"]) for m in malformed}
    for m in malformed:
        frame = frames[m["file"][:-4]]
        key = "seizure_id" if m["file"] == "seizures.csv" else "record_id"
        row = frame.iloc[m["row"] - 1]
        assert row[key] == m["record_id"]
        value = row[m["field"]]
        assert value == m["value"]
        problem = m["problem"]
        if problem == "invalid date":
            assert not _date_ok(value)
        elif problem == "invalid phone number":
            assert not any(_phone_ok(p) for p in value.split(";"))
        elif problem.startswith("missing"):
            assert value == ""
        elif problem == "unknown role":
            assert value not in ROLES
        elif problem == "unknown unit":
            assert value not in UNITS
        else:
            assert not _quantity_ok(value)

    def good(name: str, key: str = "record_id") -> pd.DataFrame:
        f = frames[name]
        return f[[(f"{name}.csv", k) not in bad for k in f[key]]]

    a = good("arrests")
    assert a.arrest_date.map(_date_ok).all() and (a.name != "").all()
    assert a.role.isin(ROLES).all()
    assert all(_phone_ok(p) for ps in a.phones for p in ps.split(";") if p)
    s = good("seizures", "seizure_id")
    assert s.date.map(_date_ok).all() and s.unit.isin(UNITS).all()
    assert s.quantity.map(_quantity_ok).all()
    c = good("communications")
    assert c.date.map(_date_ok).all()
    assert c.from_phone.map(_phone_ok).all() and c.to_phone.map(_phone_ok).all()
    lk = good("links")
    assert lk.date.map(_date_ok).all() and lk.link_type.isin(LINK_TYPES).all()
    assert ((lk.source != "") & (lk.target != "")).all()


def test_planted_duplicates(dataset, frames):
    truth = dataset.truth
    entries = [(tid, e) for tid, es in truth["duplicates"].items() for e in es]
    kinds = {k for _, e in entries for k in e["kinds"]}
    assert {"missing_national_id", "no_diacritics", "typo", "name_only"} <= kinds
    assert kinds & {"transliteration", "order_swapped"}
    by_id = {name: f.set_index("record_id") for name, f in frames.items() if name != "seizures"}
    n_split = 0
    for tid, e in entries:
        row = by_id[e["file"][:-4]].loc[e["record_id"]]
        assert row[e["field"]] == e["name"]
        canonical = truth["persons"][tid]["name"]
        if set(e["kinds"]) & {"typo", "transliteration", "order_swapped"}:
            assert fold(e["name"]) != fold(canonical)
        if "no_diacritics" in e["kinds"]:
            assert fold(e["name"]) == fold(canonical) and e["name"] != canonical
        if not e["national_id_given"]:
            n_split += 1
    assert n_split > 0  # some variants lose the national id: separate Person nodes


def test_phones_vietnamese_and_lao(dataset, frames):
    phones = [p for person in dataset.truth["persons"].values() for p in person["phones"]]
    assert any(p.startswith("+84") for p in phones)
    assert any(p.startswith("+856") for p in phones)
    assert all(_phone_ok(p) for p in phones)
    calls = pd.concat([frames["communications"].from_phone, frames["communications"].to_phone])
    assert calls.str.startswith("+856 20 ").any()
    assert calls.str.match(r"^0\d{9}$").any() and calls.str.match(r"^0\d{3} \d{3} \d{3}$").any()
    assert sum(1 for p in dataset.truth["persons"].values() if len(p["phones"]) == 2) > 0


def test_names_distinct_and_vietnamese_and_lao(dataset):
    persons = dataset.truth["persons"].values()
    folded = [fold(p["name"]) for p in persons]
    assert len(set(folded)) == len(folded)
    assert len({p["national_id"] for p in persons}) == len(folded)
    assert any(fold(p["name"]) != p["name"].lower() for p in persons)  # diacritics
    lao = [p for p in persons if p["side"] == "LA"]
    assert lao and all(re.fullmatch(r"\d\d-\d{7}", p["national_id"]) for p in lao)
    vn = [p for p in persons if p["side"] == "VN"]
    assert all(re.fullmatch(r"\d{12}", p["national_id"]) for p in vn)


def test_corridors_ranked_by_volume(dataset, frames):
    corridors = dataset.truth["corridors"]
    assert corridors and [c["rank"] for c in corridors] == list(range(1, len(corridors) + 1))
    kg = [c["kg"] for c in corridors]
    assert kg == sorted(kg, reverse=True)
    assert any(c["dominant"] for c in corridors[:3])
    gates = {"Nam Can", "Thanh Thuy", "Cau Treo", "Na Meo", "Tay Trang", "Lao Bao"}
    assert {c["gate"] for c in corridors} <= gates
    assert sum(c["count"] for c in corridors) <= len(frames["seizures"])
    ring_corridors = {c for r in dataset.truth["rings"] for c in r["corridors"]}
    assert ring_corridors <= {c["id"] for c in corridors}


def test_readme_and_truth_written(tmp_path, dataset):
    paths = write(dataset, tmp_path)
    assert set(paths) == {*FILES, "truth", "readme"}
    assert json.loads(paths["truth"].read_text(encoding="utf-8")) == json.loads(
        json.dumps(dataset.truth)
    )
    assert "truth.json" in paths["readme"].read_text(encoding="utf-8")


def test_committed_small_fixture_is_current(tmp_path):
    """fixtures/small is exactly what the generator writes (else: run fixtures/regenerate.py)."""
    fresh = generate_to(tmp_path, records=300, seed=7)
    for path in fresh.values():
        committed = FIXTURES / "small" / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is stale: run `python fixtures/regenerate.py`"
        )


def test_module_entry_point(tmp_path):
    from netintel.synthetic.__main__ import main

    assert main(["--records", "100", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert sum(1 for _ in tmp_path.glob("*.csv")) == 4
    assert json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))["records"] == 100


def test_hand_written_malformed_fixture():
    """fixtures/malformed/arrests.csv: 12 rows, exactly the 4 its README lists are bad."""
    rows = pd.read_csv(FIXTURES / "malformed" / "arrests.csv", dtype=str, keep_default_na=False)
    assert len(rows) == 12
    problems = {}
    for r in rows.itertuples():
        bad = []
        if not r.name:
            bad.append("name")
        if not _date_ok(r.arrest_date):
            bad.append("arrest_date")
        if not all(_phone_ok(p) for p in r.phones.split(";") if p):
            bad.append("phones")
        if r.role not in ROLES:
            bad.append("role")
        if bad:
            problems[r.record_id] = bad
    assert problems == {
        "MAL-003": ["name"],
        "MAL-005": ["arrest_date"],
        "MAL-008": ["phones"],
        "MAL-011": ["role"],
    }
    readme = (FIXTURES / "malformed" / "README.md").read_text(encoding="utf-8")
    assert all(rid in readme for rid in problems)
