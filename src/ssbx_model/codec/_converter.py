"""The cattrs converter of the JSON codec, with the codec's own strict hooks.

A plain cattrs converter converts where it should refuse (``"no"`` structures to ``True``
for a ``bool``, ``5`` to ``"5"`` for a ``str``) and knows nothing of the wire format's
lexical forms (dates, identity numbers, extents). This converter has one structure hook
and one unstructure hook for every type of the plan (see :mod:`ssbx_model.codec._plan`):
every model class, each ``Answer[X]`` and ``tuple[X, ...]`` the model uses, the scalar
types and the enums. The hooks are the codec's generated fast readers, with the detailed
path behind them, and its checked writer, so that the converter and
``ssbx_model.codec.json`` (which goes through it) accept, refuse and write exactly the
same values.

Types outside the plan keep cattrs' own behaviour; ``str`` and ``int`` subclasses
outside the plan included.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

import cattrs
from cattrs.errors import StructureHandlerNotFoundError

from ssbx_model.codec import _json_read, _plan, _unstructure
from ssbx_model.codec._plan import ListOf, Node, Obj, Scalar
from ssbx_model.errors import Problem, ValidationError
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information._base import Answer

__all__ = ["make_converter"]

# Scalar types that cattrs registers by class (singledispatch, which it consults before
# anything else): the codec's hooks must be registered the same way to take their place.
_BUILTINS: Final = (str, int, bool)


def _structure_hook(node: Node) -> Callable[[Any, Any], Any]:
    structure = _json_read.structurer(node)
    return lambda value, _cl: structure(value)


def _exactly(
    tp: type, hook: Callable[[Any, Any], Any], previous: Callable[[Any, Any], Any]
) -> Callable[[Any, Any], Any]:
    """``hook`` for ``tp`` itself, ``previous`` (cattrs' own) for its subclasses, which
    dispatch by class reaches too."""

    def exact(value: Any, cl: Any) -> Any:
        if cl is tp:
            return hook(value, cl)
        return previous(value, cl)

    return exact


def _answer_nodes() -> dict[type | None, Obj]:
    """The plan's ``Answer[X]`` objects by the class of their value (the item class for
    collections; ``None`` for any of them, used for answers without a value)."""
    found: dict[type | None, Obj] = {}
    for obj in _plan.objects():
        if obj.cls is not Answer:
            continue
        value = obj.field("value")
        assert value is not None
        node = value.node.item if isinstance(value.node, ListOf) else value.node
        if isinstance(node, Obj):
            found.setdefault(node.cls, obj)
        found.setdefault(None, obj)
    return found


def _bare_answer_unstructure() -> Callable[[Any], Any]:
    """Unstructuring an ``Answer`` given without its value type: the type is read from
    the value (the plan has one ``Answer[X]`` per value class)."""
    by_class = _answer_nodes()
    writers = {cls: _unstructure.unstructurer(obj) for cls, obj in by_class.items()}

    def unstructure(answer: Any) -> Any:
        value = getattr(answer, "value", None)
        item = value[0] if isinstance(value, tuple) and value else value
        writer = writers.get(None if item is None else type(item))
        if writer is None:
            raise ValidationError(
                Problem("value", f"an Answer of {type(item).__name__} has no wire form")
            )
        return writer(answer)

    return unstructure


def _refuse_bare_answer(value: Any, cl: Any) -> Any:
    raise StructureHandlerNotFoundError(
        "structure an answer as Answer[X] with the value type the model uses, "
        "e.g. Answer[Enrolment] or Answer[tuple[Consent, ...]]",
        cl,
    )


def make_converter() -> cattrs.Converter:
    """A new converter with the codec's hooks for every type of the plan."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    structure_hooks: dict[Any, Callable[[Any, Any], Any]] = {}
    unstructure_hooks: dict[Any, Callable[[Any], Any]] = {}
    for tp, node in _plan.hints().items():
        structure_hooks[tp] = _structure_hook(node)
        unstructure_hooks[tp] = _unstructure.unstructurer(node)
    person = next(n for n in _plan.hints().values() if isinstance(n, Scalar) and n.kind == "person")
    for cls in (Personnummer, Samordningsnummer):  # values are unstructured by their class
        unstructure_hooks[cls] = _unstructure.unstructurer(person)
    unstructure_hooks[Answer] = _bare_answer_unstructure()
    structure_hooks[Answer] = _refuse_bare_answer

    by_class = [
        tp
        for tp in structure_hooks
        if tp in _BUILTINS or (isinstance(tp, type) and issubclass(tp, StrEnum))
    ]
    for tp in by_class:
        hook = structure_hooks.pop(tp)
        if tp in (str, int):  # str and int have subclasses outside the plan
            hook = _exactly(tp, hook, converter.get_structure_hook(tp))
        converter.register_structure_hook(tp, hook)
        converter.register_unstructure_hook(tp, unstructure_hooks.pop(tp))

    def planned(table: dict[Any, Any]) -> Callable[[Any], bool]:
        def predicate(tp: Any) -> bool:
            try:
                return tp in table
            except TypeError:  # an unhashable type argument
                return False

        return predicate

    converter.register_structure_hook_factory(
        planned(structure_hooks), lambda tp: structure_hooks[tp]
    )
    converter.register_unstructure_hook_factory(
        planned(unstructure_hooks), lambda tp: unstructure_hooks[tp]
    )
    return converter
