"""``ssbx convert IN OUT``: convert a case file between JSON, JSON Lines and XML.

Formats come from the extensions (``.json``, ``.jsonl``, ``.xml``). The input is read
with the strict readers (``.jsonl`` and ``.xml`` streamed) and the output written case by
case into a temporary file next to ``OUT``, which replaces ``OUT`` only when every case
was read and written: a failed conversion leaves no half-written file. A one-case
document stays a one-case document (unless the output is JSON Lines).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ssbx_model.case import Case
from ssbx_model.cli._progress import Progress, plural
from ssbx_model.cli._validate import problem_line
from ssbx_model.codec import dump_path, format_of, is_many_document, iter_path
from ssbx_model.codec import json as codec_json
from ssbx_model.errors import SchemaVersionError, UnsafeXmlError, ValidationError, XmlSyntaxError

__all__ = ["register", "run"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OPERATIONAL = 0, 1, 2, 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``convert`` command."""
    parser = sub.add_parser(
        "convert",
        help="convert a case file between .json, .jsonl and .xml",
        description=(
            "Convert a case file; the formats come from the extensions (.json, .jsonl, "
            ".xml). OUT is replaced only when the whole conversion succeeded."
        ),
    )
    parser.add_argument("source", metavar="IN", help="the file to read")
    parser.add_argument("target", metavar="OUT", help="the file to write")
    parser.add_argument("--pretty", action="store_true", help="indent the output (.json, .xml)")
    parser.set_defaults(func=run)


def _convert(source: str, target: Path, pretty: bool, progress: Progress) -> int:
    kind = format_of(target)
    cases: Iterable[Case]
    if format_of(source) == "json":
        cases, many = codec_json.read_document(source)  # read whole anyway: once
    else:
        many = is_many_document(source)
        cases = iter_path(source)
    cases = progress.counting(cases)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    try:
        if many or kind == "jsonl":
            count = dump_path(cases, temporary, pretty=pretty)
        else:
            (case,) = cases
            count = dump_path(case, temporary, pretty=pretty)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def run(args: argparse.Namespace) -> int:
    """Convert ``IN`` to ``OUT``; return the exit code."""
    try:
        format_of(args.source)
        format_of(args.target)
    except ValueError as exc:
        print(f"ssbx convert: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with Progress("convert") as progress:
            count = _convert(args.source, Path(args.target), args.pretty, progress)
    except ValidationError as exc:
        for problem in exc.problems:
            print(problem_line(args.source, problem), file=sys.stderr)
        return EXIT_INPUT
    except XmlSyntaxError as exc:
        where = f"{args.source}:{exc.line}" if exc.line is not None else args.source
        print(f"{where}: (document): {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (UnsafeXmlError, SchemaVersionError) as exc:
        print(f"{args.source}: (document): {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"ssbx convert: {exc.filename or args.source}: {exc.strerror}", file=sys.stderr)
        return EXIT_OPERATIONAL
    progress.summary(f"wrote {plural(count, 'case')} to {args.target}")
    return EXIT_OK
