"""Entity resolution of people: record-level Person nodes grouped into resolved people.

Ingest keys each Person deterministically (national ID, else passport, else folded name +
date of birth, else folded name + source), so one real person can be several Person nodes:
spelling and romanisation variants, word order, aliases, a typo in an ID, a missing date of
birth. Resolution groups them, in three passes (see ``graph_schema/resolution.yaml``):

1. deterministic rules on exact keys (national ID with a plausibility check on its format,
   passport, phone + similar name, vehicle plate + similar name);
2. a probabilistic model (Splink on embedded DuckDB, or on Spark for data that outgrows one
   machine) whose parameters are estimated from the data on every run;
3. constrained clustering (:mod:`netintel.resolve.cluster`), which never joins two groups
   with different national IDs or dates of birth, nor a pair a reviewer rejected.

On Spark: ``resolve_people(persons, spark=netintel.resolve.spark_session())`` (or
``ws.records.resolve(spark=...)``) fits and scores the same model with Splink's Spark backend; a
session of your own needs Splink's similarity functions on its class path
(``spark.jars`` = ``splink.backends.spark.similarity_jar_location()``).

Pairs the model is unsure about go to a review queue; decisions written back are kept in the
store (``SAME_AS`` / ``NOT_SAME_AS`` decided by a reviewer) and honoured by every later run.
The Person nodes stay as they are (the record-level identities): each gains ``resolved_id``,
and the person graph (:mod:`netintel.project`) has one node per resolved person.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"person_id": ["p1", "p2", "p3"],
...     "name": ["Nguyễn Văn Hùng", "Hùng Nguyễn Văn", "Trần Thị Lan"],
...     "national_id": ["040087000001", "040087000001", None],
...     "sources": [["ARR-1"], ["LNK-7"], ["ARR-2"]]})
>>> r = resolve_people(people)
>>> r.records()[["record_id", "person_id", "rule"]].to_dict("records")
... # doctest: +NORMALIZE_WHITESPACE
[{'record_id': 'ARR-1', 'person_id': 'p1', 'rule': 'national_id'},
 {'record_id': 'ARR-2', 'person_id': 'p3', 'rule': ''},
 {'record_id': 'LNK-7', 'person_id': 'p1', 'rule': 'national_id'}]
"""

from __future__ import annotations

from netintel.resolve.core import REVIEW_COLUMNS, Resolution, normalise_decisions, resolve_people
from netintel.resolve.fold import fold_tables
from netintel.resolve.model import spark_session
from netintel.resolve.settings import ResolutionSettings
from netintel.resolve.store import (
    apply_decisions,
    read_decisions,
    read_persons,
    resolve_store,
    split_decisions,
    write_resolution,
)

__all__ = [
    "REVIEW_COLUMNS",
    "Resolution",
    "ResolutionSettings",
    "apply_decisions",
    "fold_tables",
    "normalise_decisions",
    "read_decisions",
    "read_persons",
    "resolve_people",
    "resolve_store",
    "spark_session",
    "split_decisions",
    "write_resolution",
]
