"""Adjacency matrices, on small hand-made ones and on the five real networks."""

from __future__ import annotations

from pathlib import Path

import pytest

from netintel.batch import stable_id
from netintel.errors import InputError
from netintel.ingest import ingest_files, read_matrix

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
# file, nodes, ties as published (directed ties, or undirected ties of a symmetric matrix)
NETWORKS = [
    ("cielnet/morselli_cielnet.csv", 25, 45),
    ("french_connection/macdonald_tfc.csv", 112, 361),
    ("natarajan_cocaine/natajaran_cocaine.csv", 28, 40),
    ("natarajan_heroin/natajaran_heroin.csv", 38, 168),
    ("oversize/berlusconietal_oversize.csv", 89, 146),
]


@pytest.mark.parametrize(("name", "nodes", "ties"), NETWORKS)
def test_real_networks(name, nodes, ties):
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} not present (the shared real-network data is not on this machine)")
    records = read_matrix(path)
    assert len(records) == ties
    assert records["record_id"].is_unique
    result = ingest_files(matrices=[path])
    rec = result.reconciliation.iloc[0]
    assert (rec["read"], rec["loaded"], rec["quarantined"]) == (ties, ties, 0)
    assert len(result.batch.nodes["Person"]) == nodes  # every person, tied or not
    called = result.batch.edges[0]
    assert (called.type, called.from_label, called.to_label) == ("CALLED", "Person", "Person")
    assert len(called.frame) == ties
    links = ingest_files(matrices=[path], matrix_kind="links").batch.edges[0]
    assert links.type == "LINKED" and set(links.frame["link_type"]) == {"co_offending"}


def test_matrix_records(tmp_path):
    path = tmp_path / "ring.csv"
    path.write_text('"",1,2,3\n1,0,2,\n2,0,0,1.5\n3,4,0,7\n', encoding="utf-8")
    records = read_matrix(path, source_ref="op-ring")
    assert records[["from_person", "to_person", "count", "_row"]].values.tolist() == [
        ["1", "2", "2", 2],
        ["2", "3", "1.5", 3],
        ["3", "1", "4", 4],
    ]  # diagonal ignored
    assert records["record_id"][0] == stable_id("ring.csv", "1", "2", prefix="M-")
    assert set(records["source_ref"]) == {"op-ring"}
    result = ingest_files(matrices=[path])  # counts must be whole: 1.5 is quarantined
    assert result.reconciliation[["loaded", "quarantined"]].iloc[0].tolist() == [2, 1]
    weights = ingest_files(matrices=[path], matrix_kind="links").batch.edges[0].frame
    assert sorted(weights["weight"]) == [1.5, 2.0, 4.0]


def test_a_person_with_no_tie_is_still_a_person_of_the_network(tmp_path):
    path = tmp_path / "ring.csv"
    path.write_text(",Páo,Hùng,Lan\nPáo,0,3,0\nHùng,0,0,0\nLan,0,0,0\n", encoding="utf-8")
    result = ingest_files(matrices=[path])
    people = result.batch.nodes["Person"].set_index("name")
    assert set(people.index) == {"Páo", "Hùng", "Lan"}
    assert people.loc["Lan", "sources"] == [stable_id("ring.csv", "Lan", prefix="M-")]
    rec = result.reconciliation.iloc[0]
    assert (rec["read"], rec["loaded"], rec["quarantined"]) == (2, 2, 0)  # one tie, one lone person


def test_symmetric_matrix_is_read_once(tmp_path):
    path = tmp_path / "sym.csv"
    path.write_text(",a,b,c\na,0,1,0\nb,1,0,2\nc,0,2,0\n", encoding="utf-8")
    assert len(read_matrix(path)) == 2
    assert len(read_matrix(path, undirected=False)) == 4


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (",a,b\na,0,1\n", r"not square: 1 rows and 2 columns"),
        (",a,b\na,0,1\nc,1,0\n", r"row 3 is labelled 'c' but column 3 is 'b'"),
        (
            ",a,b\na,0,x\nb,1,0\n",
            r"row 2 \('a'\), column 3 \('b'\): 'x' is not a non-negative number",
        ),
    ],
)
def test_bad_matrices(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_matrix(path)
