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
from ssbx_model.errors import ReportError, RuleError, ValidationError
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
    body = report.to_json_bytes().decode()
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


def test_only_the_target_group_and_current_interventions_appear() -> None:
    cases = [
        case(OLD, intervention("INS-old")),  # 43 years old
        case(
            YOUNG,
            intervention("INS-plan", start=dt.date(2024, 4, 1), status=InterventionStatus.PLANNED),
        ),  # not in March
        case(
            YOUNG,
            intervention("INS-stale", start=dt.date(2024, 3, 4), status=InterventionStatus.PLANNED),
        ),  # its planned first day came, but it has not begun: not current
        case(YOUNG, intervention("INS-feb", start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29))),
        case(YOUNG, intervention("INS-other"), municipality="0180"),  # another municipality
        case(YOUNG, intervention("INS-ok", "coachning")),
    ]
    report = build(cases)
    assert [r.category for r in report.records] == ["coachning"]
    assert report.excluded == ()


# Dua's exclusions, each in a category of its own so the records show which stayed.
_KINDS = (
    ("INS-af", "extratjanst", "anstallning-med-stod"),  # AF decides it
    ("INS-joint", "traineejobb", "praktik"),  # a joint effort of AF and the municipality
    ("INS-summer", "feriejobb", "ovrigt"),  # a summer job
    ("INS-own", "coachning", "coachning"),
)


@pytest.mark.parametrize(
    ("parameters", "left_out"),
    [
        ({}, set()),
        ({"inuk.exclude.af_decided": True}, {"anstallning-med-stod"}),
        ({"inuk.exclude.joint_efforts": True}, {"praktik"}),
        ({"inuk.exclude.summer_jobs": True}, {"ovrigt"}),
        (
            {
                "inuk.exclude.af_decided": True,
                "inuk.exclude.joint_efforts": True,
                "inuk.exclude.summer_jobs": True,
            },
            {"anstallning-med-stod", "praktik", "ovrigt"},
        ),
    ],
)
def test_dua_exclusions_apply_only_when_their_parameters_are_set(
    parameters: dict[str, bool], left_out: set[str]
) -> None:
    # INUK's own text names no exclusion ("det system ni använder för att följa deltagare
    # i arbetsmarknadsinsatser"): by default AF-decided measures, joint efforts and summer
    # jobs are reported; each of Dua's exclusions is a parameter.
    cases = [case(YOUNG, intervention(i, kind, inuk_category=c)) for i, kind, c in _KINDS]
    report = build(cases, parameters=parameters)
    every = {c for _, _, c in _KINDS}
    assert {r.category for r in report.records} == every - left_out
    assert len(report.records) == len(every - left_out)


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


@pytest.mark.parametrize(
    ("month", "working_day", "month_end"),
    [
        # Easter Monday is 1 April 2024: the working days are 2, 3, 4 and 5 April; summer
        # time began on 31 March.
        (Month(2024, 3), "2024-04-06T00:00:00+02:00", "2024-04-01T00:00:00+02:00"),
        # A leap year: 29 February is the month's last day.
        (Month(2024, 2), "2024-03-07T00:00:00+01:00", "2024-03-01T00:00:00+01:00"),
        # 6 June, the national day, is a Thursday: the 4th working day is Friday 7 June.
        (Month(2024, 5), "2024-06-08T00:00:00+02:00", "2024-06-01T00:00:00+02:00"),
        # New Year's Day and Epiphany (Monday 6 January 2025): 2, 3, 7 and 8 January.
        (Month(2024, 12), "2025-01-09T00:00:00+01:00", "2025-01-01T00:00:00+01:00"),
    ],
)
def test_both_readings_of_the_month_close(month: Month, working_day: str, month_end: str) -> None:
    # "Data visas först efter nästkommande månads 4 arbetsdag" (the default) and "Data
    # uppdateras en gång i månaden, 4 dagar in i 'nya' månaden. All data som skickats in
    # under föregående månad kommer då att visas" (month-end).
    assert month_closes_at(month).isoformat() == working_day
    explicit = {"inuk.month_close": "working-day"}
    assert month_closes_at(month, parameters=explicit).isoformat() == working_day
    reading = {"inuk.month_close": "month-end"}
    assert month_closes_at(month, parameters=reading).isoformat() == month_end


def test_a_reading_or_working_day_outside_those_described_is_refused() -> None:
    with pytest.raises(RuleError, match=r"'inuk\.month_close' must be 'working-day' or"):
        month_closes_at(MARCH, parameters={"inuk.month_close": "calendar-day"})
    with pytest.raises(RuleError, match=r"'inuk\.month_closes_after_working_day' must be"):
        month_closes_at(MARCH, parameters={"inuk.month_closes_after_working_day": 0})
    with pytest.raises(RuleError, match="must be a str"):
        month_closes_at(MARCH, parameters={"inuk.month_close": 4})


def test_with_the_month_end_reading_a_change_after_the_month_ended_is_late() -> None:
    reading = {"inuk.month_close": "month-end"}
    closes = dt.datetime.fromisoformat("2024-04-01T00:00:00+02:00")
    cases = [
        case(YOUNG, intervention("INS-late", changed_at=closes), reference="ÄR-9"),
        case(YOUNG, intervention("INS-in-time", changed_at=closes - dt.timedelta(seconds=1))),
    ]
    report = build(cases, parameters=reading)
    assert report.closes_at == closes
    assert len(report.records) == 1
    assert [n.intervention_id for n in report.excluded] == ["INS-late"]
    # The default reading: the same change on 1 April is in time for March.
    assert len(build(cases).records) == 2


def test_the_record_of_the_month_an_intervention_ended_in_carries_its_result() -> None:
    ended = InterventionStatus.ENDED
    young = case(
        YOUNG,
        intervention(
            "INS-1", start=dt.date(2024, 2, 1), end=dt.date(2024, 3, 20), status=ended,
            result="studier",
        ),
        intervention(
            "INS-2", start=dt.date(2024, 2, 1), end=dt.date(2024, 3, 31), status=ended,
            result="okant", name="Lokal coachning",
        ),
        intervention(  # ended without a result recorded
            "INS-3", start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 1), status=ended,
            name="Lokal arbetstraning",
        ),
    )  # fmt: skip
    march = build([young])
    assert sorted((r.category, r.result) for r in march.records) == [
        ("arbetstraning", None),
        ("coachning", "okant"),
        ("praktik", "studier"),
    ]
    records = {r["category"]: r for r in json.loads(march.to_json_bytes())["records"]}
    assert records["praktik"]["result"] == "studier"
    assert records["coachning"]["result"] == "okant"  # "not known" is a result
    assert "result" not in records["arbetstraning"]  # none recorded: no key
    assert b'"studier"' in march.to_csv()
    # February's records: the interventions had not ended yet, so no result.
    february = build_inuk(
        [young], Month(2024, 2), municipality=HERE, pseudonymizer=PSEUDONYMIZER, mapping=MAPPING
    )
    assert [r.result for r in february.records] == [None, None]
    assert all("result" not in r for r in json.loads(february.to_json_bytes())["records"])


def test_a_record_without_a_result_keeps_the_earlier_format_byte_for_byte() -> None:
    # Months sent before results were carried must hash the same when built again, or
    # the ledger would see other content for a closed month.
    [record] = build([case(YOUNG, intervention("INS-1"))]).records
    assert list(record.to_json()) == [
        "record_id", "person", "gender", "activity", "category", "start", "end", "extent",
    ]  # fmt: skip


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
            # Nobody outside the target group, nothing merely planned.
            assert 16 <= c.person.age_on(i.period.start) <= 24
            assert i.status is not InterventionStatus.PLANNED
            assert i.intervention_type in types
            if i.changed_at is not None and i.changed_at >= CLOSES:
                late.add(path)
            elif i.period.end is None:
                open_ended.add(f"{path}.period.end")
            else:
                category = i.inuk_category or "ovrigt"
                key = INUK_KEYS.key_for(c.person)
                # The result travels in the record of the month the intervention ended in.
                result = i.result if i.period.end in MARCH.period else None
                expected.append(
                    (key, i.period.start, i.period.end, i.extent.percent, category, result)
                )
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
    got = sorted((r.person, r.start, r.end, r.extent, r.category, r.result) for r in report.records)
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    assert len({r.record_id for r in report.records}) == len(report.records)
    body = report.to_json_bytes().decode().replace("-", "")
    assert not any(c.person.reveal().replace("-", "") in body for c in cases)
