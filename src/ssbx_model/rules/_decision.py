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
_set = object.__setattr__


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


@attrs.frozen(slots=True, eq=False, repr=False, init=False)
class Decision:
    """The decision of one rule about one case on one date (immutable).

    ``outcome`` and ``missing`` (the information sets whose absence or unavailability
    made the decision ``unknown``; empty otherwise) are fields; so is the ``context``
    the decision shares with the others of its run, which gives ``rule_id``,
    ``rule_version``, ``on`` and ``parameters`` (the values the rule used, as of ``on``,
    overrides applied). ``reasons`` is always a tuple of reasons: a decision of
    :func:`~ssbx_model.rules.evaluate_many` settles its outcome first and completes its
    reasons on first access, by the rule's check over the same case, date and
    parameters (rules are pure; a rule that gives another outcome the second time is an
    error). ``subject`` is the person, masked; ``trace`` the steps, built on first access
    unless the decision was evaluated with ``trace=True`` (by the same evaluation, with
    tracing on). :meth:`to_json` and :meth:`from_json` give its versioned JSON form for
    audit and storage.

    A fresh decision keeps a reference to its case (for ``subject`` and the trace); store
    decisions with :meth:`to_json`, which holds only masked facts. Pickling stores the
    same: the masked subject and the trace, never the case.
    """

    context: DecisionContext
    outcome: Outcome
    # The reasons, or None until they are read (completed by the rule's check).
    _reasons: tuple[Reason, ...] | None
    missing: tuple[InformationSet, ...]
    # The case (fresh) or the masked subject (read back); the steps or None (not built).
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
        context = DecisionContext(
            rule_id, rule_version, on, MappingProxyType(dict(parameters or {}))
        )
        self.__attrs_init__(
            context,
            Outcome(outcome),
            tuple(reasons),
            tuple(missing),
            str(subject),
            None if trace is None else tuple(trace),
        )

    @classmethod
    def made(
        cls,
        context: DecisionContext,
        verdict: Settled,
        case: Case,
        trace: tuple[TraceStep, ...] | None = None,
    ) -> Decision:
        """The decision the engine made: ``verdict`` about ``case`` in ``context``
        (its reasons None: left to the rule's check, on first access)."""
        # What the attrs initialiser does, without its two extra calls: a million
        # decisions are made per run (object.__setattr__ is how a frozen class is set).
        self = _new(cls)
        _set(self, "context", context)
        _set(self, "outcome", verdict[0])
        _set(self, "_reasons", verdict[1])
        _set(self, "missing", verdict[2])
        _set(self, "_about", case)
        _set(self, "_steps", trace)
        return self

    @property
    def rule_id(self) -> str:
        """The id of the rule that decided (e.g. ``"skat15"``)."""
        return self.context.rule_id

    @property
    def rule_version(self) -> str:
        """The version of the rule that decided."""
        return self.context.rule_version

    @property
    def on(self) -> dt.date:
        """The reference date."""
        return self.context.on

    @property
    def parameters(self) -> Mapping[str, Scalar]:
        """The parameter values the rule used (as of ``on``, overrides applied)."""
        return MappingProxyType(self.context.parameters)

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
        reasons = self._reasons
        if reasons is None:
            reasons = self._complete()
        return reasons

    def _complete(self) -> tuple[Reason, ...]:
        rule, about = self.context.rule, self._about
        assert rule is not None and not isinstance(about, str)  # only fresh ones wait
        outcome, reasons, missing = rule.check(about, self.context.on, self.context.parameters, None)  # type: ignore[arg-type]
        if outcome is not self.outcome or missing != self.missing:
            raise RuleError(
                f"rule {rule.id!r} is not pure: evaluated again for its reasons it gives "
                f"{outcome.value} (missing {[m.value for m in missing]}), not "
                f"{self.outcome.value} (missing {[m.value for m in self.missing]})"
            )
        _set(self, "_reasons", reasons)  # the same value every time: kept once read
        return reasons

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
        rule, about = self.context.rule, self._about
        if rule is None or type(about) is str:
            return _NO_TRACE
        collected: list[TraceStep] = []
        rule.check(about, self.context.on, self.context.parameters, collected)  # type: ignore[arg-type]
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
