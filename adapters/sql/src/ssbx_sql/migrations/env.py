"""Alembic environment of the SQL store.

Programmatic use (what :func:`ssbx_sql.migrate` does): the caller puts an open
:class:`sqlalchemy.engine.Connection` in ``config.attributes["connection"]`` and the
migrations run on it, inside the caller's transaction. From the ``alembic`` command line,
``sqlalchemy.url`` in the ini file names the database instead. Offline (SQL script) mode
is supported for reviewing the DDL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from ssbx_sql._engine import make_engine
from ssbx_sql._schema import ALEMBIC_VERSION_TABLE, metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=ALEMBIC_VERSION_TABLE,
        # SQLite alters tables by copying them: later revisions use batch operations.
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    config = context.config
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            version_table=ALEMBIC_VERSION_TABLE,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url, or pass a connection in config.attributes")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _configure(conn)
    finally:
        engine.dispose()


_run()
