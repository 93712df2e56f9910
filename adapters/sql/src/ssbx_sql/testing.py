"""Throw-away stores for integration tests and the conformance suite.

Each helper is a context manager that yields a fresh, empty :class:`SqlStore` with a
random key, and removes its database at exit. They are factories for the conformance
plugin of ssbx_model::

    pytest --ssbx-adapter=ssbx_sql.testing:sqlite_store
    pytest --ssbx-adapter=ssbx_sql.testing:postgresql_store   # needs SSBX_TEST_POSTGRES_URL

and serve vendors' own tests the same way (``with sqlite_store() as store: ...``).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import AdapterError
from ssbx_sql._crypto import MIN_KEY_BYTES
from ssbx_sql._store import SqlStore

__all__ = ["POSTGRES_URL_ENV", "postgresql_store", "sqlite_store", "temporary_postgresql_schema"]

#: Environment variable naming a PostgreSQL database tests may create schemas in
#: (``scripts/with-postgres.sh`` sets it).
POSTGRES_URL_ENV = "SSBX_TEST_POSTGRES_URL"


@contextmanager
def temporary_postgresql_schema(url: str) -> Iterator[str]:
    """Create an empty schema in the PostgreSQL database at ``url``; yield a URL whose
    connections use it (``search_path``); drop the schema and everything in it at exit.

    Close every engine made from the yielded URL before the block ends.
    """
    schema = f"ssbx_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            admin.dispose()


@contextmanager
def sqlite_store(*, clock: Clock = utc_now) -> Iterator[SqlStore]:
    """A store on a new SQLite file in a temporary directory (removed at exit)."""
    with tempfile.TemporaryDirectory(prefix="ssbx-sql-") as directory:
        path = Path(directory) / "store.sqlite3"
        store = SqlStore(f"sqlite:///{path}", key=os.urandom(MIN_KEY_BYTES), clock=clock)
        try:
            yield store
        finally:
            store.close()


@contextmanager
def postgresql_store(url: str | None = None, *, clock: Clock = utc_now) -> Iterator[SqlStore]:
    """A store in a new schema of the PostgreSQL database at ``url`` (default: the
    ``SSBX_TEST_POSTGRES_URL`` environment variable); the schema is dropped at exit.

    Raises:
        AdapterError: if no URL is given and the variable is not set.
    """
    target = url or os.environ.get(POSTGRES_URL_ENV)
    if not target:
        raise AdapterError(
            f"no PostgreSQL database for tests: pass url= or set {POSTGRES_URL_ENV} "
            "(scripts/with-postgres.sh starts a throw-away server and sets it)"
        )
    with temporary_postgresql_schema(target) as scoped:
        store = SqlStore(scoped, key=os.urandom(MIN_KEY_BYTES), clock=clock)
        try:
            yield store
        finally:
            store.close()
