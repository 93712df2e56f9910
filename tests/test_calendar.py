"""Tests of periods, extents, ages and Swedish working days."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta

import pytest
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model import calendar
from ssbx_model.calendar import (
    SWEDEN,
    Extent,
    Period,
    WorkingDayCalendar,
    add_working_days,
    age_on,
    is_working_day,
    nth_working_day_of_month,
    working_days_between,
)
from ssbx_model.errors import ValidationError

NO_EVES = WorkingDayCalendar(eves_are_holidays=False)

# --------------------------------------------------------------------------------------
# Period
# --------------------------------------------------------------------------------------

days_2000s = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(days_2000s)
    length = draw(st.none() | st.integers(0, 400))
    if length is None:
        return Period(start)
    return Period(start, start + timedelta(days=length))


closed_periods = st.builds(
    lambda start, n: Period(start, start + timedelta(days=n)), days_2000s, st.integers(0, 400)
)


def test_period_refuses_an_end_before_its_start() -> None:
    with pytest.raises(ValidationError) as info:
        Period(date(2024, 6, 30), date(2024, 6, 29))
    assert info.value.paths == ["end"]


def test_a_one_day_period_is_allowed() -> None:
    p = Period(date(2024, 6, 30), date(2024, 6, 30))
    assert p.days == 1
    assert list(p.iter_days()) == [date(2024, 6, 30)]


@pytest.mark.parametrize(
    ("start", "end", "path"),
    [
        (datetime(2024, 1, 1, 12), None, "start"),
        (date(2024, 1, 1), datetime(2024, 2, 1), "end"),
        ("2024-01-01", None, "start"),
    ],
)
def test_period_refuses_what_is_not_a_plain_date(start: object, end: object, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        Period(start, end)  # type: ignore[arg-type]
    assert info.value.paths == [path]


def test_period_repr_shows_its_bounds() -> None:
    assert repr(Period(date(2024, 1, 1), date(2024, 6, 30))) == "Period(2024-01-01..2024-06-30)"
    assert repr(Period(date(2024, 1, 1))) == "Period(2024-01-01..)"


def test_open_period_has_no_length_and_needs_an_end_to_iterate() -> None:
    p = Period(date(2024, 1, 1))
    assert p.is_open
    with pytest.raises(ValidationError):
        _ = p.days
    with pytest.raises(ValidationError):
        list(p.iter_days())
    assert list(p.iter_days(until=date(2024, 1, 3))) == [
        date(2024, 1, 1),
        date(2024, 1, 2),
        date(2024, 1, 3),
    ]
    assert list(p.days_iter(until=date(2023, 12, 31))) == []
    assert p.contains(date(2999, 1, 1))
    assert not p.contains(date(2023, 12, 31))


def test_periods_are_values() -> None:
    p = Period(date(2024, 1, 1), date(2024, 2, 1))
    assert p == Period(date(2024, 1, 1), date(2024, 2, 1))
    assert {p: 1}[pickle.loads(pickle.dumps(p))] == 1
    with pytest.raises(AttributeError):
        p.end = None  # type: ignore[misc]


@given(periods(), periods())
def test_intersection_is_contained_in_both_and_exists_iff_they_overlap(
    a: Period, b: Period
) -> None:
    both = a.intersection(b)
    assert a.overlaps(b) == b.overlaps(a) == (both is not None)
    assert both == b.intersection(a)
    if both is None:
        return
    for p in (a, b):
        assert p.contains(both.start)
        if both.end is None:
            assert p.is_open
        else:
            assert p.contains(both.end)
    assert both.is_open == (a.is_open and b.is_open)


@given(closed_periods, closed_periods)
def test_overlap_and_intersection_agree_with_sets_of_days(a: Period, b: Period) -> None:
    shared = set(a.iter_days()) & set(b.iter_days())
    assert a.overlaps(b) == bool(shared)
    both = a.intersection(b)
    assert set(both.iter_days() if both else ()) == shared


@given(closed_periods)
def test_days_is_the_number_of_days_iterated(p: Period) -> None:
    days = list(p.iter_days())
    assert p.days == len(days)
    assert days[0] == p.start
    assert days[-1] == p.end
    assert all(p.contains(d) and d in p for d in days)
    assert not p.contains(p.start - timedelta(days=1))
    assert p.end is not None
    assert not p.contains(p.end + timedelta(days=1))


@given(periods(), days_2000s, st.integers(0, 100))
def test_clamp_is_the_intersection_with_the_bounds(p: Period, start: date, n: int) -> None:
    end = start + timedelta(days=n)
    assert p.clamp(start, end) == p.intersection(Period(start, end))
    assert p.clamp(start, None) == p.intersection(Period(start))


def test_datetime_is_not_in_a_period() -> None:
    p = Period(date(2024, 1, 1), date(2024, 12, 31))
    assert datetime(2024, 6, 1) not in p
    assert "2024-06-01" not in p


# --------------------------------------------------------------------------------------
# Extent
# --------------------------------------------------------------------------------------


@given(st.integers(1, 100))
def test_extent_accepts_1_to_100_percent(percent: int) -> None:
    extent = Extent(percent)
    assert str(extent) == f"{percent} %"
    assert extent.fraction == percent / 100
    assert 0 < extent.fraction <= 1


@pytest.mark.parametrize("percent", [0, -25, 101, 1000, True, False, 50.0, "50", None])
def test_extent_refuses_out_of_range_or_non_int(percent: object) -> None:
    with pytest.raises(ValidationError) as info:
        Extent(percent)  # type: ignore[arg-type]
    assert info.value.paths == ["percent"]


def test_extents_order_by_percent_and_sum_beyond_100() -> None:
    assert Extent(25) < Extent(50) < Extent(100)
    assert max(Extent(25), Extent(75)) == Extent(75)
    assert Extent.total([Extent(50), Extent(75)]) == 125
    assert Extent.total([]) == 0
    assert str(Extent(50)) == "50 %"


# --------------------------------------------------------------------------------------
# Age
# --------------------------------------------------------------------------------------


def test_leap_day_birthday_counts_from_1_march_in_other_years() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2000, 2, 29)) == 0
    assert age_on(born, date(2001, 2, 28)) == 0
    assert age_on(born, date(2001, 3, 1)) == 1
    assert age_on(born, date(2003, 2, 28)) == 2
    assert age_on(born, date(2004, 2, 28)) == 3
    assert age_on(born, date(2004, 2, 29)) == 4
    assert age_on(born, date(2018, 2, 28)) == 17
    assert age_on(born, date(2018, 3, 1)) == 18


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        age_on(date(2000, 1, 2), date(2000, 1, 1))
    assert info.value.paths == ["on"]


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 120))
def test_age_increases_on_the_birthday(born: date, years: int) -> None:
    if (born.month, born.day) == (2, 29):
        born = born - timedelta(days=1)  # leap days have their own test
    birthday = born.replace(year=born.year + years)
    assert age_on(born, birthday) == years
    if years:
        assert age_on(born, birthday - timedelta(days=1)) == years - 1


@given(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(0, 50_000),
)
def test_age_agrees_with_relativedelta_except_on_28_february_for_leap_day_births(
    born: date, n: int
) -> None:
    on = born + timedelta(days=n)
    expected = relativedelta(on, born).years
    if (born.month, born.day, on.month, on.day) == (2, 29, 2, 28):
        expected -= 1  # the documented choice: the birthday is 1 March
    assert age_on(born, on) == expected


@given(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(0, 50_000),
    st.integers(0, 50_000),
)
def test_age_is_monotonic_in_the_date(born: date, a: int, b: int) -> None:
    early, late = (born + timedelta(days=n) for n in sorted([a, b]))
    assert 0 <= age_on(born, early) <= age_on(born, late)


# --------------------------------------------------------------------------------------
# Working days, against an independent computation
# --------------------------------------------------------------------------------------


def independent_holidays(year: int, *, eves: bool = True) -> set[date]:
    """Swedish public holidays (lag 1989:253) computed from Easter, plus midsommarafton,
    julafton and nyårsafton when ``eves``. Written from the statute, not from the
    `holidays` package. From 2005 nationaldagen (6 June) replaced annandag pingst."""
    e = easter(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    all_saints = next(
        d for d in (date(year, 10, 31) + timedelta(days=i) for i in range(7)) if d.weekday() == 5
    )
    days = {
        date(year, 1, 1),  # nyårsdagen
        date(year, 1, 6),  # trettondedag jul
        e - timedelta(days=2),  # långfredagen
        e,  # påskdagen
        e + timedelta(days=1),  # annandag påsk
        date(year, 5, 1),  # första maj
        e + timedelta(days=39),  # Kristi himmelsfärdsdag
        e + timedelta(days=49),  # pingstdagen
        midsummer_eve + timedelta(days=1),  # midsommardagen
        all_saints,  # alla helgons dag
        date(year, 12, 25),  # juldagen
        date(year, 12, 26),  # annandag jul
    }
    if year >= 2005:
        days.add(date(year, 6, 6))  # nationaldagen
    else:
        days.add(e + timedelta(days=50))  # annandag pingst
    if eves:
        days |= {midsummer_eve, date(year, 12, 24), date(year, 12, 31)}
    return days


def independent_is_working_day(d: date, *, eves: bool = True) -> bool:
    return d.weekday() < 5 and d not in independent_holidays(d.year, eves=eves)


def independent_nth_working_day(year: int, month: int, n: int) -> date:
    d = date(year, month, 1)
    while True:
        if independent_is_working_day(d):
            n -= 1
            if n == 0:
                return d
        d += timedelta(days=1)


@pytest.mark.parametrize("year", range(2019, 2031))
def test_fourth_working_day_of_every_month_2019_2030(year: int) -> None:
    for month in range(1, 13):
        expected = independent_nth_working_day(year, month, 4)
        assert nth_working_day_of_month(year, month, 4) == expected, (year, month)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2024, 1, date(2024, 1, 5)),  # 1 Jan holiday: 2, 3, 4, 5
        (2025, 1, date(2025, 1, 8)),  # 1 Jan and Monday 6 Jan (trettondedag jul) off
        (2024, 4, date(2024, 4, 5)),  # Easter Monday 1 April off
        (2021, 4, date(2021, 4, 8)),  # Good Friday 2 April, Easter Monday 5 April off
        (2026, 6, date(2026, 6, 4)),
        (2025, 5, date(2025, 5, 7)),  # 1 May (Thursday) off
        (2030, 1, date(2030, 1, 7)),  # 1 Jan Tuesday off
    ],
)
def test_fourth_working_day_known_values(year: int, month: int, expected: date) -> None:
    assert nth_working_day_of_month(year, month, 4) == expected


@pytest.mark.parametrize("eves", [True, False])
def test_every_day_2000_2040_agrees_with_the_statute(eves: bool) -> None:
    cal = WorkingDayCalendar(eves_are_holidays=eves)
    d = date(2000, 1, 1)
    while d.year <= 2040:
        assert cal.is_working_day(d) == independent_is_working_day(d, eves=eves), d
        d += timedelta(days=1)


def test_weekends_are_never_listed_as_holidays_and_never_working_days() -> None:
    # The holidays package can list every Sunday as a holiday (include_sundays); weekends
    # are handled by the calendar itself.
    for year in range(2019, 2031):
        assert all(d.weekday() < 5 for d in SWEDEN.holidays_in(year))
    d = date(2024, 1, 6)  # a Saturday that is also trettondedag jul
    assert not is_working_day(d)
    assert not is_working_day(d + timedelta(days=1))


# --------------------------------------------------------------------------------------
# Deadlines across Easter, midsummer and Christmas / New Year
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
        (date(2024, 3, 28), 1, date(2024, 4, 2)),
        (date(2024, 3, 28), 2, date(2024, 4, 3)),
        # Easter 2025: Good Friday 18 April, Easter Monday 21 April.
        (date(2025, 4, 17), 1, date(2025, 4, 22)),
        (date(2025, 4, 16), 2, date(2025, 4, 22)),
        # Midsummer 2024: midsommarafton Friday 21 June, midsommardagen Saturday 22 June.
        (date(2024, 6, 20), 1, date(2024, 6, 24)),
        (date(2024, 6, 19), 2, date(2024, 6, 24)),
        # Christmas 2024: 24, 25, 26 December off; New Year: 31 December, 1 January off.
        (date(2024, 12, 23), 1, date(2024, 12, 27)),
        (date(2024, 12, 27), 1, date(2024, 12, 30)),
        (date(2024, 12, 30), 1, date(2025, 1, 2)),
        (date(2024, 12, 20), 2, date(2024, 12, 27)),
        # Ascension Day 2024 (Thursday 9 May).
        (date(2024, 5, 8), 1, date(2024, 5, 10)),
    ],
)
def test_deadlines_skip_holidays_and_eves(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected
    assert working_days_between(start, expected) == n


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 6, 20), 1, date(2024, 6, 21)),  # midsommarafton is worked
        (date(2024, 12, 23), 1, date(2024, 12, 24)),  # julafton is worked
        (date(2024, 12, 30), 1, date(2024, 12, 31)),  # nyårsafton is worked
        (date(2024, 12, 24), 1, date(2024, 12, 27)),  # juldagen, annandag jul still off
    ],
)
def test_deadlines_with_eves_as_working_days(start: date, n: int, expected: date) -> None:
    assert NO_EVES.add_working_days(start, n) == expected


def test_midsommarafton_is_a_friday_off_by_default_and_worked_on_request() -> None:
    for year in range(2019, 2031):
        eve = next(d for d in SWEDEN.holidays_in(year) if d.month == 6 and d.day >= 19)
        assert eve.weekday() == 4
        assert not SWEDEN.is_working_day(eve)
        assert NO_EVES.is_working_day(eve)
        assert not NO_EVES.is_working_day(eve + timedelta(days=1))  # midsommardagen


def test_add_zero_working_days_stays_or_moves_to_the_next_working_day() -> None:
    assert add_working_days(date(2024, 6, 19), 0) == date(2024, 6, 19)
    assert add_working_days(date(2024, 6, 21), 0) == date(2024, 6, 24)
    assert add_working_days(date(2024, 12, 24), 0) == date(2024, 12, 27)
    assert SWEDEN.next_working_day(date(2024, 3, 29)) == date(2024, 4, 2)


@pytest.mark.parametrize("n", [-1, True, 1.5])
def test_add_working_days_refuses_a_negative_or_non_int_count(n: object) -> None:
    with pytest.raises(ValidationError) as info:
        add_working_days(date(2024, 1, 1), n)  # type: ignore[arg-type]
    assert info.value.paths == ["n"]


@pytest.mark.parametrize("n", [0, -1, 24])
def test_nth_working_day_refuses_counts_the_month_cannot_hold(n: int) -> None:
    with pytest.raises(ValidationError):
        nth_working_day_of_month(2024, 12, n)


@given(days_2000s, st.integers(0, 60))
def test_add_working_days_lands_on_a_working_day_n_working_days_on(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert end >= start
    counted = sum(
        independent_is_working_day(start + timedelta(days=i))
        for i in range(1, (end - start).days + 1)
    )
    if n == 0:  # the first working day on or after start
        assert not any(
            independent_is_working_day(start + timedelta(days=i)) for i in range((end - start).days)
        )
    else:
        assert counted == n
        assert working_days_between(start, end) == n


@given(days_2000s, st.integers(-800, 800))
def test_working_days_between_counts_like_a_day_by_day_walk(a: date, offset: int) -> None:
    b = a + timedelta(days=offset)
    lo, hi = sorted([a, b])
    walked = sum(
        independent_is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1)
    )
    assert working_days_between(lo, hi) == walked
    assert working_days_between(hi, lo) == -walked


def test_module_functions_use_the_default_calendar() -> None:
    assert calendar.SWEDEN.eves_are_holidays
    d = date(2024, 12, 24)
    assert is_working_day(d) == SWEDEN.is_working_day(d) is False
    assert add_working_days(d, 3) == SWEDEN.add_working_days(d, 3)
    assert nth_working_day_of_month(2024, 12, 4) == SWEDEN.nth_working_day_of_month(2024, 12, 4)
    assert "eves_are_holidays=True" in repr(SWEDEN)
