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
from ssbx_model.rules._routes import either, route_open, route_open_says
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
