"""``ssbx schema``, ``ssbx validate`` and ``ssbx convert``."""

from __future__ import annotations

import json as stdjson
import re
from pathlib import Path

import pytest
from codec_support import DATA, PERSON, deregistered_case, minimal_case, rich_case

from ssbx_model.cli import main
from ssbx_model.codec import json as cj
from ssbx_model.codec import load_path, schema_text
from ssbx_model.codec import xml as cx


@pytest.mark.parametrize("kind", ["json", "xsd"])
def test_schema_prints_the_shipped_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", kind]) == 0
    assert capsys.readouterr().out == schema_text(kind)  # type: ignore[arg-type]


def test_validate_accepts_valid_files_of_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        DATA / n
        for n in ("case-1.0.0.json", "case-1.0.0.xml", "cases-1.0.0.xml", "cases-1.0.0.jsonl")
    ]
    assert main(["validate", *map(str, files)]) == 0
    cases = sum(len(load_path(f)) for f in files)
    # Nothing but the one summary line, on standard error (standard output stays empty).
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.fullmatch(
        rf"ssbx validate: validated {cases} cases in 4 files in [0-9]+\.[0-9] s, 0 problems\n",
        captured.err,
    )


def test_validate_prints_one_line_per_problem_with_file_line_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = cx.dumps_many([minimal_case(), rich_case()], pretty=True).decode()
    text = text.replace("<year>2023</year>", "<year>twenty</year>")
    text = text.replace("<municipality>1287</municipality>", "<municipality>x</municipality>", 1)
    bad = tmp_path / "bad.xml"
    bad.write_text(text)
    lines = text.splitlines()
    year = 1 + next(i for i, line in enumerate(lines) if "twenty" in line)
    municipality = 1 + next(i for i, line in enumerate(lines) if "<municipality>x<" in line)
    good = DATA / "case-1.0.0.json"
    assert main(["validate", str(good), str(bad)]) == 1
    *err, summary = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad}:{municipality}: cases[0].municipality: must be a four-digit municipality code",
        (
            f"{bad}:{year}: cases[1].income.value[0].year: must be a whole number written with "
            "digits only (no sign '+', no zeros in front)"
        ),
    ]
    assert re.fullmatch(
        r"ssbx validate: validated 3 cases in 2 files in \S+ s, 2 problems", summary
    )


def test_validate_reports_json_lines_by_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (
        cj.dumps(minimal_case()) + b"\n" + cj.dumps(minimal_case()).replace(b"1287", b"12") + b"\n"
    )
    path = tmp_path / "cases.jsonl"
    path.write_bytes(lines)
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:2: case.municipality: ")


def test_validate_reports_document_errors_and_never_an_identity_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        b'<?xml version="1.0"?>\n<case xmlns="urn:ssbx:case:1" schemaVersion="1.0.0">\n'
        b"<person>x</persn></case>"
    )
    wrong = tmp_path / "wrong.json"
    number = PERSON.reveal()
    wrong.write_bytes(
        cj.dumps(minimal_case()).replace(number.encode(), number[:-1].encode() + b"0")
    )
    assert main(["validate", str(broken), str(wrong)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:3: (document): line 3, column" in err
    assert f"{wrong}: case.person: the check digit" in err
    assert number[:-1] not in err


def test_validate_as_json_prints_one_object_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(cj.dumps(minimal_case()).replace(b'"1287"', b'"12"'))
    assert main(["validate", "--format", "json", str(DATA / "case-1.0.0.xml"), str(bad)]) == 1
    records = [stdjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0] == {"file": str(DATA / "case-1.0.0.xml"), "valid": True, "problems": []}
    assert records[1]["valid"] is False
    assert records[1]["problems"] == [
        {
            "path": "case.municipality",
            "line": None,
            "message": "must be a four-digit municipality code",
        }
    ]


def test_validate_exit_codes_for_unreadable_files_and_unknown_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "missing.json")]) == 3
    assert "cannot read the file" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "cases.csv")]) == 2
    assert "use .json, .jsonl or .xml" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("source", "chain"),
    [
        ("cases-1.0.0.xml", [".json", ".jsonl", ".xml"]),
        ("cases-1.0.0.jsonl", [".xml", ".json"]),
        ("case-1.0.0.json", [".xml", ".json"]),
    ],
)
def test_convert_round_trips_through_every_format(
    source: str, chain: list[str], tmp_path: Path
) -> None:
    original = load_path(DATA / source)
    current = DATA / source
    for i, suffix in enumerate(chain):
        target = tmp_path / f"step{i}{suffix}"
        assert main(["convert", str(current), str(target)]) == 0
        assert load_path(target) == original
        current = target


def test_convert_keeps_a_one_case_document_one_case(tmp_path: Path) -> None:
    target = tmp_path / "one.xml"
    assert main(["convert", str(DATA / "case-1.0.0.json"), str(target), "--pretty"]) == 0
    assert cx.load(target) == rich_case()
    assert target.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<case ')
    many = tmp_path / "many.json"
    assert main(["convert", str(DATA / "cases-1.0.0.xml"), str(many)]) == 0
    assert cj.load_many(many) == [minimal_case(), rich_case(), deregistered_case()]


def test_a_failed_conversion_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = cx.dumps_many([minimal_case(), minimal_case(), minimal_case()]).decode()
    text = text.replace("<municipality>1287</municipality>", "<municipality>x</municipality>", 2)
    source = tmp_path / "bad.xml"
    source.write_text(text)
    target = tmp_path / "out.json"
    target.write_text("previous content")
    assert main(["convert", str(source), str(target)]) == 1
    assert target.read_text() == "previous content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xml", "out.json"]
    # The XML declaration is line 1; the compact document is line 2.
    assert capsys.readouterr().err.startswith(f"{source}:2: cases[0].municipality: ")


def test_convert_exit_codes_for_bad_names_and_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(DATA / "case-1.0.0.json"), str(tmp_path / "out.txt")]) == 2
    assert main(["convert", str(tmp_path / "missing.xml"), str(tmp_path / "out.json")]) == 3
    assert not (tmp_path / "out.json").exists()
    capsys.readouterr()
