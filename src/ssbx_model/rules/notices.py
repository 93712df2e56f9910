"""Notices: what a case needs attention for on a date, by when, and why.

A rule answers "is this person in the group"; a **notice** answers "what should the
caseworker do about this case, by which date, and on what authority": a deadline missed
or coming up (the KAA first contact within one working day), or a step the sources call
for (a new applicant category, set in consultation, when a youth in category 15 starts an
AF programme). Each notice carries its date, its Swedish and English text built from the
recorded dates and the parameters in force, and its citation.

Call :func:`find_notices` for a case on a date::

    from datetime import date
    from ssbx_model.rules.notices import find_notices

    found = find_notices(case, date(2024, 9, 3))
    for notice in found.notices:
        notice.code, notice.kind, notice.date, notice.message_sv, notice.citation
    found.missing        # information sets that kept a check from being made

Like rules, notice checks are pure functions of (case, date, parameters): none reads the
wall clock, facts dated after the reference date are not yet known, and parameters can
be overridden for a what-if (``find_notices(case, on, {"kaa.first_contact_working_days":
2})``). A check that cannot be made because an information set is not requested,
unavailable or withheld reports why in :attr:`CaseNotices.unchecked` and names the set in
:attr:`CaseNotices.missing`; "absent" and "not found" are answers (nothing to notice).

Built-in checks (ids are public API): ``kaa-first-contact``
(:mod:`ssbx_model.rules.kaa_first_contact`) and ``skat15-transition``
(:mod:`ssbx_model.rules.skat15_transition`). A vendor adds its own with
:func:`register_notice_check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeAlias

import attrs

from ssbx_model.case import Case
from ssbx_model.errors import RuleError, UnknownRuleError
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules._registry import BuiltinModules
from ssbx_model.rules.authoring import (
    Fact,
    Reason,
    Unknown,
)
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = [
    "BUILTIN_NOTICE_MODULES",
    "CaseNotice",
    "CaseNotices",
    "NoticeCheck",
    "NoticeFinder",
    "NoticeKind",
    "find_notices",
    "get_notice_check",
    "notice_checks",
    "register_notice_check",
    "unregister_notice_check",
]

#: The modules of the built-in notice checks; each registers its check when imported.
BUILTIN_NOTICE_MODULES: tuple[str, ...] = (
    "ssbx_model.rules.kaa_first_contact",
    "ssbx_model.rules.skat15_transition",
    "ssbx_model.rules.af_callback",
)


class NoticeKind(StrEnum):
    """What a notice asks of the caseworker."""

    #: A deadline passed without the step, or the step was taken after it.
    MISSED = "missed"
    #: A step is due by a date that has not passed.
    DUE = "due"
    #: A step the sources call for now (no deadline stated).
    ACTION = "action"


def working_days_sv(n: int) -> str:
    """``n`` working days in Swedish words, for a notice's text ("1 arbetsdag")."""
    return f"{n} arbetsdag" if n == 1 else f"{n} arbetsdagar"


def working_days_en(n: int) -> str:
    """``n`` working days in English words, for a notice's text ("1 working day")."""
    return f"{n} working day" if n == 1 else f"{n} working days"


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # a period as "start..end"; identity numbers print masked


@attrs.frozen
class CaseNotice:
    """One notice about a case: what, by (or since) when, why, and on what authority.

    ``code`` is stable public API (``"kaa.first-contact.missed"``); ``check`` is the id
    of the check that found it; ``date`` is the day it is about (the deadline of a
    ``missed`` or ``due`` notice, the day the step became due for an ``action``);
    ``facts`` are the (name, value) pairs it used (dates, codes, counts; never an
    identity number).
    """

    code: str
    check: str
    kind: NoticeKind
    date: dt.date
    message_sv: str
    message_en: str
    citation: str
    facts: tuple[Fact, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The notice as a JSON-ready dict (dates as ISO text)."""
        return {
            "code": self.code,
            "check": self.check,
            "kind": self.kind.value,
            "date": self.date.isoformat(),
            "message_sv": self.message_sv,
            "message_en": self.message_en,
            "citation": self.citation,
            "facts": [[name, _json_value(value)] for name, value in self.facts],
        }


#: What a check's ``find`` returns: the notices found (possibly none), or an
#: :class:`~ssbx_model.rules.engine.Unknown` when a needed set is not decided.
NoticeFinder: TypeAlias = Callable[[Case, dt.date, ParameterView], Sequence[CaseNotice] | Unknown]


@attrs.frozen
class NoticeCheck:
    """A registered notice check: its id, quoted source, parameters, sets and finder.

    ``find(case, on, params)`` must be pure (no clock, files or network) and read only
    the parameters it names and the sets in ``needs``.
    """

    id: str
    title_en: str
    title_sv: str
    source_text: str
    citation: str
    parameters: tuple[str, ...]
    needs: tuple[InformationSet, ...]
    find: NoticeFinder = attrs.field(repr=False)


@attrs.frozen
class CaseNotices:
    """The notices of one case on one date, and the checks that could not be made.

    ``subject`` is the person, masked; ``unchecked`` holds one reason per check that
    could not be made (code ``<check>.missing.<set>``) and ``missing`` the information
    sets that would let it be made.
    """

    on: dt.date
    subject: str
    notices: tuple[CaseNotice, ...]
    unchecked: tuple[Reason, ...] = ()
    missing: tuple[InformationSet, ...] = ()

    def codes(self) -> tuple[str, ...]:
        """The codes of the notices, in order."""
        return tuple(n.code for n in self.notices)

    def to_json(self) -> dict[str, Any]:
        """The notices as a JSON-ready dict."""
        return {
            "on": self.on.isoformat(),
            "subject": self.subject,
            "notices": [n.to_json() for n in self.notices],
            "unchecked": [r.to_json() for r in self.unchecked],
            "missing": [m.value for m in self.missing],
        }


_CHECKS: dict[str, NoticeCheck] = {}
_BUILTIN_CHECKS = BuiltinModules(lambda: BUILTIN_NOTICE_MODULES)


def register_notice_check(check: NoticeCheck, *, replace: bool = False) -> NoticeCheck:
    """Register ``check`` under its id, so that :func:`find_notices` runs it.

    Raises:
        RuleError: if a check with that id is registered already (pass ``replace=True``),
            the id is not lower-case words joined by ``-``, the check has no citation or
            source text, or it names an unknown parameter.
    """
    check_id = check.id
    if not check_id or check_id != check_id.strip().lower() or " " in check_id:
        raise RuleError(f"notice check id {check_id!r} must be lower-case words joined by '-'")
    if not check.citation.strip() or not check.source_text.strip():
        raise RuleError(f"notice check {check_id!r} needs a citation and its quoted source text")
    known = _parameters.default()
    for name in check.parameters:
        known.get(name)  # raises RuleError naming the unknown parameter
    if check_id in _CHECKS and not replace:
        raise RuleError(f"a notice check with id {check_id!r} is registered already")
    _CHECKS[check_id] = check
    return check


def unregister_notice_check(check_id: str) -> None:
    """Remove a registered notice check (for tests and for vendors replacing one).

    Raises:
        UnknownRuleError: if no check has that id.
    """
    get_notice_check(check_id)
    del _CHECKS[check_id]


def get_notice_check(check_id: str) -> NoticeCheck:
    """The notice check registered under ``check_id``.

    Raises:
        UnknownRuleError: listing the known ids.
    """
    _BUILTIN_CHECKS.ensure()
    try:
        return _CHECKS[check_id]
    except KeyError:
        known = ", ".join(sorted(_CHECKS))
        raise UnknownRuleError(
            f"unknown notice check {check_id!r}; known checks: {known}"
        ) from None


def notice_checks() -> tuple[NoticeCheck, ...]:
    """Every registered notice check, sorted by id."""
    _BUILTIN_CHECKS.ensure()
    return tuple(_CHECKS[k] for k in sorted(_CHECKS))


def find_notices(
    case: Case,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
    *,
    checks: Iterable[str] | None = None,
) -> CaseNotices:
    """The notices of ``case`` on the reference date ``on``.

    ``parameters`` overrides parameter values for a what-if, as in
    :func:`~ssbx_model.rules.evaluate`; ``checks`` limits the run to those check ids
    (every registered check by default). Notices are sorted by date, then code.

    Raises:
        UnknownRuleError: if ``checks`` names an unknown check.
        RuleError: if the date is not a :class:`datetime.date`, an override names an
            unknown parameter or has the wrong type, or a parameter has no value on ``on``.
    """
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise RuleError(f"the reference date must be a datetime.date, not {type(on).__name__}")
    selected = notice_checks() if checks is None else tuple(get_notice_check(c) for c in checks)
    known = _parameters.default()
    if parameters:
        known.check_overrides(parameters)
    found: list[CaseNotice] = []
    unchecked: list[Reason] = []
    missing: list[InformationSet] = []
    for check in selected:
        result = check.find(case, on, known.view(check.parameters, on, parameters))
        if isinstance(result, Unknown):
            unchecked.append(result.reason)
            missing.extend(m for m in result.missing if m not in missing)
            continue
        found.extend(result)
    found.sort(key=lambda n: (n.date, n.code, n.check))
    return CaseNotices(on, str(case.person), tuple(found), tuple(unchecked), tuple(missing))
