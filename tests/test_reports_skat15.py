"""The Dua category-15 monthly report: who, which interventions, and what never appears."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from hypothesis import given, settings
from reports_support import HERE, many, report_cases

from ssbx_model import codes
from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.reports import Month, build_skat15
from ssbx_model.rules.testcases import build_case

MARCH = Month(2024, 3)

# A young person in the category-15 group (the rule's own test cases start from the same).
ELIGIBLE: dict[str, Any] = {
    "birth": dt.date(2004, 3, 10),
    "enrolment": {"from": dt.date(2024, 1, 2), "category": "15", "type": "kommuninsats"},
    "employment": [],
    "studies": [],
    "programs": [],
    "schooling": {"compulsory": True},
    "interventions": [
        {
            "id": "INS-1",
            "type": "coachning",
            "from": dt.date(2024, 3, 1),
            "to": dt.date(2024, 9, 30),
        }
    ],
    "consultations": [{"on": dt.date(2024, 2, 20)}],
    "consents": [
        {
            "kind": "dua-information-exchange",
            "from": dt.date(2024, 2, 20),
            "scope": ["labour-market"],
        }
    ],
}


def young(serial: int = 1, **changes: Any) -> Case:
    return build_case(changes, MARCH.end, serial=serial, defaults=ELIGIBLE)


def test_a_young_person_in_category_15_is_reported_with_type_length_and_provider() -> None:
    person = young()
    report = build_skat15([person], MARCH, municipality=HERE)
    [row] = report.rows
    assert row.person == person.person
    assert (row.intervention_type, row.type_label) == ("coachning", "Coachning")
    assert (row.start, row.end, row.days) == (dt.date(2024, 3, 1), dt.date(2024, 9, 30), 214)
    assert row.provider
    assert report.warnings == ()
    assert report.excluded == ()
    # AF identifies the young person by the personnummer: it is in the file, not in repr.
    document = json.loads(report.to_json_bytes())
    assert document["rows"][0]["person"] == person.person.reveal()
    assert person.person.reveal() not in repr(report)
    assert person.person.reveal() not in repr(row)
    lines = list(csv.DictReader(io.StringIO(report.to_csv().decode())))
    assert lines[0]["personnummer"] == person.person.reveal()
    assert lines[0]["langd_dagar"] == "214"


def test_excluded_kinds_never_appear_and_are_listed() -> None:
    person = young(
        interventions=[
            {
                "id": "INS-1",
                "type": "coachning",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 31),
            },
            {
                "id": "INS-2",
                "type": "feriejobb",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 31),
            },
            {
                "id": "INS-3",
                "type": "extratjanst",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 31),
            },
            {
                "id": "INS-4",
                "type": "traineejobb",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 31),
            },
            {
                "id": "INS-5",
                "type": "utbildningskontrakt",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 31),
            },
        ]
    )
    report = build_skat15([person], MARCH, municipality=HERE, cross_check=False)
    assert [r.intervention_id for r in report.rows] == ["INS-1"]
    assert [(n.code, n.intervention_id) for n in report.excluded] == [
        ("skat15.not-reported-kind", f"INS-{i}") for i in (2, 3, 4, 5)
    ]
    assert "summer job" in report.excluded[0].message
    assert "AF program EXTRATJANST" in report.excluded[1].message


def test_only_interventions_during_the_category_15_days_count() -> None:
    person = young(
        enrolment={"from": dt.date(2024, 3, 20), "category": "15"},
        interventions=[
            {
                "id": "INS-early",
                "type": "praktik",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 10),
            },
            {
                "id": "INS-late",
                "type": "praktik",
                "from": dt.date(2024, 3, 15),
                "to": dt.date(2024, 4, 15),
            },
            {
                "id": "INS-april",
                "type": "praktik",
                "from": dt.date(2024, 4, 1),
                "to": dt.date(2024, 4, 15),
            },
        ],
    )
    report = build_skat15([person], MARCH, municipality=HERE, cross_check=False)
    assert [r.intervention_id for r in report.rows] == ["INS-late"]


def test_people_in_other_categories_or_municipalities_do_not_appear() -> None:
    other = young(serial=2, enrolment={"from": dt.date(2024, 1, 2), "category": "11"})
    elsewhere = young(serial=3, municipality="0180")
    report = build_skat15([other, elsewhere], MARCH, municipality=HERE, cross_check=False)
    assert report.rows == ()


def test_an_unknown_enrolment_is_listed_not_guessed() -> None:
    person = young(unavailable=["enrolment"])
    report = build_skat15([person], MARCH, municipality=HERE)
    assert report.rows == ()
    [notice] = report.excluded
    assert notice.code == "skat15.enrolment-unknown"
    assert "unavailable" in notice.message


def test_the_rule_cross_check_warns_both_ways() -> None:
    too_old = young(serial=4, birth=dt.date(1990, 1, 1))
    not_set = young(serial=5, enrolment={"from": dt.date(2024, 1, 2), "category": "11"})
    report = build_skat15([too_old, not_set], MARCH, municipality=HERE)
    assert [r.person for r in report.rows] == [too_old.person]  # AF's category decides
    codes_by_path = {n.path: n.code for n in report.warnings}
    assert codes_by_path == {
        "cases[0]": "skat15.rule-not-eligible",
        "cases[1]": "skat15.eligible-without-category-15",
    }
    assert "skat15.age.outside-band" in report.warnings[0].message


@settings(max_examples=30)
@given(many(report_cases(MARCH.period, dt.date(2024, 4, 2), enrolment=True)))
def test_generated_reports_hold_only_category_15_people_and_reported_kinds(
    cases: list[Case],
) -> None:
    report = build_skat15(cases, MARCH, municipality=HERE)
    types = codes.load("intervention-type")
    expected = []
    excluded = 0
    for c in cases:
        if c.enrolment.status is not AnswerStatus.KNOWN:
            continue
        assert c.enrolment.value is not None
        days = [
            s.period.intersection(MARCH.period)
            for s in c.enrolment.value.spells
            if s.applicant_category == "15"
        ]
        days = [d for d in days if d is not None]
        for i in c.interventions:
            if not any(i.period.overlaps(d) for d in days):
                continue
            attributes = types.get(i.intervention_type).attributes
            if attributes["af_decided"] == "yes" or attributes["summer_job"] == "yes":
                excluded += 1
            else:
                expected.append((c.person.reveal(), i.intervention_id))
    assert sorted((r.person.reveal(), r.intervention_id) for r in report.rows) == sorted(expected)
    assert sum(n.code == "skat15.not-reported-kind" for n in report.excluded) == excluded
    for row in report.rows:
        attributes = types.get(row.intervention_type).attributes
        assert attributes["af_decided"] == "no"
        assert attributes["summer_job"] == "no"
    assert report.people == len({p for p, _ in expected})
    assert (
        report.to_json_bytes()
        == build_skat15(list(reversed(cases)), MARCH, municipality=HERE).to_json_bytes()
    )
