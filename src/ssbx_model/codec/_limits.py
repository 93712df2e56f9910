"""Limits that bound what a reader accepts before it looks at the data."""

from __future__ import annotations

from typing import Final

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a positive int, not {value!r}")


@attrs.frozen
class Limits:
    """How much a reader accepts; input beyond a limit is refused, never truncated.

    Attributes:
        max_bytes: the largest document read whole (``loads``, ``load``, ``loads_many``,
            ``load_many``). Streaming readers (``iter_cases``) have no total limit: their
            memory is bounded per case.
        max_case_bytes: the largest single case in a stream: one JSON line, or the
            bytes read while one ``<case>`` element of an XML stream is open.
        max_depth: the deepest XML element nesting (the case document needs about 10).
        max_text_length: the longest XML text node, in characters.
    """

    max_bytes: int = attrs.field(default=1 << 30, validator=_positive)
    max_case_bytes: int = attrs.field(default=16 << 20, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_text_length: int = attrs.field(default=1 << 20, validator=_positive)


DEFAULT_LIMITS: Final = Limits()
"""The limits used when none are given: 1 GiB per document, 16 MiB per streamed case,
depth 64, 1 MiB per XML text node."""
