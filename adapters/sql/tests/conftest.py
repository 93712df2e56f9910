"""Fixtures of the SQL adapter's tests: one fresh database per test, SQLite and PostgreSQL.

Every test that takes ``db_url`` (or ``store``) runs twice: against a SQLite file in the
test's temporary directory, and against PostgreSQL in a schema of its own (created for the
test, dropped after it). The PostgreSQL server comes from ``scripts/with-postgres.sh``
(``SSBX_TEST_POSTGRES_URL``). Without it the PostgreSQL tests **fail**, they do not skip:
opt out explicitly with ``-m "not postgres"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sql_support import KEY, START, TickingClock, postgres_admin_url
from ssbx_sql import SqlStore
from ssbx_sql.testing import temporary_postgresql_schema

from ssbx_model.clock import Clock

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database under test: ``"sqlite"`` or ``"postgresql"``."""
    name: str = request.param
    return name


@pytest.fixture
def db_url(backend: str, tmp_path: Any) -> Iterator[str]:
    """The URL of an empty database of the backend under test, removed after the test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    with temporary_postgresql_schema(postgres_admin_url()) as url:
        yield url


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[..., SqlStore]]:
    """Opens stores on the test's database (key :data:`KEY` unless given); closes them
    after the test."""
    opened: list[SqlStore] = []

    def _open(*, key: bytes = KEY, clock: Clock | None = None, migrate: bool = True) -> SqlStore:
        store = SqlStore(db_url, key=key, clock=clock or TickingClock(START), migrate=migrate)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[..., SqlStore]) -> SqlStore:
    """A store on a fresh database of the backend under test."""
    return open_store()
