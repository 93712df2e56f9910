"""Business activity (näringsverksamhet): does the person run a company?

Providers: Skatteverket (F-skatt) and Bolagsverket (position, ownership). Source: SSBTX
report part 2, Bilaga 1 ("Näringsverksamhet: typ (F-skatt), befattning/ägande").
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.errors import Problem
from ssbx_model.identity import Organisationsnummer
from ssbx_model.information._base import check_nonblank, check_types, raise_problems

__all__ = ["BusinessActivity"]


@attrs.frozen(slots=True)
class BusinessActivity:
    """A business the person runs or has a position in.

    ``organisation_number`` may be the person's own personnummer (a sole trader).
    """

    f_tax: bool
    position: str
    organisation_number: Organisationsnummer | None = None
    registered_on: dt.date | None = None
    ownership_percent: int | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "position", self.position)
        if self.ownership_percent is not None and not 0 <= self.ownership_percent <= 100:
            problems.append(
                Problem("ownership_percent", f"must be 0-100, got {self.ownership_percent}")
            )
        raise_problems(problems)
