"""GraphML and GEXF files for Gephi (and yEd, Cytoscape) that carry the analysis.

Two graphs can leave: the person-to-person graph (:func:`annotate_people` adds what the
analysis found about each person) or the stored graph (:func:`stored_graph`: every node and
relationship). :func:`write_graph` writes either as GraphML or GEXF 1.3 by these rules:

- **Labels are names.** A node's label is its ``name`` (a person's, pseudonymised when the
  disclosure pseudonymises), else its id; the id stays the node's id. A stored node's schema
  label (Person, Phone, Seizure) is the attribute ``category``, its stored id ``node_id``
  (a stored relationship's id: ``edge_id``).
- **The analysis travels as node attributes**: ``rank``, ``score``, ``ring``, ``roles``
  (role names, most recorded first), ``country`` (nationality), the measures ``degree``,
  ``strength``, ``betweenness``, ``pagerank``, ``eigenvector``, ``kcore``, ``seizure_kg``,
  and the record ids behind each node and edge (``sources``).
- **Relationship kinds have their own attributes**: ``relationship`` (a tie's main kind, or
  the stored relationship type such as ``CALLED``), ``kinds`` (every kind) and ``kind_counts``
  (``call x3;meeting x1``). GEXF's edge ``type`` is reserved for directed/undirected and is
  never used for them.
- **Dates are GEXF time spells**: nodes and edges seen between ``first_seen`` and
  ``last_seen`` get ``start`` and ``end`` (dynamic mode, ``timeformat="date"``), so Gephi's
  timeline plays the network forward; a node's spell covers its ties'. GraphML keeps the
  dates as ``first_seen``/``last_seen`` attributes (GEXF too, for static filters).
- Lists are joined with ``;`` (as in every table), count maps written ``kind xN``; values
  GraphML and GEXF cannot hold are left out. An attribute whose values mix whole numbers and
  decimals is written as decimals, so its declared type fits every value.

The GEXF is version 1.3 (``http://gexf.net/1.3``) and valid against its XSD (the test suite
checks it with ``xmlschema``); NetworkX reads both formats back (``nx.read_gexf``).

Examples
--------
>>> import networkx as nx, tempfile
>>> G = nx.Graph()
>>> G.add_node("P-1", name="Lò Văn Thành", roles={"organizer": 2})
>>> G.add_node("P-2", name="Vang Pao")
>>> G.add_edge("P-1", "P-2", weight=2.0, kinds={"call": 2}, sources=["c1", "c2"],
...            first_seen="2023-01-05", last_seen="2023-03-01")
>>> path = write_graph(G, tempfile.mkdtemp() + "/people.gexf")
>>> H = nx.read_gexf(path)
>>> H.nodes["P-1"]["label"], H.nodes["P-1"]["roles"], H.nodes["P-1"]["start"]
('Lò Văn Thành', 'organizer', '2023-01-05')
>>> e = H.edges["P-1", "P-2"]
>>> e["relationship"], e["sources"], e["start"], e["end"]
('call', 'c1;c2', '2023-01-05', '2023-03-01')
"""

from __future__ import annotations

import datetime as dt
import io
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd

from netintel.errors import InputError
from netintel.outputs import LIST_SEPARATOR, atomic_write, check_output
from netintel.schema import Schema
from netintel.store import cypher
from netintel.store.base import GraphStore

FORMATS = ("graphml", "gexf")
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: What the target list adds to each person of the graph (:func:`annotate_people`).
ANALYSIS = (
    "rank", "score", "ring", "degree", "strength", "betweenness", "pagerank", "eigenvector",
    "kcore", "seizure_kg", "evidence_count",
)  # fmt: skip
#: Attribute names GEXF/NetworkX reserve (the node's label, id, spells; the edge's type).
_RESERVED = ("label", "id", "type", "start", "end", "pid", "viz", "spells")


def _flat(value: object) -> str | int | float | bool | None:
    """One attribute value as a type GraphML/GEXF can hold (None: leave the attribute out)."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return LIST_SEPARATOR.join(f"{k} x{n}" for k, n in _by_count(value)) or None
    if isinstance(value, list | tuple | set | frozenset):
        if not value:
            return None
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return LIST_SEPARATOR.join(str(v) for v in items)
    if isinstance(value, pd.Timestamp | dt.date):
        return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _flat(value.tolist())
    return str(value)


def _by_count(counts: dict) -> list[tuple[str, object]]:
    """A count map's items, most counted first, then by name."""
    return sorted(((str(k), n) for k, n in counts.items()), key=lambda kv: (-_num(kv[1]), kv[0]))


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _date(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        return pd.Timestamp(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def flatten_attributes(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose node, edge and graph attributes GraphML and GEXF can hold, with
    one type per attribute name (whole numbers become decimals where decimals also occur)."""
    H = G.__class__()
    H.graph.update({k: v for k, v in ((k, _flat(v)) for k, v in G.graph.items()) if v is not None})
    for u, data in G.nodes(data=True):
        H.add_node(u, **{k: f for k, v in data.items() if (f := _flat(v)) is not None})
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for *ends, data in edges:
        H.add_edge(*ends, **{k: f for k, v in data.items() if (f := _flat(v)) is not None})
    _one_type(H.nodes[n] for n in H)
    _one_type(
        d for *_, d in (H.edges(keys=True, data=True) if H.is_multigraph() else H.edges(data=True))
    )
    return H


def _one_type(records) -> None:
    """Give every attribute name one type across ``records``: mixed int/float become float,
    anything mixed with text becomes text."""
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for data in records:
        for k, v in data.items():
            kinds.setdefault(k, set()).add(type(v))
    for name, seen in kinds.items():
        if len(seen) < 2:
            continue
        cast = float if seen <= {int, float, bool} and float in seen else str
        for data in records:
            if name in data:
                data[name] = cast(data[name])


# -- the person graph with its analysis -------------------------------------------------------
def person_rows(store: GraphStore) -> pd.DataFrame:
    """The stored people (``id, resolved_id, nationality, first_seen, last_seen, ...``)."""
    return store.query(cypher.node_rows(store.schema, "Person"))


def annotate_people(
    G: nx.Graph,
    *,
    targets: pd.DataFrame | None = None,
    people: pd.DataFrame | None = None,
) -> nx.Graph:
    """A copy of the person graph ``G`` with what the analysis found on each person.

    Parameters
    ----------
    G : networkx.Graph
        The person-to-person graph (:meth:`netintel.Workspace.graph`).
    targets : DataFrame, optional
        The target list (:func:`netintel.analysis.network.rank_targets`, all people): its
        ``rank, score, ring`` and measures become node attributes.
    people : DataFrame, optional
        Stored people (:func:`person_rows`): their nationality becomes ``country`` and their
        seen interval widens the node's ``first_seen``/``last_seen``.

    Returns
    -------
    networkx.Graph
        The same nodes and edges, nodes with ``rank``, ``score``, ``ring``, ``country``,
        the measures, ``first_seen`` and ``last_seen``; ``G`` itself is left unchanged.

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> G = nx.Graph([("P-1", "P-2")])
    >>> t = pd.DataFrame({"person_id": ["P-1", "P-2"], "rank": [1, 2], "score": [0.9, 0.4],
    ...                   "ring": [0, 0]})
    >>> p = pd.DataFrame({"id": ["P-1"], "resolved_id": ["P-1"], "nationality": ["LA"]})
    >>> H = annotate_people(G, targets=t, people=p)
    >>> H.nodes["P-1"]["rank"], H.nodes["P-1"]["country"], H.nodes["P-2"]["score"]
    (1, 'LA', 0.4)
    """
    H = G.copy()
    if targets is not None and len(targets):
        columns = [c for c in ANALYSIS if c in targets.columns]
        for row in targets[["person_id", *columns]].to_dict("records"):
            node = row.pop("person_id")
            if node in H:
                H.nodes[node].update({k: v for k, v in row.items() if _flat(v) is not None})
    if people is not None and len(people):
        frame = people.copy()
        key = frame["resolved_id"].fillna(frame["id"]) if "resolved_id" in frame else frame["id"]
        frame["_node"] = key
        for node, group in frame.groupby("_node", sort=False):
            if node not in H:
                continue
            data = H.nodes[node]
            if "nationality" in group:
                countries = sorted({str(c) for c in group["nationality"].dropna() if str(c)})
                if countries:
                    data["country"] = LIST_SEPARATOR.join(countries)
            for col, pick in (("first_seen", min), ("last_seen", max)):
                if col in group:
                    seen = [d for d in map(_date, group[col]) if d]
                    if seen:
                        data[col] = pick([*seen, *([data[col]] if _date(data.get(col)) else [])])
    return H


# -- preparing for Gephi ----------------------------------------------------------------------
def exchange_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` laid out for GraphML/GEXF by the rules of this module: names as labels,
    schema labels as ``category``, relationship kinds in ``relationship``/``kinds``/
    ``kind_counts``, roles as names, and ``start``/``end`` spells from the seen dates.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("Person:P-1", label="Person", id="P-1", name="Vang Pao")
    >>> G.add_node("Phone:+8520", label="Phone", id="+8520")
    >>> _ = G.add_edge("Person:P-1", "Phone:+8520", key="a1", type="USES", id="a1")
    >>> H = exchange_graph(G)
    >>> H.nodes["Person:P-1"]["label"], H.nodes["Person:P-1"]["category"]
    ('Vang Pao', 'Person')
    >>> data = H.get_edge_data("Person:P-1", "Phone:+8520")["a1"]
    >>> data["relationship"], "type" in data
    ('USES', False)
    """
    H = G.__class__()
    H.graph.update(G.graph)
    edges = list(G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True))
    spans: dict[object, list[str]] = {}
    for *ends, data in edges:
        for node in ends[:2]:
            spans.setdefault(node, []).extend(
                d for d in (_date(data.get("first_seen")), _date(data.get("last_seen"))) if d
            )
    for n, data in G.nodes(data=True):
        attrs = {k: v for k, v in data.items() if k not in _RESERVED}
        if "label" in data:
            attrs["category"] = data["label"]
        if "id" in data:
            attrs["node_id"] = data["id"]
        if isinstance(data.get("roles"), dict):
            attrs["roles"] = [k for k, _ in _by_count(data["roles"])]
        name = data.get("name")
        attrs["label"] = str(name) if _flat(name) not in (None, "") else str(data.get("id", n))
        seen = [d for d in (_date(data.get("first_seen")), _date(data.get("last_seen"))) if d]
        seen += spans.get(n, [])
        if seen:
            attrs["start"], attrs["end"] = min(seen), max(seen)
        H.add_node(n, **attrs)
    for *ends, data in edges:
        attrs = {k: v for k, v in data.items() if k not in _RESERVED}
        if "id" in data:
            attrs["edge_id"] = data["id"]
        kinds = data.get("kinds")
        if isinstance(kinds, dict) and kinds:
            ranked = _by_count(kinds)
            attrs["relationship"] = ranked[0][0]
            attrs["kinds"] = [k for k, _ in ranked]
            attrs["kind_counts"] = dict(ranked)
        elif "type" in data:  # a stored relationship's type
            attrs["relationship"] = data["type"]
        first, last = _date(data.get("first_seen")), _date(data.get("last_seen"))
        if first or last:
            attrs["start"], attrs["end"] = first or last, last or first
        H.add_edge(*ends, **attrs)
    return H


def write_graph(G: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``G`` as GraphML or GEXF 1.3 (by ``fmt`` or the file extension); return the path.

    The graph is laid out by :func:`exchange_graph` (labels, kinds, spells) and
    :func:`flatten_attributes` first; ``G`` is left unchanged.

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
    H = flatten_attributes(exchange_graph(G))
    with atomic_write(path) as tmp:
        if fmt == "graphml":
            nx.write_graphml(H, tmp)
        else:
            tmp.write_bytes(gexf_bytes(H))
    return path


def gexf_bytes(G: nx.Graph) -> bytes:
    """``G`` (attributes already flat) as a GEXF 1.3 document.

    NetworkX writes the elements; this fixes what its 1.3 output gets wrong against the
    schema: the XML Schema instance namespace, and a ``name`` attribute on ``<graph>``
    that GEXF 1.3 does not have.
    """
    buffer = io.BytesIO()
    nx.write_gexf(G, buffer, version="1.3", prettyprint=False)
    for prefix, uri in (("", GEXF_NS), ("viz", f"{GEXF_NS}/viz"), ("xsi", XSI_NS)):
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(buffer.getvalue())
    for key in list(root.attrib):
        if key.endswith("}schemaLocation"):
            del root.attrib[key]
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{GEXF_NS} {GEXF_NS}/gexf.xsd")
    for graph in root.iter(f"{{{GEXF_NS}}}graph"):
        graph.attrib.pop("name", None)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def stored_graph(store: GraphStore, schema: Schema | None = None) -> nx.MultiDiGraph:
    """Every stored node and relationship as a MultiDiGraph.

    Nodes are keyed ``"<Label>:<id>"`` with attribute ``label`` (the schema label); edges
    carry ``type`` (the relationship type; :func:`write_graph` writes it as
    ``relationship``) and their properties, keyed by the relationship id.
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
