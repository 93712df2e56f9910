"""The SQL store: CaseStore, SubmissionLedger and AuditLog on SQLAlchemy 2."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, delete, insert, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, Connection, Row
from sqlalchemy.exc import IntegrityError

from ssbx_model.case import Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.codec import json as case_json
from ssbx_model.errors import AdapterError, ConcurrentUpdateError, SsbxError
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import AuditEvent, LedgerEntry, LedgerState, StoredCase, after_rollback
from ssbx_model.purpose import Purpose, Role
from ssbx_model.rules import Decision
from ssbx_sql._chain import CHAIN_HEAD, AuditChainReport, ChainHead, link, verify_rows
from ssbx_sql._crypto import StoreKeys
from ssbx_sql._engine import DEFAULT_URL, READ_ONLY, db_errors, make_engine, prepare_engine
from ssbx_sql._migrate import check_schema
from ssbx_sql._migrate import migrate as run_migrations
from ssbx_sql._schema import audit_events, cases, ledger_entries, store_meta
from ssbx_sql._schema import decisions as decision_rows

__all__ = ["SqlStore", "UnknownLedgerEntry"]

PersonId = Personnummer | Samordningsnummer

_FINGERPRINT = "key_fingerprint"
_BODY = b"case-body\x00"
_PERSON = b"person\x00"


class UnknownLedgerEntry(AdapterError, KeyError):
    """``complete`` was called with an idempotency key that ``begin`` never recorded."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown ledger entry"


class _Unit:
    """The state of one unit of work (one connection in one transaction).

    ``joined`` are the audit events recorded through the store itself (not through the
    unit's store) while the unit was open in its thread: they were written in the unit,
    and are written again if it rolls back (see :meth:`SqlStore.record`).
    """

    __slots__ = ("active", "connection", "joined")

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.active = True
        self.joined: list[AuditEvent] = []


class _OpenUnits(threading.local):
    """The units a store has open, per thread (innermost last)."""

    def __init__(self) -> None:
        self.stack: list[_Unit] = []


class _OpenSqliteFiles(threading.local):
    """The SQLite files this thread holds a transaction on (any store), with counts."""

    def __init__(self) -> None:
        self.files: Counter[str] = Counter()


_OPEN_SQLITE = _OpenSqliteFiles()


def _sqlite_file(engine: Engine) -> str | None:
    """The resolved path of a SQLite file database; None for other databases."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return str(Path(database).expanduser().resolve())


class SqlStore:
    """A :class:`~ssbx_model.ports.CaseStore`, :class:`~ssbx_model.ports.SubmissionLedger`
    and :class:`~ssbx_model.ports.AuditLog` in a SQL database (SQLite or PostgreSQL).

    Args:
        url_or_engine: a database URL (``sqlite:///path/file.sqlite3``,
            ``postgresql+psycopg://user@host/db``) or an SQLAlchemy engine; default:
            :data:`DEFAULT_URL`, a SQLite file under ``./.ssbx-demo``. An engine passed in
            stays the caller's (``close()`` does not dispose of it).
        key: the store secret, at least 32 random bytes (see
            :func:`ssbx_sql.generate_key`). It keys the pseudonymous person keys and the
            encryption of identity numbers and case bodies; a database written with one
            secret cannot be read with another.
        clock: the time stamps of rows (created, updated, stored); default UTC now.
        migrate: upgrade the schema to the newest revision when opening (default); with
            False the store only checks it and raises
            :class:`~ssbx_sql.SchemaVersionMismatch` when it is not current.

    Versions start at 1 and grow by one per save. Each call is its own transaction;
    :meth:`transaction` groups calls into one database transaction. Safe to share
    between threads (each call takes its own pooled connection).

    Raises:
        AdapterError: if the database cannot be reached, or was written with another key.
    """

    def __init__(
        self,
        url_or_engine: str | URL | Engine = DEFAULT_URL,
        *,
        key: bytes,
        clock: Clock = utc_now,
        migrate: bool = True,
    ) -> None:
        self._keys = StoreKeys(key)
        if isinstance(url_or_engine, Engine):
            prepare_engine(url_or_engine)
            self._engine, self._owns_engine = url_or_engine, False
        else:
            self._engine, self._owns_engine = make_engine(url_or_engine), True
        self._clock = clock
        self._unit: _Unit | None = None
        self._units = _OpenUnits()
        self._sqlite = _sqlite_file(self._engine)
        try:
            self._refuse_waiting_for_this_thread("open the store")
            if migrate:
                run_migrations(self._engine)
            else:
                check_schema(self._engine)
            self._check_key()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine the store uses."""
        return self._engine

    @property
    def dialect(self) -> str:
        """The database dialect name (``"sqlite"`` or ``"postgresql"``)."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Release the store's connections (an engine passed in is left to its owner)."""
        if self._unit is None and self._owns_engine:
            self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def person_key(self, person: PersonId) -> str:
        """The pseudonymous key the store files ``person`` under (the ``person_key``
        column): lets an operator find a person's rows without the number in clear."""
        return self._keys.pseudonymizer.key_for(person)

    # -- cases ---------------------------------------------------------------------------

    def save_case(self, case: Case, *, expected_version: int | None = None) -> int:
        """Insert (``expected_version=None``) or update a case; return its new version.

        Raises:
            ConcurrentUpdateError: when the stored version is not ``expected_version``
                (including: the case exists but None was expected, or it does not exist).
            AdapterError: when the database fails.
        """
        if not isinstance(case, Case):
            raise TypeError("save_case stores Case values")
        if expected_version is not None and (
            isinstance(expected_version, bool) or not isinstance(expected_version, int)
        ):
            raise TypeError("expected_version is an int or None")
        key = self.person_key(case.person)
        body = self._keys.seal(case_json.dumps(case), context=_BODY + key.encode())
        now = self._now()
        with self._work("save a case") as conn:
            if expected_version is None:
                inserted = _insert_ignoring_conflict(
                    conn,
                    cases,
                    {
                        "person_key": key,
                        "person_sealed": self._seal_person(key, case.person),
                        "municipality": case.municipality,
                        "body": body,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    },
                    "person_key",
                )
                if not inserted:
                    raise ConcurrentUpdateError(
                        _conflict(case.person, None, _version_of(conn, key))
                    )
                return 1
            result = conn.execute(
                update(cases)
                .where(cases.c.person_key == key, cases.c.version == expected_version)
                .values(
                    body=body,
                    municipality=case.municipality,
                    version=expected_version + 1,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:
                raise ConcurrentUpdateError(
                    _conflict(case.person, expected_version, _version_of(conn, key))
                )
            return expected_version + 1

    def load_case(self, person: PersonId) -> StoredCase | None:
        """The stored case of ``person`` with its version, or None.

        Raises:
            AdapterError: when the database fails, or the stored body does not decrypt
                or decode (another key, tampering, or a body from a newer library).
        """
        key = self.person_key(person)
        with self._work("load a case", read_only=True) as conn:
            row = conn.execute(
                select(cases.c.body, cases.c.version).where(cases.c.person_key == key)
            ).one_or_none()
        if row is None:
            return None
        case = self._open_case(key, row.body)
        if case.person != person:
            raise AdapterError(
                f"the stored case filed under {key} belongs to another person: "
                "the table was altered"
            )
        return StoredCase(case, row.version)

    def list_cases(self, *, municipality: str | None = None) -> Iterator[PersonId]:
        """The people with a stored case (optionally of one municipality), in
        identity-number order, as of one consistent read."""
        query = select(cases.c.person_key, cases.c.person_sealed)
        if municipality is not None:
            query = query.where(cases.c.municipality == municipality)
        with self._work("list cases", read_only=True) as conn:
            rows = conn.execute(query).all()
        people = [self._open_person(row.person_key, row.person_sealed) for row in rows]
        return iter(sorted(people))

    def delete_case(self, person: PersonId) -> bool:
        """Delete a case and its decisions; True when there was a case."""
        key = self.person_key(person)
        with self._work("delete a case") as conn:
            conn.execute(delete(decision_rows).where(decision_rows.c.person_key == key))
            result = conn.execute(delete(cases).where(cases.c.person_key == key))
            return result.rowcount == 1

    # -- decisions -----------------------------------------------------------------------

    def save_decisions(self, person: PersonId, decisions: Sequence[Decision]) -> None:
        """Append decisions about ``person`` (stored as ``Decision.to_json()``)."""
        items = list(decisions)
        for item in items:
            if not isinstance(item, Decision):
                raise TypeError("save_decisions stores Decision values")
        if not items:
            return
        key = self.person_key(person)
        now = self._now()
        rows = [
            {"person_key": key, "rule_id": d.rule_id, "decision": d.to_json(), "stored_at": now}
            for d in items
        ]
        with self._work("save decisions") as conn:
            conn.execute(insert(decision_rows), rows)

    def load_decisions(self, person: PersonId, *, rule_id: str | None = None) -> list[Decision]:
        """Decisions about ``person`` in the order stored, optionally for one rule.

        Raises:
            AdapterError: when the database fails or a stored decision cannot be read.
        """
        query = (
            select(decision_rows.c.decision)
            .where(decision_rows.c.person_key == self.person_key(person))
            .order_by(decision_rows.c.id)
        )
        if rule_id is not None:
            query = query.where(decision_rows.c.rule_id == rule_id)
        with self._work("load decisions", read_only=True) as conn:
            documents = conn.execute(query).scalars().all()
        try:
            return [Decision.from_json(doc) for doc in documents]
        except SsbxError as exc:
            raise AdapterError(f"a stored decision cannot be read: {exc}") from exc

    # -- ledger --------------------------------------------------------------------------

    def begin(self, entry: LedgerEntry) -> LedgerEntry:
        """Record a pending submission, or return the entry already recorded for its key.

        Safe under concurrency: of several callers with the same key, one inserts and
        every caller gets that entry back.
        """
        if not isinstance(entry, LedgerEntry):
            raise TypeError("begin records LedgerEntry values")
        with self._work("record a submission") as conn:
            _insert_ignoring_conflict(
                conn,
                ledger_entries,
                {
                    "idempotency_key": entry.idempotency_key,
                    "report": entry.report,
                    "period": entry.period,
                    "municipality": entry.municipality,
                    "content_hash": entry.content_hash,
                    "state": LedgerState(entry.state).value,
                    "created_at": entry.created_at,
                    "submitted_at": entry.submitted_at,
                    "receipt": entry.receipt,
                    "records": entry.records,
                },
                "idempotency_key",
            )
            row = _ledger_row(conn, entry.idempotency_key)
        if row is None:  # pragma: no cover - the row was just inserted or found
            raise AdapterError("the submission ledger lost an entry it just recorded")
        return _ledger_entry(row)

    def complete(
        self, idempotency_key: str, *, receipt: str | None, at: dt.datetime
    ) -> LedgerEntry:
        """Mark the submission with ``idempotency_key`` as acknowledged by the sink.

        Raises:
            UnknownLedgerEntry: (a ``KeyError``) when no entry has that key.
        """
        with self._work("complete a submission") as conn:
            result = conn.execute(
                update(ledger_entries)
                .where(ledger_entries.c.idempotency_key == idempotency_key)
                .values(state=LedgerState.SUBMITTED.value, submitted_at=at, receipt=receipt)
            )
            row = _ledger_row(conn, idempotency_key) if result.rowcount == 1 else None
        if row is None:
            raise UnknownLedgerEntry(f"no ledger entry with idempotency key {idempotency_key!r}")
        return _ledger_entry(row)

    def entries(
        self,
        *,
        report: str | None = None,
        period: str | None = None,
        municipality: str | None = None,
    ) -> list[LedgerEntry]:
        """Ledger entries in the order begun, optionally filtered."""
        query = select(ledger_entries).order_by(ledger_entries.c.id)
        if report is not None:
            query = query.where(ledger_entries.c.report == report)
        if period is not None:
            query = query.where(ledger_entries.c.period == period)
        if municipality is not None:
            query = query.where(ledger_entries.c.municipality == municipality)
        with self._work("read the submission ledger", read_only=True) as conn:
            rows = conn.execute(query).all()
        return [_ledger_entry(row) for row in rows]

    # -- audit ---------------------------------------------------------------------------

    def record(self, event: AuditEvent) -> None:
        """Append one audit event to the hash-chained trail.

        Recording the very same event again (a retry) is a no-op; another event with a
        used ``event_id`` is refused.

        Called on the store itself while the same thread has a :meth:`transaction` of
        this store open, the event is written in that transaction instead of waiting for
        it (on SQLite it holds the only write lock, so a second connection would wait for
        ever): an audited read inside the transaction is recorded with it. Should the
        transaction roll back, the event is recorded again after it, so no read goes
        unrecorded (a write event, whose write did not land, then with outcome
        ``"rolled-back"``: :func:`ssbx_model.ports.after_rollback`).
        (Called on the transaction's own store, an event is part of the unit
        of work and rolls back with it.)

        Raises:
            AdapterError: when the database fails or the event id is taken.
        """
        if not isinstance(event, AuditEvent):
            raise TypeError("an audit sink records AuditEvent values")
        unit = self._joinable_unit()
        if unit is not None:
            with db_errors("record an audit event"):
                self._append(unit.connection, event)
            unit.joined.append(event)
            return
        with self._work("record an audit event") as conn:
            self._append(conn, event)

    def _append(self, conn: Connection, event: AuditEvent) -> None:
        # The head row serialises appends: on PostgreSQL its row lock (held to the end of
        # the transaction) makes concurrent writers wait; SQLite writers hold the write
        # lock already (BEGIN IMMEDIATE).
        head = ChainHead.parse(
            conn.execute(
                select(store_meta.c.value).where(store_meta.c.name == CHAIN_HEAD).with_for_update()
            ).scalar_one_or_none()
        )
        row = conn.execute(
            select(audit_events).where(audit_events.c.event_id == event.event_id)
        ).one_or_none()
        if row is not None:
            if _audit_event(row) != event:
                raise AdapterError(
                    f"audit event id {event.event_id!r} is already recorded for another event"
                )
            return
        digest = link(self._keys.chain_key, head.digest, event)
        conn.execute(insert(audit_events).values(**_audit_values(event), chain_digest=digest))
        conn.execute(
            update(store_meta)
            .where(store_meta.c.name == CHAIN_HEAD)
            .values(value=str(ChainHead(head.count + 1, digest)))
        )

    def events(self, *, person_key: str | None = None) -> list[AuditEvent]:
        """Recorded events, oldest first (in recording order), optionally for one person.

        Raises:
            AdapterError: when the database fails or a row cannot be read as an event.
        """
        query = select(audit_events).order_by(audit_events.c.id)
        if person_key is not None:
            query = query.where(audit_events.c.person_key == person_key)
        with self._work("read the audit trail", read_only=True) as conn:
            rows = conn.execute(query).all()
        return [_audit_event(row) for row in rows]

    def verify_audit_chain(self) -> AuditChainReport:
        """Check that no audit event was altered, removed or inserted since it was recorded.

        Recomputes the hash chain over every row, oldest first, as of one consistent
        read, and compares its end with the stored head. The command line
        ``ssbx-sql audit verify`` runs this. Rows recorded before the chain existed
        (schema revision 0001) are counted as ``unchained``.

        Raises:
            AdapterError: when the database fails (a broken chain is a report, not an error).
        """
        query = select(audit_events).order_by(audit_events.c.id)
        head_query = select(store_meta.c.value).where(store_meta.c.name == CHAIN_HEAD)
        with self._snapshot("verify the audit trail") as conn:
            head = conn.execute(head_query).scalar_one_or_none()
            rows = conn.execution_options(yield_per=500).execute(query)
            return verify_rows(rows, head, self._keys.chain_key, _audit_event)

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[SqlStore]:
        """A unit of work: one database transaction for every call on the yielded store.

        Everything commits at the end of the block; an exception rolls all of it back.
        On SQLite the transaction holds the write lock from its start (other writers
        wait); on PostgreSQL it runs at READ COMMITTED and the version column catches
        conflicting writers. Nested blocks are savepoints. Use the yielded store only
        inside the block.

        While the block runs, :meth:`record` called on this store (not on the yielded
        one) from the same thread writes in the transaction and is recorded again if the
        transaction rolls back. On SQLite, other writes through this store, or through
        another store on the same file, from the same thread fail at once with
        :class:`AdapterError` instead of waiting for this transaction's lock.
        """
        if self._unit is not None:
            unit = self._require_unit()
            joined_before = len(unit.joined)
            with db_errors("open a savepoint"):
                savepoint = unit.connection.begin_nested()
            try:
                yield self
            except BaseException:
                if savepoint.is_active:
                    with db_errors("roll back a savepoint"):
                        savepoint.rollback()
                # Events of reads made inside the savepoint were rolled back with it;
                # writes made inside it did not land (ports.after_rollback).
                with db_errors("record audit events again after a savepoint rolled back"):
                    for event in unit.joined[joined_before:]:
                        self._append(unit.connection, after_rollback(event))
                raise
            with db_errors("release a savepoint"):
                savepoint.commit()
            return
        self._refuse_waiting_for_this_thread("begin a transaction")
        with db_errors("begin a transaction"):
            connection = self._engine.connect()
        unit = _Unit(connection)
        self._units.stack.append(unit)
        if self._sqlite is not None:
            _OPEN_SQLITE.files[self._sqlite] += 1
        committed = False
        try:
            with db_errors("begin a transaction"):
                transaction = connection.begin()
            bound = self._bound(unit)
            try:
                yield bound
            except BaseException:
                unit.active = False
                if transaction.is_active:
                    with db_errors("roll back a transaction"):
                        transaction.rollback()
                raise
            unit.active = False
            with db_errors("commit a transaction"):
                transaction.commit()
            committed = True
        finally:
            unit.active = False
            self._units.stack.remove(unit)
            if self._sqlite is not None:
                _OPEN_SQLITE.files[self._sqlite] -= 1
            connection.close()
            if not committed:
                self._record_again(unit.joined)

    # -- internals -----------------------------------------------------------------------

    def _bound(self, unit: _Unit) -> SqlStore:
        bound = object.__new__(SqlStore)
        bound._keys = self._keys
        bound._engine = self._engine
        bound._owns_engine = False
        bound._clock = self._clock
        bound._unit = unit
        bound._units = self._units
        bound._sqlite = self._sqlite
        return bound

    def _joinable_unit(self) -> _Unit | None:
        """The innermost open unit of this store in this thread, when called on the store
        itself (not on a unit's store)."""
        if self._unit is not None or not self._units.stack:
            return None
        unit = self._units.stack[-1]
        return unit if unit.active else None

    def _refuse_waiting_for_this_thread(self, action: str) -> None:
        """Fail at once where SQLite would wait for a lock this very thread holds.

        A SQLite database has one writer at a time: a write through a new connection,
        while this thread holds a transaction on the same file, would wait for the busy
        timeout and fail with "database is locked".
        """
        if self._unit is None and self._sqlite is not None and _OPEN_SQLITE.files[self._sqlite]:
            raise AdapterError(
                f"the SQL store cannot {action}: this thread holds a transaction on the same "
                "SQLite database, and a second writer would wait for it until the busy "
                "timeout; do this through the transaction's store (with store.transaction() "
                "as work: work....)"
            )

    def _record_again(self, events: Sequence[AuditEvent]) -> None:
        """Record events whose transaction did not commit (a retry is a no-op for an
        event that did get committed)."""
        for event in events:
            try:
                self.record(after_rollback(event))
            except AdapterError as exc:
                raise AdapterError(
                    f"audit events of reads inside a transaction that did not commit could "
                    f"not be recorded again ({len(events)} events): {exc}"
                ) from exc

    @contextmanager
    def _snapshot(self, action: str) -> Iterator[Connection]:
        """A connection whose statements see one consistent state of the database."""
        if self._unit is not None:
            unit = self._require_unit()
            with db_errors(action):
                yield unit.connection
            return
        with db_errors(action), self._engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            else:
                # A SQLite read transaction reads one snapshot from its first statement.
                connection = connection.execution_options(**{READ_ONLY: True})
            with connection.begin():
                yield connection

    def _require_unit(self) -> _Unit:
        unit = self._unit
        if unit is None or not unit.active:
            raise AdapterError(
                "this store belongs to a transaction that has ended: use the store "
                "only inside its with block"
            )
        return unit

    @contextmanager
    def _work(self, action: str, *, read_only: bool = False) -> Iterator[Connection]:
        """A connection in a transaction: the unit's, or a new one committed at exit."""
        if self._unit is not None:
            unit = self._require_unit()
            with db_errors(action):
                yield unit.connection
            return
        if not read_only:
            self._refuse_waiting_for_this_thread(action)
        with db_errors(action), self._engine.connect() as connection:
            if read_only:
                connection = connection.execution_options(**{READ_ONLY: True})
            with connection.begin():
                yield connection

    def _now(self) -> dt.datetime:
        now = self._clock()
        if not isinstance(now, dt.datetime) or now.utcoffset() is None:
            raise AdapterError("the store's clock must return aware datetimes")
        return now

    def _check_key(self) -> None:
        with self._work("check the store key") as conn:
            _insert_ignoring_conflict(
                conn,
                store_meta,
                {"name": _FINGERPRINT, "value": self._keys.fingerprint},
                "name",
            )
            stored = conn.execute(
                select(store_meta.c.value).where(store_meta.c.name == _FINGERPRINT)
            ).scalar_one()
        if not self._keys.matches(stored):
            raise AdapterError(
                "this database was written with another store key: open it with the key "
                "it was created with"
            )

    def _seal_person(self, key: str, person: PersonId) -> bytes:
        digits = person.reveal().replace("-", "")
        return self._keys.seal(digits.encode("ascii"), context=_PERSON + key.encode())

    def _open_person(self, key: str, sealed: bytes) -> PersonId:
        digits = self._keys.open(sealed, context=_PERSON + key.encode()).decode("ascii")
        kind = Samordningsnummer if int(digits[6:8]) > 60 else Personnummer
        person = kind.parse(digits)
        if self.person_key(person) != key:
            raise AdapterError(
                f"the identity stored under {key} does not match its key: the table was altered"
            )
        return person

    def _open_case(self, key: str, body: bytes) -> Case:
        plain = self._keys.open(body, context=_BODY + key.encode())
        try:
            return case_json.loads(plain)
        except SsbxError as exc:
            raise AdapterError(
                f"the stored case filed under {key} cannot be decoded "
                f"({type(exc).__name__}): was it written by a newer ssbx_model?"
            ) from exc

    def __repr__(self) -> str:
        url = self._engine.url.render_as_string(hide_password=True)
        state = " (in a transaction)" if self._unit is not None else ""
        return f"SqlStore({url!r}{state})"


def _conflict(person: PersonId, expected: int | None, found: int | None) -> str:
    want = "no stored case" if expected is None else f"version {expected}"
    got = "no stored case" if found is None else f"version {found}"
    return (
        f"case of {person.masked} changed concurrently: expected {want}, found {got}; "
        "reload it and retry"
    )


def _version_of(conn: Connection, key: str) -> int | None:
    version: int | None = conn.execute(
        select(cases.c.version).where(cases.c.person_key == key)
    ).scalar_one_or_none()
    return version


def _insert_ignoring_conflict(
    conn: Connection, table: Table, values: Mapping[str, Any], unique: str
) -> bool:
    """INSERT unless a row with the same ``unique`` column exists; True when inserted.

    Uses ``ON CONFLICT DO NOTHING`` (which, unlike a failed INSERT, leaves a PostgreSQL
    transaction usable); other dialects fall back to a savepoint.
    """
    name = conn.dialect.name
    if name in ("postgresql", "sqlite"):
        module = pg_dialect if name == "postgresql" else sqlite_dialect
        statement = (
            module.insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[table.c[unique]])
            .returning(table.c[unique])
        )
        # A row comes back only when one was inserted (rowcount is not reliable here).
        return conn.execute(statement).first() is not None
    try:  # pragma: no cover - only PostgreSQL and SQLite are supported and tested
        with conn.begin_nested():
            conn.execute(insert(table).values(**values))
    except IntegrityError:  # pragma: no cover
        return False
    return True  # pragma: no cover


def _ledger_row(conn: Connection, idempotency_key: str) -> Row[Any] | None:
    return conn.execute(
        select(ledger_entries).where(ledger_entries.c.idempotency_key == idempotency_key)
    ).one_or_none()


def _ledger_entry(row: Row[Any]) -> LedgerEntry:
    return LedgerEntry(
        report=row.report,
        period=row.period,
        municipality=row.municipality,
        content_hash=row.content_hash,
        idempotency_key=row.idempotency_key,
        state=LedgerState(row.state),
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        receipt=row.receipt,
        records=row.records,
    )


def _audit_values(event: AuditEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "at": event.at,
        "action": event.action,
        "actor": event.user,
        "role": Role(event.role).value,
        "purpose": Purpose(event.purpose).value,
        "person_key": event.person_key,
        "released": [InformationSet(s).value for s in event.released],
        "withheld": [[InformationSet(s).value, reason] for s, reason in event.withheld],
        "port": event.port,
        "outcome": event.outcome,
        "reference_date": event.on,
        "backdated": event.backdated,
    }


def _audit_event(row: Row[Any]) -> AuditEvent:
    try:
        return AuditEvent(
            event_id=row.event_id,
            at=row.at,
            action=row.action,
            user=row.actor,
            role=Role(row.role),
            purpose=Purpose(row.purpose),
            person_key=row.person_key,
            released=tuple(InformationSet(s) for s in row.released),
            withheld=tuple((InformationSet(s), str(reason)) for s, reason in row.withheld),
            port=row.port,
            outcome=row.outcome,
            on=row.reference_date,
            backdated=bool(row.backdated),
        )
    except (ValueError, TypeError) as exc:
        # The message names the row, not the values (which could be anything).
        raise AdapterError(
            f"audit row {row.id} cannot be read as an audit event ({type(exc).__name__}): "
            "the table was altered"
        ) from None
