"""What every wing of the workspace shares: a back-reference to the workspace it belongs to,
and :func:`audited`, the one place a call is put on the record (:mod:`netintel.audit`)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from netintel.audit import AuditError
from netintel.report.disclosure import EVIDENCE

#: The actions that change the case, recorded when they start as well as when they end.
CHANGES = ("collection", "alteration")

if TYPE_CHECKING:
    from netintel.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

#: Columns of a result that hold the ids of the records behind each row.
RECORD_COLUMNS = (*EVIDENCE, "record_id")


class Wing:
    """One part of a :class:`~netintel.workspace.Workspace` (``ws.network``, ``ws.routes``...).

    A wing holds no data of its own: the store, the projection tables and the cached graph
    belong to the workspace, which every wing reaches through ``self._ws`` (as Splink's
    ``linker.training`` reaches its linker).
    """

    #: The wing's word (``network``), the prefix of its calls in the audit log.
    word = "workspace"

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._ws!r})"


def audited(
    action: str | Callable[[dict[str, Any]], str] = "consultation",
    *,
    output: str | None = None,
    records: bool = True,
) -> Callable[[F], F]:
    """Put every call of the decorated wing method on the workspace's audit log.

    One entry per call a user makes (calls the workspace makes on its own behalf inside it are
    part of that one): the workspace's user and purpose, the call and its parameters, the
    record ids behind the result (:func:`touched`), and whether it succeeded. A call that
    changes the case (a collection or an alteration) is also put on the record before it
    starts, with outcome ``started``, so a run killed between its commit and its entry still
    leaves its trace. A failed call is
    recorded too, with the error's type, and its error is raised; a call whose entry cannot be
    written raises :class:`~netintel.audit.AuditError` instead of returning its result.

    Parameters
    ----------
    action : str or callable
        One of :data:`netintel.audit.ACTIONS`, or a function of the call's parameters giving
        one (raw Cypher is an alteration with ``write=True``).
    output : str, optional
        The parameter naming a file the call writes: its path and SHA-256 go in the entry,
        and a consultation that writes a file is a disclosure, refused without a purpose.
    records : bool
        Record the ids behind the result (:func:`touched`); off where the result's ids are
        not the records the call touched (an ingest's report lists only its quarantine).
    """

    def decorate(method: F) -> F:
        signature = inspect.signature(method)

        @functools.wraps(method)
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            ws = getattr(self, "_ws", self)
            if ws._audit_depth:
                return method(self, *args, **kwargs)
            bound = signature.bind(self, *args, **kwargs)
            params = dict(list(bound.arguments.items())[1:])
            params.update(params.pop("filters", None) or {})
            params.update(params.pop("params", None) or {})
            kind = action(params) if callable(action) else action
            written = params.get(output) if output else None
            if written is not None and kind == "consultation":
                kind = "disclosure"
                if not (ws.purpose and ws.purpose.strip()):
                    raise AuditError(
                        f"writing {written} is a disclosure and needs a purpose "
                        "(netintel.open(..., purpose=...) or --purpose)"
                    )
            word = getattr(self, "word", "workspace")
            operation = f"{word}.{method.__name__}" if word != "workspace" else method.__name__
            if kind in CHANGES:  # on the record before it happens: a crash leaves "started"
                ws._record(kind, operation, params, outcome="started")
            ws._audit_depth += 1
            try:
                result = method(self, *args, **kwargs)
            except Exception as e:
                ws._record(kind, operation, params, outcome=f"failed: {type(e).__name__}")
                raise
            finally:
                ws._audit_depth -= 1
            ws._record(
                kind, operation, params, records=touched(result) if records else (), output=written
            )
            return result

        return call  # type: ignore[return-value]

    return decorate


def touched(result: Any) -> list[str]:
    """The record ids behind a result: the :data:`RECORD_COLUMNS` of a table (lists or
    single ids), of the tables an object holds as attributes, or of a dict of tables.

    >>> touched(pd.DataFrame({"evidence": [["R-1", "R-2"], ["R-2"]], "x": [1, 2]}))
    ['R-1', 'R-2']
    """
    frames: list[pd.DataFrame] = []
    if isinstance(result, pd.DataFrame):
        frames = [result]
    elif isinstance(result, dict):
        frames = [v for v in result.values() if isinstance(v, pd.DataFrame)]
    elif hasattr(result, "__dict__"):
        frames = [v for v in vars(result).values() if isinstance(v, pd.DataFrame)]
    ids: set[str] = set()
    for frame in frames:
        for column in RECORD_COLUMNS:
            if column not in frame.columns:
                continue
            for value in frame[column]:
                if isinstance(value, str):
                    ids.add(value)
                elif isinstance(value, list | tuple | set) or hasattr(value, "tolist"):
                    ids.update(str(v) for v in value)
    return sorted(ids)
