"""INUK monthly: who is reported, mapping, mandatory end dates, closed months, pseudonyms."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from reports_support import HERE, KEY, PSEUDONYMIZER, case, intervention, many, report_cases

from ssbx_model import codes
from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.errors import ReportError, ValidationError
from ssbx_model.information.intervention import InterventionStatus
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports import (
    InukMapping,
    Month,
    ReportInputError,
    build_inuk,
    example_mapping,
    load_inuk_mapping,
    month_closes_at,
)
from ssbx_model.rules.inuk import inuk_reportable

MARCH = Month(2024, 3)
CLOSES = month_closes_at(MARCH)  # 2024-04-06 00:00 Swedish time
YOUNG = dt.date(2004, 6, 1)  # 19 on 1 March 2024
OLD = dt.date(1980, 6, 1)
MAPPING = InukMapping.from_dict(
    {
        "Lokal praktik": "praktik",
        "Lokal coachning": "coachning",
        "Lokal arbetstraning": "arbetstraning",
    }
)
INUK_KEYS = Pseudonymizer(KEY, domain="ssbx/inuk")


def build(cases: list[Case], **kwargs: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = {
        "municipality": HERE,
        "pseudonymizer": PSEUDONYMIZER,
        "mapping": MAPPING,
    }
    options.update(kwargs)
    return build_inuk(cases, MARCH, **options)  # type: ignore[arg-type]


def test_a_young_person_s_intervention_is_reported_pseudonymously() -> None:
    young = case(YOUNG, intervention("INS-1"), female=False, reference="ÄR-1")
    report = build([young])
    [record] = report.records
    assert record.person == INUK_KEYS.key_for(young.person)
    assert record.person != Pseudonymizer(KEY).key_for(young.person)  # its own key space
    assert record.gender.value == "M"
    assert record.category == "praktik"
    assert (record.start, record.end, record.extent) == (
        dt.date(2024, 3, 1),
        dt.date(2024, 5, 31),
        50,
    )
    body = report.to_json().decode()
    digits = young.person.reveal()
    assert digits not in body
    assert digits.replace("-", "") not in body
    assert digits[2:] not in body
    assert young.person.reveal() not in repr(report)
    doc = json.loads(body)
    assert doc["period"] == "2024-03"
    assert doc["municipality"] == HERE
    assert doc["category_list"] == {
        "id": "inuk-category",
        "version": codes.load("inuk-category").version,
    }
    assert doc["records"][0]["person"] == record.person


def test_only_the_target_group_and_reported_kinds_appear() -> None:
    cases = [
        case(OLD, intervention("INS-old")),  # 43 years old
        case(YOUNG, intervention("INS-af", "extratjanst")),  # AF decides it
        case(YOUNG, intervention("INS-joint", "traineejobb")),  # joint effort
        case(YOUNG, intervention("INS-summer", "feriejobb")),  # summer job
        case(
            YOUNG,
            intervention("INS-plan", start=dt.date(2024, 4, 1), status=InterventionStatus.PLANNED),
        ),  # not in March
        case(YOUNG, intervention("INS-feb", start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29))),
        case(YOUNG, intervention("INS-other"), municipality="0180"),  # another municipality
        case(YOUNG, intervention("INS-ok", "coachning")),
    ]
    report = build(cases)
    assert [r.category for r in report.records] == ["coachning"]
    assert report.excluded == ()


def test_every_unmapped_activity_name_is_listed_once() -> None:
    cases = [
        case(
            YOUNG,
            intervention("INS-1", name="Jobbspåret"),
            intervention("INS-2", name="Jobbspåret"),
        ),
        case(YOUNG, intervention("INS-3", name="Sommarskolan")),
        case(YOUNG, intervention("INS-4", name="Ungdomslyftet", inuk_category="studier")),
        case(OLD, intervention("INS-5", name="Vuxenspåret")),  # not reported: not needed
    ]
    with pytest.raises(ReportInputError) as caught:
        build(cases)
    problems = caught.value.problems
    assert len(problems) == 2
    assert "'Jobbspåret'" in problems[0].message
    assert "2 intervention(s)" in problems[0].message
    assert problems[0].path == "cases[0].interventions[0].local_name"
    assert "'Sommarskolan'" in problems[1].message
    assert "Vuxenspåret" not in str(caught.value)


def test_mapping_ignores_case_and_spaces_and_own_categories_win() -> None:
    young = case(
        YOUNG,
        intervention("INS-1", name="  lokal   PRAKTIK "),
        intervention("INS-2", name="Lokal praktik", inuk_category="kartlaggning"),
    )
    report = build([young])
    assert sorted(r.category for r in report.records) == ["kartlaggning", "praktik"]


def test_interventions_without_end_date_are_rejected_with_a_full_list() -> None:
    cases = [
        case(YOUNG, intervention("INS-1", end=None), reference="ÄR-7"),
        case(YOUNG, intervention("INS-2"), intervention("INS-3", end=None, name="Okänd")),
        case(OLD, intervention("INS-4", end=None)),  # not in the target group: no problem
    ]
    with pytest.raises(ReportInputError) as caught:
        build(cases)
    paths = [p.path for p in caught.value.problems]
    assert paths == ["cases[0].interventions[0].period.end", "cases[1].interventions[1].period.end"]
    assert "'ÄR-7'" in caught.value.problems[0].message
    assert "no end date" in str(caught.value)
    # An intervention without an end date is listed, not also reported as unmapped.
    assert "Okänd" not in " ".join(
        p.message for p in caught.value.problems if "mapped" in p.message
    )


def test_late_changes_to_a_closed_month_are_excluded_with_the_reason() -> None:
    just_in_time = CLOSES - dt.timedelta(seconds=1)
    cases = [
        case(YOUNG, intervention("INS-late", changed_at=CLOSES), reference="ÄR-9"),
        case(YOUNG, intervention("INS-in-time", changed_at=just_in_time)),
    ]
    report = build(cases)
    assert len(report.records) == 1
    [notice] = report.excluded
    assert notice.code == "inuk.late-change"
    assert notice.intervention_id == "INS-late"
    assert notice.reference == "ÄR-9"
    assert "no retroactive changes" in notice.message
    assert notice.path == "cases[0].interventions[0]"


def test_a_late_change_is_excluded_even_without_an_end_date() -> None:
    report = build([case(YOUNG, intervention("INS-1", end=None, changed_at=CLOSES))])
    assert report.records == ()
    assert [n.code for n in report.excluded] == ["inuk.late-change"]


def test_the_report_is_the_same_bytes_in_any_input_order() -> None:
    cases = [case(YOUNG, intervention(f"INS-{i}", "coachning")) for i in range(5)]
    first = build(cases).to_payload()
    second = build(list(reversed(cases))).to_payload()
    assert first.body == second.body
    assert first.content_hash == second.content_hash
    assert build(cases).to_payload("csv").body.startswith(b'"record_id","person"')


def test_records_have_stable_ids_per_month() -> None:
    young = case(YOUNG, intervention("INS-1", end=dt.date(2024, 4, 30)))
    march = build([young]).records[0]
    april = build_inuk(
        [young], Month(2024, 4), municipality=HERE, pseudonymizer=PSEUDONYMIZER, mapping=MAPPING
    ).records[0]
    assert march.activity == april.activity
    assert march.person == april.person
    assert march.record_id != april.record_id


def test_a_vendor_category_list_replaces_ours(tmp_path: Path) -> None:
    vendor = tmp_path / "inuk.toml"
    vendor.write_text(
        """
[list]
id = "inuk-category"
version = "INUK-7"
title_sv = "INUK"
title_en = "INUK"
owner = "Arbetsförmedlingen"
citation = "the list INUK gave us"

[[entry]]
code = "A1"
label_sv = "Arbetsplatsförlagd aktivitet"
label_en = "Workplace activity"
valid_from = 2019-01-01
citation = "INUK"
""",
        encoding="utf-8",
    )
    categories = codes.load_file(vendor, expect_id="inuk-category")
    mapped = InukMapping.from_dict({"Lokal praktik": "A1"})
    report = build([case(YOUNG, intervention("INS-1"))], mapping=mapped, categories=categories)
    assert report.records[0].category == "A1"
    assert report.category_version == "INUK-7"
    with pytest.raises(ReportInputError, match="unknown code 'praktik'"):
        build([case(YOUNG, intervention("INS-1"))], categories=categories)
    with pytest.raises(ReportError, match="must have the id"):
        build([], categories=codes.load("af-program"))


def test_the_example_mapping_file_loads_and_its_codes_are_in_our_list() -> None:
    mapping = example_mapping()
    ours = codes.load("inuk-category")
    assert len(mapping) > 5
    assert set(mapping.activities.values()) <= ours.codes
    assert mapping.category_version == ours.version
    assert mapping.category_of("jobbcoachning") == "coachning"


def test_a_bad_mapping_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(
        '[mapping]\nowner = "me"\ncategory_list = "af-program"\n\n'
        '[activities]\n"Praktik" = "praktik"\n"praktik " = "studier"\n"Tom" = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        load_inuk_mapping(path)
    text = str(caught.value)
    assert "mapping.owner" in text
    assert "category_list" in text
    assert "'Tom'" in text
    assert str(path) in text


def test_a_mapping_for_another_list_version_or_municipality_is_refused() -> None:
    mapping = InukMapping.from_dict(
        {"Lokal praktik": "praktik"}, category_version="1999.1", municipality="0180"
    )
    with pytest.raises(ReportInputError) as caught:
        build([case(YOUNG, intervention("INS-1"))], mapping=mapping)
    text = str(caught.value)
    assert "version 1999.1" in text
    assert "municipality 0180" in text


# --------------------------------------------------------------------------------------
# Against the rule, over generated cases
# --------------------------------------------------------------------------------------

generated = many(report_cases(MARCH.period, dt.date(2024, 4, 10)))


@settings(max_examples=50)
@given(generated)
def test_generated_reports_agree_with_the_inuk_rule(cases: list[Case]) -> None:
    names = {i.local_name for c in cases for i in c.interventions}
    mapping = InukMapping.from_dict(dict.fromkeys(names, "ovrigt"))
    types = codes.load("intervention-type")
    expected = []  # (person key, start, end, extent, category) of each reportable one
    late: set[str] = set()
    open_ended: set[str] = set()
    for ci, c in enumerate(cases):
        for ii, i in enumerate(c.interventions):
            if not i.period.overlaps(MARCH.period):
                continue
            path = f"cases[{ci}].interventions[{ii}]"
            probe = i if i.period.end else attrs.evolve(i, period=Period(i.period.start, MARCH.end))
            if not inuk_reportable(c, probe, MARCH.end).is_eligible:
                continue
            # Nobody outside the target group, no excluded kind.
            assert 16 <= c.person.age_on(i.period.start) <= 24
            assert types.get(i.intervention_type).attributes["af_decided"] == "no"
            assert types.get(i.intervention_type).attributes["summer_job"] == "no"
            if i.changed_at is not None and i.changed_at >= CLOSES:
                late.add(path)
            elif i.period.end is None:
                open_ended.add(f"{path}.period.end")
            else:
                category = i.inuk_category or "ovrigt"
                key = INUK_KEYS.key_for(c.person)
                expected.append((key, i.period.start, i.period.end, i.extent.percent, category))
    if open_ended:
        with pytest.raises(ReportInputError) as caught:
            build_inuk(
                cases, MARCH, municipality=HERE, pseudonymizer=PSEUDONYMIZER, mapping=mapping
            )
        assert {p.path for p in caught.value.problems} == open_ended
        return
    report = build_inuk(
        cases, MARCH, municipality=HERE, pseudonymizer=PSEUDONYMIZER, mapping=mapping
    )
    assert {n.path for n in report.excluded} == late
    assert all(n.code == "inuk.late-change" for n in report.excluded)
    got = sorted((r.person, r.start, r.end, r.extent, r.category) for r in report.records)
    assert got == sorted(expected)
    assert len({r.record_id for r in report.records}) == len(report.records)
    body = report.to_json().decode().replace("-", "")
    assert not any(c.person.reveal().replace("-", "") in body for c in cases)
