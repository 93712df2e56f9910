"""What a rule author imports: everything needed to write a target-group rule.

A rule module reads top to bottom as the law it encodes: the quoted source, the
parameters it reads, then its conditions in the source's order, each declared once with
its citation beside it::

    from ssbx_model.rules.authoring import (
        ConditionRule, Mode, RuleParameters, Says, fails, parameter, register_rule, settled,
    )

    class Params(RuleParameters):
        age_limit: int = parameter("kaa.age_limit")

    RULE = ConditionRule(id="kaa", ..., params=Params, mode=Mode.FIRST_FAILURE)

    @RULE.condition(
        "age",
        "Has not turned 20 on the date.",
        cites="skollagen (2010:800) 29 kap. 9 § ('inte har fyllt 20 år')",
        holds=Says("kaa.age.under-limit", lambda f, p: (f"Har inte fyllt {p.age_limit} år", ...)),
        fails=Says("kaa.age.reached-limit", lambda f, p: (...)),
    )
    def age(case: Case, on: date, p: Params) -> Finding | None:
        ...

    register_rule(RULE)

A rule over the items of a case (its interventions, its placements) is an
:class:`ItemRule`: the same declarations, whose functions take ``(case, item, on, p)``,
and a :class:`Quantifier` (ANY or EVERY item must pass).

See the how-to "Add a target group" for the whole walk-through.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import Any

from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._combine import Mode, combine
from ssbx_model.rules._conditions import (
    DECIDED,
    UNDECIDED,
    Condition,
    ConditionResult,
    ConditionRule,
    Finding,
    Says,
    Undecided,
    answer_facts,
    fails,
    holds,
    known,
    missing,
    opens,
    settled,
    unknowns,
    unsettled_text,
    warns,
)
from ssbx_model.rules._items import ItemCondition, ItemRule, Quantifier, passes
from ssbx_model.rules._params import RuleParameters, parameter
from ssbx_model.rules._reasons import (
    Fact,
    Outcome,
    Reason,
    ReasonKind,
    TraceStep,
    Unknown,
    Verdict,
)
from ssbx_model.rules._registry import register_rule
from ssbx_model.rules._rule import Rule
from ssbx_model.rules._scope import ScopedRule
from ssbx_model.rules.engine import make_decision, parameter_view

__all__ = [
    "DECIDED",
    "UNDECIDED",
    "Condition",
    "ConditionResult",
    "ConditionRule",
    "Fact",
    "Finding",
    "ItemCondition",
    "ItemRule",
    "Mode",
    "Outcome",
    "Quantifier",
    "Reason",
    "ReasonKind",
    "Rule",
    "RuleParameters",
    "Says",
    "ScopedRule",
    "TraceStep",
    "Undecided",
    "Unknown",
    "Verdict",
    "answer_facts",
    "combine",
    "either",
    "fails",
    "holds",
    "known",
    "make_decision",
    "missing",
    "opens",
    "parameter",
    "parameter_view",
    "passes",
    "register_rule",
    "route_open",
    "route_open_says",
    "settled",
    "unknowns",
    "unsettled_text",
    "warns",
]


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
    found = opens(f"{rule_id}.missing.{which}", information_set=which, status=status)
    return found._replace(facts=MappingProxyType(found.facts))


def route_open_says(
    rule_id: str, which: InformationSet, what: tuple[str, str], *, cites: str = ""
) -> Says:
    """The open reason of :func:`route_open` for ``which``: the words of :func:`missing`
    with what could not be settled (``what``: Swedish, English), ``which`` missing."""
    return Says(
        f"{rule_id}.missing.{which}",
        lambda f, p: unsettled_text(which, f.status, *what),
        cites=cites,
        missing=(which,),
    )
