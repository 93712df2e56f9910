"""``ssbx report``: each report from a case file, its output, notices and exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ssbx_model.case import Case
from ssbx_model.cli import main
from ssbx_model.codec import json as case_json
from ssbx_model.rules.testcases import build_case

ON = dt.date(2024, 4, 10)


def _young(serial: int, **changes: Any) -> Case:
    facts: dict[str, Any] = {
        "birth": dt.date(2004, 3, 10),
        "enrolment": {"from": dt.date(2024, 1, 2), "category": "15"},
        "kaa_register": {"entered": dt.date(2023, 8, 1)},
        "interventions": [
            {
                "id": "INS-1",
                "type": "coachning",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 6, 30),
                "name": "Jobbcoachning",
            }
        ],
    }
    facts.update(changes)
    return build_case(facts, dt.date(2024, 3, 31), serial=serial)


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.json"
    case_json.dump_many([_young(n) for n in range(3)], path)
    return path


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "inuk.key"
    path.write_bytes(b"a pseudonymisation key for the tests\n")
    return path


MAPPING = Path(__file__).parents[1] / "src/ssbx_model/reports/data/inuk-mapping.example.toml"


def _inuk(cases_file: Path, key_file: Path, out: Path) -> int:
    """``ssbx report inuk`` for March 2024 with the example mapping, written to ``out``."""
    return main(
        ["report", "inuk", str(cases_file), "--period", "2024-03", "--key-file", str(key_file),
         "--mapping", str(MAPPING), "--out", str(out)]
    )  # fmt: skip


def test_inuk_with_the_example_mapping_writes_pseudonymous_json(
    cases_file: Path, key_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "inuk.json"
    code = _inuk(cases_file, key_file, out)
    err = capsys.readouterr().err
    assert code == 0, err
    document = json.loads(out.read_text())
    assert [r["category"] for r in document["records"]] == ["coachning"] * 3
    assert "20040310" not in out.read_text()
    assert "inuk 2024-03 for municipality 1287: 3 records, 0 left out" in err


def test_unmapped_names_exit_1_and_list_every_problem(
    cases_file: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["report", "inuk", str(cases_file), "--period", "2024-03", "--key-file", str(key_file)]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "'Jobbcoachning' is not mapped" in captured.err
    assert "'INS-1' in cases[2]" in captured.err


def test_inuk_without_a_key_is_a_usage_error(
    cases_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SSBX_PSEUDONYM_KEY", raising=False)
    assert main(["report", "inuk", str(cases_file), "--period", "2024-03"]) == 2
    assert "pseudonymisation key" in capsys.readouterr().err
    monkeypatch.setenv("SSBX_PSEUDONYM_KEY", "short")
    assert main(["report", "inuk", str(cases_file), "--period", "2024-03"]) == 2


def test_skat15_as_csv_on_stdout_identifies_people_for_af(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "skat15", str(cases_file), "--period", "2024-03", "--format", "csv"])
    captured = capsys.readouterr()
    assert code == 0
    lines = captured.out.splitlines()
    assert lines[0].startswith('"personnummer","insats_id"')
    assert len(lines) == 4
    assert '"20040310-' in lines[1]


def test_the_period_defaults_to_the_last_whole_one_before_on(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "kaa-scb", str(cases_file), "--on", ON.isoformat()]) == 0
    captured = capsys.readouterr()
    assert "using 2023-H2" in captured.err
    assert json.loads(captured.out)["period"] == "2023-H2"


def test_kolada_suppresses_small_cells(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "kolada", str(cases_file), "--period", "2024", "--limit", "3"]) == 0
    document = json.loads(capsys.readouterr().out)
    coaching = next(v for v in document["values"] if v["category"] == "coachning")
    assert coaching["values"][0] == {"gender": "T", "status": "", "value": 3}


def test_wrong_periods_and_mixed_municipalities_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.json"
    case_json.dump_many([_young(1), _young(2, municipality="0180")], path)
    assert main(["report", "kolada", str(path), "--period", "2024-03"]) == 2
    assert "covers a year" in capsys.readouterr().err
    assert main(["report", "kolada", str(path), "--period", "2024"]) == 2
    assert "2 municipalities (0180, 1287)" in capsys.readouterr().err
    assert main(["report", "kolada", str(path), "--period", "2024", "--municipality", "0180"]) == 0


def test_a_missing_file_is_an_operational_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "kolada", str(tmp_path / "none.json"), "--period", "2024"]) == 3
    assert "no such file" in capsys.readouterr().err


def test_excluded_items_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.json"
    summer = _young(
        1,
        interventions=[
            {
                "id": "INS-9",
                "type": "feriejobb",
                "from": dt.date(2024, 3, 1),
                "to": dt.date(2024, 3, 31),
            }
        ],
    )
    case_json.dump_many([summer], path)
    assert main(["report", "skat15", str(path), "--period", "2024-03"]) == 0
    err = capsys.readouterr().err
    assert "excluded: cases[0].interventions[0]" in err
    assert "summer job" in err
    assert "20040310-" not in err


def test_json_lines_and_rule_test_case_files_are_read_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = tmp_path / "cases.jsonl"
    case_json.dump_lines([_young(n) for n in range(2)], lines)
    assert main(["report", "skat15", str(lines), "--period", "2024-03"]) == 0
    assert len(json.loads(capsys.readouterr().out)["rows"]) == 2
    toml = tmp_path / "cases.toml"
    toml.write_text(
        'rule = "skat15"\n\n[[case]]\nname = "category 15"\non = 2024-03-31\n'
        "birth = 2004-03-10\n"
        'enrolment = { from = 2024-01-02, category = "15" }\n'
        'interventions = [{ id = "INS-1", type = "coachning",'
        " from = 2024-03-01, to = 2024-06-30 }]\n"
        'expect = { outcome = "unknown" }\n',
        encoding="utf-8",
    )
    assert main(["report", "skat15", str(toml), "--period", "2024-03"]) == 0
    assert len(json.loads(capsys.readouterr().out)["rows"]) == 1
    other = tmp_path / "cases.csv"
    other.write_text("x", encoding="utf-8")
    assert main(["report", "skat15", str(other), "--period", "2024-03"]) == 2
    assert ".toml for a rule test-case file" in capsys.readouterr().err


@pytest.mark.parametrize("around", [b"\n", b"  \r\n", b"\t \n\n"])
def test_the_cli_and_the_api_give_the_same_inuk_pseudonyms_for_one_key_file(
    cases_file: Path, tmp_path: Path, around: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """One loader (Pseudonymizer.from_file) for both, so month-to-month linkage holds
    whichever way a municipality makes its report; an editor's newline is no key."""
    from ssbx_model.codec import load_path
    from ssbx_model.pseudonym import Pseudonymizer
    from ssbx_model.reports import build_inuk, load_inuk_mapping
    from ssbx_model.reports._common import Month

    key_file = tmp_path / "inuk.key"
    key_file.write_bytes(b"a pseudonymisation key for the tests" + around)
    out = tmp_path / "inuk.json"
    code = _inuk(cases_file, key_file, out)
    assert code == 0, capsys.readouterr().err
    from_cli = [r["person"] for r in json.loads(out.read_text())["records"]]

    report = build_inuk(
        load_path(cases_file),
        Month(2024, 3),
        municipality="1287",
        pseudonymizer=Pseudonymizer.from_file(key_file),
        mapping=load_inuk_mapping(MAPPING),
    )
    from_api = [r["person"] for r in report.document()["records"]]
    assert from_cli == from_api
    assert len(set(from_cli)) == 3
    bare = Pseudonymizer(b"a pseudonymisation key for the tests", domain="ssbx/inuk")
    assert sorted(from_api) == sorted(bare.key_for(c.person) for c in load_path(cases_file))


def test_a_key_file_too_short_once_stripped_is_refused(tmp_path: Path) -> None:
    from ssbx_model.pseudonym import Pseudonymizer

    key_file = tmp_path / "short.key"
    key_file.write_bytes(b"fifteen bytes!!" + b" " * 10 + b"\n")
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Pseudonymizer.from_file(key_file)


def test_kaa_scb_carries_the_personnummer_unless_the_reading_says_pseudonym(
    cases_file: Path,
    key_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("SSBX_PSEUDONYM_KEY", raising=False)
    base = ["report", "kaa-scb", str(cases_file), "--period", "2024-H1"]
    assert main(base) == 0  # no key needed by default
    clear = json.loads(capsys.readouterr().out)
    assert "person_key" not in clear
    assert all(p["person"].startswith("20040310-") for p in clear["persons"])

    pseudonymous = [*base, "--param", "kaa_scb.person_key=pseudonym"]
    assert main(pseudonymous) == 2  # a key is needed: a usage error, before any report
    assert "pseudonymisation key" in capsys.readouterr().err
    assert main([*pseudonymous, "--key-file", str(key_file), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert '"pseudonym"' in out.splitlines()[2]
    assert "20040310" not in out


def test_a_key_a_report_does_not_use_is_said_to_be_unused(
    cases_file: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "kaa-scb", str(cases_file), "--period", "2024-H1"]
    assert main([*args, "--key-file", str(key_file)]) == 0
    captured = capsys.readouterr()
    assert "the pseudonymisation key is not used" in captured.err
    assert "20040310-" in captured.out  # the default reading: the personnummer


def test_socialstyrelsen_needs_a_key_only_for_pseudonyms(
    cases_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SSBX_PSEUDONYM_KEY", raising=False)
    args = ["report", "socialstyrelsen", str(cases_file), "--period", "2024-03"]
    assert main(args) == 2  # pseudonyms by default: the key is needed
    assert "pseudonymisation key" in capsys.readouterr().err
    assert main([*args, "--param", "socialstyrelsen.person_key=personnummer"]) == 0
    assert json.loads(capsys.readouterr().out)["person_key"] == "personnummer"
