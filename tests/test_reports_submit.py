"""Submitting reports through a sink with the ledger: idempotent, crash-safe, closed months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model.clock import Clock
from ssbx_model.errors import RuleError, TransportError
from ssbx_model.memory import MemoryCaseStore, MemoryReportSink
from ssbx_model.ports import LedgerState, Receipt, ReportPayload, SubmissionLedger
from ssbx_model.reports import (
    ClosedPeriodError,
    LateSubmissionError,
    Month,
    Notice,
    SubmissionOutcome,
    idempotency_key,
    month_closes_at,
    submit_report,
)

UTC = dt.UTC
BEFORE_CLOSE = dt.datetime(2024, 4, 3, 9, 0, tzinfo=UTC)
AFTER_CLOSE = dt.datetime(2024, 4, 8, 9, 0, tzinfo=UTC)


def payload(body: bytes = b'{"records": [1, 2]}', *, report: str = "inuk", period: str = "2024-03"):
    return ReportPayload(
        report=report,
        period=period,
        municipality="1287",
        media_type="application/json",
        body=body,
        records=2,
    )


class Clock_:
    """A clock the test moves by hand."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


class FlakySink:
    """Wraps the in-memory sink: fails before applying, or applies and loses the answer."""

    def __init__(self, clock: Clock) -> None:
        self.inner = MemoryReportSink(clock=clock)
        self.calls: list[str] = []
        self.fail: Callable[[], None] | None = None
        self.lose_ack = False

    def submit(self, payload: ReportPayload, *, idempotency_key: str) -> Receipt:
        self.calls.append(idempotency_key)
        if self.fail is not None:
            fail, self.fail = self.fail, None
            fail()
        receipt = self.inner.submit(payload, idempotency_key=idempotency_key)
        if self.lose_ack:
            self.lose_ack = False
            raise TransportError("the connection dropped before the answer arrived")
        return receipt


def _crash() -> None:
    raise TransportError("connection refused")


@pytest.fixture
def clock() -> Clock_:
    return Clock_(BEFORE_CLOSE)


@pytest.fixture
def ledger() -> SubmissionLedger:
    return MemoryCaseStore()


@pytest.fixture
def sink(clock: Clock_) -> FlakySink:
    return FlakySink(clock)


def test_inuk_march_2024_closes_after_the_4th_working_day_of_april() -> None:
    # 1 April 2024 is Easter Monday: the working days are 2, 3, 4 and 5 April.
    closes = month_closes_at(Month(2024, 3))
    assert closes.date() == dt.date(2024, 4, 6)
    assert closes.utcoffset() == dt.timedelta(hours=2)  # Swedish summer time
    assert month_closes_at(
        Month(2024, 3), parameters={"inuk.month_closes_after_working_day": 1}
    ).date() == dt.date(2024, 4, 3)


def test_first_submission_is_recorded_pending_then_submitted(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    result = submit_report(payload(), sink, ledger, clock)
    assert result.outcome is SubmissionOutcome.SUBMITTED
    assert result.receipt is not None
    [entry] = ledger.entries(report="inuk", period="2024-03", municipality="1287")
    assert entry.state is LedgerState.SUBMITTED
    assert entry.content_hash == payload().content_hash
    assert entry.idempotency_key == idempotency_key(payload())
    assert entry.receipt == result.receipt.reference
    assert entry.records == 2
    assert entry.created_at == entry.submitted_at == BEFORE_CLOSE
    assert len(sink.inner.delivered()) == 1


def test_a_rerun_of_the_same_report_sends_nothing(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    submit_report(payload(), sink, ledger, clock)
    clock.at = AFTER_CLOSE  # even after the close: nothing changes, nothing is sent
    again = submit_report(payload(), sink, ledger, clock)
    assert again.outcome is SubmissionOutcome.ALREADY_SUBMITTED
    assert again.receipt is None
    assert len(sink.calls) == 1
    assert len(ledger.entries()) == 1


def test_a_failed_send_stays_pending_and_the_rerun_uses_the_same_key(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    sink.fail = _crash
    with pytest.raises(TransportError):
        submit_report(payload(), sink, ledger, clock)
    [entry] = ledger.entries()
    assert entry.state is LedgerState.PENDING
    result = submit_report(payload(), sink, ledger, clock)
    assert result.outcome is SubmissionOutcome.RESUBMITTED
    assert sink.calls == [entry.idempotency_key, entry.idempotency_key]
    assert [e.state for e in ledger.entries()] == [LedgerState.SUBMITTED]
    assert len(sink.inner.delivered()) == 1


def test_a_lost_acknowledgement_is_resent_and_applied_once(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    sink.lose_ack = True
    with pytest.raises(TransportError):
        submit_report(payload(), sink, ledger, clock)
    assert ledger.entries()[0].state is LedgerState.PENDING
    result = submit_report(payload(), sink, ledger, clock)
    assert result.receipt is not None
    assert result.receipt.duplicate
    assert len(sink.inner.delivered()) == 1
    assert ledger.entries()[0].state is LedgerState.SUBMITTED


def test_a_closed_month_is_never_changed(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    submit_report(payload(b"first"), sink, ledger, clock)
    clock.at = AFTER_CLOSE
    late = Notice("inuk.late-change", "cases[0].interventions[0]", "changed after the close")
    with pytest.raises(ClosedPeriodError) as caught:
        submit_report(payload(b"second"), sink, ledger, clock, excluded=[late])
    error = caught.value
    assert error.period == "2024-03"
    assert [e.content_hash for e in error.earlier] == [payload(b"first").content_hash]
    assert error.excluded == (late,)
    assert "never changed" in str(error)
    assert "changed after the close" in str(error)
    assert len(sink.calls) == 1
    assert len(ledger.entries()) == 1


def test_a_pending_submission_of_other_content_also_blocks_a_closed_month(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    sink.lose_ack = True  # it may have reached INUK
    with pytest.raises(TransportError):
        submit_report(payload(b"first"), sink, ledger, clock)
    clock.at = AFTER_CLOSE
    with pytest.raises(ClosedPeriodError):
        submit_report(payload(b"second"), sink, ledger, clock)
    # The pending one itself may still be completed with its own key.
    done = submit_report(payload(b"first"), sink, ledger, clock)
    assert done.outcome is SubmissionOutcome.RESUBMITTED


def test_an_open_month_may_be_resubmitted_with_new_content(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    first = submit_report(payload(b"first"), sink, ledger, clock)
    second = submit_report(payload(b"second"), sink, ledger, clock)
    assert second.outcome is SubmissionOutcome.SUBMITTED
    assert first.entry.idempotency_key != second.entry.idempotency_key
    assert [e.state for e in ledger.entries()] == [LedgerState.SUBMITTED] * 2


def test_a_month_first_sent_after_its_close_is_sent_and_says_so(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    # INUK does not show it ("Skickar ni in data i början retroaktivt kommer denna data
    # inte med") but takes it; inuk.unsent_month_after_close is "send" by default.
    clock.at = AFTER_CLOSE
    result = submit_report(payload(), sink, ledger, clock)
    assert result.outcome is SubmissionOutcome.SUBMITTED
    assert result.after_close == month_closes_at(Month(2024, 3))
    assert len(sink.inner.delivered()) == 1
    # Once sent, the closed month holds that content: other content is refused.
    with pytest.raises(ClosedPeriodError) as caught:
        submit_report(payload(b"other"), sink, ledger, clock)
    assert not isinstance(caught.value, LateSubmissionError)


def test_a_month_sent_before_its_close_does_not_say_after_close(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    assert submit_report(payload(), sink, ledger, clock).after_close is None
    # A pending submission begun before the close and completed after it: not late.
    april = payload(b"april", period="2024-04")
    sink.fail = _crash
    with pytest.raises(TransportError):
        submit_report(april, sink, ledger, clock)
    clock.at = dt.datetime(2024, 5, 10, 9, 0, tzinfo=UTC)  # April closed on 8 May
    done = submit_report(april, sink, ledger, clock)
    assert done.outcome is SubmissionOutcome.RESUBMITTED
    assert done.after_close is None


def test_a_month_never_sent_is_refused_after_its_close_when_the_parameter_says_so(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    refuse = {"inuk.unsent_month_after_close": "refuse"}
    clock.at = AFTER_CLOSE
    with pytest.raises(LateSubmissionError) as caught:
        submit_report(payload(), sink, ledger, clock, parameters=refuse)
    error = caught.value
    assert isinstance(error, ClosedPeriodError)
    assert error.earlier == ()
    assert error.closes_at == month_closes_at(Month(2024, 3))
    assert "nothing was submitted for it" in str(error)
    assert "retroaktivt kommer denna data inte med" in str(error)
    assert "inuk.unsent_month_after_close" in str(error)
    assert sink.calls == []
    assert ledger.entries() == []
    # One second before the close it is sent as usual.
    clock.at = month_closes_at(Month(2024, 3)) - dt.timedelta(seconds=1)
    result = submit_report(payload(), sink, ledger, clock, parameters=refuse)
    assert result.outcome is SubmissionOutcome.SUBMITTED
    assert result.after_close is None


def test_the_late_handling_is_for_inuk_and_takes_only_its_two_values(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    clock.at = AFTER_CLOSE
    with pytest.raises(RuleError, match="must be 'send' or 'refuse'"):
        submit_report(
            payload(), sink, ledger, clock, parameters={"inuk.unsent_month_after_close": "x"}
        )
    # Another report with an explicit close: a first submission after it is sent.
    closes = dt.datetime(2024, 4, 1, tzinfo=UTC)
    kolada = payload(b"v1", report="kolada", period="2023")
    result = submit_report(
        kolada,
        sink,
        ledger,
        clock,
        closes_at=closes,
        parameters={"inuk.unsent_month_after_close": "refuse"},
    )
    assert result.outcome is SubmissionOutcome.SUBMITTED
    assert result.after_close == closes


def test_with_the_month_end_reading_a_month_closes_when_it_ends(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    month_end = {"inuk.month_close": "month-end"}
    clock.at = dt.datetime(2024, 3, 31, 21, 59, 59, tzinfo=UTC)  # 23:59:59 Swedish time
    submit_report(payload(b"first"), sink, ledger, clock, parameters=month_end)
    second = submit_report(payload(b"second"), sink, ledger, clock, parameters=month_end)
    assert second.outcome is SubmissionOutcome.SUBMITTED  # still open: new content is taken
    clock.at = dt.datetime(2024, 3, 31, 22, 0, tzinfo=UTC)  # midnight in Stockholm
    with pytest.raises(ClosedPeriodError):
        submit_report(payload(b"third"), sink, ledger, clock, parameters=month_end)
    # The default reading leaves March open until the end of 5 April.
    assert submit_report(payload(b"third"), sink, ledger, clock).outcome is (
        SubmissionOutcome.SUBMITTED
    )


def test_a_new_kaa_file_for_a_half_year_replaces_the_earlier_one(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    clock.at = dt.datetime(2030, 1, 1, tzinfo=UTC)  # KAA half-years never close
    submit_report(payload(b"v1", report="kaa-scb", period="2024-H1"), sink, ledger, clock)
    result = submit_report(payload(b"v2", report="kaa-scb", period="2024-H1"), sink, ledger, clock)
    assert result.outcome is SubmissionOutcome.SUBMITTED
    assert len(ledger.entries(report="kaa-scb", period="2024-H1")) == 2


def test_an_explicit_closing_time_applies_to_any_report(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    closes = dt.datetime(2024, 4, 1, tzinfo=UTC)
    p1 = payload(b"v1", report="kolada", period="2023")
    submit_report(p1, sink, ledger, clock, closes_at=closes)
    with pytest.raises(ClosedPeriodError):
        submit_report(
            payload(b"v2", report="kolada", period="2023"), sink, ledger, clock, closes_at=closes
        )


@given(st.binary(), st.binary())
def test_the_key_depends_on_the_content_and_nothing_else(a: bytes, b: bytes) -> None:
    assert idempotency_key(payload(a)) == idempotency_key(payload(a))
    assert (idempotency_key(payload(a)) == idempotency_key(payload(b))) == (a == b)
    assert idempotency_key(payload(a)) != idempotency_key(payload(a, period="2024-04"))
    assert idempotency_key(payload(a)).startswith("inuk-2024-03-1287-")


def test_late_changes_to_a_submitted_month_are_refused_and_explained(
    sink: FlakySink, ledger: SubmissionLedger, clock: Clock_
) -> None:
    from reports_support import PSEUDONYMIZER, case, intervention

    from ssbx_model.reports import build_inuk

    young = dt.date(2004, 6, 1)
    before = [case(young, intervention("INS-1", inuk_category="praktik"), reference="ÄR-1")]
    march = Month(2024, 3)

    def build(cases):  # type: ignore[no-untyped-def]
        return build_inuk(cases, march, municipality="1287", pseudonymizer=PSEUDONYMIZER)

    submit_report(build(before), sink, ledger, clock)
    clock.at = AFTER_CLOSE
    late = dt.datetime(2024, 4, 7, 10, 0, tzinfo=UTC)
    # An intervention added after the close is left out: the month's content is unchanged.
    added = [*before, case(young, intervention("INS-2", inuk_category="praktik", changed_at=late))]
    assert submit_report(build(added), sink, ledger, clock).outcome is (
        SubmissionOutcome.ALREADY_SUBMITTED
    )
    # A change after the close to what was sent cannot be sent: refused, and explained.
    changed = [
        attrs.evolve(
            before[0],
            interventions=(intervention("INS-1", inuk_category="studier", changed_at=late),),
        )
    ]
    with pytest.raises(ClosedPeriodError) as caught:
        submit_report(build(changed), sink, ledger, clock)
    assert [n.code for n in caught.value.excluded] == ["inuk.late-change"]
    assert "INS-1" in str(caught.value)
    assert "ÄR-1" in str(caught.value)
    assert len(sink.inner.delivered()) == 1
