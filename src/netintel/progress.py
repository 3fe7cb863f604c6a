"""Progress of long steps, with a total and a count, wherever the caller is looking.

An analysis says how much work a step has (:func:`task`, :func:`track`) and nothing else: who
shows it is chosen by the caller. The command line installs a Rich display
(:func:`reporting`, from :mod:`netintel.cli.console`); in a Jupyter notebook with no reporter
installed, a ``tqdm.auto`` bar appears for any step that runs longer than two seconds; anywhere
else (a script, a test, a doctest) nothing is shown and nothing is slowed.

A reporter is a function ``reporter(label, done, total)``, called when a step starts (``done``
0) and as it advances; ``total`` is None when the step cannot say in advance.

Examples
--------
>>> seen = []
>>> with reporting(lambda label, done, total: seen.append((label, done, total))):
...     squares = [n * n for n in track(range(3), label="squares")]
>>> squares, seen[0], seen[-1]
([0, 1, 4], ('squares', 0, 3), ('squares', 3, 3))
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

#: ``reporter(label, done, total)``: what a display of progress implements.
Reporter = Callable[[str, int, "int | None"], None]

_REPORTER: contextvars.ContextVar[Reporter | None] = contextvars.ContextVar(
    "netintel_progress", default=None
)

#: Seconds a step runs before a notebook shows its bar.
NOTEBOOK_DELAY = 2.0


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the progress of every step run inside the block to ``reporter`` (None: to no one,
    not even a notebook bar).

    >>> with reporting(None):
    ...     list(track([1, 2], label="quiet"))
    [1, 2]
    """
    token = _REPORTER.set(reporter if reporter is not None else _silent)
    try:
        yield
    finally:
        _REPORTER.reset(token)


def _silent(label: str, done: int, total: int | None) -> None:
    return None


class Task:
    """One step of known (or unknown) size: :meth:`advance` it as parts complete.

    Use :func:`task` to make one; it is a context manager that closes a notebook bar.

    >>> with task("folds", total=5) as t:
    ...     for _ in range(5):
    ...         t.advance()
    >>> t.done
    5
    """

    def __init__(self, label: str, total: int | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._reporter = _REPORTER.get()
        self._bar: Any = None
        if self._reporter is None and _in_notebook():
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=label, delay=NOTEBOOK_DELAY, leave=False)
        elif self._reporter is not None:
            self._reporter(label, 0, total)

    def advance(self, n: int = 1) -> None:
        """``n`` more parts of the step are done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self._reporter is not None:
            self._reporter(self.label, self.done, self.total)

    def close(self) -> None:
        """The step is over (a notebook bar disappears)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Task:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def task(label: str, total: int | None = None) -> Task:
    """A step of ``total`` parts (None: unknown), reported to the current reporter."""
    return Task(label, total)


def track(iterable: Iterable[T], *, label: str, total: int | None = None) -> Iterator[T]:
    """The items of ``iterable``, reporting one part done after each (``total`` defaults to
    its length when it has one).

    >>> list(track("abc", label="letters"))
    ['a', 'b', 'c']
    """
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    with task(label, total) as t:
        for item in iterable:
            yield item
            t.advance()


def _in_notebook() -> bool:
    """Running in a Jupyter kernel (where ``tqdm.auto`` draws a widget bar)."""
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    ip = shell.get_ipython()  # type: ignore[attr-defined]
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"
