"""Building model objects in the explaining passes: every problem kept, with its path."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from ssbx_model.calendar import Period
from ssbx_model.codec._plan import Obj, Scalar
from ssbx_model.errors import Problem, SsbxError, ValidationError
from ssbx_model.information._base import Answer, AnswerStatus, Provenance

__all__ = [
    "INVALID",
    "ReadersDisagree",
    "construct",
    "construct_fields",
    "join",
    "prefixed",
    "safe_name",
    "shared_leaf",
]

# Leaf objects the generated readers share between cases when their input is identical:
# they repeat a lot (a provenance per answer, monthly periods), are immutable, and hold
# no personal data (so nothing personal outlives a load in a cache).
_SHARED_LEAVES: Final = frozenset({Period, Provenance})
#: The most objects of one class a reader's cache keeps before it starts afresh.
CACHE_LIMIT: Final = 1 << 16


def shared_leaf(obj: Obj) -> bool:
    """True for an object the generated readers may share: one of the leaves above, all
    of whose fields are scalars (so the same input texts always give an equal object)."""
    return obj.cls in _SHARED_LEAVES and all(isinstance(f.node, Scalar) for f in obj.fields)


class ReadersDisagree(AssertionError):
    """A bug in this library: a format's generated reader refused a value in which its
    explaining pass finds no problem. Never caught: it means the two passes drifted
    apart, which the differential tests exist to catch."""

    def __init__(self, format_name: str, type_name: str) -> None:
        super().__init__(
            f"ssbx_model's {format_name} reader refused a {type_name} in which its "
            "explaining pass finds no problem: please report this bug, with the document "
            "if you can share it"
        )


class _Invalid:
    """Marker of a value that could not be built (its problems are already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}\Z", re.ASCII)
_DIGIT_RUN = re.compile(r"[0-9]{6}")


def safe_name(name: object) -> str | None:
    """``name`` if it may appear in a message: a short identifier without a digit run."""
    if isinstance(name, str) and _NAME.match(name) and not _DIGIT_RUN.search(name):
        return name
    return None


def join(path: str, name: str) -> str:
    """``path.name`` (or ``name`` at the root)."""
    return f"{path}.{name}" if path else name


def prefixed(path: str, relative: str) -> str:
    """``relative`` (a model's field-relative path) put under ``path``."""
    if not relative:
        return path
    if relative.startswith("[") or not path:
        return f"{path}{relative}"
    return f"{path}.{relative}"


def construct_fields(
    obj: Obj,
    args: list[Any],
    path: str,
    problems: list[Problem],
    line_of: Callable[[str], int | None] | None = None,
) -> Any:
    """:func:`construct` from field values some of which may be ``INVALID`` (their problems
    already recorded), so that the object's own checks run in the same pass as its
    fields' problems (a bad municipality and a bad date deep inside an answer are
    reported together).

    A bad field whose model default says "nothing here" (an answer not requested, an
    empty list) is replaced by that default and the object is built, keeping only its
    problems outside the replaced fields. Any other bad field (a required one, or one
    whose default ``None`` other checks read, such as "approved needs a submission
    date") leaves the object unbuilt, so that no problem is reported that only the
    replacement caused: ``INVALID`` then."""
    replaced: list[str] = []
    for i, f in enumerate(obj.fields):
        if args[i] is INVALID:
            if not _says_nothing(f.default):
                return INVALID
            args[i] = f.default
            replaced.append(f.name)
    if not replaced:
        return construct(obj, args, path, problems, line_of)
    found: list[Problem] = []
    construct(obj, args, "", found, line_of)
    for p in found:
        head = p.path.split(".", 1)[0].split("[", 1)[0]
        if head not in replaced:
            problems.append(Problem(prefixed(path, p.path), p.message, p.line))
    return INVALID


def _says_nothing(default: object) -> bool:
    """True for a default that states no fact: an answer nobody asked for, no items."""
    if default == ():
        return True
    return isinstance(default, Answer) and default.status is AnswerStatus.NOT_REQUESTED


def construct(
    obj: Obj,
    args: Sequence[Any],
    path: str,
    problems: list[Problem],
    line_of: Callable[[str], int | None] | None = None,
) -> Any:
    """``obj.cls(*args)``, or ``INVALID`` with the constructor's problems prefixed by
    ``path`` (``line_of`` maps a problem's relative path to its source line)."""
    try:
        return obj.cls(*args)
    except ValidationError as exc:
        for p in exc.problems:
            line = p.line if p.line is not None or line_of is None else line_of(p.path)
            problems.append(Problem(prefixed(path, p.path), p.message, line))
    except SsbxError as exc:
        line = line_of("") if line_of is not None else None
        problems.append(Problem(path, str(exc), line))
    except Exception as exc:  # a model class refused the values in an unplanned way
        line = line_of("") if line_of is not None else None
        problems.append(
            Problem(
                path,
                f"{obj.cls.__name__} cannot be built from these values ({type(exc).__name__})",
                line,
            )
        )
    return INVALID
