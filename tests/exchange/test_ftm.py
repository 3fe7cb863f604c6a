"""The FollowTheMoney export: every entity built by FtM's model re-parses and validates with
followthemoney, has its schema's required properties, points only at entities of the file,
and carries the record ids it came from; restricted material follows the disclosure rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import netintel
from netintel.exchange import read_ftm
from netintel.report.disclosure import record_gradings

model = pytest.importorskip("followthemoney").model


@pytest.fixture(scope="module")
def restricted(small_db: Path) -> set[str]:
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        gradings = record_gradings(ws.store)
    return {s for s, g in gradings.items() if g.endswith("C")}


@pytest.fixture(scope="module")
def exported(cli, db: str, tmp_path_factory) -> list[dict]:
    path = tmp_path_factory.mktemp("ftm") / "case.ftm.json"
    result = cli("export", "--db", db, "--format", "ftm", path)
    assert result.exit_code == 0, result.output
    assert "FollowTheMoney entities" in result.output
    return list(read_ftm(path))


def _records(entity: dict) -> set[str]:
    props = entity["properties"]
    found = set(props.get("recordId", []))
    for note in props.get("notes", []):
        if note.startswith("records: "):
            found |= set(note.removeprefix("records: ").split(";"))
    return found


def test_every_entity_validates_with_followthemoney(exported) -> None:
    assert len(exported) > 100
    for data in exported:
        proxy = model.get_proxy(data, cleaned=False)  # re-parsed and cleaned by FtM's types
        assert proxy.to_dict() == data, data  # nothing FtM would clean differently
        assert proxy.schema.validate(data) is None
        missing = [p for p in proxy.schema.required if not proxy.get(p)]
        assert not missing, f"{proxy.schema.name} {proxy.id} lacks {missing}"


def test_references_resolve_and_records_are_carried(exported) -> None:
    ids = {e["id"] for e in exported}
    assert len(ids) == len(exported)
    for data in exported:
        proxy = model.get_proxy(data)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, f"{proxy.schema.name}.{prop.name} -> {value}"
        assert _records(data), f"{proxy.schema.name} {proxy.id} carries no record ids"


def test_people_calls_links_and_events_are_there(exported, ws) -> None:
    by_schema: dict[str, list[dict]] = {}
    for data in exported:
        by_schema.setdefault(data["schema"], []).append(data)
    assert {"Person", "Call", "Event", "Family", "Associate", "Payment"} <= set(by_schema)
    names = {n for p in by_schema["Person"] for n in p["properties"]["name"]}
    top = ws.network.rank_targets(top=5)
    assert set(top["name"]) <= names
    phones = [p for p in by_schema["Person"] if p["properties"].get("phone")]
    assert len(phones) > 10
    calls = by_schema["Call"]
    assert all(c["properties"].get("callerNumber") for c in calls)
    assert sum(bool(c["properties"].get("caller")) for c in calls) > len(calls) / 2
    assert all(c["properties"]["recordId"][0].startswith("COM-") for c in calls)
    events = by_schema["Event"]
    arrests = [e for e in events if "arrest" in e["properties"]["keywords"]]
    seizures = [e for e in events if "seizure" in e["properties"]["keywords"]]
    assert arrests and seizures
    assert all(e["properties"].get("involved") or e["properties"].get("organizer") for e in arrests)
    assert any(e["properties"].get("organizer") for e in arrests)
    assert any(e["properties"].get("involved") for e in seizures)


def test_restricted_records_follow_the_disclosure_rules(
    cli, db: str, tmp_path: Path, exported, restricted: set[str]
) -> None:
    assert restricted
    withheld = {r for e in exported for r in _records(e)}
    assert withheld and not withheld & restricted
    out = tmp_path / "shared.ftm.json"
    result = cli("export", "--db", db, "--format", "ftm", "--recipient", "Lao police, DSD", out)
    assert result.exit_code == 0, result.output
    released = list(read_ftm(out))
    assert {r for e in released for r in _records(e)} & restricted
    assert len(released) > len(exported)


def test_pseudonymised_entities_keep_no_name_and_lose_no_value(
    cli, db: str, tmp_path: Path, exported, monkeypatch
) -> None:
    monkeypatch.setenv("NETINTEL_PSEUDONYM_KEY", "k" * 32)
    out = tmp_path / "pseudo.ftm.json"
    result = cli("export", "--db", db, "--format", "ftm", "--pseudonymise", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    names = {n for e in exported if e["schema"] == "Person" for n in e["properties"]["name"]}
    assert not any(f'"{n}"' in text for n in names)
    people = [e for e in read_ftm(out) if e["schema"] == "Person"]
    # a pseudonymised phone is no phone number: kept as a note, not dropped
    assert any(n.startswith("phone: phone-") for p in people for n in p["properties"]["notes"])


def test_a_wrong_extension_is_refused_before_the_work(cli, db: str, tmp_path: Path) -> None:
    result = cli("export", "--db", db, "--format", "ftm", tmp_path / "case.xml")
    assert result.exit_code == 1 and "use one of .json, .jsonl" in result.output
    assert not (tmp_path / "case.xml").exists()
