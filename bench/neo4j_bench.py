"""Benchmark: the Neo4j store and Graph Data Science beside the embedded store.

Uses the synthetic record sets of ``bench/run.py`` and the local Neo4j 5.26 Community + OpenGDS
2.13 server of ``neo4j-server/server.py`` (jars from Maven Central; Java 17+ and Maven needed).

**Ingest** (every size, ``--repeat`` times; each load in a fresh Python process, each Neo4j
load into a fresh server home, so the database is empty and the JVM's peak memory is that
load's own):

- ``embedded``: ``ws.ingest(...)`` into a new LadybugDB database (as ``bench/run.py``);
- ``neo4j MERGE``: the same ``ws.ingest(...)`` into a fresh Neo4j server (``UNWIND $rows ...
  MERGE`` batches), once per ``--batch-sizes`` (``NETINTEL_NEO4J_BATCH_SIZE``);
- ``neo4j bulk``: the embedded database just loaded, exported for ``neo4j-admin`` (netintel's
  ``export_neo4j_admin``), loaded with ``neo4j-admin database import full`` into a fresh
  server home, then netintel's constraints and indexes created (and awaited).

A failed load is recorded with its error and the seconds it ran, and the benchmark goes on.

Memory: the Python client's ``ru_maxrss`` (per step process), and the server JVM's VmHWM and
VmRSS read from ``/proc/<pid>/status`` after the server started (before the load) and after it.
The heap is sized with initial = maximum (``--heap``): the JVM reserves it at start, and pages
count as resident as they are touched.

**Analysis** (at ``--analysis-size``, on one Neo4j database loaded with the bulk path; every
step ``--repeat`` times, each in a fresh Python process):

- the ranking ``ws.rank_targets(top=100)`` with ``engine="gds"`` (rings by Louvain in GDS,
  measures in-process) and with the in-process engine (``--inprocess-engine``, igraph), both
  including the projection of the person graph from the database;
- ``netintel.store.gds.centrality`` (every measure in GDS, on a GDS projection made from the
  database) against ``netintel.analysis.centrality.centrality`` on the person graph read from
  the same database: exact betweenness, and betweenness sampled from ``k`` sources (``k`` as
  the in-process default chooses it); the GDS projection alone is timed too;
- agreement: overlap of the top 100 by PageRank and by betweenness, largest differences,
  overlap of the two ranked top-100 target lists.

Usage::

    python bench/neo4j_bench.py                              # 10k and 100k, 3 runs each
    python bench/neo4j_bench.py --sizes 10000 --repeat 1 --analysis-size 10000
    python bench/neo4j_bench.py --batch-sizes 10000 1000     # a second MERGE batch size

Results go to ``bench/results/<date>-neo4j.json`` and Markdown tables on standard output.
(The file is not called ``neo4j.py``: run as a script, it would shadow the ``neo4j`` driver.)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pandas as pd
from harness import (
    HERE,
    ingest_phases,
    machine,
    median,
    remove,
    run_script,
    save,
    step,
    synthetic,
)

ROOT = HERE.parent
#: Sized for the project's 2-core, 24 GB machine, which also runs the Python client (up to
#: ~1.5 GB in these steps) and other work: see bench/README.md.
HEAP, PAGECACHE = "4g", "2g"
TOP = 100

#: Exports an embedded database for neo4j-admin; prints the import command's arguments.
EXPORT = r"""
import json, resource, shlex, sys, time
from netintel.exchange.neo4j_admin import export_neo4j_admin
from netintel.store.embedded import EmbeddedStore
db, folder = sys.argv[1:3]
t = time.perf_counter()
with EmbeddedStore(db, read_only=True) as store:
    export = export_neo4j_admin(store, folder)
seconds = time.perf_counter() - t
args = shlex.split(export.command.replace("\\\n", " "))
print(json.dumps({"seconds": seconds, "rows": sum(export.counts.values()), "args": args[1:],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

#: Runs ``neo4j-admin ARGS`` on a server home; peak memory is the tool's JVM (a child).
ADMIN = r"""
import importlib.util, json, resource, sys, time
from pathlib import Path
spec = importlib.util.spec_from_file_location("netintel_neo4j_server", sys.argv[1])
server = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = server
spec.loader.exec_module(server)
home, heap, args = Path(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
t = time.perf_counter()
done = server.admin(home, *args, heap=heap)
seconds = time.perf_counter() - t
if done.returncode != 0:
    sys.exit(f"neo4j-admin failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
print(json.dumps({"seconds": seconds, "tail": done.stdout.strip().splitlines()[-3:],
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

#: One analysis step on a Neo4j URI: ``gds-project``, ``gds-centrality`` or
#: ``inprocess-centrality``, betweenness ``exact`` or sampled from K sources; the measures
#: are written to OUT (CSV) for the agreement check.
ANALYSIS = r"""
import json, resource, sys, time, warnings
import netintel
from netintel.analysis.network.centrality import centrality
from netintel.store import gds
what, uri, k, out = sys.argv[1:5]
k = None if k == "exact" else int(k)
extra, frame = {}, None
t = time.perf_counter()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with netintel.open(uri, read_only=True) as ws:
        if what == "gds-project":
            with gds.projected(ws.store) as g:
                extra.update(people=g.people, ties=g.ties)
        elif what == "gds-centrality":
            frame = gds.centrality(ws.store, betweenness_k=k, seed=0)
        else:
            t0 = time.perf_counter()
            G = ws.graph()
            extra.update(project_s=time.perf_counter() - t0, people=G.number_of_nodes(),
                         ties=G.number_of_edges())
            t0 = time.perf_counter()
            frame = centrality(G, betweenness_k=k or G.number_of_nodes(), seed=0)
            extra["compute_s"] = time.perf_counter() - t0
seconds = time.perf_counter() - t
if frame is not None:
    frame.to_csv(out, index=False)
    extra.update(engine=frame.attrs["engine"], betweenness_k=frame.attrs["betweenness_k"])
extra["warnings"] = [str(w.message)[:300] for w in caught]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, **extra}))
"""


# -- the server -------------------------------------------------------------------------------
def server_module() -> ModuleType:
    """``neo4j-server/server.py`` as a module (loaded by path, as the tests load it)."""
    spec = importlib.util.spec_from_file_location(
        "netintel_neo4j_server", ROOT / "neo4j-server" / "server.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def jvm_memory(pid: int) -> dict[str, float]:
    """``VmHWM`` (peak resident) and ``VmRSS`` of process ``pid``, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            out[name] = int(value.split()[0]) / 1024
    return out


def disk_mb(folder: Path) -> float:
    """Bytes of every file under ``folder``, in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _load() -> float:
    return round(os.getloadavg()[0], 2)


@contextlib.contextmanager
def fresh_server(
    server: ModuleType, home: Path, heap: str, pagecache: str
) -> Iterator[tuple[object, float]]:
    """A server started in ``home`` (whatever is there already: an import), stopped and
    deleted afterwards; yields it and the seconds its start took."""
    t = time.perf_counter()
    started = server.start(home, heap=heap, pagecache=pagecache)
    start_s = time.perf_counter() - t
    try:
        yield started, start_s
    finally:
        server.stop(home, timeout=60)
        remove(home)


def _failure(e: Exception) -> str:
    lines = [ln for ln in str(e).splitlines() if ln.strip()]
    return lines[-1][-600:] if lines else repr(e)


# -- ingest -----------------------------------------------------------------------------------
def merge_ingest(
    server: ModuleType, data: Path, home: Path, batch_size: int, args: argparse.Namespace
) -> dict:
    """``ws.ingest`` into a fresh server (``UNWIND ... MERGE`` batches of ``batch_size``)."""
    with fresh_server(server, home, args.heap, args.pagecache) as (srv, start_s):
        before, load = jvm_memory(srv.pid), _load()
        env = srv.env() | {"NETINTEL_NEO4J_BATCH_SIZE": str(batch_size)}
        t = time.perf_counter()
        try:
            run = step("ingest", data, srv.uri, env=env, timeout=args.timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            run = {"failed": _failure(e), "seconds": time.perf_counter() - t}
        run.update(
            batch_size=batch_size,
            server_start_s=start_s,
            jvm_before_mb=before,
            jvm_after_mb=jvm_memory(srv.pid),
            store_mb=disk_mb(home / "data" / "databases"),
            tx_logs_mb=disk_mb(home / "data" / "transactions"),
            load_before=load,
        )
    return run


def bulk_load(
    server: ModuleType, db: Path, work: Path, home: Path, args: argparse.Namespace
) -> tuple[dict, dict]:
    """Export ``db`` for neo4j-admin and import it into a new server home (not started)."""
    folder = work / "export"
    remove(folder)
    export = run_script(EXPORT, db, folder, what="export", timeout=args.timeout)
    (home / "conf").mkdir(parents=True)
    conf = server.render_conf(home, server.free_port(), heap=args.heap, pagecache=args.pagecache)
    (home / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")
    imported = run_script(
        ADMIN,
        ROOT / "neo4j-server" / "server.py",
        home,
        args.heap,
        json.dumps(export.pop("args")),
        what="neo4j-admin import",
        timeout=args.timeout,
    )
    remove(folder)
    return export, imported


def create_schema(srv: object) -> float:
    """netintel's constraints and indexes on a started server, awaited; the seconds."""
    import neo4j

    from netintel.schema import load_schema
    from netintel.store.neo4j import render_schema

    t = time.perf_counter()
    with neo4j.GraphDatabase.driver(srv.uri, auth=srv.auth) as driver:
        for statement in render_schema(load_schema()):
            driver.execute_query(statement)
        driver.execute_query("CALL db.awaitIndexes(3600)")
    return time.perf_counter() - t


@contextlib.contextmanager
def bulk_server(
    server: ModuleType, db: Path, work: Path, home: Path, args: argparse.Namespace
) -> Iterator[tuple[object, dict]]:
    """The bulk path for the embedded database ``db``: export, import, start, schema."""
    export, imported = bulk_load(server, db, work, home, args)
    with fresh_server(server, home, args.heap, args.pagecache) as (srv, start_s):
        before = jvm_memory(srv.pid)
        schema_s = create_schema(srv)
        yield (
            srv,
            {
                "export_s": export["seconds"],
                "export_peak_mb": export["peak_mb"],
                "rows": export["rows"],
                "import_s": imported["seconds"],
                "import_peak_mb": imported["peak_mb"],
                "import_tail": imported["tail"],
                "schema_s": schema_s,
                "server_start_s": start_s,
                "jvm_before_mb": before,
                "jvm_after_mb": jvm_memory(srv.pid),
                "store_mb": disk_mb(home / "data" / "databases"),
                "tx_logs_mb": disk_mb(home / "data" / "transactions"),
            },
        )


def bench_ingest(
    server: ModuleType, records: int, data: Path, work: Path, args: argparse.Namespace
) -> dict:
    """Every ingest of one size, ``args.repeat`` times (see the module notes)."""
    runs: dict[str, list[dict]] = {"embedded": [], "bulk": []}
    runs |= {f"merge-{b}": [] for b in args.batch_sizes}
    for i in range(args.repeat):
        print(f"  {records:,} records, run {i + 1}/{args.repeat}", file=sys.stderr)
        db, load = work / f"run{i}.db", _load()
        run = step("ingest", data, db, timeout=args.timeout)
        run.update(load_before=load, phases=ingest_phases(run))
        runs["embedded"].append(run)
        with bulk_server(server, db, work, work / f"bulk{i}", args) as (_, bulk):
            bulk["ingest_s"] = run["seconds"]
            bulk["seconds"] = run["seconds"] + bulk["export_s"] + bulk["import_s"]
            bulk["seconds"] += bulk["schema_s"]
            runs["bulk"].append(bulk)
        remove(db)
        for b in args.batch_sizes:
            merged = merge_ingest(server, data, work / f"merge{i}-{b}", b, args)
            if "failed" not in merged:
                merged["phases"] = ingest_phases(merged)
            runs[f"merge-{b}"].append(merged)
            print(f"    MERGE batch {b}: {merged.get('failed', 'ok')}", file=sys.stderr)
    return {"records": records, **runs}


# -- analysis ---------------------------------------------------------------------------------
def _top(frame: pd.DataFrame, column: str, n: int = TOP) -> set[str]:
    order = frame.sort_values([column, "person_id"], ascending=[False, True], kind="mergesort")
    return set(order["person_id"].astype(str).head(n))


def agreement(out: Path) -> dict:
    """Top-100 overlaps and largest differences between the saved measures."""
    read = {
        name: pd.read_csv(out / f"{name}.csv", dtype={"person_id": str})
        for name in ("gds-exact", "inprocess-exact", "gds-sampled", "inprocess-sampled")
    }
    result: dict[str, object] = {}
    for a, b in (
        ("gds-exact", "inprocess-exact"),
        ("gds-sampled", "inprocess-sampled"),
        ("gds-sampled", "gds-exact"),
        ("inprocess-sampled", "inprocess-exact"),
    ):
        x, y = read[a], read[b]
        joined = x.merge(y, on="person_id", suffixes=("_a", "_b"))
        pair: dict[str, object] = {"people": len(joined), "people_a": len(x), "people_b": len(y)}
        for m in ("pagerank", "betweenness", "degree"):
            diff = (joined[f"{m}_a"] - joined[f"{m}_b"]).abs()
            pair[m] = {
                "top100_overlap": len(_top(x, m) & _top(y, m)),
                "max_abs_diff": float(diff.max()),
                "max_value": float(joined[f"{m}_b"].max()),
                "spearman": float(joined[f"{m}_a"].corr(joined[f"{m}_b"], method="spearman")),
            }
        result[f"{a} vs {b}"] = pair
    ranked = {e: json.loads((out / f"rank-{e}.json").read_text()) for e in ("gds", "inprocess")}
    result["ranking top100 overlap"] = len(set(ranked["gds"]) & set(ranked["inprocess"]))
    return result


def bench_analysis(
    server: ModuleType, records: int, data: Path, work: Path, args: argparse.Namespace
) -> dict:
    """Ranking and centrality at one size, GDS against in-process, on one Neo4j database."""
    from netintel.analysis.engine import default_betweenness_k

    db = work / "analysis.db"
    loaded = step("ingest", data, db, timeout=args.timeout)
    out = work / "measures"
    out.mkdir()
    steps: dict[str, list[dict]] = {}
    with bulk_server(server, db, work, work / "analysis-home", args) as (srv, bulk):
        remove(db)
        env = srv.env()
        size = run_script(ANALYSIS, "gds-project", srv.uri, "exact", "-", env=env)
        k = default_betweenness_k(size["people"], size["ties"]) or 256
        plan = [
            ("rank gds", None),
            ("rank inprocess", None),
            ("gds-project", "exact"),
            ("gds-centrality", "exact"),
            ("inprocess-centrality", "exact"),
            ("gds-centrality", k),
            ("inprocess-centrality", k),
        ]
        for i in range(args.repeat):
            print(f"  analysis at {records:,} records, run {i + 1}/{args.repeat}", file=sys.stderr)
            for what, betweenness in plan:
                name = what if betweenness is None else f"{what} {betweenness}"
                load = _load()
                if what.startswith("rank"):
                    engine = "gds" if what == "rank gds" else args.inprocess_engine
                    saved = out / f"rank-{what.split()[1]}.json"
                    run = step("rank", data, srv.uri, engine, out=saved, env=env)
                else:
                    kind = "sampled" if betweenness != "exact" else "exact"
                    saved = out / f"{what.split('-')[0]}-{kind}.csv"
                    run = run_script(
                        ANALYSIS, what, srv.uri, betweenness, saved, env=env, timeout=args.timeout
                    )
                run.update(load_before=load, jvm_after_mb=jvm_memory(srv.pid))
                steps.setdefault(name, []).append(run)
        agree = agreement(out)
    return {
        "records": records,
        "people": size["people"],
        "ties": size["ties"],
        "betweenness_k": k,
        "inprocess_engine": args.inprocess_engine,
        "embedded_ingest": loaded,
        "bulk": bulk,
        "steps": steps,
        "agreement": agree,
    }


# -- report -----------------------------------------------------------------------------------
def versions(server: ModuleType, args: argparse.Namespace) -> dict:
    """Neo4j, GDS and client library versions (one short-lived server), and the memory
    Neo4j's own tool recommends for this machine."""
    import neo4j

    out = {
        p: importlib.metadata.version(p)
        for p in ("neo4j", "ladybug", "igraph", "networkx", "pandas", "splink")
    }
    home = Path(tempfile.mkdtemp(prefix="netintel-neo4j-versions-"))
    with fresh_server(server, home, args.heap, args.pagecache) as (srv, start_s):
        with neo4j.GraphDatabase.driver(srv.uri, auth=srv.auth) as driver:
            rows = driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition "
                "RETURN name, versions[0] AS version, edition"
            ).records
        out |= {f"server {r['name']}": f"{r['version']} {r['edition']}" for r in rows}
        out["gds"] = srv.version
        out["server_start_s"] = start_s
        memory = f"--memory={round(machine().get('memory_gib', 24))}g"
        advice = server.admin(home, "server", "memory-recommendation", memory)
        out["memory_recommendation"] = [
            ln for ln in advice.stdout.splitlines() if ln.startswith("server.memory")
        ]
    return out


LABELS = {"embedded": "embedded (LadybugDB COPY)", "bulk": "Neo4j bulk (neo4j-admin import)"}


def _stores(result: dict) -> list[str]:
    return ["embedded", *[k for k in result if k.startswith("merge-")], "bulk"]


def _label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    return f"Neo4j MERGE, batch {name.removeprefix('merge-')}"


def ingest_table(results: list[dict]) -> str:
    """Seconds, records/s and memory of every load (medians of the runs that finished)."""
    lines = [
        "| records | store | ingest s | records/s | client peak MB "
        "| server VmHWM MB (start -> end) | store + tx logs MB | runs ok |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        n = r["records"]
        for name in _stores(r):
            runs = [x for x in r[name] if "failed" not in x]
            ok = f"{len(runs)}/{len(r[name])}"
            if not runs:
                lines.append(
                    f"| {n:,} | {_label(name)} | failed after {median(r[name], 'seconds'):.0f} s: "
                    f"{r[name][0]['failed'][:160]} | | | | | {ok} |"
                )
                continue
            s = median(runs, "seconds")
            jvm = disk = "-"
            if name == "bulk":
                client = f"{median(runs, 'export_peak_mb'):.0f} (export)"
            else:
                client = f"{median(runs, 'peak_mb'):.0f}"
            if name != "embedded":
                hwm0 = median([x["jvm_before_mb"] for x in runs], "VmHWM")
                hwm1 = median([x["jvm_after_mb"] for x in runs], "VmHWM")
                jvm = f"{hwm0:.0f} -> {hwm1:.0f}"
                disk = f"{median(runs, 'store_mb'):.0f} + {median(runs, 'tx_logs_mb'):.0f}"
            lines.append(
                f"| {n:,} | {_label(name)} | {s:.1f} | {n / s:,.0f} | {client} | {jvm} "
                f"| {disk} | {ok} |"
            )
    return "\n".join(lines)


def phases_table(results: list[dict]) -> str:
    """Where an ingest's seconds go (medians)."""
    lines = [
        "| records | store | phases (median s) |",
        "|---:|---|---|",
    ]
    for r in results:
        for name in _stores(r):
            runs = [x for x in r[name] if "failed" not in x]
            if not runs:
                continue
            if name == "bulk":
                parts = ("ingest_s", "export_s", "import_s", "schema_s")
                names = ("embedded ingest", "export", "neo4j-admin import", "constraints")
                text = ", ".join(
                    f"{t} {median(runs, p):.1f}" for t, p in zip(names, parts, strict=True)
                )
                text += f" (server start {median(runs, 'server_start_s'):.1f}, not counted)"
            else:
                ph = [x["phases"] for x in runs]
                text = ", ".join(
                    f"{p} {median(ph, p):.1f}" for p in ("open", "read", "write", "resolve", "rest")
                )
            lines.append(f"| {r['records']:,} | {_label(name)} | {text} |")
    return "\n".join(lines)


def analysis_table(a: dict) -> str:
    steps = a["steps"]

    def s(name: str, key: str = "seconds") -> float:
        return median(steps[name], key)

    k = a["betweenness_k"]
    gds_project = s("gds-project exact")
    rows = [
        ('ranking, rings in GDS (`engine="gds"`)', "rank gds"),
        (f'ranking in-process (`engine="{a["inprocess_engine"]}"`)', "rank inprocess"),
        ("GDS projection alone (project, drop)", "gds-project exact"),
        ("centrality in GDS, exact betweenness", "gds-centrality exact"),
        ("centrality in-process, exact betweenness", "inprocess-centrality exact"),
        (f"centrality in GDS, betweenness k={k}", f"gds-centrality {k}"),
        (f"centrality in-process, betweenness k={k}", f"inprocess-centrality {k}"),
    ]
    lines = [
        f"{a['records']:,} records: {a['people']:,} resolved people, {a['ties']:,} ties "
        f"(betweenness sampled from k={k} sources).",
        "",
        "| step | seconds | of which projection s | of which compute s | client peak MB "
        "| server VmHWM MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, name in rows:
        runs = steps[name]
        project = compute = "-"
        if name.startswith("rank"):
            project = f"{s(name, 'project_s'):.1f} (in-process)"
        elif name.startswith("inprocess"):
            project, compute = f"{s(name, 'project_s'):.1f}", f"{s(name, 'compute_s'):.1f}"
        elif name.startswith("gds-centrality"):
            project = f"~{gds_project:.1f} (GDS, alone)"
        hwm = max(r["jvm_after_mb"]["VmHWM"] for r in runs)
        lines.append(
            f"| {label} | {s(name):.1f} | {project} | {compute} | {s(name, 'peak_mb'):.0f} "
            f"| {hwm:.0f} |"
        )
    ratio = [
        ("ranking: in-process / GDS", s("rank inprocess") / s("rank gds")),
        (
            "centrality, exact: in-process / GDS",
            s("inprocess-centrality exact") / s("gds-centrality exact"),
        ),
        (
            f"centrality, k={k}: in-process / GDS",
            s(f"inprocess-centrality {k}") / s(f"gds-centrality {k}"),
        ),
    ]
    lines += ["", "| ratio (medians, whole steps) | value |", "|---|---:|"]
    lines += [f"| {label} | {value:.2f} |" for label, value in ratio]
    return "\n".join(lines)


def agreement_table(a: dict) -> str:
    lines = [
        "| compared | PageRank top-100 overlap | PageRank max abs diff (max value) "
        "| betweenness top-100 overlap | betweenness max abs diff (max value) "
        "| betweenness Spearman | degree max abs diff |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, pair in a["agreement"].items():
        if not isinstance(pair, dict):
            continue
        pr, bw = pair["pagerank"], pair["betweenness"]
        lines.append(
            f"| {name} | {pr['top100_overlap']} | {pr['max_abs_diff']:.2g} ({pr['max_value']:.2g}) "
            f"| {bw['top100_overlap']} | {bw['max_abs_diff']:.2g} ({bw['max_value']:.2g}) "
            f"| {bw['spearman']:.4f} | {pair['degree']['max_abs_diff']:.0f} |"
        )
    lines.append(
        f"\nRanked target lists (top 100), GDS rings against in-process rings: "
        f"{a['agreement']['ranking top100 overlap']} people in common."
    )
    return "\n".join(lines)


def report(payload: dict) -> str:
    """Every table of a results payload, and the machine."""
    parts = [ingest_table(payload["ingest"]), phases_table(payload["ingest"])]
    if payload["analysis"]:
        parts += [analysis_table(payload["analysis"]), agreement_table(payload["analysis"])]
    return "\n\n".join([*parts, f"machine: {payload['machine']}"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (medians reported)")
    parser.add_argument(
        "--batch-sizes",
        type=int,
        nargs="+",
        default=[10_000],
        help="NETINTEL_NEO4J_BATCH_SIZE values for the MERGE ingest (each measured)",
    )
    parser.add_argument("--analysis-size", type=int, default=100_000, help="0: no analysis")
    parser.add_argument("--inprocess-engine", default="igraph", choices=("igraph", "networkx"))
    parser.add_argument("--heap", default=HEAP, help=f"Neo4j heap, initial = max [{HEAP}]")
    parser.add_argument("--pagecache", default=PAGECACHE, help=f"page cache [{PAGECACHE}]")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per step")
    parser.add_argument(
        "--out", type=Path, default=None, help="results JSON [default: results/<date>-neo4j.json]"
    )
    parser.add_argument("--report", type=Path, help="only print the tables of a results JSON")
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.report.read_text())))
        return
    server = server_module()
    why = server.unavailable()
    if why:
        sys.exit(f"no Neo4j server can start here: {why}")
    info = machine() | {"heap": args.heap, "pagecache": args.pagecache}
    info["versions"] = versions(server, args)
    ingests, analysis = [], None
    for size in args.sizes + ([] if args.analysis_size in args.sizes else [args.analysis_size]):
        if not size:
            continue
        print(f"benchmarking {size:,} records ...", file=sys.stderr)
        work = Path(tempfile.mkdtemp(prefix=f"netintel-bench-neo4j-{size}-"))
        try:
            generate_s = synthetic(size, work / "data")
            if size in args.sizes:
                ingests.append(bench_ingest(server, size, work / "data", work, args))
                ingests[-1]["generate_s"] = generate_s
            if size == args.analysis_size:
                analysis = bench_analysis(server, size, work / "data", work, args)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    out = args.out or HERE / "results" / f"{dt.date.today().isoformat()}-neo4j.json"
    payload = {"machine": info, "args": vars(args), "ingest": ingests, "analysis": analysis}
    save(out, payload)
    print(report(payload) + f"\n\nraw results: {out}")


if __name__ == "__main__":
    main()
