"""What changed since the last run, driven as a nightly job would: load part of a case, rank,
watch a phone, load the rest, rank again; the second ingest prints an alert with the records
behind it, and ``netintel changes`` names the people who entered the top 20."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import netintel
from netintel.values.phone import to_e164

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"
KINDS = ("arrests", "seizures", "communications", "links")
PHONE_COLUMNS = {"communications": ("from_phone", "to_phone"), "arrests": ("phones",)}


def split_case(folder: Path, share: float = 0.6) -> dict[str, dict[str, Path]]:
    """fixtures/small as two deliveries: ``first`` holds the first rows of each file, ``all``
    every row (the second ingest brings the rest)."""
    parts: dict[str, dict[str, Path]] = {"first": {}, "all": {}}
    for kind in KINDS:
        with open(SMALL / f"{kind}.csv", encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        for part, chunk in (("first", rows[: int(len(rows) * share)]), ("all", rows)):
            path = folder / part / f"{kind}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([header, *chunk])
            parts[part][kind] = path
    return parts


def phone_mentions(files: dict[str, Path]) -> dict[str, set[str]]:
    """E.164 phone -> the record ids that name it (communications and arrests)."""
    found: dict[str, set[str]] = {}
    for kind, columns in PHONE_COLUMNS.items():
        with open(files[kind], encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for column in columns:
                    for raw in (row.get(column) or "").split(";"):
                        try:
                            found.setdefault(to_e164(raw.strip()), set()).add(row["record_id"])
                        except Exception:  # empty or malformed: not a mention
                            continue
    return found


def ingest_args(files: dict[str, Path]) -> list[str]:
    return [a for kind, path in files.items() for a in (f"--{kind}", str(path))]


def test_second_ingest_alerts_on_a_watched_phone_and_changes_names_who_entered(
    cli, tmp_path: Path
) -> None:
    parts = split_case(tmp_path)
    db = str(tmp_path / "case.db")
    first = cli("ingest", "--db", db, *ingest_args(parts["first"]))
    assert first.exit_code == 0, first.output
    assert "ALERT" not in first.output
    before = json.loads(cli("--format", "json", "rank", "--db", db, "--top", "20").stdout)

    # a phone that only the second delivery names, watched as an analyst types it
    early, late = phone_mentions(parts["first"]), phone_mentions(parts["all"])
    phone = sorted(p for p in late if p not in early and len(late[p]) >= 2)[0]
    typed = "0" + phone[3:] if phone.startswith("+84") else phone[:4] + " " + phone[4:]
    added = cli("watch", "add", "--db", db, typed)
    assert added.exit_code == 0, added.output
    assert f"watching phone {phone}" in added.output

    second = cli("ingest", "--db", db, *ingest_args(parts["all"]))
    assert second.exit_code == 0, second.output
    text = " ".join(second.stdout.split())
    assert "ALERT: 1 watched entities in new records" in text
    for record in late[phone]:
        assert record in text  # each record behind the alert is printed

    # JSON on stdout leaves as a file would: restricted records need a recipient
    listed = cli("--format", "json", "--recipient", "duty desk", "alerts", "--db", db)
    listed = json.loads(listed.stdout)["alerts"]
    assert [a["value"] for a in listed] == [phone]
    assert set(listed[0]["records"]) == late[phone]

    # the watch is listed, and a second ingest of the same files raises nothing new
    again = cli("ingest", "--db", db, *ingest_args(parts["all"]))
    assert again.exit_code == 0 and "ALERT" not in again.stdout

    after = json.loads(cli("--format", "json", "rank", "--db", db, "--top", "20").stdout)
    result = cli("changes", "--db", db, "--top", "20")
    assert result.exit_code == 0, result.output

    # who entered the top 20, on today's resolution of both lists
    with netintel.open(db, read_only=True, purpose="test suite") as ws:
        people = ws.records.people()
        done = [(e["operation"], e["outcome"]) for e in ws.audit.entries()]
    # each step is on the audit record
    for operation in ("changes.watch", "changes.check_alerts", "changes.record_run"):
        assert (operation, "ok") in done, operation
    now_id = dict(zip(people["person_id"], people["resolved_id"], strict=True))
    was = {now_id.get(t["person_id"], t["person_id"]) for t in before["targets"]}
    entered = [t["name"] for t in after["targets"] if t["person_id"] not in was]
    assert entered, "the second delivery brings new people into the top 20"
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("entered the top 20"))
    block = " ".join(result.stdout[result.stdout.index(line) :].split())
    for name in entered:
        assert name in block
    data = json.loads(cli("--format", "json", "changes", "--db", db).stdout)
    came = [c for c in data["changes"] if c["change"] == "entered"]
    assert sorted(c["name"] for c in came) == sorted(entered)
    assert all(
        c["records"] and c["why"].startswith(f"{len(c['records'])} new records") for c in came
    )

    removed = cli("watch", "remove", "--db", db, typed)
    assert removed.exit_code == 0 and f"no longer watching phone {phone}" in removed.output
    assert json.loads(cli("--format", "json", "watch", "list", "--db", db).stdout) == {
        "watchlist": []
    }


def test_changes_needs_two_runs_and_watch_refuses_what_it_cannot_read(cli, tmp_path: Path) -> None:
    parts = split_case(tmp_path)
    db = str(tmp_path / "case.db")
    assert cli("ingest", "--db", db, *ingest_args(parts["first"])).exit_code == 0
    result = cli("changes", "--db", db)
    assert result.exit_code == 1
    assert "changes need two recorded runs, the store holds 0" in " ".join(result.output.split())
    unknown = cli("watch", "add", "--db", db, "Nobody Anywhere Atall")
    assert unknown.exit_code == 1 and unknown.output.startswith("error: ")
    assert "--kind plate" in " ".join(unknown.output.split())
    plate = cli("watch", "add", "--db", db, "29C-123.45", "--kind", "plate")
    assert plate.exit_code == 0 and "watching plate 29C12345" in plate.output
    gone = cli("watch", "remove", "--db", db, "no such watch")
    assert gone.exit_code == 1 and "is not on the watchlist" in gone.output
