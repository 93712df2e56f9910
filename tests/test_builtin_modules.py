"""The loader of the built-in rule and notice modules: once, re-entrant, and a failure is
never forgotten."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ssbx_model.rules import BUILTIN_RULE_MODULES, notices
from ssbx_model.rules._registry import BuiltinModules


def test_the_modules_are_imported_at_the_first_call_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ssbx_probe_builtin.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "ssbx_probe_builtin", raising=False)
    asked: list[int] = []

    def names() -> list[str]:
        asked.append(1)
        return ["ssbx_probe_builtin"]

    loader = BuiltinModules(names)
    assert asked == []  # nothing is read when the loader is made
    assert "ssbx_probe_builtin" not in sys.modules
    loader.ensure()
    assert "ssbx_probe_builtin" in sys.modules
    loader.ensure()
    assert asked == [1]
    del sys.modules["ssbx_probe_builtin"]


def test_another_thread_waits_until_the_modules_are_imported() -> None:
    # Without waiting, a service's second request at start-up would look up a rule in
    # a registry still being filled (UnknownRuleError).
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    def names() -> list[str]:
        started.set()
        release.wait()
        order.append("imported")
        return ["json"]

    loader = BuiltinModules(names)
    first = threading.Thread(target=loader.ensure, daemon=True)
    first.start()
    started.wait(timeout=10)
    second = threading.Thread(target=lambda: (loader.ensure(), order.append("second")), daemon=True)
    second.start()
    try:
        second.join(timeout=0.2)
        waited = second.is_alive()  # still waiting for the first thread's imports
    finally:  # never leave a thread blocked, whatever was found
        release.set()
        first.join(timeout=10)
        second.join(timeout=10)
    assert waited
    assert order == ["imported", "second"]


def test_a_call_while_the_modules_are_imported_does_nothing() -> None:
    # A built-in module registers its rule when imported, and registering asks the
    # loader again: that inner call must return, not import again or recurse.
    inner: list[str] = []

    def names() -> list[str]:
        loader.ensure()
        inner.append("returned")
        return ["json"]

    loader = BuiltinModules(names)
    loader.ensure()
    assert inner == ["returned"]


def test_a_failed_import_raises_again_at_the_next_call() -> None:
    loader = BuiltinModules(lambda: ["ssbx_model.no_such_module"])
    with pytest.raises(ModuleNotFoundError):
        loader.ensure()
    with pytest.raises(ModuleNotFoundError):  # not silently treated as loaded
        loader.ensure()


def test_a_fresh_interpreter_finds_every_builtin_rule_and_notice_check() -> None:
    # In this process the modules are imported already; a fresh one starts empty.
    program = (
        "from ssbx_model.rules import get_rule, notices, rules\n"
        "print(len(rules()), len(notices.notice_checks()), get_rule('kaa').id)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    found_rules, found_checks, kaa = done.stdout.split()
    # Each built-in module registers at least one rule or check when first asked for.
    assert int(found_rules) >= len(BUILTIN_RULE_MODULES)
    assert int(found_checks) >= len(notices.BUILTIN_NOTICE_MODULES)
    assert kaa == "kaa"
