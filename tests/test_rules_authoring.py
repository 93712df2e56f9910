"""Writing a rule with the authoring API: declared conditions, typed parameters, unknowns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.identity import Personnummer
from ssbx_model.information import Answer, AnswerStatus, InformationSet
from ssbx_model.information.consent import ConsentKind, parse_kinds
from ssbx_model.information.yearly import AnnualIncome
from ssbx_model.purpose import Purpose
from ssbx_model.rules import Outcome, evaluate, evaluate_many, register_rule, unregister_rule
from ssbx_model.rules.authoring import (
    ConditionRule,
    Finding,
    Mode,
    ReasonKind,
    RuleParameters,
    Says,
    Undecided,
    either,
    fails,
    opens,
    parameter,
    route_open,
    settled,
    unsettled_text,
    warns,
)

ON = dt.date(2024, 5, 15)


class _Params(RuleParameters):
    limit: int = parameter("prisbasbelopp")


def _vendor_rule(rule_id: str) -> ConditionRule:
    rule = ConditionRule(
        id=rule_id,
        version="1",
        title_en="Low income",
        title_sv="Låg inkomst",
        source_text="Citat.",
        citation="vendor's own source",
        params=_Params,
        needs=(InformationSet.INCOME,),
        mode=Mode.EVERY_FAILURE,
    )

    @rule.condition(
        "income",
        "Income in the year not above the limit.",
        cites="vendor ('inkomst')",
        needs=(InformationSet.INCOME,),
        holds=Says(f"{rule_id}.low", "Låg.", "Low."),
        fails=Says(
            f"{rule_id}.high",
            lambda f, p: (f"{f.income} kr > {p.limit} kr.", f"SEK {f.income} > SEK {p.limit}."),
        ),
        unsettled=("inkomsten", "the income"),
    )
    def income(case: Case, on: dt.date, p: _Params) -> Finding | None:
        items = settled(case.income, InformationSet.INCOME) or ()
        total = sum(i.amount_sek for i in items if i.year == on.year)
        return fails(income=total) if total > p.limit else None

    @rule.condition(
        "spring",
        "Assessed after the spring.",
        cites="vendor ('våren')",
        holds=Says(f"{rule_id}.summer", "Sommar.", "Summer."),
        warns=Says(f"{rule_id}.spring", "Vår.", "Spring."),
    )
    def spring(case: Case, on: dt.date, p: _Params) -> Finding | None:
        return warns() if on.month < 6 else None

    return rule


def _case(**answers: Any) -> Case:
    person = Personnummer.from_birth_date(dt.date(2000, 1, 1), 1)
    return Case(person, "1287", **answers)


def test_a_declared_rule_builds_its_reasons_from_the_facts_and_parameters() -> None:
    register_rule(_vendor_rule("vendor-income"))
    try:
        rich = _case(income=Answer.known((AnnualIncome(2024, 90_000, "employer"),)))
        decision = evaluate(rich, "vendor-income", ON, parameters={"prisbasbelopp": 50_000})
        assert decision.outcome is Outcome.NOT_ELIGIBLE
        assert decision.reason_codes() == ("vendor-income.high", "vendor-income.spring")
        high = decision.reasons[0]
        assert (high.message_sv, high.message_en) == (
            "90000 kr > 50000 kr.",
            "SEK 90000 > SEK 50000.",
        )
        assert high.citation == "vendor ('inkomst')"
        assert high.facts == (("income", 90_000),)
        poor = _case(income=Answer.absent())
        eligible = evaluate(poor, "vendor-income", dt.date(2024, 7, 1))
        assert eligible.outcome is Outcome.ELIGIBLE
        assert eligible.reason_codes() == ("vendor-income.low", "vendor-income.summer")
    finally:
        unregister_rule("vendor-income")


def test_an_undecided_needed_set_makes_the_condition_unknown_in_the_engine() -> None:
    register_rule(_vendor_rule("vendor-open"))
    try:
        decision = evaluate(_case(), "vendor-open", ON)
        assert decision.outcome is Outcome.UNKNOWN
        assert decision.missing == (InformationSet.INCOME,)
        (open_, warning) = decision.reasons
        assert open_.code == "vendor-open.missing.income"
        assert open_.kind is ReasonKind.UNKNOWN
        assert open_.message_en.endswith(": the income cannot be settled.")
        assert warning.kind is ReasonKind.WARNING
        steps = {s.condition: s.result for s in decision.trace}
        assert steps == {"income": ReasonKind.UNKNOWN, "spring": ReasonKind.WARNING}
    finally:
        unregister_rule("vendor-open")


def test_an_open_reason_of_the_condition_names_its_own_missing_sets() -> None:
    rule = ConditionRule(
        id="vendor-opens",
        version="1",
        title_en="Open",
        title_sv="Öppen",
        source_text="Citat.",
        citation="vendor",
        needs=(InformationSet.INCOME, InformationSet.STUDIES),
    )

    @rule.condition(
        "income",
        "Income known, unless withheld.",
        cites="vendor ('inkomst')",
        reads=(InformationSet.INCOME,),
        holds=Says("vendor-opens.ok", "Ja.", "Yes."),
        opens=Says(
            "vendor-opens.withheld",
            lambda f, p: (f"Hållen inne ({f.why}).", f"Withheld ({f.why})."),
            cites="vendor's policy",
            missing=(InformationSet.INCOME, InformationSet.STUDIES),
        ),
    )
    def income(case: Case, on: dt.date, p: Any) -> Finding | None:
        if case.income.status.value == "withheld":
            return opens(why=case.income.reason)
        settled(case.income, InformationSet.INCOME)
        return None

    register_rule(rule)
    try:
        withheld = _case(income=Answer.withheld("no basis"))
        decision = evaluate(withheld, "vendor-opens", ON, trace=True)
        assert decision.outcome is Outcome.UNKNOWN
        assert decision.missing == (InformationSet.INCOME, InformationSet.STUDIES)
        (reason,) = decision.reasons
        assert (reason.code, reason.kind, reason.citation) == (
            "vendor-opens.withheld",
            ReasonKind.UNKNOWN,
            "vendor's policy",
        )
        assert (reason.message_sv, reason.message_en) == (
            "Hållen inne (no basis).",
            "Withheld (no basis).",
        )
        assert reason.facts == (("why", "no basis"),)
        assert [s.reason_code for s in decision.trace] == ["vendor-opens.withheld"]
        # An undecided read without a reason of its own: the engine's open reason.
        plain = evaluate(_case(), "vendor-opens", ON)
        assert plain.reason_codes() == ("vendor-opens.missing.income",)
        assert plain.missing == (InformationSet.INCOME,)
        assert (plain.reasons[0].message_sv, plain.reasons[0].message_en) == unsettled_text(
            InformationSet.INCOME, "not-requested"
        )
    finally:
        unregister_rule("vendor-opens")


def test_reading_a_set_the_condition_does_not_declare_is_an_error() -> None:
    rule = ConditionRule(
        id="vendor-sloppy",
        version="1",
        title_en="Sloppy",
        title_sv="Slarvig",
        source_text="Citat.",
        citation="vendor",
    )

    @rule.condition(
        "studies", "No studies.", cites="vendor", holds=Says("vendor-sloppy.ok", "Ja.", "Yes.")
    )
    def studies(case: Case, on: dt.date, p: Any) -> Finding | None:
        settled(case.studies, InformationSet.STUDIES)
        return None

    register_rule(rule)
    try:
        with pytest.raises(RuleError, match="reads 'studies', which it does not declare"):
            evaluate(_case(), "vendor-sloppy", ON)
    finally:
        unregister_rule("vendor-sloppy")


def test_a_condition_is_declared_once() -> None:
    rule = _vendor_rule("vendor-twice")
    with pytest.raises(RuleError, match="declares the condition 'income' twice"):
        rule.condition("income", "Again.", cites="vendor", holds=Says("x.y", "Ja.", "Yes."))(
            lambda case, on, p: None
        )


def test_parameters_are_read_as_their_declared_types() -> None:
    class Misdeclared(RuleParameters):
        limit: str = parameter("prisbasbelopp")
        covered: bool = parameter("kaa.introduction_programme_covered")

    assert Misdeclared.parameter_names() == ("prisbasbelopp", "kaa.introduction_programme_covered")
    with pytest.raises(RuleError, match=r"'prisbasbelopp' is 57300; Misdeclared\.limit wants str"):
        Misdeclared.from_values(
            {"prisbasbelopp": 57300, "kaa.introduction_programme_covered": False}
        )
    read = _Params.from_values({"prisbasbelopp": 57300})
    assert read.limit == 57300
    with pytest.raises(AttributeError, match="read-only"):
        read.limit = 1


def test_a_parameter_is_converted_once_when_read() -> None:
    class Converted(RuleParameters):
        kinds: tuple[ConsentKind, ...] = parameter("consent.kinds", convert=parse_kinds)
        purpose: Purpose = parameter("consent.purpose", convert=Purpose)

    read = Converted.from_values(
        {
            "consent.kinds": "af-disclosure, dua-information-exchange",
            "consent.purpose": "labour-market",
        }
    )
    assert read.kinds == (ConsentKind.AF_DISCLOSURE, ConsentKind.DUA_INFORMATION_EXCHANGE)
    assert read.purpose is Purpose.LABOUR_MARKET
    with pytest.raises(RuleError, match=r"parameter 'consent.kinds' is 'af, x': 'af' is not a"):
        Converted.from_values({"consent.kinds": "af, x", "consent.purpose": "labour-market"})
    with pytest.raises(RuleError, match=r"parameter 'consent.purpose' is 7: "):
        Converted.from_values({"consent.kinds": "af-disclosure", "consent.purpose": 7})


@pytest.mark.parametrize("bad", [[_case()], Path("case.json"), "case", None, {"person": "x"}])
def test_evaluate_names_what_it_got_when_given_no_case(bad: object) -> None:
    with pytest.raises(TypeError, match=rf"must be a Case .*not {type(bad).__name__}"):
        evaluate(bad, "kaa", ON)  # type: ignore[arg-type]


def test_evaluate_many_names_the_item_that_is_no_case() -> None:
    decisions = evaluate_many([_case(), "20000101-0000"], ["kaa"], ON)  # type: ignore[list-item]
    assert next(decisions).rule_id == "kaa"
    with pytest.raises(TypeError, match=r"cases\[1\] must be a Case .*not str"):
        next(decisions)


def test_evaluate_many_refuses_a_single_case_at_once() -> None:
    with pytest.raises(TypeError, match="wrap one case in a list"):
        evaluate_many(_case(), ["kaa"], ON)  # type: ignore[arg-type]


@pytest.mark.parametrize("on", ["2024-05-15", dt.datetime(2024, 5, 15, 12, 0), 20240515])
def test_a_reference_date_that_is_not_a_date_is_a_type_error(on: object) -> None:
    with pytest.raises(TypeError, match=r"reference date must be a datetime\.date"):
        evaluate(_case(), "kaa", on)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"reference date must be a datetime\.date"):
        evaluate_many([_case()], ["kaa"], on)  # type: ignore[arg-type]


_ROUTES = st.lists(
    st.builds(
        Finding,
        st.sampled_from(["holds", "warning", "fails", "unknown"]),
        st.sampled_from([None, "r.a", "r.b"]),
        st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 3), max_size=2),
    ),
    min_size=1,
    max_size=4,
)


@given(_ROUTES)
def test_either_is_kleenes_or_of_the_routes(routes: list[Finding]) -> None:
    several = opens("r.several", n=len(routes))
    found = either(routes, several_open=lambda: several)
    kinds = [r.kind for r in routes]
    settling = [r for r in routes if r.kind in ("holds", "warning")]
    if settling:
        # One route that holds settles it, whatever the others are (open or failing).
        assert found is settling[0]
    elif "unknown" not in kinds:
        # Every route's facts, in order (a name two routes give: the later route's value).
        assert found == ("fails", None, {k: v for r in routes for k, v in r.facts.items()})
    elif kinds.count("unknown") == 1:
        assert found is next(r for r in routes if r.kind == "unknown")
    else:
        assert found is several


def test_undecided_names_the_set_and_its_status() -> None:
    undecided = Undecided(InformationSet.SIUS, AnswerStatus.WITHHELD)
    assert undecided.which is InformationSet.SIUS
    assert undecided.status is AnswerStatus.WITHHELD
    assert str(undecided) == "sius is withheld"
    with pytest.raises(Undecided) as raised:
        settled(Answer.not_requested(), InformationSet.INCOME)
    assert (raised.value.which, raised.value.status) == (
        InformationSet.INCOME,
        AnswerStatus.NOT_REQUESTED,
    )


def test_a_routes_open_finding_names_its_set_and_status_and_cannot_be_changed() -> None:
    withheld = route_open("r", InformationSet.SIUS, Answer.withheld("policy"))
    assert withheld == ("unknown", "r.missing.sius", withheld.facts)
    assert dict(withheld.facts) == {
        "information_set": InformationSet.SIUS,
        "status": AnswerStatus.WITHHELD,
    }
    # One finding per (rule, set, status), shared: its facts are read-only.
    assert route_open("r", InformationSet.SIUS, Answer.withheld("other")) is withheld
    assert route_open("r", InformationSet.SIUS, Answer.not_requested()) is not withheld
    assert route_open("q", InformationSet.SIUS, Answer.withheld("x")).code == "q.missing.sius"
    with pytest.raises(TypeError):
        withheld.facts["status"] = AnswerStatus.KNOWN  # type: ignore[index]
