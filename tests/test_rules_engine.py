"""The rules engine: parameters, registry, decisions, traces, JSON, test-case runner."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from rules_support import rebuilt

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.errors import RuleError, UnknownRuleError, ValidationError
from ssbx_model.identity import Personnummer
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    Consent,
    ConsentChannel,
    ConsentKind,
    InformationSet,
    InterventionStatus,
    MunicipalIntervention,
    Provider,
    Schooling,
)
from ssbx_model.purpose import Purpose
from ssbx_model.rules import (
    TRACE_VERSION,
    Condition,
    ConditionRule,
    Decision,
    Outcome,
    Reason,
    ReasonKind,
    evaluate,
    evaluate_many,
    get_rule,
    register_rule,
    rule_ids,
    rules,
    testcases,
    unregister_rule,
)
from ssbx_model.rules import parameters as params
from ssbx_model.rules.consent import consent_status
from ssbx_model.rules.engine import ConditionResult, TraceStep, Verdict, age_on, missing
from ssbx_model.rules.inuk import YOUTH, InukRule, TargetGroup, inuk_reportable

ON = dt.date(2024, 5, 15)
BUILT_IN = (
    "assign-intervention",
    "consent",
    "employer-check",
    "extratjanst",
    "inuk",
    "kaa",
    "kaa-reconcile",
    "lonebidrag",
    "sius",
    "skat15",
    "uvas",
)


def person(born: dt.date = dt.date(2006, 5, 1)) -> Personnummer:
    return Personnummer.from_birth_date(born, 42)


def kaa_case(born: dt.date = dt.date(2006, 5, 1)) -> Case:
    return Case(person(born), "1287", schooling=Answer.known(Schooling(True, "skolan")))


def consent_case(start: dt.date, end: dt.date | None = None, *scope: Purpose) -> Case:
    consent = Consent(
        ConsentKind.AF_DISCLOSURE,
        True,
        scope or (Purpose.SOCIAL_ASSISTANCE,),
        Period(start, end),
        ConsentChannel.POST_TO_AF_ARCHIVE,
    )
    return Case(person(), "1287", consents=Answer.known((consent,)))


# -- registry ------------------------------------------------------------------------------


def test_every_built_in_rule_is_registered() -> None:
    assert rule_ids() == BUILT_IN
    assert [r.id for r in rules()] == list(BUILT_IN)


def test_unknown_rule_id_lists_the_known_ids() -> None:
    with pytest.raises(UnknownRuleError) as info:
        evaluate(kaa_case(), "kaa2", ON)
    message = str(info.value)
    assert "'kaa2'" in message
    for rule_id in BUILT_IN:
        assert rule_id in message


def test_registering_a_duplicate_id_is_an_error() -> None:
    with pytest.raises(RuleError, match="registered already"):
        register_rule(get_rule("kaa"))


def _always(case: Case, on: dt.date, p: params.ParameterView) -> None:
    return None


def _vendor_rule(rule_id: str, parameters: tuple[str, ...] = ()) -> ConditionRule:
    holds = Reason(f"{rule_id}.ok", ReasonKind.HOLDS, "Ja.", "Yes.", "vendor's own source")
    return ConditionRule(
        id=rule_id,
        version="1",
        title_en="Vendor rule",
        title_sv="Leverantörens regel",
        source_text="Citat.",
        citation="vendor's own source",
        parameters=parameters,
        needs=(),
        conditions=(Condition("always", "Always holds.", "vendor", _always, holds),),
    )


def test_a_vendor_registers_and_removes_its_own_rule() -> None:
    register_rule(_vendor_rule("vendor-group"))
    try:
        decision = evaluate(kaa_case(), "vendor-group", ON)
        assert decision.outcome is Outcome.ELIGIBLE
        assert decision.reason_codes() == ("vendor-group.ok",)
    finally:
        unregister_rule("vendor-group")
    with pytest.raises(UnknownRuleError):
        get_rule("vendor-group")


def test_a_probe_order_must_name_every_condition_once() -> None:
    base = _vendor_rule("vendor-probe")
    for order in (("always", "always"), ("never",), ()):
        with pytest.raises(RuleError, match=r"probe_order must name every condition once"):
            rebuilt(base, probe_order=order)
    assert base.probe_order == ("always",)
    # Conditions of the same name: accepted without a probe order, refused with one.
    twice = (*base.conditions, *base.conditions)
    assert rebuilt(base, conditions=twice).probe_order == ("always",) * 2
    with pytest.raises(RuleError, match=r"a probe_order needs distinct condition names"):
        rebuilt(base, conditions=twice, probe_order=("always",) * 2)
    with pytest.raises(AttributeError):
        base.probe_order = ("always",)  # type: ignore[misc]


def test_skat15_probes_its_most_decisive_conditions_first_but_reasons_follow_the_rule() -> None:
    # Born 1990: outside the age band, and no municipal intervention either. evaluate_many
    # settles not_eligible on the first condition probed (the intervention); the reason
    # given is still the age, the first failing condition in the declared order.
    rule = get_rule("skat15")
    assert isinstance(rule, ConditionRule)
    assert rule.probe_order[0] == "only-municipal-interventions"
    assert rule.conditions[0].name == "age"
    case = kaa_case(dt.date(1990, 1, 1))
    (quick,) = evaluate_many([case], ["skat15"], ON)
    assert quick.outcome is Outcome.NOT_ELIGIBLE
    assert quick.reason_codes() == evaluate(case, "skat15", ON).reason_codes()
    assert quick.reason_codes()[0] == "skat15.age.outside-band"


def test_a_one_condition_rule_gives_the_same_decisions_in_evaluate_many() -> None:
    # One condition whose result depends on the birth year: holds, a warning, a
    # failure, or open. evaluate_many's shortcut for one condition gives check's reasons.
    def by_year(case: Case, on: dt.date, p: params.ParameterView) -> ConditionResult:
        year = case.person.birth_date.year
        if year == 2000:
            return Reason("vendor-one.soon", ReasonKind.WARNING, "Snart.", "Soon.", "vendor")
        if year == 1990:
            return Reason("vendor-one.no", ReasonKind.FAILS, "Nej.", "No.", "vendor")
        if year == 1980:
            return missing("vendor-one", InformationSet.STUDIES, AnswerStatus.UNAVAILABLE, "v")
        return None

    base = _vendor_rule("vendor-one")
    condition = base.conditions[0]._replace(predicate=by_year)
    register_rule(rebuilt(base, conditions=(condition,)))
    try:
        cases = [kaa_case(dt.date(year, 3, 1)) for year in (2000, 1990, 1980, 2006)]
        many = list(evaluate_many(cases, "vendor-one", ON))
        assert [d.outcome for d in many] == [
            Outcome.ELIGIBLE,
            Outcome.NOT_ELIGIBLE,
            Outcome.UNKNOWN,
            Outcome.ELIGIBLE,
        ]
        assert [d.reason_codes() for d in many] == [
            ("vendor-one.soon",),
            ("vendor-one.no",),
            ("vendor-one.missing.studies",),
            ("vendor-one.ok",),
        ]
        assert many == [evaluate(c, "vendor-one", ON) for c in cases]
        assert many[2].missing == (InformationSet.STUDIES,)
    finally:
        unregister_rule("vendor-one")


class _Adults(ConditionRule):
    # A vendor's subclass that overrides check only: the engine must not use the
    # inherited quick path, which would skip the override.
    def check(
        self,
        case: Case,
        on: dt.date,
        params: params.ParameterView,
        trace: list[TraceStep] | None,
    ) -> Verdict:
        if age_on(case.person, on) < 18:
            minor = Reason("vendor-adults.minor", ReasonKind.FAILS, "Nej.", "No.", "vendor")
            return Outcome.NOT_ELIGIBLE, (minor,), ()
        return super().check(case, on, params, trace)


def test_a_subclass_overriding_check_only_is_evaluated_by_its_check() -> None:
    base = _vendor_rule("vendor-adults")
    rule = rebuilt(base, _Adults)
    register_rule(rule)
    try:
        cases = [kaa_case(dt.date(2010, 1, 1)), kaa_case(dt.date(1990, 1, 1))]
        quick = [d.outcome for d in evaluate_many(cases, "vendor-adults", ON)]
        assert quick == [Outcome.NOT_ELIGIBLE, Outcome.ELIGIBLE]
        assert [evaluate(c, "vendor-adults", ON).outcome for c in cases] == quick
    finally:
        unregister_rule("vendor-adults")


def test_a_rule_of_the_protocol_without_decide_is_evaluated_by_check() -> None:
    class Plain:
        id = "vendor-plain"
        version = "1"
        title_en = "Plain"
        title_sv = "Enkel"
        source_text = "Citat."
        citation = "vendor"
        parameters: tuple[str, ...] = ()
        needs: tuple[InformationSet, ...] = ()

        def check(
            self,
            case: Case,
            on: dt.date,
            params: params.ParameterView,
            trace: list[TraceStep] | None,
        ) -> Verdict:
            no = Reason("vendor-plain.no", ReasonKind.FAILS, "Nej.", "No.", "vendor")
            return Outcome.NOT_ELIGIBLE, (no,), ()

    register_rule(Plain())
    try:
        (decision,) = evaluate_many([kaa_case()], ["vendor-plain"], ON)
        assert decision.outcome is Outcome.NOT_ELIGIBLE
        assert decision.reason_codes() == ("vendor-plain.no",)
    finally:
        unregister_rule("vendor-plain")


def test_a_rule_naming_an_unknown_parameter_is_refused() -> None:
    with pytest.raises(RuleError, match=r"unknown parameter 'vendor\.limit'"):
        register_rule(_vendor_rule("vendor-x", ("vendor.limit",)))


@pytest.mark.parametrize("bad_id", ["", "Kaa", "my rule"])
def test_rule_ids_are_lower_case_words(bad_id: str) -> None:
    with pytest.raises(RuleError, match="lower-case"):
        register_rule(_vendor_rule(bad_id))


# -- citations -----------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", BUILT_IN)
def test_every_rule_has_a_citation_source_text_and_cited_reasons(rule_id: str) -> None:
    rule = get_rule(rule_id)
    assert rule.citation.strip()
    assert rule.source_text.strip()
    assert rule.title_en.strip()
    assert rule.title_sv.strip()
    if isinstance(rule, ConditionRule):
        for condition in rule.conditions:
            assert condition.citation.strip(), condition.name
            assert condition.holds.citation.strip(), condition.name
            assert condition.holds.kind is ReasonKind.HOLDS


def test_every_parameter_value_has_a_reference() -> None:
    names = params.names()
    assert len(names) >= 15
    for name in names:
        parameter = params.get(name)
        assert parameter.description_en.strip()
        assert parameter.description_sv.strip()
        assert parameter.unit.strip()
        for value in parameter.values:
            assert value.reference.strip(), f"{name} from {value.start}"


def test_every_rule_module_opens_with_its_quoted_source_and_citation() -> None:
    import importlib

    for module_name in ("consent", "skat15", "kaa", "uvas", "inuk", "kaa_reconcile"):
        module = importlib.import_module(f"ssbx_model.rules.{module_name}")
        doc = module.__doc__ or ""
        assert "Source" in doc.split("\n\n")[1] or "Source" in doc[:400], module_name
        assert "Citation:" in doc, module_name


# -- parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "amount"),
    [
        (2019, 46500),
        (2020, 47300),
        (2021, 47600),
        (2022, 48300),
        (2023, 52500),
        (2024, 57300),
        (2025, 58800),
        (2026, 59200),
    ],
)
def test_prisbasbelopp_per_year(year: int, amount: int) -> None:
    assert params.value("prisbasbelopp", dt.date(year, 1, 1)) == amount
    assert params.value("prisbasbelopp", dt.date(year, 12, 31)) == amount


def test_parameter_before_its_first_value_is_an_error() -> None:
    with pytest.raises(RuleError, match="no value on 2018-12-31"):
        params.value("prisbasbelopp", dt.date(2018, 12, 31))


def test_the_default_parameters_of_the_brief() -> None:
    on = dt.date(2024, 1, 1)
    assert params.value("skat15.age.min", on) == 16
    assert params.value("skat15.age.max", on) == 24
    assert params.value("kaa.age_limit", on) == 20
    assert params.value("uvas.age.min", on) == 16
    assert params.value("uvas.age.max", on) == 29
    assert params.value("uvas.sfi_hours_max", on) == 60
    assert params.value("consent.validity_months", on) == 6
    assert params.value("kaa.first_contact_working_days", on) == 1
    assert params.value("af.callback_working_days", on) == 2
    assert params.value("inuk.month_closes_after_working_day", on) == 4
    note = params.get("uvas.age.max").note or ""
    assert "16-25" in note
    assert "16-29" in note


def test_an_override_changes_the_decision_without_touching_files() -> None:
    old = kaa_case(dt.date(2004, 5, 15))
    assert evaluate(old, "kaa", ON).outcome is Outcome.NOT_ELIGIBLE
    what_if = evaluate(old, "kaa", ON, parameters={"kaa.age_limit": 21})
    assert what_if.outcome is Outcome.ELIGIBLE
    assert what_if.parameters["kaa.age_limit"] == 21
    assert evaluate(old, "kaa", ON).parameters["kaa.age_limit"] == 20


def test_unknown_parameter_in_overrides_is_an_error() -> None:
    with pytest.raises(RuleError, match=r"unknown parameter 'kaa\.agelimit'"):
        evaluate(kaa_case(), "kaa", ON, parameters={"kaa.agelimit": 21})


def test_override_of_the_wrong_type_is_an_error() -> None:
    with pytest.raises(RuleError, match="must be a number"):
        evaluate(kaa_case(), "kaa", ON, parameters={"kaa.age_limit": "twenty"})
    with pytest.raises(RuleError, match="must be a number"):
        evaluate(kaa_case(), "kaa", ON, parameters={"kaa.age_limit": True})


def test_parameter_view_is_read_only() -> None:
    decision = evaluate(kaa_case(), "kaa", ON)
    with pytest.raises(TypeError):
        decision.parameters["kaa.age_limit"] = 30  # type: ignore[index]


def test_malformed_parameter_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "vendor.toml"
    path.write_text(
        "[vendor.limit]\ndescription_en = 'x'\nunit = 'days'\n"
        "[[vendor.limit.values]]\nfrom = 2024-01-01\nvalue = 3\n"
        "[[vendor.limit.values]]\nfrom = 2023-01-01\nvalue = 4\nreference = 'r'\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        params.register_file(path)
    paths = info.value.paths
    assert "vendor.toml.vendor.limit.values[0].reference" in paths
    assert "vendor.toml.vendor.limit.values[1].from" in paths
    assert "vendor.toml.vendor.limit.description_sv" in paths


# -- decisions -----------------------------------------------------------------------------


def test_decision_attributes() -> None:
    decision = evaluate(kaa_case(), "kaa", ON)
    assert decision.rule_id == "kaa"
    assert decision.rule_version == "2"
    assert decision.on == ON
    assert decision.outcome is Outcome.ELIGIBLE
    assert decision.is_eligible
    assert decision.subject == "20060501-****"
    assert decision.missing == ()
    assert decision.reasons[0].code == "kaa.age.under-limit"
    assert "skollagen (2010:800) 29 kap. 9 §" in decision.reasons[0].citation


def test_a_decision_is_not_a_sequence() -> None:
    decision = evaluate(kaa_case(), "kaa", ON)
    with pytest.raises(TypeError):
        list(decision)
    assert decision


def test_decision_json_round_trip_keeps_everything() -> None:
    decision = evaluate(kaa_case(dt.date(2004, 5, 15)), "kaa", ON, trace=True)
    document = decision.to_json()
    assert document["trace_version"] == TRACE_VERSION == "1"
    assert document["outcome"] == "not_eligible"
    assert document["reasons"][0]["facts"] == [
        ["age", 20],
        ["age_limit", 20],
        ["ended_on", "2024-05-15"],
    ]
    text = json.dumps(document)
    again = Decision.from_json(json.loads(text))
    assert again == decision
    assert again.trace == decision.trace
    assert again.to_json() == document


def test_decision_from_a_future_trace_version_is_refused() -> None:
    document = evaluate(kaa_case(), "kaa", ON).to_json()
    document["trace_version"] = "2"
    with pytest.raises(RuleError, match="trace_version '2'"):
        Decision.from_json(document)


def test_decision_from_a_malformed_document_is_refused() -> None:
    document = evaluate(kaa_case(), "kaa", ON).to_json()
    del document["outcome"]
    with pytest.raises(RuleError, match="malformed"):
        Decision.from_json(document)


def test_decisions_pickle() -> None:
    decision = evaluate(kaa_case(), "kaa", ON)
    again = pickle.loads(pickle.dumps(decision))
    assert again == decision
    assert again.trace == decision.trace


def test_lazy_trace_equals_the_eager_trace() -> None:
    case = kaa_case(dt.date(2004, 5, 15))
    eager = evaluate(case, "kaa", ON, trace=True).trace
    lazy = evaluate(case, "kaa", ON).trace
    assert eager == lazy
    assert [s.condition for s in eager] == [
        "age",
        "compulsory-school",
        "not-in-upper-secondary",
        "no-diploma",
    ]
    assert eager[0].result is ReasonKind.FAILS
    assert ("age", 20) in eager[0].facts


def test_no_identity_number_in_clear_text_anywhere() -> None:
    case = consent_case(dt.date(2024, 1, 1))
    number = case.person.reveal()
    for rule_id in rule_ids():
        decision = evaluate(case, rule_id, ON, trace=True)
        text = json.dumps(decision.to_json(), default=str) + repr(decision)
        assert number not in text
        assert number.replace("-", "") not in text
        assert number[2:] not in text


def test_unknown_names_the_missing_sets_and_cites() -> None:
    case = Case(person(), "1287", schooling=Answer.unavailable("timeout", _provenance()))
    decision = evaluate(case, "kaa", ON)
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.missing == (InformationSet.SCHOOLING,)
    reason = decision.reasons[0]
    assert reason.kind is ReasonKind.UNKNOWN
    assert ("status", "unavailable") in reason.facts
    assert "kunde inte hämtas" in reason.message_sv


def _provenance() -> object:
    from ssbx_model.information import Provenance

    return Provenance("skolan", "1", dt.datetime(2024, 5, 1, tzinfo=dt.UTC))


def test_reference_date_must_be_a_date() -> None:
    with pytest.raises(RuleError, match=r"datetime\.date"):
        evaluate(kaa_case(), "kaa", dt.datetime(2024, 5, 15, 12, 0))  # type: ignore[arg-type]


# -- evaluate_many -------------------------------------------------------------------------


def test_evaluate_many_yields_case_by_case_and_rule_by_rule_lazily() -> None:
    read: list[int] = []

    def stream() -> Iterator[Case]:
        for i, born in enumerate((dt.date(2006, 5, 1), dt.date(2003, 1, 1))):
            read.append(i)
            yield kaa_case(born)

    decisions = evaluate_many(stream(), ["kaa", "uvas"], ON)
    assert read == []
    first = next(decisions)
    assert (first.rule_id, read) == ("kaa", [0])
    rest = list(decisions)
    assert [(d.rule_id, d.outcome.value) for d in rest] == [
        ("uvas", "unknown"),
        ("kaa", "not_eligible"),
        ("uvas", "unknown"),
    ]


def test_evaluate_many_checks_rules_and_overrides_before_reading() -> None:
    def stream() -> Iterator[Case]:
        raise AssertionError("must not be read")
        yield  # pragma: no cover

    with pytest.raises(UnknownRuleError):
        evaluate_many(stream(), ["kaa", "nope"], ON)
    with pytest.raises(RuleError):
        evaluate_many(stream(), ["kaa"], ON, parameters={"nope": 1})


def test_evaluate_many_equals_evaluate() -> None:
    cases = [kaa_case(dt.date(2006, 5, 1)), consent_case(dt.date(2024, 1, 10))]
    many = list(evaluate_many(cases, rule_ids(), ON))
    one_by_one = [evaluate(c, r, ON) for c in cases for r in rule_ids()]
    assert many == one_by_one


# -- consent_status and inuk_reportable ----------------------------------------------------


def test_consent_status_checks_the_purpose_given() -> None:
    case = consent_case(dt.date(2024, 1, 10), None, Purpose.LABOUR_MARKET)
    assert consent_status(case, ON).outcome is Outcome.NOT_ELIGIBLE
    labour = consent_status(case, ON, Purpose.LABOUR_MARKET)
    assert labour.outcome is Outcome.ELIGIBLE
    assert labour.parameters["consent.purpose"] == "labour-market"


def test_consent_expiring_that_day_is_valid_that_day_with_a_warning() -> None:
    case = consent_case(dt.date(2024, 1, 1), ON)
    decision = consent_status(case, ON)
    assert decision.outcome is Outcome.ELIGIBLE
    assert decision.warnings[0].code == "consent.expires-soon"
    assert ("days_left", 0) in decision.warnings[0].facts
    assert consent_status(case, ON + dt.timedelta(days=1)).outcome is Outcome.NOT_ELIGIBLE


def _intervention(kind: str, start: dt.date, end: dt.date | None) -> MunicipalIntervention:
    return MunicipalIntervention(
        f"I-{kind}",
        kind,
        kind,
        Period(start, end),
        Extent(100),
        Provider("AME"),
        InterventionStatus.ONGOING,
    )


def test_inuk_reportable_decides_per_intervention() -> None:
    good = _intervention("coachning", dt.date(2024, 3, 1), dt.date(2024, 6, 30))
    summer = _intervention("feriejobb", dt.date(2024, 5, 1), dt.date(2024, 8, 1))
    case = Case(person(dt.date(2004, 1, 1)), "1287", interventions=(good, summer))
    assert inuk_reportable(case, good, ON).outcome is Outcome.ELIGIBLE
    # Summer jobs are reported unless inuk.exclude.summer_jobs is set (Dua's exclusion).
    assert inuk_reportable(case, summer, ON).outcome is Outcome.ELIGIBLE
    leave_out = {"inuk.exclude.summer_jobs": True}
    not_summer = inuk_reportable(case, summer, ON, leave_out)
    assert not_summer.reason_codes() == ("inuk.summer-job",)
    assert ("intervention", "I-feriejobb") in not_summer.reasons[0].facts
    assert ("inuk.exclude.summer_jobs", True) in not_summer.reasons[0].facts
    assert "Feriejobb" in not_summer.reasons[0].message_sv
    assert not_summer.trace
    whole = evaluate(case, "inuk", ON, leave_out)
    assert whole.outcome is Outcome.ELIGIBLE
    assert whole.reason_codes() == ("inuk.reportable", "inuk.summer-job")


def test_inuk_target_group_is_extensible_without_editing_the_core() -> None:
    # A vendor's "newly arrived" group: anyone with a samordningsnummer-free case aged
    # 18-64 whose municipality marked the intervention with the category "etablering".
    newly_arrived_reason = Reason(
        "inuk-wide.target-group.newly-arrived",
        ReasonKind.FAILS,
        "Tillhör inte gruppen nyanlända.",
        "Not in the newly-arrived group.",
        "seeds/inuk-faq.sv.txt ('Avsikten är att utöka målgruppen')",
    )

    def newly_arrived(
        case: Case, intervention: MunicipalIntervention, on: dt.date, p: params.ParameterView
    ) -> Reason | None:
        if intervention.inuk_category == "etablering" and age_on(case.person, on) >= 18:
            return None
        return newly_arrived_reason

    group = TargetGroup(
        "newly-arrived",
        "Newly arrived immigrants (marked by the municipality).",
        "seeds/inuk-faq.sv.txt ('Utökad målgrupp')",
        (),
        newly_arrived,
        newly_arrived_reason._replace(kind=ReasonKind.HOLDS),
    )
    register_rule(InukRule(id="inuk-wide", target_groups=(YOUTH, group)))
    try:
        adult = attrs.evolve(
            _intervention("coachning", dt.date(2024, 3, 1), dt.date(2024, 6, 30)),
            inuk_category="etablering",
        )
        case = Case(person(dt.date(1990, 1, 1)), "1287", interventions=(adult,))
        assert evaluate(case, "inuk", ON).outcome is Outcome.NOT_ELIGIBLE
        assert evaluate(case, "inuk-wide", ON).outcome is Outcome.ELIGIBLE
        assert inuk_reportable(case, adult, ON, rule_id="inuk-wide").is_eligible
    finally:
        unregister_rule("inuk-wide")


def test_inuk_reportable_refuses_a_rule_that_is_not_an_inuk_rule() -> None:
    case = Case(person(), "1287")
    intervention = _intervention("coachning", dt.date(2024, 3, 1), dt.date(2024, 6, 30))
    with pytest.raises(RuleError, match="not an INUK rule"):
        inuk_reportable(case, intervention, ON, rule_id="kaa")


# -- the test-case format ------------------------------------------------------------------


def test_the_runner_reports_every_unmet_expectation(tmp_path: Path) -> None:
    path = tmp_path / "wrong.toml"
    path.write_text(
        'rule = "kaa"\n[[case]]\nname = "wrong on purpose"\non = 2024-05-15\n'
        "birth = 2006-05-01\nschooling = { compulsory = true }\n"
        'expect = { outcome = "unknown", reasons = ["kaa.nope"], not_reasons = '
        '["kaa.age.under-limit"], missing = ["schooling"] }\n',
        encoding="utf-8",
    )
    (result,) = testcases.check_file(path)
    assert not result.ok
    assert result.failures == (
        "outcome is eligible, expected unknown",
        (
            "reason kaa.nope missing (reasons: kaa.age.under-limit, "
            "kaa.compulsory-school.completed, kaa.upper-secondary.not-enrolled, kaa.diploma.none)"
        ),
        "reason kaa.age.under-limit present but not expected",
        "missing is (none), expected schooling",
    )
    with pytest.raises(AssertionError, match="1 case\\(s\\) failed"):
        testcases.assert_file(path)


def test_a_bad_case_file_lists_every_problem_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'rule = "kaa"\n'
        '[[case]]\nname = "a"\non = 2024-05-15\nbirth = 2006-05-01\n'
        "studies = [{ to = 2024-01-01 }]\n"
        'expect = { outcome = "maybe" }\n'
        '[[case]]\nname = "b"\non = 2024-05-15\nbirth = 2006-05-01\nshoe_size = 42\n'
        'unavailable = ["enrolments"]\nexpect = { outcome = "eligible" }\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        testcases.load_file(path)
    paths = info.value.paths
    assert "bad.toml.case[0].expect.outcome" in paths
    assert "bad.toml.case[0].studies[0].from" in paths
    assert "bad.toml.case[1].shoe_size" in paths
    assert "bad.toml.case[1].unavailable[0]" in paths


def test_the_social_assistance_facts_are_strict_and_name_their_paths() -> None:
    text = (
        'rule = "assign-intervention"\n[[case]]\nname = "bad"\non = 2026-02-20\n'
        "birth = 1995-06-01\n"
        'income_support = [{ from = "2026-02-01", id = 7 }]\n'
        'af_consultations = [{ held = 2026-02-10, answer = "yes" }, '
        '{ intervention = 1, held = 2026-02-10 }, { answer = "not-answered" }]\n'
        'expect = { outcome = "eligible" }\n'
    )
    with pytest.raises(ValidationError) as info:
        testcases.load_text(text, source="t.toml")
    assert set(info.value.paths) == {
        "t.toml.case[0].income_support[0].from",
        "t.toml.case[0].af_consultations[0].answer",
    }
    # Each fact stops at its first bad value; fixed, the next ones are named.
    fixed = text.replace('"2026-02-01", id = 7', "2026-02-01, id = 7").replace('"yes"', '"n"')
    with pytest.raises(ValidationError) as info:
        testcases.load_text(fixed.replace(', answer = "n"', ""), source="t.toml")
    assert set(info.value.paths) == {
        "t.toml.case[0].income_support[0].id",
        "t.toml.case[0].af_consultations[1].intervention",
    }
    facts = {"af_consultations": [{"held": ON, "answer": "not-answered"}]}
    pending = testcases.build_case({"birth": dt.date(1995, 6, 1), **facts}, ON)
    (consultation,) = pending.intervention_consultations.items()
    assert consultation.answered_on is None
    assert consultation.intervention_id == "I1"


def test_a_vendor_adds_a_fact_to_the_vocabulary() -> None:
    def home(value: object, ctx: testcases.FactContext) -> dict[str, object]:
        return {"municipality": str(value)}

    with pytest.raises(ValueError, match="reserved"):
        testcases.register_fact("birth", home)
    testcases.register_fact("home_municipality", home, replace=True)
    case = testcases.build_case({"birth": dt.date(2000, 1, 1), "home_municipality": "0180"}, ON)
    assert case.municipality == "0180"


def test_the_case_files_cover_every_rule_of_this_module_with_at_least_12_cases() -> None:
    folder = Path(__file__).parent / "rules" / "cases"
    counts: dict[str, int] = {}
    for path in folder.glob("*.toml"):
        for rule_case in testcases.load_file(path):
            counts[rule_case.rule] = counts.get(rule_case.rule, 0) + 1
    for rule_id in ("consent", "skat15", "kaa", "uvas", "inuk", "kaa-reconcile"):
        assert counts.get(rule_id, 0) >= 12, rule_id


def test_the_first_failure_decides_and_the_trace_shows_every_condition() -> None:
    case = Case(person(dt.date(1990, 1, 1)), "1287", enrolment=Answer.not_found())
    decision = evaluate(case, "skat15", ON)
    assert decision.reason_codes() == ("skat15.age.outside-band",)
    steps = {s.condition: s.result for s in decision.trace}
    assert steps["registered-at-af"] is ReasonKind.FAILS
    assert steps["not-working"] is ReasonKind.UNKNOWN
    assert evaluate(case, "skat15", ON, trace=True) == decision


def test_which_rules_stop_at_the_first_failure() -> None:
    stopping = {r.id for r in rules() if isinstance(r, ConditionRule) and r.first_failure_decides}
    assert stopping == {"skat15", "kaa", "uvas"}


@pytest.mark.parametrize(
    "bad", [[None], Path("case.json"), "case", None, {"person": "x"}], ids=repr
)
def test_evaluate_names_what_it_got_when_given_no_case(bad: object) -> None:
    with pytest.raises(TypeError, match=rf"must be a Case .*not {type(bad).__name__}"):
        evaluate(bad, "kaa", ON)  # type: ignore[arg-type]


def test_evaluate_many_names_the_item_that_is_no_case() -> None:
    decisions = evaluate_many([kaa_case(), "20000101-0000"], ["kaa"], ON)  # type: ignore[list-item]
    assert next(decisions).rule_id == "kaa"
    with pytest.raises(TypeError, match=r"cases\[1\] must be a Case .*not str"):
        next(decisions)


def test_evaluate_many_refuses_a_single_case_at_once() -> None:
    with pytest.raises(TypeError, match="wrap one case in a list"):
        evaluate_many(kaa_case(), ["kaa"], ON)  # type: ignore[arg-type]


@pytest.mark.parametrize("on", ["2024-05-15", dt.datetime(2024, 5, 15, 12, 0), 20240515])
def test_a_reference_date_that_is_not_a_date_is_a_type_error(on: object) -> None:
    with pytest.raises(TypeError, match=r"reference date must be a datetime\.date"):
        evaluate(kaa_case(), "kaa", on)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"reference date must be a datetime\.date"):
        evaluate_many([kaa_case()], ["kaa"], on)  # type: ignore[arg-type]
