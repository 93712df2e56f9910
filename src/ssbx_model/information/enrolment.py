"""Enrolment at Arbetsförmedlingen (inskrivning) and deregistration (utskrivning).

Provider: Arbetsförmedlingen. Source: SSBTX report part 2 (SKR 2022-03-11), Bilaga 1,
rows "Inskrivningsdatum" and "Utskrivning AF" ("Datum inskrivning, Datum utskrivning";
"Utskrivning: Datum, Orsak"), and the labour-market unit's needs ("inskrivning med
omfattning och typ", history).
"""

from __future__ import annotations

import datetime as dt

import attrs

from ssbx_model.calendar import Extent, Period
from ssbx_model.codes import APPLICANT_CATEGORY, DEREGISTRATION_REASON
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_closed,
    check_code,
    check_nonblank,
    check_order,
    check_types,
    raise_problems,
)

__all__ = ["ApplicantCategorySpell", "Deregistration", "Enrolment", "PastEnrolment"]


@attrs.frozen(slots=True)
class Deregistration:
    """A deregistration from AF (utskrivning): when and why.

    ``reason`` is a code of the ``deregistration-reason`` list (an open list: the report
    names repeated warnings, not answering the request about continued registration, at
    own request, and "a list of reasons").
    """

    on: dt.date
    reason: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "reason", DEREGISTRATION_REASON, self.reason)
        check_nonblank(problems, "note", self.note)
        raise_problems(problems)


@attrs.frozen(slots=True)
class ApplicantCategorySpell:
    """A stretch of an enrolment with one applicant category, type and extent.

    Sökandekategori (a code AF owns; 15 = kommuninsats), enrolment type (e.g.
    "öppet arbetslös") and extent (omfattning, e.g. 50 %).
    """

    applicant_category: str
    enrolment_type: str
    extent: Extent
    period: Period

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_code(problems, "applicant_category", APPLICANT_CATEGORY, self.applicant_category)
        check_nonblank(problems, "enrolment_type", self.enrolment_type)
        raise_problems(problems)


@attrs.frozen(slots=True)
class PastEnrolment:
    """An earlier, ended enrolment: its period and why it ended (history)."""

    period: Period
    deregistration_reason: str

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_closed(problems, "period", self.period)
        check_code(
            problems, "deregistration_reason", DEREGISTRATION_REASON, self.deregistration_reason
        )
        raise_problems(problems)


@attrs.frozen(slots=True)
class Enrolment:
    """The person's enrolment at AF (inskrivning), with its spells and history.

    ``spells`` give applicant category, type and extent over time, oldest first, all
    inside the enrolment; the last one may be open while the person is registered. They
    are optional: a known enrolment can be stated with its registration date alone
    (``Enrolment(date(2024, 2, 1))``), and then the applicant category on any date is not
    known (:attr:`spells_stated` is False, :meth:`applicant_category_on` and
    :meth:`spell_on` give None, so check :attr:`spells_stated` before reading None as
    "no category"). Stated spells must cover what they state; nothing is invented.
    ``history`` lists earlier enrolments that ended before ``registered_on``, oldest
    first, without overlaps.
    """

    registered_on: dt.date
    spells: tuple[ApplicantCategorySpell, ...] = ()
    deregistration: Deregistration | None = None
    history: tuple[PastEnrolment, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        end = self.deregistration.on if self.deregistration else None
        if self.deregistration is not None:
            check_order(
                problems, "deregistration.on", self.registered_on, end, "deregistration date"
            )
        previous: Period | None = None
        for i, spell in enumerate(self.spells):
            path = f"spells[{i}].period"
            check_order(
                problems, f"{path}.start", self.registered_on, spell.period.start, "spell start"
            )
            if end is not None and (spell.period.end is None or spell.period.end > end):
                problems.append(
                    Problem(f"{path}.end", f"the spell must end by the deregistration on {end}")
                )
            if previous is not None and (
                previous.end is None or previous.end >= spell.period.start
            ):
                problems.append(
                    Problem(f"{path}.start", "spells must be in order and must not overlap")
                )
            previous = spell.period
        before: Period | None = None
        for i, past in enumerate(self.history):
            if past.period.end is not None and past.period.end >= self.registered_on:
                problems.append(
                    Problem(
                        f"history[{i}].period.end",
                        "an earlier enrolment must end before this one starts",
                    )
                )
            if before is not None and before.end is not None and before.end >= past.period.start:
                problems.append(
                    Problem(
                        f"history[{i}].period.start",
                        "earlier enrolments must be in order and must not overlap",
                    )
                )
            before = past.period
        raise_problems(problems)

    @property
    def period(self) -> Period:
        """The enrolment period (open while the person is registered)."""
        return Period(self.registered_on, self.deregistration.on if self.deregistration else None)

    def is_registered_on(self, on: dt.date) -> bool:
        """True when the person is registered at AF on ``on`` (the deregistration day
        included, as in :attr:`period`)."""
        if on < self.registered_on:
            return False
        deregistration = self.deregistration
        return deregistration is None or on <= deregistration.on

    @property
    def spells_stated(self) -> bool:
        """True when AF's answer states the applicant-category spells (so a date without
        a spell has no category); False when the enrolment was stated without them (the
        category on any date is not known)."""
        return bool(self.spells)

    def spell_on(self, on: dt.date) -> ApplicantCategorySpell | None:
        """The spell in force on ``on``, if any (None also when the spells are not
        stated: see :attr:`spells_stated`)."""
        for spell in self.spells:
            if spell.period.contains(on):
                return spell
        return None

    def applicant_category_on(self, on: dt.date) -> str | None:
        """The applicant category (sökandekategori) on ``on``, if registered then and the
        spells are stated (see :attr:`spells_stated`)."""
        spell = self.spell_on(on)
        return spell.applicant_category if spell is not None else None

    def registered_days_on(self, on: dt.date) -> int:
        """Days registered in the current enrolment up to and including ``on`` (0 before it)."""
        if on < self.registered_on:
            return 0
        last = min(on, self.deregistration.on) if self.deregistration else on
        return (last - self.registered_on).days + 1
