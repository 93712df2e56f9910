"""The municipality's KAA register entry (kommunala aktivitetsansvaret).

Provider: the home municipality. Sources: skollagen (2010:800) 29 kap. 9 §;
Sambruk, UKA-projektet (register, contact, SCB reporting);
Trelleborgs kommun, Systemfel inom KAA (how young people enter the register, and why many stay
in it although they study or work).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_order, check_types, raise_problems

__all__ = ["KaaEntryReason", "KaaRegisterEntry"]


class KaaEntryReason(StrEnum):
    """Why the person entered the KAA register (Trelleborgs kommun, Systemfel inom KAA)."""

    LEFT_SCHOOL = "left-school"
    ENDED_WITHOUT_DIPLOMA = "ended-without-diploma"
    DID_NOT_START = "did-not-start"
    MOVED_IN = "moved-in"
    OTHER = "other"


@attrs.frozen(slots=True)
class KaaRegisterEntry:
    """An entry of the KAA register: when and why the person entered, contact, closing."""

    entered_on: dt.date
    reason: KaaEntryReason
    contacted_on: dt.date | None = None
    closed_on: dt.date | None = None
    close_reason: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_order(problems, "contacted_on", self.entered_on, self.contacted_on, "contact date")
        check_order(problems, "closed_on", self.entered_on, self.closed_on, "closing date")
        check_nonblank(problems, "close_reason", self.close_reason)
        if (self.closed_on is None) != (self.close_reason is None):
            problems.append(
                Problem("close_reason", "a closed entry has a close reason, an open one none")
            )
        raise_problems(problems)

    def is_open_on(self, on: dt.date) -> bool:
        """True when the person is in the register on ``on``."""
        return self.entered_on <= on and (self.closed_on is None or on < self.closed_on)
