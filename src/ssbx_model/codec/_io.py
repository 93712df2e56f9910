"""Files and paths for the readers and writers: sources, targets and size limits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeAlias

from ssbx_model.errors import Problem, ValidationError

__all__ = [
    "Source",
    "Target",
    "open_source",
    "open_target",
    "read_limited",
    "read_up_to",
    "too_large",
]

#: Where a reader reads from: a path, or a binary file opened for reading.
Source: TypeAlias = str | os.PathLike[str] | IO[bytes]
#: Where a writer writes to: a path, or a binary file opened for writing.
Target: TypeAlias = str | os.PathLike[str] | IO[bytes]


@contextmanager
def open_source(source: Source) -> Iterator[IO[bytes]]:
    """A binary file for ``source``; a path is opened (and closed), a file is borrowed."""
    if isinstance(source, (str, os.PathLike)):
        with Path(source).open("rb") as f:
            yield f
    else:
        yield source


@contextmanager
def open_target(target: Target) -> Iterator[IO[bytes]]:
    """A binary file for ``target``; a path is created or truncated, a file is borrowed."""
    if isinstance(target, (str, os.PathLike)):
        with Path(target).open("wb") as f:
            yield f
    else:
        yield target


def too_large(limit: int, what: str) -> ValidationError:
    """The error for input beyond a size limit."""
    return ValidationError(
        Problem("", f"{what} is larger than the limit of {limit} bytes (see Limits)")
    )


def read_up_to(f: IO[bytes], limit: int) -> bytes:
    """``f``'s bytes, at most ``limit + 1`` of them (one more shows the limit is exceeded)."""
    data = f.read(limit + 1)
    if not isinstance(data, bytes):
        raise TypeError(f"the file must be opened in binary mode, it gave {type(data).__name__}")
    return data


def read_limited(f: IO[bytes], limit: int) -> bytes:
    """All of ``f``, refusing more than ``limit`` bytes.

    Raises:
        ValidationError: if ``f`` holds more than ``limit`` bytes.
    """
    data = read_up_to(f, limit)
    if len(data) > limit:
        raise too_large(limit, "the document")
    return data
