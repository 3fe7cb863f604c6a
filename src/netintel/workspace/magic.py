"""Cypher in a notebook: the ``%%cypher`` cell magic and the ``%cypher`` line magic.

``%load_ext netintel`` loads them. They run on the workspace opened last
(``ws = netintel.open(...)``), or on the one a notebook variable holds (``-w ws``)::

    %%cypher
    MATCH (p:Person)-[:USES]->(f:Phone) WHERE f.region = $region
    RETURN p, f.id AS phone

``$region`` is a Cypher parameter whose value is the notebook variable ``region`` (values are
never pasted into the query text). A result that holds Person nodes (or paths through people)
is shown as the network view of those people (:func:`netintel.report.view.network_view`);
any other result is a DataFrame. Either way the table is also kept in the notebook variable
named by ``-o`` (default ``cypher_result``).

People are resolved people: each Person node of a result becomes its resolved person
(``<column>`` the person id, ``<column>_name`` their name) and repeated rows are dropped;
``--records`` keeps the stored record-level Person nodes (see :mod:`netintel.workspace.schema`).

Options: ``-w NAME`` the workspace variable; ``-o NAME`` the variable to keep the table in;
``--table`` a table even when people are returned; ``--records`` record-level people;
``--write`` allow a query that changes the graph; ``--top N`` people drawn at most.

Every query is on the workspace's audit log, as ``ws.cypher`` is.
"""

from __future__ import annotations

import argparse
import re
import shlex
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from netintel.errors import InputError

if TYPE_CHECKING:
    from netintel.workspace import Workspace

__all__ = ["cypher_magic", "load_ipython_extension", "parameters_of", "remember", "resolve_people"]

_last: weakref.ReferenceType[Workspace] | None = None

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*")


def remember(ws: Workspace) -> None:
    """Note ``ws`` as the workspace opened last (:class:`~netintel.workspace.Workspace` calls it)."""
    global _last
    _last = weakref.ref(ws)


def parameters_of(query: str) -> list[str]:
    """The ``$parameters`` a Cypher text uses (not those inside strings or comments).

    >>> parameters_of("MATCH (p:Person {id: $id}) WHERE p.name <> '$x' RETURN $limit // $y")
    ['id', 'limit']
    """
    return list(dict.fromkeys(_PARAM.findall(_STRING.sub("", query))))


def _plain(value: Any) -> Any:
    """A notebook value as a Cypher parameter (numpy and pandas values as Python ones)."""
    if isinstance(value, pd.Series | pd.Index | np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _is_person(value: Any) -> bool:
    return isinstance(value, Mapping) and (
        value.get("_LABEL") == "Person" or ("resolved_id" in value and "name_key" in value)
    )


def resolve_people(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with each column of Person nodes turned into resolved people: the column
    holds the resolved person id, ``<column>_name`` their name (``names``: id -> name); rows
    that repeat once record-level people are merged are dropped.

    >>> rows = pd.DataFrame({"p": [{"_LABEL": "Person", "id": "P-2", "resolved_id": "P-1"},
    ...                            {"_LABEL": "Person", "id": "P-1", "resolved_id": "P-1"}]})
    >>> resolve_people(rows, {"P-1": "Lê Xuân Hải"}).to_dict("records")
    [{'p': 'P-1', 'p_name': 'Lê Xuân Hải'}]
    """
    out = frame.copy()
    changed = False
    for column in person_columns(frame):
        values = frame[column]
        ids = [(v.get("resolved_id") or v.get("id")) if v else None for v in values]
        at = out.columns.get_loc(column) + 1
        out[column] = ids
        out.insert(at, f"{column}_name", [names.get(i, "") if i else "" for i in ids])
        changed = True
    if changed:  # rows equal in every value (lists and nodes compared as text) repeat
        out = out[~out.astype(str).duplicated()].reset_index(drop=True)
    return out


def person_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a Cypher result that hold Person nodes."""
    return [
        c
        for c in frame.columns
        if len(frame)
        and all(_is_person(v) or v is None for v in frame[c])
        and any(_is_person(v) for v in frame[c])
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%%cypher", add_help=False, exit_on_error=False)
    parser.add_argument("-w", "--workspace", default=None)
    parser.add_argument("-o", "--out", default="cypher_result")
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--records", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--top", type=int, default=None)
    return parser


def _workspace(name: str | None, namespace: Mapping[str, Any]) -> Workspace:
    from netintel.workspace import Workspace

    if name is not None:
        ws = namespace.get(name)
        if not isinstance(ws, Workspace):
            raise InputError(f"-w {name}: the notebook has no workspace named {name!r}")
        return ws
    ws = _last() if _last is not None else None
    if ws is None:
        raise InputError("no workspace is open: ws = netintel.open('case.db') first, or -w NAME")
    return ws


def cypher_magic(line: str, cell: str | None, namespace: dict[str, Any]) -> Any:
    """Run the magic: ``line`` holds the options (and, for ``%cypher``, the query after
    them), ``cell`` the query of ``%%cypher``; ``namespace`` is the notebook's variables.

    Returns the network view of the people a result holds, or the result as a DataFrame.

    Raises
    ------
    InputError
        An unknown option, no open workspace, a ``$parameter`` the notebook has no variable
        for, an empty query.
    """
    words = shlex.split(line)
    options: list[str] = []
    while words and words[0].startswith("-"):
        options.append(words.pop(0))
        if options[-1] in ("-w", "--workspace", "-o", "--out", "--top") and words:
            options.append(words.pop(0))
    try:
        args = _parser().parse_args(options)
    except (argparse.ArgumentError, SystemExit) as e:
        raise InputError(
            f"%%cypher {line.strip()!r}: {e}; options are -w NAME, -o NAME, --table, "
            "--records, --write, --top N"
        ) from None
    query = cell if cell is not None else " ".join(words)
    if cell is not None and words:
        raise InputError(f"%%cypher: the query goes in the cell, not after the options: {words}")
    if not query.strip():
        raise InputError("%%cypher: no query")
    ws = _workspace(args.workspace, namespace)
    wanted = parameters_of(query)
    missing = [p for p in wanted if p not in namespace]
    if missing:
        raise InputError(
            f"%%cypher: no notebook variable for ${', $'.join(missing)} (set {missing[0]} = ... first)"
        )
    params = {p: _plain(namespace[p]) for p in wanted}
    result = ws.cypher(query, write=args.write, **params)
    people = [] if args.table else _people(result)
    if not args.records and person_columns(result):
        import networkx as nx

        result = resolve_people(result, nx.get_node_attributes(ws.graph(), "name"))
    namespace[args.out] = result
    if people:
        return ws.show(people=people, max_people=args.top, title="Cypher result")
    return result


def _people(frame: pd.DataFrame) -> list[str]:
    from netintel.workspace.view import person_ids_in

    if "person_id" in frame.columns:
        return []  # a table of people the query computed: keep it a table
    return person_ids_in(frame)


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%cypher`` and ``%%cypher`` (``%load_ext netintel``)."""

    from IPython.core.magic import no_var_expand

    @no_var_expand  # $name is a Cypher parameter, not text for IPython to paste in
    def cypher(line: str, cell: str | None = None) -> Any:
        return cypher_magic(line, cell, ipython.user_ns)

    cypher.__doc__ = __doc__
    ipython.register_magic_function(cypher, magic_kind="line_cell", magic_name="cypher")
