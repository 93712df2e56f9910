"""SIUS: särskild stödperson för introduktions- och uppföljningsstöd.

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, Bilaga 1, row "SIUS"
("Aktiv ja/nej, Namn, Organisation, Kontaktuppgifter, Period"); one of the special
interventions of förordning (2017:462) 1 §.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import ContactDetails, check_nonblank, check_types, raise_problems

__all__ = ["SiusSupport"]


@attrs.frozen(slots=True)
class SiusSupport:
    """A SIUS consultant assigned to the person, and for which period.

    ``active`` is the provider's flag as of ``as_of``; it must agree with ``period``
    (active exactly when the period contains ``as_of``).
    """

    active: bool
    period: Period
    as_of: dt.date
    name: str | None = None
    organisation: str | None = None
    contact: ContactDetails | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "name", self.name)
        check_nonblank(problems, "organisation", self.organisation)
        if self.active != self.period.contains(self.as_of):
            state = "active" if self.active else "not active"
            problems.append(
                Problem("active", f"is {state} but the period does not agree on {self.as_of}")
            )
        raise_problems(problems)
