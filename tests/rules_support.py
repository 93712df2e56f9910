"""A helper for the rule tests: a ConditionRule rebuilt with some arguments changed."""

from __future__ import annotations

from typing import Any

from ssbx_model.rules import ConditionRule

_ARGUMENTS = ("id", "version", "title_en", "title_sv", "source_text", "citation")
_MORE = ("params", "parameters", "needs", "conditions", "mode")


def rebuilt(
    rule: ConditionRule, cls: type[ConditionRule] = ConditionRule, **changes: Any
) -> ConditionRule:
    """``cls`` built with ``rule``'s arguments, except those given in ``changes``."""
    arguments = {name: getattr(rule, name) for name in (*_ARGUMENTS, *_MORE)}
    if getattr(rule, "scope", None) is not None:  # a ScopedRule keeps its scope
        arguments["scope"] = rule.scope
    return cls(**(arguments | changes))
