"""Consultation (samråd) between AF and the municipality.

Provider: the municipality (its record of the meeting). Source: Dua, Frågor och svar om
kommuninsatser 16-24 år: AF and the municipality consult before the assessment for
category 15, and the young person gives consent for information exchange at that time;
socialtjänstlagen requires consulting AF before requiring participation in a municipal
intervention (report, tables 4-6).
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_types, raise_problems

__all__ = ["Consultation"]


@attrs.frozen(slots=True)
class Consultation:
    """A consultation between AF and the municipality about the person.

    ``topic`` says what it was about (e.g. ``"skat15"`` for the category-15 assessment,
    ``"assign-intervention"``).
    """

    held_on: dt.date
    topic: str
    parties: tuple[str, ...]
    three_party: bool = False
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "topic", self.topic)
        check_nonblank(problems, "note", self.note)
        if len(self.parties) < 2:
            problems.append(Problem("parties", "a consultation has at least two parties"))
        for i, party in enumerate(self.parties):
            check_nonblank(problems, f"parties[{i}]", party)
        raise_problems(problems)
