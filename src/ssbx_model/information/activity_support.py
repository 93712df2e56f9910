"""Activity support (aktivitetsstöd), its withdrawal (indragning) and its level.

Providers: Arbetsförmedlingen (support, withdrawal) and Försäkringskassan (level). Source:
SKR, Processkartläggning del 2 (2022-03-11), Bilaga 1, row "Aktivitetsstöd" ("Typ,
Startdatum, Datum indragning, Anledning indragning") and Tabell 3, which lists six reasons
after "Exempel:" and points to Arbetsförmedlingen's page "Varning eller avstängning från
rätten till ersättning i program" for the rest. Today SSBTEK shows *that* support was
withdrawn, never *why*; the reason (and how long the sanction lasts) decides whether
another benefit (e.g. sickness) could cover the gap.

The report's legal review (Bilaga 4, sida 11, "Anledning till beslut") says of the
reason: "Det saknas lagstöd för att lämna ut denna information idag." The default access
policy therefore releases a withdrawal's fact and date but withholds its reason and
sanction field by field (:class:`~ssbx_model.information.WithheldField`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Period
from ssbx_model.codes import ACTIVITY_SUPPORT_TYPE, ACTIVITY_SUPPORT_WITHDRAWAL_REASON
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    WithheldField,
    check_code,
    check_coded_reason,
    check_nonblank,
    check_not_negative,
    check_order,
    check_types,
    check_withheld,
    raise_problems,
)

__all__ = [
    "ActivitySupport",
    "ActivitySupportLevel",
    "ActivitySupportWithdrawal",
    "Sanction",
    "SanctionKind",
]


class SanctionKind(StrEnum):
    """What Arbetsförmedlingen decided (varning eller avstängning), as its page describes.

    Source: Arbetsförmedlingen, "Varning eller avstängning från rätten till ersättning i
    program" (arbetsformedlingen.se), on förordning (2017:819) om ersättning till
    deltagare i arbetsmarknadspolitiska insatser: "Första gången: du får en varning",
    then suspension for a number of days, and in the end the right to compensation ends.
    """

    #: A warning (varning): no days without compensation.
    WARNING = "warning"
    #: Suspended from the right to compensation for ``days`` days (avstängning).
    SUSPENSION = "suspension"
    #: The right to compensation has ended until further notice (rätten upphör).
    COMPENSATION_ENDED = "compensation-ended"


@attrs.frozen(slots=True)
class Sanction:
    """The sanction behind a withdrawal: its kind and, for a suspension, its length.

    ``days`` is the number of days of suspension: required for a suspension (at least 1),
    absent for a warning or an ended right. The numbers of days AF uses (1, 5, 10, 45 at
    the time of writing) change with the ordinance, so any positive number is accepted.
    """

    kind: SanctionKind
    days: int | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        if self.kind is SanctionKind.SUSPENSION:
            if self.days is None:
                problems.append(Problem("days", "a suspension needs its number of days"))
            elif self.days < 1:
                problems.append(Problem("days", f"must be at least 1, got {self.days}"))
        elif self.days is not None:
            problems.append(
                Problem("days", f"only a suspension has a number of days, not a {self.kind.value}")
            )
        raise_problems(problems)


@attrs.frozen(slots=True)
class ActivitySupportWithdrawal:
    """A withdrawal of activity support (indragning av aktivitetsstöd): when and why.

    ``reason`` is a code of the ``activity-support-withdrawal-reason`` list: one of the six
    reasons Tabell 3 names, ``other`` (AF gave another reason: ``reason_text`` keeps AF's
    own wording and is required) or ``not-stated`` (AF reported the withdrawal without a
    reason, as SSBTEK does today). ``reason_text`` may also keep AF's wording for a named
    reason. ``sanction`` is what AF decided, when AF said.

    ``reason``, ``reason_text`` and ``sanction`` may be withheld by the access policy:
    the field is then None and named in ``withheld`` with the reason for withholding. A
    ``reason`` that is None is only valid when withheld (say ``not-stated`` when AF gave
    none).
    """

    on: dt.date
    reason: str | None = None
    note: str | None = None
    reason_text: str | None = None
    sanction: Sanction | None = None
    withheld: tuple[WithheldField, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        withheld = check_withheld(problems, self, self.withheld)
        check_coded_reason(
            problems,
            withheld,
            self.reason,
            self.reason_text,
            ACTIVITY_SUPPORT_WITHDRAWAL_REASON,
            when_none="AF reported the withdrawal without a reason",
            whose_wording="AF's",
        )
        check_nonblank(problems, "note", self.note)
        check_nonblank(problems, "reason_text", self.reason_text)
        raise_problems(problems)


@attrs.frozen(slots=True)
class ActivitySupport:
    """Activity support (aktivitetsstöd, utvecklingsersättning, ...) from ``start``."""

    support_type: str
    start: dt.date
    withdrawal: ActivitySupportWithdrawal | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "support_type", ACTIVITY_SUPPORT_TYPE, self.support_type)
        if self.withdrawal is not None:
            check_order(
                problems, "withdrawal.on", self.start, self.withdrawal.on, "withdrawal date"
            )
        raise_problems(problems)

    def is_withdrawn_on(self, on: dt.date) -> bool:
        """True when the support has been withdrawn on or before ``on``."""
        return self.withdrawal is not None and self.withdrawal.on <= on


@attrs.frozen(slots=True)
class ActivitySupportLevel:
    """The level of activity support in a period, and why it is reduced (Försäkringskassan).

    ``daily_amount_sek`` is the amount per day; ``reduction_reason`` is present exactly
    when ``reduced`` is true, unless the access policy withheld it (then it is None and
    named in ``withheld``: Bilaga 4, "Anledning till beslut", finds no legal basis to
    disclose it today).
    """

    period: Period
    reduced: bool
    daily_amount_sek: int | None = None
    reduction_reason: str | None = None
    withheld: tuple[WithheldField, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        withheld = check_withheld(problems, self, self.withheld)
        check_not_negative(problems, "daily_amount_sek", self.daily_amount_sek)
        check_nonblank(problems, "reduction_reason", self.reduction_reason)
        if self.reduced and self.reduction_reason is None and "reduction_reason" not in withheld:
            problems.append(Problem("reduction_reason", "a reduced level needs its reason"))
        if not self.reduced and self.reduction_reason is not None:
            problems.append(
                Problem("reduction_reason", "only a reduced level has a reduction reason")
            )
        raise_problems(problems)
