"""Run every data-file rule case in tests/rules/cases/*.toml through the rules engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssbx_model.rules import testcases

CASES_DIR = Path(__file__).parent / "rules" / "cases"
FILES = sorted(CASES_DIR.glob("*.toml"))
CASES = [case for path in FILES for case in testcases.load_file(path)]


def test_there_are_case_files() -> None:
    assert FILES, f"no case files in {CASES_DIR}"


@pytest.mark.parametrize("rule_case", CASES, ids=[f"{c.rule}: {c.name}" for c in CASES])
def test_rule_case(rule_case: testcases.RuleCase) -> None:
    result = testcases.run_case(rule_case)
    assert result.ok, f"{rule_case.source} {rule_case.name!r}: " + "; ".join(result.failures)


def test_the_committed_rule_catalogue_is_up_to_date() -> None:
    from ssbx_model.rules import catalogue

    page = Path(__file__).parents[1] / "docs" / "reference" / "rule-catalogue.md"
    expected = catalogue.render(CASES_DIR)
    assert page.read_text(encoding="utf-8") == expected, (
        "docs/reference/rule-catalogue.md is out of date: run "
        "`python -m ssbx_model.rules.catalogue --output docs/reference/rule-catalogue.md`"
    )
