"""The pytest plugin (entry point ``pytest11``) that runs the adapter conformance suite.

Opt-in: nothing runs unless ``--ssbx-adapter=package.module:factory`` is given (the
option repeats, one adapter each). For every adapter the plugin:

1. imports the factory (``module:attribute``, the attribute may be dotted, e.g.
   ``my_adapter:Store.for_tests``);
2. calls it once per test, with ``cases=`` the conformance sample cases when its
   signature accepts a ``cases`` argument (so a source can be seeded with them);
3. uses what it returns: an adapter object, or a context manager yielding one (entered
   only when the object itself implements no port); at the end of the test the context
   manager is exited, or the adapter's ``close()`` is called when it has one;
4. runs the contract of every port the adapter implements
   (:func:`ssbx_model.testing.conformance.ports_of`).

The contract tests are collected from :mod:`ssbx_model.testing._suite` and show up as
``ssbx-conformance::TestCaseStore::test_...[package.module:factory]`` (select them with
``-k``, e.g. ``-k TestCaseStore``).
"""

from __future__ import annotations

import importlib
import inspect
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest

__all__ = ["AdapterSpec", "adapter_specs", "open_adapter", "parse_spec"]

_SPECS = pytest.StashKey[tuple["AdapterSpec", ...]]()

#: The node id the contract tests are collected under (``ssbx-conformance::TestCaseStore::...``).
_NODEID = "ssbx-conformance"


@attrs.frozen
class AdapterSpec:
    """One ``--ssbx-adapter`` value: the text given, the factory, and what it builds."""

    text: str
    factory: Callable[..., Any] = attrs.field(eq=False, repr=False)
    accepts_cases: bool
    ports: frozenset[str]

    def __str__(self) -> str:
        return self.text


def _load_factory(text: str) -> Callable[..., Any]:
    module_name, sep, attribute = text.partition(":")
    if not sep or not module_name or not attribute:
        raise pytest.UsageError(
            f"--ssbx-adapter={text!r}: expected 'package.module:factory' "
            "(a module path, a colon, and a callable in that module)"
        )
    try:
        target: Any = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if not _is_the_module_itself(exc, module_name):
            raise pytest.UsageError(_import_failure(text, module_name, exc)) from exc
        raise pytest.UsageError(
            f"--ssbx-adapter={text!r}: no module named {module_name!r} on the import path: "
            "install the adapter's distribution, or, for a module in the current folder, "
            "run `python -m pytest` (which puts the current folder on the path; a bare "
            "`pytest` does not)"
        ) from exc
    except Exception as exc:  # the module's own code failed: show that failure
        raise pytest.UsageError(_import_failure(text, module_name, exc)) from exc
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError as exc:
            raise pytest.UsageError(
                f"--ssbx-adapter={text!r}: module {module_name!r} has no attribute {attribute!r}"
            ) from exc
    if not callable(target):
        raise pytest.UsageError(f"--ssbx-adapter={text!r}: {attribute!r} is not callable")
    factory: Callable[..., Any] = target
    return factory


def _is_the_module_itself(exc: ModuleNotFoundError, module_name: str) -> bool:
    """True when the missing module is the one named (or a package above it), not one
    that the module's own code imports."""
    missing = exc.name or ""
    return missing == module_name or module_name.startswith(missing + ".")


def _import_failure(text: str, module_name: str, exc: BaseException) -> str:
    """The error raised while importing the module, where it was raised, and its line."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" at {exc.filename}:{exc.lineno}"
    elif frames:
        last = frames[-1]
        where = f" at {last.filename}:{last.lineno}" + (f": {last.line}" if last.line else "")
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"--ssbx-adapter={text!r}: importing module {module_name!r} failed{where}\n{detail}"


def _accepts_cases(factory: Callable[..., Any]) -> bool:
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return False
    return "cases" in signature.parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()
    )


@contextmanager
def open_adapter(
    factory: Callable[..., Any], *, accepts_cases: bool | None = None
) -> Iterator[Any]:
    """Build an adapter from ``factory`` as the plugin does, and clean it up afterwards."""
    from ssbx_model.testing.conformance import ports_of, sample_cases

    if accepts_cases is None:
        accepts_cases = _accepts_cases(factory)
    made = factory(cases=sample_cases()) if accepts_cases else factory()
    if isinstance(made, AbstractContextManager) and not ports_of(made):
        with made as adapter:
            yield adapter
        return
    try:
        yield made
    finally:
        close = getattr(made, "close", None)
        if callable(close):
            close()


def parse_spec(text: str) -> AdapterSpec:
    """Import the factory named by ``text`` and find the ports its adapter implements.

    Raises:
        pytest.UsageError: when the text is malformed, the module cannot be imported, the
            factory is missing, or the adapter implements no port.
    """
    from ssbx_model.testing.conformance import ports_of

    factory = _load_factory(text)
    accepts = _accepts_cases(factory)
    with open_adapter(factory, accepts_cases=accepts) as adapter:
        ports = ports_of(adapter)
    if not ports:
        raise pytest.UsageError(
            f"--ssbx-adapter={text!r}: the factory built a {type(adapter).__name__}, which "
            "implements none of the ssbx_model ports (InformationSource, "
            "AsyncInformationSource, CaseStore, SubmissionLedger, ReportSink, AuditSink)"
        )
    return AdapterSpec(text=text, factory=factory, accepts_cases=accepts, ports=ports)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--ssbx-adapter``."""
    group = parser.getgroup("ssbx", "ssbx_model adapter conformance")
    group.addoption(
        "--ssbx-adapter",
        action="append",
        default=[],
        metavar="MODULE:FACTORY",
        help="run the ssbx_model conformance suite against the adapter this factory builds",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Import every ``--ssbx-adapter`` factory and probe its ports (usage errors early)."""
    texts: list[str] = config.getoption("ssbx_adapter") or []
    config.stash[_SPECS] = tuple(parse_spec(text) for text in dict.fromkeys(texts))


def adapter_specs(config: pytest.Config) -> tuple[AdapterSpec, ...]:
    """The adapters given with ``--ssbx-adapter`` (empty when the option is not used)."""
    return config.stash.get(_SPECS, ())


def _items(collector: pytest.Collector) -> Iterator[pytest.Item]:
    for node in collector.collect():
        if isinstance(node, pytest.Item):
            yield node
        else:
            assert isinstance(node, pytest.Collector)
            yield from _items(node)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add the contract tests of every port the given adapters implement."""
    specs = adapter_specs(config)
    if not specs:
        return
    from ssbx_model.testing import _suite

    wanted = set().union(*(spec.ports for spec in specs))
    module = pytest.Module.from_parent(session, path=Path(_suite.__file__), nodeid=_NODEID)
    for node in module.collect():
        port = getattr(getattr(node, "obj", None), "port", None)
        if isinstance(node, pytest.Class) and port in wanted:
            items.extend(_items(node))
