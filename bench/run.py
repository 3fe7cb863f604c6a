"""Benchmark: ingest and rank synthetic record sets of growing size.

Each measurement runs in a fresh Python process (so peak memory is that step's own), several
times; the table reports medians. The NetworkX-only baseline ranks the same graph with
``engine="networkx"`` in the same run, so the ratio compares like with like on one machine.

Usage::

    python bench/run.py                       # 10k, 100k, 1M records
    python bench/run.py --sizes 10000 --repeat 5
    python bench/run.py --baseline-max 100000 # skip the slow NetworkX baseline above this size

Results go to ``bench/results/<date>.json`` and a Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from netintel.evaluation import machine_info

HERE = Path(__file__).resolve().parent

STEP = r"""
import json, resource, sys, time
import netintel
step, data, db, engine = sys.argv[1:5]
files = {k: f"{data}/{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
t = time.perf_counter()
with netintel.open(db) as ws:
    if step == "ingest":
        report = ws.ingest(**files)
        extra = {"read": int(report.reconciliation["read"].sum()),
                 "quarantined": int(report.reconciliation["quarantined"].sum()),
                 "people": report.counts["Person"]}
    else:
        t0 = time.perf_counter()
        G = ws.graph()
        project_s = time.perf_counter() - t0
        targets = ws.rank_targets(top=100, engine=engine)
        extra = {"project_s": project_s, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                 "engine": targets.attrs.get("engine", engine)}
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, **extra}))
"""


def _step(
    step: str, data: Path, db: Path, engine: str = "auto", timeout: float | None = None
) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", STEP, step, str(data), str(db), engine],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_size(records: int, repeat: int, baseline: bool, seed: int = 0) -> dict:
    from netintel.synthetic import generate, write

    work = Path(tempfile.mkdtemp(prefix=f"netintel-bench-{records}-"))
    try:
        t = time.perf_counter()
        write(generate(records, seed=seed), work / "data")
        gen_s = time.perf_counter() - t
        ingests, ranks, baselines = [], [], []
        for i in range(repeat):
            db = work / f"run{i}.db"
            ingests.append(_step("ingest", work / "data", db))
            ranks.append(_step("rank", work / "data", db))
            if baseline:
                baselines.append(_step("rank", work / "data", db, engine="networkx"))
            shutil.rmtree(db, ignore_errors=True)
            if db.exists():
                db.unlink()
        return {
            "records": records,
            "generate_s": gen_s,
            "ingest": ingests,
            "rank": ranks,
            "baseline": baselines,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _median(runs: list[dict], key: str) -> float | None:
    return statistics.median(r[key] for r in runs) if runs else None


def markdown(results: list[dict]) -> str:
    lines = [
        "| records | people | person ties | ingest s | ingest peak MB | rank s (engine) | rank peak MB "
        "| NetworkX-only rank s | ratio | end-to-end s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ing, rk, base = r["ingest"], r["rank"], r["baseline"]
        ingest_s, rank_s = _median(ing, "seconds"), _median(rk, "seconds")
        base_s = _median(base, "seconds")
        ratio = f"{base_s / rank_s:.1f}x" if base_s else "n/a"
        lines.append(
            f"| {r['records']:,} | {ing[0]['people']:,} | {rk[0]['edges']:,} | {ingest_s:.1f} "
            f"| {_median(ing, 'peak_mb'):.0f} | {rank_s:.1f} ({rk[0]['engine']}) | {_median(rk, 'peak_mb'):.0f} "
            f"| {f'{base_s:.1f}' if base_s else 'n/a'} | {ratio} | {ingest_s + rank_s:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (medians reported)")
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=100_000,
        help="largest size for the NetworkX-only baseline (it is slow)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="results JSON [default: results/<date>.json]"
    )
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        print(f"benchmarking {size:,} records ...", file=sys.stderr)
        results.append(bench_size(size, args.repeat, baseline=size <= args.baseline_max))
    machine = machine_info()
    out = args.out or HERE / "results" / f"{dt.date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    print(markdown(results))
    print(f"\nmachine: {machine}\nraw results: {out}")


if __name__ == "__main__":
    main()
