"""The rules engine: outcomes, reasons, decisions, traces, and the registry of rules.

A **rule** places a person in a target group on a reference date: it is a pure function
of (case, date, parameters) that returns an :class:`Outcome` with :class:`Reason`\\ s.
"Unknown" is a real outcome: when a fact the rule needs is missing (the information set
was not requested, could not be fetched, or was withheld) the decision is ``unknown`` and
:attr:`Decision.missing` names the sets that would settle it. Conditions combine in
Kleene's three-valued logic: one condition that fails decides ``not_eligible`` even when
others are unknown.

Most rules are a list of :class:`Condition`\\ s (see :class:`ConditionRule`); a rule that
needs another shape implements the :class:`Rule` protocol directly. Rules are registered
under a stable id (:func:`register_rule`) and evaluated by id (:func:`evaluate`,
:func:`evaluate_many`). No rule reads the wall clock: the reference date is an argument.

The hot path is lean on purpose (the benchmark evaluates every rule over a million
cases): reasons with fixed text are constants, a decision is a tuple, parameters are
looked up once per (rule, date), and the trace is built only when asked for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol, TypeAlias, runtime_checkable

from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.errors import RuleError, UnknownRuleError, ValidationError
from ssbx_model.identity import PersonId, mask_identity_numbers
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = [
    "DECIDED",
    "TRACE_VERSION",
    "UNDECIDED",
    "Condition",
    "ConditionResult",
    "ConditionRule",
    "Decision",
    "Fact",
    "Outcome",
    "QuickVerdict",
    "Reason",
    "ReasonKind",
    "Rule",
    "TraceStep",
    "Unknown",
    "Verdict",
    "age_band",
    "age_facts",
    "age_on",
    "answer_facts",
    "any_covers",
    "birth_date",
    "birth_year",
    "evaluate",
    "evaluate_many",
    "get_rule",
    "is_decided",
    "make_decision",
    "missing",
    "parameter_view",
    "register_rule",
    "rule_ids",
    "rules",
    "unknowns",
    "unregister_rule",
]

#: Version of the JSON form of decisions and traces (:meth:`Decision.to_json`).
TRACE_VERSION = "1"

#: A fact a reason used: a name and a masked value (an age, a date, a period, a code;
#: never an identity number). In JSON a period is ``"start..end"``.
Fact: TypeAlias = tuple[str, Any]


_tuple_new = tuple.__new__


class Outcome(StrEnum):
    """The answer of a rule."""

    #: Every condition holds: the person is in the target group on the date.
    ELIGIBLE = "eligible"
    #: At least one condition fails (whatever is unknown about the others).
    NOT_ELIGIBLE = "not_eligible"
    #: No condition fails but at least one cannot be settled with the facts at hand.
    UNKNOWN = "unknown"


class ReasonKind(StrEnum):
    """What a reason says about its condition."""

    #: The condition holds.
    HOLDS = "holds"
    #: The condition fails: the reason for ``not_eligible``.
    FAILS = "fails"
    #: The condition cannot be settled: the reason for ``unknown``.
    UNKNOWN = "unknown"
    #: The condition holds, but something needs attention soon (e.g. a consent expires).
    WARNING = "warning"


class Reason(NamedTuple):
    """Why a rule decided as it did, in words a caseworker reads.

    ``code`` is stable and part of the public API (e.g. ``"skat15.age.outside-band"``);
    ``message_sv`` is what a caseworker reads, ``message_en`` its English form;
    ``citation`` names the seed section or statute; ``facts`` are the (name, value) pairs
    the reason used, masked (ages, dates, codes: never an identity number).
    """

    code: str
    kind: ReasonKind
    message_sv: str
    message_en: str
    citation: str
    facts: tuple[Fact, ...] = ()

    def with_facts(self, *facts: Fact) -> Reason:
        """The same reason carrying ``facts`` (for reasons whose text is a constant)."""
        # tuple.__new__ skips NamedTuple's Python-level __new__: this runs once per
        # failing condition on the hot path.
        return _tuple_new(Reason, (self[0], self[1], self[2], self[3], self[4], facts))

    def to_json(self) -> dict[str, Any]:
        """The reason as a JSON-ready dict (dates as ISO text; identity-number-shaped
        sequences in its texts masked, see :meth:`__repr__`)."""
        return {
            "code": self.code,
            "kind": self.kind.value,
            "message_sv": mask_identity_numbers(self.message_sv),
            "message_en": mask_identity_numbers(self.message_en),
            "citation": self.citation,
            "facts": _json_facts(self.facts),
        }

    def __repr__(self) -> str:
        # A fact or a message may repeat a provider's text (a decision id, an evidence
        # source): shown masked, like every outside text.
        return _masked_repr(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        """Rebuild a reason from :meth:`to_json` (dates and periods in facts read back)."""
        return cls(
            str(data["code"]),
            ReasonKind(data["kind"]),
            str(data["message_sv"]),
            str(data["message_en"]),
            str(data["citation"]),
            tuple((str(name), _from_json_value(value)) for name, value in data.get("facts", ())),
        )


class Unknown(NamedTuple):
    """A condition that cannot be settled: the reason and the sets that would settle it."""

    reason: Reason
    missing: tuple[InformationSet, ...]


class TraceStep(NamedTuple):
    """One step of a decision's trace: a condition, its result and what it looked at."""

    condition: str
    result: ReasonKind
    description: str
    citation: str
    facts: tuple[Fact, ...] = ()
    reason_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The step as a JSON-ready dict (outside text masked, as in a reason)."""
        return {
            "condition": mask_identity_numbers(self.condition),
            "result": self.result.value,
            "description": mask_identity_numbers(self.description),
            "citation": self.citation,
            "facts": _json_facts(self.facts),
            "reason_code": self.reason_code,
        }

    def __repr__(self) -> str:
        return _masked_repr(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TraceStep:
        """Rebuild a step from :meth:`to_json`."""
        code = data.get("reason_code")
        return cls(
            str(data["condition"]),
            ReasonKind(data["result"]),
            str(data["description"]),
            str(data["citation"]),
            tuple((str(name), _from_json_value(value)) for name, value in data.get("facts", ())),
            None if code is None else str(code),
        )


def _masked_repr(item: Reason | TraceStep) -> str:
    """The named tuple's usual repr, masked."""
    fields = ", ".join(f"{name}={value!r}" for name, value in zip(item._fields, item, strict=True))
    return mask_identity_numbers(f"{type(item).__name__}({fields})")


def _json_facts(facts: tuple[Fact, ...]) -> list[list[Any]]:
    # A fact's name may carry an id too ("program_decision PB-1"): masked like its value.
    return [[mask_identity_numbers(name), _json_value(value)] for name, value in facts]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if isinstance(value, str):
        # Facts repeat outside text (ids, sources): masked like every outside text.
        return mask_identity_numbers(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    # Anything else is shown as its str(): identity numbers print masked.
    return mask_identity_numbers(str(value))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ISO_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})?\Z")


def _from_json_value(value: Any) -> Any:
    # The inverse of _json_value: ISO dates back to dates, "start..end" back to periods,
    # arrays back to tuples.
    if isinstance(value, str):
        try:
            if _ISO_DATE.match(value):
                return dt.date.fromisoformat(value)
            period = _ISO_PERIOD.match(value)
            if period is not None:
                end = period.group(2)
                return Period(
                    dt.date.fromisoformat(period.group(1)),
                    dt.date.fromisoformat(end) if end else None,
                )
        except (ValueError, ValidationError):
            return value
        return value
    if isinstance(value, list):
        return tuple(_from_json_value(v) for v in value)
    return value


#: What a rule returns to the engine: outcome, reasons, missing sets.
Verdict: TypeAlias = tuple[Outcome, tuple[Reason, ...], tuple[InformationSet, ...]]

#: What a rule's optional ``decide`` returns: a :data:`Verdict` whose reasons may be None
#: (the outcome and the missing sets are final; the reasons are built by ``check`` when
#: a caller reads them).
QuickVerdict: TypeAlias = tuple[Outcome, tuple[Reason, ...] | None, tuple[InformationSet, ...]]

_NO_TRACE: tuple[TraceStep, ...] = ()
_FAILS = ReasonKind.FAILS
_NOT_ELIGIBLE = Outcome.NOT_ELIGIBLE
_UNKNOWN = Outcome.UNKNOWN
_LAZY_NOT_ELIGIBLE: QuickVerdict = (Outcome.NOT_ELIGIBLE, None, ())
_WARNING = ReasonKind.WARNING


class _StoredRule(NamedTuple):
    # The id and version of the rule of a decision read back from JSON.
    id: str
    version: str


class Decision(tuple[Any, ...]):
    """The decision of one rule about one case on one date (immutable).

    Attributes are read-only: ``rule_id``, ``rule_version``, ``on``, ``outcome``,
    ``reasons``, ``missing`` (the information sets whose absence or unavailability made
    the decision ``unknown``; empty otherwise), ``subject`` (the person, masked),
    ``parameters`` (the values the rule used, as of ``on``, overrides applied) and
    ``trace`` (the steps, built on first access unless the decision was evaluated with
    ``trace=True``). :meth:`to_json` and :meth:`from_json` give its versioned JSON form
    for audit and storage.

    A decision is a tuple underneath (the cheapest immutable object to build a million
    of), but not a sequence: iterating over it raises TypeError. A fresh decision keeps a
    reference to its case (to build the trace on demand); store decisions with
    :meth:`to_json`, which holds only masked facts.
    """

    __slots__ = ()

    # Layout: rule (or its stored id and version), on, verdict (outcome, reasons,
    # missing), case (or the masked subject), parameters, trace (or None: built lazily).
    def __new__(
        cls,
        rule_id: str,
        rule_version: str,
        on: dt.date,
        outcome: Outcome,
        reasons: Sequence[Reason],
        missing: Sequence[InformationSet] = (),
        subject: str = "",
        parameters: Mapping[str, Scalar] | None = None,
        trace: Sequence[TraceStep] | None = None,
    ) -> Decision:
        """Build a decision from its parts (the engine builds them itself; this is for
        stores and tests)."""
        return tuple.__new__(
            cls,
            (
                _StoredRule(rule_id, rule_version),
                on,
                (Outcome(outcome), tuple(reasons), tuple(missing)),
                str(subject),
                dict(parameters or {}),
                None if trace is None else tuple(trace),
            ),
        )

    @property
    def rule_id(self) -> str:
        """The id of the rule that decided (e.g. ``"skat15"``)."""
        rule_id: str = self[0].id
        return rule_id

    @property
    def rule_version(self) -> str:
        """The version of the rule that decided."""
        version: str = self[0].version
        return version

    @property
    def on(self) -> dt.date:
        """The reference date."""
        on: dt.date = self[1]
        return on

    @property
    def outcome(self) -> Outcome:
        """eligible, not_eligible or unknown."""
        outcome: Outcome = self[2][0]
        return outcome

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Why: for not_eligible the failing conditions, for unknown the open ones, for
        eligible the conditions that hold; warnings in every case.

        A decision from :func:`evaluate_many` may have settled its outcome without them
        (a rule's ``decide``); they are then built on access, by evaluating the rule
        again in full (rules are pure, so these are the reasons of this very decision).
        """
        reasons: tuple[Reason, ...] | None = self[2][1]
        if reasons is None:
            return self[0].check(self[3], self[1], self[4], None)[1]  # type: ignore[no-any-return]
        return reasons

    @property
    def missing(self) -> tuple[InformationSet, ...]:
        """The information sets that would settle an unknown decision (empty otherwise)."""
        missing: tuple[InformationSet, ...] = self[2][2]
        return missing

    @property
    def subject(self) -> str:
        """The person the decision is about, masked (e.g. ``"20060501-****"``)."""
        source = self[3]
        if type(source) is str:
            return source
        return str(source.person)

    @property
    def parameters(self) -> Mapping[str, Scalar]:
        """The parameter values the rule used (as of ``on``, overrides applied)."""
        return MappingProxyType(self[4])

    @property
    def trace(self) -> tuple[TraceStep, ...]:
        """The steps the rule went through, with the facts each looked at.

        Built on first access by evaluating the rule again with tracing on (rules are
        pure, so this gives the steps of this very decision); a decision read back from
        JSON carries the steps it was stored with (or none).
        """
        steps: tuple[TraceStep, ...] | None = self[5]
        if steps is not None:
            return steps
        rule, case = self[0], self[3]
        if isinstance(rule, _StoredRule) or type(case) is str:
            return _NO_TRACE
        collected: list[TraceStep] = []
        rule.check(case, self[1], self[4], collected)
        return tuple(collected)

    @property
    def is_eligible(self) -> bool:
        """True when the outcome is eligible."""
        return self[2][0] is Outcome.ELIGIBLE

    @property
    def warnings(self) -> tuple[Reason, ...]:
        """The reasons of kind warning."""
        return tuple(r for r in self.reasons if r.kind is ReasonKind.WARNING)

    def reason_codes(self) -> tuple[str, ...]:
        """The codes of the reasons, in order."""
        return tuple(r.code for r in self.reasons)

    def to_json(self, *, trace: bool = True) -> dict[str, Any]:
        """The decision as a JSON-ready dict with ``"trace_version"`` (for audit and storage).

        ``trace=False`` leaves the steps out (``"trace": null``).
        """
        return {
            "trace_version": TRACE_VERSION,
            "rule": self.rule_id,
            "rule_version": self.rule_version,
            "on": self.on.isoformat(),
            "subject": self.subject,
            "outcome": self.outcome.value,
            "reasons": [r.to_json() for r in self.reasons],
            "missing": [m.value for m in self.missing],
            "parameters": {k: _json_value(v) for k, v in self.parameters.items()},
            "trace": [s.to_json() for s in self.trace] if trace else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        """Rebuild a decision from :meth:`to_json`.

        Raises:
            RuleError: if the document's ``trace_version`` is not one this library reads,
                or a field is missing or malformed.
        """
        version = data.get("trace_version")
        if version != TRACE_VERSION:
            raise RuleError(
                f"decision document has trace_version {version!r}; this library reads "
                f"{TRACE_VERSION!r}"
            )
        try:
            steps = data.get("trace")
            return cls(
                str(data["rule"]),
                str(data["rule_version"]),
                dt.date.fromisoformat(data["on"]),
                Outcome(data["outcome"]),
                tuple(Reason.from_json(r) for r in data["reasons"]),
                tuple(InformationSet(m) for m in data["missing"]),
                str(data["subject"]),
                dict(data.get("parameters") or {}),
                None if steps is None else tuple(TraceStep.from_json(s) for s in steps),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RuleError(f"malformed decision document: {exc!r}") from None

    def _key(self) -> tuple[Any, ...]:
        return (
            self.rule_id,
            self.rule_version,
            self[1],
            self.outcome,
            self.reasons,
            self.missing,
            self.subject,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._key() == other._key() and dict(self[4]) == dict(other[4])

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())

    def __bool__(self) -> bool:
        return True

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Decision,
            (
                self.rule_id,
                self.rule_version,
                self.on,
                self.outcome,
                self.reasons,
                self.missing,
                self.subject,
                dict(self[4]),
                self.trace,
            ),
        )

    def __repr__(self) -> str:
        codes = ", ".join(self.reason_codes())
        missing = ", ".join(m.value for m in self.missing)
        return (
            f"Decision(rule={self.rule_id!r}, on={self.on.isoformat()}, "
            f"subject={self.subject!r}, outcome={self.outcome.value}, reasons=[{codes}], "
            f"missing=[{missing}])"
        )

    # tuple's own iteration would leak the layout: a decision is not a sequence.
    def __iter__(self) -> Iterator[Any]:
        raise TypeError("a Decision is not iterable; read its attributes")


def _make(
    rule: Rule,
    case: Case,
    on: dt.date,
    view: ParameterView,
    verdict: Verdict,
    steps: tuple[TraceStep, ...] | None,
) -> Decision:
    return _tuple_new(Decision, (rule, on, verdict, case, view, steps))


# --------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------


@runtime_checkable
class Rule(Protocol):
    """What the engine needs from a rule.

    ``id`` is the stable public id; ``source_text`` is the quoted source (Swedish) and
    ``citation`` where it comes from; ``parameters`` names every parameter the rule reads
    and ``needs`` every information set it may read. :meth:`check` is pure: it must not
    read the clock, files or the network; it appends :class:`TraceStep`\\ s to ``trace``
    when ``trace`` is a list.

    A rule may also define ``decide(case, on, params)``, returning a :data:`QuickVerdict`:
    the same outcome and missing sets as :meth:`check`, with the reasons left out (None)
    where building them would cost time (e.g. every failure of a rule that reports them
    all, once the first has settled the outcome). :func:`evaluate_many` calls it when it
    is there; the reasons are then built by :meth:`check` if a caller reads them.
    :class:`ConditionRule` defines it.
    """

    @property
    def id(self) -> str:
        """The stable id (e.g. ``"skat15"``)."""

    @property
    def version(self) -> str:
        """The rule's version: changes whenever its behaviour changes."""

    @property
    def title_en(self) -> str:
        """A short English title."""

    @property
    def title_sv(self) -> str:
        """A short Swedish title."""

    @property
    def source_text(self) -> str:
        """The quoted source text (Swedish, as written in the seed or statute)."""

    @property
    def citation(self) -> str:
        """Where the rule comes from (seed section, statute)."""

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters the rule reads."""

    @property
    def needs(self) -> tuple[InformationSet, ...]:
        """The information sets the rule may read."""

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Decide for ``case`` on ``on`` with ``params``; record steps in ``trace``."""


#: What a condition returns: None (holds), a Reason (of kind holds, fails or warning),
#: or an Unknown.
ConditionResult: TypeAlias = Reason | Unknown | None

#: A condition's predicate: (case, reference date, parameters) -> result.
Predicate: TypeAlias = Callable[[Case, dt.date, ParameterView], ConditionResult]

#: Extra facts a condition shows in a trace: (case, reference date, parameters) -> facts.
FactsOf: TypeAlias = Callable[[Case, dt.date, ParameterView], tuple[Fact, ...]]


def _no_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    return ()


class Condition(NamedTuple):
    """One condition of a :class:`ConditionRule`.

    ``predicate`` returns None when the condition holds (the constant ``holds`` reason
    is then used), a :class:`Reason` (fails, warning, or holds with facts) or an
    :class:`Unknown`. ``facts`` gives what the trace shows about the condition; it runs
    only when a trace is built.
    """

    name: str
    description: str
    citation: str
    predicate: Predicate
    holds: Reason
    facts: FactsOf = _no_facts


class ConditionRule:
    """A rule that holds when all its conditions hold (Kleene's three-valued AND).

    Conditions are evaluated in order. A condition that fails decides ``not_eligible``
    (whatever is unknown about the others). By default every condition is evaluated and
    every failure reported; with ``first_failure_decides=True`` the first failure ends
    the evaluation and is the reason given, with the warnings met before it (faster: the
    group rules ``skat15``, ``kaa`` and ``uvas`` order their conditions cheapest and most
    decisive first and stop there). When none
    fails but some are unknown, the outcome is ``unknown`` with the open reasons and the
    union of their missing sets; otherwise ``eligible`` with one reason per condition, in
    order: its constant ``holds`` reason, or the reason it returned (a holds reason with
    facts, or a warning). The trace always shows every condition.

    ``probe_order`` (condition names, each once) is the order :meth:`decide`, and so
    :func:`evaluate_many`, probes the conditions in: the most decisive first, so that most
    cases are settled by one condition. It changes no outcome, missing set or reason.
    """

    __slots__ = (
        "_all_holds",
        "_eligible",
        "_predicates",
        "_probe_order",
        "_probes",
        "citation",
        "conditions",
        "first_failure_decides",
        "id",
        "needs",
        "parameters",
        "source_text",
        "title_en",
        "title_sv",
        "version",
    )

    def __init__(
        self,
        *,
        id: str,
        version: str,
        title_en: str,
        title_sv: str,
        source_text: str,
        citation: str,
        parameters: Sequence[str],
        needs: Sequence[InformationSet],
        conditions: Sequence[Condition],
        first_failure_decides: bool = False,
        probe_order: Sequence[str] | None = None,
    ) -> None:
        if not conditions:
            raise RuleError(f"rule {id!r} has no conditions")
        self.id = id
        self.version = version
        self.title_en = title_en
        self.title_sv = title_sv
        self.source_text = source_text
        self.citation = citation
        self.parameters = tuple(parameters)
        self.needs = tuple(needs)
        self.conditions = tuple(conditions)
        self._all_holds = tuple(c.holds for c in self.conditions)
        self._predicates = tuple(c.predicate for c in self.conditions)
        self._eligible: Verdict = (Outcome.ELIGIBLE, self._all_holds, ())
        self.first_failure_decides = first_failure_decides
        names = [c.name for c in self.conditions]
        order = names if probe_order is None else list(probe_order)
        if probe_order is not None and len(set(names)) != len(names):
            raise RuleError(f"rule {id!r}: a probe_order needs distinct condition names")
        if sorted(order) != sorted(names):
            raise RuleError(
                f"rule {id!r}: probe_order must name every condition once "
                f"(conditions: {', '.join(names)})"
            )
        self._probe_order = tuple(order)
        # In a probe order other than the declared one: (predicate, declared index,
        # whether a failure there is the one check reports: with the first failure
        # deciding, every condition declared before it has been probed before it).
        self._probes: tuple[tuple[Predicate, int, bool], ...] | None = None
        if order != names:
            probes: list[tuple[Predicate, int, bool]] = []
            for name in order:
                index = names.index(name)
                reportable = first_failure_decides and all(
                    n in order[: len(probes)] for n in names[:index]
                )
                probes.append((self._predicates[index], index, reportable))
            self._probes = tuple(probes)

    @property
    def probe_order(self) -> tuple[str, ...]:
        """The condition names in the order :meth:`decide` evaluates them (read-only).

        The declared order unless the rule was built with ``probe_order``: a speed hint
        (most decisive condition first) that changes no outcome, missing set or reason.
        """
        return self._probe_order

    def decide(self, case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        """The outcome and missing sets :meth:`check` gives, settled as early as possible.

        The conditions are probed in :attr:`probe_order`; the first failing one settles
        ``not_eligible`` and the others are not evaluated. The reasons are left to
        :meth:`check` (None) whenever they are more than the one failure check reports,
        the one open condition or the constant holds reasons.
        """
        if self._probes is not None:
            return self._decide_probed(case, on, params)
        unknown: Unknown | None = None  # the first open condition
        missing: tuple[InformationSet, ...] = ()  # the union of the open ones' sets
        several = False  # more than one open condition
        special = False  # a warning, or a holds reason with facts, was returned
        for predicate in self._predicates:
            result = predicate(case, on, params)
            if result is None:
                continue
            if result[1] is _FAILS:
                if self.first_failure_decides and not special:
                    return _NOT_ELIGIBLE, (result,), ()
                return _LAZY_NOT_ELIGIBLE
            if type(result) is Unknown:
                if unknown is None:
                    unknown = result
                    missing = result[1]
                    continue
                several = True
                sets = result[1]
                if sets is not missing:
                    for which in sets:
                        if which not in missing:
                            missing = (*missing, which)
            else:
                special = True
        if unknown is None:
            return (Outcome.ELIGIBLE, None, ()) if special else self._eligible
        if several or special:
            return _UNKNOWN, None, missing
        return _UNKNOWN, (unknown[0],), missing

    def _decide_single(self, case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        # decide for a rule of one condition: its result is the whole verdict, reasons
        # included (what check gives: the failure, the open reason, or the holds reason
        # or warning in place of the constant one).
        result = self._predicates[0](case, on, params)
        if result is None:
            return self._eligible
        if result[1] is _FAILS:  # a Reason (an Unknown's second field is a tuple)
            return _NOT_ELIGIBLE, (result,), ()
        if type(result) is Unknown:
            return _UNKNOWN, (result[0],), result[1]
        return Outcome.ELIGIBLE, (result,), ()  # type: ignore[return-value]

    def _decide_probed(self, case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        # decide in a probe order other than the declared one (see __init__).
        assert self._probes is not None
        unknown: Unknown | None = None  # the first open condition probed
        first = 0  # its declared index
        opened: list[tuple[int, Unknown]] | None = None  # every open one, when several
        special = False  # a warning, or a holds reason with facts, was returned
        for predicate, index, reportable in self._probes:
            result = predicate(case, on, params)
            if result is None:
                continue
            if result[1] is _FAILS:
                if reportable and not special:
                    return _NOT_ELIGIBLE, (result,), ()
                return _LAZY_NOT_ELIGIBLE
            if type(result) is Unknown:
                if unknown is None:
                    unknown = result
                    first = index
                elif opened is None:
                    opened = [(first, unknown), (index, result)]
                else:
                    opened.append((index, result))
            else:
                special = True
        if unknown is None:
            return (Outcome.ELIGIBLE, None, ()) if special else self._eligible
        if opened is None:
            return _UNKNOWN, None if special else (unknown[0],), unknown[1]
        # The union of the open conditions' sets in declared order, as check gives it.
        opened.sort()
        missing: tuple[InformationSet, ...] = ()
        for _, other in opened:
            for which in other[1]:
                if which not in missing:
                    missing = (*missing, which)
        return _UNKNOWN, None, missing

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Evaluate every condition and combine them (see the class documentation)."""
        if trace is not None:
            return self._check_traced(case, on, params, trace)
        # The hot path: most conditions return None (holds); collect the others only.
        # ``result[1]`` is a Reason's kind; an Unknown's second field is its tuple of
        # missing sets, never a ReasonKind member.
        fails: list[Reason] | None = None
        unknowns: list[Unknown] | None = None
        special: list[tuple[int, Reason]] | None = None
        first_decides = self.first_failure_decides
        for index, predicate in enumerate(self._predicates):
            result = predicate(case, on, params)
            if result is None:
                continue
            if result[1] is _FAILS:
                if first_decides:
                    if special is None:
                        return Outcome.NOT_ELIGIBLE, (result,), ()
                    return self._verdict([result], None, special)
                if fails is None:
                    fails = [result]
                else:
                    fails.append(result)
            elif type(result) is Unknown:
                if unknowns is None:
                    unknowns = [result]
                else:
                    unknowns.append(result)
            elif special is None:
                special = [(index, result)]  # type: ignore[list-item]
            else:
                special.append((index, result))  # type: ignore[arg-type]
        if fails is None and unknowns is None and special is None:
            return self._eligible
        return self._verdict(fails, unknowns, special)

    def _check_traced(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep]
    ) -> Verdict:
        # Every condition is evaluated and traced; the verdict is the one the hot path
        # gives (the first failure decides unless the rule reports every failure).
        fails: list[Reason] = []
        unknowns: list[Unknown] = []
        special: list[tuple[int, Reason]] = []
        for index, condition in enumerate(self.conditions):
            result = condition.predicate(case, on, params)
            trace.append(_step(condition, result, case, on, params))
            if result is None:
                continue
            if isinstance(result, Unknown):
                if not fails:
                    unknowns.append(result)
            elif result.kind is _FAILS:
                if not (fails and self.first_failure_decides):
                    fails.append(result)
            elif not (fails and self.first_failure_decides):
                special.append((index, result))
        if not (fails or unknowns or special):
            return self._eligible
        return self._verdict(fails or None, unknowns or None, special or None)

    def _verdict(
        self,
        fails: list[Reason] | None,
        unknowns: list[Unknown] | None,
        special: list[tuple[int, Reason]] | None,
    ) -> Verdict:
        # ``special``: warnings and holds reasons with facts, which take the place of
        # their condition's constant holds reason. Warnings are reported in every outcome.
        warnings = [r for _, r in special if r.kind is _WARNING] if special else []
        if fails:
            return Outcome.NOT_ELIGIBLE, tuple(fails + warnings), ()
        if unknowns:
            if len(unknowns) == 1:
                only = unknowns[0]
                return Outcome.UNKNOWN, (only.reason, *warnings), only.missing
            missing: list[InformationSet] = []
            for u in unknowns:
                for which in u.missing:
                    if which not in missing:
                        missing.append(which)
            reasons = [u.reason for u in unknowns] + warnings
            return Outcome.UNKNOWN, tuple(reasons), tuple(missing)
        replaced = dict(special or ())
        return (
            Outcome.ELIGIBLE,
            tuple([replaced.get(i, h) for i, h in enumerate(self._all_holds)]),
            (),
        )

    def __repr__(self) -> str:
        return f"ConditionRule(id={self.id!r}, version={self.version!r})"


def _step(
    condition: Condition,
    result: ConditionResult,
    case: Case,
    on: dt.date,
    params: ParameterView,
) -> TraceStep:
    facts = condition.facts(case, on, params)
    if result is None:
        return TraceStep(
            condition.name,
            ReasonKind.HOLDS,
            condition.description,
            condition.citation,
            facts,
            condition.holds.code,
        )
    reason = result.reason if isinstance(result, Unknown) else result
    extra = tuple(f for f in reason.facts if f not in facts)
    return TraceStep(
        condition.name,
        reason.kind,
        condition.description,
        condition.citation,
        facts + extra,
        reason.code,
    )


# --------------------------------------------------------------------------------------
# Helpers for rule authors: undecided answers become Unknown results
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
_UNKNOWN_CACHE: dict[tuple[str, InformationSet, AnswerStatus, str], Unknown] = {}


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
    key = (rule_id, which, status, what_en or "")
    found = _UNKNOWN_CACHE.get(key)
    if found is None:
        term = which.info.swedish
        sv = f"Uppgiften om {term} ({which.value}) {_UNDECIDED_SV.get(status, status.value)}"
        en = f"The information set {which.value} {_UNDECIDED_EN.get(status, status.value)}"
        if what_sv:
            sv += f": {what_sv} går inte att avgöra"
        if what_en:
            en += f": {what_en} cannot be settled"
        reason = Reason(
            f"{rule_id}.missing.{which.value}",
            ReasonKind.UNKNOWN,
            sv + ".",
            en + ".",
            citation,
            (("information_set", which.value), ("status", status.value)),
        )
        found = _UNKNOWN_CACHE[key] = Unknown(reason, (which,))
    return found


#: The answer statuses that settle the facts (known, absent, not found).
DECIDED = frozenset({AnswerStatus.KNOWN, AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND})
_DECIDED = DECIDED

#: The answer statuses that leave the facts open.
UNDECIDED = frozenset(AnswerStatus) - DECIDED


def unknowns(
    rule_id: str,
    which: InformationSet,
    citation: str,
    *,
    what_sv: str | None = None,
    what_en: str | None = None,
) -> dict[AnswerStatus, Unknown]:
    """The :func:`missing` results of one set for every status, computed once.

    For hot predicates: ``return UNKNOWN_STUDIES[answer.status]`` after checking that
    the status is not in :data:`DECIDED`. NOT_FOUND is included for rules that treat it
    as open.
    """
    return {
        status: missing(rule_id, which, status, citation, what_sv=what_sv, what_en=what_en)
        for status in (*UNDECIDED, AnswerStatus.NOT_FOUND, AnswerStatus.ABSENT)
    }


def is_decided(answer: Answer[Any]) -> bool:
    """True when the answer settles the facts (known, absent or not found)."""
    return answer.status in _DECIDED


def birth_date(person: PersonId) -> dt.date:
    """The person's birth date (the same as ``person.birth_date``)."""
    return person.birth_date


def birth_year(person: PersonId) -> int:
    """The year of the person's birth date."""
    return person.birth_ymd // 10000


# Dates as the number YYYYMMDD: reading a date's three fields costs more than the rest
# of the age arithmetic. The reference date being evaluated is kept apart (evaluate and
# evaluate_many set it; an identity check finds it), other dates in a small cache. Both
# are pure caches: a value only ever depends on its key, so threads cannot corrupt them.
_LAST_ON: tuple[dt.date, int] = (dt.date.min, 10101)
_YMDS: dict[dt.date, int] = {}


def _ymd(on: dt.date) -> int:
    """``on`` as the number YYYYMMDD (cached)."""
    number = _YMDS.get(on)
    if number is None:
        if len(_YMDS) > 4096:
            _YMDS.clear()
        number = _YMDS[on] = on.year * 10000 + on.month * 100 + on.day
    return number


def _set_reference_date(on: dt.date) -> None:
    global _LAST_ON
    if _LAST_ON[0] is not on:
        _LAST_ON = (on, _ymd(on))


def age_on(person: PersonId, on: dt.date) -> int:
    """The person's age in completed years on ``on`` (29 February births age on 1 March).

    Gives the same result as :func:`ssbx_model.calendar.age_on`, faster: with both dates
    written as the number YYYYMMDD (``person.birth_ymd``), the age is their difference
    divided by 10 000.
    """
    last = _LAST_ON
    if last[0] is on:
        return (last[1] - person.birth_ymd) // 10000
    return (_ymd(on) - person.birth_ymd) // 10000


def age_band(
    min_age: Callable[[ParameterView], int | None],
    max_age: Callable[[ParameterView], int | None],
    fails: Callable[[int, dt.date, ParameterView], Reason],
    *,
    in_year: bool = False,
    holds: Callable[[ParameterView], Reason] | None = None,
) -> Predicate:
    """A predicate for "aged ``min_age`` to ``max_age`` (inclusive) on the date".

    ``min_age``/``max_age`` read the bounds from the parameters (None: no bound);
    ``fails(age, on, params)`` builds the failing reason. The age is the age in completed
    years on the date (29 February births age on 1 March), or with ``in_year=True`` the
    age reached during the date's calendar year. The predicate returns None when the age
    is within the band (or, with ``holds``, the reason ``holds(params)`` builds, so that its
    text can state the band in force), else the failing reason. The bounds are computed once per
    (parameters, date) as bounds on ``birth_ymd``, and each failing reason once per age,
    so that a run over many cases compares one number per case.
    """
    # (params, on, reference number, lowest birth_ymd excluded, highest included,
    # failing reasons by age, holds reason); replaced as a whole, so threads can share it.
    state: tuple[Any, ...] = (None, None, 0, 0, 0, {}, None)

    def predicate(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
        nonlocal state
        current = state
        if current[0] is not params or current[1] is not on:
            # With in_year, every birth date of a year counts as its 1 January.
            today = on.year * 10000 + 9999 if in_year else _ymd(on)
            low, high = min_age(params), max_age(params)
            current = state = (
                params,
                on,
                today,
                -1 if high is None else today - (high + 1) * 10000,
                99_999_999 if low is None else today - low * 10000,
                {},
                None if holds is None else holds(params),
            )
        born = case.person.birth_ymd
        if current[3] < born <= current[4]:
            in_band: Reason | None = current[6]
            return in_band
        age = (current[2] - born) // 10000
        failed: dict[int, Reason] = current[5]
        reason = failed.get(age)
        if reason is None:
            reason = failed[age] = fails(age, on, params)
        return reason

    return predicate


def age_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    """Trace facts of an age condition: the person's age on ``on`` (for :class:`Condition`'s
    ``facts``)."""
    return (("age", age_on(case.person, on)),)


def answer_facts(*sets: InformationSet) -> FactsOf:
    """A trace-facts function showing the answer status of each of ``sets`` and, for a
    known collection, how many items it has (for :class:`Condition`'s ``facts``)."""

    def facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
        found: list[Fact] = []
        for which in sets:
            answer = case.answer(which)
            found.append((which.value, answer.status.value))
            if answer.is_known and isinstance(answer.value, tuple):
                found.append((f"{which.value}_items", len(answer.value)))
        return tuple(found)

    return facts


def any_covers(items: Iterable[Any], on: dt.date) -> Any:
    """The first item whose ``period`` contains ``on``, or None."""
    for item in items:
        period = item.period
        if period.start <= on and (period.end is None or on <= period.end):
            return item
    return None


# --------------------------------------------------------------------------------------
# Registry and evaluation
# --------------------------------------------------------------------------------------

_REGISTRY: dict[str, Rule] = {}
_VIEWS: dict[tuple[str, dt.date], ParameterView] = {}
_loading = False


def _ensure_builtins() -> None:
    global _loading
    if _loading:
        return
    _loading = True
    from ssbx_model.rules import _load_builtin_rules

    try:
        _load_builtin_rules()
    except BaseException:
        _loading = False  # let the next call try again and raise the same error
        raise


def register_rule(rule: Rule, *, replace: bool = False) -> Rule:
    """Register ``rule`` under its id, so that :func:`evaluate` and the CLI find it.

    This is how a vendor adds a target group (e.g. newly arrived immigrants for INUK)
    without editing the library. Every parameter the rule names must exist (add your own
    with :func:`ssbx_model.rules.parameters.register_file` first).

    Raises:
        RuleError: if a rule with that id is registered already (pass ``replace=True`` to
            replace it on purpose), the id is not lower-case words joined by ``-``, or
            the rule names an unknown parameter or has no citation.
    """
    rule_id = rule.id
    if not rule_id or rule_id != rule_id.strip().lower() or " " in rule_id:
        raise RuleError(f"rule id {rule_id!r} must be lower-case words joined by '-'")
    if not rule.citation.strip() or not rule.source_text.strip():
        raise RuleError(f"rule {rule_id!r} needs a citation and its quoted source text")
    known = _parameters.default()
    for name in rule.parameters:
        known.get(name)  # raises RuleError naming the unknown parameter
    if rule_id in _REGISTRY and not replace:
        raise RuleError(f"a rule with id {rule_id!r} is registered already")
    _REGISTRY[rule_id] = rule
    for key in [k for k in _VIEWS if k[0] == rule_id]:
        del _VIEWS[key]
    return rule


def unregister_rule(rule_id: str) -> None:
    """Remove a registered rule (for tests and for vendors replacing a rule).

    Raises:
        UnknownRuleError: if no rule has that id.
    """
    get_rule(rule_id)
    del _REGISTRY[rule_id]
    for key in [k for k in _VIEWS if k[0] == rule_id]:
        del _VIEWS[key]


def get_rule(rule_id: str) -> Rule:
    """The rule registered under ``rule_id``.

    Raises:
        UnknownRuleError: listing the known ids.
    """
    _ensure_builtins()
    try:
        return _REGISTRY[rule_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownRuleError(f"unknown rule {rule_id!r}; known rules: {known}") from None


def rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by id."""
    _ensure_builtins()
    return tuple(_REGISTRY[k] for k in sorted(_REGISTRY))


def rule_ids() -> tuple[str, ...]:
    """Every registered rule id, sorted."""
    _ensure_builtins()
    return tuple(sorted(_REGISTRY))


def _view(rule: Rule, on: dt.date, overrides: Mapping[str, Scalar] | None) -> ParameterView:
    if overrides:
        return _parameters.default().view(rule.parameters, on, overrides)
    key = (rule.id, on)
    view = _VIEWS.get(key)
    if view is None:
        if len(_VIEWS) > 50_000:
            _VIEWS.clear()
        view = _VIEWS[key] = _parameters.default().view(rule.parameters, on)
    return view


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
    return _view(rule, _check_on(on), overrides)


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
    return _make(rule, case, on, params, verdict, tuple(trace))


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
    view = _view(rule, on, parameters)
    _set_reference_date(on)
    if trace:
        steps: list[TraceStep] = []
        verdict = rule.check(case, on, view, steps)
        return _make(rule, case, on, view, verdict, tuple(steps))
    return _make(rule, case, on, view, rule.check(case, on, view, None), None)


def evaluate_many(
    cases: Iterable[Case],
    rule_ids: Iterable[str] | str,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
) -> Iterator[Decision]:
    """Evaluate every rule of ``rule_ids`` for every case, lazily, case by case.

    Yields one decision per (case, rule) in that order: for each case, each rule in the
    order given. ``cases`` may be a generator (a streamed file): nothing is held.

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
    pairs = [(rule, _view(rule, on, parameters)) for rule in (get_rule(i) for i in ids)]
    return _iterate(cases, pairs, on)


def _quick(rule: Rule) -> Callable[[Case, dt.date, ParameterView], QuickVerdict]:
    # The rule's own ``decide`` if it has one, else its full ``check`` without a trace.
    # A ConditionRule subclass that overrides ``check`` but not ``decide`` gets its check:
    # the inherited ``decide`` would not know what the override adds.
    decide: Callable[[Case, dt.date, ParameterView], QuickVerdict] | None = getattr(
        rule, "decide", None
    )
    if isinstance(rule, ConditionRule):
        cls = type(rule)
        if cls.decide is ConditionRule.decide:
            if cls.check is not ConditionRule.check:
                decide = None
            elif rule._probes is not None:
                decide = rule._decide_probed  # what decide would call
            elif len(rule.conditions) == 1:
                decide = rule._decide_single  # decide, for one condition
    if decide is not None:
        return decide
    check = rule.check

    def full(case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        return check(case, on, params, None)

    return full


def _iterate(
    cases: Iterable[Case], pairs: list[tuple[Rule, ParameterView]], on: dt.date
) -> Iterator[Decision]:
    new = _tuple_new
    decides = [(rule, view, _quick(rule)) for rule, view in pairs]
    _set_reference_date(on)
    for index, case in enumerate(cases):
        if not isinstance(case, Case):
            raise _not_a_case(case, f"cases[{index}]")
        for rule, view, decide in decides:
            yield new(Decision, (rule, on, decide(case, on, view), case, view, None))
