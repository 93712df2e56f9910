"""Issue 14: consent histories, consent kinds per purpose, withdrawal reasons as AF gives
them, and field-level withholding, through the model, the access filter, the codecs and
the command line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model import codec
from ssbx_model.access import default_policy, filter_case, load_policy, parse_policy
from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.errors import ValidationError
from ssbx_model.information import (
    ActivitySupport,
    ActivitySupportLevel,
    ActivitySupportWithdrawal,
    Answer,
    AnswerStatus,
    Consent,
    ConsentChannel,
    ConsentKind,
    InformationSet,
    Sanction,
    SanctionKind,
    WithheldField,
)
from ssbx_model.information.consent import ConsentState, consent_standing
from ssbx_model.purpose import Purpose, Role
from ssbx_model.rules import Outcome, evaluate
from ssbx_model.testing import factories
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 9, 1)
S = InformationSet
SA, LM = Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET
AF = ConsentKind.AF_DISCLOSURE
DUA = ConsentKind.DUA_INFORMATION_EXCHANGE
POLICY_FILE = Path(__file__).parents[1] / "src" / "ssbx_model" / "policy" / "default-policy.toml"


def _consent(
    start: dt.date,
    end: dt.date | None = None,
    *,
    given: bool = True,
    kind: ConsentKind = AF,
    scope: tuple[Purpose, ...] = (SA,),
    reference: str | None = None,
    withdraws: str | None = None,
) -> Consent:
    return Consent(
        kind,
        given,
        scope,
        Period(start, end),
        ConsentChannel.IN_PERSON,
        reference=reference,
        withdraws=withdraws,
    )


def _case(*consents: Consent, **answers: Answer[Any]) -> Case:
    on = ON
    person = factories.person(age=30, on=on)
    af = factories.provenance(on)
    fields: dict[str, Any] = {
        "enrolment": Answer.known(factories.enrolment(on - dt.timedelta(days=400)), af),
        "program_decisions": Answer.absent(af),
    }
    if consents:
        fields["consents"] = Answer.known(consents, af)
    fields.update(answers)
    return Case(person, "1287", **fields)


# -- the history ---------------------------------------------------------------------------


def test_a_withdrawal_is_not_overtaken_by_time_and_an_older_consent_never_decides_again() -> None:
    # Before issue 14 the withdrawal got six months' validity like a consent, lapsed on
    # 1 August and the January consent (valid to the end of 2025) released AF's sets again.
    case = _case(
        _consent(dt.date(2024, 1, 1), dt.date(2025, 12, 31), reference="SAM-1"),
        _consent(dt.date(2024, 2, 1), given=False, withdraws="SAM-1"),
    )
    for on in (dt.date(2024, 2, 1), dt.date(2024, 8, 2), dt.date(2025, 6, 1), dt.date(2031, 1, 1)):
        decision = evaluate(case, "consent", on)
        assert decision.outcome is Outcome.NOT_ELIGIBLE, on
        assert decision.reason_codes() == ("consent.withdrawn",)
        filtered = filter_case(case, role=Role.SOCIAL_WORKER, purpose=SA, on=on)
        assert filtered.case.enrolment.status is AnswerStatus.WITHHELD
        assert "consent.withdrawn" in str(filtered.reason(S.ENROLMENT))


def test_a_consent_after_the_withdrawal_applies_again_from_its_first_day() -> None:
    case = _case(
        _consent(dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        _consent(dt.date(2024, 2, 1), given=False),
        _consent(dt.date(2024, 8, 15)),
    )
    assert evaluate(case, "consent", dt.date(2024, 8, 14)).outcome is Outcome.NOT_ELIGIBLE
    assert evaluate(case, "consent", dt.date(2024, 8, 15)).outcome is Outcome.ELIGIBLE
    released = filter_case(case, role=Role.SOCIAL_WORKER, purpose=SA, on=dt.date(2024, 8, 15))
    assert released.case.enrolment == case.enrolment


def test_the_reading_of_a_history_names_the_consent_that_decides() -> None:
    refusal = _consent(dt.date(2024, 2, 1), given=False)
    later = _consent(dt.date(2024, 3, 1), dt.date(2024, 5, 31))
    history = (refusal, later)

    def state(on: dt.date) -> ConsentState:
        return consent_standing(history, AF, on, purpose=SA, validity_months=6).state

    assert state(dt.date(2024, 1, 31)) is ConsentState.NOT_YET
    assert state(dt.date(2024, 2, 1)) is ConsentState.WITHDRAWN
    assert state(dt.date(2024, 2, 29)) is ConsentState.WITHDRAWN
    assert state(dt.date(2024, 3, 1)) is ConsentState.VALID
    assert state(dt.date(2024, 5, 31)) is ConsentState.VALID
    assert state(dt.date(2024, 6, 1)) is ConsentState.EXPIRED
    assert consent_standing(history, DUA, ON, purpose=SA, validity_months=6).state is (
        ConsentState.NONE
    )
    standing = consent_standing(history, AF, dt.date(2024, 4, 1), purpose=SA, validity_months=6)
    assert (standing.consent, standing.end) == (later, dt.date(2024, 5, 31))


def test_an_open_consent_of_a_kind_without_usual_validity_does_not_lapse() -> None:
    form = _consent(dt.date(2020, 1, 1), kind=DUA, scope=(LM,))
    standing = consent_standing((form,), DUA, dt.date(2030, 1, 1), purpose=LM, validity_months=None)
    assert (standing.state, standing.end) == (ConsentState.VALID, None)
    # 29 February plus six months is 29 August; 31 August plus six months is 28 February.
    leap = _consent(dt.date(2024, 2, 29))
    assert consent_standing(
        (leap,), AF, dt.date(2024, 8, 29), purpose=SA, validity_months=6
    ).state is (ConsentState.VALID)
    assert consent_standing(
        (leap,), AF, dt.date(2024, 8, 30), purpose=SA, validity_months=6
    ).state is (ConsentState.EXPIRED)
    late = _consent(dt.date(2023, 8, 31))
    assert consent_standing(
        (late,), AF, dt.date(2024, 2, 29), purpose=SA, validity_months=6
    ).state is (ConsentState.VALID)


@settings(max_examples=60)
@given(data=st.data())
def test_a_history_reads_the_same_whatever_order_it_is_stored_in(data: st.DataObject) -> None:
    items = list(data.draw(ss.consent_histories(ON, kind=AF, max_size=5)))
    shuffled = data.draw(st.permutations(items))
    on = data.draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    purpose = data.draw(st.sampled_from(list(Purpose)))
    one = consent_standing(items, AF, on, purpose=purpose, validity_months=6)
    two = consent_standing(shuffled, AF, on, purpose=purpose, validity_months=6)
    assert (one.state, one.end) == (two.state, two.end)


# -- a history that contradicts itself ------------------------------------------------------


def test_a_withdrawal_dated_before_the_consent_it_withdraws_is_refused_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        _case(
            _consent(dt.date(2024, 3, 1), dt.date(2024, 8, 31), reference="SAM-7"),
            _consent(dt.date(2024, 2, 1), given=False, withdraws="SAM-7"),
        )
    assert caught.value.paths == ["consents.value[1].validity.start"]
    assert "before the consent it withdraws" in str(caught.value)


def test_two_answers_of_one_kind_on_one_day_are_refused_with_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        _case(
            _consent(dt.date(2024, 3, 1), dt.date(2024, 8, 31), scope=(SA, LM)),
            _consent(dt.date(2024, 3, 1), given=False, scope=(SA,)),
        )
    assert caught.value.paths == ["consents.value[1].given"]
    # Other purposes, or another kind, on the same day do not contradict each other.
    _case(
        _consent(dt.date(2024, 3, 1), dt.date(2024, 8, 31), scope=(LM,)),
        _consent(dt.date(2024, 3, 1), given=False, scope=(SA,)),
        _consent(dt.date(2024, 3, 1), kind=DUA, scope=(SA,)),
    )


def test_a_withdrawal_naming_no_consent_of_the_history_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        _case(
            _consent(dt.date(2024, 1, 1), reference="DUA-1", kind=DUA, scope=(LM,)),
            _consent(dt.date(2024, 2, 1), given=False, withdraws="SAM-404"),
            _consent(dt.date(2024, 2, 2), given=False, withdraws="DUA-1"),
        )
    assert caught.value.paths == ["consents.value[1].withdraws", "consents.value[2].withdraws"]


def test_a_refusal_has_no_end_and_only_a_withdrawal_withdraws() -> None:
    with pytest.raises(ValidationError) as caught:
        _consent(dt.date(2024, 2, 1), dt.date(2024, 8, 1), given=False)
    assert caught.value.paths == ["validity.end"]
    with pytest.raises(ValidationError) as caught:
        _consent(dt.date(2024, 2, 1), withdraws="SAM-1")
    assert caught.value.paths == ["withdraws"]


# -- which consent opens what: the policy ---------------------------------------------------


def _dua_youth() -> Case:
    return factories.young_person_case(on=ON, age=19)


def test_the_dua_form_opens_the_category_15_sets_to_the_employment_officer() -> None:
    case = _dua_youth()
    assert {c.kind for c in case.consents.items()} == {DUA}
    filtered = filter_case(case, role=Role.EMPLOYMENT_OFFICER, purpose=LM, on=ON)
    assert filtered.case.enrolment == case.enrolment
    assert filtered.case.program_decisions.status is case.program_decisions.status
    assert filtered.case.program_decisions.items() == case.program_decisions.items()
    decision = evaluate(filtered.case, "skat15", ON)
    assert decision.outcome is not Outcome.UNKNOWN or S.ENROLMENT not in decision.missing
    assert S.ENROLMENT not in decision.missing
    assert S.PROGRAM_DECISIONS not in decision.missing


def test_the_dua_form_does_not_open_afs_sets_for_social_assistance_and_says_which_kind() -> None:
    case = _dua_youth()
    filtered = filter_case(case, role=Role.SOCIAL_WORKER, purpose=SA, on=ON)
    assert filtered.case.enrolment.status is AnswerStatus.WITHHELD
    why = str(filtered.reason(S.ENROLMENT))
    assert "consent.other-kind-only" in why
    assert "dua-information-exchange" in why
    assert "af-disclosure" in why


@settings(max_examples=5)
@given(activity_report=ss.activity_reports(ON))
def test_the_dua_form_does_not_open_what_the_policy_does_not_list_for_it(
    activity_report: Any,
) -> None:
    case = _dua_youth()
    af = factories.provenance(ON)
    report = attrs.evolve(case, activity_reports=Answer.known((activity_report,), af))
    filtered = filter_case(report, role=Role.EMPLOYMENT_OFFICER, purpose=LM, on=ON)
    assert filtered.case.activity_reports.status is AnswerStatus.WITHHELD
    assert "no valid consent" in str(filtered.reason(S.ACTIVITY_REPORTS))


def test_a_policy_without_consent_required_releases_afs_sets_without_one() -> None:
    text = POLICY_FILE.read_text(encoding="utf-8").replace(
        "[consent.labour-market]\nrequired = true", "[consent.labour-market]\nrequired = false"
    )
    policy = parse_policy(tomllib.loads(text))
    case = attrs.evolve(_dua_youth(), consents=Answer.absent())
    filtered = filter_case(case, role=Role.EMPLOYMENT_OFFICER, purpose=LM, on=ON, policy=policy)
    assert filtered.case.enrolment == case.enrolment
    default = filter_case(case, role=Role.EMPLOYMENT_OFFICER, purpose=LM, on=ON)
    assert default.case.enrolment.status is AnswerStatus.WITHHELD


@pytest.mark.parametrize(
    ("old", "new", "path", "line_text"),
    [
        (
            "[consent.labour-market.kinds.dua-information-exchange]",
            "[consent.labour-market.kinds.dua-blankett]",
            "consent.labour-market.kinds.dua-blankett",
            "[consent.labour-market.kinds.dua-blankett]",
        ),
        (
            "[consent.statistics]",
            "[consent.astrology]",
            "consent.astrology",
            "[consent.astrology]",
        ),
        (
            'sets = ["enrolment", "program_decisions", "assignments"]',
            'sets = ["enrolment", "program_decisions", "horoscopes"]',
            "consent.labour-market.kinds.dua-information-exchange.sets[2]",
            'sets = ["enrolment", "program_decisions", "horoscopes"]',
        ),
        (
            '[sensitive_fields.activity_supports."withdrawal.reason"]',
            '[sensitive_fields.activity_supports."withdrawal.colour"]',
            "sensitive_fields.activity_supports.withdrawal.colour",
            '[sensitive_fields.activity_supports."withdrawal.colour"]',
        ),
    ],
)
def test_a_policy_naming_an_unknown_kind_purpose_set_or_field_is_refused_with_its_line(
    tmp_path: Path, old: str, new: str, path: str, line_text: str
) -> None:
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "policy.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_policy(bad)
    (problem,) = [p for p in caught.value.problems if p.path == path]
    lines = bad.read_text(encoding="utf-8").splitlines()
    assert problem.line is not None
    assert lines[problem.line - 1].strip() == line_text


def test_a_grant_of_an_af_set_no_consent_kind_authorises_is_refused() -> None:
    text = POLICY_FILE.read_text(encoding="utf-8").replace(
        'sets = ["enrolment", "program_decisions", "assignments", "entitlements", '
        '"activity_supports", "activity_reports", "planning_meetings", "disability_codes", '
        '"sius", "unemployment_fund"]\ncitation = "SKR, Processkartläggning del 2 (2022-03-11), '
        "'Delprocess Samtyckeshantering - nuläge': AF's consent",
        'sets = ["enrolment"]\ncitation = "SKR, Processkartläggning del 2 (2022-03-11), '
        "'Delprocess Samtyckeshantering - nuläge': AF's consent",
    )
    with pytest.raises(ValidationError) as caught:
        parse_policy(tomllib.loads(text))
    assert "grant.arbetskonsulent.labour-market.sets.activity_reports" in caught.value.paths


# -- withdrawal reasons as AF gives them ------------------------------------------------------


def test_other_keeps_afs_wording_and_not_stated_needs_none() -> None:
    other = ActivitySupportWithdrawal(
        dt.date(2024, 3, 1), "other", reason_text="Har lämnat programmet utan giltig anledning"
    )
    assert other.reason_text is not None
    with pytest.raises(ValidationError) as caught:
        ActivitySupportWithdrawal(dt.date(2024, 3, 1), "other")
    assert caught.value.paths == ["reason_text"]
    ActivitySupportWithdrawal(dt.date(2024, 3, 1), "not-stated")
    with pytest.raises(ValidationError) as caught:
        ActivitySupportWithdrawal(dt.date(2024, 3, 1))
    assert caught.value.paths == ["reason"]
    assert "not-stated" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "days", "paths"),
    [
        (SanctionKind.WARNING, None, []),
        (SanctionKind.SUSPENSION, 1, []),
        (SanctionKind.SUSPENSION, 45, []),
        (SanctionKind.COMPENSATION_ENDED, None, []),
        (SanctionKind.SUSPENSION, None, ["days"]),
        (SanctionKind.SUSPENSION, 0, ["days"]),
        (SanctionKind.WARNING, 5, ["days"]),
        (SanctionKind.COMPENSATION_ENDED, 10, ["days"]),
    ],
)
def test_a_sanction_has_days_exactly_when_it_is_a_suspension(
    kind: SanctionKind, days: int | None, paths: list[str]
) -> None:
    if not paths:
        assert Sanction(kind, days).days == days
        return
    with pytest.raises(ValidationError) as caught:
        Sanction(kind, days)
    assert caught.value.paths == paths


# -- field-level withholding -----------------------------------------------------------------


def _support_case(withdrawal: ActivitySupportWithdrawal) -> Case:
    af = factories.provenance(ON)
    support = ActivitySupport("activity-support", dt.date(2024, 1, 8), withdrawal)
    level = ActivitySupportLevel(
        Period(dt.date(2024, 3, 1), dt.date(2024, 3, 31)), True, 223, "avstängning 5 dagar"
    )
    return _case(
        factories.consent(dt.date(2024, 6, 1)),
        activity_supports=Answer.known((support,), af),
        activity_support_levels=Answer.known(
            (level,), factories.provenance(ON, "Försäkringskassan")
        ),
    )


@pytest.mark.parametrize(
    "withdrawal",
    [
        ActivitySupportWithdrawal(
            dt.date(2024, 3, 1),
            "missed-meetings",
            reason_text="Uteblev från två möten",
            sanction=Sanction(SanctionKind.SUSPENSION, 5),
        ),
        ActivitySupportWithdrawal(
            dt.date(2024, 3, 1), "other", reason_text="Har lämnat programmet utan giltig anledning"
        ),
        ActivitySupportWithdrawal(dt.date(2024, 3, 1), "not-stated"),
    ],
    ids=["named-with-sanction", "other", "not-stated"],
)
def test_the_social_worker_sees_the_withdrawal_and_its_date_but_not_its_reason(
    withdrawal: ActivitySupportWithdrawal,
) -> None:
    case = _support_case(withdrawal)
    filtered = filter_case(case, role=Role.SOCIAL_WORKER, purpose=SA, on=ON)
    assert S.ACTIVITY_SUPPORTS in filtered.released
    (support,) = filtered.case.activity_supports.items()
    seen = support.withdrawal
    assert seen is not None
    assert seen.on == withdrawal.on
    assert (seen.reason, seen.reason_text, seen.sanction) == (None, None, None)
    withheld = {w.field: w.reason for w in seen.withheld}
    present = {
        name
        for name in ("reason", "reason_text", "sanction")
        if getattr(withdrawal, name) is not None
    }
    assert set(withheld) == present
    assert all(
        "Det saknas lagstöd för att lämna ut denna information idag" in r for r in withheld.values()
    )
    assert {h.field for h in filtered.hidden if h.set is S.ACTIVITY_SUPPORTS} == {
        f"withdrawal.{name}" for name in present
    }
    (level,) = filtered.case.activity_support_levels.items()
    assert level.reduced
    assert level.reduction_reason is None
    assert [w.field for w in level.withheld] == ["reduction_reason"]
    assert filtered.event is None


def test_a_deployment_releases_the_reason_deliberately_with_its_legal_basis() -> None:
    text = POLICY_FILE.read_text(encoding="utf-8")
    marker = "activity_supports = { citation = "
    start = text.index(marker)
    end = text.index("\n", start)
    grant_line = text[start:end]
    released = grant_line.replace(
        "activity_supports = { citation = ",
        'activity_supports = { release = { "withdrawal.reason" = '
        '"lag (2099:1) om uppgiftsskyldighet, 1 §" }, citation = ',
    )
    policy = parse_policy(tomllib.loads(text.replace(grant_line, released, 1)))
    withdrawal = ActivitySupportWithdrawal(
        dt.date(2024, 3, 1), "not-seeking-work", sanction=Sanction(SanctionKind.WARNING)
    )
    filtered = filter_case(
        _support_case(withdrawal), role=Role.SOCIAL_WORKER, purpose=SA, on=ON, policy=policy
    )
    (support,) = filtered.case.activity_supports.items()
    assert support.withdrawal is not None
    assert support.withdrawal.reason == "not-seeking-work"
    assert support.withdrawal.sanction is None
    assert [w.field for w in support.withdrawal.withheld] == ["sanction"]


def test_releasing_a_field_that_is_not_sensitive_is_refused() -> None:
    text = POLICY_FILE.read_text(encoding="utf-8").replace(
        'permits = { citation = "Migrationsverket',
        'permits = { release = { "kind" = "x" }, citation = "Migrationsverket',
        1,
    )
    with pytest.raises(ValidationError) as caught:
        parse_policy(tomllib.loads(text))
    assert caught.value.paths == [
        "grant.socialsekreterare.social-assistance.sets.permits.release.kind"
    ]


def test_a_withheld_field_and_an_absent_one_stay_apart_in_json_xml_and_both_schemas() -> None:
    import jsonschema
    from lxml import etree

    withdrawal = ActivitySupportWithdrawal(
        dt.date(2024, 3, 1),
        "other",
        reason_text="Egen formulering",
        sanction=Sanction(SanctionKind.WARNING),
    )
    filtered = filter_case(_support_case(withdrawal), role=Role.SOCIAL_WORKER, purpose=SA, on=ON)
    case = filtered.case
    text = codec.json.dumps(case)
    document = json.loads(text)
    jsonschema.validate(document, json.loads(codec.schema_text("json")))
    body = document["case"]["activity_supports"]["value"][0]["withdrawal"]
    assert "reason" not in body
    assert {w["field"] for w in body["withheld"]} == {"reason", "reason_text", "sanction"}
    assert codec.json.loads(text) == case
    xml = codec.xml.dumps(case)
    schema = etree.XMLSchema(etree.fromstring(codec.schema_text("xsd").encode()))
    schema.assertValid(etree.fromstring(xml))
    assert codec.xml.loads(xml) == case
    absent = ActivitySupportWithdrawal(dt.date(2024, 3, 1), "not-stated")
    assert absent.withheld == ()
    assert absent.reason_text is None


def test_a_value_cannot_be_both_given_and_withheld() -> None:
    with pytest.raises(ValidationError) as caught:
        ActivitySupportWithdrawal(
            dt.date(2024, 3, 1),
            "not-stated",
            withheld=(WithheldField("reason", "x"), WithheldField("on", "y")),
        )
    assert caught.value.paths == ["reason", "withheld[1].field"]


def test_a_document_of_schema_version_1_0_0_with_a_withdrawal_still_loads() -> None:
    case = _support_case(ActivitySupportWithdrawal(dt.date(2024, 3, 1), "not-seeking-work"))
    document = json.loads(codec.json.dumps(case))
    document["schema_version"] = "1.0.0"
    assert codec.json.loads(json.dumps(document)) == case


# -- the command line ---------------------------------------------------------------------------


def _ssbx_evaluate(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("ssbx")), "evaluate", str(path)]
    return subprocess.run(
        [*command, "--rule", "consent", "--on", ON.isoformat(), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_ssbx_evaluate_applies_the_access_policy_for_a_role_and_purpose(tmp_path: Path) -> None:
    path = tmp_path / "youth.json"
    path.write_bytes(codec.json.dumps(_dua_youth()))

    def run(*extra: str) -> dict[str, Any]:
        done = _ssbx_evaluate(path, *extra)
        assert done.returncode == 0, done.stderr
        record: dict[str, Any] = json.loads(done.stdout.splitlines()[0])
        return record

    kinds = "consent.kinds=dua-information-exchange"
    plain = run("--param", "consent.purpose=labour-market", "--param", kinds)
    assert plain["outcome"] == "eligible"
    social = run("--role", "socialsekreterare", "--purpose", "social-assistance")
    assert social["outcome"] == "not_eligible"
    assert social["reasons"][0]["code"] == "consent.other-kind-only"


def test_ssbx_evaluate_refuses_a_role_without_a_purpose(tmp_path: Path) -> None:
    path = tmp_path / "youth.json"
    path.write_bytes(codec.json.dumps(_dua_youth()))
    done = _ssbx_evaluate(path, "--role", "arbetskonsulent")
    assert done.returncode == 2
    assert "--role and --purpose go together" in done.stderr


def test_the_default_policy_states_each_reading_it_rests_on() -> None:
    policy = default_policy()
    assert policy.consent[SA].kinds_for(S.ENROLMENT) == (AF,)
    assert set(policy.consent[LM].kinds_for(S.ENROLMENT)) == {AF, DUA}
    assert policy.consent[LM].kinds_for(S.ACTIVITY_REPORTS) == (AF,)
    assert all(policy.consent[p].required for p in Purpose)
    fields = policy.sensitive_fields[S.ACTIVITY_SUPPORTS]
    assert set(fields) == {"withdrawal.reason", "withdrawal.reason_text", "withdrawal.sanction"}
    assert all("Bilaga 4" in f.citation for f in fields.values())
