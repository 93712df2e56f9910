"""The Case aggregate: one person, every set as an answer, and privacy by construction."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model import Case, Gender
from ssbx_model.calendar import Extent, Period
from ssbx_model.errors import ValidationError
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information import (
    SETS,
    Answer,
    AnswerStatus,
    Enrolment,
    InformationSet,
    InterventionStatus,
    MunicipalIntervention,
    ProgramDecision,
    Provider,
)
from ssbx_model.testing import factories
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 3, 15)
PERSON = Personnummer.from_birth_date(dt.date(2005, 7, 1), 234)
COACHING = MunicipalIntervention(
    "INS-1",
    "Jobbcoachning",
    "coachning",
    Period(ON, ON + dt.timedelta(days=30)),
    Extent(50),
    Provider("Kommunens arbetsmarknadsenhet"),
    InterventionStatus.PLANNED,
)


def _clear_forms(person: Personnummer | Samordningsnummer) -> list[str]:
    """Every clear-text spelling of the number a leak could take."""
    full = person.reveal()  # YYYYMMDD-NNNC
    digits = full.replace("-", "")
    return [full, digits, full[2:], digits[2:], person.reveal_short(ON).replace("-", "+")]


def _assert_no_clear_number(text: str, person: Personnummer | Samordningsnummer) -> None:
    for form in _clear_forms(person):
        assert form not in text


# ---------------------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------------------


def test_every_information_set_is_a_case_field_with_a_catalogue_entry() -> None:
    names = {f.name for f in attrs.fields(Case)}
    for which in InformationSet:
        assert which.value in names
        assert which in SETS
        assert SETS[which].swedish
        assert SETS[which].provider
        assert which.info is SETS[which]


def test_a_new_case_has_every_set_not_requested() -> None:
    case = Case(PERSON, "1287")
    assert [a.status for _, a in case.answers()] == [AnswerStatus.NOT_REQUESTED] * len(
        InformationSet
    )
    assert case.answer("enrolment") is case.enrolment
    assert case.answer(InformationSet.CONSENTS) is case.consents
    assert case.interventions == ()


def test_gender_follows_the_serial() -> None:
    odd = Personnummer.from_birth_date(dt.date(1990, 1, 1), 231)  # ninth digit 1: male
    even = Personnummer.from_birth_date(dt.date(1990, 1, 1), 242)  # ninth digit 4: female
    assert Case(odd, "0180").gender is Gender.MALE
    assert Case(even, "0180").gender is Gender.FEMALE


def test_a_case_collects_every_problem_with_its_path() -> None:
    decision = ProgramDecision("PB-1", "UGA", ON, Period(ON, None), Extent(100))
    intervention = COACHING
    with pytest.raises(ValidationError) as exc:
        Case(
            PERSON,
            "12",
            reference=" ",
            enrolment=Answer.known((decision,)),  # type: ignore[arg-type]
            program_decisions=Answer.known((decision, decision)),
            consents=Answer.known(decision),  # type: ignore[arg-type]
            interventions=(intervention, intervention),
        )
    assert exc.value.paths == [
        "municipality",
        "reference",
        "enrolment.value",
        "consents.value",
        "program_decisions.value[1].decision_id",
        "interventions[1].intervention_id",
    ]


def test_a_known_collection_holds_items_of_the_set_type() -> None:
    enrolment_like: Any = ("not an enrolment",)
    with pytest.raises(ValidationError) as exc:
        Case(PERSON, "1287", program_decisions=Answer.known(enrolment_like))
    assert exc.value.paths == ["program_decisions.value[0]"]
    assert "must be a ProgramDecision" in str(exc.value)


def test_fields_of_the_wrong_type_are_named_without_their_value() -> None:
    with pytest.raises(ValidationError) as exc:
        Case(PERSON.reveal(), 1287, enrolment=None)  # type: ignore[arg-type]
    assert exc.value.paths == ["person", "municipality", "enrolment"]
    _assert_no_clear_number(str(exc.value), PERSON)


def test_a_reference_holding_the_identity_number_is_refused_without_echoing_it() -> None:
    for form in _clear_forms(PERSON):
        with pytest.raises(ValidationError) as exc:
            Case(PERSON, "1287", reference=f"ÄR {form}")
        assert exc.value.paths == ["reference"]
        _assert_no_clear_number(str(exc.value), PERSON)
        _assert_no_clear_number(repr(exc.value), PERSON)
    assert Case(PERSON, "1287", reference="ÄR-2024-00042").reference == "ÄR-2024-00042"


# ---------------------------------------------------------------------------------------
# Privacy: no clear identity number in repr, str, logs or errors
# ---------------------------------------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases())
def test_repr_and_str_of_any_case_never_show_the_identity_number(case: Case) -> None:
    _assert_no_clear_number(repr(case), case.person)
    _assert_no_clear_number(str(case), case.person)
    for _, answer in case.answers():
        _assert_no_clear_number(repr(answer), case.person)
    assert case.person.masked in repr(case)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON, known=frozenset({InformationSet.BUSINESS_ACTIVITIES})))
def test_a_sole_traders_organisation_number_is_masked_too(case: Case) -> None:
    # A sole trader's organisation number is the person's own number.
    _assert_no_clear_number(repr(case.business_activities), case.person)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON), st.sampled_from(["reference", "municipality", "interventions"]))
def test_errors_from_invalid_cases_never_show_the_identity_number(case: Case, field: str) -> None:
    bad: dict[str, Any] = {
        "reference": f"x{case.person.reveal()}",
        "municipality": case.person.reveal(),
        "interventions": (COACHING, COACHING),
    }
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(case, **{field: bad[field]})
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = logging.getLogger("ssbx-test-case")
    logger.addHandler(handler)
    try:
        logger.error("failed: %s", exc.value, exc_info=exc.value)
    finally:
        logger.removeHandler(handler)
    for text in (str(exc.value), repr(exc.value), log.getvalue(), *map(str, exc.value.problems)):
        _assert_no_clear_number(text, case.person)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON, known=frozenset({InformationSet.ENROLMENT})))
def test_a_known_enrolment_reads_back(case: Case) -> None:
    assert case.enrolment.is_known
    enrolment = case.enrolment.value
    assert isinstance(enrolment, Enrolment)
    assert enrolment.is_registered_on(enrolment.registered_on)
    assert enrolment.registered_days_on(enrolment.registered_on) == 1
    assert enrolment.applicant_category_on(enrolment.registered_on) is not None


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(ss.cases(ON))
def test_a_case_rebuilt_from_its_fields_is_equal(case: Case) -> None:
    assert attrs.evolve(case) == case
    assert hash(attrs.evolve(case)) == hash(case)


# ---------------------------------------------------------------------------------------
# Factories: readable single cases
# ---------------------------------------------------------------------------------------


def test_young_person_case_builds_a_consistent_case() -> None:
    case = factories.young_person_case(on=ON, age=19, applicant_category="15")
    assert case.person.age_on(ON) == 19
    enrolment = case.enrolment.value
    assert enrolment is not None
    assert enrolment.is_registered_on(ON)
    assert enrolment.applicant_category_on(ON) == "15"
    assert case.program_decisions.status is AnswerStatus.ABSENT
    consents = case.consents.items()
    assert consents[0].validity.contains(ON)
    assert [i.status for i in case.interventions] == [InterventionStatus.ONGOING]


def test_young_person_case_takes_further_answers_and_variants() -> None:
    decision = factories.program_decision(ON - dt.timedelta(days=10), program="UGA")
    case = factories.young_person_case(
        on=ON,
        registered_at_af=False,
        program_decisions=(decision,),
        interventions=2,
        schooling=Answer.not_requested(),
    )
    assert case.enrolment.status is AnswerStatus.NOT_FOUND
    assert case.program_decisions.items() == (decision,)
    assert [i.intervention_id for i in case.interventions] == ["INS-1", "INS-2"]


@pytest.mark.parametrize(
    ("start", "status"),
    [
        (ON + dt.timedelta(days=1), InterventionStatus.PLANNED),
        (ON - dt.timedelta(days=90), InterventionStatus.ENDED),
        (ON - dt.timedelta(days=89), InterventionStatus.ONGOING),
    ],
)
def test_intervention_factory_status_follows_the_reference_date(
    start: dt.date, status: InterventionStatus
) -> None:
    assert factories.municipal_intervention(start, on=ON, days=90).status is status


def test_enrolment_and_consent_factories() -> None:
    ended = factories.enrolment(dt.date(2023, 1, 2), deregistered_on=dt.date(2023, 6, 30))
    assert not ended.is_registered_on(ON)
    assert ended.deregistration is not None
    assert ended.deregistration.reason == "own-request"
    consent = factories.consent(dt.date(2024, 1, 15))
    assert consent.validity == Period(dt.date(2024, 1, 15), dt.date(2024, 7, 14))
