"""The statutes rule parameters cite, with the period each is in force.

Shipped as ``statutes.toml`` beside this module. :func:`statutes` reads it;
:func:`citation_problems` checks every dated parameter value against it: a value that
cites a statute must lie, day by day, within the period of at least one statute it cites,
and every SFS number a value cites must be in the register. So a repealed or replaced
statute cannot keep a value in force without the register saying what applies after it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from importlib import resources

import attrs

from ssbx_model.errors import Problem
from ssbx_model.rules.parameters import Parameter

__all__ = ["Statute", "citation_problems", "statutes"]

_SFS = re.compile(r"\((\d{4}:\d+)\)")


@attrs.frozen
class Statute:
    """One statute: how citations name it, its title and the days it is in force."""

    marker: str
    title: str
    start: dt.date
    end: dt.date | None = None
    note: str | None = None

    def covers(self, day: dt.date) -> bool:
        """True when the statute is in force on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@cache
def statutes() -> tuple[Statute, ...]:
    """The register shipped with the library."""
    text = resources.files("ssbx_model.rules").joinpath("statutes.toml").read_text("utf-8")
    return tuple(
        Statute(s["marker"], s["title"], s["from"], s.get("to"), s.get("note"))
        for s in tomllib.loads(text)["statute"]
    )


def _cited(reference: str, register: tuple[Statute, ...]) -> tuple[list[Statute], list[str]]:
    found = [s for s in register if s.marker in reference]
    known = {s.marker for s in register}
    unknown = [m for m in _SFS.findall(reference) if f"({m})" not in known]
    return found, unknown


def citation_problems(
    parameters: tuple[Parameter, ...], register: tuple[Statute, ...] | None = None
) -> list[Problem]:
    """Every parameter value whose cited statutes are not in force on a day it applies.

    A value applies from its ``start`` to the day before the next value's start (the last
    value: open-ended). Problems name ``<parameter>.values[i]``.
    """
    register = statutes() if register is None else register
    problems: list[Problem] = []
    for parameter in parameters:
        for i, value in enumerate(parameter.values):
            where = f"{parameter.name}.values[{i}]"
            cited, unknown = _cited(value.reference, register)
            for sfs in unknown:
                problems.append(
                    Problem(where, f"cites SFS {sfs}, which is not in the statute register")
                )
            if not cited:
                continue
            last = (
                parameter.values[i + 1].start - dt.timedelta(days=1)
                if i + 1 < len(parameter.values)
                else None
            )
            gap = _first_uncovered(value.start, last, cited)
            if gap is not None:
                names = "; ".join(f"{s.title} ({_period(s)})" for s in cited)
                problems.append(
                    Problem(
                        where,
                        f"applies on {gap.isoformat()}, when none of the statutes it cites is "
                        f"in force: {names}",
                    )
                )
    return problems


def _first_uncovered(start: dt.date, last: dt.date | None, cited: list[Statute]) -> dt.date | None:
    """The first day in ``start..last`` (open: for ever) no cited statute covers."""
    day = start
    while True:
        covering = [s for s in cited if s.covers(day)]
        if not covering:
            return day
        ends = [s.end for s in covering]
        if any(end is None for end in ends):
            return None
        furthest = max(end for end in ends if end is not None)
        if last is not None and furthest >= last:
            return None
        day = furthest + dt.timedelta(days=1)


def _period(statute: Statute) -> str:
    end = statute.end.isoformat() if statute.end is not None else "in force"
    return f"{statute.start.isoformat()}..{end}"
