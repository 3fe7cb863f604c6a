"""What a hand-written query can ask for: the labels, properties and relationship endpoints
declared in ``graph_schema/schema.yaml``, with what the store holds of each.

``ws.schema()`` and ``netintel schema`` print it. Two things an analyst writing Cypher must
know, said here once and in the README:

- **People.** A stored ``Person`` node is a *record-level* person: one per national ID,
  passport, or folded name with date of birth or source document, as the records named
  them. Entity resolution gives each the id of the resolved person it belongs to,
  ``p.resolved_id`` (the smallest member id, itself a Person node), and links the members
  with ``SAME_AS``. Every analysis, ``ws.show`` and the ``%%cypher`` magic's output work on
  resolved people: the magic turns each Person node of a result into its resolved person
  (``person_id, name``) and drops the rows that repeat; ``--records`` keeps the stored nodes.
  In Cypher itself, group by ``p.resolved_id`` (``MATCH (p:Person) RETURN p.resolved_id,
  collect(p.name)``) to count people rather than records.
- **Values** are ``$parameters``; labels and relationship types are the ones listed here.

Examples
--------
>>> table = schema_table()
>>> table.set_index("name").loc["USES", "endpoints"]
'(Person)-[:USES]->(Phone)'
>>> "resolved_id" in table.set_index("name").loc["Person", "properties"]
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from netintel.schema import load_schema, schema_dir

_PROPERTY_LINE = re.compile(r"^ {6}(\w+):\s*([A-Z0-9_\[\]]+)\s*(?:#\s*(.*))?$")
_OWNER_LINE = re.compile(r"^ {2}(\w+):\s*$")


def _comments() -> dict[tuple[str, str], str]:
    """The comment after each property of ``schema.yaml`` (what it holds, its format)."""
    notes: dict[tuple[str, str], str] = {}
    owner = ""
    for line in (schema_dir() / "schema.yaml").read_text(encoding="utf-8").splitlines():
        if m := _OWNER_LINE.match(line):
            owner = m.group(1)
        elif (m := _PROPERTY_LINE.match(line)) and m.group(3):
            notes[(owner, m.group(1))] = m.group(3).strip()
    return notes


def schema_table(counts: Mapping[str, int] | None = None) -> pd.DataFrame:
    """One row per node label and relationship type of the declared schema.

    Parameters
    ----------
    counts : mapping, optional
        Nodes per label and relationships per type in a store (``store.counts()``); adds
        a ``count`` column.

    Returns
    -------
    DataFrame
        ``kind`` (``node`` or ``relationship``), ``name``, ``endpoints`` (``(From)-[:TYPE]->(To)``
        pairs, for relationships), ``properties`` (``name TYPE``, one per line, with the
        schema's note on it), and ``count``.
    """
    schema = load_schema()
    notes = _comments()
    rows = []

    def props(owner: str, declared: Mapping[str, str]) -> str:
        return "\n".join(
            f"{name} {kind}" + (f"  ({notes[(owner, name)]})" if (owner, name) in notes else "")
            for name, kind in declared.items()
        )

    for label, node in schema.nodes.items():
        rows.append(
            {
                "kind": "node",
                "name": label,
                "endpoints": "",
                "properties": props(label, node.properties),
            }
        )
    for rel_type, rel in schema.relationships.items():
        rows.append(
            {
                "kind": "relationship",
                "name": rel_type,
                "endpoints": "\n".join(f"({a})-[:{rel_type}]->({b})" for a, b in rel.endpoints),
                "properties": props(rel_type, rel.properties),
            }
        )
    table = pd.DataFrame(rows, columns=["kind", "name", "endpoints", "properties"])
    if counts is not None:
        table["count"] = [int(counts.get(name, 0)) for name in table["name"]]
    return table
