"""The wire plan: one description of the case document, walked from the model's classes.

Both codecs, their fast and detailed paths, and the schema generator read this plan, so
the JSON document, the XML document, the JSON Schema and the XSD cannot disagree on a
field name, a type or a default.

The plan is built from the attrs classes' resolved type hints:

- ``str``, ``int``, ``bool``, ``datetime.date``, ``datetime.datetime``, a ``StrEnum``,
  ``Personnummer | Samordningsnummer``, ``Organisationsnummer`` and ``Extent`` are
  scalars (an extent travels as its whole percent);
- ``tuple[X, ...]`` is a list;
- ``Answer[X]`` and every other attrs class (``Period`` included) is an object;
- ``X | None`` makes a field nullable (``None`` is never written: the field is omitted).

A type outside this vocabulary is a programming error raised when the module is
imported, so a model change that the wire formats cannot carry fails loudly in the tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
import types
import typing
from enum import StrEnum
from typing import Any, Final, TypeAlias

import attrs

from ssbx_model.calendar import Extent
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information._base import Answer

__all__ = ["CASE", "NO_DEFAULT", "Field", "ListOf", "Node", "Obj", "Scalar", "objects"]


class _NoDefault:
    """Marker of a field the model gives no default (it must be on the wire)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Final = _NoDefault()

#: Scalar kinds, with the schema type name each one gets.
SCALAR_NAMES: Final = {
    "str": "Text",
    "int": "Integer",
    "bool": "Boolean",
    "date": "Date",
    "datetime": "DateTime",
    "person": "PersonId",
    "orgnr": "OrganisationNumber",
    "extent": "Extent",
}


@attrs.frozen
class Scalar:
    """A value written as one JSON scalar or one XML text node."""

    kind: str
    enum: type[StrEnum] | None = None

    @property
    def name(self) -> str:
        """The schema type name (the enum's class name for enums)."""
        if self.enum is not None:
            return self.enum.__name__
        return SCALAR_NAMES[self.kind]


@attrs.frozen(eq=False)
class ListOf:
    """A list: a JSON array, or an XML wrapper element with one element per item."""

    item: Node
    name: str
    item_tag: str


@attrs.frozen(eq=False)
class Field:
    """One field of an object: its wire name, plan node and model default.

    ``default`` is what an absent field means (``NO_DEFAULT``: it must be present).
    A field is written unless its value is ``None`` or equals ``default``.
    """

    name: str
    node: Node
    default: object
    nullable: bool

    @property
    def required(self) -> bool:
        """True when the field must be present on the wire."""
        return self.default is NO_DEFAULT


@attrs.frozen(eq=False)
class Obj:
    """An attrs class: a JSON object, or an XML element with one child per field."""

    cls: type
    name: str
    tag: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        """The field called ``name``, if any."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


Node: TypeAlias = Scalar | ListOf | Obj

_PERSON_TYPES: Final = frozenset({Personnummer, Samordningsnummer})
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


class _Builder:
    """Walks the model's types once, memoising objects by (class, type arguments)."""

    def __init__(self) -> None:
        self.objects: dict[object, Obj] = {}
        self.lists: dict[str, ListOf] = {}
        self.names: dict[str, object] = {}
        #: Every type the plan met (``None`` taken out of optional types) and its node.
        self.hints: dict[Any, Node] = {}

    def record(self, tp: Any, node: Node) -> Node:
        """Remember which node type hint ``tp`` stands for."""
        found = self.hints.setdefault(tp, node)
        if found is not node and found != node:
            raise TypeError(f"the type {tp!r} would stand for two wire types")
        return node

    def node(self, tp: Any, where: str) -> tuple[Node, bool]:
        """The plan node for a type hint, and whether it allows ``None``."""
        origin = typing.get_origin(tp)
        if origin is typing.Union or origin is types.UnionType:
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            nullable = len(args) < len(typing.get_args(tp))
            if frozenset(args) == _PERSON_TYPES:
                return self.record(functools.reduce(operator.or_, args), Scalar("person")), nullable
            if len(args) != 1:
                raise TypeError(f"{where}: the wire formats cannot carry the union {tp}")
            node, _ = self.node(args[0], where)
            return node, nullable
        if origin is tuple:
            items = typing.get_args(tp)
            if len(items) != 2 or items[1] is not Ellipsis:
                raise TypeError(f"{where}: only tuple[X, ...] is supported, not {tp}")
            return self.record(tp, self.list_of(items[0], where)), False
        if origin is Answer:
            (arg,) = typing.get_args(tp)
            return self.record(tp, self.answer(arg, where)), False
        return self.record(tp, self.plain(tp, where)), False

    def plain(self, tp: Any, where: str) -> Node:
        if tp is str:
            return Scalar("str")
        if tp is bool:
            return Scalar("bool")
        if tp is int:
            return Scalar("int")
        if tp is dt.datetime:
            return Scalar("datetime")
        if tp is dt.date:
            return Scalar("date")
        if tp is Organisationsnummer:
            return Scalar("orgnr")
        if tp is Extent:
            return Scalar("extent")
        if tp in _PERSON_TYPES:
            raise TypeError(f"{where}: use Personnummer | Samordningsnummer, not {tp.__name__}")
        if isinstance(tp, type) and issubclass(tp, StrEnum):
            return Scalar("enum", tp)
        if isinstance(tp, type) and attrs.has(tp):
            return self.obj(tp, None, tp.__name__, _snake(tp.__name__))
        raise TypeError(f"{where}: the wire formats cannot carry the type {tp!r}")

    def list_of(self, item_tp: Any, where: str) -> ListOf:
        item, nullable = self.node(item_tp, where)
        if nullable:
            raise TypeError(f"{where}: list items cannot be None")
        if isinstance(item, ListOf):
            raise TypeError(f"{where}: lists of lists are not supported")
        name = f"{item.name}List"
        found = self.lists.get(name)
        if found is not None:
            return found
        tag = item.tag if isinstance(item, Obj) else "item"
        made = ListOf(item, name, tag)
        self.lists[name] = made
        self._claim(name, made)
        return made

    def answer(self, arg: Any, where: str) -> Obj:
        value, nullable = self.node(arg, where)
        if nullable:
            raise TypeError(f"{where}: an answer's value type cannot be optional")
        return self.obj(Answer, value, f"{value.name}Answer", "answer")

    def obj(self, cls: type, value: Node | None, name: str, tag: str) -> Obj:
        key = (cls, name)
        found = self.objects.get(key)
        if found is not None:
            return found
        hints = typing.get_type_hints(cls)
        fields: list[Field] = []
        for a in attrs.fields(cls):
            where = f"{cls.__name__}.{a.name}"
            if not a.init or a.kw_only or a.alias != a.name:
                raise TypeError(f"{where}: the codec needs positional, public init fields")
            tp = hints[a.name]
            if cls is Answer and a.name == "value":
                assert value is not None
                node: Node = value
                nullable = True
            else:
                node, nullable = self.node(tp, where)
            default: object = a.default
            if default is attrs.NOTHING:
                default = None if nullable else NO_DEFAULT
            elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                raise TypeError(f"{where}: factory defaults are not supported")
            fields.append(Field(a.name, node, default, nullable))
        made = Obj(cls, name, tag, tuple(fields))
        self.objects[key] = made
        self._claim(name, made)
        return made

    def _claim(self, name: str, node: object) -> None:
        if name in SCALAR_NAMES.values():
            raise TypeError(f"the schema type name {name!r} is taken by a scalar")
        other = self.names.setdefault(name, node)
        if other is not node:
            raise TypeError(f"two wire types would share the schema type name {name!r}")


_BUILDER: Final = _Builder()

#: The plan of :class:`ssbx_model.Case`, the root of every case document.
CASE: Final = _BUILDER.obj(Case, None, "Case", "case")
_BUILDER.record(Case, CASE)


def objects() -> tuple[Obj, ...]:
    """Every object type of the plan, in a stable order (leaves first)."""
    return tuple(_BUILDER.objects.values())


def hints() -> dict[Any, Node]:
    """Every type the plan carries, as the model's type hints spell it, and its node:
    the model classes, ``Answer[X]``, ``tuple[X, ...]``, the scalar types and enums
    (``X | None`` is recorded as ``X``)."""
    return dict(_BUILDER.hints)


def lists() -> tuple[ListOf, ...]:
    """Every list type of the plan, in a stable order."""
    return tuple(_BUILDER.lists.values())


def enums() -> tuple[type[StrEnum], ...]:
    """Every enum the plan uses, in a stable order of first use."""
    seen: dict[type[StrEnum], None] = {}

    def visit(node: Node) -> None:
        if isinstance(node, Scalar) and node.enum is not None:
            seen.setdefault(node.enum, None)
        elif isinstance(node, ListOf):
            visit(node.item)
        elif isinstance(node, Obj):
            for f in node.fields:
                visit(f.node)

    for obj in objects():
        visit(obj)
    return tuple(seen)
