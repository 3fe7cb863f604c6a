"""Property tests over the readers and the whole of ingest: any file either loads with every
row accounted for (read == loaded + quarantined) or is refused with an InputError naming it;
nothing else escapes (bounded and derandomised)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netintel.errors import InputError
from netintel.ingest import ingest_files

BOUNDED = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CELL = st.text(
    st.sampled_from(
        [*"0123456789 ,;\"'\n\r\t-./+abcAPkgđà", "\x00", "\u200d", "\u202e", "\ufeff", "１"]
    ),
    max_size=12,
)
KIND_HEADERS = {
    "arrests": ["record_id", "name", "dob", "phones", "nationality", "grading", "arest_date"],
    "seizures": ["seizure_id", "date", "country", "drug", "quantity", "unit"],
    "communications": ["record_id", "from_phone", "to_phone", "from_person", "count"],
    "links": ["source", "target", "link_type", "weight"],
}


def check(result) -> None:
    rec = result.reconciliation
    assert (rec["read"] == rec["loaded"] + rec["quarantined"]).all()
    q, flags = result.quarantine, result.flags
    assert q["reason"].str.len().gt(0).all() and flags["reason"].str.len().gt(0).all()
    assert set(q["row"]).isdisjoint(set(flags["row"])) or len(rec) > 1


def run(kind: str, name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            result = ingest_files(**{kind: path})
        except InputError as e:
            assert path.name in str(e)
            return
        check(result)


@BOUNDED
@given(
    st.sampled_from(sorted(KIND_HEADERS)),
    st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=6),
    st.booleans(),
)
def test_any_csv_is_loaded_accounted_for_or_refused(kind, rows, quote):
    header = ",".join(KIND_HEADERS[kind][:-1] if kind == "arrests" else KIND_HEADERS[kind])
    lines = [header]
    for row in rows:
        cells = [f'"{c}"' if quote and "," in c else c for c in row]
        lines.append(",".join(cells))
    run(kind, f"{kind}.csv", "\n".join(lines).encode("utf-8"))


@BOUNDED
@given(st.binary(max_size=200))
def test_any_bytes_as_csv_are_loaded_accounted_for_or_refused(data):
    run("arrests", "arrests.csv", b"record_id,name,dob\n" + data)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | CELL,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(CELL, inner, max_size=3),
    max_leaves=10,
)


@BOUNDED
@given(st.lists(st.dictionaries(st.sampled_from(KIND_HEADERS["arrests"]), JSON_VALUE), max_size=5))
def test_any_json_lines_are_loaded_accounted_for_or_refused(objects):
    lines = [json.dumps(o, ensure_ascii=False) for o in objects] + ["[" * 5000, "42"]
    run("arrests", "arrests.jsonl", "\n".join(lines).encode("utf-8"))


@settings(BOUNDED, max_examples=15)
@given(st.lists(st.tuples(st.binary(max_size=8), st.binary(max_size=8)), max_size=5))
def test_any_parquet_binary_is_loaded_accounted_for_or_refused(rows):
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "record_id": pa.array([f"A-{i}" for i in range(len(rows))], type=pa.string()),
            "name": pa.array([r[0] for r in rows], type=pa.binary()),
            "address": pa.array([r[1] for r in rows], type=pa.binary()),
            "extra": pa.array([{"x": r[1]} for r in rows], type=pa.struct([("x", pa.binary())])),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    run("arrests", "arrests.parquet", buffer.getvalue())
