"""Target-group rules: explainable, cited, dated code that places a person in a group.

Evaluate a rule by its public id::

    from ssbx_model.rules import evaluate
    decision = evaluate(case, "skat15", on=date(2024, 5, 1))
    decision.outcome, decision.reasons, decision.missing

Built-in rule ids (public API, also used by the ``ssbx`` command line): ``consent``,
``skat15``, ``kaa``, ``uvas``, ``inuk``, ``kaa-reconcile``, ``assign-intervention``,
``extratjanst``, ``lonebidrag``, ``sius``, ``employer-check``. A vendor adds its own
target group with :func:`register_rule` (see the how-to "Add a target group").

Notices (what a case needs attention for on a date: a missed or coming deadline, a step
to take) come from :func:`find_notices` (:mod:`ssbx_model.rules.notices`).
"""

from __future__ import annotations

from ssbx_model.rules.authoring import Condition, ConditionRule
from ssbx_model.rules.engine import (
    TRACE_VERSION,
    Decision,
    Outcome,
    Reason,
    ReasonKind,
    Rule,
    TraceStep,
    Unknown,
    evaluate,
    evaluate_many,
    get_rule,
    register_rule,
    rule_ids,
    rules,
    unregister_rule,
)
from ssbx_model.rules.notices import CaseNotice, CaseNotices, NoticeKind, find_notices

__all__ = [
    "BUILTIN_RULE_MODULES",
    "TRACE_VERSION",
    "CaseNotice",
    "CaseNotices",
    "Condition",
    "ConditionRule",
    "Decision",
    "NoticeKind",
    "Outcome",
    "Reason",
    "ReasonKind",
    "Rule",
    "TraceStep",
    "Unknown",
    "evaluate",
    "evaluate_many",
    "find_notices",
    "get_rule",
    "register_rule",
    "rule_ids",
    "rules",
    "unregister_rule",
]

#: The modules of the built-in rules; each registers its rule(s) when imported.
BUILTIN_RULE_MODULES: tuple[str, ...] = (
    "ssbx_model.rules.consent",
    "ssbx_model.rules.skat15",
    "ssbx_model.rules.kaa",
    "ssbx_model.rules.uvas",
    "ssbx_model.rules.inuk",
    "ssbx_model.rules.kaa_reconcile",
    "ssbx_model.rules.assign_intervention",
    "ssbx_model.rules.extratjanst",
    "ssbx_model.rules.lonebidrag",
    "ssbx_model.rules.sius",
    "ssbx_model.rules.employer_check",
)
