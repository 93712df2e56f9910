"""Registration at AF on the reference date: one condition that several rules declare.

``extratjanst``, ``lonebidrag`` and ``assign-intervention`` each require that the client
is enrolled at AF (inskriven) on the reference date, in the words of their own sources;
each declares the condition ``registered-at-af`` with :func:`declare`, in its place among
its conditions and with its own citation:

- holds: ``<rule>.registered-at-af``; fails: ``<rule>.not-registered-at-af``, with the
  enrolment period, or the answer "absent" or "not found" (AF has no enrolment: not
  registered);
- an undecided enrolment (not requested, unavailable, withheld) is unknown with
  ``enrolment`` missing (the condition declares ``needs=(InformationSet.ENROLMENT,)``);
- the trace shows the enrolment period and the days registered up to the date (how long
  the client has been registered: the report's Tabell 4 and the extratjänst process).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ssbx_model.case import Case
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import ConditionRule, Fact, Finding, Says, fails, settled

__all__ = ["declare", "registered_at_af"]

#: What an undecided enrolment leaves open (Swedish, English).
UNSETTLED = ("om klienten är inskriven", "whether the client is registered")


def registration_says(rule_id: str) -> tuple[Says, Says]:
    """The condition's (holds, fails) reasons for the rule ``rule_id``."""
    return (
        Says(
            f"{rule_id}.registered-at-af",
            "Klienten är inskriven på Arbetsförmedlingen.",
            "The client is registered at AF.",
        ),
        Says(
            f"{rule_id}.not-registered-at-af",
            "Klienten är inte inskriven på Arbetsförmedlingen den dagen; inskrivning är en "
            "förutsättning.",
            "The client is not registered at AF on the date; registration is a precondition.",
        ),
    )


def registered_at_af(case: Case, on: dt.date, p: object) -> Finding | None:
    """Holds when the client is enrolled at AF on ``on``; AF answering "absent" or "not
    found" means not enrolled."""
    enrolment = settled(case.enrolment, InformationSet.ENROLMENT)
    if enrolment is None:
        return fails(enrolment=case.enrolment.status)
    if enrolment.is_registered_on(on):
        return None
    return fails(enrolment=str(enrolment.period))


def registration_shown(case: Case, on: dt.date, p: object) -> tuple[Fact, ...]:
    """What the trace shows: the enrolment period and the days registered by ``on``."""
    answer = case.enrolment
    if not answer.is_known or answer.value is None:
        return (("enrolment", answer.status),)
    enrolment = answer.value
    return (
        ("enrolment", str(enrolment.period)),
        ("registered_days", enrolment.registered_days_on(on)),
    )


def declare(rule: ConditionRule, *, cites: str) -> Callable[..., Any]:
    """Declare the condition ``registered-at-af`` as ``rule``'s next, citing ``cites``."""
    holds, fails_ = registration_says(rule.id)
    return rule.condition(
        "registered-at-af",
        "The client is registered at AF on the date.",
        cites=cites,
        needs=(InformationSet.ENROLMENT,),
        unsettled=UNSETTLED,
        shows=registration_shown,
        holds=holds,
        fails=fails_,
    )(registered_at_af)
