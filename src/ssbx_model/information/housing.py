"""Housing-allowance applications (ansökan om bostadsbidrag).

Provider: Försäkringskassan. Source: SSBTX report part 2, Bilaga 1: caseworkers cannot
see an application until it is decided ("datum inkommen, beslut").
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_not_negative,
    check_order,
    check_types,
    raise_problems,
)

__all__ = ["HousingAllowanceApplication", "HousingAllowanceDecision"]


class HousingAllowanceDecision(StrEnum):
    """Where an application stands."""

    PENDING = "pending"
    GRANTED = "granted"
    REJECTED = "rejected"


@attrs.frozen(slots=True)
class HousingAllowanceApplication:
    """An application: when it arrived, its decision and, once decided, when and how much."""

    received_on: dt.date
    decision: HousingAllowanceDecision
    decided_on: dt.date | None = None
    monthly_amount_sek: int | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_order(problems, "decided_on", self.received_on, self.decided_on, "decision date")
        pending = self.decision is HousingAllowanceDecision.PENDING
        if pending and self.decided_on is not None:
            problems.append(Problem("decided_on", "a pending application has no decision date"))
        if not pending and self.decided_on is None:
            problems.append(Problem("decided_on", "a decided application needs its decision date"))
        check_not_negative(problems, "monthly_amount_sek", self.monthly_amount_sek)
        if (
            self.monthly_amount_sek is not None
            and self.decision is not HousingAllowanceDecision.GRANTED
        ):
            problems.append(
                Problem("monthly_amount_sek", "only a granted application has an amount")
            )
        raise_problems(problems)
