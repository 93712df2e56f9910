"""The one clock of the library, for timestamps of events (audit, ledger, provenance).

Rules never read a clock: their reference date is an argument. Components that stamp
events take a ``clock`` argument (a callable returning an aware datetime) so that tests
and replays can fix the time; :func:`utc_now` is the default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

__all__ = ["Clock", "fixed_clock", "utc_now"]

#: A callable returning the current time as an aware datetime.
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time in UTC (the default clock for event timestamps)."""
    return dt.datetime.now(dt.UTC)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always returns ``at`` (which must be aware), for tests and replays."""
    if at.utcoffset() is None:
        raise ValueError("a fixed clock needs an aware datetime")
    return lambda: at
