"""Wrong command-line arguments get a message that says what is wrong (issue 18, point 7)."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model.cli import main
from ssbx_model.cli._common import parse_date


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13-01", "'2024-13-01': month 13 does not exist"),
        ("2024-00-10", "month 0 does not exist"),
        ("2023-02-29", "day 29 does not exist in 2023-02 (it has 28 days)"),
        ("2024-04-31", "day 31 does not exist in 2024-04 (it has 30 days)"),
        ("2024-01-00", "day 0 does not exist in 2024-01"),
        ("0000-01-01", "year 0 does not exist"),
        ("20240101", "not a date in the form YYYY-MM-DD"),
        ("2024-W01-1", "not a date in the form YYYY-MM-DD"),
        ("2024-1-1", "not a date in the form YYYY-MM-DD"),
        (" 2024-01-01", "not a date in the form YYYY-MM-DD"),
        ("2024-01-01T00:00", "not a date in the form YYYY-MM-DD"),
        ("２０２４-01-01", "not a date in the form YYYY-MM-DD"),
    ],
)
def test_a_bad_reference_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(
        argparse.ArgumentTypeError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", dt.date(2024, 2, 29)),  # leap day
        ("2000-02-29", dt.date(2000, 2, 29)),  # a century that is a leap year
        ("2024-12-31", dt.date(2024, 12, 31)),
        ("0001-01-01", dt.date(1, 1, 1)),
    ],
)
def test_boundary_dates_are_read(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@given(st.dates())
def test_every_date_written_as_iso_reads_back(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


def test_the_command_line_reports_the_month_that_does_not_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["rules", "--on", "2024-13-01"])
    assert caught.value.code == 2
    assert "month 13 does not exist" in capsys.readouterr().err
