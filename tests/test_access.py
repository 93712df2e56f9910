"""Purpose-bound access: the policy file, filter_case, consent, field hiding, audit events."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.access import (
    NO_VALID_CONSENT,
    default_policy,
    filter_case,
    load_policy,
    parse_policy,
)
from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.errors import AccessDenied, ValidationError
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    Consent,
    ConsentChannel,
    ConsentKind,
    InformationSet,
)
from ssbx_model.information.sets import SETS
from ssbx_model.memory import MemoryAuditLog
from ssbx_model.ports import Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.rules.consent import consent_status
from ssbx_model.rules.engine import Outcome
from ssbx_model.testing import strategies as ss
from ssbx_model.testing.conformance import identity_forms, sample_cases

ON = dt.date(2024, 3, 4)
AT = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)
KEYS = Pseudonymizer(b"test-key-0123456789abcdef")
S = InformationSet

ALLOWED = {
    (Role.SOCIAL_WORKER, Purpose.SOCIAL_ASSISTANCE),
    (Role.EMPLOYMENT_OFFICER, Purpose.LABOUR_MARKET),
    (Role.STATISTICS, Purpose.STATISTICS),
    # The handover to the municipality a person moves to (issue 20).
    (Role.EMPLOYMENT_OFFICER, Purpose.HANDOVER),
}
DENIED = sorted(set(itertools.product(Role, Purpose)) - ALLOWED)

# What the report says an arbetskonsulent needs (seeds/ssbtx-report-part2.sv.txt,
# "Tillgång till en delmängd av SSBTEK"), plus consents and the employer check.
EMPLOYMENT_OFFICER_SETS = {
    S.ENROLMENT,
    S.ACTIVITY_REPORTS,
    S.PROGRAM_DECISIONS,
    S.ASSIGNMENTS,
    S.JOB_GUARANTEE_DAYS,
    S.UNEMPLOYMENT_FUND,
    S.PERMITS,
    S.CONSENTS,
    S.EMPLOYER_CHECKS,
    # What the category-15 assessment reads (Dua's FAQ: consultation, neither working nor
    # studying, not on the introduction programme).
    S.CONSULTATIONS,
    S.EMPLOYMENT,
    S.STUDIES,
    S.SCHOOLING,
    # The officer's own requests to AF's myndighetsingång (issue 20).
    S.AF_CALLBACKS,
}


def requester(role: Role) -> Requester:
    return Requester(user=f"user-{role.value}", role=role, organisation="1287")


def valid_consent(*purposes: Purpose, start: dt.date = dt.date(2024, 1, 15)) -> Consent:
    return Consent(
        kind=ConsentKind.AF_DISCLOSURE,
        given=True,
        scope=purposes or (Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET),
        validity=Period(start, None),
        channel=ConsentChannel.E_SERVICE,
    )


@pytest.fixture(scope="module")
def full_case() -> Case:
    """The first sample case with a consent for both purposes and a few more known sets."""
    base = sample_cases()[0]
    other = sample_cases()[1]
    return attrs.evolve(
        base,
        consents=Answer.known((valid_consent(),)),
        permits=other.permits,
        job_guarantee_days=other.job_guarantee_days,
        income=other.income,
    )


# -- the policy file -------------------------------------------------------------------------


def test_default_policy_grants_exactly_the_allowed_role_purpose_pairs() -> None:
    policy = default_policy()
    assert set(policy.grants) == ALLOWED
    assert policy.id == "ssbx-default"
    for grant in policy.grants.values():
        assert grant.citation.strip()
        assert all(g.citation.strip() for g in grant.sets.values())


def test_default_policy_gives_the_employment_officer_the_reports_subset() -> None:
    sets = default_policy().permitted_sets(Role.EMPLOYMENT_OFFICER, Purpose.LABOUR_MARKET)
    assert sets == EMPLOYMENT_OFFICER_SETS
    for never in (
        S.HOUSING_ALLOWANCE,
        S.ACTIVITY_SUPPORT_LEVELS,
        S.BUSINESS_ACTIVITIES,
        S.DISABILITY_CODES,
        S.SIUS,
    ):
        assert never not in sets


def test_no_default_grant_releases_disability_codes_or_sius() -> None:
    policy = default_policy()
    assert set(policy.sensitive) == {S.DISABILITY_CODES, S.SIUS}
    for grant in policy.grants.values():
        assert S.DISABILITY_CODES not in grant.sets
        assert S.SIUS not in grant.sets


def test_statistics_gets_no_set_from_af() -> None:
    sets = default_policy().permitted_sets(Role.STATISTICS, Purpose.STATISTICS)
    assert sets
    assert not any(SETS[s].from_af for s in sets)


def test_load_policy_without_a_path_is_the_default(tmp_path: Path) -> None:
    assert load_policy() is default_policy()


_AF_SETS = [w.value for w in S if SETS[w].from_af and w is not S.CONSENTS]


def _minimal(**sets: Any) -> dict[str, Any]:
    return {
        "policy": {"id": "t", "version": "1", "title": "T", "citation": "test"},
        "sensitive": {"disability_codes": {"reason": "no legal basis", "citation": "Bilaga 4"}},
        "consent": {
            "social-assistance": {
                "required": True,
                "citation": "report",
                "kinds": {"af-disclosure": {"sets": _AF_SETS, "citation": "report"}},
            }
        },
        "grant": {
            "socialsekreterare": {"social-assistance": {"citation": "SoL 4 kap.", "sets": sets}}
        },
    }


def test_a_sensitive_set_needs_a_legal_basis_in_the_grant() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_policy(_minimal(disability_codes={"citation": "wanted"}))
    assert caught.value.paths == [
        "grant.socialsekreterare.social-assistance.sets.disability_codes.legal_basis"
    ]
    policy = parse_policy(
        _minimal(disability_codes={"citation": "wanted", "legal_basis": "lag (2099:1) 1 §"})
    )
    grant = policy.grant_for(Role.SOCIAL_WORKER, Purpose.SOCIAL_ASSISTANCE)
    assert grant.sets[S.DISABILITY_CODES].legal_basis == "lag (2099:1) 1 §"


def test_policy_problems_are_all_reported_with_their_paths() -> None:
    document = _minimal(
        enrolment={"citation": ""},
        no_such_set={"citation": "x"},
        unemployment_fund={"citation": "x", "hide": ["member"], "hide_reason": "why"},
        permits={"citation": "x", "hide": ["period"]},
        income={"citation": "x", "colour": "red"},
    )
    document["grant"]["rektor"] = {}
    document["grant"]["statistics"] = {"astrology": {"citation": "x"}}
    document["extra"] = 1
    with pytest.raises(ValidationError) as caught:
        parse_policy(document)
    assert set(caught.value.paths) == {
        "extra",
        "grant.rektor",
        "grant.statistics.astrology",
        "grant.socialsekreterare.social-assistance.sets.enrolment.citation",
        "grant.socialsekreterare.social-assistance.sets.no_such_set",
        "grant.socialsekreterare.social-assistance.sets.unemployment_fund.hide[0]",
        "grant.socialsekreterare.social-assistance.sets.permits.hide[0]",
        "grant.socialsekreterare.social-assistance.sets.permits.hide_reason",
        "grant.socialsekreterare.social-assistance.sets.income.colour",
    }


def test_a_policy_file_that_is_not_toml_is_a_validation_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[policy\nid = ", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.toml is not valid TOML"):
        load_policy(path)


def test_a_policy_file_is_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "own.toml"
    path.write_text(
        '[policy]\nid = "own"\nversion = "2"\ntitle = "Own"\ncitation = "local decision"\n'
        '[grant.arbetskonsulent.labour-market]\ncitation = "local agreement"\n'
        '[grant.arbetskonsulent.labour-market.sets]\npermits = { citation = "needed" }\n',
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.source == str(path)
    assert policy.permitted_sets(Role.EMPLOYMENT_OFFICER, Purpose.LABOUR_MARKET) == {S.PERMITS}
    with pytest.raises(AccessDenied):
        policy.grant_for(Role.SOCIAL_WORKER, Purpose.SOCIAL_ASSISTANCE)


# -- denial ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "purpose"), DENIED)
def test_pairs_without_a_grant_are_denied_and_audited_once(role: Role, purpose: Purpose) -> None:
    log = MemoryAuditLog()
    case = sample_cases()[0]
    with pytest.raises(AccessDenied, match=f"role '{role.value}' may not read"):
        filter_case(
            case,
            role=role,
            purpose=purpose,
            on=ON,
            audit=log,
            requester=requester(role),
            pseudonymizer=KEYS,
            clock=lambda: AT,
        )
    (event,) = log.events()
    assert event.outcome == "denied"
    assert (event.role, event.purpose, event.at) == (role, purpose, AT)
    assert event.person_key == KEYS.key_for(case.person)
    assert (event.released, event.withheld) == ((), ())


def test_statistics_role_asking_for_social_assistance_is_denied() -> None:
    with pytest.raises(AccessDenied):
        filter_case(
            sample_cases()[0], role=Role.STATISTICS, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON
        )


def test_a_requester_of_another_role_is_refused() -> None:
    with pytest.raises(AccessDenied, match="requester's role"):
        filter_case(
            sample_cases()[0],
            role=Role.SOCIAL_WORKER,
            purpose=Purpose.SOCIAL_ASSISTANCE,
            on=ON,
            requester=requester(Role.EMPLOYMENT_OFFICER),
        )


def test_auditing_needs_requester_and_pseudonymizer() -> None:
    with pytest.raises(ValidationError) as caught:
        filter_case(
            sample_cases()[0],
            role=Role.SOCIAL_WORKER,
            purpose=Purpose.SOCIAL_ASSISTANCE,
            on=ON,
            audit=MemoryAuditLog(),
        )
    assert caught.value.paths == ["requester", "pseudonymizer"]


# -- what is released and withheld -----------------------------------------------------------


def test_employment_officer_sees_only_the_subset_and_hears_why_not(full_case: Case) -> None:
    result = filter_case(
        full_case, role=Role.EMPLOYMENT_OFFICER, purpose=Purpose.LABOUR_MARKET, on=ON
    )
    known = {s for s, a in result.case.answers() if a.is_known}
    assert known <= EMPLOYMENT_OFFICER_SETS
    assert (
        set(result.released)
        == {s for s, a in full_case.answers() if a.status is not AnswerStatus.NOT_REQUESTED}
        & EMPLOYMENT_OFFICER_SETS
    )
    for which in (S.HOUSING_ALLOWANCE, S.DISABILITY_CODES):
        answer = result.case.answer(which)
        assert answer.status is AnswerStatus.WITHHELD
        assert answer.reason is not None
        assert answer.reason.startswith(
            "not permitted for role arbetskonsulent and purpose labour-market"
        )
        assert result.reason(which) == answer.reason
    assert "no legal basis to disclose disability codes" in str(result.reason(S.DISABILITY_CODES))
    assert "Bilaga 4" in str(result.reason(S.DISABILITY_CODES))
    assert result.case.interventions == full_case.interventions


def test_the_social_worker_sees_the_fund_but_the_employment_officer_does_not(
    full_case: Case,
) -> None:
    social = filter_case(
        full_case, role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON
    )
    assert social.case.unemployment_fund == full_case.unemployment_fund
    assert social.hidden == ()
    officer = filter_case(
        full_case, role=Role.EMPLOYMENT_OFFICER, purpose=Purpose.LABOUR_MARKET, on=ON
    )
    answer = officer.case.unemployment_fund
    assert answer.value is not None
    assert (answer.value.member, answer.value.self_reported, answer.value.fund) == (
        True,
        True,
        None,
    )
    (entry,) = answer.value.withheld
    assert entry.field == "fund"
    assert "union membership" in entry.reason
    assert answer.provenance == full_case.unemployment_fund.provenance
    assert answer.reason == "fields withheld by the access policy: fund"
    assert [(h.set, h.field) for h in officer.hidden] == [(S.UNEMPLOYMENT_FUND, "fund")]
    assert S.UNEMPLOYMENT_FUND in officer.released


def test_disability_codes_are_released_only_when_a_policy_names_a_legal_basis(
    full_case: Case,
) -> None:
    withheld = filter_case(
        full_case, role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON
    )
    assert withheld.case.disability_codes.status is AnswerStatus.WITHHELD
    policy = parse_policy(
        _minimal(disability_codes={"citation": "lönebidrag", "legal_basis": "lag (2099:1) 1 §"})
    )
    released = filter_case(
        full_case, role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON, policy=policy
    )
    assert released.case.disability_codes == full_case.disability_codes


@pytest.mark.parametrize(
    ("consents", "why"),
    [
        (Answer.not_requested(), "consent.missing"),
        (Answer.absent(), "consent.none-registered"),
        (Answer.known((valid_consent(start=dt.date(2023, 1, 2)),)), "consent.expired"),
        (Answer.known((valid_consent(Purpose.STATISTICS),)), "consent.purpose-not-covered"),
        (
            Answer.known(
                (
                    valid_consent(),
                    attrs.evolve(valid_consent(start=dt.date(2024, 2, 1)), given=False),
                )
            ),
            "consent.withdrawn",
        ),
    ],
)
def test_af_sets_without_a_valid_consent_are_withheld(
    full_case: Case, consents: Answer[Any], why: str
) -> None:
    case = attrs.evolve(full_case, consents=consents)
    result = filter_case(case, role=Role.EMPLOYMENT_OFFICER, purpose=Purpose.LABOUR_MARKET, on=ON)
    for which in (
        S.ENROLMENT,
        S.PROGRAM_DECISIONS,
        S.ASSIGNMENTS,
        S.ACTIVITY_REPORTS,
        S.UNEMPLOYMENT_FUND,
    ):
        answer = result.case.answer(which)
        assert answer.status is AnswerStatus.WITHHELD, which
        assert answer.reason is not None
        assert answer.reason.startswith(f"{NO_VALID_CONSENT} ({why}")
    # Sets from other providers do not depend on AF's consent.
    assert result.case.permits == full_case.permits
    assert result.case.job_guarantee_days == full_case.job_guarantee_days
    assert result.case.consents == consents


def test_a_consent_for_social_assistance_does_not_open_labour_market_access(
    full_case: Case,
) -> None:
    case = attrs.evolve(
        full_case, consents=Answer.known((valid_consent(Purpose.SOCIAL_ASSISTANCE),))
    )
    social = filter_case(case, role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=ON)
    assert social.case.enrolment == case.enrolment
    officer = filter_case(case, role=Role.EMPLOYMENT_OFFICER, purpose=Purpose.LABOUR_MARKET, on=ON)
    assert officer.case.enrolment.status is AnswerStatus.WITHHELD


def test_an_open_consent_lasts_six_months_from_its_start(full_case: Case) -> None:
    case = attrs.evolve(
        full_case, consents=Answer.known((valid_consent(start=dt.date(2024, 1, 15)),))
    )
    last = filter_case(
        case, role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=dt.date(2024, 7, 15)
    )
    assert last.case.enrolment.is_known
    after = filter_case(
        case, role=Role.SOCIAL_WORKER, purpose=Purpose.SOCIAL_ASSISTANCE, on=dt.date(2024, 7, 16)
    )
    assert after.case.enrolment.status is AnswerStatus.WITHHELD


def test_a_date_the_consent_rule_cannot_decide_on_withholds_af_sets(full_case: Case) -> None:
    result = filter_case(
        full_case,
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=dt.date(2010, 1, 1),
    )
    reason = result.reason(S.ENROLMENT)
    assert reason is not None
    assert reason.startswith("no valid consent (the consent rule cannot decide on 2010-01-01")
    assert result.case.permits == full_case.permits


def test_not_requested_sets_stay_not_requested() -> None:
    bare = sample_cases()[3]
    result = filter_case(bare, role=Role.EMPLOYMENT_OFFICER, purpose=Purpose.LABOUR_MARKET, on=ON)
    assert result.case == bare
    assert (result.released, result.withheld) == ((), ())


# -- the audit event -------------------------------------------------------------------------


def test_every_filtering_records_one_event_naming_the_person_by_key(full_case: Case) -> None:
    log = MemoryAuditLog()
    result = filter_case(
        full_case,
        role=Role.EMPLOYMENT_OFFICER,
        purpose=Purpose.LABOUR_MARKET,
        on=ON,
        audit=log,
        requester=requester(Role.EMPLOYMENT_OFFICER),
        pseudonymizer=KEYS,
        clock=lambda: AT,
    )
    (event,) = log.events()
    assert result.event == event
    assert event.action == "filter"
    assert (event.at, event.user, event.role, event.purpose, event.outcome) == (
        AT,
        "user-arbetskonsulent",
        Role.EMPLOYMENT_OFFICER,
        Purpose.LABOUR_MARKET,
        "ok",
    )
    assert event.person_key == KEYS.key_for(full_case.person)
    assert event.released == result.released
    withheld = dict(event.withheld)
    assert withheld[S.DISABILITY_CODES] == result.reason(S.DISABILITY_CODES)
    assert withheld[S.UNEMPLOYMENT_FUND].startswith("field 'fund' hidden: ")
    text = repr(event) + str(attrs.asdict(event))
    assert not any(form in text for form in identity_forms(full_case.person))


# -- the property ----------------------------------------------------------------------------


@st.composite
def _calls(draw: st.DrawFn) -> tuple[Role, Purpose, dt.date, Case]:
    on = draw(st.dates(dt.date(2017, 1, 1), dt.date(2028, 12, 31)))
    case = draw(ss.cases(on=on))
    if draw(st.booleans()):
        # Often give a consent that may well be valid on the date, to reach releases.
        consent = valid_consent(
            *draw(st.lists(st.sampled_from(list(Purpose)), min_size=1, max_size=3, unique=True)),
            start=on - dt.timedelta(days=draw(st.integers(0, 250))),
        )
        case = attrs.evolve(case, consents=Answer.known((consent,)))
    return draw(st.sampled_from(list(Role))), draw(st.sampled_from(list(Purpose))), on, case


@settings(max_examples=50)
@given(_calls())
def test_nothing_withheld_ever_appears_and_every_call_is_audited_once(
    call: tuple[Role, Purpose, dt.date, Case],
) -> None:
    role, purpose, on, case = call
    policy = default_policy()
    log = MemoryAuditLog()
    kwargs: dict[str, Any] = {
        "role": role,
        "purpose": purpose,
        "on": on,
        "audit": log,
        "requester": requester(role),
        "pseudonymizer": KEYS,
        "clock": lambda: AT,
    }
    if not policy.allows(role, purpose):
        with pytest.raises(AccessDenied):
            filter_case(case, **kwargs)
        assert [e.outcome for e in log.events()] == ["denied"]
        return
    result = filter_case(case, **kwargs)
    grant = policy.grant_for(role, purpose)
    requirement = policy.consent[purpose]

    def consent_ok(which: InformationSet) -> bool:
        # A consent of a kind the policy says authorises this set for the purpose (for
        # the labour-market purpose the Dua form opens enrolment, program decisions and
        # assignments too, not only AF's own consent).
        kinds = requirement.kinds_for(which)
        if not kinds:
            return False
        return consent_status(case, on, purpose, kinds=kinds).outcome is Outcome.ELIGIBLE

    for which, answer in result.case.answers():
        original = case.answer(which)
        may_see = grant.permits(which) and (
            not SETS[which].from_af or which is S.CONSENTS or consent_ok(which)
        )
        if not may_see:
            assert answer.value is None, f"{which.value} leaked"
            assert answer.status in (AnswerStatus.WITHHELD, AnswerStatus.NOT_REQUESTED)
        if answer.status is AnswerStatus.WITHHELD:
            assert answer.reason
            assert result.reason(which) == answer.reason
        if original.status is not AnswerStatus.NOT_REQUESTED and not may_see:
            assert answer.status is AnswerStatus.WITHHELD
        if answer.is_known and which in grant.sets:
            items: Any = answer.value if SETS[which].collection else (answer.value,)
            for hidden in grant.sets[which].hide:
                assert all(getattr(item, hidden) is None for item in items)
    assert {s for s, _ in result.withheld}.isdisjoint(result.released)
    events = log.events()
    assert len(events) == 1
    assert events[0].released == result.released
    assert events[0].person_key == KEYS.key_for(case.person)
    assert not any(form in repr(events[0]) for form in identity_forms(case.person))
