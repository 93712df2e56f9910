"""Conditions with routes ("either ... or"): Kleene's OR of a condition's findings, and
the open finding of a route whose information set is not decided.

Rule authors import these from :mod:`ssbx_model.rules.authoring`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import Any

from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._conditions import (
    Finding,
    Says,
    fails,
    missing_code,
    opens,
    unsettled_text,
)

__all__ = ["either", "route_open", "route_open_says"]


def either(routes: Sequence[Finding], *, several_open: Callable[[], Finding]) -> Finding:
    """Kleene's three-valued OR of a condition's routes ("either ... or"), each a finding.

    The first route that holds (or holds with a warning) is the condition's finding;
    when every route fails, a failure (the condition's one ``fails`` reason) with every
    route's facts in order (routes name their facts apart: of a name two routes give, the
    later route's value is kept); when the routes that do not fail are open, the open one, or
    ``several_open()`` (the condition's own open reason) when more than one is open.
    """
    opened: Finding | None = None
    several = False
    for route in routes:
        kind = route.kind
        if kind == "holds" or kind == "warning":
            return route
        if kind == "unknown":
            several = opened is not None
            opened = route
    if several:
        return several_open()
    if opened is not None:
        return opened
    return fails(**{name: value for route in routes for name, value in route.facts.items()})


def route_open(rule_id: str, which: InformationSet, answer: Answer[Any]) -> Finding:
    """The open finding of a route (of :func:`either`) whose set ``which`` is answered with
    a status that leaves it open: code ``<rule_id>.missing.<set>``, with the set and the
    status as facts. Declare its reason with :func:`route_open_says`."""
    return _route_open(rule_id, which, answer.status)


@functools.cache
def _route_open(rule_id: str, which: InformationSet, status: AnswerStatus) -> Finding:
    # One finding per (rule, set, status): a finding is immutable, its facts read-only.
    found = opens(missing_code(rule_id, which), information_set=which, status=status)
    return found._replace(facts=MappingProxyType(found.facts))


def route_open_says(
    rule_id: str, which: InformationSet, what: tuple[str, str], *, cites: str = ""
) -> Says:
    """The open reason of :func:`route_open` for ``which``: the words of :func:`missing`
    with what could not be settled (``what``: Swedish, English), ``which`` missing."""
    return Says(
        missing_code(rule_id, which),
        lambda f, p: unsettled_text(which, f.status, *what),
        cites=cites,
        missing=(which,),
    )
