"""Days used in jobb- och utvecklingsgarantin (JOB), with program history.

Provider: Försäkringskassan. Source: SSBTX report part 2, the labour-market unit's needs
("antal dagar i jobb- och utvecklingsgarantin, programhistorik"); JOB is regulated by
förordning (2007:414).
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Period
from ssbx_model.codes import AF_PROGRAM
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_code, check_not_negative, check_types, raise_problems

__all__ = ["JobGuaranteeDays", "ProgramSpell"]


@attrs.frozen(slots=True)
class ProgramSpell:
    """A past or current stretch in an AF program."""

    program: str
    period: Period

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "program", AF_PROGRAM, self.program)
        raise_problems(problems)


@attrs.frozen(slots=True)
class JobGuaranteeDays:
    """Days used in the job guarantee as of a date, and the program history (oldest
    first)."""

    days_used: int
    as_of: dt.date
    program_history: tuple[ProgramSpell, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_not_negative(problems, "days_used", self.days_used)
        for i, spell in enumerate(self.program_history):
            if i and spell.period.start < self.program_history[i - 1].period.start:
                problems.append(
                    Problem(f"program_history[{i}].period.start", "the history is oldest first")
                )
            if spell.period.start > self.as_of:
                problems.append(
                    Problem(f"program_history[{i}].period.start", f"is after {self.as_of}")
                )
        raise_problems(problems)
