"""The contract tests as the plugin collects them, one class per port.

Not a module to import: :mod:`ssbx_model.testing.plugin` collects it when
``--ssbx-adapter`` is given, parametrized by the adapters that implement each port.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from ssbx_model.case import Case
from ssbx_model.testing import conformance as c
from ssbx_model.testing.plugin import AdapterSpec, adapter_specs, open_adapter


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each contract once per adapter that implements its port."""
    if "ssbx_adapter" not in metafunc.fixturenames or metafunc.cls is None:
        return
    port = metafunc.cls.port
    chosen = [spec for spec in adapter_specs(metafunc.config) if port in spec.ports]
    metafunc.parametrize("ssbx_adapter", chosen, indirect=True, ids=[s.text for s in chosen])


@pytest.fixture
def ssbx_adapter(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh adapter built by the factory of this test's ``--ssbx-adapter``."""
    spec: AdapterSpec = request.param
    with open_adapter(spec.factory, accepts_cases=spec.accepts_cases) as adapter:
        yield adapter


def _seeded_cases(request: pytest.FixtureRequest) -> Sequence[Case]:
    spec: AdapterSpec = request.node.callspec.params["ssbx_adapter"]
    return c.sample_cases() if spec.accepts_cases else ()


class TestCaseStore(c.CaseStoreContract):
    """The CaseStore contract."""

    @pytest.fixture
    def case_store(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter


class TestStoreLedgerTransactions(c.StoreLedgerTransactionContract):
    """The contract of a store that is also a ledger."""

    @pytest.fixture
    def case_store(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter


class TestSubmissionLedger(c.SubmissionLedgerContract):
    """The SubmissionLedger contract."""

    @pytest.fixture
    def submission_ledger(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter


class TestReportSink(c.ReportSinkContract):
    """The ReportSink contract."""

    @pytest.fixture
    def report_sink(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter


class TestAuditSink(c.AuditSinkContract):
    """The AuditSink contract."""

    @pytest.fixture
    def audit_sink(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter


class TestAuditLog(c.AuditLogContract):
    """The AuditLog contract."""

    @pytest.fixture
    def audit_log(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter


class TestInformationSource(c.InformationSourceContract):
    """The InformationSource contract."""

    @pytest.fixture
    def information_source(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter

    @pytest.fixture
    def source_cases(self, request: pytest.FixtureRequest) -> Sequence[Case]:
        """The sample cases, when the factory was seeded with them."""
        return _seeded_cases(request)


class TestAsyncInformationSource(c.AsyncInformationSourceContract):
    """The AsyncInformationSource contract."""

    @pytest.fixture
    def async_information_source(self, ssbx_adapter: Any) -> Any:
        """The adapter under test."""
        return ssbx_adapter

    @pytest.fixture
    def source_cases(self, request: pytest.FixtureRequest) -> Sequence[Case]:
        """The sample cases, when the factory was seeded with them."""
        return _seeded_cases(request)
