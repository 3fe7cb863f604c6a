"""The network commands driven as a user would: rank, rings (and the deprecated communities),
brokers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd


def test_cli_rings_with_profiles_writes_json(small_db: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "rings.json"
    result = cli(
        "rings", "--db", str(small_db), "--algorithm", "leiden", "--profiles",
        "--runs", "3", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and {"leaders", "stability", "seized_kg", "drugs"} <= set(rows[0])


def test_cli_rings_louvain_and_leiden(small_db: Path, tmp_path: Path, cli) -> None:
    for algorithm in ("louvain", "leiden"):
        out = tmp_path / f"{algorithm}.csv"
        result = cli(
            "rings", "--db", str(small_db), "--algorithm", algorithm, "--seed", "3",
            "--out", str(out),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        df = pd.read_csv(out)
        assert list(df.columns) == ["person_id", "name", "ring"]


def test_cli_brokers_by_country_writes_the_table(small_db: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "gk.csv"
    result = cli(
        "brokers", "--db", str(small_db), "--by", "country", "--top", "5", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "brokers by country" in result.output
    df = pd.read_csv(out)
    # a broker whom restricted records alone make one is withheld from the file
    assert 0 < len(df) <= 5 and {"gatekeeper", "representative", "evidence"} <= set(df.columns)


def test_cli_refuses_unknown_grouping_and_missing_leidenalg(small_db, monkeypatch, cli) -> None:
    result = cli("brokers", "--db", str(small_db), "--by", "village")
    assert result.exit_code == 2
    monkeypatch.setitem(sys.modules, "leidenalg", None)
    result = cli("rings", "--db", str(small_db), "--algorithm", "leiden")
    assert result.exit_code == 1
    assert "not installed: pip install leidenalg" in " ".join(result.output.split())


def test_cli_help_has_an_example(cli) -> None:
    for command in ("brokers", "rings"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Example: netintel " + command in result.output


def test_cli_communities_is_a_deprecated_alias_of_rings(db, tmp_path, cli) -> None:
    listed = [line.strip("│ ").split(" ")[0] for line in cli("--help").output.splitlines()]
    assert "rings" in listed and "communities" not in listed  # hidden from the help
    result = cli("communities", "--db", db, "--out", tmp_path / "rings.csv")
    assert result.exit_code == 0, result.output
    assert "netintel communities is deprecated: use netintel rings" in result.output
    assert list(pd.read_csv(tmp_path / "rings.csv").columns) == ["person_id", "name", "ring"]


def test_rank_with_labels_cross_validates_and_names_bad_rows(db, tmp_path, cli):
    targets = tmp_path / "targets.csv"
    assert cli("rank", "--db", str(db), "--top", "40", "--out", str(targets)).exit_code == 0
    ranked = pd.read_csv(targets)
    labels = tmp_path / "confirmed.csv"
    # the composite's top 6 as confirmed organizers, the rest as couriers
    pd.DataFrame(
        {
            "person_id": ranked["person_id"],
            "label": ["organizer"] * 6 + ["courier"] * (len(ranked) - 6),
        }
    ).to_csv(labels, index=False)
    result = cli("rank", "--db", str(db), "--labels", str(labels), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Cross-validation per fold" in result.output
    assert "Feature importances" in result.output
    assert "Predicted" in result.output
    # the model against the default and every single measure, on the same held-out folds
    text = " ".join(result.output.split())
    assert "the model against the default and every single measure" in text
    assert "without" in text and "pagerank" in text and "r_precision" in text
    assert "The model beats" in text or "The model does not beat" in text
    assert "Only 6 positive labels" in text

    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,label\nP-nobody,1\n", encoding="utf-8")
    result = cli("rank", "--db", str(db), "--labels", str(bad))
    assert result.exit_code == 1
    assert "bad.csv, row 2, field person_id" in " ".join(result.output.split())

    single = tmp_path / "single.csv"
    single.write_text(f"person_id,label\n{ranked['person_id'][0]},1\n", encoding="utf-8")
    result = cli("rank", "--db", str(db), "--labels", str(single))
    assert result.exit_code == 1
    assert "labels are positive" in result.output
