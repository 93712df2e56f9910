"""Consultation (samråd) between AF and the municipality.

Provider: the municipality (its record of the meeting). Sources: Dua, "Frågor och svar –
uppföljning av kommuninsatser för ungdomar 16-24 år inom ramen för lokal överenskommelse"
(2019-04-01): AF and the municipality consult before the category-15 assessment, and the
young person gives consent for information exchange at that time; a youth who moves from
category 15 to AF's interventions gets a new applicant category, also in consultation;
socialtjänstlagen (2001:453) 4 kap. 4 §: the municipality consults AF before requiring
participation in a municipal intervention (SSBTX report part 2, "Situation: Anvisa insats").

What a consultation was about is a code of the ``consultation-topic`` list
(:data:`ssbx_model.codes.CONSULTATION_TOPIC`), valid on the day it was held: free text
here made a rule silently miss a consultation worded differently.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from ssbx_model.codes import CONSULTATION_TOPIC, CodeNotValidError, load
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_code,
    check_nonblank,
    check_nonblank_items,
    check_types,
    raise_problems,
)

__all__ = [
    "ASSIGN_INTERVENTION",
    "JOINT_PLANNING",
    "SKAT15_ASSESSMENT",
    "SKAT15_TRANSITION",
    "Consultation",
]

#: Topic: the assessment whether a youth belongs in applicant category 15 (Dua).
SKAT15_ASSESSMENT: Final = "skat15-assessment"
#: Topic: a youth in category 15 moves to AF's interventions and gets a new category (Dua).
SKAT15_TRANSITION: Final = "skat15-transition"
#: Topic: the municipality assigns an intervention to a person on income support (SoL).
ASSIGN_INTERVENTION: Final = "assign-intervention"
#: Topic: AF and the municipality plan the young person's support together (Dua).
JOINT_PLANNING: Final = "joint-planning"


@attrs.frozen(slots=True)
class Consultation:
    """A consultation between AF and the municipality about the person.

    ``topic`` is a code of the ``consultation-topic`` list valid on ``held_on`` (e.g.
    :data:`SKAT15_ASSESSMENT`, ``"skat15-assessment"``, for the category-15 assessment).
    """

    held_on: dt.date
    topic: str
    parties: tuple[str, ...]
    three_party: bool = False
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "topic", CONSULTATION_TOPIC, self.topic)
        if not problems:
            _check_topic_date(problems, self.topic, self.held_on)
        check_nonblank(problems, "note", self.note)
        if len(self.parties) < 2:
            problems.append(Problem("parties", "a consultation has at least two parties"))
        check_nonblank_items(problems, "parties", self.parties)
        raise_problems(problems)


def _check_topic_date(problems: list[Problem], topic: str, held_on: dt.date) -> None:
    # A topic whose entry is not valid on the day (e.g. a category-15 assessment before
    # category 15 existed) is a data error.
    try:
        load(CONSULTATION_TOPIC).get(topic, on=held_on)
    except CodeNotValidError as exc:
        problems.append(Problem("topic", str(exc)))
