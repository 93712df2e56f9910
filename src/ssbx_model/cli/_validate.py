"""``ssbx validate FILE...``: check case files against the model, one line per problem.

Each file is read by its extension (``.json``, ``.jsonl``, ``.xml``) with the same strict,
hardened readers the library uses; ``.jsonl`` and ``.xml`` files are streamed, so a file
of any size is checked in bounded memory, and every bad case is reported, not only the
first. Identity numbers never appear in the output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ssbx_model.cli._progress import Progress, plural
from ssbx_model.codec import check_path, format_of
from ssbx_model.errors import Problem

__all__ = ["problem_line", "register", "run"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OPERATIONAL = 0, 1, 2, 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``validate`` command."""
    parser = sub.add_parser(
        "validate",
        help="check case files (.json, .jsonl, .xml); one line per problem",
        description=(
            "Check case files against the case document schema and the model's rules. "
            "Exit 0 when every file is valid, 1 with one line per problem "
            "(FILE:LINE: path: message) otherwise."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a .json, .jsonl or .xml file")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default): FILE:LINE: path: message on standard error; json: one JSON "
        "object per file on standard output",
    )
    parser.set_defaults(func=run)


def problem_line(file: str, problem: Problem) -> str:
    """``FILE:LINE: path: message`` (``FILE: path: message`` when the line is unknown)."""
    where = f"{file}:{problem.line}" if problem.line is not None else file
    return f"{where}: {problem.path or '(document)'}: {problem.message}"


def _record(file: str, problems: list[Problem] | None, error: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"file": file, "valid": not problems and error is None}
    if error is not None:
        record["error"] = error
    record["problems"] = [
        {"path": p.path, "line": p.line, "message": p.message} for p in problems or []
    ]
    return record


def run(args: argparse.Namespace) -> int:
    """Check each file; print problems; return the exit code."""
    for file in args.files:
        try:
            format_of(file)
        except ValueError as exc:
            print(f"ssbx validate: {exc}", file=sys.stderr)
            return EXIT_USAGE
    code = EXIT_OK
    with Progress("validate") as progress:
        for file in args.files:
            name = os.fspath(file)
            try:
                problems = check_path(file, on_cases=progress.advance)
            except OSError as exc:
                message = f"cannot read the file ({exc.strerror or type(exc).__name__})"
                if args.format == "json":
                    print(json.dumps(_record(name, None, message), ensure_ascii=False))
                else:
                    print(f"{name}: {message}", file=sys.stderr)
                progress.problem()
                code = EXIT_OPERATIONAL
                continue
            progress.problem(len(problems))
            if problems and code == EXIT_OK:
                code = EXIT_INPUT
            if args.format == "json":
                print(json.dumps(_record(name, problems, None), ensure_ascii=False))
            else:
                for problem in problems:
                    print(problem_line(name, problem), file=sys.stderr)
    progress.summary(f"validated {progress.counted} in {plural(len(args.files), 'file')}")
    return code
