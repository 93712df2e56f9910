"""The rules engine: evaluate registered rules for cases on a reference date.

A **rule** places a person in a target group on a reference date: it is a pure function
of (case, date, parameters) that returns an :class:`Outcome` with :class:`Reason`\\ s.
"Unknown" is a real outcome: when a fact the rule needs is missing (the information set
was not requested, could not be fetched, or was withheld) the decision is ``unknown`` and
:attr:`Decision.missing` names the sets that would settle it. Conditions combine in
Kleene's three-valued logic (:func:`~ssbx_model.rules._combine.combine`): one condition
that fails decides ``not_eligible`` even when others are unknown.

Rules are registered under a stable id (:func:`register_rule`) and evaluated by id:
:func:`evaluate` for one case, :func:`evaluate_many` for a stream. Both run the rule's one
evaluation (:meth:`Rule.check`), so a decision is the same whichever made it. No rule reads
the wall clock: the reference date is an argument. Rule authors import what they need
from :mod:`ssbx_model.rules.authoring`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules._conditions import ConditionRule
from ssbx_model.rules._decision import TRACE_VERSION, Decision, DecisionContext
from ssbx_model.rules._reasons import (
    Outcome,
    Reason,
    ReasonKind,
    Settled,
    TraceStep,
    Unknown,
    Verdict,
)
from ssbx_model.rules._registry import (
    context,
    get_rule,
    register_rule,
    rule_ids,
    rules,
    unregister_rule,
    view,
)
from ssbx_model.rules._rule import Rule
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = [
    "TRACE_VERSION",
    "Decision",
    "Outcome",
    "Reason",
    "ReasonKind",
    "Rule",
    "TraceStep",
    "Unknown",
    "evaluate",
    "evaluate_many",
    "get_rule",
    "make_decision",
    "parameter_view",
    "register_rule",
    "rule_ids",
    "rules",
    "unregister_rule",
]


class _BadArgument(RuleError, TypeError):
    """An argument of the wrong type (a RuleError, and a TypeError for callers who
    catch the standard one)."""


def _check_on(on: object) -> dt.date:
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise _BadArgument(
            f"the reference date must be a datetime.date, not {type(on).__name__}: {on!r}"
        )
    return on


def _not_a_case(value: object, where: str) -> TypeError:
    return _BadArgument(
        f"{where} must be a Case (ssbx_model.Case), not {type(value).__name__}"
        + (" (evaluate_many takes an iterable of cases)" if isinstance(value, list | tuple) else "")
    )


def parameter_view(
    rule: Rule, on: dt.date, overrides: Mapping[str, Scalar] | None = None
) -> ParameterView:
    """The parameters ``rule`` sees on ``on`` with ``overrides`` applied (cached).

    For rule authors who build decisions about parts of a case (e.g. one intervention).

    Raises:
        RuleError: if an override names an unknown parameter or has the wrong type.
    """
    if overrides:
        _parameters.default().check_overrides(overrides)
    return view(context(rule, _check_on(on), overrides))


def make_decision(
    rule: Rule,
    case: Case,
    on: dt.date,
    params: ParameterView,
    verdict: Verdict,
    trace: Sequence[TraceStep],
) -> Decision:
    """A decision of ``rule`` from a verdict its author computed, with its trace steps.

    For rule authors whose rule also answers about a part of a case (e.g.
    :func:`ssbx_model.rules.inuk.inuk_reportable`, about one intervention): the trace is
    the one given, not rebuilt from the whole case.
    """
    made = DecisionContext(rule.id, rule.version, on, params, rule)
    return Decision.made(made, verdict, case, tuple(trace))


def evaluate(
    case: Case,
    rule_id: str,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
    *,
    trace: bool = False,
) -> Decision:
    """Evaluate the rule ``rule_id`` for ``case`` on the reference date ``on``.

    ``parameters`` overrides parameter values for a what-if evaluation: a plain value
    replaces the parameter at every date, e.g. ``{"prisbasbelopp": 50000}``. With
    ``trace=True`` the steps are built now; otherwise on first access of
    :attr:`Decision.trace`.

    Raises:
        TypeError: if ``case`` is not a :class:`~ssbx_model.case.Case` or ``on`` not a
            ``datetime.date`` (the error is also a :class:`RuleError`).
        UnknownRuleError: if no rule has that id (the message lists the known ids).
        RuleError: if an override names an unknown parameter or has the wrong type, or a
            parameter has no value on ``on``.
    """
    if not isinstance(case, Case):
        raise _not_a_case(case, "the case")
    rule = get_rule(rule_id)
    on = _check_on(on)
    if parameters:
        _parameters.default().check_overrides(parameters)
    made = context(rule, on, parameters)
    params = view(made)
    if trace:
        steps: list[TraceStep] = []
        verdict = rule.check(case, on, params, steps)
        return Decision.made(made, verdict, case, tuple(steps))
    return Decision.made(made, rule.check(case, on, params, None), case)


def evaluate_many(
    cases: Iterable[Case],
    rule_ids: Iterable[str] | str,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
) -> Iterator[Decision]:
    """Evaluate every rule of ``rule_ids`` for every case, lazily, case by case.

    Yields one decision per (case, rule) in that order: for each case, each rule in the
    order given. ``cases`` may be a generator (a streamed file): nothing is held. Each
    decision is the one :func:`evaluate` gives.

    Raises:
        UnknownRuleError, RuleError: as :func:`evaluate`, before the first case is read.
        TypeError: if ``cases`` is a single Case, or (when it is read) an item is not a
            Case.
    """
    if isinstance(cases, Case | str | bytes) or not isinstance(cases, Iterable):
        raise _BadArgument(
            f"cases must be an iterable of Case, not {type(cases).__name__}"
            + (" (wrap one case in a list)" if isinstance(cases, Case) else "")
        )
    ids = (rule_ids,) if isinstance(rule_ids, str) else tuple(rule_ids)
    on = _check_on(on)
    if parameters:
        _parameters.default().check_overrides(parameters)
    runs = [
        (made, view(made), made.rule)
        for made in (context(get_rule(i), on, parameters) for i in ids)
    ]
    return _iterate(cases, runs, on)


def _iterate(
    cases: Iterable[Case],
    runs: list[tuple[DecisionContext, ParameterView, Rule | None]],
    on: dt.date,
) -> Iterator[Decision]:
    # A rule of the library's shapes settles its outcome with early exit and leaves its
    # reasons to its check, on first access (ConditionRule.settler); any other rule runs
    # its check.
    made = Decision.made
    plans = [(ctx, _settler(rule, params)) for ctx, params, rule in runs if rule is not None]
    for index, case in enumerate(cases):
        if type(case) is not Case and not isinstance(case, Case):
            raise _not_a_case(case, f"cases[{index}]")
        for ctx, settle in plans:
            yield made(ctx, settle(case, on), case)


def _settler(rule: Rule, params: ParameterView) -> Callable[[Case, dt.date], Settled]:
    # The rule's outcome-only evaluation where its shape has one; otherwise its check.
    if isinstance(rule, ConditionRule):
        return rule.settler(params)
    check = rule.check
    return lambda case, on: check(case, on, params, None)
