"""Resolution settings: declarative, loaded from YAML, compiled for an engine at run time.

The shipped defaults are ``graph_schema/resolution.yaml`` (read it for what each key does);
:meth:`ResolutionSettings.from_yaml` reads a changed copy.

Examples
--------
>>> s = ResolutionSettings.default()
>>> s.match_threshold, s.review_threshold
(0.95, 0.5)
>>> [r.name for r in s.rules]
['national_id', 'passport', 'phone+name', 'plate+name', 'full_name']
>>> s.plausible_id("040087000001"), s.plausible_id("000000000000"), s.plausible_id("12")
(True, False, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netintel.errors import InputError
from netintel.resources import schema_dir

COMPARISON_KINDS = {"name", "partial_date", "identifier", "overlap", "exact"}
# Columns of the prepared person table (see netintel.resolve.prepare), in table order.
FEATURES = (
    "name_key",
    "name_sorted",
    "name_turn",
    "name_prefix",
    "names",
    "surname",
    "given_name",
    "dob",
    "dob_year",
    "national_id",
    "nid_head",
    "nid_tail",
    "passport",
    "nationality",
    "phones",
    "phone1",
    "addresses",
    "provinces",
    "province1",
    "plates",
)
# The ones rules may name (``names``, every name and alias, is for the model's comparison).
FEATURE_COLUMNS = frozenset(FEATURES) - {"names"}
LIST_KEYS = {"phones", "addresses", "provinces", "plates"}


@dataclass(frozen=True)
class Rule:
    """A deterministic rule: nodes sharing a value of every key (and similar names) merge."""

    name: str
    keys: tuple[str, ...]
    name_similarity: float | None = None
    min_words: int = 1  # names with fewer words never match by this rule


@dataclass(frozen=True)
class ComparisonSpec:
    """One comparison of the probabilistic model (``kind`` decides its levels)."""

    name: str
    kind: str
    column: str | None = None
    jaro_winkler: tuple[float, ...] = (0.95, 0.88)
    max_typos: int = 1
    term_frequency: bool = False
    m: tuple[float, ...] | None = None


@dataclass
class ResolutionSettings:
    """Everything resolution needs; see ``graph_schema/resolution.yaml`` for the meaning.

    Parameters
    ----------
    match_threshold, review_threshold : float
        Merge at or above ``match_threshold``; queue for review from ``review_threshold``.
    national_id_formats : list of str
        Regular expressions a cleaned national ID must match in full to count as a key.
    rules : list of Rule
    comparisons : list of ComparisonSpec
    blocking_rules, training_rules : list of list of str
        Column names of the prepared table; a rule blocks on equality of all its columns.
    probability_two_random_records_match : float
    em_max_iterations, u_max_pairs, min_training_pairs : int
    """

    match_threshold: float = 0.95
    review_threshold: float = 0.5
    constraints: list[str] = field(default_factory=lambda: ["national_id", "dob"])
    national_id_formats: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    comparisons: list[ComparisonSpec] = field(default_factory=list)
    blocking_rules: list[list[str]] = field(default_factory=list)
    training_rules: list[list[str]] = field(default_factory=list)
    probability_two_random_records_match: float = 0.0005
    em_max_iterations: int = 25
    u_max_pairs: int = 2_000_000
    min_training_pairs: int = 200
    source: str = "defaults"

    def __post_init__(self) -> None:
        if not 0.0 < self.review_threshold <= self.match_threshold <= 1.0:
            raise InputError(
                f"{self.source}: need 0 < review_threshold <= match_threshold <= 1, got "
                f"{self.review_threshold} and {self.match_threshold}"
            )
        self._id_patterns = []
        for pattern in self.national_id_formats:
            try:
                self._id_patterns.append(re.compile(pattern))
            except re.error as e:
                raise InputError(
                    f"{self.source}: national_id_formats: {pattern!r} is not a regular "
                    f"expression ({e})"
                ) from None
        unknown = set(self.constraints) - {"national_id", "dob"}
        if unknown:
            raise InputError(
                f"{self.source}: unknown constraints {sorted(unknown)}; use national_id, dob"
            )
        for rule in [*self.blocking_rules, *self.training_rules]:
            unknown = set(rule) - FEATURE_COLUMNS
            if unknown:
                raise InputError(
                    f"{self.source}: blocking rule {rule} names unknown columns "
                    f"{sorted(unknown)}; known: {sorted(FEATURE_COLUMNS)}"
                )
        for rule in self.rules:
            unknown = set(rule.keys) - FEATURE_COLUMNS
            if unknown:
                raise InputError(f"{self.source}: rule {rule.name!r} names {sorted(unknown)}")
        for c in self.comparisons:
            if c.kind not in COMPARISON_KINDS:
                raise InputError(
                    f"{self.source}: comparison {c.name!r} has kind {c.kind!r}; "
                    f"use one of {sorted(COMPARISON_KINDS)}"
                )

    def plausible_id(self, value: str | None) -> bool:
        """True if a cleaned national ID matches a declared format and is not one digit repeated."""
        if not value or len(set(value)) == 1:
            return False
        return any(p.fullmatch(value) for p in self._id_patterns)

    @classmethod
    def default(cls) -> ResolutionSettings:
        """The shipped settings (``graph_schema/resolution.yaml``)."""
        return cls.from_yaml(schema_dir() / "resolution.yaml")

    @classmethod
    def from_yaml(cls, path: str | Path) -> ResolutionSettings:
        """Read settings from a YAML file.

        Raises
        ------
        InputError
            If the file is missing, or names an unknown key, column or comparison kind.
        """
        path = Path(path)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise InputError(f"cannot read resolution settings {path}: {e}") from e
        return cls.from_dict(doc, source=str(path))

    @classmethod
    def from_dict(cls, doc: dict[str, Any], *, source: str = "settings") -> ResolutionSettings:
        """Build settings from the YAML structure (see ``graph_schema/resolution.yaml``).

        Raises
        ------
        InputError
            If an entry is missing, of the wrong type, or names an unknown key, column or
            comparison kind (the message names the source and the entry).
        """
        _check_keys(doc, set(), source, only_type=True)
        try:
            return cls._from_dict(dict(doc), source)
        except KeyError as e:
            raise InputError(
                f"{source}: an entry lacks {e.args[0]!r} (see graph_schema/resolution.yaml)"
            ) from None
        except (TypeError, ValueError) as e:
            raise InputError(f"{source}: {e} (see graph_schema/resolution.yaml)") from None

    @classmethod
    def _from_dict(cls, doc: dict[str, Any], source: str) -> ResolutionSettings:
        top = {"match_threshold", "review_threshold", "constraints", "deterministic", "model"}
        _check_keys(doc, top, source)
        det = dict(doc.get("deterministic") or {})
        _check_keys(det, {"national_id_formats", "rules"}, f"{source}: deterministic")
        model = dict(doc.get("model") or {})
        known = {
            "probability_two_random_records_match",
            "blocking_rules",
            "training_rules",
            "em_max_iterations",
            "u_max_pairs",
            "min_training_pairs",
            "comparisons",
        }
        _check_keys(model, known, f"{source}: model")
        rules = []
        for r in det.get("rules") or []:
            _check_keys(r, {"name", "keys", "name_similarity", "min_words"}, f"{source}: rule")
            rules.append(
                Rule(
                    str(r["name"]),
                    tuple(r["keys"]),
                    r.get("name_similarity"),
                    int(r.get("min_words", 1)),
                )
            )
        comparisons = []
        for c in model.get("comparisons") or []:
            _check_keys(
                c,
                {"name", "kind", "column", "jaro_winkler", "max_typos", "term_frequency", "m"},
                f"{source}: comparison",
            )
            comparisons.append(
                ComparisonSpec(
                    name=str(c["name"]),
                    kind=str(c["kind"]),
                    column=c.get("column"),
                    jaro_winkler=tuple(c.get("jaro_winkler", (0.95, 0.88))),
                    max_typos=int(c.get("max_typos", 1)),
                    term_frequency=bool(c.get("term_frequency", False)),
                    m=tuple(c["m"]) if c.get("m") is not None else None,
                )
            )
        return cls(
            match_threshold=float(doc.get("match_threshold", 0.95)),
            review_threshold=float(doc.get("review_threshold", 0.5)),
            constraints=list(doc.get("constraints", ["national_id", "dob"])),
            national_id_formats=list(det.get("national_id_formats") or []),
            rules=rules,
            comparisons=comparisons,
            blocking_rules=[list(r) for r in model.get("blocking_rules") or []],
            training_rules=[list(r) for r in model.get("training_rules") or []],
            probability_two_random_records_match=float(
                model.get("probability_two_random_records_match", 0.0005)
            ),
            em_max_iterations=int(model.get("em_max_iterations", 25)),
            u_max_pairs=int(model.get("u_max_pairs", 2_000_000)),
            min_training_pairs=int(model.get("min_training_pairs", 200)),
            source=source,
        )


def _check_keys(doc: dict, known: set[str], where: str, *, only_type: bool = False) -> None:
    if not isinstance(doc, dict):
        raise InputError(f"{where}: expected a mapping, got {type(doc).__name__}")
    if only_type:
        return
    unknown = set(doc) - known
    if unknown:
        raise InputError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(known)}")
