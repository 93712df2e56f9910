"""Decisions of CSN, Försäkringskassan, Pensionsmyndigheten and the a-kassor, with their
reasons (anledning till beslut).

Providers: CSN, Försäkringskassan, Pensionsmyndigheten and the unemployment funds
(a-kassorna). Source: SKR, Processkartläggning del 2 (2022-03-11), Bilaga 4 "Juridisk
utredning", sida 11, "Anledning till beslut (NY)":

    Anledning till varför ett beslut tagits är jätteviktig information för en
    handläggare. Beslut som leder till att en reducerad utbetalning sker i form av avdrag
    eller liknande kan bero på omständigheter som gör att individen kan ha haft rätt till
    annan ersättning. T.ex. om han/hon var sjuk. [...] men om avdraget eller utebliven
    utbetalning beror på tex. ogiltig frånvaro (CSN) eller avstängning (A-kassa) så
    ersätts reduceringen inte med annan ersättning. [...] Det saknas lagstöd för att
    lämna ut denna information idag. Kräver juridisk utredning. Behovet avser: AF, CSN,
    FK, PM och A-kassorna.

Bilaga 4 treats "Anledning till beslut" as **one** information need across five agencies,
so the model keeps it as one set, ``decision_reasons``, with the agency on each decision.
AF's reasons stay where they are (the withdrawal of activity support) and so does FK's
reason for a reduced activity-support level; this set holds the other agencies'
decisions. Each agency's reasons are a code list of its own (open: ``other`` keeps the
agency's own wording, ``not-stated`` a decision given without a reason). The default
access policy releases the decision, its kind and dates, and withholds the reason and
its wording field by field (:class:`~ssbx_model.information.WithheldField`), citing the
legal review; a deployment that has settled a legal basis releases them in its policy.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final

import attrs

from ssbx_model._masking import mask_identity_numbers
from ssbx_model.calendar import Period
from ssbx_model.codes import (
    CSN_DECISION_REASON,
    FK_DECISION_REASON,
    PM_DECISION_REASON,
    UNEMPLOYMENT_FUND_DECISION_REASON,
)
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    WithheldField,
    check_coded_reason,
    check_nonblank,
    check_types,
    check_withheld,
    raise_problems,
)

__all__ = ["AgencyDecision", "DecidingAgency", "DecisionEffect"]


class DecidingAgency(StrEnum):
    """The agency that decided (Bilaga 4: "AF, CSN, FK, PM och A-kassorna"; AF's reasons
    are on the withdrawal of activity support)."""

    CSN = "csn"
    FORSAKRINGSKASSAN = "forsakringskassan"
    PENSIONSMYNDIGHETEN = "pensionsmyndigheten"
    UNEMPLOYMENT_FUND = "a-kassa"

    @property
    def code_list(self) -> str:
        """The id of the code list of this agency's decision reasons."""
        return _LISTS[self]


_LISTS: Final = {
    DecidingAgency.CSN: CSN_DECISION_REASON,
    DecidingAgency.FORSAKRINGSKASSAN: FK_DECISION_REASON,
    DecidingAgency.PENSIONSMYNDIGHETEN: PM_DECISION_REASON,
    DecidingAgency.UNEMPLOYMENT_FUND: UNEMPLOYMENT_FUND_DECISION_REASON,
}


class DecisionEffect(StrEnum):
    """What the decision did to the payment (Bilaga 4: "reducerad utbetalning [...] i form
    av avdrag eller liknande", "utebliven utbetalning")."""

    #: The payment was reduced (avdrag eller liknande).
    REDUCED = "reduced"
    #: Nothing was paid for the period (utebliven utbetalning).
    STOPPED = "stopped"
    #: An application was refused (avslag).
    REFUSED = "refused"
    #: Another decision (a warning without a payment effect, say).
    OTHER = "other"


@attrs.frozen(slots=True)
class AgencyDecision:
    """One decision of CSN, FK, PM or an a-kassa, and why it was made.

    ``agency`` decided on ``decided_on`` with ``effect`` on the payments of ``period``
    (when the agency says). ``reason`` is a code of the agency's own list
    (:attr:`DecidingAgency.code_list`): ``other`` needs the agency's wording in
    ``reason_text``; ``not-stated`` is a decision given without a reason. ``fund`` names
    the a-kassa for an unemployment fund's decision (only then). ``reference`` is the
    agency's id of the decision.

    ``reason`` and ``reason_text`` may be withheld by the access policy: the field is then
    None and named in ``withheld`` with the reason for withholding. A ``reason`` that is
    None is only valid when withheld (say ``not-stated`` when the agency gave none).
    ``reason_text`` is the agency's free text: it is stored with identity-number-shaped
    sequences masked, like every text from outside.
    """

    agency: DecidingAgency
    decided_on: dt.date
    effect: DecisionEffect
    reason: str | None = None
    reason_text: str | None = None
    period: Period | None = None
    fund: str | None = None
    reference: str | None = None
    withheld: tuple[WithheldField, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        text = self.reason_text
        if text is not None:
            masked = mask_identity_numbers(text)
            if masked != text:
                object.__setattr__(self, "reason_text", masked)
        problems: list[Problem] = []
        withheld = check_withheld(problems, self, self.withheld)
        check_coded_reason(
            problems,
            withheld,
            self.reason,
            self.reason_text,
            self.agency.code_list,
            when_none="the agency gave no reason",
            whose_wording="the agency's",
        )
        check_nonblank(problems, "reason_text", self.reason_text)
        check_nonblank(problems, "fund", self.fund)
        check_nonblank(problems, "reference", self.reference)
        if self.fund is not None and self.agency is not DecidingAgency.UNEMPLOYMENT_FUND:
            problems.append(Problem("fund", "only an unemployment fund's decision names a fund"))
        raise_problems(problems)
