"""The employer check as the SSBTX report describes it (issue 15, point 4).

Only placements with an employer other than the municipality are checked; payment remarks
are judged by AF's assessment (an amount only when the deployment sets one); union
approval is warned about, or required. The data-file cases
(tests/rules/cases/employer-check.toml) pin the behaviour case by case; this module holds
the invariants (hypothesis), the texts built from the values used, the citation, and the
strictness of the new facts and fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.codec import json as case_json
from ssbx_model.codec import xml as case_xml
from ssbx_model.errors import ValidationError
from ssbx_model.identity import Organisationsnummer, Personnummer
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    EmployerCheck,
    InformationSet,
    InterventionStatus,
    MunicipalIntervention,
    PaymentRemark,
    PaymentRemarkAssessment,
    Provenance,
    Provider,
    UnionApproval,
)
from ssbx_model.rules import Outcome, ReasonKind, evaluate, evaluate_many, get_rule
from ssbx_model.rules import employer_check as rule
from ssbx_model.rules.employer_check import check_employer
from ssbx_model.rules.testcases import load_text
from ssbx_model.testing import strategies as ss

ON = dt.date(2026, 3, 1)
PERSON = Personnummer.from_birth_date(dt.date(1990, 5, 17), 982)
MUNICIPALITY = Organisationsnummer.parse("212000-1165")
OTHER_MUNICIPALITY = Organisationsnummer.parse("212000-1298")
COMPANY = Organisationsnummer.parse("556677-8899")
PROVENANCE = Provenance("AF", "1", dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC))
INSIGNIFICANT = PaymentRemarkAssessment.INSIGNIFICANT
NOT_INSIGNIFICANT = PaymentRemarkAssessment.NOT_INSIGNIFICANT
NOT_ASSESSED = PaymentRemarkAssessment.NOT_ASSESSED


def placement(
    org: Organisationsnummer | None, intervention_id: str = "I1", status: str = "planned"
) -> MunicipalIntervention:
    return MunicipalIntervention(
        intervention_id,
        "Praktik",
        "praktik",
        Period(dt.date(2026, 3, 15), dt.date(2026, 6, 15)),
        Extent(100),
        Provider("Anordnaren", org),
        InterventionStatus(status),
    )


def clean_check(org: Organisationsnummer = COMPANY, **changes: Any) -> EmployerCheck:
    fields: dict[str, Any] = {
        "trading_ban": False,
        "tax_debt_at_kronofogden_sek": 0,
        "payment_remarks": (),
        **changes,
    }
    return EmployerCheck(org, dt.date(2026, 2, 20), **fields)


def case_of(
    *placements: MunicipalIntervention,
    checks: Answer[tuple[EmployerCheck, ...]] | None = None,
    municipality: Organisationsnummer | None = MUNICIPALITY,
) -> Case:
    return Case(
        PERSON,
        "1287",
        employer_checks=checks if checks is not None else Answer.not_requested(),
        interventions=placements,
        municipality_organisation_number=municipality,
    )


# --------------------------------------------------------------------------------------
# The citation: the report's table and AF's check before assignment, never a file here
# --------------------------------------------------------------------------------------


def test_the_rule_cites_the_report_afs_check_before_assignment_and_the_ordinance() -> None:
    citation = get_rule("employer-check").citation
    assert "SKR, Processkartläggning del 2 (2022-03-11)" in citation
    assert "Tabell 6" in citation
    assert "'Faktablad om kontroll inför beslut om anvisning'" in citation
    assert "https://arbetsformedlingen.se/" in citation
    assert "förordning (2017:462)" in citation
    assert "annan arbetsgivare än kommun" in get_rule("employer-check").source_text


@pytest.mark.parametrize(
    "check",
    [
        clean_check(payment_remarks=(PaymentRemark(dt.date(2025, 6, 1), 900, "skuld"),)),
        clean_check(union_approval=UnionApproval(False, "Handels", dt.date(2026, 2, 25))),
        clean_check(trading_ban=True, tax_debt_at_kronofogden_sek=None),
    ],
)
def test_no_reason_cites_a_file_of_this_repository(check: EmployerCheck) -> None:
    cases = [
        case_of(placement(COMPANY), checks=Answer.known((check,))),
        case_of(placement(MUNICIPALITY)),
        case_of(placement(None)),
        case_of(placement(COMPANY), checks=Answer.absent(), municipality=None),
    ]
    decisions = [evaluate(c, "employer-check", ON, trace=True) for c in cases]
    decisions.append(check_employer(check, ON))
    for decision in decisions:
        for reason in decision.reasons:
            assert "seeds/" not in reason.citation
            assert ".txt" not in reason.citation
        for step in decision.trace:
            assert "seeds/" not in step.citation


# --------------------------------------------------------------------------------------
# 1. Only another employer than the municipality is checked
# --------------------------------------------------------------------------------------


@st.composite
def cases_with_municipal_placements(draw: st.DrawFn) -> Case:
    """Planned placements some of which are at the municipality's own number, and any
    answer about the employer checks (known checks re-pointed at the placements)."""
    orgs = [MUNICIPALITY, MUNICIPALITY, OTHER_MUNICIPALITY, COMPANY, None]
    placements = tuple(
        placement(draw(st.sampled_from(orgs)), f"I{i}") for i in range(draw(st.integers(1, 4)))
    )
    answer = draw(ss.answers(ss.set_values(InformationSet.EMPLOYER_CHECKS, ON), on=ON))
    if answer.is_known:
        pointed = tuple(
            attrs.evolve(c, organisation_number=draw(st.sampled_from(orgs[:4])))
            for c in answer.items()
        )
        answer = Answer.known(pointed)
    return case_of(*placements, checks=answer)


PARAMETERS = st.fixed_dictionaries(
    {
        "employer_check.remark_threshold_enabled": st.booleans(),
        "employer_check.remark_threshold_sek": st.sampled_from([0, 5000]),
        "employer_check.union_approval_required": st.booleans(),
    }
)


@settings(max_examples=150)
@given(cases_with_municipal_placements(), PARAMETERS)
def test_placements_with_the_municipality_never_change_the_outcome(
    case: Case, params: dict[str, Any]
) -> None:
    # Kleene's AND with "holds": dropping the municipality's own placements changes nothing
    # as long as another placement is left; when none is left the case passes.
    result = evaluate(case, "employer-check", ON, params)
    others = tuple(i for i in case.interventions if i.provider.organisation_number != MUNICIPALITY)
    if others:
        without = evaluate(attrs.evolve(case, interventions=others), "employer-check", ON, params)
        assert result.outcome is without.outcome
        assert result.missing == without.missing
    else:
        assert result.outcome is Outcome.ELIGIBLE
        assert set(result.reason_codes()) == {"employer-check.municipal-placement"}
    municipal = [
        i.intervention_id
        for i in case.interventions
        if i.provider.organisation_number == MUNICIPALITY
    ]
    for step in result.trace:
        if step.condition.split(":")[0] in municipal:
            assert step.condition.endswith(":municipal-placement")
            assert step.result is ReasonKind.HOLDS


@settings(max_examples=150)
@given(cases_with_municipal_placements(), PARAMETERS)
def test_the_quick_path_agrees_with_the_full_check(case: Case, params: dict[str, Any]) -> None:
    (quick,) = evaluate_many([case], "employer-check", ON, params)
    assert quick == evaluate(case, "employer-check", ON, params)


def test_the_municipality_is_recognised_only_by_its_own_number() -> None:
    checks = Answer.known((clean_check(OTHER_MUNICIPALITY),))
    other = evaluate(case_of(placement(OTHER_MUNICIPALITY), checks=checks), "employer-check", ON)
    assert "employer-check.municipal-placement" not in other.reason_codes()
    assert "employer-check.trading-ban.holds" in other.reason_codes()
    unknown_own = evaluate(
        case_of(placement(MUNICIPALITY), checks=Answer.absent(), municipality=None),
        "employer-check",
        ON,
    )
    assert unknown_own.outcome is Outcome.UNKNOWN
    (reason,) = unknown_own.reasons
    assert reason.code == "employer-check.no-check-for-employer"
    assert "Kommunens organisationsnummer är inte angivet" in reason.message_sv
    assert "does not give the municipality's organisation number" in reason.message_en


def test_the_municipal_placement_reason_names_the_number_it_matched() -> None:
    result = evaluate(case_of(placement(MUNICIPALITY)), "employer-check", ON)
    (reason,) = result.reasons
    assert reason.kind is ReasonKind.HOLDS
    assert "212000-1165" in reason.message_sv
    assert "212000-1165" in reason.message_en
    assert "annan arbetsgivare än kommunen" in reason.message_sv
    assert dict(reason.facts) == {
        "intervention": "I1",
        "organisation_number": "212000-1165",
        "employer": "municipality",
    }


def test_the_municipality_organisation_number_must_be_a_municipalitys() -> None:
    with pytest.raises(ValidationError) as caught:
        case_of(municipality=COMPANY)
    assert [p.path for p in caught.value.problems] == ["municipality_organisation_number"]
    with pytest.raises(ValidationError) as caught:
        Case(PERSON, "1287", municipality_organisation_number="212000-1165")  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["municipality_organisation_number"]


# --------------------------------------------------------------------------------------
# 3. Payment remarks by AF's assessment
# --------------------------------------------------------------------------------------

REMARK_PARAMETERS = st.fixed_dictionaries(
    {
        "employer_check.max_tax_debt_sek": st.sampled_from([0, 20000]),
        "employer_check.remark_threshold_enabled": st.booleans(),
        "employer_check.remark_threshold_sek": st.sampled_from([0, 1, 5000, 100000]),
    }
)


@st.composite
def checks_and_dates(draw: st.DrawFn) -> tuple[EmployerCheck, dt.date]:
    on = draw(st.dates(dt.date(2018, 1, 1), dt.date(2028, 12, 31)))
    check = draw(ss.employer_checks(on))
    return attrs.evolve(check, payment_remarks=draw(st.none() | remark_lists(check))), on


def remark_lists(
    check: EmployerCheck, assessment: PaymentRemarkAssessment | None = None
) -> st.SearchStrategy[tuple[PaymentRemark, ...]]:
    return st.lists(
        st.builds(
            PaymentRemark,
            st.dates(dt.date(2010, 1, 1), check.checked_on),
            st.integers(0, 400_000),
            st.just("skuld"),
            st.sampled_from(PaymentRemarkAssessment) if assessment is None else st.just(assessment),
        ),
        max_size=3,
    ).map(tuple)


@settings(max_examples=200)
@given(checks_and_dates(), REMARK_PARAMETERS, st.data())
def test_remarks_af_assessed_as_insignificant_never_change_the_outcome(
    drawn: tuple[EmployerCheck, dt.date], params: dict[str, Any], data: st.DataObject
) -> None:
    check, on = drawn
    if check.payment_remarks is None:
        return
    extra = data.draw(remark_lists(check, INSIGNIFICANT).filter(bool))
    more = attrs.evolve(check, payment_remarks=check.payment_remarks + extra)
    before, after = check_employer(check, on, params), check_employer(more, on, params)
    assert after.outcome is before.outcome
    ground_before = rule.assess_grounds(check, on, params)[2]
    ground_after = rule.assess_grounds(more, on, params)[2]
    assert (ground_after.code, ground_after.kind) == (ground_before.code, ground_before.kind)


@settings(max_examples=200)
@given(checks_and_dates(), REMARK_PARAMETERS)
def test_a_remark_af_has_not_assessed_is_open_unless_a_threshold_is_set(
    drawn: tuple[EmployerCheck, dt.date], params: dict[str, Any]
) -> None:
    check, on = drawn
    result = check_employer(check, on, params)
    ground = rule.assess_grounds(check, on, params)[2]
    counted = [r for r in check.payment_remarks or () if r.registered_on <= on]
    kinds = {r.af_assessment for r in counted}
    if check.payment_remarks is None:
        assert ground.code == "employer-check.payment-remarks.not-checked"
    elif NOT_INSIGNIFICANT in kinds:
        assert ground.kind is ReasonKind.FAILS
        assert ground.code == "employer-check.payment-remarks.fails"
    elif NOT_ASSESSED in kinds and not params["employer_check.remark_threshold_enabled"]:
        assert ground.kind is ReasonKind.UNKNOWN
        assert ground.code == "employer-check.payment-remarks.not-assessed"
        assert result.outcome is not Outcome.ELIGIBLE
    elif NOT_ASSESSED in kinds:
        total = sum(r.amount_sek for r in counted if r.af_assessment is NOT_ASSESSED)
        failed = total > params["employer_check.remark_threshold_sek"]
        assert (ground.kind is ReasonKind.FAILS) == failed
        assert (ground.kind is ReasonKind.HOLDS) == (not failed)
    else:
        assert ground.kind is ReasonKind.HOLDS


def test_remark_texts_are_built_from_the_values_used() -> None:
    check = clean_check(
        payment_remarks=(
            PaymentRemark(dt.date(2025, 6, 1), 4321, "skuld"),
            PaymentRemark(dt.date(2025, 7, 1), 1234, "skuld", INSIGNIFICANT),
        )
    )
    what_if = {
        "employer_check.remark_threshold_enabled": True,
        "employer_check.remark_threshold_sek": 7777,
    }
    (holds,) = [r for r in check_employer(check, ON, what_if).reasons if "remarks" in r.code]
    assert "4321 kr" in holds.message_sv
    assert "7777 kr" in holds.message_sv
    assert "SEK 4321" in holds.message_en
    assert "SEK 7777" in holds.message_en
    assert "obetydliga av Arbetsförmedlingen: 1 st." in holds.message_sv
    lower = {**what_if, "employer_check.remark_threshold_sek": 4320}
    (fails,) = check_employer(check, ON, lower).reasons
    assert fails.code == "employer-check.payment-remarks.above-threshold"
    assert "4320 kr" in fails.message_sv
    assert "SEK 4320" in fails.message_en
    assert dict(fails.facts)["remark_threshold_sek"] == 4320
    (open_,) = check_employer(check, ON).reasons
    assert open_.code == "employer-check.payment-remarks.not-assessed"
    assert "4321 kr" in open_.message_sv
    assert dict(open_.facts)["remark_threshold_sek"] is None


def test_a_remark_registered_on_the_date_counts_and_one_registered_after_it_does_not() -> None:
    # check_employer takes a check as given, whatever its date; remarks count by their own.
    check = EmployerCheck(
        COMPANY,
        dt.date(2026, 3, 2),
        trading_ban=False,
        tax_debt_at_kronofogden_sek=0,
        payment_remarks=(PaymentRemark(dt.date(2026, 3, 2), 500, "skuld", NOT_INSIGNIFICANT),),
    )
    assert check_employer(check, dt.date(2026, 3, 2)).outcome is Outcome.NOT_ELIGIBLE
    assert check_employer(check, dt.date(2026, 3, 1)).outcome is Outcome.ELIGIBLE


def test_the_old_threshold_parameter_is_gone() -> None:
    from ssbx_model.errors import RuleError

    check = clean_check()
    with pytest.raises(RuleError):
        check_employer(check, ON, {"employer_check.insignificant_payment_remarks_sek": 5000})


# --------------------------------------------------------------------------------------
# 4. Union approval: warned about, or required
# --------------------------------------------------------------------------------------

APPROVALS = st.none() | st.builds(
    UnionApproval,
    st.booleans(),
    st.sampled_from(["Kommunal", "Handels", "Unionen"]),
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 4, 30)),
)


@settings(max_examples=150)
@given(ss.employer_checks(ON), APPROVALS)
def test_union_approval_is_only_a_warning_unless_required(
    check: EmployerCheck, approval: UnionApproval | None
) -> None:
    check = attrs.evolve(check, organisation_number=COMPANY)
    with_approval = case_of(
        placement(COMPANY), checks=Answer.known((attrs.evolve(check, union_approval=approval),))
    )
    without = case_of(
        placement(COMPANY), checks=Answer.known((attrs.evolve(check, union_approval=None),))
    )
    plain = evaluate(with_approval, "employer-check", ON)
    assert plain.outcome is evaluate(without, "employer-check", ON).outcome
    union = [r for r in plain.reasons if r.code.startswith("employer-check.union-approval.")]
    assert all(r.kind in (ReasonKind.WARNING, ReasonKind.HOLDS) for r in union)
    required = evaluate(
        with_approval, "employer-check", ON, {"employer_check.union_approval_required": True}
    )
    approved_by_then = approval is not None and approval.approved and approval.signed_on <= ON
    if required.outcome is Outcome.ELIGIBLE:
        assert approved_by_then
    if approval is not None and not approval.approved and approval.signed_on <= ON:
        assert required.outcome is Outcome.NOT_ELIGIBLE
        assert "employer-check.union-approval.refused" in required.reason_codes()


def test_union_texts_name_the_union_and_the_date() -> None:
    approval = UnionApproval(False, "Handels", dt.date(2026, 2, 25))
    case = case_of(placement(COMPANY), checks=Answer.known((clean_check(union_approval=approval),)))
    (warning,) = evaluate(case, "employer-check", ON).warnings
    assert warning.code == "employer-check.union-approval.refused"
    assert "Handels" in warning.message_sv
    assert "2026-02-25" in warning.message_sv
    assert "krävs inte" in warning.message_sv
    assert "not required" in warning.message_en
    required = evaluate(
        case, "employer-check", ON, {"employer_check.union_approval_required": True}
    )
    (fails,) = required.reasons
    assert fails.kind is ReasonKind.FAILS
    assert "fackligt godkännande krävs" in fails.message_sv
    assert dict(fails.facts)["union_approval_required"] is True


def test_warnings_come_with_every_outcome() -> None:
    failing = clean_check(trading_ban=True)
    open_ = clean_check(tax_debt_at_kronofogden_sek=None)
    for check, outcome in (
        (failing, Outcome.NOT_ELIGIBLE),
        (open_, Outcome.UNKNOWN),
        (clean_check(), Outcome.ELIGIBLE),
    ):
        result = evaluate(
            case_of(placement(COMPANY), checks=Answer.known((check,))), "employer-check", ON
        )
        assert result.outcome is outcome
        assert [w.code for w in result.warnings] == ["employer-check.union-approval.missing"]


# --------------------------------------------------------------------------------------
# The new facts and fields: strict in the case files, carried by both codecs
# --------------------------------------------------------------------------------------

_CASE = """
rule = "employer-check"
[[case]]
name = "x"
on = 2026-03-01
birth = 1990-01-15
{extra}
expect = {{ outcome = "eligible" }}
"""


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        (
            "municipality_organisation_number = 2120001165",
            "case[0].municipality_organisation_number",
        ),
        (
            'municipality_organisation_number = "556677-8899"',
            "case[0].municipality_organisation_number",
        ),
        (
            (
                'employer_checks = [{ organisation_number = "556677-8899", payment_remarks = '
                '[{ registered = 2025-01-01, amount = 5, assessment = "small" }] }]'
            ),
            "case[0].employer_checks[0].payment_remarks[0].assessment",
        ),
        (
            (
                'employer_checks = [{ organisation_number = "556677-8899", payment_remarks = '
                "[{ registered = 2025-01-01, amount = 5, assessment = true }] }]"
            ),
            "case[0].employer_checks[0].payment_remarks[0].assessment",
        ),
        (
            (
                'employer_checks = [{ organisation_number = "556677-8899", union_approval = '
                '{ approved = "yes", signed = 2026-01-01 } }]'
            ),
            "case[0].employer_checks[0].union_approval.approved",
        ),
        (
            (
                'employer_checks = [{ organisation_number = "556677-8899", union_approval = '
                "{ approved = true, union = 7, signed = 2026-01-01 } }]"
            ),
            "case[0].employer_checks[0].union_approval.union",
        ),
        (
            (
                'employer_checks = [{ organisation_number = "556677-8899", union_approval = '
                '{ approved = true, signed = "2026-01-01" } }]'
            ),
            "case[0].employer_checks[0].union_approval.signed",
        ),
    ],
)
def test_the_new_facts_are_strict_and_name_their_path(extra: str, path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_text(_CASE.format(extra=extra))
    paths = [p.path for p in caught.value.problems]
    assert any(p.endswith(path) for p in paths), paths


def test_the_new_fields_travel_through_json_and_xml() -> None:
    check = clean_check(
        payment_remarks=(
            PaymentRemark(dt.date(2025, 6, 1), 900, "skuld", INSIGNIFICANT),
            PaymentRemark(dt.date(2025, 7, 1), 1900, "skuld"),
        ),
        union_approval=UnionApproval(True, "Kommunal", dt.date(2026, 2, 25)),
    )
    case = case_of(
        placement(MUNICIPALITY), placement(COMPANY, "I2"), checks=Answer.known((check,), PROVENANCE)
    )
    assert case_json.loads(case_json.dumps(case)) == case
    assert case_xml.loads(case_xml.dumps(case)) == case
    text = case_json.dumps(case).decode()
    assert '"municipality_organisation_number":"212000-1165"' in text.replace(" ", "")
    assert '"af_assessment":"insignificant"' in text.replace(" ", "")
    # The default assessment is not written: a 1.0.0 document reads as before.
    assert text.count("af_assessment") == 1


def test_a_case_without_the_new_fields_is_read_as_before() -> None:
    case = Case(PERSON, "1287", employer_checks=Answer.known((clean_check(),)))
    again = case_json.loads(case_json.dumps(case))
    assert again.municipality_organisation_number is None
    assert again == case
    assert again.employer_checks.status is AnswerStatus.KNOWN
