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
import shutil
import sys
import tempfile
from pathlib import Path

from harness import HERE, machine, median, remove, save, step, synthetic


def bench_size(records: int, repeat: int, baseline: bool, seed: int = 0) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"netintel-bench-{records}-"))
    try:
        gen_s = synthetic(records, work / "data", seed=seed)
        ingests, ranks, baselines = [], [], []
        for i in range(repeat):
            db = work / f"run{i}.db"
            ingests.append(step("ingest", work / "data", db))
            ranks.append(step("rank", work / "data", db))
            if baseline:
                baselines.append(step("rank", work / "data", db, engine="networkx"))
            remove(db)
        return {
            "records": records,
            "generate_s": gen_s,
            "ingest": ingests,
            "rank": ranks,
            "baseline": baselines,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def markdown(results: list[dict]) -> str:
    lines = [
        "| records | people | person ties | ingest s | ingest peak MB | rank s (engine) | rank peak MB "
        "| NetworkX-only rank s | ratio | end-to-end s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ing, rk, base = r["ingest"], r["rank"], r["baseline"]
        ingest_s, rank_s = median(ing, "seconds"), median(rk, "seconds")
        base_s = median(base, "seconds")
        ratio = f"{base_s / rank_s:.1f}x" if base_s else "n/a"
        lines.append(
            f"| {r['records']:,} | {ing[0]['people']:,} | {rk[0]['edges']:,} | {ingest_s:.1f} "
            f"| {median(ing, 'peak_mb'):.0f} | {rank_s:.1f} ({rk[0]['engine']}) | {median(rk, 'peak_mb'):.0f} "
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
    info = machine()
    out = args.out or HERE / "results" / f"{dt.date.today().isoformat()}.json"
    save(out, {"machine": info, "results": results})
    print(markdown(results))
    print(f"\nmachine: {info}\nraw results: {out}")


if __name__ == "__main__":
    main()
