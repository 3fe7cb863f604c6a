"""What the benchmarks share: synthetic record sets, steps in fresh processes, medians.

Each measured step runs in a fresh Python process (:func:`step`, :func:`run_script`), so its
peak memory (``ru_maxrss``) is its own and no cache survives from one step to the next. A
step script prints one JSON object as its last line of output.

:data:`STEP` is the ingest and rank step of ``bench/run.py``. It opens its location with
``netintel.open``, so the same step measures an embedded database (a path) and a Neo4j
server (a ``bolt://`` URI, with credentials in the environment given to :func:`step`).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORD_KINDS = ("arrests", "seizures", "communications", "links")

#: ``ingest``: load the four CSV files with ``ws.ingest`` (progress events timed, so the
#: output says how long reading, writing each label and type, and resolution took);
#: ``rank``: project the person graph, then ``ws.rank_targets(top=100, engine=ENGINE)``,
#: and write the ranked ``person_id``s to OUT when one is given.
STEP = r"""
import json, resource, sys, time
import netintel
step, data, location, engine = sys.argv[1:5]
out = sys.argv[5] if len(sys.argv) > 5 else ""
files = {k: f"{data}/{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
events = []
t = time.perf_counter()
def progress(name, n):
    events.append([name, n, time.perf_counter() - t])
with netintel.open(location) as ws:
    opened_s = time.perf_counter() - t
    if step == "ingest":
        report = ws.ingest(progress=progress, **files)
        extra = {"read": int(report.reconciliation["read"].sum()),
                 "quarantined": int(report.reconciliation["quarantined"].sum()),
                 "people": report.counts["Person"],
                 "nodes": sum(v for k, v in report.counts.items() if k[:1].isupper() and not k.isupper()),
                 "relationships": sum(v for k, v in report.counts.items() if k.isupper()),
                 "open_s": opened_s, "events": events}
    else:
        t0 = time.perf_counter()
        G = ws.graph()
        project_s = time.perf_counter() - t0
        targets = ws.rank_targets(top=100, engine=engine)
        extra = {"project_s": project_s, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                 "engine": targets.attrs.get("engine", engine)}
        if out:
            with open(out, "w") as f:
                json.dump([str(p) for p in targets["person_id"]], f)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, **extra}))
"""


def run_script(
    script: str,
    *args: object,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    what: str = "step",
) -> dict:
    """Run ``script`` in a fresh Python process with ``args``; return its last JSON line.

    ``env`` is added to this process's environment. Raises RuntimeError with the end of the
    child's standard error when it fails.
    """
    out = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def step(
    name: str,
    data: Path,
    location: Path | str,
    engine: str = "auto",
    *,
    out: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> dict:
    """One :data:`STEP` (``"ingest"`` or ``"rank"``) in a fresh process."""
    args = [name, data, location, engine] + ([out] if out else [])
    return run_script(STEP, *args, env=env, timeout=timeout, what=name)


def ingest_phases(run: dict) -> dict[str, float]:
    """Seconds of an ingest step spent opening the store, reading and normalising the files
    (up to the ``graph`` event), writing the graph batch (up to the last label or type
    written), resolving people (up to ``resolve people``), and the rest (counts, close)."""
    marks = {name: s for name, _, s in run["events"]}
    written = [s for name, _, s in run["events"] if name not in ("graph", "resolve people")]
    read_end = marks.get("graph", run["open_s"])
    write_end = max(written[-1], read_end) if written else read_end
    resolve_end = marks.get("resolve people", write_end)
    return {
        "open": run["open_s"],
        "read": read_end - run["open_s"],
        "write": write_end - read_end,
        "resolve": resolve_end - write_end,
        "rest": run["seconds"] - resolve_end,
    }


def synthetic(records: int, folder: Path, *, seed: int = 0) -> float:
    """Write the synthetic record set of ``records`` rows to ``folder``; return the seconds."""
    from netintel.synthetic import generate, write

    t = time.perf_counter()
    write(generate(records, seed=seed), folder)
    return time.perf_counter() - t


def remove(path: Path) -> None:
    """Delete a database folder or file, if any."""
    shutil.rmtree(path, ignore_errors=True)
    if path.exists():
        path.unlink()


def median(runs: list[dict], key: str) -> float | None:
    """The median of ``run[key]`` over ``runs``, or None when there are none."""
    return statistics.median(r[key] for r in runs) if runs else None


def machine() -> dict:
    """The machine (:func:`netintel.evaluation.machine_info`, as the evaluation records it)
    and its memory and load when a benchmark starts (load averages: 1, 5, 15 minutes)."""
    from netintel.evaluation import machine_info

    info = machine_info()
    try:
        info["memory_gib"] = round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
        )
        info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    except (OSError, ValueError, AttributeError):
        pass
    return info


def save(out: Path, payload: dict) -> Path:
    """Write ``payload`` as JSON to ``out`` (its folder created); return ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, default=str))
    return out
