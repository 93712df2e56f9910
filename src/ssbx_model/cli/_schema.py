"""``ssbx schema json|xsd``: print the shipped schema of the case document."""

from __future__ import annotations

import argparse
import sys

from ssbx_model.codec import SCHEMA_VERSION, schema_text

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``schema`` command."""
    parser = sub.add_parser(
        "schema",
        help="print the JSON Schema or the XSD of the case document",
        description=(
            f"Print the shipped schema of the case document, version {SCHEMA_VERSION}: "
            "'json' for the JSON Schema (draft 2020-12), 'xsd' for the XML Schema 1.0."
        ),
    )
    parser.add_argument("kind", choices=("json", "xsd"), help="which schema to print")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema to standard output."""
    sys.stdout.write(schema_text(args.kind))
    return 0
