"""The one clock of the library, for timestamps of events (audit, ledger, provenance).

Rules never read a clock: their reference date is an argument. Components that stamp
events take a ``clock`` argument (a callable returning an aware datetime) so that tests
and replays can fix the time; :func:`utc_now` is the default.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Final

__all__ = ["SWEDISH_TIME", "Clock", "fixed_clock", "swedish_date", "utc_now"]

#: A callable returning the current time as an aware datetime.
Clock = Callable[[], dt.datetime]

#: The time zone in which an instant's Swedish calendar date is taken.
SWEDISH_TIME: Final = zoneinfo.ZoneInfo("Europe/Stockholm")


def swedish_date(at: dt.datetime) -> dt.date:
    """The calendar date of the aware instant ``at`` in Swedish time."""
    if at.utcoffset() is None:
        raise ValueError("the Swedish date of a naive datetime is ambiguous: give a time zone")
    return at.astimezone(SWEDISH_TIME).date()


def utc_now() -> dt.datetime:
    """The current time in UTC (the default clock for event timestamps)."""
    return dt.datetime.now(dt.UTC)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always returns ``at`` (which must be aware), for tests and replays."""
    if at.utcoffset() is None:
        raise ValueError("a fixed clock needs an aware datetime")
    return lambda: at
