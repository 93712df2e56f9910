"""The SQL store as a SubmissionLedger and as an append-only AuditLog."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from sql_support import postgres_admin_url
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from ssbx_sql import SqlStore, UnknownLedgerEntry
from ssbx_sql.testing import postgresql_store

from ssbx_model.errors import AdapterError
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import AuditEvent, LedgerEntry, LedgerState
from ssbx_model.purpose import Purpose, Role

CET = dt.timezone(dt.timedelta(hours=1))
T0 = dt.datetime(2024, 6, 3, 9, 30, tzinfo=CET)


def entry(
    key: str, *, report: str = "inuk", period: str = "2024-05", **changes: object
) -> LedgerEntry:
    base = LedgerEntry(
        report=report,
        period=period,
        municipality="1287",
        content_hash="ab" * 32,
        idempotency_key=key,
        state=LedgerState.PENDING,
        created_at=T0,
        records=42,
    )
    return attrs.evolve(base, **changes)


def event(event_id: str, person_key: str = "pk_aaaa", **changes: object) -> AuditEvent:
    base = AuditEvent(
        event_id=event_id,
        at=T0,
        action="filter",
        user="handlaggare-17",
        role=Role.EMPLOYMENT_OFFICER,
        purpose=Purpose.LABOUR_MARKET,
        person_key=person_key,
        released=(InformationSet.ENROLMENT, InformationSet.ACTIVITY_REPORTS),
        withheld=((InformationSet.DISABILITY_CODES, "no legal basis to disclose"),),
        port="source",
    )
    return attrs.evolve(base, **changes)


# -- ledger ------------------------------------------------------------------------------


def test_begin_records_a_pending_entry(store: SqlStore) -> None:
    recorded = store.begin(entry("k1"))
    assert recorded == entry("k1")
    assert recorded.created_at.utcoffset() == dt.timedelta(0), "read back in UTC"
    assert store.entries() == [entry("k1")]


def test_begin_again_returns_the_entry_already_recorded(store: SqlStore) -> None:
    store.begin(entry("k1"))
    again = store.begin(entry("k1", content_hash="cd" * 32, created_at=T0 + dt.timedelta(1)))
    assert again == entry("k1")
    assert len(store.entries()) == 1


def test_complete_marks_an_entry_submitted(store: SqlStore) -> None:
    store.begin(entry("k1"))
    at = T0 + dt.timedelta(minutes=5)
    done = store.complete("k1", receipt="INUK-991", at=at)
    assert done == entry("k1", state=LedgerState.SUBMITTED, submitted_at=at, receipt="INUK-991")
    assert store.entries() == [done]
    assert store.begin(entry("k1")) == done, "a re-run sees the submission"


def test_complete_of_an_unknown_key_is_a_key_error(store: SqlStore) -> None:
    with pytest.raises(KeyError):
        store.complete("nobody", receipt=None, at=T0)
    with pytest.raises(UnknownLedgerEntry, match="nobody"):
        store.complete("nobody", receipt=None, at=T0)


def test_entries_come_in_the_order_begun_and_filter(store: SqlStore) -> None:
    first = store.begin(entry("k1", created_at=T0 + dt.timedelta(hours=1)))
    second = store.begin(entry("k2", report="skat15", period="2024-05"))
    third = store.begin(entry("k3", period="2024-06", municipality="0180"))
    assert store.entries() == [first, second, third]
    assert store.entries(report="inuk") == [first, third]
    assert store.entries(period="2024-05") == [first, second]
    assert store.entries(municipality="0180") == [third]
    assert store.entries(report="inuk", period="2024-06", municipality="0180") == [third]
    assert store.entries(report="kaa") == []


def test_a_ledger_entry_begun_in_a_rolled_back_transaction_is_gone(store: SqlStore) -> None:
    def send_fails() -> None:
        with store.transaction() as work:
            work.begin(entry("k1"))
            raise RuntimeError("send failed before commit")

    with pytest.raises(RuntimeError):
        send_fails()
    assert store.entries() == []


def test_begin_inside_a_transaction_may_meet_an_existing_key(store: SqlStore) -> None:
    store.begin(entry("k1"))
    with store.transaction() as work:
        assert work.begin(entry("k1", records=1)) == entry("k1")
        work.begin(entry("k2"))
    assert [e.idempotency_key for e in store.entries()] == ["k1", "k2"]


# -- audit -------------------------------------------------------------------------------


def test_audit_events_round_trip_in_recording_order(store: SqlStore) -> None:
    events = [
        event("e1"),
        event("e2", person_key="pk_bbbb", at=T0 - dt.timedelta(days=1), released=()),
        event("e3", withheld=(), port=None, outcome="denied", role=Role.STATISTICS),
    ]
    for item in events:
        store.record(item)
    assert store.events() == events
    assert store.events(person_key="pk_aaaa") == [events[0], events[2]]
    assert store.events(person_key="pk_none") == []


def test_recording_the_same_event_again_is_a_no_op(store: SqlStore) -> None:
    store.record(event("e1"))
    store.record(event("e1"))
    assert store.events() == [event("e1")]


def test_an_event_id_used_for_another_event_is_refused(store: SqlStore) -> None:
    store.record(event("e1"))
    with pytest.raises(AdapterError, match="already recorded"):
        store.record(event("e1", action="read"))
    assert store.events() == [event("e1")]


def test_only_audit_events_are_recorded(store: SqlStore) -> None:
    with pytest.raises(TypeError):
        store.record({"event_id": "e1"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE ssbx_audit_events SET action = 'forged'", "DELETE FROM ssbx_audit_events"],
)
def test_the_audit_table_refuses_updates_and_deletes(store: SqlStore, statement: str) -> None:
    store.record(event("e1"))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert store.events() == [event("e1")]


@pytest.mark.postgres
def test_the_audit_table_refuses_truncate_on_postgresql() -> None:
    with postgresql_store(postgres_admin_url()) as store:
        store.record(event("e1"))
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text("TRUNCATE ssbx_audit_events"))
        assert store.events() == [event("e1")]
