"""Run the snippets of one documentation page (used by test_docs_snippets.py).

``python tests/docs_snippets.py PAGE`` runs, in the current directory (a fresh temporary
one), every fenced block of the Markdown page PAGE:

* a block with a ``title="FILE"`` naming a relative path (``toml``, ``json``, ``text``
  blocks) is written to that file first, so the page's own example files are what its
  code reads;
* every ``python`` block runs, in order, in one namespace that starts with
  :func:`setup_namespace` (the names pages take as given: ``case``, ``cases``,
  ``person``, ``store``, ...); top-level ``await`` is allowed. A statement whose last
  line ends in a comment naming an exception (``# RuleError: ...``) must raise that
  exception;
* a ``python`` block titled ``Sketch: ...`` (shown as such on the page: it needs
  something only the reader has, a database, a certificate, a real service) is compiled,
  not run;
* a ``pycon`` block (``>>>`` prompts) runs as a doctest with ``...`` matching anything.

It prints one JSON object: the counts and, for the first failure, where and what.
"""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import doctest
import io
import json
import re
import shlex
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, NamedTuple

import attrs

_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<ticks>`{3,})(?P<info>[^`\n]*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')
_EXPECTED = re.compile(r"#\s*(?P<error>[A-Z]\w+)\b")
ON = dt.date(2024, 6, 3)


class Fence(NamedTuple):
    """A fenced block: its opening and closing lines (1-based), language, title, body."""

    start: int
    end: int
    language: str
    title: str | None
    body: str


def fences(text: str) -> list[Fence]:
    """Every fenced block of a Markdown text, also those indented inside admonitions."""
    found: list[Fence] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, ticks, info = opening["indent"], opening["ticks"], opening["info"]
        language = info.strip().split(" ")[0].strip("{}.").lower()
        title = _TITLE.search(info)
        start = i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() != ticks:
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            i += 1
        named = title["title"] if title else None
        found.append(Fence(start, i + 1, language, named, "\n".join(body) + "\n"))
        i += 1  # the closing fence
    return found


def setup_namespace() -> dict[str, Any]:
    """What the pages take as given: a synthetic municipality's cases as of :data:`ON`
    (fictitious people), one category-15 youth's ``case``, an in-memory store, a fixed
    clock, a month, and the files ``inuk.key``, ``inuk-mapping.toml``, ``cases.json``,
    ``cases.jsonl``, ``cases.xml`` in the current directory."""
    from ssbx_model import codec
    from ssbx_model.clock import fixed_clock
    from ssbx_model.memory import MemoryAuditLog, MemoryCaseStore
    from ssbx_model.reports import Month
    from ssbx_model.synth import generate

    town = generate(persons=40, seed=7, on=ON)
    cases = list(town.cases)
    youth = next(c for c in cases if c.enrolment.is_known and c.consultations.is_known)
    codec.dump_path(cases, "cases.json")
    codec.dump_path(cases, "cases.jsonl")
    codec.dump_path(cases, "cases.xml")
    codec.dump_path(youth, "case.json")
    Path("inuk.key").write_text("a pseudonymisation key kept in a file\n", encoding="utf-8")
    lines = ["[mapping]", 'municipality = "1287"', "", "[activities]"]
    lines += [f'"{name}" = "{code}"' for name, code in sorted(town.inuk_mapping.items())]
    Path("inuk-mapping.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import shutil

    shutil.copy(Path(__file__).parent / "data" / "codec" / "case-0.9.0.json", "case-0.9.0.json")
    try:
        import ssbx_sql
    except ImportError:  # the SQL adapter's page needs it installed
        pass
    else:
        Path("ssbx-sql.key").write_text(ssbx_sql.generate_key() + "\n", encoding="ascii")
    from ssbx_model.rules import evaluate
    from ssbx_model.testing.conformance import sample_ledger_entry

    # The case file the how-to's command lines name (one of the library's own).
    shutil.copy(Path(__file__).parent / "rules" / "cases" / "kaa.toml", "my_cases.toml")
    new = attrs.evolve(youth.interventions[0], intervention_id="I900")
    return {
        "__name__": "docs",
        "new": new,
        "decisions": [evaluate(youth, "skat15", ON)],
        "ledger_entry": sample_ledger_entry(),
        "ON": ON,
        "on": ON,
        "d": ON,
        "cases": cases,
        "my_cases": cases[:5],
        "stream_of_cases": iter(cases),
        "case": youth,
        "person": youth.person,
        "store": MemoryCaseStore(),
        "audit": MemoryAuditLog(),
        "clock": fixed_clock(dt.datetime.combine(ON, dt.time(9), tzinfo=dt.UTC)),
        "month": Month(2024, 5),
    }


def _expected_error(code: str, node: ast.stmt) -> str | None:
    """The exception a statement's comment names: on its last line, or on a comment line
    right after it."""
    lines = code.splitlines()
    end = node.end_lineno or node.lineno
    candidates = [lines[end - 1]]
    if end < len(lines) and lines[end].lstrip().startswith("#"):
        candidates.append(lines[end])
    for text in candidates:
        match = _EXPECTED.search(text)
        if match and _is_exception(match["error"]):
            return match["error"]
    return None


def _is_exception(name: str) -> bool:
    """True for the name of a built-in exception or one of ssbx_model's."""
    import builtins

    from ssbx_model import codes, errors

    for module in (errors, codes, builtins):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, BaseException):
            return True
    return False


def run_python(code: str, line: int, page: str, namespace: dict[str, Any]) -> None:
    """Run one block statement by statement (see the module documentation)."""
    tree = ast.parse(code, page)
    for node in tree.body:
        expected = _expected_error(code, node)
        at = line + node.lineno
        module = ast.Module(body=[node], type_ignores=[])
        ast.increment_lineno(module, line)
        compiled = compile(module, page, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        try:
            result = eval(compiled, namespace)
            if asyncio.iscoroutine(result):
                asyncio.run(result)
        except Exception as exc:
            if expected is not None and expected in {k.__name__ for k in type(exc).__mro__}:
                continue
            raise
        if expected is not None:
            raise AssertionError(f"{page}:{at}: expected {expected}, nothing was raised")


def ssbx_commands(body: str) -> list[list[str]]:
    """The ``$ ssbx ...`` command lines of a console block, as argument lists (lines
    ending in a backslash continue; a ``#`` comment ends the line)."""
    joined = body.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        if line.startswith("$ ssbx "):
            commands.append(shlex.split(line[2:], comments=True)[1:])
    return commands


def run_command(args: list[str], where: str) -> None:
    """Run one ``ssbx`` command line: it must be accepted (no usage error) and end with
    exit code 0 or 1 (1: the input has problems, which some examples show)."""
    from ssbx_model.cli import main as ssbx

    err = io.StringIO()
    try:
        with redirect_stderr(err):
            code = ssbx(args)
    except SystemExit as exc:  # argparse refused the command line
        raise AssertionError(f"{where}: ssbx {' '.join(args)}: {err.getvalue()}") from exc
    if code not in (0, 1):
        raise AssertionError(f"{where}: ssbx {' '.join(args)} exited {code}: {err.getvalue()}")


def main(page_path: str, *, python: bool = True) -> dict[str, Any]:
    page = Path(page_path)
    blocks = fences(page.read_text(encoding="utf-8"))
    counts = {"python": 0, "sketch": 0, "pycon": 0, "files": 0, "commands": 0}
    for _, _, language, title, body in blocks:
        if title and language != "python" and not title.startswith("/") and ".." not in title:
            target = Path(title)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            counts["files"] += 1
    namespace = setup_namespace()
    for line, _, language, title, body in blocks:
        where = f"{page}:{line}"
        try:
            with redirect_stdout(io.StringIO()):
                if language in ("console", "shell", "bash", "sh"):
                    for args in ssbx_commands(body):
                        run_command(args, where)
                        counts["commands"] += 1
                elif language in ("python", "py", "pycon") and not python:
                    continue
                elif language in ("python", "py") and title and title.lower().startswith("sketch"):
                    compile(body, where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
                    counts["sketch"] += 1
                elif language in ("python", "py"):
                    run_python(body, line, str(page), namespace)
                    counts["python"] += 1
                elif language == "pycon":
                    test = doctest.DocTestParser().get_doctest(
                        body, namespace, where, str(page), line
                    )
                    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                    out = io.StringIO()
                    runner.run(test, out=out.write, clear_globs=False)
                    if runner.failures:
                        raise AssertionError(out.getvalue())
                    counts["pycon"] += 1
        except BaseException:
            return {"counts": counts, "failure": where, "error": traceback.format_exc()}
    return {"counts": counts, "failure": None, "error": None}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], python="--commands-only" not in sys.argv[2:])))
