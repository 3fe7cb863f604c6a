"""ingest_files: the whole path, determinism, progress and the summary."""

from __future__ import annotations

import pandas as pd
import pytest

from netintel.errors import InputError
from netintel.ingest import IngestResult, ingest_files

LINKS = "record_id,source,target,link_type,date\nL1,Hùng,Páo,family,2024\nL2,Páo,,meeting,\n"


def test_deterministic_batches(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(LINKS, encoding="utf-8")
    one, two = ingest_files(links=path), ingest_files(links=[str(path)])
    for label, frame in one.batch.nodes.items():
        pd.testing.assert_frame_equal(frame, two.batch.nodes[label])
    for a, b in zip(one.batch.edges, two.batch.edges, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)


def test_progress_and_summary(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(LINKS, encoding="utf-8")
    calls = []
    result = ingest_files(links=path, progress=lambda what, n: calls.append((what, n)))
    assert isinstance(result, IngestResult)
    assert calls == [("links: links.csv", 1), ("graph", 1)]
    text = result.summary()
    assert "2 rows read, 1 loaded, 1 quarantined" in text and "links.target 1" in text


def test_bad_arguments(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest_files(arrests=tmp_path / "missing.csv")
    path = tmp_path / "links.csv"
    path.write_text(LINKS, encoding="utf-8")
    with pytest.raises(InputError, match=r"\.csv or \.jsonl"):
        ingest_files(links=path, quarantine=tmp_path / "q.txt")
    with pytest.raises(InputError, match="unsupported file type"):
        (tmp_path / "links.doc").write_text("x")
        ingest_files(links=tmp_path / "links.doc")


def test_nothing_to_load_gives_an_empty_batch():
    result = ingest_files()
    assert result.batch.nodes == {} and result.reconciliation.empty and result.quarantine.empty
