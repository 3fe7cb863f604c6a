"""The probabilistic pass: a Fellegi-Sunter model in Splink, estimated from the data.

The comparisons and blocking rules of :class:`~netintel.resolve.settings.ResolutionSettings`
are compiled into a Splink settings dictionary for the engine at hand: DuckDB, embedded (the
default), or Spark when a ``SparkSession`` is passed (the same settings, for data that
outgrows one machine). Parameters are estimated on every run: the probability that two
random records match from the deterministic keys (name + date of birth, national ID), u by
random sampling, m by expectation maximisation over the training blocks. On data too small
to estimate m (fewer training pairs than ``min_training_pairs``) the starting m values of the
settings are kept, and the result says so.

Comparison levels by kind (first that applies wins; a missing value on either side is the
null level, which carries no weight):

===============  ===================================================================
``name``         same folded name (term-frequency adjusted: a rare name weighs more),
                 reordered (given name first, family name last), a shared name or
                 alias, Jaro-Winkler of the reordering-proof names at each threshold,
                 else
``partial_date`` same full date, compatible precision (``1987`` and ``1987-05-14``),
                 one typo or the same year, else
``identifier``   same, at most ``max_typos`` edits (Levenshtein), else
``overlap``      the two lists share a value, else
``exact``        same, else
===============  ===================================================================
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import AnalysisError
from netintel.resolve.settings import FEATURES, ComparisonSpec, ResolutionSettings

log = logging.getLogger(__name__)

# Columns the model reads from the prepared table (the deterministic rules alone use plates).
MODEL_COLUMNS = ["person_id", *(c for c in FEATURES if c != "plates")]


@dataclass
class ModelReport:
    """How the model was fitted: engine, whether EM ran, the estimated parameters."""

    engine: str = "duckdb"
    trained: bool = False
    training_pairs: dict[str, int] = field(default_factory=dict)
    probability_two_random_records_match: float | None = None
    settings: dict[str, Any] | None = None  # the fitted Splink model (JSON-ready)


def _levels(spec: ComparisonSpec) -> tuple[list, list[str], list[str]]:
    """Splink comparison levels for one spec, their short labels and the columns used."""
    import splink.comparison_level_library as cll

    col = spec.column
    if spec.kind == "name":
        levels = [
            cll.NullLevel("name_turn"),
            cll.ExactMatchLevel("name_key", term_frequency_adjustments=spec.term_frequency),
            cll.ExactMatchLevel("name_turn"),
            cll.ArrayIntersectLevel("names", 1),
            *(cll.JaroWinklerLevel("name_turn", t) for t in spec.jaro_winkler),
            cll.ElseLevel(),
        ]
        labels = ["exact", "reordered", "alias", *(f"jw>={t}" for t in spec.jaro_winkler)]
        return levels, labels, ["name_key", "name_turn", "names"]
    if spec.kind == "partial_date":
        col = col or "dob"
        same_day = f"{col}_l = {col}_r AND length({col}_l) = 10"
        compatible = (
            f"substr({col}_l, 1, length({col}_r)) = {col}_r OR "
            f"substr({col}_r, 1, length({col}_l)) = {col}_l"
        )
        close = (
            f"levenshtein({col}_l, {col}_r) <= 1 OR substr({col}_l, 1, 4) = substr({col}_r, 1, 4)"
        )
        levels = [
            cll.NullLevel(col),
            cll.CustomLevel(same_day, col).configure(label_for_charts="same day"),
            cll.CustomLevel(compatible, col).configure(label_for_charts="compatible"),
            cll.CustomLevel(close, col).configure(label_for_charts="typo or same year"),
            cll.ElseLevel(),
        ]
        return levels, ["same day", "compatible", "typo or same year"], [col]
    if spec.kind == "identifier":
        levels = [
            cll.NullLevel(col),
            cll.ExactMatchLevel(col),
            cll.LevenshteinLevel(col, spec.max_typos),
            cll.ElseLevel(),
        ]
        return levels, ["exact", f"<={spec.max_typos} typo"], [col]
    if spec.kind == "overlap":
        levels = [cll.NullLevel(col), cll.ArrayIntersectLevel(col, 1), cll.ElseLevel()]
        return levels, ["shared"], [col]
    levels = [cll.NullLevel(col), cll.ExactMatchLevel(col), cll.ElseLevel()]
    return levels, ["exact"], [col]


def compile_settings(
    settings: ResolutionSettings, available: set[str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The Splink settings dictionary, and the level labels of each comparison.

    Comparisons whose columns have no value at all in this data (``available`` lists the
    columns that do) are left out: they could not be estimated.
    """
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons, labels = [], {}
    for spec in settings.comparisons:
        levels, names, cols = _levels(spec)
        if not set(cols) & available:
            continue
        if spec.m is not None:
            if len(spec.m) != len(levels) - 1:
                raise AnalysisError(
                    f"{settings.source}: comparison {spec.name!r} has {len(levels) - 1} levels "
                    f"besides the null level, but {len(spec.m)} starting m values"
                )
            levels = [levels[0]] + [
                lv.configure(m_probability=float(m))
                for lv, m in zip(levels[1:], spec.m, strict=True)
            ]
        comparisons.append(cl.CustomComparison(levels, output_column_name=spec.name))
        labels[spec.name] = names
    blocking = [block_on(*rule) for rule in settings.blocking_rules if set(rule) <= available] or [
        block_on("name_sorted")
    ]
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="person_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        probability_two_random_records_match=settings.probability_two_random_records_match,
        max_iterations=settings.em_max_iterations,
        retain_matching_columns=True,  # brings gamma_*: the levels, so the fields that agreed
        retain_intermediate_calculation_columns=False,
    )
    return creator, labels


def _block_pairs(frame: pd.DataFrame, cols: list[str]) -> int:
    """Number of pairs a blocking rule on ``cols`` generates (nulls never match)."""
    sub = frame[cols].dropna()
    if sub.empty:
        return 0
    sizes = sub.groupby(cols, sort=False).size().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def spark_session(master: str = "local[*]", **conf: str) -> Any:
    """A SparkSession set up for resolution: Splink's string-similarity functions on the
    class path (``spark.jars``) and a checkpoint directory.

    A session of your own works too if it was built with
    ``.config("spark.jars", splink.backends.spark.similarity_jar_location())``.

    Parameters
    ----------
    master : str
        Spark master URL (``local[*]``: this machine; ``spark://host:7077``: a cluster).
    **conf : str
        Further Spark settings (``spark.driver.memory="8g"``, ...).
    """
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as e:
        raise AnalysisError(
            "resolving on Spark needs pyspark: pip install 'netintel[spark]'"
        ) from e
    builder = (
        SparkSession.builder.master(master)
        .appName("netintel-resolve")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
    )
    for key, value in conf.items():
        builder = builder.config(key.replace("_", "."), value)
    return builder.getOrCreate()


def _db_api(spark: Any | None):
    if spark is not None:
        try:
            from splink import SparkAPI
        except ImportError as e:
            raise AnalysisError(
                "resolving on Spark needs pyspark: pip install 'netintel[spark]'"
            ) from e
        context = spark.sparkContext
        if context.getCheckpointDir() is None:  # Splink checkpoints to break long lineages
            import tempfile

            context.setCheckpointDir(tempfile.mkdtemp(prefix="netintel-spark-"))
        return SparkAPI(spark_session=spark), "spark"
    from splink import DuckDBAPI

    return DuckDBAPI(), "duckdb"


def score_pairs(
    prepared: pd.DataFrame,
    settings: ResolutionSettings,
    *,
    seed: int = 0,
    spark: Any | None = None,
) -> tuple[pd.DataFrame, ModelReport]:
    """Fit the model on ``prepared`` and score the blocked pairs.

    Parameters
    ----------
    prepared : pandas.DataFrame
        From :func:`netintel.resolve.prepare.prepare`.
    settings : ResolutionSettings
    seed : int
        Seed of u sampling (the same data and seed give the same model).
    spark : pyspark.sql.SparkSession, optional
        Run on Spark instead of embedded DuckDB.

    Returns
    -------
    pairs : pandas.DataFrame
        ``left, right, probability, agreed`` (``left < right``) for every pair scored at or
        above ``settings.review_threshold``; ``agreed`` lists ``comparison:level`` of the
        comparisons that agreed.
    report : ModelReport
    """
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    # Splink warns about levels a small data set never shows; the report says what ran.
    splink_log.setLevel(logging.ERROR)
    try:
        return _score_pairs(prepared, settings, seed=seed, spark=spark)
    finally:
        splink_log.setLevel(level)


def _score_pairs(
    prepared: pd.DataFrame, settings: ResolutionSettings, *, seed: int, spark: Any | None
) -> tuple[pd.DataFrame, ModelReport]:
    from splink import Linker, block_on

    report = ModelReport()
    empty = pd.DataFrame(columns=["left", "right", "probability", "agreed"])
    frame = prepared[[c for c in MODEL_COLUMNS if c in prepared]].copy()
    if len(frame) < 2:
        return empty, report
    available = {c for c in frame.columns if frame[c].notna().any()}
    creator, labels = compile_settings(settings, available)
    db_api, report.engine = _db_api(spark)
    if spark is not None:
        frame = spark.createDataFrame(_for_spark(frame))
    sdf = db_api.register(frame)
    linker = Linker(sdf, creator, log_level=None)

    for rules, recall in (([["national_id"], ["name_turn", "dob"]], 0.6),):
        usable = [block_on(*r) for r in rules if set(r) <= available]
        if usable:
            try:
                linker.training.estimate_probability_two_random_records_match(usable, recall)
            except Exception as e:  # too few deterministic matches: keep the prior
                log.info("kept the prior match probability: %s", e)
            prior = linker.misc.save_model_to_json().get("probability_two_random_records_match")
            if prior is None or not 0.0 < prior < 1.0:
                # A handful of records can make every blocked pair a match (prior 1) or
                # none (prior 0); both break the log-odds, so start again from the settings.
                log.info(
                    "kept the prior match probability: estimate %s on %d records", prior, len(frame)
                )
                linker = Linker(sdf, creator, log_level=None)
    all_pairs = len(prepared) * (len(prepared) - 1) // 2
    linker.training.estimate_u_using_random_sampling(
        max_pairs=float(settings.u_max_pairs),
        seed=seed,
        # small data: every pair fits in one pass, the probe chunks only cost time
        num_chunks=1 if all_pairs <= settings.u_max_pairs else 10,
    )
    for rule in settings.training_rules:
        if not set(rule) <= available:
            continue
        n = _block_pairs(prepared, rule)
        report.training_pairs["+".join(rule)] = n
        if n < settings.min_training_pairs:
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule),
                estimate_without_term_frequencies=True,
            )
            report.trained = True
        except Exception as e:  # EM cannot run on this block (e.g. no variation)
            log.info("EM on %s skipped: %s", rule, e)
    model = linker.misc.save_model_to_json()
    report.settings = model
    report.probability_two_random_records_match = model.get("probability_two_random_records_match")
    predicted = linker.inference.predict(threshold_match_probability=settings.review_threshold)
    scored = predicted.as_pandas_dataframe()
    predicted.drop_table_from_database_and_remove_from_cache()
    if scored.empty:
        return empty, report
    agreed = [[] for _ in range(len(scored))]
    for name, names in labels.items():
        gamma = scored.get(f"gamma_{name}")
        if gamma is None:
            continue
        top = len(names)  # gamma: -1 null, 0 else, top = best level
        for i, g in enumerate(gamma.to_numpy()):
            if g is not None and g > 0:
                agreed[i].append(f"{name}:{names[top - int(g)]}")
    left = scored["person_id_l"].astype(str).to_numpy()
    right = scored["person_id_r"].astype(str).to_numpy()
    swap = left > right
    out = pd.DataFrame(
        {
            "left": np.where(swap, right, left),
            "right": np.where(swap, left, right),
            "probability": scored["match_probability"].astype(float).to_numpy(),
            "agreed": agreed,
        }
    )
    out = out.sort_values(["left", "right", "probability"], ascending=[True, True, False])
    return out.drop_duplicates(["left", "right"], ignore_index=True), report


def _for_spark(frame: pd.DataFrame) -> pd.DataFrame:
    """Spark infers types from values: list columns need a value or a typed empty."""
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list)).any():
            out[col] = [v if isinstance(v, list) else None for v in out[col]]
    return out
