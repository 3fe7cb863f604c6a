"""The dismantling commands driven as a user would: disrupt, keyplayers, successors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netintel.analysis.dismantle.disrupt import CURVE_COLUMNS
from netintel.ingest.matrix import network_folders

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real"


def test_disrupt_compares_strategies_in_one_table_and_plot(db, tmp_path, cli):
    out = cli(
        "disrupt", "--db", db, "--strategy", "betweenness", "--strategy", "random",
        "--steps", "4", "--out", str(tmp_path / "c.csv"), "--plot", str(tmp_path / "c.png"),
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "Largest component" in out.stdout and "efficiency exact" in out.stdout
    curve = pd.read_csv(tmp_path / "c.csv")
    assert list(curve.columns[: len(CURVE_COLUMNS)]) == list(CURVE_COLUMNS)
    assert set(curve["strategy"]) == {"betweenness", "random"}
    assert curve.groupby("strategy")["step"].max().tolist() == [4, 4]
    intact = curve[curve["step"] == 0]
    assert (intact["lcc_fraction"] == 1.0).all() and intact["removed"].isna().all()
    assert curve.loc[curve["step"] > 0, "evidence"].str.len().min() > 0
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_disrupt_blocks_unweighted_and_window(db, tmp_path, cli):
    out = cli(
        "disrupt", "--db", db, "--strategy", "degree", "--recompute", "block",
        "--block-size", "3", "--steps", "3", "--unweighted", "--since", "2000",
        "--out", str(tmp_path / "b.json"),
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "unweighted, recompute block (blocks of 3)" in " ".join(out.stdout.split())
    assert len(pd.read_json(tmp_path / "b.json")) == 4


def test_disrupt_names_a_bad_strategy(db, cli):
    out = cli("disrupt", "--db", db, "--strategy", "closeness")
    assert out.exit_code == 1
    assert "unknown strategy 'closeness'" in out.output


def test_keyplayers_then_their_successors(db, tmp_path, cli):
    out = cli("keyplayers", "--db", db, "--k", "3", "--out", str(tmp_path / "kp.csv"))
    assert out.exit_code == 0, out.output
    assert "Key players (k=3)" in out.stdout and "single measure" in out.stdout
    assert "fragmentation F" in out.stdout
    said = " ".join(out.stdout.split())  # lines wrap at the terminal's width
    assert "no plan of 3 arrests can leave fewer than" in said and "(proven bound, gap" in said
    players = pd.read_csv(tmp_path / "kp.csv")
    assert len(players) == 3 and players["evidence"].notna().all()
    first = players["person_id"].iloc[0]
    out = cli(
        "successors", "--db", db, "--remove", first, "--top", "5",
        "--out", str(tmp_path / "s.csv"),
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    heirs = pd.read_csv(tmp_path / "s.csv")
    assert 0 < len(heirs) <= 5 and first not in set(heirs["person_id"])
    assert heirs["score"].is_monotonic_decreasing and heirs["explanation"].str.len().min() > 0


def test_successors_of_nobody_known(db, cli):
    out = cli("successors", "--db", db, "--remove", "P-does-not-exist")
    assert out.exit_code == 1
    assert "no person matches 'P-does-not-exist'" in out.output


def test_successors_of_someone_named_in_any_spelling_or_by_phone(db, cli, ws):
    from netintel.values.text import fold

    top = ws.rank_targets(top=1).iloc[0]
    by_id = cli("--format", "json", "successors", "--db", db, "--remove", top["person_id"])
    found = ws.find(top["person_id"]).iloc[0]
    others = [fold(top["name"]).upper(), *found["phones"][:1]]
    for ref in others:
        out = cli("--format", "json", "successors", "--db", db, "--remove", ref)
        assert out.exit_code == 0, out.output
        assert out.output == by_id.output, ref


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
@pytest.mark.parametrize(
    "path",
    [n.matrix for n in network_folders(REAL)] if REAL.is_dir() else [],
    ids=lambda p: p.parent.name,
)
def test_real_networks_dismantle(tmp_path, path, cli):
    db = str(tmp_path / "g.db")
    assert cli("ingest", "--db", db, "--matrix", str(path)).exit_code == 0
    out = cli("keyplayers", "--db", db, "--k", "3", "--out", str(tmp_path / "kp.csv"))
    assert out.exit_code == 0, out.output
    players = pd.read_csv(tmp_path / "kp.csv")
    assert len(players) == 3
    out = cli(
        "disrupt", "--db", db, "--strategy", "degree", "--strategy", "keyplayer",
        "--steps", "3", "--out", str(tmp_path / "c.csv"),
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    curve = pd.read_csv(tmp_path / "c.csv")
    assert (curve.groupby("strategy")["lcc_fraction"].min() < 1.0).all()
    out = cli("successors", "--db", db, "--remove", str(players["person_id"].iloc[0]))
    assert out.exit_code == 0, out.output


def test_dismantling_scorer_rows(db, tmp_path):
    import netintel
    from netintel.evaluation import EvalContext, load_truth, map_people
    from netintel.evaluation.scorers.dismantle import key_players as score

    truth = load_truth(ROOT / "fixtures" / "small")
    with netintel.open(db, read_only=True) as ws:
        people = ws.records.people()
        ctx = EvalContext(ws, truth, 0, people, map_people(people, truth), {}, tmp_path, None)
        rows = {r["metric"]: r for r in score(ctx)}
    kp, best = rows["keyplayer_lcc_fraction"], rows["best_single_lcc_fraction"]
    assert kp["k"] == best["k"] == 5
    assert 0 < kp["value"] <= best["value"] <= 1  # never worse than the best single measure
    assert best["detail"].split()[-1] in {"degree", "betweenness", "pagerank", "ranked"}
    assert 0 < rows["keyplayer_fragmentation"]["value"] <= 1
    assert 0 <= rows["keyplayer_planted_hits"]["value"] <= 5


def test_keyplayers_without_a_bound(db, cli):
    out = cli("keyplayers", "--db", db, "--k", "2", "--bound-time", "0")
    assert out.exit_code == 0, out.output
    assert "proven bound" not in out.stdout
