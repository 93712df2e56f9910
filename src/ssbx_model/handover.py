"""The handover package: what a municipality hands over when a person moves to another.

Source: SKR, Processkartläggning del 2 (2022-03-11), Tabell 7 "Övriga informationsmängder",
row "Information mellan kommuner" (provider: "Eventuellt hanteras via SDK"):

    Kommunerna har ofta olika verksamhetssystem som inte kan dela information mellan
    varandra. Av intresse med förbättrad överlämning av information kring individ vid
    flytt mellan kommuner. Exempel: En arbetskonsulent berättade om en situation där
    kommunen fått ett antal extratjänstplatser. Innan extratjänsten startade flyttade en
    av de antagna klienterna till annan kommun utan att meddela detta vilket ledde till
    att kommunen blev av med en extratjänstplats som kunde gått till en annan klient.

A :class:`HandoverPackage` carries the minimum the receiving municipality needs to go on,
under its own version number (:data:`HANDOVER_VERSION`, independent of the case
document's):

- the person's identity number (the receiver must know whom the package is about: it
  prints masked in every repr, log and error; the wire form carries it, as a message about
  one person over Säker digital kommunikation (SDK) does);
- the municipal interventions that are **active** on the day of the handover and those
  **planned** (planned placements such as an extratjänst place, the report's example: the
  sending municipality loses the place, the receiver learns that it was planned);
- the person's **consents**, each marked whether it **travels**. None of the consent
  kinds the model knows travels, because each names its recipient: AF's consent lets AF
  disclose "till kommunen" that asked; the municipal e-service consent lets *this*
  municipality gather facts; the Dua form is for the exchange between AF and the
  municipality of a local Dua agreement. The receiver sees what existed (kind, yes or no,
  validity) and obtains its own;
- the **open KAA entry**: the activity responsibility lies with the home municipality
  (skollagen (2010:800) 29 kap. 9 §, "hemkommunen"), so it passes to the receiver.

:func:`build_handover` builds the package from a :class:`~ssbx_model.Case` through the
access policy for the purpose ``handover`` (:func:`ssbx_model.access.filter_case`): what
the policy withholds (a set, or interventions that reveal a disability) stays out and is
named in :attr:`HandoverPackage.withheld` with the policy's reason. The receiving side
reads the package with the same strict codec as cases (:mod:`ssbx_model.codec.handover`):
every problem with its path, unknown fields refused. How the package travels over SDK is
described in the how-to "Hand a case over to another municipality".
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.access import Policy, default_policy, filter_case
from ssbx_model.case import Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.information._base import AnswerStatus, WithheldField
from ssbx_model.information.consent import Consent
from ssbx_model.information.handover import (
    HANDOVER_VERSION,
    WITHHOLDABLE,
    HandoverConsent,
    HandoverPackage,
    consent_travels,
)
from ssbx_model.information.intervention import InterventionStatus
from ssbx_model.ports import AuditSink, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "HANDOVER_VERSION",
    "WITHHOLDABLE",
    "HandoverConsent",
    "HandoverPackage",
    "build_handover",
    "consent_travels",
]


def _in_force(consent: Consent, on: dt.date) -> bool:
    """Given or refused, a consent whose validity has not ended before ``on`` (a refusal
    has no end and stands until a later consent)."""
    end = consent.validity.end
    return end is None or end >= on


def build_handover(
    case: Case,
    *,
    receiving_municipality: str,
    on: dt.date,
    role: Role = Role.EMPLOYMENT_OFFICER,
    policy: Policy | None = None,
    audit: AuditSink | None = None,
    requester: Requester | None = None,
    pseudonymizer: Pseudonymizer | None = None,
    clock: Clock = utc_now,
) -> HandoverPackage:
    """The handover package of ``case`` to ``receiving_municipality``, prepared on ``on``.

    The case is filtered by the access policy (``policy``, default the shipped one) for
    ``role`` and the purpose ``handover``; with ``audit`` the filtering is recorded like
    any other read (see :func:`ssbx_model.access.filter_case`). Then the package takes:
    the interventions current on ``on`` and the planned ones not over by then; the
    consents (given or refused) whose validity has not ended before ``on``, each with
    whether it travels; the KAA entry when it is open on ``on``. A part the policy
    withheld is named in ``withheld`` with the policy's reason, as are interventions the
    policy left out because they reveal a disability.

    Raises:
        AccessDenied: the policy has no grant for ``role`` and ``handover``.
        ValidationError: e.g. the receiving municipality is the sending one, or its code
            is not four digits (path ``receiving_municipality``).
    """
    filtered = filter_case(
        case,
        role=role,
        purpose=Purpose.HANDOVER,
        on=on,
        policy=policy if policy is not None else default_policy(),
        audit=audit,
        requester=requester,
        pseudonymizer=pseudonymizer,
        clock=clock,
    )
    seen = filtered.case
    withheld: list[WithheldField] = []
    kept = {i.intervention_id for i in seen.interventions}
    if any(i.intervention_id not in kept for i in case.interventions):
        note = "; ".join(filtered.excluded) or "left out by the access policy"
        withheld.append(WithheldField("interventions", note))
    active = tuple(
        i
        for i in seen.interventions
        if i.status is not InterventionStatus.PLANNED and i.is_current(on)
    )
    planned = tuple(
        i
        for i in seen.interventions
        if i.status is InterventionStatus.PLANNED and (i.period.end is None or i.period.end >= on)
    )
    consents: tuple[HandoverConsent, ...] = ()
    answer = seen.consents
    if answer.status is AnswerStatus.WITHHELD:
        withheld.append(WithheldField("consents", answer.reason or "withheld"))
    elif answer.is_known:
        consents = tuple(
            HandoverConsent(c.kind, c.given, c.validity, *consent_travels(c.kind))
            for c in answer.items()
            if _in_force(c, on)
        )
    kaa_entry = None
    register = seen.kaa_register
    if register.status is AnswerStatus.WITHHELD:
        withheld.append(WithheldField("kaa_entry", register.reason or "withheld"))
    elif register.is_known and register.value is not None:
        from ssbx_model.rules.parameters import default as default_parameters

        closing_day = bool(default_parameters().value("kaa.closing_day_in_register", on))
        if register.value.is_open_on(on, closing_day_in_register=closing_day):
            kaa_entry = register.value
    return HandoverPackage(
        package_version=HANDOVER_VERSION,
        person=case.person,
        sending_municipality=case.municipality,
        receiving_municipality=receiving_municipality,
        prepared_on=on,
        active_interventions=active,
        planned_interventions=planned,
        consents=consents,
        kaa_entry=kaa_entry,
        withheld=tuple(withheld),
    )
