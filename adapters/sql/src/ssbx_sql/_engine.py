"""Engines for the SQL store: SQLite settings, the PostgreSQL driver, error mapping."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ssbx_model.errors import AdapterError

__all__ = ["DEFAULT_URL", "READ_ONLY", "db_errors", "make_engine", "prepare_engine"]

#: The embedded default: a SQLite file under ``./.ssbx-demo`` (used by ``make demo``).
DEFAULT_URL = "sqlite:///./.ssbx-demo/ssbx.sqlite3"

#: Execution option marking a connection whose transaction only reads (SQLite then
#: begins a deferred transaction instead of taking the write lock at once).
READ_ONLY = "ssbx_read_only"

# How long a SQLite writer waits for the write lock before giving up, in seconds.
_SQLITE_BUSY_TIMEOUT = 60

_PREPARED = "_ssbx_sql_prepared"


def make_engine(url: str | URL) -> Engine:
    """Create an engine for ``url`` with the settings the store needs.

    ``postgresql://`` without a driver uses psycopg 3. A SQLite file's directory is
    created when missing. ``sqlite://`` (in memory) shares one connection: use it only
    from one thread at a time, and prefer a file.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        connect_args: dict[str, Any] = {"timeout": _SQLITE_BUSY_TIMEOUT}
        if in_memory:
            kwargs["poolclass"] = StaticPool
            connect_args["check_same_thread"] = False
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = connect_args
    engine = create_engine(parsed, **kwargs)
    prepare_engine(engine)
    return engine


def prepare_engine(engine: Engine) -> None:
    """Install the SQLite settings on ``engine`` (once; nothing to do for other dialects).

    SQLite: foreign keys on, WAL journal, a busy timeout, and transactions that take the
    write lock when they begin (``BEGIN IMMEDIATE``) unless marked read-only. pysqlite's
    own transaction handling is switched off so that SQLAlchemy's transactions are the
    database's transactions (DDL included).
    """
    if engine.dialect.name != "sqlite" or getattr(engine, _PREPARED, False):
        return
    setattr(engine, _PREPARED, True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT * 1000}")
            _use_wal(cursor)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _use_wal(cursor: Any) -> None:
    # The WAL journal is a property of the database file: once one connection has set
    # it, the others find it set. Switching needs the database to itself, and SQLite
    # answers "database is locked" at once, without its busy handler, while another
    # connection is inside a transaction (stores opening a new database together): retry
    # until the busy timeout instead.
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT
    pause = 0.001
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


@contextmanager
def db_errors(action: str) -> Iterator[None]:
    """Map SQLAlchemy and driver errors raised inside to :class:`AdapterError`.

    The message names the action and the driver's error class; it carries no bound
    parameters (the engines are made with ``hide_parameters``, and the store never binds
    a clear identity number anyway).
    """
    try:
        yield
    except DBAPIError as exc:
        kind = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
        detail = str(exc.orig).strip().splitlines()[0][:200] if exc.orig is not None else ""
        suffix = f": {detail}" if detail else ""
        raise AdapterError(f"the SQL store could not {action} ({kind}{suffix})") from exc
    except SQLAlchemyError as exc:
        raise AdapterError(f"the SQL store could not {action} ({type(exc).__name__})") from exc
