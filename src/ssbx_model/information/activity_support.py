"""Activity support (aktivitetsstöd), its withdrawal (indragning) and its level.

Providers: Arbetsförmedlingen (support, withdrawal) and Försäkringskassan (level).
Source: SSBTX report part 2, Bilaga 1, row "Aktivitetsstöd" ("Typ, Startdatum, Datum
indragning, Anledning indragning") and table 3 (the six named withdrawal reasons).
Today SSBTEK shows *that* support was withdrawn, never *why*; the reason decides
whether another benefit (e.g. sickness) could cover the gap.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Period
from ssbx_model.codes import ACTIVITY_SUPPORT_TYPE, ACTIVITY_SUPPORT_WITHDRAWAL_REASON
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_code,
    check_nonblank,
    check_not_negative,
    check_order,
    check_types,
    raise_problems,
)

__all__ = ["ActivitySupport", "ActivitySupportLevel", "ActivitySupportWithdrawal"]


@attrs.frozen(slots=True)
class ActivitySupportWithdrawal:
    """A withdrawal of activity support (indragning av aktivitetsstöd): when and why.

    ``reason`` is a code of the ``activity-support-withdrawal-reason`` list (table 3).
    """

    on: dt.date
    reason: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "reason", ACTIVITY_SUPPORT_WITHDRAWAL_REASON, self.reason)
        check_nonblank(problems, "note", self.note)
        raise_problems(problems)


@attrs.frozen(slots=True)
class ActivitySupport:
    """Activity support (aktivitetsstöd, utvecklingsersättning, ...) from ``start``."""

    support_type: str
    start: dt.date
    withdrawal: ActivitySupportWithdrawal | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "support_type", ACTIVITY_SUPPORT_TYPE, self.support_type)
        if self.withdrawal is not None:
            check_order(
                problems, "withdrawal.on", self.start, self.withdrawal.on, "withdrawal date"
            )
        raise_problems(problems)

    def is_withdrawn_on(self, on: dt.date) -> bool:
        """True when the support has been withdrawn on or before ``on``."""
        return self.withdrawal is not None and self.withdrawal.on <= on


@attrs.frozen(slots=True)
class ActivitySupportLevel:
    """The level of activity support in a period, and why it is reduced (Försäkringskassan).

    ``daily_amount_sek`` is the amount per day; ``reduction_reason`` is present exactly
    when ``reduced`` is true.
    """

    period: Period
    reduced: bool
    daily_amount_sek: int | None = None
    reduction_reason: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_not_negative(problems, "daily_amount_sek", self.daily_amount_sek)
        check_nonblank(problems, "reduction_reason", self.reduction_reason)
        if self.reduced and self.reduction_reason is None:
            problems.append(Problem("reduction_reason", "a reduced level needs its reason"))
        if not self.reduced and self.reduction_reason is not None:
            problems.append(
                Problem("reduction_reason", "only a reduced level has a reduction reason")
            )
        raise_problems(problems)
