"""Building model objects in the detailed paths: every problem kept, with its path."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from ssbx_model.codec._plan import Obj
from ssbx_model.errors import Problem, SsbxError, ValidationError

__all__ = ["INVALID", "construct", "join", "prefixed", "safe_name"]


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
