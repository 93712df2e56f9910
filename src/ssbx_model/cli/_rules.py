"""``ssbx rules``: list every registered rule with its citation and parameters.

The table shows each parameter's value as of the reference date (``--on``, default
today, printed); the JSON form (one rule per line) lists every dated value with its
reference.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ssbx_model.cli._common import add_format_option, add_on_option, reference_date
from ssbx_model.errors import RuleError
from ssbx_model.rules import parameters as rule_parameters
from ssbx_model.rules import rules

__all__ = ["register", "rule_record", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``rules`` command."""
    parser = sub.add_parser(
        "rules",
        help="list the target-group rules with their citations and parameters",
        description=(
            "List every registered rule: id, version, title, citation, the information "
            "sets it reads and its parameters (values as of --on in the table; every "
            "dated value in JSON)."
        ),
    )
    add_on_option(parser)
    add_format_option(parser)
    parser.set_defaults(func=run)


def rule_record(rule: Any) -> dict[str, Any]:
    """A JSON-ready description of one rule with every dated parameter value."""
    params: list[dict[str, Any]] = []
    for name in rule.parameters:
        parameter = rule_parameters.get(name)
        params.append(
            {
                "name": name,
                "unit": parameter.unit,
                "description_en": parameter.description_en,
                "note": parameter.note,
                "values": [
                    {"from": v.start.isoformat(), "value": v.value, "reference": v.reference}
                    for v in parameter.values
                ],
            }
        )
    return {
        "id": rule.id,
        "version": rule.version,
        "title_en": rule.title_en,
        "title_sv": rule.title_sv,
        "citation": rule.citation,
        "needs": [n.value for n in rule.needs],
        "parameters": params,
    }


def run(args: argparse.Namespace) -> int:
    """Print the rules; return the exit code."""
    if args.format == "json":
        for rule in rules():
            print(json.dumps(rule_record(rule), ensure_ascii=False))
        return 0
    on = reference_date(args)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Rules (parameter values as of {on.isoformat()})")
    for column in ("id", "title", "citation", "parameters"):
        table.add_column(column)
    for rule in rules():
        values = []
        for name in rule.parameters:
            try:
                values.append(f"{name} = {rule_parameters.value(name, on)}")
            except RuleError:
                values.append(f"{name} = (no value on this date)")
        table.add_row(
            f"{rule.id}\nv{rule.version}", rule.title_en, rule.citation, "\n".join(values)
        )
    Console(width=200).print(table)
    return 0
