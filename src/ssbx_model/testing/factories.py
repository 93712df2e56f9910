"""Small, deterministic builders of valid model values for example-based tests.

Where :mod:`ssbx_model.testing.strategies` explores, these write one readable case::

    from datetime import date
    from ssbx_model.testing import factories as f

    case = f.young_person_case(on=date(2024, 3, 15), age=19, applicant_category="15")
    case.enrolment.value.applicant_category_on(date(2024, 3, 15))   # '15'

Every builder takes the dates it needs as arguments (never the wall clock) and keyword
options with sensible defaults; anything not given is the plainest valid choice. Identity
numbers use the serials 980-999, which the synthetic data of this library also uses for
fictitious people.

Builders of something that lasts take ``when``: a :class:`~ssbx_model.calendar.Period`
used as it is, or a start date from which the builder's ``days`` (or ``months``) run;
``days=None`` (``months=None``) makes the period open-ended. The rule data cases of
:mod:`ssbx_model.rules.testcases` are built with these same builders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information import (
    Activity,
    AnnualIncome,
    Answer,
    ApplicantCategorySpell,
    Consent,
    ConsentChannel,
    ConsentKind,
    Consultation,
    Deregistration,
    DisabilityCode,
    EmployerCheck,
    EmploymentEvidence,
    Enrolment,
    IncomeSupportDecision,
    InterventionConsultation,
    InterventionStatus,
    JobGuaranteeDays,
    KaaContact,
    KaaEntryReason,
    KaaRegisterEntry,
    MeasureAnswer,
    MunicipalIntervention,
    Owner,
    PaymentRemark,
    PaymentRemarkAssessment,
    ProgramDecision,
    ProgrammeKind,
    ProgramSpell,
    Provenance,
    Provider,
    Schooling,
    SfiHours,
    SiusSupport,
    StudentFinance,
    StudyEvidence,
    UnionApproval,
    UpperSecondaryEnrolment,
)
from ssbx_model.information.consultation import SKAT15_ASSESSMENT
from ssbx_model.purpose import Purpose

__all__ = [
    "activity",
    "annual_income",
    "consent",
    "consultation",
    "disability_code",
    "employer_check",
    "employment_evidence",
    "enrolment",
    "income_support_decision",
    "intervention_consultation",
    "job_guarantee_days",
    "kaa_register_entry",
    "municipal_intervention",
    "owner",
    "payment_remark",
    "person",
    "person_born",
    "program_decision",
    "program_spell",
    "provenance",
    "schooling",
    "sfi_hours",
    "sius_support",
    "student_finance",
    "study_evidence",
    "union_approval",
    "upper_secondary",
    "young_person_case",
]

_AF = "Arbetsförmedlingen"
_MUNICIPAL_UNIT = "Kommunens arbetsmarknadsenhet"


def _period(when: dt.date | Period, days: int | None) -> Period:
    """``when`` itself, or ``days`` days from the start ``when`` (open when None)."""
    if isinstance(when, Period):
        return when
    return Period(when, None if days is None else when + dt.timedelta(days=days - 1))


def person(*, age: int, on: dt.date, serial: int = 982) -> Personnummer:
    """A fictitious personnummer of someone ``age`` years old on ``on`` (born on the same
    day and month as ``on``, ``age`` years earlier; 1 March for 29 February)."""
    born = on - relativedelta(years=age)
    return Personnummer.from_birth_date(born, serial)


def person_born(
    born: dt.date, *, serial: int = 982, coordination_number: bool = False
) -> Personnummer | Samordningsnummer:
    """A fictitious personnummer (or, with ``coordination_number``, samordningsnummer)
    of someone born on ``born``, with the three-digit ``serial`` (0-999)."""
    kind = Samordningsnummer if coordination_number else Personnummer
    return kind.from_birth_date(born, serial)


def provenance(on: dt.date, provider: str = _AF, schema_version: str = "1.0") -> Provenance:
    """A provenance fetched at 09:00 UTC on ``on``."""
    fetched = dt.datetime.combine(on, dt.time(9, 0), dt.UTC)
    return Provenance(provider, schema_version, fetched)


# -- Arbetsförmedlingen: enrolment, consents, consultations, programs --------------------


def enrolment(
    registered_on: dt.date,
    *,
    applicant_category: str = "11",
    enrolment_type: str = "öppet arbetslös",
    extent: int = 100,
    deregistered_on: dt.date | None = None,
    deregistration_reason: str = "own-request",
) -> Enrolment:
    """An enrolment (inskrivning) with one spell from ``registered_on``, open unless
    deregistered (``deregistered_on`` is the deregistration date and the spell's last day)."""
    end = deregistered_on
    spell = ApplicantCategorySpell(
        applicant_category, enrolment_type, Extent(extent), Period(registered_on, end)
    )
    deregistration = (
        Deregistration(deregistered_on, deregistration_reason)
        if deregistered_on is not None
        else None
    )
    return Enrolment(registered_on, (spell,), deregistration)


def consent(
    given_on: dt.date,
    *,
    kind: ConsentKind = ConsentKind.AF_DISCLOSURE,
    months: int | None = 6,
    end: dt.date | None = None,
    scope: tuple[Purpose, ...] = (Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET),
    given: bool = True,
    channel: ConsentChannel | None = None,
    registered: bool = True,
    registered_on: dt.date | None = None,
    reference: str | None = None,
    withdraws: str | None = None,
) -> Consent:
    """A consent (samtycke) valid ``months`` months from ``given_on`` (usually 6; None:
    no end stated), or up to and including ``end`` when that is given; with
    ``given=False`` a refusal (or, with ``withdraws``, a withdrawal) made that day, which
    has no end.

    ``channel`` defaults to the kind's usual one (post to AF's archive, the e-service, in
    person for Dua). The consent is registered on ``registered_on`` (default
    ``given_on``), or not registered at all with ``registered=False``. ``reference`` names
    the consent, ``withdraws`` the reference of a consent it withdraws.
    """
    if channel is None:
        channel = {
            ConsentKind.AF_DISCLOSURE: ConsentChannel.POST_TO_AF_ARCHIVE,
            ConsentKind.MUNICIPAL_E_SERVICE: ConsentChannel.E_SERVICE,
            ConsentKind.DUA_INFORMATION_EXCHANGE: ConsentChannel.IN_PERSON,
        }[kind]
    last = end
    if last is None and given and months is not None:
        last = given_on + relativedelta(months=months) - dt.timedelta(days=1)
    registration = (registered_on or given_on) if registered else None
    return Consent(
        kind,
        given,
        scope,
        Period(given_on, last),
        channel,
        registered_on=registration,
        reference=reference,
        withdraws=withdraws,
    )


def consultation(
    held_on: dt.date,
    *,
    topic: str = SKAT15_ASSESSMENT,
    parties: tuple[str, ...] = (_AF, "kommunen"),
    three_party: bool = False,
) -> Consultation:
    """A consultation (samråd) between AF and the municipality held on ``held_on``;
    ``topic`` is a ``consultation-topic`` code (default: the category-15 assessment)."""
    return Consultation(held_on, topic, parties, three_party)


def activity(
    when: dt.date | Period,
    *,
    name: str = "aktivitet",
    days: int = 90,
    extent: int = 100,
    requirements: tuple[str, ...] = (),
) -> Activity:
    """An activity of a program decision over ``when`` (a closed period, or ``days`` days
    from a start date), ``extent`` percent of full time."""
    return Activity(name, _period(when, days), Extent(extent), requirements)


def program_decision(
    start: dt.date | Period,
    *,
    program: str = "PRAKTIK",
    days: int | None = 90,
    extent: int = 100,
    activity_extent: int | None = None,
    decision_id: str = "PB-1",
    decided_on: dt.date | None = None,
    activities: Sequence[Activity] | None = None,
) -> ProgramDecision:
    """A program decision (programbeslut) over ``start`` (a period, or ``days`` days from
    a start date; ``days=None``: open-ended), decided on ``decided_on`` (default: the
    start). Without ``activities`` it has one activity filling a closed period, at
    ``activity_extent`` (default ``extent``); ``activities=()`` gives none."""
    period = _period(start, days)
    if activities is None:
        filled = Activity(
            "Arbetspraktik" if program == "PRAKTIK" else "Jobbsökaraktivitet",
            period,
            Extent(activity_extent if activity_extent is not None else extent),
            ("Delta i alla schemalagda aktiviteter",),
        )
        activities = (filled,)
    return ProgramDecision(
        decision_id,
        program,
        decided_on or period.start,
        period,
        Extent(extent),
        tuple(activities),
    )


def disability_code(
    registered_on: dt.date, *, code: str = "mobility", organisation: str = _AF
) -> DisabilityCode:
    """A disability code (funktionshinderkod) registered on ``registered_on``; ``code`` is
    a ``disability-code`` code."""
    return DisabilityCode(code, registered_on, organisation)


def sius_support(
    when: dt.date | Period,
    *,
    as_of: dt.date,
    days: int | None = 90,
    name: str | None = None,
    organisation: str | None = None,
) -> SiusSupport:
    """SIUS support over ``when`` as known on ``as_of``: active when the period contains
    ``as_of``."""
    period = _period(when, days)
    return SiusSupport(period.contains(as_of), period, as_of, name, organisation)


def program_spell(
    when: dt.date | Period, *, program: str = "JOB", days: int | None = None
) -> ProgramSpell:
    """One spell in a program's history (default: jobb- och utvecklingsgarantin)."""
    return ProgramSpell(program, _period(when, days))


def job_guarantee_days(
    days: int, *, as_of: dt.date, history: Sequence[ProgramSpell] = ()
) -> JobGuaranteeDays:
    """The days used in jobb- och utvecklingsgarantin as counted on ``as_of``."""
    return JobGuaranteeDays(days, as_of, tuple(history))


# -- employers -------------------------------------------------------------------------------


def owner(
    name: str = "Ägare",
    *,
    significant_influence: bool = True,
    trading_ban: bool | None = None,
    share_percent: int | None = None,
) -> Owner:
    """An owner of an employer; ``trading_ban`` None: not checked."""
    return Owner(name, share_percent, significant_influence, trading_ban)


def payment_remark(
    registered_on: dt.date,
    amount_sek: int,
    *,
    kind: str = "skuld",
    assessment: PaymentRemarkAssessment = PaymentRemarkAssessment.NOT_ASSESSED,
) -> PaymentRemark:
    """A payment remark (betalningsanmärkning) with AF's assessment (default: not made)."""
    return PaymentRemark(registered_on, amount_sek, kind, assessment)


def union_approval(
    signed_on: dt.date, *, approved: bool = True, union: str = "Kommunal"
) -> UnionApproval:
    """A union's approval of a placement (facklig godkännande), signed on ``signed_on``."""
    return UnionApproval(approved, union, signed_on)


def employer_check(
    organisation_number: Organisationsnummer | str,
    *,
    checked_on: dt.date,
    owners: Sequence[Owner] = (),
    payment_remarks: Sequence[PaymentRemark] | None = None,
    trading_ban: bool | None = None,
    tax_debt_sek: int | None = None,
    union_approval: UnionApproval | None = None,
) -> EmployerCheck:
    """An employer check (arbetsgivarkontroll) made on ``checked_on``. What is left out
    (None) is *not checked*; ``payment_remarks=()`` means checked, none found. A text
    organisation number is parsed (a sole trader's personnummer-based one is accepted)."""
    number = (
        organisation_number
        if isinstance(organisation_number, Organisationsnummer)
        else Organisationsnummer.parse(organisation_number, allow_sole_trader=True)
    )
    return EmployerCheck(
        number,
        checked_on,
        owners=tuple(owners),
        payment_remarks=None if payment_remarks is None else tuple(payment_remarks),
        trading_ban=trading_ban,
        tax_debt_at_kronofogden_sek=tax_debt_sek,
        union_approval=union_approval,
    )


# -- the municipality: interventions, försörjningsstöd, consultations with AF -------------


def municipal_intervention(
    start: dt.date | Period,
    *,
    on: dt.date | None = None,
    days: int | None = 90,
    intervention_type: str = "arbetstraning",
    local_name: str = "Arbetsträning Verkstan",
    extent: int = 50,
    intervention_id: str = "INS-1",
    inuk_category: str | None = "arbetstraning",
    result: str | None = None,
    status: InterventionStatus | None = None,
    provider: Provider | None = None,
) -> MunicipalIntervention:
    """An intervention of ``days`` days from ``start`` (or over the period ``start``).

    Its ``status`` is given, or (with ``on``) agrees with ``on``: planned before the start,
    ended after the end, else ongoing. ``result`` (an ``intervention-result`` code) is for
    an intervention that ended before ``on``. The provider defaults to the municipality's
    labour-market unit.

    Raises:
        TypeError: if neither ``status`` nor ``on`` is given.
    """
    period = _period(start, days)
    if status is None:
        if on is None:
            raise TypeError("municipal_intervention needs status= or on=")
        if period.start > on:
            status = InterventionStatus.PLANNED
        elif period.end is not None and period.end < on:
            status = InterventionStatus.ENDED
        else:
            status = InterventionStatus.ONGOING
    return MunicipalIntervention(
        intervention_id=intervention_id,
        local_name=local_name,
        intervention_type=intervention_type,
        period=period,
        extent=Extent(extent),
        provider=provider if provider is not None else Provider(_MUNICIPAL_UNIT),
        status=status,
        inuk_category=inuk_category,
        result=result,
    )


def income_support_decision(
    when: dt.date | Period,
    *,
    months: int = 1,
    decision_id: str = "FS1",
    decided_on: dt.date | None = None,
) -> IncomeSupportDecision:
    """A decision granting försörjningsstöd over ``when`` (a period, or ``months`` months
    from a start date), decided on ``decided_on`` (default: the start)."""
    period = (
        when
        if isinstance(when, Period)
        else Period(when, when + relativedelta(months=months) - dt.timedelta(days=1))
    )
    return IncomeSupportDecision(decision_id, decided_on or period.start, period)


def intervention_consultation(
    held_on: dt.date,
    *,
    intervention_id: str = "I1",
    answer: MeasureAnswer = MeasureAnswer.NO_SUITABLE_MEASURE,
    answered_on: dt.date | None = None,
) -> InterventionConsultation:
    """A consultation with AF about the planned intervention ``intervention_id``, held on
    ``held_on``; AF answered on ``answered_on`` (default: the same day), or not yet when
    ``answer`` is ``not-answered``."""
    pending = answer is MeasureAnswer.NOT_ANSWERED
    return InterventionConsultation(
        intervention_id, held_on, answer, answered_on or (None if pending else held_on)
    )


# -- schools, studies, work and money --------------------------------------------------------


def upper_secondary(
    kind: ProgrammeKind,
    when: dt.date | Period,
    *,
    days: int | None = None,
    programme: str | None = None,
) -> UpperSecondaryEnrolment:
    """An upper-secondary enrolment of ``kind`` over ``when`` (open-ended from a start date
    unless ``days`` is given)."""
    return UpperSecondaryEnrolment(kind, _period(when, days), programme)


def schooling(
    *,
    compulsory: bool = True,
    source: str = "skolhuvudmannen",
    upper_secondary: Sequence[UpperSecondaryEnrolment] = (),
    left_on: dt.date | None = None,
    diploma_on: dt.date | None = None,
) -> Schooling:
    """Schooling as the school organiser knows it: compulsory school completed (or not),
    upper-secondary enrolments, the day compulsory school was left, a diploma's date."""
    return Schooling(compulsory, source, tuple(upper_secondary), left_on, diploma_on)


def study_evidence(
    when: dt.date | Period,
    *,
    days: int | None = None,
    source: str = "CSN",
    extent: int | None = None,
) -> StudyEvidence:
    """Evidence of studies over ``when`` (open-ended from a start date unless ``days``)."""
    return StudyEvidence(
        _period(when, days), source, None, None if extent is None else Extent(extent)
    )


def employment_evidence(
    when: dt.date | Period,
    *,
    days: int | None = None,
    source: str = "Skatteverket",
    extent: int | None = None,
) -> EmploymentEvidence:
    """Evidence of work over ``when`` (open-ended from a start date unless ``days``)."""
    return EmploymentEvidence(
        _period(when, days), source, None, None if extent is None else Extent(extent)
    )


def annual_income(year: int, amount_sek: int, *, source: str = "Skatteverket") -> AnnualIncome:
    """Income from work in a calendar year, in SEK."""
    return AnnualIncome(year, amount_sek, source)


def student_finance(
    year: int, *, received: bool = True, amount_sek: int | None = None
) -> StudentFinance:
    """Student finance (studiemedel) in a calendar year: received or not, and how much."""
    return StudentFinance(year, received, amount_sek)


def sfi_hours(year: int, hours: int) -> SfiHours:
    """Hours of Swedish for immigrants (sfi) in a calendar year."""
    return SfiHours(year, hours)


def kaa_register_entry(
    entered_on: dt.date,
    *,
    reason: KaaEntryReason = KaaEntryReason.LEFT_SCHOOL,
    contacted_on: dt.date | None = None,
    closed_on: dt.date | None = None,
    close_reason: str | None = None,
    contacts: tuple[KaaContact, ...] = (),
    occupation: str | None = None,
    occupation_on: dt.date | None = None,
) -> KaaRegisterEntry:
    """An entry in the municipality's KAA register (aktivitetsansvaret) with its follow-up
    (later ``contacts``; ``occupation``, a ``kaa-occupation`` code as known on
    ``occupation_on``); a closed entry's ``close_reason`` defaults to ``"closed"``."""
    if close_reason is None and closed_on is not None:
        close_reason = "closed"
    return KaaRegisterEntry(
        entered_on,
        reason,
        contacted_on,
        closed_on,
        close_reason,
        contacts=contacts,
        occupation=occupation,
        occupation_on=occupation_on,
    )


# -- whole cases -------------------------------------------------------------------------------


def young_person_case(
    *,
    on: dt.date,
    age: int = 19,
    municipality: str = "1287",
    registered_at_af: bool = True,
    applicant_category: str = "15",
    consent_given: bool = True,
    program_decisions: tuple[ProgramDecision, ...] = (),
    interventions: int = 1,
    **answers: Answer[Any],
) -> Case:
    """A young person's case as known on ``on``: registered at AF for 90 days (or not
    found there), a Dua consent given 30 days ago, the given program decisions (absent
    when none) and ``interventions`` ongoing municipal interventions.

    Further answers are passed by Case field name, e.g. ``schooling=Answer.known(...)``.
    """
    af = provenance(on)
    registered = on - dt.timedelta(days=90)
    fields: dict[str, Any] = {
        "enrolment": (
            Answer.known(enrolment(registered, applicant_category=applicant_category), af)
            if registered_at_af
            else Answer.not_found(af)
        ),
        "consents": Answer.known(
            (
                consent(
                    on - dt.timedelta(days=30),
                    kind=ConsentKind.DUA_INFORMATION_EXCHANGE,
                    given=consent_given,
                ),
            ),
            af,
        ),
        "program_decisions": (
            Answer.known(program_decisions, af) if program_decisions else Answer.absent(af)
        ),
    }
    fields.update(answers)
    started = on - dt.timedelta(days=30)
    items = tuple(
        municipal_intervention(started, on=on, intervention_id=f"INS-{i + 1}")
        for i in range(interventions)
    )
    return Case(person(age=age, on=on), municipality, interventions=items, **fields)
