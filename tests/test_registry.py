"""The adapter registry: entry points, explicit registration, the built-in memory adapter."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ssbx_model.errors import AdapterNotFound
from ssbx_model.information import InformationSet
from ssbx_model.memory import MemoryCaseStore
from ssbx_model.ports import (
    AuditLog,
    CaseStore,
    FetchRequest,
    InformationSource,
    ReportSink,
    Requester,
)
from ssbx_model.purpose import Purpose, Role
from ssbx_model.registry import (
    GROUP,
    MemoryAdapters,
    available_adapters,
    load_adapter,
    register_adapter,
    unregister_adapter,
)
from ssbx_model.testing.conformance import sample_cases

SECRET = "hunter2-db-password"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake distribution on sys.path declaring three adapters (one good, two broken)."""
    dist = tmp_path / "ssbx_adapter_fake-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ssbx-adapter-fake\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            f"""\
            [{GROUP}]
            fake = fake_ssbx_adapter:create
            broken = fake_ssbx_missing_module:create
            raising = fake_ssbx_raising:create
            not-callable = fake_ssbx_adapter:NOT_A_FACTORY
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "fake_ssbx_adapter.py").write_text(
        textwrap.dedent(
            """\
            from ssbx_model.memory import MemoryCaseStore

            NOT_A_FACTORY = 42

            def create(**options):
                store = MemoryCaseStore()
                store.options = options
                return store
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "fake_ssbx_raising.py").write_text(
        f'raise ImportError("cannot load libpq with password {SECRET}")\n', encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.fixture
def clean_registry() -> Iterator[None]:
    yield
    for name in ("mine", "fake"):
        unregister_adapter(name)


def test_memory_is_built_in_and_builds_every_port() -> None:
    assert "memory" in available_adapters()
    adapters = load_adapter("memory", cases=sample_cases())
    assert isinstance(adapters, MemoryAdapters)
    assert isinstance(adapters.store, CaseStore)
    assert isinstance(adapters.sink, ReportSink)
    assert isinstance(adapters.audit, AuditLog)
    assert isinstance(adapters.source, InformationSource)
    person = sample_cases()[1].person
    case = adapters.source.fetch(
        FetchRequest(
            person=person,
            sets=frozenset({InformationSet.PERMITS}),
            purpose=Purpose.SOCIAL_ASSISTANCE,
            on=dt.date(2024, 3, 4),
            requester=Requester("u", Role.SOCIAL_WORKER, "1287"),
        )
    )
    assert case.permits == sample_cases()[1].permits


def test_the_memory_adapter_refuses_options_it_does_not_know() -> None:
    with pytest.raises(TypeError, match="url"):
        load_adapter("memory", url="sqlite://")


def test_an_unknown_name_says_where_it_looked_and_what_exists() -> None:
    with pytest.raises(AdapterNotFound) as caught:
        load_adapter("nosuch", password=SECRET)
    message = str(caught.value)
    assert "'nosuch'" in message
    assert GROUP in message
    assert "memory" in message
    assert SECRET not in message


def test_an_installed_entry_point_is_discovered_and_called_with_options(installed: Path) -> None:
    assert {"fake", "broken", "raising", "not-callable", "memory"} <= set(available_adapters())
    store = load_adapter("fake", url="sqlite:///x.db")
    assert isinstance(store, MemoryCaseStore)
    assert store.options == {"url": "sqlite:///x.db"}  # type: ignore[attr-defined]


def test_an_entry_point_whose_module_is_missing_names_the_import_error(installed: Path) -> None:
    with pytest.raises(AdapterNotFound) as caught:
        load_adapter("broken", password=SECRET)
    message = str(caught.value)
    assert "'broken'" in message
    assert GROUP in message
    assert "ModuleNotFoundError" in message
    assert SECRET not in message


def test_an_entry_point_failing_to_import_names_only_the_error_type(installed: Path) -> None:
    with pytest.raises(AdapterNotFound) as caught:
        load_adapter("raising")
    message = str(caught.value)
    assert "ImportError" in message
    assert SECRET not in message
    assert "libpq" not in message


def test_an_entry_point_that_is_not_callable_is_not_an_adapter(installed: Path) -> None:
    with pytest.raises(AdapterNotFound, match="not a factory"):
        load_adapter("not-callable")


def test_explicit_registration_wins_over_entry_points(
    installed: Path, clean_registry: None
) -> None:
    made: list[dict[str, Any]] = []

    def factory(**options: Any) -> str:
        made.append(options)
        return "mine"

    register_adapter("fake", factory)
    assert load_adapter("fake", a=1) == "mine"
    assert made == [{"a": 1}]
    unregister_adapter("fake")
    assert isinstance(load_adapter("fake"), MemoryCaseStore)


def test_registering_a_name_twice_needs_replace(clean_registry: None) -> None:
    register_adapter("mine", lambda: 1)
    assert "mine" in available_adapters()
    with pytest.raises(ValueError, match="already registered"):
        register_adapter("mine", lambda: 2)
    register_adapter("mine", lambda: 3, replace=True)
    assert load_adapter("mine") == 3


@pytest.mark.parametrize("name", ["", " padded ", "   "])
def test_names_must_be_clean(name: str) -> None:
    with pytest.raises(ValueError, match="adapter name"):
        register_adapter(name, lambda: 1)


def test_a_factory_must_be_callable(clean_registry: None) -> None:
    with pytest.raises(ValueError, match="callable"):
        register_adapter("mine", 42)  # type: ignore[arg-type]
