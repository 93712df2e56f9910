"""The audit trail cannot be changed through SQL, and what is changed behind the store's
back (triggers dropped) is found by verifying its hash chain; the reference date of each
event is stored; ``ssbx-sql audit verify`` reports it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from sql_support import KEY, OTHER_KEY, postgres_admin_url
from sqlalchemy.exc import DBAPIError
from ssbx_sql import SqlStore, copy_store, migrate
from ssbx_sql._chain import GENESIS, canonical
from ssbx_sql._cli import main as ssbx_sql
from ssbx_sql._schema import UtcDateTime, audit_events
from ssbx_sql.testing import postgresql_store

from ssbx_model.errors import AdapterError
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import AuditEvent
from ssbx_model.purpose import Purpose, Role

T0 = dt.datetime(2024, 6, 3, 7, 30, tzinfo=dt.UTC)


def event(n: int, **changes: object) -> AuditEvent:
    base = AuditEvent(
        event_id=f"e{n}",
        at=T0 + dt.timedelta(seconds=n),
        action="load",
        user="handlaggare-17",
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        person_key="pk_aaaa",
        released=(InformationSet.ENROLMENT,),
        withheld=((InformationSet.DISABILITY_CODES, "no legal basis to disclose"),),
        port="store",
        on=T0.date(),
    )
    return attrs.evolve(base, **changes)


#: e2 is a read for a date five months back, flagged by the library.
EVENTS = (event(1), event(2, on=dt.date(2024, 1, 2), backdated=True), event(3))


def filled(store: SqlStore) -> SqlStore:
    for item in EVENTS:
        store.record(item)
    return store


def execute(store: SqlStore, statement: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def row_id(store: SqlStore, event_id: str) -> int:
    with store.engine.connect() as conn:
        found: int = conn.execute(
            sa.select(audit_events.c.id).where(audit_events.c.event_id == event_id)
        ).scalar_one()
    return found


# -- the reference date is stored -------------------------------------------------------------


def test_the_reference_date_and_the_backdated_flag_are_stored(store: SqlStore) -> None:
    filled(store)
    assert store.events() == list(EVENTS)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_events.c.reference_date, audit_events.c.backdated).order_by(
                audit_events.c.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (T0.date(), False),
        (dt.date(2024, 1, 2), True),
        (T0.date(), False),
    ]


def test_an_event_without_a_date_is_stored_without_one(store: SqlStore) -> None:
    store.record(event(1, on=None))
    assert store.events() == [event(1, on=None)]


# -- no statement changes an existing row -----------------------------------------------------

_COLUMNS = [c.name for c in audit_events.c]


def _copy_of_e1(*, without_id: bool = False, **replaced: str) -> tuple[str, str]:
    """Column list and SELECT list that copy row e1 with some columns replaced."""
    names = [n for n in _COLUMNS if not (without_id and n == "id")]
    values = ", ".join(replaced.get(n, n) for n in names)
    select = f"SELECT {values} FROM ssbx_audit_events WHERE event_id = 'e1'"
    return ", ".join(names), select


def _upsert(target: str) -> str:
    columns, select = _copy_of_e1(action="'forged'")
    return (
        f"INSERT INTO ssbx_audit_events ({columns}) {select} "
        f"ON CONFLICT ({target}) DO UPDATE SET action = excluded.action"
    )


def _replace(verb: str, *, without_id: bool = False, **replaced: str) -> str:
    columns, select = _copy_of_e1(without_id=without_id, action="'forged'", **replaced)
    return f"{verb} INTO ssbx_audit_events ({columns}) {select}"


P = pytest.param
BOTH = [
    P("UPDATE ssbx_audit_events SET action = 'forged'", id="update"),
    P("UPDATE ssbx_audit_events SET backdated = FALSE WHERE event_id = 'e2'", id="unflag"),
    P("DELETE FROM ssbx_audit_events", id="delete-all"),
    P("DELETE FROM ssbx_audit_events WHERE event_id = 'e2'", id="delete-one"),
    P(_upsert("event_id"), id="on-conflict-event-id-do-update"),
    P(_upsert("id"), id="on-conflict-id-do-update"),
]
SQLITE_ONLY = [
    P(
        "UPDATE OR REPLACE ssbx_audit_events SET event_id = 'e1' WHERE event_id = 'e2'",
        id="update-or-replace",
    ),
    # The same id and event id: the row is replaced.
    P(_replace("REPLACE"), id="replace"),
    P(_replace("INSERT OR REPLACE"), id="insert-or-replace"),
    # A new id with a used event id, and a used id with a new event id: REPLACE deletes the
    # row it conflicts with, without firing the DELETE trigger.
    P(_replace("REPLACE", without_id=True), id="replace-new-id"),
    P(_replace("INSERT OR REPLACE", without_id=True), id="insert-or-replace-new-id"),
    P(_replace("INSERT OR REPLACE", event_id="'e9'"), id="insert-or-replace-new-event-id"),
    P(_replace("INSERT OR IGNORE"), id="insert-or-ignore"),
]
POSTGRESQL_ONLY = [
    P("TRUNCATE ssbx_audit_events", id="truncate"),
    P("TRUNCATE ssbx_audit_events RESTART IDENTITY CASCADE", id="truncate-cascade"),
    P(
        "MERGE INTO ssbx_audit_events t USING (SELECT 'e1' AS event_id) s "
        "ON t.event_id = s.event_id WHEN MATCHED THEN UPDATE SET action = 'forged'",
        id="merge-update",
    ),
    P(
        "MERGE INTO ssbx_audit_events t USING (SELECT 'e1' AS event_id) s "
        "ON t.event_id = s.event_id WHEN MATCHED THEN DELETE",
        id="merge-delete",
    ),
    P(
        "WITH gone AS (DELETE FROM ssbx_audit_events RETURNING id) SELECT count(*) FROM gone",
        id="delete-in-cte",
    ),
    P(
        "UPDATE ssbx_audit_events SET action = m.value FROM ssbx_sql_meta m "
        "WHERE m.name = 'key_fingerprint'",
        id="update-from",
    ),
]


def _refuses(store: SqlStore, statement: str) -> None:
    filled(store)
    with pytest.raises(DBAPIError, match="append-only"):
        execute(store, statement)
    assert store.events() == list(EVENTS)
    assert store.verify_audit_chain().intact
    store.record(event(4))
    assert store.events() == [*EVENTS, event(4)]


@pytest.mark.parametrize("statement", BOTH)
def test_no_statement_changes_or_removes_an_audit_row(store: SqlStore, statement: str) -> None:
    _refuses(store, statement)


@pytest.mark.parametrize("statement", SQLITE_ONLY)
def test_no_sqlite_replace_or_conflict_clause_changes_an_audit_row(
    tmp_path: Path, statement: str
) -> None:
    with SqlStore(f"sqlite:///{tmp_path / 'store.sqlite3'}", key=KEY) as store:
        _refuses(store, statement)


@pytest.mark.postgres
@pytest.mark.parametrize("statement", POSTGRESQL_ONLY)
def test_no_postgresql_truncate_merge_or_cte_changes_an_audit_row(statement: str) -> None:
    with postgresql_store(postgres_admin_url()) as store:
        _refuses(store, statement)


# -- the hash chain ---------------------------------------------------------------------------


def test_a_recorded_trail_verifies(store: SqlStore) -> None:
    empty = store.verify_audit_chain()
    assert (empty.intact, empty.events, empty.head) == (True, 0, f"0:{GENESIS}")
    report = filled(store).verify_audit_chain()
    assert report.broken is None
    assert (report.events, report.chained, report.unchained) == (3, 3, 0)
    assert report.head.startswith("3:")
    store.record(EVENTS[0])  # a retry of a recorded event changes nothing
    assert store.verify_audit_chain() == report


def disable_append_only(store: SqlStore) -> None:
    """What someone with the database's owner rights can do."""
    if store.dialect == "sqlite":
        for name in ("no_update", "no_delete", "no_overwrite"):
            execute(store, f"DROP TRIGGER ssbx_audit_events_{name}")
    else:
        execute(store, "ALTER TABLE ssbx_audit_events DISABLE TRIGGER USER")


@pytest.mark.parametrize(
    "change",
    [
        "action = 'forged'",
        "backdated = FALSE",  # hiding that the read was backdated
        "reference_date = '2024-06-03'",
        "person_key = 'pk_other'",
        "released = '[]'",
    ],
)
def test_an_altered_event_breaks_the_chain_at_its_row(store: SqlStore, change: str) -> None:
    filled(store)
    disable_append_only(store)
    execute(store, f"UPDATE ssbx_audit_events SET {change} WHERE event_id = 'e2'")
    report = store.verify_audit_chain()
    assert report.broken is not None
    assert (report.broken.row, report.broken.event_id) == (row_id(store, "e2"), "e2")
    assert "altered" in report.broken.reason
    assert (report.chained, report.events) == (1, 3)


def test_a_removed_event_breaks_the_chain_at_the_next_row(store: SqlStore) -> None:
    filled(store)
    disable_append_only(store)
    execute(store, "DELETE FROM ssbx_audit_events WHERE event_id = 'e2'")
    broken = store.verify_audit_chain().broken
    assert broken is not None
    assert broken.event_id == "e3"
    assert "removed" in broken.reason


def test_removing_the_newest_events_shows_in_the_head(store: SqlStore) -> None:
    filled(store)
    disable_append_only(store)
    execute(store, "DELETE FROM ssbx_audit_events WHERE event_id = 'e3'")
    report = store.verify_audit_chain()
    assert report.broken is not None
    assert report.broken.row is None
    assert "head records 3 chained events but the table holds 2" in report.broken.reason


def test_a_head_set_back_with_the_newest_rows_needs_the_head_kept_outside(
    store: SqlStore,
) -> None:
    # The documented limit: the database alone cannot tell; the head printed earlier can.
    store.record(EVENTS[0])
    store.record(EVENTS[1])
    head_after_two = store.verify_audit_chain().head
    store.record(EVENTS[2])
    kept_outside = store.verify_audit_chain().head
    disable_append_only(store)
    execute(store, "DELETE FROM ssbx_audit_events WHERE event_id = 'e3'")
    execute(
        store,
        "UPDATE ssbx_sql_meta SET value = :head WHERE name = 'audit_chain_head'",
        head=head_after_two,
    )
    report = store.verify_audit_chain()
    assert report.intact
    assert report.head != kept_outside


def test_an_altered_head_breaks_the_chain(store: SqlStore) -> None:
    filled(store)
    execute(
        store,
        "UPDATE ssbx_sql_meta SET value = :v WHERE name = 'audit_chain_head'",
        v="3:" + "ab" * 32,
    )
    broken = store.verify_audit_chain().broken
    assert broken is not None
    assert "does not match" in broken.reason
    execute(store, "DELETE FROM ssbx_sql_meta WHERE name = 'audit_chain_head'")
    broken = store.verify_audit_chain().broken
    assert broken is not None
    assert "missing" in broken.reason
    with pytest.raises(AdapterError, match="audit chain head"):
        store.record(event(4))


def test_a_forged_event_with_an_unkeyed_digest_is_found(store: SqlStore) -> None:
    # Someone who can write the database, but does not hold the store key, appends an
    # event and links it as a plain SHA-256 chain would.
    filled(store)
    head = store.verify_audit_chain().head
    previous = head.split(":")[1]
    forged = event(4, action="forged")
    digest = hashlib.sha256(bytes.fromhex(previous) + canonical(forged)).hexdigest()
    columns, select = _copy_of_e1(
        without_id=True, event_id="'e4'", action="'forged'", chain_digest=f"'{digest}'"
    )
    execute(store, f"INSERT INTO ssbx_audit_events ({columns}) {select}")
    execute(
        store,
        "UPDATE ssbx_sql_meta SET value = :v WHERE name = 'audit_chain_head'",
        v=f"4:{digest}",
    )
    broken = store.verify_audit_chain().broken
    assert broken is not None
    assert broken.event_id == "e4"


def test_an_unreadable_row_is_a_break_and_a_typed_error(store: SqlStore) -> None:
    filled(store)
    disable_append_only(store)
    execute(store, "UPDATE ssbx_audit_events SET role = 'admin' WHERE event_id = 'e2'")
    broken = store.verify_audit_chain().broken
    assert broken is not None
    assert broken.event_id == "e2"
    assert "cannot be read" in broken.reason
    with pytest.raises(AdapterError, match=rf"audit row {row_id(store, 'e2')} cannot be read"):
        store.events()


def test_the_chain_is_keyed_by_the_store_key(store: SqlStore, tmp_path: Path) -> None:
    # The same events under another key link to other digests: only the holder of the key
    # can extend or rewrite the chain.
    head = filled(store).verify_audit_chain().head
    with SqlStore(f"sqlite:///{tmp_path / 'other.sqlite3'}", key=OTHER_KEY) as other:
        other_head = filled(other).verify_audit_chain().head
    assert head.startswith("3:")
    assert other_head.startswith("3:")
    assert head != other_head


def test_copying_a_tampered_trail_is_refused(
    open_store: Callable[..., SqlStore], tmp_path: Path
) -> None:
    source = filled(open_store())
    disable_append_only(source)
    execute(source, "UPDATE ssbx_audit_events SET action = 'forged' WHERE event_id = 'e1'")
    target = SqlStore(f"sqlite:///{tmp_path / 'target.sqlite3'}", key=OTHER_KEY)
    try:
        with pytest.raises(AdapterError, match="does not verify"):
            copy_store(source, target)
        assert target.events() == []
    finally:
        target.close()


# -- events recorded before the chain existed ------------------------------------------------

_OLD_ROWS = sa.table(
    "ssbx_audit_events",
    sa.column("event_id", sa.String),
    sa.column("at", UtcDateTime()),
    sa.column("action", sa.String),
    sa.column("actor", sa.String),
    sa.column("role", sa.String),
    sa.column("purpose", sa.String),
    sa.column("person_key", sa.String),
    sa.column("released", sa.JSON),
    sa.column("withheld", sa.JSON),
    sa.column("port", sa.String),
    sa.column("outcome", sa.String),
)


def _old_row(n: int) -> dict[str, object]:
    return {
        "event_id": f"old{n}",
        "at": T0 - dt.timedelta(days=n),
        "action": "load",
        "actor": "u",
        "role": Role.SOCIAL_WORKER.value,
        "purpose": Purpose.SOCIAL_ASSISTANCE.value,
        "person_key": "pk_old",
        "released": ["enrolment"],
        "withheld": [],
        "port": "store",
        "outcome": "ok",
    }


def test_events_of_revision_0001_read_back_without_a_date_and_unchained(
    open_store: Callable[..., SqlStore], db_url: str
) -> None:
    migrate(db_url, revision="0001")
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(_OLD_ROWS), [_old_row(1), _old_row(2)])
    finally:
        engine.dispose()
    store = open_store()  # migrates to the newest revision
    old = store.events()
    assert [(e.event_id, e.on, e.backdated) for e in old] == [
        ("old1", None, False),
        ("old2", None, False),
    ]
    store.record(EVENTS[0])
    report = store.verify_audit_chain()
    assert report.broken is None
    assert (report.events, report.unchained, report.chained) == (3, 2, 1)
    assert "2 recorded before the chain existed" in report.summary()
    # A row without a digest after the chain began was not written by the store.
    with store.engine.begin() as conn:
        conn.execute(sa.insert(_OLD_ROWS), [_old_row(3)])
    broken = store.verify_audit_chain().broken
    assert broken is not None
    assert (broken.event_id, broken.reason) == (
        "old3",
        "the row has no chain digest, but rows before it do",
    )


def test_downgrading_to_0001_keeps_the_trail_append_only(
    open_store: Callable[..., SqlStore], db_url: str
) -> None:
    from alembic import command
    from ssbx_sql import alembic_config

    filled(open_store()).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text("UPDATE ssbx_audit_events SET action = 'forged'"))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM ssbx_audit_events")).scalar() == 3
    finally:
        engine.dispose()
    upgraded = open_store()
    assert [e.on for e in upgraded.events()] == [None] * 3, "the dates went with the columns"
    upgraded.record(event(4))
    report = upgraded.verify_audit_chain()
    assert (report.intact, report.unchained, report.chained) == (True, 3, 1)


# -- ssbx-sql audit verify --------------------------------------------------------------------


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "ssbx-sql.key"
    path.write_text(base64.urlsafe_b64encode(KEY).decode("ascii") + "\n", encoding="ascii")
    return path


def test_verify_command_reports_an_intact_trail(
    store: SqlStore, db_url: str, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(store)
    head = store.verify_audit_chain().head
    assert ssbx_sql(["audit", "verify", "--url", db_url, "--key-file", str(key_file)]) == 0
    out = capsys.readouterr().out
    assert f"audit trail intact: 3 events, 3 chained; head {head}" in out
    assert (
        ssbx_sql(["audit", "verify", "--url", db_url, "--key-file", str(key_file), "--json"]) == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert (document["intact"], document["chained"], document["head"]) == (True, 3, head)


def test_verify_command_exits_1_on_a_broken_chain(
    store: SqlStore,
    db_url: str,
    key_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filled(store)
    disable_append_only(store)
    execute(store, "UPDATE ssbx_audit_events SET action = 'forged' WHERE event_id = 'e3'")
    monkeypatch.setenv("SSBX_SQL_URL", db_url)
    monkeypatch.setenv("SSBX_SQL_KEY", base64.urlsafe_b64encode(KEY).decode("ascii"))
    assert ssbx_sql(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"audit trail BROKEN at row {row_id(store, 'e3')} (event 'e3')" in err


def test_verify_command_exits_3_when_the_store_cannot_be_opened(
    store: SqlStore, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(store)
    other = tmp_path / "other.key"
    other.write_text(base64.urlsafe_b64encode(OTHER_KEY).decode("ascii"), encoding="ascii")
    assert ssbx_sql(["audit", "verify", "--url", db_url, "--key-file", str(other)]) == 3
    assert "another store key" in capsys.readouterr().err
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert ssbx_sql(["audit", "verify", "--url", empty, "--key-file", str(other)]) == 3
    assert "schema is empty" in capsys.readouterr().err, "verifying never migrates"


def test_verify_command_refuses_a_wrong_command_line() -> None:
    with pytest.raises(SystemExit) as exited:
        ssbx_sql(["audit", "check"])
    assert exited.value.code == 2


def test_the_command_is_installed_as_ssbx_sql() -> None:
    (script,) = entry_points(group="console_scripts", name="ssbx-sql")
    assert script.value == "ssbx_sql._cli:main"
