"""Helpers shared by the CLI commands: dates, output formats."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ssbx_model.errors import (
    RuleError,
    SchemaVersionError,
    SsbxError,
    UnsafeXmlError,
    ValidationError,
    XmlSyntaxError,
)

__all__ = [
    "add_format_option",
    "add_on_option",
    "exit_for_error",
    "parse_date",
    "reference_date",
]


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z", re.ASCII)


def parse_date(text: str) -> dt.date:
    """Parse exactly ``YYYY-MM-DD`` for argparse, saying what is wrong on failure.

    Other forms ``date.fromisoformat`` accepts (``20240101``, ``2024-W01-1``) are
    refused: a reference date is written one way. A date in the right form that does not
    exist says which part is wrong ("month 13 does not exist").
    """
    match = _ISO_DATE.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}")
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: year 0 does not exist")
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"{text!r}: month {month} does not exist")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise argparse.ArgumentTypeError(
            f"{text!r}: day {day} does not exist in {year}-{month:02d} (it has {days} days)"
        )
    return dt.date(year, month, day)


def add_on_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--on YYYY-MM-DD`` (the reference date; today when omitted, and then printed)."""
    parser.add_argument(
        "--on",
        type=parse_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="reference date (default: today, printed to standard error)",
    )


def add_format_option(parser: argparse.ArgumentParser, default: str = "table") -> None:
    """Add ``--format json|table``."""
    parser.add_argument(
        "--format",
        choices=("json", "table"),
        default=default,
        help=f"output format (default: {default}); json is one JSON document per line",
    )


def reference_date(args: argparse.Namespace) -> dt.date:
    """The reference date of a command: ``--on`` or, when omitted, today (announced).

    The CLI is the only place in the library that reads the wall clock.
    """
    on: dt.date | None = getattr(args, "on", None)
    if on is not None:
        return on
    today = dt.date.today()
    print(f"ssbx: reference date not given, using today {today.isoformat()}", file=sys.stderr)
    return today


def exit_for_error(exc: OSError | SsbxError, path: Path, fail: Callable[[str], None]) -> int:
    """Report an error met while reading and evaluating ``path``; return the exit code.

    Unreadable files are operational errors (3); invalid or unsafe documents are input
    problems (1, one line per problem); a wrong rule or parameter is a usage error (2).
    """
    if isinstance(exc, BrokenPipeError):
        raise exc  # the reader of the output stopped early: main ends quietly
    if isinstance(exc, FileNotFoundError):
        fail(f"cannot read {path}: no such file")
        return 3
    if isinstance(exc, OSError):
        fail(f"cannot read {path}: {exc.strerror or exc}")
        return 3
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
        return 1
    if isinstance(exc, (SchemaVersionError, UnsafeXmlError, XmlSyntaxError)):
        fail(f"{path.name}: {exc}")
        return 1
    fail(str(exc))
    return 2 if isinstance(exc, RuleError) else 3
