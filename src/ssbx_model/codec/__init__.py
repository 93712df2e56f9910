"""Wire formats for cases: canonical JSON and XML, versioned schemas, hardened reading.

One module per format, with the same functions and the same document structure:

- :mod:`ssbx_model.codec.json`: ``loads``/``load``, ``loads_many``/``load_many``,
  ``dumps``/``dump``, ``dumps_many``/``dump_many``, ``iter_cases`` (JSON Lines) and
  ``dump_lines``;
- :mod:`ssbx_model.codec.xml`: the same names; ``iter_cases`` streams a ``<cases>``
  document with ``lxml`` ``iterparse``.

This package adds what does not depend on the format: the schema version and the
registry of upgrades from older versions, the :class:`Limits` of what a reader accepts,
the shipped schemas (:func:`schema_text`), and path-based helpers that choose the format
by file extension (``.json``, ``.jsonl``, ``.xml``), used by ``ssbx validate`` and
``ssbx convert``.

Every problem is reported with a path in one syntax for both formats: field names
joined by ``.``, list positions in ``[]``, starting at ``case`` (a one-case document) or
``cases[i]`` (a many-case document), e.g.
``cases[3].program_decisions.value[1].activities[0].period.end``. Problems of the
document itself (syntax, version) have the empty path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Literal

from ssbx_model.case import Case
from ssbx_model.codec import json, xml
from ssbx_model.codec._limits import DEFAULT_LIMITS, Limits, ProblemTally
from ssbx_model.codec._versions import (
    NAMESPACE,
    SCHEMA_VERSION,
    Format,
    Upgrade,
    register_upgrade,
    registered_upgrades,
    unregister_upgrade,
)
from ssbx_model.errors import (
    Problem,
    SchemaVersionError,
    UnsafeXmlError,
    ValidationError,
    XmlSyntaxError,
)

__all__ = [
    "DEFAULT_LIMITS",
    "NAMESPACE",
    "SCHEMA_VERSION",
    "Format",
    "Limits",
    "Upgrade",
    "check_path",
    "dump_path",
    "format_of",
    "is_many_document",
    "iter_path",
    "json",
    "load_path",
    "register_upgrade",
    "registered_upgrades",
    "schema_text",
    "unregister_upgrade",
    "xml",
]

PathFormat = Literal["json", "jsonl", "xml"]
_EXTENSIONS: dict[str, PathFormat] = {".json": "json", ".jsonl": "jsonl", ".xml": "xml"}


def format_of(path: str | os.PathLike[str]) -> PathFormat:
    """The format of a file by its extension: ``.json``, ``.jsonl`` or ``.xml``.

    Raises:
        ValueError: for any other extension.
    """
    suffix = Path(path).suffix.lower()
    found = _EXTENSIONS.get(suffix)
    if found is None:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its extension "
            f"{suffix or '(none)'!r}: use .json, .jsonl or .xml"
        )
    return found


def load_path(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> list[Case]:
    """Every case in a file (a one- or many-case document, or JSON Lines): always a
    list, of one case for a one-case document. For exactly one case, as a Case, use
    ``json.load`` or ``xml.load``; to stream, :func:`iter_path`.

    Raises:
        ValueError: the extension names no format.
        ValidationError, SchemaVersionError, UnsafeXmlError, XmlSyntaxError: as the
            format's readers.
    """
    kind = format_of(path)
    if kind == "json":
        return json.read_document(path, limits=limits)[0]
    if kind == "xml":
        return xml.read_document(path, limits=limits)[0]
    return list(json.iter_cases(path, limits=limits))


def iter_path(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Iterator[Case]:
    """The cases of a file one at a time: streamed for ``.jsonl`` and ``.xml``, read
    whole for ``.json``."""
    kind = format_of(path)
    if kind == "json":
        yield from json.read_document(path, limits=limits)[0]
    elif kind == "xml":
        yield from xml.iter_cases(path, limits=limits)
    else:
        yield from json.iter_cases(path, limits=limits)


def is_many_document(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> bool:
    """True if the file holds a many-case document (JSON Lines always does)."""
    kind = format_of(path)
    if kind == "jsonl":
        return True
    if kind == "json":
        return json.read_document(path, limits=limits)[1]
    return xml.is_many_document(path, limits=limits)


def dump_path(
    cases: Case | Iterable[Case], path: str | os.PathLike[str], *, pretty: bool = False
) -> int:
    """Write cases to a file in the format its extension names; return how many.

    One :class:`~ssbx_model.Case` gives a one-case document (one line for ``.jsonl``); an
    iterable gives a many-case document, written one case at a time.
    """
    kind = format_of(path)
    if isinstance(cases, Case):
        if kind == "json":
            json.dump(cases, path, pretty=pretty)
        elif kind == "xml":
            xml.dump(cases, path, pretty=pretty)
        else:
            json.dump_lines([cases], path)
        return 1
    if kind == "json":
        return json.dump_many(cases, path, pretty=pretty)
    if kind == "xml":
        return xml.dump_many(cases, path, pretty=pretty)
    return json.dump_lines(cases, path)


def check_path(
    path: str | os.PathLike[str],
    *,
    limits: Limits = DEFAULT_LIMITS,
    on_cases: Callable[[int], object] | None = None,
) -> list[Problem]:
    """Every problem in a file, for validation reports; empty when the file is valid.
    ``on_cases(n)``, if given, is told of every ``n`` cases read (for progress and counts).

    Streams ``.jsonl`` and ``.xml`` files and carries on after a bad case, so that every
    bad case is reported, up to ``limits.max_problems`` problems and then one counting
    the rest ("and N more problems ..."). An error that stops the whole document
    (malformed or unsafe XML, an unreadable schema version) comes last, as one problem
    with the empty path and, when known, its line. ``OSError`` (a file that cannot be
    read) is raised.

    Raises:
        ValueError: the extension names no format.
    """
    kind = format_of(path)
    problems = ProblemTally(limits.max_problems)
    ended: list[Problem] = []  # what stopped the read: always listed, after the others
    try:
        if kind == "json":
            read = json.read_document(path, limits=limits)[0]
            if on_cases is not None:
                on_cases(len(read))
            return []
        results = (
            xml.iter_results(path, limits=limits)
            if kind == "xml"
            else json.iter_results(path, limits=limits)
        )
        for result in results:
            if on_cases is not None:
                on_cases(1)
            if isinstance(result, ValidationError):
                problems.extend(result.problems)
    except ValidationError as exc:
        ended.extend(exc.problems)
    except XmlSyntaxError as exc:
        ended.append(Problem("", str(exc), exc.line))
    except (UnsafeXmlError, SchemaVersionError) as exc:
        ended.append(Problem("", str(exc)))
    return problems.problems() + ended


def schema_text(kind: Literal["json", "xsd"]) -> str:
    """The shipped schema of the current version: ``"json"`` (JSON Schema 2020-12) or
    ``"xsd"`` (XML Schema 1.0)."""
    suffix = {"json": "schema.json", "xsd": "xsd"}.get(kind)
    if suffix is None:
        raise ValueError(f"schema kind must be 'json' or 'xsd', not {kind!r}")
    files = resources.files("ssbx_model.codec") / "schemas" / f"case-{SCHEMA_VERSION}.{suffix}"
    return files.read_text(encoding="utf-8")
