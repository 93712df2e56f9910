"""Scoped rules (a declared scope before the conditions), and reason texts that name the
reference date (``p.on``)."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.identity import Personnummer
from ssbx_model.information import Answer, InformationSet
from ssbx_model.rules import (
    Outcome,
    evaluate,
    evaluate_many,
    get_rule,
    parameters,
    register_rule,
    testcases,
    unregister_rule,
)
from ssbx_model.rules.authoring import (
    ConditionRule,
    Finding,
    ReasonKind,
    RuleParameters,
    Says,
    ScopedRule,
    fails,
    holds,
    parameter,
    settled,
)
from ssbx_model.testing import factories

ON = dt.date(2024, 5, 15)
STUDIES = InformationSet.STUDIES

#: What the scope and the condition of the vendor rule find, per case (by birth year).
#: scope: "inside" (the conditions apply), "holds"/"fails" (decides alone), "open"
#: (the set it needs is not requested); condition: "holds", "fails", "open".
_PLAN: dict[int, tuple[str, str]] = {}
_TEXTS: list[str] = []


def _text(code: str) -> Any:
    def text(f: Any, p: Any) -> tuple[str, str]:
        _TEXTS.append(code)  # counts the texts built
        return f"{code} den {p.on}", f"{code} on {p.on}"

    return text


class _Params(RuleParameters):
    limit: int = parameter("prisbasbelopp")


def _scoped(rule_id: str) -> ScopedRule:
    rule = ScopedRule(
        id=rule_id,
        version="1",
        title_en="Scoped",
        title_sv="Avgränsad",
        source_text="Citat.",
        citation="vendor",
        params=_Params,
        needs=(STUDIES,),
    )

    @rule.applies_when(
        "in-scope",
        "The case is in scope.",
        cites="vendor ('omfattas')",
        reads=(STUDIES,),
        applies=Says(f"{rule_id}.in-scope", "Omfattas.", "In scope."),
        holds=Says(f"{rule_id}.outside", _text("outside")),
        fails=Says(f"{rule_id}.refused", _text("refused")),
    )
    def in_scope(case: Case, on: dt.date, p: _Params) -> Finding | None:
        scope, _ = _PLAN[case.person.birth_date.year]
        if scope == "open":
            settled(case.studies, STUDIES)  # not requested: the rule is unknown
        if scope == "inside":
            return None
        return (holds if scope == "holds" else fails)(year=case.person.birth_date.year)

    @rule.condition(
        "condition",
        "The condition.",
        cites="vendor ('villkor')",
        reads=(STUDIES,),
        holds=Says(f"{rule_id}.yes", _text("yes")),
        fails=Says(f"{rule_id}.no", _text("no")),
    )
    def condition(case: Case, on: dt.date, p: _Params) -> Finding | None:
        _, found = _PLAN[case.person.birth_date.year]
        if found == "open":
            settled(case.studies, STUDIES)
        return fails(limit=p.limit) if found == "fails" else holds(limit=p.limit)

    return rule


def _case(year: int) -> Case:
    return Case(Personnummer.from_birth_date(dt.date(year, 3, 1), 1), "1287")


@pytest.fixture
def scoped() -> Iterator[ScopedRule]:
    rule = register_rule(_scoped("vendor-scoped"))
    assert isinstance(rule, ScopedRule)
    try:
        yield rule
    finally:
        unregister_rule("vendor-scoped")


def test_outside_its_scope_the_rule_decides_with_the_scopes_reason_alone(
    scoped: ScopedRule,
) -> None:
    _PLAN[1990] = ("holds", "fails")
    _PLAN[1991] = ("fails", "holds")
    outside = evaluate(_case(1990), "vendor-scoped", ON, trace=True)
    assert outside.outcome is Outcome.ELIGIBLE
    assert outside.reason_codes() == ("vendor-scoped.outside",)
    assert outside.reasons[0].message_sv == "outside den 2024-05-15"
    assert outside.reasons[0].citation == "vendor ('omfattas')"
    assert outside.reasons[0].facts == (("year", 1990),)
    # The conditions are not read: the trace is the scope's step alone.
    assert [(s.condition, s.result, s.reason_code) for s in outside.trace] == [
        ("in-scope", ReasonKind.HOLDS, "vendor-scoped.outside")
    ]
    refused = evaluate(_case(1991), "vendor-scoped", ON)
    assert (refused.outcome, refused.reason_codes()) == (
        Outcome.NOT_ELIGIBLE,
        ("vendor-scoped.refused",),
    )


def test_inside_its_scope_the_conditions_decide_and_the_trace_shows_the_scope_first(
    scoped: ScopedRule,
) -> None:
    _PLAN[1992] = ("inside", "fails")
    decision = evaluate(_case(1992), "vendor-scoped", ON, trace=True)
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert decision.reason_codes() == ("vendor-scoped.no",)
    assert [(s.condition, s.result, s.reason_code) for s in decision.trace] == [
        ("in-scope", ReasonKind.HOLDS, "vendor-scoped.in-scope"),
        ("condition", ReasonKind.FAILS, "vendor-scoped.no"),
    ]


def test_an_undecided_set_the_scope_reads_makes_the_rule_unknown_before_any_condition(
    scoped: ScopedRule,
) -> None:
    _PLAN[1993] = ("open", "fails")
    decision = evaluate(_case(1993), "vendor-scoped", ON, trace=True)
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.missing == (STUDIES,)
    assert decision.reason_codes() == ("vendor-scoped.missing.studies",)
    assert [s.condition for s in decision.trace] == ["in-scope"]


def test_evaluate_many_settles_a_scoped_rule_without_building_reason_texts(
    scoped: ScopedRule,
) -> None:
    _PLAN.update({1994: ("holds", "holds"), 1995: ("inside", "fails"), 1996: ("fails", "open")})
    cases = [_case(year) for year in (1994, 1995, 1996)]
    _TEXTS.clear()
    many = list(evaluate_many(cases, "vendor-scoped", ON))
    assert [d.outcome for d in many] == [
        Outcome.ELIGIBLE,
        Outcome.NOT_ELIGIBLE,
        Outcome.NOT_ELIGIBLE,
    ]
    assert _TEXTS == []  # the outcome only: no reason text built
    assert [d.reason_codes() for d in many] == [
        ("vendor-scoped.outside",),
        ("vendor-scoped.no",),
        ("vendor-scoped.refused",),
    ]
    assert _TEXTS  # completed on read, by the rule's check
    assert many == [evaluate(c, "vendor-scoped", ON) for c in cases]


_FINDINGS = st.sampled_from(["inside", "holds", "fails", "open"])


@settings(max_examples=60, deadline=None)
@given(scope=_FINDINGS, found=st.sampled_from(["holds", "fails", "open"]))
def test_a_scope_decides_alone_outside_and_leaves_the_conditions_inside(
    scope: str, found: str
) -> None:
    # Kleene's logic with a scope in front: outside, the scope's finding is the verdict;
    # inside, the verdict is the plain condition rule's. evaluate_many gives evaluate's.
    _PLAN[1997] = (scope, found)
    rule = register_rule(_scoped("vendor-kleene"))
    assert isinstance(rule, ScopedRule)
    plain = ConditionRule(
        id="vendor-plain-kleene",
        version="1",
        title_en="Plain",
        title_sv="Enkel",
        source_text="Citat.",
        citation="vendor",
        params=_Params,
        needs=(STUDIES,),
        conditions=rule.conditions,
    )
    register_rule(plain)
    try:
        case = _case(1997)
        decision = evaluate(case, "vendor-kleene", ON)
        expected = {
            "holds": (Outcome.ELIGIBLE, ()),
            "fails": (Outcome.NOT_ELIGIBLE, ()),
            "open": (Outcome.UNKNOWN, (STUDIES,)),
        }
        if scope == "inside":
            inner = evaluate(case, "vendor-plain-kleene", ON)
            assert (decision.outcome, decision.missing) == (inner.outcome, inner.missing)
            assert decision.reasons == inner.reasons
        else:
            assert (decision.outcome, decision.missing) == expected[scope]
            assert len(decision.reasons) == 1
        (quick,) = evaluate_many([case], "vendor-kleene", ON)
        assert quick == decision
    finally:
        unregister_rule("vendor-kleene")
        unregister_rule("vendor-plain-kleene")


def test_a_scope_is_declared_once_and_gives_only_the_reasons_it_declares() -> None:
    rule = _scoped("vendor-twice")
    with pytest.raises(RuleError, match="declares its scope twice"):
        rule.applies_when("again", "Again.", cites="v", applies=Says("v.a", "Ja.", "Yes."))(
            lambda case, on, p: None
        )
    undeclared = ScopedRule(
        id="vendor-undeclared",
        version="1",
        title_en="U",
        title_sv="U",
        source_text="Citat.",
        citation="vendor",
    )
    undeclared.applies_when("s", "S.", cites="v", applies=Says("vendor-undeclared.in", "J", "Y"))(
        lambda case, on, p: fails()
    )
    undeclared.condition("c", "C.", cites="v", holds=Says("vendor-undeclared.c", "J", "Y"))(
        lambda case, on, p: None
    )
    register_rule(undeclared)
    try:
        with pytest.raises(RuleError, match="declares no such reason"):
            evaluate(_case(2000), "vendor-undeclared", ON)
        with pytest.raises(RuleError, match="declares no such reason"):
            list(evaluate_many([_case(2000)], "vendor-undeclared", ON))
    finally:
        unregister_rule("vendor-undeclared")


# -- the reference date and repeated facts in a reason's text ------------------------------


def test_the_parameters_know_the_reference_date_they_are_in_force_on() -> None:
    view = parameters.default().view(("prisbasbelopp",), ON)
    assert view.on == ON
    assert pickle.loads(pickle.dumps(view)).on == ON
    typed = _Params.from_values(view)
    assert (typed.on, typed.limit) == (ON, 57300)
    assert _Params.from_values({"prisbasbelopp": 1}).on is None  # plain values: no date
    with pytest.raises(RuleError, match="is the reference date"):

        class Clash(RuleParameters):
            on: int = parameter("prisbasbelopp")  # type: ignore[assignment]


_TWO_COLLIDING = """
rule = "assign-intervention"
[[case]]
name = "two planned interventions collide with an ongoing one"
on = 2026-02-20
birth = 1995-06-01
registered_at_af = true
programs = []
income_support = [{ from = 2026-02-01, to = 2026-02-28 }]
af_consultations = [
  { held = 2026-02-10, intervention = "I1" },
  { held = 2026-02-10, intervention = "I2" },
]
interventions = [
  { id = "I0", status = "ongoing", from = 2026-01-01, to = 2026-06-30, extent = 50 },
  { id = "I1", status = "planned", from = 2026-03-02, to = 2026-03-13, extent = 60 },
  { id = "I2", status = "planned", from = 2026-03-09, to = 2026-03-20, extent = 75 },
]
expect = { outcome = "not_eligible", reasons = ["assign-intervention.collision"] }
"""


def test_assign_intervention_names_every_colliding_intervention_in_order() -> None:
    # Two planned interventions that both collide: the facts name each with its ranges
    # (the second as "intervention 2", "collisions 2"), and so does the text, in order.
    (rule_case,) = testcases.load_text(_TWO_COLLIDING)
    decision = evaluate(rule_case.case, "assign-intervention", rule_case.on)
    (collision,) = [r for r in decision.reasons if r.code == "assign-intervention.collision"]
    assert collision.facts == (
        ("max_percent", 100),
        ("intervention", "I1"),
        ("collisions", ("2026-03-02..2026-03-13 (110 %)",)),
        ("intervention 2", "I2"),
        ("collisions 2", ("2026-03-09..2026-03-20 (125 %)",)),
    )
    assert (
        "överstiger 100 % (insatsen I1: 2026-03-02..2026-03-13 (110 %); insatsen I2: "
        "2026-03-09..2026-03-20 (125 %))." in collision.message_sv
    )
    assert "(intervention I1: 2026-03-02..2026-03-13 (110 %); intervention I2:" in (
        collision.message_en
    )


def test_kaa_reconcile_names_the_reference_date_of_a_closed_entry() -> None:
    entry = factories.kaa_register_entry(dt.date(2023, 9, 1), closed_on=dt.date(2024, 5, 15))
    person = Personnummer.from_birth_date(dt.date(2006, 5, 1), 1)
    case = Case(person, "1287", kaa_register=Answer.known(entry))
    for day, closing_day in ((dt.date(2024, 5, 15), False), (dt.date(2024, 5, 20), True)):
        decision = evaluate(
            case, "kaa-reconcile", day, parameters={"kaa.closing_day_in_register": closing_day}
        )
        assert decision.reason_codes() == ("kaa-reconcile.not-open",)
        assert f"inte öppen {day.isoformat()}, inget att granska" in decision.reasons[0].message_sv
        assert f"not open on {day.isoformat()}, nothing" in decision.reasons[0].message_en
    assert isinstance(get_rule("kaa-reconcile"), ScopedRule)
    not_requested = evaluate(Case(person, "1287"), "kaa-reconcile", ON)
    assert not_requested.missing == (InformationSet.KAA_REGISTER,)
    assert not_requested.reason_codes() == ("kaa-reconcile.missing.kaa_register",)
