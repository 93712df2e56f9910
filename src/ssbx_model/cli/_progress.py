"""Progress and the closing summary of a command that works through many cases.

On a terminal (standard error is a TTY) a rich progress bar shows how far the work has
come; it disappears when the work is done. Whatever standard error is, one summary line
ends the work on standard error (``ssbx evaluate: 400 cases, 1200 decisions in 1.3 s,
0 problems``). Standard output carries only the command's data, so piping it into
another program (``| head``, ``| jq``) gets nothing extra.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

__all__ = ["Progress", "plural"]

T = TypeVar("T")


def plural(n: int, word: str) -> str:
    """``1 case``, ``2 cases``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Progress:
    """Counts cases (and problems) of one command, with a bar on a terminal.

    ``total`` is the number of steps when known (a bar with a percentage), None for a
    stream (a spinner with a count). Use as a context manager; call :meth:`advance` per
    case and :meth:`problem` per problem, then :meth:`summary` for the closing line.
    """

    def __init__(self, command: str, *, total: int | None = None, label: str = "cases") -> None:
        self.command = command
        self.cases = 0
        self.problems = 0
        self._total = total
        self._label = label
        self._started = time.perf_counter()
        self._bar: Bar | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        self._started = time.perf_counter()
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            bar = RichProgress(
                SpinnerColumn(),
                TextColumn(f"ssbx {self.command}"),
                BarColumn(),
                MofNCompleteColumn() if self._total is not None else TextColumn("{task.completed}"),
                TextColumn(self._label),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task(self.command, total=self._total)
            self._bar = bar
        return self

    def advance(self, cases: int = 1) -> None:
        """``cases`` more cases done."""
        self.cases += cases
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=cases)

    def counting(self, cases: Iterable[T]) -> Iterator[T]:
        """``cases``, advancing the count as each is taken."""
        for case in cases:
            yield case
            self.advance()

    def problem(self, count: int = 1) -> None:
        """``count`` more problems found."""
        self.problems += count

    @property
    def seconds(self) -> float:
        """Time since the work began."""
        return time.perf_counter() - self._started

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    @property
    def counted(self) -> str:
        """``N cases`` (or the label given), for the summary line."""
        return plural(self.cases, self._label.removesuffix("s"))

    def summary(self, what: str | None = None) -> None:
        """Print ``ssbx COMMAND: WHAT in T s, P problems`` on standard error; ``what``
        defaults to ``N cases``."""
        print(
            f"ssbx {self.command}: {what or self.counted} in {self.seconds:.1f} s, "
            f"{plural(self.problems, 'problem')}",
            file=sys.stderr,
        )
