"""Shared fixtures of the HTTP adapter's tests: one stub per module, faults cleared and
counters reset before each test, and request/config helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from ssbx_http import HttpSourceConfig
from ssbx_http.stub import RunningStub, start_stub
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import FetchRequest, PersonId, Requester
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
    """Short timeouts and backoff, so that fault tests run in milliseconds."""
    settings: dict[str, Any] = {
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 3,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "deadline": 10.0,
        "body_format": __import__("os").environ.get("SSBX_HTTP_TEST_FORMAT", "xml"),
    }
    settings.update(overrides)
    return HttpSourceConfig(base_url, **settings)


@pytest.fixture(scope="module")
def shared_stub() -> Iterator[RunningStub]:
    """One stub (30 synthetic people) for the whole module."""
    stub = start_stub(seed=7, persons=30)
    yield stub
    stub.stop()


@pytest.fixture
def stub(shared_stub: RunningStub) -> RunningStub:
    """The module's stub with no faults and zeroed counters."""
    shared_stub.admin.clear_faults()
    shared_stub.admin.reset_stats()
    return shared_stub


@pytest.fixture(params=["xml", "json"])
def body_format(request: pytest.FixtureRequest) -> str:
    """Each case-document format in turn."""
    value: str = request.param
    return value


@pytest.fixture
def anyio_backend() -> str:
    """The async tests run on asyncio."""
    return "asyncio"
