"""Issue 15, point 1: every reason's text is built from the values in force for that
decision. Each numeric parameter of each rule is overridden (a what-if) on the rule's own
data-file cases: a reason whose text is the same as without the override, and states the
default value, contradicts the decision it explains."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ssbx_model.rules import evaluate, parameters, rules, testcases

CASES = Path(__file__).parent / "rules" / "cases"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _states(text: str, value: int | float) -> bool:
    """True when ``text`` states ``value`` as a number of its own (dates aside)."""
    plain = _ISO_DATE.sub(" ", text)
    number = str(int(value)) if float(value).is_integer() else str(value)
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d.,]|\s*kr\b)", plain) is not None


def _numeric(rule_id: str) -> list[str]:
    rule = next(r for r in rules() if r.id == rule_id)
    found = []
    for name in rule.parameters:
        values = parameters.get(name).values
        if all(isinstance(v.value, int | float) and not isinstance(v.value, bool) for v in values):
            found.append(name)
    return found


def _pairs() -> list[tuple[str, str]]:
    pairs = []
    for rule in sorted(rules(), key=lambda r: r.id):
        if (CASES / f"{rule.id}.toml").exists():
            pairs += [(rule.id, name) for name in _numeric(rule.id)]
    return pairs


@pytest.mark.parametrize(("rule_id", "name"), _pairs())
def test_reason_texts_follow_an_overridden_parameter(rule_id: str, name: str) -> None:
    cases = [c for c in testcases.load_file(CASES / f"{rule_id}.toml") if c.rule == rule_id]
    stale: list[str] = []
    for case in cases:
        overrides = dict(case.parameters or {})
        if name in overrides:
            continue
        default = parameters.get(name).value_on(case.on)
        assert isinstance(default, int | float)
        if default == 0:
            continue
        before = evaluate(case.case, rule_id, case.on, overrides or None)
        changed = {**overrides, name: default + 3}
        after = evaluate(case.case, rule_id, case.on, changed)
        old = {r.code: (r.message_sv, r.message_en) for r in before.reasons}
        for reason in after.reasons:
            texts = (reason.message_sv, reason.message_en)
            if old.get(reason.code) == texts and any(_states(t, default) for t in texts):
                stale.append(f"{case.name}: {reason.code}: {reason.message_en}")
    assert stale == [], f"{name} overridden (default + 3), yet these reasons state the default"


def test_the_category_15_age_band_in_the_text_is_the_one_in_force() -> None:
    # The issue's own example: --param skat15.age.max=18 on a 19-year-old.
    case = next(
        c for c in testcases.load_file(CASES / "skat15.toml") if c.name.startswith("20 years old")
    )
    decision = evaluate(case.case, "skat15", case.on, {"skat15.age.max": 18})
    (reason,) = [r for r in decision.reasons if r.code == "skat15.age.outside-band"]
    assert reason.message_en == "Is aged 20, not 16-18."
    assert reason.message_sv == "Är 20 år, inte 16-18 år."
    ok = evaluate(case.case, "skat15", case.on, {"skat15.age.max": 21})
    (held,) = [r for r in ok.reasons if r.code == "skat15.age.in-band"]
    assert held.message_en == "Is aged 16-21."


def test_the_kaa_age_limit_in_the_text_is_the_one_in_force() -> None:
    case = next(
        c for c in testcases.load_file(CASES / "kaa.toml") if c.expect_outcome.value == "eligible"
    )
    decision = evaluate(case.case, "kaa", case.on, {"kaa.age_limit": 17})
    texts = [r.message_en for r in decision.reasons if r.code.startswith("kaa.age")]
    assert texts
    assert all("turned 20" not in t for t in texts)
    assert any("turned 17" in t for t in texts)
