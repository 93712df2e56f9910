"""The hypothesis strategies vendors use: every one draws valid, consistent values."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    InformationSet,
    InterventionStatus,
    MeasureAnswer,
    ProgramDecision,
)
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 3, 15)

# Every public strategy, called with its defaults and with a reference date where it
# takes one. Drawing a value runs the class's own validation: a draw that raised would
# fail the test.
STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "personnummer": ss.personnummer(),
    "samordningsnummer": ss.samordningsnummer(),
    "person_ids": ss.person_ids(),
    "organisationsnummer": ss.organisationsnummer(),
    "periods": ss.periods(open_ended=None),
    "extents": ss.extents(),
    "provenances": ss.provenances(),
    "contact_details": ss.contact_details(),
    "providers": ss.providers(),
    "deregistrations": ss.deregistrations(ON),
    "applicant_category_spells": ss.applicant_category_spells(on=ON),
    "past_enrolments": ss.past_enrolments(ON),
    "enrolments": ss.enrolments(ON),
    "enrolments-default": ss.enrolments(),
    "consents": ss.consents(ON),
    "consent_histories": ss.consent_histories(ON),
    "sanctions": ss.sanctions(),
    "activities": ss.activities(),
    "program_decisions": ss.program_decisions(ON),
    "program_decisions-default": ss.program_decisions(),
    "activity_support_withdrawals": ss.activity_support_withdrawals(ON),
    "activity_supports": ss.activity_supports(ON),
    "activity_support_levels": ss.activity_support_levels(ON),
    "activity_reports": ss.activity_reports(ON),
    "planning_meetings": ss.planning_meetings(ON),
    "assignment_decisions": ss.assignment_decisions(ON),
    "entitlements": ss.entitlements(ON),
    "disability_codes": ss.disability_codes(ON),
    "sius_supports": ss.sius_supports(ON),
    "owners": ss.owners(),
    "payment_remarks": ss.payment_remarks(ON),
    "union_approvals": ss.union_approvals(ON),
    "other_placements": ss.other_placements(ON),
    "employer_checks": ss.employer_checks(ON),
    "business_activities": ss.business_activities(ON),
    "housing_allowance_applications": ss.housing_allowance_applications(ON),
    "unemployment_fund_memberships": ss.unemployment_fund_memberships(),
    "permits": ss.permits(ON),
    "program_spells": ss.program_spells(ON),
    "job_guarantee_days": ss.job_guarantee_days(ON),
    "upper_secondary_enrolments": ss.upper_secondary_enrolments(),
    "schoolings": ss.schoolings(on=ON),
    "study_evidence": ss.study_evidence(ON),
    "employment_evidence": ss.employment_evidence(ON),
    "annual_incomes": ss.annual_incomes(ON),
    "student_finances": ss.student_finances(ON),
    "sfi_hours": ss.sfi_hours(ON),
    "consultations": ss.consultations(ON),
    "kaa_register_entries": ss.kaa_register_entries(ON),
    "kaa_contacts": ss.kaa_contacts(ON),
    "agency_decisions": ss.agency_decisions(ON),
    "callback_requests": ss.callback_requests(ON),
    "handover_packages": ss.handover_packages(ON),
    "handover_packages-any-day": ss.handover_packages(),
    "income_support_decisions": ss.income_support_decisions(ON),
    "intervention_consultations": ss.intervention_consultations(ON),
    "intervention_consultations-ids": ss.intervention_consultations(
        ON, intervention_ids=["P"], answers=[MeasureAnswer.NOT_ANSWERED]
    ),
    "municipal_interventions": ss.municipal_interventions(ON),
    "answers": ss.answers(ss.extents()),
    "answers-collection": ss.answers(ss.extents(), collection=True),
    "cases": ss.cases(ON),
    "cases-default": ss.cases(),
}


def _revalidate(value: object) -> None:
    """Construct ``value`` again from its own fields: the validation must pass again."""
    if attrs.has(type(value)):
        attrs.evolve(value)  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(STRATEGIES))
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_strategy_draws_values_that_validate(name: str, data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[name])
    _revalidate(value)


def test_every_public_strategy_is_exercised() -> None:
    exercised = {name.split("-")[0] for name in STRATEGIES} | {"code_of", "answer_statuses"}
    public = {n for n in ss.__all__ if n.islower() and n != "set_values"}
    assert public <= exercised


@pytest.mark.parametrize("which", list(InformationSet))
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_set_values_have_the_case_field_type(which: InformationSet, data: st.DataObject) -> None:
    value = data.draw(ss.set_values(which, ON))
    fields: dict[str, Any] = {which.value: Answer.known(value)}
    case = Case(Personnummer.from_birth_date(dt.date(2005, 1, 1), 123), "1287", **fields)
    assert case.answer(which).is_known


@settings(max_examples=30)
@given(ss.program_decisions(ON))
def test_activities_lie_inside_their_decision(decision: ProgramDecision) -> None:
    for activity in decision.activities:
        assert decision.period.contains(activity.period.start)
        assert activity.period.end is not None
        if decision.period.end is not None:
            assert activity.period.end <= decision.period.end
        assert activity.extent <= decision.extent
    assert decision.decided_on <= ON


@settings(max_examples=30)
@given(ss.enrolments(ON))
def test_enrolment_spells_are_ordered_and_contiguous(enrolment: Any) -> None:
    spells = enrolment.spells
    assert spells[0].period.start == enrolment.registered_on
    for earlier, later in itertools.pairwise(spells):
        assert earlier.period.end is not None
        assert later.period.start == earlier.period.end + dt.timedelta(days=1)
    assert enrolment.registered_on <= ON
    if enrolment.deregistration is None:
        assert spells[-1].period.end is None
    else:
        assert enrolment.deregistration.on <= ON


@settings(max_examples=40)
@given(ss.municipal_interventions(ON))
def test_intervention_status_agrees_with_the_reference_date(intervention: Any) -> None:
    period: Period = intervention.period
    if intervention.status is InterventionStatus.PLANNED:
        assert period.start > ON
    elif intervention.status is InterventionStatus.ENDED:
        assert period.end is not None
        assert period.end < ON
    else:
        assert period.contains(ON)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON, known=frozenset({InformationSet.ENROLMENT, InformationSet.CONSENTS})))
def test_cases_can_force_sets_known(case: Case) -> None:
    assert case.enrolment.is_known
    assert case.consents.is_known


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON, age_between=(16, 24)))
def test_cases_respect_the_age_range(case: Case) -> None:
    assert 16 <= case.person.age_on(ON) <= 24


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON, statuses={AnswerStatus.NOT_FOUND}))
def test_cases_can_limit_the_statuses(case: Case) -> None:
    assert all(a.status is AnswerStatus.NOT_FOUND for _, a in case.answers())


@settings(max_examples=200)
@given(ss.answers(ss.extents()))
def test_answers_draw_every_status_with_known_most_often(answer: Answer[Extent]) -> None:
    # Each status individually is checked in the test below; here only the shape.
    assert (answer.value is not None) == answer.is_known


def test_answers_cover_every_status() -> None:
    seen: set[AnswerStatus] = set()

    @settings(max_examples=300, database=None)
    @given(ss.answers(ss.extents()))
    def collect(answer: Answer[Extent]) -> None:
        seen.add(answer.status)

    collect()
    assert seen == set(AnswerStatus)


@settings(max_examples=50)
@given(ss.person_ids(), ss.organisationsnummer())
def test_identity_strategies_draw_their_types(
    person: Personnummer | Samordningsnummer, org: Organisationsnummer
) -> None:
    assert ss.BIRTH_MIN <= person.birth_date <= ss.BIRTH_MAX
    assert not org.is_sole_trader
    assert Organisationsnummer.parse(org.reveal()) == org


def test_age_between_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="age_between"):
        ss.cases(ON, age_between=(30, 20))
