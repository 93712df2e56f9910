"""Building model objects in the generated fast readers without attrs' ``__init__``.

attrs' ``__init__`` of a frozen, slotted class sets each field with ``object.__setattr__``
by name, then runs the field validators and ``__attrs_post_init__``. The fast readers
build tens of objects per case from values whose exact types they have just checked, so
they take the same steps more directly: ``object.__new__``, each field through its slot
descriptor, then the very same validators (in field order, always, whatever
``attrs.validators.set_disabled`` says) and the very same ``__attrs_post_init__``. Every
invariant a class checks still runs and still raises; what goes is the lookup of each
field by name, about half the cost of building a small object.

The shortcut is taken only for a class whose ``__init__`` attrs generated in exactly the
shape mirrored here (read from its source: set every field in order, validate, post-init,
nothing else). Any other class (a converter, a pre-init hook, a cached hash, a field
outside ``__init__``, a later attrs that writes ``__init__`` differently) is built by
calling it, as before.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

__all__ = ["Recipe", "build_lines", "recipe_of"]

_SET: Final = re.compile(r"_setattr\('(\w+)', (\w+)\)\Z")
_VALIDATE: Final = re.compile(r"__attr_validator_(\w+)\(self, __attr_(\w+), self\.(\w+)\)\Z")
_KNOWN_LINES: Final = frozenset(
    {
        "_setattr = _cached_setattr_get(self)",
        "if _config._run_validators is True:",
        "self.__attrs_post_init__()",
    }
)


@attrs.frozen
class Recipe:
    """How attrs' ``__init__`` builds one class: the slot setter of every field (in
    order), the validators as ``(field index, validator, attribute)``, the post-init."""

    setters: tuple[Callable[[object, object], None], ...]
    validators: tuple[tuple[int, Callable[[object, Any, object], None], Any], ...]
    post_init: Callable[[object], None] | None


def _init_lines(cls: type) -> list[str] | None:
    init = cls.__dict__.get("__init__")
    if not isinstance(init, types.FunctionType):
        return None
    if not init.__code__.co_filename.startswith("<attrs generated"):
        return None
    try:
        source = inspect.getsource(init)
    except (OSError, TypeError):
        return None
    return [line.strip() for line in source.splitlines()[1:] if line.strip()]


def recipe_of(cls: type) -> Recipe | None:
    """The recipe of ``cls``, or None when it must be built by calling it."""
    if not attrs.has(cls) or hasattr(cls, "__attrs_pre_init__"):
        return None
    fields = attrs.fields(cls)
    if any(not a.init or a.converter is not None or a.alias != a.name for a in fields):
        return None
    lines = _init_lines(cls)
    if lines is None:
        return None
    names = [a.name for a in fields]
    set_names: list[str] = []
    validated: list[str] = []
    post_init = False
    for line in lines:
        if (m := _SET.match(line)) is not None and m[1] == m[2]:
            set_names.append(m[1])
        elif (m := _VALIDATE.match(line)) is not None and m[1] == m[2] == m[3]:
            validated.append(m[1])
        elif line == "self.__attrs_post_init__()":
            post_init = True
        elif line not in _KNOWN_LINES:
            return None  # a step this module does not mirror
    expected = [a.name for a in fields if a.validator is not None]
    if set_names != names or validated != expected:
        return None
    setters: list[Callable[[object, object], None]] = []
    for name in names:
        descriptor = getattr(cls, name, None)
        if not isinstance(descriptor, types.MemberDescriptorType):
            return None
        setters.append(descriptor.__set__)
    validators = tuple((i, a.validator, a) for i, a in enumerate(fields) if a.validator is not None)
    hook = getattr(cls, "__attrs_post_init__", None) if post_init else None
    if post_init and hook is None:
        return None
    return Recipe(tuple(setters), validators, hook)


def build_lines(
    cls: type, args: Sequence[str], target: str, pad: str, ns: dict[str, Any], tag: str
) -> list[str]:
    """Source lines assigning to ``target`` the object ``cls(*args)``, built as attrs
    would build it (names ``*_{tag}*`` are put into the generated code's namespace
    ``ns``, which must map ``NEW`` to ``object.__new__``)."""
    ns[f"C_{tag}"] = cls
    recipe = recipe_of(cls)
    if recipe is None or len(args) != len(recipe.setters):
        return [f"{pad}{target} = C_{tag}({', '.join(args)})"]
    lines = [f"{pad}{target} = NEW(C_{tag})"]
    for i, setter in enumerate(recipe.setters):
        ns[f"S_{tag}_{i}"] = setter
        lines.append(f"{pad}S_{tag}_{i}({target}, {args[i]})")
    for i, validator, attribute in recipe.validators:
        ns[f"V_{tag}_{i}"] = validator
        ns[f"A_{tag}_{i}"] = attribute
        lines.append(f"{pad}V_{tag}_{i}({target}, A_{tag}_{i}, {args[i]})")
    if recipe.post_init is not None:
        ns[f"P_{tag}"] = recipe.post_init
        lines.append(f"{pad}P_{tag}({target})")
    return lines
