"""Model objects to wire values (dicts, lists, str, int, bool), checked on the way.

The same wire values feed the JSON writer directly and the XML writer through the plan.
A field is left out when it is ``None`` or equals the model's default. Every value's type
is checked exactly (a ``datetime`` in a date field, a ``bool`` in an int field, a string
XML cannot carry): a Case that was built around the model's checks cannot produce a
document that the readers would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ssbx_model.codec import _scalars
from ssbx_model.codec._build import INVALID, join
from ssbx_model.codec._plan import CASE, ListOf, Node, Obj, Scalar
from ssbx_model.errors import Problem
from ssbx_model.information._base import raise_problems

__all__ = ["unstructure_case", "unstructurer", "wire_value"]


def wire_value(node: Node, value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(node, Scalar):
        try:
            return _scalars.format_scalar(node.kind, node.enum, value)
        except _scalars.Invalid as exc:
            problems.append(Problem(path, exc.message))
            return INVALID
    if isinstance(node, ListOf):
        if not isinstance(value, tuple):
            problems.append(Problem(path, f"must be a tuple, not {type(value).__name__}"))
            return INVALID
        return [
            wire_value(node.item, item, f"{path}[{i}]", problems) for i, item in enumerate(value)
        ]
    return _object(node, value, path, problems)


def _object(obj: Obj, value: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(value, obj.cls):
        problems.append(Problem(path, f"must be a {obj.cls.__name__}, not {type(value).__name__}"))
        return INVALID
    out: dict[str, Any] = {}
    for f in obj.fields:
        item = getattr(value, f.name)
        if item is None:
            if not f.nullable:
                problems.append(Problem(join(path, f.name), "is None but the field is required"))
            continue
        if not f.required and (item is f.default or item == f.default):
            continue
        out[f.name] = wire_value(f.node, item, join(path, f.name), problems)
    return out


def unstructurer(node: Node) -> Callable[[Any], Any]:
    """The function giving the wire value of a model value of ``node``.

    It raises one :class:`~ssbx_model.errors.ValidationError` listing every value that
    cannot be written, with its path relative to the value (the empty path for the value
    itself).
    """

    def unstructure(value: Any) -> Any:
        problems: list[Problem] = []
        result = wire_value(node, value, "", problems)
        raise_problems(problems)
        return result

    return unstructure


def unstructure_case(case: Any, path: str) -> Any:
    """The wire value of one Case.

    Raises:
        ValidationError: listing every value that cannot be written, with its path.
    """
    problems: list[Problem] = []
    result = _object(CASE, case, path, problems)
    raise_problems(problems)
    return result
