"""The suggest-links command driven as a user would."""

from __future__ import annotations

import json


def test_suggest_links_prints_scores_and_evidence(db, tmp_path, cli):
    out = tmp_path / "hidden.json"
    result = cli("suggest-links", "--db", str(db), "--top", "5", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "hidden-tie test" in result.output and "ROC AUC" in result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 5
    assert all(0 <= r["probability"] <= 1 and r["evidence"] for r in rows)
