"""How condition results combine into a verdict: Kleene's three-valued AND, in one place.

:func:`combine` is the one combination: every rule's conditions, traced or not, in
:func:`~ssbx_model.rules.evaluate` or :func:`~ssbx_model.rules.evaluate_many`, go
through it. It reads the results lazily, in order, and stops reading at the first
failure when the rule's :class:`Mode` is "first failure decides": an engine that hands
it results computed on demand therefore evaluates no condition after that failure (the
early exit is the function's own), and one that hands it every result (for a trace)
gets the same verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._reasons import Outcome, Reason, ReasonKind, Unknown, Verdict

__all__ = ["Mode", "combine", "combine_any"]


class Mode(StrEnum):
    """How a rule reports failures."""

    #: The first failing condition (in the rule's order) decides and is the reason given,
    #: with the warnings met before it; later conditions do not change the verdict.
    FIRST_FAILURE = "first-failure"
    #: Every failing condition is a reason, with every warning.
    EVERY_FAILURE = "every-failure"


# Enum members read once (reading one from its class costs more than a global).
_HOLDS = ReasonKind.HOLDS
_FAILS = ReasonKind.FAILS
_WARNING = ReasonKind.WARNING
_ELIGIBLE = Outcome.ELIGIBLE
_NOT_ELIGIBLE = Outcome.NOT_ELIGIBLE
_UNKNOWN = Outcome.UNKNOWN
_FIRST_FAILURE = Mode.FIRST_FAILURE


def combine(results: Iterable[Reason | Unknown], mode: Mode) -> Verdict:
    """The verdict of conditions whose results are ``results``, one per condition in order.

    Each result is a :class:`Reason` (of kind holds, fails or warning) or an
    :class:`Unknown`. In Kleene's logic one failure decides ``not_eligible`` whatever is
    unknown about the others; otherwise an open condition makes the verdict ``unknown``
    (its reasons are the open ones', its missing sets their union in order); otherwise it
    is ``eligible`` with every condition's reason in order. Warnings are reported in
    every outcome, after the failures or the open reasons. With
    :attr:`Mode.FIRST_FAILURE` the first failure ends the reading of ``results``.
    """
    first_decides = mode is _FIRST_FAILURE
    settled: list[Reason] = []  # holds and warnings, in order (the eligible reasons)
    fails: list[Reason] | None = None
    opened: list[Unknown] | None = None
    warned = False
    for result in results:
        # A Reason's second field is its kind; an Unknown's is its tuple of missing sets.
        kind = result[1]
        if kind is _HOLDS:
            settled.append(result)  # type: ignore[arg-type]
        elif kind is _FAILS:
            if first_decides:
                if warned:
                    return _NOT_ELIGIBLE, (result, *_warnings(settled)), ()  # type: ignore[arg-type]
                return _NOT_ELIGIBLE, (result,), ()  # type: ignore[return-value]
            if fails is None:
                fails = [result]  # type: ignore[list-item]
            else:
                fails.append(result)  # type: ignore[arg-type]
        elif kind is _WARNING:
            warned = True
            settled.append(result)  # type: ignore[arg-type]
        elif opened is None:
            opened = [result]  # type: ignore[list-item]
        else:
            opened.append(result)  # type: ignore[arg-type]
    if fails is not None:
        if warned:
            fails.extend(_warnings(settled))
        return _NOT_ELIGIBLE, tuple(fails), ()
    if opened is not None:
        missing: tuple[InformationSet, ...] = opened[0][1]
        for other in opened[1:]:
            for which in other[1]:
                if which not in missing:
                    missing = (*missing, which)
        reasons = [u[0] for u in opened]
        if warned:
            reasons.extend(_warnings(settled))
        return _UNKNOWN, tuple(reasons), missing
    return _ELIGIBLE, tuple(settled), ()


def _warnings(reasons: list[Reason]) -> list[Reason]:
    return [r for r in reasons if r[1] is _WARNING]


def combine_any(
    verdicts: Iterable[tuple[Outcome, object, tuple[InformationSet, ...]]],
) -> tuple[Outcome, tuple[InformationSet, ...]]:
    """Kleene's three-valued OR of verdicts (of the items of a case), read lazily in order:
    the first ``eligible`` one decides ``eligible`` (the reading stops there); otherwise
    ``unknown`` when one is unknown (missing: the union of their missing sets, in order);
    otherwise ``not_eligible`` (also when there are none). Returns the outcome and the
    missing sets."""
    opened: tuple[InformationSet, ...] | None = None
    for outcome, _, missing in verdicts:
        if outcome is _ELIGIBLE:
            return _ELIGIBLE, ()
        if outcome is _UNKNOWN:
            if opened is None:
                opened = missing
            else:
                opened += tuple(m for m in missing if m not in opened)
    if opened is None:
        return _NOT_ELIGIBLE, ()
    return _UNKNOWN, opened
