"""Every notebook under notebooks/ runs top to bottom; the quick start once more on Neo4j."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import netintel

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
QUICKSTART = next(p for p in NOTEBOOKS if p.name == "01_quickstart.ipynb")


def execute(
    path: Path, folder: Path, parameters: dict[str, Any] | None = None
) -> nbformat.NotebookNode:
    """Run a notebook in ``folder`` and return it with its outputs; ``parameters`` replace
    the values of its cell tagged ``parameters`` (in a cell run right after it, as papermill
    does)."""
    nb = nbformat.read(path, as_version=4)
    if parameters:
        tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
        assert tagged, f"{path.name} has no cell tagged 'parameters'"
        source = "".join(f"{name} = {value!r}\n" for name, value in parameters.items())
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
        nb.cells.insert(tagged[0] + 1, cell)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    execute(path, tmp_path)


def test_quickstart_runs_on_neo4j(neo4j_server, tmp_path, monkeypatch):
    """The quick start with ``GRAPH`` set to the server's URI; the user name and password
    come from the environment, as the notebook says. The graph is on the server, not in the
    output folder."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("NETINTEL_NEO4J_URI", raising=False)
    for name, value in neo4j_server.items():
        if name != "NETINTEL_NEO4J_URI":
            monkeypatch.setenv(name, value)
    uri = neo4j_server["NETINTEL_NEO4J_URI"]
    with netintel.open(uri) as ws:  # the session's database is shared: start empty
        ws.cypher("MATCH (n) DETACH DELETE n", write=True)
    execute(QUICKSTART, tmp_path, {"GRAPH": uri, "RECORDS": 600})
    assert (tmp_path / "quickstart_output" / "records").is_dir()
    assert not (tmp_path / "quickstart_output" / "case.db").exists()
    with netintel.open(uri, read_only=True) as ws:
        counts = ws.query.stats()
    assert counts["Person"] > 50 and counts["SAME_AS"] > 0
