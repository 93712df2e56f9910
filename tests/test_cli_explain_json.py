"""``ssbx explain --format json`` prints the decision's versioned audit document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ssbx_model.cli import main
from ssbx_model.rules import Decision

CASES = Path(__file__).parent / "rules" / "cases" / "kaa.toml"


def test_explain_json_is_the_decision_document_with_its_trace(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", str(CASES), "--rule", "kaa", "--case", "1", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["case"] == 1
    assert document["rule"] == "kaa"
    assert document["trace_version"] == "1"
    assert document["trace"], "explain asks for the trace"
    decision = Decision.from_json({k: v for k, v in document.items() if k != "case"})
    assert decision.outcome.value == document["outcome"]


def test_explain_text_and_json_agree_on_the_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(CASES), "--rule", "kaa", "--case", "0", "--format", "json"]) == 0
    outcome = json.loads(capsys.readouterr().out)["outcome"]
    assert main(["explain", str(CASES), "--rule", "kaa", "--case", "0", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert outcome.replace("_", " ") in text.replace("_", " ").lower()
