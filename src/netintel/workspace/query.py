"""The query wing, ``ws.query``: Cypher, the analysts' saved queries, and counts.

The wing is callable: ``ws.query("name", **params)`` runs a saved query.

Examples
--------
>>> "phones_shared_by_arrestees" in set(ws.query.list()["name"])
True
>>> int(ws.query("phones_shared_by_arrestees", min_people=2).shape[1]) > 0
True
"""

from __future__ import annotations

import pandas as pd

from netintel.store import cypher as portable
from netintel.workspace._wing import Wing, audited


def _cypher_action(params: dict) -> str:
    """Raw Cypher is a consultation, or an alteration with ``write=True``."""
    return "alteration" if params.get("write") else "consultation"


class QueryWing(Wing):
    """Cypher, saved queries by name, and counts (``ws.query``; ``ws.query(name, ...)``)."""

    word = "query"

    @audited()
    def __call__(self, name: str, /, **params: object) -> pd.DataFrame:
        """Run a saved analyst query from ``graph_schema/queries`` by name (read-only).

        Parameters are checked against the query's header and converted to their declared
        types; those with defaults may be left out. The store's dialect version is used
        where one exists (see :func:`netintel.store.cypher.saved_query`).

        Raises
        ------
        InputError
            For an unknown query or parameter, a missing required one, or a bad value.

        Examples
        --------
        >>> calls = ws.query("calls_between_prefixes", prefix_a="+856", since="2023-01-01")
        >>> len(calls.columns) > 0
        True

        A gate or a person is named in any spelling (parameters of type ``gate`` and
        ``person``):

        >>> ws.query("people_near_gate_seizure", gate="Tây Trang").equals(
        ...     ws.query("people_near_gate_seizure", gate="tay trang border gate"))
        True
        """
        saved = portable.saved_query(name, self._ws.store.backend)
        people, _ = self._ws.network._identities()
        nodes = set(people.loc[people["field"] == "person_id", "value"])
        for p in saved.params:  # a Person node's id as it is, else anyone ws.person finds
            if p.type == "person" and p.name in params and params[p.name] not in nodes:
                params[p.name] = self._ws.person(str(params[p.name]))
        return self._ws.store.query(saved.text, saved.bind(params))

    @audited(_cypher_action)
    def cypher(self, query: str, /, *, write: bool = False, **params: object) -> pd.DataFrame:
        """Run Cypher with ``$parameters``; read-only unless ``write=True``.

        Raises
        ------
        ReadOnlyError
            If the query writes without ``write=True``, or the store is read-only.

        Examples
        --------
        >>> ws.query.cypher("MATCH (p:Person) WHERE p.id = $id RETURN p.id AS id", id="x").empty
        True
        """
        result = self._ws.store.query(query, params, write=write)
        if write:
            self._ws._changed()
        return result

    @audited()
    def stats(self) -> dict[str, int]:
        """Nodes per label and relationships per type.

        >>> ws.query.stats()["Person"] > 0
        True
        """
        return self._ws.store.counts()

    @audited()
    def channels(self, *, period: str = "year") -> pd.DataFrame:
        """Cases per channel (land, sea, air, express delivery, online) and period, the
        measures the national programme reports each year
        (:func:`netintel.analysis.time.channels.cases_by_channel`).

        Parameters
        ----------
        period : {"year", "quarter", "month"}

        Returns
        -------
        DataFrame
            ``period, channel, cases, events, records``.

        Raises
        ------
        AnalysisError
            An unknown ``period``.

        >>> ws.query.channels()[["period", "channel", "cases"]].head(1)  # doctest: +SKIP
        """
        from netintel.analysis.time.channels import cases_by_channel

        frames = [self._ws.store.query(text) for text in portable.CHANNEL_EVENTS.values()]
        frames = [f for f in frames if len(f)]
        events = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=["event", "transport", "date", "case_id", "sources"])
        )
        return cases_by_channel(events, period=period)

    @staticmethod
    def list() -> pd.DataFrame:
        """The saved queries: ``name, description, dialects, parameters`` (one text per
        parameter: ``name=<type> (required or default) description``). Needs no store:
        ``QueryWing.list()`` works too.

        >>> QueryWing.list().set_index("name").loc["people_linked_to_case", "parameters"][0]
        'case_id=<string>  (required) The case id as recorded (CaseFile id). Example: CASE-000019'
        """
        rows = []
        for name, versions in portable.saved_queries().items():
            first = next(iter(versions.values()))
            rows.append(
                {
                    "name": name,
                    "description": first.description,
                    "dialects": sorted(versions),
                    "parameters": [_describe(p) for p in first.params],
                }
            )
        return pd.DataFrame(rows, columns=["name", "description", "dialects", "parameters"])


def _describe(param: portable.QueryParam) -> str:
    need = "required" if param.required else f"default {param.default!r}"
    example = f" Example: {param.example}" if param.example else ""
    return f"{param.name}=<{param.type}>  ({need}) {param.description}{example}"
