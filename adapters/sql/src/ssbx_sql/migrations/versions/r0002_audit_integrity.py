"""Audit integrity: the reference date of each event, the hash chain, and no overwrites.

* ``ssbx_audit_events`` gains ``reference_date`` (``AuditEvent.on``), ``backdated`` and
  ``chain_digest``. Rows recorded before this revision keep NULL there: they read back
  without a date, not backdated, and are reported as not covered by the chain.
* ``ssbx_sql_meta`` gains the chain head ``audit_chain_head`` (no events chained yet).
* SQLite: an INSERT trigger refuses a row whose ``id`` or ``event_id`` is already taken.
  ``REPLACE INTO``, ``INSERT OR REPLACE`` and ``INSERT ... ON CONFLICT DO UPDATE`` resolve
  a conflict by deleting or updating the existing row *without* firing the DELETE trigger
  (recursive triggers are off): before this revision they rewrote audit rows.
  PostgreSQL needs nothing new: ``ON CONFLICT DO UPDATE`` and ``MERGE`` fire the UPDATE and
  DELETE row triggers of revision 0001, and TRUNCATE has its own trigger.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSAL = "the audit trail is append-only"
_HEAD = "audit_chain_head"
_EMPTY_HEAD = "0:" + "0" * 64
_COLUMNS = ("chain_digest", "backdated", "reference_date")


def upgrade() -> None:
    """Add the columns, the chain head and (SQLite) the trigger against overwrites."""
    op.add_column("ssbx_audit_events", sa.Column("reference_date", sa.Date(), nullable=True))
    op.add_column(
        "ssbx_audit_events",
        sa.Column("backdated", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("ssbx_audit_events", sa.Column("chain_digest", sa.String(64), nullable=True))
    meta = sa.table("ssbx_sql_meta", sa.column("name", sa.String), sa.column("value", sa.String))
    op.execute(meta.insert().values(name=_HEAD, value=_EMPTY_HEAD))
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER ssbx_audit_events_no_overwrite "
            "BEFORE INSERT ON ssbx_audit_events "
            "WHEN EXISTS (SELECT 1 FROM ssbx_audit_events "
            "WHERE id = NEW.id OR event_id = NEW.event_id) "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
        )


def downgrade() -> None:
    """Drop what the upgrade added (the dates and digests of newer events are lost)."""
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ssbx_audit_events_no_overwrite")
    meta = sa.table("ssbx_sql_meta", sa.column("name", sa.String))
    op.execute(meta.delete().where(meta.c.name == _HEAD))
    for column in _COLUMNS:
        if dialect == "sqlite":
            # SQLite drops a column in place (3.35+); Alembic would copy the table and
            # lose its append-only triggers.
            op.execute(f"ALTER TABLE ssbx_audit_events DROP COLUMN {column}")
        else:
            op.drop_column("ssbx_audit_events", column)
