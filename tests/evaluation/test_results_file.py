"""The dated results file: its format, an atomic write, and errors that name the file."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from netintel.errors import InputError, OutputError
from netintel.evaluation.results import EvaluationResults, machine_info, write_atomic


@pytest.fixture
def metrics() -> pd.DataFrame:
    """Rows as run_evaluation returns them: ``k`` an int, pd.NA or None; a NaN value."""
    frame = pd.DataFrame(
        {
            "metric": ["precision_leaders", "ring_nmi", "ring_nmi_leiden", "successor_found"],
            "k": [5, pd.NA, None, pd.NA],
            "value": [1.0, 0.9666, float("nan"), 0.5],
            "detail": ["T1,T2 (6 planted)", "7 rings found", "leidenalg missing", "R02: found"],
        }
    ).astype({"k": "object"})
    frame.attrs.update(records=2000, seed=0)
    return frame


def test_the_file_holds_the_run_and_every_row(tmp_path, metrics):
    path = EvaluationResults.of(metrics, date="2026-12-04").write(tmp_path / "r.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert list(doc) == ["date", "seed", "records", "machine", "metrics"]
    assert (doc["date"], doc["seed"], doc["records"]) == ("2026-12-04", 0, 2000)
    assert doc["machine"] == machine_info()
    assert doc["metrics"][0] == {
        "metric": "precision_leaders", "k": 5, "value": 1.0, "detail": "T1,T2 (6 planted)"
    }  # fmt: skip
    assert [r["k"] for r in doc["metrics"]] == [5, None, None, None]
    assert doc["metrics"][2]["value"] is None  # NaN is not JSON


def test_a_results_file_reads_back(tmp_path, metrics):
    results = EvaluationResults.of(metrics, seed=3, records=600, machine={"cpus": 2})
    back = EvaluationResults.read(results.write(tmp_path / "r.json"))
    assert (back.date, back.seed, back.records, back.machine) == (
        results.date, 3, 600, {"cpus": 2}
    )  # fmt: skip
    assert back.value("precision_leaders", 5) == 1.0
    assert back.value("ring_nmi") == 0.9666
    assert pd.isna(back.value("ring_nmi_leiden"))
    assert back.to_json() == results.to_json()
    with pytest.raises(InputError, match="no metric 'precision_leaders' at k=10"):
        back.row("precision_leaders", 10)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read the results file"),
        ("{", "not a netintel evaluation results file"),
        ('{"date": "2026-12-04"}', "not a netintel evaluation results file"),
    ],
)
def test_a_bad_results_file_is_named(tmp_path, text, message):
    path = tmp_path / "results.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as e:
        EvaluationResults.read(path)
    assert str(path) in str(e.value)


def test_writes_are_atomic(tmp_path, monkeypatch):
    path = write_atomic(tmp_path / "r.json", "old\n")
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match=r"r\.json"):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_an_unwritable_folder_is_named(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="file"):
        write_atomic(tmp_path / "file" / "r.json", "{}")


def test_a_bare_table_needs_its_seed_and_size(metrics):
    bare = metrics.copy()
    bare.attrs = {}
    with pytest.raises(ValueError, match="seed= and records="):
        EvaluationResults.of(bare)
    assert EvaluationResults.of(bare, seed=1, records=300).records == 300
