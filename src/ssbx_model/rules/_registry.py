"""The registry of rules by id, and the parameters each rule sees on a date."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable, Iterable, Mapping

from ssbx_model.errors import RuleError, UnknownRuleError
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules._decision import DecisionContext
from ssbx_model.rules._rule import Rule
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = [
    "BuiltinModules",
    "context",
    "get_rule",
    "register_rule",
    "rule_ids",
    "rules",
    "unregister_rule",
]

_REGISTRY: dict[str, Rule] = {}
_CONTEXTS: dict[tuple[str, dt.date], DecisionContext] = {}


class BuiltinModules:
    """Modules imported once, on first use: each registers what it defines when imported.

    The rule registry and the notice checks each keep one. The first call imports the
    modules; a call from the same thread while they are being imported (registering asks
    for them again) returns at once, and a call from another thread waits until they are
    imported, so that no caller sees a registry half filled. An import that fails is
    tried again, and raises again, at the next call.
    """

    __slots__ = ("_done", "_loading", "_lock", "_names")

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        # Read at the first call: the list may live in a module that imports this one.
        self._names = names
        self._done = False
        self._loading = False
        self._lock = threading.RLock()

    def ensure(self) -> None:
        """Import the modules, unless that has been done (or is under way in this thread)."""
        if self._done:
            return
        with self._lock:
            if self._done or self._loading:
                return
            self._loading = True
            try:
                for name in self._names():
                    importlib.import_module(name)
            finally:
                self._loading = False
            self._done = True


def _builtin_rule_modules() -> tuple[str, ...]:
    from ssbx_model.rules import BUILTIN_RULE_MODULES

    return BUILTIN_RULE_MODULES


_BUILTIN_RULES = BuiltinModules(_builtin_rule_modules)


def _forget(rule_id: str) -> None:
    for key in [k for k in _CONTEXTS if k[0] == rule_id]:
        del _CONTEXTS[key]


def register_rule(rule: Rule, *, replace: bool = False) -> Rule:
    """Register ``rule`` under its id, so that :func:`evaluate` and the CLI find it.

    This is how a vendor adds a target group (e.g. newly arrived immigrants for INUK)
    without editing the library. Every parameter the rule names must exist (add your own
    with :func:`ssbx_model.rules.parameters.register_file` first).

    Raises:
        RuleError: if a rule with that id is registered already (pass ``replace=True`` to
            replace it on purpose), the id is not lower-case words joined by ``-``, or
            the rule names an unknown parameter or has no citation.
    """
    rule_id = rule.id
    if not rule_id or rule_id != rule_id.strip().lower() or " " in rule_id:
        raise RuleError(f"rule id {rule_id!r} must be lower-case words joined by '-'")
    if not rule.citation.strip() or not rule.source_text.strip():
        raise RuleError(f"rule {rule_id!r} needs a citation and its quoted source text")
    known = _parameters.default()
    for name in rule.parameters:
        known.get(name)  # raises RuleError naming the unknown parameter
    if rule_id in _REGISTRY and not replace:
        raise RuleError(f"a rule with id {rule_id!r} is registered already")
    _REGISTRY[rule_id] = rule
    _forget(rule_id)
    return rule


def unregister_rule(rule_id: str) -> None:
    """Remove a registered rule (for tests and for vendors replacing a rule).

    Raises:
        UnknownRuleError: if no rule has that id.
    """
    get_rule(rule_id)
    del _REGISTRY[rule_id]
    _forget(rule_id)


def get_rule(rule_id: str) -> Rule:
    """The rule registered under ``rule_id``.

    Raises:
        UnknownRuleError: listing the known ids.
    """
    _BUILTIN_RULES.ensure()
    try:
        return _REGISTRY[rule_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownRuleError(f"unknown rule {rule_id!r}; known rules: {known}") from None


def rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by id."""
    _BUILTIN_RULES.ensure()
    return tuple(_REGISTRY[k] for k in sorted(_REGISTRY))


def rule_ids() -> tuple[str, ...]:
    """Every registered rule id, sorted."""
    _BUILTIN_RULES.ensure()
    return tuple(sorted(_REGISTRY))


def context(rule: Rule, on: dt.date, overrides: Mapping[str, Scalar] | None) -> DecisionContext:
    """The context of ``rule``'s decisions on ``on``: its parameters in force (a
    :class:`ParameterView`), overrides applied; cached per (rule, date) without them."""
    if overrides:
        view = _parameters.default().view(rule.parameters, on, overrides)
        return DecisionContext(rule.id, rule.version, on, view, rule)
    key = (rule.id, on)
    found = _CONTEXTS.get(key)
    if found is None or found.rule is not rule:
        if len(_CONTEXTS) > 50_000:
            _CONTEXTS.clear()
        view = _parameters.default().view(rule.parameters, on)
        found = _CONTEXTS[key] = DecisionContext(rule.id, rule.version, on, view, rule)
    return found


def view(context: DecisionContext) -> ParameterView:
    """The parameter view of a context the registry made."""
    params = context.parameters
    assert isinstance(params, ParameterView)
    return params
