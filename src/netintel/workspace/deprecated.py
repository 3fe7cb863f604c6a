"""The flat names of the 0.1 workspace, kept for one release as thin deprecated aliases.

Each warns (:class:`DeprecationWarning`, naming the new home) and calls its wing. They are
the only methods that still take ``since=`` / ``until=``: those become the one ``window=``.

=========================  ==================================
0.1 name                   new name
=========================  ==================================
``ws.communities``         ``ws.network.rings``
``ws.ring_profiles``       ``ws.network.ring_profiles``
``ws.brokers``             ``ws.network.brokers``
``ws.learned_ranking``     ``ws.network.learned_ranking``
``ws.directed_graph``      ``ws.network.directed_graph``
``ws.person_groups``       ``ws.network.person_groups``
``ws.person_places``       ``ws.network.person_places``
``ws.key_players``         ``ws.dismantle.key_players``
``ws.disrupt``             ``ws.dismantle.disrupt``
``ws.successors``          ``ws.dismantle.successors``
``ws.routes(...)``         ``ws.routes.corridors``
``ws.chokepoints``         ``ws.routes.chokepoints``
``ws.corridor_people``     ``ws.routes.corridor_people``
``ws.routes_geojson``      ``ws.routes.geojson``
``ws.route_tables``        ``ws.routes.tables``
``ws.timeline``            ``ws.time.timeline``
``ws.link_predictor``      ``ws.hidden.link_predictor``
``ws.suggest_links``       ``ws.hidden.suggest_links``
``ws.resolve``             ``ws.records.resolve``
``ws.review_apply``        ``ws.records.review_apply``
``ws.split_person``        ``ws.records.review_split``
``ws.people``              ``ws.records.people``
``ws.stats``               ``ws.query.stats``
=========================  ==================================
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx
import pandas as pd

from netintel.errors import InvalidValueError
from netintel.workspace.routes import RoutesWing
from netintel.workspace.window import Bound, as_window

if TYPE_CHECKING:
    from netintel.analysis.dismantle import KeyPlayerPlan
    from netintel.analysis.hidden import LinkPredictor
    from netintel.analysis.network import LearnedRanker
    from netintel.analysis.time import TimelineResult
    from netintel.project.routes import RouteTables
    from netintel.resolve import Resolution
    from netintel.values import Window
    from netintel.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


def renamed(new: str) -> Callable[[F], F]:
    """Mark a flat 0.1 name as moved to ``new`` (``"ws.network.rings"``)."""

    def mark(alias: F) -> F:
        @functools.wraps(alias)
        def warn_then_call(*args: Any, **kwargs: Any) -> Any:
            warnings.warn(
                f"Workspace.{alias.__name__} is deprecated and goes in the next release: use {new}",
                DeprecationWarning,
                stacklevel=2,
            )
            return alias(*args, **kwargs)

        warn_then_call.__doc__ = f"Deprecated: use ``{new}`` (same options, ``window=``)."
        return warn_then_call  # type: ignore[return-value]

    return mark


def window_of(since: Bound, until: Bound, options: dict[str, Any]) -> Window:
    """The one window of a 0.1 call: ``since``/``until``, or ``window=`` (not both)."""
    window = options.pop("window", None)
    if since is None and until is None:
        return as_window(window)
    if window is not None:
        raise InvalidValueError("give window=, or since=/until=, not both")
    return as_window((since, until))


def _predictor(seed: int, options: dict[str, Any]) -> LinkPredictor | None:
    from netintel.analysis.hidden import LinkPredictor

    return LinkPredictor(seed=seed, **options) if options else None


class CallableRoutes(RoutesWing):
    """``ws.routes``: the routes wing, still callable as ``ws.routes(...)`` for one release."""

    def __call__(self, *, since: Bound = None, until: Bound = None, **options: Any) -> pd.DataFrame:
        """Deprecated: use ``ws.routes.corridors`` (same options, ``window=``)."""
        warnings.warn(
            "Workspace.routes(...) is deprecated and goes in the next release: "
            "use ws.routes.corridors(...)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.corridors(window=window_of(since, until, options), **options)


class FlatNames:
    """The 0.1 names on :class:`~netintel.workspace.Workspace` (see the module table)."""

    @renamed("ws.network.rings")
    def communities(
        self: Workspace, *, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.network.rings(window=window_of(since, until, options), **options)

    @renamed("ws.network.ring_profiles")
    def ring_profiles(
        self: Workspace, *, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.network.ring_profiles(window=window_of(since, until, options), **options)

    @renamed("ws.network.brokers")
    def brokers(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.network.brokers(*args, window=window_of(since, until, options), **options)

    @renamed("ws.network.learned_ranking")
    def learned_ranking(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> LearnedRanker:
        window = window_of(since, until, options)
        return self.network.learned_ranking(*args, window=window, **options)

    @renamed("ws.network.directed_graph")
    def directed_graph(self: Workspace, *, since: Bound = None, until: Bound = None) -> nx.DiGraph:
        return self.network.directed_graph(window=window_of(since, until, {}))

    @renamed("ws.network.person_groups")
    def person_groups(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.network.person_groups(*args, window=window_of(since, until, options), **options)

    @renamed("ws.network.person_places")
    def person_places(self: Workspace) -> pd.DataFrame:
        return self.network.person_places()

    @renamed("ws.dismantle.key_players")
    def key_players(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> KeyPlayerPlan:
        return self.dismantle.key_players(*args, window=window_of(since, until, options), **options)

    @renamed("ws.dismantle.disrupt")
    def disrupt(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.dismantle.disrupt(*args, window=window_of(since, until, options), **options)

    @renamed("ws.dismantle.successors")
    def successors(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.dismantle.successors(*args, window=window_of(since, until, options), **options)

    @renamed("ws.routes.chokepoints")
    def chokepoints(
        self: Workspace, *, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.routes.chokepoints(window=window_of(since, until, options), **options)

    @renamed("ws.routes.corridor_people")
    def corridor_people(
        self: Workspace, *, since: Bound = None, until: Bound = None, **options: Any
    ) -> pd.DataFrame:
        return self.routes.corridor_people(window=window_of(since, until, options), **options)

    @renamed("ws.routes.geojson")
    def routes_geojson(
        self: Workspace, *args: Any, since: Bound = None, until: Bound = None, **options: Any
    ) -> dict:
        window = window_of(since, until, options)
        options.setdefault("rings", False)  # 0.1 wrote no rings into the GeoJSON
        return self.routes.geojson(*args, window=window, **options)

    @renamed("ws.routes.tables")
    def route_tables(self: Workspace) -> RouteTables:
        return self.routes.tables()

    @renamed("ws.time.timeline")
    def timeline(
        self: Workspace, *, since: Bound = None, until: Bound = None, **options: Any
    ) -> TimelineResult:
        return self.time.timeline(window=window_of(since, until, options), **options)

    @renamed("ws.hidden.link_predictor (other options: predictor=LinkPredictor(...))")
    def link_predictor(
        self: Workspace, *, seed: int = 0, since: Bound = None, until: Bound = None, **options: Any
    ) -> LinkPredictor:
        window = window_of(since, until, options)
        predictor = _predictor(seed, options)
        return self.hidden.link_predictor(window=window, seed=seed, predictor=predictor)

    @renamed("ws.hidden.suggest_links (other options: predictor=LinkPredictor(...))")
    def suggest_links(
        self: Workspace,
        *,
        top: int | None = 20,
        seed: int = 0,
        since: Bound = None,
        until: Bound = None,
        **options: Any,
    ) -> pd.DataFrame:
        window = window_of(since, until, options)
        predictor = _predictor(seed, options)
        return self.hidden.suggest_links(top=top, window=window, seed=seed, predictor=predictor)

    @renamed("ws.records.resolve")
    def resolve(self: Workspace, **options: Any) -> Resolution:
        return self.records.resolve(**options)

    @renamed("ws.records.review_apply")
    def review_apply(self: Workspace, *args: Any, **options: Any) -> dict[str, int]:
        return self.records.review_apply(*args, **options)

    @renamed("ws.records.review_split")
    def split_person(self: Workspace, *args: Any, **options: Any) -> pd.DataFrame:
        return self.records.review_split(*args, **options)

    @renamed("ws.records.people")
    def people(self: Workspace) -> pd.DataFrame:
        return self.records.people()

    @renamed("ws.query.stats")
    def stats(self: Workspace) -> dict[str, int]:
        return self.query.stats()
