"""Ranking profiles: how a target list weighs network measures, recorded roles and seizures.

A profile is declarative data (YAML, see ``src/netintel/profiles/default.yaml`` for the
commented format), validated when it loads so that a typo fails at once, naming the key,
instead of silently dropping a measure from every ranking.

Examples
--------
>>> p = RankingProfile.load("default")
>>> p.name, p.normalization, round(sum(p.normalized_weights().values()), 6)
('default', 'minmax', 1.0)
>>> RankingProfile.from_dict({"weights": {"closness": 1.0}})
Traceback (most recent call last):
...
netintel.errors.AnalysisError: ranking profile 'custom': unknown component 'closness' in weights; known: degree, strength, betweenness, pagerank, eigenvector, kcore, roles, seizures
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netintel.analysis.network.centrality import MEASURES
from netintel.errors import AnalysisError
from netintel.resources import profile_path
from netintel.values import ROLES  # the roles an arrest record can give a person

__all__ = ["COMPONENTS", "NORMALIZATIONS", "ROLES", "RankingProfile"]

#: Components of the composite score: the network measures, then roles and seizures.
COMPONENTS = (*MEASURES, "roles", "seizures")
#: How a measure is mapped to 0..1: ``percentile`` (share of people strictly below) or ``minmax``.
NORMALIZATIONS = ("percentile", "minmax")

_SECTIONS: dict[str, tuple[str, ...]] = {
    "roles": ("values", "decay"),
    "seizures": ("saturation_kg",),
}
_TOP_LEVEL = ("name", "description", "normalization", "weights", *_SECTIONS)


@dataclass(frozen=True)
class RankingProfile:
    """Weights and scales of the ranked target list's composite score.

    Parameters
    ----------
    weights : mapping of str to float
        Weight of each component (:data:`COMPONENTS`); only ratios matter. Missing = 0.
    normalization : {"percentile", "minmax"}, default "percentile"
        How each network measure is mapped to 0..1 within the graph.
    role_values : mapping of str to float, optional
        Value (0..1) of each recorded role (:data:`ROLES`); missing roles count 0.
    role_decay : float, default 0.5
        ``n`` records of a role count ``1 - role_decay**n`` of its value (0 <= decay < 1).
    saturation_kg : float, default 100.0
        Linked seizures score ``log1p(kg) / log1p(saturation_kg)``, capped at 1.
    name, description : str
        For people and reports.

    Raises
    ------
    AnalysisError
        On an unknown component or role (naming it), a negative or non-finite weight, all
        weights zero, or a value out of range.
    """

    weights: Mapping[str, float]
    normalization: str = "percentile"
    role_values: Mapping[str, float] = field(default_factory=dict)
    role_decay: float = 0.5
    saturation_kg: float = 100.0
    name: str = "custom"
    description: str = ""

    def __post_init__(self) -> None:
        where = f"ranking profile {self.name!r}"
        _check_keys(self.weights, COMPONENTS, f"{where}: unknown component {{!r}} in weights")
        _check_keys(self.role_values, ROLES, f"{where}: unknown role {{!r}} in roles.values")
        for key, value in self.weights.items():
            _check_number(value, f"{where}: weights.{key}", low=0.0)
        if not sum(self.weights.values()) > 0:
            raise AnalysisError(f"{where}: at least one weight must be > 0")
        for key, value in self.role_values.items():
            _check_number(value, f"{where}: roles.values.{key}", low=0.0, high=1.0)
        _check_number(self.role_decay, f"{where}: roles.decay", low=0.0, high=1.0, open_high=True)
        _check_number(
            self.saturation_kg, f"{where}: seizures.saturation_kg", low=0.0, open_low=True
        )
        if self.normalization not in NORMALIZATIONS:
            raise AnalysisError(
                f"{where}: unknown normalization {self.normalization!r}; use one of "
                + ", ".join(NORMALIZATIONS)
            )
        object.__setattr__(self, "weights", {k: float(v) for k, v in self.weights.items()})
        object.__setattr__(self, "role_values", {k: float(v) for k, v in self.role_values.items()})

    def normalized_weights(self) -> dict[str, float]:
        """Weight of every component (:data:`COMPONENTS` order) divided by the total."""
        total = sum(self.weights.values())
        return {c: self.weights.get(c, 0.0) / total for c in COMPONENTS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, name: str | None = None) -> RankingProfile:
        """Build a profile from the YAML structure (see ``profiles/default.yaml``).

        Raises
        ------
        AnalysisError
            On an unknown key at any level, naming it, or an invalid value.
        """
        if not isinstance(data, Mapping):
            raise AnalysisError(
                f"ranking profile {name or 'custom'!r}: expected a mapping, got {type(data).__name__}"
            )
        name = str(data.get("name", name or "custom"))
        where = f"ranking profile {name!r}"
        _check_keys(data, _TOP_LEVEL, f"{where}: unknown key {{!r}}")
        sections: dict[str, Mapping[str, Any]] = {}
        for section, keys in {"weights": COMPONENTS, **_SECTIONS}.items():
            value = data.get(section) or {}
            if not isinstance(value, Mapping):
                raise AnalysisError(f"{where}: {section} must be a mapping")
            if section != "weights":
                _check_keys(value, keys, f"{where}: unknown key {{!r}} in {section}")
            sections[section] = value
        roles, seizures = sections["roles"], sections["seizures"]
        role_values = roles.get("values") or {}
        if not isinstance(role_values, Mapping):
            raise AnalysisError(f"{where}: roles.values must be a mapping")
        return cls(
            weights=dict(sections["weights"]),
            normalization=data.get("normalization", "percentile"),
            role_values=dict(role_values),
            role_decay=roles.get("decay", 0.5),
            saturation_kg=seizures.get("saturation_kg", 100.0),
            name=name,
            description=str(data.get("description", "")).strip(),
        )

    @classmethod
    def from_yaml(cls, path: str | Path) -> RankingProfile:
        """Read a profile from a YAML file (its ``name`` defaults to the file's stem)."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise AnalysisError(f"cannot read ranking profile {path}: {e}") from e
        return cls.from_dict(data if data is not None else {}, name=path.stem)

    @classmethod
    def load(cls, profile: str | Path | RankingProfile = "default") -> RankingProfile:
        """A profile given as itself, a YAML path, or the name of a shipped profile.

        Raises
        ------
        AnalysisError
            If ``profile`` is neither a readable file nor a shipped profile's name.
        """
        if isinstance(profile, RankingProfile):
            return profile
        path = Path(profile)
        if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
            return cls.from_yaml(path)
        shipped = profile_path(str(profile))
        if not shipped.is_file():
            names = sorted(p.stem for p in shipped.parent.glob("*.yaml"))
            raise AnalysisError(
                f"no ranking profile {str(profile)!r}: not a file, and the shipped profiles are "
                + ", ".join(names)
            )
        return cls.from_yaml(shipped)

    def to_dict(self) -> dict[str, Any]:
        """The YAML structure of this profile (``from_dict(p.to_dict()) == p``)."""
        return {
            "name": self.name,
            "description": self.description,
            "normalization": self.normalization,
            "weights": dict(self.weights),
            "roles": {"values": dict(self.role_values), "decay": self.role_decay},
            "seizures": {"saturation_kg": self.saturation_kg},
        }


def _check_keys(data: Mapping[str, Any], known: tuple[str, ...], message: str) -> None:
    for key in data:
        if key not in known:
            raise AnalysisError(message.format(key) + "; known: " + ", ".join(known))


def _check_number(
    value: Any,
    where: str,
    *,
    low: float,
    high: float = math.inf,
    open_low: bool = False,
    open_high: bool = False,
) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if open_low else value >= low) and (
            value < high if open_high else value <= high
        )
    if not ok:
        lo, hi = "(" if open_low else "[", ")" if open_high else "]"
        raise AnalysisError(f"{where} must be a number in {lo}{low:g}, {high:g}{hi}, got {value!r}")
