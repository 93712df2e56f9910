"""Planning meetings (planeringssamtal).

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, Bilaga 1, row
"Planeringssamtal" ("När är nästa planeringssamtal? Datum, Typ, Parter").
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.codes import PLANNING_MEETING_TYPE
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_code,
    check_nonblank_items,
    check_types,
    raise_problems,
)

__all__ = ["PlanningMeeting"]


@attrs.frozen(slots=True)
class PlanningMeeting:
    """A planning meeting: its date, type (code list) and the parties taking part."""

    on: dt.date
    meeting_type: str
    parties: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "meeting_type", PLANNING_MEETING_TYPE, self.meeting_type)
        if not self.parties:
            problems.append(Problem("parties", "a meeting has at least one party"))
        check_nonblank_items(problems, "parties", self.parties)
        raise_problems(problems)
