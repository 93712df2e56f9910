"""Evidence of studies and of employment, with source and period.

Providers: CSN, schools and universities, Skatteverket (employer declarations,
arbetsgivardeklaration på individnivå), the person. Not AF sets: the KAA, UVAS and
Dua category-15 rules and the KAA reconciliation need them (Trelleborgs kommun, Systemfel inom KAA:
people who study or work stay in the KAA register).
"""

from __future__ import annotations

import attrs

from ssbx_model.calendar import Extent, Period
from ssbx_model.errors import Problem
from ssbx_model.identity import Organisationsnummer
from ssbx_model.information._base import check_nonblank, check_types, raise_problems

__all__ = ["EmploymentEvidence", "StudyEvidence"]


@attrs.frozen(slots=True)
class StudyEvidence:
    """Evidence that the person studies in a period (an education register, a course; not SFI)."""

    period: Period
    source: str
    institution: str | None = None
    extent: Extent | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "source", self.source)
        check_nonblank(problems, "institution", self.institution)
        raise_problems(problems)


@attrs.frozen(slots=True)
class EmploymentEvidence:
    """Evidence that the person works in a period, from ``source``."""

    period: Period
    source: str
    employer: Organisationsnummer | None = None
    extent: Extent | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "source", self.source)
        raise_problems(problems)
