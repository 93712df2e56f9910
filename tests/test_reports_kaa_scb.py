"""KAA to SCB per half-year: everyone in the register, their interventions, our layout."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from hypothesis import given, settings
from reports_support import HERE, many, report_cases

from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.reports import HalfYear, build_kaa_scb
from ssbx_model.reports.kaa_scb import KAA_COLUMNS, due_date
from ssbx_model.rules.testcases import build_case

H1 = HalfYear(2024, 1)


def young(serial: int, **facts: Any) -> Case:
    base: dict[str, Any] = {
        "birth": dt.date(2007, 5, 1),
        "schooling": {"compulsory": True},
        "kaa_register": {"entered": dt.date(2023, 8, 20), "contacted": dt.date(2023, 8, 21)},
    }
    return build_case({**base, **facts}, H1.end, serial=serial)


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
    left_in_january = young(
        2, kaa_register={"entered": dt.date(2023, 9, 1), "closed": dt.date(2024, 1, 1)}
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
    document = json.loads(report.to_json())
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
        last = entry.closed_on or H1.end
        if entry.entered_on > H1.end or last < H1.start:
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
    assert report.to_json() == build_kaa_scb(list(reversed(cases)), H1, municipality=HERE).to_json()
