"""The dismantle wing, ``ws.dismantle``: which arrests break the network, and who steps in.

Examples
--------
>>> plan = ws.dismantle.key_players(k=3)
>>> len(plan.players), plan.lcc_fraction < 1
(3, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from netintel.errors import AnalysisError, InputError
from netintel.workspace._wing import Wing, audited
from netintel.workspace.window import WindowLike

if TYPE_CHECKING:
    from netintel.analysis.dismantle import KeyPlayerPlan

DEFAULT_STRATEGIES = ("degree", "betweenness", "pagerank", "ranked", "random")


class DismantleWing(Wing):
    """Key players, simulated arrest sequences and likely successors (``ws.dismantle``)."""

    word = "dismantle"

    @audited()
    def key_players(
        self,
        k: int = 5,
        *,
        window: WindowLike = None,
        objective: str = "auto",
        weighted: bool = True,
        seed: int = 0,
        bound_time: float = 5.0,
    ) -> KeyPlayerPlan:
        """The ``k`` people whose arrest together fragments the network most (Borgatti 2006).

        Returns
        -------
        KeyPlayerPlan
            ``.players`` with their evidence, ``.comparison`` with the top ``k`` of each
            single measure and the first ``k`` of each sequential strategy,
            ``.started_from``, ``.improvement``, ``.fragmentation``, ``.bound`` and
            ``.gap`` (the proven bound on the largest component, within ``bound_time``
            seconds of HiGHS), ... (see
            :func:`netintel.analysis.dismantle.keyplayers.key_players`).

        Examples
        --------
        >>> list(ws.dismantle.key_players(k=2, window="2023").players["order"])
        [1, 2]
        """
        from netintel.analysis.dismantle import key_players

        return key_players(
            self._ws.graph(window=window),
            k,
            objective=objective,
            weight="weight" if weighted else None,
            seed=seed,
            bound_time=bound_time,
        )

    @audited()
    def disrupt(
        self,
        strategies: str | Iterable[str] = DEFAULT_STRATEGIES,
        *,
        window: WindowLike = None,
        recompute: str = "sequential",
        block_size: int = 1,
        steps: int | None = 20,
        weighted: bool = True,
        seed: int = 0,
        plans: dict[str, Iterable[str]] | None = None,
    ) -> pd.DataFrame:
        """Simulated arrests by each strategy, and the network after every one.

        Strategies and columns as
        :func:`netintel.analysis.dismantle.disrupt.simulate_disruption`; ``plans`` maps a
        label to people (ids or names) removed in that order.

        Examples
        --------
        >>> curve = ws.dismantle.disrupt(["degree", "random"], steps=3)
        >>> curve.groupby("strategy")["step"].max().tolist()
        [3, 3]
        """
        from netintel.analysis.dismantle import find_people, simulate_disruption

        G = self._ws.graph(window=window)
        return simulate_disruption(
            G,
            strategies=[strategies] if isinstance(strategies, str) else list(strategies),
            recompute=recompute,
            block_size=block_size,
            steps=steps,
            weight="weight" if weighted else None,
            seed=seed,
            plans={k: find_people(G, v) for k, v in (plans or {}).items()},
        )

    @audited()
    def successors(
        self,
        removed: str | Iterable[str],
        *,
        window: WindowLike = None,
        top: int | None = 10,
        weighted: bool = True,
        seed: int = 0,
    ) -> pd.DataFrame:
        """Likely successors of the removed people, with explanations
        (:func:`netintel.analysis.dismantle.successors.likely_successors`).

        ``removed`` are anything :meth:`ws.find <netintel.workspace.network.NetworkWing.find>`
        accepts (a name in any spelling, an alias, a phone, an ID, a plate, a person id), or
        the exact name of a node of the graph.

        Raises
        ------
        InputError
            For a reference that is nobody's, or a name several people share equally (naming
            the nearest people).

        Examples
        --------
        >>> top = ws.rank_targets(top=1)["person_id"][0]
        >>> list(ws.dismantle.successors(top, top=2)["rank"])
        [1, 2]
        """
        from netintel.analysis.dismantle import find_people, likely_successors

        G = self._ws.graph(window=window)
        refs = [removed] if isinstance(removed, str) else list(removed)
        people = []
        for ref in refs:
            if ref in G:
                people.append(ref)
                continue
            try:
                people.append(self._ws.person(ref))
            except InputError as e:
                try:  # a name folding to nothing a search can read, given exactly
                    people += find_people(G, [ref])
                except AnalysisError:
                    raise e from None
        return likely_successors(
            G,
            people,
            top=top,
            weight="weight" if weighted else None,
            seed=seed,
        )
