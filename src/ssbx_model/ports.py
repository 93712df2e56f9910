"""Ports: the small protocols vendor systems plug into.

Adapters implement these :class:`typing.Protocol` classes and are passed in explicitly,
like httpx transports; discovery by entry point (:mod:`ssbx_model.registry`) is an
optional convenience. In-memory implementations ship in :mod:`ssbx_model.memory`.

* :class:`InformationSource` / :class:`AsyncInformationSource`: fetch information sets
  about a person, for a purpose, on a date.
* :class:`CaseStore`: save, load and list cases and decisions, transactionally, with
  optimistic versions; a :class:`SubmissionLedger` of reports submitted.
* :class:`ReportSink`: submit a report, idempotently by a key.
* :class:`AuditSink`: record access events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

import attrs

from ssbx_model._masking import masked_field
from ssbx_model.case import Case
from ssbx_model.clock import swedish_date
from ssbx_model.errors import Problem, ValidationError
from ssbx_model.identity import PersonId
from ssbx_model.information._base import Answer, AnswerStatus, Provenance
from ssbx_model.information.sets import InformationSet
from ssbx_model.purpose import Purpose, Role

if TYPE_CHECKING:
    from ssbx_model.rules import Decision

__all__ = [
    "BACKDATING_TOLERANCE",
    "UNKNOWN_MUNICIPALITY",
    "WRITE_ACTIONS",
    "AsyncInformationSource",
    "AuditEvent",
    "AuditLog",
    "AuditSink",
    "CaseStore",
    "FetchRequest",
    "InformationSource",
    "LedgerEntry",
    "LedgerState",
    "Receipt",
    "ReportPayload",
    "ReportSink",
    "Requester",
    "StoredCase",
    "SubmissionLedger",
    "after_rollback",
    "answer_request",
    "is_backdated",
]


@attrs.frozen
class Requester:
    """Who asks: a user id (never an identity number), their role and organisation."""

    user: str
    role: Role
    organisation: str

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(name, "must not be empty")
            for name in ("user", "organisation")
            if not getattr(self, name).strip()
        ]
        if problems:
            raise ValidationError(problems)


@attrs.frozen
class FetchRequest:
    """A request for information sets about one person, for a purpose, on a date."""

    person: PersonId
    sets: frozenset[InformationSet]
    purpose: Purpose
    on: dt.date
    requester: Requester

    def __attrs_post_init__(self) -> None:
        if not self.sets:
            raise ValidationError(Problem("sets", "request at least one information set"))


@runtime_checkable
class InformationSource(Protocol):
    """Fetches information sets about a person (synchronously).

    The returned Case answers every requested set (known, absent, not found or
    unavailable) as the provider gave it: with provenance where the provider states it,
    and always for ``unavailable`` (when it failed); sets not requested are
    ``not requested``. A source never returns a partial answer as if it were whole: a
    set it could not deliver is ``unavailable`` with the reason. A requested set the
    source holds no answer for is ``not found``, never ``absent``: *absent* says the
    provider looked and there is nothing, which can settle a rule, while *not found*
    leaves it *unknown*. :func:`answer_request` builds such a Case from what a source
    stores.
    """

    def fetch(self, request: FetchRequest) -> Case:
        """Fetch the requested sets for one person."""
        ...


@runtime_checkable
class AsyncInformationSource(Protocol):
    """Fetches information sets about a person (asynchronously); see InformationSource."""

    async def fetch(self, request: FetchRequest) -> Case:
        """Fetch the requested sets for one person."""
        ...


#: The municipality code on a Case about a person the source does not know.
UNKNOWN_MUNICIPALITY: Final = "0000"

_NOT_REQUESTED: Answer[Any] = Answer.not_requested()


def answer_request(
    request: FetchRequest,
    stored: Case | None,
    *,
    provenance: Callable[[InformationSet], Provenance | None] | None = None,
) -> Case:
    """The Case a source returns for ``request``, from what it stores about the person.

    One meaning for every source (the in-memory source, the HTTP stub and your own):

    * a set not in ``request.sets`` is ``not requested``;
    * a requested set the stored case answers is that answer, exactly as stored
      (provenance included);
    * a requested set the stored case leaves ``not requested`` is ``not found`` ("this
      source holds no answer for this set"), never ``absent``: absent would claim the
      provider looked and found nothing;
    * a person the source does not know (``stored`` is None) gets ``not found`` for
      every requested set, on a Case with municipality :data:`UNKNOWN_MUNICIPALITY`.

    The municipality's own interventions and the vendor's case reference are not
    information sets from a provider: the returned Case holds neither.
    ``provenance(which)`` gives the provenance of the ``not found`` answers the source
    makes itself (default: none).
    """
    reason = "the person is not known to this source" if stored is None else None
    answers: dict[str, Any] = {}
    for which in InformationSet:
        if which not in request.sets:
            answers[which.value] = _NOT_REQUESTED
            continue
        held = _NOT_REQUESTED if stored is None else stored.answer(which)
        if held.status is AnswerStatus.NOT_REQUESTED:
            answers[which.value] = Answer.not_found(
                provenance(which) if provenance else None,
                reason or "this source holds no answer for this set",
            )
        else:
            answers[which.value] = held
    if stored is None:
        return Case(request.person, UNKNOWN_MUNICIPALITY, **answers)
    return attrs.evolve(stored, reference=None, interventions=(), **answers)


@attrs.frozen
class StoredCase:
    """A case as stored, with its version for optimistic concurrency."""

    case: Case
    version: int


@runtime_checkable
class CaseStore(Protocol):
    """Saves, loads and lists cases and decisions.

    ``save_case`` with ``expected_version`` fails with
    :class:`ssbx_model.errors.ConcurrentUpdateError` when another writer got there first
    (``None`` means "must not exist yet"). ``transaction()`` groups calls atomically:
    everything inside commits together or not at all.
    """

    def save_case(self, case: Case, *, expected_version: int | None = None) -> int:
        """Insert or update a case; return its new version."""
        ...

    def load_case(self, person: PersonId) -> StoredCase | None:
        """The stored case of ``person``, or None."""
        ...

    def list_cases(self, *, municipality: str | None = None) -> Iterator[PersonId]:
        """The people with a stored case (optionally of one municipality)."""
        ...

    def delete_case(self, person: PersonId) -> bool:
        """Delete a case and its decisions; True when something was deleted."""
        ...

    def save_decisions(self, person: PersonId, decisions: Sequence[Decision]) -> None:
        """Store decisions about ``person`` (appended; earlier decisions are kept)."""
        ...

    def load_decisions(self, person: PersonId, *, rule_id: str | None = None) -> list[Decision]:
        """Decisions about ``person`` in the order stored, optionally for one rule."""
        ...

    def transaction(self) -> AbstractContextManager[CaseStore]:
        """A unit of work: the yielded store's calls commit together at exit."""
        ...


class LedgerState(StrEnum):
    """Where a submission stands in the ledger."""

    #: Recorded before sending: a crash leaves it here, and a re-run resends it.
    PENDING = "pending"
    #: The sink acknowledged it.
    SUBMITTED = "submitted"


@attrs.frozen
class LedgerEntry:
    """One submission of a report for a period: what, when, with which content hash."""

    report: str
    period: str
    municipality: str
    content_hash: str
    idempotency_key: str
    state: LedgerState
    created_at: dt.datetime
    submitted_at: dt.datetime | None = None
    receipt: str | None = None
    records: int = 0


@runtime_checkable
class SubmissionLedger(Protocol):
    """What was submitted for which period, so re-runs are idempotent.

    ``begin`` records the intent before sending (or returns the existing entry with the
    same idempotency key); ``complete`` marks it submitted. Stores implement it too.
    """

    def begin(self, entry: LedgerEntry) -> LedgerEntry:
        """Record a pending submission, or return the entry already recorded for its key."""
        ...

    def complete(
        self, idempotency_key: str, *, receipt: str | None, at: dt.datetime
    ) -> LedgerEntry:
        """Mark a submission as acknowledged by the sink."""
        ...

    def entries(
        self,
        *,
        report: str | None = None,
        period: str | None = None,
        municipality: str | None = None,
    ) -> list[LedgerEntry]:
        """Ledger entries, oldest first, optionally filtered."""
        ...


@attrs.frozen
class ReportPayload:
    """A serialised report ready for a sink: what, for which period, and the bytes."""

    report: str
    period: str
    municipality: str
    media_type: str
    body: bytes
    records: int

    @property
    def content_hash(self) -> str:
        """SHA-256 of the body, hex: the ledger's content hash."""
        return hashlib.sha256(self.body).hexdigest()


@attrs.frozen
class Receipt:
    """A sink's acknowledgement; ``duplicate`` when the key had been seen before."""

    idempotency_key: str
    accepted_at: dt.datetime
    reference: str | None = None
    duplicate: bool = False


@runtime_checkable
class ReportSink(Protocol):
    """Submits reports; submitting twice with the same key has the effect of once."""

    def submit(self, payload: ReportPayload, *, idempotency_key: str) -> Receipt:
        """Submit ``payload``; the same key must never be applied twice."""
        ...


#: How far the reference date of a read may lie from the day the read happens before its
#: audit event is flagged ``backdated`` (see :class:`AuditEvent`). Social assistance is
#: decided month by month, so a read for the month being decided, or for last month's
#: decision made late, stays within a month of its own day; a read for a date further
#: away (typically: back to when an expired consent was still valid) is flagged for review.
BACKDATING_TOLERANCE: Final = dt.timedelta(days=31)

#: The audit actions of writes through the audited ports. An audit sink that records
#: events inside a transaction and records them again after it rolls back records such
#: an event with outcome ``"rolled-back"``: the write was attempted and did not land.
WRITE_ACTIONS: Final = frozenset({"save", "delete", "save-decisions"})


def after_rollback(event: AuditEvent) -> AuditEvent:
    """``event`` as recorded again after its transaction rolled back: a write that was
    allowed gets outcome ``"rolled-back"``; a read stays as it was (it happened)."""
    if event.action in WRITE_ACTIONS and event.outcome == "ok":
        return attrs.evolve(event, outcome="rolled-back")
    return event


def is_backdated(
    at: dt.datetime, on: dt.date | None, *, tolerance: dt.timedelta = BACKDATING_TOLERANCE
) -> bool:
    """True when ``on`` lies more than ``tolerance`` before or after the Swedish date of
    ``at`` (an aware instant); False when there is no reference date."""
    if on is None:
        return False
    return abs(on - swedish_date(at)) > tolerance


def _masked_reasons(
    withheld: tuple[tuple[InformationSet, str], ...],
) -> tuple[tuple[InformationSet, str], ...]:
    return tuple((which, masked_field(reason)) for which, reason in withheld)


@attrs.frozen
class AuditEvent:
    """One access event: when, who, role, purpose, which person (pseudonym), what, and
    for which date.

    ``person_key`` is a keyed hash (:class:`ssbx_model.pseudonym.Pseudonymizer`), never
    the identity number. ``withheld`` pairs each withheld set with the reason. The
    caller's and the providers' text in an event (``user``, the withheld reasons) is
    stored with identity-number-shaped sequences masked.

    ``on`` is the reference date the read was decided for: consent and the access policy
    were checked on that date. It is None only for events not bound to a date (and for
    events recorded before the field existed). ``backdated`` is True when ``on`` lies more
    than a tolerance (:data:`BACKDATING_TOLERANCE` unless the caller chose another) before
    or after the event's own date (``at`` in Swedish time): a read dated away from the day
    it happened, typically back to when a consent that has since ended was still valid,
    is visible in the trail instead of silent. It is computed by
    :func:`is_backdated` when the library makes the event.

    Raises:
        ValidationError: when ``on`` is not a date, or ``backdated`` is set without ``on``.
    """

    event_id: str
    at: dt.datetime
    action: str
    user: str = attrs.field(converter=masked_field)
    role: Role
    purpose: Purpose
    person_key: str
    released: tuple[InformationSet, ...] = ()
    withheld: tuple[tuple[InformationSet, str], ...] = attrs.field(
        default=(), converter=_masked_reasons
    )
    port: str | None = None
    outcome: str = "ok"
    on: dt.date | None = None
    backdated: bool = False

    def __attrs_post_init__(self) -> None:
        if self.on is not None and (
            not isinstance(self.on, dt.date) or isinstance(self.on, dt.datetime)
        ):
            raise ValidationError(Problem("on", "the reference date must be a date (no time)"))
        if self.backdated and self.on is None:
            raise ValidationError(
                Problem("backdated", "only an event with a reference date (on) can be backdated")
            )


@runtime_checkable
class AuditSink(Protocol):
    """Records access events. Recording must not fail silently: it raises on failure."""

    def record(self, event: AuditEvent) -> None:
        """Record one event."""
        ...


@runtime_checkable
class AuditLog(AuditSink, Protocol):
    """An audit sink that can also be read back (for tests, reviews and the demo)."""

    def events(self, *, person_key: str | None = None) -> list[AuditEvent]:
        """Recorded events, oldest first, optionally for one person."""
        ...
