"""What a decision says: outcomes, reasons, open conditions and trace steps (with JSON).

A :class:`Reason` is why a rule decided as it did, in words a caseworker reads, with its
citation and the (masked) facts it used; an :class:`Unknown` is a condition that cannot be
settled and the information sets that would settle it; a :class:`TraceStep` is one
condition of a decision's trace. Every outside text they carry prints masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple, TypeAlias

from ssbx_model.calendar import Period
from ssbx_model.errors import ValidationError
from ssbx_model.identity import mask_identity_numbers
from ssbx_model.information.sets import InformationSet

__all__ = [
    "Fact",
    "Outcome",
    "Reason",
    "ReasonKind",
    "Settled",
    "TraceStep",
    "Unknown",
    "Verdict",
]

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
            tuple((str(name), from_json_value(value)) for name, value in data.get("facts", ())),
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
            tuple((str(name), from_json_value(value)) for name, value in data.get("facts", ())),
            None if code is None else str(code),
        )


def _masked_repr(item: Reason | TraceStep) -> str:
    """The named tuple's usual repr, masked."""
    fields = ", ".join(f"{name}={value!r}" for name, value in zip(item._fields, item, strict=True))
    return mask_identity_numbers(f"{type(item).__name__}({fields})")


def _json_facts(facts: tuple[Fact, ...]) -> list[list[Any]]:
    # A fact's name may carry an id too ("program_decision PB-1"): masked like its value.
    return [[mask_identity_numbers(name), json_value(value)] for name, value in facts]


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, str):
        # Facts repeat outside text (ids, sources): masked like every outside text.
        return mask_identity_numbers(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    # Anything else is shown as its str(): identity numbers print masked.
    return mask_identity_numbers(str(value))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ISO_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})?\Z")


def from_json_value(value: Any) -> Any:
    # The inverse of json_value: ISO dates back to dates, "start..end" back to periods,
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
        return tuple(from_json_value(v) for v in value)
    return value


#: What a rule gives the engine: outcome, reasons, missing sets.
Verdict: TypeAlias = tuple[Outcome, tuple[Reason, ...], tuple[InformationSet, ...]]

#: A verdict whose reasons may be left to the rule's check (None): what the engine's
#: evaluation without a trace settles first (the outcome and missing sets).
Settled: TypeAlias = tuple[Outcome, tuple[Reason, ...] | None, tuple[InformationSet, ...]]
