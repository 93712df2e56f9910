"""``ssbx make-person BIRTH-DATE``: fictitious identity numbers for hand-written test data.

A personnummer (or, with ``--coordination-number``, a samordningsnummer) for the birth
date, with a birth number from 980 to 999 (the fictitious range every person of this
library's kit uses) and its check digit computed
(:meth:`~ssbx_model.identity.Personnummer.from_birth_date`). The numbers are printed in
clear: they belong to nobody.
"""

from __future__ import annotations

import argparse
import sys

from ssbx_model.cli._common import parse_date
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.synth import TEST_SERIALS

__all__ = ["register", "run"]


def _serial(text: str) -> int:
    try:
        serial = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if serial not in TEST_SERIALS:
        raise argparse.ArgumentTypeError(
            f"{serial} is not a fictitious birth number: use 980-999 (real people have the others)"
        )
    return serial


def _count(text: str) -> int:
    count = int(text) if text.isdigit() else 0
    if not 1 <= count <= len(TEST_SERIALS):
        raise argparse.ArgumentTypeError(f"--count takes 1 to {len(TEST_SERIALS)}, not {text!r}")
    return count


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``make-person`` command."""
    parser = sub.add_parser(
        "make-person",
        help="print a valid fictitious identity number for a birth date (test data)",
        description=(
            "Print a valid fictitious personnummer for BIRTH-DATE (birth numbers 980-999, "
            "the check digit computed), for writing test documents by hand."
        ),
    )
    parser.add_argument("birth", type=parse_date, metavar="BIRTH-DATE", help="YYYY-MM-DD")
    parser.add_argument(
        "--serial",
        type=_serial,
        default=TEST_SERIALS[0],
        metavar="N",
        help="the birth number, 980-999 (default 980; odd: male, even: female)",
    )
    parser.add_argument(
        "--count",
        type=_count,
        default=1,
        metavar="N",
        help="how many numbers, with consecutive birth numbers from --serial (default 1)",
    )
    parser.add_argument(
        "--coordination-number",
        action="store_true",
        help="a samordningsnummer (60 added to the day) instead of a personnummer",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the numbers, one a line."""
    kind = Samordningsnummer if args.coordination_number else Personnummer
    serials = [s for s in TEST_SERIALS if s >= args.serial][: args.count]
    if len(serials) < args.count:
        print(
            f"ssbx make-person: only {len(serials)} fictitious birth numbers from "
            f"{args.serial} to 999",
            file=sys.stderr,
        )
        return 2
    for serial in serials:
        print(kind.from_birth_date(args.birth, serial).reveal())
    return 0
