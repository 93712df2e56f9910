"""Alembic revisions of the SQL store, oldest first."""
