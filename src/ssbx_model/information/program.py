"""Program decisions (programbeslut) and their activities (aktiviteter).

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, Bilaga 1, row "Aktiviteter per
programbeslut" ("Programbeslut, Period, Omfattning, Deltagningskrav"). The report stresses
that 100 % enrolment in a program does not mean the activities fill 100 % of the time:
the activities' own periods and extents are what the collision check reads.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Extent, Period
from ssbx_model.codes import AF_PROGRAM
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    Provider,
    check_closed,
    check_code,
    check_nonblank,
    check_nonblank_items,
    check_types,
    raise_problems,
)

__all__ = ["Activity", "ProgramDecision"]


@attrs.frozen(slots=True)
class Activity:
    """An activity within a program decision: what, when, how much, and what is required.

    The period is closed: the report asks for each activity's from and to dates
    ("Aktivitetens fr.o.m.-t.o.m. datum", table 4), which the collision check reads.
    """

    name: str
    period: Period
    extent: Extent
    participation_requirements: tuple[str, ...] = ()
    provider: Provider | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "name", self.name)
        check_closed(problems, "period", self.period)
        check_nonblank_items(
            problems, "participation_requirements", self.participation_requirements
        )
        raise_problems(problems)


@attrs.frozen(slots=True)
class ProgramDecision:
    """AF's decision to place the person in a labour-market program (programbeslut).

    ``program`` is a code of the ``af-program`` list (e.g. ``UGA``, ``JOB``); its ``kind``
    attribute says program, subsidised employment or joint effort. Activities lie within
    the decision's period.
    """

    decision_id: str
    program: str
    decided_on: dt.date
    period: Period
    extent: Extent
    activities: tuple[Activity, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "decision_id", self.decision_id)
        check_code(problems, "program", AF_PROGRAM, self.program)
        for i, activity in enumerate(self.activities):
            a, p = activity.period, self.period
            if a.start < p.start:
                problems.append(
                    Problem(
                        f"activities[{i}].period.start",
                        f"starts before the decision's period ({p.start})",
                    )
                )
            if p.end is not None and (a.end is None or a.end > p.end):
                problems.append(
                    Problem(
                        f"activities[{i}].period.end", f"ends after the decision's period ({p.end})"
                    )
                )
        raise_problems(problems)

    def covers(self, on: dt.date) -> bool:
        """True when the decision's period contains ``on``."""
        return self.period.contains(on)
