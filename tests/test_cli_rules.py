"""The rule commands of the CLI: ``ssbx evaluate``, ``ssbx explain`` and ``ssbx rules``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.cli import main
from ssbx_model.identity import Personnummer
from ssbx_model.information import (
    Answer,
    InterventionStatus,
    MunicipalIntervention,
    Provider,
    Schooling,
)
from ssbx_model.rules import rule_ids

TOML_CASES = """
rule = "kaa"

[[case]]
name = "17 and out of school"
on = 2024-09-01
birth = 2007-03-15
schooling = { compulsory = true }
expect = { outcome = "eligible" }

[[case]]
name = "20th birthday"
on = 2024-09-01
birth = 2004-09-01
schooling = { compulsory = true }
expect = { outcome = "not_eligible", reasons = ["kaa.age.reached-limit"] }

[[case]]
name = "schooling unknown"
on = 2024-09-01
birth = 2007-03-15
expect = { outcome = "unknown", missing = ["schooling"] }
"""


@pytest.fixture
def toml_file(tmp_path: Path) -> Path:
    path = tmp_path / "kaa-cases.toml"
    path.write_text(TOML_CASES, encoding="utf-8")
    return path


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_evaluate_prints_one_json_line_per_case_and_rule(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["evaluate", str(toml_file), "--rule", "kaa", "--rule", "uvas", "--on", "2024-12-31"]
    )
    assert code == 0
    records = _lines(capsys.readouterr().out)
    assert [(r["case"], r["rule"]) for r in records] == [
        (0, "kaa"),
        (0, "uvas"),
        (1, "kaa"),
        (1, "uvas"),
        (2, "kaa"),
        (2, "uvas"),
    ]
    first = records[0]
    assert first["on"] == "2024-12-31"
    assert first["outcome"] == "eligible"
    assert first["subject"] == "20070315-****"
    reasons = first["reasons"]
    assert isinstance(reasons, list)
    assert all(r["code"] and r["citation"] for r in reasons)
    assert records[5]["missing"] == ["student_finance", "studies", "income", "sfi_hours"]


def test_evaluate_check_compares_with_the_file_expectations(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(toml_file), "--check"]) == 0
    records = _lines(capsys.readouterr().out)
    assert [r["check"] for r in records] == ["ok", "ok", "ok"]
    broken = toml_file.read_text().replace('outcome = "eligible"', 'outcome = "unknown"', 1)
    toml_file.write_text(broken)
    assert main(["evaluate", str(toml_file), "--check"]) == 1
    captured = capsys.readouterr()
    assert "differ from the expectations" in captured.err


def test_evaluate_reads_a_json_case_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ssbx_model.codec import json as codec_json

    person = Personnummer.from_birth_date(dt.date(2006, 5, 1), 42)
    schooling = Schooling(True, "skolhuvudmannen")
    # INUK decides for the month of the date (October): the coaching runs into it.
    intervention = MunicipalIntervention(
        "K1",
        "Coachning",
        "coachning",
        Period(dt.date(2024, 3, 1), dt.date(2024, 10, 15)),
        Extent(100),
        Provider("Arbetsmarknadsenheten"),
        InterventionStatus.ENDED,
    )
    cases = [
        Case(person, "1287", reference="ÄR-1", schooling=Answer.known(schooling)),
        Case(person, "1287", reference="ÄR-2", interventions=(intervention,)),
    ]
    path = tmp_path / "cases.json"
    path.write_bytes(codec_json.dumps_many(cases))
    code = main(["evaluate", str(path), "--rule", "kaa", "--rule", "inuk", "--on", "2024-10-01"])
    out = capsys.readouterr().out
    assert code == 0
    records = _lines(out)
    assert [(r["reference"], r["rule"], r["outcome"]) for r in records] == [
        ("ÄR-1", "kaa", "eligible"),
        ("ÄR-1", "inuk", "not_eligible"),
        ("ÄR-2", "kaa", "unknown"),
        ("ÄR-2", "inuk", "eligible"),
    ]
    assert person.reveal() not in out
    assert person.reveal().replace("-", "") not in out


def test_evaluate_table_format(toml_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(toml_file), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "kaa.age.reached-limit" in out
    assert "20040901-****" in out


def test_evaluate_unknown_rule_is_a_usage_error_listing_the_known_rules(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(toml_file), "--rule", "no-such-rule", "--on", "2024-01-01"]) == 2
    err = capsys.readouterr().err
    assert "no-such-rule" in err
    assert "skat15" in err


def test_evaluate_bad_parameter_override_is_a_usage_error(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(toml_file), "--param", "no.such.parameter=3"]) == 2
    assert "no.such.parameter" in capsys.readouterr().err


def test_evaluate_parameter_override_changes_the_outcome(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(toml_file), "--param", "kaa.age_limit=21"]) == 0
    records = _lines(capsys.readouterr().out)
    assert records[1]["outcome"] == "eligible"


def test_evaluate_missing_file_is_an_operational_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["evaluate", str(tmp_path / "nope.json"), "--rule", "kaa", "--on", "2024-01-01"])
    assert code == 3
    assert "no such file" in capsys.readouterr().err


def test_evaluate_bad_input_is_an_input_error_with_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('rule = "kaa"\n[[case]]\nname = "x"\non = 2024-01-01\nbirth = "soon"\n')
    assert main(["evaluate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "case[0].birth" in err
    assert "case[0].expect" in err


def test_evaluate_without_on_uses_today_and_says_so(
    toml_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ssbx_model.codec import json as codec_json

    person = Personnummer.from_birth_date(dt.date(2006, 5, 1), 42)
    path = tmp_path / "one.json"
    path.write_bytes(codec_json.dumps_many([Case(person, "1287")]))
    assert main(["evaluate", str(path), "--rule", "kaa"]) == 0
    captured = capsys.readouterr()
    assert "reference date not given, using today" in captured.err
    assert _lines(captured.out)[0]["on"] == dt.date.today().isoformat()


def test_explain_prints_swedish_and_english_with_trace(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(toml_file), "--case", "1"]) == 0
    out = capsys.readouterr().out
    assert "Har fyllt 20 år" in out
    assert "Has turned 20" in out
    assert "skollagen (2010:800) 29 kap. 9 §" in out
    assert "Spår / Trace:" in out
    assert "kaa.age_limit = 20" in out
    assert "20040901-****" in out


def test_explain_names_the_missing_information(
    toml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(toml_file), "--case", "2", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Information needed to decide:" in out
    assert "schooling" in out
    assert "Beslut:" not in out


def test_explain_case_out_of_range(toml_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(toml_file), "--case", "9"]) == 2
    assert "no case 9" in capsys.readouterr().err


def test_rules_lists_every_rule_with_citation_and_parameters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "--format", "json"]) == 0
    records = _lines(capsys.readouterr().out)
    assert [r["id"] for r in records] == list(rule_ids())
    uvas = next(r for r in records if r["id"] == "uvas")
    assert uvas["citation"]
    params = {p["name"]: p for p in uvas["parameters"]}  # type: ignore[union-attr]
    values = params["prisbasbelopp"]["values"]
    assert {"from": "2024-01-01", "value": 57300, "reference": values[5]["reference"]} in values


def test_rules_table_shows_values_as_of_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--on", "2023-06-01"]) == 0
    out = capsys.readouterr().out
    assert "prisbasbelopp = 52500" in out
    assert "skat15" in out


def test_evaluate_reads_xml_and_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ssbx_model.codec import json as codec_json
    from ssbx_model.codec import xml as codec_xml

    cases = [
        Case(Personnummer.from_birth_date(dt.date(2004, 9, 1), 7), "1287"),
        Case(
            Personnummer.from_birth_date(dt.date(2007, 1, 1), 8),
            "1287",
            schooling=Answer.known(Schooling(True, "skolan")),
        ),
    ]
    xml_path = tmp_path / "cases.xml"
    xml_path.write_bytes(codec_xml.dumps_many(cases))
    jsonl_path = tmp_path / "cases.jsonl"
    codec_json.dump_lines(cases, jsonl_path)
    for path in (xml_path, jsonl_path):
        assert main(["evaluate", str(path), "--rule", "kaa", "--on", "2024-09-01"]) == 0
        records = _lines(capsys.readouterr().out)
        assert [r["outcome"] for r in records] == ["not_eligible", "eligible"]


def test_evaluate_broken_xml_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<cases><case>", encoding="utf-8")
    assert main(["evaluate", str(path), "--rule", "kaa", "--on", "2024-09-01"]) == 1
    assert "broken.xml" in capsys.readouterr().err


def test_evaluate_unknown_extension_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("x", encoding="utf-8")
    assert main(["evaluate", str(path), "--rule", "kaa", "--on", "2024-09-01"]) == 2
    assert ".toml" in capsys.readouterr().err
