"""Report periods, notices and the core's deterministic JSON and CSV writers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model.errors import ReportError
from ssbx_model.reports import (
    Column,
    HalfYear,
    Month,
    ReportInputError,
    ReportKind,
    Year,
    canonical_json,
    last_whole_period,
    parse_period,
    write_csv,
)
from ssbx_model.reports._common import Notice, sorted_notices

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


@given(days)
def test_every_day_lies_in_its_month_half_year_and_year(day: dt.date) -> None:
    for period in (Month.of(day), HalfYear.of(day), Year.of(day)):
        assert period.start <= day <= period.end
        assert period.period.contains(day)
        assert parse_period(str(period)) == period


@given(days)
def test_periods_tile_time_without_gaps(day: dt.date) -> None:
    for period in (Month.of(day), HalfYear.of(day), Year.of(day)):
        assert period.next().start == period.end + dt.timedelta(days=1)
        assert period.next().previous() == period


def test_periods_are_written_as_in_the_reports() -> None:
    assert str(Month(2024, 3)) == "2024-03"
    assert str(HalfYear(2024, 2)) == "2024-H2"
    assert str(Year(2024)) == "2024"
    assert Month(2024, 2).end == dt.date(2024, 2, 29)
    assert HalfYear(2024, 1).period.days == 182


def test_a_report_accepts_only_its_own_period_type() -> None:
    assert parse_period("2024-03", ReportKind.INUK) == Month(2024, 3)
    assert parse_period("2024-h1", "kaa-scb") == HalfYear(2024, 1)
    assert parse_period("2024", ReportKind.KOLADA) == Year(2024)
    with pytest.raises(ReportError, match="covers a halfyear"):
        parse_period("2024-03", ReportKind.KAA_SCB)
    with pytest.raises(ReportError, match="not a period"):
        parse_period("March 2024")
    with pytest.raises(ReportError, match="1 to 12"):
        Month(2024, 13)


def test_the_last_whole_period_is_the_one_before_the_date() -> None:
    assert last_whole_period("inuk", dt.date(2024, 1, 15)) == Month(2023, 12)
    assert last_whole_period("kaa-scb", dt.date(2024, 8, 20)) == HalfYear(2024, 1)
    assert last_whole_period("kolada", dt.date(2024, 2, 1)) == Year(2023)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(), json_values, max_size=5))
def test_canonical_json_ignores_key_order_and_round_trips(document: dict[str, object]) -> None:
    shuffled = dict(reversed(list(document.items())))
    assert canonical_json(document) == canonical_json(shuffled)
    assert json.loads(canonical_json(document)) == document
    assert canonical_json(document).endswith(b"\n")


COLUMNS: tuple[Column[tuple[str, int | None, dt.date]], ...] = (
    Column("name", "a text", lambda r: r[0]),
    Column("count", "a number or empty", lambda r: r[1]),
    Column("day", "a date", lambda r: r[2]),
)


@given(
    st.lists(
        st.tuples(st.text(), st.none() | st.integers(), days),
        max_size=5,
    )
)
def test_csv_reads_back_cell_for_cell(rows: list[tuple[str, int | None, dt.date]]) -> None:
    body = write_csv(COLUMNS, rows, preamble=("made by a test",))
    text = body.decode("utf-8")
    assert text.startswith("# made by a test\r\n")
    lines = list(io.StringIO(text, newline=""))
    while lines[0].startswith("#"):
        lines.pop(0)
    assert lines[0].startswith('"name"')
    read = list(csv.reader(lines))
    assert read[0] == ["name", "count", "day"]
    expected = [[n, "" if c is None else str(c), d.isoformat()] for n, c, d in rows]
    assert read[1:] == expected


def test_csv_preamble_lines_cannot_smuggle_rows() -> None:
    with pytest.raises(ReportError, match="line break"):
        write_csv(COLUMNS, [], preamble=("one\ntwo",))


def test_report_input_error_lists_every_problem() -> None:
    from ssbx_model.errors import Problem

    error = ReportInputError("cannot build", [Problem("a", "first"), Problem("b", "second")])
    assert error.problems == (Problem("a", "first"), Problem("b", "second"))
    assert "a: first" in str(error)
    assert "b: second" in str(error)
    assert "(2)" in str(error)


def test_notices_sort_by_case_index_as_numbers() -> None:
    notices = [Notice("x", f"cases[{i}]", "m") for i in (10, 2, 1)]
    assert [n.path for n in sorted_notices(notices)] == ["cases[1]", "cases[2]", "cases[10]"]
