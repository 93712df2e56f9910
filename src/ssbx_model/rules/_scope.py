"""Scoped rules: a condition rule whose conditions apply only within a declared scope.

Some sources state when their conditions apply before stating them: a register entry is
reviewed only while it is open ("skrivs de in i IKE"); outside that, the rule has
nothing to say but "nothing to review". A :class:`ScopedRule` declares that scope once,
with the decorator :meth:`ScopedRule.applies_when`, like a condition: its name, what it
checks, its citation, the sets it needs, and the reasons it gives when the rule does
not apply. The function returns None when the rule applies (its conditions then decide
as in any :class:`~ssbx_model.rules.authoring.ConditionRule`), or the finding that
decides alone: :func:`holds` (eligible), :func:`fails` (not eligible) or :func:`opens`
(unknown), with the reason's facts. A needed set that is not decided makes the rule
unknown, naming the set, before any condition is read.

The engine runs the scope the way it runs a condition (the same declaration, the same
open reasons, the same trace step) and combines its result with the same
:func:`~ssbx_model.rules._combine.combine`; when only the outcome is wanted
(:func:`~ssbx_model.rules.evaluate_many`) no reason text is built, and the reasons are
completed on first read by the same :meth:`ScopedRule.check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._combine import Mode, combine
from ssbx_model.rules._conditions import (
    KIND_ONLY,
    UNDECIDED,
    Bound,
    ConditionRule,
    Declared,
    FactsOf,
    Finding,
    Says,
    Undecided,
    answer_facts,
    no_facts,
    outcome_only,
)
from ssbx_model.rules._reasons import Reason, Settled, TraceStep, Unknown, Verdict
from ssbx_model.rules.parameters import ParameterView

__all__ = ["ScopedRule"]

_FIRST = Mode.FIRST_FAILURE


class ScopedRule(ConditionRule):
    """A :class:`~ssbx_model.rules.authoring.ConditionRule` whose conditions apply only
    within a scope, declared with :meth:`applies_when` (before the conditions, as the
    source states it).

    Outside the scope the scope's own finding is the rule's verdict (one reason); an
    undecided set the scope needs makes the rule unknown; inside it the conditions
    decide. The trace's first step is the scope's, then (inside) every condition's.
    Without a declared scope it is a plain condition rule.
    """

    def __init__(self, *, scope: Declared | None = None, **arguments: Any) -> None:
        super().__init__(**arguments)
        self.scope = scope
        # Its check is ConditionRule.check after the scope, and its settler the
        # conditions' own outcome-only path after the scope's: the latter stands.
        self._overridden = False

    def applies_when(
        self,
        name: str,
        description: str,
        *,
        cites: str,
        applies: Says,
        holds: Says | Sequence[Says] = (),
        fails: Says | Sequence[Says] = (),
        opens: Says | Sequence[Says] = (),
        needs: Sequence[InformationSet] = (),
        reads: Sequence[InformationSet] = (),
        shows: FactsOf | None = None,
        unsettled: tuple[str, str] | None = None,
    ) -> Callable[[Callable[[Case, dt.date, Any], Finding | None]], Callable[..., Any]]:
        """Declare the rule's scope: a decorator for its function.

        ``name``, ``description``, ``cites``, ``needs``, ``reads``, ``shows`` and
        ``unsettled`` are as for :meth:`~ssbx_model.rules.authoring.ConditionRule.
        condition`. ``applies`` is the reason the trace shows when the function returns
        None (the rule applies); ``holds``, ``fails`` and ``opens`` are the reasons that
        decide the rule alone when it does not apply: eligible, not eligible, unknown
        (each ``opens`` naming in ``Says.missing`` the sets that would settle it).
        """
        says: dict[tuple[str, str | None], Says] = {}
        for kind, given in (("holds", holds), ("fails", fails), ("unknown", opens)):
            listed = (given,) if isinstance(given, Says) else tuple(given)
            for item in listed:
                says[(kind, item.code)] = item
            if len(listed) == 1:
                says[(kind, None)] = listed[0]  # the reason a finding without a code gives
        sets, optional = tuple(needs), tuple(reads)

        def declare(
            function: Callable[[Case, dt.date, Any], Finding | None],
        ) -> Callable[..., Any]:
            if self.scope is not None:
                raise RuleError(f"rule {self.id!r} declares its scope twice")
            self.scope = Declared(
                self.id,
                0,
                name,
                description,
                cites,
                sets,
                optional,
                applies,
                says,
                function,
                shows or (answer_facts(*sets, *optional) if sets or optional else no_facts),
                unsettled or (None, None),
            )
            return function

        return declare

    def _outside(
        self, scope: Declared, case: Case, on: dt.date, bound: Bound
    ) -> Reason | Unknown | None:
        # None when the rule applies; otherwise the scope's result, which decides alone
        # (for the outcome only: _outside_only).
        for field, open_by_status in scope.fields:
            status = getattr(case, field).status
            if status in UNDECIDED:
                return open_by_status[status]
        try:
            found = scope.function(case, on, bound.params)
        except Undecided as open_:
            return scope.unknown(open_)
        if found is None:
            return None
        return scope.reason(found, bound)  # raises RuleError for an undeclared reason

    @staticmethod
    def _outside_only(
        scope: Declared, case: Case, on: dt.date, bound: Bound
    ) -> Reason | Unknown | None:
        # _outside for the outcome only: the scope's result without text.
        for status_of, open_ in scope.checks:
            if status_of(case) in UNDECIDED:
                return open_
        try:
            found = scope.function(case, on, bound.params)
        except Undecided as undecided:
            return scope.unknown_only(undecided)
        if found is None:
            return None
        scope.says_for(found.kind, found.code)  # raises RuleError for an undeclared reason
        if found.kind == "unknown":
            return scope.opened(found.code)
        return KIND_ONLY[found.kind]

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """The scope, then (when the rule applies) the conditions; every step in ``trace``."""
        scope = self.scope
        if scope is None:
            return super().check(case, on, params, trace)
        bound = self._bind(params)
        outside = self._outside(scope, case, on, bound)
        if trace is not None:
            shown = outside
            if shown is None:  # the rule applies: the trace shows the scope's ``applies``
                shown = scope._build(scope.holds, "holds", {}, bound.params)
            trace.append(scope.step(shown, case, on, bound))
        if outside is not None:
            return combine((outside,), self.mode)
        return super().check(case, on, params, trace)

    def settler(self, params: ParameterView) -> Callable[[Case, dt.date], Settled]:
        """:meth:`check`'s outcome and missing sets without a trace or reason texts, as a
        function of (case, date): the scope's, then the conditions' outcome-only path."""
        inside = super().settler(params)
        scope = self.scope
        if scope is None:
            return inside
        bound = self._bind(params)
        outside_of = self._outside_only
        decided: dict[Reason | Unknown, Settled] = {}  # by result, hashed by identity

        def settle(case: Case, on: dt.date) -> Settled:
            outside = outside_of(scope, case, on, bound)
            if outside is None:
                return inside(case, on)
            verdict = decided.get(outside)
            if verdict is None:
                verdict = decided[outside] = outcome_only(combine((outside,), _FIRST))
            return verdict

        return settle

    def __repr__(self) -> str:
        return f"ScopedRule(id={self.id!r}, version={self.version!r})"
