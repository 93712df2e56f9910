"""Changing the store key (and moving SQLite to PostgreSQL) by copying into a new store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sql_support import KEY, OTHER_KEY
from ssbx_sql import CopyReport, SqlStore, copy_store

from ssbx_model import synth
from ssbx_model.errors import AdapterError, ConcurrentUpdateError
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import AuditEvent, LedgerEntry, LedgerState
from ssbx_model.purpose import Purpose, Role
from ssbx_model.rules import evaluate

ON = dt.date(2024, 5, 1)
AT = dt.datetime(2024, 6, 3, 9, 30, tzinfo=dt.UTC)


def filled_sqlite_store(path: Path) -> SqlStore:
    source = SqlStore(f"sqlite:///{path}", key=KEY)
    for case in synth.generate(persons=6, seed=31, on=ON).cases:
        source.save_case(case)
        source.save_decisions(case.person, [evaluate(case, "consent", on=ON)])
    for n, state in enumerate((LedgerState.SUBMITTED, LedgerState.PENDING)):
        source.begin(
            LedgerEntry(
                report="inuk",
                period=f"2024-0{n + 4}",
                municipality="1287",
                content_hash="ef" * 32,
                idempotency_key=f"inuk-{n}",
                state=LedgerState.PENDING,
                created_at=AT,
                records=3,
            )
        )
        if state is LedgerState.SUBMITTED:
            source.complete(f"inuk-{n}", receipt="R-1", at=AT + dt.timedelta(minutes=1))
    source.record(
        AuditEvent(
            event_id="e1",
            at=AT,
            action="filter",
            user="u1",
            role=Role.SOCIAL_WORKER,
            purpose=Purpose.SOCIAL_ASSISTANCE,
            person_key="pk_x",
            released=(InformationSet.CONSENTS,),
        )
    )
    return source


def test_copying_into_a_store_with_a_new_key_keeps_everything(
    tmp_path: Path, open_store: Callable[..., SqlStore]
) -> None:
    source = filled_sqlite_store(tmp_path / "old.sqlite3")
    try:
        target = open_store(key=OTHER_KEY)
        report = copy_store(source, target)
        people = list(source.list_cases())
        assert report == CopyReport(cases=6, decisions=6, ledger_entries=2, audit_events=1)
        assert list(target.list_cases()) == people
        for who in people:
            old, new = source.load_case(who), target.load_case(who)
            assert old is not None
            assert new is not None
            assert new.case == old.case
            assert target.load_decisions(who) == source.load_decisions(who)
            assert target.person_key(who) != source.person_key(who)
        assert target.entries() == source.entries()
        assert target.events() == source.events()
    finally:
        source.close()
    with pytest.raises(AdapterError, match="another store key"):
        open_store(key=KEY)


def test_a_copy_into_a_store_that_holds_a_person_changes_nothing(
    tmp_path: Path, open_store: Callable[..., SqlStore]
) -> None:
    source = filled_sqlite_store(tmp_path / "old.sqlite3")
    try:
        target = open_store(key=OTHER_KEY)
        last = sorted(source.list_cases())[-1]
        stored = source.load_case(last)
        assert stored is not None
        target.save_case(stored.case)
        with pytest.raises(ConcurrentUpdateError):
            copy_store(source, target)
        assert list(target.list_cases()) == [last]
        assert target.entries() == []
        assert target.events() == []
    finally:
        source.close()
