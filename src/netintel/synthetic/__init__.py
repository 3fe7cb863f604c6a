"""Seeded synthetic trafficking records with a planted ground truth.

:func:`generate` plants a Laos-Vietnam trafficking landscape (rings with leaders,
lieutenants, financiers, couriers, buyers, sellers and lookouts; brokers between rings;
decoys; unrelated people), then writes what an agency would hold about it: arrest, seizure,
communication and link records, with spelling variants, missing identifiers, formatting
variation and a few malformed rows. The truth (who is who, which rows name them, which rows
are variants or malformed, which corridors carry the volume) comes with it, so analytic
quality can be measured as a number (see :mod:`netintel.evaluation`).

The same ``seed`` and ``records`` always give byte-identical files.

Examples
--------
>>> ds = generate(300, seed=7)
>>> ds.records
300
>>> sorted(ds.frames())
['arrests', 'communications', 'links', 'seizures']
>>> len(ds.truth["leaders"]) == len(ds.truth["rings"])
True
"""

from __future__ import annotations

import gc
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.errors import InputError, OutputError
from netintel.synthetic import (
    _contacts,
    _hidden,
    _hotspots,
    _online,
    _parcels,
    _people,
    _records,
    _render,
    _truth,
)

__all__ = [
    "CHANNEL_FILES",
    "FILES",
    "MIN_RECORDS",
    "SyntheticDataset",
    "generate",
    "generate_to",
    "write",
]

logger = logging.getLogger(__name__)

MIN_RECORDS = 100
FILES = ("arrests", "seizures", "communications", "links")
#: The record files of the channels planted on top of the four (:mod:`._parcels`), outside
#: the ``records`` total, so the four files and their truth are the same with or without them.
CHANNEL_FILES = ("shipments", "hotspots", "accounts", "interactions")


@dataclass
class SyntheticDataset:
    """The generated records (all columns as text, as they will be written) and the truth.

    Attributes
    ----------
    arrests, seizures, communications, links : pandas.DataFrame
        One frame per record file, columns in file order, every value a ``str``
        (``""`` for blank).
    truth : dict
        The planted ground truth (layout in the README written next to the files and in
        ``fixtures/README.md``).
    shipments : pandas.DataFrame
        Express-delivery waybills: the planted parcel rings and ordinary parcels around them
        (``truth["parcel_rings"]``, ``truth["parcel_people"]``); not counted in
        :attr:`records`.
    hotspots : pandas.DataFrame
        Arrest records (the columns of ``arrests``) of the planted hotspots that are destroyed
        and re-form (``truth["hotspots"]``, ``truth["hotspot_people"]``); not counted in
        :attr:`records`.
    accounts, interactions : pandas.DataFrame
        Online accounts and their messages, adverts and payments: the planted online sellers
        whose wallets pay a supplier across the border (``truth["online_sellers"]``) and
        ordinary accounts around them; not counted in :attr:`records`.
    """

    arrests: pd.DataFrame
    seizures: pd.DataFrame
    communications: pd.DataFrame
    links: pd.DataFrame
    truth: dict = field(repr=False)
    shipments: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    hotspots: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    accounts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    interactions: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def records(self) -> int:
        """Total rows across the four files."""
        return sum(len(f) for f in self.frames().values())

    @property
    def seed(self) -> int:
        """The seed the dataset was generated with."""
        return int(self.truth["seed"])

    def frames(self) -> dict[str, pd.DataFrame]:
        """The four record frames by file stem (``arrests``, ``seizures``, ...)."""
        return {name: getattr(self, name) for name in FILES}

    def channel_frames(self) -> dict[str, pd.DataFrame]:
        """The record frames of the planted channels (:data:`CHANNEL_FILES`) by file stem."""
        return {name: getattr(self, name) for name in CHANNEL_FILES if len(getattr(self, name))}


def generate(records: int = 2000, *, seed: int = 0) -> SyntheticDataset:
    """Generate a synthetic landscape of about ``records`` rows in total.

    Parameters
    ----------
    records : int, default 2000
        Total rows across the four files (arrests, seizures, communications, links), at least
        100. The split is about 27 / 13 / 40 / 20 %; the total is exact.
    seed : int, default 0
        Seed of the only random generator used: the same seed gives the same data.

    Returns
    -------
    SyntheticDataset

    Raises
    ------
    InputError
        If ``records`` is not a whole number of at least 100, or ``seed`` is not a whole
        number >= 0 (the message names the value).

    Notes
    -----
    Ring count scales with ``records`` (about one ring per 330 rows, at least 2), ring
    sizes stay realistic (5 to ~80 people), about two brokers per ring. Calls and links are
    generated with a sixth more rows than written: the records of hidden ties are left out
    and the rest thinned to the exact counts. Generation is vectorised: on a busy 2-core
    machine a million rows take about 14 s to generate (10 s of CPU) and 9 s to write, with a
    peak of about 1.35 GB of memory (the frames hold every value as a Python ``str``).

    Examples
    --------
    >>> ds = generate(100, seed=1)
    >>> ds.records, ds.arrests.columns[:3].tolist()
    (100, ['record_id', 'arrest_date', 'name'])
    """
    records = _whole(records, "records")
    seed = _whole(seed, "seed")
    if records < MIN_RECORDS:
        raise InputError(
            f"records must be at least {MIN_RECORDS} (enough for two rings), got {records}"
        )
    if seed < 0:
        raise InputError(f"seed must be a whole number >= 0, got {seed}")
    t0 = time.perf_counter()
    # Millions of small objects and no cycles: the cyclic collector would only rescan them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(records, int(seed), t0)
    finally:
        if gc_was_enabled:
            gc.enable()


def _whole(value: object, name: str) -> int:
    """``value`` as an int when it is a whole number (``5``, ``5.0``, ``"5"``), else
    :class:`InputError` naming ``name``."""
    try:
        number = float(value) if not isinstance(value, int) else value
        if isinstance(value, bool) or number != int(number):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a whole number, got {value!r}") from None
    return int(number)


def _generate(records: int, seed: int, t0: float) -> SyntheticDataset:
    rng = np.random.default_rng(int(seed))
    plan = _people.Plan.for_records(records)
    people, rings, phones, cw = _people.plant(rng, plan)
    sz = _records.make_seizures(rng, plan, people, rings, cw)
    ar = _records.make_arrests(rng, plan, people, rings, sz)
    # Arrests may exceed their share at tiny sizes (everyone planted is arrested once):
    # communications absorb the difference so the total stays exact.
    n_com = records - len(sz) - len(ar) - plan.n_links
    bc = _contacts.broker_contacts(rng, people, rings)
    # Calls and links are over-generated: the records of hidden ties are left out, then both
    # are thinned to their exact counts.
    calls = _contacts.make_calls(rng, plan, people, rings, phones, n_com + n_com // 6 + 20, bc)
    links = _contacts.make_links(rng, plan, people, rings, plan.n_links * 7 // 6 + 20, bc)
    _hidden.apply_successions(rng, people, rings, calls, links)
    calls, links, hidden = _hidden.withhold_ties(
        rng, people, rings, phones, ar, calls, links, n_com, plan.n_links
    )
    rendered = _render.render(rng, people, phones, sz, ar, calls, links)
    truth = _truth.truth(plan, people, rings, phones, sz, ar, calls, cw, seed, hidden, rendered)
    frames = rendered.frames
    truth["records"] = records
    shipments, parcels = _parcels.plant_parcels(seed, truth)
    truth.update(parcels)
    hotspots, spots = _hotspots.plant_hotspots(seed, truth)
    truth.update(spots)
    accounts, interactions, online = _online.plant_online(seed, truth, frames["arrests"])
    truth.update(online)
    logger.info(
        "generated %d records (%d people, %d rings) in %.2f s",
        records,
        len(people),
        plan.n_rings,
        time.perf_counter() - t0,
    )
    return SyntheticDataset(
        **frames,
        truth=truth,
        shipments=shipments,
        hotspots=hotspots,
        accounts=accounts,
        interactions=interactions,
    )


def write(dataset: SyntheticDataset, out_dir: str | Path) -> dict[str, Path]:
    """Write the four CSV files, ``truth.json`` and a ``README.md`` into ``out_dir``.

    Files are UTF-8 with ``\\n`` line ends; the same dataset always gives the same bytes.

    Parameters
    ----------
    dataset : SyntheticDataset
    out_dir : str or Path
        Created if missing; files of the same names are overwritten.

    Returns
    -------
    dict of str to Path
        ``arrests``, ``seizures``, ``communications``, ``links``, ``shipments`` and
        ``hotspots`` (when the dataset has them), ``truth``, ``readme``.

    Raises
    ------
    OutputError
        If the folder or a file in it cannot be written (naming the path).
    """
    out = Path(out_dir)
    paths: dict[str, Path] = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in {**dataset.frames(), **dataset.channel_frames()}.items():
            path = out / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            paths[name] = path
        paths["truth"] = out / "truth.json"
        with paths["truth"].open("w", encoding="utf-8", newline="\n") as fh:
            _dump_truth(dataset.truth, fh)
        paths["readme"] = out / "README.md"
        paths["readme"].write_text(_readme(dataset), encoding="utf-8", newline="\n")
    except OSError as e:
        raise OutputError(f"cannot write the synthetic records to {out}: {e}") from e
    logger.info("wrote %d records to %s", dataset.records, out)
    return paths


def _dump_truth(truth: dict, fh) -> None:
    """JSON with one line per top-level scalar and per entry of the big collections.

    Readable and diff-friendly like an indented dump, but written by the C encoder.
    """

    def enc(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    fh.write("{\n")
    items = list(truth.items())
    for i, (key, value) in enumerate(items):
        end = ",\n" if i < len(items) - 1 else "\n"
        if (
            isinstance(value, dict)
            and value
            and isinstance(next(iter(value.values())), dict | list)
        ):
            inner = ",\n".join(f"  {enc(k)}: {enc(v)}" for k, v in value.items())
            fh.write(f" {enc(key)}: {{\n{inner}\n }}{end}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            inner = ",\n".join(f"  {enc(v)}" for v in value)
            fh.write(f" {enc(key)}: [\n{inner}\n ]{end}")
        else:
            fh.write(f" {enc(key)}: {enc(value)}{end}")
    fh.write("}\n")


def generate_to(out_dir: str | Path, *, records: int = 2000, seed: int = 0) -> dict[str, Path]:
    """:func:`generate` then :func:`write`; returns the written paths."""
    return write(generate(records, seed=seed), out_dir)


def _readme(ds: SyntheticDataset) -> str:
    t = ds.truth
    c = t["counts"]
    n_dup = sum(len(v) for v in t["duplicates"].values())
    roles: dict[str, int] = {}
    for p in t["persons"].values():
        roles[p["role"]] = roles.get(p["role"], 0) + 1
    role_text = ", ".join(f"{k} {v}" for k, v in sorted(roles.items()))
    top = "; ".join(
        f"{x['origin_province']} -> {x['gate']} -> {x['seizure_province']} -> "
        f"{x['destination']} ({x['count']} seizures, {x['kg']:.1f} kg-eq)"
        for x in t["corridors"][:3]
    )
    return README_TEMPLATE.format(
        seed=t["seed"],
        records=t["records"],
        arrests=c["arrests"],
        seizures=c["seizures"],
        communications=c["communications"],
        links=c["links"],
        shipments=sum(len(r["waybills"]) for r in t.get("parcel_rings", []))
        + sum(1 for p in t.get("parcel_people", {}).values() if p["role"] == "noise") // 2,
        parcel_rings=len(t.get("parcel_rings", [])),
        hotspot_rows=sum(len(p["record_ids"]) for p in t.get("hotspot_people", {}).values()),
        hotspots=len(t.get("hotspots", [])),
        accounts=len(ds.accounts),
        interactions=len(ds.interactions),
        sellers=len(t.get("online_sellers", [])),
        rings=len(t["rings"]),
        people=len(t["persons"]),
        roles=role_text,
        duplicates=n_dup,
        duplicated_people=len(t["duplicates"]),
        successions=len(t["successions"]),
        hidden=len(t["hidden_ties"]),
        namesakes=len(t["namesakes"]),
        shared=len(t["shared_phones"]),
        malformed=len(t["malformed"]),
        top=top,
        first=t["date_range"][0],
        last=t["date_range"][1],
    )


README_TEMPLATE = """\
# Synthetic trafficking records (netintel)

Generated by `netintel.synthetic` with seed {seed} and {records} records in total;
regenerate with `netintel generate --records {records} --seed {seed} --out DIR` (or
`python -m netintel.synthetic --records {records} --seed {seed} --out DIR`). Same seed, same
bytes. Everything here is invented: names, numbers, identifiers, events.

| file | rows | one row is |
| --- | --- | --- |
| arrests.csv | {arrests} | one person in one arrest |
| seizures.csv | {seizures} | one seizure |
| communications.csv | {communications} | a summary of calls between two phones |
| links.csv | {links} | a typed tie between two people |
| shipments.csv | {shipments} | an express-delivery waybill (not counted in the total) |
| hotspots.csv | {hotspot_rows} | one person in one arrest at a hotspot (columns of arrests.csv; not counted) |
| accounts.csv | {accounts} | an online account (not counted) |
| interactions.csv | {interactions} | a message, advert or payment between accounts (not counted) |
| truth.json | | the planted ground truth |

Dates run {first} .. {last}, written ISO (`2024-03-17`) or day first (`17/03/2024`); dates
of birth are sometimes a year only. Passports: `P1234567` (Vietnamese), `PA1234567` (Lao), on
most Lao nationals' arrest rows. Multi-valued fields (`phones`, `aliases`) use `;`.
Phones are Vietnamese (`+84912345678`, `0912345678`, `0912 345 678`) or Lao
(`+856 20 5555 1234`). Countries and nationalities are ISO-2 or names (`VN`, `Vietnam`,
`Việt Nam`, `LA`, `Laos`, `Lao PDR`); provinces ASCII or with diacritics; border gates
likewise (`Nam Can` / `Nậm Cắn`). Units: kg, g, bánh (a 350 g heroin cake), tablets / viên.
Seizure `origin` is `Province, LA`, `LA`, `Laos` or blank; `destination` is a city or
`Province, VN`, sometimes blank.

## What is planted

- {rings} rings ({people} people: {roles}). Lao-side rings supply, Vietnamese rings
  distribute; each runs one or two corridors (origin province -> border gate -> seizure
  province -> destination). Top corridors by volume: {top}.
- Leaders are seldom at seizure scenes: they appear in one to three arrests, recorded as
  organizer (now and then as unknown), in a takedown with lieutenants in one of the ring's
  cases; they are on many long calls with their lieutenants and financier, receive money
  transfers and hold meetings.
- Successions: in {successions} ring(s) the leader is arrested mid-period and appears in no
  later record; a lieutenant takes over (the ring's busiest caller afterwards, arrested in
  its later takedowns).
- Brokers (about two per ring) bridge two or three rings, mostly a Lao supplier and one or two
  Vietnamese buyers (the cross-border gatekeepers): calls with the leader, two lieutenants and
  a few members of each ring, directed (supply-ring people call the broker, the broker calls
  the buyers), meetings, money from the buying leader to the broker to the supplying leader;
  one arrest of their own, never organizer.
- Decoys: a phone shop owner on calls with everybody, a taxi driver on calls with couriers
  (and at some seizure scenes), a relative with many family links. None of them leads.
- Unrelated people: petty arrests, calls and links with anyone, numbers nobody in the data owns.
- Hidden ties: {hidden} pairs of ring members in real contact whose every call and link was
  left out of the files (both people are still in them through other ties).
- Identity noise: {duplicates} mentions of {duplicated_people} people differ from the canonical
  identity (spelling variant, name order, alias as the name, other Lao romanisation, missing
  or mistyped national id, passport instead of national id, partial or missing date of birth,
  or a name-only mention in a call summary). Traps: {namesakes} pairs of distinct people with
  the same or nearly the same name, {shared} numbers used by two distinct people.
- Parcel rings: {parcel_rings} rings of senders in a border province, a runner who hands
  parcels in under no name with the ring's phones, and recipients in the cities, one of them
  a member of a Vietnamese ring; ordinary parcels between unrelated people around them.
- Hotspots: {hotspots} border communes where regulars are arrested again and again until a
  raid arrests four or five of them together (one case, one day); all but the last re-form
  within a few months (two regulars return, two newcomers join them).
- Online sellers: {sellers} members of Vietnamese rings sell on Telegram: their account, MoMo
  e-wallet and USDT wallet are registered with a phone of one of their arrest rows; they
  post adverts, buyers (accounts nobody owns) message them and pay the e-wallet, and the
  USDT wallet pays the wallet of a supplier in a Lao-side ring (registered with a phone of
  the supplier's arrest row); ordinary accounts chat and pay around them.
- {malformed} malformed rows (bad date, bad phone, bad passport, missing name, unknown role or
  unit, negative or non-numeric quantity), listed in `truth.json` with the bad field.

## truth.json

- `seed`, `records`, `counts`, `date_range`
- `persons`: truth id (`T00001`) -> `name`, `national_id`, `dob`, `nationality`, `side`,
  `role` (leader, lieutenant, financier, broker, courier, buyer, seller, lookout, decoy,
  noise), `rings`, `province`, `phones` (E.164), `aliases`, `passport`, `bridges` (brokers:
  supply ring first), `handler` (members' lieutenant), `decoy_kind` and `attached_ring`
  (decoys), `record_ids` (every written record that names them: arrest rows, link rows as
  source or target, call summaries that name them; rows whose name is blanked are left out)
- `leaders`, `brokers`, `decoys`: truth ids; `gatekeepers`: the brokers bridging a Lao-side
  and a Vietnamese-side ring
- `hidden_ties`: `a`, `b` (truth ids, `a` < `b`), `ring`, `kind` (lieutenant-member,
  member-member, lieutenant-lieutenant, financier-lieutenant), `withheld` (records left out)
- `successions`: `ring`, `leader`, `arrested_on`, `record_id` (the leader's arrest row),
  `successor`, `from`
- `namesakes`: `a`, `b`, `kind` (`same_name`, `near_name`), `name_a`, `name_b`
- `shared_phones`: `phone` (E.164), `persons`
- `rings`: `id`, `side`, `home_province`, `drug`, `leader`, `lieutenants`, `financier`,
  `members`, `brokers`, `provinces`, `corridors`, `active`
- `corridors`: ranked by kg-equivalent (tablets at 0.1 g): `id`, `rank`, `origin_province`,
  `origin_country`, `gate`, `gate_province`, `seizure_province`, `destination`, `count`, `kg`,
  `tablets`, `rings`, `dominant` (planted as a dominant corridor)
- `duplicates`: truth id -> list of `record_id`, `file`, `field`, `name` (as recorded),
  `kinds` (`no_diacritics`, `order_swapped`, `name_order`, `alias`, `typo`,
  `transliteration`, `lao_romanisation`, `upper_case`, `missing_national_id`, `id_typo`,
  `passport`, `partial_dob`, `missing_dob`, `name_only`), `national_id_given`, `dob`
  (arrests), `passport` (arrests that show one), `national_id` (as mistyped, `id_typo`)
- `malformed`: list of `file`, `record_id`, `row` (1-based data row), `field`, `value`,
  `problem`
- `parcel_rings`: `id`, `province`, `members` (senders and recipients, the people its
  waybills name), `senders`, `runner` (hands parcels in under no name), `recipients`,
  `phones` (the ring's shared numbers), `couriers`, `link` (the planted ring member among
  the recipients), `link_ring`, `waybills`
- `hotspots`: `id`, `place`, `province`, `destroyed_on` (the raid), `raid_records`,
  `reforms`, `reformed_on`, `before` (the people arrested there up to the raid), `returning`,
  `new` (truth ids in `hotspot_people`)
- `hotspot_people`: truth id (`TH00001`) -> `name`, `national_id`, `role` (regular,
  newcomer), `hotspot`, `province`, `record_ids`
- `parcel_people`: truth id (`TP00001`) -> `name`, `role` (sender, runner, recipient, noise),
  `parcel_ring`, `province`, `phones`, `record_ids` (the waybills that name them)
- `online_sellers`: `id`, `seller` (truth id), `ring`, `phone` (as written on their arrest
  row), `accounts` (their account records), `supplier` (truth id, Lao side),
  `supplier_ring`, `supplier_accounts`, `posts`, `buyer_interactions`, `messages` (seller to
  supplier), `payments` (the seller's wallet to the supplier's)
"""
