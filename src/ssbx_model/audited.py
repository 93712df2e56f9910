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
carry them). It filters loaded cases, and **writes go through the policy too**: a save
needs the policy's write grant for the role and purpose (``[write.<role>.<purpose>]``),
may change only the sets that grant names (and the municipality's interventions only
when it says so), and may never change an answer the writer could not see (a set
withheld from it, or one with fields withheld); a delete needs the grant's ``delete``.
Every save, delete and decision save records exactly one audit event (actions
``"save"``, ``"delete"``, ``"save-decisions"``; for a save, ``released`` lists the sets it
changed), allowed or denied.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

import attrs

from ssbx_model.access import (
    NO_VALID_CONSENT,
    FilteredCase,
    Policy,
    WriteGrant,
    _apply,
    _event_withheld,
    _make_event,
    _Outcome,
    default_policy,
)
from ssbx_model.case import Case
from ssbx_model.clock import SWEDISH_TIME, Clock, swedish_date, utc_now
from ssbx_model.errors import AccessDenied, AdapterError, Problem, SsbxError, ValidationError
from ssbx_model.identity import PersonId
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


#: The person key of events about many people at once (``list_cases``).
ALL_PEOPLE: Final = "*"

_NR: Answer[Any] = Answer.not_requested()

_FILTER_MARKS = (
    "not permitted for role ",
    NO_VALID_CONSENT,
    "fields hidden by the access policy",
    "fields withheld by the access policy",
)


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
        released: tuple[InformationSet, ...] = (),
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
                released=released if result is None else result.released,
                withheld=withheld if result is None else _event_withheld(result),
                port=port,
                outcome=outcome,
                backdating_tolerance=self.backdating_tolerance,
            )
        )


def _error(exc: BaseException) -> str:
    return f"error: {type(exc).__name__}"


def _changed_sets(before: Case | None, after: Case) -> Iterator[InformationSet]:
    """The sets whose answer a save of ``after`` over ``before`` changes."""
    for which, answer in after.answers():
        old = before.answer(which) if before is not None else _NR
        if answer == old:
            continue
        if old.status is AnswerStatus.NOT_REQUESTED and _is_filter_mark(answer):
            continue  # a reader's "withheld" over nothing stored overwrites nothing
        yield which


def _is_filter_mark(answer: Answer[Any]) -> bool:
    return (
        answer.status is AnswerStatus.WITHHELD
        and answer.reason is not None
        and answer.reason.startswith(_FILTER_MARKS)
    )


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
                result.excluded,
                result.partial,
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
            excluded=result.excluded,
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

    def fetch_many(
        self, requests: Iterable[FetchRequest], *, max_concurrency: int | None = None
    ) -> list[Case | SsbxError]:
        """Fetch many people, each filtered and audited as :meth:`fetch` does, in order.

        The permitted requests go to the wrapped source's own ``fetch_many`` when it has
        one (e.g. the HTTP source's concurrent batches), else one by one. Each entry is
        the person's filtered Case or the error :meth:`fetch` would have raised for that
        person (:class:`~ssbx_model.errors.AccessDenied` when the policy permits nothing
        asked, or the source's :class:`~ssbx_model.errors.AdapterError`); one failure
        never fails the batch, and every person gets exactly one audit event.
        """
        items = list(requests)
        results: list[Case | SsbxError | None] = [None] * len(items)
        planned: list[tuple[int, FetchRequest, str]] = []
        for i, request in enumerate(items):
            try:
                sent, person_key = self._filter.plan(request)
            except AccessDenied as exc:
                results[i] = exc
                continue
            planned.append((i, sent, person_key))
        fetched = self._fetch_all([sent for _, sent, _ in planned], max_concurrency)
        for (i, sent, person_key), answer in zip(planned, fetched, strict=True):
            request = items[i]
            if isinstance(answer, BaseException):
                self._filter.failed(request, person_key, answer)
                if not isinstance(answer, SsbxError):
                    raise answer
                results[i] = answer
                continue
            try:
                results[i] = self._filter.finish(request, sent, person_key, answer).case
            except AdapterError as exc:
                results[i] = exc
        return [r for r in results if r is not None]

    def _fetch_all(
        self, sent: list[FetchRequest], max_concurrency: int | None
    ) -> list[Case | BaseException]:
        batch = getattr(self._source, "fetch_many", None)
        if callable(batch):
            answers: list[Case | BaseException] = list(batch(sent, max_concurrency=max_concurrency))
            if len(answers) != len(sent):
                raise AdapterError(
                    f"the source's fetch_many answered {len(answers)} of {len(sent)} requests"
                )
            return answers
        out: list[Case | BaseException] = []
        for request in sent:
            try:
                out.append(self._source.fetch(request))
            except SsbxError as exc:
                out.append(exc)
        return out

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

    async def fetch_many(
        self, requests: Iterable[FetchRequest], *, max_concurrency: int | None = None
    ) -> list[Case | SsbxError]:
        """Fetch many people concurrently (at most ``max_concurrency`` at a time, default
        8), each filtered and audited as :meth:`fetch` does; results in order, each the
        filtered Case or the :class:`~ssbx_model.errors.SsbxError` ``fetch`` would have
        raised for that person (see :meth:`AuditedSource.fetch_many`)."""
        items = list(requests)
        limit = asyncio.Semaphore(max(1, max_concurrency or 8))

        async def one(request: FetchRequest) -> Case | SsbxError:
            async with limit:
                try:
                    return await self.fetch(request)
                except SsbxError as exc:
                    return exc

        return list(await asyncio.gather(*(one(r) for r in items)))

    def __repr__(self) -> str:
        return f"AuditedAsyncSource({self._source!r})"


class AuditedStore:
    """A :class:`~ssbx_model.ports.CaseStore` that filters and audits every read.

    Bound to one ``requester`` and ``purpose``. Consent is checked on ``on``, or, when
    ``on`` is None, on the date of ``clock()`` in Swedish time; every event carries that
    date, flagged ``backdated`` as in :class:`AuditedSource`. Reads: ``load_case``
    (action ``"load"``), ``list_cases`` (``"list"``, person key ``"*"``) and
    ``load_decisions`` (``"load-decisions"``; decisions are not filtered field by
    field, only the role's access for the purpose is checked). Writes (``save_case``,
    ``delete_case``, ``save_decisions``) are checked against the policy's write grant and
    audited the same way (see the module documentation).
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
            excluded=result.excluded,
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

    def _write_grant(self, action: str, person_key: str) -> WriteGrant:
        """The write grant of the requester's role and purpose; a denial is audited."""
        policy = self._auditor.policy
        try:
            return policy.write_grant_for(self._requester.role, self._purpose)
        except AccessDenied:
            self._record(action, person_key, outcome="denied")
            raise

    def _unseen(self, stored: Case, on: dt.date) -> tuple[frozenset[InformationSet], bool]:
        """What of ``stored`` the writer may not see on ``on``: the sets withheld from it in
        whole or in part, and whether its view leaves interventions out."""
        seen = _apply(
            stored,
            self._requester.role,
            self._purpose,
            on,
            self._auditor.policy,
            asked=frozenset(InformationSet),
        )
        withheld = {which for which, _ in seen.withheld}
        sets = frozenset(withheld | {hidden.set for hidden in seen.hidden} | seen.partial)
        return sets, seen.case.interventions != stored.interventions

    def save_case(self, case: Case, *, expected_version: int | None = None) -> int:
        """Save through the wrapped store if the policy lets the writer make these changes.

        A set counts as changed when its answer differs from the stored one (every set a
        new case answers, when nothing is stored; a filter's *withheld* mark over nothing
        stored changes nothing). One audit event (``"save"``, ``released`` = the changed
        sets) is recorded, or ``"denied"``.

        Raises:
            AccessDenied: when the policy gives the role no write grant for the purpose;
                when a changed set is not in the grant (or the interventions change
                without ``interventions = true``); or when a changed set was withheld from
                the writer, in whole or in a field: the save would overwrite what the
                writer may not see. Nothing is written then.
        """
        person_key = self._auditor.pseudonymizer.key_for(case.person)
        grant = self._write_grant("save", person_key)
        on = self._date()
        # Internal read, not released to the caller: what would the save change?
        current = self._store.load_case(case.person)
        before = current.case if current is not None else None
        changed = tuple(_changed_sets(before, case))
        unseen, cut = self._unseen(before, on) if before is not None else (frozenset(), False)
        refused = sorted(w.value for w in changed if w in unseen)
        not_granted = sorted(w.value for w in changed if w not in grant.sets)
        interventions = (before.interventions if before is not None else ()) != case.interventions
        if interventions and cut:
            refused.append("interventions")
        problems: list[str] = []
        if refused:
            problems.append(
                f"sets {', '.join(refused)} were withheld from this reader (filtered by the "
                "access policy): saving would overwrite what the reader may not see"
            )
        if not_granted:
            problems.append(f"the write grant does not cover sets {', '.join(not_granted)}")
        if interventions and not grant.interventions:
            problems.append("the write grant does not cover the municipality's interventions")
        if problems:
            self._record(
                "save",
                person_key,
                on=on,
                outcome="denied",
                withheld=tuple((w, "not writable by this role and purpose") for w in changed),
            )
            raise AccessDenied(
                f"role {self._requester.role.value!r} may not save this case for purpose "
                f"{self._purpose.value!r}: {'; '.join(problems)}"
            )
        try:
            version = self._store.save_case(case, expected_version=expected_version)
        except Exception as exc:
            self._record("save", person_key, on=on, outcome=_error(exc))
            raise
        self._record("save", person_key, on=on, released=changed)
        return version

    def delete_case(self, person: PersonId) -> bool:
        """Delete through the wrapped store if the write grant allows deleting (audited).

        Raises:
            AccessDenied: when the policy gives no write grant, or one without ``delete``.
        """
        person_key = self._auditor.pseudonymizer.key_for(person)
        grant = self._write_grant("delete", person_key)
        if not grant.delete:
            self._record("delete", person_key, outcome="denied")
            raise AccessDenied(
                f"role {self._requester.role.value!r} may not delete cases for purpose "
                f"{self._purpose.value!r} (access policy {self._auditor.policy.id!r})"
            )
        try:
            deleted = self._store.delete_case(person)
        except Exception as exc:
            self._record("delete", person_key, outcome=_error(exc))
            raise
        self._record("delete", person_key, outcome="ok" if deleted else "not-found")
        return deleted

    def save_decisions(self, person: PersonId, decisions: Sequence[Decision]) -> None:
        """Save decisions through the wrapped store if the role may write for the purpose
        (audited as ``"save-decisions"``).

        Raises:
            AccessDenied: when the policy gives the role no write grant for the purpose.
        """
        person_key = self._auditor.pseudonymizer.key_for(person)
        self._write_grant("save-decisions", person_key)
        try:
            self._store.save_decisions(person, decisions)
        except Exception as exc:
            self._record("save-decisions", person_key, outcome=_error(exc))
            raise
        self._record("save-decisions", person_key)

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
