"""The ``ssbx`` command line.

Each command lives in its own module under ``ssbx_model.cli`` and registers itself through
a ``register(subparsers)`` function; :data:`COMMAND_MODULES` lists them in help order.

Exit codes (the same for every command):

* ``0``: success (for ``validate``: every file valid);
* ``1``: the input had problems (one line per problem on standard error or in the JSON);
* ``2``: the command line was wrong (unknown option, bad date, ...);
* ``3``: an operational error (a file could not be read, a service could not be reached).

Output piped into a reader that stops early (``| head``) ends quietly, with exit code 0.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from ssbx_model._version import __version__
from ssbx_model.errors import SsbxError

__all__ = ["COMMAND_MODULES", "EXIT_INPUT", "EXIT_OK", "EXIT_OPERATIONAL", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_OPERATIONAL = 3

#: Command modules, in the order ``ssbx --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "ssbx_model.cli._demo",
    "ssbx_model.cli._synth",
    "ssbx_model.cli._evaluate",
    "ssbx_model.cli._explain",
    "ssbx_model.cli._check_employer",
    "ssbx_model.cli._rules",
    "ssbx_model.cli._report",
    "ssbx_model.cli._validate",
    "ssbx_model.cli._convert",
    "ssbx_model.cli._schema",
    "ssbx_model.cli._make_person",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="ssbx",
        description=(
            "Typed SSBTX information sets, explainable target-group rules and the reports "
            "Swedish municipalities owe. Exit codes: 0 ok, 1 input problems, 2 usage error, "
            "3 operational error."
        ),
    )
    parser.add_argument("--version", action="version", version=f"ssbx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ssbx`` command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except SsbxError as exc:
        print(f"ssbx {args.command}: {exc}", file=sys.stderr)
        return EXIT_OPERATIONAL
    except BrokenPipeError:
        # The reader of our output stopped early (``ssbx rules --format json | head``):
        # that is its choice, not an error. Point standard output at devnull so that the
        # interpreter's last flush at exit does not complain, and end quietly.
        _silence_stdout()
        return EXIT_OK
    return code


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (captured in tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
