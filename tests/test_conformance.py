"""The conformance suite as vendors run it: the pytest plugin, through pytester.

The in-memory adapters pass it; deliberately broken adapters fail it.
"""

from __future__ import annotations

import textwrap

import pytest

from ssbx_model.memory import (
    AsyncMemoryInformationSource,
    MemoryAuditLog,
    MemoryCaseStore,
    MemoryInformationSource,
    MemoryReportSink,
)
from ssbx_model.testing.conformance import (
    CONTRACTS,
    AuditLogContract,
    CaseStoreContract,
    ReportSinkContract,
    StoreLedgerTransactionContract,
    SubmissionLedgerContract,
    identity_forms,
    ports_of,
    sample_cases,
)

pytest_plugins = ["pytester"]

MEMORY = (
    "ssbx_model.memory:MemoryCaseStore",
    "ssbx_model.memory:MemoryReportSink",
    "ssbx_model.memory:MemoryAuditLog",
    "ssbx_model.memory:MemoryInformationSource",
    "ssbx_model.memory:AsyncMemoryInformationSource",
)

# The contracts need no async plugin (they use asyncio.run); leave it out of the inner runs.
QUIET = ("-p", "no:cacheprovider", "-p", "no:asyncio")

BROKEN = textwrap.dedent(
    '''
    """Adapters with one defect each."""
    import contextlib
    import logging
    import pathlib

    import attrs

    from ssbx_model.memory import (
        MemoryAuditLog,
        MemoryCaseStore,
        MemoryInformationSource,
        MemoryReportSink,
    )
    from ssbx_model.ports import Receipt, StoredCase


    class DroppingStore(MemoryCaseStore):
        """Acknowledges updates with a new version but keeps the old case."""

        def save_case(self, case, *, expected_version=None):
            if expected_version is None:
                return super().save_case(case)
            stored = self.load_case(case.person)
            if stored is None or stored.version != expected_version:
                return super().save_case(case, expected_version=expected_version)
            self._state.cases[case.person] = StoredCase(stored.case, stored.version + 1)
            return stored.version + 1


    class NoRollbackStore(MemoryCaseStore):
        """Its transactions write straight through."""

        @contextlib.contextmanager
        def transaction(self):
            yield self


    class TwiceSink(MemoryReportSink):
        """Applies the same key again."""

        def submit(self, payload, *, idempotency_key):
            self._receipts.clear()
            return super().submit(payload, idempotency_key=idempotency_key)


    class DoubleLedger(MemoryCaseStore):
        """Records a second entry for a key already begun."""

        def begin(self, entry):
            key = entry.idempotency_key
            while key in self._state.ledger:
                key += "+"
            self._state.ledger[key] = entry
            return entry


    class LeakyStore(MemoryCaseStore):
        """Logs the identity number in clear text."""

        def save_case(self, case, *, expected_version=None):
            logging.getLogger("leaky").debug("saving %s", case.person.reveal())
            return super().save_case(case, expected_version=expected_version)


    class RaisingSource(MemoryInformationSource):
        """Raises for a person it does not know instead of answering not found."""

        def fetch(self, request):
            if request.person not in self._cases:
                raise KeyError("unknown person")
            return super().fetch(request)


    class UnorderedLog(MemoryAuditLog):
        """Reads events back newest first."""

        def events(self, *, person_key=None):
            return list(reversed(super().events(person_key=person_key)))


    def managed_store(marker=pathlib.Path("exits.txt")):
        """A factory returning a context manager, as a vendor's fixture might."""

        @contextlib.contextmanager
        def scope():
            yield MemoryCaseStore()
            with marker.open("a") as f:
                f.write("exit\\n")

        return scope()


    def not_an_adapter():
        return object()
    '''
)


def expected_passes(*adapters: object) -> int:
    """How many contract tests the plugin runs for these adapters."""
    total = 0
    for adapter in adapters:
        for port in ports_of(adapter):
            contract, _fixture = CONTRACTS[port]
            total += sum(1 for name in dir(contract) if name.startswith("test_"))
    return total


@pytest.fixture
def broken(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(broken_adapters=BROKEN)
    pytester.syspathinsert()
    return pytester


def run(pytester: pytest.Pytester, *specs: str) -> pytest.RunResult:
    args = [f"--ssbx-adapter={spec}" for spec in specs]
    return pytester.runpytest(*QUIET, "--show-capture=no", *args)


def test_the_in_memory_adapters_pass_every_contract(pytester: pytest.Pytester) -> None:
    result = run(pytester, *MEMORY)
    adapters = (
        MemoryCaseStore(),
        MemoryReportSink(),
        MemoryAuditLog(),
        MemoryInformationSource(),
        AsyncMemoryInformationSource(),
    )
    result.assert_outcomes(passed=expected_passes(*adapters))


def test_without_the_option_no_contract_runs(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_own="def test_own():\n    assert True\n")
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=1)


def test_contract_ids_name_the_adapter(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(*QUIET, "--collect-only", "-q", f"--ssbx-adapter={MEMORY[1]}")
    result.stdout.fnmatch_lines(
        [
            "ssbx-conformance::TestReportSink::test_same_key_twice_has_one_effect?ssbx_model.memory:MemoryReportSink?"
        ]
    )


def test_a_store_that_drops_updates_fails(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:DroppingStore")
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 4
    result.stdout.fnmatch_lines(["*FAILED*test_each_save_increments_the_version*"])
    result.stdout.fnmatch_lines(["*FAILED*test_concurrent_writers_lose_no_update*"])


def test_a_store_without_rollback_fails(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:NoRollbackStore")
    result.stdout.fnmatch_lines(["*FAILED*test_transaction_rolls_back_everything_on_error*"])
    result.stdout.fnmatch_lines(
        ["*FAILED*test_a_conflict_inside_a_transaction_leaves_nothing_half_written*"]
    )
    result.stdout.fnmatch_lines(["*FAILED*test_ledger_entries_roll_back_with_the_transaction*"])


def test_a_sink_that_applies_a_key_twice_fails(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:TwiceSink")
    result.stdout.fnmatch_lines(["*FAILED*test_same_key_twice_has_one_effect*"])
    result.stdout.fnmatch_lines(["*FAILED*test_concurrent_submissions_with_one_key_apply_once*"])
    assert result.parseoutcomes()["failed"] >= 2


def test_a_ledger_that_records_a_key_twice_fails(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:DoubleLedger")
    result.stdout.fnmatch_lines(["*FAILED*test_begin_twice_with_one_key_keeps_the_first_entry*"])
    result.stdout.fnmatch_lines(["*FAILED*test_concurrent_begins_with_one_key_record_one_entry*"])


def test_an_adapter_logging_identity_numbers_fails_without_repeating_them(
    broken: pytest.Pytester,
) -> None:
    result = run(broken, "broken_adapters:LeakyStore")
    assert result.parseoutcomes()["errors"] >= 1
    result.stdout.fnmatch_lines(["*contains the identity number * in clear text*"])
    output = "\n".join(result.outlines + result.errlines)
    for case in sample_cases():
        for form in identity_forms(case.person):
            assert form not in output


def test_a_source_that_raises_for_unknown_people_fails(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:RaisingSource")
    result.stdout.fnmatch_lines(["*FAILED*test_an_unknown_person_gets_not_found_answers*"])
    result.assert_outcomes(passed=1, failed=1)


def test_an_audit_log_out_of_order_fails(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:UnorderedLog")
    result.stdout.fnmatch_lines(["*FAILED*test_events_read_back_equal_and_in_order*"])


def test_a_factory_may_return_a_context_manager(broken: pytest.Pytester) -> None:
    result = run(broken, "broken_adapters:managed_store")
    store_tests = expected_passes(MemoryCaseStore())
    result.assert_outcomes(passed=store_tests)
    exits = (broken.path / "exits.txt").read_text().splitlines()
    # One probe while configuring, then one adapter per test.
    assert len(exits) == store_tests + 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no_colon_here", "expected 'package.module:factory'"),
        ("no_such_module_xyz:factory", "no module named 'no_such_module_xyz'*python -m pytest*"),
        ("broken_adapters:missing", "has no attribute 'missing'"),
        ("broken_adapters:not_an_adapter", "implements none of the ssbx_model ports"),
    ],
)
def test_bad_adapter_options_are_usage_errors(
    broken: pytest.Pytester, spec: str, message: str
) -> None:
    result = run(broken, spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        (
            "import dependency_the_vendor_forgot_xyz\n",
            [
                "*importing module 'failing_adapter' failed at *failing_adapter.py:1*",
                "*No module named 'dependency_the_vendor_forgot_xyz'*",
            ],
        ),
        (
            "x = 1\nraise RuntimeError('the database URL is not set')\n",
            [
                "*importing module 'failing_adapter' failed at *failing_adapter.py:2*",
                "RuntimeError: the database URL is not set",
            ],
        ),
        (
            "def factory(:\n    pass\n",
            [
                "*importing module 'failing_adapter' failed at *failing_adapter.py:1*",
                "*SyntaxError*",
            ],
        ),
    ],
)
def test_a_module_that_fails_to_import_shows_its_own_error(
    pytester: pytest.Pytester, body: str, lines: list[str]
) -> None:
    """Not "is the adapter installed?": the vendor sees what their module did wrong."""
    pytester.makepyfile(failing_adapter=body)
    pytester.syspathinsert()
    result = run(pytester, "failing_adapter:factory")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(lines)
    assert "is the adapter installed" not in result.stderr.str()


# -- the contracts are importable and subclassable (as the SQL adapter uses them) ------------


class TestMemoryCaseStoreByImport(CaseStoreContract):
    """The CaseStore contract with this module's own fixture."""

    @pytest.fixture
    def case_store(self) -> MemoryCaseStore:
        return MemoryCaseStore()


class TestMemoryLedgerByImport(SubmissionLedgerContract, StoreLedgerTransactionContract):
    """The ledger contracts with this module's own fixtures."""

    @pytest.fixture
    def submission_ledger(self) -> MemoryCaseStore:
        return MemoryCaseStore()

    @pytest.fixture
    def case_store(self) -> MemoryCaseStore:
        return MemoryCaseStore()


class TestMemorySinkByImport(ReportSinkContract):
    """The ReportSink contract with this module's own fixture."""

    @pytest.fixture
    def report_sink(self) -> MemoryReportSink:
        return MemoryReportSink()


class TestMemoryAuditLogByImport(AuditLogContract):
    """The AuditLog contract with this module's own fixture."""

    @pytest.fixture
    def audit_log(self) -> MemoryAuditLog:
        return MemoryAuditLog()
