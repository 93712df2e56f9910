"""Concurrent writers lose no update: several threads, each with its own store (its own
engine and connections), on SQLite and PostgreSQL.

Nothing here measures time: the threads start together at a barrier and the assertions
are about the final state, which must be the same whatever the interleaving.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import attrs
from sql_support import KEY, START, case_of, intervention, person
from ssbx_sql import SqlStore

from ssbx_model.errors import ConcurrentUpdateError
from ssbx_model.ports import AuditEvent, LedgerEntry, LedgerState
from ssbx_model.purpose import Purpose, Role

T = TypeVar("T")

WRITERS = 6
ROUNDS = 3


def run_together(count: int, work: Callable[[int], T]) -> list[T]:
    """Run ``work(i)`` for i in 0..count-1 on ``count`` threads released at once."""
    barrier = threading.Barrier(count)

    def start(i: int) -> T:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


def test_read_modify_write_with_retry_loses_no_update(
    open_store: Callable[..., SqlStore],
) -> None:
    who = person(981)
    open_store().save_case(case_of(who))
    stores = [open_store() for _ in range(WRITERS)]

    def writer(i: int) -> int:
        store, conflicts = stores[i], 0
        for n in range(ROUNDS):
            mine = intervention(f"writer{i}-round{n}")
            while True:
                stored = store.load_case(who)
                assert stored is not None
                changed = attrs.evolve(
                    stored.case, interventions=(*stored.case.interventions, mine)
                )
                try:
                    store.save_case(changed, expected_version=stored.version)
                    break
                except ConcurrentUpdateError:
                    conflicts += 1
        return conflicts

    run_together(WRITERS, writer)

    final = stores[0].load_case(who)
    assert final is not None
    ids = [i.intervention_id for i in final.case.interventions]
    expected = {f"writer{i}-round{n}" for i in range(WRITERS) for n in range(ROUNDS)}
    assert sorted(ids) == sorted(expected), "every writer's every update is there, once"
    assert final.version == 1 + WRITERS * ROUNDS


def test_read_modify_write_in_transactions_loses_no_update(
    open_store: Callable[..., SqlStore],
) -> None:
    who = person(982)
    open_store().save_case(case_of(who))
    stores = [open_store() for _ in range(WRITERS)]

    def writer(i: int) -> None:
        mine = intervention(f"writer{i}")
        while True:
            try:
                with stores[i].transaction() as work:
                    stored = work.load_case(who)
                    assert stored is not None
                    changed = attrs.evolve(
                        stored.case, interventions=(*stored.case.interventions, mine)
                    )
                    work.save_case(changed, expected_version=stored.version)
                return
            except ConcurrentUpdateError:
                continue

    run_together(WRITERS, writer)

    final = stores[0].load_case(who)
    assert final is not None
    assert sorted(i.intervention_id for i in final.case.interventions) == sorted(
        f"writer{i}" for i in range(WRITERS)
    )
    assert final.version == 1 + WRITERS


def test_of_several_creators_of_one_case_exactly_one_wins(
    open_store: Callable[..., SqlStore],
) -> None:
    who = person(983)
    stores = [open_store() for _ in range(WRITERS)]

    def creator(i: int) -> str | None:
        try:
            stores[i].save_case(case_of(who, "1287", intervention(f"creator{i}")))
        except ConcurrentUpdateError:
            return None
        return f"creator{i}"

    winners = [w for w in run_together(WRITERS, creator) if w is not None]
    assert len(winners) == 1
    stored = stores[0].load_case(who)
    assert stored is not None
    assert stored.version == 1
    assert [i.intervention_id for i in stored.case.interventions] == winners


def test_concurrent_begins_with_one_key_record_one_entry(
    open_store: Callable[..., SqlStore],
) -> None:
    stores = [open_store() for _ in range(WRITERS)]

    def begin(i: int) -> LedgerEntry:
        return stores[i].begin(
            LedgerEntry(
                report="inuk",
                period="2024-05",
                municipality="1287",
                content_hash=f"{i:02d}" * 32,
                idempotency_key="inuk-1287-2024-05",
                state=LedgerState.PENDING,
                created_at=START,
                records=i,
            )
        )

    results = run_together(WRITERS, begin)
    assert len(set(results)) == 1, "every caller got the one recorded entry"
    assert stores[0].entries() == [results[0]]


def test_concurrent_audit_writers_extend_one_unbroken_chain(
    open_store: Callable[..., SqlStore],
) -> None:
    # Each append reads the chain head and writes the next link: without serialising
    # writers, two of them would link to the same predecessor and fork the chain.
    stores = [open_store() for _ in range(WRITERS)]
    per_writer = 8

    def writer(i: int) -> None:
        for n in range(per_writer):
            stores[i].record(
                AuditEvent(
                    event_id=f"w{i}-{n}",
                    at=START,
                    action="load",
                    user=f"user-{i}",
                    role=Role.SOCIAL_WORKER,
                    purpose=Purpose.SOCIAL_ASSISTANCE,
                    person_key="pk_aaaa",
                )
            )

    run_together(WRITERS, writer)
    report = stores[0].verify_audit_chain()
    assert report.broken is None
    assert report.chained == report.events == WRITERS * per_writer
    assert len({e.event_id for e in stores[0].events()}) == WRITERS * per_writer


def test_stores_opening_an_empty_database_together_all_succeed(db_url: str) -> None:
    def opener(_: int) -> int:
        store = SqlStore(db_url, key=KEY)
        try:
            return len(list(store.list_cases()))
        finally:
            store.close()

    assert run_together(4, opener) == [0, 0, 0, 0]


def test_a_store_opening_a_new_sqlite_database_waits_for_a_writer_in_progress(
    tmp_path: Path,
) -> None:
    # Another connection is inside a write transaction on a database not yet in WAL
    # mode: SQLite refuses the switch to WAL at once ("database is locked", without its
    # busy handler); the store retries until the writer is done, within the busy timeout.
    path = tmp_path / "new.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("CREATE TABLE other_application (x)")
        done = threading.Timer(0.3, lambda: writer.execute("COMMIT"))
        done.start()
        store = SqlStore(f"sqlite:///{path}", key=KEY)
        try:
            assert list(store.list_cases()) == []
        finally:
            store.close()
        done.join()
        reader = sqlite3.connect(path)
        try:
            assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            reader.close()
    finally:
        writer.close()
