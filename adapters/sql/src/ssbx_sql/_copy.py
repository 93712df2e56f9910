"""Copying one store into another: the way to change the store key, or to move from SQLite
to PostgreSQL."""

from __future__ import annotations

import attrs

from ssbx_model.errors import AdapterError
from ssbx_sql._store import SqlStore

__all__ = ["CopyReport", "copy_store"]


@attrs.frozen
class CopyReport:
    """What :func:`copy_store` copied."""

    cases: int
    decisions: int
    ledger_entries: int
    audit_events: int


def copy_store(source: SqlStore, target: SqlStore) -> CopyReport:
    """Copy every case with its decisions, the submission ledger and the audit trail from
    ``source`` into ``target``, in one transaction of the target.

    Open ``source`` with its key and ``target`` (a new, empty database) with the new key:
    this is how a store key is changed (see "Key handling" in the adapter's docs), and how
    a SQLite demo database moves to PostgreSQL. Versions start again at 1 in the target.
    Decisions about people without a stored case are not copied: without the case the
    store cannot tell whose they are (their row holds only the person key of the old key).

    The source's audit chain is verified first: the target chains the events anew under
    its own key, so copying a tampered trail would make it look intact.

    Raises:
        ConcurrentUpdateError: if the target already holds a case of one of the people.
        AdapterError: if the source's audit chain is broken, or either database fails;
            the target is then left unchanged.
    """
    chain = source.verify_audit_chain()
    if not chain.intact:
        raise AdapterError(
            f"the source's audit trail does not verify, so it is not copied: {chain.broken}"
        )
    cases = decisions = 0
    with target.transaction() as work:
        for person in source.list_cases():
            stored = source.load_case(person)
            if stored is None:  # deleted while copying
                continue
            work.save_case(stored.case)
            cases += 1
            items = source.load_decisions(person)
            work.save_decisions(person, items)
            decisions += len(items)
        entries = source.entries()
        for entry in entries:
            work.begin(entry)  # recorded as given: state, receipt and times included
        events = source.events()
        for event in events:
            work.record(event)
    return CopyReport(cases, decisions, len(entries), len(events))
