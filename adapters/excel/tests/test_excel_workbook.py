"""The category-15 workbook, read back with openpyxl and compared with the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from ssbx_excel import (
    FIRST_DATA_ROW,
    HEADING_ROW,
    HEADINGS,
    create_writer,
    read_skat15_workbook,
    write_skat15_workbook,
)

from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.registry import load_adapter
from ssbx_model.reports import Month, Skat15Report, Skat15Row, build_skat15
from ssbx_model.reports.skat15 import SKAT15_COLUMNS
from ssbx_model.rules.testcases import build_case

MARCH = Month(2024, 3)


def _row(person: Personnummer | Samordningsnummer, ident: str, **changes: Any) -> Skat15Row:
    values: dict[str, Any] = {
        "person": person,
        "intervention_id": ident,
        "intervention_type": "coachning",
        "type_label": "Coachning",
        "local_name": "Jobbcoachning",
        "start": dt.date(2024, 3, 1),
        "end": dt.date(2024, 5, 31),
        "extent": 50,
        "provider": "Arbetsmarknadsenheten",
    }
    values.update(changes)
    return Skat15Row(**values)


def _report(*rows: Skat15Row) -> Skat15Report:
    return Skat15Report(period=MARCH, municipality="1287", rows=rows)


def _expected(row: Skat15Row) -> list[object]:
    return [spec.value(row) for spec in SKAT15_COLUMNS]


def _as_csv(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _read(path: Path) -> list[tuple[object, ...]]:
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    cells = [
        tuple(c.value.date() if isinstance(c.value, dt.datetime) else c.value for c in row)
        for row in sheet.iter_rows()
    ]
    book.close()
    return cells


def test_the_workbook_has_a_header_and_one_row_per_person_intervention(tmp_path: Path) -> None:
    anna = Personnummer.from_birth_date(dt.date(2004, 3, 10), 982)
    erik = Samordningsnummer.from_birth_date(dt.date(2003, 7, 1), 991)
    report = _report(
        _row(anna, "INS-1"),
        _row(anna, "INS-2", intervention_type="praktik", type_label="Praktik", end=None),
        _row(erik, "INS-7", provider="Stiftelsen Steget"),
    )
    path = write_skat15_workbook(report, tmp_path / "kategori15.xlsx")
    cells = _read(path)
    assert cells[1][:2] == ("Månad", "2024-03")
    assert cells[2][:2] == ("Kommun", "1287")
    assert cells[4][:2] == ("Antal ungdomar", 2)
    assert cells[5][:2] == ("Antal rader", 3)
    assert list(cells[HEADING_ROW - 1]) == list(HEADINGS.values())
    data = [list(row) for row in cells[FIRST_DATA_ROW - 1 :]]
    assert data == [_expected(r) for r in report.rows]
    assert data[1][6] is None  # no end date: an empty cell
    assert data[0][0] == anna.reveal()  # AF identifies the young person


def test_a_report_built_from_cases_reads_back_identically(tmp_path: Path) -> None:
    facts: dict[str, Any] = {
        "birth": dt.date(2004, 3, 10),
        "enrolment": {"from": dt.date(2024, 1, 2), "category": "15"},
        "interventions": [
            {
                "id": "INS-1",
                "type": "coachning",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 9, 30),
            },
            {
                "id": "INS-2",
                "type": "feriejobb",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 30),
            },
        ],
    }
    report = build_skat15([build_case(facts, MARCH.end)], MARCH, municipality="1287")
    path = write_skat15_workbook(report, tmp_path / "k15.xlsx")
    sheet = read_skat15_workbook(path)
    assert (sheet.month, sheet.municipality) == ("2024-03", "1287")
    csv_rows = list(csv.DictReader(io.StringIO(report.to_csv().decode())))
    assert len(sheet.rows) == len(csv_rows) == 1
    for from_xlsx, from_csv in zip(sheet.rows, csv_rows, strict=True):
        as_text = {
            k: "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
            for k, v in from_xlsx.items()
        }
        assert as_text == from_csv


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    person = Personnummer.from_birth_date(dt.date(2004, 3, 10), 982)
    formula = '=HYPERLINK("http://x","klicka")'
    report = _report(_row(person, "INS-1", local_name=formula, provider="+46 1"))
    path = write_skat15_workbook(report, tmp_path / "k.xlsx")
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    name = sheet.cell(row=FIRST_DATA_ROW, column=5)
    assert name.data_type == "s"
    assert name.value == formula
    book.close()


def test_the_same_report_gives_the_same_bytes_without_the_wall_clock(tmp_path: Path) -> None:
    person = Personnummer.from_birth_date(dt.date(2004, 3, 10), 982)
    report = _report(_row(person, "INS-1"))
    first = write_skat15_workbook(report, tmp_path / "a.xlsx").read_bytes()
    second = write_skat15_workbook(report, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 4, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2024-04-01T00:00:00Z" in core


def test_the_adapter_is_found_by_name(tmp_path: Path) -> None:
    writer = load_adapter("excel", sheet_title="Mars")
    assert writer == create_writer(sheet_title="Mars")
    person = Personnummer.from_birth_date(dt.date(2004, 3, 10), 982)
    path = writer.write(_report(_row(person, "INS-1")), tmp_path / "m.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Mars"]
    book.close()
    with pytest.raises(TypeError, match="sheet_title"):
        create_writer(colour="red")


texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(str.strip)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 999),
            texts,
            texts,
            st.dates(dt.date(2023, 1, 1), dt.date(2024, 3, 31)),
            st.none() | st.integers(0, 400),
            st.sampled_from([25, 50, 75, 100]),
        ),
        max_size=8,
        unique_by=lambda t: t[0],
    )
)
def test_any_report_reads_back_cell_for_cell(tmp_path: Path, draws: list[tuple[Any, ...]]) -> None:
    rows = []
    for serial, name, provider, start, length, extent in draws:
        person = Personnummer.from_birth_date(dt.date(2004, 1, 1), serial)
        end = None if length is None else start + dt.timedelta(days=length)
        rows.append(
            _row(
                person,
                f"INS-{serial}",
                local_name=name,
                provider=provider,
                start=start,
                end=end,
                extent=extent,
            )
        )
    report = _report(*sorted(rows, key=lambda r: r.person.reveal()))
    sheet = read_skat15_workbook(write_skat15_workbook(report, tmp_path / "any.xlsx"))
    names = [spec.name for spec in SKAT15_COLUMNS]
    assert [dict(r) for r in sheet.rows] == [
        dict(zip(names, _expected(r), strict=True)) for r in report.rows
    ]
    assert report.people == len(rows)
