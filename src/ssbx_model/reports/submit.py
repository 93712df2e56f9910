"""Submitting a report through a sink with the submission ledger: idempotent, crash-safe.

:func:`submit_report` is the one way a report leaves the library:

1. the idempotency key is derived from the report, period, municipality and content hash
   (:func:`idempotency_key`), so the same report always gets the same key;
2. if the ledger already has that key as ``submitted``, nothing is sent (a re-run is a
   no-op);
3. if the period is closed (an INUK month after the 4th working day of the next month)
   and something else was already submitted or begun for it, the report is refused with
   :class:`ClosedPeriodError`: a closed month is never changed;
4. otherwise the submission is recorded as ``pending`` **before** sending, sent with the
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
from ssbx_model.errors import ReportError
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
    "SubmissionOutcome",
    "SubmissionResult",
    "idempotency_key",
    "submit_report",
]

Scalar = int | float | bool | str


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

    ``receipt`` is None when nothing was sent (``already-submitted``).
    """

    outcome: SubmissionOutcome
    entry: LedgerEntry
    receipt: Receipt | None = None


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
        self.earlier: tuple[LedgerEntry, ...] = tuple(earlier)
        self.excluded: tuple[Notice, ...] = tuple(excluded)
        first = (
            f"{payload.report} {payload.period} for municipality {payload.municipality} "
            f"closed at {closes_at.isoformat()} and already has a submission with other "
            f"content; this report (content hash {payload.content_hash[:12]}) is not sent, "
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
        super().__init__("\n".join(lines))


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

    Raises:
        ClosedPeriodError: the period has closed and the ledger already holds other content
            for it (submitted, or begun and perhaps delivered).
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
    if closing is not None and clock() >= closing:
        others = [e for e in earlier if e.content_hash != payload.content_hash]
        if others:
            raise ClosedPeriodError(payload, closing, others, excluded)
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
    return SubmissionResult(outcome, done, receipt)
