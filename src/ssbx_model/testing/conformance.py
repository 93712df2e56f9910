"""The adapter conformance suite: contract tests for every port.

Each contract is a pytest test class that needs one fixture, the adapter under test.
Run them in two ways:

* **From the command line**, with the plugin that ships with ssbx_model (entry point
  ``pytest11``): ``pytest --ssbx-adapter=package.module:factory``. The plugin calls the
  factory once per test, checks which ports the object implements and runs the matching
  contracts (see :mod:`ssbx_model.testing.plugin`).
* **In your own test suite**, by subclassing a contract and providing its fixture::

      from ssbx_model.testing.conformance import CaseStoreContract

      class TestSqliteStore(CaseStoreContract):
          @pytest.fixture
          def case_store(self, tmp_path):
              store = SqlCaseStore(f"sqlite:///{tmp_path}/cases.db")
              yield store
              store.close()

The fixture must give a fresh, empty adapter for every test. Every contract also checks,
after each test, that nothing logged (at any level, including DEBUG) contains a clear
identity number of the people it used, in the 12- or 10-digit form, with or without the
separator.

What the contracts require beyond the protocols' docstrings:

* **CaseStore**: versions start at 1 and grow by exactly one with each save;
  ``expected_version=None`` means "must not exist yet"; a transaction sees its own writes;
  an exception leaves the store as it was; concurrent writers lose no update.
* **SubmissionLedger**: ``complete`` of an unknown key raises a :class:`LookupError`.
* **ReportSink**: a repeated key returns the first receipt's reference with
  ``duplicate=True``. If the sink has a ``delivered()`` method (a test hook, as in
  :class:`ssbx_model.memory.MemoryReportSink`) the suite also counts the effects.
* **InformationSource**: every requested set is answered and every other set is
  ``not requested``; a stored answer comes back exactly as stored; a requested set the
  source holds no answer for, and every requested set of an unknown person, is
  ``not found`` (never ``absent``, never an exception). :func:`ssbx_model.ports.answer_request`
  builds exactly this answer.
* **AuditLog**: events read back equal to those recorded, their reference date ``on``
  and ``backdated`` flag included (None and False too).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import itertools
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

import attrs
import pytest

from ssbx_model.access import filter_case
from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.errors import AccessDenied, ConcurrentUpdateError, ReportError
from ssbx_model.identity import PersonId, Personnummer, Samordningsnummer
from ssbx_model.information import (
    Activity,
    ActivityReport,
    AnnualIncome,
    Answer,
    AnswerStatus,
    ApplicantCategorySpell,
    AssignmentDecision,
    Consent,
    ConsentChannel,
    ConsentKind,
    DisabilityCode,
    Enrolment,
    InformationSet,
    InterventionStatus,
    JobGuaranteeDays,
    MunicipalIntervention,
    Permit,
    ProgramDecision,
    ProgramSpell,
    Provenance,
    Provider,
    UnemploymentFundMembership,
)
from ssbx_model.ports import (
    AsyncInformationSource,
    AuditEvent,
    AuditLog,
    AuditSink,
    CaseStore,
    FetchRequest,
    InformationSource,
    LedgerEntry,
    LedgerState,
    ReportPayload,
    ReportSink,
    Requester,
    SubmissionLedger,
)
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.rules import Decision, Outcome, Reason, ReasonKind
from ssbx_model.rules.consent import consent_status

__all__ = [
    "CONTRACTS",
    "UNKNOWN_PERSON",
    "AsyncInformationSourceContract",
    "AuditLogContract",
    "AuditSinkContract",
    "CaseStoreContract",
    "InformationSourceContract",
    "ReportSinkContract",
    "StoreLedgerTransactionContract",
    "SubmissionLedgerContract",
    "assert_no_clear_identity_numbers",
    "identity_forms",
    "ports_of",
    "sample_audit_events",
    "sample_cases",
    "sample_decisions",
    "sample_ledger_entry",
    "sample_payload",
]


#: A person no conformance test stores or seeds: sources must answer "not found".
UNKNOWN_PERSON: Personnummer = Personnummer.from_birth_date(dt.date(1931, 7, 13), 987)

_AT = dt.datetime(2024, 3, 4, 9, 30, tzinfo=dt.UTC)
_CET = dt.timezone(dt.timedelta(hours=1))


# -- sample data ---------------------------------------------------------------------------


def _people() -> tuple[PersonId, ...]:
    return (
        Personnummer.from_birth_date(dt.date(2004, 2, 29), 983),
        Personnummer.from_birth_date(dt.date(1990, 11, 5), 988),
        Samordningsnummer.from_birth_date(dt.date(1998, 6, 17), 991),
        Personnummer.from_birth_date(dt.date(1923, 1, 2), 986),
    )


def sample_cases() -> tuple[Case, ...]:
    """Four cases in two municipalities that exercise most of the model.

    Between them they hold known answers of nested types (enrolment with spells, program
    decisions with activities, consents, permits, ...), every other answer status
    (absent, not found, unavailable with provenance, withheld, not requested), a
    samordningsnummer, a person over 100, time zones other than UTC, and municipal
    interventions. A store must give each back exactly as saved.
    """
    p0, p1, p2, p3 = _people()
    af = Provenance("Arbetsförmedlingen", "af/ers_stod 2.1", _AT)
    fk = Provenance("Försäkringskassan", "fk 1.0", _AT.astimezone(_CET))
    provider = Provider("Jobbverkstan AB")
    consent = Consent(
        kind=ConsentKind.AF_DISCLOSURE,
        given=True,
        scope=(Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET),
        validity=Period(dt.date(2024, 1, 15), dt.date(2024, 7, 14)),
        channel=ConsentChannel.POST_TO_AF_ARCHIVE,
        registered_on=dt.date(2024, 1, 20),
        reference="AF-ARKIV-77",
    )
    enrolment = Enrolment(
        registered_on=dt.date(2023, 9, 1),
        spells=(
            ApplicantCategorySpell(
                "11", "öppet arbetslös", Extent(100), Period(dt.date(2023, 9, 1), None)
            ),
        ),
    )
    program = ProgramDecision(
        decision_id="PB-1",
        program="PRAKTIK",
        decided_on=dt.date(2024, 2, 1),
        period=Period(dt.date(2024, 2, 5), dt.date(2024, 5, 31)),
        extent=Extent(50),
        activities=(
            Activity(
                name="Praktik i butik",
                period=Period(dt.date(2024, 2, 5), dt.date(2024, 4, 30)),
                extent=Extent(50),
                participation_requirements=("närvaro",),
                provider=provider,
            ),
        ),
    )
    intervention = MunicipalIntervention(
        intervention_id="INS-1",
        local_name="Arbetsträning Verkstan",
        intervention_type="arbetstraning",
        period=Period(dt.date(2024, 1, 8), dt.date(2024, 6, 28)),
        extent=Extent(50),
        provider=provider,
        status=InterventionStatus.ONGOING,
        changed_at=_AT.astimezone(_CET),
    )
    return (
        Case(
            person=p0,
            municipality="1287",
            reference="ÄRENDE-1",
            enrolment=Answer.known(enrolment, af),
            consents=Answer.known((consent,), af),
            program_decisions=Answer.known((program,), af),
            assignments=Answer.known(
                (AssignmentDecision(dt.date(2024, 1, 10), "krom", "rusta och matcha", provider),),
                af,
            ),
            activity_reports=Answer.known(
                (
                    ActivityReport(
                        Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
                        6,
                        submitted_on=dt.date(2024, 2, 10),
                        approved=True,
                    ),
                ),
                af,
            ),
            unemployment_fund=Answer.known(
                UnemploymentFundMembership(member=True, self_reported=True, fund="Handels"), af
            ),
            disability_codes=Answer.known(
                (DisabilityCode("vision", dt.date(2022, 5, 3), "Arbetsförmedlingen"),), af
            ),
            housing_allowance=Answer.unavailable("timeout after 30 s", fk),
            interventions=(intervention,),
        ),
        Case(
            person=p1,
            municipality="1287",
            permits=Answer.known(
                (Permit("uppehållstillstånd", Period(dt.date(2021, 3, 1), None), True),),
                Provenance("Migrationsverket", "mig 3", _AT),
            ),
            job_guarantee_days=Answer.known(
                JobGuaranteeDays(
                    days_used=312,
                    as_of=dt.date(2024, 3, 1),
                    program_history=(
                        ProgramSpell("JOB", Period(dt.date(2023, 1, 2), dt.date(2023, 12, 31))),
                    ),
                ),
                fk,
            ),
            enrolment=Answer.not_found(af),
            program_decisions=Answer.absent(af),
            income=Answer.known((AnnualIncome(2023, 41000, "Skatteverket"),)),
        ),
        Case(
            person=p2,
            municipality="0180",
            reference="ÄRENDE-3",
            consents=Answer.withheld("no valid consent"),
            unemployment_fund=Answer.known(
                UnemploymentFundMembership(member=False, self_reported=True), af
            ),
        ),
        Case(person=p3, municipality="0180"),
    )


def sample_decisions(case: Case) -> tuple[Decision, Decision, Decision]:
    """Three decisions about ``case``: the consent rule on two dates, and one of another
    rule with a missing set and parameters (to exercise every field of the JSON form)."""
    other = Decision(
        "conformance.sample",
        "2",
        dt.date(2024, 3, 4),
        Outcome.UNKNOWN,
        (
            Reason(
                "conformance.sample.missing",
                ReasonKind.UNKNOWN,
                "Uppgift saknas.",
                "Information is missing.",
                "ssbx_model conformance suite",
                (("since", dt.date(2024, 1, 1)), ("count", 3)),
            ),
        ),
        missing=(InformationSet.ENROLMENT,),
        subject=case.person.masked,
        parameters={"sample.limit": 3, "sample.name": "x"},
    )
    return (
        consent_status(case, dt.date(2024, 3, 4), Purpose.SOCIAL_ASSISTANCE, trace=True),
        other,
        consent_status(case, dt.date(2024, 9, 1), Purpose.LABOUR_MARKET, trace=True),
    )


def sample_ledger_entry(
    key: str = "inuk-2024-02-1287",
    *,
    report: str = "inuk",
    period: str = "2024-02",
    municipality: str = "1287",
    created_at: dt.datetime = _AT,
) -> LedgerEntry:
    """A pending ledger entry (defaults: INUK, February 2024, municipality 1287)."""
    return LedgerEntry(
        report=report,
        period=period,
        municipality=municipality,
        content_hash="9f" * 32,
        idempotency_key=key,
        state=LedgerState.PENDING,
        created_at=created_at,
        records=17,
    )


def sample_payload(body: bytes = b'{"rows": []}', *, report: str = "inuk") -> ReportPayload:
    """A small JSON report payload."""
    return ReportPayload(
        report=report,
        period="2024-02",
        municipality="1287",
        media_type="application/json",
        body=body,
        records=0,
    )


def sample_audit_events() -> tuple[AuditEvent, ...]:
    """Three audit events of different shapes (released, withheld, denied): dated on the
    day of the event, backdated (a read for a date months before), and without a date."""
    return (
        AuditEvent(
            event_id="ev-1",
            at=_AT,
            action="fetch",
            user="handlaggare-17",
            role=Role.EMPLOYMENT_OFFICER,
            purpose=Purpose.LABOUR_MARKET,
            person_key="pk_aaaa",
            released=(InformationSet.ENROLMENT, InformationSet.ACTIVITY_REPORTS),
            withheld=(
                (InformationSet.DISABILITY_CODES, "no legal basis"),
                (InformationSet.PROGRAM_DECISIONS, "no valid consent"),
            ),
            port="source",
            on=_AT.date(),
        ),
        AuditEvent(
            event_id="ev-2",
            at=_AT.astimezone(_CET) + dt.timedelta(seconds=1),
            action="load",
            user="handlaggare-4",
            role=Role.SOCIAL_WORKER,
            purpose=Purpose.SOCIAL_ASSISTANCE,
            person_key="pk_bbbb",
            released=(InformationSet.HOUSING_ALLOWANCE,),
            port="store",
            on=dt.date(2023, 11, 30),
            backdated=True,
        ),
        AuditEvent(
            event_id="ev-3",
            at=_AT + dt.timedelta(seconds=2),
            action="filter",
            user="statistiker-1",
            role=Role.STATISTICS,
            purpose=Purpose.SOCIAL_ASSISTANCE,
            person_key="pk_aaaa",
            outcome="denied",
        ),
    )


# -- identity numbers in logs ----------------------------------------------------------------


def identity_forms(person: PersonId) -> tuple[str, ...]:
    """Every clear-text form of ``person``'s number: 12 and 10 digits, with or without
    the separator (``-`` or ``+``)."""
    full = person.reveal().replace("-", "")
    short = full[2:]
    return (
        full,
        f"{full[:8]}-{full[8:]}",
        f"{full[:8]}+{full[8:]}",
        short,
        f"{short[:6]}-{short[6:]}",
        f"{short[:6]}+{short[6:]}",
    )


def assert_no_clear_identity_numbers(text: str, people: Sequence[PersonId], where: str) -> None:
    """Fail when ``text`` contains a clear identity number of one of ``people``.

    The failure message names ``where`` and the masked number, never the number.
    """
    for person in people:
        for form in identity_forms(person):
            if form in text:
                pytest.fail(
                    f"{where} contains the identity number {person.masked} in clear text "
                    f"({len(form.replace('-', '').replace('+', ''))}-digit form)",
                    pytrace=False,
                )


def _logged_text(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged so far: setup, call and teardown (the current phase)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts: list[str] = []
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    for record in records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
        parts.extend(v for v in vars(record).values() if isinstance(v, str))
    return "\n".join(parts)


class _Contract:
    """Shared behaviour of every contract: the identity-number check on captured logs."""

    #: The port a contract checks (used by the plugin to pick contracts).
    port: ClassVar[str] = ""

    def contract_people(self) -> tuple[PersonId, ...]:
        """People whose numbers must never appear in logs during this contract."""
        return (*_people(), UNKNOWN_PERSON)

    @pytest.fixture(autouse=True)
    def _ssbx_no_clear_identity_numbers_in_logs(
        self, caplog: pytest.LogCaptureFixture
    ) -> Iterator[None]:
        caplog.set_level(logging.DEBUG)
        yield
        assert_no_clear_identity_numbers(
            _logged_text(caplog), self.contract_people(), "a log record written by the adapter"
        )


# -- CaseStore -------------------------------------------------------------------------------


class _Boom(Exception):
    """Raised inside transactions to make them roll back."""


def _in_transaction(store: Any, work: Callable[[Any], None], *, fail: bool = False) -> None:
    """Run ``work`` with the store of a transaction; then raise _Boom when ``fail``."""
    with store.transaction() as tx:
        work(tx)
        if fail:
            raise _Boom


class CaseStoreContract(_Contract):
    """What every :class:`~ssbx_model.ports.CaseStore` must do. Fixture: ``case_store``."""

    port = "CaseStore"

    def test_a_new_store_is_empty(self, case_store: CaseStore) -> None:
        """A fresh store lists no case and loads none."""
        assert list(case_store.list_cases()) == []
        assert case_store.load_case(_people()[0]) is None

    def test_saved_cases_load_equal_with_version_one(self, case_store: CaseStore) -> None:
        """Every sample case comes back equal, at version 1."""
        cases = sample_cases()
        for case in cases:
            assert case_store.save_case(case) == 1
        for case in cases:
            stored = case_store.load_case(case.person)
            assert stored is not None, f"case of {case.person.masked} was not found"
            assert stored.version == 1
            assert stored.case == case

    def test_each_save_increments_the_version(self, case_store: CaseStore) -> None:
        """Saving with the current version stores the new case at version + 1."""
        case = sample_cases()[0]
        version = case_store.save_case(case)
        for n in range(2, 5):
            changed = attrs.evolve(case, reference=f"ÄRENDE-1-v{n}")
            version = case_store.save_case(changed, expected_version=version)
            assert version == n
            stored = case_store.load_case(case.person)
            assert stored is not None
            assert (stored.case, stored.version) == (changed, n)

    def test_updates_replace_answers(self, case_store: CaseStore) -> None:
        """An update that clears answers and interventions stores exactly the new case."""
        case = sample_cases()[0]
        case_store.save_case(case)
        bare = Case(person=case.person, municipality=case.municipality)
        case_store.save_case(bare, expected_version=1)
        stored = case_store.load_case(case.person)
        assert stored is not None
        assert stored.case == bare

    def test_saving_an_existing_case_as_new_conflicts(self, case_store: CaseStore) -> None:
        """``expected_version=None`` means "must not exist yet"."""
        case = sample_cases()[0]
        case_store.save_case(case)
        with pytest.raises(ConcurrentUpdateError):
            case_store.save_case(attrs.evolve(case, reference="OTHER"))
        stored = case_store.load_case(case.person)
        assert stored is not None
        assert (stored.case, stored.version) == (case, 1)

    def test_stale_expected_version_conflicts_and_changes_nothing(
        self, case_store: CaseStore
    ) -> None:
        """A writer holding an old version loses, and the winner's case stays."""
        case = sample_cases()[1]
        case_store.save_case(case)
        winner = attrs.evolve(case, reference="WINNER")
        case_store.save_case(winner, expected_version=1)
        with pytest.raises(ConcurrentUpdateError) as caught:
            case_store.save_case(attrs.evolve(case, reference="LOSER"), expected_version=1)
        assert_no_clear_identity_numbers(str(caught.value), [case.person], "the error message")
        stored = case_store.load_case(case.person)
        assert stored is not None
        assert (stored.case, stored.version) == (winner, 2)

    def test_expected_version_of_a_missing_case_conflicts(self, case_store: CaseStore) -> None:
        """Updating a case that is not stored is a conflict, not an insert."""
        case = sample_cases()[2]
        with pytest.raises(ConcurrentUpdateError):
            case_store.save_case(case, expected_version=1)
        assert case_store.load_case(case.person) is None

    def test_list_cases_lists_every_person_and_filters_by_municipality(
        self, case_store: CaseStore
    ) -> None:
        """``list_cases`` gives each stored person once; ``municipality`` filters."""
        cases = sample_cases()
        for case in cases:
            case_store.save_case(case)
        listed = list(case_store.list_cases())
        assert sorted(listed) == sorted(c.person for c in cases)
        for code in ("1287", "0180"):
            expected = sorted(c.person for c in cases if c.municipality == code)
            assert sorted(case_store.list_cases(municipality=code)) == expected
        assert list(case_store.list_cases(municipality="9999")) == []

    def test_delete_case_removes_it_once(self, case_store: CaseStore) -> None:
        """Delete answers True once, then False; the case is gone and may be saved anew."""
        first, second = sample_cases()[:2]
        case_store.save_case(first)
        case_store.save_case(second)
        assert case_store.delete_case(first.person) is True
        assert case_store.load_case(first.person) is None
        assert case_store.delete_case(first.person) is False
        assert list(case_store.list_cases()) == [second.person]
        assert case_store.save_case(first) >= 1
        stored = case_store.load_case(first.person)
        assert stored is not None
        assert stored.case == first

    def test_transaction_commits_every_call_together(self, case_store: CaseStore) -> None:
        """Calls made through the transaction's store are all visible after the block."""
        cases = sample_cases()
        with case_store.transaction() as tx:
            for case in cases:
                tx.save_case(case)
        assert sorted(case_store.list_cases()) == sorted(c.person for c in cases)

    def test_transaction_sees_its_own_writes(self, case_store: CaseStore) -> None:
        """Inside the block, the transaction's store reads what it wrote."""
        case = sample_cases()[0]
        with case_store.transaction() as tx:
            version = tx.save_case(case)
            stored = tx.load_case(case.person)
            assert stored is not None
            assert (stored.case, stored.version) == (case, version)

    def test_transaction_rolls_back_everything_on_error(self, case_store: CaseStore) -> None:
        """An exception undoes inserts, updates and deletes made in the block."""
        kept, updated, deleted, inserted = sample_cases()
        for case in (kept, updated, deleted):
            case_store.save_case(case)

        def work(tx: CaseStore) -> None:
            tx.save_case(inserted)
            tx.save_case(attrs.evolve(updated, reference="CHANGED"), expected_version=1)
            assert tx.delete_case(deleted.person) is True

        with pytest.raises(_Boom):
            _in_transaction(case_store, work, fail=True)
        assert case_store.load_case(inserted.person) is None
        for case in (kept, updated, deleted):
            stored = case_store.load_case(case.person)
            assert stored is not None, f"{case.person.masked} was lost by a rollback"
            assert (stored.case, stored.version) == (case, 1)
        assert sorted(case_store.list_cases()) == sorted(c.person for c in (kept, updated, deleted))

    def test_a_conflict_inside_a_transaction_leaves_nothing_half_written(
        self, case_store: CaseStore
    ) -> None:
        """When the second write conflicts, the first one is undone too."""
        first, second = sample_cases()[:2]
        case_store.save_case(second)

        def work(tx: CaseStore) -> None:
            tx.save_case(first)
            tx.save_case(attrs.evolve(second, reference="STALE"), expected_version=7)

        with pytest.raises(ConcurrentUpdateError):
            _in_transaction(case_store, work)
        assert case_store.load_case(first.person) is None
        stored = case_store.load_case(second.person)
        assert stored is not None
        assert (stored.case, stored.version) == (second, 1)

    def test_decisions_round_trip_in_order_and_filter_by_rule(self, case_store: CaseStore) -> None:
        """Decisions come back in the order stored (appended), equal in their JSON form."""
        case = sample_cases()[0]
        case_store.save_case(case)
        first, second, third = sample_decisions(case)
        case_store.save_decisions(case.person, [first, second])
        case_store.save_decisions(case.person, [third])
        loaded = case_store.load_decisions(case.person)
        assert [d.to_json() for d in loaded] == [d.to_json() for d in (first, second, third)]
        by_rule = case_store.load_decisions(case.person, rule_id="consent")
        assert [d.to_json() for d in by_rule] == [first.to_json(), third.to_json()]
        assert case_store.load_decisions(case.person, rule_id="no-such-rule") == []
        assert case_store.load_decisions(sample_cases()[1].person) == []

    def test_delete_case_deletes_its_decisions(self, case_store: CaseStore) -> None:
        """A deleted case takes its decisions with it."""
        case = sample_cases()[0]
        case_store.save_case(case)
        case_store.save_decisions(case.person, sample_decisions(case))
        assert case_store.delete_case(case.person) is True
        assert case_store.load_decisions(case.person) == []

    def test_decisions_roll_back_with_the_transaction(self, case_store: CaseStore) -> None:
        """Decisions saved in a failed transaction are not stored."""
        case = sample_cases()[0]
        case_store.save_case(case)

        def work(tx: CaseStore) -> None:
            tx.save_decisions(case.person, sample_decisions(case))

        with pytest.raises(_Boom):
            _in_transaction(case_store, work, fail=True)
        assert case_store.load_decisions(case.person) == []

    def test_concurrent_writers_lose_no_update(self, case_store: CaseStore) -> None:
        """Writers that reload and retry on conflict never overwrite each other."""
        case = attrs.evolve(sample_cases()[1], reference="count-0")
        case_store.save_case(case)
        writers, increments = 4, 5
        errors: list[BaseException] = []

        def work() -> None:
            try:
                for _ in range(increments):
                    while True:
                        stored = case_store.load_case(case.person)
                        assert stored is not None
                        assert stored.case.reference is not None
                        count = int(stored.case.reference.removeprefix("count-"))
                        changed = attrs.evolve(stored.case, reference=f"count-{count + 1}")
                        try:
                            case_store.save_case(changed, expected_version=stored.version)
                        except ConcurrentUpdateError:
                            continue
                        break
            except BaseException as exc:  # reported in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        stored = case_store.load_case(case.person)
        assert stored is not None
        total = writers * increments
        assert stored.case.reference == f"count-{total}"
        assert stored.version == 1 + total


class StoreLedgerTransactionContract(_Contract):
    """A store that is also a ledger keeps ledger writes in its transactions.

    Fixture: ``case_store`` (an object that implements CaseStore and SubmissionLedger).
    """

    port = "CaseStore+SubmissionLedger"

    def test_ledger_entries_roll_back_with_the_transaction(self, case_store: Any) -> None:
        """A ledger entry begun in a failed transaction is not recorded."""
        case = sample_cases()[0]

        def work(tx: Any) -> None:
            tx.save_case(case)
            tx.begin(sample_ledger_entry())

        with pytest.raises(_Boom):
            _in_transaction(case_store, work, fail=True)
        assert case_store.entries() == []
        assert case_store.load_case(case.person) is None

    def test_ledger_entries_commit_with_the_transaction(self, case_store: Any) -> None:
        """A ledger entry begun in a committed transaction is recorded."""
        with case_store.transaction() as tx:
            tx.save_case(sample_cases()[0])
            tx.begin(sample_ledger_entry())
        assert [e.idempotency_key for e in case_store.entries()] == ["inuk-2024-02-1287"]


# -- SubmissionLedger ------------------------------------------------------------------------


class SubmissionLedgerContract(_Contract):
    """What every :class:`~ssbx_model.ports.SubmissionLedger` must do.

    Fixture: ``submission_ledger``.
    """

    port = "SubmissionLedger"

    def test_begin_records_a_pending_entry(self, submission_ledger: SubmissionLedger) -> None:
        """``begin`` returns the entry as recorded, pending, and lists it."""
        entry = sample_ledger_entry()
        assert submission_ledger.begin(entry) == entry
        assert submission_ledger.entries() == [entry]

    def test_begin_twice_with_one_key_keeps_the_first_entry(
        self, submission_ledger: SubmissionLedger
    ) -> None:
        """A re-run with the same idempotency key gets the entry already recorded."""
        first = sample_ledger_entry()
        submission_ledger.begin(first)
        again = attrs.evolve(first, created_at=_AT + dt.timedelta(hours=1), records=99)
        assert submission_ledger.begin(again) == first
        assert submission_ledger.entries() == [first]

    def test_complete_marks_the_entry_submitted(self, submission_ledger: SubmissionLedger) -> None:
        """``complete`` records state, receipt and time, and ``entries`` shows it."""
        entry = sample_ledger_entry()
        submission_ledger.begin(entry)
        at = (_AT + dt.timedelta(minutes=5)).astimezone(_CET)
        done = submission_ledger.complete(entry.idempotency_key, receipt="R-1", at=at)
        expected = attrs.evolve(entry, state=LedgerState.SUBMITTED, receipt="R-1", submitted_at=at)
        assert done == expected
        assert submission_ledger.entries() == [expected]
        assert submission_ledger.begin(entry) == expected

    def test_complete_without_receipt(self, submission_ledger: SubmissionLedger) -> None:
        """A sink may acknowledge without a reference: the receipt stays None."""
        entry = sample_ledger_entry()
        submission_ledger.begin(entry)
        done = submission_ledger.complete(entry.idempotency_key, receipt=None, at=_AT)
        assert done.state is LedgerState.SUBMITTED
        assert done.receipt is None

    def test_complete_of_an_unknown_key_raises_lookup_error(
        self, submission_ledger: SubmissionLedger
    ) -> None:
        """Completing what was never begun is an error, not a silent insert."""
        with pytest.raises(LookupError):
            submission_ledger.complete("never-begun", receipt="R", at=_AT)
        assert submission_ledger.entries() == []

    def test_entries_are_oldest_first_and_filter(self, submission_ledger: SubmissionLedger) -> None:
        """``entries`` keeps the order begun and filters by report, period, municipality."""
        made = [
            sample_ledger_entry(
                f"{report}-{period}-{municipality}",
                report=report,
                period=period,
                municipality=municipality,
                created_at=_AT + dt.timedelta(minutes=i),
            )
            for i, (report, period, municipality) in enumerate(
                itertools.product(("inuk", "kaa"), ("2024-01", "2024-02"), ("1287", "0180"))
            )
        ]
        for entry in made:
            submission_ledger.begin(entry)
        assert submission_ledger.entries() == made
        assert submission_ledger.entries(report="kaa") == [e for e in made if e.report == "kaa"]
        assert submission_ledger.entries(period="2024-02", municipality="0180") == [
            e for e in made if e.period == "2024-02" and e.municipality == "0180"
        ]
        assert submission_ledger.entries(report="scb") == []

    def test_concurrent_begins_with_one_key_record_one_entry(
        self, submission_ledger: SubmissionLedger
    ) -> None:
        """Several processes starting the same submission at once record it once."""
        results: list[LedgerEntry] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        def work(n: int) -> None:
            try:
                barrier.wait()
                entry = sample_ledger_entry(created_at=_AT + dt.timedelta(seconds=n))
                results.append(submission_ledger.begin(entry))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        recorded = submission_ledger.entries()
        assert len(recorded) == 1
        assert all(result == recorded[0] for result in results)


# -- ReportSink ------------------------------------------------------------------------------


def _delivered(sink: object) -> Callable[[], Sequence[object]] | None:
    hook = getattr(sink, "delivered", None)
    return hook if callable(hook) else None


class ReportSinkContract(_Contract):
    """What every :class:`~ssbx_model.ports.ReportSink` must do. Fixture: ``report_sink``.

    The payloads come from the ``report_payload`` fixture: a callable taking a variant
    (``b""``, ``b"1"``, ``b"2"``, ``b"other"``) and returning a payload, equal for equal
    variants and different otherwise. The default builds small JSON payloads; a sink that
    accepts only real documents (INUK's, say) overrides the fixture in its subclass.
    """

    port = "ReportSink"

    @pytest.fixture
    def report_payload(self) -> Callable[[bytes], ReportPayload]:
        """Builds the payloads the contract submits (override for real documents)."""
        return lambda variant: sample_payload(variant or b'{"rows": []}')

    def test_first_submission_is_accepted(
        self, report_sink: ReportSink, report_payload: Callable[[bytes], ReportPayload]
    ) -> None:
        """The receipt names the key and is not a duplicate."""
        receipt = report_sink.submit(report_payload(b""), idempotency_key="k-1")
        assert receipt.idempotency_key == "k-1"
        assert receipt.duplicate is False
        assert receipt.accepted_at.utcoffset() is not None
        delivered = _delivered(report_sink)
        if delivered is not None:
            assert len(delivered()) == 1

    def test_same_key_twice_has_one_effect(
        self, report_sink: ReportSink, report_payload: Callable[[bytes], ReportPayload]
    ) -> None:
        """The second submission is a duplicate with the first receipt's reference."""
        payload = report_payload(b"")
        first = report_sink.submit(payload, idempotency_key="k-1")
        second = report_sink.submit(payload, idempotency_key="k-1")
        assert second.duplicate is True, "the same key was applied twice"
        assert second.idempotency_key == "k-1"
        assert second.reference == first.reference
        delivered = _delivered(report_sink)
        if delivered is not None:
            assert len(delivered()) == 1, "the same key was applied twice"

    def test_different_keys_are_separate_submissions(
        self, report_sink: ReportSink, report_payload: Callable[[bytes], ReportPayload]
    ) -> None:
        """Two keys, two effects, no duplicates."""
        one = report_sink.submit(report_payload(b"1"), idempotency_key="k-1")
        two = report_sink.submit(report_payload(b"2"), idempotency_key="k-2")
        assert (one.duplicate, two.duplicate) == (False, False)
        delivered = _delivered(report_sink)
        if delivered is not None:
            assert len(delivered()) == 2

    def test_reusing_a_key_for_other_content_is_refused_or_a_duplicate(
        self, report_sink: ReportSink, report_payload: Callable[[bytes], ReportPayload]
    ) -> None:
        """Other content under a used key is never applied a second time."""
        report_sink.submit(report_payload(b"1"), idempotency_key="k-1")
        try:
            again = report_sink.submit(report_payload(b"other"), idempotency_key="k-1")
        except ReportError:
            pass
        else:
            assert again.duplicate is True
        delivered = _delivered(report_sink)
        if delivered is not None:
            assert len(delivered()) == 1

    def test_concurrent_submissions_with_one_key_apply_once(
        self, report_sink: ReportSink, report_payload: Callable[[bytes], ReportPayload]
    ) -> None:
        """Racing submissions of one key: exactly one is not a duplicate."""
        receipts: list[Any] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        def work() -> None:
            try:
                barrier.wait()
                receipts.append(report_sink.submit(report_payload(b""), idempotency_key="k-race"))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(r.duplicate for r in receipts) == [False, True, True, True]


# -- AuditSink / AuditLog --------------------------------------------------------------------


class AuditSinkContract(_Contract):
    """What every :class:`~ssbx_model.ports.AuditSink` must do. Fixture: ``audit_sink``."""

    port = "AuditSink"

    def test_records_events_of_every_shape(self, audit_sink: AuditSink) -> None:
        """Released, withheld and denied events are all accepted."""
        for event in sample_audit_events():
            audit_sink.record(event)

    def test_audited_reads_log_no_clear_identity_number(self, audit_sink: AuditSink) -> None:
        """Filtering every sample case for every role into this sink logs no number."""
        pseudonymizer = Pseudonymizer(b"conformance-key-0123456789")
        for case, role, purpose in itertools.product(sample_cases(), Role, Purpose):
            requester = Requester(user=f"user-{role.value}", role=role, organisation="1287")
            with contextlib.suppress(AccessDenied):
                filter_case(
                    case,
                    role=role,
                    purpose=purpose,
                    on=dt.date(2024, 3, 4),
                    audit=audit_sink,
                    requester=requester,
                    pseudonymizer=pseudonymizer,
                    clock=lambda: _AT,
                )


class AuditLogContract(_Contract):
    """What every :class:`~ssbx_model.ports.AuditLog` must do. Fixture: ``audit_log``."""

    port = "AuditLog"

    def test_a_new_log_is_empty(self, audit_log: AuditLog) -> None:
        """Nothing recorded, nothing read back."""
        assert audit_log.events() == []

    def test_events_read_back_equal_and_in_order(self, audit_log: AuditLog) -> None:
        """Events come back exactly as recorded, oldest first."""
        events = sample_audit_events()
        for event in events:
            audit_log.record(event)
        assert audit_log.events() == list(events)

    def test_events_keep_their_reference_date_and_backdated_flag(self, audit_log: AuditLog) -> None:
        """``on`` and ``backdated`` come back as recorded, None and False included."""
        for event in sample_audit_events():
            audit_log.record(event)
        assert [(e.on, e.backdated) for e in audit_log.events()] == [
            (_AT.date(), False),
            (dt.date(2023, 11, 30), True),
            (None, False),
        ]
        # A filter call dated far from its own day is flagged by the library.
        filter_case(
            sample_cases()[0],
            role=Role.SOCIAL_WORKER,
            purpose=Purpose.SOCIAL_ASSISTANCE,
            on=dt.date(2023, 6, 1),
            audit=audit_log,
            requester=Requester(user="user-1", role=Role.SOCIAL_WORKER, organisation="1287"),
            pseudonymizer=Pseudonymizer(b"conformance-key-0123456789"),
            clock=lambda: _AT,
        )
        last = audit_log.events()[-1]
        assert (last.on, last.backdated) == (dt.date(2023, 6, 1), True)

    def test_events_filter_by_person_key(self, audit_log: AuditLog) -> None:
        """``person_key`` selects one person's events, in order."""
        events = sample_audit_events()
        for event in events:
            audit_log.record(event)
        assert audit_log.events(person_key="pk_aaaa") == [events[0], events[2]]
        assert audit_log.events(person_key="pk_none") == []

    def test_events_of_audited_reads_hold_no_clear_identity_number(
        self, audit_log: AuditLog
    ) -> None:
        """Events written by the library's filtering name people only by their key."""
        pseudonymizer = Pseudonymizer(b"conformance-key-0123456789")
        cases = sample_cases()
        requester = Requester(user="user-1", role=Role.SOCIAL_WORKER, organisation="1287")
        for case in cases:
            filter_case(
                case,
                role=Role.SOCIAL_WORKER,
                purpose=Purpose.SOCIAL_ASSISTANCE,
                on=dt.date(2024, 3, 4),
                audit=audit_log,
                requester=requester,
                pseudonymizer=pseudonymizer,
                clock=lambda: _AT,
            )
        events = audit_log.events()
        assert [e.person_key for e in events] == [pseudonymizer.key_for(c.person) for c in cases]
        people = [c.person for c in cases]
        for event in events:
            text = repr(event) + "".join(
                str(v) for v in attrs.astuple(event, recurse=True) if v is not None
            )
            assert_no_clear_identity_numbers(text, people, "an audit event read back")


# -- InformationSource -----------------------------------------------------------------------


def _request(person: PersonId, sets: frozenset[InformationSet]) -> FetchRequest:
    return FetchRequest(
        person=person,
        sets=sets,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=dt.date(2024, 3, 4),
        requester=Requester(user="conformance", role=Role.SOCIAL_WORKER, organisation="1287"),
    )


_SUBSETS: tuple[frozenset[InformationSet], ...] = (
    frozenset({InformationSet.ENROLMENT}),
    frozenset(
        {
            InformationSet.CONSENTS,
            InformationSet.PROGRAM_DECISIONS,
            InformationSet.UNEMPLOYMENT_FUND,
            InformationSet.PERMITS,
        }
    ),
    frozenset(InformationSet),
)


_FIX = "(ssbx_model.ports.answer_request builds the answer this way)"


def _check_answer(case: Case, request: FetchRequest, seeded: Case | None) -> None:
    """Every failure says what to return instead, not only which rule broke."""
    assert case.person == request.person, (
        "the answer is about another person: return a Case whose person is request.person"
    )
    for which, answer in case.answers():
        if which not in request.sets:
            assert answer.status is AnswerStatus.NOT_REQUESTED, (
                f"{which.value} was not requested but is {answer.status.value}: a set not in "
                f"request.sets must be returned as Answer.not_requested() {_FIX}"
            )
            continue
        assert answer.status is not AnswerStatus.NOT_REQUESTED, (
            f"{which.value} was requested but left unanswered: answer every set in "
            "request.sets; a set the source holds no answer for (a stored 'not requested') "
            f"must be returned as Answer.not_found(), never absent {_FIX}"
        )
        if seeded is None:
            assert answer.status is AnswerStatus.NOT_FOUND, (
                f"{which.value} of an unknown person is {answer.status.value}: a person the "
                f"source does not know must get Answer.not_found() for every requested set "
                f"{_FIX}"
            )
            continue
        expected = seeded.answer(which)
        if expected.status is AnswerStatus.NOT_REQUESTED:
            assert answer.status is AnswerStatus.NOT_FOUND, (
                f"{which.value} is {answer.status.value}, but the source holds no answer for "
                "it: a stored 'not requested' must be returned as Answer.not_found() "
                f"('absent' would say the provider found nothing) {_FIX}"
            )
        else:
            assert answer == expected, (
                f"{which.value} differs from what the source holds: return the stored "
                f"answer exactly as stored, provenance included {_FIX}"
            )


class InformationSourceContract(_Contract):
    """What every synchronous :class:`~ssbx_model.ports.InformationSource` must do.

    Fixtures: ``information_source``; optionally override ``source_cases`` with the
    cases the source serves (default: none, so only unknown people are asked about).
    """

    port = "InformationSource"

    @pytest.fixture
    def source_cases(self) -> Sequence[Case]:
        """The cases the source under test serves (override in your subclass)."""
        return ()

    def test_requested_sets_are_answered_and_others_not_requested(
        self, information_source: InformationSource, source_cases: Sequence[Case]
    ) -> None:
        """Every requested set has an answer; every other set is ``not requested``."""
        for case, sets in itertools.product(source_cases, _SUBSETS):
            request = _request(case.person, sets)
            _check_answer(information_source.fetch(request), request, case)

    def test_an_unknown_person_gets_not_found_answers(
        self, information_source: InformationSource
    ) -> None:
        """Not in the register is an answer (``not found``), not an exception."""
        for sets in _SUBSETS:
            request = _request(UNKNOWN_PERSON, sets)
            _check_answer(information_source.fetch(request), request, None)


class AsyncInformationSourceContract(_Contract):
    """What every :class:`~ssbx_model.ports.AsyncInformationSource` must do.

    Fixtures: ``async_information_source``; optionally ``source_cases``. The coroutines
    run in a fresh event loop (``asyncio.run``), so no async test plugin is needed.
    """

    port = "AsyncInformationSource"

    @pytest.fixture
    def source_cases(self) -> Sequence[Case]:
        """The cases the source under test serves (override in your subclass)."""
        return ()

    def test_requested_sets_are_answered_and_others_not_requested(
        self, async_information_source: AsyncInformationSource, source_cases: Sequence[Case]
    ) -> None:
        """Every requested set has an answer; every other set is ``not requested``."""

        async def run() -> None:
            for case, sets in itertools.product(source_cases, _SUBSETS):
                request = _request(case.person, sets)
                _check_answer(await async_information_source.fetch(request), request, case)

        asyncio.run(run())

    def test_an_unknown_person_gets_not_found_answers(
        self, async_information_source: AsyncInformationSource
    ) -> None:
        """Not in the register is an answer (``not found``), not an exception."""

        async def run() -> None:
            for sets in _SUBSETS:
                request = _request(UNKNOWN_PERSON, sets)
                _check_answer(await async_information_source.fetch(request), request, None)

        asyncio.run(run())


# -- which contracts apply -------------------------------------------------------------------


def ports_of(adapter: object) -> frozenset[str]:
    """The names of the ports ``adapter`` implements (runtime protocol checks).

    A ``fetch`` that is a coroutine function makes an AsyncInformationSource, otherwise an
    InformationSource. An object that is both a CaseStore and a SubmissionLedger also gets
    ``"CaseStore+SubmissionLedger"`` (its transactions must cover the ledger).
    """
    found: set[str] = set()
    if isinstance(adapter, CaseStore):
        found.add("CaseStore")
    if isinstance(adapter, SubmissionLedger):
        found.add("SubmissionLedger")
    if {"CaseStore", "SubmissionLedger"} <= found:
        found.add("CaseStore+SubmissionLedger")
    if isinstance(adapter, ReportSink):
        found.add("ReportSink")
    if isinstance(adapter, AuditSink):
        found.add("AuditSink")
    if isinstance(adapter, AuditLog):
        found.add("AuditLog")
    if isinstance(adapter, InformationSource | AsyncInformationSource):
        fetch = adapter.fetch
        async_fetch = inspect.iscoroutinefunction(fetch)
        found.add("AsyncInformationSource" if async_fetch else "InformationSource")
    return frozenset(found)


#: Every contract with the fixture name it needs, keyed by port name.
CONTRACTS: dict[str, tuple[type[_Contract], str]] = {
    "CaseStore": (CaseStoreContract, "case_store"),
    "CaseStore+SubmissionLedger": (StoreLedgerTransactionContract, "case_store"),
    "SubmissionLedger": (SubmissionLedgerContract, "submission_ledger"),
    "ReportSink": (ReportSinkContract, "report_sink"),
    "AuditSink": (AuditSinkContract, "audit_sink"),
    "AuditLog": (AuditLogContract, "audit_log"),
    "InformationSource": (InformationSourceContract, "information_source"),
    "AsyncInformationSource": (AsyncInformationSourceContract, "async_information_source"),
}
