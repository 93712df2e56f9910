"""Yearly facts: income, student finance (CSN) and hours of Swedish for immigrants (SFI).

Providers: Skatteverket (income), CSN (student finance), the municipality's adult
education (SFI hours). The UVAS definition is per whole calendar year (MUCF; Sambruk,
UKA-projektet): income not above one prisbasbelopp, no student finance, at most
60 SFI hours.
"""

from __future__ import annotations

import attrs

from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_nonblank,
    check_not_negative,
    check_types,
    raise_problems,
)

__all__ = ["AnnualIncome", "SfiHours", "StudentFinance"]


def _check_year(problems: list[Problem], year: int) -> None:
    if not 1900 <= year <= 2200:
        problems.append(Problem("year", f"is not a plausible calendar year: {year}"))


@attrs.frozen(slots=True)
class AnnualIncome:
    """Earned income in a calendar year, in whole kronor (förvärvsinkomst)."""

    year: int
    amount_sek: int
    source: str

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        _check_year(problems, self.year)
        check_not_negative(problems, "amount_sek", self.amount_sek)
        check_nonblank(problems, "source", self.source)
        raise_problems(problems)


@attrs.frozen(slots=True)
class StudentFinance:
    """Student finance (studiemedel) from CSN in a calendar year."""

    year: int
    received: bool
    amount_sek: int | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        _check_year(problems, self.year)
        check_not_negative(problems, "amount_sek", self.amount_sek)
        if not self.received and self.amount_sek:
            problems.append(Problem("amount_sek", "is positive but nothing was received"))
        raise_problems(problems)


@attrs.frozen(slots=True)
class SfiHours:
    """Hours of Swedish for immigrants (SFI) attended in a calendar year."""

    year: int
    hours: int

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        _check_year(problems, self.year)
        check_not_negative(problems, "hours", self.hours)
        raise_problems(problems)
