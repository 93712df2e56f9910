"""``ssbx explain``: one decision as readable text, in Swedish and English.

Shows the outcome, every reason with its citation and the facts it used, the missing
information sets, the parameters as of the reference date and the trace: each condition
the rule checked and what it found. Identity numbers are masked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ssbx_model.cli._common import exit_for_error, reference_date
from ssbx_model.cli._evaluate import add_input_options, iter_case_items, parse_overrides
from ssbx_model.errors import (
    RuleError,
    SsbxError,
)
from ssbx_model.identity import mask_identity_numbers
from ssbx_model.rules import Decision, Outcome, evaluate, get_rule

__all__ = ["register", "render", "run"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OPERATIONAL = 0, 1, 2, 3

_OUTCOME_SV = {
    Outcome.ELIGIBLE: "tillhör målgruppen / uppfyller villkoren",
    Outcome.NOT_ELIGIBLE: "tillhör inte målgruppen / uppfyller inte villkoren",
    Outcome.UNKNOWN: "kan inte avgöras med de uppgifter som finns",
}
_OUTCOME_EN = {
    Outcome.ELIGIBLE: "in the target group / conditions met",
    Outcome.NOT_ELIGIBLE: "not in the target group / conditions not met",
    Outcome.UNKNOWN: "cannot be decided with the facts at hand",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``explain`` command."""
    parser = sub.add_parser(
        "explain",
        help="explain one decision in Swedish and English",
        description=(
            "Evaluate one rule for one case of FILE and explain the decision: outcome, "
            "reasons with citations and facts, missing information, parameters and trace."
        ),
    )
    add_input_options(parser, many_rules=False)
    parser.add_argument(
        "--case",
        type=int,
        default=0,
        metavar="N",
        help="which case of the file, counting from 0 as `ssbx evaluate` does (default 0)",
    )
    parser.add_argument(
        "--lang",
        choices=("sv", "en", "both"),
        default="both",
        help="language of the explanation (default: both)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json: the decision's versioned audit document with its trace",
    )
    parser.set_defaults(func=run)


def _facts(facts: tuple[tuple[str, Any], ...]) -> str:
    def text(value: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return ", ".join(text(v) for v in value)
        return str(value)

    return "; ".join(f"{name} = {text(value)}" for name, value in facts)


def render(decision: Decision, *, lang: str = "both", title: str | None = None) -> str:
    """The decision as readable text (``lang``: ``sv``, ``en`` or ``both``)."""
    rule = get_rule(decision.rule_id)
    sv, en = lang in ("sv", "both"), lang in ("en", "both")
    lines: list[str] = []
    heading = f"{decision.rule_id} (version {decision.rule_version})"
    lines.append(heading)
    lines.append("=" * len(heading))
    if title:
        lines.append(title)
    if sv:
        lines.append(f"Regel: {rule.title_sv}")
    if en:
        lines.append(f"Rule: {rule.title_en}")
    lines.append(f"Källa / Source: {rule.citation}")
    lines.append(f"Person: {decision.subject}")
    lines.append(f"Datum / Date: {decision.on.isoformat()}")
    lines.append("")
    outcome = decision.outcome
    if sv:
        lines.append(f"Beslut: {outcome.value} ({_OUTCOME_SV[outcome]})")
    if en:
        lines.append(f"Outcome: {outcome.value} ({_OUTCOME_EN[outcome]})")
    lines.append("")
    lines.append("Skäl / Reasons:")
    for reason in decision.reasons:
        lines.append(f"  - [{reason.kind.value}] {reason.code}")
        if sv:
            lines.append(f"      sv: {reason.message_sv}")
        if en:
            lines.append(f"      en: {reason.message_en}")
        lines.append(f"      källa/citation: {reason.citation}")
        if reason.facts:
            lines.append(f"      uppgifter/facts: {_facts(reason.facts)}")
    if decision.missing:
        lines.append("")
        if sv:
            lines.append("Uppgifter som saknas för att avgöra:")
        if en:
            lines.append("Information needed to decide:")
        for which in decision.missing:
            lines.append(f"  - {which.value} ({which.info.swedish}, {which.info.provider})")
    if decision.parameters:
        lines.append("")
        lines.append(f"Parametrar / Parameters (per {decision.on.isoformat()}):")
        for name, value in sorted(decision.parameters.items()):
            lines.append(f"  - {name} = {value}")
    steps = decision.trace
    if steps:
        lines.append("")
        lines.append("Spår / Trace:")
        for i, step in enumerate(steps, 1):
            code = f" -> {step.reason_code}" if step.reason_code else ""
            lines.append(f"  {i}. {step.condition}: {step.result.value}{code}")
            lines.append(f"      {step.description}")
            if step.facts:
                lines.append(f"      uppgifter/facts: {_facts(step.facts)}")
    # Facts, messages and the title repeat outside text (ids, sources, the reference).
    return mask_identity_numbers("\n".join(lines) + "\n")


def _fail(message: str) -> None:
    print(f"ssbx explain: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Explain one decision; return the exit code."""
    path: Path = args.file
    is_toml = path.suffix.lower() == ".toml"
    try:
        overrides = parse_overrides(args.param)
        if args.rule is not None:
            get_rule(args.rule)
    except RuleError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    if args.rule is None and not is_toml:
        _fail("name the rule with --rule ID (see `ssbx rules`)")
        return EXIT_USAGE
    if args.case < 0:
        _fail("--case counts from 0")
        return EXIT_USAGE
    on_arg: dt.date | None = args.on
    default_on = on_arg if (on_arg is not None or is_toml) else reference_date(args)
    try:
        item = None
        for candidate in iter_case_items(path):
            if candidate.index == args.case:
                item = candidate
                break
        if item is None:
            _fail(f"{path.name} has no case {args.case} (cases count from 0)")
            return EXIT_USAGE
        on = on_arg or item.on or default_on
        assert on is not None
        rule_id = args.rule or item.rule
        assert rule_id is not None
        params = dict(item.parameters or {})
        params.update(overrides)
        decision = evaluate(item.case, rule_id, on, params or None, trace=True)
    except (OSError, SsbxError) as exc:
        return exit_for_error(exc, path, _fail)
    title = f"Fall / Case {item.index}" + (f": {item.name}" if item.name else "")
    if item.case.reference:
        title += f" (ref. {item.case.reference})"
    if args.format == "json":
        document = decision.to_json()
        document["case"] = item.index
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        return EXIT_OK
    sys.stdout.write(render(decision, lang=args.lang, title=title))
    return EXIT_OK
