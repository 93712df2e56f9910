"""Decisions on försörjningsstöd (income support), from the municipality's own records.

Provider: the municipality: the unit that investigates and decides ekonomiskt bistånd
holds these decisions in its case system; no state agency provides them. Source:
socialtjänstlagen (2001:453) 4 kap. 4 § (in force until 2025-06-30), which the SSBTX
report quotes in "Situation: Anvisa insats" (SKR, Processkartläggning del 2
(2022-03-11)): the municipality may require
"den som får försörjningsstöd" to take part in an assigned intervention. The rule
``assign-intervention`` reads whether the person receives försörjningsstöd on the date.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_types, raise_problems

__all__ = ["IncomeSupportDecision"]


@attrs.frozen(slots=True)
class IncomeSupportDecision:
    """A decision granting försörjningsstöd (beslut om försörjningsstöd) for a period.

    Only decisions that grant support are recorded: a refusal (avslag) is no record, since
    the person does not receive support for that period. ``period`` is the time the
    support is for (usually one calendar month; an open end means until further notice),
    ``decided_on`` the date of the decision. A decision may be made after the start of
    its period (support for the current month decided mid-month), so the two are not
    ordered; a rule counts a decision on a date only when it was made on or before it.
    ``decision_id`` is the municipality's own id of the decision.
    """

    decision_id: str
    decided_on: dt.date
    period: Period

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "decision_id", self.decision_id)
        raise_problems(problems)

    def supports_on(self, on: dt.date) -> bool:
        """True when the decision, made on or before ``on``, grants support for ``on``."""
        return self.decided_on <= on and self.period.contains(on)
