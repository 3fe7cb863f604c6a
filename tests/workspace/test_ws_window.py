"""One Window, converted at the edge: every workspace analysis takes ``window=``, and an empty
window is an error before anything is computed, never an empty but ranked result."""

from __future__ import annotations

import datetime as dt

import pytest

from netintel.errors import AnalysisError, InvalidValueError
from netintel.project import ProjectionSettings
from netintel.values import PartialDate, Window
from netintel.workspace import as_window

NEXT_YEAR = str(dt.date.today().year + 1)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, Window()),
        ("", Window()),
        ("all dates", Window()),
        ("2024", Window("2024", "2024")),
        ("05/2024", Window("2024-05", "2024-05")),
        ("2023-01 to 2023-06", Window("2023-01", "2023-06")),
        ("2023-01..2023-06", Window("2023-01", "2023-06")),
        ("since 2023-03", Window(since="2023-03")),
        ("until 2024", Window(until="2024")),
        (("2023", None), Window(since="2023")),
        ((None, "2024-02-29"), Window(until="2024-02-29")),
        (PartialDate(2023), Window("2023", "2023")),
        (Window("2022", "2023"), Window("2022", "2023")),
    ],
)
def test_every_spelling_of_a_window_becomes_one_window(given, expected):
    assert as_window(given) == expected
    assert as_window(str(expected)) == expected  # a Window reads back what it prints


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (("2024-06", "2024-05"), "since 2024-06 is after until 2024-05"),
        ("2024 to 2023", "since 2024 is after until 2023"),
        (f"since {NEXT_YEAR}", "is in the future"),
        ("2023-13", "'2023-13' is not a valid date"),
        ("last year", "'last year' is not a valid date"),
        (2024, "window 2024: give a Window"),
        (("2023", "2024", "2025"), "give a Window"),
    ],
)
def test_an_empty_or_unreadable_window_is_refused_naming_it(given, message):
    with pytest.raises(InvalidValueError, match=message):
        as_window(given)


@pytest.mark.parametrize(
    "call",
    [
        lambda ws, w: ws.graph(window=w),
        lambda ws, w: ws.rank_targets(window=w),
        lambda ws, w: ws.network.rings(window=w),
        lambda ws, w: ws.network.brokers(window=w),
        lambda ws, w: ws.network.centrality(window=w),
        lambda ws, w: ws.dismantle.key_players(3, window=w),
        lambda ws, w: ws.dismantle.disrupt(window=w),
        lambda ws, w: ws.routes.corridors(window=w),
        lambda ws, w: ws.time.timeline(window=w),
        lambda ws, w: ws.hidden.suggest_links(window=w),
    ],
)
def test_every_wing_refuses_an_inverted_or_future_window(ws, call):
    for bad in (("2024", "2023"), f"since {NEXT_YEAR}"):
        with pytest.raises(InvalidValueError):
            call(ws, bad)


def test_a_window_narrows_the_evidence_and_keeps_everyone(ws):
    whole, early = ws.graph(), ws.graph(window="until 2022-06")
    assert set(early) == set(whole)
    assert early.number_of_edges() < whole.number_of_edges()
    assert ws.graph(window=("2022-01", "2022-06")).number_of_edges() <= early.number_of_edges()
    assert ws.graph().number_of_edges() == whole.number_of_edges()


def test_projection_settings_take_their_window_from_a_window():
    settings = ProjectionSettings(half_life_days=90).within(Window("2023-03", "2023-04"))
    assert settings.half_life_days == 90 and str(settings.window) == "2023-03 to 2023-04"
    # a settings file still says since / until; an empty window is refused there too
    assert ProjectionSettings(since="2023").window == Window(since="2023")
    with pytest.raises(AnalysisError, match="since 2024 is after until 2023"):
        ProjectionSettings(since="2024", until="2023").validate()


def test_settings_files_keep_their_since_and_until(tmp_path):
    path = tmp_path / "projection.yaml"
    path.write_text("half_life_days: 180\nsince: '2023'\nuntil: 2023-06\n")
    assert str(ProjectionSettings.from_yaml(path).window) == "2023 to 2023-06"
    path.write_text("since: '2024'\nuntil: '2023'\n")
    with pytest.raises(AnalysisError, match=r"projection\.yaml: since 2024 is after until 2023"):
        ProjectionSettings.from_yaml(path)
