"""``ssbx make-person`` (fictitious identity numbers for hand-written test data) and
``ssbx check-employer`` / :mod:`ssbx_model.employers` (an employer checked on its own,
without a person and a placement) (issue 18, point 9)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model import ValidationError
from ssbx_model.cli import main
from ssbx_model.employers import check_employers, read_employer_checks
from ssbx_model.identity import Personnummer, Samordningsnummer, parse_person_id
from ssbx_model.rules import Outcome

ON = dt.date(2024, 5, 15)


def _numbers(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["make-person", *args]) == 0
    return capsys.readouterr().out.split()


@pytest.mark.parametrize(
    "birth",
    [
        dt.date(2024, 2, 29),  # a leap day
        dt.date(2000, 2, 29),  # a leap day in a century year
        dt.date(1999, 12, 31),  # a year's last day
        dt.date(2004, 1, 1),  # a year's first day
        dt.date(1923, 1, 2),  # someone over 100 (the separator of the 10-digit form is +)
    ],
)
def test_make_person_prints_a_valid_fictitious_personnummer(
    birth: dt.date, capsys: pytest.CaptureFixture[str]
) -> None:
    (number,) = _numbers(capsys, birth.isoformat())
    person = Personnummer.parse(number)
    assert person.birth_date == birth
    assert 980 <= int(number[9:12]) <= 999


def test_make_person_makes_several_distinct_numbers_and_coordination_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    numbers = _numbers(capsys, "2004-03-10", "--serial", "983", "--count", "4")
    assert [int(n[9:12]) for n in numbers] == [983, 984, 985, 986]
    (coordination,) = _numbers(capsys, "2004-03-10", "--coordination-number")
    assert isinstance(parse_person_id(coordination), Samordningsnummer)
    assert coordination.startswith("20040370-98")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2004-03-10", "--serial", "123"], "123 is not a fictitious birth number: use 980-999"),
        (["2004-02-30"], "day 30 does not exist in 2004-02"),
        (["2004-03-10", "--count", "0"], "--count takes 1 to 20"),
    ],
)
def test_make_person_refuses_what_is_not_fictitious_or_not_a_date(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["make-person", *args])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_make_person_says_when_the_range_runs_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["make-person", "2004-03-10", "--serial", "998", "--count", "5"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "only 2 fictitious birth numbers from 998 to 999" in captured.err


@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.integers(980, 999))
def test_every_number_made_parses_back_to_its_birth_date(birth: dt.date, serial: int) -> None:
    for kind in (Personnummer, Samordningsnummer):
        number = kind.from_birth_date(birth, serial)
        assert kind.parse(number.reveal()) == number
        assert number.birth_date == birth


# -- employers on their own ------------------------------------------------------------------

CLEAN: dict[str, Any] = {
    "organisation_number": "556036-0793",
    "checked_on": "2024-05-02",
    "trading_ban": False,
    "tax_debt_at_kronofogden_sek": 0,
    "payment_remarks": [],
}
DEBT: dict[str, Any] = {
    **CLEAN,
    "organisation_number": "212000-1355",
    "tax_debt_at_kronofogden_sek": 1,
}
NOT_CHECKED: dict[str, Any] = {"organisation_number": "556677-8899", "checked_on": "2024-05-02"}


def _file(tmp_path: Path, *checks: dict[str, Any]) -> Path:
    path = tmp_path / "employers.json"
    path.write_text(json.dumps({"employer_checks": list(checks)}), encoding="utf-8")
    return path


def test_employers_are_checked_without_a_person_or_a_placement(tmp_path: Path) -> None:
    checks = read_employer_checks(_file(tmp_path, CLEAN, DEBT, NOT_CHECKED))
    decisions = check_employers(checks, ON)
    assert [d.outcome for d in decisions] == [
        Outcome.ELIGIBLE,
        Outcome.NOT_ELIGIBLE,
        Outcome.UNKNOWN,
    ]
    assert [d.subject for d in decisions] == ["556036-0793", "212000-1355", "556677-8899"]
    assert "employer-check.tax-debt.fails" in decisions[1].reason_codes()


def test_a_bad_employer_file_names_every_problem_with_its_path(tmp_path: Path) -> None:
    bad = {**CLEAN, "checked_on": "2024-13-01", "colour": "red"}
    with pytest.raises(ValidationError) as caught:
        read_employer_checks(_file(tmp_path, CLEAN, bad))
    assert sorted(caught.value.paths) == [
        "employer_checks[1].checked_on",
        "employer_checks[1].colour",
    ]


def test_check_employer_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, CLEAN, DEBT)
    assert main(["check-employer", str(path), "--on", ON.isoformat(), "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["employer"], r["outcome"]) for r in records] == [
        ("556036-0793", "eligible"),
        ("212000-1355", "not_eligible"),
    ]
    # What-if: a tax debt up to 1000 kronor passes.
    args = ["check-employer", str(path), "--on", ON.isoformat(), "--format", "json",
            "--param", "employer_check.max_tax_debt_sek=1000"]  # fmt: skip
    assert main(args) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["outcome"] for r in records] == ["eligible", "eligible"]


def test_check_employer_exits_1_for_a_bad_file_and_2_for_a_bad_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, {**CLEAN, "trading_ban": "no"})
    assert main(["check-employer", str(path), "--on", ON.isoformat()]) == 1
    assert "employer_checks[0].trading_ban" in capsys.readouterr().err
    path = _file(tmp_path, CLEAN)
    args = ["check-employer", str(path), "--on", ON.isoformat(), "--param", "no.such=1"]
    assert main(args) == 2
