"""Initial schema: meta, cases, decisions, submission ledger, append-only audit trail.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ssbx_sql._schema import UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_REFUSAL = "the audit trail is append-only"


def upgrade() -> None:
    """Create the tables, and the triggers that keep the audit trail append-only."""
    op.create_table(
        "ssbx_sql_meta",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_ssbx_sql_meta"),
    )
    op.create_table(
        "ssbx_cases",
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("person_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_key", name="pk_ssbx_cases"),
    )
    op.create_index("ix_ssbx_cases_municipality", "ssbx_cases", ["municipality"])
    op.create_table(
        "ssbx_decisions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("stored_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ssbx_decisions"),
    )
    op.create_index(
        "ix_ssbx_decisions_person_key_rule_id", "ssbx_decisions", ["person_key", "rule_id"]
    )
    op.create_table(
        "ssbx_ledger_entries",
        sa.Column("id", _ID, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("report", sa.String(100), nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=True),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ssbx_ledger_entries"),
        sa.UniqueConstraint("idempotency_key", name="uq_ssbx_ledger_entries_idempotency_key"),
    )
    op.create_index(
        "ix_ssbx_ledger_entries_report_period_municipality",
        "ssbx_ledger_entries",
        ["report", "period", "municipality"],
    )
    op.create_table(
        "ssbx_audit_events",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("person_key", sa.String(200), nullable=False),
        sa.Column("released", sa.JSON(), nullable=False),
        sa.Column("withheld", sa.JSON(), nullable=False),
        sa.Column("port", sa.String(100), nullable=True),
        sa.Column("outcome", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ssbx_audit_events"),
        sa.UniqueConstraint("event_id", name="uq_ssbx_audit_events_event_id"),
    )
    op.create_index("ix_ssbx_audit_events_person_key", "ssbx_audit_events", ["person_key"])
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER ssbx_audit_events_no_{verb.lower()} "
                f"BEFORE {verb} ON ssbx_audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION ssbx_audit_events_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER ssbx_audit_events_no_change BEFORE UPDATE OR DELETE "
            "ON ssbx_audit_events FOR EACH ROW "
            "EXECUTE FUNCTION ssbx_audit_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER ssbx_audit_events_no_truncate BEFORE TRUNCATE "
            "ON ssbx_audit_events FOR EACH STATEMENT "
            "EXECUTE FUNCTION ssbx_audit_events_append_only()"
        )


def downgrade() -> None:
    """Drop everything the upgrade created."""
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ssbx_audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS ssbx_audit_events_no_delete")
    op.drop_table("ssbx_audit_events")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ssbx_audit_events_append_only()")
    op.drop_index(
        "ix_ssbx_ledger_entries_report_period_municipality", table_name="ssbx_ledger_entries"
    )
    op.drop_table("ssbx_ledger_entries")
    op.drop_index("ix_ssbx_decisions_person_key_rule_id", table_name="ssbx_decisions")
    op.drop_table("ssbx_decisions")
    op.drop_index("ix_ssbx_cases_municipality", table_name="ssbx_cases")
    op.drop_table("ssbx_cases")
    op.drop_table("ssbx_sql_meta")
