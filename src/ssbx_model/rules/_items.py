"""Item rules: a rule over the items of a case (its interventions, its placements).

An :class:`ItemRule` decides about each item of a case (what its ``items`` function
gives) with conditions declared once each, like a condition rule's
(:meth:`ItemRule.condition`), whose functions take ``(case, item, on, p)``; then it
quantifies over the items in Kleene's three-valued logic:

- :attr:`Quantifier.EVERY`: every item must pass. The results of every item's conditions
  combine as one Kleene AND (:func:`~ssbx_model.rules._combine.combine`, in the rule's
  :class:`~ssbx_model.rules._combine.Mode`); a reason that is the same for several items
  (an information set not decided) is given once.
- :attr:`Quantifier.ANY`: at least one item must pass. Each item's conditions combine into
  the item's verdict; the rule is eligible when one item is, unknown when none is but one
  is open (missing: the union of the open items' sets), otherwise not eligible. The
  reasons account for every item, in order: which pass and why the others do not.

Each item's facts (``about``) lead every reason a condition gives about it, and name its
steps in a trace (``<first fact>:<condition>``). ``none`` is the reason when the case has
no items (not eligible). ``summary``, when given, builds the one reason an item that
passes gives instead of its conditions' reasons.

Two findings belong to items: :func:`passes` (the item passes at once with this reason;
its later conditions do not apply to it) and the conditions declared with ``gate=True``,
which the conditions after them need: a gate that fails or is open ends the item with its
reason, and one that holds gives no reason of its own.

The engine gives item rules what it gives condition rules: one evaluation (:meth:`check`),
with or without a trace, and an outcome-only path (:meth:`settler`) that builds no reason
text and stops early (ANY: at the first item that passes; EVERY: at the first failure);
the decision completes its reasons with :meth:`check` when they are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._combine import Mode, combine, combine_any
from ssbx_model.rules._conditions import (
    DECIDED,
    FAILS_ONLY,
    HOLDS_ONLY,
    KIND_ONLY,
    Bound,
    ConditionRule,
    Declared,
    Finding,
    Legacy,
    Says,
    Undecided,
    combine_once,
    result_only,
)
from ssbx_model.rules._params import RuleParameters
from ssbx_model.rules._reasons import (
    Fact,
    Outcome,
    Reason,
    ReasonKind,
    Settled,
    TraceStep,
    Unknown,
    Verdict,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["ItemCondition", "ItemRule", "Quantifier", "passes"]


class Quantifier(StrEnum):
    """How an item rule's verdict follows from its items'."""

    #: Eligible when at least one item passes (Kleene's OR over the items).
    ANY = "any"
    #: Eligible when every item passes (Kleene's AND over every item's conditions).
    EVERY = "every"


def passes(code: str | None = None, /, **facts: Any) -> Finding:
    """The item passes at once, with this reason (one of the condition's ``passes``); the
    conditions after this one do not apply to it."""
    return Finding("passes", code, facts)


#: An item condition's predicate in the older form: (case, item, date, parameter view)
#: -> None (holds), a Reason or an Unknown.
ItemPredicate = Callable[[Case, Any, dt.date, ParameterView], Reason | Unknown | None]


class ItemCondition(NamedTuple):
    """An item condition given as a predicate that builds its own reasons (a pluggable
    part whose reasons are made elsewhere, e.g. INUK's target groups).

    ``predicate`` takes (case, item, reference date, :class:`ParameterView`) and returns
    None when the condition holds (``holds`` is then its reason), a :class:`Reason` or an
    :class:`Unknown`.
    """

    name: str
    description: str
    citation: str
    predicate: ItemPredicate
    holds: Reason


_FIRST = Mode.FIRST_FAILURE
_EVERY = Mode.EVERY_FAILURE
_FAILS = ReasonKind.FAILS
_HOLDS = ReasonKind.HOLDS
_ELIGIBLE = Outcome.ELIGIBLE
_UNKNOWN = Outcome.UNKNOWN
_NOT_ELIGIBLE = Outcome.NOT_ELIGIBLE
# What a gate that holds gives: nothing (it is not one of the item's results).
_SILENT: Reason = Reason("", _HOLDS, "", "", "")


# How the outcome-only reading runs each condition: (function, the needed sets' fields,
# gate (None: an ItemCondition), the condition).
_Plan = list[tuple[Any, tuple[Any, ...], bool | None, "Declared | Legacy"]]


def no_facts(item: Any) -> tuple[Fact, ...]:
    return ()


def _once(results: list[Reason | Unknown]) -> list[Reason | Unknown]:
    # Each result once, in order (the same open set for several items is one reason).
    try:
        return list(dict.fromkeys(results))
    except TypeError:  # a fact that is not hashable
        kept: list[Reason | Unknown] = []
        for result in results:
            if result not in kept:
                kept.append(result)
        return kept


class ItemRule(ConditionRule):
    """A rule over the items of a case: conditions about each item, and a quantifier.

    ``items(case, on, p)`` gives the items (e.g. the planned placements); each condition,
    declared with :meth:`condition` in the source's order, decides about one item;
    ``quantifier`` says whether ANY or EVERY item must pass; ``mode`` how an item's
    failures are reported (its first, or every one). ``about(item)`` gives the facts
    that name the item (first in each of its reasons); ``none`` is the reason when there
    is no item; ``summary(case, item, on, p)`` the one reason of an item that passes,
    when the rule gives one instead of its conditions' reasons. See the module
    documentation for how the verdict follows.
    """

    def __init__(
        self,
        *,
        id: str,
        version: str,
        title_en: str,
        title_sv: str,
        source_text: str,
        citation: str,
        items: Callable[[Case, dt.date, Any], Sequence[Any]],
        quantifier: Quantifier,
        none: Says,
        about: Callable[[Any], tuple[Fact, ...]] = no_facts,
        summary: Callable[[Case, Any, dt.date, Any], Reason] | None = None,
        params: type[RuleParameters] | None = None,
        parameters: Sequence[str] = (),
        needs: Sequence[InformationSet] = (),
        conditions: Sequence[Declared | ItemCondition] = (),
        mode: Mode = Mode.EVERY_FAILURE,
    ) -> None:
        super().__init__(
            id=id,
            version=version,
            title_en=title_en,
            title_sv=title_sv,
            source_text=source_text,
            citation=citation,
            params=params,
            parameters=parameters,
            needs=needs,
            conditions=conditions,  # type: ignore[arg-type]  # ItemConditions: Legacy
            mode=mode,
        )
        self.items = items
        self.quantifier = quantifier
        self.about = about
        self.summary = summary
        if not isinstance(none.sv, str):
            raise RuleError(f"rule {id!r}: the reason when there is no item has a fixed text")
        self.none = Reason(none.code, _FAILS, none.sv, none.en, none.cites or citation)
        self._none_verdict: Verdict = (_NOT_ELIGIBLE, (self.none,), ())
        self._gates: set[str] = set()
        self._kind_plan: _Plan | None = None

    @property
    def first_failure_decides(self) -> bool:
        """True when the first failure decides the rule: every item must pass and an
        item's first failure decides (with ANY, no failing item decides the rule)."""
        return self.quantifier is Quantifier.EVERY and self.mode is _FIRST

    @property
    def gates(self) -> frozenset[str]:
        """The names of the conditions declared with ``gate=True``."""
        return frozenset(self._gates)

    def condition(  # type: ignore[override]
        self,
        name: str,
        description: str,
        *,
        cites: str,
        holds: Says | Sequence[Says] = (),
        passes: Says | Sequence[Says] = (),
        fails: Says | Sequence[Says] = (),
        warns: Says | Sequence[Says] = (),
        opens: Says | Sequence[Says] = (),
        needs: Sequence[InformationSet] = (),
        reads: Sequence[InformationSet] = (),
        gate: bool = False,
        unsettled: tuple[str, str] | None = None,
    ) -> Callable[[Callable[..., Finding | None]], Callable[..., Any]]:
        """Declare the next condition about an item: a decorator for its function.

        As :meth:`ConditionRule.condition
        <ssbx_model.rules.authoring.ConditionRule.condition>`, except that the function
        takes (case, item, reference date, parameters), and: ``passes`` are the reasons
        of :func:`passes` (the item passes at once); ``gate=True`` makes the condition
        one the later conditions need (it holds without a reason of its own, and one
        that fails or is open ends the item). A condition that is not a gate needs a
        ``holds`` reason.
        """
        listed_holds = (holds,) if isinstance(holds, Says) else tuple(holds)
        listed_passes = (passes,) if isinstance(passes, Says) else tuple(passes)
        if not listed_holds and not gate:
            raise RuleError(f"condition {name!r} of rule {self.id!r} declares no holds reason")
        # A gate holds without a reason: its holds reason is never given.
        given = listed_holds or (Says(f"{self.id}.{name}", "", ""),)
        declare = super().condition(
            name,
            description,
            cites=cites,
            holds=given,
            fails=fails,
            warns=warns,
            opens=opens,
            needs=needs,
            reads=reads,
            unsettled=unsettled,
        )
        if gate:
            self._gates.add(name)
        self._kind_plan = None

        def declare_passing(function: Callable[..., Finding | None]) -> Callable[..., Any]:
            declared = declare(function)
            says = self._conditions[-1].says  # type: ignore[union-attr]
            for item in listed_passes:
                says[("passes", item.code)] = item
            if len(listed_passes) == 1:
                says[("passes", None)] = listed_passes[0]
            return declared

        return declare_passing

    # -- one item --------------------------------------------------------------------

    def _read_item(
        self,
        case: Case | None,
        item: Any,
        on: dt.date,
        bound: Bound,
        every: bool,
        only: frozenset[str] | None = None,
        steps: list[TraceStep] | None = None,
        prefix: str = "",
    ) -> list[Reason | Unknown]:
        # The results of the item's conditions in order, with their reasons, up to the
        # first failure unless ``every``; a gate that does not hold, or a condition that
        # passes the item, ends it. (_kinds reads the same without reasons.)
        about = self.about(item)
        results: list[Reason | Unknown] = []
        for condition in self._conditions:
            if only is not None and condition.name not in only:
                continue
            if isinstance(condition, Legacy):
                result, ends = self._run_legacy(condition, case, item, on, bound, about)
            else:
                result, ends = self._run(condition, case, item, on, bound, about)
            if steps is not None:
                steps.append(_step(prefix, condition, result, about))
            if result is not _SILENT:
                results.append(result)
            if ends or (result[1] is _FAILS and not every):
                break
        return results

    def _run(
        self,
        condition: Declared,
        case: Case | None,
        item: Any,
        on: dt.date,
        bound: Bound,
        about: tuple[Fact, ...],
    ) -> tuple[Reason | Unknown, bool]:
        # One declared condition about one item: its result, and whether it ends the item.
        gate = condition.name in self._gates
        for field, open_by_status in condition.fields:
            status = getattr(case, field).status
            if status not in DECIDED:
                return open_by_status[status], gate
        function: Callable[..., Finding | None] = condition.function
        try:
            found = function(case, item, on, bound.params)
        except Undecided as open_:
            return condition.unknown(open_), gate
        if found is None:
            if gate:
                return _SILENT, False
            return condition.reason(Finding("holds", None, dict(about)), bound), False
        kind, code, facts = found
        if kind == "passes":  # the item passes at once, with this reason (of kind holds)
            return condition._build(
                condition.says_for(kind, code), "holds", {**dict(about), **facts}, bound.params
            ), True
        ends = gate and kind != "holds" and kind != "warning"
        return condition.reason(Finding(kind, code, {**dict(about), **facts}), bound), ends

    @staticmethod
    def _run_legacy(
        condition: Legacy,
        case: Case | None,
        item: Any,
        on: dt.date,
        bound: Bound,
        about: tuple[Fact, ...],
    ) -> tuple[Reason | Unknown, bool]:
        given: ItemCondition = condition.condition  # type: ignore[assignment]
        found = given.predicate(case, item, on, bound.view)  # type: ignore[arg-type]
        result = given.holds if found is None else found
        if about:
            result = _led_by(result, about)
        return result, False

    def _plan(self) -> _Plan:
        # Each condition as the outcome-only reading runs it: (function, the needed sets'
        # fields, gate, the condition); built once the conditions are declared.
        plan = self._kind_plan
        if plan is None:  # (each declaration starts it afresh)
            plan = self._kind_plan = [
                (c.condition.predicate, (), None, c)
                if isinstance(c, Legacy)
                else (c.function, c.checks, c.name in self._gates, c)
                for c in self._conditions
            ]
        return plan

    def _kinds(
        self, case: Case, item: Any, on: dt.date, bound: Bound, plan: _Plan
    ) -> list[Reason | Unknown]:
        # What _read_item gives without reasons (``complete`` False, up to the first
        # failure), in one loop: only each result's kind and missing sets count.
        results: list[Reason | Unknown] = []
        params = bound.params
        for function, fields, gate, condition in plan:
            if gate is None:  # an ItemCondition: its predicate builds its own result
                found = function(case, item, on, bound.view)
                result = HOLDS_ONLY if found is None else result_only(found)
                results.append(result)
                if result[1] is _FAILS:
                    break
                continue
            opened = None
            if fields:
                for status_of, open_ in fields:
                    if status_of(case) not in DECIDED:
                        opened = open_
                        break
            if opened is None:
                try:
                    found = function(case, item, on, params)
                except Undecided as undecided:
                    opened = condition.unknown_only(undecided)  # type: ignore[union-attr]
            if opened is not None:
                results.append(opened)
                if gate:
                    break
                continue
            if found is None:
                if not gate:
                    results.append(HOLDS_ONLY)
                continue
            kind = found[0]
            if kind == "fails":
                results.append(FAILS_ONLY)
                break
            if kind == "unknown":
                results.append(condition.opened(found[1]))  # type: ignore[union-attr]
                if gate:
                    break
            elif kind == "passes":
                results.append(HOLDS_ONLY)
                break
            else:
                results.append(KIND_ONLY[kind])
        return results

    def _item_verdict(
        self,
        case: Case,
        item: Any,
        on: dt.date,
        bound: Bound,
        steps: list[TraceStep] | None,
        prefix: str,
    ) -> Verdict:
        every = steps is not None or self.mode is _EVERY
        results = self._read_item(case, item, on, bound, every, None, steps, prefix)
        verdict = combine(results, self.mode)
        if verdict[0] is _ELIGIBLE and self.summary is not None:
            reason = self.summary(case, item, on, bound.params)
            return _ELIGIBLE, (reason.with_facts(*self.about(item), *reason.facts),), ()
        return verdict

    def check_item(
        self,
        case: Case,
        item: Any,
        on: dt.date,
        params: ParameterView,
        trace: list[TraceStep] | None,
    ) -> Verdict:
        """Decide about one item of ``case``: its verdict (with :attr:`summary`'s reason
        when it passes and the rule has one); record its steps in ``trace``."""
        return self._item_verdict(case, item, on, self._bind(params), trace, "")

    def assess(
        self,
        item: Any,
        on: dt.date,
        p: RuleParameters,
        conditions: Sequence[str],
        trace: list[TraceStep] | None = None,
    ) -> list[Reason | Unknown]:
        """The results of the named ``conditions`` about ``item`` alone, outside a case
        (each condition's result, in order): for conditions that read only the item, the
        date and ``p`` (typed parameters with the values they read)."""
        bound = Bound(ParameterView(), p)
        return self._read_item(None, item, on, bound, True, frozenset(conditions), trace)

    # -- the case --------------------------------------------------------------------

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Decide about every item and quantify; record every item's steps in ``trace``."""
        bound = self._bind(params)
        items = self.items(case, on, bound.params)
        if not items:
            if trace is not None:
                trace.append(_none_step(self))
            return self._none_verdict
        if self.quantifier is Quantifier.EVERY:
            every = trace is not None or self.mode is _EVERY
            results: list[Reason | Unknown] = []
            for item in items:
                prefix = _label(self.about(item))
                results += self._read_item(case, item, on, bound, every, None, trace, prefix)
            return combine(_once(results), self.mode)
        verdicts = [
            self._item_verdict(case, item, on, bound, trace, _label(self.about(item)))
            for item in items
        ]
        outcome, missing = combine_any(verdicts)
        return outcome, tuple(r for verdict in verdicts for r in verdict[1]), missing

    def settler(self, params: ParameterView) -> Callable[[Case, dt.date], Settled]:
        """:meth:`check` without a trace, its reasons left to :meth:`check` (None), as a
        function of (case, date) for the parameters ``params``: no reason text is built,
        and the reading stops at the first item that passes (ANY) or at the first failure
        (EVERY)."""
        bound = self._bind(params)
        plan, items_of, kinds, outcomes = self._plan(), self.items, self._kinds, self._outcomes
        typed, seen, none = bound.params, bound.combined, self._none_verdict
        every = self.quantifier is Quantifier.EVERY

        def settle(case: Case, on: dt.date) -> Settled:
            items = items_of(case, on, typed)
            if not items:
                return none
            if len(items) == 1:  # one item: its verdict is the rule's, either way
                return verdict_of(tuple(kinds(case, items[0], on, bound, plan)))
            if every:
                outcome, _, missing = combine(outcomes(case, items, on, bound, plan), _FIRST)
            else:
                outcome, missing = combine_any(
                    verdict_of(tuple(kinds(case, item, on, bound, plan))) for item in items
                )
            return outcome, None, missing

        def verdict_of(run: tuple[Reason | Unknown, ...]) -> Settled:
            return seen.get(run) or combine_once(run, seen)

        return settle

    def _outcomes(
        self, case: Case, items: Sequence[Any], on: dt.date, bound: Bound, plan: _Plan
    ) -> Iterator[Reason | Unknown]:
        # Every item's results, item by item, read only as far as combine reads.
        for item in items:
            yield from self._kinds(case, item, on, bound, plan)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, version={self.version!r})"


def _led_by(result: Reason | Unknown, about: tuple[Fact, ...]) -> Reason | Unknown:
    # The result with the item's facts first.
    if isinstance(result, Unknown):
        return Unknown(result.reason.with_facts(*about, *result.reason.facts), result.missing)
    return result.with_facts(*about, *result.facts)


def _label(about: tuple[Fact, ...]) -> str:
    return f"{about[0][1]}:" if about else ""


def _step(
    prefix: str, condition: Declared | Legacy, result: Reason | Unknown, about: tuple[Fact, ...]
) -> TraceStep:
    name = f"{prefix}{condition.name}"
    if result is _SILENT:
        return TraceStep(name, _HOLDS, condition.description, condition.citation, about, None)
    reason = result.reason if isinstance(result, Unknown) else result
    facts = about + tuple(f for f in reason.facts if f not in about)
    return TraceStep(
        name, reason.kind, condition.description, condition.citation, facts, reason.code
    )


def _none_step(rule: ItemRule) -> TraceStep:
    what = rule.items.__name__.strip("_").replace("_", "-")
    doc = " ".join((rule.items.__doc__ or f"The case's {what}.").split())
    return TraceStep(what, _FAILS, doc, rule.none.citation, (), rule.none.code)
