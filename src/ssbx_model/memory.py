"""In-memory implementations of every port, for tests, the demo and small embeddings.

Like httpx's ``MockTransport``, these ship with the core so that vendors can wire the
library up before writing their own adapters, and so that the conformance suite
(:mod:`ssbx_model.testing.conformance`) has a reference implementation that passes it.

* :class:`MemoryInformationSource` / :class:`AsyncMemoryInformationSource` serve a set of
  :class:`~ssbx_model.case.Case` values.
* :class:`MemoryCaseStore` is a :class:`~ssbx_model.ports.CaseStore` and a
  :class:`~ssbx_model.ports.SubmissionLedger`: thread-safe, with optimistic versions and
  transactions that really roll back.
* :class:`MemoryReportSink` applies each idempotency key once.
* :class:`MemoryAuditLog` keeps audit events in order and reads them back.

Every class is its own factory for the conformance plugin, e.g.
``pytest --ssbx-adapter=ssbx_model.memory:MemoryCaseStore``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import attrs

from ssbx_model.case import Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import ConcurrentUpdateError, ReportError
from ssbx_model.identity import PersonId
from ssbx_model.ports import (
    UNKNOWN_MUNICIPALITY,
    AuditEvent,
    FetchRequest,
    LedgerEntry,
    LedgerState,
    Receipt,
    ReportPayload,
    StoredCase,
    answer_request,
)

if TYPE_CHECKING:
    from ssbx_model.rules import Decision

__all__ = [
    "UNKNOWN_MUNICIPALITY",
    "AsyncMemoryInformationSource",
    "MemoryAuditLog",
    "MemoryCaseStore",
    "MemoryInformationSource",
    "MemoryReportSink",
]


class MemoryInformationSource:
    """An :class:`~ssbx_model.ports.InformationSource` serving the given cases.

    ``fetch`` answers with :func:`~ssbx_model.ports.answer_request`: every requested set
    from the stored case of the person (a set the stored case leaves ``not requested`` is
    answered ``not found``); sets not requested are ``not requested``. A person the source
    does not know gets ``not found`` for every requested set, on a Case with municipality
    ``0000``, never an exception. The stored case's interventions and reference are not
    part of the answer.
    """

    def __init__(self, cases: Iterable[Case] = ()) -> None:
        self._cases: dict[PersonId, Case] = {}
        self._lock = threading.Lock()
        for case in cases:
            self._cases[case.person] = case

    def add(self, case: Case) -> None:
        """Serve ``case`` (replacing any earlier case of the same person)."""
        with self._lock:
            self._cases[case.person] = case

    def fetch(self, request: FetchRequest) -> Case:
        """Answer the requested sets for one person."""
        with self._lock:
            stored = self._cases.get(request.person)
        return answer_request(request, stored)

    def __repr__(self) -> str:
        return f"MemoryInformationSource(<{len(self._cases)} cases>)"


class AsyncMemoryInformationSource:
    """The asynchronous twin of :class:`MemoryInformationSource` (same answers)."""

    def __init__(self, cases: Iterable[Case] = ()) -> None:
        self._sync = MemoryInformationSource(cases)

    def add(self, case: Case) -> None:
        """Serve ``case`` (replacing any earlier case of the same person)."""
        self._sync.add(case)

    async def fetch(self, request: FetchRequest) -> Case:
        """Answer the requested sets for one person."""
        return self._sync.fetch(request)

    def __repr__(self) -> str:
        return f"Async{self._sync!r}"


@attrs.define
class _State:
    """Everything a MemoryCaseStore holds; copied wholesale for a transaction."""

    cases: dict[PersonId, StoredCase] = attrs.Factory(dict)
    decisions: dict[PersonId, list[Decision]] = attrs.Factory(dict)
    ledger: dict[str, LedgerEntry] = attrs.Factory(dict)

    def copy(self) -> _State:
        return _State(
            dict(self.cases),
            {person: list(items) for person, items in self.decisions.items()},
            dict(self.ledger),
        )


class MemoryCaseStore:
    """A thread-safe in-memory :class:`~ssbx_model.ports.CaseStore` and
    :class:`~ssbx_model.ports.SubmissionLedger`.

    Versions start at 1 and grow by one with each save. ``transaction()`` holds the
    store's lock for the whole unit of work (other threads wait) and works on a copy of
    the state, which replaces the committed state only when the block exits normally:
    an exception leaves the store exactly as it was. Transactions nest (a nested block
    is a savepoint). Use the store the ``with`` statement yields inside the block.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._state = _State()

    # -- cases ---------------------------------------------------------------------------

    def save_case(self, case: Case, *, expected_version: int | None = None) -> int:
        """Insert (``expected_version=None``) or update a case; return its new version.

        Raises:
            ConcurrentUpdateError: when the stored version is not ``expected_version``
                (including: the case exists but None was expected, or it does not exist).
        """
        with self._lock:
            current = self._state.cases.get(case.person)
            found = None if current is None else current.version
            if found != expected_version:
                raise ConcurrentUpdateError(_conflict(case.person, expected_version, found))
            version = 1 if current is None else current.version + 1
            self._state.cases[case.person] = StoredCase(case, version)
            return version

    def load_case(self, person: PersonId) -> StoredCase | None:
        """The stored case of ``person`` with its version, or None."""
        with self._lock:
            return self._state.cases.get(person)

    def list_cases(self, *, municipality: str | None = None) -> Iterator[PersonId]:
        """The people with a stored case, in identity-number order."""
        with self._lock:
            people = [
                person
                for person, stored in self._state.cases.items()
                if municipality is None or stored.case.municipality == municipality
            ]
        return iter(sorted(people))

    def delete_case(self, person: PersonId) -> bool:
        """Delete a case and its decisions; True when there was a case."""
        with self._lock:
            self._state.decisions.pop(person, None)
            return self._state.cases.pop(person, None) is not None

    # -- decisions -----------------------------------------------------------------------

    def save_decisions(self, person: PersonId, decisions: Sequence[Decision]) -> None:
        """Append decisions about ``person``."""
        with self._lock:
            self._state.decisions.setdefault(person, []).extend(decisions)

    def load_decisions(self, person: PersonId, *, rule_id: str | None = None) -> list[Decision]:
        """Decisions about ``person`` in the order stored, optionally for one rule."""
        with self._lock:
            items = list(self._state.decisions.get(person, ()))
        if rule_id is None:
            return items
        return [d for d in items if getattr(d, "rule_id", None) == rule_id]

    # -- ledger --------------------------------------------------------------------------

    def begin(self, entry: LedgerEntry) -> LedgerEntry:
        """Record a pending submission, or return the entry already recorded for its key."""
        with self._lock:
            existing = self._state.ledger.get(entry.idempotency_key)
            if existing is not None:
                return existing
            self._state.ledger[entry.idempotency_key] = entry
            return entry

    def complete(
        self, idempotency_key: str, *, receipt: str | None, at: dt.datetime
    ) -> LedgerEntry:
        """Mark the submission with ``idempotency_key`` as acknowledged by the sink.

        Raises:
            KeyError: when no entry has that key (``begin`` was not called).
        """
        with self._lock:
            entry = self._state.ledger.get(idempotency_key)
            if entry is None:
                raise KeyError(f"no ledger entry with idempotency key {idempotency_key!r}")
            done = attrs.evolve(
                entry, state=LedgerState.SUBMITTED, submitted_at=at, receipt=receipt
            )
            self._state.ledger[idempotency_key] = done
            return done

    def entries(
        self,
        *,
        report: str | None = None,
        period: str | None = None,
        municipality: str | None = None,
    ) -> list[LedgerEntry]:
        """Ledger entries in the order begun, optionally filtered."""
        with self._lock:
            items = list(self._state.ledger.values())
        return [
            e
            for e in items
            if (report is None or e.report == report)
            and (period is None or e.period == period)
            and (municipality is None or e.municipality == municipality)
        ]

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[MemoryCaseStore]:
        """A unit of work: everything done through the yielded store commits at exit."""
        with self._lock:
            work = MemoryCaseStore.__new__(MemoryCaseStore)
            work._lock = self._lock
            work._state = self._state.copy()
            yield work
            self._state = work._state

    def __repr__(self) -> str:
        return f"MemoryCaseStore(<{len(self._state.cases)} cases>)"


def _conflict(person: PersonId, expected: int | None, found: int | None) -> str:
    want = "no stored case" if expected is None else f"version {expected}"
    got = "no stored case" if found is None else f"version {found}"
    return (
        f"case of {person.masked} changed concurrently: expected {want}, found {got}; "
        "reload it and retry"
    )


class MemoryReportSink:
    """An in-memory :class:`~ssbx_model.ports.ReportSink` that applies each key once.

    Submitting again with a known key returns the first receipt with ``duplicate=True``
    and changes nothing. Reusing a key for a payload with other content is a caller's bug
    and raises :class:`~ssbx_model.errors.ReportError`. ``delivered()`` lists what was
    applied (the observable effect the conformance suite counts).
    """

    def __init__(self, *, clock: Clock = utc_now) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._receipts: dict[str, tuple[str, Receipt]] = {}
        self._delivered: list[tuple[str, ReportPayload]] = []

    def submit(self, payload: ReportPayload, *, idempotency_key: str) -> Receipt:
        """Apply ``payload`` once per ``idempotency_key``."""
        with self._lock:
            seen = self._receipts.get(idempotency_key)
            if seen is not None:
                content_hash, receipt = seen
                if content_hash != payload.content_hash:
                    raise ReportError(
                        f"idempotency key {idempotency_key!r} was already used for a "
                        f"{payload.report} payload with other content; use a new key"
                    )
                return attrs.evolve(receipt, duplicate=True)
            receipt = Receipt(
                idempotency_key=idempotency_key,
                accepted_at=self._clock(),
                reference=f"memory-{len(self._delivered) + 1}",
            )
            self._receipts[idempotency_key] = (payload.content_hash, receipt)
            self._delivered.append((idempotency_key, payload))
            return receipt

    def delivered(self) -> list[tuple[str, ReportPayload]]:
        """Every applied submission as (idempotency key, payload), in order."""
        with self._lock:
            return list(self._delivered)

    def __repr__(self) -> str:
        return f"MemoryReportSink(<{len(self._delivered)} delivered>)"


class MemoryAuditLog:
    """An in-memory :class:`~ssbx_model.ports.AuditLog`: events kept in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        """Record one event."""
        if not isinstance(event, AuditEvent):
            raise TypeError("an audit sink records AuditEvent values")
        with self._lock:
            self._events.append(event)

    def events(self, *, person_key: str | None = None) -> list[AuditEvent]:
        """Recorded events, oldest first, optionally for one person."""
        with self._lock:
            items = list(self._events)
        if person_key is None:
            return items
        return [e for e in items if e.person_key == person_key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)

    def __repr__(self) -> str:
        return f"MemoryAuditLog(<{len(self)} events>)"
