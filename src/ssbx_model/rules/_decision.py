"""The decision of one rule about one case on one date: an immutable value with JSON.

A :class:`Decision` has named fields whose types never change: its outcome and missing
sets are settled when it is made (by the one evaluation path of the engine); its reasons
may be completed, and its trace built, on first access, by the same path (the rule's
check, which is pure) over the same case, date and parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._reasons import (
    Outcome,
    Reason,
    ReasonKind,
    Settled,
    TraceStep,
    json_value,
)
from ssbx_model.rules.parameters import Scalar

if TYPE_CHECKING:
    from ssbx_model.rules._rule import Rule

__all__ = ["TRACE_VERSION", "Decision", "DecisionContext"]

#: Version of the JSON form of decisions and traces (:meth:`Decision.to_json`).
TRACE_VERSION = "1"

_NO_TRACE: tuple[TraceStep, ...] = ()
_new = object.__new__


@attrs.frozen(slots=True, eq=False)
class DecisionContext:
    """What every decision of one rule on one date with one set of parameters shares:
    the rule's id and version, the reference date and the parameter values used.

    ``rule`` is the rule itself for a fresh decision (its trace can then be built on
    access), None for a decision read back from storage.
    """

    rule_id: str
    rule_version: str
    on: dt.date
    parameters: Mapping[str, Scalar]
    rule: Rule | None = None


class Decision:
    """The decision of one rule about one case on one date (immutable).

    Its fields are read-only attributes whose types never change: ``outcome``,
    ``reasons`` (always a tuple of reasons), ``missing`` (the information sets whose
    absence or unavailability made the decision ``unknown``; empty otherwise) and the
    ``context`` the decision shares with the others of its run, which gives
    ``rule_id``, ``rule_version``, ``on`` and ``parameters`` (the values the rule used,
    as of ``on``, overrides applied). ``subject`` is the person, masked; ``trace`` the
    steps. :meth:`to_json` and :meth:`from_json` give its versioned JSON form for audit
    and storage.

    The outcome and missing sets are settled when the decision is made. A decision of
    :func:`~ssbx_model.rules.evaluate_many` completes its reasons on first access, and any
    fresh decision builds its trace on first access unless it was evaluated with
    ``trace=True``: both by the rule's check over the same case, date and parameters
    (rules are pure, so these are the reasons and steps of this very decision; a rule
    that gives another outcome the second time is an error).

    Like :class:`fractions.Fraction`, a decision keeps its values in private slots
    behind read-only attributes: the engine makes a million of them per run, and a
    plain class is the cheapest value to make. A fresh decision keeps a reference to its
    case (for ``subject``, the reasons and the trace); store decisions with
    :meth:`to_json`, which holds only masked facts. Pickling stores the same: the masked
    subject, the reasons and the trace, never the case.
    """

    __slots__ = ("_about", "_context", "_steps", "_verdict")

    # The shared context; (outcome, reasons or None until read, missing); the case
    # (fresh) or the masked subject (read back); the steps, or None until built.
    _context: DecisionContext
    _verdict: Settled
    _about: Case | str
    _steps: tuple[TraceStep, ...] | None

    def __init__(
        self,
        rule_id: str,
        rule_version: str,
        on: dt.date,
        outcome: Outcome,
        reasons: Sequence[Reason],
        missing: Sequence[InformationSet] = (),
        subject: str = "",
        parameters: Mapping[str, Scalar] | None = None,
        trace: Sequence[TraceStep] | None = None,
    ) -> None:
        """Build a decision from its parts (the engine builds its own; this is for stores
        and tests)."""
        self._context = DecisionContext(
            rule_id, rule_version, on, MappingProxyType(dict(parameters or {}))
        )
        self._verdict = (Outcome(outcome), tuple(reasons), tuple(missing))
        self._about = str(subject)
        self._steps = None if trace is None else tuple(trace)

    @classmethod
    def made(
        cls,
        context: DecisionContext,
        verdict: Settled,
        case: Case,
        trace: tuple[TraceStep, ...] | None = None,
    ) -> Decision:
        """The decision the engine made: ``verdict`` about ``case`` in ``context`` (its
        reasons None: completed by the rule's check on first access)."""
        self = _new(cls)
        self._context = context
        self._verdict = verdict
        self._about = case
        self._steps = trace
        return self

    @property
    def context(self) -> DecisionContext:
        """What the decision shares with the others of its run (rule, date, parameters)."""
        return self._context

    @property
    def outcome(self) -> Outcome:
        """eligible, not_eligible or unknown."""
        return self._verdict[0]

    @property
    def missing(self) -> tuple[InformationSet, ...]:
        """The information sets that would settle an unknown decision (empty otherwise)."""
        return self._verdict[2]

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Why: for not_eligible the failing conditions (or the first, for a rule whose
        first failure decides), for unknown the open ones, for eligible every condition's
        reason; warnings in every case.

        A decision of :func:`~ssbx_model.rules.evaluate_many` completes them on first
        access by the rule's check over the same case, date and parameters.

        Raises:
            RuleError: if that check gives another outcome or missing sets than the
                decision's (the rule is not pure).
        """
        reasons = self._verdict[1]
        if reasons is None:
            reasons = self._complete()
        return reasons

    def _complete(self) -> tuple[Reason, ...]:
        context, about = self._context, self._about
        rule = context.rule
        assert rule is not None  # only fresh decisions wait for their reasons
        assert not isinstance(about, str)
        verdict = rule.check(about, context.on, context.parameters, None)  # type: ignore[arg-type]
        outcome, missing = self._verdict[0], self._verdict[2]
        if verdict[0] is not outcome or verdict[2] != missing:
            raise RuleError(
                f"rule {rule.id!r} is not pure: evaluated again for its reasons it gives "
                f"{verdict[0].value} (missing {[m.value for m in verdict[2]]}), not "
                f"{outcome.value} (missing {[m.value for m in missing]})"
            )
        self._verdict = verdict  # the same value every time it is read: kept once read
        return verdict[1]

    @property
    def rule_id(self) -> str:
        """The id of the rule that decided (e.g. ``"skat15"``)."""
        return self._context.rule_id

    @property
    def rule_version(self) -> str:
        """The version of the rule that decided."""
        return self._context.rule_version

    @property
    def on(self) -> dt.date:
        """The reference date."""
        return self._context.on

    @property
    def parameters(self) -> Mapping[str, Scalar]:
        """The parameter values the rule used (as of ``on``, overrides applied)."""
        return MappingProxyType(self._context.parameters)

    @property
    def subject(self) -> str:
        """The person the decision is about, masked (e.g. ``"20060501-****"``)."""
        about = self._about
        if type(about) is str:
            return about
        return str(about.person)  # type: ignore[union-attr]

    @property
    def trace(self) -> tuple[TraceStep, ...]:
        """The steps the rule went through, with the facts each looked at.

        Built on first access by evaluating the rule again with tracing on (rules are
        pure, so this gives the steps of this very decision); a decision read back from
        JSON carries the steps it was stored with (or none).
        """
        steps = self._steps
        if steps is not None:
            return steps
        context, about = self._context, self._about
        rule = context.rule
        if rule is None or type(about) is str:
            return _NO_TRACE
        collected: list[TraceStep] = []
        rule.check(about, context.on, context.parameters, collected)  # type: ignore[arg-type]
        return tuple(collected)

    @property
    def is_eligible(self) -> bool:
        """True when the outcome is eligible."""
        return self.outcome is Outcome.ELIGIBLE

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
            "parameters": {k: json_value(v) for k, v in self.parameters.items()},
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
        # In the constructor's order (pickling passes it back).
        return (
            self.rule_id,
            self.rule_version,
            self.on,
            self.outcome,
            self.reasons,
            self.missing,
            self.subject,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._key() == other._key() and dict(self.parameters) == dict(other.parameters)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        # The stored form: the masked subject and the trace, never the case.
        return (Decision, (*self._key(), dict(self.parameters), self.trace))

    def __repr__(self) -> str:
        codes = ", ".join(self.reason_codes())
        missing = ", ".join(m.value for m in self.missing)
        return (
            f"Decision(rule={self.rule_id!r}, on={self.on.isoformat()}, "
            f"subject={self.subject!r}, outcome={self.outcome.value}, reasons=[{codes}], "
            f"missing=[{missing}])"
        )
