"""Helpers the rule modules not yet in the declared-condition form still use.

Each goes when the last rule using it is converted (issue #16).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from ssbx_model.calendar import age_on as _calendar_age_on
from ssbx_model.case import Case
from ssbx_model.identity import PersonId
from ssbx_model.information._base import Answer
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._conditions import DECIDED, ConditionResult, Predicate
from ssbx_model.rules._reasons import Fact, Outcome, Reason
from ssbx_model.rules.parameters import ParameterView

#: What a rule's former ``decide`` returned (kept until its last user is converted).
QuickVerdict: TypeAlias = tuple[Outcome, tuple[Reason, ...] | None, tuple[InformationSet, ...]]


def is_decided(answer: Answer[Any]) -> bool:
    """True when the answer settles the facts (known, absent or not found)."""
    return answer.status in DECIDED


def age_on(person: PersonId, on: dt.date) -> int:
    """The person's age in completed years on ``on`` (the calendar's :func:`age_on`)."""
    return _calendar_age_on(person.birth_date, on)


_YMDS: dict[dt.date, int] = {}


def _ymd(on: dt.date) -> int:
    """``on`` as the number YYYYMMDD (cached)."""
    number = _YMDS.get(on)
    if number is None:
        if len(_YMDS) > 4096:
            _YMDS.clear()
        number = _YMDS[on] = on.year * 10000 + on.month * 100 + on.day
    return number


def age_band(
    min_age: Callable[[ParameterView], int | None],
    max_age: Callable[[ParameterView], int | None],
    fails: Callable[[int, dt.date, ParameterView], Reason],
    *,
    in_year: bool = False,
    holds: Callable[[ParameterView], Reason] | None = None,
) -> Predicate:
    """A predicate for "aged ``min_age`` to ``max_age`` (inclusive) on the date".

    ``min_age``/``max_age`` read the bounds from the parameters (None: no bound);
    ``fails(age, on, params)`` builds the failing reason. The age is the age in completed
    years on the date (29 February births age on 1 March), or with ``in_year=True`` the
    age reached during the date's calendar year. The predicate returns None when the age
    is within the band (or, with ``holds``, the reason ``holds(params)`` builds, so that its
    text can state the band in force), else the failing reason. The bounds are computed once per
    (parameters, date) as bounds on ``birth_ymd``, and each failing reason once per age,
    so that a run over many cases compares one number per case.
    """
    # (params, on, reference number, lowest birth_ymd excluded, highest included,
    # failing reasons by age, holds reason); replaced as a whole, so threads can share it.
    state: tuple[Any, ...] = (None, None, 0, 0, 0, {}, None)

    def predicate(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
        nonlocal state
        current = state
        if current[0] is not params or current[1] is not on:
            # With in_year, every birth date of a year counts as its 1 January.
            today = on.year * 10000 + 9999 if in_year else _ymd(on)
            low, high = min_age(params), max_age(params)
            current = state = (
                params,
                on,
                today,
                -1 if high is None else today - (high + 1) * 10000,
                99_999_999 if low is None else today - low * 10000,
                {},
                None if holds is None else holds(params),
            )
        born = case.person.birth_ymd
        if current[3] < born <= current[4]:
            in_band: Reason | None = current[6]
            return in_band
        age = (current[2] - born) // 10000
        failed: dict[int, Reason] = current[5]
        reason = failed.get(age)
        if reason is None:
            reason = failed[age] = fails(age, on, params)
        return reason

    return predicate


def age_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    """Trace facts of an age condition: the person's age on ``on`` (for :class:`Condition`'s
    ``facts``)."""
    return (("age", age_on(case.person, on)),)


def any_covers(items: Iterable[Any], on: dt.date) -> Any:
    """The first item whose ``period`` contains ``on``, or None."""
    for item in items:
        period = item.period
        if period.start <= on and (period.end is None or on <= period.end):
            return item
    return None


__all__ = ["QuickVerdict", "age_band", "age_facts", "age_on", "any_covers", "is_decided"]
