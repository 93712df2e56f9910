"""KAA as the statute says, the register's complaint as a configurable reading, the
closing day read alike everywhere, and consultation topics as a code list (issue 15,
points 7 and 8). Fixed boundaries are data-file cases in tests/rules/cases/; here the
invariants (hypothesis) and the model's validation."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model import codes
from ssbx_model.calendar import birthday
from ssbx_model.case import Case
from ssbx_model.errors import ValidationError
from ssbx_model.information import Answer
from ssbx_model.information.consultation import (
    ASSIGN_INTERVENTION,
    JOINT_PLANNING,
    SKAT15_ASSESSMENT,
    SKAT15_TRANSITION,
    Consultation,
)
from ssbx_model.information.kaa import KaaEntryReason, KaaRegisterEntry
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.rules import Outcome, evaluate
from ssbx_model.rules.authoring import DECIDED
from ssbx_model.rules.testcases import build_case
from ssbx_model.testing import strategies as ss

PROPERTY = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
STATUTE_ONLY = {
    "kaa_reconcile.flag_work": False,
    "kaa_reconcile.flag_studies": False,
    "kaa_reconcile.flag_introduction_programme": False,
}
# The kaa rule's failures that put a youth outside the statute whatever the register says.
OUTSIDE = {
    "kaa.age.reached-limit": "kaa-reconcile.past-age-limit",
    "kaa.upper-secondary.enrolled": "kaa-reconcile.upper-secondary",
    "kaa.upper-secondary.introduction-programme-not-covered": (
        "kaa-reconcile.introduction-programme-not-covered"
    ),
    "kaa.diploma.completed": "kaa-reconcile.diploma",
}


@st.composite
def kaa_cases(draw: st.DrawFn) -> tuple[Case, dt.date]:
    on = draw(st.dates(dt.date(2016, 1, 1), dt.date(2026, 12, 31)))
    return draw(ss.cases(on, age_between=(15, 21))), on


# -- the kaa rule ----------------------------------------------------------------------


@PROPERTY
@given(data=kaa_cases(), employment=st.booleans(), studies=st.booleans())
def test_work_and_studies_never_change_the_kaa_decision(
    data: tuple[Case, dt.date], employment: bool, studies: bool
) -> None:
    # 'hålla sig informerad om hur de ungdomar i kommunen är sysselsatta': covered whatever
    # the youth does.
    case, on = data
    changed = attrs.evolve(
        case,
        employment=Answer.absent() if employment else Answer.withheld("x"),
        studies=Answer.absent() if studies else Answer.withheld("x"),
    )
    assert evaluate(changed, "kaa", on) == evaluate(case, "kaa", on)


@PROPERTY
@given(data=kaa_cases())
def test_an_introduction_programme_is_covered_exactly_until_30_june_2018(
    data: tuple[Case, dt.date],
) -> None:
    case, on = data
    decision = evaluate(case, "kaa", on)
    schooling = case.schooling.value
    current = schooling.enrolment_on(on) if schooling is not None else None
    if current is None or current.kind is not ProgrammeKind.INTRODUCTION:
        return
    codes_ = decision.reason_codes()
    if on >= dt.date(2018, 7, 1):
        assert decision.outcome is Outcome.NOT_ELIGIBLE
    else:
        assert "kaa.upper-secondary.introduction-programme-not-covered" not in codes_


@pytest.mark.parametrize("limit", [20, 21, 18])
def test_the_age_texts_say_the_limit_in_force(limit: int) -> None:
    born = dt.date(2004, 2, 29)
    on = birthday(born, limit)
    case = build_case({"birth": born, "schooling": {"compulsory": True}}, on)
    decision = evaluate(case, "kaa", on, {"kaa.age_limit": limit})
    (reason,) = decision.reasons
    assert reason.code == "kaa.age.reached-limit"
    assert f"Har fyllt {limit} år" in reason.message_sv
    assert on.isoformat() in reason.message_sv
    assert on.isoformat() in reason.message_en
    before = evaluate(case, "kaa", on - dt.timedelta(days=1), {"kaa.age_limit": limit})
    assert before.reasons[0].message_en.startswith(f"Has not turned {limit}")


def test_a_29_february_birth_ends_the_responsibility_on_1_march() -> None:
    assert birthday(dt.date(2004, 2, 29), 19) == dt.date(2023, 3, 1)
    assert birthday(dt.date(2004, 2, 29), 20) == dt.date(2024, 2, 29)
    with pytest.raises(ValidationError):
        birthday(dt.date(2004, 2, 29), -1)


# -- kaa-reconcile ---------------------------------------------------------------------


@PROPERTY
@given(data=kaa_cases())
def test_reconcile_never_calls_a_covered_entry_wrong_and_flags_everyone_outside(
    data: tuple[Case, dt.date],
) -> None:
    case, on = data
    flagged = evaluate(case, "kaa-reconcile", on)
    for reason in flagged.reasons:
        facts = dict(reason.facts)
        if facts.get("covered_by_kaa") is True:
            assert "avslutas" not in reason.message_sv or "inte avslutas" in reason.message_sv
            assert "felaktigt" not in reason.message_sv
    statute = evaluate(case, "kaa-reconcile", on, STATUTE_ONLY)
    if statute.outcome is Outcome.NOT_ELIGIBLE:
        # With the complaint switched off, only entries outside the statute are flagged.
        assert all(dict(r.facts).get("covered_by_kaa") is False for r in statute.reasons)
    if case.kaa_register.status not in DECIDED:
        assert statute.outcome is Outcome.UNKNOWN
        return
    entry = case.kaa_register.value
    if entry is None or not entry.is_open_on(on):
        assert statute.outcome is Outcome.ELIGIBLE
        return
    kaa = evaluate(case, "kaa", on)
    for code in kaa.reason_codes():
        if code in OUTSIDE and statute.outcome is not Outcome.UNKNOWN:
            assert OUTSIDE[code] in statute.reason_codes()


@PROPERTY
@given(data=kaa_cases())
def test_switching_a_flag_off_never_adds_a_flag(data: tuple[Case, dt.date]) -> None:
    case, on = data
    full = evaluate(case, "kaa-reconcile", on)
    statute = evaluate(case, "kaa-reconcile", on, STATUTE_ONLY)
    if full.outcome is Outcome.ELIGIBLE:
        assert statute.outcome is Outcome.ELIGIBLE
    if statute.outcome is Outcome.NOT_ELIGIBLE:
        assert full.outcome is Outcome.NOT_ELIGIBLE


# -- the closing day -------------------------------------------------------------------


@st.composite
def entries(draw: st.DrawFn) -> KaaRegisterEntry:
    entered = draw(st.dates(dt.date(2016, 1, 1), dt.date(2026, 12, 31)))
    closed = draw(st.none() | st.dates(entered, entered + dt.timedelta(days=400)))
    return KaaRegisterEntry(
        entered, KaaEntryReason.OTHER, None, closed, None if closed is None else "closed"
    )


@given(
    entry=entries(),
    offset=st.integers(-3, 410),
    closing_day=st.booleans(),
)
def test_the_days_in_the_register_are_exactly_the_days_it_is_open(
    entry: KaaRegisterEntry, offset: int, closing_day: bool
) -> None:
    day = entry.entered_on + dt.timedelta(days=offset)
    days = entry.days_in_register(closing_day_in_register=closing_day)
    inside = days is not None and days.contains(day)
    assert inside == entry.is_open_on(day, closing_day_in_register=closing_day)
    if entry.closed_on is not None:
        assert entry.is_open_on(entry.closed_on, closing_day_in_register=closing_day) == (
            closing_day
        )


# -- consultation topics ---------------------------------------------------------------


def test_every_topic_constant_is_in_the_code_list() -> None:
    topics = codes.load(codes.CONSULTATION_TOPIC)
    assert {SKAT15_ASSESSMENT, SKAT15_TRANSITION, ASSIGN_INTERVENTION, JOINT_PLANNING} == set(
        topics.codes
    )
    for entry in topics:
        assert entry.citation.strip()
        assert "seeds/" not in entry.citation


@pytest.mark.parametrize("topic", ["skat15", "Skat15-assessment", "samråd om skat 15", " "])
def test_an_unknown_topic_is_a_validation_error_at_its_path(topic: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Consultation(dt.date(2024, 3, 20), topic, ("AF", "kommunen"))
    assert [p.path for p in exc.value.problems] == ["topic"]
    assert "consultation-topic" in str(exc.value)


def test_a_topic_must_be_valid_on_the_day_the_consultation_was_held() -> None:
    # Category 15 exists from 1 March 2016 (applicant-category list).
    Consultation(dt.date(2016, 3, 1), SKAT15_ASSESSMENT, ("AF", "kommunen"))
    with pytest.raises(ValidationError) as exc:
        Consultation(dt.date(2016, 2, 29), SKAT15_ASSESSMENT, ("AF", "kommunen"))
    assert [p.path for p in exc.value.problems] == ["topic"]
    assert "not valid on 2016-02-29" in str(exc.value)


def test_a_case_file_with_an_old_free_text_topic_names_the_fact() -> None:
    with pytest.raises(ValidationError) as exc:
        build_case(
            {
                "birth": dt.date(2004, 3, 10),
                "consultations": [{"on": dt.date(2024, 3, 20), "topic": "skat15"}],
            },
            dt.date(2024, 5, 15),
            path="case[0]",
        )
    assert [p.path for p in exc.value.problems] == ["case[0].consultations[0].topic"]
    assert 'got the text "skat15"' in str(exc.value)


@given(ss.consultations(dt.date(2024, 5, 15)))
def test_generated_consultations_use_topics_valid_that_day(consultation: Consultation) -> None:
    entry = codes.load(codes.CONSULTATION_TOPIC).get(consultation.topic, on=consultation.held_on)
    assert entry.is_valid_on(consultation.held_on)


def test_skat15_names_consultations_on_other_topics_instead_of_missing_them() -> None:
    facts = {
        "birth": dt.date(2004, 3, 10),
        "registered_at_af": True,
        "employment": [],
        "studies": [],
        "programs": [],
        "schooling": {"compulsory": True},
        "interventions": [{"type": "coachning", "from": dt.date(2024, 4, 1)}],
        "consents": [
            {
                "kind": "dua-information-exchange",
                "from": dt.date(2024, 3, 20),
                "scope": ["labour-market"],
            }
        ],
        "consultations": [{"on": dt.date(2024, 3, 20), "topic": JOINT_PLANNING}],
    }
    on = dt.date(2024, 5, 15)
    decision = evaluate(build_case(facts, on), "skat15", on)
    (reason,) = decision.reasons
    assert reason.code == "skat15.no-consultation"
    assert f"{JOINT_PLANNING} 2024-03-20" in reason.message_sv
    assert SKAT15_ASSESSMENT in reason.message_en
    assert "seeds/" not in reason.citation
    facts["consultations"] = [{"on": dt.date(2024, 3, 20), "topic": SKAT15_ASSESSMENT}]
    assert evaluate(build_case(facts, on), "skat15", on).is_eligible
