"""Dates the domain counts with: periods, extents, ages and Swedish working days.

- :class:`Period` is a span of whole days, both ends inclusive, possibly open-ended.
- :class:`Extent` is a share of full time in percent (omfattning), e.g. 50 %.
- :func:`age_on` is a person's age in whole years on a date; :func:`birthday` the day they
  reach an age.
- :class:`WorkingDayCalendar` says which days are Swedish working days (arbetsdagar) and
  counts deadlines in them ("the 4th working day of the month", "within 2 working days").

Nothing here reads the wall clock: every function takes the date it reasons about.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, Final

import attrs

from ssbx_model.errors import Problem, ValidationError

__all__ = [
    "SWEDEN",
    "Extent",
    "Period",
    "WorkingDayCalendar",
    "add_working_days",
    "age_on",
    "birthday",
    "is_working_day",
    "nth_working_day_of_month",
    "working_days_between",
]

_ONE_DAY: Final = timedelta(days=1)


def _check_date(path: str, value: object, *, optional: bool = False) -> None:
    # datetime is a subclass of date, but comparing the two raises TypeError and a time
    # of day has no meaning in a period of whole days: refuse it instead of truncating.
    if value is None and optional:
        return
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(
            Problem(path, f"must be a date (without a time of day), not {type(value).__name__}")
        )


# --------------------------------------------------------------------------------------
# Period
# --------------------------------------------------------------------------------------


def _validate_period(instance: Period, _attribute: Any, _value: Any) -> None:
    _check_date("start", instance.start)
    _check_date("end", instance.end, optional=True)
    if instance.end is not None and instance.end < instance.start:
        raise ValidationError(
            Problem(
                "end",
                f"the end {instance.end.isoformat()} is before the start "
                f"{instance.start.isoformat()}",
            )
        )


@attrs.frozen(slots=True, repr=False)
class Period:
    """A span of whole days, both ``start`` and ``end`` included.

    ``end=None`` means the period is open-ended (still running). The type allows open
    periods; each model class decides where the domain allows them (an activity, for
    instance, must have an end date).

    Raises:
        ValidationError: if ``end`` is before ``start`` (path ``"end"``) or a bound is not
            a plain :class:`datetime.date`.
    """

    start: date = attrs.field(validator=_validate_period)
    end: date | None = None

    def __repr__(self) -> str:
        end = self.end.isoformat() if self.end is not None else ""
        return f"Period({self.start.isoformat()}..{end})"

    def __str__(self) -> str:
        end = self.end.isoformat() if self.end is not None else ""
        return f"{self.start.isoformat()}..{end}"

    @property
    def is_open(self) -> bool:
        """True if the period has no end date."""
        return self.end is None

    @property
    def days(self) -> int:
        """The number of days in the period, both ends included.

        Raises:
            ValidationError: if the period is open-ended (it has no length).
        """
        if self.end is None:
            raise ValidationError(Problem("end", "an open-ended period has no length in days"))
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        """True if ``d`` is on or after the start and on or before the end (if any)."""
        if d < self.start:
            return False
        return self.end is None or d <= self.end

    def __contains__(self, d: object) -> bool:
        """``d in period`` is :meth:`contains` for dates and False for anything else."""
        if isinstance(d, datetime) or not isinstance(d, date):
            return False
        return self.contains(d)

    def overlaps(self, other: Period) -> bool:
        """True if the two periods share at least one day."""
        if self.end is not None and self.end < other.start:
            return False
        return other.end is None or self.start <= other.end

    def overlaps_year(self, year: int) -> bool:
        """True if the period shares at least one day with the calendar year ``year``."""
        if self.start.year > year:
            return False
        return self.end is None or self.end.year >= year

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or None if they share none."""
        if not self.overlaps(other):
            return None
        start = max(self.start, other.start)
        if self.end is None:
            end = other.end
        elif other.end is None:
            end = self.end
        else:
            end = min(self.end, other.end)
        return Period(start, end)

    def clamp(self, start: date, end: date | None) -> Period | None:
        """This period cut to ``start..end`` (``end=None``: no upper bound), or None."""
        return self.intersection(Period(start, end))

    def iter_days(self, until: date | None = None) -> Iterator[date]:
        """Yield every day of the period in order, stopping after ``until`` if given.

        Raises:
            ValidationError: if the period is open-ended and ``until`` is not given.
        """
        last = self.end
        if until is not None:
            last = until if last is None else min(last, until)
        if last is None:
            raise ValidationError(
                Problem("until", "iterating over an open-ended period needs an `until` date")
            )
        d = self.start
        while d <= last:
            yield d
            d += _ONE_DAY

    def days_iter(self, until: date | None = None) -> Iterator[date]:
        """Alias of :meth:`iter_days`."""
        return self.iter_days(until)


# --------------------------------------------------------------------------------------
# Extent
# --------------------------------------------------------------------------------------


def _validate_percent(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            Problem("percent", f"must be a whole number of percent, not {type(value).__name__}")
        )
    if not 0 < value <= 100:
        raise ValidationError(
            Problem("percent", f"must be more than 0 and at most 100, not {value}")
        )


@attrs.frozen(slots=True, order=True)
class Extent:
    """A share of full time in whole percent (omfattning), ``0 < percent <= 100``.

    Extents order by their percent. Adding extents does not give an extent (a person's
    activities can add up to more than 100 %, which is exactly what collision checks look
    for): use :meth:`Extent.total`.

    Raises:
        ValidationError: if ``percent`` is not an ``int`` (``bool`` is refused) or is out
            of range (path ``"percent"``).
    """

    percent: int = attrs.field(validator=_validate_percent)

    def __str__(self) -> str:
        return f"{self.percent} %"

    @property
    def fraction(self) -> float:
        """The share as a number in (0, 1], e.g. 0.5 for 50 %."""
        return self.percent / 100

    @staticmethod
    def total(extents: Iterable[Extent]) -> int:
        """The sum of the extents' percents; may exceed 100."""
        return sum(e.percent for e in extents)


# --------------------------------------------------------------------------------------
# Age
# --------------------------------------------------------------------------------------


def age_on(birth: date, on: date) -> int:
    """A person's age in completed years on the date ``on``.

    The age goes up on the birthday. A person born on 29 February becomes a year older on
    **1 March** in years that are not leap years (on 28 February they are still one year
    short). This is a deliberate choice, and it is *not* what
    ``dateutil.relativedelta`` does: ``relativedelta(date(2001, 2, 28), date(2000, 2,
    29)).years`` is 1, because relativedelta clips 29 February to 28 February. For every
    other birth date the two agree (the tests check this).

    Raises:
        ValidationError: if ``on`` is before ``birth`` (path ``"on"``).
    """
    if on < birth:
        raise ValidationError(Problem("on", "the date is before the birth date"))
    month, birth_month = on.month, birth.month
    before_birthday = month < birth_month or (month == birth_month and on.day < birth.day)
    return on.year - birth.year - before_birthday


def birthday(birth: date, age: int) -> date:
    """The day a person born on ``birth`` turns ``age``: the first day :func:`age_on` gives
    ``age`` (a 29 February birth turns a year older on 1 March in other years).

    Raises:
        ValidationError: if ``age`` is negative or not an ``int`` (path ``"age"``).
    """
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValidationError(Problem("age", f"must be a whole number >= 0, not {age!r}"))
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February in a year that is not a leap year
        return date(birth.year + age, 3, 1)


# --------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------

# The eves the Annual Leave Act (semesterlag 1977:480, 7 §) treats like Sundays although
# they are not public holidays under lag (1989:253) om allmänna helgdagar. Swedish names,
# as the holidays package gives them with language="sv".
_EVE_NAMES: Final = frozenset({"Midsommarafton", "Julafton", "Nyårsafton"})
_SUNDAY_NAME: Final = "Söndag"


@functools.cache
def _categories() -> tuple[str, ...]:
    """The holiday categories that hold Swedish public holidays and the eves."""
    import holidays  # imported on first use: it takes longer to import than the rest

    supported = getattr(holidays.country_holidays("SE"), "supported_categories", ("public",))
    # Newer releases of `holidays` list the eves in "de_facto", older ones in "public".
    return tuple(c for c in ("public", "de_facto") if c in supported)


def _weekdays_up_to(d: date) -> int:
    """The number of Monday-Friday days from a fixed Monday up to and including ``d``."""
    # date.min is a Monday (0001-01-01); ordinals start at 1 on that day.
    n = d.toordinal() - 1
    weeks, rest = divmod(n, 7)
    return weeks * 5 + min(rest + 1, 5)


class WorkingDayCalendar:
    """Swedish working days: Monday to Friday, except public holidays (and eves).

    Public holidays come from the ``holidays`` package (country ``"SE"``), built with
    ``include_sundays=False`` because weekends are handled here, not as holidays.

    ``eves_are_holidays`` decides the three eves: midsommarafton, julafton and
    nyårsafton are not public holidays by law (lag 1989:253), but the Annual Leave Act
    treats them like Sundays and public offices are closed, so by default (``True``)
    they are non-working days. With ``False`` they are working days when they fall on a
    weekday. Other "half days" (trettondagsafton, skärtorsdagen, ...) are working days.

    Holiday years are computed once per calendar instance and cached, so the methods are
    cheap in bulk. The ``holidays`` package has no data before 1953; days before that are
    treated as having no public holidays.
    """

    __slots__ = ("_cache", "_eves_are_holidays")

    def __init__(self, *, eves_are_holidays: bool = True) -> None:
        self._eves_are_holidays = eves_are_holidays
        self._cache: dict[int, tuple[frozenset[date], tuple[date, ...]]] = {}

    def __repr__(self) -> str:
        return f"WorkingDayCalendar(eves_are_holidays={self._eves_are_holidays})"

    @property
    def eves_are_holidays(self) -> bool:
        """Whether midsommarafton, julafton and nyårsafton are non-working days."""
        return self._eves_are_holidays

    def _year(self, year: int) -> tuple[frozenset[date], tuple[date, ...]]:
        """The year's non-working weekdays as a set and as a sorted tuple (cached)."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        import holidays

        table = holidays.country_holidays(
            "SE",
            years=year,
            categories=_categories(),
            language="sv",
            include_sundays=False,
        )
        days: set[date] = set()
        for day, names in table.items():
            if day.weekday() >= 5:
                continue  # weekends are non-working anyway
            kinds = {name.strip() for name in names.split(";")} - {_SUNDAY_NAME}
            if not self._eves_are_holidays:
                kinds -= _EVE_NAMES
            if kinds:
                days.add(day)
        result = (frozenset(days), tuple(sorted(days)))
        self._cache[year] = result
        return result

    def holidays_in(self, year: int) -> frozenset[date]:
        """The weekdays of ``year`` that are not working days (holidays and, by default,
        the eves)."""
        return self._year(year)[0]

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a Monday to Friday that is not a holiday (or counted eve)."""
        if d.weekday() >= 5:
            return False
        return d not in self._year(d.year)[0]

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d``.

        ``d`` itself is never counted when ``n >= 1``: from Friday, ``n=1`` is the next
        Monday (if that is a working day). ``n=0`` returns ``d`` if it is a working day,
        otherwise the next working day (useful to move a deadline that falls on a holiday).

        Raises:
            ValidationError: if ``n`` is negative or not an ``int`` (path ``"n"``).
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValidationError(Problem("n", f"must be a whole number >= 0, not {n!r}"))
        if n == 0:
            return self.next_working_day(d)
        while n:
            d += _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def nth_working_day_of_month(self, year: int, month: int, n: int) -> date:
        """The ``n``-th working day (1-based) of the month, e.g. ``n=4`` for the INUK
        publication day.

        Raises:
            ValidationError: if ``n < 1`` or the month has fewer than ``n`` working days.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValidationError(Problem("n", f"must be a whole number >= 1, not {n!r}"))
        d = date(year, month, 1)
        count = 0
        while d.month == month:
            if self.is_working_day(d):
                count += 1
                if count == n:
                    return d
            d += _ONE_DAY
        raise ValidationError(
            Problem("n", f"{year}-{month:02d} has only {count} working days, not {n}")
        )

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days after ``a`` up to and including ``b``.

        This is the inverse of :meth:`add_working_days`: for ``n >= 1``,
        ``working_days_between(d, add_working_days(d, n)) == n``. If ``b`` is before
        ``a`` the result is negative (``-working_days_between(b, a)``); ``a == b`` gives 0.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = _weekdays_up_to(b) - _weekdays_up_to(a)
        for year in range(a.year, b.year + 1):
            ordered = self._year(year)[1]
            lo = bisect.bisect_right(ordered, a)
            hi = bisect.bisect_right(ordered, b)
            count -= hi - lo
        return count


SWEDEN: Final = WorkingDayCalendar()
"""The default calendar: Swedish working days with the three eves as non-working days."""


def is_working_day(d: date) -> bool:
    """:meth:`WorkingDayCalendar.is_working_day` on :data:`SWEDEN`."""
    return SWEDEN.is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """:meth:`WorkingDayCalendar.add_working_days` on :data:`SWEDEN`."""
    return SWEDEN.add_working_days(d, n)


def nth_working_day_of_month(year: int, month: int, n: int) -> date:
    """:meth:`WorkingDayCalendar.nth_working_day_of_month` on :data:`SWEDEN`."""
    return SWEDEN.nth_working_day_of_month(year, month, n)


def working_days_between(a: date, b: date) -> int:
    """:meth:`WorkingDayCalendar.working_days_between` on :data:`SWEDEN`."""
    return SWEDEN.working_days_between(a, b)
