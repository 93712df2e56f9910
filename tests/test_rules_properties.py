"""Property tests of rule invariants over generated cases (hypothesis).

- Removing a needed information set (its answer replaced by "not requested") turns a
  decided outcome into ``unknown`` or leaves it, never into the opposite outcome.
- ``unknown`` always names missing sets; a decided outcome never does.
- What each group's eligibility implies (skat15: 16-24, registered, no AF program; kaa:
  under 20; uvas: the yearly limits; inuk: exactly the interventions that pass every
  check, with Dua's exclusions as parameters).
- skat15 and INUK share one definition of a current municipal intervention.
- No rule result changes when the wall clock changes.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import rebuilt

from ssbx_model.case import Case
from ssbx_model.codes import INTERVENTION_TYPE, load
from ssbx_model.information import Answer, AnswerStatus, InformationSet
from ssbx_model.information.intervention import InterventionStatus
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.rules import (
    Decision,
    Outcome,
    evaluate,
    evaluate_many,
    get_rule,
    register_rule,
    rule_ids,
    unregister_rule,
)
from ssbx_model.rules.authoring import ConditionRule, ItemRule, Mode
from ssbx_model.rules.inuk import inuk_reportable
from ssbx_model.testing import strategies as ss

# Every parameter has a value from 2020 on; the strategies keep facts in 2015-2030.
DATES = st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31))
OURS = ("consent", "skat15", "kaa", "uvas", "inuk", "kaa-reconcile")
PROPERTY = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def dated_cases(draw: st.DrawFn, **kwargs: object) -> tuple[Case, dt.date]:
    on = draw(DATES)
    return draw(ss.cases(on, **kwargs)), on  # type: ignore[arg-type]


def _not_requested(case: Case, which: InformationSet) -> Case:
    return attrs.evolve(case, **{which.value: Answer(AnswerStatus.NOT_REQUESTED)})


@PROPERTY
@given(data=dated_cases(), which=st.sampled_from(list(InformationSet)))
def test_removing_a_set_never_turns_a_decision_into_its_opposite(
    data: tuple[Case, dt.date], which: InformationSet
) -> None:
    case, on = data
    reduced = _not_requested(case, which)
    for rule_id in rule_ids():
        before = evaluate(case, rule_id, on)
        after = evaluate(reduced, rule_id, on)
        if before.outcome is not Outcome.UNKNOWN:
            assert after.outcome in (before.outcome, Outcome.UNKNOWN), (before, after)
        if after.outcome is Outcome.UNKNOWN and before.outcome is not Outcome.UNKNOWN:
            assert which in after.missing
            assert which in get_rule(rule_id).needs


@PROPERTY
@given(data=dated_cases())
def test_unknown_names_missing_sets_and_decided_names_none(data: tuple[Case, dt.date]) -> None:
    case, on = data
    for decision in evaluate_many([case], rule_ids(), on):
        assert decision.reasons
        if decision.outcome is Outcome.UNKNOWN:
            assert decision.missing
            # A rule may treat a decided answer as open (kaa: no schooling record), so
            # the missing sets are the rule's needs, not necessarily undecided answers.
            assert set(decision.missing) <= set(get_rule(decision.rule_id).needs)
        else:
            assert decision.missing == ()


@PROPERTY
@given(data=dated_cases(age_between=(14, 27), max_interventions=4))
def test_evaluate_many_decides_as_a_separate_traced_evaluation(data: tuple[Case, dt.date]) -> None:
    # evaluate_many stops a first-failure rule at its first failure; a traced evaluate
    # runs every condition. The outcome, reasons (codes, texts, facts), missing sets and
    # trace are the same.
    case, on = data
    quick = list(evaluate_many([case], rule_ids(), on))
    for decision in quick:
        full = evaluate(case, decision.rule_id, on, trace=True)
        assert decision.outcome is full.outcome
        assert decision.missing == full.missing
        assert decision.reasons == full.reasons
        assert decision.trace == full.trace
        assert decision == full
        assert decision.to_json() == full.to_json()


@PROPERTY
@given(
    on=DATES,
    data=st.data(),
)
def test_evaluate_many_over_many_cases_decides_each_as_evaluate(
    on: dt.date, data: st.DataObject
) -> None:
    # One run over several cases: the engine keeps the verdicts it has combined for a run
    # of results and looks them up for later cases; each decision is still evaluate's.
    cases = data.draw(st.lists(ss.cases(on, age_between=(14, 27)), min_size=2, max_size=6))
    ids = rule_ids()
    many = list(evaluate_many(cases, ids, on))
    for decision, (case, rule_id) in zip(many, [(c, r) for c in cases for r in ids], strict=True):
        full = evaluate(case, rule_id, on)
        assert (decision.outcome, decision.missing) == (full.outcome, full.missing)
        assert decision.reasons == full.reasons


# Rules made of conditions about the case (an item rule's mode is about each item).
_CONDITION_RULES = [
    r
    for r in map(get_rule, rule_ids())
    if isinstance(r, ConditionRule) and not isinstance(r, ItemRule)
]


@PROPERTY
@given(
    data=dated_cases(age_between=(14, 27), max_interventions=4),
    rule=st.sampled_from(_CONDITION_RULES),
)
def test_the_mode_changes_which_failures_are_reported_not_the_outcome(
    data: tuple[Case, dt.date], rule: ConditionRule
) -> None:
    # Every failure reported or the first one deciding: the same outcome and missing
    # sets, and the first mode's reasons are the other's first failure and warnings.
    case, on = data
    every = evaluate(case, rule.id, on)
    for mode in Mode:
        other = rebuilt(rule, type(rule), id=f"{rule.id}-{mode.value}", mode=mode)
        register_rule(other)
        try:
            again = evaluate(case, other.id, on)
        finally:
            unregister_rule(other.id)
        assert (again.outcome, again.missing) == (every.outcome, every.missing)
        if every.outcome is not Outcome.NOT_ELIGIBLE:
            assert again.reasons == every.reasons


@PROPERTY
@given(data=dated_cases())
def test_reasons_are_coded_cited_and_masked(data: tuple[Case, dt.date]) -> None:
    case, on = data
    digits = case.person.reveal()
    for rule_id in OURS:
        decision = evaluate(case, rule_id, on, trace=True)
        for reason in decision.reasons:
            assert reason.code.startswith(f"{rule_id}.")
            assert reason.citation
            assert reason.message_sv
            assert reason.message_en
        text = json.dumps(decision.to_json(), default=str)
        assert digits not in text
        assert digits.replace("-", "") not in text
        assert Decision.from_json(json.loads(text)) == decision


@PROPERTY
@given(data=dated_cases(age_between=(14, 27)))
def test_skat15_eligible_implies_age_registration_and_no_af_program(
    data: tuple[Case, dt.date],
) -> None:
    case, on = data
    decision = evaluate(case, "skat15", on)
    if decision.outcome is not Outcome.ELIGIBLE:
        return
    assert 16 <= case.person.age_on(on) <= 24
    enrolment = case.enrolment.value
    assert enrolment is not None
    assert enrolment.is_registered_on(on)
    assert case.program_decisions.is_decided
    assert not any(p.covers(on) for p in case.program_decisions.items())
    schooling = case.schooling.value
    if schooling is not None:
        current = schooling.enrolment_on(on)
        assert current is None or current.kind is not ProgrammeKind.INTRODUCTION


@PROPERTY
@given(data=dated_cases(age_between=(15, 22)))
def test_kaa_eligible_implies_under_20_and_not_in_a_national_programme(
    data: tuple[Case, dt.date],
) -> None:
    case, on = data
    decision = evaluate(case, "kaa", on)
    if decision.outcome is Outcome.ELIGIBLE:
        assert case.person.age_on(on) < 20
        schooling = case.schooling.value
        assert schooling is not None
        assert schooling.compulsory_school_completed
        assert not schooling.has_diploma_on(on)
        current = schooling.enrolment_on(on)
        assert current is None or current.kind is ProgrammeKind.INTRODUCTION
    if case.person.age_on(on) >= 20:
        assert decision.outcome is Outcome.NOT_ELIGIBLE


@PROPERTY
@given(data=dated_cases(age_between=(14, 31)))
def test_uvas_eligible_implies_the_yearly_limits(data: tuple[Case, dt.date]) -> None:
    case, on = data
    decision = evaluate(case, "uvas", on)
    if decision.outcome is not Outcome.ELIGIBLE:
        return
    year = on.year
    assert 16 <= year - case.person.birth_date.year <= 29
    limit = int(decision.parameters["prisbasbelopp"])
    assert sum(i.amount_sek for i in case.income.items() if i.year == year) <= limit
    assert not any(f.received for f in case.student_finance.items() if f.year == year)
    assert sum(h.hours for h in case.sfi_hours.items() if h.year == year) <= 60
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    assert not any(
        s.period.start <= last and (s.period.end is None or s.period.end >= first)
        for s in case.studies.items()
    )


_TYPES = load(INTERVENTION_TYPE)
_SUMMER = _TYPES.with_attribute("summer_job", "yes")
_AF = _TYPES.with_attribute("af_decided", "yes")
_JOINT = frozenset(
    e.code
    for e in _TYPES
    if e.attributes.get("af_program") in load("af-program").with_attribute("kind", "joint-effort")
)
_EXCLUSIONS = st.fixed_dictionaries(
    {
        "inuk.exclude.af_decided": st.booleans(),
        "inuk.exclude.joint_efforts": st.booleans(),
        "inuk.exclude.summer_jobs": st.booleans(),
    }
)


def _some_planned(case: Case, flips: list[bool]) -> Case:
    """The case with some interventions marked planned whatever their period (a planned
    intervention whose planned first day has come: the status was not updated)."""
    interventions = tuple(
        attrs.evolve(i, status=InterventionStatus.PLANNED, result=None)
        if flip and i.status is not InterventionStatus.PLANNED
        else i
        for i, flip in zip(case.interventions, [*flips, *[False] * 8], strict=False)
    )
    return attrs.evolve(case, interventions=interventions)


@PROPERTY
@given(
    data=dated_cases(age_between=(14, 27), max_interventions=4),
    exclude=_EXCLUSIONS,
    flips=st.lists(st.booleans(), max_size=4),
)
def test_inuk_eligible_iff_some_intervention_is_reportable(
    data: tuple[Case, dt.date], exclude: dict[str, bool], flips: list[bool]
) -> None:
    case, on = data
    case = _some_planned(case, flips)
    decision = evaluate(case, "inuk", on, exclude)
    per_intervention = [inuk_reportable(case, i, on, exclude) for i in case.interventions]
    reportable = [d for d in per_intervention if d.is_eligible]
    assert (decision.outcome is Outcome.ELIGIBLE) == bool(reportable)
    assert decision.outcome is not Outcome.UNKNOWN
    first = on.replace(day=1)
    for intervention, single in zip(case.interventions, per_intervention, strict=True):
        kind = intervention.intervention_type
        left_out = (
            (exclude["inuk.exclude.joint_efforts"] and kind in _JOINT)
            or (exclude["inuk.exclude.af_decided"] and kind in _AF and kind not in _JOINT)
            or (exclude["inuk.exclude.summer_jobs"] and kind in _SUMMER)
        )
        expected = (
            not left_out
            and intervention.period.end is not None
            and intervention.is_current(first, on)
            and 16 <= case.person.age_on(intervention.period.start) <= 24
        )
        # Exactly the interventions that pass every check, and no planned one.
        assert single.is_eligible == expected, (intervention, single.reasons)
        if intervention.status is InterventionStatus.PLANNED:
            assert not single.is_eligible


@PROPERTY
@given(
    data=dated_cases(age_between=(16, 24), max_interventions=4),
    flips=st.lists(st.booleans(), max_size=4),
)
def test_skat15_and_inuk_share_one_definition_of_a_current_municipal_intervention(
    data: tuple[Case, dt.date], flips: list[bool]
) -> None:
    case, on = data
    case = _some_planned(case, flips)
    current = [i for i in case.interventions if i.is_current(on)]
    # skat15: "bara har insatser från kommunen" over the current interventions only.
    skat15 = evaluate(case, "skat15", on, trace=True)
    [step] = [s for s in skat15.trace if s.condition == "only-municipal-interventions"]
    own = [i for i in current if i.intervention_type not in _AF | _SUMMER]
    af = [i for i in current if i.intervention_type in _AF]
    assert (step.result.value == "holds") == (bool(own) and not af), (current, step)
    # INUK: every intervention current on the date is current in its month, and a
    # planned one is current for neither.
    for intervention in case.interventions:
        decision = inuk_reportable(case, intervention, on)
        [inuk_step] = [s for s in decision.trace if s.condition == "current"]
        if intervention in current:
            assert inuk_step.result.value == "holds"
        if intervention.status is InterventionStatus.PLANNED:
            assert intervention not in current
            assert inuk_step.result.value == "fails"


# -- the wall clock ------------------------------------------------------------------------

_FUTURE = 4102444800.0  # 2100-01-01T00:00:00Z


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(dated_cases(), min_size=1, max_size=3))
def test_no_rule_result_changes_when_the_wall_clock_changes(
    cases: list[tuple[Case, dt.date]],
) -> None:
    def run() -> list[dict[str, object]]:
        return [d.to_json() for case, on in cases for d in evaluate_many([case], rule_ids(), on)]

    before = run()
    with pytest.MonkeyPatch.context() as patch:
        # date.today() reads time.time(); move every clock the library could read.
        patch.setattr(time, "time", lambda: _FUTURE)
        patch.setattr(time, "time_ns", lambda: int(_FUTURE) * 10**9)
        patch.setattr(time, "localtime", lambda *a: time.gmtime(_FUTURE))
        assert dt.date.today().year == 2100
        after = run()
    assert after == before


def test_no_rule_module_reads_the_clock() -> None:
    # datetime.now() does not go through time.time(): check the source as well.
    folder = Path(__file__).parents[1] / "src" / "ssbx_model" / "rules"
    forbidden = ("today(", ".now(", "utcnow(", "time.time", "time.localtime", "clock.")
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for word in forbidden:
            assert word not in text, f"{path.name} contains {word!r}"


def _reference_standing(items: list[Any], on: dt.date, purpose: Any, months: int) -> str:
    """The consent history read from its definition, independently of the library."""
    from dateutil.relativedelta import relativedelta

    relevant = [c for c in items if purpose in c.scope]
    started = [c for c in relevant if c.validity.start <= on]
    if not relevant:
        return "none"
    if not started:
        return "not-yet"
    refusals = [c.validity.start for c in started if not c.given]
    after = [c for c in started if c.given and (not refusals or c.validity.start > max(refusals))]
    if not after:
        return "withdrawn"
    ends = [c.validity.end or c.validity.start + relativedelta(months=months) for c in after]
    return "valid" if any(on <= end for end in ends) else "expired"


@PROPERTY
@given(
    on=st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
    data=st.data(),
)
def test_the_consent_history_decides_as_defined(on: dt.date, data: st.DataObject) -> None:
    # The rule reads the history as defined: the latest refusal or withdrawal cancels every
    # earlier consent and stands until a later consent; a later consent applies again.
    from ssbx_model.information import ConsentKind
    from ssbx_model.purpose import Purpose

    kind = ConsentKind.AF_DISCLOSURE
    items = data.draw(ss.consent_histories(on, kind=kind, max_size=5))
    case = attrs.evolve(data.draw(ss.cases(on)), consents=Answer.known(items))
    purpose = data.draw(st.sampled_from(list(Purpose)))
    params = {"consent.purpose": purpose.value}
    decision = evaluate(case, "consent", on, params)
    expected = _reference_standing(list(items), on, purpose, 6)
    if expected == "valid":
        assert decision.outcome is Outcome.ELIGIBLE
    else:
        assert decision.outcome is Outcome.NOT_ELIGIBLE
    if expected == "withdrawn":
        assert "consent.withdrawn" in decision.reason_codes()


@PROPERTY
@given(
    on=st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
    later=st.integers(0, 20 * 365),
    data=st.data(),
)
def test_a_withdrawal_is_never_overtaken_by_time_only_by_a_later_consent(
    on: dt.date, later: int, data: st.DataObject
) -> None:
    from ssbx_model.information import ConsentKind
    from ssbx_model.information.consent import ConsentState, consent_standing
    from ssbx_model.purpose import Purpose

    kind = ConsentKind.AF_DISCLOSURE
    then = on + dt.timedelta(days=later)
    # Histories recorded up to the later date, so that consents may follow the first one.
    items = data.draw(ss.consent_histories(then, kind=kind, max_size=5))
    purpose = data.draw(st.sampled_from(list(Purpose)))
    months = data.draw(st.none() | st.integers(1, 36))
    first = consent_standing(items, kind, on, purpose=purpose, validity_months=months)
    second = consent_standing(items, kind, then, purpose=purpose, validity_months=months)
    new_starts = [
        c.validity.start
        for c in items
        if c.given and purpose in c.scope and on < c.validity.start <= then
    ]
    if first.state is ConsentState.WITHDRAWN and not new_starts:
        assert second.state is ConsentState.WITHDRAWN
    started = [c for c in items if purpose in c.scope and c.validity.start <= then]
    latest = max(started, key=lambda c: c.validity.start) if started else None
    if first.state is ConsentState.WITHDRAWN and latest is not None and latest.given:
        # The last word by then is a consent given after the refusal: it applies again.
        assert latest.validity.start > on
        assert second.state in (ConsentState.VALID, ConsentState.EXPIRED)
