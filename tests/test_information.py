"""The information sets: cross-field invariants with exact paths, strict types, answers."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssbx_model.information as info_pkg
from ssbx_model.calendar import Extent, Period
from ssbx_model.errors import InvalidIdentityNumber, ValidationError
from ssbx_model.identity import Organisationsnummer
from ssbx_model.information import (
    Activity,
    ActivityReport,
    ActivitySupport,
    ActivitySupportLevel,
    ActivitySupportWithdrawal,
    Answer,
    AnswerStatus,
    ApplicantCategorySpell,
    BusinessActivity,
    Consent,
    ConsentChannel,
    ConsentKind,
    Deregistration,
    EmployerCheck,
    Enrolment,
    HousingAllowanceApplication,
    HousingAllowanceDecision,
    IncomeSupportDecision,
    InterventionConsultation,
    JobGuaranteeDays,
    KaaEntryReason,
    KaaRegisterEntry,
    MeasureAnswer,
    MunicipalIntervention,
    Owner,
    PastEnrolment,
    ProgramDecision,
    ProgramSpell,
    Provenance,
    Provider,
    Schooling,
    SiusSupport,
    UnemploymentFundMembership,
)
from ssbx_model.information.intervention import InterventionStatus
from ssbx_model.purpose import Purpose
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 3, 15)
DAY = dt.timedelta(days=1)
WHEN = dt.datetime(2024, 3, 15, 9, 30, tzinfo=dt.UTC)
AF = Provenance("Arbetsförmedlingen", "2.1", WHEN)


def paths_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return list(exc.value.paths)


# ---------------------------------------------------------------------------------------
# Period and extent: the building blocks' own invariants
# ---------------------------------------------------------------------------------------


@given(ss.periods(), st.integers(1, 400))
def test_a_period_ending_before_it_starts_is_refused_at_end(period: Period, back: int) -> None:
    with pytest.raises(ValidationError) as exc:
        Period(period.start, period.start - dt.timedelta(days=back))
    assert paths_of(exc) == ["end"]


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=101)))
def test_an_extent_out_of_range_is_refused_at_percent(percent: int) -> None:
    with pytest.raises(ValidationError) as exc:
        Extent(percent)
    assert paths_of(exc) == ["percent"]


def test_an_extent_is_not_a_bool_or_a_float() -> None:
    for wrong in (True, 50.0, "50"):
        with pytest.raises(ValidationError) as exc:
            Extent(wrong)  # type: ignore[arg-type]
        assert paths_of(exc) == ["percent"]


# ---------------------------------------------------------------------------------------
# Mutations of valid, generated values fail with exactly the right path
# ---------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(ss.program_decisions(ON), st.data())
def test_an_activity_ending_after_its_decision_fails_at_its_end(
    decision: ProgramDecision, data: st.DataObject
) -> None:
    if decision.period.end is None:
        decision = attrs.evolve(decision, period=Period(decision.period.start, ON + DAY * 400))
    assert decision.period.end is not None
    if not decision.activities:
        activity = data.draw(ss.activities(decision.period))
        decision = attrs.evolve(decision, activities=(activity,))
    i = data.draw(st.integers(0, len(decision.activities) - 1))
    late = decision.activities[i]
    end = decision.period.end
    assert end is not None
    late = attrs.evolve(late, period=Period(late.period.start, end + DAY))
    mutated = list(decision.activities)
    mutated[i] = late
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(decision, activities=tuple(mutated))
    assert paths_of(exc) == [f"activities[{i}].period.end"]


@settings(max_examples=40)
@given(ss.program_decisions(ON), st.data())
def test_an_activity_starting_before_its_decision_fails_at_its_start(
    decision: ProgramDecision, data: st.DataObject
) -> None:
    activity = data.draw(ss.activities(decision.period))
    early = attrs.evolve(activity, period=Period(decision.period.start - DAY, activity.period.end))
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(decision, activities=(*decision.activities, early))
    assert paths_of(exc) == [f"activities[{len(decision.activities)}].period.start"]


def test_every_problem_of_a_decision_is_listed_with_its_path() -> None:
    period = Period(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    inside = Activity("Kartläggning", Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31)), Extent(50))
    before = attrs.evolve(inside, period=Period(dt.date(2023, 12, 1), dt.date(2024, 1, 31)))
    after = attrs.evolve(inside, period=Period(dt.date(2024, 2, 1), dt.date(2024, 4, 30)))
    with pytest.raises(ValidationError) as exc:
        ProgramDecision(
            " ", "NO-SUCH", dt.date(2023, 12, 20), period, Extent(100), (inside, before, after)
        )
    assert paths_of(exc) == [
        "decision_id",
        "program",
        "activities[1].period.start",
        "activities[2].period.end",
    ]
    assert "code list 'af-program' version" in str(exc.value)


def test_an_activity_needs_an_end_date() -> None:
    with pytest.raises(ValidationError) as exc:
        Activity("Arbetspraktik", Period(ON, None), Extent(100))
    assert paths_of(exc) == ["period.end"]


@settings(max_examples=40)
@given(ss.activity_supports(ON, withdrawn=True), st.integers(1, 300))
def test_a_withdrawal_before_the_support_started_fails_at_its_date(
    support: ActivitySupport, days: int
) -> None:
    assert support.withdrawal is not None
    early = attrs.evolve(support.withdrawal, on=support.start - dt.timedelta(days=days))
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(support, withdrawal=early)
    assert paths_of(exc) == ["withdrawal.on"]


@settings(max_examples=40)
@given(ss.enrolments(ON), st.integers(1, 300))
def test_a_deregistration_before_the_registration_fails_at_its_date(
    enrolment: Enrolment, days: int
) -> None:
    day = enrolment.registered_on - dt.timedelta(days=days)
    deregistration = Deregistration(day, "own-request")
    # Every spell then also ends after the deregistration: each is named, nothing else.
    expected = ["deregistration.on"] + [
        f"spells[{i}].period.end" for i in range(len(enrolment.spells))
    ]
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(enrolment, deregistration=deregistration)
    assert paths_of(exc) == expected


def test_a_spell_after_the_deregistration_and_overlapping_spells_are_named() -> None:
    start = dt.date(2023, 1, 2)
    first = ApplicantCategorySpell("11", "öppet arbetslös", Extent(100), Period(start, None))
    second = ApplicantCategorySpell(
        "15", "öppet arbetslös", Extent(50), Period(dt.date(2023, 6, 1), dt.date(2023, 12, 31))
    )
    with pytest.raises(ValidationError) as exc:
        Enrolment(
            start,
            (first, second),
            Deregistration(dt.date(2023, 9, 30), "repeated-warnings"),
        )
    assert paths_of(exc) == [
        "spells[0].period.end",
        "spells[1].period.end",
        "spells[1].period.start",
    ]


def test_enrolment_history_is_ordered_and_ends_before_the_enrolment() -> None:
    late = PastEnrolment(Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)), "got-job")
    early = PastEnrolment(Period(dt.date(2019, 1, 1), dt.date(2019, 6, 30)), "own-request")
    overlapping = PastEnrolment(Period(dt.date(2022, 5, 1), dt.date(2023, 2, 1)), "got-job")
    spell = ApplicantCategorySpell(
        "11", "öppet arbetslös", Extent(100), Period(dt.date(2023, 1, 2), None)
    )
    with pytest.raises(ValidationError) as exc:
        Enrolment(dt.date(2023, 1, 2), (spell,), None, (late, early, overlapping))
    assert paths_of(exc) == ["history[1].period.start", "history[2].period.end"]


@settings(max_examples=40)
@given(ss.consents(ON, given=True), st.integers(1, 100))
def test_a_consent_registered_after_its_validity_ended_fails_at_registered_on(
    consent: Consent, days: int
) -> None:
    end = consent.validity.end or consent.validity.start + dt.timedelta(days=182)
    consent = attrs.evolve(consent, validity=Period(consent.validity.start, end))
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(consent, registered_on=end + dt.timedelta(days=days))
    assert paths_of(exc) == ["registered_on"]


def test_a_consent_covers_at_least_one_purpose_once() -> None:
    validity = Period(ON, ON + dt.timedelta(days=182))
    kind, channel = ConsentKind.AF_DISCLOSURE, ConsentChannel.POST_TO_AF_ARCHIVE
    with pytest.raises(ValidationError) as exc:
        Consent(kind, True, (), validity, channel)
    assert paths_of(exc) == ["scope"]
    twice = (Purpose.LABOUR_MARKET, Purpose.LABOUR_MARKET)
    with pytest.raises(ValidationError) as exc:
        Consent(kind, True, twice, validity, channel)
    assert paths_of(exc) == ["scope"]
    consent = Consent(kind, True, (Purpose.LABOUR_MARKET,), validity, channel)
    assert consent.covers(Purpose.LABOUR_MARKET)
    assert not consent.covers(Purpose.SOCIAL_ASSISTANCE)


@settings(max_examples=40)
@given(ss.sius_supports(ON))
def test_a_sius_active_flag_that_disagrees_with_its_period_fails_at_active(
    sius: SiusSupport,
) -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(sius, active=not sius.active)
    assert paths_of(exc) == ["active"]


@settings(max_examples=30)
@given(ss.employer_checks(ON))
def test_an_employer_check_needs_a_real_organisation_number(check: EmployerCheck) -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(check, organisation_number=check.organisation_number.reveal())  # type: ignore[arg-type]
    assert paths_of(exc) == ["organisation_number"]
    assert "must be an Organisationsnummer, not str" in str(exc.value)


def test_organisation_numbers_are_checked_when_parsed() -> None:
    with pytest.raises(InvalidIdentityNumber) as exc:
        Organisationsnummer.parse("556000-0000")
    assert exc.value.reason == "checksum"
    provider = Provider("Jobbcentrum Syd AB", Organisationsnummer.parse("556000-0001"))
    assert provider.organisation_number is not None
    with pytest.raises(ValidationError) as exc2:
        Provider("Jobbcentrum Syd AB", "5560000001")  # type: ignore[arg-type]
    assert exc2.value.paths == ["organisation_number"]


@settings(max_examples=30)
@given(ss.employer_checks(ON))
def test_an_owner_with_a_trading_ban_contradicts_a_clear_check(check: EmployerCheck) -> None:
    banned = Owner("Karin Ström", trading_ban=True)
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(check, trading_ban=False, owners=(banned,))
    assert paths_of(exc) == ["trading_ban"]


def test_owners_shares_cannot_exceed_the_whole_company() -> None:
    owners = (Owner("A AB", share_percent=60), Owner("B AB", share_percent=50))
    with pytest.raises(ValidationError) as exc:
        EmployerCheck(Organisationsnummer.parse("556000-0001"), ON, owners=owners)
    assert paths_of(exc) == ["owners"]


@settings(max_examples=30)
@given(ss.activity_reports(ON))
def test_an_unsubmitted_report_cannot_be_approved(report: ActivityReport) -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(report, submitted_on=None, approved=True)
    assert paths_of(exc) == ["approved"]


def test_an_activity_report_covers_a_closed_period() -> None:
    with pytest.raises(ValidationError) as exc:
        ActivityReport(Period(ON, None), -1)
    assert paths_of(exc) == ["period.end", "jobs_applied_for"]


@settings(max_examples=30)
@given(ss.kaa_register_entries(ON), st.integers(1, 100))
def test_a_kaa_entry_closed_before_it_was_entered_fails_at_closed_on(
    entry: KaaRegisterEntry, days: int
) -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(
            entry,
            closed_on=entry.entered_on - dt.timedelta(days=days),
            close_reason="fick arbete",
        )
    assert paths_of(exc) == ["closed_on"]


def test_a_kaa_entry_closes_with_a_reason() -> None:
    with pytest.raises(ValidationError) as exc:
        KaaRegisterEntry(ON, KaaEntryReason.LEFT_SCHOOL, closed_on=ON)
    assert paths_of(exc) == ["close_reason"]


@settings(max_examples=30)
@given(ss.housing_allowance_applications(ON))
def test_a_pending_housing_application_has_no_decision_date(
    application: HousingAllowanceApplication,
) -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(
            application,
            decision=HousingAllowanceDecision.PENDING,
            decided_on=application.received_on,
            monthly_amount_sek=None,
        )
    assert paths_of(exc) == ["decided_on"]


def test_a_reduced_support_level_names_its_reason_and_only_then() -> None:
    period = Period(ON, None)
    with pytest.raises(ValidationError) as exc:
        ActivitySupportLevel(period, reduced=True)
    assert paths_of(exc) == ["reduction_reason"]
    with pytest.raises(ValidationError) as exc:
        ActivitySupportLevel(period, reduced=False, reduction_reason="sanktion")
    assert paths_of(exc) == ["reduction_reason"]


def test_job_guarantee_history_is_oldest_first_and_not_after_as_of() -> None:
    newer = ProgramSpell("JOB", Period(dt.date(2023, 1, 1), None))
    older = ProgramSpell("UGA", Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    future = ProgramSpell("JOB", Period(dt.date(2025, 1, 1), None))
    with pytest.raises(ValidationError) as exc:
        JobGuaranteeDays(10, ON, (newer, older, future))
    assert paths_of(exc) == ["program_history[1].period.start", "program_history[2].period.start"]


def test_schooling_diploma_needs_an_upper_secondary_enrolment() -> None:
    with pytest.raises(ValidationError) as exc:
        Schooling(False, "elevregistret", compulsory_school_left_on=ON, diploma_on=ON)
    assert paths_of(exc) == ["compulsory_school_left_on", "diploma_on"]


def test_an_ended_intervention_needs_its_end_date() -> None:
    with pytest.raises(ValidationError) as exc:
        MunicipalIntervention(
            "INS-1",
            "Arbetsträning",
            "arbetstraning",
            Period(ON, None),
            Extent(50),
            Provider("Kommunens arbetsmarknadsenhet"),
            InterventionStatus.ENDED,
            changed_at=dt.datetime(2024, 3, 1, 12, 0),
        )
    assert paths_of(exc) == ["period.end", "changed_at"]


def test_an_answer_from_af_has_its_date_and_a_pending_one_none() -> None:
    with pytest.raises(ValidationError) as exc:
        InterventionConsultation("I1", ON, MeasureAnswer.NO_SUITABLE_MEASURE)
    assert paths_of(exc) == ["answered_on"]
    assert "no-suitable-measure needs its date" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        InterventionConsultation("I1", ON, MeasureAnswer.NOT_ANSWERED, ON)
    assert paths_of(exc) == ["answered_on"]
    pending = InterventionConsultation("I1", ON, MeasureAnswer.NOT_ANSWERED)
    assert not pending.answered_by(ON + DAY)


def test_af_answers_on_the_consultations_day_or_later_and_never_before() -> None:
    same_day = InterventionConsultation("I1", ON, MeasureAnswer.MEASURE_OFFERED, ON)
    assert same_day.answered_by(ON)
    assert not same_day.answered_by(ON - DAY)
    with pytest.raises(ValidationError) as exc:
        InterventionConsultation(" ", ON, MeasureAnswer.MEASURE_OFFERED, ON - DAY)
    assert paths_of(exc) == ["intervention_id", "answered_on"]


def test_contradicting_answers_about_one_intervention_on_one_day_are_named() -> None:
    from ssbx_model.case import Case
    from ssbx_model.identity import Personnummer

    person = Personnummer.from_birth_date(dt.date(1990, 5, 17), 982)
    none = InterventionConsultation("I1", ON, MeasureAnswer.NO_SUITABLE_MEASURE, ON)
    offered = InterventionConsultation("I1", ON - DAY, MeasureAnswer.MEASURE_OFFERED, ON)
    other = InterventionConsultation("I2", ON, MeasureAnswer.MEASURE_OFFERED, ON)
    later = InterventionConsultation("I1", ON, MeasureAnswer.MEASURE_OFFERED, ON + DAY)
    # Another intervention, or another day: no contradiction.
    Case(person, "1287", intervention_consultations=Answer.known((none, other, later)))
    with pytest.raises(ValidationError) as exc:
        Case(person, "1287", intervention_consultations=Answer.known((none, other, offered)))
    assert paths_of(exc) == ["intervention_consultations.value[2].answer"]
    assert "contradicts intervention_consultations.value[0]" in str(exc.value)
    assert "I1" not in str(exc.value)  # a vendor's id is not repeated in messages


def test_an_income_support_decision_counts_from_the_day_it_was_made() -> None:
    february = Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    decision = IncomeSupportDecision("FS-2024-02", dt.date(2024, 2, 10), february)
    assert not decision.supports_on(dt.date(2024, 2, 9))
    assert decision.supports_on(dt.date(2024, 2, 10))
    assert decision.supports_on(dt.date(2024, 2, 29))  # leap day, last day of the period
    assert not decision.supports_on(dt.date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        IncomeSupportDecision("", dt.date(2024, 2, 10), february)
    assert paths_of(exc) == ["decision_id"]


def _intervention(
    start: dt.date,
    end: dt.date | None,
    status: InterventionStatus = InterventionStatus.ONGOING,
    result: str | None = None,
) -> MunicipalIntervention:
    return MunicipalIntervention(
        "INS-1",
        "Jobbcoachning",
        "coachning",
        Period(start, end),
        Extent(50),
        Provider("Kommunens arbetsmarknadsenhet"),
        status,
        result=result,
    )


def test_a_result_is_a_code_recorded_when_the_intervention_ends() -> None:
    ended = _intervention(ON, ON, InterventionStatus.ENDED, "arbete")
    assert ended.result == "arbete"
    assert _intervention(ON, ON, InterventionStatus.ENDED).result is None  # not recorded
    with pytest.raises(ValidationError) as exc:
        _intervention(ON, None, InterventionStatus.ONGOING, "arbete")
    assert paths_of(exc) == ["result"]
    assert "the status is 'ongoing', not 'ended'" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _intervention(ON, ON, InterventionStatus.ENDED, "jobb")
    assert paths_of(exc) == ["result"]
    assert "'intervention-result'" in str(exc.value)


@pytest.mark.parametrize(
    ("status", "first", "last", "current"),
    [
        # The intervention runs 1 March - 29 February is the day before (a leap year).
        (InterventionStatus.ONGOING, dt.date(2024, 2, 29), None, False),
        (InterventionStatus.ONGOING, dt.date(2024, 3, 1), None, True),  # its first day
        (InterventionStatus.ONGOING, dt.date(2024, 3, 31), None, True),  # its last day
        (InterventionStatus.ONGOING, dt.date(2024, 4, 1), None, False),  # the day after
        (InterventionStatus.ENDED, dt.date(2024, 3, 15), None, True),  # ended now, ran then
        (InterventionStatus.PLANNED, dt.date(2024, 3, 15), None, False),  # not begun
        # Spans: any day of it will do.
        (InterventionStatus.ONGOING, dt.date(2024, 2, 1), dt.date(2024, 3, 1), True),
        (InterventionStatus.ONGOING, dt.date(2024, 3, 31), dt.date(2024, 4, 30), True),
        (InterventionStatus.ONGOING, dt.date(2024, 4, 1), dt.date(2024, 4, 30), False),
        (InterventionStatus.ONGOING, dt.date(2024, 2, 1), dt.date(2024, 2, 29), False),
        (InterventionStatus.PLANNED, dt.date(2024, 3, 1), dt.date(2024, 3, 31), False),
    ],
)
def test_when_a_municipal_intervention_is_current(
    status: InterventionStatus, first: dt.date, last: dt.date | None, current: bool
) -> None:
    intervention = _intervention(dt.date(2024, 3, 1), dt.date(2024, 3, 31), status)
    assert intervention.is_current(first, last) is current


def test_an_open_ended_intervention_is_current_from_its_first_day_on() -> None:
    intervention = _intervention(dt.date(2024, 3, 1), None)
    assert not intervention.is_current(dt.date(2024, 2, 29))
    assert intervention.is_current(dt.date(2024, 3, 1))
    assert intervention.is_current(dt.date(2030, 12, 31))


def test_a_span_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        _intervention(ON, None).is_current(ON, ON - dt.timedelta(days=1))
    assert paths_of(exc) == ["last"]


@settings(max_examples=100)
@given(
    intervention=ss.municipal_interventions(ON),
    status=st.sampled_from(list(InterventionStatus)),
    first=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    days=st.integers(0, 62),
)
def test_current_in_a_span_means_current_on_one_of_its_days(
    intervention: MunicipalIntervention, status: InterventionStatus, first: dt.date, days: int
) -> None:
    if status is InterventionStatus.ENDED and intervention.period.end is None:
        status = InterventionStatus.ONGOING  # an ended one has its end date
    intervention = attrs.evolve(intervention, status=status, result=None)
    last = first + dt.timedelta(days=days)
    each_day = [intervention.is_current(first + dt.timedelta(days=n)) for n in range(days + 1)]
    assert intervention.is_current(first, last) == any(each_day)
    if status is InterventionStatus.PLANNED:
        assert not any(each_day)
    else:
        days_of_span = Period(first, last).iter_days()
        assert each_day == [intervention.period.contains(d) for d in days_of_span]


def test_a_non_member_of_an_unemployment_fund_has_no_fund() -> None:
    with pytest.raises(ValidationError) as exc:
        UnemploymentFundMembership(member=False, self_reported=True, fund="Kommunals a-kassa")
    assert paths_of(exc) == ["fund"]


def test_ownership_is_a_percentage() -> None:
    with pytest.raises(ValidationError) as exc:
        BusinessActivity(True, "ägare", ownership_percent=120)
    assert paths_of(exc) == ["ownership_percent"]


def test_unknown_codes_name_the_list_and_its_version() -> None:
    with pytest.raises(ValidationError) as exc:
        ActivitySupportWithdrawal(ON, "sick")
    assert paths_of(exc) == ["reason"]
    message = str(exc.value)
    assert "'activity-support-withdrawal-reason' version" in message
    assert "'sick'" in message


# ---------------------------------------------------------------------------------------
# Strict types: nothing is coerced
# ---------------------------------------------------------------------------------------


def test_wrong_types_are_problems_with_their_paths_never_coerced() -> None:
    with pytest.raises(ValidationError) as exc:
        Enrolment(
            "2024-01-01",  # type: ignore[arg-type]
            [ApplicantCategorySpell("11", "öppet arbetslös", Extent(100), Period(ON))],  # type: ignore[arg-type]
            history=("not a past enrolment",),  # type: ignore[arg-type]
        )
    assert paths_of(exc) == ["registered_on", "spells", "history[0]"]
    text = str(exc.value)
    assert "registered_on: must be a date (datetime.date, not datetime), not str" in text
    assert "spells: must be a tuple, not list" in text


# A bool is not an int, a datetime is not a date, 1 is not a bool, a str is not an
# AnswerStatus, a date is not a datetime, 50 is not an Extent, None is not a name.
@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: ActivityReport(Period(ON, ON), True), "jobs_applied_for"),
        (lambda: ActivityReport(Period(ON, ON), 3, dt.datetime(2024, 3, 16)), "submitted_on"),
        (lambda: ActivitySupportLevel(Period(ON), reduced=1), "reduced"),  # type: ignore[arg-type]
        (lambda: Answer("known", 1), "status"),  # type: ignore[arg-type]
        (lambda: Provenance("AF", "1.0", ON), "fetched_at"),  # type: ignore[arg-type]
        (lambda: Activity("Kartläggning", Period(ON, ON), 50), "extent"),  # type: ignore[arg-type]
        (lambda: Provider(None), "name"),  # type: ignore[arg-type]
        (
            lambda: InterventionConsultation("I1", ON, "no-suitable-measure", ON),  # type: ignore[arg-type]
            "answer",
        ),
        (
            lambda: IncomeSupportDecision("FS1", WHEN, Period(ON)),  # type: ignore[arg-type]
            "decided_on",
        ),
    ],
)
def test_each_wrong_type_is_named(build: Any, path: str) -> None:
    with pytest.raises(ValidationError) as exc:
        build()
    assert paths_of(exc) == [path]


# ---------------------------------------------------------------------------------------
# Answers: the four kinds (and two more) stay distinguishable
# ---------------------------------------------------------------------------------------


def test_the_four_kinds_of_answer_are_distinguishable() -> None:
    known: Answer[tuple[Period, ...]] = Answer.known((Period(ON),), AF)
    absent: Answer[tuple[Period, ...]] = Answer.absent(AF)
    not_found: Answer[tuple[Period, ...]] = Answer.not_found(AF)
    unavailable: Answer[tuple[Period, ...]] = Answer.unavailable("HTTP 503 from AF", AF)
    kinds: list[Answer[tuple[Period, ...]]] = [known, absent, not_found, unavailable]
    assert [a.status for a in kinds] == [
        AnswerStatus.KNOWN,
        AnswerStatus.ABSENT,
        AnswerStatus.NOT_FOUND,
        AnswerStatus.UNAVAILABLE,
    ]
    assert len(set(kinds)) == 4
    # "no" and "not found" settle the facts; "could not ask" does not.
    assert [a.is_decided for a in kinds] == [True, True, True, False]
    assert [a.is_known for a in kinds] == [True, False, False, False]
    assert known.items() == (Period(ON),)
    assert absent.items() == () == not_found.items()
    with pytest.raises(ValueError, match="unavailable"):
        unavailable.items()
    assert unavailable.reason == "HTTP 503 from AF"
    assert unavailable.provenance == AF


def test_withheld_and_not_requested_are_neither_known_nor_decided() -> None:
    withheld: Answer[int] = Answer.withheld("no legal basis")
    not_requested: Answer[int] = Answer.not_requested()
    for answer in (withheld, not_requested):
        assert not answer.is_known
        assert not answer.is_decided
        with pytest.raises(ValueError, match="not decided"):
            answer.items()  # type: ignore[misc]


def test_answer_shapes_are_enforced() -> None:
    with pytest.raises(ValidationError) as exc:
        Answer(AnswerStatus.KNOWN)
    assert paths_of(exc) == ["value"]
    with pytest.raises(ValidationError) as exc:
        Answer.known(())
    assert paths_of(exc) == ["value"]
    with pytest.raises(ValidationError) as exc:
        Answer(AnswerStatus.ABSENT, (1,))
    assert paths_of(exc) == ["value"]
    with pytest.raises(ValidationError) as exc:
        Answer(AnswerStatus.UNAVAILABLE, reason=" ")
    assert paths_of(exc) == ["reason", "provenance"]
    with pytest.raises(ValidationError) as exc:
        Answer(AnswerStatus.WITHHELD)
    assert paths_of(exc) == ["reason"]


def test_provenance_needs_a_time_zone() -> None:
    with pytest.raises(ValidationError) as exc:
        Provenance(" ", "1.0", dt.datetime(2024, 3, 15, 9, 30))
    assert paths_of(exc) == ["provider", "fetched_at"]


@settings(max_examples=100)
@given(ss.answers(ss.extents()))
def test_generated_answers_keep_their_shape(answer: Answer[Extent]) -> None:
    assert (answer.value is not None) == (answer.status is AnswerStatus.KNOWN)
    if answer.status is AnswerStatus.UNAVAILABLE:
        assert answer.reason
        assert answer.provenance is not None
    assert attrs.evolve(answer) == answer


# ---------------------------------------------------------------------------------------
# The reference pages document every field of every class
# ---------------------------------------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs" / "reference" / "information"
_MODULE = re.compile(r"\*\*Module:\*\* `(ssbx_model\.information\.\w+)`")


def _pages() -> dict[str, str]:
    pages: dict[str, str] = {}
    for page in sorted(DOCS.glob("*.md")):
        found = _MODULE.search(page.read_text(encoding="utf-8"))
        if found:
            pages[found.group(1)] = page.read_text(encoding="utf-8")
    return pages


def test_every_information_module_has_a_reference_page() -> None:
    modules = {
        f"ssbx_model.information.{m.name}"
        for m in pkgutil.iter_modules(info_pkg.__path__)
        if not m.name.startswith("_") and m.name != "sets"
    }
    assert modules == set(_pages())


@pytest.mark.parametrize(("module", "text"), sorted(_pages().items()))
def test_every_field_is_documented_on_its_page(module: str, text: str) -> None:
    mod = importlib.import_module(module)
    assert f"::: {module}" in text
    for name in mod.__all__:
        cls = getattr(mod, name)
        if not attrs.has(cls):
            continue
        section = text.split(f"### `{name}`", 1)
        assert len(section) == 2, f"{module}: no section for {name}"
        table = section[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
        for field in attrs.fields(cls):
            assert f"| `{field.name}` |" in table, f"{name}.{field.name} is not documented"
