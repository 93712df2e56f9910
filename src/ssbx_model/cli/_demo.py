"""``ssbx demo``: show what the library does, on embedded defaults.

Until the end-to-end demo lands this shows, honestly, what exists: identity numbers parsed
and masked, and deadlines counted in Swedish working days.
"""

from __future__ import annotations

import argparse
import datetime as dt

from rich.console import Console
from rich.table import Table

from ssbx_model.calendar import SWEDEN
from ssbx_model.cli._common import add_on_option, reference_date
from ssbx_model.identity import Personnummer, Samordningsnummer

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``demo`` command."""
    parser = sub.add_parser(
        "demo",
        help="run the demonstration on embedded defaults",
        description="Run the demonstration on embedded defaults (nothing leaves this machine).",
    )
    add_on_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print identity numbers and working-day deadlines as of the reference date."""
    on = reference_date(args)
    console = Console()
    ids = Table(title=f"Identity numbers as of {on.isoformat()} (fictitious, masked)")
    for column in ("type", "shown as", "birth date", "age"):
        ids.add_column(column)
    samples = (
        Personnummer.from_birth_date(dt.date(2008, 2, 29), 123),
        Personnummer.from_birth_date(dt.date(1925, 6, 1), 42),
        Samordningsnummer.from_birth_date(dt.date(2004, 11, 5), 987),
    )
    for number in samples:
        ids.add_row(
            type(number).__name__,
            str(number),
            number.birth_date.isoformat(),
            str(number.age_on(on)),
        )
    console.print(ids)

    deadlines = Table(title="Deadlines in Swedish working days")
    for column in ("deadline", "from", "due"):
        deadlines.add_column(column)
    deadlines.add_row(
        "AF calls back within 2 working days",
        on.isoformat(),
        SWEDEN.add_working_days(on, 2).isoformat(),
    )
    deadlines.add_row(
        "KAA first contact within 1 working day",
        on.isoformat(),
        SWEDEN.add_working_days(on, 1).isoformat(),
    )
    next_month = (on.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    deadlines.add_row(
        "INUK month closes after the 4th working day of the next month",
        f"{on:%Y-%m}",
        SWEDEN.nth_working_day_of_month(next_month.year, next_month.month, 4).isoformat(),
    )
    console.print(deadlines)
    console.print(
        "This demo shows the foundation only (identity numbers and the working-day "
        "calendar); cases, rules and reports are not part of it yet."
    )
    return 0
