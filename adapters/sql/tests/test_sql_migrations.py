"""The schema is created and versioned by the shipped Alembic migrations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sql_support import KEY, case_of, person
from sqlalchemy import create_engine, inspect, text
from ssbx_sql import (
    SchemaVersionMismatch,
    SqlStore,
    alembic_config,
    check_schema,
    head_revision,
    make_engine,
    metadata,
    migrate,
)
from ssbx_sql._schema import ALEMBIC_VERSION_TABLE

TABLES = {
    "ssbx_sql_meta",
    "ssbx_cases",
    "ssbx_decisions",
    "ssbx_ledger_entries",
    "ssbx_audit_events",
}


def test_upgrading_an_empty_database_gives_exactly_the_models(db_url: str) -> None:
    assert migrate(db_url) == head_revision()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"version_table": ALEMBIC_VERSION_TABLE, "compare_type": True}
            )
            assert compare_metadata(context, metadata) == []
            assert set(inspect(conn).get_table_names()) == TABLES | {ALEMBIC_VERSION_TABLE}
    finally:
        engine.dispose()


def test_the_store_migrates_an_empty_database_when_it_opens(
    open_store: Callable[..., SqlStore], db_url: str
) -> None:
    store = open_store()
    assert check_schema(db_url) == head_revision()
    assert store.save_case(case_of(person(981))) == 1


def test_migrating_a_current_database_changes_nothing(
    open_store: Callable[..., SqlStore], db_url: str
) -> None:
    store = open_store()
    store.save_case(case_of(person(981)))
    assert migrate(db_url) == head_revision()
    assert migrate(store.engine) == head_revision()
    assert list(store.list_cases()) == [person(981)]


def test_a_store_that_may_not_migrate_refuses_an_empty_database(db_url: str) -> None:
    with pytest.raises(SchemaVersionMismatch, match="schema is empty"):
        SqlStore(db_url, key=KEY, migrate=False)
    with pytest.raises(SchemaVersionMismatch, match=r"run ssbx_sql\.migrate"):
        check_schema(db_url)


def test_a_store_that_may_not_migrate_opens_a_current_database(
    open_store: Callable[..., SqlStore], db_url: str
) -> None:
    migrate(db_url)
    store = open_store(migrate=False)
    assert store.save_case(case_of(person(981))) == 1


def test_a_database_from_a_newer_adapter_is_refused(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"UPDATE {ALEMBIC_VERSION_TABLE} SET version_num = 'ffff'"))
    finally:
        engine.dispose()
    with pytest.raises(SchemaVersionMismatch, match=r"'ffff'.*newer version"):
        SqlStore(db_url, key=KEY)
    with pytest.raises(SchemaVersionMismatch, match="'ffff'"):
        SqlStore(db_url, key=KEY, migrate=False)


def test_downgrade_to_base_removes_every_table(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {ALEMBIC_VERSION_TABLE}
    finally:
        engine.dispose()
    assert migrate(db_url) == head_revision(), "and it can be upgraded again"


def test_the_version_table_is_the_adapters_own(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert "alembic_version" not in inspect(conn).get_table_names()
            version = conn.execute(text(f"SELECT version_num FROM {ALEMBIC_VERSION_TABLE}"))
            assert version.scalar_one() == head_revision()
    finally:
        engine.dispose()


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}", key=KEY)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() > 0
    finally:
        store.close()


def test_a_sqlite_file_gets_its_directory_created(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'new' / 'dir' / 'cases.sqlite3'}", key=KEY)
    store.close()
    assert (tmp_path / "new" / "dir" / "cases.sqlite3").is_file()


def test_postgresql_urls_without_a_driver_use_psycopg() -> None:
    engine = make_engine("postgresql://ssbx@127.0.0.1:5432/cases")
    try:
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()
