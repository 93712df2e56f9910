"""The municipality's consultation (samråd) with AF about one planned intervention.

Provider: the municipality (its record of the consultation and of AF's answer). Source:
socialtjänstlagen (2001:453) 4 kap. 4 § (in force until 2025-06-30) as the SSBTX report
quotes it in "Situation: Anvisa insats" (SKR, Processkartläggning del 2
(2022-03-11)): "Inom ekonomiskt bistånd ska
kommunen samråda med Arbetsförmedlingen när kommunen begär att den som får
försörjningsstöd under viss tid ska delta i av nämnden anvisad praktik eller annan
kompetenshöjande verksamhet om den enskilde inte har kunnat erbjudas någon lämplig
arbetsmarknadspolitisk åtgärd".

This is a record of its own, not a :class:`~ssbx_model.information.consultation.Consultation`
with a topic: the statute ties the consultation to the one intervention the municipality
requires, and its point is AF's answer (can AF offer a suitable labour-market measure?),
which a general consultation record does not carry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

import attrs

from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_order, check_types, raise_problems

__all__ = ["InterventionConsultation", "MeasureAnswer", "consultation_answer_problems"]


class MeasureAnswer(StrEnum):
    """AF's answer: can it offer the person a suitable labour-market measure?

    (``lämplig arbetsmarknadspolitisk åtgärd``, socialtjänstlagen (2001:453) 4 kap. 4 §.)
    """

    #: No suitable labour-market measure could be offered: the municipality may require
    #: participation in its own intervention.
    NO_SUITABLE_MEASURE = "no-suitable-measure"
    #: AF can offer a suitable measure: the statute's precondition is not met.
    MEASURE_OFFERED = "measure-offered"
    #: The consultation was held but AF has not answered (yet).
    NOT_ANSWERED = "not-answered"


@attrs.frozen(slots=True)
class InterventionConsultation:
    """A consultation with AF about one of the municipality's planned interventions.

    ``intervention_id`` names the intervention (``MunicipalIntervention.intervention_id``
    in the same case; not checked against ``Case.interventions``, since a filtered case
    may leave an intervention out). ``held_on`` is when the municipality consulted AF,
    ``answer`` AF's answer and ``answered_on`` when AF gave it: required with an answer,
    none while it is ``not-answered``, and never before the consultation.
    """

    intervention_id: str
    held_on: dt.date
    answer: MeasureAnswer
    answered_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "intervention_id", self.intervention_id)
        if self.answer is MeasureAnswer.NOT_ANSWERED:
            if self.answered_on is not None:
                problems.append(
                    Problem("answered_on", "an answer that is not given has no answer date")
                )
        elif self.answered_on is None:
            problems.append(Problem("answered_on", f"AF's answer {self.answer} needs its date"))
        check_order(problems, "answered_on", self.held_on, self.answered_on, "answer date")
        raise_problems(problems)

    def answered_by(self, on: dt.date) -> bool:
        """True when AF had given its answer on or before ``on``."""
        return self.answered_on is not None and self.answered_on <= on


def consultation_answer_problems(
    consultations: Sequence[InterventionConsultation], path: str
) -> list[Problem]:
    """Problems of a case's consultations taken together: AF's answers about the same
    intervention on the same day must agree (otherwise no answer is the latest), named
    at ``<path>[i].answer``."""
    problems: list[Problem] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for i, consultation in enumerate(consultations):
        if consultation.answered_on is None:
            continue
        key = (consultation.intervention_id, consultation.answered_on)
        first = seen.setdefault(key, i)
        if first != i and consultations[first].answer is not consultation.answer:
            problems.append(
                Problem(
                    f"{path}[{i}].answer",
                    f"contradicts {path}[{first}]: AF's answers about the same intervention "
                    f"on {consultation.answered_on} differ",
                )
            )
    return problems
