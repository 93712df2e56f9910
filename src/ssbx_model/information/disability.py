"""Disability codes (funktionshinderkod / funktionsnedsättningskod).

Provider: Arbetsförmedlingen. Source: SSBTX report part 2, Bilaga 1, row
"Funktionshinder" ("Funktionshinderkod, Datum, Utredande organisation"). Needed for
lönebidrag. The report's legal review found no legal basis to disclose the codes to the
municipality today: the model has them, and the access policy withholds them by default.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.codes import DISABILITY_CODE
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_code, check_nonblank, check_types, raise_problems

__all__ = ["DisabilityCode"]


@attrs.frozen(slots=True)
class DisabilityCode:
    """A registered disability code, when it was registered and who assessed it."""

    code: str
    registered_on: dt.date
    assessing_organisation: str

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "code", DISABILITY_CODE, self.code)
        check_nonblank(problems, "assessing_organisation", self.assessing_organisation)
        raise_problems(problems)
