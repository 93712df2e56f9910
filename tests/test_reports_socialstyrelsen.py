"""Socialstyrelsen's monthly statistics (HSLF-FS 2015:30; issue 20 point 5): a synthetic
month built from cases, its deadline from the calendar, and no retroactive change without
a correction record."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import SWEDEN, Period
from ssbx_model.case import Case
from ssbx_model.errors import ReportError, RuleError
from ssbx_model.information import Answer, IncomeSupportDecision, InterventionStatus
from ssbx_model.memory import MemoryCaseStore, MemoryReportSink
from ssbx_model.ports import LedgerState
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports import (
    ClosedPeriodError,
    Month,
    ReportKind,
    SubmissionOutcome,
    build_socialstyrelsen,
)
from ssbx_model.reports.socialstyrelsen import (
    CORRECTION_REPORT,
    NOT_IN_MODEL,
    closes_at,
    due_date,
    submit_socialstyrelsen,
)
from ssbx_model.testing import factories as f
from ssbx_model.testing import strategies as ss

MARCH = Month(2024, 3)
KEYS = Pseudonymizer(b"0123456789abcdef-test-key")
CLEAR = {"socialstyrelsen.person_key": "personnummer"}


def _month(
    m: Month, decided: dt.date | None = None, ident: str | None = None
) -> IncomeSupportDecision:
    return IncomeSupportDecision(ident or f"FS-{m}", decided or m.start, m.period)


def _case(serial: int, *decisions: IncomeSupportDecision, interventions: int = 0) -> Case:
    on = MARCH.end
    items = tuple(
        f.municipal_intervention(
            MARCH.start - dt.timedelta(days=10), on=on, intervention_id=f"INS-{i}", days=60
        )
        for i in range(interventions)
    )
    return Case(
        f.person(age=30 + serial, on=on, serial=serial * 10 + 2),
        "1287",
        reference=f"ÄR-{serial}",
        income_support=Answer.known(decisions) if decisions else Answer.absent(),
        interventions=items,
    )


def _synthetic_month() -> list[Case]:
    return [
        _case(1, _month(MARCH), interventions=1),  # the whole month, in an intervention
        _case(
            2,
            IncomeSupportDecision(
                "FS-7", dt.date(2024, 3, 20), Period(dt.date(2024, 3, 16), dt.date(2024, 4, 15))
            ),
        ),
        _case(3, _month(Month(2024, 2))),  # February only: not in March's report
        _case(4),  # no decision at all
        _case(5, _month(MARCH, decided=dt.date(2024, 4, 2))),  # decided after the month
        attrs.evolve(_case(6, _month(MARCH)), municipality="0180"),  # another municipality
        attrs.evolve(_case(7), income_support=Answer.withheld("not for this unit")),
    ]


def test_a_synthetic_month_lists_who_was_granted_support_and_their_interventions() -> None:
    report = build_socialstyrelsen(
        _synthetic_month(), MARCH, municipality="1287", pseudonymizer=KEYS
    )
    by_ref = {r.decisions: r for r in report.records}
    assert set(by_ref) == {("FS-2024-03",), ("FS-7",)}
    whole = by_ref["FS-2024-03",]
    assert whole.support_days == 31
    assert whole.intervention_types == ("arbetstraning",)
    assert whole.in_labour_market_intervention
    half = by_ref["FS-7",]
    assert half.support_days == 16  # 16-31 March
    assert not half.in_labour_market_intervention
    (excluded,) = report.excluded
    assert excluded.code == "socialstyrelsen.income-support-unknown"
    assert excluded.reference == "ÄR-7"


def test_a_decision_made_after_the_month_counts_when_read_later() -> None:
    report = build_socialstyrelsen(
        _synthetic_month(),
        MARCH,
        municipality="1287",
        as_of=dt.date(2024, 4, 10),
        pseudonymizer=KEYS,
    )
    assert len(report.records) == 3


def test_a_planned_intervention_is_not_a_labour_market_intervention_of_the_month() -> None:
    case = _case(1, _month(MARCH), interventions=1)
    planned = attrs.evolve(case.interventions[0], status=InterventionStatus.PLANNED)
    report = build_socialstyrelsen(
        [attrs.evolve(case, interventions=(planned,))],
        MARCH,
        municipality="1287",
        pseudonymizer=KEYS,
    )
    assert report.records[0].intervention_types == ()


def test_by_default_the_file_carries_pseudonyms_and_no_identity_number() -> None:
    cases = _synthetic_month()
    report = build_socialstyrelsen(cases, MARCH, municipality="1287", pseudonymizer=KEYS)
    body = report.to_json_bytes().decode() + report.to_csv().decode()
    assert report.person_key == "pseudonym"
    for case in cases:
        assert case.person.reveal() not in body
        assert case.person.reveal()[2:].replace("-", "") not in body
    keyer = attrs.evolve(KEYS, domain=f"{KEYS.domain}/socialstyrelsen")
    assert report.records[0].person_key in {keyer.key_for(c.person) for c in cases}
    with pytest.raises(ReportError, match="pseudonymizer"):
        build_socialstyrelsen(cases, MARCH, municipality="1287")


def test_a_deployment_may_choose_the_personnummer_and_the_values_still_mask_it() -> None:
    cases = _synthetic_month()
    report = build_socialstyrelsen(cases, MARCH, municipality="1287", parameters=CLEAR)
    number = cases[0].person.reveal()
    assert number in report.to_json_bytes().decode()
    assert number in report.to_csv().decode()
    assert number not in repr(report)
    assert number not in repr(report.records)
    assert all(number not in str(n) for n in report.excluded)


def test_the_document_says_what_the_model_does_not_hold() -> None:
    doc = json.loads(
        build_socialstyrelsen([], MARCH, municipality="1287", pseudonymizer=KEYS).to_json_bytes()
    )
    assert [v["variable"] for v in doc["not_in_model"]] == [v for v, _ in NOT_IN_MODEL]
    assert doc["report"] == ReportKind.SOCIALSTYRELSEN.value
    assert "HSLF-FS 2015:30" in doc["citation"]
    assert doc["due"] == "2024-04-15"


# -- the deadline -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "due", "why"),
    [
        (Month(2024, 3), dt.date(2024, 4, 15), "the 15th is a Monday"),
        (Month(2024, 5), dt.date(2024, 6, 17), "15 June 2024 is a Saturday: Monday"),
        (Month(2024, 8), dt.date(2024, 9, 16), "15 September 2024 is a Sunday: Monday"),
        (
            Month(2025, 2),
            dt.date(2025, 3, 17),
            "15 March 2025 is a Saturday, after a leap-less February",
        ),
        (Month(2024, 1), dt.date(2024, 2, 15), "January's data by 15 February (a Thursday)"),
        (Month(2024, 12), dt.date(2025, 1, 15), "December's data in the next year"),
        (Month(2022, 3), dt.date(2022, 4, 19), "15 April 2022 is Good Friday, then Easter Monday"),
    ],
)
def test_the_deadline_is_the_15th_of_the_next_month_or_the_next_working_day(
    month: Month, due: dt.date, why: str
) -> None:
    assert due_date(month) == due, why
    assert SWEDEN.is_working_day(due)


def test_the_other_reading_keeps_the_15th_even_on_a_weekend() -> None:
    assert due_date(
        Month(2024, 5), parameters={"socialstyrelsen.due_on_non_working_day": "same-day"}
    ) == dt.date(2024, 6, 15)
    with pytest.raises(RuleError):
        due_date(Month(2024, 5), parameters={"socialstyrelsen.due_on_non_working_day": "whenever"})


@given(st.integers(2016, 2030), st.integers(1, 12))
def test_the_deadline_is_the_first_working_day_from_the_15th(year: int, m: int) -> None:
    month = Month(year, m)
    due = due_date(month)
    fifteenth = month.next().start.replace(day=15)
    assert due >= fifteenth
    assert SWEDEN.is_working_day(due)
    skipped = [fifteenth + dt.timedelta(days=k) for k in range((due - fifteenth).days)]
    assert not any(SWEDEN.is_working_day(d) for d in skipped)


# -- through the ledger ---------------------------------------------------------------------


class _Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


def test_before_the_deadline_a_report_is_sent_and_a_rerun_is_a_no_op() -> None:
    clock = _Clock(dt.datetime(2024, 4, 10, 9, tzinfo=dt.UTC))
    ledger, sink = MemoryCaseStore(), MemoryReportSink(clock=clock)
    report = build_socialstyrelsen(
        _synthetic_month(), MARCH, municipality="1287", pseudonymizer=KEYS
    )
    first = submit_socialstyrelsen(report, sink, ledger, clock)
    assert first.outcome is SubmissionOutcome.SUBMITTED
    again = submit_socialstyrelsen(report, sink, ledger, clock)
    assert again.outcome is SubmissionOutcome.ALREADY_SUBMITTED


def test_after_the_deadline_a_change_needs_a_correction_record() -> None:
    clock = _Clock(dt.datetime(2024, 4, 10, 9, tzinfo=dt.UTC))
    ledger, sink = MemoryCaseStore(), MemoryReportSink(clock=clock)
    cases = _synthetic_month()
    sent = build_socialstyrelsen(cases, MARCH, municipality="1287", pseudonymizer=KEYS)
    result = submit_socialstyrelsen(sent, sink, ledger, clock)
    clock.at = closes_at(MARCH)  # midnight after 15 April, Swedish time
    later = build_socialstyrelsen(
        cases, MARCH, municipality="1287", as_of=dt.date(2024, 4, 20), pseudonymizer=KEYS
    )
    with pytest.raises(ClosedPeriodError):
        submit_socialstyrelsen(later, sink, ledger, clock)
    correction = later.correction(
        corrects=result.entry.content_hash, reason="decision FS-2024-03 of case ÄR-5 made 2 April"
    )
    done = submit_socialstyrelsen(correction, sink, ledger, clock)
    assert done.outcome is SubmissionOutcome.SUBMITTED
    (entry,) = ledger.entries(report=CORRECTION_REPORT, period="2024-03", municipality="1287")
    assert entry.state is LedgerState.SUBMITTED
    _, payload = sink.delivered()[-1]
    body = json.loads(payload.body)
    assert body["report"] == CORRECTION_REPORT
    assert body["corrects"] == result.entry.content_hash
    assert "ÄR-5" in body["correction_reason"]


def test_a_correction_of_content_never_submitted_is_refused() -> None:
    clock = _Clock(dt.datetime(2024, 4, 20, 9, tzinfo=dt.UTC))
    ledger, sink = MemoryCaseStore(), MemoryReportSink(clock=clock)
    report = build_socialstyrelsen(
        _synthetic_month(), MARCH, municipality="1287", pseudonymizer=KEYS
    )
    with pytest.raises(ReportError, match="does not hold as submitted"):
        submit_socialstyrelsen(
            report.correction(corrects="0" * 64, reason="x"), sink, ledger, clock
        )
    with pytest.raises(ReportError):
        report.correction(corrects="not a hash", reason="x")
    with pytest.raises(ReportError):
        report.correction(corrects="0" * 64, reason=" ")


# -- invariants over generated cases -------------------------------------------------------------


@settings(max_examples=40)
@given(st.lists(ss.cases(), max_size=4), st.integers(2018, 2029), st.integers(1, 12))
def test_every_record_has_a_decision_covering_a_day_of_the_month_made_by_the_month_end(
    drawn: list[Case], year: int, m: int
) -> None:
    cases = [attrs.evolve(c, municipality="1287") for c in drawn]
    month = Month(year, m)
    report = build_socialstyrelsen(cases, month, municipality="1287", parameters=CLEAR)
    assert len({r.person_key for r in report.records}) <= len(report.records)
    for record in report.records:
        assert 1 <= record.support_days <= (month.end - month.start).days + 1
        case = next(c for c in cases if c.person.reveal() == record.person_key)
        assert any(
            d.decision_id in record.decisions
            and d.decided_on <= month.end
            and d.period.overlaps(month.period)
            for d in case.income_support.items()
        )
    assert report.to_json_bytes() == report.to_json_bytes()  # deterministic


def test_a_pseudonymous_report_masks_identity_numbers_in_the_decision_ids() -> None:
    other = _case(9).person.reveal()
    case = _case(1, _month(MARCH, ident=f"FS-{other}"))
    report = build_socialstyrelsen([case], MARCH, municipality="1287", pseudonymizer=KEYS)
    assert report.records[0].decisions == (f"FS-{other[:8]}-****",)
    assert other not in report.to_json_bytes().decode()
    clear = build_socialstyrelsen([case], MARCH, municipality="1287", parameters=CLEAR)
    assert clear.records[0].decisions == (f"FS-{other}",)  # as recorded: names people anyway
