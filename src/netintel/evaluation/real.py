"""The analytics checked on real networks: ``netintel evaluate --real DIR``.

The synthetic benchmark (:func:`~netintel.evaluation.run_evaluation`) scores the engine
against truth it planted itself; this one runs it on networks nobody working on it made:
published criminal networks reconstructed from wiretaps and court records, some with the
roles the literature verifies. For each network it reports (:mod:`.real_scores`):

- **ranking**, where a roles file names people: precision at 5 and 10 and R-precision of the
  default profile, the consensus profile and degree, betweenness, PageRank and eigenvector
  centrality alone;
- **learned ranking**, where a roles file names people: the model of ``rank --labels``
  trained on the roles against the default and every single measure on the same held-out
  folds, and its verdict;
- **hidden ties**: 10% of the ties hidden at random (seeded, repeated 5 times), ROC AUC and
  precision at k of the ``suggest-links`` model against common neighbours, Adamic-Adar and
  Katz alone, and the Brier score of the model's probabilities;
- **key players**: for k = 1..10, the largest component the key-player plan leaves beside
  the best sequential strategy's.

Layout of a folder of real networks
-----------------------------------
One sub-folder per network (its name names the network), holding:

- the ties, one CSV file: either an **adjacency matrix** (first row and first column the
  node labels in the same order, a cell the strength or count of the tie from the row to the
  column, 0 or empty for none; :func:`netintel.ingest.matrix.read_matrix`), or an **edge
  list** with columns ``source, target`` and optionally ``weight`` (one row per tie);
- optionally ``roles.csv``: columns ``id`` (a label of the ties file) and ``role``, one row per
  person whose role is verified; every person it lists counts as relevant to a ranking
  (list there the leaders, organisers, financiers, lieutenants the sources confirm);
- optionally ``segments.csv`` (``id, segment``), read by nothing here.

Ties are undirected (a directed tie counts once, its strength the larger of the two
directions); a label with no tie is a person without ties.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "ring").mkdir()
>>> rows = [(a, b) for a in range(8) for b in range(a + 1, 8) if (a + b) % 3]
>>> text = "source,target\\n" + "".join(f"p{a},p{b}\\n" for a, b in rows)
>>> _ = (root / "ring" / "ties.csv").write_text(text)
>>> _ = (root / "ring" / "roles.csv").write_text("id,role\\np1,organizer\\n")
>>> nets = read_real_networks(root)
>>> nets[0].name, nets[0].graph.number_of_nodes(), sorted(nets[0].relevant)
('ring', 8, ['p1'])
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from netintel.errors import InputError
from netintel.evaluation.real_scores import (
    score_hidden_ties,
    score_key_players,
    score_learned,
    score_ranking,
)
from netintel.evaluation.results import machine_info, write_atomic
from netintel.ingest.matrix import LABEL_FILES, read_matrix
from netintel.ingest.readers import read_csv
from netintel.progress import track

__all__ = [
    "REAL_COLUMNS",
    "RealNetwork",
    "evaluate_real",
    "read_real_network",
    "read_real_networks",
    "real_summary",
    "write_real_results",
]

logger = logging.getLogger(__name__)

#: Columns of the real-network results table.
REAL_COLUMNS = ["network", "people", "ties", "task", "method", "metric", "k", "value", "detail"]


@dataclass(frozen=True)
class RealNetwork:
    """One real network: its name, its person graph, the people whose roles are verified."""

    name: str
    graph: nx.Graph
    relevant: frozenset[str]
    ties_file: Path


def read_real_network(folder: str | Path) -> RealNetwork:
    """Read one network folder (see the module for its layout).

    Raises
    ------
    InputError
        If the folder has no ties file or more than one, a file cannot be read (naming the
        file, row and field), or the roles file names someone the ties file does not.
    """
    folder = Path(folder)
    files = sorted(p for p in folder.glob("*.csv") if p.name not in LABEL_FILES)
    if len(files) != 1:
        raise InputError(
            f"{folder}: a network folder holds one ties file (matrix or edge list) besides "
            f"{' and '.join(LABEL_FILES)}; found {len(files)}"
        )
    G = _read_ties(files[0])
    relevant: set[str] = set()
    roles = folder / "roles.csv"
    if roles.is_file():
        frame = read_csv(roles)
        for column in ("id", "role"):
            if column not in frame.columns:
                raise InputError(f"{roles}: needs columns id and role; no {column!r}")
        for row, ident in zip(frame["_row"], frame["id"], strict=True):
            label = _text(ident)
            if label not in G:
                raise InputError(
                    f"{roles}, row {row}, field id: {label!r} is not a person of {files[0].name}"
                )
            relevant.add(label)
    return RealNetwork(folder.name, G, frozenset(relevant), files[0])


def _read_ties(path: Path) -> nx.Graph:
    head = read_csv(path)
    G = nx.Graph()
    if {"source", "target"} <= set(head.columns):
        for rec in head.to_dict("records"):
            row = rec["_row"]
            a, b = (_text(rec[c]) for c in ("source", "target"))
            if not a or not b:
                raise InputError(f"{path}, row {row}, field {'target' if a else 'source'}: empty")
            w = rec.get("weight")
            try:
                weight = 1.0 if _text(w) == "" else float(w)
            except ValueError:
                weight = -1.0
            if not weight > 0:
                raise InputError(f"{path}, row {row}, field weight: {w!r} is not a number > 0")
            if a != b:
                old = G.get_edge_data(a, b, {}).get("weight", 0.0)
                G.add_edge(a, b, weight=max(old, weight), sources=[f"{path.name}:{row}"])
    else:
        ties = read_matrix(path, kind="links", undirected=True)
        G.add_nodes_from(str(label) for label, _ in ties.attrs["isolates"])
        for rid, a, b, w in ties[["record_id", "source", "target", "weight"]].itertuples(
            index=False
        ):
            G.add_edge(str(a), str(b), weight=float(w), sources=[rid])
    nx.set_node_attributes(G, {u: str(u) for u in G}, "name")
    return G


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def read_real_networks(root: str | Path) -> list[RealNetwork]:
    """Every network folder under ``root``, sorted by name (see the module).

    Raises
    ------
    InputError
        If ``root`` is not a folder or holds no network folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder of real networks")
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    nets = [read_real_network(p) for p in folders if any(p.glob("*.csv"))]
    if not nets:
        raise InputError(f"{root}: no network folders (one sub-folder per network, see --help)")
    return nets


def evaluate_real(
    root: str | Path | Sequence[RealNetwork],
    *,
    seed: int = 0,
    repeats: int = 5,
    share: float = 0.1,
    ks: Sequence[int] = (5, 10),
    max_k: int = 10,
) -> pd.DataFrame:
    """Run the three checks of the module on every network of ``root``.

    Parameters
    ----------
    root : str, Path or sequence of RealNetwork
        A folder of networks (see the module) or networks already read.
    seed : int
        Seeds every random choice (hidden ties of repeat ``r`` use ``seed + r``).
    repeats, share
        Repeats of the hidden-tie check and the share of ties hidden each time.
    ks : sequence of int
        Cut-offs of the ranking check.
    max_k : int
        Largest set of the key-player check.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REAL_COLUMNS`; ``attrs`` holds ``seed``, ``repeats``, ``share``.
    """
    nets = read_real_networks(root) if isinstance(root, str | Path) else list(root)
    rows = []
    for net in track(nets, label="real networks", total=len(nets)):
        G = net.graph
        head = {"network": net.name, "people": G.number_of_nodes(), "ties": G.number_of_edges()}
        found = score_ranking(G, net.relevant, seed=seed, ks=ks)
        found += score_learned(G, net.relevant, seed=seed, repeats=repeats)
        found += score_hidden_ties(G, share=share, repeats=repeats, seed=seed)
        found += score_key_players(G, max_k=max_k, seed=seed)
        rows += [{**head, **r} for r in found]
        logger.info("%s: %d rows", net.name, len(found))
    out = pd.DataFrame(rows, columns=REAL_COLUMNS).astype({"k": "object"})
    out.attrs.update(seed=seed, repeats=repeats, share=share)
    return out


_HIDDEN_COLUMNS = {
    "roc_auc": "ROC AUC",
    "precision": "P@hidden",
    "brier": "Brier",
    "expected_over_hidden": "sum p / hidden",
    "max_probability": "max p",
}


def real_summary(results: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The three tables a person reads, from :func:`evaluate_real`'s rows.

    Returns
    -------
    dict
        ``ranking`` (network, method, P@5, P@10, R-precision), ``learned ranking`` (the
        same, on held-out roles), ``hidden ties`` (network,
        method, ROC AUC, precision at k, Brier score, the model's probabilities summed per
        tie hidden and their maximum) and ``key players`` (network, then one
        column per k: ``plan / best sequential``).
    """
    out: dict[str, pd.DataFrame] = {}
    r = results[results["task"] == "ranking"]
    if len(r):
        r = r.assign(col=[f"P@{int(k)}" if m == "precision" else "R-prec" for m, k in
                          zip(r["metric"], r["k"], strict=True)])  # fmt: skip
        out["ranking"] = _pivot(r, ["network", "method"], "col").round(3)
    h = results[(results["task"] == "hidden ties") & results["metric"].isin(
        list(_HIDDEN_COLUMNS))]  # fmt: skip
    if len(h):
        h = h.assign(col=h["metric"].map(_HIDDEN_COLUMNS))
        out["hidden ties"] = _pivot(h, ["network", "method"], "col").round(3)
    lr = results[(results["task"] == "learned ranking") & (results["metric"] != "verdict")]
    if len(lr):
        lr = lr.assign(col=[f"P@{int(k)}" if m == "precision" else "R-prec" for m, k in
                            zip(lr["metric"], lr["k"], strict=True)])  # fmt: skip
        out["learned ranking"] = _pivot(lr, ["network", "method"], "col").round(3)
    kp = results[results["task"] == "key players"]
    if len(kp):
        kp = kp.assign(k=kp["k"].astype(int))
        wide = kp.pivot_table(index=["network", "k"], columns="method", values="value")
        cell = (
            wide["keyplayer"].astype(int).astype(str)
            + " / "
            + wide["best sequential"].astype(int).astype(str)
        )
        out["key players"] = cell.unstack("k").reset_index().rename(columns=lambda c: (
            f"k={c}" if isinstance(c, int) else c))  # fmt: skip
    return out


def _pivot(frame: pd.DataFrame, index: list[str], column: str) -> pd.DataFrame:
    order = {m: i for i, m in enumerate(dict.fromkeys(frame["method"]))}
    wide = frame.pivot_table(index=index, columns=column, values="value", sort=False)
    wide = wide.reset_index()
    wide["_o"] = wide["method"].map(order)
    return wide.sort_values(["network", "_o"]).drop(columns="_o").reset_index(drop=True)


def write_real_results(results: pd.DataFrame, path: str | Path, *, root: str | Path) -> Path:
    """Write the results file (UTF-8 JSON, atomic): date, machine, seed, repeats, every row.

    Examples
    --------
    >>> import tempfile
    >>> rows = pd.DataFrame([{"network": "n", "people": 3, "ties": 2, "task": "ranking",
    ...     "method": "default", "metric": "r_precision", "k": None, "value": 1.0,
    ...     "detail": ""}])
    >>> p = write_real_results(rows, Path(tempfile.mkdtemp()) / "r.json", root="real")
    >>> json.loads(p.read_text())["rows"][0]["k"] is None
    True
    """
    doc = {
        "date": dt.date.today().isoformat(),
        "data": str(root),
        "seed": results.attrs.get("seed"),
        "repeats": results.attrs.get("repeats"),
        "share_hidden": results.attrs.get("share"),
        "machine": machine_info(),
        "rows": [
            {c: (None if c == "k" and (v is None or v != v) else v) for c, v in row.items()}
            for row in results[REAL_COLUMNS].astype(object).to_dict("records")
        ],
    }
    return write_atomic(path, json.dumps(doc, indent=1, default=_plain) + "\n")


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")
