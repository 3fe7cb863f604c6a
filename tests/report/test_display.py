"""Notebook tables: whole explanations, evidence as counts that open, names, no NaN/NaT."""

from __future__ import annotations

import re

import pandas as pd

import netintel
from netintel.report.display import names_from, table


def test_ranked_targets_read_whole(small_db):
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        targets = ws.rank_targets()
        G = ws.graph()
    shown = table(targets, top=10)
    assert len(shown.text) == 10 and "33 more rows" in repr(shown)
    html = shown._repr_html_()
    for row in targets.head(10).itertuples():
        assert shown.text.loc[row.Index, "explanation"] == row.explanation  # not cut
        count = len(row.evidence)
        assert shown.text.loc[row.Index, "evidence"] == f"{count} records"
        opened = re.search(
            rf"<summary>{count} records</summary><div>{re.escape(', '.join(row.evidence))}</div>",
            html,
        )
        assert opened, "the count opens to the record ids"
    assert names_from(G)[targets.loc[0, "person_id"]] == targets.loc[0, "name"]


def test_no_nan_or_nat_and_names_for_ids():
    frame = pd.DataFrame(
        {
            "arrested_id": ["P-1", "P-2"],
            "successor_id": ["P-2", None],
            "probability": [0.8123456, float("nan")],
            "first_seen": [pd.Timestamp("2024-03-01"), pd.NaT],
            "sources": [["ARR-1"], []],
        }
    )
    shown = table(frame, names={"P-1": "Lê Xuân Hải", "P-2": "Syphet <script>"})
    html = shown._repr_html_()
    assert not re.search(r"\b(NaN|NaT|nan|None)\b", html + repr(shown))
    assert shown.text.loc[0, "arrested_id"] == "Lê Xuân Hải"
    assert '<span title="P-2">Syphet &lt;script&gt;</span>' in html
    assert "<script>" not in html
    assert shown.text.loc[0, "probability"] == "0.812" and shown.text.loc[1, "first_seen"] == ""
    assert list(shown.text["sources"]) == ["1 record", "0 records"]
    assert shown.frame is frame
