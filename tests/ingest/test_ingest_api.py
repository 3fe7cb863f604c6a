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
    with pytest.raises(InputError, match=r"\.csv, \.xlsx or \.jsonl"):
        ingest_files(links=path, quarantine=tmp_path / "q.txt")
    with pytest.raises(InputError, match="unsupported file type"):
        (tmp_path / "links.doc").write_text("x")
        ingest_files(links=tmp_path / "links.doc")


def test_unreadable_inputs_and_options_are_input_errors(tmp_path):
    with pytest.raises(InputError, match=r"missing\.csv: cannot read the file"):
        ingest_files(matrices=tmp_path / "missing.csv")
    fake = tmp_path / "calls.csv.gz"
    fake.write_text("from_phone,to_phone\n0912345678,0987654321\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"calls\.csv\.gz: not a readable gzip file"):
        ingest_files(communications=fake)
    path = tmp_path / "links.csv"
    path.write_text(LINKS, encoding="utf-8")
    for region in ("Vietnam", "XX", ""):
        with pytest.raises(InputError, match=f"default_region: {region!r} is not a phone region"):
            ingest_files(links=path, default_region=region)
    assert ingest_files(links=path, default_region="vn").reconciliation["loaded"].tolist() == [1]


def test_nothing_to_load_gives_an_empty_batch():
    result = ingest_files()
    assert result.batch.nodes == {} and result.reconciliation.empty and result.quarantine.empty
