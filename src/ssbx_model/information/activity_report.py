"""Activity reports (aktivitetsrapport).

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, Bilaga 1, row
"Aktivitetsrapport" ("Period, Godkänd ja/nej, Antal sökta jobb"). Today SSBTEK only
shows that a report was sent. "No report in the period" is an absent answer, not a report.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_closed,
    check_not_negative,
    check_order,
    check_types,
    raise_problems,
)

__all__ = ["ActivityReport"]


@attrs.frozen(slots=True)
class ActivityReport:
    """One activity report for a closed period.

    ``approved`` is None while AF has not assessed the report.
    """

    period: Period
    jobs_applied_for: int
    submitted_on: dt.date | None = None
    approved: bool | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_closed(problems, "period", self.period)
        check_not_negative(problems, "jobs_applied_for", self.jobs_applied_for)
        check_order(
            problems, "submitted_on", self.period.start, self.submitted_on, "submission date"
        )
        if self.approved is not None and self.submitted_on is None:
            problems.append(
                Problem("approved", "a report that was not submitted cannot be assessed")
            )
        raise_problems(problems)
