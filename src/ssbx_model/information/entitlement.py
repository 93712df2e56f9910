"""Entitlements (berättigad till): guarantees, internships, compensations.

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, Bilaga 1 and tables 4-6
("berättigad: typ, krav, villkor"), e.g. jobb- och utvecklingsgarantin, the right to
nystartsjobb, praktik.
"""

from __future__ import annotations

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_nonblank,
    check_nonblank_items,
    check_types,
    raise_problems,
)

__all__ = ["Entitlement"]


@attrs.frozen(slots=True)
class Entitlement:
    """What the person is entitled to at AF, with its requirements and conditions."""

    entitlement_type: str
    requirements: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    period: Period | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "entitlement_type", self.entitlement_type)
        check_nonblank_items(problems, "requirements", self.requirements)
        check_nonblank_items(problems, "conditions", self.conditions)
        raise_problems(problems)
