"""The ``ssbx-sql`` command: checks on a SQL store from the command line.

::

    ssbx-sql audit verify --url postgresql+psycopg://ssbx@db/cases --key-file ssbx-sql.key
    SSBX_SQL_URL=sqlite:///cases.sqlite3 SSBX_SQL_KEY=... ssbx-sql audit verify --json

``audit verify`` recomputes the audit trail's hash chain and prints one line: intact, with
the head to keep outside the database, or where it broke. The database URL comes from
``--url``, else ``SSBX_SQL_URL``, else the demo default; the key from ``--key-file``, else
``SSBX_SQL_KEY``. The schema is checked, never migrated.

Exit codes (as the ``ssbx`` command's): 0 intact, 1 the chain is broken, 2 the command
line was wrong, 3 the store could not be opened or read (message on standard error).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import attrs

from ssbx_model.errors import SsbxError
from ssbx_sql._factory import create_store

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_OPERATIONAL = 3


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ssbx-sql``."""
    parser = argparse.ArgumentParser(
        prog="ssbx-sql",
        description=(
            "Checks on the SQL store of ssbx_model. Exit codes: 0 ok, 1 audit chain broken, "
            "2 usage error, 3 the store could not be opened or read."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser(
        "verify", help="check that no audit event was altered, removed or inserted"
    )
    verify.add_argument("--url", help="database URL (default: $SSBX_SQL_URL, else the demo file)")
    verify.add_argument("--key-file", help="the store key file (default: $SSBX_SQL_KEY)")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ssbx-sql``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        with create_store(args.url, key_file=args.key_file, migrate=False) as store:
            report = store.verify_audit_chain()
    except SsbxError as exc:
        print(f"ssbx-sql: {exc}", file=sys.stderr)
        return EXIT_OPERATIONAL
    if args.json:
        print(json.dumps({**attrs.asdict(report), "intact": report.intact}, indent=2))
    else:
        print(f"ssbx-sql: {report.summary()}", file=sys.stdout if report.intact else sys.stderr)
    return EXIT_OK if report.intact else EXIT_BROKEN


if __name__ == "__main__":
    sys.exit(main())
