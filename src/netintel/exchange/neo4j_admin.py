"""Bulk export for ``neo4j-admin database import``, and netintel's own importer of it.

:func:`export_neo4j_admin` writes one CSV per label (``nodes_<Label>.csv``) and one per
relationship type and endpoint pair (``rels_<TYPE>_<From>_<To>.csv``) with the header format
of ``neo4j-admin database import``:

- node files: ``id:ID(<Label>)`` (each label its own id space, so keys only need to be unique
  within a label, as in the schema), one ``name:type`` column per declared property, and
  ``:LABEL``;
- relationship files: ``:START_ID(<From>)``, ``:END_ID(<To>)``, the properties (the
  relationship key ``id`` included), and ``:TYPE``.

Types: STRING ``string``, INT64 ``long``, DOUBLE ``double``, BOOL ``boolean``, DATE ``date``
(ISO ``YYYY-MM-DD``), STRING[] ``string[]``, elements joined by the array delimiter (``;`` by
default, ``--array-delimiter`` of neo4j-admin). An export refuses a list element that contains
the delimiter, since neo4j-admin would split it; choose another delimiter then. Missing values
are empty fields (no property); netintel's stores hold no empty list or empty text, which
neo4j-admin could not tell from a missing value. Values spanning lines are quoted, and the
command then says ``--multiline-fields=true``. The folder also gets ``schema.cypher`` (the
constraints and indexes, to run once after the import), ``manifest.json`` (files and row
counts) and a ``README.md`` with the exact import command, which Neo4j 5.26's own tool runs
as printed (tests/store/test_neo4j_live.py loads an export into a fresh server with it).

:func:`import_neo4j_admin` reads such a folder back into any store through
:meth:`GraphStore.write`, so a round trip through the files gives the same graph.

Examples
--------
>>> import tempfile, pandas as pd
>>> from netintel.batch import GraphBatch
>>> from netintel.store.embedded import EmbeddedStore
>>> folder = tempfile.mkdtemp()
>>> b = GraphBatch()
>>> b.add_nodes("Phone", pd.DataFrame({"id": ["+8491", "+85620"], "sources": [["c1"], ["c1"]]}))
>>> b.add_edges("CALLED", "Phone", "Phone", pd.DataFrame(
...     {"from": ["+8491"], "to": ["+85620"], "id": ["R-1"], "count": [3], "sources": [["c1"]]}))
>>> with EmbeddedStore(folder + "/a.db") as store:
...     _ = store.write(b)
...     export = export_neo4j_admin(store, folder + "/csv")
>>> print(export.relationship_files["CALLED", "Phone", "Phone"].read_text().splitlines()[0])
:START_ID(Phone),:END_ID(Phone),id:string,count:long,duration_s:double,source_ref:string,sources:string[],first_seen:date,last_seen:date,:TYPE
>>> with EmbeddedStore(folder + "/b.db") as store:
...     _ = import_neo4j_admin(folder + "/csv", store)
...     store.counts()["CALLED"] == export.counts["CALLED"] == 1
True
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netintel.batch import GraphBatch
from netintel.errors import InputError, OutputError, SchemaError
from netintel.outputs import atomic_write, check_output
from netintel.report.disclosure import Disclosure
from netintel.schema import Schema
from netintel.store import cypher
from netintel.store.base import GraphStore, Progress, WriteSummary

log = logging.getLogger(__name__)

#: Schema type -> neo4j-admin header type.
ADMIN_TYPES = {
    "STRING": "string",
    "INT64": "long",
    "DOUBLE": "double",
    "BOOL": "boolean",
    "DATE": "date",
    "STRING[]": "string[]",
}
_FROM_ADMIN = {v: k for k, v in ADMIN_TYPES.items()}
DEFAULT_ARRAY_DELIMITER = ";"
_ID_COLUMN = re.compile(r"^(?P<prop>\w*):(?P<kind>ID|START_ID|END_ID)\((?P<space>\w+)\)$")


@dataclass
class AdminExport:
    """What :func:`export_neo4j_admin` wrote."""

    folder: Path
    node_files: dict[str, Path] = field(default_factory=dict)
    relationship_files: dict[tuple[str, str, str], Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    command: str = ""
    #: Files with a value that spans lines (``--multiline-fields`` is needed for them).
    multiline_files: list[Path] = field(default_factory=list)


def _cell(value: object, typ: str, delimiter: str, where: str) -> str | None:
    if typ == "STRING[]":
        if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
            return None
        items = [str(v) for v in value]
        for item in items:
            if delimiter in item:
                raise InputError(
                    f"{where}: the list value {item!r} contains the array delimiter "
                    f"{delimiter!r}; export with another --array-delimiter"
                )
        return delimiter.join(items)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if typ == "DATE":
        return pd.Timestamp(value).date().isoformat()
    if typ == "BOOL":
        return "true" if value else "false"
    if typ == "INT64":
        return str(int(value))
    return str(value)


def _write_csv(
    path: Path, header: list[str], rows: Iterator[list[str | None]], export: AdminExport
) -> int:
    """Write one file; note it in ``export.multiline_files`` if a value spans lines."""
    n = 0
    multiline = False
    with atomic_write(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            cells = ["" if v is None else v for v in row]
            multiline = multiline or any("\n" in v or "\r" in v for v in cells)
            writer.writerow(cells)
            n += 1
    if multiline:
        export.multiline_files.append(path)
    return n


def admin_command(export: AdminExport, *, database: str = "neo4j", delimiter: str = ";") -> str:
    """The ``neo4j-admin database import full`` command for an export folder.

    The import report goes into the folder (not the directory the command runs in), and
    ``--multiline-fields=true``, which slows the importer down, is given only when a value
    spans lines.
    """
    folder = export.folder.resolve()
    parts = [f"--nodes={folder / p.name}" for p in export.node_files.values()]
    parts += [f"--relationships={folder / p.name}" for p in export.relationship_files.values()]
    parts += [f"--array-delimiter={delimiter}"]
    if export.multiline_files:
        parts += ["--multiline-fields=true"]
    parts += [f"--report-file={folder / 'import.report'}", database]
    return " \\\n  ".join(["neo4j-admin database import full", *map(shlex.quote, parts)])


def export_neo4j_admin(
    store: GraphStore,
    folder: str | Path,
    *,
    array_delimiter: str = DEFAULT_ARRAY_DELIMITER,
    database: str = "neo4j",
    progress: Progress | None = None,
    disclosure: Disclosure | None = None,
) -> AdminExport:
    """Write every node and relationship of ``store`` as neo4j-admin import CSVs.

    Parameters
    ----------
    store : GraphStore
        Read with the portable queries of :mod:`netintel.store.cypher` (either backend).
    folder : path
        Created if missing; existing export files in it are replaced.
    array_delimiter : str
        One character joining list elements (neo4j-admin ``--array-delimiter``).
    database : str
        The database name used in the printed import command.
    disclosure : Disclosure, optional
        What may leave (:class:`~netintel.report.disclosure.Disclosure`): restricted records
        withheld, identifiers pseudonymised. Default: everything, as stored.

    Returns
    -------
    AdminExport
        Files written, rows per label and type, and the import command (also in README.md).

    Raises
    ------
    InputError
        If ``array_delimiter`` is not one character other than ``,`` and ``"``, or a list
        element contains it.
    OutputError
        If the folder or a file in it cannot be written.
    """
    _check_delimiter(array_delimiter)
    try:
        check_output(folder, folder=True)
    except OutputError as e:
        raise OutputError(f"cannot write the neo4j-admin export to {folder}: {e}") from None
    try:
        return _export(store, Path(folder), array_delimiter, database, progress, disclosure)
    except OSError as e:
        raise OutputError(f"cannot write the neo4j-admin export to {folder}: {e}") from e


def _check_delimiter(delimiter: object) -> None:
    """Raise :class:`InputError` unless ``delimiter`` is one character other than ``,``,
    ``"`` and a line break (neo4j-admin's ``--array-delimiter``)."""
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in {",", '"', "\n"}:
        raise InputError(
            f"array delimiter {delimiter!r}: use one character other than ',' and '\"'"
        )


def _export(
    store: GraphStore,
    folder: Path,
    array_delimiter: str,
    database: str,
    progress: Progress | None,
    disclosure: Disclosure | None = None,
) -> AdminExport:
    schema = store.schema
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    export = AdminExport(folder)
    for label, node in schema.nodes.items():
        frame = store.query(cypher.node_rows(schema, label))
        if disclosure is not None:
            frame = disclosure.nodes(label, frame)
        props = [p for p in node.properties if p != node.key]
        header = [f"{node.key}:ID({label})"]
        header += [f"{p}:{ADMIN_TYPES[node.properties[p]]}" for p in props]
        header += [":LABEL"]
        where = f"{label}"
        columns = {p: frame[p].to_numpy(dtype=object) for p in node.properties}

        def rows(
            n: int = len(frame),
            columns: dict = columns,
            props: list = props,
            node=node,
            where=where,
        ) -> Iterator[list[str | None]]:
            for i in range(n):
                yield [
                    str(columns[node.key][i]),
                    *(
                        _cell(columns[p][i], node.properties[p], array_delimiter, where)
                        for p in props
                    ),
                    node.label,
                ]

        path = folder / f"nodes_{label}.csv"
        export.counts[label] = _write_csv(path, header, rows(), export)
        export.node_files[label] = path
        if progress:
            progress(label, export.counts[label])
    for rel_type, rel in schema.relationships.items():
        export.counts[rel_type] = 0
        for a, b in rel.endpoints:
            frame = store.query(cypher.edge_rows(schema, rel_type, a, b))
            if disclosure is not None:
                frame = disclosure.edges(a, b, frame)
            header = [f":START_ID({a})", f":END_ID({b})"]
            header += [f"{p}:{ADMIN_TYPES[t]}" for p, t in rel.properties.items()]
            header += [":TYPE"]
            columns = {p: frame[p].to_numpy(dtype=object) for p in rel.properties}
            starts, ends = frame["start_id"].tolist(), frame["end_id"].tolist()
            where = f"{rel_type} ({a})->({b})"

            def rel_rows(
                starts: list = starts,
                ends: list = ends,
                columns: dict = columns,
                rel=rel,
                where=where,
            ) -> Iterator[list[str | None]]:
                for i in range(len(starts)):
                    yield [
                        str(starts[i]),
                        str(ends[i]),
                        *(
                            _cell(columns[p][i], t, array_delimiter, where)
                            for p, t in rel.properties.items()
                        ),
                        rel.type,
                    ]

            path = folder / f"rels_{rel_type}_{a}_{b}.csv"
            n = _write_csv(path, header, rel_rows(), export)
            export.counts[rel_type] += n
            export.relationship_files[(rel_type, a, b)] = path
            if progress:
                progress(rel_type, n)
    export.command = admin_command(export, database=database, delimiter=array_delimiter)
    _write_side_files(export, schema, array_delimiter, database)
    return export


def _write_side_files(export: AdminExport, schema: Schema, delimiter: str, database: str) -> None:
    from netintel.store.neo4j import render_schema

    folder = export.folder
    _write_text(folder / "schema.cypher", "".join(s + ";\n" for s in render_schema(schema)))
    manifest = {
        "format": "neo4j-admin",
        "array_delimiter": delimiter,
        "nodes": {k: p.name for k, p in export.node_files.items()},
        "relationships": [
            {"type": t, "from": a, "to": b, "file": p.name}
            for (t, a, b), p in export.relationship_files.items()
        ],
        "counts": export.counts,
    }
    _write_text(folder / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    total_nodes = sum(export.counts[label] for label in export.node_files)
    total_rels = sum(export.counts[t] for t in schema.relationships)
    readme = f"""# netintel export for neo4j-admin

{total_nodes:,} nodes and {total_rels:,} relationships, one CSV per label
(`nodes_<Label>.csv`) and per relationship type and endpoint pair
(`rels_<TYPE>_<From>_<To>.csv`), headers in the `neo4j-admin database import` format.
List properties (`sources`, `aliases`, ...) are `string[]` joined with `{delimiter}`;
dates are `date` (YYYY-MM-DD); empty fields are missing properties.

## Import into Neo4j 5 (the database must not exist yet; stop it if it does)

```
{export.command}
```

Paths are absolute as written; copy the folder to the server and adjust them if the import
runs elsewhere. The tool's report goes to `import.report` in this folder. Then create the
database (Enterprise: `CREATE DATABASE {database}`; Community, which serves one database:
import it as `neo4j`, the default, or on a new server set
`initial.dbms.default_database={database}` in neo4j.conf before its first start), and
create netintel's constraints and indexes once:

```
cypher-shell -d {database} -f schema.cypher
```

## Back into netintel

```
netintel import --format neo4j-admin {folder} --db case.db
```
"""
    _write_text(folder / "README.md", readme)


def _write_text(path: Path, text: str) -> None:
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


# -- import -----------------------------------------------------------------------------------
def _parse_value(text: str | None, typ: str, delimiter: str) -> object:
    if text is None or text == "":
        return None
    if typ == "STRING[]":
        return text.split(delimiter)
    if typ == "DATE":
        return dt.date.fromisoformat(text[:10])
    if typ == "INT64":
        return int(text)
    if typ == "DOUBLE":
        return float(text)
    if typ == "BOOL":
        return text.strip().lower() == "true"
    return text


def _columns(path: Path, header: list[str]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Header -> {column: (property, schema type)} and the special columns."""
    props: dict[str, tuple[str, str]] = {}
    special: dict[str, str] = {}
    for col in header:
        m = _ID_COLUMN.match(col)
        if m:
            special[m["kind"]] = col
            special[m["kind"] + "_space"] = m["space"]
            if m["kind"] == "ID":
                props[col] = (m["prop"] or "id", "STRING")
        elif col in (":LABEL", ":TYPE"):
            special[col] = col
        else:
            name, _, typ = col.partition(":")
            if typ.lower() not in _FROM_ADMIN:
                raise InputError(
                    f"{path.name}: column {col!r} has type {typ!r}; expected one of "
                    f"{', '.join(sorted(_FROM_ADMIN))}"
                )
            props[col] = (name, _FROM_ADMIN[typ.lower()])
    return props, special


def import_neo4j_admin(
    folder: str | Path,
    store: GraphStore,
    *,
    array_delimiter: str | None = None,
    chunk_rows: int = 500_000,
    progress: Progress | None = None,
) -> WriteSummary:
    """Load a neo4j-admin CSV folder (as :func:`export_neo4j_admin` writes it) into ``store``.

    Node files are the ``nodes_*.csv`` files, relationship files the ``rels_*.csv`` files;
    labels, types and properties are read from the headers and checked against the schema.
    Nodes are written before relationships, in chunks of ``chunk_rows``; loading the same
    folder twice changes nothing.

    Raises
    ------
    InputError
        If the folder holds no such files, the manifest or a file cannot be read, a header
        is not in the neo4j-admin format, a value is not of its column's type, or the array
        delimiter is not one character other than ``,`` and ``"``.
    SchemaError
        If a file names a label, type or property the schema does not declare.
    """
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if array_delimiter is None:
        array_delimiter = DEFAULT_ARRAY_DELIMITER
        if manifest_path.is_file():
            array_delimiter = _manifest(manifest_path).get(
                "array_delimiter", DEFAULT_ARRAY_DELIMITER
            )
    _check_delimiter(array_delimiter)
    node_files = sorted(folder.glob("nodes_*.csv"))
    rel_files = sorted(folder.glob("rels_*.csv"))
    if not node_files and not rel_files:
        raise InputError(f"{folder}: no nodes_*.csv or rels_*.csv files (neo4j-admin export)")
    summary = WriteSummary()
    for path in [*node_files, *rel_files]:
        for batch in _read_file(path, store.schema, array_delimiter, chunk_rows):
            part = store.write(batch, progress=progress)
            for name in {*part.created, *part.updated}:
                summary.add(name, part.created.get(name, 0), part.updated.get(name, 0))
    return summary


def _manifest(path: Path) -> dict:
    """The export's ``manifest.json``."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    if not isinstance(manifest, dict):
        raise InputError(f"{path}: expected a JSON object")
    return manifest


def _read_file(path: Path, schema: Schema, delimiter: str, chunk_rows: int) -> Iterator[GraphBatch]:
    try:
        yield from _read_chunks(path, schema, delimiter, chunk_rows)
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {path}: {e}") from e


def _read_chunks(
    path: Path, schema: Schema, delimiter: str, chunk_rows: int
) -> Iterator[GraphBatch]:
    try:
        header = next(csv.reader(path.open(encoding="utf-8", newline="")))
    except (OSError, StopIteration, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    props, special = _columns(path, header)
    is_node = "ID" in special
    if not is_node and not ("START_ID" in special and "END_ID" in special):
        raise InputError(
            f"{path.name}: a neo4j-admin file needs an :ID column (nodes) or "
            ":START_ID and :END_ID columns (relationships)"
        )
    reader = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        chunksize=chunk_rows,
        encoding="utf-8",
    )
    for chunk in reader:
        chunk = chunk.astype(object).where(chunk.notna(), None)
        batch = GraphBatch()
        if is_node:
            label_col = special.get(":LABEL")
            labels = (
                chunk[label_col] if label_col else pd.Series(special["ID_space"], index=chunk.index)
            )
            for label, rows in chunk.groupby(labels, sort=True):
                node = schema.node(str(label))
                batch.add_nodes(node.label, _frame(rows, props, node.properties, path, delimiter))
        else:
            a, b = special["START_ID_space"], special["END_ID_space"]
            type_col = special.get(":TYPE")
            if type_col is None:
                raise InputError(f"{path.name}: no :TYPE column")
            for rel_type, rows in chunk.groupby(chunk[type_col], sort=True):
                rel = schema.check_endpoints(str(rel_type), a, b)
                frame = _frame(rows, props, rel.properties, path, delimiter)
                frame.insert(0, "to", rows[special["END_ID"]].to_numpy())
                frame.insert(0, "from", rows[special["START_ID"]].to_numpy())
                batch.add_edges(rel.type, a, b, frame)
        yield batch


def _frame(
    rows: pd.DataFrame,
    props: dict[str, tuple[str, str]],
    declared: dict[str, str],
    path: Path,
    delimiter: str,
) -> pd.DataFrame:
    out = {}
    for col, (name, typ) in props.items():
        if name not in declared:
            raise SchemaError(f"{path.name}: property {name!r} is not declared in the schema")
        typ = declared[name] if typ == "STRING" and col.endswith(")") else typ
        values = rows[col].tolist()
        try:
            out[name] = [_parse_value(v, typ, delimiter) for v in values]
        except ValueError:
            bad = next(v for v in values if not _parses(v, typ, delimiter))
            raise InputError(
                f"{path.name}: column {col!r} holds {bad!r}, which is not a {typ} value"
            ) from None
    return pd.DataFrame(out)


def _parses(text: str | None, typ: str, delimiter: str) -> bool:
    try:
        _parse_value(text, typ, delimiter)
    except ValueError:
        return False
    return True
