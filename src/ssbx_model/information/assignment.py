"""Assignment decisions (anvisningsbeslut).

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, tables 4-6 and the
labour-market unit's needs ("anvisningsbeslut: datum, typ, typ av tjänst, leverantör och
kontaktuppgifter"), e.g. an assignment to an AF provider (KROM).
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import Provider, check_nonblank, check_types, raise_problems

__all__ = ["AssignmentDecision"]


@attrs.frozen(slots=True)
class AssignmentDecision:
    """AF assigns the person to a service or a provider (anvisning)."""

    decided_on: dt.date
    assignment_type: str
    service_type: str
    provider: Provider
    period: Period | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "assignment_type", self.assignment_type)
        check_nonblank(problems, "service_type", self.service_type)
        raise_problems(problems)
