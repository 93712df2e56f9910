"""The facts a condition found, as a reason's text function sees them."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from ssbx_model.rules._reasons import Fact

__all__ = ["Facts"]


class Facts(SimpleNamespace):
    """The facts of a finding, for the text function of a ``Says`` (its ``f``).

    ``f.age`` is the value of the fact ``age`` (the last one, where a finding names a
    fact more than once). Iterating ``f`` gives every (name, value) pair in the
    finding's order: the way to read a reason whose facts repeat a name, such as one
    ``intervention`` and its ``collisions`` per planned intervention.
    """

    __slots__ = ("_pairs",)

    def __init__(self, pairs: tuple[Fact, ...]) -> None:
        super().__init__(**dict(pairs))
        self._pairs = pairs

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._pairs)
