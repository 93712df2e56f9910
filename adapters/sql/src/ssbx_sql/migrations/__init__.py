"""Alembic migrations of the SQL store (run them with :func:`ssbx_sql.migrate`)."""
