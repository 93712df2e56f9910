"""Helpers shared by the HTTP adapter's tests (a module of its own, not conftest.py: the
adapters' test directories are collected together, and ``conftest`` is a name each of
them has)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ssbx_http import HttpSourceConfig
from ssbx_model.identity import PersonId
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import FetchRequest, Requester
from ssbx_model.purpose import Purpose, Role

ON = dt.date(2024, 6, 3)
SETS = frozenset({InformationSet.ENROLMENT, InformationSet.ACTIVITY_REPORTS})


def make_request(
    person: PersonId, sets: frozenset[InformationSet] = SETS, organisation: str = "1287"
) -> FetchRequest:
    """A social worker's request for ``sets`` about ``person``."""
    return FetchRequest(
        person=person,
        sets=sets,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=ON,
        requester=Requester("handläggare-7", Role.SOCIAL_WORKER, organisation),
    )


def fast_config(base_url: str, **overrides: Any) -> HttpSourceConfig:
    """Short timeouts and backoff, so that fault tests run in milliseconds; plain http
    allowed to the loopback stubs the tests start."""
    settings: dict[str, Any] = {
        "allow_plain_http_loopback": True,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 3,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "deadline": 10.0,
    }
    settings.update(overrides)
    return HttpSourceConfig(base_url, **settings)
