"""The shape of the package: data flows one way through the stages, with no import cycle.

The stages, in the order records flow through them (a module may import its own stage and
the ones before it, never a later one, not even inside a function):

====  =========================================================================
0     foundation: errors, resources, schema, values, batch, measures, outputs, progress
1     ingest, and the synthetic generator of records
2     store (the seam and its backends)
3     resolve (entity resolution reads and writes the store)
4     project (the stored graph folded into analysis graphs)
5     analysis (graph in, table out; never a store)
6     store.gds (the same analyses run inside Neo4j, on the projection's settings)
7     report, exchange (what leaves the engine), audit (the record of every access)
8     workspace (the facade)
9     cli, evaluation; the package root
====  =========================================================================
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "netintel"
#: No module is longer than this (a few hundred lines is the aim).
MAX_LINES = 650

STAGES = [
    ("netintel.store.gds", 6),
    ("netintel.errors", 0),
    ("netintel.resources", 0),
    ("netintel.schema", 0),
    ("netintel.values", 0),
    ("netintel.batch", 0),
    ("netintel.measures", 0),
    ("netintel.outputs", 0),
    ("netintel.progress", 0),
    ("netintel.ingest", 1),
    ("netintel.synthetic", 1),
    ("netintel.store", 2),
    ("netintel.versions", 2),
    ("netintel.resolve", 3),
    ("netintel.project", 4),
    ("netintel.analysis", 5),
    ("netintel.report", 7),
    ("netintel.exchange", 7),
    ("netintel.audit", 7),
    ("netintel.workspace", 8),
    ("netintel.cli", 9),
    ("netintel.evaluation", 9),
    ("netintel", 9),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The netintel modules ``name`` imports, anywhere in its text (lazy imports too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            # ``from pkg import module`` depends on that module; ``from module import name``
            # on the module
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def stage(module: str) -> int:
    """The stage of a module: that of the longest matching prefix in :data:`STAGES`."""
    for prefix, number in STAGES:
        if module == prefix or module.startswith(prefix + "."):
            return number
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def test_every_module_belongs_to_a_stage():
    for name in MODULES:
        stage(name)


def test_no_import_from_a_later_stage():
    backwards = [
        f"{a} (stage {stage(a)}) imports {b} (stage {stage(b)})"
        for a, targets in sorted(GRAPH.items())
        for b in sorted(targets)
        if stage(b) > stage(a)
    ]
    assert not backwards, "\n".join(backwards)


def test_no_import_cycle():
    # Package __init__ modules re-export their members; an edge from a package to its own
    # members is not a cycle in the sense that matters (a member importing its package's
    # __init__ back is).
    def edges(a: str) -> set[str]:
        return {b for b in GRAPH[a] if not b.startswith(a + ".")}

    seen: dict[str, int] = {}  # 1: on the stack, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(edges(node)):
            if seen.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for name in sorted(MODULES):
        if name not in seen:
            visit(name, [name])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by concern"
