"""``ssbx check-employer FILE``: vet employers on their own, without a person's case.

Reads a file of employer checks (``{"employer_checks": [...]}``, see
:mod:`ssbx_model.employers`) and prints one decision per employer: the ``employer-check``
rule's three grounds (trading ban, tax debt at Kronofogden, payment remarks), with
reasons and citations.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ssbx_model.cli._common import add_format_option, add_on_option, exit_for_error, reference_date
from ssbx_model.cli._evaluate import add_param_option, parse_overrides
from ssbx_model.errors import RuleError, SsbxError

__all__ = ["register", "run"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``check-employer`` command."""
    parser = sub.add_parser(
        "check-employer",
        help="check employers on their own (trading ban, tax debt, payment remarks)",
        description=(
            'Check the employers of FILE ({"employer_checks": [...]}, each item as in a '
            "case document) as AF checks before a placement, without a person or a "
            "placement: one decision per employer, with reasons and citations."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="a .json file of employer checks")
    add_on_option(parser)
    add_param_option(parser, "employer_check.max_tax_debt_sek=1000")
    add_format_option(parser, default="table")
    parser.set_defaults(func=run)


def _fail(message: str) -> None:
    print(f"ssbx check-employer: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Check each employer; print the decisions; return the exit code."""
    from ssbx_model.employers import check_employers, read_employer_checks

    try:
        overrides = parse_overrides(args.param)
    except RuleError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    on = reference_date(args)
    try:
        decisions = check_employers(read_employer_checks(args.file), on, overrides or None)
    except (OSError, SsbxError) as exc:
        return exit_for_error(exc, args.file, _fail)
    if args.format == "json":
        for decision in decisions:
            record = {
                "employer": decision.subject,
                "on": decision.on.isoformat(),
                "outcome": decision.outcome.value,
                "reasons": [r.to_json() for r in decision.reasons],
                "missing": [m.value for m in decision.missing],
            }
            print(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Employer checks on {on.isoformat()}")
    for column in ("employer", "outcome", "reasons"):
        table.add_column(column)
    for decision in decisions:
        reasons = "\n".join(f"{r.code}: {r.message_en}" for r in decision.reasons)
        table.add_row(decision.subject, decision.outcome.value, reasons)
    Console(width=160).print(table)
    return EXIT_OK
