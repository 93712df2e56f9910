"""Schooling: compulsory school, upper-secondary enrolment and diploma.

Providers: the school organiser (huvudman) and the municipality's own student records.
Not an AF set: the KAA and Dua category-15 rules need it. Sources: skollagen (2010:800)
29 kap. 9 § (KAA), Sambruk, UKA-projektet, Dua, Frågor och svar om kommuninsatser 16-24 år
(introduction-programme pupils are not in category 15), Skolverket on KAA
(introduction-programme pupils are in KAA).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_types, raise_problems

__all__ = ["ProgrammeKind", "Schooling", "UpperSecondaryEnrolment"]


class ProgrammeKind(StrEnum):
    """The kind of upper-secondary education."""

    #: A national programme of gymnasieskolan.
    NATIONAL = "national"
    #: An introduction programme (introduktionsprogram; formerly the individual programme).
    INTRODUCTION = "introduction"
    #: The adapted upper-secondary school (anpassad gymnasieskola, formerly gymnasiesärskola).
    ADAPTED = "adapted"
    #: Education equivalent to a national programme (e.g. at a folkhögskola or abroad).
    EQUIVALENT = "equivalent"


@attrs.frozen(slots=True)
class UpperSecondaryEnrolment:
    """A stretch of upper-secondary enrolment (open while it continues)."""

    kind: ProgrammeKind
    period: Period
    programme: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "programme", self.programme)
        raise_problems(problems)


@attrs.frozen(slots=True)
class Schooling:
    """What is known about a person's schooling, and from which source.

    ``diploma_on`` is the date of an upper-secondary diploma (gymnasieexamen or the
    equivalent certificate of the adapted school); a certificate of studies (studiebevis)
    is not a diploma.
    """

    compulsory_school_completed: bool
    source: str
    upper_secondary: tuple[UpperSecondaryEnrolment, ...] = ()
    compulsory_school_left_on: dt.date | None = None
    diploma_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "source", self.source)
        if not self.compulsory_school_completed and self.compulsory_school_left_on is not None:
            problems.append(
                Problem(
                    "compulsory_school_left_on", "is set but compulsory school is not completed"
                )
            )
        for i, enrolment in enumerate(self.upper_secondary):
            if i and enrolment.period.start < self.upper_secondary[i - 1].period.start:
                problems.append(
                    Problem(f"upper_secondary[{i}].period.start", "enrolments are oldest first")
                )
        if self.diploma_on is not None and not self.upper_secondary:
            problems.append(Problem("diploma_on", "a diploma needs an upper-secondary enrolment"))
        raise_problems(problems)

    def enrolment_on(self, on: dt.date) -> UpperSecondaryEnrolment | None:
        """The upper-secondary enrolment in force on ``on``, if any."""
        for enrolment in self.upper_secondary:
            period = enrolment.period  # period.contains(on), without the call (rules ask often)
            if period.start <= on and (period.end is None or on <= period.end):
                return enrolment
        return None

    def has_diploma_on(self, on: dt.date) -> bool:
        """True when the person has an upper-secondary diploma on ``on``."""
        return self.diploma_on is not None and self.diploma_on <= on
