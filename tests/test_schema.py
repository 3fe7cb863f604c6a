"""The schema loader: every way a schema file can be wrong is named, with the file."""

from __future__ import annotations

import pytest

from netintel.errors import SchemaError
from netintel.schema import load_schema, parse_schema

PERSON = {"Person": {"properties": {"name": "STRING"}}}
KNOWS = {"KNOWS": {"endpoints": [["Person", "Person"]]}}


def test_a_valid_document_parses():
    schema = parse_schema({"nodes": PERSON, "relationships": KNOWS})
    assert schema.relationships["KNOWS"].endpoints == (("Person", "Person"),)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"nodes": ["Person"], "relationships": KNOWS}, "s.yaml: nodes must be a mapping"),
        ({"nodes": {"Person": "x"}, "relationships": {}}, "s.yaml: node Person must be a mapping"),
        ({"nodes": PERSON, "relationships": {"KNOWS": 1}}, "relationship KNOWS must be a mapping"),
        (
            {"nodes": PERSON, "relationships": {"KNOWS": {"endpoints": [[["Person"], "Person"]]}}},
            r"s.yaml: KNOWS endpoint names undeclared label \['Person'\]",
        ),
        ({"version": "two", "nodes": PERSON, "relationships": KNOWS}, "version 'two'"),
        ({"nodes": PERSON}, "s.yaml: expected top-level 'nodes' and 'relationships'"),
    ],
)
def test_a_bad_document_is_named(doc, message):
    with pytest.raises(SchemaError, match=message):
        parse_schema(doc, origin="s.yaml")


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_bytes(b"nodes: {P\xe9rson: {}}\n")
    with pytest.raises(SchemaError, match=r"cannot read schema .*schema.yaml"):
        load_schema(path)
