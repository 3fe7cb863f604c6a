"""evaluate --real: reading a folder of real networks, the three checks, the results file."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from netintel.errors import InputError
from netintel.evaluation.real import (
    evaluate_real,
    read_real_network,
    read_real_networks,
    real_summary,
)
from netintel.evaluation.real_readme import REAL_END, REAL_START
from netintel.evaluation.real_scores import (
    expected_hits,
    score_hidden_ties,
    score_key_players,
    score_ranking,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
needs_real = pytest.mark.skipif(
    not (REAL / "caviar").is_dir(), reason="the real networks folder ../shared/data/real is absent"
)


def _two_stars(folder: Path, *, roles: str | None = "id,role\nH1,organizer\nH2,financier\n"):
    """Two hubs with five contacts each, joined through a go-between, as a matrix."""
    folder.mkdir(parents=True)
    ties = [("H1", f"a{i}") for i in range(5)] + [("H2", f"b{i}") for i in range(5)]
    ties += [("H1", "G"), ("G", "H2"), ("a0", "a1"), ("b0", "b1"), ("a2", "b2")]
    people = [*sorted({p for t in ties for p in t}), "alone"]
    cells = {(a, b): 3 for a, b in ties}
    lines = ["," + ",".join(people)]
    lines += [p + "," + ",".join(str(cells.get((p, q), 0)) for q in people) for p in people]
    (folder / "calls.csv").write_text("\n".join(lines) + "\n")
    if roles is not None:
        (folder / "roles.csv").write_text(roles)


def test_a_matrix_folder_reads_as_an_undirected_graph_with_its_isolates_and_roles(tmp_path):
    _two_stars(tmp_path / "stars")
    net = read_real_network(tmp_path / "stars")
    assert net.name == "stars" and net.relevant == {"H1", "H2"}
    assert net.graph.number_of_nodes() == 14 and "alone" in net.graph
    assert net.graph.number_of_edges() == 15 and not net.graph.is_directed()
    assert net.graph.nodes["H1"]["name"] == "H1"
    assert net.graph["H1"]["a0"]["weight"] == 3.0 and net.graph["H1"]["a0"]["sources"]


def test_an_edge_list_folder_reads_too_and_keeps_the_stronger_direction(tmp_path):
    (tmp_path / "el").mkdir()
    (tmp_path / "el" / "ties.csv").write_text("source,target,weight\na,b,2\nb,a,5\nb,c,\n")
    G = read_real_networks(tmp_path)[0].graph
    assert G["a"]["b"]["weight"] == 5.0 and G["b"]["c"]["weight"] == 1.0
    assert read_real_networks(tmp_path)[0].relevant == frozenset()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"ties.csv": "source,target\na,b\n", "roles.csv": "id,role\nz,organizer\n"},
         r"roles.csv, row 2, field id: 'z' is not a person of ties.csv"),
        ({"ties.csv": "source,target,weight\na,b,heavy\n"},
         r"ties.csv, row 2, field weight: 'heavy' is not a number > 0"),
        ({"ties.csv": "source,target\na,\n"}, r"ties.csv, row 2, field target: empty"),
        ({"a.csv": "source,target\na,b\n", "b.csv": "source,target\na,b\n"}, "found 2"),
        ({"ties.csv": "source,target\na,b\n", "roles.csv": "person,role\na,organizer\n"},
         "needs columns id and role"),
        ({"m.csv": ",a,b\na,0,x\nb,0,0\n"}, r"row 2 \('a'\), column 3 \('b'\)"),
    ],
)  # fmt: skip
def test_bad_folders_are_named_by_file_row_and_field(tmp_path, files, message):
    (tmp_path / "n").mkdir()
    for name, text in files.items():
        (tmp_path / "n" / name).write_text(text)
    with pytest.raises(InputError, match=message):
        read_real_networks(tmp_path)


def test_an_empty_or_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no network folders"):
        read_real_networks(tmp_path)
    with pytest.raises(InputError, match="no such folder"):
        read_real_networks(tmp_path / "nowhere")


def test_ties_share_the_places_left_at_the_cut_off():
    # 5 takes one place; the three people on 4 share the other two, one of them relevant
    assert expected_hits([5, 4, 4, 4, 1], [True, True, False, False, True], 3) == pytest.approx(
        1 + 2 / 3
    )
    assert expected_hits([1, 1], [True, False], 0) == 0.0


def test_the_hubs_of_two_stars_top_every_sensible_ranking(tmp_path):
    _two_stars(tmp_path / "stars")
    net = read_real_network(tmp_path / "stars")
    rows = score_ranking(net.graph, net.relevant, ks=(2, 5))
    got = {(r["method"], r["metric"], r["k"]): r["value"] for r in rows}
    for method in ("default", "degree", "pagerank"):
        assert got[(method, "precision", 2)] == 1.0
        assert got[(method, "r_precision", None)] == 1.0
        assert got[(method, "precision", 5)] == pytest.approx(0.4)
    assert score_ranking(net.graph, set()) == []


def test_hidden_ties_of_a_clustered_graph_are_found_above_chance():
    G = nx.relaxed_caveman_graph(6, 7, 0.1, seed=1)
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    rows = score_hidden_ties(G, repeats=3, seed=0)
    got = {(r["method"], r["metric"]): r for r in rows}
    assert {m for m, _ in got} == {"model", "common_neighbours", "adamic_adar", "katz"}
    for method in ("model", "adamic_adar"):
        assert got[(method, "roc_auc")]["value"] > 0.75
    hidden = got[("model", "precision")]["k"]
    assert hidden == round(0.1 * G.number_of_edges())
    assert "mean of 3 repeats" in got[("model", "roc_auc")]["detail"]
    assert 0 <= got[("model", "brier")]["value"] < 0.25
    # the same seed gives the same numbers
    assert score_hidden_ties(G, repeats=3, seed=0) == rows


def test_key_players_rows_give_the_plan_and_the_best_sequential_strategy():
    rows = score_key_players(nx.path_graph(12), max_k=3)
    plan = {r["k"]: r["value"] for r in rows if r["method"] == "keyplayer"}
    seq = {r["k"]: r["value"] for r in rows if r["method"] == "best sequential"}
    assert plan == {1: 6.0, 2: 4.0, 3: 3.0}
    assert all(plan[k] <= seq[k] for k in plan) and plan[2] < seq[2]


def test_evaluate_real_runs_every_check_on_every_network(tmp_path):
    _two_stars(tmp_path / "a_stars")
    _two_stars(tmp_path / "b_plain", roles=None)
    rows = evaluate_real(tmp_path, repeats=2, max_k=2)
    assert set(rows["network"]) == {"a_stars", "b_plain"}
    tasks = rows.groupby("network")["task"].unique().map(set).to_dict()
    assert tasks == {
        "a_stars": {"ranking", "learned ranking", "hidden ties", "key players"},
        "b_plain": {"hidden ties", "key players"},
    }
    tables = real_summary(rows)
    assert list(tables["ranking"].columns) == ["network", "method", "P@5", "P@10", "R-prec"]
    assert list(tables["key players"].columns) == ["network", "k=1", "k=2"]
    learned = tables["learned ranking"].set_index("method")
    assert {"model", "model without neighbour labels", "default", "degree"} <= set(learned.index)
    verdict = rows[rows["metric"] == "verdict"]
    assert verdict["detail"].str.startswith("The model").all() and len(verdict) == 1
    assert rows.attrs == {"seed": 0, "repeats": 2, "share": 0.1}


def test_the_command_prints_writes_and_regenerates_the_readme(tmp_path, cli):
    _two_stars(tmp_path / "real" / "stars")
    readme = tmp_path / "README.md"
    readme.write_text(f"# Case\n{REAL_START}\nold\n{REAL_END}\nrest\n")
    out = tmp_path / "docs" / "real.json"
    res = cli("evaluate", "--real", tmp_path / "real", "--out", out, "--readme", readme)
    assert res.exit_code == 0, res.output
    assert "Real networks: ranking" in res.output and "Real networks: key players" in res.output
    doc = json.loads(out.read_text())
    assert {"date", "seed", "repeats", "machine", "rows"} <= set(doc)
    assert {r["task"] for r in doc["rows"]} == {
        "ranking",
        "learned ranking",
        "hidden ties",
        "key players",
    }
    text = readme.read_text()
    assert "| stars | default |" in text and "[`docs/real.json`](docs/real.json)" in text
    assert text.endswith(f"{REAL_END}\nrest\n") and "\nold\n" not in text
    again = cli("evaluate", "--from", out, "--readme", readme)
    assert again.exit_code == 0 and "unchanged" in again.output
    bad = cli("evaluate", "--real", tmp_path / "nowhere")
    assert bad.exit_code == 1 and "no such folder" in bad.output


@needs_real
def test_on_caviar_the_default_top_5_is_as_good_as_the_best_single_measure():
    net = read_real_network(REAL / "caviar")
    assert net.relevant == {"1", "3", "12", "87"}
    rows = score_ranking(net.graph, net.relevant)
    got = {(r["method"], r["metric"], r["k"]): r["value"] for r in rows}
    for metric, k in (("precision", 5), ("precision", 10), ("r_precision", None)):
        single = max(got[(m, metric, k)] for m in ("degree", "betweenness", "pagerank"))
        assert got[("default", metric, k)] >= single, (metric, k)


@needs_real
def test_every_real_network_gets_hidden_tie_scores_and_plans_never_worse(tmp_path):
    for folder in sorted(p for p in REAL.iterdir() if p.is_dir()):
        (tmp_path / folder.name).symlink_to(folder)
    rows = evaluate_real(tmp_path, repeats=1, max_k=10)
    assert set(rows["network"]) >= {"caviar", "cielnet", "oversize"}
    auc = rows[(rows["task"] == "hidden ties") & (rows["metric"] == "roc_auc")]
    assert auc.groupby("network")["method"].nunique().eq(4).all()
    assert auc["value"].between(0, 1).all()
    kp = rows[rows["task"] == "key players"].pivot_table(
        index=["network", "k"], columns="method", values="value"
    )
    assert (kp["keyplayer"] <= kp["best sequential"]).all()
    assert (kp["keyplayer"] < kp["best sequential"]).any()


def test_the_readme_tables_are_those_of_the_newest_committed_results(tmp_path):
    from netintel.evaluation.real_readme import update_real_readme

    root = Path(__file__).resolve().parents[2]
    newest = sorted((root / "docs" / "evaluation" / "real").glob("*.json"))[-1]
    readme = tmp_path / "README.md"
    readme.write_text((root / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    docs = tmp_path / "docs" / "evaluation" / "real"
    docs.mkdir(parents=True)
    (docs / newest.name).write_text(newest.read_text(encoding="utf-8"), encoding="utf-8")
    assert not update_real_readme(readme, docs / newest.name), (
        "README.md's real-network tables differ from "
        f"{newest.relative_to(root)}: run netintel evaluate --from {newest.relative_to(root)} "
        "--readme README.md"
    )
