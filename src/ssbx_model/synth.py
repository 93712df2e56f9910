"""A synthetic municipality: realistic, fictitious cases for demos, tests and benchmarks.

``generate(persons=N, seed=S, on=date)`` builds the people of one municipality whose mix
looks like the seeds describe it:

* a KAA register of young people under 20, many of whom actually study, work or attend an
  introduction programme (the IKE data-quality problem: Trelleborgs kommun,
  arbetsmarknadsnämnden, "Systemfel avseende datahantering inom det kommunala
  aktivitetsansvaret"), and some still open past their 20th birthday;
* young people in Dua category 15 with municipal interventions (praktik, coaching, ...),
  some with a summer job or a missing end date (which INUK must reject);
* young adults for the UVAS follow-up, with yearly income, student finance and SFI hours;
* adults on social assistance with AF programs and activities, activity support withdrawn
  for the reasons of the report's table 3, consents that expire, planned municipal
  interventions (some colliding with AF's planning) at employers with and without
  payment remarks, disability codes, SIUS.

The output is deterministic for a given ``(persons, seed, on, municipality)`` and never
reads the clock. **Identity numbers are fictitious**: every personnummer and
samordningsnummer uses a birth number (serial) in 980-999, the range of Skatteverket's
published test numbers, so that the data cannot be mistaken for real people. Vendors
should still treat the output as test data only. Organisation numbers are random valid
numbers of legal persons (public, not personal data).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import attrs
from stdnum import luhn

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information import (
    Activity,
    ActivityReport,
    ActivitySupport,
    ActivitySupportWithdrawal,
    AnnualIncome,
    Answer,
    ApplicantCategorySpell,
    Consent,
    ConsentChannel,
    ConsentKind,
    Consultation,
    ContactDetails,
    Deregistration,
    DisabilityCode,
    EmployerCheck,
    EmploymentEvidence,
    Enrolment,
    IncomeSupportDecision,
    InterventionConsultation,
    InterventionStatus,
    JobGuaranteeDays,
    KaaEntryReason,
    KaaRegisterEntry,
    MeasureAnswer,
    MunicipalIntervention,
    Owner,
    PaymentRemark,
    Permit,
    PlanningMeeting,
    ProgramDecision,
    ProgrammeKind,
    Provenance,
    Provider,
    Schooling,
    SfiHours,
    SiusSupport,
    StudentFinance,
    StudyEvidence,
    UnemploymentFundMembership,
    UpperSecondaryEnrolment,
)
from ssbx_model.information.consultation import SKAT15_ASSESSMENT
from ssbx_model.purpose import Purpose

__all__ = ["TEST_SERIALS", "SyntheticMunicipality", "generate"]

#: Birth numbers used for every fictitious identity number (Skatteverket's test range).
TEST_SERIALS = range(980, 1000)

#: The municipality's own activity names, their intervention type and INUK category.
LOCAL_ACTIVITIES: dict[str, tuple[str, str]] = {
    "Jobbtorget praktik": ("praktik", "praktik"),
    "Verkstaden arbetsträning": ("arbetstraning", "arbetstraning"),
    "Kompassen coachning": ("coachning", "coachning"),
    "Vägledning Ung": ("vagledning", "vagledning"),
    "Studiestart motiverande kurs": ("motiverande", "studier"),
    "Förberedande kartläggning": ("forberedande", "kartlaggning"),
    "Kommunal visstidsanställning": ("kommunal-anstallning", "anstallning-med-stod"),
    "Feriejobb": ("feriejobb", "ovrigt"),
}

_AF = "Arbetsförmedlingen"
_WITHDRAWAL_REASONS = (
    "activity-report-late",
    "missed-meetings",
    "unavailable-for-calls",
    "absent-from-activities",
    "not-applying-assigned",
    "not-seeking-work",
)
_EMPLOYERS = (
    "Bygg & Montage i Trelleborg AB",
    "Kustens Fastighetsservice AB",
    "Söderslätts Café HB",
    "Hamnens Logistik AB",
    "Gröna Gårdar Ekonomisk förening",
    "Ica Nära Centrum AB",
    "Trelleborgs Bilverkstad AB",
    "Omsorgshuset Ideell förening",
)


@attrs.frozen
class SyntheticMunicipality:
    """The generated municipality: its cases and the activity-name mapping for INUK."""

    municipality: str
    on: dt.date
    seed: int
    cases: tuple[Case, ...]
    inuk_mapping: dict[str, str]
    profiles: dict[str, int]


def _org_number(rng: random.Random) -> Organisationsnummer:
    # Group 5 (aktiebolag); the third digit is at least 2 for every legal person.
    body = "55" + str(rng.randint(2, 9)) + "".join(str(rng.randrange(10)) for _ in range(6))
    return Organisationsnummer.parse(body + luhn.calc_check_digit(body))


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


class _Builder:
    """Draws one person after another from a seeded generator."""

    def __init__(self, seed: int, on: dt.date, municipality: str) -> None:
        self.rng = random.Random(seed)
        self.on = on
        self.municipality = municipality
        self.used: set[tuple[dt.date, int, bool]] = set()
        fetched = dt.datetime.combine(on, dt.time(7, 30), tzinfo=dt.UTC)
        self.af = Provenance(_AF, "ssbtx-af-1.0", fetched)
        self.municipal = Provenance(f"kommun {municipality}", "local-1.0", fetched)
        self.employers = [(name, _org_number(self.rng)) for name in _EMPLOYERS]
        # Two of the eight employers have problems an employer check must catch.
        self.employer_checks = {
            org: self._employer_check(i, org) for i, (_, org) in enumerate(self.employers)
        }

    # -- helpers ---------------------------------------------------------------------
    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def person(
        self, age_min: int, age_max: int, *, coordination: bool = False
    ) -> Personnummer | Samordningsnummer:
        latest = _shift_years(self.on, -age_min)
        earliest = _shift_years(self.on, -(age_max + 1)) + dt.timedelta(days=1)
        for _ in range(1000):
            birth = self.day_between(earliest, latest)
            serial = self.rng.choice(TEST_SERIALS)
            key = (birth, serial, coordination)
            if key in self.used:
                continue
            self.used.add(key)
            kind = Samordningsnummer if coordination else Personnummer
            return kind.from_birth_date(birth, serial)
        raise RuntimeError("could not draw a unique fictitious identity number")

    def provider(self, municipal: bool = True) -> Provider:
        if municipal and self.rng.random() < 0.5:
            return Provider(
                f"Arbetsmarknadsenheten, kommun {self.municipality}",
                contact=ContactDetails(phone="0410-73 30 00"),
            )
        name, org = self.rng.choice(self.employers)
        return Provider(name, org)

    def _employer_check(self, index: int, org: Organisationsnummer) -> EmployerCheck:
        checked = self.on - dt.timedelta(days=10)
        remarks: tuple[PaymentRemark, ...] = ()
        tax_debt = 0
        ban = False
        if index == 1:
            remarks = (PaymentRemark(checked - dt.timedelta(days=200), 48_500, "skuldsaldo"),)
        if index == 4:
            tax_debt = 112_000
        if index == 6:
            ban = True
        return EmployerCheck(
            organisation_number=org,
            checked_on=checked,
            registered_on=dt.date(2001 + index, 3, 1),
            owners=(Owner("Ägare " + str(index + 1), 100, True, ban),),
            turnover_sek=1_500_000 + index * 250_000,
            employees=3 + index * 4,
            employer_contributions_paid=index != 4,
            tax_account_in_order=index != 4,
            payment_remarks=remarks,
            trading_ban=ban,
            tax_debt_at_kronofogden_sek=tax_debt,
        )

    def consent(self, kind: ConsentKind, start: dt.date, months: int = 6) -> Consent:
        end = _shift_years(start, 0) + dt.timedelta(days=round(months * 30.4))
        scope = (
            (Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET)
            if self.rng.random() < 0.6
            else (Purpose.SOCIAL_ASSISTANCE,)
        )
        channel = self.rng.choice(list(ConsentChannel))
        return Consent(
            kind=kind,
            given=True,
            scope=scope,
            validity=Period(start, end),
            channel=channel,
            registered_on=start,
            confirmed=channel is not ConsentChannel.POST_TO_AF_ARCHIVE,
        )

    def enrolment(
        self, registered: dt.date, category: str, *, deregistered: bool = False
    ) -> Enrolment:
        extent = Extent(self.rng.choice((50, 75, 100, 100, 100)))
        if deregistered:
            out = self.day_between(registered, self.on - dt.timedelta(days=1))
            reason = self.rng.choice(
                ("repeated-warnings", "no-answer-continued-registration", "own-request", "got-job")
            )
            spell = ApplicantCategorySpell(
                category, "öppet arbetslös", extent, Period(registered, out)
            )
            return Enrolment(registered, (spell,), Deregistration(out, reason))
        spell = ApplicantCategorySpell(category, "öppet arbetslös", extent, Period(registered))
        return Enrolment(registered, (spell,))

    def intervention(
        self,
        index: int,
        start: dt.date,
        *,
        name: str | None = None,
        status: InterventionStatus | None = None,
        end_missing: bool = False,
        extent: int | None = None,
    ) -> MunicipalIntervention:
        local = name or self.rng.choice([n for n in LOCAL_ACTIVITIES if n != "Feriejobb"])
        kind, inuk = LOCAL_ACTIVITIES[local]
        length = self.rng.choice((28, 56, 90, 120, 180))
        end = None if end_missing else start + dt.timedelta(days=length)
        if status is None:
            if start > self.on:
                status = InterventionStatus.PLANNED
            elif end is not None and end < self.on:
                status = InterventionStatus.ENDED
            else:
                status = InterventionStatus.ONGOING
        changed = dt.datetime.combine(start - dt.timedelta(days=3), dt.time(9), tzinfo=dt.UTC)
        return MunicipalIntervention(
            intervention_id=f"I{index:03d}",
            local_name=local,
            intervention_type=kind,
            period=Period(start, end),
            extent=Extent(extent or self.rng.choice((25, 50, 50, 75, 100))),
            provider=self.provider(),
            status=status,
            inuk_category=inuk,
            changed_at=changed,
        )

    # -- profiles --------------------------------------------------------------------
    def kaa_youth(self) -> Case:
        """A young person in the KAA register; about half actually study or work."""
        rng, on = self.rng, self.on
        stale = rng.random() < 0.08  # still open past the 20th birthday (IKE)
        person = self.person(20, 20) if stale else self.person(16, 19)
        left = _shift_years(person.birth_date, 16).replace(month=6, day=15)
        reason = rng.choice(list(KaaEntryReason)[:3])
        entered = max(left, on - dt.timedelta(days=rng.randint(30, 700)))
        entered = min(entered, on - dt.timedelta(days=5))
        contacted = entered + dt.timedelta(days=rng.randint(1, 20)) if rng.random() < 0.8 else None
        upper: tuple[UpperSecondaryEnrolment, ...] = ()
        studies: Answer[tuple[StudyEvidence, ...]] = Answer.absent(self.municipal)
        employment: Answer[tuple[EmploymentEvidence, ...]] = Answer.absent(self.municipal)
        roll = rng.random()
        if roll < 0.25:  # studies full time, e.g. at a folkhögskola: flagged for review
            studies = Answer.known(
                (
                    StudyEvidence(
                        Period(entered + dt.timedelta(days=20), None),
                        "CSN",
                        "Folkhögskolan",
                        Extent(100),
                    ),
                ),
                self.municipal,
            )
        elif roll < 0.4:  # supports themself by work: still covered, counted as needing support
            employment = Answer.known(
                (
                    EmploymentEvidence(
                        Period(entered + dt.timedelta(days=10), None),
                        "Skatteverket AGI",
                        self.rng.choice(self.employers)[1],
                        Extent(100),
                    ),
                ),
                self.municipal,
            )
        elif roll < 0.5:  # on an introduction programme: outside KAA since 1 July 2018
            upper = (
                UpperSecondaryEnrolment(ProgrammeKind.INTRODUCTION, Period(entered, None), "IMA"),
            )
        schooling = Schooling(
            compulsory_school_completed=True,
            source="skolhuvudman",
            upper_secondary=upper,
            compulsory_school_left_on=left,
        )
        interventions: tuple[MunicipalIntervention, ...] = ()
        if contacted is not None and rng.random() < 0.5:
            interventions = (self.intervention(1, contacted + dt.timedelta(days=7)),)
        return Case(
            person=person,
            municipality=self.municipality,
            schooling=Answer.known(schooling, self.municipal),
            studies=studies,
            employment=employment,
            kaa_register=Answer.known(KaaRegisterEntry(entered, reason, contacted), self.municipal),
            interventions=interventions,
        )

    def category15(self) -> Case:
        """A young person in Dua category 15 with municipal interventions."""
        rng, on = self.rng, self.on
        person = self.person(16, 24)
        consulted = on - dt.timedelta(days=rng.randint(20, 150))
        registered = consulted - dt.timedelta(days=rng.randint(0, 60))
        consent = self.consent(ConsentKind.DUA_INFORMATION_EXCHANGE, consulted, 12)
        af_consent = self.consent(ConsentKind.AF_DISCLOSURE, consulted, 6)
        interventions = [self.intervention(1, consulted + dt.timedelta(days=14))]
        if rng.random() < 0.5:
            interventions.append(
                self.intervention(2, on.replace(day=1), end_missing=rng.random() < 0.2)
            )
        if rng.random() < 0.15:
            summer = (
                on.replace(month=6, day=20)
                if on.month > 6
                else _shift_years(on.replace(month=6, day=20), -1)
            )
            interventions.append(self.intervention(3, summer, name="Feriejobb"))
        return Case(
            person=person,
            municipality=self.municipality,
            enrolment=Answer.known(self.enrolment(registered, "15"), self.af),
            consents=Answer.known((consent, af_consent), self.af),
            program_decisions=Answer.absent(self.af),
            planning_meetings=Answer.known(
                (PlanningMeeting(consulted, "three-party", ("den unge", "AF", "kommunen")),),
                self.af,
            ),
            schooling=Answer.known(Schooling(True, "skolhuvudman"), self.municipal),
            # CSN's service sometimes fails to answer: the assessment waits for it.
            studies=Answer.unavailable("CSN:s tjänst svarade inte (timeout)", self.municipal)
            if rng.random() < 0.06
            else Answer.absent(self.municipal),
            employment=Answer.absent(self.municipal),
            consultations=Answer.known(
                (
                    Consultation(
                        consulted,
                        SKAT15_ASSESSMENT,
                        ("AF", f"kommun {self.municipality}"),
                        True,
                    ),
                ),
                self.municipal,
            ),
            interventions=tuple(interventions),
        )

    def uvas_youth(self) -> Case:
        """A young adult with the yearly facts the UVAS definition reads."""
        rng, on = self.rng, self.on
        person = self.person(16, 29, coordination=rng.random() < 0.15)
        year = on.year
        income = rng.choice((0, 12_000, 35_000, 62_000, 140_000, 310_000))
        finance = rng.random() < 0.25
        sfi = rng.choice((0, 0, 0, 40, 120)) if isinstance(person, Samordningsnummer) else 0
        studies: Answer[tuple[StudyEvidence, ...]] = Answer.absent(self.municipal)
        if finance:
            studies = Answer.known(
                (
                    StudyEvidence(
                        Period(dt.date(year, 1, 15), dt.date(year, 6, 10)), "CSN", "Komvux"
                    ),
                ),
                self.municipal,
            )
        return Case(
            person=person,
            municipality=self.municipality,
            income=Answer.known((AnnualIncome(year, income, "Skatteverket"),), self.municipal),
            student_finance=Answer.known(
                (StudentFinance(year, finance, 11_000 if finance else None),), self.municipal
            ),
            sfi_hours=Answer.known((SfiHours(year, sfi),), self.municipal)
            if isinstance(person, Samordningsnummer)
            else Answer.absent(self.municipal),
            studies=studies,
            employment=Answer.absent(self.municipal),
        )

    def adult(self) -> Case:
        """An adult on social assistance with AF programs and a planned municipal intervention."""
        rng, on = self.rng, self.on
        coordination = rng.random() < 0.1
        person = self.person(25, 63, coordination=coordination)
        registered = on - dt.timedelta(days=rng.randint(90, 1400))
        deregistered = rng.random() < 0.08
        enrolment = self.enrolment(
            registered, rng.choice(("11", "11", "14", "68")), deregistered=deregistered
        )
        program_start = max(registered, on - dt.timedelta(days=rng.randint(30, 300)))
        # Newly arrived people (a samordningsnummer here) are often in the establishment
        # programme (etableringsprogrammet), one route to an extratjänst.
        programs = ("JOB", "KROM", "AUB", "PRAKTIK", "FI") + (
            ("ETABL",) * 3 if coordination else ()
        )
        program = rng.choice(programs)
        decision_end = program_start + dt.timedelta(days=rng.choice((90, 180, 365)))
        activity_extent = rng.choice((25, 50, 50, 75, 100))
        activities = (
            Activity(
                "Arbetsmarknadsutbildning" if program == "AUB" else "Jobbsökaraktiviteter",
                Period(program_start, decision_end),
                Extent(activity_extent),
                ("delta enligt schema", "lämna aktivitetsrapport senast den 14:e"),
            ),
        )
        decisions = (
            ProgramDecision(
                f"PB-{rng.randint(100000, 999999)}",
                program,
                program_start,
                Period(program_start, decision_end),
                Extent(100),
                activities,
            ),
        )
        support = ActivitySupport("activity-support", program_start)
        if rng.random() < 0.3:
            withdrawn = self.day_between(program_start, min(on, decision_end))
            support = ActivitySupport(
                "activity-support",
                program_start,
                ActivitySupportWithdrawal(withdrawn, rng.choice(_WITHDRAWAL_REASONS)),
            )
        month_start = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        report = ActivityReport(
            Period(month_start, on.replace(day=1) - dt.timedelta(days=1)),
            rng.randint(0, 12),
            on.replace(day=min(on.day, 12)) if on.day > 1 else None,
            rng.random() < 0.85 if on.day > 1 else None,
        )
        reports: Answer[tuple[ActivityReport, ...]] = Answer.known((report,), self.af)
        if rng.random() < 0.03:
            reports = Answer.unavailable("AF:s tjänst svarade inte (timeout)", self.af)
        # Consents: some expire soon, some have expired.
        consent_start = on - dt.timedelta(days=rng.choice((20, 90, 170, 200)))
        consents = (self.consent(ConsentKind.AF_DISCLOSURE, consent_start, 6),)
        planned_start = on + dt.timedelta(days=rng.randint(7, 40))
        planned = self.intervention(
            1,
            planned_start,
            status=InterventionStatus.PLANNED,
            extent=rng.choice((25, 50, 50, 75)),
        )
        income_support, consultations = self.social_assistance(planned)
        provider_org = planned.provider.organisation_number
        checks: Answer[tuple[EmployerCheck, ...]] = Answer.absent(self.municipal)
        if provider_org is not None and provider_org in self.employer_checks:
            checks = Answer.known((self.employer_checks[provider_org],), self.municipal)
        disabilities: Answer[tuple[DisabilityCode, ...]] = Answer.absent(self.af)
        sius: Answer[tuple[SiusSupport, ...]] = Answer.absent(self.af)
        if rng.random() < 0.12:
            count = rng.choice((1, 2, 3, 3))
            codes = rng.sample(
                ("mobility", "mental", "specific-cognitive", "hearing", "heart-lung"), count
            )
            disabilities = Answer.known(
                tuple(
                    DisabilityCode(
                        c, registered + dt.timedelta(days=30), "Arbetsförmedlingen, Rehab"
                    )
                    for c in codes
                ),
                self.af,
            )
            if count >= 3:
                sius = Answer.known(
                    (
                        SiusSupport(
                            True,
                            Period(on - dt.timedelta(days=60), on + dt.timedelta(days=120)),
                            on,
                            "SIUS-konsulent",
                            _AF,
                        ),
                    ),
                    self.af,
                )
        permits: Answer[tuple[Permit, ...]] = Answer.not_found(self.municipal)
        if coordination:
            permits = Answer.known(
                (
                    Permit(
                        "uppehållstillstånd",
                        Period(registered - dt.timedelta(days=200), on + dt.timedelta(days=500)),
                        True,
                    ),
                ),
                self.municipal,
            )
        return Case(
            person=person,
            municipality=self.municipality,
            reference=f"EB-{rng.randint(10000, 99999)}",
            enrolment=Answer.known(enrolment, self.af),
            consents=Answer.known(consents, self.af),
            program_decisions=Answer.known(decisions, self.af),
            activity_supports=Answer.known((support,), self.af),
            activity_reports=reports,
            planning_meetings=Answer.known(
                (
                    PlanningMeeting(
                        on + dt.timedelta(days=rng.randint(3, 30)),
                        rng.choice(("follow-up", "first")),
                        ("den sökande", "AF"),
                    ),
                ),
                self.af,
            ),
            disability_codes=disabilities,
            sius=sius,
            employer_checks=checks,
            unemployment_fund=Answer.known(
                UnemploymentFundMembership(rng.random() < 0.4, True)
                if rng.random() < 0.7
                else UnemploymentFundMembership(True, True, "Kommunals a-kassa"),
                self.af,
            ),
            job_guarantee_days=self.job_guarantee_days(program),
            permits=permits,
            income_support=income_support,
            intervention_consultations=consultations,
            interventions=(planned,),
        )

    def job_guarantee_days(self, program: str) -> Answer[JobGuaranteeDays]:
        """Days used in jobb- och utvecklingsgarantin: 450 or more for about a third of
        its participants (the extratjänst threshold); Försäkringskassan's service
        sometimes fails to answer."""
        if self.rng.random() < 0.06:
            return Answer.unavailable("Försäkringskassans tjänst svarade inte (timeout)", self.af)
        if program != "JOB":
            return Answer.absent(self.af)
        return Answer.known(JobGuaranteeDays(self.rng.randint(0, 700), self.on), self.af)

    def social_assistance(
        self, planned: MunicipalIntervention
    ) -> tuple[
        Answer[tuple[IncomeSupportDecision, ...]], Answer[tuple[InterventionConsultation, ...]]
    ]:
        """The municipality's own records for assigning ``planned``: this month's decision
        on försörjningsstöd (most adults receive it; the record of a few is not at hand),
        and the consultation with AF about the intervention (mostly: AF could offer no
        suitable measure; sometimes it could, has not answered yet, or was not asked)."""
        rng, on = self.rng, self.on
        month = Period(on.replace(day=1), _month_end(on))
        roll = rng.random()
        support: Answer[tuple[IncomeSupportDecision, ...]]
        if roll < 0.84:
            decided = on.replace(day=1) - dt.timedelta(days=rng.randint(1, 10))
            decision = IncomeSupportDecision(f"FB-{rng.randint(100000, 999999)}", decided, month)
            support = Answer.known((decision,), self.municipal)
        elif roll < 0.94:
            support = Answer.absent(self.municipal)
        else:
            support = Answer.unavailable("verksamhetssystemet svarade inte", self.municipal)
        held = on - dt.timedelta(days=rng.randint(3, 30))
        answered = min(on, held + dt.timedelta(days=rng.randint(0, 2)))
        roll = rng.random()
        consultation: InterventionConsultation | None
        if roll < 0.62:
            consultation = InterventionConsultation(
                planned.intervention_id, held, MeasureAnswer.NO_SUITABLE_MEASURE, answered
            )
        elif roll < 0.74:
            consultation = InterventionConsultation(
                planned.intervention_id, held, MeasureAnswer.MEASURE_OFFERED, answered
            )
        elif roll < 0.86:
            consultation = InterventionConsultation(
                planned.intervention_id, held, MeasureAnswer.NOT_ANSWERED
            )
        else:
            consultation = None
        consulted: Answer[tuple[InterventionConsultation, ...]] = (
            Answer.known((consultation,), self.municipal)
            if consultation is not None
            else Answer.absent(self.municipal)
        )
        return support, consulted


_PROFILES: tuple[tuple[str, float, Callable[[_Builder], Case]], ...] = (
    ("kaa", 0.30, _Builder.kaa_youth),
    ("category-15", 0.18, _Builder.category15),
    ("uvas", 0.12, _Builder.uvas_youth),
    ("social-assistance", 0.40, _Builder.adult),
)


def generate(
    *, persons: int, seed: int, on: dt.date, municipality: str = "1287"
) -> SyntheticMunicipality:
    """Generate ``persons`` fictitious people of one municipality as of ``on``.

    Deterministic for the same arguments. ``municipality`` defaults to 1287 (Trelleborg,
    whose KAA work the seeds describe).
    """
    if persons < 0:
        raise ValueError("persons must not be negative")
    builder = _Builder(seed, on, municipality)
    counts = {name: int(persons * share) for name, share, _ in _PROFILES}
    counts[_PROFILES[-1][0]] += persons - sum(counts.values())
    cases: list[Case] = []
    for name, _, make in _PROFILES:
        cases.extend(make(builder) for _ in range(counts[name]))
    builder.rng.shuffle(cases)
    mapping = {local: inuk for local, (_, inuk) in LOCAL_ACTIVITIES.items()}
    return SyntheticMunicipality(municipality, on, seed, tuple(cases), mapping, counts)
