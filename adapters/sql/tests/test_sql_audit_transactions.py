"""The store never waits for itself: an AuditedStore whose audit sink is the same SqlStore
records the events of reads inside a transaction in that transaction, and records them
again when it rolls back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa
from sql_support import KEY, START, case_of, intervention, person
from ssbx_sql import SqlStore

from ssbx_model.audited import AuditedStore
from ssbx_model.errors import AdapterError
from ssbx_model.ports import AuditEvent, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role

T = TypeVar("T")

KEYS = Pseudonymizer(b"audit-test-key-0123456789")
SOCIAL = Requester(user="ss-1", role=Role.SOCIAL_WORKER, organisation="1287")

#: Far below SQLite's busy timeout (60 s): a store waiting for its own lock is still
#: waiting when this runs out.
PATIENCE = 15.0


def without_waiting(work: Callable[[], T]) -> T:
    """Run ``work`` on a thread; fail if it has not finished within PATIENCE seconds."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(PATIENCE)
    if thread.is_alive():
        pytest.fail(f"the store was still waiting after {PATIENCE} s (for its own lock)")
    if errors:
        raise errors[0]
    return results[0]


def audited(store: SqlStore) -> AuditedStore:
    return AuditedStore(
        store,
        audit=store,
        pseudonymizer=KEYS,
        requester=SOCIAL,
        purpose=Purpose.SOCIAL_ASSISTANCE,
    )


class Boom(Exception):
    """Rolls a transaction back."""


def test_reads_in_a_transaction_are_recorded_in_it(store: SqlStore) -> None:
    who = person(981)
    store.save_case(case_of(who))

    def read_and_update() -> int:
        with audited(store).transaction() as work:
            stored = work.load_case(who)
            assert stored is not None
            return work.save_case(
                case_of(who, "1287", intervention("praktik-1")), expected_version=stored.version
            )

    assert without_waiting(read_and_update) == 2
    load, save = store.events()
    assert (load.action, load.outcome, load.person_key) == ("load", "ok", KEYS.key_for(who))
    assert (save.action, save.outcome, save.person_key) == ("save", "ok", KEYS.key_for(who))
    assert store.verify_audit_chain().intact


def test_reads_of_a_rolled_back_transaction_stay_recorded(store: SqlStore) -> None:
    who, missing = person(981), person(982)
    store.save_case(case_of(who))

    def read_then_fail() -> None:
        with audited(store).transaction() as work:
            work.load_case(who)
            work.load_case(missing)
            list(work.list_cases())
            work.save_case(case_of(person(983)))
            raise Boom

    with pytest.raises(Boom):
        without_waiting(read_then_fail)
    assert store.load_case(person(983)) is None, "the write rolled back"
    assert [(e.action, e.outcome) for e in store.events()] == [
        ("load", "ok"),
        ("load", "not-found"),
        ("list", "ok"),
        ("save", "rolled-back"),
    ]
    assert store.verify_audit_chain().intact


def test_reads_in_a_rolled_back_savepoint_stay_recorded_once(store: SqlStore) -> None:
    who = person(981)
    store.save_case(case_of(who))

    def fail_inside(work: AuditedStore) -> None:
        with work.transaction() as inner:
            inner.load_case(who)
            raise Boom

    def nested() -> None:
        with audited(store).transaction() as work:
            list(work.list_cases())
            with pytest.raises(Boom):
                fail_inside(work)
            work.load_decisions(who)

    without_waiting(nested)
    assert [e.action for e in store.events()] == ["list", "load", "load-decisions"]
    assert store.verify_audit_chain().intact


def test_events_recorded_through_the_transactions_store_roll_back_with_it(
    store: SqlStore,
) -> None:
    # The unit of work's own store is part of it (copy_store relies on this); only events
    # recorded through the store itself are kept when the unit rolls back.
    def record_both_ways_then_fail() -> None:
        with store.transaction() as work:
            work.record(_event("part-of-the-unit"))
            AuditedStore(
                work,
                audit=store,
                pseudonymizer=KEYS,
                requester=SOCIAL,
                purpose=Purpose.SOCIAL_ASSISTANCE,
            ).load_case(person(981))
            raise Boom

    with pytest.raises(Boom):
        without_waiting(record_both_ways_then_fail)
    assert [e.outcome for e in store.events()] == ["not-found"]
    assert store.verify_audit_chain().intact


def test_an_event_that_cannot_be_recorded_again_is_not_silent(store: SqlStore) -> None:
    failing = False

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def disk_full(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if failing and statement.lstrip().upper().startswith("INSERT INTO SSBX_AUDIT_EVENTS"):
            raise sa.exc.OperationalError(statement, None, Exception("disk full"))

    def read_then_fail() -> None:
        nonlocal failing
        with audited(store).transaction() as work:
            work.load_case(person(981))  # recorded in the transaction
            failing = True
            raise Boom

    with pytest.raises(AdapterError, match="could not be recorded again") as caught:
        without_waiting(read_then_fail)
    assert "disk full" in str(caught.value)
    failing = False
    assert store.events() == []


def test_sqlite_refuses_at_once_a_second_writer_from_the_thread_holding_the_lock(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with SqlStore(url, key=KEY) as store, SqlStore(url, key=KEY) as same_file:

        def write_beside_the_transaction() -> None:
            with store.transaction() as work:
                work.save_case(case_of(person(981)))
                same_file.record(_event("beside"))

        with pytest.raises(AdapterError, match="this thread holds a transaction on the same"):
            without_waiting(write_beside_the_transaction)

        def save_through_the_store_itself() -> None:
            with store.transaction():
                store.save_case(case_of(person(982)))

        with pytest.raises(AdapterError, match="do this through the transaction's store"):
            without_waiting(save_through_the_store_itself)
        assert list(store.list_cases()) == []
        # Outside the transaction, the same writes go through.
        assert same_file.save_case(case_of(person(981))) == 1
        same_file.record(_event("after"))


def _event(event_id: str) -> AuditEvent:
    return AuditEvent(
        event_id=event_id,
        at=START,
        action="note",
        user="ss-1",
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        person_key="pk_aaaa",
    )
