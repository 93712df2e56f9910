"""``ssbx evaluate``: run rules over the cases of a file, one decision per case and rule.

Input files, by extension:

* ``.json``: a case document or a many-case document (:mod:`ssbx_model.codec.json`);
* ``.jsonl``: JSON Lines, one case document per line, streamed;
* ``.xml``: an XML case document or many-case document (:mod:`ssbx_model.codec.xml`);
* ``.toml``: a rule test-case file (:mod:`ssbx_model.rules.testcases`): each case is
  evaluated on its own date unless ``--on`` is given, and ``--check`` compares the
  decisions with the expectations written in the file.

Output: JSON Lines (one decision per line: case index, reference, masked subject, rule,
outcome, reasons with codes and citations, missing sets) or a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ssbx_model.case import Case
from ssbx_model.cli._common import (
    add_format_option,
    add_on_option,
    exit_for_error,
    reference_date,
)
from ssbx_model.cli._progress import Progress, plural
from ssbx_model.errors import (
    RuleError,
    SsbxError,
    UnknownRuleError,
)
from ssbx_model.identity import mask_identity_numbers
from ssbx_model.rules import Decision, Outcome, evaluate, get_rule, rules
from ssbx_model.rules.parameters import Scalar

__all__ = [
    "ALL_RULES",
    "CaseItem",
    "add_input_options",
    "add_param_option",
    "all_rules",
    "decision_record",
    "iter_case_items",
    "parse_overrides",
    "register",
    "run",
]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OPERATIONAL = 0, 1, 2, 3


@attrs.frozen
class CaseItem:
    """One case read from an input file, with what a test-case file adds to it."""

    index: int
    case: Case
    name: str | None = None
    on: dt.date | None = None
    rule: str | None = None
    parameters: Mapping[str, Scalar] | None = None
    expectation: Any = None


def iter_case_items(path: Path) -> Iterator[CaseItem]:
    """The cases of ``path``, chosen by its extension (see the module documentation).

    Raises:
        ValidationError: the file's problems, with paths.
        SchemaVersionError: the file names a schema version this library cannot read.
        OSError: the file cannot be read.
        RuleError: the extension is not one of .json, .jsonl, .xml, .toml.
    """
    suffix = path.suffix.lower()
    if suffix == ".toml":
        from ssbx_model.rules import testcases

        for i, rule_case in enumerate(testcases.load_file(path)):
            yield CaseItem(
                i,
                rule_case.case,
                rule_case.name,
                rule_case.on,
                rule_case.rule,
                rule_case.parameters,
                rule_case,
            )
        return
    from ssbx_model import codec

    try:
        codec.format_of(path)
    except ValueError:
        raise RuleError(
            f"cannot read {path.name}: expected a .json, .jsonl, .xml or .toml file"
        ) from None
    for i, case in enumerate(codec.iter_path(path)):
        yield CaseItem(i, case)


def _scalar(text: str) -> Scalar:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def parse_overrides(items: Sequence[str] | None) -> dict[str, Scalar]:
    """``NAME=VALUE`` pairs of ``--param`` as overrides (numbers and true/false typed).

    Raises:
        RuleError: for an item without ``=``.
    """
    overrides: dict[str, Scalar] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise RuleError(f"--param takes NAME=VALUE, not {item!r}")
        overrides[name.strip()] = _scalar(value.strip())
    return overrides


#: ``--rule all``: every registered rule, in the order ``ssbx rules`` lists them.
ALL_RULES = "all"


def all_rules(rule_ids: list[str]) -> list[str]:
    """``rule_ids`` with ``all`` replaced by every registered rule's id (once each)."""
    if ALL_RULES not in rule_ids:
        return rule_ids
    every = [rule.id for rule in rules()]
    expanded = [
        rule_id for name in rule_ids for rule_id in (every if name == ALL_RULES else [name])
    ]
    return list(dict.fromkeys(expanded))


def add_input_options(parser: argparse.ArgumentParser, *, many_rules: bool) -> None:
    """The options shared by ``evaluate`` and ``explain``."""
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="cases (.json, .jsonl, .xml, .toml)"
    )
    parser.add_argument(
        "--rule",
        action="append" if many_rules else "store",
        default=None,
        metavar="ID",
        help="rule id (see `ssbx rules`)"
        + (
            "; repeat for several, or `all` for every rule; default for .toml files: each "
            "case's rule"
            if many_rules
            else ""
        ),
    )
    add_on_option(parser)
    add_param_option(parser, "prisbasbelopp=50000")


def add_param_option(parser: argparse.ArgumentParser, example: str) -> None:
    """``--param NAME=VALUE`` (repeatable): a parameter override for a what-if."""
    parser.add_argument(
        "--param",
        action="append",
        default=None,
        metavar="NAME=VALUE",
        help=f"override a rule parameter for a what-if evaluation (repeatable), e.g. "
        f"--param {example}",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``evaluate`` command."""
    parser = sub.add_parser(
        "evaluate",
        help="evaluate target-group rules over the cases of a file",
        description=(
            "Evaluate rules over every case of FILE and print one decision per case and "
            "rule. For .toml test-case files each case uses its own date unless --on is "
            "given, and --check compares the decisions with the file's expectations."
        ),
    )
    add_input_options(parser, many_rules=True)
    add_format_option(parser, default="json")
    parser.add_argument(
        "--role",
        default=None,
        metavar="ROLE",
        help="evaluate each case as ROLE sees it (with --purpose): the access policy is "
        "applied on the reference date first (socialsekreterare, arbetskonsulent, statistics)",
    )
    parser.add_argument(
        "--purpose",
        default=None,
        metavar="PURPOSE",
        help="the purpose of the reading (with --role): social-assistance, labour-market, "
        "statistics",
    )
    parser.add_argument(
        "--policy",
        type=Path,
        default=None,
        metavar="FILE",
        help="access policy file for --role/--purpose (default: the policy shipped with "
        "the library)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="(.toml test-case files) exit 1 when a decision differs from the expectation",
    )
    parser.set_defaults(func=run)


def decision_record(item: CaseItem, decision: Decision) -> dict[str, Any]:
    """The JSON Lines record of one decision (masked subject; no identity number)."""
    record: dict[str, Any] = {"case": item.index}
    if item.name is not None:
        record["name"] = item.name
    if item.case.reference is not None:
        # The caller's text: masked like every outside text in what the library prints.
        record["reference"] = mask_identity_numbers(item.case.reference)
    record.update(
        {
            "subject": decision.subject,
            "rule": decision.rule_id,
            "rule_version": decision.rule_version,
            "on": decision.on.isoformat(),
            "outcome": decision.outcome.value,
            "reasons": [r.to_json() for r in decision.reasons],
            "missing": [m.value for m in decision.missing],
        }
    )
    return record


def _fail(message: str) -> None:
    print(f"ssbx evaluate: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Evaluate the rules; print decisions; return the exit code."""
    path: Path = args.file
    rule_ids = all_rules(list(args.rule or []))
    is_toml = path.suffix.lower() == ".toml"
    try:
        overrides = parse_overrides(args.param)
        for rule_id in rule_ids:
            get_rule(rule_id)
    except UnknownRuleError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except RuleError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    if not rule_ids and not is_toml:
        _fail("name at least one rule with --rule ID (see `ssbx rules`)")
        return EXIT_USAGE
    if args.check and not is_toml:
        _fail("--check needs a .toml test-case file")
        return EXIT_USAGE
    try:
        access = _access(args)
    except (OSError, SsbxError) as exc:
        return exit_for_error(exc, args.policy, _fail)
    except ValueError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    on_arg: dt.date | None = args.on
    default_on = on_arg if (on_arg is not None or is_toml) else reference_date(args)

    table_rows: list[dict[str, Any]] = []
    failures = 0
    outcomes: Counter[str] = Counter()
    try:
        with Progress("evaluate") as progress:
            for item in iter_case_items(path):
                on = on_arg or item.on or default_on
                assert on is not None
                ids = rule_ids or ([item.rule] if item.rule else [])
                params = dict(item.parameters or {})
                params.update(overrides)
                case = item.case if access is None else access(item.case, on)
                for rule_id in ids:
                    decision = evaluate(case, rule_id, on, params or None)
                    outcomes[decision.outcome.value] += 1
                    record = decision_record(item, decision)
                    if args.check and item.expectation is not None:
                        problems = _check(item, decision)
                        record["check"] = problems if problems else "ok"
                        failures += bool(problems)
                        progress.problem(bool(problems))
                    if args.format == "json":
                        print(json.dumps(record, ensure_ascii=False, default=str), flush=False)
                    else:
                        table_rows.append(record)
                progress.advance()
    except (OSError, SsbxError) as exc:
        return exit_for_error(exc, path, _fail)
    if args.format == "table":
        _print_table(table_rows, with_check=args.check)
    sys.stdout.flush()
    decided = sum(outcomes.values())
    split = ", ".join(f"{outcomes[o.value]} {o.value}" for o in Outcome if outcomes[o.value])
    progress.summary(
        f"{progress.counted}, {plural(decided, 'decision')}" + (f" ({split})" if split else "")
    )
    if failures:
        _fail(f"{failures} decision(s) differ from the expectations in {path.name}")
        return EXIT_INPUT
    return EXIT_OK


def _access(args: argparse.Namespace) -> Callable[[Case, dt.date], Case] | None:
    """The access filter ``--role``/``--purpose``/``--policy`` ask for, or None.

    Raises:
        ValueError: when only one of role and purpose is given or either is unknown.
    """
    from ssbx_model.access import filter_case, load_policy
    from ssbx_model.purpose import Purpose, Role

    role_name, purpose_name = getattr(args, "role", None), getattr(args, "purpose", None)
    if role_name is None and purpose_name is None:
        if getattr(args, "policy", None) is not None:
            raise ValueError("--policy needs --role and --purpose")
        return None
    if role_name is None or purpose_name is None:
        raise ValueError("--role and --purpose go together")
    try:
        role = Role(role_name)
    except ValueError:
        raise ValueError(
            f"--role {role_name!r} is not a role ({', '.join(r.value for r in Role)})"
        ) from None
    try:
        purpose = Purpose(purpose_name)
    except ValueError:
        raise ValueError(
            f"--purpose {purpose_name!r} is not a purpose ({', '.join(p.value for p in Purpose)})"
        ) from None
    policy = load_policy(args.policy)

    def through(case: Case, on: dt.date) -> Case:
        return filter_case(case, role=role, purpose=purpose, on=on, policy=policy).case

    return through


def _check(item: CaseItem, decision: Decision) -> list[str]:
    from ssbx_model.rules import testcases

    expectation = item.expectation
    assert isinstance(expectation, testcases.RuleCase)
    rule_case = attrs.evolve(expectation, rule=decision.rule_id, on=decision.on)
    if decision.rule_id != expectation.rule:
        return []
    return list(testcases.run_case(rule_case).failures)


def _print_table(rows: list[dict[str, Any]], *, with_check: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Decisions")
    columns = ["case", "subject", "rule", "on", "outcome", "reasons", "missing"]
    if with_check:
        columns.append("check")
    for column in columns:
        table.add_column(column)
    for row in rows:
        label = str(row["case"]) + (f" {row['name']}" if "name" in row else "")
        cells = [
            label,
            row["subject"],
            row["rule"],
            row["on"],
            row["outcome"],
            "\n".join(r["code"] for r in row["reasons"]),
            ", ".join(row["missing"]),
        ]
        if with_check:
            check = row.get("check", "")
            cells.append(check if isinstance(check, str) else "; ".join(check))
        table.add_row(*cells)
    Console(width=160).print(table)
