"""Long work on the command line: a progress bar on a terminal, a one-line summary at
the end, nothing extra when the output is piped, ``--rule all``, and a quiet end when the
reader of the output stops early (issue 18, point 8)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ssbx_model.cli import main
from ssbx_model.codec import dump_path
from ssbx_model.rules import rules
from ssbx_model.synth import generate

ON = dt.date(2024, 6, 3)
SSBX = [sys.executable, "-c", "import sys; from ssbx_model.cli import main; sys.exit(main())"]


@pytest.fixture(scope="module")
def town_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("town") / "cases.jsonl"
    dump_path(generate(persons=60, seed=3, on=ON).cases, path)
    return path


def test_rule_all_evaluates_every_rule_once_per_case(
    town_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(town_file), "--rule", "all", "--on", ON.isoformat()]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    every = [rule.id for rule in rules()]
    assert len(every) > 5
    by_case: dict[int, list[str]] = {}
    for record in records:
        by_case.setdefault(record["case"], []).append(record["rule"])
    assert len(by_case) == 60
    assert all(ids == every for ids in by_case.values())


def test_rule_all_with_another_rule_names_each_rule_once(
    town_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", str(town_file), "--rule", "kaa", "--rule", "all", "--on", ON.isoformat()]
    assert main(args) == 0
    first = [
        json.loads(x)["rule"] for x in capsys.readouterr().out.splitlines() if '"case": 0,' in x
    ]
    assert sorted(first) == sorted(rule.id for rule in rules())
    assert first[0] == "kaa"


def test_piped_output_carries_only_data_and_one_summary_line_on_stderr(town_file: Path) -> None:
    result = subprocess.run(
        [*SSBX, "evaluate", str(town_file), "--rule", "kaa", "--on", ON.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert all(json.loads(line)["rule"] == "kaa" for line in result.stdout.splitlines())
    assert len(result.stdout.splitlines()) == 60
    summary = result.stderr.splitlines()
    assert len(summary) == 1, result.stderr  # no bar, no escape codes: stderr is no terminal
    assert re.fullmatch(
        r"ssbx evaluate: 60 cases, 60 decisions \((\d+ (eligible|not_eligible|unknown)(, )?)+\)"
        r" in \d+\.\d s, 0 problems",
        summary[0],
    ), summary[0]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_progress_bar_runs_before_the_summary(
    town_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["validate", str(town_file)]) == 0
    shown = terminal.getvalue()
    # The bar is drawn while working and erased at the end (escape codes), then the
    # summary is the last line.
    bar, _, summary = shown.rstrip("\n").rpartition("\x1b[2K")
    assert "ssbx validate" in bar
    assert "\x1b[" in bar
    assert re.fullmatch(
        r"ssbx validate: validated 60 cases in 1 file in \d+\.\d s, 0 problems", summary
    )
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "command",
    [
        ["rules", "--format", "json"],
        ["evaluate", "{town}", "--rule", "all", "--on", ON.isoformat()],
    ],
)
def test_output_piped_into_a_reader_that_stops_early_ends_quietly(
    town_file: Path, command: list[str]
) -> None:
    """``ssbx ... | head -n 1``: no BrokenPipeError traceback, exit code 0."""
    args = [part.replace("{town}", str(town_file)) for part in command]
    process = subprocess.Popen(
        [*SSBX, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader goes away, as head does after one line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert json.loads(first)
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
    assert "Exception ignored" not in stderr


def test_a_real_pipe_into_head_ends_quietly(town_file: Path) -> None:
    script = " ".join(
        [
            *(f"'{part}'" for part in SSBX),
            "evaluate",
            str(town_file),
            "--rule",
            "all",
            "--on",
            ON.isoformat(),
            "| head -n 1 >/dev/null",
        ]
    )
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr
