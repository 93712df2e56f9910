"""The tables of the SQL store, as SQLAlchemy Core metadata.

The Alembic migrations in ``ssbx_sql/migrations`` create exactly this schema; a test
compares a freshly migrated database against :data:`metadata` and expects no difference.
Change both together: a new column here needs a new revision there.

No column holds a clear identity number: cases are keyed by a keyed hash of the number
(``person_key``), and the number and the case body are stored sealed (AES-GCM).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ALEMBIC_VERSION_TABLE",
    "UtcDateTime",
    "audit_events",
    "cases",
    "decisions",
    "ledger_entries",
    "metadata",
    "store_meta",
]

#: The Alembic version table of this adapter: its own name, so that a vendor's own
#: Alembic history in the same database does not collide with ours.
ALEMBIC_VERSION_TABLE = "ssbx_sql_alembic_version"

# Explicit constraint names, so migrations can refer to them on every dialect.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored in UTC and read back aware (UTC) on every dialect.

    SQLite has no time zones: without this, an aware value would come back naive. Naive
    values are refused on the way in, so "when" is never ambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Convert an aware datetime to UTC (naive UTC for SQLite)."""
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("the SQL store stores aware datetimes only (give a time zone)")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


#: Facts about the database itself (e.g. the fingerprint of the key it was written with).
store_meta = Table(
    "ssbx_sql_meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

#: One row per person: the sealed identity number, the sealed case body, the version.
cases = Table(
    "ssbx_cases",
    metadata,
    # Pseudonymizer key of the person ("pk_" + 32 base32 characters).
    Column("person_key", String(40), primary_key=True),
    # AES-GCM sealed 12-digit identity number: list_cases returns people without
    # decrypting whole bodies.
    Column("person_sealed", LargeBinary, nullable=False),
    Column("municipality", String(4), nullable=False, index=True),
    # AES-GCM sealed JSON of the case (ssbx_model.codec.json).
    Column("body", LargeBinary, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

#: Decisions about a person, appended in order (Decision.to_json()).
decisions = Table(
    "ssbx_decisions",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    # No foreign key: decisions may be stored before (or without) the case they are
    # about, as with the in-memory store; delete_case deletes them explicitly.
    Column("person_key", String(40), nullable=False),
    Column("rule_id", String(200), nullable=False),
    Column("decision", JSON, nullable=False),
    Column("stored_at", UtcDateTime, nullable=False),
    Index(None, "person_key", "rule_id"),
)

#: The submission ledger: one row per idempotency key.
ledger_entries = Table(
    "ssbx_ledger_entries",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("idempotency_key", String(200), nullable=False),
    Column("report", String(100), nullable=False),
    Column("period", String(32), nullable=False),
    Column("municipality", String(4), nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("receipt", Text, nullable=True),
    Column("records", Integer, nullable=False),
    UniqueConstraint("idempotency_key"),
    Index(None, "report", "period", "municipality"),
)

#: The audit trail: append-only (database triggers refuse every statement that would change
#: or remove a row: UPDATE, DELETE, REPLACE/upsert, TRUNCATE) and hash-chained.
audit_events = Table(
    "ssbx_audit_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("event_id", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("action", String(100), nullable=False),
    # "user" is reserved in PostgreSQL.
    Column("actor", String(200), nullable=False),
    Column("role", String(64), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("person_key", String(200), nullable=False, index=True),
    Column("released", JSON, nullable=False),
    Column("withheld", JSON, nullable=False),
    Column("port", String(100), nullable=True),
    Column("outcome", String(100), nullable=False),
    # AuditEvent.on ("on" is an SQL keyword); NULL for events without a date and for rows
    # recorded before revision 0002.
    Column("reference_date", Date, nullable=True),
    Column("backdated", Boolean, nullable=False, server_default=false()),
    # HMAC-SHA256 (hex) over the previous row's digest and this event (ssbx_sql._chain);
    # NULL only for rows recorded before revision 0002.
    Column("chain_digest", String(64), nullable=True),
    UniqueConstraint("event_id"),
)
