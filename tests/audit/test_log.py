"""The audit log beside an embedded database: the chain verifies, and any edit, insertion,
removal or reordering of its entries is found, naming the first bad seq."""

from __future__ import annotations

import json
import multiprocessing
import stat
from pathlib import Path

import pytest

from netintel import store
from netintel.audit import FIELDS, AuditError, audit_log, verify_file
from netintel.audit.files import FileLog


def _fill(db: Path, n: int = 5) -> FileLog:
    log = FileLog(db)
    for i in range(n):
        log.append(
            ["collection", "consultation", "disclosure", "alteration", "consultation"][i % 5],
            user=f"user{i % 2}", command=f"netintel cmd{i}", parameters={"i": i},
            records=[f"R-{i}", "R-x"], purpose="case 7 briefing", recipient="VN-MPS" if i else None,
        )  # fmt: skip
    return log


def _lines(log: FileLog) -> list[dict]:
    return [json.loads(line) for line in log.path.read_text().splitlines()]


def _write(log: FileLog, entries: list[dict]) -> None:
    log.path.write_text("".join(json.dumps(e) + "\n" for e in entries))


def test_a_fresh_log_verifies_and_is_owner_only(tmp_path):
    log = _fill(tmp_path / "case.db")
    found, seq, _ = log.verify()
    assert found is None and seq == 5
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.head_path.stat().st_mode) == 0o600
    assert [e["seq"] for e in _lines(log)] == [1, 2, 3, 4, 5]
    assert set(_lines(log)[0]) == set(FIELDS)


@pytest.mark.parametrize("field", [f for f in FIELDS if f != "seq"])
@pytest.mark.parametrize("position", [0, 2, 4])
def test_editing_any_field_of_any_entry_is_found(tmp_path, field, position):
    log = _fill(tmp_path / "case.db")
    entries = _lines(log)
    value = entries[position][field]
    entries[position][field] = (
        value + 1 if isinstance(value, int) else ["other"] if isinstance(value, list) else
        {"i": -1} if isinstance(value, dict) else "edited" if value != "edited" else "x"
    )  # fmt: skip
    _write(log, entries)
    found, _, _ = log.verify()
    assert found is not None and found.seq == position + 1, found


def test_editing_a_seq_is_found(tmp_path):
    log = _fill(tmp_path / "case.db")
    entries = _lines(log)
    entries[2]["seq"] = 9
    _write(log, entries)
    assert log.verify()[0].seq == 3


def test_removing_a_middle_entry_is_found(tmp_path):
    log = _fill(tmp_path / "case.db")
    entries = _lines(log)
    _write(log, entries[:2] + entries[3:])
    found = log.verify()[0]
    assert found.seq == 3 and "removed" in found.reason


@pytest.mark.parametrize("removed", [1, 2, 5])
def test_removing_the_last_entries_is_found(tmp_path, removed):
    log = _fill(tmp_path / "case.db")
    _write(log, _lines(log)[:-removed])
    found = log.verify()[0]
    assert found is not None and found.seq == 6 - removed, found
    assert "removed from the end" in found.reason


def test_removing_the_head_record_is_found(tmp_path):
    log = _fill(tmp_path / "case.db")
    log.head_path.unlink()
    assert "head record is missing" in log.verify()[0].reason


def test_reordering_is_found(tmp_path):
    log = _fill(tmp_path / "case.db")
    entries = _lines(log)
    entries[1], entries[2] = entries[2], entries[1]
    _write(log, entries)
    assert log.verify()[0].seq == 2


def test_an_inserted_entry_is_found(tmp_path):
    log = _fill(tmp_path / "case.db")
    entries = _lines(log)
    _write(log, [*entries[:2], dict(entries[1]), *entries[2:]])
    assert log.verify()[0].seq == 3


def test_a_line_that_is_not_an_entry_is_named(tmp_path):
    log = _fill(tmp_path / "case.db")
    text = log.path.read_text().splitlines()
    text[3] = "{not json"
    log.path.write_text("\n".join(text) + "\n")
    found = log.verify()[0]
    assert found.seq == 4 and "line 4" in found.reason


def test_nothing_is_appended_after_the_end_was_removed(tmp_path):
    log = _fill(tmp_path / "case.db")
    _write(log, _lines(log)[:-1])
    with pytest.raises(AuditError, match="does not end where its head says"):
        log.append("consultation", user="ana", command="c")


def test_expect_checks_a_noted_head(tmp_path):
    db = tmp_path / "case.db"
    with store.open(db) as s:
        log = audit_log(s)
        first = log.append("consultation", user="ana", command="c", parameters={})
        log.append("consultation", user="ana", command="c", parameters={})
        assert log.verify(expect=first["hash"]).ok
        assert not log.verify(expect="0" * 64).ok
        # A rewritten history that still chains does not hold the noted hash.
        entries = log.entries()
        from netintel.audit.entry import GENESIS, make_entry

        fake, prev = [], GENESIS
        for e in entries:
            e = make_entry(e["seq"], prev, e["action"], user="mallory", command=e["command"])
            fake.append(e)
            prev = e["hash"]
        _write(log._backend, fake)
        log._backend._write_head(fake[-1]["seq"], fake[-1]["hash"])
        assert log.verify().ok  # whoever rewrites the log and its head rewrites history...
        assert not log.verify(expect=first["hash"]).ok  # ...unless a head was noted elsewhere


def test_credentials_never_enter_an_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("NETINTEL_NEO4J_PASSWORD", "hunter22")
    log = FileLog(tmp_path / "case.db")
    log.append(
        "consultation", user="ana", command="netintel rank --db bolt://neo4j:hunter22@db:7687",
        parameters={"db": "bolt://neo4j:hunter22@db:7687", "password": "x", "q": "hunter22"},
        purpose="to ask about hunter22",
    )  # fmt: skip
    text = log.path.read_text()
    assert "hunter22" not in text and "neo4j:" not in text
    assert log.verify()[0] is None


def test_records_are_bounded(tmp_path):
    log = FileLog(tmp_path / "case.db")
    few = log.append("consultation", user="a", command="c", records=["b", "a", "a"])
    many = log.append("consultation", user="a", command="c", records=[f"R{i}" for i in range(500)])
    assert few["record_ids"] == ["a", "b"] and few["record_count"] == 2
    assert many["record_ids"] == [] and many["record_count"] == 500
    assert len(many["records_sha256"]) == 64


def test_a_disclosure_needs_a_purpose(tmp_path):
    with store.open(tmp_path / "case.db") as s, pytest.raises(AuditError, match="purpose"):
        audit_log(s).append("disclosure", user="a", command="c", output=tmp_path / "x")


def test_an_output_is_hashed_from_disk(tmp_path):
    out = tmp_path / "t.csv"
    out.write_text("a,b\n1,2\n")
    with store.open(tmp_path / "case.db") as s:
        entry = audit_log(s).append(
            "disclosure", user="a", command="c", output=out, purpose="p", recipient="r"
        )
    import hashlib

    assert entry["output_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_an_exported_copy_verifies_on_its_own(tmp_path):
    with store.open(tmp_path / "case.db") as s:
        log = audit_log(s)
        for _ in range(3):
            log.append("consultation", user="a", command="c")
        assert log.export(tmp_path / "copy.jsonl") == 3
    assert verify_file(tmp_path / "copy.jsonl").ok
    lines = (tmp_path / "copy.jsonl").read_text().splitlines()
    (tmp_path / "copy.jsonl").write_text("\n".join(lines[:1] + lines[2:]) + "\n")
    assert verify_file(tmp_path / "copy.jsonl").broken.seq == 2


def _append_many(db: str, who: str) -> None:
    log = FileLog(db)
    for i in range(20):
        log.append("consultation", user=who, command="c", parameters={"i": i})


def test_concurrent_appends_keep_one_chain(tmp_path):
    db = str(tmp_path / "case.db")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(db, f"u{i}")) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    found, seq, _ = FileLog(db).verify()
    assert found is None and seq == 60
