"""A rule's parameters, declared once as a small typed class and read as attributes.

::

    class Params(RuleParameters):
        age_min: int = parameter("uvas.age.min")
        age_max: int = parameter("uvas.age.max")

The engine builds one instance per (rule, reference date, overrides) from the
:class:`~ssbx_model.rules.parameters.ParameterView` in force, checking each value
against its declared type; a condition then reads ``p.age_min``. A parameter stored as
text that a rule reads as something else is declared with its conversion, done once per
instance too::

    purpose: Purpose = parameter("consent.purpose", convert=Purpose)
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

from ssbx_model.errors import RuleError
from ssbx_model.rules.parameters import Scalar

__all__ = ["RuleParameters", "parameter"]


class _Named:
    # The marker parameter() returns: the dotted name of the parameter an attribute reads,
    # and the conversion of its stored value, if any.
    __slots__ = ("convert", "name")

    def __init__(self, name: str, convert: Callable[[Any], Any] | None) -> None:
        self.name = name
        self.convert = convert


def parameter(name: str, *, convert: Callable[[Any], Any] | None = None) -> Any:
    """Declare that the attribute reads the parameter ``name`` (e.g. ``"uvas.age.min"``).

    ``convert`` turns the stored value into what the rule reads (e.g. ``Purpose`` for a
    purpose stored as text); a ``ValueError`` or ``TypeError`` it raises becomes a
    :class:`~ssbx_model.errors.RuleError` naming the parameter. The attribute's type is
    then the converted value's, and is not checked again.
    """
    return _Named(name, convert)


_CHECKABLE: dict[Any, tuple[type, ...]] = {
    int: (int,),
    float: (int, float),
    str: (str,),
    bool: (bool,),
    dt.date: (dt.date,),
}


class RuleParameters:
    """The parameters a rule reads, as typed, read-only attributes (subclass it).

    ``on`` is the reference date the values are in force on, so that a reason's text
    can name the date (``lambda f, p: (f"... den {p.on}", ...)``); None when the values
    were read from a plain mapping rather than the engine's view. A rule's parameter
    class may extend another rule's (``class Params(kaa.Params)``): it reads those
    parameters too.
    """

    #: attribute name -> parameter name, in declaration order (set for each subclass).
    names: ClassVar[Mapping[str, str]] = {}
    _types: ClassVar[Mapping[str, tuple[type, ...] | None]] = {}
    _converts: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}
    on: dt.date | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = {k: v for k, v in vars(cls).items() if isinstance(v, _Named)}
        if "on" in declared:
            raise RuleError(
                f"{cls.__name__}.on is the reference date: name the parameter otherwise"
            )
        for attribute in declared:
            delattr(cls, attribute)
        cls.names = {**cls.names, **{k: v.name for k, v in declared.items()}}
        converts = {k: v.convert for k, v in declared.items() if v.convert is not None}
        cls._converts = {**cls._converts, **converts}
        hints = typing.get_type_hints(cls)
        types: dict[str, tuple[type, ...] | None] = {}
        for attribute in cls.names:
            hint = hints.get(attribute)
            allowed = _CHECKABLE.get(hint)
            if allowed is None and typing.get_origin(hint) in (typing.Union, type(int | None)):
                parts = [_CHECKABLE.get(a) for a in typing.get_args(hint) if a is not type(None)]
                if all(parts):
                    allowed = (type(None), *(t for p in parts if p for t in p))
            types[attribute] = None if attribute in cls._converts else allowed
        cls._types = types

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        """The dotted names of the parameters, in declaration order."""
        return tuple(cls.names.values())

    @classmethod
    def from_values(cls, values: Mapping[str, Scalar]) -> Self:
        """The parameters read from ``values`` (a view of the values in force).

        Raises:
            RuleError: if a value does not have its declared type.
        """
        self = cls.__new__(cls)
        on = getattr(values, "on", None)
        object.__setattr__(self, "on", on if isinstance(on, dt.date) else None)
        converts = cls._converts
        for attribute, name in cls.names.items():
            value = values[name]
            convert = converts.get(attribute)
            if convert is not None:
                try:
                    value = convert(value)
                except (TypeError, ValueError) as exc:
                    raise RuleError(f"parameter {name!r} is {value!r}: {exc}") from None
            allowed = cls._types[attribute]
            if allowed is not None and (
                not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed)
            ):
                raise RuleError(
                    f"parameter {name!r} is {value!r}; {cls.__name__}.{attribute} "
                    f"wants {' or '.join(t.__name__ for t in allowed)}"
                )
            object.__setattr__(self, attribute, value)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        shown = ", ".join(f"{a}={getattr(self, a)!r}" for a in self.names)
        return f"{type(self).__name__}({shown})"
