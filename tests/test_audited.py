"""Audited ports: one audit event per read, filtering, data minimisation, refusals."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.audited import AuditedAsyncSource, AuditedSource, AuditedStore
from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.errors import AccessDenied, AdapterError, TransportError
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    Consent,
    ConsentChannel,
    ConsentKind,
    InformationSet,
)
from ssbx_model.memory import (
    AsyncMemoryInformationSource,
    MemoryAuditLog,
    MemoryCaseStore,
    MemoryInformationSource,
)
from ssbx_model.ports import (
    AsyncInformationSource,
    CaseStore,
    FetchRequest,
    InformationSource,
    Requester,
)
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing.conformance import identity_forms, sample_cases, sample_decisions

S = InformationSet
ON = dt.date(2024, 3, 4)
AT = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)
KEYS = Pseudonymizer(b"test-key-0123456789abcdef")
OFFICER = Requester(user="ak-1", role=Role.EMPLOYMENT_OFFICER, organisation="1287")
SOCIAL = Requester(user="ss-1", role=Role.SOCIAL_WORKER, organisation="1287")
STATISTICIAN = Requester(user="st-1", role=Role.STATISTICS, organisation="1287")


def consent_until(end: dt.date | None) -> Consent:
    return Consent(
        kind=ConsentKind.AF_DISCLOSURE,
        given=True,
        scope=(Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET),
        validity=Period(dt.date(2024, 1, 15), end),
        channel=ConsentChannel.E_SERVICE,
    )


CASE = attrs.evolve(
    sample_cases()[0],
    consents=Answer.known((consent_until(dt.date(2024, 7, 14)),)),
    permits=sample_cases()[1].permits,
)


class SpySource:
    """Records every request it gets and answers from a memory source."""

    def __init__(self, cases: list[Case], *, fail: Exception | None = None) -> None:
        self.inner = MemoryInformationSource(cases)
        self.requests: list[FetchRequest] = []
        self.fail = fail

    def fetch(self, request: FetchRequest) -> Case:
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        return self.inner.fetch(request)


def request(
    sets: set[InformationSet], who: Requester = OFFICER, purpose: Purpose = Purpose.LABOUR_MARKET
) -> FetchRequest:
    return FetchRequest(
        person=CASE.person, sets=frozenset(sets), purpose=purpose, on=ON, requester=who
    )


def audited(source: Any, log: MemoryAuditLog) -> AuditedSource:
    return AuditedSource(source, audit=log, pseudonymizer=KEYS, clock=lambda: AT)


# -- sources ---------------------------------------------------------------------------------


def test_wrappers_implement_the_ports() -> None:
    log = MemoryAuditLog()
    assert isinstance(audited(SpySource([]), log), InformationSource)
    wrapped = AuditedAsyncSource(AsyncMemoryInformationSource(), audit=log, pseudonymizer=KEYS)
    assert isinstance(wrapped, AsyncInformationSource)
    store = AuditedStore(
        MemoryCaseStore(),
        audit=log,
        pseudonymizer=KEYS,
        requester=SOCIAL,
        purpose=Purpose.SOCIAL_ASSISTANCE,
    )
    assert isinstance(store, CaseStore)


def test_a_fetch_asks_only_for_permitted_sets_and_explains_the_rest() -> None:
    spy, log = SpySource([CASE]), MemoryAuditLog()
    asked = {S.ENROLMENT, S.PERMITS, S.HOUSING_ALLOWANCE, S.DISABILITY_CODES}
    result = audited(spy, log).fetch_filtered(request(asked))
    (sent,) = spy.requests
    # Consents are fetched to check them, not because the officer asked for them.
    assert sent.sets == {S.ENROLMENT, S.PERMITS, S.CONSENTS}
    case = result.case
    assert case.enrolment == CASE.enrolment
    assert case.permits == CASE.permits
    assert case.consents.status is AnswerStatus.NOT_REQUESTED
    for which in (S.HOUSING_ALLOWANCE, S.DISABILITY_CODES):
        assert case.answer(which).status is AnswerStatus.WITHHELD
        assert str(case.answer(which).reason).startswith("not permitted for role arbetskonsulent")
    assert set(result.released) == {S.ENROLMENT, S.PERMITS}
    assert {s for s, _ in result.withheld} == {S.HOUSING_ALLOWANCE, S.DISABILITY_CODES}
    for which, answer in case.answers():
        if which not in asked:
            assert answer.status is AnswerStatus.NOT_REQUESTED
    (event,) = log.events()
    assert (event.action, event.port, event.outcome, event.user) == (
        "fetch",
        "source",
        "ok",
        "ak-1",
    )
    assert event.person_key == KEYS.key_for(CASE.person)
    assert event.released == result.released
    assert event.at == AT


def test_consents_are_released_when_asked_for() -> None:
    spy, log = SpySource([CASE]), MemoryAuditLog()
    case = audited(spy, log).fetch(request({S.CONSENTS, S.ENROLMENT}))
    assert case.consents == CASE.consents
    assert log.events()[0].released == (S.ENROLMENT, S.CONSENTS)


def test_af_sets_are_withheld_without_consent_on_the_request_date() -> None:
    expired = attrs.evolve(CASE, consents=Answer.known((consent_until(dt.date(2024, 2, 1)),)))
    log = MemoryAuditLog()
    case = audited(SpySource([expired]), log).fetch(request({S.ENROLMENT, S.PERMITS}))
    assert case.enrolment.status is AnswerStatus.WITHHELD
    assert str(case.enrolment.reason).startswith("no valid consent (consent.expired")
    assert case.permits == CASE.permits
    assert dict(log.events()[0].withheld)[S.ENROLMENT] == case.enrolment.reason


def test_a_denied_pair_never_reaches_the_source_and_is_audited() -> None:
    spy, log = SpySource([CASE]), MemoryAuditLog()
    with pytest.raises(AccessDenied):
        audited(spy, log).fetch(
            request({S.INCOME}, who=STATISTICIAN, purpose=Purpose.LABOUR_MARKET)
        )
    assert spy.requests == []
    (event,) = log.events()
    assert (event.outcome, event.role, event.purpose) == (
        "denied",
        Role.STATISTICS,
        Purpose.LABOUR_MARKET,
    )


def test_asking_only_for_sets_the_role_may_not_see_is_denied() -> None:
    spy, log = SpySource([CASE]), MemoryAuditLog()
    with pytest.raises(AccessDenied, match="none of the requested"):
        audited(spy, log).fetch(request({S.HOUSING_ALLOWANCE, S.DISABILITY_CODES}))
    assert spy.requests == []
    (event,) = log.events()
    assert event.outcome == "denied"
    assert {s for s, _ in event.withheld} == {S.HOUSING_ALLOWANCE, S.DISABILITY_CODES}


def test_a_failing_source_is_audited_and_the_error_passes_through() -> None:
    log = MemoryAuditLog()
    failing = SpySource([CASE], fail=TransportError("provider timed out"))
    with pytest.raises(TransportError):
        audited(failing, log).fetch(request({S.ENROLMENT}))
    assert [e.outcome for e in log.events()] == ["error: TransportError"]


def test_a_source_answering_about_someone_else_is_an_adapter_error() -> None:
    class Confused:
        def fetch(self, request: FetchRequest) -> Case:
            return Case(person=sample_cases()[1].person, municipality="1287")

    log = MemoryAuditLog()
    with pytest.raises(AdapterError, match="another person"):
        audited(Confused(), log).fetch(request({S.ENROLMENT}))
    assert [e.outcome for e in log.events()] == ["error: AdapterError"]


def test_the_async_wrapper_filters_and_audits_like_the_sync_one() -> None:
    log_sync, log_async = MemoryAuditLog(), MemoryAuditLog()
    asked = request({S.ENROLMENT, S.HOUSING_ALLOWANCE, S.UNEMPLOYMENT_FUND})
    expected = audited(SpySource([CASE]), log_sync).fetch(asked)
    wrapped = AuditedAsyncSource(
        AsyncMemoryInformationSource([CASE]), audit=log_async, pseudonymizer=KEYS, clock=lambda: AT
    )
    assert asyncio.run(wrapped.fetch(asked)) == expected
    (one,), (other,) = log_sync.events(), log_async.events()
    assert attrs.evolve(one, event_id="x") == attrs.evolve(other, event_id="x")


def test_the_async_wrapper_audits_denials() -> None:
    log = MemoryAuditLog()
    wrapped = AuditedAsyncSource(
        AsyncMemoryInformationSource([CASE]), audit=log, pseudonymizer=KEYS
    )
    with pytest.raises(AccessDenied):
        asyncio.run(wrapped.fetch(request({S.INCOME}, who=SOCIAL, purpose=Purpose.STATISTICS)))
    assert [e.outcome for e in log.events()] == ["denied"]


# -- stores ----------------------------------------------------------------------------------


def store_for(
    who: Requester, purpose: Purpose, *, clock: Any = lambda: AT, on: dt.date | None = None
) -> tuple[AuditedStore, MemoryCaseStore, MemoryAuditLog]:
    inner, log = MemoryCaseStore(), MemoryAuditLog()
    inner.save_case(CASE)
    wrapped = AuditedStore(
        inner, audit=log, pseudonymizer=KEYS, requester=who, purpose=purpose, clock=clock, on=on
    )
    return wrapped, inner, log


def test_a_store_load_is_filtered_and_audited_once() -> None:
    store, _inner, log = store_for(OFFICER, Purpose.LABOUR_MARKET)
    stored = store.load_case(CASE.person)
    assert stored is not None
    assert stored.version == 1
    assert stored.case.housing_allowance.status is AnswerStatus.WITHHELD
    assert stored.case.unemployment_fund.value is not None
    assert stored.case.unemployment_fund.value.fund is None
    (event,) = log.events()
    assert (event.action, event.port, event.outcome) == ("load", "store", "ok")
    assert S.ENROLMENT in event.released


def test_a_load_of_a_missing_case_is_audited_as_not_found() -> None:
    store, _inner, log = store_for(SOCIAL, Purpose.SOCIAL_ASSISTANCE)
    assert store.load_case(sample_cases()[1].person) is None
    (event,) = log.events()
    assert event.outcome == "not-found"
    assert event.person_key == KEYS.key_for(sample_cases()[1].person)


def test_store_reads_check_consent_on_todays_swedish_date() -> None:
    # 23:30 UTC on 14 July is 01:30 on 15 July in Stockholm: the consent ended on 14 July.
    late = dt.datetime(2024, 7, 14, 23, 30, tzinfo=dt.UTC)
    store, _inner, _log = store_for(SOCIAL, Purpose.SOCIAL_ASSISTANCE, clock=lambda: late)
    stored = store.load_case(CASE.person)
    assert stored is not None
    assert stored.case.enrolment.status is AnswerStatus.WITHHELD
    earlier = dt.datetime(2024, 7, 14, 21, 30, tzinfo=dt.UTC)
    store, _inner, _log = store_for(SOCIAL, Purpose.SOCIAL_ASSISTANCE, clock=lambda: earlier)
    stored = store.load_case(CASE.person)
    assert stored is not None
    assert stored.case.enrolment == CASE.enrolment


def test_listing_and_decisions_are_reads_too() -> None:
    store, inner, log = store_for(SOCIAL, Purpose.SOCIAL_ASSISTANCE)
    inner.save_decisions(CASE.person, sample_decisions(CASE))
    assert list(store.list_cases()) == [CASE.person]
    assert len(store.load_decisions(CASE.person, rule_id="consent")) == 2
    events = log.events()
    assert [(e.action, e.person_key) for e in events] == [
        ("list", "*"),
        ("load-decisions", KEYS.key_for(CASE.person)),
    ]


def test_a_denied_store_read_is_audited() -> None:
    store, _inner, log = store_for(STATISTICIAN, Purpose.SOCIAL_ASSISTANCE)
    with pytest.raises(AccessDenied):
        store.load_case(CASE.person)
    with pytest.raises(AccessDenied):
        list(store.list_cases())
    with pytest.raises(AccessDenied):
        store.load_decisions(CASE.person)
    assert [e.outcome for e in log.events()] == ["denied"] * 3


def test_a_filtered_case_cannot_be_saved_back() -> None:
    store, inner, _log = store_for(OFFICER, Purpose.LABOUR_MARKET)
    stored = store.load_case(CASE.person)
    assert stored is not None
    with pytest.raises(AccessDenied, match="filtered by the access policy"):
        store.save_case(stored.case, expected_version=stored.version)
    kept = inner.load_case(CASE.person)
    assert kept is not None
    assert kept.case == CASE


def test_a_filtered_case_may_be_stored_where_nothing_is_overwritten() -> None:
    store, _inner, _log = store_for(OFFICER, Purpose.LABOUR_MARKET)
    stored = store.load_case(CASE.person)
    assert stored is not None
    elsewhere = AuditedStore(
        MemoryCaseStore(),
        audit=MemoryAuditLog(),
        pseudonymizer=KEYS,
        requester=OFFICER,
        purpose=Purpose.LABOUR_MARKET,
    )
    assert elsewhere.save_case(stored.case) == 1
    # Saving the same filtered answers again overwrites nothing hidden.
    assert elsewhere.save_case(stored.case, expected_version=1) == 2


def test_writes_and_transactions_go_to_the_wrapped_store() -> None:
    store, inner, log = store_for(SOCIAL, Purpose.SOCIAL_ASSISTANCE)
    other = sample_cases()[1]
    with store.transaction() as tx:
        assert tx.save_case(other) == 1
        assert tx.load_case(other.person) is not None
        tx.save_decisions(other.person, sample_decisions(other)[:1])
    assert inner.load_case(other.person) is not None
    assert store.delete_case(other.person) is True
    assert inner.load_case(other.person) is None
    events = log.events()
    assert [e.action for e in events] == ["save", "load", "save-decisions", "delete"]
    assert all(e.outcome == "ok" for e in events)
    assert S.ENROLMENT in events[0].released


@settings(max_examples=30)
@given(
    st.lists(
        st.sampled_from(["load", "load-missing", "list", "decisions", "save", "fetch"]),
        max_size=12,
    )
)
def test_every_read_and_write_records_exactly_one_event(operations: list[str]) -> None:
    store, _inner, log = store_for(SOCIAL, Purpose.SOCIAL_ASSISTANCE)
    source = audited(SpySource([CASE]), log)
    reads = 0
    for n, operation in enumerate(operations):
        if operation == "load":
            store.load_case(CASE.person)
        elif operation == "load-missing":
            store.load_case(sample_cases()[3].person)
        elif operation == "list":
            list(store.list_cases())
        elif operation == "decisions":
            store.load_decisions(CASE.person)
        elif operation == "fetch":
            source.fetch(
                request({S.ENROLMENT, S.INCOME}, who=SOCIAL, purpose=Purpose.SOCIAL_ASSISTANCE)
            )
        else:
            spare = attrs.evolve(sample_cases()[2], reference=f"R{n}")
            store.save_case(spare)
            store.delete_case(spare.person)
            reads += 2
            continue
        reads += 1
    assert len(log) == reads
    for event in log.events():
        assert not any(form in repr(event) for form in identity_forms(CASE.person))
