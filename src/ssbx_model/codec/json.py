"""Canonical JSON for cases: one case, many cases, and JSON Lines streams.

A **case document** is a JSON object naming its schema version next to the case::

    {"schema_version": "1.0.0", "case": {"person": "19900101-1236", ...}}

a **many-case document** holds a list instead::

    {"schema_version": "1.0.0", "cases": [{...}, {...}]}

and a **JSON Lines** file (``.jsonl``) holds one case document per line, read with
:func:`iter_cases` in bounded memory.

Fields carry the model's field names. A field is left out when it is ``None`` or holds the
model's default (``null`` is refused: leave the field out). Dates are ``YYYY-MM-DD``,
datetimes ``YYYY-MM-DDTHH:MM:SS+HH:MM``, identity numbers ``YYYYMMDD-NNNC`` and
organisation numbers ``NNNNNN-NNNN`` (in clear: the document is the data), an extent
is its whole percent, and integers are JSON integers within the signed 64-bit range.
Output is UTF-8, compact, with fields in the model's order.

Reading is strict: an unknown field, a repeated key, ``null``, a wrong JSON type, a
decimal number where an integer belongs, ``NaN`` or ``Infinity``, and a string holding a
character XML cannot carry are each a problem. A failed read raises one
:class:`~ssbx_model.errors.ValidationError` that lists every problem with its path
(``cases[3].program_decisions.value[1].activities[0].period.end``), including the
invariants the model's constructors check; an unreadable schema version raises
:class:`~ssbx_model.errors.SchemaVersionError`.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

import cattrs

from ssbx_model.case import Case
from ssbx_model.codec import _json_read, _versions
from ssbx_model.codec._build import safe_name
from ssbx_model.codec._converter import make_converter
from ssbx_model.codec._gc import retired_pause_gc
from ssbx_model.codec._io import Source, Target, open_source, open_target, read_limited, too_large
from ssbx_model.codec._limits import DEFAULT_LIMITS, Limits, capped_error
from ssbx_model.codec._scalars import json_type
from ssbx_model.errors import Problem, SchemaVersionError, ValidationError

__all__ = [
    "converter",
    "dump",
    "dump_lines",
    "dump_many",
    "dumps",
    "dumps_many",
    "iter_cases",
    "iter_results",
    "load",
    "load_many",
    "loads",
    "loads_many",
    "read_document",
    "register_upgrade",
]

#: The cattrs converter of the case document's values, with the codec's own strict hooks
#: for :class:`~ssbx_model.Case` and every type in it (model classes, ``Answer[X]``,
#: ``tuple[X, ...]``, scalars and enums): ``converter.structure(value, Case)`` and
#: ``converter.unstructure(case)`` accept, refuse and write exactly what :func:`loads`
#: and :func:`dumps` do (they go through it), with paths relative to the value.
converter: Final[cattrs.Converter] = make_converter()

_VERSION_KEY: Final = "schema_version"
# A JSON escape that may stand for a character XML cannot carry (a control character,
# a surrogate, U+FFFE or U+FFFF). Only a hint: the detailed path checks precisely.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SUSPECT_ESCAPE = re.compile(
    r"\\(?:[bf]|u(?:00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|[dD][89a-fA-F]|[fF]{3}[eEfF]))"
)


def _decode(data: bytes | bytearray | memoryview | str, limit: int, what: str) -> str:
    if isinstance(data, str):
        if len(data) > limit:
            raise too_large(limit, what)
        return data
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"JSON is read from bytes or str, not {type(data).__name__}")
    if len(data) > limit:
        raise too_large(limit, what)
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            Problem("", f"is not UTF-8: invalid byte at offset {exc.start}")
        ) from None


def _syntax_problem(exc: Exception, line: int | None) -> Problem:
    if isinstance(exc, _json.JSONDecodeError):
        where = exc.lineno if line is None else line
        return Problem(
            "", f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", where
        )
    if isinstance(exc, RecursionError):
        return Problem("", "is not readable JSON: it is nested too deeply", line)
    return Problem("", f"is not readable JSON: {exc}", line)


def _parse_detailed(text: str, line: int | None) -> Any:
    try:
        return _json_read.parse_json_text(text, _json_read.strict_pairs)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(_syntax_problem(exc, line)) from None


def _envelope(value: Any, line: int | None) -> tuple[str, Any, bool]:
    """Check the document object: ``(version, case-or-cases value, many)``."""
    problems: list[Problem] = []
    if not isinstance(value, dict):
        raise ValidationError(
            Problem(
                "",
                f"must be a JSON object with {_VERSION_KEY!r} and 'case' or 'cases', "
                f"not {json_type(value)}",
                line,
            )
        )
    if isinstance(value, _json_read.DupDict):
        for key in value.duplicates:
            problems.append(Problem(safe_name(key) or "", "appears more than once", line))
    for key in value:
        if key not in (_VERSION_KEY, "case", "cases"):
            name = safe_name(key)
            problems.append(
                Problem(
                    name or "",
                    "is not a field of a case document"
                    if name
                    else "the document has a field that is not in the schema (name not shown)",
                    line,
                )
            )
    if "case" in value and "cases" in value:
        problems.append(
            Problem("", "has both 'case' and 'cases': a document holds one or the other", line)
        )
    elif "case" not in value and "cases" not in value:
        problems.append(Problem("", "has neither 'case' nor 'cases'", line))
    if _VERSION_KEY not in value:
        problems.append(Problem(_VERSION_KEY, "is required", line))
    if problems:
        raise ValidationError(problems)
    version = value[_VERSION_KEY]
    if not isinstance(version, str):
        raise SchemaVersionError(
            f"{_VERSION_KEY} must be a string MAJOR.MINOR.PATCH, not {json_type(version)}"
        )
    many = "cases" in value
    return version, value["cases" if many else "case"], many


def _cases_of(
    value: Any, many: bool | None, line: int | None
) -> tuple[list[Any], str | None, bool]:
    """The raw cases of a parsed document, upgraded: ``(cases, path prefix, was_many)``."""
    version, body, is_many = _envelope(value, line)
    if many is False and is_many:
        raise ValidationError(
            Problem("cases", "this is a many-case document: read it with loads_many", line)
        )
    prefix: str | None = None
    cases_raw: Any = [body]
    if is_many:
        prefix, cases_raw = "cases", body
        if not isinstance(cases_raw, list):
            raise ValidationError(
                Problem("cases", f"must be an array, not {json_type(cases_raw)}", line)
            )
    steps = _versions.upgrade_path(version, "json")
    if steps:
        cases_raw = [_versions.apply_upgrades(steps, c) for c in cases_raw]
    return cases_raw, prefix, is_many


def _fast_mode(text: str, from_bytes: bool) -> str:
    """How the fast path can read ``text``: ``"count"`` (no backslash: repeated keys are
    found by counting the keys in the text), ``"hook"`` (escapes present: repeated keys
    are found while parsing) or ``"detailed"`` (an escape may stand for a character XML
    cannot carry, or the text holds U+FFFE, U+FFFF or a lone surrogate)."""
    if "\ufffe" in text or "\uffff" in text:
        return "detailed"
    # Text decoded from UTF-8 cannot hold a surrogate; a str argument can.
    if not from_bytes and not text.isascii() and _SURROGATE.search(text) is not None:
        return "detailed"
    if "\\" not in text:
        return "count"
    if _SUSPECT_ESCAPE.search(text) is not None:
        return "detailed"
    return "hook"


_WS: Final = re.compile(r"[ \t\n\r]+").match


def _skip(text: str, i: int) -> int:
    """The index of the first character at or after ``i`` that is not JSON whitespace."""
    found = _WS(text, i)
    return i if found is None else found.end()


_NOT_STREAMED: Final = object()
_Scanner = Callable[[str, int], tuple[Any, int]]


def _scanner(hook: Callable[[list[tuple[str, Any]]], dict[str, Any]] | None) -> _Scanner:
    """The C scanner of ``json``: one JSON value read at an index, ``(value, end)``."""
    decoder = _json.JSONDecoder(object_pairs_hook=hook, parse_constant=_json_read.reject_constant)
    scan: _Scanner = vars(decoder)["scan_once"]
    return scan


_SCANNERS: Final = {"count": _scanner(None), "hook": _scanner(_json_read.fast_pairs)}


def _structure_cases(cases_raw: Iterable[Any]) -> list[Case]:
    """Each parsed case through the converter (raises ValidationError at a bad one)."""
    structure = converter.structure
    return [structure(raw, Case) for raw in cases_raw]


def _read_streamed(text: str, mode: str) -> list[Case] | object | None:
    """The cases of a many-case document in its canonical shape (``{"schema_version":
    ..., "cases": [...]}``, current version), each parsed and built in turn, so that the
    parsed values of one case are freed before the next is parsed (memory stays warm and
    small). ``_NOT_STREAMED`` when the document has another shape, before anything is
    built; None when anything is in doubt."""
    scan, ws = _SCANNERS[mode], _skip
    structure = converter.structure
    built: list[Case] = []
    try:
        i = ws(text, 0)
        if text[i] != "{":
            return _NOT_STREAMED
        i = ws(text, i + 1)
        if not text.startswith(f'"{_VERSION_KEY}"', i):
            return _NOT_STREAMED
        i = ws(text, i + len(_VERSION_KEY) + 2)
        if text[i] != ":":
            return _NOT_STREAMED
        version, i = scan(text, ws(text, i + 1))
        i = ws(text, i)
        if text[i] != "," or not isinstance(version, str):
            return _NOT_STREAMED
        i = ws(text, i + 1)
        if not text.startswith('"cases"', i):
            return _NOT_STREAMED
        i = ws(text, i + 7)
        if text[i] != ":":
            return _NOT_STREAMED
        i = ws(text, i + 1)
        if text[i] != "[" or _versions.upgrade_path(version, "json"):
            return _NOT_STREAMED
        i = ws(text, i + 1)
        if text[i] == "]":
            i += 1
        else:
            while True:
                raw, i = scan(text, i)
                built.append(structure(raw, Case))
                del raw
                i = ws(text, i)
                if text[i] == ",":
                    i = ws(text, i + 1)
                elif text[i] == "]":
                    i += 1
                    break
                else:
                    return None
        i = ws(text, i)
        if text[i] != "}" or ws(text, i + 1) != len(text):
            return None
    except (
        ValueError,  # ValidationError too
        IndexError,
        StopIteration,
        RecursionError,
        SchemaVersionError,  # the whole document's syntax is judged first
        _json_read.Fail,
    ):
        return None
    return built


def _read_fast(
    text: str, mode: str, many: bool | None, line: int | None
) -> tuple[list[Case], bool] | None:
    """The fast path; None when anything is in doubt (the detailed path then reads the
    document again and names every problem)."""
    before = _json_read.keys_read()
    built: list[Case] | object | None = _NOT_STREAMED
    if many is not False:
        built = _read_streamed(text, mode)
        if built is None:
            return None
    if isinstance(built, list):
        keys, is_many = 2, True
    else:
        hook = None if mode == "count" else _json_read.fast_pairs
        try:
            value = _json_read.parse_json_text(text, hook)
        except _json_read.Fail:
            return None  # a repeated key: the detailed parse names it
        except (ValueError, RecursionError) as exc:
            raise ValidationError(_syntax_problem(exc, line)) from None
        cases_raw, _, is_many = _cases_of(value, many, line)
        keys = len(value)
        try:
            built = _structure_cases(cases_raw)
        except ValidationError:
            return None
    keys += _json_read.keys_read() - before
    if mode == "count" and keys != text.count('":'):
        return None  # a repeated key, or a key written '"key" :'
    return built, is_many


def _read_document(
    text: str,
    *,
    many: bool | None,
    line: int | None = None,
    from_bytes: bool = False,
    max_problems: int = DEFAULT_LIMITS.max_problems,
) -> tuple[list[Case], bool]:
    """Cases of a document; ``many=None`` accepts both kinds. Returns (cases, was_many)."""
    mode = _fast_mode(text, from_bytes)
    if mode != "detailed":
        result = _read_fast(text, mode, many, line)
        if result is not None:
            return result
    value = _parse_detailed(text, line)
    cases_raw, prefix, is_many = _cases_of(value, many, line)
    problems: list[Problem] = []
    built: list[Case] = []
    structure = converter.structure
    for i, raw in enumerate(cases_raw):
        try:
            built.append(structure(raw, Case))
        except ValidationError as exc:
            path = "case" if prefix is None else f"{prefix}[{i}]"
            problems.extend(p.prefixed(path) for p in exc.problems)
    if problems:
        if line is not None:
            problems = [Problem(p.path, p.message, line) for p in problems]
        raise capped_error(problems, max_problems)
    return built, is_many


# -- reading -------------------------------------------------------------------------------


def loads(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """Read one case document (``{"schema_version": ..., "case": {...}}``).

    Raises:
        ValidationError: every problem, with its path (``case.enrolment.value...``).
        SchemaVersionError: the schema version is unknown and no upgrade is registered.
    """
    text = _decode(data, limits.max_bytes, "the document")
    cases, _ = _read_document(
        text, many=False, from_bytes=not isinstance(data, str), max_problems=limits.max_problems
    )
    return cases[0]


def loads_many(
    data: bytes | str, *, limits: Limits = DEFAULT_LIMITS, pause_gc: bool | None = None
) -> list[Case]:
    """Read a many-case document (``"cases": [...]``); a one-case document gives a list
    of one.

    ``pause_gc`` is deprecated and ignored: the readers leave the garbage collector as
    they find it (see "Streaming and bulk loads" in the format reference).

    Raises:
        ValidationError: every problem of every case, with paths ``cases[i]....``.
        SchemaVersionError: the schema version is unknown and no upgrade is registered.
    """
    retired_pause_gc(pause_gc, f"{__name__}.loads_many")
    text = _decode(data, limits.max_bytes, "the document")
    cases, _ = _read_document(
        text, many=True, from_bytes=not isinstance(data, str), max_problems=limits.max_problems
    )
    return cases


def load(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """One case (a Case) from a one-case document: :func:`loads` on a path or a binary
    file. A many-case document is an error; read it with :func:`load_many` (a list)."""
    with open_source(source) as f:
        return loads(read_limited(f, limits.max_bytes), limits=limits)


def load_many(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, pause_gc: bool | None = None
) -> list[Case]:
    """:func:`loads_many` on a path or a binary file."""
    retired_pause_gc(pause_gc, f"{__name__}.load_many")
    with open_source(source) as f:
        return loads_many(read_limited(f, limits.max_bytes), limits=limits)


def read_document(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Case], bool]:
    """Every case of a one- or many-case document, and whether it was a many-case one."""
    with open_source(source) as f:
        text = _decode(read_limited(f, limits.max_bytes), limits.max_bytes, "the document")
    return _read_document(text, many=None, from_bytes=True, max_problems=limits.max_problems)


def iter_results(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Case | ValidationError]:
    """Each line of a JSON Lines file as a Case, or the ValidationError of that line."""
    with open_source(source) as f:
        number = 0
        while True:
            raw = f.readline(limits.max_case_bytes + 2)
            if not raw:
                return
            number += 1
            if len(raw) > limits.max_case_bytes and not raw.endswith(b"\n"):
                yield ValidationError(
                    Problem(
                        "",
                        f"the line is longer than the limit of {limits.max_case_bytes} bytes",
                        number,
                    )
                )
                # Skip the rest of the over-long line, in bounded pieces.
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(1 << 16)
                continue
            line = raw.rstrip(b"\n")
            if line.endswith(b"\r"):
                line = line[:-1]
            try:
                text = _decode(line, limits.max_case_bytes, "the line")
                if not text.strip():
                    raise ValidationError(
                        Problem(
                            "",
                            "is an empty line: JSON Lines holds one case document per line",
                            number,
                        )
                    )
                cases, _ = _read_document(
                    text,
                    many=False,
                    line=number,
                    from_bytes=True,
                    max_problems=limits.max_problems,
                )
                yield cases[0]
            except ValidationError as exc:
                yield ValidationError(
                    Problem(p.path, p.message, number if p.line is None else p.line)
                    for p in exc.problems
                )


def iter_cases(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[Case]:
    """Stream the cases of a JSON Lines file (one case document per line).

    Memory is bounded by one line (at most ``limits.max_case_bytes``). The file is read
    lazily: a bad line raises when it is reached, after the cases before it.

    Raises:
        ValidationError: the first line that is not a valid case document; each problem
            carries the line number (``Problem.line``).
        SchemaVersionError: a line names an unreadable schema version.
    """
    for result in iter_results(source, limits=limits):
        if isinstance(result, ValidationError):
            raise result
        yield result


# -- writing -------------------------------------------------------------------------------

_DUMP_OPTIONS: Final[dict[str, Any]] = {
    "ensure_ascii": False,
    "allow_nan": False,
    "check_circular": False,
}


def _encode(document: Any, pretty: bool) -> bytes:
    if pretty:
        return _json.dumps(document, indent=2, **_DUMP_OPTIONS).encode("utf-8")
    return _json.dumps(document, separators=(",", ":"), **_DUMP_OPTIONS).encode("utf-8")


def _case_value(case: Case, path: str) -> Any:
    try:
        return converter.unstructure(case, unstructure_as=Case)
    except ValidationError as exc:
        raise exc.prefixed(path) from None


def dumps(case: Case, *, pretty: bool = False) -> bytes:
    """One case document as UTF-8 JSON (compact; ``pretty=True`` indents by 2).

    Raises:
        ValidationError: a value the wire format cannot carry (e.g. an int beyond 64
            bits, a str with a character XML cannot carry), with its path.
    """
    body = _case_value(case, "case")
    return _encode({_VERSION_KEY: _versions.SCHEMA_VERSION, "case": body}, pretty)


def dumps_many(cases: Iterable[Case], *, pretty: bool = False) -> bytes:
    """A many-case document as UTF-8 JSON.

    Raises:
        ValidationError: every value that cannot be written, with paths ``cases[i]...``.
    """
    body: list[Any] = []
    problems: list[Problem] = []
    for i, case in enumerate(cases):
        try:
            body.append(_case_value(case, f"cases[{i}]"))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return _encode({_VERSION_KEY: _versions.SCHEMA_VERSION, "cases": body}, pretty)


def dump(case: Case, target: Target, *, pretty: bool = False) -> None:
    """Write :func:`dumps` and a final newline to a path or a binary file."""
    data = dumps(case, pretty=pretty)
    with open_target(target) as f:
        f.write(data + b"\n")


def dump_many(cases: Iterable[Case], target: Target, *, pretty: bool = False) -> int:
    """Write a many-case document to a path or a binary file; return the number of cases.

    Without ``pretty`` the cases are written one at a time, so an iterator of cases is
    never held in memory whole. A case that cannot be written raises ValidationError
    after the cases before it were written (write to a temporary file and rename it
    when a half-written file must never be seen).
    """
    if pretty:
        items = list(cases)
        data = dumps_many(items, pretty=True)
        with open_target(target) as f:
            f.write(data + b"\n")
        return len(items)
    count = 0
    with open_target(target) as f:
        f.write(
            b'{"%s":"%s","cases":[' % (_VERSION_KEY.encode(), _versions.SCHEMA_VERSION.encode())
        )
        for case in cases:
            if count:
                f.write(b",")
            f.write(_encode(_case_value(case, f"cases[{count}]"), False))
            count += 1
        f.write(b"]}\n")
    return count


def dumps_line(case: Case) -> bytes:
    """One case document as a JSON Lines record (compact, ending in a newline)."""
    return dumps(case) + b"\n"


def dump_lines(cases: Iterable[Case], target: Target) -> int:
    """Write a JSON Lines file, one case document per line; return the number of cases."""
    count = 0
    with open_target(target) as f:
        for case in cases:
            f.write(dumps_line(case))
            count += 1
    return count


def register_upgrade(from_version: str, to_version: str, upgrade: _versions.Upgrade) -> None:
    """Register an upgrade of one case's JSON ``dict`` from ``from_version`` to
    ``to_version`` (see :func:`ssbx_model.codec.register_upgrade`)."""
    _versions.register_upgrade(from_version, to_version, upgrade, format="json")
