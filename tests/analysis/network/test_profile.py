"""Ranking profiles load, validate and name what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netintel.analysis.network.profile import COMPONENTS, RankingProfile
from netintel.errors import AnalysisError


def test_default_profile_is_complete_and_normalised() -> None:
    p = RankingProfile.load("default")
    assert p.name == "default" and p.description
    w = p.normalized_weights()
    assert set(w) == set(COMPONENTS) and sum(w.values()) == pytest.approx(1.0)
    # an equal-weight composite of the four measures of a person's own standing, then roles
    # and seizures; eigenvector and k-core are shown, not scored
    own = ("degree", "strength", "betweenness", "pagerank")
    assert len({w[c] for c in own}) == 1 and w["roles"] > 0 and w["seizures"] > 0
    assert w["eigenvector"] == w["kcore"] == 0
    assert p.role_values["organizer"] > p.role_values["courier"]
    assert RankingProfile.from_dict(p.to_dict()) == p


def test_profile_from_a_yaml_path(tmp_path: Path) -> None:
    path = tmp_path / "brokers.yaml"
    path.write_text(yaml.safe_dump({"weights": {"betweenness": 3, "roles": 1}}))
    p = RankingProfile.load(path)
    assert p.name == "brokers"
    assert p.normalized_weights()["betweenness"] == pytest.approx(0.75)
    assert RankingProfile.load(str(path)) == p and RankingProfile.load(p) is p


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": {"closeness": 1}}, "unknown component 'closeness' in weights"),
        ({"weights": {"degree": 1}, "wieghts": {}}, "unknown key 'wieghts'"),
        ({"weights": {"degree": 1}, "roles": {"values": {"boss": 1}}}, "unknown role 'boss'"),
        ({"weights": {"degree": 1}, "roles": {"decay": 1.0}}, "roles.decay"),
        ({"weights": {"degree": 1}, "roles": {"dekay": 0.5}}, "unknown key 'dekay' in roles"),
        ({"weights": {"degree": -1, "kcore": 2}}, "weights.degree"),
        ({"weights": {"degree": 0}}, "at least one weight"),
        ({"weights": {"degree": "high"}}, "weights.degree"),
        ({"weights": {"degree": 1}, "normalization": "zscore"}, "unknown normalization 'zscore'"),
        ({"weights": {"degree": 1}, "seizures": {"saturation_kg": 0}}, "saturation_kg"),
        ({"weights": ["degree"]}, "weights must be a mapping"),
    ],
)
def test_invalid_profiles_name_the_key(data: dict, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        RankingProfile.from_dict(data)


def test_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(AnalysisError, match="shipped profiles are consensus, default"):
        RankingProfile.load("no-such-profile")


def test_unreadable_yaml_is_an_analysis_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("weights: {degree: [1,\n")
    with pytest.raises(AnalysisError, match="cannot read"):
        RankingProfile.from_yaml(path)
