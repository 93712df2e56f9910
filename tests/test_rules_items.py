"""Item rules (``ItemRule``): a rule over the items of a case, in the engine's one shape.

A toy rule over a case's interventions exercises every part of the shape: a gate (the
conditions after it need it), a condition that passes its item at once, a failure, a
warning, a needed information set, the item's facts leading its reasons, ANY and EVERY,
the outcome-only path of ``evaluate_many`` and the one-item decision. The built-in item
rules (``inuk``, ``employer-check``) are pinned by their data-file cases and their own
tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    InformationSet,
    InterventionStatus,
    MunicipalIntervention,
)
from ssbx_model.rules import Outcome, ReasonKind, evaluate, evaluate_many, unregister_rule
from ssbx_model.rules.authoring import (
    Finding,
    ItemRule,
    Mode,
    Quantifier,
    Says,
    combine,
    fails,
    opens,
    parameter_view,
    passes,
    register_rule,
    warns,
)
from ssbx_model.testing import factories as f

ON = dt.date(2024, 6, 3)
CITE = "Kommunfullmäktiges beslut 2023-12-11 § 204 ('insatser')"
ENROLMENT = InformationSet.ENROLMENT
CALLS: list[str] = []


def interventions(case: Case, on: dt.date, p: Any) -> tuple[MunicipalIntervention, ...]:
    """The case's municipal interventions."""
    return case.interventions


def toy(rule_id: str, quantifier: Quantifier, mode: Mode) -> ItemRule:
    """The toy rule: per intervention a gate (an extent of 1 % is not recorded: open), a
    municipal unit passes at once, at most 100 days, a warning under 50 %, enrolment
    needed."""
    rule = ItemRule(
        id=rule_id,
        version="1",
        title_en="Toy",
        title_sv="Leksak",
        source_text="Insatserna ska vara korta.",
        citation=CITE,
        needs=(ENROLMENT,),
        items=interventions,
        quantifier=quantifier,
        mode=mode,
        about=lambda i: (("intervention", i.intervention_id),),
        none=Says(f"{rule_id}.none", "Inga insatser.", "No interventions."),
    )

    @rule.condition(
        "recorded",
        "The extent is recorded.",
        cites=CITE,
        gate=True,
        opens=Says(f"{rule_id}.unrecorded", "Omfattningen saknas.", "No extent.", missing=()),
    )
    def recorded(case: Case, item: MunicipalIntervention, on: dt.date, p: Any) -> Finding | None:
        CALLS.append(f"recorded:{item.intervention_id}")
        return opens() if item.extent.percent == 1 else None

    @rule.condition(
        "own-unit",
        "Not the municipality's own unit (which passes at once).",
        cites=CITE,
        holds=Says(f"{rule_id}.other-unit", "Annan enhet.", "Another unit."),
        passes=Says(f"{rule_id}.own-unit", "Egen enhet.", "Own unit."),
    )
    def own_unit(case: Case, item: MunicipalIntervention, on: dt.date, p: Any) -> Finding | None:
        CALLS.append(f"own-unit:{item.intervention_id}")
        return passes(unit=item.local_name) if item.local_name.startswith("Egen") else None

    @rule.condition(
        "short",
        "At most 100 days.",
        cites=CITE,
        holds=Says(f"{rule_id}.short", "Kort.", "Short."),
        fails=Says(
            f"{rule_id}.long",
            lambda f, p: (f"{f.days} dagar.", f"{f.days} days."),
        ),
    )
    def short(case: Case, item: MunicipalIntervention, on: dt.date, p: Any) -> Finding | None:
        CALLS.append(f"short:{item.intervention_id}")
        assert item.period.end is not None
        days = (item.period.end - item.period.start).days + 1  # first and last day count
        return None if days <= 100 else fails(days=days)

    @rule.condition(
        "full-time",
        "At least half time (less is a warning).",
        cites=CITE,
        holds=Says(f"{rule_id}.half-time", "Minst halvtid.", "At least half time."),
        warns=Says(f"{rule_id}.part-time", "Under halvtid.", "Under half time."),
    )
    def full_time(case: Case, item: MunicipalIntervention, on: dt.date, p: Any) -> Finding | None:
        return warns() if item.extent.percent < 50 else None

    @rule.condition(
        "enrolled",
        "Enrolled at AF (needed for each item).",
        cites=CITE,
        needs=(ENROLMENT,),
        holds=Says(f"{rule_id}.enrolled", "Inskriven.", "Enrolled."),
    )
    def enrolled(case: Case, item: MunicipalIntervention, on: dt.date, p: Any) -> Finding | None:
        return None

    return rule


ITEMS = st.lists(
    st.tuples(
        st.sampled_from([1, 30, 100]),  # extent: 1 % is "not recorded"
        st.sampled_from(["Egen verkstad", "Annan enhet"]),
        st.sampled_from([30, 100, 200]),  # days
    ),
    max_size=4,
)
ANSWERS = st.sampled_from([AnswerStatus.KNOWN, AnswerStatus.NOT_REQUESTED, AnswerStatus.WITHHELD])


def case_of(items: list[tuple[int, str, int]], status: AnswerStatus) -> Case:
    enrolment: Answer[Any] = {
        AnswerStatus.KNOWN: Answer.known(f.enrolment(dt.date(2024, 1, 1))),
        AnswerStatus.NOT_REQUESTED: Answer.not_requested(),
        AnswerStatus.WITHHELD: Answer.withheld("the access policy"),
    }[status]
    return Case(
        f.person(age=20, on=ON),
        "1287",
        enrolment=enrolment,
        interventions=tuple(
            f.municipal_intervention(
                dt.date(2024, 5, 1),
                days=days,
                extent=extent,
                local_name=name,
                intervention_id=f"I{n}",
                status=InterventionStatus.ONGOING,
            )
            for n, (extent, name, days) in enumerate(items)
        ),
    )


@pytest.fixture(scope="module")
def registered() -> Iterator[dict[tuple[Quantifier, Mode], ItemRule]]:
    rules = {(q, m): toy(f"toy-{q.value}-{m.value}", q, m) for q in Quantifier for m in Mode}
    for rule in rules.values():
        register_rule(rule)
    yield rules
    for rule in rules.values():
        unregister_rule(rule.id)


@settings(max_examples=200)
@given(
    items=ITEMS, status=ANSWERS, quantifier=st.sampled_from(Quantifier), mode=st.sampled_from(Mode)
)
def test_the_verdict_is_kleenes_quantifier_over_the_items_and_every_path_agrees(
    registered: dict[tuple[Quantifier, Mode], ItemRule],
    items: list[tuple[int, str, int]],
    status: AnswerStatus,
    quantifier: Quantifier,
    mode: Mode,
) -> None:
    rule = registered[(quantifier, mode)]
    case = case_of(items, status)
    full = evaluate(case, rule.id, ON, trace=True)
    (quick,) = evaluate_many([case], rule.id, ON)
    assert (quick.outcome, quick.missing) == (full.outcome, full.missing)
    assert quick.reasons == full.reasons == evaluate(case, rule.id, ON).reasons
    assert quick.trace == full.trace
    if not items:
        assert full.reason_codes() == (f"{rule.id}.none",)
        assert full.outcome is Outcome.NOT_ELIGIBLE
        return
    params = parameter_view(rule, ON)
    each = [rule.check_item(case, i, ON, params, None) for i in case.interventions]
    outcomes = [v[0] for v in each]
    if quantifier is Quantifier.ANY:
        expected = (
            Outcome.ELIGIBLE
            if Outcome.ELIGIBLE in outcomes
            else Outcome.UNKNOWN
            if Outcome.UNKNOWN in outcomes
            else Outcome.NOT_ELIGIBLE
        )
        # One account per item, in order.
        assert full.reasons == tuple(r for v in each for r in v[1])
    else:
        expected = (
            Outcome.NOT_ELIGIBLE
            if Outcome.NOT_ELIGIBLE in outcomes
            else Outcome.UNKNOWN
            if Outcome.UNKNOWN in outcomes
            else Outcome.ELIGIBLE
        )
        assert len(set(full.reasons)) == len(full.reasons)  # each reason once
    assert full.outcome is expected
    if full.outcome is Outcome.UNKNOWN:
        assert set(full.missing) <= {ENROLMENT}
    else:
        assert full.missing == ()


@settings(max_examples=100)
@given(items=ITEMS.filter(bool), quantifier=st.sampled_from(Quantifier))
def test_a_gate_or_a_passing_condition_ends_its_item(
    registered: dict[tuple[Quantifier, Mode], ItemRule],
    items: list[tuple[int, str, int]],
    quantifier: Quantifier,
) -> None:
    rule = registered[(quantifier, Mode.EVERY_FAILURE)]
    case = case_of(items, AnswerStatus.KNOWN)
    CALLS.clear()
    decision = evaluate(case, rule.id, ON, trace=True)
    for intervention, (extent, name, _) in zip(case.interventions, items, strict=True):
        iid = intervention.intervention_id
        mine = [r for r in decision.reasons if ("intervention", iid) in r.facts]
        steps = [s.condition for s in decision.trace if s.condition.startswith(f"{iid}:")]
        if extent == 1:  # the gate is open: the item ends with its reason, nothing after
            assert f"own-unit:{iid}" not in CALLS
            assert steps == [f"{iid}:recorded"]
            if quantifier is Quantifier.ANY or decision.outcome is Outcome.UNKNOWN:
                assert [r.code for r in mine] == [f"{rule.id}.unrecorded"]
        elif name.startswith("Egen"):  # passes at once: one holds reason, nothing after
            assert f"short:{iid}" not in CALLS
            assert steps == [f"{iid}:recorded", f"{iid}:own-unit"]
            if decision.outcome is Outcome.ELIGIBLE:
                assert [r.code for r in mine] == [f"{rule.id}.own-unit"]
                assert mine[0].facts == (("intervention", iid), ("unit", name))
        else:  # the gate holds without a reason of its own
            assert f"{iid}:recorded" in steps
            assert all(r.code != f"{rule.id}.recorded" for r in mine)


def test_an_information_set_not_decided_is_one_reason_for_every_item() -> None:
    rule = toy("toy-dedup", Quantifier.EVERY, Mode.EVERY_FAILURE)
    register_rule(rule)
    try:
        case = case_of([(30, "Annan", 30), (100, "Annan", 30)], AnswerStatus.WITHHELD)
        decision = evaluate(case, rule.id, ON)
        assert decision.outcome is Outcome.UNKNOWN
        assert decision.missing == (ENROLMENT,)
        assert [r.code for r in decision.reasons] == [
            f"toy-dedup.missing.{ENROLMENT.value}",  # once, though both items need it
            "toy-dedup.part-time",  # a warning comes after the open reasons
        ]
        assert [r.kind for r in decision.reasons] == [ReasonKind.UNKNOWN, ReasonKind.WARNING]
    finally:
        unregister_rule(rule.id)


def test_the_first_failure_decides_every_item_and_stops_the_outcome_path() -> None:
    rule = toy("toy-first", Quantifier.EVERY, Mode.FIRST_FAILURE)
    assert rule.first_failure_decides
    assert not toy("toy-any", Quantifier.ANY, Mode.FIRST_FAILURE).first_failure_decides
    register_rule(rule)
    try:
        case = case_of([(30, "Annan", 200), (30, "Annan", 200)], AnswerStatus.KNOWN)
        CALLS.clear()
        (quick,) = evaluate_many([case], rule.id, ON)
        assert quick.outcome is Outcome.NOT_ELIGIBLE
        assert "short:I1" not in CALLS  # the first item's failure decides: I1 is not read
        assert quick.reason_codes() == ("toy-first.long",)
        assert quick.reasons[0].facts == (("intervention", "I0"), ("days", 200))
        assert quick.reasons[0].message_en == "200 days."
    finally:
        unregister_rule(rule.id)


def test_any_stops_at_the_first_item_that_passes() -> None:
    rule = toy("toy-any-stop", Quantifier.ANY, Mode.FIRST_FAILURE)
    register_rule(rule)
    try:
        case = case_of([(100, "Annan", 30), (30, "Annan", 200)], AnswerStatus.KNOWN)
        CALLS.clear()
        (quick,) = evaluate_many([case], rule.id, ON)
        assert quick.outcome is Outcome.ELIGIBLE
        assert "recorded:I1" not in CALLS
        # Read, the reasons account for both items: I0's every reason, I1's first failure.
        assert quick.reason_codes() == (
            "toy-any-stop.other-unit",
            "toy-any-stop.short",
            "toy-any-stop.half-time",
            "toy-any-stop.enrolled",
            "toy-any-stop.long",
        )
        assert [r.facts[0][1] for r in quick.reasons] == ["I0", "I0", "I0", "I0", "I1"]
    finally:
        unregister_rule(rule.id)


def test_a_condition_must_say_what_it_finds() -> None:
    rule = toy("toy-bad", Quantifier.EVERY, Mode.EVERY_FAILURE)
    with pytest.raises(RuleError, match="declares no holds reason"):
        rule.condition("nothing", "No reason.", cites=CITE)

    @rule.condition(
        "odd", "Finds what it does not declare.", cites=CITE, holds=Says("toy-bad.odd", "x", "x")
    )
    def odd(case: Case, item: MunicipalIntervention, on: dt.date, p: Any) -> Finding | None:
        return fails("toy-bad.undeclared")

    register_rule(rule)
    try:
        case = case_of([(30, "Annan", 30)], AnswerStatus.KNOWN)
        with pytest.raises(RuleError, match="declares no such reason"):
            evaluate(case, rule.id, ON)
        (quick,) = evaluate_many([case], rule.id, ON)  # the outcome needs only the kind
        assert quick.outcome is Outcome.NOT_ELIGIBLE
        with pytest.raises(RuleError, match="declares no such reason"):
            quick.reasons  # noqa: B018  # the reasons are built when read
    finally:
        unregister_rule(rule.id)


def test_one_item_is_decided_alone_through_the_one_combination() -> None:
    rule = toy("toy-one", Quantifier.EVERY, Mode.EVERY_FAILURE)
    register_rule(rule)
    try:
        case = case_of([(30, "Annan", 200)], AnswerStatus.KNOWN)
        (item,) = case.interventions
        params = parameter_view(rule, ON)
        steps: list[Any] = []
        verdict = rule.check_item(case, item, ON, params, steps)
        assert [r.code for r in verdict[1]] == ["toy-one.long", "toy-one.part-time"]
        assert [s.condition for s in steps] == [
            "recorded",
            "own-unit",
            "short",
            "full-time",
            "enrolled",
        ]
        # The conditions that read only the item, outside any case: the same results.
        alone = rule.assess(item, ON, params, ("recorded", "own-unit", "short", "full-time"))
        assert [r.code for r in alone] == [
            "toy-one.other-unit",
            "toy-one.long",
            "toy-one.part-time",
        ]
        assert combine(alone, Mode.EVERY_FAILURE) == verdict
        assert evaluate(case, rule.id, ON).reasons == verdict[1]
    finally:
        unregister_rule(rule.id)
