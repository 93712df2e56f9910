"""Shared fixtures of the HTTP adapter's tests: one stub per module, faults cleared and
counters reset before each test (helpers are in ``http_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ssbx_http.stub import RunningStub, start_stub


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
