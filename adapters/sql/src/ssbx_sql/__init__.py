"""ssbx_sql: the SQL store of ssbx_model (SQLAlchemy 2; SQLite by default, PostgreSQL).

:class:`SqlStore` is a :class:`~ssbx_model.ports.CaseStore`, a
:class:`~ssbx_model.ports.SubmissionLedger` and an :class:`~ssbx_model.ports.AuditLog`.
Identity numbers never reach the database in clear: rows are keyed by a keyed hash and
identities and case bodies are encrypted (AES-256-GCM) with keys derived from the store
secret. The schema is created and versioned by the Alembic migrations shipped in the
package (:func:`migrate`). The audit trail is append-only in the database and
hash-chained: :meth:`SqlStore.verify_audit_chain` (``ssbx-sql audit verify``) finds an
event altered, removed or inserted behind the store's back.

Quick start::

    import ssbx_sql
    store = ssbx_sql.SqlStore("sqlite:///cases.sqlite3", key=secret_32_bytes)
"""

from ssbx_sql._chain import AuditChainReport, ChainBreak
from ssbx_sql._copy import CopyReport, copy_store
from ssbx_sql._crypto import MIN_KEY_BYTES, decode_key, generate_key
from ssbx_sql._engine import DEFAULT_URL, make_engine
from ssbx_sql._factory import KEY_ENV, URL_ENV, create_store, load_key_file
from ssbx_sql._migrate import (
    SchemaVersionMismatch,
    alembic_config,
    check_schema,
    head_revision,
    migrate,
)
from ssbx_sql._schema import metadata
from ssbx_sql._store import SqlStore, UnknownLedgerEntry

__all__ = [
    "DEFAULT_URL",
    "KEY_ENV",
    "MIN_KEY_BYTES",
    "URL_ENV",
    "AuditChainReport",
    "ChainBreak",
    "CopyReport",
    "SchemaVersionMismatch",
    "SqlStore",
    "UnknownLedgerEntry",
    "alembic_config",
    "check_schema",
    "copy_store",
    "create_store",
    "decode_key",
    "generate_key",
    "head_revision",
    "load_key_file",
    "make_engine",
    "metadata",
    "migrate",
]
