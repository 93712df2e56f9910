"""Schema versions: run the shipped Alembic migrations, or check a database is current."""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, Connection

from ssbx_model.errors import AdapterError
from ssbx_sql._engine import db_errors, make_engine, prepare_engine
from ssbx_sql._schema import ALEMBIC_VERSION_TABLE

__all__ = ["SchemaVersionMismatch", "alembic_config", "check_schema", "head_revision", "migrate"]

# An arbitrary constant: the PostgreSQL advisory lock that serialises concurrent
# migrations of the same database (two services starting at once).
_PG_MIGRATION_LOCK = 0x55_53_42_58_53_51_4C  # "USBXSQL"


class SchemaVersionMismatch(AdapterError):
    """The database schema is not the version this adapter needs (run :func:`migrate`),
    or is newer than this adapter knows (upgrade ssbx-adapter-sql)."""


def alembic_config() -> Config:
    """The Alembic configuration of the shipped migrations (``ssbx_sql:migrations``).

    Put an open connection in ``config.attributes["connection"]`` to run commands on it.
    """
    config = Config()
    config.set_main_option("script_location", "ssbx_sql:migrations")
    return config


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this adapter ships."""
    head = _script().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise AdapterError("ssbx-adapter-sql ships no migrations")
    return head


def _current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": ALEMBIC_VERSION_TABLE})
    return context.get_current_revision()


def _knows(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def _check(current: str | None) -> None:
    head = head_revision()
    if current == head:
        return
    if current is not None and not _knows(current):
        raise SchemaVersionMismatch(
            f"the database schema is at revision {current!r}, which this version of "
            "ssbx-adapter-sql does not know (the database was migrated by a newer version)"
        )
    where = "empty" if current is None else f"at revision {current!r}"
    raise SchemaVersionMismatch(
        f"the database schema is {where}; this adapter needs revision {head!r}: "
        "run ssbx_sql.migrate() or open the store with migrate=True"
    )


def _connectable(target: Engine | str | URL) -> tuple[Engine, bool]:
    if isinstance(target, Engine):
        prepare_engine(target)
        return target, False
    return make_engine(target), True


def check_schema(target: Engine | str | URL) -> str:
    """Return the database's schema revision when it is the one this adapter needs.

    Raises:
        SchemaVersionMismatch: if the database is empty, behind or ahead.
        AdapterError: if the database cannot be reached.
    """
    engine, owned = _connectable(target)
    try:
        with db_errors("read the schema version"), engine.connect() as conn:
            current = _current_revision(conn)
        _check(current)
        return head_revision()
    finally:
        if owned:
            engine.dispose()


def migrate(target: Engine | str | URL, *, revision: str = "head") -> str:
    """Upgrade the database to ``revision`` (default: the newest) and return it.

    Runs in one transaction; on PostgreSQL an advisory lock makes concurrent callers
    wait for each other, so several services may start at once. Nothing happens when
    the database is already current.

    Raises:
        SchemaVersionMismatch: if the database is ahead of this adapter.
        AdapterError: if the database cannot be reached or a migration fails.
    """
    engine, owned = _connectable(target)
    wanted = head_revision() if revision == "head" else revision
    try:
        with db_errors("migrate the schema"), engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            current = _current_revision(conn)
            if current is not None and not _knows(current):
                _check(current)
            if current != wanted:
                config = alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
            result = _current_revision(conn)
        if result is None:  # pragma: no cover - alembic always stamps
            raise SchemaVersionMismatch("the migration left no schema revision")
        return result
    finally:
        if owned:
            engine.dispose()
