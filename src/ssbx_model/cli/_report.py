"""``ssbx report``: build one of the reports municipalities owe from a file of cases.

::

    ssbx report inuk    CASES --period 2024-03 --key-file inuk.key --mapping mapping.toml
    ssbx report skat15  CASES --period 2024-03 --format csv --out kategori15.csv
    ssbx report kaa-scb CASES --period 2024-H1
    ssbx report kolada  CASES --period 2023
    ssbx report socialstyrelsen CASES --period 2024-03 --key-file statistics.key

CASES is a case file read by :func:`ssbx_model.codec.load_path` (.json, .jsonl, .xml) or
a rule test-case file (.toml, :mod:`ssbx_model.rules.testcases`). Without
``--period`` the report covers the last whole period before ``--on`` (today when not
given, announced on standard error). Without ``--municipality`` the cases must all be of
one municipality. The report goes to ``--out`` (or standard output) as JSON (default) or
CSV; what was left out, and why, and the rules' warnings go to standard error, one line
each, followed by a summary line.

INUK needs the pseudonymisation key: ``--key-file FILE`` (the file's bytes, at least 16)
or the environment variable ``SSBX_PSEUDONYM_KEY``; so do Socialstyrelsen's statistics and
the KAA file to SCB when their person key (``socialstyrelsen.person_key``,
``kaa_scb.person_key``) reads ``pseudonym``: by default Socialstyrelsen's does and the KAA
file's does not (it carries the personnummer). A key given to a report that does not use
it is said to be unused on standard error. Exit codes as for every command: 1
when the report cannot be built from the cases (every problem listed), 2 for a wrong
command line, 3 when a file cannot be read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ssbx_model.case import Case
from ssbx_model.cli._common import add_on_option, reference_date
from ssbx_model.cli._progress import Progress
from ssbx_model.errors import (
    ReportError,
    RuleError,
    SchemaVersionError,
    SsbxError,
    UnsafeXmlError,
    ValidationError,
    XmlSyntaxError,
)
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports import (
    Notice,
    ReportInputError,
    ReportKind,
    build_inuk,
    build_kaa_scb,
    build_kolada,
    build_skat15,
    build_socialstyrelsen,
    kaa_scb,
    last_whole_period,
    load_inuk_mapping,
    parse_period,
    socialstyrelsen,
)
from ssbx_model.reports._common import (
    PERSONNUMMER,
    PSEUDONYM,
    HalfYear,
    Month,
    SerialisableReport,
    Year,
)

__all__ = ["KEY_ENV", "register", "run"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OPERATIONAL = 0, 1, 2, 3
#: The environment variable holding the pseudonymisation key (text, UTF-8).
KEY_ENV = "SSBX_PSEUDONYM_KEY"


class _Usage(Exception):
    """A command-line mistake (exit 2)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``report`` command."""
    parser = sub.add_parser(
        "report",
        help=(
            "build a report a municipality owes (INUK, category 15, KAA to SCB, Kolada, "
            "Socialstyrelsen)"
        ),
        description=(
            "Build the INUK monthly report, the Dua category-15 monthly report, the KAA "
            "half-year file to SCB, the Kolada annual figures or Socialstyrelsen's monthly "
            "statistics from the cases of FILE. Notices (left out, warnings) go to "
            "standard error."
        ),
    )
    parser.add_argument("report", choices=[k.value for k in ReportKind], help="which report")
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="cases (.json, .jsonl, .xml; .toml test cases)"
    )
    parser.add_argument(
        "--period",
        metavar="PERIOD",
        help="YYYY-MM (inuk, skat15, socialstyrelsen), YYYY-H1/YYYY-H2 (kaa-scb), YYYY "
        "(kolada); default: the last whole period before --on",
    )
    add_on_option(parser)
    parser.add_argument(
        "--municipality",
        metavar="CODE",
        help="four-digit municipality code (default: the one municipality of the cases)",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")
    parser.add_argument(
        "--format", choices=("json", "csv"), default="json", help="output format (default: json)"
    )
    parser.add_argument(
        "--mapping", type=Path, metavar="FILE", help="(inuk) activity names -> INUK categories"
    )
    parser.add_argument(
        "--categories",
        type=Path,
        metavar="FILE",
        help="(inuk) the INUK category list to use instead of ours (a code-list TOML file)",
    )
    parser.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help=(
            f"(inuk; socialstyrelsen and kaa-scb when their person_key is pseudonym) the "
            f"pseudonymisation key (default: ${KEY_ENV})"
        ),
    )
    parser.add_argument(
        "--limit", type=int, default=5, metavar="N", help="(kolada) suppress cells below N"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=None,
        metavar="NAME=VALUE",
        help="override a rule parameter (repeatable)",
    )
    parser.set_defaults(func=run)


def _fail(message: str) -> None:
    print(f"ssbx report: {message}", file=sys.stderr)


def _municipality(cases: Sequence[Case], given: str | None) -> str:
    if given is not None:
        return given
    found = sorted({c.municipality for c in cases})
    if len(found) == 1:
        return found[0]
    if not found:
        raise _Usage("the file holds no cases: name the municipality with --municipality")
    raise _Usage(
        f"the cases are of {len(found)} municipalities ({', '.join(found)}): "
        "choose one with --municipality"
    )


def _pseudonymizer(args: argparse.Namespace) -> Pseudonymizer:
    """The INUK key from ``--key-file`` or the environment, read by the one loader the
    Python API offers too (:meth:`Pseudonymizer.from_file`), so both give the same
    pseudonyms."""
    path: Path | None = args.key_file
    try:
        if path is not None:
            return Pseudonymizer.from_file(path)
        text = os.environ.get(KEY_ENV)
        if not text:
            raise _Usage(
                f"the {args.report} report needs the pseudonymisation key: --key-file or ${KEY_ENV}"
            )
        return Pseudonymizer.from_secret(text)
    except ValueError:
        raise _Usage("the pseudonymisation key must be at least 16 bytes") from None


def _person_keys(args: argparse.Namespace, parameter: str, reading: str) -> Pseudonymizer | None:
    """The key of a report whose person-key ``parameter`` has ``reading`` (the report's
    own ``person_key``): None when the file carries the number, and a key given anyway is
    then said to be unused."""
    if reading == PSEUDONYM:
        return _pseudonymizer(args)
    if args.key_file is not None or os.environ.get(KEY_ENV):
        print(
            f"ssbx report: {parameter} is {PERSONNUMMER!r}: the file carries the "
            "personnummer and the pseudonymisation key is not used",
            file=sys.stderr,
        )
    return None


def _read(path: Path, progress: Progress) -> list[Case]:
    if path.suffix.lower() == ".toml":
        from ssbx_model.rules import testcases

        return list(progress.counting(rule_case.case for rule_case in testcases.load_file(path)))
    from ssbx_model.codec import iter_path

    try:
        return list(progress.counting(iter_path(path)))
    except ValueError as exc:
        if isinstance(exc, SsbxError):
            raise
        raise _Usage(f"{exc} (or .toml for a rule test-case file)") from None


def _build(args: argparse.Namespace, cases: list[Case]) -> SerialisableReport:
    from ssbx_model.cli._evaluate import parse_overrides

    kind = ReportKind(args.report)
    if args.period is not None:
        period = parse_period(args.period, kind)
    else:
        period = last_whole_period(kind, reference_date(args))
        print(f"ssbx report: period not given, using {period}", file=sys.stderr)
    municipality = _municipality(cases, args.municipality)
    overrides = parse_overrides(args.param) or None
    if kind is ReportKind.INUK:
        from ssbx_model import codes

        assert isinstance(period, Month)
        return build_inuk(
            cases,
            period,
            municipality=municipality,
            pseudonymizer=_pseudonymizer(args),
            mapping=load_inuk_mapping(args.mapping) if args.mapping else None,
            categories=(
                codes.load_file(args.categories, expect_id=codes.INUK_CATEGORY)
                if args.categories
                else None
            ),
            parameters=overrides,
        )
    if kind is ReportKind.SKAT15:
        assert isinstance(period, Month)
        return build_skat15(cases, period, municipality=municipality, parameters=overrides)
    if kind is ReportKind.KAA_SCB:
        assert isinstance(period, HalfYear)
        return build_kaa_scb(
            cases,
            period,
            municipality=municipality,
            parameters=overrides,
            pseudonymizer=_person_keys(
                args, kaa_scb.PERSON_KEY, kaa_scb.person_key(period, overrides)
            ),
        )
    if kind is ReportKind.SOCIALSTYRELSEN:
        assert isinstance(period, Month)
        return build_socialstyrelsen(
            cases,
            period,
            municipality=municipality,
            pseudonymizer=_person_keys(
                args, socialstyrelsen.PERSON_KEY, socialstyrelsen.person_key(period, overrides)
            ),
            parameters=overrides,
        )
    assert isinstance(period, Year)
    return build_kolada(cases, period, municipality=municipality, limit=args.limit)


def _notices(label: str, notices: Sequence[Notice]) -> None:
    for notice in notices:
        print(f"{label}: {notice}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Build the report; write it; print the notices; return the exit code."""
    path: Path = args.file
    try:
        with Progress("report") as progress:
            cases = _read(path, progress)
            report = _build(args, cases)
            body = report.to_csv() if args.format == "csv" else report.to_json_bytes()
    except _Usage as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except FileNotFoundError as exc:
        _fail(f"cannot read {exc.filename or path}: no such file")
        return EXIT_OPERATIONAL
    except OSError as exc:
        _fail(f"cannot read {exc.filename or path}: {exc.strerror or exc}")
        return EXIT_OPERATIONAL
    except ReportInputError as exc:
        _fail(str(exc).splitlines()[0])
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INPUT
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
        return EXIT_INPUT
    except (SchemaVersionError, UnsafeXmlError, XmlSyntaxError) as exc:
        _fail(f"{path.name}: {exc}")
        return EXIT_INPUT
    except (RuleError, ReportError) as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except SsbxError as exc:
        _fail(str(exc))
        return EXIT_OPERATIONAL
    _notices("excluded", report.excluded)
    _notices("warning", getattr(report, "warnings", ()))
    try:
        if args.out is not None:
            args.out.write_bytes(body)
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader stopped early (| head): ends quietly in main
    except OSError as exc:
        _fail(f"cannot write {args.out}: {exc.strerror or exc}")
        return EXIT_OPERATIONAL
    # Every notice (left out, warning) is something to look at: counted as a problem.
    progress.problem(len(report.excluded) + len(getattr(report, "warnings", ())))
    progress.summary(
        f"{progress.counted} read; {report.kind.value} {report.period} for municipality "
        f"{report.municipality}: {report.record_count} records, "
        f"{len(report.excluded)} left out" + (f", written to {args.out}" if args.out else "")
    )
    return EXIT_OK
