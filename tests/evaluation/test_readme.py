"""The README's quality table is generated from the committed results file, never typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netintel.errors import InputError
from netintel.evaluation.readme import END, ROWS, START, readme_block, update_readme
from netintel.evaluation.results import EvaluationResults

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def _block(text: str) -> str:
    return text[text.index(START) + len(START) : text.index(END)]


def _committed() -> Path:
    """The newest results file under docs/evaluation/."""
    files = sorted((ROOT / "docs" / "evaluation").glob("*.json"))
    assert files, "docs/evaluation/ holds no results file"
    return files[-1]


def test_the_readme_table_is_the_committed_results():
    """Regenerating the README block from the newest committed results changes nothing:
    after a new run, `netintel evaluate --out docs/evaluation/DATE.json --readme README.md`."""
    source = _committed()
    link = source.relative_to(ROOT).as_posix()
    expected = "\n" + readme_block(EvaluationResults.read(source), source=link) + "\n"
    assert _block(README.read_text(encoding="utf-8")) == expected


def test_the_results_file_is_named_by_its_date():
    source = _committed()
    assert source.stem == EvaluationResults.read(source).date


def test_every_row_of_the_table_is_in_the_results():
    results = EvaluationResults.read(_committed())
    table = readme_block(results, source="r.json")
    for row in ROWS:
        assert f"| {row.check} | {row.cell(results)} |" in table
    assert "n/a" not in table


def test_only_the_block_is_rewritten(tmp_path):
    readme = tmp_path / "README.md"
    before, after = "# Title\n\ntext before\n", "\ntext after\n"
    readme.write_text(f"{before}{START}\nhand-typed table\n{END}{after}", encoding="utf-8")
    results = EvaluationResults.read(_committed())
    assert update_readme(readme, results, source=tmp_path / "docs" / "2026-12-04.json")
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(before + START) and text.endswith(END + after)
    assert "hand-typed" not in text
    assert "[`docs/2026-12-04.json`](docs/2026-12-04.json)" in text
    assert re.search(r"\| ring NMI, Louvain / Leiden \| [0-9.]+ / [0-9.]+ \|", text)
    assert not update_readme(readme, results, source=tmp_path / "docs" / "2026-12-04.json")


@pytest.mark.parametrize(
    "text",
    ["no markers\n", f"{END}\n{START}\n", f"{START}\n{START}\n{END}\n", f"{START}\n"],
)
def test_markers_missing_or_out_of_order_are_refused(tmp_path, text):
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"README\.md needs exactly one"):
        update_readme(readme, EvaluationResults.read(_committed()), source="r.json")
    assert readme.read_text(encoding="utf-8") == text
