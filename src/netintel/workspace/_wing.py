"""What every wing of the workspace shares: a back-reference to the workspace it belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netintel.workspace import Workspace


class Wing:
    """One part of a :class:`~netintel.workspace.Workspace` (``ws.network``, ``ws.routes``...).

    A wing holds no data of its own: the store, the projection tables and the cached graph
    belong to the workspace, which every wing reaches through ``self._ws`` (as Splink's
    ``linker.training`` reaches its linker).
    """

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._ws!r})"
