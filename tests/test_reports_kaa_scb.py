"""KAA to SCB per half-year: everyone in the register, their interventions, our layout."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from reports_support import HERE, many, report_cases

from ssbx_model.case import Case
from ssbx_model.errors import ReportError, RuleError
from ssbx_model.information._base import AnswerStatus
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports import HalfYear, build_kaa_scb
from ssbx_model.reports.kaa_scb import KAA_COLUMNS, KaaPerson, KaaScbReport, due_date
from ssbx_model.rules import evaluate
from ssbx_model.rules.testcases import build_case

H1 = HalfYear(2024, 1)


def young(serial: int, **facts: Any) -> Case:
    base: dict[str, Any] = {
        "birth": dt.date(2007, 5, 1),
        "schooling": {"compulsory": True},
        "kaa_register": {"entered": dt.date(2023, 8, 20), "contacted": dt.date(2023, 8, 21)},
    }
    return build_case(facts, H1.end, serial=serial, defaults=base)


def test_the_file_is_due_on_1_september_and_1_february() -> None:
    assert due_date(HalfYear(2024, 1)) == dt.date(2024, 9, 1)
    assert due_date(HalfYear(2024, 2)) == dt.date(2025, 2, 1)


def test_everyone_in_the_register_during_the_half_year_with_their_interventions() -> None:
    stays = young(
        1,
        interventions=[
            {
                "id": "INS-1",
                "type": "vagledning",
                "from": dt.date(2024, 2, 1),
                "to": dt.date(2024, 2, 28),
            },
            {
                "id": "INS-2",
                "type": "praktik",
                "from": dt.date(2023, 9, 1),
                "to": dt.date(2023, 12, 1),
            },
        ],
    )
    # Closed on 2 January: 1 January is its last day in the register (the closing day is
    # the first day out, kaa.closing_day_in_register = false).
    left_in_january = young(
        2, kaa_register={"entered": dt.date(2023, 9, 1), "closed": dt.date(2024, 1, 2)}
    )
    left_last_year = young(
        3, kaa_register={"entered": dt.date(2023, 9, 1), "closed": dt.date(2023, 12, 31)}
    )
    enters_in_july = young(4, kaa_register={"entered": dt.date(2024, 7, 1)})
    never = young(5, absent=["kaa_register"])
    report = build_kaa_scb(
        [stays, left_in_january, left_last_year, enters_in_july, never], H1, municipality=HERE
    )
    assert {p.person for p in report.persons} == {stays.person, left_in_january.person}
    first = next(p for p in report.persons if p.person == stays.person)
    assert [i.intervention_id for i in first.interventions] == ["INS-1"]
    assert report.record_count == 2


def test_the_output_says_it_replaces_earlier_files_and_identifies_people_for_scb() -> None:
    person = young(
        1,
        interventions=[
            {
                "id": "INS-1",
                "type": "vagledning",
                "from": dt.date(2024, 2, 1),
                "to": dt.date(2024, 2, 28),
            },
            {"id": "INS-2", "type": "praktik", "from": dt.date(2024, 3, 1), "to": None},
        ],
    )
    alone = young(2)
    report = build_kaa_scb([person, alone], H1, municipality=HERE)
    document = json.loads(report.to_json_bytes())
    assert document["replaces_earlier"] is True
    assert "replaces every earlier file for 2024-H1" in document["notice"]
    assert document["due"] == "2024-09-01"
    assert {p["person"] for p in document["persons"]} == {
        person.person.reveal(),
        alone.person.reveal(),
    }
    text = report.to_csv().decode()
    lines = text.splitlines()
    assert lines[0].startswith("# ssbx-kaa-scb/1 KAA to SCB, municipality 1287, half-year 2024-H1")
    assert lines[1].startswith("# This file replaces every earlier file for 2024-H1")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[2:]))))
    assert list(rows[0]) == [c.name for c in KAA_COLUMNS]
    by_person: dict[str, list[str]] = {}
    for row in rows:
        by_person.setdefault(row["personnummer"], []).append(row["insats_id"])
    assert by_person == {person.person.reveal(): ["INS-1", "INS-2"], alone.person.reveal(): [""]}
    assert person.person.reveal() not in repr(report)


def _persons(report: KaaScbReport) -> list[str]:
    return [p.person.reveal() for p in report.persons]


def test_an_entry_closed_on_the_first_day_of_the_half_year_is_not_in_it() -> None:
    # Closed on 1 January 2024: its last day in the register is 31 December 2023.
    closed = young(1, kaa_register={"entered": dt.date(2023, 9, 1), "closed": H1.start})
    assert build_kaa_scb([closed], H1, municipality=HERE).persons == ()
    second_half_2023 = build_kaa_scb([closed], HalfYear(2023, 2), municipality=HERE)
    assert _persons(second_half_2023) == [closed.person.reveal()]


def test_an_entry_closed_on_1_july_is_in_the_first_half_year_only() -> None:
    closed = young(1, kaa_register={"entered": dt.date(2024, 3, 1), "closed": dt.date(2024, 7, 1)})
    assert _persons(build_kaa_scb([closed], H1, municipality=HERE)) == [closed.person.reveal()]
    assert build_kaa_scb([closed], HalfYear(2024, 2), municipality=HERE).persons == ()


def test_the_closing_day_counts_when_the_register_says_so() -> None:
    closed = young(1, kaa_register={"entered": dt.date(2024, 3, 1), "closed": dt.date(2024, 7, 1)})
    what_if = {"kaa.closing_day_in_register": True}
    second = build_kaa_scb([closed], HalfYear(2024, 2), municipality=HERE, parameters=what_if)
    assert _persons(second) == [closed.person.reveal()]


def test_an_entry_entered_and_closed_on_the_same_day_is_in_no_file() -> None:
    same_day = young(
        1, kaa_register={"entered": dt.date(2024, 3, 1), "closed": dt.date(2024, 3, 1)}
    )
    assert build_kaa_scb([same_day], H1, municipality=HERE).persons == ()
    what_if = {"kaa.closing_day_in_register": True}
    counted = build_kaa_scb([same_day], H1, municipality=HERE, parameters=what_if)
    assert _persons(counted) == [same_day.person.reveal()]


def test_the_report_and_kaa_reconcile_agree_on_the_closing_day() -> None:
    # Issue 15, point 7: the day an entry closes is treated alike in the rule and the
    # report. Closed on 1 July: open on 30 June for both, not on 1 July for either.
    closed = young(
        1,
        kaa_register={"entered": dt.date(2024, 3, 1), "closed": dt.date(2024, 7, 1)},
        employment=[],
        studies=[],
    )
    for what_if in ({}, {"kaa.closing_day_in_register": True}):
        for half, day in ((H1, dt.date(2024, 6, 30)), (HalfYear(2024, 2), dt.date(2024, 7, 1))):
            in_file = bool(
                build_kaa_scb([closed], half, municipality=HERE, parameters=what_if).persons
            )
            decision = evaluate(closed, "kaa-reconcile", day, what_if)
            open_that_day = "kaa-reconcile.not-open" not in decision.reason_codes()
            assert in_file == open_that_day, (what_if, day)


def test_the_cross_check_runs_on_the_last_day_in_the_register() -> None:
    # Turns 20 on 2 May 2024, the day the entry closes: the last day in the register is
    # 1 May, when the kaa rule still finds the person covered, so no warning.
    turns_20 = young(
        1,
        birth=dt.date(2004, 5, 2),
        kaa_register={"entered": dt.date(2024, 3, 1), "closed": dt.date(2024, 5, 2)},
    )
    report = build_kaa_scb([turns_20], H1, municipality=HERE)
    assert _persons(report) == [turns_20.person.reveal()]
    assert report.warnings == ()
    # Had the closing day counted, the cross-check would run on the birthday and warn.
    what_if = {"kaa.closing_day_in_register": True}
    counted = build_kaa_scb([turns_20], H1, municipality=HERE, parameters=what_if)
    assert [n.code for n in counted.warnings] == ["kaa-scb.rule-not-eligible"]


def test_an_unknown_register_is_listed_and_the_rule_cross_check_warns() -> None:
    unknown = young(1, unavailable=["kaa_register"])
    turned_20 = young(2, birth=dt.date(2004, 1, 15))  # 20 on 15 January 2024
    report = build_kaa_scb([unknown, turned_20], H1, municipality=HERE)
    assert [n.code for n in report.excluded] == ["kaa-scb.register-unknown"]
    assert [p.person for p in report.persons] == [turned_20.person]  # the register decides
    assert [n.code for n in report.warnings] == ["kaa-scb.rule-not-eligible"]


@settings(max_examples=30)
@given(many(report_cases(H1.period, dt.date(2024, 7, 15), age_between=(15, 21), kaa=True)))
def test_generated_files_hold_exactly_the_register_and_its_interventions(cases: list[Case]) -> None:
    report = build_kaa_scb(cases, H1, municipality=HERE)
    expected: dict[str, list[str]] = {}
    unknown = 0
    for c in cases:
        answer = c.kaa_register
        if answer.status in (AnswerStatus.UNAVAILABLE, AnswerStatus.WITHHELD):
            unknown += 1
        if answer.value is None:
            continue
        entry = answer.value
        # The closing day is the first day out of the register (the default reading).
        last = H1.end if entry.closed_on is None else entry.closed_on - dt.timedelta(days=1)
        if entry.entered_on > H1.end or last < H1.start or last < entry.entered_on:
            continue
        first_day, last_day = max(entry.entered_on, H1.start), min(last, H1.end)
        expected[c.person.reveal()] = sorted(
            i.intervention_id
            for i in c.interventions
            if i.period.start <= last_day and (i.period.end is None or i.period.end >= first_day)
        )
    got = {
        p.person.reveal(): sorted(i.intervention_id for i in p.interventions)
        for p in report.persons
    }
    assert got == expected
    assert len(report.excluded) == unknown
    lines = report.lines()
    assert len(lines) == sum(max(1, len(ids)) for ids in expected.values())
    assert (
        report.to_json_bytes()
        == build_kaa_scb(list(reversed(cases)), H1, municipality=HERE).to_json_bytes()
    )


# -- how the file identifies a person (kaa_scb.person_key) ---------------------------------

KEYS = Pseudonymizer(b"0123456789abcdef-test-key")
PSEUDONYMOUS = {"kaa_scb.person_key": "pseudonym"}


def _two_people() -> list[Case]:
    with_intervention = young(
        1,
        interventions=[
            {"id": "INS-1", "type": "praktik", "from": dt.date(2024, 3, 1), "to": None},
        ],
    )
    return [with_intervention, young(2)]


def test_by_default_the_file_carries_the_personnummer_and_says_so() -> None:
    cases = _two_people()
    report = build_kaa_scb(cases, H1, municipality=HERE, pseudonymizer=KEYS)
    assert report.person_key == "personnummer"  # the key is not used by default
    # The default file is what it was before the parameter: no "person_key" member, so
    # its content hash (and a ledger's entry for it) is unchanged.
    assert "person_key" not in json.loads(report.to_json_bytes())
    rows = list(
        csv.DictReader(
            line for line in io.StringIO(report.to_csv().decode()) if not line.startswith("#")
        )
    )
    assert {r["personnummer"] for r in rows} == {c.person.reveal() for c in cases}


def test_a_pseudonymous_file_holds_no_identity_number_anywhere() -> None:
    cases = _two_people()
    report = build_kaa_scb(
        cases, H1, municipality=HERE, parameters=PSEUDONYMOUS, pseudonymizer=KEYS
    )
    scoped = attrs.evolve(KEYS, domain=f"{KEYS.domain}/kaa-scb")
    expected = sorted(scoped.key_for(c.person) for c in cases)
    document = json.loads(report.to_json_bytes())
    assert document["person_key"] == "pseudonym"
    assert [p["person"] for p in document["persons"]] == expected  # sorted by pseudonym
    text = report.to_csv().decode()
    header = next(csv.reader(line for line in text.splitlines() if not line.startswith("#")))
    assert header[2] == "pseudonym"
    assert "personnummer" not in header
    for case in cases:
        digits = case.person.reveal()
        for shown in (digits, digits.replace("-", ""), digits[2:]):
            assert shown not in text
            assert shown not in report.to_json_bytes().decode()
            assert shown not in repr(report.persons)
    # the same person gets the same pseudonym in the next half-year's file
    later = build_kaa_scb(
        cases, HalfYear(2024, 2), municipality=HERE, parameters=PSEUDONYMOUS, pseudonymizer=KEYS
    )
    assert {p.person_key for p in later.persons} <= set(expected)


def test_the_pseudonyms_are_the_reports_own_not_inuks_or_socialstyrelsens() -> None:
    (case,) = _two_people()[:1]
    report = build_kaa_scb(
        [case], H1, municipality=HERE, parameters=PSEUDONYMOUS, pseudonymizer=KEYS
    )
    assert report.persons[0].person_key != KEYS.key_for(case.person)
    socialstyrelsen = attrs.evolve(KEYS, domain=f"{KEYS.domain}/socialstyrelsen")
    assert report.persons[0].person_key != socialstyrelsen.key_for(case.person)


def test_a_pseudonymous_file_needs_a_key_and_the_reading_must_be_one_of_two() -> None:
    cases = _two_people()
    with pytest.raises(ReportError, match="pass a pseudonymizer"):
        build_kaa_scb(cases, H1, municipality=HERE, parameters=PSEUDONYMOUS)
    with pytest.raises(RuleError, match="'personnummer' or 'pseudonym', not 'initials'"):
        build_kaa_scb(cases, H1, municipality=HERE, parameters={"kaa_scb.person_key": "initials"})


@settings(max_examples=20)
@given(many(report_cases(H1.period, dt.date(2024, 7, 15), age_between=(15, 21), kaa=True)))
def test_a_pseudonymous_file_has_the_same_people_and_none_of_their_numbers(
    cases: list[Case],
) -> None:
    clear = build_kaa_scb(cases, H1, municipality=HERE, cross_check=False)
    hidden = build_kaa_scb(
        cases,
        H1,
        municipality=HERE,
        cross_check=False,
        parameters=PSEUDONYMOUS,
        pseudonymizer=KEYS,
    )
    assert sorted(p.person for p in hidden.persons) == sorted(p.person for p in clear.persons)
    assert len(hidden.lines()) == len(clear.lines())
    written = hidden.to_json_bytes().decode() + hidden.to_csv().decode()
    for case in cases:
        assert case.person.reveal() not in written
        assert case.person.reveal().replace("-", "")[2:] not in written


def _numbers_in_free_text() -> tuple[Case, Case]:
    # Another young person's number typed into the municipality's free text.
    other = young(7)
    number = other.person.reveal()
    case = young(
        3,
        kaa_register={
            "entered": dt.date(2023, 8, 20),
            "contacted": dt.date(2023, 8, 21),
            "closed": dt.date(2024, 6, 1),
            "close_reason": f"flyttat, se {number}",
        },
        interventions=[
            {
                "id": f"INS-{number}",
                "type": "praktik",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 5, 31),
                "name": f"Praktik för {number}",
                "provider": f"Firma {number.replace('-', '')}",
            },
        ],
    )
    return case, other


def test_a_pseudonymous_file_masks_identity_numbers_in_free_text_too() -> None:
    case, other = _numbers_in_free_text()
    number = other.person.reveal()
    report = build_kaa_scb(
        [case], H1, municipality=HERE, parameters=PSEUDONYMOUS, pseudonymizer=KEYS
    )
    written = report.to_json_bytes().decode() + report.to_csv().decode()
    assert number not in written
    assert number.replace("-", "") not in written
    (person,) = report.persons
    (intervention,) = person.interventions
    masked = f"{number[:8]}-****"
    assert intervention.intervention_id == f"INS-{masked}"
    assert intervention.local_name == f"Praktik för {masked}"
    assert intervention.provider == f"Firma {masked}"
    assert person.entry.close_reason == f"flyttat, se {masked}"
    # The default file carries identity numbers anyway: its free text is as recorded.
    clear = build_kaa_scb([case], H1, municipality=HERE)
    assert clear.persons[0].interventions[0].intervention_id == f"INS-{number}"
    assert clear.persons[0].entry.close_reason == f"flyttat, se {number}"


def test_a_person_built_without_a_key_carries_the_number_and_a_report_only_two_readings() -> None:
    case = young(1)
    entry = case.kaa_register.value
    assert entry is not None
    person = KaaPerson(case.person, entry, ())  # as before the parameter
    assert person.person_key == case.person.reveal()
    assert case.person.reveal() not in repr(person)
    with pytest.raises(ValueError, match="person_key"):
        KaaScbReport(period=H1, municipality=HERE, persons=(person,), person_key="initials")
