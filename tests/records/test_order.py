"""The same records in any order, in one file or many, give the identical graph, resolution
and ranking (issue 14: shuffling fixtures/small gave 44 resolved people instead of 43 and
moved 9 of the top 20 targets, because node properties took the first value seen)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netintel
from netintel.batch import consolidate
from netintel.ingest import ingest_files
from netintel.store import cypher

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"
KINDS = ("arrests", "seizures", "communications", "links")


def _frames() -> dict[str, pd.DataFrame]:
    return {k: pd.read_csv(SMALL / f"{k}.csv", dtype=str, keep_default_na=False) for k in KINDS}


def _write(frames: dict[str, pd.DataFrame], folder: Path, seed: int, parts: int) -> list[dict]:
    """Shuffle every kind's rows with ``seed`` and cut them into ``parts`` files each; one
    dict of kind -> path per part (the parts of one kind have their own file names)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[dict] = [{} for _ in range(parts)]
    for kind, frame in frames.items():
        shuffled = frame.iloc[rng.permutation(len(frame))]
        for i, chunk in enumerate(np.array_split(np.arange(len(shuffled)), parts)):
            path = folder / f"{kind}_{i}.csv"
            shuffled.iloc[chunk].to_csv(path, index=False)
            out[i].setdefault(kind, []).append(path)
    return out


def _fingerprint(ws) -> dict:
    """Everything an investigator sees: counts, every node's and relationship's properties,
    who is resolved with whom, and the top 50 with their scores."""
    store = ws.store
    tables = {}
    for label in store.schema.nodes:
        if label != "Record":  # where each record was read (file, row, load time) differs
            tables[label] = store.query(cypher.node_rows(store.schema, label))
    for rel in store.schema.relationships.values():
        for a, b in rel.endpoints:
            frame = store.query(cypher.edge_rows(store.schema, rel.type, a, b))
            tables[f"{rel.type}({a})->({b})"] = frame.sort_values(
                ["start_id", "end_id", "id"], ignore_index=True
            )
    versions = ws.records.records()[["source_id", "kind", "sha256", "version", "current"]]
    tables["Record"] = versions.sort_values(["source_id", "sha256"], ignore_index=True)
    people = ws.records.people()
    top = ws.rank_targets(top=50)
    return {
        "stats": ws.query.stats(),
        "tables": {k: v.astype(str).to_dict("list") for k, v in tables.items()},
        "resolution": dict(zip(people["person_id"], people["resolved_id"], strict=True)),
        "top": list(zip(top["person_id"], top["score"].round(9), strict=True)),
    }


def _load(folder: Path, seed: int | None, parts: int = 1, *, runs: bool = False) -> dict:
    """Load fixtures/small (shuffled with ``seed`` unless None) into a fresh database; with
    ``runs`` each part is a separate ingest (the store folds it into what is there)."""
    frames = _frames()
    if seed is None:
        files = [{k: [SMALL / f"{k}.csv"] for k in KINDS}]
    else:
        files = _write(frames, folder / "in", seed, parts)
    with netintel.open(folder / "g.db") as ws:
        if runs:
            for i, part in enumerate(files):
                ws.records.ingest(**part, resolve=i == len(files) - 1)
        else:
            merged: dict[str, list] = {}
            for part in files:
                for k, v in part.items():
                    merged.setdefault(k, []).extend(v)
            ws.records.ingest(**merged)
        return _fingerprint(ws)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict:
    return _load(tmp_path_factory.mktemp("baseline"), None)


def _same(a: dict, b: dict) -> None:
    assert a["stats"] == b["stats"]
    for name in a["tables"]:
        assert a["tables"][name] == b["tables"][name], name
    assert a["resolution"] == b["resolution"]
    assert len({r for r in a["resolution"].values()}) == 43
    assert a["top"] == b["top"]


def test_shuffled_small_set_gives_the_same_graph_resolution_and_top_50(baseline, tmp_path):
    _same(baseline, _load(tmp_path, seed=1))


def test_shuffled_small_set_in_three_ingest_runs_gives_the_same_result(baseline, tmp_path):
    """Split into three files per kind, loaded by three ingests: the store's fold on MERGE
    follows the same rule as the batch."""
    _same(baseline, _load(tmp_path, seed=2, parts=3, runs=True))


@settings(
    max_examples=2,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), parts=st.integers(1, 4), runs=st.booleans())
def test_any_order_and_any_split_gives_the_same_result(
    baseline, tmp_path_factory, seed, parts, runs
):
    _same(baseline, _load(tmp_path_factory.mktemp("shuffle"), seed, parts, runs=runs))


@settings(max_examples=40, derandomize=True, deadline=None)
@given(data=st.data())
def test_consolidate_is_a_function_of_the_set_of_rows(data):
    """Folding rows of one id gives the same values whatever their order or grouping."""
    values = st.one_of(st.none(), st.text(max_size=4))
    n = data.draw(st.integers(1, 8))
    frame = pd.DataFrame(
        {
            "id": data.draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)),
            "name": data.draw(st.lists(values, min_size=n, max_size=n)),
            "quantity": data.draw(
                st.lists(st.one_of(st.none(), st.floats(-9, 9)), min_size=n, max_size=n)
            ),
            "sources": [[f"r{i}"] for i in range(n)],
        }
    )
    order = data.draw(st.permutations(range(n)))
    cut = data.draw(st.integers(0, n))
    once = consolidate(frame)
    shuffled = frame.iloc[list(order)]
    # Folded in two parts, then the two results folded together (a store's MERGE).
    twice = consolidate(
        pd.concat([consolidate(shuffled.iloc[:cut]), consolidate(shuffled.iloc[cut:])])
        if 0 < cut < n
        else shuffled
    )
    pd.testing.assert_frame_equal(once, twice)


def test_batch_of_shuffled_records_is_identical(tmp_path):
    """The ingest batch itself (before any store) does not depend on row order."""
    files = _write(_frames(), tmp_path, seed=3, parts=2)
    merged = {k: files[0][k] + files[1][k] for k in KINDS}
    a = ingest_files(**{k: SMALL / f"{k}.csv" for k in KINDS}).batch
    b = ingest_files(**merged).batch
    for label, frame in a.nodes.items():
        pd.testing.assert_frame_equal(frame, b.nodes[label], obj=label)
