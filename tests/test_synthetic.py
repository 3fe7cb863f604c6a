"""The synthetic generator: determinism, sizes, and a truth that matches the files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import phonenumbers
import pytest

from netintel.errors import InputError, OutputError
from netintel.synthetic import CHANNEL_FILES, generate, generate_to, write
from netintel.values import fold

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


def test_bad_sizes_and_seeds_are_input_errors(tmp_path):
    with pytest.raises(InputError, match=r"at least 100 .*got 99"):
        generate(99)
    with pytest.raises(InputError, match="records must be a whole number, got 'many'"):
        generate("many")
    with pytest.raises(InputError, match="seed must be a whole number >= 0, got -1"):
        generate(100, seed=-1)
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write the synthetic records to"):
        generate_to(blocker / "out", records=100)


def test_cli_reports_a_bad_size_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from netintel.cli import app

    result = CliRunner().invoke(app, ["generate", "--records", "50", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "records must be at least 100" in result.output
    assert "Traceback" not in result.output


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
    typos = {
        e["record_id"]: e["national_id"]
        for es in dataset.truth["duplicates"].values()
        for e in es
        if "id_typo" in e["kinds"]
    }
    for tid, person in dataset.truth["persons"].items():
        for rid in person["record_ids"]:
            if rid.startswith("ARR-"):
                row = arrests.loc[rid]
                expected = typos.get(rid, person["national_id"])
                assert row["national_id"] in ("", expected), (tid, rid)
                assert row["passport"] in ("", person["passport"]), (tid, rid)


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
        assert persons[tid]["bridges"] == persons[tid]["rings"]
        assert len(set(persons[tid]["rings"])) == len(persons[tid]["rings"]) in (2, 3)
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
        elif problem == "invalid passport number":
            assert not re.fullmatch(r"PA?\d{7}", value.replace(" ", ""))
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
    namesakes = {n["b"] for n in dataset.truth["namesakes"]}
    persons = [p for t, p in dataset.truth["persons"].items() if t not in namesakes]
    folded = [fold(p["name"]) for p in persons]
    assert len(set(folded)) == len(folded)
    assert len({p["national_id"] for p in persons}) == len(folded)
    everyone = dataset.truth["persons"].values()
    assert len({p["passport"] for p in everyone}) == len(everyone)
    assert all(
        re.fullmatch(r"PA\d{7}" if p["side"] == "LA" else r"P\d{7}", p["passport"])
        for p in everyone
    )
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
    assert set(paths) == {*FILES, *CHANNEL_FILES, "truth", "readme"}
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
    assert sum(1 for _ in tmp_path.glob("*.csv")) == 8  # the four kinds and the channels
    assert json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))["records"] == 100
    with pytest.raises(SystemExit) as exit_info:
        main(["--records", "50", "--out", str(tmp_path)])
    assert exit_info.value.code == 2


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


# --- the planted truth behind the quality checks -------------------------------------------
def _e164(text: str) -> str:
    text = text.replace(" ", "")
    return "+84" + text[1:] if text.startswith("0") else text


def _day(text: str) -> dt.date:
    if "-" in text:
        return dt.date.fromisoformat(text)
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture(scope="module")
def phone_owners(dataset):
    owners: dict[str, set[str]] = {}
    for tid, person in dataset.truth["persons"].items():
        for phone in person["phones"]:
            owners.setdefault(phone, set()).add(tid)
    return owners


@pytest.fixture(scope="module")
def calls(frames):
    """Good call rows with E.164 numbers and dates."""
    c = frames["communications"]
    c = c[c.date.map(_date_ok) & c.from_phone.map(_phone_ok) & c.to_phone.map(_phone_ok)]
    return pd.DataFrame(
        {
            "record_id": c.record_id,
            "day": c.date.map(_day),
            "from": c.from_phone.map(_e164),
            "to": c.to_phone.map(_e164),
        }
    )


def test_brokers_are_directed_gatekeepers(dataset, calls, phone_owners):
    truth = dataset.truth
    persons = truth["persons"]
    side = {r["id"]: r["side"] for r in truth["rings"]}
    assert len(truth["brokers"]) >= 10 and len(truth["gatekeepers"]) >= 6
    for tid in truth["brokers"]:
        sides = {side[r] for r in persons[tid]["bridges"]}
        assert (tid in truth["gatekeepers"]) == (sides == {"LA", "VN"})
    ring_of = {t: p["rings"][0] for t, p in persons.items() if p["role"] != "broker" and p["rings"]}
    contacts: dict[tuple[str, str], set[str]] = {}
    directed = 0
    for f, g in zip(calls["from"], calls["to"], strict=True):
        fo, go = phone_owners.get(f, set()), phone_owners.get(g, set())
        for broker, other, broker_calls in ((fo, go, True), (go, fo, False)):
            for b in broker & set(truth["brokers"]):
                for o in other:
                    bridges = persons[b]["bridges"]
                    if ring_of.get(o) not in bridges:
                        continue
                    contacts.setdefault((b, ring_of[o]), set()).add(o)
                    # Supply-ring people call the broker; the broker calls the buyer ring.
                    assert broker_calls == (ring_of[o] != bridges[0]), (b, o)
                    directed += 1
    assert directed > 5 * len(truth["brokers"])
    n_pairs = sum(len(persons[b]["bridges"]) for b in truth["brokers"])
    several = sum(len(v) >= 2 for v in contacts.values())
    assert several >= 0.75 * n_pairs  # ties to several people of each bridged ring


def test_hidden_ties_are_absent_from_the_records(dataset, frames, calls, phone_owners):
    truth = dataset.truth
    persons = truth["persons"]
    ties = truth["hidden_ties"]
    assert len(ties) >= 30
    rings = {r["id"]: r for r in truth["rings"]}
    arrests = frames["arrests"].set_index("record_id")
    key_people = set(truth["leaders"]) | set(truth["brokers"]) | set(truth["decoys"])
    pairs = set()
    for tie in ties:
        a, b = tie["a"], tie["b"]
        assert a < b and tie["withheld"] >= 1
        assert tie["kind"] in {
            "lieutenant-member",
            "member-member",
            "lieutenant-lieutenant",
            "financier-lieutenant",
        }
        assert {a, b} <= set(rings[tie["ring"]]["members"]) and not {a, b} & key_people
        ra, rb = set(persons[a]["record_ids"]), set(persons[b]["record_ids"])
        assert ra and rb  # both are still in the records
        assert not ra & rb  # no link or named call with both
        pa, pb = set(persons[a]["phones"]), set(persons[b]["phones"])
        pairs |= {(x, y) for x in pa for y in pb} | {(y, x) for x in pa for y in pb}

        def arrested(rids):
            rows = arrests.loc[[r for r in rids if r.startswith("ARR-")]]
            return rows

        xa, xb = arrested(ra), arrested(rb)
        assert not set(zip(xa.case_id, xa.arrest_date, strict=True)) & set(
            zip(xb.case_id, xb.arrest_date, strict=True)
        )
        assert not (set(xa.seizure_id) & set(xb.seizure_id)) - {""}
        assert not (set(xa.vehicle_plate) & set(xb.vehicle_plate)) - {""}
        assert not (set(xa.address) & set(xb.address)) - {""}
    assert not any((f, g) in pairs for f, g in zip(calls["from"], calls["to"], strict=True))
    assert len({p for t in ties for p in (t["a"], t["b"])}) == 2 * len(ties)


def test_successions(dataset, frames, calls, phone_owners):
    truth = dataset.truth
    persons = truth["persons"]
    assert len(truth["successions"]) >= 1
    arrests = frames["arrests"].set_index("record_id")
    links = frames["links"].set_index("record_id")
    for s in truth["successions"]:
        ring = next(r for r in truth["rings"] if r["id"] == s["ring"])
        assert s["leader"] == ring["leader"] and s["successor"] in ring["lieutenants"]
        arrested = dt.date.fromisoformat(s["arrested_on"])
        assert dt.date.fromisoformat(s["from"]) == arrested + dt.timedelta(days=1)
        assert s["record_id"] in persons[s["leader"]]["record_ids"]
        assert _day(arrests.loc[s["record_id"], "arrest_date"]) == arrested
        for rid in persons[s["leader"]]["record_ids"]:
            frame = arrests if rid.startswith("ARR-") else links if rid.startswith("LNK-") else None
            if frame is not None:
                text = frame.loc[rid, "arrest_date" if frame is arrests else "date"]
                assert not _date_ok(text) or _day(text) <= arrested, rid
        leader_phones = set(persons[s["leader"]]["phones"])
        later = calls[calls["day"] > arrested]
        assert not (set(later["from"]) | set(later["to"])) & leader_phones
        # The successor is the ring's hub after the arrest.
        members = set(ring["members"])
        count: dict[str, int] = {}
        for f, g in zip(later["from"], later["to"], strict=True):
            for who in (phone_owners.get(f, set()) | phone_owners.get(g, set())) & members:
                count[who] = count.get(who, 0) + 1
        assert max(count, key=count.get) == s["successor"]


def test_identity_variant_kinds(dataset, frames):
    truth = dataset.truth
    persons = truth["persons"]
    arrests = frames["arrests"].set_index("record_id")
    entries = [(t, e) for t, es in truth["duplicates"].items() for e in es]
    kinds = {k for _, e in entries for k in e["kinds"]}
    new = {"no_diacritics", "name_order", "alias", "id_typo", "lao_romanisation", "passport"}
    assert new | {"partial_dob", "missing_dob"} <= kinds
    for tid, e in entries:
        person = persons[tid]
        if e["file"] != "arrests.csv":
            continue
        row = arrests.loc[e["record_id"]]
        ks = set(e["kinds"])
        if "id_typo" in ks:
            nid = row["national_id"]
            assert nid == e["national_id"] and len(nid) == len(person["national_id"])
            diff = [
                i for i, (x, y) in enumerate(zip(nid, person["national_id"], strict=True)) if x != y
            ]
            assert len(diff) == 1 and nid[diff[0]].isdigit()
        if "passport" in ks:
            assert row["national_id"] == "" and row["passport"] == person["passport"]
            assert person["side"] == "LA"
        if "alias" in ks:
            assert row["name"] == person["aliases"][0]
        if "name_order" in ks:
            assert row["name"].split() != person["name"].split()
            assert sorted(row["name"].split()) == sorted(person["name"].split())
        if "lao_romanisation" in ks:
            assert fold(row["name"]) != fold(person["name"]) and person["side"] == "LA"
        if "partial_dob" in ks:
            assert re.fullmatch(r"\d{4}", row["dob"]) and row["dob"] == person["dob"][:4]
        if "missing_dob" in ks:
            assert row["dob"] == ""
        if ks & {"alias", "name_order", "lao_romanisation", "id_typo", "typo"}:
            # Corroborating fields stay: a full date of birth and a phone.
            assert _day(row["dob"]).isoformat() == person["dob"] and row["phones"] != ""


def test_namesakes_and_shared_phones_are_distinct_people(dataset):
    truth = dataset.truth
    persons = truth["persons"]
    assert len(truth["namesakes"]) >= 3
    assert {n["kind"] for n in truth["namesakes"]} == {"same_name", "near_name"}
    for n in truth["namesakes"]:
        a, b = persons[n["a"]], persons[n["b"]]
        assert n["a"] < n["b"] and (a["name"], b["name"]) == (n["name_a"], n["name_b"])
        for field in ("dob", "national_id", "passport"):
            assert a[field] != b[field]
        assert not set(a["phones"]) & set(b["phones"])
        ta, tb = a["name"].split(), b["name"].split()
        if n["kind"] == "same_name":
            assert ta == tb
        else:
            assert len(ta) == len(tb) and sum(x != y for x, y in zip(ta, tb, strict=True)) == 1
    assert len(truth["shared_phones"]) >= 3
    for s in truth["shared_phones"]:
        users = [t for t, p in persons.items() if s["phone"] in p["phones"]]
        assert sorted(users) == s["persons"] and len(users) == 2
        a, b = (persons[t] for t in users)
        assert fold(a["name"]) != fold(b["name"]) and a["dob"] != b["dob"]
        assert a["national_id"] != b["national_id"]


def test_record_ids_list_every_mention(dataset, frames):
    truth = dataset.truth
    blank = {(m["file"], m["record_id"]) for m in truth["malformed"] if m["value"] == ""}
    mentions: dict[str, int] = {}
    for person in truth["persons"].values():
        for rid in person["record_ids"]:
            mentions[rid] = mentions.get(rid, 0) + 1
    for rid in frames["arrests"].record_id:
        assert mentions.get(rid, 0) == (0 if ("arrests.csv", rid) in blank else 1), rid
    for rid in frames["links"].record_id:
        assert mentions.get(rid, 0) == (1 if ("links.csv", rid) in blank else 2), rid
    c = frames["communications"]
    for rid, named in zip(c.record_id, c.from_person != "", strict=True):
        assert mentions.get(rid, 0) == (2 if named else 0), rid


def test_small_fixture_has_every_new_truth_field():
    truth = json.loads((FIXTURES / "small" / "truth.json").read_text(encoding="utf-8"))
    assert truth["format_version"] == 2
    for key in ("gatekeepers", "hidden_ties", "successions", "namesakes", "shared_phones"):
        assert truth[key], key
    assert len(truth["brokers"]) >= 3
    arrests = pd.read_csv(FIXTURES / "small" / "arrests.csv", dtype=str, keep_default_na=False)
    assert (
        arrests.columns.tolist().index("passport")
        == arrests.columns.tolist().index("national_id") + 1
    )
    assert arrests.passport.str.fullmatch(r"PA?\d{7}").any()


def test_parcel_rings_share_phones_across_waybills_and_reach_a_planted_ring(dataset, tmp_path):
    """Shipments: each parcel ring's waybills name its senders and recipients, its phones
    recur across waybills (the runner hands parcels in under no name), one recipient is a
    member of a planted ring; ordinary parcels share nothing."""
    from netintel.ingest import ingest_files

    ships, truth = dataset.shipments, dataset.truth
    assert len(ships) and ships["waybill"].is_unique
    people = truth["parcel_people"]
    for ring in truth["parcel_rings"]:
        rows = ships[ships["waybill"].isin(ring["waybills"])]
        assert len(rows) == len(ring["waybills"]) >= 12
        assert (rows["sender_name"] == "").any()  # parcels sent under no name
        named = set(rows["sender_name"]) | set(rows["recipient_name"])
        assert {people[t]["name"] for t in ring["members"]} <= named
        assert truth["persons"][ring["link"]]["name"] in set(rows["recipient_name"])
        assert ring["runner"] not in ring["members"] and not people[ring["runner"]]["record_ids"]
    noise = {t for t, p in people.items() if p["role"] == "noise"}
    assert all(len(people[t]["record_ids"]) == 1 for t in noise)
    path = tmp_path / "shipments.csv"
    ships.to_csv(path, index=False, encoding="utf-8")
    assert ingest_files(shipments=path).reconciliation.iloc[0]["quarantined"] == 0


def test_hotspots_are_raided_and_all_but_one_re_form_with_returning_and_new_people(dataset):
    spots, people = dataset.truth["hotspots"], dataset.truth["hotspot_people"]
    rows = dataset.hotspots
    assert len(spots) >= 3 and [s["reforms"] for s in spots][-1] is False
    for s in spots:
        raid = rows[rows["record_id"].isin(s["raid_records"])]
        assert (
            len(raid) >= 4 and raid["arrest_date"].nunique() == 1 and raid["case_id"].nunique() == 1
        )
        here = rows[rows["place"] == s["place"]]
        after = here[here["arrest_date"] > s["destroyed_on"]]
        if s["reforms"]:
            assert after["arrest_date"].min() == s["reformed_on"]
            assert set(s["returning"]) <= set(s["before"]) and not set(s["new"]) & set(s["before"])
            names = set(after["name"])
            assert {people[t]["name"] for t in s["returning"] + s["new"]} == names
        else:
            assert after.empty
    assert list(rows.columns) == list(dataset.arrests.columns)


def test_online_sellers_register_with_their_phone_and_pay_a_lao_supplier(dataset, tmp_path):
    """Each planted online seller's accounts are registered with the phone of one of their
    arrest rows, buyers message and pay the seller, and the seller's wallet pays the wallet
    of a Lao-side ring member registered with a phone of that member's arrest row; every row
    loads."""
    from netintel.ingest import ingest_files

    truth, arrests = dataset.truth, dataset.arrests.set_index("record_id")
    accounts = dataset.accounts.set_index("record_id")
    inter = dataset.interactions.set_index("record_id")
    sellers = truth["online_sellers"]
    assert len(sellers) >= 1
    rings = {r["id"]: r for r in truth["rings"]}

    def registered_on_own_arrest(tid: str, account_ids: list[str]) -> None:
        phones = set(accounts.loc[account_ids, "phone"])
        assert len(phones) == 1 and "" not in phones
        own = arrests.loc[[r for r in truth["persons"][tid]["record_ids"] if r in arrests.index]]
        assert (own["name"] != "").all() and phones <= {
            x.strip() for cell in own["phones"] for x in cell.split(";")
        }

    for s in sellers:
        assert s["seller"] in rings[s["ring"]]["members"] and rings[s["ring"]]["side"] == "VN"
        assert truth["persons"][s["supplier"]]["side"] == "LA"
        assert rings[s["supplier_ring"]]["side"] == "LA"
        registered_on_own_arrest(s["seller"], s["accounts"])
        registered_on_own_arrest(s["supplier"], s["supplier_accounts"])
        seller_handles = set(accounts.loc[s["accounts"], "account"])
        supplier_handles = set(accounts.loc[s["supplier_accounts"], "account"])
        pay = inter.loc[s["payments"]]
        assert (pay["interaction"] == "payment").all() and (pay["method"] == "crypto").all()
        assert set(pay["from_account"]) <= seller_handles
        assert set(pay["to_account"]) <= supplier_handles
        assert (inter.loc[s["posts"], "interaction"] == "post").all()
        buyers = inter.loc[s["buyer_interactions"]]
        assert set(buyers["to_account"]) <= seller_handles  # buyers reach the seller
        assert not set(buyers["from_account"]) & seller_handles
    # every account nobody planted is registered with no phone (resolves to nobody)
    planted = {a for s in sellers for a in s["accounts"] + s["supplier_accounts"]}
    assert (accounts.drop(index=list(planted))["phone"] == "").all()
    for name in ("accounts", "interactions"):
        path = tmp_path / f"{name}.csv"
        getattr(dataset, name).to_csv(path, index=False, encoding="utf-8")
        report = ingest_files(**{name: path})
        assert report.reconciliation.iloc[0]["quarantined"] == 0
