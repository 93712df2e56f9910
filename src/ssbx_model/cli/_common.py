"""Helpers shared by the CLI commands: dates, output formats."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

__all__ = ["add_format_option", "add_on_option", "parse_date", "reference_date"]


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` for argparse, with a clear message on failure."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


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
