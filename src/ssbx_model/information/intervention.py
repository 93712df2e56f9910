"""The municipality's own interventions (kommunala insatser).

Provider: the municipality's case system. Sources: INUK, Frågor och svar (2019-04-01) (own
activity names mapped to INUK categories; end date mandatory; "hur många som går till
resultat, samt vilken typ av resultat"), Dua, Frågor och svar om kommuninsatser 16-24 år
(type, length and who delivers it; summer jobs not reported; "för tillfället bara har
aktiviteter som kommunen helt ansvarar för"), SKR, Processkartläggning del 2 (assigning a
municipal intervention must not collide with AF's planning).

**When an intervention is current** is defined once, here
(:meth:`MunicipalIntervention.is_current`), and read by every rule that asks it: the
Dua category-15 rule (``skat15``, "bara har insatser från kommunen") and the INUK rule
("hur många unga som får arbetsmarknadsinsatser").
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Extent, Period
from ssbx_model.codes import INTERVENTION_RESULT, INTERVENTION_TYPE
from ssbx_model.errors import Problem, ValidationError
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
    An ended intervention has an end date. ``result`` is what the intervention led to
    when it ended (resultat; a code of the ``intervention-result`` list: work, studies, an
    AF programme, other, not known); it is recorded only on an ended intervention, and
    None means no result was recorded (``okant`` means the municipality does not know).

    ``status_as_of`` is the day the status was stated for (the case system's "today"
    when it wrote the record). When it is given, the status must agree with the period
    on that day (:meth:`status_problem`): *planned* has not passed its planned end,
    *ongoing* has begun and not ended, *ended* has begun and its end date is on or
    before that day. Without it only what holds on any day is checked (an ended
    intervention has an end date). A planned intervention whose planned first day has
    come is still planned (it has not begun; see :meth:`is_current`).
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
    result: str | None = None
    status_as_of: dt.date | None = None

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
        if self.status_as_of is not None:
            contradiction = self.status_problem(self.status_as_of)
            if contradiction is not None:
                problems.append(Problem("status", contradiction))
        check_code(problems, "result", INTERVENTION_RESULT, self.result)
        if self.result is not None and self.status is not InterventionStatus.ENDED:
            problems.append(
                Problem(
                    "result",
                    f"a result is recorded when the intervention ends: the status is "
                    f"{self.status.value!r}, not 'ended'",
                )
            )
        raise_problems(problems)

    def status_problem(self, on: dt.date) -> str | None:
        """Why the status contradicts the period on ``on``, or None when they agree.

        *planned*: the planned end, if any, is not before ``on``; *ongoing*: begun by
        ``on`` and not ended before it; *ended*: begun by ``on`` and ended on or before
        it (an intervention that stopped early carries the day it stopped as its end).
        """
        start, end, day = self.period.start, self.period.end, on.isoformat()
        status = self.status
        if status is InterventionStatus.PLANNED and end is not None and end < on:
            return f"is 'planned' on {day}, but its period ended {end.isoformat()}"
        if status is not InterventionStatus.PLANNED and start > on:
            return f"is {status.value!r} on {day}, but its period starts {start.isoformat()}"
        if status is InterventionStatus.ONGOING and end is not None and end < on:
            return f"is 'ongoing' on {day}, but its period ended {end.isoformat()}"
        if status is InterventionStatus.ENDED and end is not None and end > on:
            return f"is 'ended' on {day}, but its period runs to {end.isoformat()}"
        return None

    def is_current(self, first: dt.date, last: dt.date | None = None) -> bool:
        """Is this a current intervention on ``first``, or on some day ``first..last``?

        The one definition the rules share. An intervention is current on a day when it
        has begun, that is its status is not ``planned``, and its period contains the
        day. A planned intervention is not current even when its planned first day has
        come: the person does not yet "have" it ("för tillfället bara har aktiviteter
        som kommunen helt ansvarar för", Dua's questions and answers on category 15)
        nor "get" it ("hur många unga som får arbetsmarknadsinsatser", INUK's questions
        and answers). An ended one is current on the days of its period: the status says
        where it stands now, the period when it ran.

        ``last`` (inclusive) asks about a span (INUK asks about the days of a month up
        to the reference date); without it, about the one day ``first``.

        Raises:
            ValidationError: if ``last`` is before ``first`` (path ``last``).
        """
        if last is not None and last < first:
            raise ValidationError(
                Problem("last", f"the span ends {last.isoformat()}, before {first.isoformat()}")
            )
        if self.status is InterventionStatus.PLANNED:
            return False
        period = self.period
        if period.end is not None and period.end < first:
            return False
        return period.start <= (first if last is None else last)
