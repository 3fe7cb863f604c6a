"""GraphML and GEXF files for Gephi (and yEd, Cytoscape): the person graph or the stored graph.

NetworkX writes both formats; they hold strings, numbers and booleans only, so list values are
joined with ``"; "``, dicts (a tie's ``kinds``, a person's ``roles``) become JSON text, dates
ISO text, and missing values are left out.

Examples
--------
>>> import networkx as nx, tempfile
>>> G = nx.Graph()
>>> G.add_edge("P-1", "P-2", weight=2.0, kinds={"call": 2}, sources=["c1", "c2"])
>>> path = write_graph(G, tempfile.mkdtemp() + "/people.graphml")
>>> H = nx.read_graphml(path)
>>> H.edges["P-1", "P-2"]["sources"], H.edges["P-1", "P-2"]["kinds"]
('c1; c2', '{"call": 2}')
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import networkx as nx
import pandas as pd

from netintel.errors import InputError
from netintel.outputs import atomic_write, check_output
from netintel.schema import Schema
from netintel.store import cypher
from netintel.store.base import GraphStore

FORMATS = ("graphml", "gexf")
LIST_SEPARATOR = "; "


def _flat(value: object) -> str | int | float | bool | None:
    """One attribute value as a type GraphML/GEXF can hold (None: leave the attribute out)."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, list | tuple | set):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _flat(value.tolist())
    if isinstance(value, pd.Timestamp | dt.date):
        return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()
    return str(value)


def flatten_attributes(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose node, edge and graph attributes GraphML and GEXF can hold."""
    H = G.__class__()
    H.graph.update({k: v for k, v in ((k, _flat(v)) for k, v in G.graph.items()) if v is not None})
    for u, data in G.nodes(data=True):
        H.add_node(u, **{k: f for k, v in data.items() if (f := _flat(v)) is not None})
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for *ends, data in edges:
        attrs = {k: f for k, v in data.items() if (f := _flat(v)) is not None}
        H.add_edge(*ends, **attrs)
    return H


def write_graph(G: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``G`` as GraphML or GEXF (by ``fmt`` or the file extension); return the path.

    Raises
    ------
    InputError
        If the format is neither graphml nor gexf.
    OutputError
        If the file cannot be written.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise InputError(f"{path}: unknown graph format {fmt!r}; use graphml or gexf")
    check_output(path)
    H = flatten_attributes(G)
    write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    with atomic_write(path) as tmp:
        write(H, tmp)
    return path


def stored_graph(store: GraphStore, schema: Schema | None = None) -> nx.MultiDiGraph:
    """Every stored node and relationship as a MultiDiGraph.

    Nodes are keyed ``"<Label>:<id>"`` with attribute ``label``; edges carry ``type`` and
    their properties, keyed by the relationship id.
    """
    schema = schema or store.schema
    G = nx.MultiDiGraph()
    for label in schema.nodes:
        frame = store.query(cypher.node_rows(schema, label))
        for row in frame.to_dict("records"):
            G.add_node(f"{label}:{row['id']}", label=label, **row)
    for rel_type, rel in schema.relationships.items():
        for a, b in rel.endpoints:
            frame = store.query(cypher.edge_rows(schema, rel_type, a, b))
            for row in frame.to_dict("records"):
                start, end = row.pop("start_id"), row.pop("end_id")
                G.add_edge(f"{a}:{start}", f"{b}:{end}", key=row[rel.key], type=rel_type, **row)
    return G
