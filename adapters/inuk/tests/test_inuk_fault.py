"""The fault test: an INUK submission killed half-way, then run again.

The stub endpoint (uvicorn, loopback, in a thread) stores some chunks and then drops the
connection in the middle of an answer. Running the submission again must leave the
endpoint with every record exactly once, one commit, and a ledger that says so; with
both ledgers the library ships (in memory, SQL on SQLite).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ssbx_sql
from ssbx_inuk import InukSink
from ssbx_inuk.stub import InukStubServer, InukStubState

from ssbx_model.clock import fixed_clock
from ssbx_model.errors import TransportError
from ssbx_model.memory import MemoryCaseStore
from ssbx_model.ports import LedgerState, Receipt, SubmissionLedger
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports import (
    InukReport,
    Month,
    SubmissionOutcome,
    build_inuk,
    idempotency_key,
    submit_report,
)
from ssbx_model.rules.testcases import build_case

MARCH = Month(2024, 3)
CLOCK = fixed_clock(dt.datetime(2024, 4, 3, 9, 0, tzinfo=dt.UTC))  # before the close
PEOPLE = 23


def _report() -> InukReport:
    cases = []
    for n in range(PEOPLE):
        facts: dict[str, Any] = {
            "birth": dt.date(2002, 1, 1) + dt.timedelta(days=37 * n),
            "interventions": [
                {
                    "id": f"INS-{n}",
                    "type": "praktik",
                    "from": dt.date(2024, 2, 1),
                    "to": dt.date(2024, 6, 30),
                    "inuk_category": "praktik",
                }
            ],
        }
        cases.append(build_case(facts, MARCH.end, serial=100 + n))
    report = build_inuk(cases, MARCH, municipality="1287", pseudonymizer=Pseudonymizer(b"k" * 32))
    assert len(report.records) == PEOPLE
    return report


@pytest.fixture(params=["memory", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SubmissionLedger]:
    if request.param == "memory":
        yield MemoryCaseStore()
        return
    store = ssbx_sql.SqlStore(
        f"sqlite:///{tmp_path / 'ledger.sqlite3'}", key=secrets.token_bytes(32), clock=CLOCK
    )
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def stub() -> Iterator[InukStubServer]:
    with InukStubServer(InukStubState(token="t0ken")) as server:
        yield server


def _sink(stub: InukStubServer, *, retries: int = 0, chunk_size: int = 5) -> InukSink:
    return InukSink(
        stub.base_url,
        token="t0ken",
        retries=retries,
        backoff=0,
        timeout=10,
        chunk_size=chunk_size,
        clock=CLOCK,
        sleep=lambda _: None,
    )


def _check_exactly_once(stub: InukStubServer, report: InukReport) -> None:
    stored = stub.state.stored("1287", "2024-03")
    ids = [r["record_id"] for r in stored]
    assert len(ids) == len(set(ids)) == PEOPLE
    assert sorted(stored, key=lambda r: r["record_id"]) == sorted(
        (r.to_json() for r in report.records), key=lambda r: r["record_id"]
    )


def test_a_submission_killed_half_way_is_completed_by_a_rerun_exactly_once(
    stub: InukStubServer, ledger: SubmissionLedger
) -> None:
    report = _report()
    payload = report.to_payload()
    stub.state.drop_connection_after(2)  # chunks 1-2 answered, chunk 3 stored, then cut
    with _sink(stub) as sink, pytest.raises(TransportError):
        submit_report(payload, sink, ledger, CLOCK)
    [pending] = ledger.entries(report="inuk", period="2024-03", municipality="1287")
    assert pending.state is LedgerState.PENDING
    assert len(stub.state.stored("1287", "2024-03")) == 15  # three chunks of five arrived
    assert stub.state.submissions == {}

    with _sink(stub) as sink:
        result = submit_report(payload, sink, ledger, CLOCK)
    assert result.outcome is SubmissionOutcome.RESUBMITTED
    _check_exactly_once(stub, report)
    key = idempotency_key(payload)
    assert list(stub.state.submissions) == [key]
    [entry] = ledger.entries(report="inuk", period="2024-03", municipality="1287")
    assert entry.state is LedgerState.SUBMITTED
    assert entry.idempotency_key == key
    assert entry.receipt == stub.state.submissions[key]["receipt"]
    assert entry.records == PEOPLE == stub.state.submissions[key]["records"]
    assert entry.content_hash == payload.content_hash
    # The first three chunks were answered from the endpoint's memory, not stored again.
    assert max(stub.state.received.values()) == 1

    before = len(stub.state.requests)
    with _sink(stub) as sink:
        again = submit_report(payload, sink, ledger, CLOCK)
    assert again.outcome is SubmissionOutcome.ALREADY_SUBMITTED
    assert len(stub.state.requests) == before  # nothing sent


def test_a_dropped_answer_is_retried_within_the_same_run(
    stub: InukStubServer, ledger: SubmissionLedger
) -> None:
    report = _report()
    stub.state.drop_connection_after(1)
    with _sink(stub, retries=2) as sink:
        result = submit_report(report.to_payload(), sink, ledger, CLOCK)
    assert result.outcome is SubmissionOutcome.SUBMITTED
    assert result.receipt is not None
    assert (
        result.receipt.reference == stub.state.submissions[result.entry.idempotency_key]["receipt"]
    )
    _check_exactly_once(stub, report)
    keys = [key for _, path, key in stub.state.requests if path.endswith("/records")]
    assert keys.count(f"{result.entry.idempotency_key}.2-5") == 2  # sent twice, stored once


def test_records_are_deduplicated_even_when_the_chunks_differ(
    stub: InukStubServer, ledger: SubmissionLedger
) -> None:
    report = _report()
    payload = report.to_payload()
    stub.state.drop_connection_after(2)
    with _sink(stub, chunk_size=5) as sink, pytest.raises(TransportError):
        submit_report(payload, sink, ledger, CLOCK)
    with _sink(stub, chunk_size=7) as sink:  # other chunks, other chunk keys
        submit_report(payload, sink, ledger, CLOCK)
    _check_exactly_once(stub, report)
    assert max(stub.state.received.values()) == 2  # the first fifteen came twice
    assert [e.state for e in ledger.entries()] == [LedgerState.SUBMITTED]


def test_a_wrong_token_is_refused_and_leaves_the_submission_pending(
    stub: InukStubServer, ledger: SubmissionLedger
) -> None:
    sink = InukSink(stub.base_url, token="wrong", retries=3, sleep=lambda _: None, clock=CLOCK)
    with sink, pytest.raises(TransportError, match="HTTP 401"):
        submit_report(_report().to_payload(), sink, ledger, CLOCK)
    assert len(stub.state.requests) == 1  # a refusal is not retried
    assert [e.state for e in ledger.entries()] == [LedgerState.PENDING]


def test_the_same_key_twice_is_one_submission_with_one_receipt(stub: InukStubServer) -> None:
    payload = _report().to_payload()
    with _sink(stub) as sink:
        first = sink.submit(payload, idempotency_key="k-1")
        second = sink.submit(payload, idempotency_key="k-1")
    assert (first.duplicate, second.duplicate) == (False, True)
    assert first.reference == second.reference
    assert len(stub.state.submissions) == 1
    _check_exactly_once(stub, _report())


def test_racing_submissions_of_one_key_apply_once(stub: InukStubServer) -> None:
    payload = _report().to_payload()
    barrier = threading.Barrier(4)
    receipts: list[Receipt] = []

    def work() -> None:
        with _sink(stub, retries=2) as sink:
            barrier.wait()
            receipts.append(sink.submit(payload, idempotency_key="k-race"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.duplicate for r in receipts) == [False, True, True, True]
    assert len({r.reference for r in receipts}) == 1
    _check_exactly_once(stub, _report())
