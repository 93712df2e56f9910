"""Condition rules: a rule made of conditions, each one declaration, and how one is run.

A :class:`ConditionRule` holds when all its conditions hold (Kleene's three-valued AND,
:func:`~ssbx_model.rules._combine.combine`). A condition is declared once, with the
decorator :meth:`ConditionRule.condition`: its name, what it checks, its citation, the
information sets it needs, and the reasons it gives (:class:`Says`), whose text is built
from the facts it found and the parameter values in force. The function returns
``None`` when the condition holds, or a finding (:func:`holds`, :func:`fails`,
:func:`warns`) naming the reason and its facts. A needed set that is not decided ends the
condition as *unknown*: the function reads the set with :func:`settled` or
:func:`known`, and the engine turns an undecided answer into an :class:`Unknown` naming
the set.

The engine, not the rule, does what makes this fast: a condition's reason is built once
per (reference date, parameters, facts) and reused, the parameters are read once per
(rule, date), and a rule whose first failure decides stops at it unless a trace is wanted.

``__all__`` is what rule authors use (through :mod:`ssbx_model.rules.authoring`). The
other names without a leading underscore (:class:`Bound`, :class:`Declared`,
:class:`Legacy`, the results without text ``KIND_ONLY``, ``HOLDS_ONLY``, ``FAILS_ONLY``,
``result_only``, ``outcome_only``, ``combine_once``, ``no_facts``, and ``missing_code``)
are shared with the engine's other modules (``_items``, ``_scope``, ``_routes``) and
nothing else; names with one are this module's own.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType, SimpleNamespace
from typing import Any, NamedTuple, TypeAlias, TypeVar

import attrs

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._combine import Mode, combine
from ssbx_model.rules._params import RuleParameters
from ssbx_model.rules._reasons import (
    Fact,
    Reason,
    ReasonKind,
    Settled,
    TraceStep,
    Unknown,
    Verdict,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = [
    "DECIDED",
    "UNDECIDED",
    "Condition",
    "ConditionResult",
    "ConditionRule",
    "Finding",
    "Says",
    "Undecided",
    "answer_facts",
    "fails",
    "holds",
    "known",
    "missing",
    "opens",
    "settled",
    "unknowns",
    "unsettled_text",
    "warns",
]

#: What a legacy :class:`Condition`'s predicate returns: None (holds), a Reason (of kind
#: holds, fails or warning), or an Unknown.
ConditionResult: TypeAlias = Reason | Unknown | None

#: A legacy condition's predicate: (case, reference date, parameters) -> result.
Predicate: TypeAlias = Callable[[Case, dt.date, ParameterView], ConditionResult]

#: Extra facts a condition shows in a trace: (case, reference date, parameters) -> facts.
FactsOf: TypeAlias = Callable[[Case, dt.date, Any], tuple[Fact, ...]]

#: A reason's text built from the facts found (``f.name``) and the parameters (``p``):
#: returns (Swedish, English).
TextOf: TypeAlias = Callable[[Any, Any], tuple[str, str]]

#: The answer statuses that settle the facts (known, absent, not found).
DECIDED = frozenset({AnswerStatus.KNOWN, AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND})

#: The answer statuses that leave the facts open.
UNDECIDED = frozenset(AnswerStatus) - DECIDED

_KNOWN = AnswerStatus.KNOWN
_ABSENT = AnswerStatus.ABSENT
_NOT_FOUND = AnswerStatus.NOT_FOUND
_FIRST = Mode.FIRST_FAILURE
_EVERY = Mode.EVERY_FAILURE
_FAILS = ReasonKind.FAILS


# --------------------------------------------------------------------------------------
# What a condition declares and returns
# --------------------------------------------------------------------------------------


class Says(NamedTuple):
    """A reason a condition gives: its stable code and its text.

    ``sv`` is the Swedish text and ``en`` the English one, or ``sv`` is a function
    ``(f, p) -> (sv, en)`` building both from the facts found (``f.age``) and the
    parameters in force (``p.age_max``), so that the text states the values used.
    ``cites`` is the reason's own citation where it quotes other words than its
    condition (by default the condition's). ``missing`` names, for an open reason
    (declared with ``opens=``), the information sets that would settle it.
    """

    code: str
    sv: str | TextOf
    en: str = ""
    cites: str = ""
    missing: tuple[InformationSet, ...] = ()


class Finding(NamedTuple):
    """What a condition function found: the kind of reason (``"holds"``, ``"fails"``,
    ``"warning"`` or ``"unknown"``, the values of :class:`ReasonKind`), its code, and the
    facts by name, in the order given (the reason's facts are these pairs)."""

    kind: str
    code: str | None
    facts: Mapping[str, Any]


_new_finding = tuple.__new__
_NO_FACTS: Mapping[str, Any] = MappingProxyType({})


def holds(code: str | None = None, /, **facts: Any) -> Finding:
    """The condition holds, with facts (``code``: which holds reason, if it has several)."""
    return _new_finding(Finding, ("holds", code, facts))


def fails(code: str | None = None, /, **facts: Any) -> Finding:
    """The condition fails, with facts (``code``: which failing reason, if it has several)."""
    return _new_finding(Finding, ("fails", code, facts))


def warns(code: str | None = None, /, **facts: Any) -> Finding:
    """The condition holds but needs attention (a warning), with facts."""
    return _new_finding(Finding, ("warning", code, facts))


def opens(code: str | None = None, /, **facts: Any) -> Finding:
    """The condition cannot be settled, for a reason of its own (declared with ``opens=``,
    whose ``missing`` names the sets that would settle it), with facts."""
    return _new_finding(Finding, ("unknown", code, facts))


class Undecided(Exception):
    """A needed information set is not decided: the engine makes the condition unknown.

    Raised as ``Undecided(which, status)``; raised and caught often, so it keeps its
    arguments as given (no text is built until it is shown).
    """

    args: tuple[InformationSet, AnswerStatus]

    @property
    def which(self) -> InformationSet:
        """The set that is not decided."""
        return self.args[0]

    @property
    def status(self) -> AnswerStatus:
        """Its answer's status."""
        return self.args[1]

    def __str__(self) -> str:
        return f"{self.which.value} is {self.status.value}"


T = TypeVar("T")


def settled(answer: Answer[T], which: InformationSet) -> T | None:
    """The value of a needed set's answer: its value when known, None when the provider
    answered that there is nothing (absent, not found).

    Raises:
        Undecided: when the answer is not requested, unavailable or withheld (the
            engine turns this into *unknown* with ``which`` missing).
    """
    status = answer.status
    if status is _KNOWN:
        return answer.value
    if status is _ABSENT or status is _NOT_FOUND:
        return None
    raise Undecided(which, status)


def known(answer: Answer[T], which: InformationSet) -> T:
    """The value of a needed set's answer, which must be known (absent or not found
    leave the condition open too, e.g. no schooling record).

    Raises:
        Undecided: for every status but known.
    """
    if answer.status is _KNOWN:
        return answer.value  # type: ignore[return-value]
    raise Undecided(which, answer.status)


# --------------------------------------------------------------------------------------
# Unknown results of undecided sets
# --------------------------------------------------------------------------------------

_UNDECIDED_SV = {
    AnswerStatus.NOT_REQUESTED: "har inte begärts",
    AnswerStatus.UNAVAILABLE: "kunde inte hämtas (tekniskt fel)",
    AnswerStatus.WITHHELD: "har hållits inne av behörighetsregler",
    AnswerStatus.NOT_FOUND: "finns inte hos uppgiftslämnaren",
}
_UNDECIDED_EN = {
    AnswerStatus.NOT_REQUESTED: "was not requested",
    AnswerStatus.UNAVAILABLE: "could not be fetched (technical error)",
    AnswerStatus.WITHHELD: "was withheld by the access policy",
    AnswerStatus.NOT_FOUND: "is not in the provider's register",
}
_UNKNOWN_CACHE: dict[tuple[str, InformationSet, AnswerStatus, str, str], Unknown] = {}


def unsettled_text(
    which: InformationSet,
    status: AnswerStatus | str,
    what_sv: str | None = None,
    what_en: str | None = None,
) -> tuple[str, str]:
    """The (Swedish, English) text of an open reason for ``which`` answered ``status``:
    the words of :func:`missing`, for an open reason a condition declares itself."""
    status = AnswerStatus(status)
    term = which.info.swedish
    sv = f"Uppgiften om {term} ({which.value}) {_UNDECIDED_SV.get(status, status.value)}"
    en = f"The information set {which.value} {_UNDECIDED_EN.get(status, status.value)}"
    if what_sv:
        sv += f": {what_sv} går inte att avgöra"
    if what_en:
        en += f": {what_en} cannot be settled"
    return sv + ".", en + "."


def missing_code(rule_id: str, which: InformationSet) -> str:
    # The code of the open reason for an undecided set (the engine's and a route's).
    return f"{rule_id}.missing.{which.value}"


def missing(
    rule_id: str,
    which: InformationSet,
    status: AnswerStatus,
    citation: str,
    *,
    what_sv: str | None = None,
    what_en: str | None = None,
) -> Unknown:
    """The (cached) :class:`Unknown` for a needed set that is not decided.

    Its reason code is ``"<rule_id>.missing.<set>"`` and its facts name the set and the
    answer's status; ``what_sv``/``what_en`` say what could not be settled.
    """
    key = (rule_id, which, status, citation, what_en or "")
    found = _UNKNOWN_CACHE.get(key)
    if found is None:
        sv, en = unsettled_text(which, status, what_sv, what_en)
        reason = Reason(
            missing_code(rule_id, which),
            ReasonKind.UNKNOWN,
            sv,
            en,
            citation,
            (("information_set", which.value), ("status", status.value)),
        )
        found = _UNKNOWN_CACHE[key] = Unknown(reason, (which,))
    return found


def unknowns(
    rule_id: str,
    which: InformationSet,
    citation: str,
    *,
    what_sv: str | None = None,
    what_en: str | None = None,
) -> dict[AnswerStatus, Unknown]:
    """The :func:`missing` results of one set for every status that leaves it open
    (NOT_FOUND and ABSENT included, for conditions that need a known answer)."""
    return {
        status: missing(rule_id, which, status, citation, what_sv=what_sv, what_en=what_en)
        for status in (*UNDECIDED, AnswerStatus.NOT_FOUND, AnswerStatus.ABSENT)
    }


def answer_facts(*sets: InformationSet) -> FactsOf:
    """A trace-facts function showing the answer status of each of ``sets`` and, for a
    known collection, how many items it has."""

    def facts(case: Case, on: dt.date, params: Any) -> tuple[Fact, ...]:
        found: list[Fact] = []
        for which in sets:
            answer = case.answer(which)
            found.append((which.value, answer.status.value))
            if answer.is_known and isinstance(answer.value, tuple):
                found.append((f"{which.value}_items", len(answer.value)))
        return tuple(found)

    return facts


def no_facts(case: Case, on: dt.date, params: Any) -> tuple[Fact, ...]:
    return ()


# --------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------


class Condition(NamedTuple):
    """A condition given as a predicate and a constant holds reason (the older form; new
    rules declare conditions with :meth:`ConditionRule.condition`).

    ``predicate`` returns None when the condition holds (``holds`` is then the reason),
    a :class:`Reason` (fails, warning, or holds with facts) or an :class:`Unknown`.
    ``facts`` gives what the trace shows about the condition.
    """

    name: str
    description: str
    citation: str
    predicate: Predicate
    holds: Reason
    facts: FactsOf = no_facts


class Bound:
    # What a rule's conditions see on one reference date with one set of parameters:
    # the view, the typed parameters, each condition's run (in order), its holds reason,
    # and the reasons built so far from (condition, finding). Built once per (rule,
    # date, overrides).
    __slots__ = ("combined", "holds", "params", "reasons", "runs", "view")

    def __init__(self, view: ParameterView, params: Any) -> None:
        self.view = view
        self.params = params
        self.runs: list[Callable[[Case, dt.date, Bound], Reason | Unknown]] = []
        # Each condition's reason when its function returns None (built on first use).
        self.holds: list[Reason | None] = []
        self.reasons: dict[tuple[object, ...], Reason | Unknown] = {}
        # The outcome-only verdicts combined so far (see combine_once).
        self.combined: Combined = {}


_MEMO_LIMIT = 50_000


# --------------------------------------------------------------------------------------
# Results for the outcome only
# --------------------------------------------------------------------------------------
#
# When only the outcome is wanted (ConditionRule.settler), a condition gives a result
# without text: a reason of the kind its function found, or an open result naming the
# sets that would settle it. combine reads only their kinds and missing sets; they never
# leave the engine. There is one of each (one per kind, one per tuple of missing sets),
# hashed by identity, so that the verdict combine gives for a run of them is looked up
# once it has been combined (a tuple of them hashes without reading their fields).


class _ReasonOnly(Reason):
    __slots__ = ()
    __hash__ = object.__hash__


class _UnknownOnly(Unknown):
    __slots__ = ()
    __hash__ = object.__hash__


KIND_ONLY: dict[str, Reason] = {
    kind.value: _ReasonOnly("", kind, "", "", "")
    for kind in (ReasonKind.HOLDS, ReasonKind.FAILS, ReasonKind.WARNING)
}
HOLDS_ONLY = KIND_ONLY["holds"]
FAILS_ONLY = KIND_ONLY["fails"]
_UNKNOWN_ONLY = _ReasonOnly("", ReasonKind.UNKNOWN, "", "", "")
_OPEN_ONLY: dict[tuple[InformationSet, ...], Unknown] = {}


def _open_only(sets: tuple[InformationSet, ...]) -> Unknown:
    # The one open result without text that names ``sets`` missing.
    found = _OPEN_ONLY.get(sets)
    if found is None:
        found = _OPEN_ONLY[sets] = _UnknownOnly(_UNKNOWN_ONLY, sets)
    return found


def outcome_only(verdict: Verdict) -> Settled:
    # A verdict's outcome and missing sets, its reasons left to the rule's check.
    return verdict[0], None, verdict[2]


#: The verdicts combined so far, by the run of results without text that gave them.
Combined: TypeAlias = dict[tuple[Reason | Unknown, ...], Settled]


def result_only(result: Reason | Unknown) -> Reason | Unknown:
    # The result without text of a condition of the older form (which builds its own).
    if isinstance(result, Unknown):
        return _open_only(result.missing)
    return KIND_ONLY[result.kind]


def combine_once(run: tuple[Reason | Unknown, ...], seen: Combined) -> Settled:
    # What combine gives for ``run`` (up to the first failure: its mode does not change
    # the outcome), kept in ``seen``: callers look it up there first
    # (``seen.get(run) or combine_once(run, seen)``).
    if len(seen) > _MEMO_LIMIT:
        seen.clear()
    verdict = seen[run] = outcome_only(combine(run, _FIRST))
    return verdict


@attrs.frozen(slots=True)
class Declared:
    # One condition, declared with ConditionRule.condition, as the engine runs it.
    rule_id: str
    index: int
    name: str
    description: str
    citation: str
    needs: tuple[InformationSet, ...]
    reads: tuple[InformationSet, ...]
    holds: Says
    says: dict[tuple[str, str | None], Says]
    function: Callable[[Case, dt.date, Any], Finding | None]
    shows: FactsOf
    what: tuple[str | None, str | None]

    # (Case field, open result by status) of each needed set, for the check before the
    # function runs; the open results are the cached ones of missing().
    fields: tuple[tuple[str, dict[AnswerStatus, Unknown]], ...] = attrs.field(init=False)
    # For the outcome only: each open reason of its own (by code) as an Unknown without
    # text, with the sets it names missing; and (the status of its answer in a case,
    # open result) of each needed set.
    open_only: dict[str | None, Unknown] = attrs.field(init=False)
    checks: tuple[tuple[Callable[[Case], AnswerStatus], Unknown], ...] = attrs.field(init=False)
    # The open result without text of each set it needs or reads, for an Undecided.
    read_only: dict[InformationSet, Unknown] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        what_sv, what_en = self.what
        fields = tuple(
            (
                str(which.value),
                unknowns(self.rule_id, which, self.citation, what_sv=what_sv, what_en=what_en),
            )
            for which in self.needs
        )
        object.__setattr__(self, "fields", fields)
        open_only = {
            code: _open_only(says.missing)
            for (kind, code), says in self.says.items()
            if kind == "unknown"
        }
        object.__setattr__(self, "open_only", open_only)
        checks = tuple(
            (operator.attrgetter(f"{which.value}.status"), _open_only((which,)))
            for which in self.needs
        )
        object.__setattr__(self, "checks", checks)
        read_only = {which: _open_only((which,)) for which in (*self.needs, *self.reads)}
        object.__setattr__(self, "read_only", read_only)

    def moved(self, index: int) -> Declared:
        """The same condition (its reasons' codes unchanged) as a rule's ``index``-th."""
        return attrs.evolve(self, index=index)

    def _build(self, says: Says, kind: str, facts: Mapping[str, Any], p: Any) -> Reason:
        if isinstance(says.sv, str):
            sv, en = says.sv, says.en
        else:
            sv, en = says.sv(SimpleNamespace(**facts), p)
        cites = says.cites or self.citation
        return Reason(says.code, ReasonKind(kind), sv, en, cites, tuple(facts.items()))

    def run(self, case: Case, on: dt.date, bound: Bound) -> Reason | Unknown:
        # The condition's result with its reason (for the outcome only: ConditionRule.settler). A
        # needed set that is not decided leaves the condition open before it is read.
        for field, open_by_status in self.fields:
            status = getattr(case, field).status
            if status is not _KNOWN and status is not _ABSENT and status is not _NOT_FOUND:
                return open_by_status[status]
        try:
            found = self.function(case, on, bound.params)
        except Undecided as open_:
            return self.unknown(open_)
        if found is None:
            reason = bound.holds[self.index]
            if reason is None:
                reason = bound.holds[self.index] = self._build(
                    self.holds, "holds", _NO_FACTS, bound.params
                )
            return reason
        key = (self.index, found.kind, found.code, *found.facts.items())
        try:
            result = bound.reasons.get(key)
        except TypeError:  # a fact that is not hashable: built every time
            return self.reason(found, bound)
        if result is None:
            if len(bound.reasons) > _MEMO_LIMIT:
                bound.reasons.clear()
            result = bound.reasons[key] = self.reason(found, bound)
        return result

    def says_for(self, kind: str, code: str | None) -> Says:
        """The reason declared for a finding of ``kind`` and ``code``.

        Raises:
            RuleError: if the condition declares no such reason.
        """
        says = self.says.get((kind, code))
        if says is None:
            raise RuleError(
                f"condition {self.name!r} of rule {self.rule_id!r} found {kind} "
                f"{code or ''} but declares no such reason".replace("  ", " ")
            )
        return says

    def opened(self, code: str | None) -> Unknown:
        """The open result of its own reason ``code``, without text (the outcome only).

        Raises:
            RuleError: if the condition declares no such open reason.
        """
        found = self.open_only.get(code)
        if found is None:
            return _open_only(self.says_for("unknown", code).missing)
        return found

    def reason(self, found: Finding, bound: Bound) -> Reason | Unknown:
        kind, code, facts = found
        says = self.says_for(kind, code)
        reason = self._build(says, kind, facts, bound.params)
        if kind == "unknown":  # an open reason of the condition's own
            return Unknown(reason, says.missing)
        return reason

    def unknown_only(self, open_: Undecided) -> Unknown:
        """:meth:`unknown` without text (the outcome only)."""
        found = self.read_only.get(open_.args[0])
        if found is None:
            self._declares(open_.which)  # raises: the set is not declared
        return found  # type: ignore[return-value]

    def _declares(self, which: InformationSet) -> None:
        if which not in self.needs and which not in self.reads:
            raise RuleError(
                f"condition {self.name!r} of rule {self.rule_id!r} reads "
                f"{which.value!r}, which it does not declare in needs or reads"
            )

    def unknown(self, open_: Undecided) -> Unknown:
        self._declares(open_.which)
        what_sv, what_en = self.what
        return missing(
            self.rule_id,
            open_.which,
            open_.status,
            self.citation,
            what_sv=what_sv,
            what_en=what_en,
        )

    def step(self, result: Reason | Unknown, case: Case, on: dt.date, bound: Bound) -> TraceStep:
        return _step(
            self.name, self.description, self.citation, self.shows, result, case, on, bound.params
        )


class Legacy:
    # A Condition (predicate and constant holds reason) as the engine runs it.
    __slots__ = ("condition", "index")

    def __init__(self, condition: Condition, index: int) -> None:
        self.condition = condition
        self.index = index

    @property
    def name(self) -> str:
        return self.condition.name

    @property
    def description(self) -> str:
        return self.condition.description

    @property
    def citation(self) -> str:
        return self.condition.citation

    def settler(self, bound: Bound) -> Callable[[Case, dt.date], Reason | Unknown]:
        """The condition's result without text (its kind and missing sets), as a function of
        (case, date) bound to ``bound``'s parameters (see :meth:`ConditionRule.settler`)."""
        predicate, view = self.condition.predicate, bound.view

        def settle(case: Case, on: dt.date) -> Reason | Unknown:
            result = predicate(case, on, view)
            return HOLDS_ONLY if result is None else result_only(result)

        return settle

    def run(self, case: Case, on: dt.date, bound: Bound) -> Reason | Unknown:
        result = self.condition.predicate(case, on, bound.view)
        if result is None:
            return self.condition.holds
        return result

    def step(self, result: Reason | Unknown, case: Case, on: dt.date, bound: Bound) -> TraceStep:
        c = self.condition
        return _step(c.name, c.description, c.citation, c.facts, result, case, on, bound.view)


def _step(
    name: str,
    description: str,
    citation: str,
    shows: FactsOf,
    result: Reason | Unknown,
    case: Case,
    on: dt.date,
    params: Any,
) -> TraceStep:
    facts = shows(case, on, params)
    reason = result.reason if isinstance(result, Unknown) else result
    extra = tuple(f for f in reason.facts if f not in facts)
    return TraceStep(name, reason.kind, description, citation, facts + extra, reason.code)


class ConditionRule:
    """A rule that holds when all its conditions hold (Kleene's three-valued AND).

    Declare it with its source and parameters, then each condition with the decorator
    :meth:`condition`, in the source's order; register it with
    :func:`~ssbx_model.rules.register_rule` once its conditions are declared.

    ``mode`` says how failures are reported (:class:`~ssbx_model.rules.authoring.Mode`):
    every failure (the default), or the first failure in the declared order, which then
    decides alone (with the warnings met before it). The outcome is the same either way;
    the trace always shows every condition. When none fails but some are unknown, the
    outcome is ``unknown`` with the open reasons and the union of their missing sets;
    otherwise ``eligible`` with each condition's holds reason (or warning), in order.

    ``params`` is the rule's :class:`~ssbx_model.rules.authoring.RuleParameters` class;
    condition functions receive an instance with the values in force. (The older form
    passes ``parameters`` as names and ``conditions`` as :class:`Condition` values, whose
    predicates receive the :class:`~ssbx_model.rules.parameters.ParameterView`.)
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
        params: type[RuleParameters] | None = None,
        parameters: Sequence[str] = (),
        needs: Sequence[InformationSet] = (),
        conditions: Sequence[Condition | Declared] = (),
        mode: Mode = Mode.EVERY_FAILURE,
        first_failure_decides: bool | None = None,
    ) -> None:
        self.id = id
        self.version = version
        self.title_en = title_en
        self.title_sv = title_sv
        self.source_text = source_text
        self.citation = citation
        self.params = params
        names = list(parameters)
        for name in params.parameter_names() if params is not None else ():
            if name not in names:
                names.append(name)
        self.parameters = tuple(names)
        self.needs = tuple(needs)
        if first_failure_decides is not None:
            mode = Mode.FIRST_FAILURE if first_failure_decides else Mode.EVERY_FAILURE
        self.mode = mode
        self._conditions: list[Declared | Legacy] = []
        for index, given in enumerate(conditions):
            if isinstance(given, Declared):
                self._conditions.append(given.moved(index))
            else:
                self._conditions.append(Legacy(given, index))
        self._last: tuple[ParameterView | None, Bound | None] = (None, None)
        # A subclass that overrides check may add to it: settle cannot stand in for it.
        self._overridden = type(self).check is not ConditionRule.check

    @property
    def first_failure_decides(self) -> bool:
        """True when the first failure decides (:attr:`Mode.FIRST_FAILURE`)."""
        return self.mode is Mode.FIRST_FAILURE

    @property
    def conditions(self) -> tuple[Condition | Declared, ...]:
        """The conditions in order: each has ``name``, ``description``, ``citation`` and
        ``holds`` (whose ``code`` is the holds reason's)."""
        return tuple(c.condition if isinstance(c, Legacy) else c for c in self._conditions)

    def condition(
        self,
        name: str,
        description: str,
        *,
        cites: str,
        holds: Says | Sequence[Says],
        fails: Says | Sequence[Says] = (),
        warns: Says | Sequence[Says] = (),
        opens: Says | Sequence[Says] = (),
        needs: Sequence[InformationSet] = (),
        reads: Sequence[InformationSet] = (),
        shows: FactsOf | None = None,
        unsettled: tuple[str, str] | None = None,
    ) -> Callable[[Callable[[Case, dt.date, Any], Finding | None]], Callable[..., Any]]:
        """Declare the next condition: a decorator for its function.

        ``name`` is the condition's id, ``description`` what it checks (English),
        ``cites`` its citation with the quoted words; ``holds``, ``fails`` and ``warns``
        the reasons it gives (the first ``holds`` is the one given when the function
        returns None); ``opens`` the open reasons of its own (beside the engine's for an
        undecided set), each naming in ``Says.missing`` the sets that would settle it;
        ``needs`` the information sets it cannot be settled without (the
        engine checks them in order before the function runs: the first that is not
        decided makes the condition unknown); ``reads`` the sets it reads only on some
        paths (with :func:`settled` or :func:`known`, which end the condition as unknown
        when the set is not decided); ``shows`` what the trace shows about it (by
        default the status of each set it needs or reads); ``unsettled`` what could not
        be settled, (Swedish, English), added to the open reason.

        The function takes (case, reference date, parameters) and returns None (holds,
        with ``holds``), or :func:`holds`, :func:`fails`, :func:`warns` or :func:`opens`
        with the facts the reason's text uses.
        """
        says: dict[tuple[str, str | None], Says] = {}
        for kind, given in (
            ("holds", holds),
            ("fails", fails),
            ("warning", warns),
            ("unknown", opens),
        ):
            listed = (given,) if isinstance(given, Says) else tuple(given)
            for item in listed:
                says[(kind, item.code)] = item
            if listed and (len(listed) == 1 or kind == "holds"):
                says[(kind, None)] = listed[0]  # the reason a finding without a code gives
        default = says[("holds", None)]
        sets, optional = tuple(needs), tuple(reads)

        def declare(
            function: Callable[[Case, dt.date, Any], Finding | None],
        ) -> Callable[..., Any]:
            if any(c.name == name for c in self._conditions):
                raise RuleError(f"rule {self.id!r} declares the condition {name!r} twice")
            self._conditions.append(
                Declared(
                    self.id,
                    len(self._conditions),
                    name,
                    description,
                    cites,
                    sets,
                    optional,
                    default,
                    says,
                    function,
                    shows or (answer_facts(*sets, *optional) if sets or optional else no_facts),
                    unsettled or (None, None),
                )
            )
            self._last = (None, None)
            return function

        return declare

    def _bind(self, view: ParameterView) -> Bound:
        last_view, bound = self._last
        if last_view is view and bound is not None:
            return bound
        if not self._conditions:
            raise RuleError(f"rule {self.id!r} has no conditions")
        typed = view if self.params is None else self.params.from_values(view)
        bound = Bound(view, typed)
        bound.holds = [None] * len(self._conditions)
        bound.runs = [c.run for c in self._conditions]
        self._last = (view, bound)
        return bound

    def _read(self, case: Case, on: dt.date, bound: Bound, every: bool) -> list[Reason | Unknown]:
        # The one evaluation of the conditions: their results in order, up to the first
        # failure unless ``every`` is wanted. (combine reads no further than the first
        # failure when it decides, and in Kleene's logic it decides the outcome: the
        # tests check that combining the results read up to it gives what combining them
        # all gives.)
        results: list[Reason | Unknown] = []
        for run in bound.runs:
            result = run(case, on, bound)
            results.append(result)
            if result[1] is _FAILS and not every:
                break
        return results

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Evaluate the conditions and combine them; record every step in ``trace``."""
        bound = self._bind(params)
        if trace is None:
            return combine(self._read(case, on, bound, self.mode is _EVERY), self.mode)
        results = self._read(case, on, bound, True)
        conditions = self._conditions
        trace.extend(c.step(r, case, on, bound) for c, r in zip(conditions, results, strict=True))
        return combine(results, self.mode)

    def settler(self, params: ParameterView) -> Callable[[Case, dt.date], Settled]:
        """:meth:`check` without a trace and with its reasons left to :meth:`check` (None),
        as a function of (case, date) for the parameters ``params``.

        The same conditions and the same :func:`combine`: the outcome and the missing
        sets do not depend on the mode (Kleene's logic), so the conditions are read up to
        the first failure whatever the rule's mode, and no reason's text is built. The
        engine's decision completes its reasons with :meth:`check` when they are read. A
        subclass that overrides :meth:`check` gets its check (only it knows what it adds).
        """
        if self._overridden:
            check = self.check
            return lambda case, on: check(case, on, params, None)
        bound = self._bind(params)
        # (the needed sets' checks, function, condition) of each declared condition; a
        # condition of the older form reads itself: ((), None, its settler).
        conditions: list[tuple[Any, Any, Any]] = [
            (c.checks, c.function, c) if isinstance(c, Declared) else ((), None, c.settler(bound))
            for c in self._conditions
        ]
        typed = bound.params
        # What combine gives for a run of results: one failure decides (Kleene), and
        # any other run is combined once and looked up after (the results are the
        # one-of-each results without text, hashed by identity).
        failed = outcome_only(combine((FAILS_ONLY,), _FIRST))
        seen = bound.combined

        def settle(case: Case, on: dt.date) -> Settled:
            # Each condition's result without text, in one loop.
            results: list[Reason | Unknown] = []
            for checks, function, condition in conditions:
                if function is None:  # a Condition of the older form
                    result = condition(case, on)
                    if result is FAILS_ONLY:
                        return failed
                    results.append(result)
                    continue
                for status_of, open_ in checks:
                    status = status_of(case)
                    if status is not _KNOWN and status is not _ABSENT and status is not _NOT_FOUND:
                        results.append(open_)
                        break
                else:
                    try:
                        found = function(case, on, typed)
                    except Undecided as undecided:
                        results.append(condition.unknown_only(undecided))
                        continue
                    if found is None:
                        results.append(HOLDS_ONLY)
                    elif found[0] == "fails":
                        return failed
                    else:  # holds or warns with facts, or an open reason of its own
                        results.append(KIND_ONLY.get(found[0]) or condition.opened(found[1]))
            run = tuple(results)
            return seen.get(run) or combine_once(run, seen)

        return settle

    def __repr__(self) -> str:
        return f"ConditionRule(id={self.id!r}, version={self.version!r})"
