"""Helpers shared by the SQL adapter's tests: keys, a ticking clock, people and cases."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from ssbx_sql.testing import POSTGRES_URL_ENV

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information import InterventionStatus, MunicipalIntervention, Provider

#: The store secret of the tests (32 bytes); OTHER_KEY is a different one.
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


class TickingClock:
    """A clock that starts at a fixed instant and moves one second per reading."""

    def __init__(self, start: dt.datetime) -> None:
        self._times = (start + dt.timedelta(seconds=i) for i in itertools.count())

    def __call__(self) -> dt.datetime:
        return next(self._times)


START = dt.datetime(2024, 5, 2, 8, 0, tzinfo=dt.UTC)


def person(serial: int, born: dt.date = dt.date(2005, 3, 14)) -> Personnummer:
    """A synthetic personnummer (serial 980-999 are Skatteverket's test range)."""
    return Personnummer.from_birth_date(born, serial)


def coordination_number(serial: int) -> Samordningsnummer:
    """A synthetic samordningsnummer."""
    return Samordningsnummer.from_birth_date(dt.date(1990, 7, 1), serial)


def intervention(intervention_id: str, *, percent: int = 50) -> MunicipalIntervention:
    """An ongoing municipal work-experience placement with the given id."""
    return MunicipalIntervention(
        intervention_id=intervention_id,
        local_name="Praktik i kommunens park",
        intervention_type="praktik",
        period=Period(dt.date(2024, 5, 1), dt.date(2024, 8, 31)),
        extent=Extent(percent),
        provider=Provider("Arbetsmarknadsenheten"),
        status=InterventionStatus.ONGOING,
    )


def case_of(
    who: Personnummer | Samordningsnummer,
    municipality: str = "1287",
    *interventions: MunicipalIntervention,
) -> Case:
    """A case with only the given interventions."""
    return Case(person=who, municipality=municipality, interventions=tuple(interventions))


def postgres_admin_url() -> str:
    """The URL of the throw-away PostgreSQL server, or fail the test loudly."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.fail(
            f"{POSTGRES_URL_ENV} is not set: run the tests under scripts/with-postgres.sh "
            '(or deselect the PostgreSQL tests explicitly with -m "not postgres")',
            pytrace=False,
        )
    return url
