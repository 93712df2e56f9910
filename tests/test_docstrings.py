"""Every public name of the library and of its adapters has a docstring.

The API reference is generated from docstrings (mkdocstrings), so a public class,
function or method without one is a hole in the documentation. This test walks every
public module of ``ssbx_model`` and of the adapters that are installed (``ssbx_http``,
``ssbx_sql``, ``ssbx_inuk``, ``ssbx_excel``):

* a module is public when no part of its dotted name starts with an underscore; the
  modules Alembic runs as scripts (``*.migrations.*``) and ``__main__`` are not API;
* a module's public names are its ``__all__``, which includes what it re-exports from
  private modules (``ssbx_model.information`` re-exports ``Answer`` from ``_base``), or,
  without ``__all__``, the names it defines that do not start with an underscore;
* of those, every class and function defined in the library must have a docstring, and so
  must every public method, class method, static method and property a class defines
  itself (an override may inherit its base's docstring). Constants and type aliases carry
  no ``__doc__`` of their own and are not checked here.

All offenders are listed in one failure message, by the name they are documented under.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType

import pytest

CORE = "ssbx_model"
ADAPTERS = ("ssbx_http", "ssbx_sql", "ssbx_inuk", "ssbx_excel")
LIBRARY_PREFIXES = (CORE, *ADAPTERS)

# The docstring Python writes for a NamedTuple without one, e.g. "Reason(code, kind)".
_GENERATED_NAMEDTUPLE_DOC = re.compile(r"\w+\([\w, ]*\)\Z")


def _is_public_module(name: str) -> bool:
    parts = name.split(".")
    return not any(p.startswith("_") or p == "migrations" for p in parts)


def public_modules(package_name: str) -> Iterator[ModuleType]:
    """The package and every public module under it, imported."""
    package = importlib.import_module(package_name)
    yield package
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        if _is_public_module(info.name):
            yield importlib.import_module(info.name)


def public_names(module: ModuleType) -> list[str]:
    """``__all__``, or the names the module defines that do not start with ``_``."""
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return [n for n in declared if not n.startswith("_")]
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
    ]


def _ours(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.split(".")[0] in LIBRARY_PREFIXES


def _has_doc(text: str | None) -> bool:
    return bool(text and text.strip())


def _class_doc_missing(cls: type) -> bool:
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str) or not doc.strip():
        return True
    # NamedTuple and similar factories write a signature-like docstring of their own.
    return bool(_GENERATED_NAMEDTUPLE_DOC.match(doc.strip())) and issubclass(cls, tuple)


def _member_function(raw: object) -> object | None:
    """The function behind a class attribute, or None when it is not a method."""
    if isinstance(raw, (staticmethod, classmethod)):
        return raw.__func__
    if isinstance(raw, property):
        return raw.fget
    if inspect.isfunction(raw):
        return raw
    return None


def _method_doc_missing(cls: type, name: str, raw: object) -> bool:
    if isinstance(raw, property) and _has_doc(raw.__doc__):
        return False
    func = _member_function(raw)
    if _has_doc(getattr(func, "__doc__", None)):
        return False
    # An override documented in a base class (including a Protocol it implements
    # nominally) keeps that documentation.
    for base in cls.__mro__[1:]:
        inherited = base.__dict__.get(name)
        if inherited is None:
            continue
        if isinstance(inherited, property) and _has_doc(inherited.__doc__):
            return False
        if _has_doc(getattr(_member_function(inherited), "__doc__", None)):
            return False
    return True


def _public_members(cls: type) -> Iterator[tuple[str, object]]:
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        if _member_function(raw) is None:
            continue  # enum members, class constants, attrs fields, slots
        yield name, raw


def undocumented(package_names: tuple[str, ...]) -> list[str]:
    """Every public class, function and method of the packages without a docstring."""
    offenders: list[str] = []
    seen: set[int] = set()
    for package_name in package_names:
        for module in public_modules(package_name):
            if not _has_doc(module.__doc__):
                offenders.append(f"{module.__name__} (module)")
            for name in public_names(module):
                obj = getattr(module, name, None)
                if obj is None or id(obj) in seen or not _ours(obj):
                    continue
                if not (inspect.isclass(obj) or inspect.isroutine(obj)):
                    continue  # a callable instance (e.g. a registry object): not API text
                seen.add(id(obj))
                where = f"{module.__name__}.{name}"
                if inspect.isclass(obj):
                    if _class_doc_missing(obj):
                        offenders.append(f"{where} (class)")
                    for member, raw in _public_members(obj):
                        if _method_doc_missing(obj, member, raw):
                            offenders.append(f"{where}.{member} (method)")
                elif not _has_doc(obj.__doc__):
                    offenders.append(f"{where} (function)")
    return offenders


def _installed(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def test_every_public_name_of_the_core_has_a_docstring() -> None:
    offenders = undocumented((CORE,))
    assert not offenders, "public names without a docstring:\n  " + "\n  ".join(offenders)


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_every_public_name_of_an_adapter_has_a_docstring(adapter: str) -> None:
    # make test installs every reference adapter: a missing one is a broken install.
    assert _installed(adapter), f"{adapter} is not installed (run make test, which installs it)"
    offenders = undocumented((adapter,))
    assert not offenders, "public names without a docstring:\n  " + "\n  ".join(offenders)


def test_the_walk_sees_the_public_api() -> None:
    """Guards the walk itself: a broken walk would find nothing and pass."""
    modules = {m.__name__ for m in public_modules(CORE)}
    assert {
        "ssbx_model",
        "ssbx_model.identity",
        "ssbx_model.case",
        "ssbx_model.information",
        "ssbx_model.rules",
        "ssbx_model.testing.strategies",
    } <= modules
    assert not any(part.startswith("_") for m in modules for part in m.split(".")[1:])
    # Re-exports from private modules are checked under their public name.
    assert "Answer" in public_names(importlib.import_module("ssbx_model.information"))


def test_a_missing_docstring_is_reported() -> None:
    """The checks themselves catch an undocumented class, method and function."""

    class Undocumented:
        def method(self) -> None:
            pass

        @property
        def value(self) -> int:
            return 1

    def function() -> None:
        pass

    assert _class_doc_missing(Undocumented)
    assert _method_doc_missing(Undocumented, "method", vars(Undocumented)["method"])
    assert _method_doc_missing(Undocumented, "value", vars(Undocumented)["value"])
    assert not _has_doc(function.__doc__)
