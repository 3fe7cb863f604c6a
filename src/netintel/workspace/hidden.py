"""The hidden wing, ``ws.hidden``: ties the records do not show yet.

Examples
--------
>>> leads = ws.hidden.suggest_links(top=3)
>>> leads["rank"].tolist(), bool(leads["probability"].is_monotonic_decreasing)
([1, 2, 3], True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from netintel.workspace._wing import Wing, audited
from netintel.workspace.window import WindowLike, as_window

if TYPE_CHECKING:
    from netintel.analysis.hidden import LinkPredictor


class HiddenWing(Wing):
    """Link prediction on the person graph and the store's co-occurrences (``ws.hidden``)."""

    word = "hidden"

    @audited()
    def link_predictor(
        self,
        *,
        window: WindowLike = None,
        seed: int = 0,
        predictor: LinkPredictor | None = None,
    ) -> LinkPredictor:
        """A :class:`~netintel.analysis.hidden.links.LinkPredictor` fitted on the window's
        person graph and the store's co-occurrence tables
        (:mod:`netintel.project.cooccurrence`).

        Parameters
        ----------
        window : Window, text or (since, until), optional
        seed : int
            Seed of the default predictor (hidden ties, negatives, folds).
        predictor : LinkPredictor, optional
            An unfitted predictor with other options (``model``, ``max_hops``,
            ``window_days``, ...); default ``LinkPredictor(seed=seed)``.

        Returns
        -------
        LinkPredictor
            Fitted: ``cv_`` and ``importances_`` say how well it finds hidden ties;
            ``suggest(top=...)`` lists the suggestions.

        Examples
        --------
        >>> from netintel.analysis.hidden import LinkPredictor
        >>> fitted = ws.hidden.link_predictor(predictor=LinkPredictor(model="forest", cv=2))
        >>> len(fitted.cv_)
        2
        """
        from netintel.analysis.hidden import LinkPredictor
        from netintel.project.cooccurrence import read_cooccurrence

        w = as_window(window)
        cooc = read_cooccurrence(self._ws.store, self._ws.projection_settings(w))
        predictor = predictor if predictor is not None else LinkPredictor(seed=seed)
        return predictor.fit(self._ws.graph(window=w), cooc)

    @audited()
    def suggest_links(
        self,
        *,
        top: int | None = 20,
        window: WindowLike = None,
        seed: int = 0,
        predictor: LinkPredictor | None = None,
    ) -> pd.DataFrame:
        """Likely hidden ties, each with its probability and the records behind it
        (:meth:`link_predictor`, then
        :meth:`~netintel.analysis.hidden.links.LinkPredictor.suggest`).

        Examples
        --------
        >>> list(ws.hidden.suggest_links(top=2).columns[:3])
        ['rank', 'person_id_a', 'name_a']
        """
        fitted = self.link_predictor(window=window, seed=seed, predictor=predictor)
        return fitted.suggest(top=top)
