"""Audited ports: wrappers that filter every read by the access policy and audit it.

Wrap an adapter once and hand the wrapper to the rest of the system (like an httpx
transport wrapped for retries)::

    source = AuditedSource(HttpSource(...), audit=audit_log, pseudonymizer=keys)
    case = source.fetch(request)      # filtered for request.requester.role and purpose

Every read through a wrapper (a source ``fetch``; a store ``load_case``,
``list_cases`` or ``load_decisions``) records **exactly one**
:class:`~ssbx_model.ports.AuditEvent`, whether it is allowed, denied, finds nothing or
fails: ``outcome`` is ``"ok"``, ``"denied"``, ``"not-found"`` or ``"error: <type>"``.

:class:`AuditedSource` asks the wrapped source only for the sets the policy permits
(plus consents when an AF set needs its consent checked); requested sets that are not
permitted come back withheld with the reason. When none of the requested sets is
permitted the read is denied.

:class:`AuditedStore` is bound to one requester and purpose (a store's methods do not
carry them). It filters loaded cases; writes go to the wrapped store, but a save that
would replace stored answers by the filter's marks (withheld or hidden by the policy) is
refused: it would overwrite what the reader was not allowed to see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

import attrs

from ssbx_model.access import (
    NO_VALID_CONSENT,
    FilteredCase,
    Policy,
    _apply,
    _event_withheld,
    _make_event,
    _Outcome,
    default_policy,
)
from ssbx_model.case import Case
from ssbx_model.clock import SWEDISH_TIME, Clock, swedish_date, utc_now
from ssbx_model.errors import AccessDenied, AdapterError, Problem, ValidationError
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.ports import (
    BACKDATING_TOLERANCE,
    AsyncInformationSource,
    AuditSink,
    CaseStore,
    FetchRequest,
    InformationSource,
    Requester,
    StoredCase,
)
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose

if TYPE_CHECKING:
    from ssbx_model.rules import Decision

__all__ = ["ALL_PEOPLE", "SWEDISH_TIME", "AuditedAsyncSource", "AuditedSource", "AuditedStore"]

PersonId = Personnummer | Samordningsnummer

#: The person key of events about many people at once (``list_cases``).
ALL_PEOPLE: Final = "*"

_NR: Answer[Any] = Answer.not_requested()

_FILTER_MARKS = ("not permitted for role ", NO_VALID_CONSENT, "fields hidden by the access policy")


def _tolerance(value: object) -> dt.timedelta:
    if not isinstance(value, dt.timedelta) or value < dt.timedelta(0):
        raise ValidationError(
            Problem("backdating_tolerance", "must be a timedelta of zero or more days")
        )
    return value


@attrs.frozen
class _Auditor:
    """What every wrapper needs to record events."""

    audit: AuditSink
    pseudonymizer: Pseudonymizer
    policy: Policy
    clock: Clock
    backdating_tolerance: dt.timedelta = attrs.field(
        default=BACKDATING_TOLERANCE, converter=_tolerance
    )

    def record(
        self,
        *,
        action: str,
        port: str,
        requester: Requester,
        purpose: Purpose,
        person_key: str,
        on: dt.date | None,
        outcome: str = "ok",
        result: _Outcome | None = None,
        withheld: tuple[tuple[InformationSet, str], ...] = (),
    ) -> None:
        """Record one event; ``on=None`` dates it by its own Swedish date (store reads
        without a fixed date check consent on "today")."""
        at = self.clock()
        self.audit.record(
            _make_event(
                action=action,
                requester=requester,
                purpose=purpose,
                person_key=person_key,
                clock=lambda: at,
                on=swedish_date(at) if on is None else on,
                released=() if result is None else result.released,
                withheld=withheld if result is None else _event_withheld(result),
                port=port,
                outcome=outcome,
                backdating_tolerance=self.backdating_tolerance,
            )
        )


def _error(exc: BaseException) -> str:
    return f"error: {type(exc).__name__}"


def _only(case: Case, keep: frozenset[InformationSet]) -> Case:
    changes: dict[str, Any] = {which.value: _NR for which in InformationSet if which not in keep}
    return attrs.evolve(case, **changes)


class _SourceFilter:
    """The fetch logic shared by the sync and async source wrappers."""

    def __init__(self, auditor: _Auditor) -> None:
        self.auditor = auditor

    def plan(self, request: FetchRequest) -> tuple[FetchRequest, str]:
        """The narrowed request to send and the person key; raises AccessDenied (audited)."""
        person_key = self.auditor.pseudonymizer.key_for(request.person)
        role, purpose = request.requester.role, request.purpose
        policy = self.auditor.policy
        if not policy.allows(role, purpose):
            self._deny(request, person_key, ())
            policy.grant_for(role, purpose)  # raises AccessDenied with the policy's words
        grant = policy.grant_for(role, purpose)
        permitted = frozenset(s for s in request.sets if grant.permits(s))
        if not permitted:
            reasons = tuple(
                (s, f"not permitted for role {role.value} and purpose {purpose.value}")
                for s in sorted(request.sets)
            )
            self._deny(request, person_key, reasons)
            raise AccessDenied(
                f"role {role.value!r} may see none of the requested information sets for "
                f"purpose {purpose.value!r}"
            )
        needs_consent = any(SETS[s].from_af and s is not InformationSet.CONSENTS for s in permitted)
        sets = permitted | {InformationSet.CONSENTS} if needs_consent else permitted
        return attrs.evolve(request, sets=frozenset(sets)), person_key

    def _deny(
        self,
        request: FetchRequest,
        person_key: str,
        withheld: tuple[tuple[InformationSet, str], ...],
    ) -> None:
        self.auditor.record(
            action="fetch",
            port="source",
            requester=request.requester,
            purpose=request.purpose,
            person_key=person_key,
            on=request.on,
            outcome="denied",
            withheld=withheld,
        )

    def failed(self, request: FetchRequest, person_key: str, exc: BaseException) -> None:
        self.auditor.record(
            action="fetch",
            port="source",
            requester=request.requester,
            purpose=request.purpose,
            person_key=person_key,
            on=request.on,
            outcome=_error(exc),
        )

    def finish(
        self, request: FetchRequest, sent: FetchRequest, person_key: str, fetched: Case
    ) -> FilteredCase:
        if fetched.person != request.person:
            exc = AdapterError(
                "the information source answered about another person than the one asked for"
            )
            self.failed(request, person_key, exc)
            raise exc
        role, purpose = request.requester.role, request.purpose
        result = _apply(
            _only(fetched, sent.sets),
            role,
            purpose,
            request.on,
            self.auditor.policy,
            asked=request.sets,
        )
        if InformationSet.CONSENTS not in request.sets:
            # Fetched only to check consent: not released to the caller.
            result = _Outcome(
                attrs.evolve(result.case, consents=_NR),
                tuple(s for s in result.released if s is not InformationSet.CONSENTS),
                tuple(w for w in result.withheld if w[0] is not InformationSet.CONSENTS),
                result.hidden,
            )
        self.auditor.record(
            action="fetch",
            port="source",
            requester=request.requester,
            purpose=purpose,
            person_key=person_key,
            on=request.on,
            result=result,
        )
        return FilteredCase(
            result.case,
            role,
            purpose,
            request.on,
            result.released,
            result.withheld,
            result.hidden,
        )


class AuditedSource:
    """An :class:`~ssbx_model.ports.InformationSource` that filters and audits every fetch.

    The role and purpose come from the request (``request.requester.role``,
    ``request.purpose``), the consent date from ``request.on``. ``policy`` defaults to
    :func:`~ssbx_model.access.default_policy`; ``clock`` stamps the events. Each event
    carries ``request.on`` and is flagged ``backdated`` when that date lies more than
    ``backdating_tolerance`` (default :data:`~ssbx_model.ports.BACKDATING_TOLERANCE`,
    31 days) from the event's own Swedish date.

    Raises:
        ValidationError: when ``backdating_tolerance`` is not a timedelta of zero or more.
    """

    def __init__(
        self,
        source: InformationSource,
        *,
        audit: AuditSink,
        pseudonymizer: Pseudonymizer,
        policy: Policy | None = None,
        clock: Clock = utc_now,
        backdating_tolerance: dt.timedelta = BACKDATING_TOLERANCE,
    ) -> None:
        self._source = source
        self._filter = _SourceFilter(
            _Auditor(audit, pseudonymizer, policy or default_policy(), clock, backdating_tolerance)
        )

    def fetch_filtered(self, request: FetchRequest) -> FilteredCase:
        """Fetch, filter and audit; the result also says what was withheld and why.

        Raises:
            AccessDenied: when the policy has no grant for the requester's role and the
                purpose, or permits none of the requested sets.
            AdapterError: when the source answers about another person.
        """
        sent, person_key = self._filter.plan(request)
        try:
            fetched = self._source.fetch(sent)
        except Exception as exc:
            self._filter.failed(request, person_key, exc)
            raise
        return self._filter.finish(request, sent, person_key, fetched)

    def fetch(self, request: FetchRequest) -> Case:
        """Fetch the requested sets, filtered for the requester's role and purpose."""
        return self.fetch_filtered(request).case

    def __repr__(self) -> str:
        return f"AuditedSource({self._source!r})"


class AuditedAsyncSource:
    """The asynchronous twin of :class:`AuditedSource` around an async source."""

    def __init__(
        self,
        source: AsyncInformationSource,
        *,
        audit: AuditSink,
        pseudonymizer: Pseudonymizer,
        policy: Policy | None = None,
        clock: Clock = utc_now,
        backdating_tolerance: dt.timedelta = BACKDATING_TOLERANCE,
    ) -> None:
        self._source = source
        self._filter = _SourceFilter(
            _Auditor(audit, pseudonymizer, policy or default_policy(), clock, backdating_tolerance)
        )

    async def fetch_filtered(self, request: FetchRequest) -> FilteredCase:
        """Fetch, filter and audit (see :meth:`AuditedSource.fetch_filtered`)."""
        sent, person_key = self._filter.plan(request)
        try:
            fetched = await self._source.fetch(sent)
        except Exception as exc:
            self._filter.failed(request, person_key, exc)
            raise
        return self._filter.finish(request, sent, person_key, fetched)

    async def fetch(self, request: FetchRequest) -> Case:
        """Fetch the requested sets, filtered for the requester's role and purpose."""
        return (await self.fetch_filtered(request)).case

    def __repr__(self) -> str:
        return f"AuditedAsyncSource({self._source!r})"


class AuditedStore:
    """A :class:`~ssbx_model.ports.CaseStore` that filters and audits every read.

    Bound to one ``requester`` and ``purpose``. Consent is checked on ``on``, or, when
    ``on`` is None, on the date of ``clock()`` in Swedish time; every event carries that
    date, flagged ``backdated`` as in :class:`AuditedSource`. Reads: ``load_case``
    (action ``"load"``), ``list_cases`` (``"list"``, person key ``"*"``) and
    ``load_decisions`` (``"load-decisions"``; decisions are not filtered field by
    field, only the role's access for the purpose is checked). Writes go to the wrapped
    store unaudited; a save that would overwrite stored answers with the filter's
    withheld or hidden marks is refused with :class:`~ssbx_model.errors.AccessDenied`.
    """

    def __init__(
        self,
        store: CaseStore,
        *,
        audit: AuditSink,
        pseudonymizer: Pseudonymizer,
        requester: Requester,
        purpose: Purpose,
        policy: Policy | None = None,
        clock: Clock = utc_now,
        on: dt.date | None = None,
        backdating_tolerance: dt.timedelta = BACKDATING_TOLERANCE,
    ) -> None:
        self._store = store
        self._auditor = _Auditor(
            audit, pseudonymizer, policy or default_policy(), clock, backdating_tolerance
        )
        self._requester = requester
        self._purpose = Purpose(purpose)
        self._on = on

    def _date(self) -> dt.date:
        if self._on is not None:
            return self._on
        return swedish_date(self._auditor.clock())

    def _record(
        self, action: str, person_key: str, *, on: dt.date | None = None, **kwargs: Any
    ) -> None:
        # Without a fixed date, the event is dated by its own Swedish day (as _date()).
        self._auditor.record(
            action=action,
            port="store",
            requester=self._requester,
            purpose=self._purpose,
            person_key=person_key,
            on=self._on if on is None else on,
            **kwargs,
        )

    def _check(self, action: str, person_key: str) -> None:
        policy = self._auditor.policy
        if not policy.allows(self._requester.role, self._purpose):
            self._record(action, person_key, outcome="denied")
            policy.grant_for(self._requester.role, self._purpose)  # raises AccessDenied

    # -- reads ---------------------------------------------------------------------------

    def load_filtered(self, person: PersonId) -> tuple[FilteredCase, int] | None:
        """Load, filter and audit one case; None (audited ``"not-found"``) when not stored.

        Raises:
            AccessDenied: when the policy has no grant for the requester's role and purpose.
        """
        person_key = self._auditor.pseudonymizer.key_for(person)
        self._check("load", person_key)
        try:
            stored = self._store.load_case(person)
        except Exception as exc:
            self._record("load", person_key, outcome=_error(exc))
            raise
        if stored is None:
            self._record("load", person_key, outcome="not-found")
            return None
        on = self._date()
        result = _apply(stored.case, self._requester.role, self._purpose, on, self._auditor.policy)
        self._record("load", person_key, result=result, on=on)
        filtered = FilteredCase(
            result.case,
            self._requester.role,
            self._purpose,
            on,
            result.released,
            result.withheld,
            result.hidden,
        )
        return filtered, stored.version

    def load_case(self, person: PersonId) -> StoredCase | None:
        """The stored case of ``person``, filtered, with its version; or None."""
        loaded = self.load_filtered(person)
        if loaded is None:
            return None
        filtered, version = loaded
        return StoredCase(filtered.case, version)

    def list_cases(self, *, municipality: str | None = None) -> Iterator[PersonId]:
        """The people with a stored case (one audit event, person key ``"*"``)."""
        self._check("list", ALL_PEOPLE)
        try:
            people = list(self._store.list_cases(municipality=municipality))
        except Exception as exc:
            self._record("list", ALL_PEOPLE, outcome=_error(exc))
            raise
        self._record("list", ALL_PEOPLE)
        return iter(people)

    def load_decisions(self, person: PersonId, *, rule_id: str | None = None) -> list[Decision]:
        """Decisions about ``person`` (one audit event)."""
        person_key = self._auditor.pseudonymizer.key_for(person)
        self._check("load-decisions", person_key)
        try:
            decisions = self._store.load_decisions(person, rule_id=rule_id)
        except Exception as exc:
            self._record("load-decisions", person_key, outcome=_error(exc))
            raise
        self._record("load-decisions", person_key)
        return decisions

    # -- writes --------------------------------------------------------------------------

    def save_case(self, case: Case, *, expected_version: int | None = None) -> int:
        """Save through the wrapped store; refuse to overwrite with a filtered case.

        Raises:
            AccessDenied: when an answer carries the filter's marks (withheld by the
                policy, no valid consent, fields hidden) and differs from the stored
                answer: the save would destroy what the reader may not see. Save the
                unfiltered case through the wrapped store instead. A case stored for
                the first time may carry such marks (e.g. a filtered fetch).
        """
        marked = [
            which
            for which, answer in case.answers()
            if answer.reason is not None
            and answer.status in (AnswerStatus.WITHHELD, AnswerStatus.KNOWN)
            and answer.reason.startswith(_FILTER_MARKS)
        ]
        if marked:
            # Internal check, not released to the caller: does the save overwrite
            # something the filter kept from the reader?
            current = self._store.load_case(case.person)
            lost = [
                which.value
                for which in marked
                if current is not None and current.case.answer(which) != case.answer(which)
            ]
            if lost:
                raise AccessDenied(
                    "this case was filtered by the access policy (sets "
                    f"{', '.join(lost)}): saving it would overwrite what the reader may not "
                    "see; save the unfiltered case through the wrapped store"
                )
        return self._store.save_case(case, expected_version=expected_version)

    def delete_case(self, person: PersonId) -> bool:
        """Delete through the wrapped store."""
        return self._store.delete_case(person)

    def save_decisions(self, person: PersonId, decisions: Sequence[Decision]) -> None:
        """Save decisions through the wrapped store."""
        self._store.save_decisions(person, decisions)

    @contextmanager
    def transaction(self) -> Iterator[AuditedStore]:
        """A transaction of the wrapped store, audited and filtered like this store."""
        with self._store.transaction() as tx:
            yield AuditedStore(
                tx,
                audit=self._auditor.audit,
                pseudonymizer=self._auditor.pseudonymizer,
                requester=self._requester,
                purpose=self._purpose,
                policy=self._auditor.policy,
                clock=self._auditor.clock,
                on=self._on,
                backdating_tolerance=self._auditor.backdating_tolerance,
            )

    def __repr__(self) -> str:
        return (
            f"AuditedStore({self._store!r}, role={self._requester.role.value!r}, "
            f"purpose={self._purpose.value!r})"
        )
