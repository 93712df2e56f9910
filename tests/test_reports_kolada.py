"""Kolada annual figures: counts per category and gender, small cells never shown."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reports_support import many, report_cases

from ssbx_model import codes
from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.errors import ReportError
from ssbx_model.identity import Personnummer
from ssbx_model.information._base import Provider
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.reports import Year, build_kolada, suppress_small_cells
from ssbx_model.reports.kolada import ALL_CATEGORIES, GENDERS

YEAR = Year(2024)
HERE = "1287"


def _groups(categories: list[str]) -> list[list[tuple[str, str]]]:
    rows = [[(c, g) for g in GENDERS] for c in categories]
    columns = [[(c, g) for c in categories] for g in GENDERS]
    return rows + columns


def _check_protected(
    counts: dict[str, dict[str, int]], hidden: frozenset[tuple[str, str]], limit: int
) -> None:
    for category, row in counts.items():
        for gender in GENDERS:
            if (category, gender) not in hidden:
                assert row[gender] >= limit, "a shown cell is below the limit"
    for group in _groups(sorted(counts)):
        assert sum(cell in hidden for cell in group) != 1, f"one lone hidden cell in {group}"


gender_counts = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(
    lambda km: {"K": km[0], "M": km[1], "T": km[0] + km[1]}
)


@given(
    st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), gender_counts, min_size=1),
    st.integers(1, 10),
)
def test_suppression_never_shows_a_small_cell_nor_a_lone_hidden_one(
    table: dict[str, dict[str, int]], limit: int
) -> None:
    counts = dict(table)
    counts[ALL_CATEGORIES] = {g: sum(r[g] for r in table.values()) for g in GENDERS}
    hidden = suppress_small_cells(counts, limit)
    _check_protected(counts, hidden, limit)


def test_a_small_cell_takes_its_smallest_neighbour_with_it() -> None:
    counts = {
        "praktik": {"T": 9, "K": 6, "M": 3},
        "coachning": {"T": 20, "K": 10, "M": 10},
        ALL_CATEGORIES: {"T": 29, "K": 16, "M": 13},
    }
    hidden = suppress_small_cells(counts, 5)
    # M of praktik is small; in its row K (6) is smaller than T (9); then column K and
    # column M each have one hidden cell, so their smallest shown cells go too.
    assert ("praktik", "M") in hidden
    assert ("praktik", "K") in hidden
    assert ("coachning", "K") in hidden
    assert ("coachning", "M") in hidden
    _check_protected(counts, hidden, 5)


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ReportError, match="limit"):
        suppress_small_cells({"a": {"T": 1, "K": 1, "M": 0}}, 0)


def _case(serial: int, types: list[str], *, female: bool, municipality: str = HERE) -> Case:
    # The second-to-last digit of the serial decides the legal gender (even: female).
    serial = serial * 10 + (2 if female else 1)
    person = Personnummer.from_birth_date(dt.date(1990, 1, 1), serial)
    interventions = tuple(
        MunicipalIntervention(
            intervention_id=f"INS-{i}",
            local_name=kind,
            intervention_type=kind,
            period=Period(dt.date(2024, 3, 1), dt.date(2024, 5, 31)),
            extent=Extent(50),
            provider=Provider("Arbetsmarknadsenheten"),
            status=InterventionStatus.ENDED,
        )
        for i, kind in enumerate(types)
    )
    return Case(person=person, municipality=municipality, interventions=interventions)


def test_counts_people_once_per_category_and_once_in_all() -> None:
    cases = [_case(n, ["praktik", "praktik"], female=n % 2 == 0) for n in range(12)]
    cases += [_case(20 + n, ["praktik", "coachning"], female=True) for n in range(6)]
    cases += [_case(40, ["praktik"], female=True, municipality="0180")]  # elsewhere
    cases += [_case(41, ["feriejobb"], female=True)]  # summer jobs do not count
    report = build_kolada(cases, YEAR, municipality=HERE)
    praktik = next(r for r in report.rows if r.category == "praktik")
    assert [(c.gender, c.value) for c in praktik.cells] == [("T", 18), ("K", 12), ("M", 6)]
    everyone = next(r for r in report.rows if r.category == ALL_CATEGORIES)
    assert everyone.cell("T").value == 18
    coachning = next(r for r in report.rows if r.category == "coachning")
    assert coachning.cell("T").value == 6
    assert coachning.cell("K").value is None
    assert coachning.cell("K").suppressed
    assert not any(r.category == "feriejobb" for r in report.rows)


def test_the_document_has_kolada_shape_and_no_count_behind_a_suppressed_cell() -> None:
    cases = [_case(n, ["praktik"], female=True) for n in range(3)]
    report = build_kolada(cases, YEAR, municipality=HERE)
    doc = json.loads(report.to_json_bytes())
    assert doc["report"] == "kolada"
    assert doc["period"] == "2024"
    entry = next(v for v in doc["values"] if v["category"] == "praktik")
    assert entry["kpi"] == "ssbx.participants.praktik"
    assert entry["municipality"] == HERE
    assert entry["period"] == 2024
    assert entry["values"] == [
        {"gender": "T", "value": None, "status": "suppressed"},
        {"gender": "K", "value": None, "status": "suppressed"},
        {"gender": "M", "value": None, "status": "suppressed"},
    ]
    csv_text = report.to_csv().decode()
    assert '"ssbx.participants.praktik","1287","2024","T","","suppressed","praktik"' in csv_text


def test_kpi_ids_can_be_kolada_s_own() -> None:
    cases = [_case(n, ["praktik"], female=True) for n in range(6)]
    report = build_kolada(cases, YEAR, municipality=HERE, kpi_ids={"praktik": "N00999"})
    assert "N00999" in {r.kpi for r in report.rows}


people = many(report_cases(YEAR.period, dt.date(2025, 1, 15), age_between=(16, 70)), 40)


@settings(max_examples=40)
@given(people, st.integers(1, 6))
def test_generated_cases_give_true_counts_and_no_small_cell(cases: list[Case], limit: int) -> None:
    report = build_kolada(cases, YEAR, municipality=HERE, limit=limit)
    kept = {
        e.code
        for e in codes.load(codes.INTERVENTION_TYPE)
        if e.attributes.get("summer_job") != "yes"
    }
    truth: dict[str, Counter[str]] = {}
    for case in cases:
        found = {
            i.intervention_type
            for i in case.interventions
            if i.intervention_type in kept and i.period.overlaps(YEAR.period)
        }
        for category in (*found, ALL_CATEGORIES) if found else ():
            truth.setdefault(category, Counter())["T"] += 1
            truth[category][case.gender.value] += 1
    counts: dict[str, dict[str, int]] = {}
    for row in report.rows:
        expected = truth.get(row.category, Counter())
        counts[row.category] = {g: expected[g] for g in GENDERS}
        assert expected["T"] == expected["K"] + expected["M"]
        for cell in row.cells:
            if cell.suppressed:
                assert cell.value is None
            else:
                assert cell.value == expected[cell.gender]
                assert cell.value >= limit
    assert set(truth) <= set(counts)
    hidden = frozenset((r.category, c.gender) for r in report.rows for c in r.cells if c.suppressed)
    _check_protected(counts, hidden, limit)
    assert (
        report.to_json_bytes()
        == build_kolada(list(reversed(cases)), YEAR, municipality=HERE, limit=limit).to_json_bytes()
    )
