"""Typed errors of the library.

Every error the library raises on purpose is an :class:`SsbxError`. Messages read as a
sentence a vendor developer can act on, carry the path of the bad value where there is
one, and never contain a clear-text identity number.

The last point holds by construction, also for text that comes from outside (a name an
XML parser echoes, a code that was looked up): an :class:`SsbxError`'s arguments and
text, and a :class:`Problem`'s path and message, pass through
:func:`ssbx_model.identity.mask_identity_numbers` when they are stored, and the text of
every subclass (its own ``__str__`` and ``__repr__`` included) when it is rendered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Self

import attrs

from ssbx_model._masking import mask_identity_numbers, masked_field

__all__ = [
    "AccessDenied",
    "AdapterError",
    "AdapterNotFound",
    "ConcurrentUpdateError",
    "InvalidIdentityNumber",
    "Problem",
    "ReportError",
    "RuleError",
    "SchemaVersionError",
    "SsbxError",
    "TransportError",
    "UnknownCodeError",
    "UnknownRuleError",
    "UnsafeXmlError",
    "ValidationError",
    "XmlSyntaxError",
]


#: BaseException's own ``args`` descriptor, which SsbxError's property wraps.
_BASE_ARGS: Final[Any] = BaseException.__dict__["args"]
#: BaseException's own ``__context__`` descriptor, which SsbxError's property wraps.
_BASE_CONTEXT: Final[Any] = BaseException.__dict__["__context__"]


def _masked_args(args: Iterable[object]) -> tuple[object, ...]:
    return tuple(mask_identity_numbers(a) if isinstance(a, str) else a for a in args)


def _masking(render: Callable[[Any], str]) -> Callable[[Any], str]:
    """``render`` (a ``__str__`` or ``__repr__``) with its text masked."""

    @functools.wraps(render)
    def masked(self: Any) -> str:
        return mask_identity_numbers(render(self))

    return masked


class SsbxError(Exception):
    """Base class of every error raised on purpose by ssbx_model and its adapters.

    The arguments (``args``, however they are set) and the text (``str``, ``repr``, the
    traceback) of every subclass have identity-number-shaped sequences masked, so a
    message that repeats outside text cannot carry a clear identity number.
    """

    def __new__(cls, *args: object, **kwargs: object) -> Self:
        # BaseException.__new__ stores the arguments too: a subclass whose __init__
        # never calls ours still has them masked.
        return super().__new__(cls, *_masked_args(args))

    def __init__(self, *args: object) -> None:
        super().__init__(*_masked_args(args))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("__str__", "__repr__"):
            own = cls.__dict__.get(name)
            if own is not None and not hasattr(own, "__wrapped__"):
                setattr(cls, name, _masking(own))

    @property
    def args(self) -> tuple[Any, ...]:
        """The exception's arguments, masked (also when a subclass assigns them)."""
        stored: tuple[Any, ...] = _BASE_ARGS.__get__(self)
        return stored

    @args.setter
    def args(self, value: Iterable[object]) -> None:
        _BASE_ARGS.__set__(self, _masked_args(value))

    @property
    def __context__(self) -> BaseException | None:
        """The exception being handled when this one was raised; None after
        ``raise ... from None``. The library raises its errors from None where the
        underlying exception repeats input (an lxml message naming an element, a JSON
        decoder holding the whole document): such an exception is not reachable here."""
        if self.__suppress_context__:
            return None
        context: BaseException | None = _BASE_CONTEXT.__get__(self)
        return context

    @__context__.setter
    def __context__(self, value: BaseException | None) -> None:
        _BASE_CONTEXT.__set__(self, value)

    def __str__(self) -> str:
        return mask_identity_numbers(super().__str__())

    def __repr__(self) -> str:
        return mask_identity_numbers(super().__repr__())


@attrs.frozen
class Problem:
    """One problem found in untrusted data: where it is and what is wrong.

    ``path`` uses the model's field names with list indexes, e.g.
    ``program_decisions[1].activities[0].period.end``; an empty path is the document
    itself. ``line`` is the source line in the input document when it is known (XML).
    ``path`` and ``message`` are stored with identity-number-shaped sequences masked.
    """

    path: str = attrs.field(converter=masked_field)
    message: str = attrs.field(converter=masked_field)
    line: int | None = None

    def prefixed(self, prefix: str) -> Problem:
        """Return the same problem with ``prefix`` put in front of its path."""
        if not prefix:
            return self
        if not self.path:
            path = prefix
        elif self.path.startswith("["):
            path = f"{prefix}{self.path}"
        else:
            path = f"{prefix}.{self.path}"
        return Problem(path, self.message, self.line)

    def __str__(self) -> str:
        where = self.path or "(document)"
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{where}{line}: {self.message}"


class ValidationError(SsbxError, ValueError):
    """Data failed validation; ``problems`` lists every problem with its path."""

    def __init__(self, problems: Iterable[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            items: tuple[Problem, ...] = (Problem("", problems),)
        elif isinstance(problems, Problem):
            items = (problems,)
        else:
            items = tuple(problems)
        if not items:
            raise ValueError("a ValidationError needs at least one problem")
        self.problems: tuple[Problem, ...] = items
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return f"{len(self.problems)} problems:\n{lines}"

    def prefixed(self, prefix: str) -> ValidationError:
        """Return a copy whose problems' paths start with ``prefix``."""
        return ValidationError(p.prefixed(prefix) for p in self.problems)

    @property
    def paths(self) -> Sequence[str]:
        """The paths of every problem, in order."""
        return [p.path for p in self.problems]


class InvalidIdentityNumber(SsbxError, ValueError):
    """An identity or organisation number is malformed.

    ``reason`` is one of ``"length"``, ``"format"``, ``"date"``, ``"checksum"``,
    ``"kind"`` or ``"reference-date"``. The message never repeats the number in full.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class UnknownCodeError(SsbxError, ValueError):
    """A code is not in the named code list (of the named version).

    ``code`` is the code looked up, masked like the message (it is outside text).
    """

    def __init__(self, code_list: str, version: str, code: str) -> None:
        self.code_list = code_list
        self.version = version
        self.code = masked_field(code)
        super().__init__(f"unknown code {code!r} in code list {code_list!r} version {version}")


class SchemaVersionError(SsbxError):
    """A document names a schema version this library can neither read nor upgrade."""


class UnsafeXmlError(SsbxError):
    """XML input uses a construct refused for safety (DTD, entity, external resource),
    or exceeds the depth or size limits."""


class XmlSyntaxError(SsbxError):
    """XML input is not well formed; ``line`` and ``column`` say where."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")


class RuleError(SsbxError):
    """A rule or its parameters are misused (unknown parameter, bad override, ...)."""


class UnknownRuleError(RuleError, KeyError):
    """No rule is registered under the given id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown rule"


class AccessDenied(SsbxError):
    """The caller's role may not act for the given purpose."""


class AdapterError(SsbxError):
    """An adapter failed in a way that it mapped to the library's terms."""


class AdapterNotFound(AdapterError, LookupError):
    """No adapter is registered under the requested name, or it failed to load."""


class TransportError(AdapterError):
    """A remote service could not be reached or answered in a way that cannot be used."""


class ReportError(SsbxError):
    """A report cannot be built; the message lists every offending item."""


class ConcurrentUpdateError(SsbxError):
    """Another writer changed the record first (optimistic concurrency); reload and retry."""
