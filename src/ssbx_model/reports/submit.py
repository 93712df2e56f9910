"""Submitting a report through a sink with the submission ledger: idempotent, crash-safe.

:func:`submit_report` is the one way a report leaves the library:

1. the idempotency key is derived from the report, period, municipality and content hash
   (:func:`idempotency_key`), so the same report always gets the same key;
2. if the ledger already has that key as ``submitted``, nothing is sent (a re-run is a
   no-op);
3. if the period is closed (an INUK month after the 4th working day of the next month,
   or by the reading ``inuk.month_close`` chooses) and something else was already
   submitted or begun for it, the report is refused with :class:`ClosedPeriodError`: a
   closed month is never changed;
4. if the period is closed and nothing was ever submitted or begun for it, INUK will not
   show the data for that month ("Skickar ni in data i början retroaktivt kommer denna
   data inte med", the INUK questions and answers, SKL 2019-04-01). The parameter
   ``inuk.unsent_month_after_close`` decides: ``send`` (default) sends it and the result's
   ``after_close`` says when the month closed; ``refuse`` raises
   :class:`LateSubmissionError` and sends nothing;
5. otherwise the submission is recorded as ``pending`` **before** sending, sent with the
   key, and marked ``submitted`` with the sink's receipt.

A crash anywhere leaves the entry ``pending``; the next run sends again with the **same**
key and the sink applies it once (a sink must deduplicate by key: the INUK adapter also
sends a stable id per record so the endpoint can deduplicate records of a batch that was
cut off half-way). Works with any :class:`~ssbx_model.ports.SubmissionLedger`: the
in-memory store and the SQL store implement it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from enum import StrEnum

import attrs

from ssbx_model.clock import Clock
from ssbx_model.errors import ReportError, RuleError
from ssbx_model.ports import (
    LedgerEntry,
    LedgerState,
    Receipt,
    ReportPayload,
    ReportSink,
    SubmissionLedger,
)
from ssbx_model.reports._common import Month, Notice, ReportKind, SerialisableReport

__all__ = [
    "ClosedPeriodError",
    "LateSubmissionError",
    "SubmissionOutcome",
    "SubmissionResult",
    "idempotency_key",
    "submit_report",
]

Scalar = int | float | bool | str

#: The parameter that says what happens to an INUK month first sent after it closed.
UNSENT_PARAMETER = "inuk.unsent_month_after_close"
SEND, REFUSE = "send", "refuse"


def idempotency_key(payload: ReportPayload) -> str:
    """The idempotency key of ``payload``: ``<report>-<period>-<municipality>-`` and 24 hex
    digits of a SHA-256 over those and the content hash.

    The same report content for the same period and municipality always gets the same key;
    any change of content gives another key.
    """
    parts = ("ssbx-submission/1", payload.report, payload.period, payload.municipality)
    material = "\x00".join((*parts, payload.content_hash))
    digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]
    return f"{payload.report}-{payload.period}-{payload.municipality}-{digest}"


class SubmissionOutcome(StrEnum):
    """What :func:`submit_report` did."""

    #: Sent for the first time and acknowledged.
    SUBMITTED = "submitted"
    #: A pending submission (an earlier run crashed or failed) was sent again with its
    #: key and acknowledged.
    RESUBMITTED = "resubmitted"
    #: The ledger already had this very content as submitted: nothing was sent.
    ALREADY_SUBMITTED = "already-submitted"


@attrs.frozen
class SubmissionResult:
    """The result of :func:`submit_report`: what happened, the ledger entry, the receipt.

    ``receipt`` is None when nothing was sent (``already-submitted``). ``after_close`` is
    the period's closing time when this submission was begun after it: a month nothing
    had been sent for, sent late (``inuk.unsent_month_after_close`` is ``send``). INUK
    does not show such data for that month; tell whoever waits for the figures.
    """

    outcome: SubmissionOutcome
    entry: LedgerEntry
    receipt: Receipt | None = None
    after_close: dt.datetime | None = None


class ClosedPeriodError(ReportError):
    """The period is closed and other content was already submitted (or begun) for it.

    INUK takes no retroactive changes: once a month has closed, what was sent for it stays.
    ``earlier`` lists the ledger entries for the period, ``content_hash`` is the refused
    report's hash and ``excluded`` the items the builder had left out (e.g. changes that
    arrived after the close).
    """

    def __init__(
        self,
        payload: ReportPayload,
        closes_at: dt.datetime,
        earlier: Iterable[LedgerEntry],
        excluded: Iterable[Notice] = (),
    ) -> None:
        self.report = payload.report
        self.period = payload.period
        self.municipality = payload.municipality
        self.closes_at = closes_at
        self.content_hash = payload.content_hash
        self.records = payload.records
        self.earlier: tuple[LedgerEntry, ...] = tuple(earlier)
        self.excluded: tuple[Notice, ...] = tuple(excluded)
        super().__init__("\n".join(self._lines()))

    def _lines(self) -> list[str]:
        first = (
            f"{self.report} {self.period} for municipality {self.municipality} "
            f"closed at {self.closes_at.isoformat()} and already has a submission with other "
            f"content; this report (content hash {self.content_hash[:12]}) is not sent, "
            "because a closed period is never changed:"
        )
        lines = [first]
        for entry in self.earlier:
            when = entry.submitted_at or entry.created_at
            lines.append(
                f"  - {entry.state.value} {when.isoformat()}: content hash "
                f"{entry.content_hash[:12]}, {entry.records} records, key {entry.idempotency_key}"
            )
        if self.excluded:
            lines.append("Items this report leaves out, and why:")
            lines.extend(f"  - {notice}" for notice in self.excluded)
        else:
            lines.append(
                "The difference is a change made to the period's data after it closed; "
                "build the report with the same facts as before, or report the change in "
                "the current month."
            )
        return lines


class LateSubmissionError(ClosedPeriodError):
    """An INUK month nothing was ever sent for is first sent after it closed, and the
    parameter ``inuk.unsent_month_after_close`` is ``refuse``: nothing is sent and the
    ledger is unchanged (``earlier`` is empty).

    INUK does not show data for a month that arrive after it closed: "Skickar ni in data
    i början retroaktivt kommer denna data inte med".
    """

    def __init__(self, payload: ReportPayload, closes_at: dt.datetime) -> None:
        super().__init__(payload, closes_at, ())

    def _lines(self) -> list[str]:
        line = (
            f"{self.report} {self.period} for municipality {self.municipality} closed at "
            f"{self.closes_at.isoformat()} and nothing was submitted for it: INUK does not "
            "show data for a month that arrive after it closed ('Skickar ni in data i början "
            "retroaktivt kommer denna data inte med'), and the parameter "
            f"{UNSENT_PARAMETER} is {REFUSE!r}, so this report ({self.records} records, "
            f"content hash {self.content_hash[:12]}) is not sent and the ledger is "
            "unchanged. Interventions that go on are reported in the months they run in; "
            f"to send it anyway, pass parameters={{{UNSENT_PARAMETER!r}: {SEND!r}}}."
        )
        return [line]


def _closing_time(
    payload: ReportPayload,
    closes_at: dt.datetime | None,
    parameters: Mapping[str, Scalar] | None,
) -> dt.datetime | None:
    if closes_at is not None:
        if closes_at.utcoffset() is None:
            raise ReportError("closes_at must carry a time zone (e.g. +01:00)")
        return closes_at
    if payload.report == ReportKind.INUK.value:
        from ssbx_model.reports.inuk import month_closes_at

        return month_closes_at(Month.parse(payload.period), parameters=parameters)
    return None


def _unsent_handling(payload: ReportPayload, parameters: Mapping[str, Scalar] | None) -> str:
    from ssbx_model.reports._common import parameter_value

    handling = parameter_value(
        UNSENT_PARAMETER, Month.parse(payload.period).next().start, parameters
    )
    if handling not in (SEND, REFUSE):
        raise RuleError(
            f"parameter {UNSENT_PARAMETER!r} must be {SEND!r} or {REFUSE!r}, not {handling!r}"
        )
    return str(handling)


def submit_report(
    payload: ReportPayload | SerialisableReport,
    sink: ReportSink,
    ledger: SubmissionLedger,
    clock: Clock,
    *,
    closes_at: dt.datetime | None = None,
    excluded: Iterable[Notice] = (),
    parameters: Mapping[str, Scalar] | None = None,
) -> SubmissionResult:
    """Submit ``payload`` through ``sink``, recorded in ``ledger``; safe to re-run.

    ``payload`` is a :class:`~ssbx_model.ports.ReportPayload`, or a report itself: it is
    then sent as JSON and its ``excluded`` items explain a refusal.
    ``clock`` stamps the ledger entries and says whether the period has closed.
    ``closes_at`` is when the period closes; for INUK it defaults to the end of the
    ``inuk.month_closes_after_working_day``-th Swedish working day of the next month
    (``parameters`` may override that parameter), for other reports to "never".
    ``excluded`` (the builder's notices) is only used to explain a refusal.
    An INUK month nothing was ever sent for, sent after it closed, is sent by default
    (``result.after_close`` is its closing time: INUK will not show it for that month) or
    refused when ``inuk.unsent_month_after_close`` is ``refuse``.

    Raises:
        ClosedPeriodError: the period has closed and the ledger already holds other content
            for it (submitted, or begun and perhaps delivered).
        LateSubmissionError: (a ClosedPeriodError) an INUK month nothing was sent for has
            closed and ``inuk.unsent_month_after_close`` is ``refuse``.
        RuleError: if ``inuk.unsent_month_after_close`` is neither ``send`` nor ``refuse``.
        Exception: whatever the sink raises (e.g. :class:`~ssbx_model.errors.TransportError`);
            the entry then stays ``pending`` and the next call sends it again with the same
            key.
    """
    if isinstance(payload, SerialisableReport):
        excluded = (*excluded, *payload.excluded)
        payload = payload.to_payload()
    key = idempotency_key(payload)
    earlier = ledger.entries(
        report=payload.report, period=payload.period, municipality=payload.municipality
    )
    for entry in earlier:
        if entry.idempotency_key == key and entry.state is LedgerState.SUBMITTED:
            return SubmissionResult(SubmissionOutcome.ALREADY_SUBMITTED, entry)
    closing = _closing_time(payload, closes_at, parameters)
    late = closing is not None and clock() >= closing
    if late:
        assert closing is not None
        others = [e for e in earlier if e.content_hash != payload.content_hash]
        if others:
            raise ClosedPeriodError(payload, closing, others, excluded)
        if not earlier and payload.report == ReportKind.INUK.value:
            handling = _unsent_handling(payload, parameters)
            if handling == REFUSE:
                raise LateSubmissionError(payload, closing)
    entry = ledger.begin(
        LedgerEntry(
            report=payload.report,
            period=payload.period,
            municipality=payload.municipality,
            content_hash=payload.content_hash,
            idempotency_key=key,
            state=LedgerState.PENDING,
            created_at=clock(),
            records=payload.records,
        )
    )
    if entry.state is LedgerState.SUBMITTED:  # another run completed it meanwhile
        return SubmissionResult(SubmissionOutcome.ALREADY_SUBMITTED, entry)
    resumed = any(e.idempotency_key == key for e in earlier)
    receipt = sink.submit(payload, idempotency_key=key)
    done = ledger.complete(key, receipt=receipt.reference, at=clock())
    outcome = SubmissionOutcome.RESUBMITTED if resumed else SubmissionOutcome.SUBMITTED
    begun_late = closing is not None and entry.created_at >= closing
    return SubmissionResult(outcome, done, receipt, closing if begun_late else None)
