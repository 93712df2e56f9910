"""Adapters by name: the entry-point group ``ssbx_model.adapters``, plus explicit ones.

Discovery is a convenience, in the manner of SQLAlchemy's dialect registry: an adapter
distribution declares, in its ``pyproject.toml``::

    [project.entry-points."ssbx_model.adapters"]
    sql = "ssbx_sql:create_adapter"

and ``load_adapter("sql", url="sqlite:///cases.db")`` imports ``ssbx_sql``, calls
``create_adapter(url=...)`` and returns what it built. Passing adapter instances
explicitly (like an httpx transport) needs no registry at all; :func:`register_adapter`
names a factory at run time (a vendor's own adapter, or a test double) and takes
precedence over entry points. ``memory`` is built in: the in-memory adapters of
:mod:`ssbx_model.memory`.

A name nobody provides, or an entry point that fails to import, raises
:class:`~ssbx_model.errors.AdapterNotFound` naming the group, the adapter and the kind of
failure. Options passed to the factory never appear in messages: they may hold secrets
(database passwords, keys).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any

import attrs

from ssbx_model.errors import AdapterNotFound

__all__ = [
    "GROUP",
    "MemoryAdapters",
    "available_adapters",
    "load_adapter",
    "register_adapter",
    "unregister_adapter",
]

#: The entry-point group adapters register under.
GROUP = "ssbx_model.adapters"

AdapterFactory = Callable[..., Any]

_lock = threading.Lock()
_registered: dict[str, AdapterFactory] = {}


@attrs.frozen
class MemoryAdapters:
    """The ``memory`` adapter: one in-memory implementation of every port, sharing nothing.

    ``source`` serves ``cases``; ``store`` is also the submission ledger.
    """

    source: Any
    async_source: Any
    store: Any
    sink: Any
    audit: Any


def _memory(**options: Any) -> MemoryAdapters:
    from ssbx_model.memory import (
        AsyncMemoryInformationSource,
        MemoryAuditLog,
        MemoryCaseStore,
        MemoryInformationSource,
        MemoryReportSink,
    )

    unknown = sorted(set(options) - {"cases", "clock"})
    if unknown:
        raise TypeError(f"the memory adapter takes cases= and clock=, not {', '.join(unknown)}")
    cases = tuple(options.get("cases", ()))
    sink = MemoryReportSink(clock=options["clock"]) if "clock" in options else MemoryReportSink()
    return MemoryAdapters(
        source=MemoryInformationSource(cases),
        async_source=AsyncMemoryInformationSource(cases),
        store=MemoryCaseStore(),
        sink=sink,
        audit=MemoryAuditLog(),
    )


_BUILTIN: Mapping[str, AdapterFactory] = {"memory": _memory}


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise ValueError("an adapter name is a non-empty string without surrounding spaces")
    return name


def register_adapter(name: str, factory: AdapterFactory, *, replace: bool = False) -> None:
    """Make ``factory`` loadable as ``name`` (it takes precedence over entry points).

    Raises:
        ValueError: when ``name`` is already registered and ``replace`` is false, or
            ``factory`` is not callable.
    """
    _check_name(name)
    if not callable(factory):
        raise ValueError(f"the factory of adapter {name!r} must be callable")
    with _lock:
        if name in _registered and not replace:
            raise ValueError(
                f"adapter {name!r} is already registered; pass replace=True to replace it"
            )
        _registered[name] = factory


def unregister_adapter(name: str) -> None:
    """Forget an adapter registered with :func:`register_adapter` (no error if absent)."""
    with _lock:
        _registered.pop(name, None)


def _entry_points() -> dict[str, metadata.EntryPoint]:
    found: dict[str, metadata.EntryPoint] = {}
    for entry in metadata.entry_points(group=GROUP):
        found.setdefault(entry.name, entry)
    return found


def available_adapters() -> list[str]:
    """Every adapter name that can be loaded: registered, installed and built in, sorted.

    Names are listed without importing the adapters.
    """
    with _lock:
        names = set(_registered)
    names.update(_entry_points())
    names.update(_BUILTIN)
    return sorted(names)


def _factory(name: str) -> AdapterFactory:
    with _lock:
        registered = _registered.get(name)
    if registered is not None:
        return registered
    entry = _entry_points().get(name)
    if entry is None:
        builtin = _BUILTIN.get(name)
        if builtin is not None:
            return builtin
        available = ", ".join(available_adapters())
        raise AdapterNotFound(
            f"no adapter named {name!r} in entry-point group {GROUP!r} (available: "
            f"{available}); install the distribution that provides it or call "
            "ssbx_model.registry.register_adapter"
        )
    try:
        loaded = entry.load()
    except Exception as exc:
        raise AdapterNotFound(
            f"adapter {name!r} of entry-point group {GROUP!r} failed to load "
            f"({type(exc).__name__} while importing {entry.value!r}); check that its "
            "distribution and dependencies are installed"
        ) from exc
    if not callable(loaded):
        raise AdapterNotFound(
            f"adapter {name!r} of entry-point group {GROUP!r} points at {entry.value!r}, "
            f"which is a {type(loaded).__name__}, not a factory"
        )
    factory: AdapterFactory = loaded
    return factory


def load_adapter(name: str, **options: Any) -> Any:
    """Build the adapter called ``name``: its factory called with ``options``.

    Raises:
        AdapterNotFound: when no adapter has that name, or its entry point fails to load
            or is not callable. Errors the factory itself raises (e.g. a bad option) pass
            through unchanged.
    """
    return _factory(_check_name(name))(**options)
