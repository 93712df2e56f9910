"""pytest fixtures for the stub (entry point ``pytest11``: enabled once the package is
installed).

* ``ssbx_stub``: a stub with 50 synthetic people (seed 0) on a free loopback port, no
  faults; yields a :class:`ssbx_http.stub.RunningStub` (``base_url``, ``admin``,
  ``persons``, ``book``) and stops it after the test.
* ``ssbx_stub_factory``: call it with the keyword arguments of
  :func:`ssbx_http.stub.start_stub` (``faults=``, ``tls=``, ``data=``, ``persons=``, ...)
  to start as many stubs as a test needs; all are stopped after the test.

Heavy imports happen inside the fixtures, so the plugin costs nothing in test runs that
do not use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ssbx_http.stub.running import RunningStub


@pytest.fixture
def ssbx_stub_factory() -> Iterator[Callable[..., RunningStub]]:
    """Start stubs with options; each is stopped at the end of the test."""
    from ssbx_http.stub.running import start_stub

    started: list[RunningStub] = []

    def start(**options: Any) -> RunningStub:
        stub = start_stub(**options)
        started.append(stub)
        return stub

    yield start
    for stub in reversed(started):
        stub.stop()


@pytest.fixture
def ssbx_stub(ssbx_stub_factory: Callable[..., RunningStub]) -> RunningStub:
    """A stub with 50 synthetic people (seed 0), no faults, on a free loopback port."""
    return ssbx_stub_factory()
