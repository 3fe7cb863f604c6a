"""Locate the files netintel ships beside its code (the graph schema, ranking profiles)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def schema_dir() -> Path:
    """The ``graph_schema`` folder: the checkout's own in development, the packaged copy otherwise."""
    checkout = _PACKAGE.parent.parent / "graph_schema"
    if (checkout / "schema.yaml").is_file():
        return checkout
    return _PACKAGE / "_graph_schema"


def profile_path(name: str = "default") -> Path:
    """Path of a ranking profile shipped with netintel (``profiles/<name>.yaml``)."""
    return _PACKAGE / "profiles" / f"{name}.yaml"
