"""Residence and work permits (uppehålls- och arbetstillstånd).

Provider: Migrationsverket. Source: SSBTX report part 2, the labour-market unit's needs
("tillstånd: typ, period").
"""

from __future__ import annotations

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_types, raise_problems

__all__ = ["Permit"]


@attrs.frozen(slots=True)
class Permit:
    """A permit: its type, period (open for a permanent permit) and whether it allows work."""

    permit_type: str
    period: Period
    allows_work: bool

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "permit_type", self.permit_type)
        raise_problems(problems)
