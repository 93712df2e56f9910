"""Every audit event names the date its read was decided for, and flags backdated reads."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from ssbx_model.access import filter_case
from ssbx_model.audited import AuditedSource, AuditedStore
from ssbx_model.errors import AccessDenied, ValidationError
from ssbx_model.information import InformationSet
from ssbx_model.memory import MemoryAuditLog, MemoryCaseStore, MemoryInformationSource
from ssbx_model.ports import BACKDATING_TOLERANCE, AuditEvent, FetchRequest, Requester, is_backdated
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing.conformance import sample_cases

AT = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2024, 3, 4)
KEYS = Pseudonymizer(b"test-key-0123456789abcdef")
SOCIAL = Requester(user="ss-1", role=Role.SOCIAL_WORKER, organisation="1287")
STATISTICIAN = Requester(user="st-1", role=Role.STATISTICS, organisation="1287")
CASE = sample_cases()[0]


def fetch_on(on: dt.date, log: MemoryAuditLog, **options: object) -> AuditEvent:
    source = AuditedSource(
        MemoryInformationSource([CASE]),
        audit=log,
        pseudonymizer=KEYS,
        clock=lambda: AT,
        **options,  # type: ignore[arg-type]
    )
    source.fetch(
        FetchRequest(
            person=CASE.person,
            sets=frozenset({InformationSet.ENROLMENT}),
            purpose=Purpose.SOCIAL_ASSISTANCE,
            on=on,
            requester=SOCIAL,
        )
    )
    return log.events()[-1]


def test_a_fetch_event_names_the_date_consent_was_checked_on() -> None:
    event = fetch_on(dt.date(2024, 2, 20), MemoryAuditLog())
    assert (event.on, event.backdated) == (dt.date(2024, 2, 20), False)


@pytest.mark.parametrize(
    ("days", "backdated"),
    [(0, False), (-31, False), (31, False), (-32, True), (32, True), (-400, True)],
)
def test_a_read_for_a_date_more_than_a_month_from_its_own_day_is_flagged(
    days: int, backdated: bool
) -> None:
    assert dt.timedelta(days=31) == BACKDATING_TOLERANCE
    event = fetch_on(TODAY + dt.timedelta(days=days), MemoryAuditLog())
    assert event.on == TODAY + dt.timedelta(days=days)
    assert event.backdated is backdated


def test_the_tolerance_is_a_setting_of_the_wrapper() -> None:
    strict = fetch_on(
        TODAY - dt.timedelta(days=1), MemoryAuditLog(), backdating_tolerance=dt.timedelta(0)
    )
    assert strict.backdated is True
    lenient = fetch_on(
        TODAY - dt.timedelta(days=90),
        MemoryAuditLog(),
        backdating_tolerance=dt.timedelta(days=120),
    )
    assert lenient.backdated is False


@pytest.mark.parametrize("tolerance", [dt.timedelta(days=-1), 31])
def test_a_bad_tolerance_is_refused_naming_the_setting(tolerance: object) -> None:
    with pytest.raises(ValidationError) as caught:
        AuditedSource(
            MemoryInformationSource([CASE]),
            audit=MemoryAuditLog(),
            pseudonymizer=KEYS,
            backdating_tolerance=tolerance,  # type: ignore[arg-type]
        )
    assert caught.value.paths == ["backdating_tolerance"]


def test_a_denied_fetch_names_its_date_and_is_flagged_too() -> None:
    log = MemoryAuditLog()
    source = AuditedSource(
        MemoryInformationSource([CASE]), audit=log, pseudonymizer=KEYS, clock=lambda: AT
    )
    long_ago = dt.date(2023, 6, 1)
    with pytest.raises(AccessDenied):
        source.fetch(
            FetchRequest(
                person=CASE.person,
                sets=frozenset({InformationSet.ENROLMENT}),
                purpose=Purpose.SOCIAL_ASSISTANCE,
                on=long_ago,
                requester=STATISTICIAN,
            )
        )
    (event,) = log.events()
    assert (event.outcome, event.on, event.backdated) == ("denied", long_ago, True)


def test_filtering_records_its_date() -> None:
    log = MemoryAuditLog()
    long_ago = dt.date(2023, 6, 1)
    filter_case(
        CASE,
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=long_ago,
        audit=log,
        requester=SOCIAL,
        pseudonymizer=KEYS,
        clock=lambda: AT,
    )
    (event,) = log.events()
    assert (event.action, event.on, event.backdated) == ("filter", long_ago, True)


def store_reading_on(
    on: dt.date | None, clock_at: dt.datetime, log: MemoryAuditLog
) -> AuditedStore:
    inner = MemoryCaseStore()
    inner.save_case(CASE)
    return AuditedStore(
        inner,
        audit=log,
        pseudonymizer=KEYS,
        requester=SOCIAL,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        clock=lambda: clock_at,
        on=on,
    )


def test_store_reads_without_a_date_name_their_own_swedish_day() -> None:
    # 23:30 UTC on 14 July is 15 July in Stockholm.
    late = dt.datetime(2024, 7, 14, 23, 30, tzinfo=dt.UTC)
    log = MemoryAuditLog()
    store = store_reading_on(None, late, log)
    store.load_case(CASE.person)
    store.load_case(sample_cases()[1].person)
    list(store.list_cases())
    store.load_decisions(CASE.person)
    assert [(e.action, e.outcome) for e in log.events()] == [
        ("load", "ok"),
        ("load", "not-found"),
        ("list", "ok"),
        ("load-decisions", "ok"),
    ]
    assert {(e.on, e.backdated) for e in log.events()} == {(dt.date(2024, 7, 15), False)}


def test_store_reads_for_a_fixed_date_carry_it_and_its_flag() -> None:
    log = MemoryAuditLog()
    store = store_reading_on(dt.date(2023, 12, 1), AT, log)
    store.load_case(CASE.person)
    with store.transaction() as tx:
        list(tx.list_cases())
    assert [(e.on, e.backdated) for e in log.events()] == [(dt.date(2023, 12, 1), True)] * 2


def test_the_event_day_is_taken_in_swedish_time() -> None:
    late = dt.datetime(2024, 7, 14, 23, 30, tzinfo=dt.UTC)  # 15 July in Stockholm
    assert is_backdated(late, dt.date(2024, 6, 14)) is False  # 31 days before 15 July
    assert is_backdated(late, dt.date(2024, 6, 13)) is True
    assert is_backdated(late, None) is False


def test_an_event_without_a_date_cannot_be_backdated() -> None:
    event = AuditEvent(
        event_id="e1",
        at=AT,
        action="load",
        user="u",
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        person_key="pk_a",
    )
    assert (event.on, event.backdated) == (None, False)
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(event, backdated=True)
    assert caught.value.paths == ["backdated"]
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(event, on=AT)
    assert caught.value.paths == ["on"]
