"""The audit trail's hash chain: each event row carries a keyed digest of its content and
of the digest before it, so an altered, removed or inserted row is found by verifying.

``digest(n) = HMAC-SHA256(k_chain, digest(n-1) || canonical(event n))``, hex, starting from
:data:`GENESIS`. ``k_chain`` is derived from the store secret (HKDF info
``ssbx-sql/v1/audit-chain``): whoever can write to the database but does not hold the
secret cannot compute the digests of forged rows. ``canonical`` is the event as compact
JSON with sorted keys, UTF-8, tagged with a format version (``"v": 1``).

The newest digest and the number of chained events are kept in the row
``audit_chain_head`` of ``ssbx_sql_meta`` (updated with every append, in the same
transaction): removing the newest events shows as a head that no longer matches.
Removing them *and* setting the head back to an earlier state is undetectable from inside
the database: keep the head that ``ssbx-sql audit verify`` prints somewhere else (a log,
a ticket) to detect that too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs

from ssbx_model.errors import AdapterError
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import AuditEvent
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "CHAIN_HEAD",
    "GENESIS",
    "AuditChainReport",
    "ChainBreak",
    "ChainHead",
    "canonical",
    "link",
    "verify_rows",
]

#: The name of the ``ssbx_sql_meta`` row holding the chain head.
CHAIN_HEAD: Final = "audit_chain_head"

#: The "previous digest" of the first chained event.
GENESIS: Final = "0" * 64

#: The version of the canonical form. A new form needs a new number, and the verifier a
#: way to tell which rows use which.
_FORMAT = 1


def canonical(event: AuditEvent) -> bytes:
    """The bytes of ``event`` that its chain digest covers (compact JSON, sorted keys)."""
    document = {
        "v": _FORMAT,
        "event_id": event.event_id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "action": event.action,
        "user": event.user,
        "role": Role(event.role).value,
        "purpose": Purpose(event.purpose).value,
        "person_key": event.person_key,
        "released": [InformationSet(s).value for s in event.released],
        "withheld": [[InformationSet(s).value, reason] for s, reason in event.withheld],
        "port": event.port,
        "outcome": event.outcome,
        "on": None if event.on is None else event.on.isoformat(),
        "backdated": event.backdated,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def link(key: bytes, previous: str, event: AuditEvent) -> str:
    """The chain digest of ``event`` following the digest ``previous`` (hex)."""
    return hmac.new(key, bytes.fromhex(previous) + canonical(event), hashlib.sha256).hexdigest()


@attrs.frozen
class ChainHead:
    """The newest digest of the chain and the number of events chained up to it."""

    count: int
    digest: str

    @classmethod
    def parse(cls, text: str | None) -> ChainHead:
        """Read the head as stored; AdapterError when it is missing or malformed."""
        if text is None:
            raise AdapterError(
                f"the audit chain head ({CHAIN_HEAD} in ssbx_sql_meta) is missing: "
                "the table was altered; run ssbx-sql audit verify"
            )
        count, _, digest = text.partition(":")
        if not count.isdigit() or len(digest) != 64 or not _is_hex(digest):
            raise AdapterError(
                f"the audit chain head ({CHAIN_HEAD} in ssbx_sql_meta) is malformed: "
                "the table was altered; run ssbx-sql audit verify"
            )
        return cls(int(count), digest)

    def __str__(self) -> str:
        return f"{self.count}:{self.digest}"


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


@attrs.frozen
class ChainBreak:
    """Where verification of the audit chain first failed.

    ``row`` is the ``id`` of the first row that does not verify and ``event_id`` its event
    id; both are None when every row verifies but the head does not match them (the
    newest events were removed, or the head was altered).
    """

    row: int | None
    event_id: str | None
    reason: str

    def __str__(self) -> str:
        if self.row is None:
            return self.reason
        return f"row {self.row} (event {self.event_id!r}): {self.reason}"


@attrs.frozen
class AuditChainReport:
    """What verifying the audit chain found (:meth:`ssbx_sql.SqlStore.verify_audit_chain`).

    ``events`` counts every row of the audit table; ``unchained`` the rows recorded before
    the chain existed (schema revision 0001), which nothing can vouch for; ``chained`` the
    rows verified before the first break. ``head`` is ``"<count>:<digest>"`` of the
    verified chain: record it outside the database to detect later that the newest events
    were removed together with the head. ``broken`` is None when the chain is intact.
    """

    events: int
    chained: int
    unchained: int
    head: str
    broken: ChainBreak | None = None

    @property
    def intact(self) -> bool:
        """True when every chained row and the head verified."""
        return self.broken is None

    def summary(self) -> str:
        """One line for people: intact or where it broke."""
        before = (
            f", {self.unchained} recorded before the chain existed (not covered)"
            if self.unchained
            else ""
        )
        if self.broken is None:
            return (
                f"audit trail intact: {self.events} events, {self.chained} chained{before}; "
                f"head {self.head}"
            )
        return f"audit trail BROKEN at {self.broken} ({self.chained} events verified before it)"


def verify_rows(
    rows: Iterable[Any],
    head_text: str | None,
    key: bytes,
    read_event: Callable[[Any], AuditEvent],
) -> AuditChainReport:
    """Verify audit rows (in ``id`` order, with ``id``, ``event_id`` and ``chain_digest``)
    against the stored head text; ``read_event`` turns a row into its event."""
    events = chained = unchained = 0
    previous = GENESIS
    broken: ChainBreak | None = None
    for row in rows:
        events += 1
        if broken is not None:
            continue
        stored = row.chain_digest
        if stored is None:
            if chained:
                broken = ChainBreak(
                    row.id, row.event_id, "the row has no chain digest, but rows before it do"
                )
            else:
                unchained += 1
            continue
        try:
            event = read_event(row)
        except AdapterError as exc:
            broken = ChainBreak(row.id, row.event_id, f"the row cannot be read: {exc}")
            continue
        expected = link(key, previous, event)
        if not hmac.compare_digest(expected, str(stored)):
            broken = ChainBreak(
                row.id,
                row.event_id,
                "its digest does not follow from its content and the row before it: "
                "the row was altered, or rows before it were removed or inserted",
            )
            continue
        previous = expected
        chained += 1
    verified = ChainHead(chained, previous)
    if broken is None:
        broken = _check_head(head_text, verified)
    return AuditChainReport(events, chained, unchained, str(verified), broken)


def _check_head(head_text: str | None, verified: ChainHead) -> ChainBreak | None:
    try:
        head = ChainHead.parse(head_text)
    except AdapterError as exc:
        return ChainBreak(None, None, str(exc))
    if head == verified:
        return None
    if head.count > verified.count:
        return ChainBreak(
            None,
            None,
            f"the head records {head.count} chained events but the table holds "
            f"{verified.count}: the newest events were removed",
        )
    return ChainBreak(
        None,
        None,
        f"the head ({head}) does not match the chain the rows form ({verified}): "
        "the head or the newest events were altered",
    )
