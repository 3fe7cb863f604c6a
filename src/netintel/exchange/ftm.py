"""The case as FollowTheMoney entities, for Aleph and other FtM tools.

:func:`ftm_entities` turns the stored graph into entities built with followthemoney's own
model (``model.make_entity``), so every value is cleaned by FtM's types and every entity can
be validated by FtM; :func:`write_ftm` writes them as JSON lines, one entity per line (what
``ftm`` and ``alephclient write-entities`` read). Needs the ``ftm`` extra
(``pip install netintel[ftm]``).

=====================  ====================================================================
netintel               FollowTheMoney
=====================  ====================================================================
Person (resolved)      ``Person``: name (every spelling), alias, birthDate, nationality,
                       idNumber, passportNumber, phone (the phones used), address,
                       addressEntity, keywords (recorded roles)
Phone                  no Phone schema in FtM: ``Person.phone``, and ``Call.callerNumber`` /
                       ``receiverNumber``
CALLED                 ``Call``: caller / receiver (the people using each number), the
                       numbers, date, endDate, duration (seconds), summary (how many calls)
LINKED                 ``Family`` (family), ``Payment`` (money_transfer: payer to beneficiary),
                       else ``Associate`` with ``relationship`` = the link type
USES_VEHICLE, HOLDS    ``UnknownLink`` (person, vehicle, role "uses vehicle");
                       ``Ownership`` (person, bank account, role "holds")
Vehicle, Account,      ``Vehicle`` (registrationNumber), ``BankAccount`` (accountNumber,
Address                bankName), ``Address`` (full)
Arrest, Seizure,       ``Event``: name, date, location, country, involved (the people),
Shipment               organizer (people recorded as organizers), summary (drug, quantity,
                       route, transport), keywords (case ids)
=====================  ====================================================================

Every entity carries the record ids it came from: ``recordId`` where the schema has it
(Call, Event and the link schemata), else a ``notes`` line ``records: ARR-1;COM-7``. A value
FtM's types cannot hold (a pseudonymised phone number is not a phone number) is kept in
``notes`` (``description`` on interval schemata) as ``property: value``, never dropped.
Restricted material (handling code C) follows the disclosure rules of every export
(:class:`~netintel.report.disclosure.Disclosure`): what restricted records alone produced is
withheld unless released, and pseudonymised exports carry pseudonyms.

Examples
--------
>>> import tempfile, pathlib, netintel
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "links.csv").write_text(
...     "record_id,source,target,link_type,date\\n"
...     "L-1,Lò Văn Thành,Lò Thị Mai,family,2024-03-01\\n"
...     "L-2,Lò Văn Thành,Vang Pao,money_transfer,2024-04-02\\n", encoding="utf-8")
>>> with netintel.open(folder / "case.db") as ws:
...     _ = ws.ingest(links=folder / "links.csv")
...     result = write_ftm(ws.store, folder / "case.ftm.json")
>>> result.counts
{'Family': 1, 'Payment': 1, 'Person': 3}
>>> payment = [e for e in read_ftm(result.path) if e["schema"] == "Payment"][0]
>>> payment["properties"]["recordId"], payment["properties"]["date"]
(['L-2'], ['2024-04-02'])
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netintel.errors import InputError
from netintel.outputs import LIST_SEPARATOR, atomic_write, check_output
from netintel.report.disclosure import Disclosure
from netintel.store import cypher
from netintel.store.base import GraphStore

__all__ = ["FORMATS", "FtmExport", "ftm_entities", "read_ftm", "write_ftm"]

FORMATS = (".json", ".jsonl")
#: LINKED link types and the FtM schema each becomes (others: Associate).
LINK_SCHEMATA = {"family": "Family", "money_transfer": "Payment"}


def _model() -> Any:
    try:
        from followthemoney import model
    except ImportError:  # pragma: no cover - the extra is a test dependency
        raise InputError(
            "the FollowTheMoney export needs the ftm extra: pip install 'netintel[ftm]'"
        ) from None
    return model


@dataclass
class FtmExport:
    """What :func:`write_ftm` wrote: the file and the number of entities of each schema."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)


def _values(value: object) -> list[str]:
    """A cell's values as text (lists, arrays and missing values handled)."""
    if value is None:
        return []
    if isinstance(value, list | tuple | set) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else list(value)  # type: ignore[union-attr]
        if not isinstance(items, list):
            items = [items]
        return [t for v in items for t in _values(v)]
    if isinstance(value, float) and pd.isna(value):
        return []
    if isinstance(value, pd.Timestamp):
        return [] if pd.isna(value) else [value.date().isoformat()]
    if value is pd.NaT or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return []
    text = str(value).strip()
    return [text] if text else []


class _Builder:
    """Entities by id, built with FtM's model; a value FtM rejects goes to notes."""

    def __init__(self) -> None:
        self.model = _model()
        self.entities: dict[str, Any] = {}

    def entity(self, schema: str, *key: str) -> Any:
        proxy = self.model.make_entity(schema)
        proxy.make_id("netintel", schema, *key)
        return self.entities.setdefault(proxy.id, proxy)

    def add(self, proxy: Any, prop: str, value: object) -> None:
        kind = proxy.schema.get(prop).type
        for text in _values(value):
            cleaned = kind.clean(text, proxy=proxy)
            if cleaned is not None:
                proxy.add(prop, cleaned, cleaned=True)
            else:  # FtM's type cannot hold it (a pseudonym for a phone): kept as a note
                spill = "notes" if "notes" in proxy.schema.properties else "description"
                proxy.add(spill, f"{prop}: {text}")

    def records(self, proxy: Any, sources: object) -> None:
        ids = sorted(set(_values(sources)))
        if not ids:
            return
        if "recordId" in proxy.schema.properties:
            for rid in ids:
                proxy.add("recordId", rid)
        else:
            proxy.add("notes", "records: " + LIST_SEPARATOR.join(ids))


def _nodes(store: GraphStore, label: str, disclosure: Disclosure | None) -> pd.DataFrame:
    if label not in store.schema.nodes:
        return pd.DataFrame(columns=["id", "sources"])
    frame = store.query(cypher.node_rows(store.schema, label))
    return disclosure.nodes(label, frame) if disclosure is not None else frame


def _edges(
    store: GraphStore, rel: str, a: str, b: str, disclosure: Disclosure | None
) -> pd.DataFrame:
    schema = store.schema
    if rel not in schema.relationships or [a, b] not in [
        list(e) for e in schema.relationships[rel].endpoints
    ]:
        return pd.DataFrame(columns=["start_id", "end_id", "id", "sources"])
    frame = store.query(cypher.edge_rows(schema, rel, a, b))
    return disclosure.edges(a, b, frame) if disclosure is not None else frame


def _rows(frame: pd.DataFrame) -> Iterator[dict]:
    yield from frame.to_dict("records")


def ftm_entities(store: GraphStore, *, disclosure: Disclosure | None = None) -> list[Any]:
    """The stored case as FollowTheMoney entity proxies, sorted by schema and id.

    Parameters
    ----------
    store : GraphStore
        An open store.
    disclosure : Disclosure, optional
        What may leave (:class:`~netintel.report.disclosure.Disclosure`); default: all.

    Returns
    -------
    list of followthemoney.proxy.EntityProxy
        People, calls, links, vehicles, accounts, addresses and events; every reference
        points at an entity of the list.

    Raises
    ------
    InputError
        If followthemoney is not installed.
    """
    b = _Builder()
    nodes = {
        label: _nodes(store, label, disclosure)
        for label in (
            "Person", "Phone", "Vehicle", "Address", "Account", "Place", "BorderGate",
            "Arrest", "Seizure", "Shipment", "CaseFile",
        )
    }  # fmt: skip

    def edges(rel: str, a: str, z: str) -> Iterator[dict]:
        return _rows(_edges(store, rel, a, z, disclosure))

    # people, one entity per resolved person
    people = nodes["Person"]
    person_of: dict[str, str] = {}
    for row in _rows(people):
        resolved = _values(row.get("resolved_id")) or [str(row["id"])]
        person_of[str(row["id"])] = resolved[0]
    person: dict[str, Any] = {}
    sources: dict[str, set[str]] = {}
    for row in _rows(people):
        p = person.get(person_of[str(row["id"])])
        if p is None:
            p = person[person_of[str(row["id"])]] = b.entity("Person", person_of[str(row["id"])])
        b.add(p, "name", row.get("name"))
        b.add(p, "alias", row.get("aliases"))
        b.add(p, "birthDate", row.get("dob"))
        b.add(p, "nationality", row.get("nationality"))
        b.add(p, "idNumber", row.get("national_id"))
        b.add(p, "passportNumber", row.get("passport"))
        b.add(p, "keywords", row.get("roles"))
        sources.setdefault(p.id, set()).update(_values(row.get("sources")))
    for key, p in person.items():  # one note of records per person, whatever merged into it
        b.records(p, sources.get(p.id))
        if not p.get("name"):  # FtM requires a name: a person known by number only
            p.add("name", key)

    def who(pid: object) -> Any | None:
        return person.get(person_of.get(str(pid), str(pid)))

    # phones: numbers on the people who use them, and the callers of calls
    number = {
        str(r["id"]): (_values(r.get("e164")) or [str(r["id"])])[0] for r in _rows(nodes["Phone"])
    }
    users: dict[str, list[Any]] = defaultdict(list)
    for row in edges("USES", "Person", "Phone"):
        p = who(row["start_id"])
        if p is not None:
            b.add(p, "phone", number.get(str(row["end_id"]), row["end_id"]))
            users[str(row["end_id"])].append(p)
    for a, z in (
        ("Phone", "Phone"),
        ("Person", "Person"),
        ("Person", "Phone"),
        ("Phone", "Person"),
    ):
        for row in edges("CALLED", a, z):
            call = b.entity("Call", str(row["id"]))
            for side, end, label in (("caller", "start_id", a), ("receiver", "end_id", z)):
                if label == "Phone":
                    b.add(call, f"{side}Number", number.get(str(row[end]), row[end]))
                    for p in users.get(str(row[end]), []):
                        call.add(side, p.id)
                elif (p := who(row[end])) is not None:
                    call.add(side, p.id)
            _dates(b, call, row)
            b.add(call, "duration", row.get("duration_s"))
            if _values(row.get("count")):
                b.add(call, "summary", f"{row['count']} call(s)")
            b.records(call, row.get("sources"))

    # links between people
    for row in edges("LINKED", "Person", "Person"):
        a, z = who(row["start_id"]), who(row["end_id"])
        if a is None or z is None:
            continue
        kind = (_values(row.get("link_type")) or ["link"])[0]
        schema = LINK_SCHEMATA.get(kind, "Associate")
        link = b.entity(schema, str(row["id"]))
        ends = {"Family": ("person", "relative"), "Payment": ("payer", "beneficiary")}
        first, second = ends.get(schema, ("person", "associate"))
        link.add(first, a.id)
        link.add(second, z.id)
        b.add(link, "purpose" if schema == "Payment" else "relationship", kind)
        _dates(b, link, row)
        b.records(link, row.get("sources"))

    # vehicles, accounts and addresses, with the links that name them
    things = {
        "Vehicle": ("Vehicle", "registrationNumber", "plate"),
        "Account": ("BankAccount", "accountNumber", "number"),
        "Address": ("Address", "full", "text"),
    }
    made: dict[tuple[str, str], Any] = {}
    for label, (schema, prop, column) in things.items():
        for row in _rows(nodes[label]):
            thing = made[(label, str(row["id"]))] = b.entity(schema, str(row["id"]))
            b.add(thing, prop, row.get(column) if _values(row.get(column)) else row["id"])
            if label == "Account":
                b.add(thing, "bankName", row.get("bank"))
            b.records(thing, row.get("sources"))
    for rel, label, schema, role in (
        ("USES_VEHICLE", "Vehicle", "UnknownLink", "uses vehicle"),
        ("HOLDS", "Account", "Ownership", "holds"),
    ):
        for row in edges(rel, "Person", label):
            p, thing = who(row["start_id"]), made.get((label, str(row["end_id"])))
            if p is None or thing is None:
                continue
            link = b.entity(schema, str(row["id"]))
            link.add("subject" if schema == "UnknownLink" else "owner", p.id)
            link.add("object" if schema == "UnknownLink" else "asset", thing.id)
            b.add(link, "role", role)
            _dates(b, link, row)
            b.records(link, row.get("sources"))
    for row in edges("LIVES_AT", "Person", "Address"):
        p, place = who(row["start_id"]), made.get(("Address", str(row["end_id"])))
        if p is not None and place is not None:
            p.add("addressEntity", place.id)
            b.add(p, "address", place.get("full"))

    _events(b, nodes, edges, who)
    entities = dict(b.entities)
    while True:  # no reference to an entity left out, no entity without its required values
        for proxy in entities.values():
            for prop in proxy.schema.properties.values():
                if prop.type.name == "entity" and proxy.get(prop):
                    keep = [v for v in proxy.get(prop) if v in entities]
                    proxy.pop(prop)
                    proxy.add(prop, keep, cleaned=True)
        complete = {k: e for k, e in entities.items() if all(e.get(r) for r in e.schema.required)}
        if len(complete) == len(entities):
            break
        entities = complete
    return sorted(entities.values(), key=lambda e: (e.schema.name, e.id))


def _dates(b: _Builder, proxy: Any, row: dict) -> None:
    first, last = _values(row.get("first_seen")), _values(row.get("last_seen"))
    if first:
        b.add(proxy, "date", first[0])
    if last and last != first:
        b.add(proxy, "endDate", last[0])


def _events(b: _Builder, nodes: dict[str, pd.DataFrame], edges: Any, who: Any) -> None:
    """Arrests, seizures and shipments as FtM ``Event`` entities with their people."""
    places = {
        str(r["id"]): (_values(r.get("name")) or [str(r["id"])])[0] for r in _rows(nodes["Place"])
    }
    gates = {
        str(r["id"]): (_values(r.get("name")) or [str(r["id"])])[0]
        for r in _rows(nodes["BorderGate"])
    }
    cases: dict[str, list[str]] = defaultdict(list)
    for label in ("Arrest", "Seizure", "Shipment"):
        for row in edges("PART_OF", label, "CaseFile"):
            cases[str(row["start_id"])].append(str(row["end_id"]))
    where: dict[str, list[str]] = defaultdict(list)
    for label in ("Arrest", "Seizure"):
        for row in edges("AT", label, "Place"):
            where[str(row["start_id"])].append(places.get(str(row["end_id"]), str(row["end_id"])))
    for row in edges("CROSSED", "Seizure", "BorderGate"):
        where[str(row["start_id"])].append(gates.get(str(row["end_id"]), str(row["end_id"])))

    arrested: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    for row in edges("ARRESTED_IN", "Person", "Arrest"):
        if (p := who(row["start_id"])) is not None:
            arrested[str(row["end_id"])].append((p, (_values(row.get("role")) or [""])[0]))
    seized_with: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    for row in edges("LINKED_TO", "Arrest", "Seizure"):
        seized_with[str(row["end_id"])].extend(arrested.get(str(row["start_id"]), []))
    for label in ("Shipment",):
        for rel in ("SENT", "RECEIVED"):
            for row in edges(rel, "Person", label):
                if (p := who(row["start_id"])) is not None:
                    role = "sender" if rel == "SENT" else "receiver"
                    seized_with[str(row["end_id"])].append((p, role))

    for label in ("Arrest", "Seizure", "Shipment"):
        for row in _rows(nodes[label]):
            key = str(row["id"])
            event = b.entity("Event", label, key)
            b.add(event, "name", _event_name(label, row))
            b.add(event, "date", row.get("date"))
            b.add(event, "country", row.get("country"))
            b.add(event, "location", where.get(key) or [row.get("place"), row.get("province")])
            b.add(event, "summary", _event_summary(label, row))
            b.add(event, "keywords", [label.lower(), *cases.get(key, [])])
            people = arrested.get(key, []) if label == "Arrest" else seized_with.get(key, [])
            for p, role in people:
                event.add("organizer" if role in ("organizer", "sender") else "involved", p.id)
            b.records(event, row.get("sources"))


def _event_name(label: str, row: dict) -> str:
    if label == "Seizure":
        what = " ".join(
            _values(row.get("quantity")) + _values(row.get("unit")) + _values(row.get("drug"))
        )
        return f"Seizure {row['id']}" + (f": {what}" if what else "")
    if label == "Shipment":
        return f"Shipment {(_values(row.get('waybill')) or [row['id']])[0]}"
    records = sorted(_values(row.get("sources"))) or [str(row["id"])]
    when = _values(row.get("date"))
    return f"Arrest {', '.join(records)}" + (f" ({when[0]})" if when else "")


def _event_summary(label: str, row: dict) -> str | None:
    parts = []
    for column, word in (
        ("quantity_kg", "kg"), ("transport", "by"), ("origin", "from"), ("destination", "to"),
        ("courier", "courier"), ("contents", "declared"), ("weight_kg", "kg"),
    ):  # fmt: skip
        for value in _values(row.get(column)):
            parts.append(f"{value} {word}" if word == "kg" else f"{word} {value}")
    return "; ".join(parts) or None


def write_ftm(
    store: GraphStore, path: str | Path, *, disclosure: Disclosure | None = None
) -> FtmExport:
    """Write the case as FollowTheMoney entities, one JSON object a line, to ``path``.

    Parameters
    ----------
    store : GraphStore
        An open store.
    path : str or Path
        A ``.json`` or ``.jsonl`` file (``case.ftm.json``); checked before the work.
    disclosure : Disclosure, optional
        What may leave; default: all.

    Returns
    -------
    FtmExport
        The path and the count of entities per schema.

    Raises
    ------
    OutputError
        If the path is not .json/.jsonl or cannot be written.
    InputError
        If followthemoney is not installed.
    """
    path = check_output(path, suffixes=FORMATS)
    entities = ftm_entities(store, disclosure=disclosure)
    counts: dict[str, int] = defaultdict(int)
    with atomic_write(path) as tmp, tmp.open("w", encoding="utf-8") as out:
        for entity in entities:
            counts[entity.schema.name] += 1
            out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return FtmExport(path, dict(sorted(counts.items())))


def read_ftm(path: str | Path) -> Iterable[dict]:
    """The entities of an FtM JSON-lines file as dicts (for checks and tests)."""
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
