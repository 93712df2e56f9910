"""The municipality's own interventions (kommunala insatser).

Provider: the municipality's case system. Sources: INUK, Frågor och svar (2019-04-01) (own activity
names mapped to INUK categories; end date mandatory), Dua, Frågor och svar om kommuninsatser 16-24
år (type, length and who delivers it; summer jobs not reported), SSBTX report part 2 (assigning a
municipal intervention must not collide with AF's planning).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Extent, Period
from ssbx_model.codes import INTERVENTION_TYPE
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    Provider,
    check_code,
    check_nonblank,
    check_types,
    raise_problems,
)

__all__ = ["InterventionStatus", "MunicipalIntervention"]


class InterventionStatus(StrEnum):
    """Where an intervention stands."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    ENDED = "ended"


@attrs.frozen(slots=True)
class MunicipalIntervention:
    """An intervention the municipality gives the person (insats).

    ``local_name`` is the municipality's own name for the activity (mapped to an INUK
    category by a mapping file); ``intervention_type`` is a code of the
    ``intervention-type`` list; ``inuk_category`` is the mapped INUK category once known.
    ``changed_at`` is when the record last changed (INUK's "no retroactive changes").
    An ended intervention has an end date.
    """

    intervention_id: str
    local_name: str
    intervention_type: str
    period: Period
    extent: Extent
    provider: Provider
    status: InterventionStatus
    inuk_category: str | None = None
    changed_at: dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "intervention_id", self.intervention_id)
        check_nonblank(problems, "local_name", self.local_name)
        check_code(problems, "intervention_type", INTERVENTION_TYPE, self.intervention_type)
        check_nonblank(problems, "inuk_category", self.inuk_category)
        if self.status is InterventionStatus.ENDED and self.period.end is None:
            problems.append(Problem("period.end", "an ended intervention needs its end date"))
        if self.changed_at is not None and self.changed_at.utcoffset() is None:
            problems.append(Problem("changed_at", "must carry a time zone (e.g. +00:00)"))
        raise_problems(problems)
