"""The SQL store as a CaseStore: round trips, versions, listing, deleting, decisions,
transactions, keys and error mapping, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from sql_support import KEY, OTHER_KEY, case_of, coordination_number, intervention, person
from sqlalchemy import select, update
from ssbx_sql import SqlStore, metadata

from ssbx_model import synth
from ssbx_model.case import Case
from ssbx_model.clock import fixed_clock
from ssbx_model.errors import AdapterError, ConcurrentUpdateError
from ssbx_model.ports import AuditLog, AuditSink, CaseStore, StoredCase, SubmissionLedger
from ssbx_model.rules import Decision, evaluate
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 5, 1)


def test_store_satisfies_every_port_it_claims(store: SqlStore) -> None:
    assert isinstance(store, CaseStore)
    assert isinstance(store, SubmissionLedger)
    assert isinstance(store, AuditSink)
    assert isinstance(store, AuditLog)
    with store.transaction() as work:
        assert isinstance(work, CaseStore)


def test_synthetic_cases_round_trip_with_every_information_set(store: SqlStore) -> None:
    municipality = synth.generate(persons=12, seed=7, on=ON)
    for case in municipality.cases:
        assert store.save_case(case) == 1
    for case in municipality.cases:
        assert store.load_case(case.person) == StoredCase(case, 1)


@settings(
    max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(case=ss.cases())
def test_any_valid_case_round_trips(store: SqlStore, case: Case) -> None:
    stored = store.load_case(case.person)
    version = store.save_case(case, expected_version=None if stored is None else stored.version)
    assert store.load_case(case.person) == StoredCase(case, version)


def test_a_samordningsnummer_is_a_person_of_its_own(store: SqlStore) -> None:
    coordination = coordination_number(981)
    store.save_case(case_of(coordination))
    loaded = store.load_case(coordination)
    assert loaded is not None
    assert loaded.case.person == coordination
    assert type(loaded.case.person).__name__ == "Samordningsnummer"
    assert list(store.list_cases()) == [coordination]


def test_versions_start_at_one_and_grow_by_one_per_save(store: SqlStore) -> None:
    who = person(981)
    assert store.save_case(case_of(who)) == 1
    assert store.save_case(case_of(who, "1287", intervention("A")), expected_version=1) == 2
    assert store.save_case(case_of(who, "1280"), expected_version=2) == 3
    loaded = store.load_case(who)
    assert loaded is not None
    assert loaded.version == 3
    assert loaded.case.municipality == "1280"


def test_a_stale_version_is_refused_and_the_newer_case_kept(store: SqlStore) -> None:
    who = person(982)
    store.save_case(case_of(who))
    store.save_case(case_of(who, "1287", intervention("first")), expected_version=1)
    with pytest.raises(ConcurrentUpdateError, match="expected version 1, found version 2"):
        store.save_case(case_of(who, "1287", intervention("stale")), expected_version=1)
    loaded = store.load_case(who)
    assert loaded is not None
    assert [i.intervention_id for i in loaded.case.interventions] == ["first"]


def test_inserting_a_case_that_exists_is_a_conflict(store: SqlStore) -> None:
    who = person(983)
    store.save_case(case_of(who))
    with pytest.raises(ConcurrentUpdateError, match="expected no stored case, found version 1"):
        store.save_case(case_of(who, "1280"))
    loaded = store.load_case(who)
    assert loaded is not None
    assert loaded.case.municipality == "1287"


def test_updating_a_case_that_does_not_exist_is_a_conflict(store: SqlStore) -> None:
    with pytest.raises(ConcurrentUpdateError, match="expected version 4, found no stored case"):
        store.save_case(case_of(person(984)), expected_version=4)
    assert store.load_case(person(984)) is None


def test_conflict_messages_mask_the_identity_number(store: SqlStore) -> None:
    who = person(985)
    store.save_case(case_of(who))
    with pytest.raises(ConcurrentUpdateError) as caught:
        store.save_case(case_of(who))
    digits = who.reveal().replace("-", "")
    assert digits not in str(caught.value)
    assert digits[2:] not in str(caught.value)
    assert who.masked in str(caught.value)


def test_a_missing_case_loads_as_none(store: SqlStore) -> None:
    assert store.load_case(person(986)) is None


def test_cases_are_listed_in_identity_order_and_by_municipality(store: SqlStore) -> None:
    people = [person(990), person(981, dt.date(1999, 1, 2)), coordination_number(987)]
    store.save_case(case_of(people[0], "1287"))
    store.save_case(case_of(people[1], "0180"))
    store.save_case(case_of(people[2], "1287"))
    assert list(store.list_cases()) == sorted(people)
    assert list(store.list_cases(municipality="1287")) == sorted([people[0], people[2]])
    assert list(store.list_cases(municipality="0180")) == [people[1]]
    assert list(store.list_cases(municipality="9999")) == []


def test_listing_follows_a_change_of_municipality(store: SqlStore) -> None:
    who = person(988)
    store.save_case(case_of(who, "1287"))
    store.save_case(case_of(who, "0180"), expected_version=1)
    assert list(store.list_cases(municipality="1287")) == []
    assert list(store.list_cases(municipality="0180")) == [who]


def test_deleting_a_case_deletes_its_decisions(store: SqlStore) -> None:
    case = synth.generate(persons=1, seed=3, on=ON).cases[0]
    store.save_case(case)
    store.save_decisions(case.person, [evaluate(case, "consent", on=ON)])
    assert store.delete_case(case.person) is True
    assert store.load_case(case.person) is None
    assert store.load_decisions(case.person) == []
    assert store.delete_case(case.person) is False
    assert store.save_case(case) == 1, "a deleted case can be created again"


def test_decisions_are_appended_and_read_back_in_order(store: SqlStore) -> None:
    cases = synth.generate(persons=3, seed=11, on=ON).cases
    who = cases[0].person
    first = evaluate(cases[0], "consent", on=ON)
    later = evaluate(cases[0], "consent", on=ON + dt.timedelta(days=200))
    other_rule = Decision.from_json({**first.to_json(), "rule": "skat15"})
    store.save_decisions(who, [first, other_rule])
    store.save_decisions(who, [later])
    store.save_decisions(who, [])
    assert store.load_decisions(who) == [first, other_rule, later]
    assert store.load_decisions(who, rule_id="consent") == [first, later]
    assert store.load_decisions(who, rule_id="skat15") == [other_rule]
    assert store.load_decisions(who, rule_id="kaa") == []
    assert store.load_decisions(cases[1].person) == []


def test_decisions_keep_their_reasons_and_trace(store: SqlStore) -> None:
    case = synth.generate(persons=1, seed=5, on=ON).cases[0]
    decision = evaluate(case, "consent", on=ON)
    store.save_decisions(case.person, [decision])
    (loaded,) = store.load_decisions(case.person)
    assert loaded.to_json() == decision.to_json()


def test_decisions_may_be_stored_before_the_case(store: SqlStore) -> None:
    case = synth.generate(persons=1, seed=9, on=ON).cases[0]
    decision = evaluate(case, "consent", on=ON)
    store.save_decisions(case.person, [decision])
    assert store.load_decisions(case.person) == [decision]


def test_only_cases_and_decisions_are_accepted(store: SqlStore) -> None:
    with pytest.raises(TypeError):
        store.save_case("not a case")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.save_decisions(person(981), ["not a decision"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        store.save_case(case_of(person(981)), expected_version=True)


# -- transactions ------------------------------------------------------------------------


def test_a_transaction_commits_everything_at_its_end(store: SqlStore) -> None:
    case = synth.generate(persons=1, seed=13, on=ON).cases[0]
    decision = evaluate(case, "consent", on=ON)
    with store.transaction() as work:
        work.save_case(case)
        work.save_decisions(case.person, [decision])
        stored = work.load_case(case.person)
        assert stored is not None
        work.save_case(attrs.evolve(case, reference="ärende 17"), expected_version=stored.version)
        assert list(work.list_cases()) == [case.person]
    loaded = store.load_case(case.person)
    assert loaded is not None
    assert loaded.version == 2
    assert loaded.case.reference == "ärende 17"
    assert store.load_decisions(case.person) == [decision]


def test_an_exception_in_a_transaction_rolls_everything_back(store: SqlStore) -> None:
    kept = person(981)
    store.save_case(case_of(kept))
    new = synth.generate(persons=1, seed=17, on=ON).cases[0]

    def unit_that_fails() -> None:
        with store.transaction() as work:
            work.save_case(new)
            work.save_decisions(new.person, [evaluate(new, "consent", on=ON)])
            work.save_case(case_of(kept, "0180"), expected_version=1)
            assert work.delete_case(kept) is True
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        unit_that_fails()
    assert store.load_case(new.person) is None
    assert store.load_decisions(new.person) == []
    loaded = store.load_case(kept)
    assert loaded == StoredCase(case_of(kept), 1)


def test_a_conflict_inside_a_transaction_rolls_it_back(store: SqlStore) -> None:
    first, second = person(981), person(982)
    store.save_case(case_of(second))

    def unit_that_conflicts() -> None:
        with store.transaction() as work:
            work.save_case(case_of(first))
            work.save_case(case_of(second))  # exists already

    with pytest.raises(ConcurrentUpdateError):
        unit_that_conflicts()
    assert store.load_case(first) is None


def test_a_nested_transaction_rolls_back_alone(store: SqlStore) -> None:
    outer, inner = person(981), person(982)

    def inner_block_fails(work: SqlStore) -> None:
        with work.transaction() as nested:
            nested.save_case(case_of(inner))
            raise RuntimeError("only the inner block")

    with store.transaction() as work:
        work.save_case(case_of(outer))
        with pytest.raises(RuntimeError):
            inner_block_fails(work)
        assert work.load_case(inner) is None
        with work.transaction() as nested:
            nested.save_case(case_of(inner, "0180"))
    assert list(store.list_cases()) == sorted([outer, inner])


def test_the_store_of_a_finished_transaction_refuses_work(store: SqlStore) -> None:
    with store.transaction() as work:
        work.save_case(case_of(person(981)))
    with pytest.raises(AdapterError, match="transaction that has ended"):
        work.load_case(person(981))


def test_other_connections_do_not_see_uncommitted_work(store: SqlStore) -> None:
    who = person(981)
    with store.transaction() as work:
        work.save_case(case_of(who))
        assert store.load_case(who) is None
    assert store.load_case(who) is not None


# -- keys, tampering, errors -------------------------------------------------------------


def test_a_database_refuses_a_store_with_another_key(
    open_store: Callable[..., SqlStore],
) -> None:
    first = open_store()
    first.save_case(case_of(person(981)))
    with pytest.raises(AdapterError, match="another store key"):
        open_store(key=OTHER_KEY)


def test_a_key_shorter_than_32_bytes_is_refused(db_url: str) -> None:
    with pytest.raises(AdapterError, match="at least 32"):
        SqlStore(db_url, key=b"0123456789abcdef")


def test_a_body_moved_to_another_row_does_not_decrypt(store: SqlStore) -> None:
    victim, other = person(981), person(982)
    store.save_case(case_of(victim, "1287", intervention("secret")))
    store.save_case(case_of(other))
    cases = metadata.tables["ssbx_cases"]
    with store.engine.begin() as conn:
        body = conn.execute(
            select(cases.c.body).where(cases.c.person_key == store.person_key(victim))
        ).scalar_one()
        conn.execute(
            update(cases).where(cases.c.person_key == store.person_key(other)).values(body=body)
        )
    with pytest.raises(AdapterError, match="does not decrypt"):
        store.load_case(other)


def test_a_naive_clock_is_refused(open_store: Callable[..., SqlStore]) -> None:
    store = open_store(clock=lambda: dt.datetime(2024, 5, 1, 12, 0))
    with pytest.raises(AdapterError, match="aware"):
        store.save_case(case_of(person(981)))


def test_row_timestamps_come_from_the_injected_clock(
    open_store: Callable[..., SqlStore],
) -> None:
    at = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    store = open_store(clock=fixed_clock(at))
    store.save_case(case_of(person(981)))
    cases = metadata.tables["ssbx_cases"]
    with store.engine.connect() as conn:
        row = conn.execute(select(cases.c.created_at, cases.c.updated_at)).one()
    assert row.created_at == at
    assert row.updated_at == at
    assert row.created_at.utcoffset() == dt.timedelta(0)


def test_an_unreachable_database_is_an_adapter_error() -> None:
    with pytest.raises(AdapterError, match="could not") as caught:
        SqlStore("postgresql+psycopg://nobody@127.0.0.1:1/none", key=KEY)
    assert isinstance(caught.value.__cause__, Exception)


def test_database_errors_during_calls_are_adapter_errors_without_numbers(
    store: SqlStore,
) -> None:
    who = person(981)
    store.save_case(case_of(who))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE ssbx_decisions")
    with pytest.raises(AdapterError, match="could not save decisions") as caught:
        store.save_decisions(who, [evaluate(case_of(who), "consent", on=ON)])
    assert who.reveal().replace("-", "")[2:] not in str(caught.value)


def test_repr_shows_no_secret(store: SqlStore) -> None:
    text = repr(store)
    assert "SqlStore(" in text
    assert KEY.hex() not in text
