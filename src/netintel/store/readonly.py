"""What a read-only Cypher query may contain, and where Cypher may touch files.

Read-only means no side effects: not on the graph, not on the host. A query given to
:meth:`GraphStore.query <netintel.store.base.GraphStore.query>` without ``write=True``
(``netintel cypher``, ``ws.query.cypher``, saved queries) is checked against an *allow-list*
of reading clauses before it reaches either store:

- ``MATCH``, ``OPTIONAL MATCH``, ``WHERE``, ``WITH``, ``RETURN``, ``UNWIND``, ``ORDER BY``,
  ``SKIP`` / ``OFFSET``, ``LIMIT``, ``UNION [ALL]``, ``EXPLAIN`` / ``PROFILE`` in front;
- subqueries (``CALL { … }``, ``CALL (x) { … }``, ``EXISTS { … }``, ``COUNT { … }``,
  ``COLLECT { … }``), themselves checked by the same rules;
- ``CALL`` of a procedure in :data:`READ_PROCEDURES` only, and Neo4j's ``SHOW INDEXES`` /
  ``SHOW CONSTRAINTS`` (schema listings).

Anything else at the position of a clause is refused with a message naming it: the writing
clauses, and everything that reads or writes host files or changes the engine
(LadybugDB's ``LOAD FROM '/etc/shadow'``, ``COPY … TO``, ``CHECKPOINT``, ``ATTACH``,
``INSTALL``, Neo4j's ``LOAD CSV``, ``CALL apoc.…`` / ``CALL dbms.…``), as is a second
statement after ``;``. A word the rules do not know is refused too: the list says what is
allowed, not what is forbidden, so a clause a future engine adds is refused until it is
listed here. The query is read by a small tokenizer that respects strings, comments and
backtick-quoted names, so ``WHERE p.name = 'DELETE'`` is a read.

Queries run with ``write=True`` may change the graph, but on the embedded store file access
from Cypher stays off unless an import folder is configured (``NETINTEL_IMPORT_FOLDER``), as
Neo4j confines ``LOAD CSV`` to its ``server.directories.import``: ``LOAD FROM`` and
``COPY … FROM/TO`` then take literal paths inside that folder only; ``IMPORT``/``EXPORT
DATABASE``, ``ATTACH`` and ``INSTALL``/``LOAD EXTENSION`` are never run from a query.

Examples
--------
>>> read_only_problem("MATCH (p:Person) WHERE p.name = 'x DELETE y' RETURN p.name AS name")
>>> read_only_problem("LOAD FROM '/etc/shadow' (header=false) RETURN *")
'LOAD'
>>> read_only_problem("MATCH (p) RETURN p; CHECKPOINT")
'a second statement'
>>> read_only_problem("CALL db.labels() YIELD label RETURN label")
>>> read_only_problem("CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value")
'CALL apoc.load.json'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from netintel.errors import ReadOnlyError

__all__ = [
    "IMPORT_FOLDER_ENV",
    "READ_PROCEDURES",
    "check_file_access",
    "check_read_only",
    "read_only_problem",
    "tokenize",
]

#: Environment variable naming the folder Cypher may read and write files in (embedded store).
IMPORT_FOLDER_ENV = "NETINTEL_IMPORT_FOLDER"

#: Clauses a read-only query may hold.
READ_CLAUSES = frozenset(
    "MATCH OPTIONAL WHERE WITH RETURN UNWIND ORDER SKIP OFFSET LIMIT UNION CALL YIELD".split()
)
#: Words that may start a read-only query (before its first clause).
_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "RETURN", "UNWIND", "CALL"})
#: Words inside expressions and clause bodies (``AS``, ``ORDER BY x DESC``, ``CASE … END``).
_EXPRESSION_WORDS = frozenset(
    """AS AND OR XOR NOT IN IS NULL TRUE FALSE DISTINCT ASC ASCENDING DESC DESCENDING BY ALL
    CASE WHEN THEN ELSE END STARTS ENDS CONTAINS ANY NONE SINGLE EXISTS COUNT COLLECT
    SHORTEST""".split()
)
#: Expression words after which an expression may end (the next word can be a clause).
_ENDING_WORDS = frozenset(
    {"NULL", "TRUE", "FALSE", "END", "ASC", "ASCENDING", "DESC", "DESCENDING"}
)
#: ``SHOW … INDEXES`` / ``SHOW … CONSTRAINTS`` (Neo4j's schema listings) may be read.
_SHOW_WHAT = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS"})
_SHOW_KINDS = frozenset(
    """ALL RANGE TEXT POINT VECTOR FULLTEXT LOOKUP UNIQUE UNIQUENESS EXISTENCE EXIST NODE REL
    RELATIONSHIP KEY PROPERTY TYPE""".split()
)
#: Words that open a subquery when followed by ``{``.
_SUBQUERY = frozenset({"CALL", "EXISTS", "COUNT", "COLLECT"})

#: Procedures a read-only query may ``CALL`` (schema listings of Neo4j and LadybugDB).
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "show_tables",
        "table_info",
        "show_connection",
        "db_version",
    }
)

#: Embedded-store clauses that touch files: allowed with write=True inside the import folder.
_FILE_CLAUSES = frozenset({"LOAD", "COPY"})
#: Never run from a query: whole-database files, other databases, engine extensions.
_NEVER = frozenset({"IMPORT", "EXPORT", "ATTACH", "INSTALL"})


@dataclass(frozen=True)
class Token:
    """One token of a Cypher text: ``kind`` is word, name (backtick-quoted), string,
    number, param or punct; ``upper`` the upper-cased text of a word."""

    kind: str
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.|'')*(?:'|\Z)|"(?:[^"\\]|\\.|"")*(?:"|\Z))
  | (?P<name>`(?:[^`]|``)*(?:`|\Z))
  | (?P<param>\$(?:\w+|`(?:[^`]|``)*`))
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>\.\.|::|<>|<=|>=|=~|->|<-|\+=|.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize(query: str) -> list[Token]:
    """The tokens of ``query`` without spaces and comments.

    >>> [t.text for t in tokenize("MATCH (p) // DELETE p\\nRETURN `DELETE`, 'x;y'")]
    ['MATCH', '(', 'p', ')', 'RETURN', '`DELETE`', ',', "'x;y'"]
    """
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            out.append(Token(kind, m.group()))
    return out


class _Refused(Exception):
    def __init__(self, what: str) -> None:
        self.what = what


_CLOSE = {"(": ")", "[": "]", "{": "}"}


def _ends_atom(prev: Token | None, before: Token | None) -> bool:
    """Whether an expression may end at ``prev`` (so a word after it is a clause)."""
    if prev is None:
        return False
    if prev.kind in ("string", "number", "param", "name"):
        return True
    if prev.kind == "word":
        if before is not None and before.text in (".", ":"):
            return True  # a property or label name
        return prev.upper not in _EXPRESSION_WORDS | READ_CLAUSES or prev.upper in _ENDING_WORDS
    if prev.text == "*":  # RETURN *, WITH *
        return before is not None and before.upper in ("RETURN", "WITH", "DISTINCT")
    return prev.text in (")", "]", "}")


def _procedure(tokens: list[Token], i: int) -> tuple[str, int]:
    """The dotted procedure name starting at ``tokens[i]`` and the index after it."""
    parts = []
    while i < len(tokens) and tokens[i].kind in ("word", "name"):
        parts.append(tokens[i].text.strip("`"))
        if i + 1 < len(tokens) and tokens[i + 1].text == ".":
            i += 2
        else:
            i += 1
            break
    return ".".join(parts), i


def _show(tokens: list[Token], i: int) -> int:
    """After ``SHOW``: Neo4j's listing of indexes or constraints only (``SHOW INDEXES``,
    ``SHOW UNIQUE CONSTRAINTS``); return the index after it."""
    while i < len(tokens) and tokens[i].upper in _SHOW_KINDS:
        i += 1
    if i < len(tokens) and tokens[i].upper in _SHOW_WHAT:
        return i + 1
    what = tokens[i].text if i < len(tokens) else ""
    raise _Refused(f"SHOW {what}".strip())


def _check(tokens: list[Token], i: int, *, sub: bool) -> int:
    """Check one query level from ``tokens[i]``; return the index after it (after its
    closing ``}`` for a subquery)."""
    depth: list[str] = []
    expect_clause = True
    while i < len(tokens):
        tok = tokens[i]
        prev = tokens[i - 1] if i > 0 else None
        before = tokens[i - 2] if i > 1 else None
        if tok.kind == "punct" and tok.text in _CLOSE.values():
            if not depth:
                if sub and tok.text == "}":
                    return i + 1
                raise _Refused(f"an unbalanced {tok.text!r}")
            if _CLOSE[depth.pop()] != tok.text:
                raise _Refused(f"an unbalanced {tok.text!r}")
            i += 1
            continue
        if tok.text == "{" and prev is not None:
            opener = prev.upper
            if prev.text == ")":  # CALL (a, b) { … }
                j, level = i - 1, 0
                while j >= 0:
                    level += {")": 1, "(": -1}.get(tokens[j].text, 0)
                    if level == 0:
                        break
                    j -= 1
                opener = tokens[j - 1].upper if j > 0 else ""
            if opener in _SUBQUERY:
                i = _check(tokens, i + 1, sub=True)
                expect_clause = False
                continue
        if tok.kind == "punct" and tok.text in _CLOSE:
            depth.append(tok.text)
            i += 1
            continue
        if depth:  # inside a pattern, list, map or call: expressions only
            i += 1
            continue
        if tok.text == ";":
            if sub or any(t.text != ";" for t in tokens[i + 1 :]):
                raise _Refused("a second statement")
            return len(tokens)
        word = tok.upper
        at_clause = expect_clause or (tok.kind == "word" and _ends_atom(prev, before))
        if at_clause:
            if tok.kind != "word":
                raise _Refused(tok.text)
            if expect_clause and prev is None and word in ("EXPLAIN", "PROFILE"):
                i += 1
                continue
            if expect_clause and word == "SHOW":
                i = _show(tokens, i + 1)
                expect_clause = False
                continue
            if expect_clause and word not in _STARTS:
                raise _Refused(word)
            if word not in READ_CLAUSES and word not in _EXPRESSION_WORDS:
                raise _Refused(word)
            expect_clause = word == "UNION"
            if word == "CALL":
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                if nxt is not None and nxt.text in ("{", "("):
                    i += 1
                    continue
                name, j = _procedure(tokens, i + 1)
                if name.lower() not in READ_PROCEDURES:
                    raise _Refused(f"CALL {name}".strip())
                i = j
                continue
            if word == "UNION":
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                i += 2 if nxt is not None and nxt.upper == "ALL" else 1
                continue
        i += 1
    if sub:
        raise _Refused("an unclosed subquery")
    if depth:
        raise _Refused(f"an unclosed {depth[-1]!r}")
    return i


def read_only_problem(query: str) -> str | None:
    """What makes ``query`` more than a read (a clause, a procedure), or None for a read."""
    tokens = tokenize(query)
    if not tokens:
        return "an empty query"
    try:
        _check(tokens, 0, sub=False)
    except _Refused as e:
        return e.what
    return None


def check_read_only(query: str) -> None:
    """Raise :class:`~netintel.errors.ReadOnlyError` unless ``query`` only reads the graph.

    >>> check_read_only("COPY (MATCH (p:Person) RETURN p.name) TO '/tmp/people.csv'")
    Traceback (most recent call last):
    ...
    netintel.errors.ReadOnlyError: refusing COPY in a read-only query: ...
    """
    what = read_only_problem(query)
    if what is None:
        return
    if what.startswith("CALL "):
        why = "only schema listings (db.labels, show_tables, ...) may be called read-only"
    elif what in _FILE_CLAUSES | _NEVER or what == "CHECKPOINT":
        why = "read-only queries neither touch files nor change the engine"
    else:
        why = (
            "read-only queries may hold MATCH, OPTIONAL MATCH, WHERE, WITH, RETURN, UNWIND, "
            "ORDER BY, SKIP, LIMIT, UNION and subqueries"
        )
    raise ReadOnlyError(
        f"refusing {what} in a read-only query: {why}; "
        "pass --write (CLI) or write=True (Python) to change the graph"
    )


def check_file_access(query: str, import_folder: str | os.PathLike | None = None) -> None:
    """Raise :class:`~netintel.errors.ReadOnlyError` if a writing query on the embedded store
    reaches files outside the import folder.

    ``import_folder`` defaults to ``$NETINTEL_IMPORT_FOLDER``; without one, no query may touch
    files (``LOAD FROM``, ``COPY … FROM/TO`` with a path). ``IMPORT``/``EXPORT DATABASE``,
    ``ATTACH`` and ``INSTALL``/``LOAD EXTENSION`` are always refused.

    >>> check_file_access("COPY Person FROM '/etc/passwd'")
    Traceback (most recent call last):
    ...
    netintel.errors.ReadOnlyError: refusing COPY with a file: file access from Cypher is off; ...
    """
    folder = import_folder if import_folder is not None else os.environ.get(IMPORT_FOLDER_ENV)
    tokens = tokenize(query)
    for k, tok in enumerate(tokens):
        prev = tokens[k - 1] if k else None
        if tok.kind != "word" or (prev is not None and prev.text in (".", ":", "$")):
            continue
        word = tok.upper
        nxt = tokens[k + 1].upper if k + 1 < len(tokens) else ""
        at_clause = k == 0 or _ends_atom(prev, tokens[k - 2] if k > 1 else None)
        if at_clause and (word in _NEVER or (word == "LOAD" and nxt == "EXTENSION")):
            raise ReadOnlyError(
                f"refusing {word} in a query: databases, extensions and whole-database "
                "files are not handled from Cypher"
            )
        if at_clause and word in _FILE_CLAUSES:
            _check_paths(word, tokens[k + 1 :], folder)


def _check_paths(word: str, rest: list[Token], folder: str | os.PathLike | None) -> None:
    """The files after FROM / TO in a LOAD or COPY clause must lie in ``folder``."""
    paths: list[Token] = []
    for k, tok in enumerate(rest):
        if tok.upper not in ("FROM", "TO") or k + 1 >= len(rest):
            continue
        target = rest[k + 1]
        if target.kind in ("param", "string"):
            paths.append(target)
        elif target.text == "[":
            for t in rest[k + 2 :]:
                if t.text == "]":
                    break
                if t.kind in ("string", "param"):
                    paths.append(t)
    if not paths:
        return  # LOAD FROM a data frame variable, COPY FROM a subquery
    if folder is None:
        raise ReadOnlyError(
            f"refusing {word} with a file: file access from Cypher is off; set "
            f"{IMPORT_FOLDER_ENV} to the folder queries may read and write, as Neo4j's "
            "server.directories.import"
        )
    root = Path(folder).resolve()
    for t in paths:
        if t.kind == "param":
            raise ReadOnlyError(f"refusing {word} with a path in a parameter: write it literally")
        target = Path(t.text[1:-1]).resolve()
        if not target.is_relative_to(root):
            raise ReadOnlyError(f"refusing {word} of {t.text}: outside the import folder {root}")
