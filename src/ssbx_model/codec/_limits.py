"""Limits that bound what a reader accepts before it looks at the data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from ssbx_model.errors import Problem, ValidationError

__all__ = ["DEFAULT_LIMITS", "Limits", "ProblemTally", "capped_error"]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a positive int, not {value!r}")


@attrs.frozen
class Limits:
    """How much a reader accepts; input beyond a limit is refused, never truncated.

    Attributes:
        max_bytes: the largest document read whole (``loads``, ``load``, ``loads_many``,
            ``load_many``). Streaming readers (``iter_cases``) have no total limit: their
            memory is bounded per case.
        max_case_bytes: the largest single case in a stream: one JSON line, or the
            bytes read while one ``<case>`` element of an XML stream is open.
        max_depth: the deepest XML element nesting (the case document needs about 10).
        max_text_length: the longest XML text node, in characters.
        max_problems: the most problems one ``ValidationError`` of a reader lists, and
            the most problems ``check_path`` collects from one file; the rest are
            counted, not kept, in a last problem ("and N more problems ...").
    """

    max_bytes: int = attrs.field(default=1 << 30, validator=_positive)
    max_case_bytes: int = attrs.field(default=16 << 20, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_text_length: int = attrs.field(default=1 << 20, validator=_positive)
    max_problems: int = attrs.field(default=1000, validator=_positive)


DEFAULT_LIMITS: Final = Limits()
"""The limits used when none are given: 1 GiB per document, 16 MiB per streamed case,
depth 64, 1 MiB per XML text node, 1,000 problems per error."""


class ProblemTally:
    """Problems up to ``limit`` kept in order, the rest only counted (memory stays
    bounded however many problems a stream holds)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, problem: Problem) -> None:
        """Keep ``problem``, or count it once ``limit`` problems are kept."""
        if len(self.kept) < self.limit:
            self.kept.append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        """:meth:`add` each of ``problems``."""
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return bool(self.kept)

    def problems(self) -> list[Problem]:
        """The kept problems, then one saying how many more there were (if any)."""
        if not self.more:
            return list(self.kept)
        return [
            *self.kept,
            Problem(
                "",
                f"and {self.more} more problems, not listed (Limits.max_problems is {self.limit})",
            ),
        ]

    def take(self) -> ValidationError | None:
        """The error of the problems so far (None if there are none); starts afresh."""
        if not self.kept:
            return None
        error = ValidationError(self.problems())
        self.kept, self.more = [], 0
        return error


def capped_error(problems: Iterable[Problem], limit: int) -> ValidationError:
    """A ValidationError of at most ``limit`` of ``problems`` and a count of the rest."""
    tally = ProblemTally(limit)
    tally.extend(problems)
    return ValidationError(tally.problems())
