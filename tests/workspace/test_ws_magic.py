"""The %%cypher magic in a real IPython shell: parameters from the notebook's variables,
resolved people by default, the network view for people, a table otherwise."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

import netintel
from netintel.errors import InputError


@pytest.fixture(scope="module")
def shell(small_db):
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "netintel")
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        ip.user_ns["ws"] = ws
        yield ip, ws
    InteractiveShell.clear_instance()


def test_people_become_the_network_view_of_resolved_people(shell):
    ip, ws = shell
    resolved = ws.cypher(
        "MATCH (p:Person) WHERE p.id <> p.resolved_id RETURN p.resolved_id AS r LIMIT 1"
    ).loc[0, "r"]
    ip.user_ns["who"] = resolved
    view = ip.run_cell_magic(
        "cypher", "", "MATCH (p:Person) WHERE p.resolved_id = $who RETURN p, p.name AS spelt"
    )
    assert [n["key"] for n in view.data["nodes"]] == [resolved]
    assert view.name.startswith("Cypher result. 1 person given: 1 of ")
    table = ip.user_ns["cypher_result"]  # record-level members merged into one person
    assert set(table["p"]) == {resolved}
    assert table.loc[0, "p_name"] == nx.get_node_attributes(ws.graph(), "name")[resolved]
    members = ip.run_cell_magic(
        "cypher",
        "--records --table -o members",
        "MATCH (p:Person) WHERE p.resolved_id = $who RETURN p",
    )
    assert len(members) >= 2 and members is ip.user_ns["members"]
    assert {m["resolved_id"] for m in members["p"]} == {resolved}


def test_values_without_people_are_a_table_and_the_line_magic_works(shell):
    ip, ws = shell
    ip.user_ns["region"] = "LA"
    ip.user_ns["limit"] = pd.Series([3]).iloc[0]  # a numpy value travels as a Python one
    table = ip.run_line_magic(
        "cypher", "MATCH (f:Phone) WHERE f.region = $region RETURN f.id AS phone LIMIT $limit"
    )
    assert isinstance(table, pd.DataFrame) and len(table) == 3
    assert table["phone"].str.startswith("+856").all()
    assert ws.audit.entries()[-1]["operation"] == "query.cypher"


def test_mistakes_are_clear(shell):
    ip, _ = shell
    ip.user_ns.pop("nowhere", None)
    with pytest.raises(InputError, match=r"no notebook variable for \$nowhere"):
        ip.run_cell_magic("cypher", "", "MATCH (p:Person {id: $nowhere}) RETURN p")
    with pytest.raises(InputError, match="options are"):
        ip.run_cell_magic("cypher", "--bogus", "RETURN 1")
    with pytest.raises(InputError, match="no workspace named 'nobody'"):
        ip.run_cell_magic("cypher", "-w nobody", "RETURN 1")


def test_schema_lists_labels_properties_and_endpoints(shell):
    _, ws = shell
    schema = ws.schema().set_index("name")
    assert "(Person)-[:ARRESTED_IN]->(Arrest)" in schema.loc["ARRESTED_IN", "endpoints"]
    assert "resolved_id STRING" in schema.loc["Person", "properties"]
    assert schema.loc["Person", "count"] == ws.query.stats()["Person"]
    assert set(schema["kind"]) == {"node", "relationship"}
