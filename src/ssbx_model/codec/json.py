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
from collections.abc import Iterable, Iterator
from typing import Any, Final, NoReturn

import cattrs
import msgspec

from ssbx_model.case import Case
from ssbx_model.codec import _json_read, _versions
from ssbx_model.codec._build import ReadersDisagree, safe_name
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
_JSON_SPACE: Final = b" \t\n\r"


def _as_bytes(data: bytes | bytearray | memoryview | str, limit: int, what: str) -> bytes | None:
    """The document's bytes (a str is encoded as UTF-8), refusing more than ``limit``;
    None for a str that has no UTF-8 form (it holds a lone surrogate)."""
    if isinstance(data, str):
        if len(data) > limit:
            raise too_large(limit, what)
        try:
            return data.encode("utf-8")
        except UnicodeEncodeError:
            return None
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"JSON is read from bytes or str, not {type(data).__name__}")
    if len(data) > limit:
        raise too_large(limit, what)
    return bytes(data)


def _text(data: bytes | str) -> str:
    """The document's text for the explaining read."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
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


def _parse_explained(text: str, line: int | None) -> Any:
    try:
        return _json_read.parse_json_text(text)
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


def _many_refused(line: int | None) -> ValidationError:
    return ValidationError(
        Problem("cases", "this is a many-case document: read it with loads_many", line)
    )


def _cases_of(
    value: Any, many: bool | None, line: int | None
) -> tuple[list[Any], str | None, bool]:
    """The raw cases of a parsed document, upgraded: ``(cases, path prefix, was_many)``."""
    version, body, is_many = _envelope(value, line)
    if many is False and is_many:
        raise _many_refused(line)
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


# -- the fast read: msgspec parses, the generated reader builds ------------------------------

# The document object with its members unparsed (``msgspec.Raw``: a view of their bytes),
# then a many-case document's array the same way: each case is parsed and built in turn,
# so the parsed values of one case are garbage before the next is parsed.
_ENVELOPE: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RAW_LIST: Final = msgspec.json.Decoder(list[msgspec.Raw])
_VALUE: Final = msgspec.json.Decoder()
_CASE: Final = _json_read.CASE_DECODER
_ONE: Final = frozenset({_VERSION_KEY, "case"})
_MANY: Final = frozenset({_VERSION_KEY, "cases"})
# A colon after JSON whitespace: a key written '"key" :' is not counted (see
# _keys_in_text).
_KEY_COUNT_SPOILERS: Final = (b" :", b"\n:", b"\r:", b"\t:")


class _Refused(Exception):
    """The fast read refused the document (or doubts it): the explaining read says why."""


def _keys_in_text(data: bytes) -> int | None:
    """At least the number of object keys written in ``data``; None when it cannot tell.

    Outside strings a ``"`` followed by ``:`` ends a key, and inside a string a ``"`` is
    escaped, so each key ends in ``":`` unless JSON whitespace comes before its colon
    (then None). The count can only be too high (an escaped quote before a colon inside
    a string), never too low: when it equals the number of keys the reader read, no key
    was dropped, so none was repeated."""
    if any(spoiler in data for spoiler in _KEY_COUNT_SPOILERS):
        return None
    return data.count(b'":')


def _has_repeated_key(value: Any) -> bool:
    """True if any object in a value of the explaining parse repeated a key."""
    if isinstance(value, dict):
        return isinstance(value, _json_read.DupDict) or any(
            _has_repeated_key(v) for v in value.values()
        )
    if isinstance(value, list):
        return any(_has_repeated_key(v) for v in value)
    return False


def _read_fast(data: bytes, many: bool | None) -> tuple[list[Case], bool]:
    """Every case of the document, or :class:`_Refused` at the first doubt."""
    before = _json_read.keys_read()
    structure = converter.structure
    try:
        members = _ENVELOPE.decode(data)
        if members.keys() == _ONE:
            is_many = False
        elif members.keys() == _MANY and many is not False:
            is_many = True
        else:
            raise _Refused
        version = _VALUE.decode(members[_VERSION_KEY])
        if version.__class__ is not str:
            raise _Refused
        steps = _versions.upgrade_path(version, "json")
        raws = _RAW_LIST.decode(members["cases"]) if is_many else [members["case"]]
        built: list[Case] = []
        if steps:  # an older version: its upgrades work on parsed JSON values
            for raw in raws:
                value = _VALUE.decode(raw)
                built.append(structure(_versions.apply_upgrades(steps, value), Case))
                del value
        else:  # msgspec decodes into the reader's types, which the converter's hook reads
            decode = _CASE.decode
            for raw in raws:
                built.append(structure(decode(raw), Case))
    except (msgspec.MsgspecError, ValueError, SchemaVersionError, RecursionError):
        raise _Refused from None  # ValidationError is a ValueError
    except _json_read.Fail:  # the reader refused a decoded case: the explaining read says why
        raise _Refused from None
    keys = len(members) + _json_read.keys_read() - before
    if keys != _keys_in_text(data):
        # Maybe a repeated key, which msgspec keeps silently (the last one wins).
        try:
            repeated = _has_repeated_key(_json_read.parse_json_text(_text(data)))
        except (ValueError, RecursionError):
            raise _Refused from None
        if repeated:
            raise _Refused
    return built, is_many


def _read_explained(
    data: bytes | str, many: bool | None, line: int | None, max_problems: int
) -> NoReturn:
    """The explaining read of a document the fast read refused: raises one error naming
    every problem (with paths, and lines when the parser gives them)."""
    value = _parse_explained(_text(data), line)
    cases_raw, prefix, _ = _cases_of(value, many, line)
    problems: list[Problem] = []
    structure = converter.structure
    for i, raw in enumerate(cases_raw):
        try:
            structure(raw, Case)
        except ValidationError as exc:
            path = "case" if prefix is None else f"{prefix}[{i}]"
            problems.extend(p.prefixed(path) for p in exc.problems)
    if not problems:
        raise ReadersDisagree("JSON", "case document")
    if line is not None:
        problems = [Problem(p.path, p.message, line) for p in problems]
    raise capped_error(problems, max_problems)


def _read_document(
    data: bytes | bytearray | memoryview | str,
    *,
    many: bool | None,
    limit: int,
    what: str = "the document",
    line: int | None = None,
    max_problems: int = DEFAULT_LIMITS.max_problems,
) -> tuple[list[Case], bool]:
    """Cases of a document; ``many=None`` accepts both kinds. Returns (cases, was_many)."""
    encoded = _as_bytes(data, limit, what)
    if encoded is None:  # a str with a lone surrogate: the explaining read names its path
        return _read_explained(str(data), many, line, max_problems)
    if not encoded.strip(_JSON_SPACE):
        raise ValidationError(Problem("", f"{what} is empty: it holds no JSON value", line))
    try:
        return _read_fast(encoded, many)
    except _Refused:
        pass
    _read_explained(encoded, many, line, max_problems)


# -- reading -------------------------------------------------------------------------------


def loads(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """Read one case document (``{"schema_version": ..., "case": {...}}``).

    Raises:
        ValidationError: every problem, with its path (``case.enrolment.value...``);
            an empty or whitespace-only document is "the document is empty".
        SchemaVersionError: the schema version is unknown and no upgrade is registered.
    """
    cases, _ = _read_document(
        data, many=False, limit=limits.max_bytes, max_problems=limits.max_problems
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
    cases, _ = _read_document(
        data, many=True, limit=limits.max_bytes, max_problems=limits.max_problems
    )
    return cases


def _read_file(source: Source, limits: Limits, many: bool | None) -> tuple[list[Case], bool]:
    with open_source(source) as f:
        data = read_limited(f, limits.max_bytes)
    return _read_document(
        data, many=many, limit=limits.max_bytes, what="the file", max_problems=limits.max_problems
    )


def load(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """One case (a Case) from a one-case document: :func:`loads` on a path or a binary
    file (an empty file is "the file is empty"). A many-case document is an error; read
    it with :func:`load_many` (a list)."""
    return _read_file(source, limits, many=False)[0][0]


def load_many(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, pause_gc: bool | None = None
) -> list[Case]:
    """:func:`loads_many` on a path or a binary file."""
    retired_pause_gc(pause_gc, f"{__name__}.load_many")
    return _read_file(source, limits, many=True)[0]


def read_document(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Case], bool]:
    """Every case of a one- or many-case document, and whether it was a many-case one."""
    return _read_file(source, limits, many=None)


def _line_error(number: int, message: str) -> ValidationError:
    return ValidationError(Problem("", message, number))


def _blank_lines(blank: list[int]) -> Iterator[ValidationError]:
    """The errors of the blank lines in ``blank`` (which is emptied)."""
    for number in blank:
        yield _line_error(number, "is an empty line: JSON Lines holds one case document per line")
    blank.clear()


def _cut_off(exc: ValidationError, number: int) -> ValidationError:
    """The error of a last line without its newline: when the line is not even JSON, the
    file was most likely cut off in the middle of it, and the message says so."""
    if any(p.message.startswith("is not valid JSON") for p in exc.problems):
        return _line_error(
            number,
            "the file ends in the middle of this line, which is not a complete JSON "
            "document (the file looks truncated)",
        )
    return exc


def iter_results(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Case | ValidationError]:
    """Each line of a JSON Lines file as a Case, or the ValidationError of that line.

    A file with no case document at all (0 bytes, or only blank lines) raises one
    ValidationError, "the file is empty"; a blank line among case documents is an error
    of its line; a last line that ends without a newline and is not complete JSON is
    reported as the place where the file was cut off.
    """
    blank: list[int] = []  # blank lines not yet reported: all of them, if the file is empty
    seen_case = False
    with open_source(source) as f:
        number = 0
        while True:
            raw = f.readline(limits.max_case_bytes + 2)
            if not raw:
                break
            number += 1
            if len(raw) > limits.max_case_bytes and not raw.endswith(b"\n"):
                seen_case = True
                yield from _blank_lines(blank)
                yield _line_error(
                    number, f"the line is longer than the limit of {limits.max_case_bytes} bytes"
                )
                # Skip the rest of the over-long line, in bounded pieces.
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(1 << 16)
                continue
            ended = raw.endswith(b"\n")
            line = raw[:-1] if ended else raw
            if line.endswith(b"\r"):
                line = line[:-1]
            if not line.strip(_JSON_SPACE):
                if len(blank) < limits.max_problems:
                    blank.append(number)
                continue
            seen_case = True
            yield from _blank_lines(blank)
            try:
                cases, _ = _read_document(
                    line,
                    many=False,
                    limit=limits.max_case_bytes,
                    what="the line",
                    line=number,
                    max_problems=limits.max_problems,
                )
                yield cases[0]
            except ValidationError as exc:
                error = ValidationError(
                    Problem(p.path, p.message, number if p.line is None else p.line)
                    for p in exc.problems
                )
                yield error if ended else _cut_off(error, number)
    if not seen_case:  # an error of the whole file, raised like a syntax error
        raise ValidationError(
            Problem("", "the file is empty: it holds no case document (JSON Lines)")
        )
    yield from _blank_lines(blank)


def iter_cases(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[Case]:
    """Stream the cases of a JSON Lines file (one case document per line).

    Memory is bounded by one line (at most ``limits.max_case_bytes``). The file is read
    lazily: a bad line raises when it is reached, after the cases before it.

    Raises:
        ValidationError: the first line that is not a valid case document; each problem
            carries the line number (``Problem.line``). A file without any case document
            (0 bytes or blank lines only) is "the file is empty"; a last line cut off
            before its end names that line.
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
