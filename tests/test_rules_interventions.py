"""The intervention rules: assign-intervention, extratjanst, lonebidrag, sius, employer-check.

Data-file cases (tests/rules/cases/*.toml) pin the behaviour case by case; this module
holds the invariants (hypothesis) and what the data format cannot express: the collision
sweep against a day-by-day count, the text of a collision, ``check_employer`` on one
employer, masking of a sole trader's organisation number, and independence from the wall
clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
import types
from pathlib import Path
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer
from ssbx_model.information import (
    Activity,
    Answer,
    AnswerStatus,
    ApplicantCategorySpell,
    DisabilityCode,
    EmployerCheck,
    Enrolment,
    IncomeSupportDecision,
    InformationSet,
    InterventionConsultation,
    InterventionStatus,
    JobGuaranteeDays,
    MeasureAnswer,
    MunicipalIntervention,
    Owner,
    PaymentRemark,
    PaymentRemarkAssessment,
    ProgramDecision,
    Provenance,
    Provider,
)
from ssbx_model.rules import (
    Outcome,
    ReasonKind,
    assign_intervention,
    employer_check,
    evaluate,
    extratjanst,
    get_rule,
    lonebidrag,
    sius,
)
from ssbx_model.rules import parameters as rule_parameters
from ssbx_model.rules.assign_intervention import Collision, find_collisions
from ssbx_model.rules.employer_check import check_employer
from ssbx_model.testing import strategies as ss

CASES = Path(__file__).parent / "rules" / "cases"
RULE_IDS = ("assign-intervention", "extratjanst", "lonebidrag", "sius", "employer-check")
ONE_DAY = dt.timedelta(days=1)
ON = dt.date(2026, 3, 1)
PERSON = Personnummer.from_birth_date(dt.date(1990, 5, 17), 982)
LEGAL = Organisationsnummer.parse("556677-8899")
SOLE_TRADER = Organisationsnummer.parse("800101-9986", allow_sole_trader=True)
PROVENANCE = Provenance("AF", "1", dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC))


def registered(since: dt.date = dt.date(2025, 1, 1)) -> Answer[Enrolment]:
    spell = ApplicantCategorySpell("11", "öppet arbetslös", Extent(100), Period(since))
    return Answer.known(Enrolment(since, (spell,)))


def planned(
    start: dt.date, end: dt.date, percent: int, *, org: Organisationsnummer | None = LEGAL
) -> MunicipalIntervention:
    return MunicipalIntervention(
        "I1",
        "Praktik",
        "praktik",
        Period(start, end),
        Extent(percent),
        Provider("Anordnaren", org),
        InterventionStatus.PLANNED,
    )


def decision(*activities: tuple[dt.date, dt.date, int]) -> ProgramDecision:
    return ProgramDecision(
        "P1",
        "KROM",
        dt.date(2026, 1, 1),
        Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        Extent(100),
        tuple(Activity(f"A{i}", Period(s, e), Extent(p)) for i, (s, e, p) in enumerate(activities)),
    )


#: The sets these rules read (cheaper to draw than whole cases with every set).
SETS_READ = (
    InformationSet.ENROLMENT,
    InformationSet.PROGRAM_DECISIONS,
    InformationSet.DISABILITY_CODES,
    InformationSet.SIUS,
    InformationSet.JOB_GUARANTEE_DAYS,
    InformationSet.EMPLOYER_CHECKS,
)


#: AF's answers as light_cases draws them: mostly "no suitable measure".
ANSWERS = (
    MeasureAnswer.NO_SUITABLE_MEASURE,
    MeasureAnswer.NO_SUITABLE_MEASURE,
    MeasureAnswer.MEASURE_OFFERED,
    MeasureAnswer.NOT_ANSWERED,
)


@st.composite
def income_support_near(draw: st.DrawFn, on: dt.date) -> IncomeSupportDecision:
    """Försörjningsstöd for a calendar month from two months before ``on``'s to the next,
    decided up to ten days before its start or up to three weeks into it."""
    month = on.replace(day=1) + relativedelta(months=draw(st.sampled_from([0, 0, -1, 1, -2])))
    end = month + relativedelta(months=1) - ONE_DAY
    decided = month + dt.timedelta(days=draw(st.sampled_from([-10, -1, 0, 0, 2, 21])))
    return IncomeSupportDecision(f"FS-{month:%Y-%m}", decided, Period(month, end))


@st.composite
def light_cases(
    draw: st.DrawFn,
    on: dt.date,
    known: frozenset[InformationSet] = frozenset(),
) -> Case:
    """A case with only the sets these rules read (``known`` ones forced known), the
    municipality's interventions, and, usually, the employer checks re-pointed at the
    planned interventions' providers (random organisation numbers would never match)."""
    fields: dict[str, Any] = {}
    for which in SETS_READ:
        statuses = frozenset({AnswerStatus.KNOWN}) if which in known else None
        fields[which.value] = draw(ss.answers(ss.set_values(which, on), statuses=statuses, on=on))
    interventions = [
        draw(ss.municipal_interventions(on, intervention_id=f"I{i}"))
        for i in range(draw(st.integers(0, 2)))
    ]
    # The social-assistance unit's records: försörjningsstöd for months around the date
    # (decided before, on or after it), and consultations with AF mostly about the
    # proposal "P", sometimes about the case's other interventions.
    ids = ["P", "P", "P", *(i.intervention_id for i in interventions)]
    for which, values in (
        (
            InformationSet.INCOME_SUPPORT,
            st.lists(income_support_near(on), min_size=1, max_size=3).map(tuple),
        ),
        (
            InformationSet.INTERVENTION_CONSULTATIONS,
            st.lists(
                ss.intervention_consultations(on, intervention_ids=ids, answers=ANSWERS),
                min_size=1,
                max_size=3,
                unique_by=lambda c: (c.intervention_id, c.answered_on),
            ).map(tuple),
        ),
    ):
        statuses = frozenset({AnswerStatus.KNOWN}) if which in known else None
        fields[which.value] = draw(ss.answers(values, statuses=statuses, on=on))
    if draw(st.integers(0, 3)):  # usually a proposal: a planned intervention
        start = on + dt.timedelta(draw(st.integers(1, 60)))
        interventions.append(
            MunicipalIntervention(
                "P",
                "Praktik",
                "praktik",
                Period(start, start + dt.timedelta(draw(st.integers(0, 90)))),
                draw(ss.extents()),
                draw(ss.providers()),
                InterventionStatus.PLANNED,
            )
        )
    orgs = [
        i.provider.organisation_number
        for i in interventions
        if i.status is InterventionStatus.PLANNED and i.provider.organisation_number
    ]
    checks = fields["employer_checks"]
    if orgs and checks.is_known and draw(st.integers(0, 3)):
        fields["employer_checks"] = Answer.known(
            tuple(_pointed(draw, c, draw(st.sampled_from(orgs))) for c in checks.items())
        )
    return Case(PERSON, "1287", interventions=tuple(interventions), **fields)


def _pointed(draw: st.DrawFn, check: EmployerCheck, org: Organisationsnummer) -> EmployerCheck:
    """``check`` re-pointed at ``org``, and half the time with every ground clear."""
    if draw(st.booleans()) or any(o.trading_ban for o in check.owners):
        return attrs.evolve(check, organisation_number=org)
    return attrs.evolve(
        check,
        organisation_number=org,
        trading_ban=False,
        tax_debt_at_kronofogden_sek=0,
        payment_remarks=(),
    )


# --------------------------------------------------------------------------------------
# The collision sweep
# --------------------------------------------------------------------------------------


def daily_totals(spans: list[tuple[Period, int]], within: Period) -> dict[dt.date, int]:
    """The combined percent per day of ``within`` (a closed period), counted day by day."""
    totals = {}
    for day in within.iter_days():
        totals[day] = sum(p for period, p in spans if period.contains(day))
    return totals


@st.composite
def spans_and_window(draw: st.DrawFn) -> tuple[list[tuple[Period, int]], Period, int]:
    base = dt.date(2026, 1, 1)
    offsets = st.integers(0, 60)

    def period(open_end: bool) -> Period:
        start = base + dt.timedelta(draw(offsets))
        if open_end and draw(st.booleans()):
            return Period(start, None)
        return Period(start, start + dt.timedelta(draw(st.integers(0, 30))))

    spans = [
        (period(True), draw(st.sampled_from([10, 25, 50, 60, 75, 100])))
        for _ in range(draw(st.integers(0, 6)))
    ]
    return spans, period(False), draw(st.sampled_from([50, 100, 150]))


@settings(max_examples=200)
@given(spans_and_window())
def test_collisions_are_exactly_the_days_above_the_limit(
    drawn: tuple[list[tuple[Period, int]], Period, int],
) -> None:
    spans, within, limit = drawn
    found = find_collisions(spans, within, limit)
    expected = {d: t for d, t in daily_totals(spans, within).items() if t > limit}
    got: dict[dt.date, int] = {}
    for collision in found:
        for day in collision.period.iter_days():
            assert day not in got, "collisions overlap"
            got[day] = collision.percent
    assert got == expected
    # Ranges are maximal: two in a row either leave a gap or differ in percent.
    for a, b in itertools.pairwise(found):
        assert a.period.end is not None
        assert a.period.end < b.period.start
        assert a.period.end + ONE_DAY < b.period.start or a.percent != b.percent


def test_collision_sweep_does_not_walk_the_days() -> None:
    # Ten thousand years of days would take minutes day by day; the sweep sorts 4 dates.
    everything = Period(dt.date(1, 1, 1), dt.date(9999, 12, 31))
    found = find_collisions(
        [(everything, 60), (Period(dt.date(2000, 1, 1), None), 50)], everything, 100
    )
    assert found == (Collision(Period(dt.date(2000, 1, 1), dt.date(9999, 12, 31)), 110),)


def test_collision_is_written_as_a_compact_range_with_its_extent() -> None:
    collision = Collision(Period(dt.date(2026, 3, 2), dt.date(2026, 3, 13)), 150)
    assert str(collision) == "2026-03-02..2026-03-13 (150 %)"
    assert str(Collision(Period(dt.date(2026, 3, 2)), 110)) == "2026-03-02.. (110 %)"


def test_collision_reason_names_the_days_and_the_risk_to_activity_support() -> None:
    case = Case(
        PERSON,
        "1287",
        enrolment=registered(),
        program_decisions=Answer.known(
            (
                decision(
                    (dt.date(2026, 3, 2), dt.date(2026, 3, 13), 50),
                    (dt.date(2026, 3, 9), dt.date(2026, 3, 20), 25),
                ),
            )
        ),
        interventions=(planned(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 100),),
    )
    result = evaluate(case, "assign-intervention", ON)
    assert result.outcome is Outcome.NOT_ELIGIBLE
    (reason,) = result.reasons
    ranges = (
        "2026-03-02..2026-03-08 (150 %)",
        "2026-03-09..2026-03-13 (175 %)",
        "2026-03-14..2026-03-20 (125 %)",
    )
    assert dict(reason.facts)["collisions"] == ranges
    for text in ranges:
        assert text in reason.message_sv
        assert text in reason.message_en
    assert "aktivitetsstöd" in reason.message_sv
    assert "activity support" in reason.message_en


def test_a_long_list_of_collisions_is_shortened_in_the_text_but_complete_in_the_facts() -> None:
    # Twelve one-day activities on alternate days: twelve separate collisions.
    days = [dt.date(2026, 3, 2) + dt.timedelta(2 * i) for i in range(12)]
    case = Case(
        PERSON,
        "1287",
        enrolment=registered(),
        program_decisions=Answer.known((decision(*((d, d, 50) for d in days)),)),
        interventions=(planned(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 100),),
    )
    (reason,) = evaluate(case, "assign-intervention", ON).reasons
    assert len(dict(reason.facts)["collisions"]) == 12
    assert "(+2)" in reason.message_en


def spans_of(case: Case, proposed: MunicipalIntervention) -> list[tuple[Period, int]]:
    """Independently of the rule: AF's activities, the ongoing interventions, the proposal."""
    spans = [(proposed.period, proposed.extent.percent)]
    for d in case.program_decisions.items():
        spans.extend((a.period, a.extent.percent) for a in d.activities)
    spans.extend(
        (i.period, i.extent.percent)
        for i in case.interventions
        if i.status is InterventionStatus.ONGOING and i is not proposed
    )
    return spans


ASSIGN_KNOWN = frozenset(
    {
        InformationSet.ENROLMENT,
        InformationSet.PROGRAM_DECISIONS,
        InformationSet.INCOME_SUPPORT,
        InformationSet.INTERVENTION_CONSULTATIONS,
    }
)


@settings(max_examples=100)
@given(light_cases(ON, ASSIGN_KNOWN))
def test_assign_intervention_eligible_means_no_day_above_the_limit(case: Case) -> None:
    result = evaluate(case, "assign-intervention", ON)
    planned_ones = [i for i in case.interventions if i.status is InterventionStatus.PLANNED]
    overloaded = False
    for proposed in planned_ones:
        within = proposed.period
        if within.end is None:  # strategies keep planned periods closed; be safe
            within = Period(within.start, within.start + dt.timedelta(400))
        totals = daily_totals(spans_of(case, proposed), within)
        overloaded = overloaded or any(t > 100 for t in totals.values())
    if result.outcome is Outcome.ELIGIBLE:
        assert planned_ones
        assert not overloaded
    if overloaded:
        assert result.outcome is Outcome.NOT_ELIGIBLE
        # The first failing condition decides and is the reason given: registration is
        # checked before the collision, so the collision is the reason when registered.
        enrolment = case.enrolment.value
        if enrolment is not None and enrolment.is_registered_on(ON):
            assert "assign-intervention.collision" in result.reason_codes()
        else:
            assert "assign-intervention.not-registered-at-af" in result.reason_codes()


# --------------------------------------------------------------------------------------
# assign-intervention: the statute's own preconditions (socialtjänstlagen (2001:453)
# 4 kap. 4 §: "den som får försörjningsstöd", "samråda med Arbetsförmedlingen", "inte har
# kunnat erbjudas någon lämplig arbetsmarknadspolitisk åtgärd")
# --------------------------------------------------------------------------------------


def receives_support(case: Case, on: dt.date) -> bool:
    """Independently of the rule: a decision made by ``on`` grants support for ``on``."""
    return any(
        d.decided_on <= on and d.period.start <= on and (d.period.end is None or on <= d.period.end)
        for d in case.income_support.items()
    )


def af_answer(case: Case, intervention_id: str, on: dt.date) -> MeasureAnswer | None:
    """Independently of the rule: AF's last answer given by ``on`` in a consultation held
    by ``on`` about the intervention (None: no consultation, or none answered)."""
    last: tuple[dt.date, dt.date, MeasureAnswer] | None = None
    for c in case.intervention_consultations.items():
        if c.intervention_id != intervention_id or c.held_on > on:
            continue
        if c.answered_on is None or c.answered_on > on:
            continue
        if last is None or (c.answered_on, c.held_on) > last[:2]:
            last = (c.answered_on, c.held_on, c.answer)
    return None if last is None else last[2]


def consulted(case: Case, intervention_id: str, on: dt.date) -> bool:
    return any(
        c.intervention_id == intervention_id and c.held_on <= on
        for c in case.intervention_consultations.items()
    )


def planned_ids(case: Case) -> list[str]:
    return [i.intervention_id for i in case.interventions if i.status is InterventionStatus.PLANNED]


#: Reference dates: a month's first day, a month's middle, and a leap day.
STATUTE_DATES = (ON, dt.date(2026, 3, 16), dt.date(2028, 2, 29))


def statute_cases(
    known: frozenset[InformationSet] = frozenset(),
) -> st.SearchStrategy[tuple[Case, dt.date]]:
    return st.sampled_from(STATUTE_DATES).flatmap(
        lambda on: st.tuples(light_cases(on, known), st.just(on))
    )


@settings(max_examples=100)
@given(statute_cases(ASSIGN_KNOWN))
def test_assign_intervention_eligible_means_the_statutes_preconditions_hold(
    drawn: tuple[Case, dt.date],
) -> None:
    case, on = drawn
    case = attrs.evolve(case, enrolment=registered())  # registered: the rest decides
    result = evaluate(case, "assign-intervention", on)
    if result.outcome is Outcome.ELIGIBLE:
        assert receives_support(case, on)
        assert planned_ids(case)
        for intervention_id in planned_ids(case):
            assert af_answer(case, intervention_id, on) is MeasureAnswer.NO_SUITABLE_MEASURE


@settings(max_examples=120)
@given(statute_cases())
def test_a_precondition_known_missing_fails_and_one_not_known_is_unknown_naming_its_set(
    drawn: tuple[Case, dt.date],
) -> None:
    case, on = drawn
    result = evaluate(case, "assign-intervention", on)
    codes = result.reason_codes()
    # Not known: never eligible; unknown names the set unless another condition fails.
    if not case.income_support.is_decided:
        assert result.outcome is not Outcome.ELIGIBLE
        if result.outcome is Outcome.UNKNOWN:
            assert InformationSet.INCOME_SUPPORT in result.missing
    if planned_ids(case) and not case.intervention_consultations.is_decided:
        assert result.outcome is not Outcome.ELIGIBLE
        if result.outcome is Outcome.UNKNOWN:
            assert InformationSet.INTERVENTION_CONSULTATIONS in result.missing
    # Known to be missing: not eligible, with the condition's own reason.
    if case.income_support.is_decided and not receives_support(case, on):
        assert result.outcome is Outcome.NOT_ELIGIBLE
        assert "assign-intervention.no-income-support" in codes
    planned = planned_ids(case)
    if planned and case.intervention_consultations.is_decided:
        if not all(consulted(case, i, on) for i in planned):
            assert result.outcome is Outcome.NOT_ELIGIBLE
            assert "assign-intervention.no-af-consultation" in codes
        elif any(af_answer(case, i, on) is MeasureAnswer.MEASURE_OFFERED for i in planned):
            assert result.outcome is Outcome.NOT_ELIGIBLE
            assert "assign-intervention.measure-offered" in codes


@settings(max_examples=60)
@given(light_cases(ON, ASSIGN_KNOWN), st.integers(1, 30))
def test_what_happens_after_the_date_does_not_count(case: Case, later: int) -> None:
    # Moving every record's date past the reference date is the same as not having it:
    # an answer given later is an answer not yet given; a decision made later, none. The
    # answers keep their order (one shift for all), so none comes to contradict another.
    answers = [c.answered_on for c in case.intervention_consultations.items() if c.answered_on]
    shift = dt.timedelta((ON - min(answers, default=ON)).days + later)
    answered_later = tuple(
        attrs.evolve(c, answered_on=c.answered_on + shift) if c.answered_on is not None else c
        for c in case.intervention_consultations.items()
    )
    not_answered = tuple(
        attrs.evolve(c, answer=MeasureAnswer.NOT_ANSWERED, answered_on=None)
        for c in case.intervention_consultations.items()
    )
    one = evaluate(
        attrs.evolve(case, intervention_consultations=Answer.known(answered_later)),
        "assign-intervention",
        ON,
    )
    other = evaluate(
        attrs.evolve(case, intervention_consultations=Answer.known(not_answered)),
        "assign-intervention",
        ON,
    )
    assert (one.outcome, one.missing) == (other.outcome, other.missing)
    assert one.reason_codes() == other.reason_codes()
    decided_later = tuple(
        attrs.evolve(d, decided_on=ON + dt.timedelta(later)) for d in case.income_support.items()
    )
    late = evaluate(
        attrs.evolve(case, income_support=Answer.known(decided_later)), "assign-intervention", ON
    )
    none = evaluate(attrs.evolve(case, income_support=Answer.absent()), "assign-intervention", ON)
    assert late.outcome is none.outcome is Outcome.NOT_ELIGIBLE
    assert "assign-intervention.no-income-support" in late.reason_codes()


def statute_case(**changes: Any) -> Case:
    """Registered, no AF programs, a 50 % intervention planned for March 2026, the
    preconditions met (support for February, AF consulted on 2026-02-10: no measure)."""
    fields: dict[str, Any] = {
        "enrolment": registered(),
        "program_decisions": Answer.absent(),
        "income_support": Answer.known(
            (
                IncomeSupportDecision(
                    "FS-2026-02",
                    dt.date(2026, 2, 2),
                    Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
                ),
            )
        ),
        "intervention_consultations": Answer.known(
            (
                InterventionConsultation(
                    "I1",
                    dt.date(2026, 2, 10),
                    MeasureAnswer.NO_SUITABLE_MEASURE,
                    dt.date(2026, 2, 11),
                ),
            )
        ),
        "interventions": (planned(dt.date(2026, 3, 2), dt.date(2026, 3, 31), 50),),
    }
    fields.update(changes)
    return Case(PERSON, "1287", **fields)


FEB_20 = dt.date(2026, 2, 20)


def test_statute_case_is_eligible_and_its_trace_shows_the_records_read() -> None:
    decision = evaluate(statute_case(), "assign-intervention", FEB_20, trace=True)
    assert decision.outcome is Outcome.ELIGIBLE
    steps = {s.condition: dict(s.facts) for s in decision.trace}
    assert steps["receives-income-support"]["decisions_covering_the_date"] == (
        "FS-2026-02 2026-02-01..2026-02-28 (decided 2026-02-02)",
    )
    assert steps["af-consulted"]["consultation I1"] == (
        "consulted 2026-02-10, answered 2026-02-11: no-suitable-measure"
    )


def test_no_income_support_names_the_date_and_when_support_last_ran() -> None:
    january = IncomeSupportDecision(
        "FS-2026-01", dt.date(2026, 1, 2), Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    )
    late = IncomeSupportDecision(
        "FS-2026-02", dt.date(2026, 2, 23), Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    )
    case = statute_case(income_support=Answer.known((january, late)))
    (reason,) = evaluate(case, "assign-intervention", FEB_20).reasons
    assert reason.code == "assign-intervention.no-income-support"
    for text in (reason.message_sv, reason.message_en):
        assert "2026-02-20" in text
        assert "2026-01-31" in text
        assert "FS-2026-02" in text
    facts = dict(reason.facts)
    assert facts["last_support_until"] == dt.date(2026, 1, 31)
    assert facts["decided_after_the_date"] == ("FS-2026-02",)
    # On another date the same records give another text: nothing is a constant.
    (later,) = evaluate(case, "assign-intervention", dt.date(2026, 3, 1)).reasons
    assert "2026-03-01" in later.message_sv
    assert "FS-2026-02" not in later.message_sv  # it does not cover 2026-03-01
    assert "2026-02-28" in later.message_sv


def test_consultation_failures_name_every_intervention_and_answer_date() -> None:
    second = MunicipalIntervention(
        "I2",
        "Praktik",
        "praktik",
        Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        Extent(25),
        Provider("Anordnaren", LEGAL),
        InterventionStatus.PLANNED,
    )
    third = attrs.evolve(second, intervention_id="I3")
    offered = InterventionConsultation(
        "I2", dt.date(2026, 2, 12), MeasureAnswer.MEASURE_OFFERED, dt.date(2026, 2, 13)
    )
    case = statute_case(
        interventions=(*statute_case().interventions, second, third),
        intervention_consultations=Answer.known(
            (*statute_case().intervention_consultations.items(), offered)
        ),
    )
    (reason,) = evaluate(case, "assign-intervention", FEB_20).reasons
    assert reason.code == "assign-intervention.no-af-consultation"
    assert dict(reason.facts)["not_consulted"] == ("I3",)
    assert dict(reason.facts)["measure_offered"] == ("I2 (answered 2026-02-13)",)
    for text in (reason.message_sv, reason.message_en):
        assert "I3" in text
        assert "2026-02-13" in text
    # With I3 consulted too, only AF's offer remains.
    i3 = InterventionConsultation(
        "I3", dt.date(2026, 2, 14), MeasureAnswer.NO_SUITABLE_MEASURE, dt.date(2026, 2, 14)
    )
    both = attrs.evolve(
        case,
        intervention_consultations=Answer.known((*case.intervention_consultations.items(), i3)),
    )
    (reason,) = evaluate(both, "assign-intervention", FEB_20).reasons
    assert reason.code == "assign-intervention.measure-offered"
    assert "2026-02-13" in reason.message_sv


def test_an_unanswered_consultation_is_unknown_and_says_when_it_was_held() -> None:
    pending = InterventionConsultation("I1", dt.date(2026, 2, 18), MeasureAnswer.NOT_ANSWERED)
    case = statute_case(intervention_consultations=Answer.known((pending,)))
    decision = evaluate(case, "assign-intervention", FEB_20)
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.missing == (InformationSet.INTERVENTION_CONSULTATIONS,)
    (reason,) = decision.reasons
    assert reason.code == "assign-intervention.af-answer-pending"
    for text in (reason.message_sv, reason.message_en):
        assert "2026-02-18" in text
        assert "2026-02-20" in text


@pytest.mark.parametrize(
    "changes",
    [
        {"income_support": Answer.not_requested()},
        {"intervention_consultations": Answer.unavailable("timeout (test)", PROVENANCE)},
    ],
)
def test_a_record_not_known_names_its_set(changes: dict[str, Any]) -> None:
    decision = evaluate(statute_case(**changes), "assign-intervention", FEB_20)
    (which,) = changes
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.missing == (InformationSet(which),)
    assert decision.reason_codes() == (f"assign-intervention.missing.{which}",)


def test_the_citations_name_public_documents_and_the_law_in_force() -> None:
    rule = get_rule("assign-intervention")
    decision = evaluate(statute_case(), "assign-intervention", FEB_20, trace=True)
    citations = [rule.citation, *(r.citation for r in decision.reasons)]
    citations += [s.citation for s in decision.trace]
    for citation in citations:
        assert "seeds/" not in citation
        assert ".txt" not in citation
    for code in ("receives-income-support", "af-consulted"):
        (reason,) = [r for r in decision.reasons if r.code == f"assign-intervention.{code}"]
        assert "socialtjänstlagen (2001:453) 4 kap. 4 §" in reason.citation
        assert "until 2025-06-30" in reason.citation
        assert "2024/25:89" in reason.citation


# --------------------------------------------------------------------------------------
# Invariants of every rule here: decided outcomes survive losing information only as
# "unknown"; lönebidrag, SIUS and extratjänst eligible imply their facts
# --------------------------------------------------------------------------------------

UNDECIDED: tuple[Answer[Any], ...] = (
    Answer.not_requested(),
    Answer.unavailable("timeout (test)", PROVENANCE),
    Answer.withheld("not needed for this purpose (test)"),
)


@st.composite
def dated_cases(draw: st.DrawFn) -> tuple[Case, dt.date]:
    # The parameters of lonebidrag, sius and employer-check start with förordning
    # (2017:462) on 2017-07-01; earlier dates are a RuleError by design.
    on = draw(
        st.dates(dt.date(2017, 7, 1), dt.date(2021, 12, 31))  # extratjänst open
        | st.dates(dt.date(2022, 1, 1), dt.date(2029, 12, 31))
    )
    return draw(light_cases(on)), on


@settings(max_examples=60)
@given(dated_cases(), st.sampled_from(RULE_IDS), st.sampled_from(UNDECIDED))
def test_losing_a_needed_set_never_flips_a_decided_outcome(
    drawn: tuple[Case, dt.date], rule_id: str, answer: Answer[Any]
) -> None:
    case, on = drawn
    before = evaluate(case, rule_id, on).outcome
    for which in get_rule(rule_id).needs:
        changes: dict[str, Any] = {which.value: answer}
        after = evaluate(attrs.evolve(case, **changes), rule_id, on)
        if before is Outcome.UNKNOWN:
            continue
        assert after.outcome in (before, Outcome.UNKNOWN), (which, before, after.reasons)
        if after.outcome is Outcome.UNKNOWN:
            assert after.missing, "unknown must name what would settle it"


@st.composite
def disability_cases(draw: st.DrawFn) -> tuple[Case, dt.date]:
    """Cases with disability codes registered before, on and after the date."""
    on = draw(st.dates(dt.date(2018, 1, 1), dt.date(2028, 12, 31)))
    case = draw(light_cases(on))
    codes = st.sampled_from(["mobility", "hearing", "vision", "mental", "allergy"])
    items = [
        DisabilityCode(draw(codes), on + dt.timedelta(draw(st.integers(-900, 60))), "AF")
        for _ in range(draw(st.integers(0, 4)))
    ]
    status = draw(st.sampled_from([AnswerStatus.KNOWN, AnswerStatus.KNOWN, AnswerStatus.ABSENT]))
    answer: Answer[tuple[DisabilityCode, ...]] = (
        Answer.known(tuple(items)) if items and status is AnswerStatus.KNOWN else Answer.absent()
    )
    return attrs.evolve(case, disability_codes=answer), on


@settings(max_examples=80)
@given(disability_cases())
def test_lonebidrag_eligible_means_registered_and_a_code_by_the_date(
    drawn: tuple[Case, dt.date],
) -> None:
    case, on = drawn
    result = evaluate(case, "lonebidrag", on)
    if result.outcome is Outcome.ELIGIBLE:
        assert case.enrolment.value is not None
        assert case.enrolment.value.is_registered_on(on)
        assert any(c.registered_on <= on for c in case.disability_codes.items())
    if case.disability_codes.is_decided and not any(
        c.registered_on <= on for c in case.disability_codes.items()
    ):
        assert result.outcome is not Outcome.ELIGIBLE


@settings(max_examples=80)
@given(disability_cases())
def test_sius_eligible_means_an_active_sius_or_enough_codes_by_the_date(
    drawn: tuple[Case, dt.date],
) -> None:
    case, on = drawn
    result = evaluate(case, "sius", on)
    active = case.sius.is_known and any(s.period.contains(on) for s in case.sius.items())
    codes = {c.code for c in case.disability_codes.items() if c.registered_on <= on}
    if result.outcome is Outcome.ELIGIBLE:
        assert active or len(codes) >= 3
        if not active:
            assert result.warnings, "an answer through the count carries its doubt"
    if active:
        assert result.outcome is Outcome.ELIGIBLE


@settings(max_examples=80)
@given(
    st.dates(dt.date(2014, 1, 1), dt.date(2027, 12, 31)).flatmap(
        lambda on: st.tuples(
            light_cases(on, frozenset({InformationSet.JOB_GUARANTEE_DAYS})), st.just(on)
        )
    )
)
def test_extratjanst_eligible_means_open_registered_and_a_qualifying_guarantee(
    drawn: tuple[Case, dt.date],
) -> None:
    case, on = drawn
    result = evaluate(case, "extratjanst", on)
    if result.outcome is not Outcome.ELIGIBLE:
        return
    assert dt.date(2015, 11, 1) <= on <= dt.date(2021, 12, 31)
    assert case.enrolment.value is not None
    assert case.enrolment.value.is_registered_on(on)
    days = case.job_guarantee_days.value
    assert days is not None
    low, _ = extratjanst.job_guarantee_days_bounds(days.days_used, days.as_of, on)
    establishment = any(
        d.program == "ETABL" and d.period.start <= on
        for d in (case.program_decisions.items() if case.program_decisions.is_decided else ())
    ) or any(s.program == "ETABL" and s.period.start <= on for s in days.program_history)
    assert low >= 450 or (on >= dt.date(2016, 12, 1) and establishment)


@pytest.mark.parametrize(
    ("days_used", "as_of", "on", "expected"),
    [
        (450, dt.date(2021, 3, 1), dt.date(2021, 3, 1), (450, 450)),
        (440, dt.date(2021, 1, 30), dt.date(2021, 3, 1), (440, 470)),
        (460, dt.date(2021, 3, 6), dt.date(2021, 3, 1), (455, 460)),
        (3, dt.date(2021, 3, 6), dt.date(2021, 3, 1), (0, 3)),
    ],
)
def test_job_guarantee_days_bounds_follow_from_days_growing_at_most_one_a_day(
    days_used: int, as_of: dt.date, on: dt.date, expected: tuple[int, int]
) -> None:
    assert extratjanst.job_guarantee_days_bounds(days_used, as_of, on) == expected


def test_extratjanst_count_close_to_the_limit_from_another_date_is_unknown() -> None:
    case = Case(
        PERSON,
        "1287",
        enrolment=registered(dt.date(2018, 1, 1)),
        program_decisions=Answer.absent(),
        job_guarantee_days=Answer.known(JobGuaranteeDays(445, dt.date(2021, 2, 20))),
    )
    result = evaluate(case, "extratjanst", dt.date(2021, 3, 1))
    assert result.outcome is Outcome.UNKNOWN
    assert result.missing == (InformationSet.JOB_GUARANTEE_DAYS,)


# --------------------------------------------------------------------------------------
# Employer check
# --------------------------------------------------------------------------------------

THRESHOLDS = st.fixed_dictionaries(
    {
        "employer_check.max_tax_debt_sek": st.sampled_from([0, 1000, 20000]),
        "employer_check.remark_threshold_enabled": st.booleans(),
        "employer_check.remark_threshold_sek": st.sampled_from([0, 5000, 100000]),
    }
)


@st.composite
def checks(draw: st.DrawFn) -> tuple[EmployerCheck, dt.date]:
    on = draw(st.dates(dt.date(2018, 1, 1), dt.date(2028, 12, 31)))
    check = draw(ss.employer_checks(on))
    banned_owner = any(o.significant_influence and o.trading_ban for o in check.owners)
    any_owner_banned = any(o.trading_ban for o in check.owners)
    flags = [None, True] if any_owner_banned else [None, True, False]
    remarks = draw(
        st.none()
        | st.lists(
            st.builds(
                PaymentRemark,
                st.dates(dt.date(2010, 1, 1), check.checked_on),
                st.sampled_from([0, 800, 4000, 60000]),
                st.just("obetald faktura"),
                st.sampled_from(PaymentRemarkAssessment),
            ),
            max_size=3,
        ).map(tuple)
    )
    check = attrs.evolve(
        check,
        trading_ban=draw(st.sampled_from(flags)) if not banned_owner else check.trading_ban,
        tax_debt_at_kronofogden_sek=draw(st.sampled_from([None, 0, 500, 12500, 50000])),
        payment_remarks=remarks,
    )
    return check, on


def _remarks_verdict(check: EmployerCheck, on: dt.date, params: dict[str, Any]) -> bool | None:
    """Independently of the rule: do the payment remarks fail (True), pass (False), or is
    it open (None)? AF's assessment decides; an amount only for remarks not assessed."""
    if check.payment_remarks is None:
        return None
    counted = [r for r in check.payment_remarks if r.registered_on <= on]
    if any(r.af_assessment is PaymentRemarkAssessment.NOT_INSIGNIFICANT for r in counted):
        return True
    open_sek = [
        r.amount_sek for r in counted if r.af_assessment is PaymentRemarkAssessment.NOT_ASSESSED
    ]
    if not open_sek:
        return False
    if not params["employer_check.remark_threshold_enabled"]:
        return None
    return sum(open_sek) > params["employer_check.remark_threshold_sek"]


@settings(max_examples=200)
@given(checks(), THRESHOLDS)
def test_employer_check_fails_iff_a_ground_fails_and_passes_iff_every_ground_holds(
    drawn: tuple[EmployerCheck, dt.date], thresholds: dict[str, Any]
) -> None:
    check, on = drawn
    max_tax = thresholds["employer_check.max_tax_debt_sek"]
    ban = check.trading_ban is True or any(
        o.significant_influence and o.trading_ban for o in check.owners
    )
    debt = check.tax_debt_at_kronofogden_sek
    remarks = _remarks_verdict(check, on, thresholds)
    fails = ban or (debt is not None and debt > max_tax) or remarks is True
    passes = (
        check.trading_ban is False
        and not ban
        and debt is not None
        and debt <= max_tax
        and remarks is False
    )
    result = check_employer(check, on, thresholds)
    assert (result.outcome is Outcome.NOT_ELIGIBLE) == fails
    assert (result.outcome is Outcome.ELIGIBLE) == passes
    failed_grounds = {dict(r.facts)["ground"] for r in result.reasons if r.kind is ReasonKind.FAILS}
    expected = {
        g
        for g, bad in (
            ("trading-ban", ban),
            ("tax-debt", debt is not None and debt > max_tax),
            ("payment-remarks", remarks is True),
        )
        if bad
    }
    assert failed_grounds == expected
    if result.outcome is Outcome.UNKNOWN:
        assert result.missing == (InformationSet.EMPLOYER_CHECKS,)
        assert all(r.code.endswith((".not-checked", ".not-assessed")) for r in result.reasons)


def test_check_employer_gives_one_reason_per_ground_with_the_code_list_codes() -> None:
    check = EmployerCheck(
        LEGAL,
        dt.date(2026, 2, 20),
        trading_ban=False,
        tax_debt_at_kronofogden_sek=0,
        payment_remarks=(),
    )
    result = check_employer(check, ON)
    assert result.outcome is Outcome.ELIGIBLE
    assert result.rule_id == "employer-check"
    assert result.subject == "556677-8899"  # a legal person's number is public
    assert [dict(r.facts)["ground"] for r in result.reasons] == list(employer_check.GROUNDS)
    assert len(result.trace) == 3
    assert result.parameters["employer_check.max_tax_debt_sek"] == 0


def test_check_employer_names_what_was_not_checked() -> None:
    result = check_employer(EmployerCheck(LEGAL, dt.date(2026, 2, 20), trading_ban=False), ON)
    assert result.outcome is Outcome.UNKNOWN
    assert set(result.reason_codes()) == {
        "employer-check.tax-debt.not-checked",
        "employer-check.payment-remarks.not-checked",
    }


def test_check_employer_what_if_threshold() -> None:
    check = EmployerCheck(
        LEGAL,
        dt.date(2026, 2, 20),
        trading_ban=False,
        tax_debt_at_kronofogden_sek=0,
        payment_remarks=(PaymentRemark(dt.date(2025, 5, 1), 1500, "obetald faktura"),),
    )
    # AF has not assessed the remark: open, since no threshold is set by default.
    assert check_employer(check, ON).outcome is Outcome.UNKNOWN
    enabled = {"employer_check.remark_threshold_enabled": True}
    assert check_employer(check, ON, enabled).outcome is Outcome.NOT_ELIGIBLE  # 0 kr
    relaxed = {**enabled, "employer_check.remark_threshold_sek": 2000}
    assert check_employer(check, ON, relaxed).outcome is Outcome.ELIGIBLE


def test_a_sole_traders_organisation_number_never_appears_in_clear() -> None:
    check = EmployerCheck(
        SOLE_TRADER,
        dt.date(2026, 2, 20),
        owners=(Owner("Enskild Näringsidkare", None, True, True),),
        trading_ban=True,
        tax_debt_at_kronofogden_sek=3000,
        payment_remarks=(PaymentRemark(dt.date(2025, 5, 1), 1500, "obetald faktura"),),
    )
    case = Case(
        PERSON,
        "1287",
        employer_checks=Answer.known((check,)),
        interventions=(planned(dt.date(2026, 4, 1), dt.date(2026, 6, 30), 50, org=SOLE_TRADER),),
    )
    clear = SOLE_TRADER.reveal()
    texts = [
        json.dumps(check_employer(check, ON).to_json(), ensure_ascii=False),
        json.dumps(evaluate(case, "employer-check", ON, trace=True).to_json(), ensure_ascii=False),
    ]
    for text in texts:
        assert clear not in text
        assert clear.replace("-", "") not in text
        assert "800101-****" in text
        assert "Enskild Näringsidkare" not in text  # owners' names stay out


def test_employer_check_of_a_case_is_about_the_planned_provider_only() -> None:
    other = Organisationsnummer.parse("212000-1298")
    failing = EmployerCheck(other, dt.date(2026, 2, 1), trading_ban=True)
    clean = EmployerCheck(
        LEGAL, dt.date(2026, 2, 1), trading_ban=False, tax_debt_at_kronofogden_sek=0,
        payment_remarks=(),
    )  # fmt: skip
    case = Case(
        PERSON,
        "1287",
        employer_checks=Answer.known((failing, clean)),
        interventions=(planned(dt.date(2026, 4, 1), dt.date(2026, 6, 30), 50),),
    )
    assert evaluate(case, "employer-check", ON).outcome is Outcome.ELIGIBLE


# --------------------------------------------------------------------------------------
# Parameters, citations, and the wall clock
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_and_parameter_value_is_cited(rule_id: str) -> None:
    rule = get_rule(rule_id)
    assert rule.citation.strip()
    assert rule.source_text.strip()
    for name in rule.parameters:
        parameter = rule_parameters.get(name)
        assert parameter.values
        assert all(v.reference.strip() for v in parameter.values)


def test_the_sius_count_is_documented_as_doubtful() -> None:
    parameter = rule_parameters.get("sius.min_disability_codes")
    assert parameter.note is not None
    assert "DOUBTFUL" in parameter.note
    assert parameter.values[-1].value == 3
    assert "Tabell 6" in parameter.values[-1].reference


def test_extratjanst_closed_for_new_assignments_from_2022() -> None:
    assert rule_parameters.value("extratjanst.open_for_new_assignments", dt.date(2021, 12, 31))
    assert not rule_parameters.value("extratjanst.open_for_new_assignments", dt.date(2022, 1, 1))


class _NoClockDate(dt.date):
    @classmethod
    def today(cls) -> Any:
        raise AssertionError("a rule read the wall clock (date.today)")


class _NoClockDatetime(dt.datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Any:
        raise AssertionError("a rule read the wall clock (datetime.now)")

    @classmethod
    def today(cls) -> Any:
        raise AssertionError("a rule read the wall clock (datetime.today)")

    @classmethod
    def utcnow(cls) -> Any:
        raise AssertionError("a rule read the wall clock (datetime.utcnow)")


def _no_clock() -> types.SimpleNamespace:
    fake = types.SimpleNamespace(**{k: getattr(dt, k) for k in dir(dt) if not k.startswith("__")})
    fake.date = _NoClockDate
    fake.datetime = _NoClockDatetime
    return fake


def _stopped_clock(*args: Any) -> float:
    raise AssertionError("a rule read the wall clock (time.time)")


@pytest.fixture
def no_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clock a rule could read raises while the fixture is active."""
    for module in (assign_intervention, extratjanst, lonebidrag, sius, employer_check):
        monkeypatch.setattr(module, "dt", _no_clock())
    monkeypatch.setattr(time, "time", _stopped_clock)
    monkeypatch.setattr(time, "time_ns", _stopped_clock)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rules_do_not_read_the_wall_clock(rule_id: str, no_wall_clock: None) -> None:
    from ssbx_model.rules import testcases

    path = CASES / f"{rule_id}.toml"
    for rule_case in testcases.load_file(path):
        result = testcases.run_case(rule_case)
        assert result.ok, (rule_case.name, result.failures)
        decision = evaluate(rule_case.case, rule_id, rule_case.on, rule_case.parameters, trace=True)
        assert decision.trace
