"""Employer check (arbetsgivarkontroll) before a placement.

Providers: Bolagsverket, Skatteverket, Kronofogden, a credit-reference agency and AF.
Source: SSBTX report part 2, Bilaga 1 and table 6 (organisationsnummer, registrerat som
företag, ägarförhållanden, omsättning och ekonomisk situation, antal anställda, betalda
arbetsgivaravgifter, skattekonto, betalningsanmärkningar; facklig förankring; andra
myndigheters placeringar och deras period). The grounds AF may refuse on are in
förordning (2017:462): trading ban (näringsförbud), tax debt at Kronofogden, payment
remarks that are not insignificant ("betalningsanmärkningar som Arbetsförmedlingen inte
kan bedöma som obetydliga": AF's assessment of each remark is recorded with it).
``None`` means the fact was not checked.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.identity import Organisationsnummer
from ssbx_model.information._base import (
    check_nonblank,
    check_not_negative,
    check_types,
    raise_problems,
)

__all__ = [
    "EmployerCheck",
    "OtherPlacement",
    "Owner",
    "PaymentRemark",
    "PaymentRemarkAssessment",
    "UnionApproval",
]


@attrs.frozen(slots=True)
class Owner:
    """A person or company with ownership or significant influence over the employer.

    ``trading_ban`` is whether this owner has a näringsförbud (None: not checked).
    """

    name: str
    share_percent: int | None = None
    significant_influence: bool = False
    trading_ban: bool | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "name", self.name)
        if self.share_percent is not None and not 0 <= self.share_percent <= 100:
            problems.append(Problem("share_percent", f"must be 0-100, got {self.share_percent}"))
        raise_problems(problems)


class PaymentRemarkAssessment(StrEnum):
    """Arbetsförmedlingen's assessment of a payment remark: may it be insignificant?

    The report asks for "betalningsanmärkningar som Arbetsförmedlingen inte kan bedöma
    som obetydliga": the judgement is AF's, remark by remark, and no amount is published.
    """

    #: AF assessed the remark as insignificant (obetydlig): it never fails the check.
    INSIGNIFICANT = "insignificant"
    #: AF could not assess the remark as insignificant: it fails the check.
    NOT_INSIGNIFICANT = "not-insignificant"
    #: AF has not assessed the remark (yet).
    NOT_ASSESSED = "not-assessed"


@attrs.frozen(slots=True)
class PaymentRemark:
    """A payment remark (betalningsanmärkning): when, how much, of what kind, and AF's
    assessment of whether it is insignificant (``not-assessed`` unless recorded)."""

    registered_on: dt.date
    amount_sek: int
    kind: str
    af_assessment: PaymentRemarkAssessment = PaymentRemarkAssessment.NOT_ASSESSED

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_not_negative(problems, "amount_sek", self.amount_sek)
        check_nonblank(problems, "kind", self.kind)
        raise_problems(problems)


@attrs.frozen(slots=True)
class UnionApproval:
    """The union's opinion on a placement (facklig förankring), signed on a form.

    The report: "Kommunen stämmer av placering med aktuellt fack (ex. Kommunal).
    Kommunen tillhandahåller en blankett som fackförbund skriver på som sedan skickas
    till Arbetsförmedlingen." The ``employer-check`` rule warns when it is missing or
    negative, or requires it (``employer_check.union_approval_required``).
    """

    approved: bool
    union: str
    signed_on: dt.date

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "union", self.union)
        raise_problems(problems)


@attrs.frozen(slots=True)
class OtherPlacement:
    """Placements other authorities (e.g. AF) have made at the employer, and when."""

    authority: str
    period: Period
    placements: int = 1

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "authority", self.authority)
        if self.placements < 1:
            problems.append(Problem("placements", f"must be at least 1, got {self.placements}"))
        raise_problems(problems)


@attrs.frozen(slots=True)
class EmployerCheck:
    """The facts of an employer check made on ``checked_on``.

    Amounts are whole kronor. ``tax_debt_at_kronofogden_sek`` is the debt sent to
    Kronofogden for collection (0: none). ``trading_ban`` is true when any person with
    significant influence has a näringsförbud (None: not checked).
    """

    organisation_number: Organisationsnummer
    checked_on: dt.date
    registered_on: dt.date | None = None
    owners: tuple[Owner, ...] = ()
    turnover_sek: int | None = None
    financial_situation: str | None = None
    employees: int | None = None
    employer_contributions_paid: bool | None = None
    tax_account_in_order: bool | None = None
    payment_remarks: tuple[PaymentRemark, ...] | None = None
    trading_ban: bool | None = None
    tax_debt_at_kronofogden_sek: int | None = None
    union_approval: UnionApproval | None = None
    other_placements: tuple[OtherPlacement, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_not_negative(problems, "turnover_sek", self.turnover_sek)
        check_not_negative(problems, "employees", self.employees)
        check_not_negative(
            problems, "tax_debt_at_kronofogden_sek", self.tax_debt_at_kronofogden_sek
        )
        check_nonblank(problems, "financial_situation", self.financial_situation)
        if self.registered_on is not None and self.registered_on > self.checked_on:
            problems.append(Problem("registered_on", "is after the date of the check"))
        for i, remark in enumerate(self.payment_remarks or ()):
            if remark.registered_on > self.checked_on:
                problems.append(
                    Problem(f"payment_remarks[{i}].registered_on", "is after the date of the check")
                )
        shares = sum(o.share_percent or 0 for o in self.owners)
        if shares > 100:
            problems.append(Problem("owners", f"the owners' shares add up to {shares} %"))
        if self.trading_ban is False and any(o.trading_ban for o in self.owners):
            problems.append(
                Problem("trading_ban", "is false but an owner with a trading ban is listed")
            )
        raise_problems(problems)
