"""``ssbx demo`` and ``ssbx synth`` end to end (loopback stub, SQLite, local INUK endpoint)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ssbx_model import codec
from ssbx_model.cli import main

ON = "2026-11-25"


def _ledger(root: Path) -> list[tuple[str, str, str]]:
    import ssbx_sql

    store = ssbx_sql.create_store(f"sqlite:///{root / 'ssbx.sqlite3'}", key_file=root / "store.key")
    try:
        return [(e.report, e.period, e.state.value) for e in store.entries()]
    finally:
        store.close()


def test_demo_runs_twice_without_duplicating_ledger_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "demo"
    args = ["demo", "--on", ON, "--persons", "60", "--seed", "11", "--dir", str(root)]
    assert main(args) == 0
    first = capsys.readouterr().out
    out = root / "out"
    reports = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {
        "inuk-2026-10.json",
        "skat15-2026-10.xlsx",
        "kaa-scb-2026-H1.csv",
        "kolada-2026.json",
    } <= set(reports)
    ledger = _ledger(root)
    assert sorted(r for r, _, _ in ledger) == ["inuk", "kaa-scb", "kolada", "skat15"]
    assert {state for _, _, state in ledger} == {"submitted"}
    assert "Rule outcomes" in first
    assert "What each role may see" in first

    assert main(args) == 0
    second = capsys.readouterr().out
    assert _ledger(root) == ledger  # the same four entries, nothing added
    assert "already-submitted" in second
    again = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert again == reports  # the same reports, byte for byte
    assert len(list((out / "submitted").iterdir())) == 3  # the file sink wrote each once


def test_demo_never_prints_or_stores_a_clear_identity_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "demo"
    args = ["demo", "--on", ON, "--persons", "30", "--seed", "4", "--dir", str(root)]
    assert main([*args, "--format", "json"]) == 0
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    summary = json.loads(captured.out)
    assert [r["role"] for r in summary["roles"]] == ["arbetskonsulent", "socialsekreterare"]
    assert sum(summary["rules"]["consent"].values()) == 30
    assert {r["ledger"] for r in summary["reports"]} == {"submitted"}
    # Where the default policy withholds what a rule needs, the outcome table says so.
    assert summary["rules"]["sius"]["unknown"] == 30
    assert any(
        "disability_codes withheld from the socialsekreterare by the access policy" in note
        for note in summary["rule_notes"]["sius"]
    )
    assert summary["rule_notes"]["inuk"] == ["never unknown: reads only the case itself"]
    closed = (
        "every decision extratjanst.closed-for-new-assignments: AF makes no new assignments "
        "to extratjänst on the date"
    )
    assert summary["rule_notes"]["extratjanst"] == [closed]
    people = [case.person for case in codec.load_path(root / "data" / "cases.xml")]
    database = (root / "ssbx.sqlite3").read_bytes()
    statistics = (root / "out" / "inuk-2026-10.json").read_bytes()
    for person in people:
        clear = person.reveal()
        for form in (clear, clear.replace("-", ""), clear[2:], clear[2:].replace("-", "")):
            assert form not in printed
            assert form.encode() not in database
            assert form.encode() not in statistics


def test_synth_writes_valid_deterministic_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        args = [
            "synth",
            "--persons",
            "40",
            "--seed",
            "5",
            "--on",
            ON,
            "--out",
            str(tmp_path / name),
        ]
        assert main([*args, "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert summary["persons"] == 40
    for file in ("cases.xml", "cases.jsonl", "inuk-mapping.toml"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
    assert (
        main(["validate", str(tmp_path / "a" / "cases.xml"), str(tmp_path / "a" / "cases.jsonl")])
        == 0
    )
    assert len(codec.load_path(tmp_path / "a" / "cases.jsonl")) == 40
    # The directory is a data directory for the stub service as it is.
    from ssbx_http.stub.data import CaseBook

    assert len(CaseBook.from_directory(tmp_path / "a")) == 40
