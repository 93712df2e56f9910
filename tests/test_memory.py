"""The in-memory adapters: behaviour beyond the contracts, and a model-based store test."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.errors import ConcurrentUpdateError, ReportError
from ssbx_model.information import AnswerStatus, InformationSet
from ssbx_model.memory import (
    UNKNOWN_MUNICIPALITY,
    AsyncMemoryInformationSource,
    MemoryAuditLog,
    MemoryCaseStore,
    MemoryInformationSource,
    MemoryReportSink,
)
from ssbx_model.ports import FetchRequest, Requester
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing.conformance import (
    UNKNOWN_PERSON,
    identity_forms,
    sample_audit_events,
    sample_cases,
    sample_ledger_entry,
    sample_payload,
)

S = InformationSet
CASES = sample_cases()
AT = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)


def fetch_request(person: Any, *sets: InformationSet) -> FetchRequest:
    return FetchRequest(
        person=person,
        sets=frozenset(sets),
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=dt.date(2024, 3, 4),
        requester=Requester("u-1", Role.SOCIAL_WORKER, "1287"),
    )


# -- sources ---------------------------------------------------------------------------------


def test_an_unknown_person_is_not_found_in_municipality_0000() -> None:
    case = MemoryInformationSource(CASES).fetch(fetch_request(UNKNOWN_PERSON, S.ENROLMENT))
    assert case.municipality == UNKNOWN_MUNICIPALITY
    assert case.enrolment.status is AnswerStatus.NOT_FOUND
    assert case.enrolment.reason == "the person is not known to this source"
    assert case.permits.status is AnswerStatus.NOT_REQUESTED


def test_a_set_the_source_holds_no_answer_for_is_not_found() -> None:
    person = CASES[3].person
    case = MemoryInformationSource(CASES).fetch(fetch_request(person, S.PERMITS))
    assert case.permits.status is AnswerStatus.NOT_FOUND
    assert case.permits.reason == "this source holds no answer for this set"
    assert case.municipality == CASES[3].municipality


def test_known_answers_keep_their_provenance_and_the_municipalitys_own_data_stays_home() -> None:
    """Like the HTTP stub: interventions and the vendor's reference are not a provider's
    answer, so a source never returns them."""
    assert CASES[0].interventions
    case = MemoryInformationSource(CASES).fetch(fetch_request(CASES[0].person, S.ENROLMENT))
    assert case.enrolment == CASES[0].enrolment
    assert (case.interventions, case.reference) == ((), None)
    assert case.consents.status is AnswerStatus.NOT_REQUESTED


def test_add_replaces_the_served_case() -> None:
    source = MemoryInformationSource(CASES)
    source.add(attrs.evolve(CASES[1], permits=CASES[0].permits))
    case = source.fetch(fetch_request(CASES[1].person, S.PERMITS))
    assert case.permits.status is AnswerStatus.NOT_FOUND


def test_the_async_source_answers_like_the_sync_one() -> None:
    request = fetch_request(CASES[0].person, S.ENROLMENT, S.UNEMPLOYMENT_FUND, S.INCOME)
    expected = MemoryInformationSource(CASES).fetch(request)
    source = AsyncMemoryInformationSource()
    for case in CASES:
        source.add(case)
    assert asyncio.run(source.fetch(request)) == expected


def test_reprs_never_show_identity_numbers() -> None:
    store = MemoryCaseStore()
    for case in CASES:
        store.save_case(case)
    text = " ".join(
        repr(x)
        for x in (
            store,
            MemoryInformationSource(CASES),
            AsyncMemoryInformationSource(CASES),
            store.load_case(CASES[0].person),
        )
    )
    for case in CASES:
        assert not any(form in text for form in identity_forms(case.person))


# -- the store -------------------------------------------------------------------------------


def test_a_conflict_message_names_the_person_masked_and_both_versions() -> None:
    store = MemoryCaseStore()
    store.save_case(CASES[0])
    with pytest.raises(ConcurrentUpdateError) as caught:
        store.save_case(CASES[0], expected_version=3)
    message = str(caught.value)
    assert CASES[0].person.masked in message
    assert "expected version 3, found version 1" in message


def test_nested_transactions_are_savepoints() -> None:
    store = MemoryCaseStore()

    def failing(outer: MemoryCaseStore) -> None:
        with outer.transaction() as inner:
            inner.save_case(CASES[1])
            raise RuntimeError("inner fails")

    with store.transaction() as outer:
        outer.save_case(CASES[0])
        with pytest.raises(RuntimeError):
            failing(outer)
        assert outer.load_case(CASES[1].person) is None
    assert store.load_case(CASES[0].person) is not None
    assert store.load_case(CASES[1].person) is None


def test_completing_an_unknown_key_names_it() -> None:
    with pytest.raises(KeyError, match="no ledger entry with idempotency key 'k-9'"):
        MemoryCaseStore().complete("k-9", receipt=None, at=AT)


def test_ledger_filters_compose() -> None:
    store = MemoryCaseStore()
    a = store.begin(sample_ledger_entry("a", report="inuk", municipality="1287"))
    store.begin(sample_ledger_entry("b", report="kaa", municipality="1287"))
    assert store.entries(report="inuk", municipality="1287") == [a]


# -- the sink and the audit log --------------------------------------------------------------


def test_the_sink_stamps_receipts_with_its_clock_and_refuses_a_reused_key() -> None:
    sink = MemoryReportSink(clock=lambda: AT)
    first = sink.submit(sample_payload(b"1"), idempotency_key="k")
    assert (first.accepted_at, first.reference, first.duplicate) == (AT, "memory-1", False)
    with pytest.raises(ReportError, match="already used"):
        sink.submit(sample_payload(b"2"), idempotency_key="k")
    assert sink.delivered() == [("k", sample_payload(b"1"))]


def test_the_audit_log_records_only_events() -> None:
    log = MemoryAuditLog()
    with pytest.raises(TypeError):
        log.record("not an event")  # type: ignore[arg-type]
    for event in sample_audit_events():
        log.record(event)
    assert len(log) == 3
    assert repr(log) == "MemoryAuditLog(<3 events>)"


# -- a model-based test of the store ---------------------------------------------------------

_operations = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "stale", "delete", "commit", "rollback"]),
        st.integers(0, len(CASES) - 1),
    ),
    max_size=25,
)


@settings(max_examples=60)
@given(_operations)
def test_the_store_behaves_like_a_dict_of_versioned_cases(
    operations: list[tuple[str, int]],
) -> None:
    store = MemoryCaseStore()
    model: dict[Any, tuple[Any, int]] = {}
    for n, (operation, index) in enumerate(operations):
        case = attrs.evolve(CASES[index], reference=f"R{n}")
        person = case.person
        current = model.get(person)
        if operation == "insert":
            if current is None:
                assert store.save_case(case) == 1
                model[person] = (case, 1)
            else:
                with pytest.raises(ConcurrentUpdateError):
                    store.save_case(case)
        elif operation == "update" and current is not None:
            assert store.save_case(case, expected_version=current[1]) == current[1] + 1
            model[person] = (case, current[1] + 1)
        elif operation in ("update", "stale"):
            stale = (current[1] if current else 0) + 1
            with pytest.raises(ConcurrentUpdateError):
                store.save_case(case, expected_version=stale)
        elif operation == "delete":
            assert store.delete_case(person) is (current is not None)
            model.pop(person, None)
        else:
            fail = operation == "rollback"
            try:
                with store.transaction() as tx:
                    if current is None:
                        tx.save_case(case)
                    else:
                        tx.save_case(case, expected_version=current[1])
                    if fail:
                        raise LookupError("roll back")
            except LookupError:
                pass
            else:
                model[person] = (case, 1 if current is None else current[1] + 1)
        for person_id, (expected, version) in model.items():
            stored = store.load_case(person_id)
            assert stored is not None
            assert (stored.case, stored.version) == (expected, version)
        assert sorted(store.list_cases()) == sorted(model)
