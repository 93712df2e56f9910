"""The SQL store passes ssbx_model's conformance suite, on SQLite and PostgreSQL.

Twice: as contract classes with this suite's own fixtures (a fresh database per test),
and through the pytest plugin, the way a vendor runs it
(``pytest --ssbx-adapter=ssbx_sql.testing:sqlite_store``), on SQLite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ssbx_sql import SqlStore

from ssbx_model.testing.conformance import (
    AuditLogContract,
    AuditSinkContract,
    CaseStoreContract,
    StoreLedgerTransactionContract,
    SubmissionLedgerContract,
    ports_of,
)


class TestCaseStore(CaseStoreContract):
    @pytest.fixture
    def case_store(self, store: SqlStore) -> SqlStore:
        return store


class TestStoreLedgerTransaction(StoreLedgerTransactionContract):
    @pytest.fixture
    def case_store(self, store: SqlStore) -> SqlStore:
        return store


class TestSubmissionLedger(SubmissionLedgerContract):
    @pytest.fixture
    def submission_ledger(self, store: SqlStore) -> SqlStore:
        return store


class TestAuditSink(AuditSinkContract):
    @pytest.fixture
    def audit_sink(self, store: SqlStore) -> SqlStore:
        return store


class TestAuditLog(AuditLogContract):
    @pytest.fixture
    def audit_log(self, store: SqlStore) -> SqlStore:
        return store


def test_the_suite_sees_every_port_the_store_implements(store: SqlStore) -> None:
    assert {"CaseStore", "SubmissionLedger", "AuditSink", "AuditLog"} <= set(ports_of(store))


def test_the_plugin_runs_the_suite_against_the_store(tmp_path: Path) -> None:
    # One backend is enough here: the contract classes above run on both, and this test
    # checks the vendor's way in (the plugin and the throw-away store factory).
    factory = "ssbx_sql.testing:sqlite_store"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", f"--ssbx-adapter={factory}", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
    assert run.returncode == 0, run.stdout + run.stderr
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None, summary
    assert int(passed.group(1)) >= 30, summary
    assert "failed" not in summary
    assert "error" not in summary
