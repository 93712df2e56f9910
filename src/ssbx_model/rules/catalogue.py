"""Render the rule catalogue: every registered rule as a Markdown page for the docs.

For each rule: id, titles, version, citation, the quoted source text, its conditions,
the information sets it reads, its parameters with every dated value and reference, and
worked examples drawn from the data-file test cases (``tests/rules/cases/<rule>.toml``).

Regenerate the committed page with::

    python -m ssbx_model.rules.catalogue --output docs/reference/rule-catalogue.md

The output depends only on the registered rules, the parameter files and the case files
(never on the date it is run), so a test can compare the committed page with a fresh one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ssbx_model.rules import parameters as rule_parameters
from ssbx_model.rules import testcases
from ssbx_model.rules.authoring import ConditionRule, ItemRule, Quantifier, Rule
from ssbx_model.rules.engine import evaluate, rules

__all__ = ["DEFAULT_CASES", "main", "render"]

#: Where the worked examples are read from, relative to the repository root.
DEFAULT_CASES = Path("tests") / "rules" / "cases"

#: How many worked examples each rule shows at most.
EXAMPLES_PER_RULE = 6

_SKIP_FACTS = frozenset({"name", "description", "on", "rule", "expect", "serial"})


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _toml(value: Any) -> str:
    """A compact TOML-like rendering of a fact value (as a domain expert wrote it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {_toml(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return str(value)


def _examples(cases_dir: Path | None) -> dict[str, list[testcases.RuleCase]]:
    found: dict[str, list[testcases.RuleCase]] = {}
    if cases_dir is None or not cases_dir.is_dir():
        return found
    for path in sorted(cases_dir.glob("*.toml")):
        for rule_case in testcases.load_file(path):
            found.setdefault(rule_case.rule, []).append(rule_case)
    # A rule's own file (tests/rules/cases/<rule>.toml) first: a notice's cases run with
    # some rule too, and must not crowd out the rule's own examples.
    for rule_id, cases in found.items():
        cases.sort(key=lambda c: c.source.split(":")[0] != f"{rule_id}.toml")
    return found


def _pick(cases: Sequence[testcases.RuleCase], limit: int) -> list[testcases.RuleCase]:
    # Show each outcome at least once (eligible, not eligible, unknown), then fill up in
    # file order.
    chosen: list[testcases.RuleCase] = []
    for outcome in ("eligible", "not_eligible", "unknown"):
        for c in cases:
            if c.expect_outcome.value == outcome and c not in chosen:
                chosen.append(c)
                break
    for c in cases:
        if len(chosen) >= limit:
            break
        if c not in chosen:
            chosen.append(c)
    order = {id(c): i for i, c in enumerate(cases)}
    return sorted(chosen[:limit], key=lambda c: order[id(c)])


def _conditions(rule: Rule) -> list[str]:
    lines: list[str] = []
    if isinstance(rule, ItemRule):
        which = "at least one" if rule.quantifier is Quantifier.ANY else "every one"
        lines += [
            (
                f"A rule over items: {' '.join((rule.items.__doc__ or '').split()).rstrip('.')}; "
                f"{which} must pass. The conditions about each:"
            ),
            "",
        ]
    if isinstance(rule, ConditionRule):
        scope = getattr(rule, "scope", None)
        if scope is not None:  # a ScopedRule: the conditions apply within its scope
            outside = sorted({f"`{s.code}`" for s in scope.says.values()})
            lines += [
                (
                    f"The conditions apply when `{scope.name}`: {scope.description} Otherwise "
                    f"the rule decides alone, with {', '.join(outside)}. Source: "
                    f"{scope.citation}."
                ),
                "",
            ]
        lines += ["| condition | what must hold | reason code when it holds | source |"]
        lines += ["| --- | --- | --- | --- |"]
        gates = rule.gates if isinstance(rule, ItemRule) else frozenset()
        for c in rule.conditions:
            code = f"`{c.holds.code}`"
            if c.name in gates:  # a gate holds without a reason; it may pass an item at once
                says = getattr(c, "says", {})  # a declared condition's reasons
                passes = [s.code for (kind, _), s in says.items() if kind == "passes"]
                passing = f"; an item it passes at once: `{passes[0]}`" if passes else ""
                code = f"none (the conditions after it need it){passing}"
            lines.append(f"| `{c.name}` | {_cell(c.description)} | {code} | {_cell(c.citation)} |")
    return lines


def _parameters(names: Iterable[str]) -> list[str]:
    lines: list[str] = []
    for name in names:
        parameter = rule_parameters.get(name)
        lines.append(f"**`{name}`**: {parameter.description_en} ({parameter.unit}).")
        lines.append(f"*{parameter.description_sv}.*")
        lines.append("")
        lines.append("| from | value | reference |")
        lines.append("| --- | --- | --- |")
        for v in parameter.values:
            note = f" ({_cell(v.note)})" if v.note else ""
            lines.append(
                f"| {v.start.isoformat()} | {_cell(v.value)} | {_cell(v.reference)}{note} |"
            )
        if parameter.note:
            lines.append("")
            lines.append(f'!!! note "A reading to know about"\n    {parameter.note}')
        lines.append("")
    return lines


def _example(rule_case: testcases.RuleCase) -> list[str]:
    decision = evaluate(rule_case.case, rule_case.rule, rule_case.on, rule_case.parameters)
    facts = [
        f"{key} = {_toml(value)}"
        for key, value in rule_case.facts.items()
        if key not in _SKIP_FACTS
    ]
    lines = [f"**{rule_case.name}** (on {rule_case.on.isoformat()})", "", "```toml"]
    lines += facts
    lines += ["```", ""]
    codes = ", ".join(f"`{c}`" for c in decision.reason_codes())
    lines.append(f"Outcome: **{decision.outcome.value}**; reasons: {codes}.")
    if decision.missing:
        lines.append(f"Missing: {', '.join(f'`{m.value}`' for m in decision.missing)}.")
    first = decision.reasons[0] if decision.reasons else None
    if first is not None:
        lines.append("")
        lines.append(f"> {first.message_sv}  ")
        lines.append(f"> *{first.message_en}*")
    lines.append("")
    return lines


def render(cases_dir: Path | None = DEFAULT_CASES) -> str:
    """The catalogue as Markdown, for every registered rule (sorted by id)."""
    examples = _examples(cases_dir)
    out: list[str] = [
        "# Rule catalogue",
        "",
        "<!-- Generated by `python -m ssbx_model.rules.catalogue`: do not edit by hand. -->",
        "",
        (
            "Every target-group rule the library ships: what it encodes, where that comes "
            "from, the dated parameters it reads and worked examples taken from the data-file "
            "test cases in `tests/rules/cases/`. Outcomes are `eligible`, `not_eligible` and "
            "`unknown` (with the information sets that would settle it). Evaluate a rule with "
            '`ssbx_model.rules.evaluate(case, "<id>", on=date)` or `ssbx evaluate FILE '
            "--rule <id>`; override any parameter for a what-if (see the how-to)."
        ),
        "",
        "| id | title | version |",
        "| --- | --- | --- |",
    ]
    all_rules = rules()
    for rule in all_rules:
        out.append(f"| [`{rule.id}`](#{rule.id}) | {_cell(rule.title_en)} | {rule.version} |")
    out.append("")
    for rule in all_rules:
        out += [f"## `{rule.id}` {{ #{rule.id} }}", "", f"**{rule.title_en}**  "]
        out += [f"*{rule.title_sv}*", "", f"Version {rule.version}. Source: {rule.citation}.", ""]
        out += ["### Source text", ""]
        out += [f"> {rule.source_text}", ""]
        conditions = _conditions(rule)
        if conditions:
            out += ["### Conditions", "", *conditions, ""]
        needs = ", ".join(f"`{n.value}`" for n in rule.needs) or "none (the case's own data)"
        out += ["### Information it reads", "", needs, ""]
        if rule.parameters:
            out += ["### Parameters", "", *_parameters(rule.parameters)]
        chosen = _pick(examples.get(rule.id, []), EXAMPLES_PER_RULE)
        if chosen:
            total = len(examples.get(rule.id, []))
            out += ["### Worked examples", ""]
            out.append(f"{len(chosen)} of the {total} cases in `tests/rules/cases/` for this rule.")
            out.append("")
            for rule_case in chosen:
                out += _example(rule_case)
    return "\n".join(out).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the catalogue to ``--output`` (default: standard output)."""
    parser = argparse.ArgumentParser(prog="python -m ssbx_model.rules.catalogue")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="case files folder")
    parser.add_argument("--output", type=Path, default=None, help="file to write")
    args = parser.parse_args(argv)
    text = render(args.cases)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
