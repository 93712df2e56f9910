"""Issue 19, point 11: a policy that does not reveal what it withholds. No role sees a
set, or a value of another set, that implies a set withheld from it."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model.access import default_policy, filter_case
from ssbx_model.case import Case
from ssbx_model.codes import AF_PROGRAM, INTERVENTION_TYPE, load
from ssbx_model.information import Answer, AnswerStatus, InformationSet
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing import factories
from ssbx_model.testing import strategies as ss

S = InformationSet
ON = dt.date(2024, 9, 1)
IMPLYING_PROGRAMS = load(AF_PROGRAM).with_attribute("implies_disability", "yes")
IMPLYING_TYPES = load(INTERVENTION_TYPE).with_attribute("implies_disability", "yes")


def test_the_code_lists_mark_what_is_given_only_for_a_disability() -> None:
    assert {"LONEBIDRAG", "OSA"} == IMPLYING_PROGRAMS
    assert {"lonebidrag"} == IMPLYING_TYPES


def _case(*programs: str) -> Case:
    af = factories.provenance(ON)
    decisions = tuple(
        factories.program_decision(ON - dt.timedelta(days=30), program=p, decision_id=f"PB-{i}")
        for i, p in enumerate(programs)
    )
    lonebidrag = factories.municipal_intervention(
        ON - dt.timedelta(days=20), on=ON, intervention_type="lonebidrag"
    )
    coaching = attrs.evolve(
        factories.municipal_intervention(ON - dt.timedelta(days=20), on=ON),
        intervention_id="K-2",
    )
    return Case(
        factories.person(age=30, on=ON),
        "1287",
        enrolment=Answer.known(factories.enrolment(ON - dt.timedelta(days=400)), af),
        consents=Answer.known((factories.consent(ON - dt.timedelta(days=10)),), af),
        program_decisions=Answer.known(decisions, af) if decisions else Answer.absent(af),
        interventions=(lonebidrag, coaching),
    )


def test_a_wage_subsidy_decision_is_left_out_where_disability_codes_are_withheld() -> None:
    case = _case("LONEBIDRAG", "PRAKTIK", "OSA")
    officer = filter_case(case, role=Role.EMPLOYMENT_OFFICER, purpose=Purpose.LABOUR_MARKET, on=ON)
    assert [d.program for d in officer.case.program_decisions.items()] == ["PRAKTIK"]
    assert officer.case.program_decisions.reason is not None
    assert "förordning (2017:462)" in officer.case.program_decisions.reason
    assert len(officer.excluded) == 1
    # The officer records interventions itself: its own records are not cut.
    assert officer.case.interventions == case.interventions


def test_the_note_is_the_same_whether_or_not_anything_was_left_out() -> None:
    with_subsidy = filter_case(
        _case("LONEBIDRAG", "PRAKTIK"),
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=ON,
    )
    without = filter_case(
        _case("PRAKTIK"), role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON
    )
    assert with_subsidy.case.program_decisions.reason == without.case.program_decisions.reason
    assert with_subsidy.excluded == without.excluded
    assert [d.program for d in with_subsidy.case.program_decisions.items()] == ["PRAKTIK"]
    assert [d.program for d in without.case.program_decisions.items()] == ["PRAKTIK"]
    only = filter_case(
        _case("OSA"), role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON
    )
    none = filter_case(_case(), role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON)
    assert only.case.program_decisions.status is AnswerStatus.ABSENT
    assert only.case.program_decisions == none.case.program_decisions


def test_statistics_does_not_see_wage_subsidy_interventions() -> None:
    case = _case("PRAKTIK")
    stats = filter_case(case, role=Role.STATISTICS, purpose=Purpose.STATISTICS, on=ON)
    assert [i.intervention_type for i in stats.case.interventions] == ["arbetstraning"]
    assert stats.excluded


_PAIRS = sorted(default_policy().grants, key=lambda p: (p[0].value, p[1].value))


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=ss.cases(ON),
    pair=st.sampled_from(_PAIRS),
    programs=st.lists(st.sampled_from(sorted(load(AF_PROGRAM).codes)), max_size=3),
)
def test_no_role_sees_a_value_that_implies_a_set_withheld_from_it(
    case: Case, pair: tuple[Role, Purpose], programs: list[str]
) -> None:
    role, purpose = pair
    af = factories.provenance(ON)
    decisions = tuple(
        factories.program_decision(ON - dt.timedelta(days=30), program=p, decision_id=f"X-{i}")
        for i, p in enumerate(programs)
    )
    if decisions:
        case = attrs.evolve(case, program_decisions=Answer.known(decisions, af))
    seen = filter_case(case, role=role, purpose=purpose, on=ON)
    policy = default_policy()
    grant = policy.grant_for(role, purpose)
    for withheld_set in (S.DISABILITY_CODES, S.SIUS):
        if withheld_set in grant.sets:
            continue
        assert seen.case.answer(withheld_set).status in (
            AnswerStatus.WITHHELD,
            AnswerStatus.NOT_REQUESTED,
        )
    if S.DISABILITY_CODES not in grant.sets:
        answer = seen.case.program_decisions
        if answer.is_known:
            assert not {d.program for d in answer.items()} & IMPLYING_PROGRAMS
        writes = policy.writes.get((role, purpose))
        if writes is None or not writes.interventions:
            assert not {i.intervention_type for i in seen.case.interventions} & IMPLYING_TYPES
