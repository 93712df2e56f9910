"""Factories for ssbx_model's conformance suite: the HTTP sources against a stub.

::

    pytest --ssbx-adapter=ssbx_http.stub.conformance:http_source \\
           --ssbx-adapter=ssbx_http.stub.conformance:async_http_source

Each factory starts a stub on a free loopback port serving the suite's sample cases
(``cases=``) and returns a source pointed at it; closing the source stops the stub.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from ssbx_http.client import AsyncHttpSource, HttpSource
from ssbx_http.config import HttpSourceConfig
from ssbx_http.stub.data import CaseBook
from ssbx_http.stub.running import RunningStub, start_stub
from ssbx_model.case import Case

__all__ = ["StubbedAsyncHttpSource", "StubbedHttpSource", "async_http_source", "http_source"]


def _stub(cases: Sequence[Case] | None) -> RunningStub:
    book = CaseBook(cases) if cases is not None else CaseBook.synthetic(seed=0, persons=20)
    return start_stub(book=book)


def _config(stub: RunningStub, options: dict[str, Any]) -> HttpSourceConfig:
    # The stub listens on loopback, in plain http.
    settings: dict[str, Any] = {
        "deadline": 30.0,
        "backoff_base": 0.05,
        "allow_plain_http_loopback": True,
    }
    settings.update(options)
    return HttpSourceConfig(stub.base_url, **settings)


class StubbedHttpSource(HttpSource):
    """An :class:`HttpSource` with the stub it talks to; ``close()`` stops both."""

    def __init__(self, stub: RunningStub, config: HttpSourceConfig) -> None:
        super().__init__(config)
        self.stub = stub

    def close(self) -> None:
        """Close the connections and stop the stub."""
        try:
            super().close()
        finally:
            self.stub.stop()


class StubbedAsyncHttpSource(AsyncHttpSource):
    """An :class:`AsyncHttpSource` with the stub it talks to; ``close()`` stops both."""

    def __init__(self, stub: RunningStub, config: HttpSourceConfig) -> None:
        super().__init__(config)
        self.stub = stub

    def close(self) -> None:
        """Close the connections (outside any event loop) and stop the stub."""
        try:
            # The pool's connections belong to event loops that have ended by now.
            with contextlib.suppress(RuntimeError):
                asyncio.run(self.aclose())
        finally:
            self.stub.stop()


def http_source(cases: Sequence[Case] | None = None, **options: Any) -> StubbedHttpSource:
    """A sync source against a fresh stub serving ``cases`` (default: 20 synthetic
    people); ``options`` are :class:`HttpSourceConfig` fields."""
    stub = _stub(cases)
    return StubbedHttpSource(stub, _config(stub, options))


def async_http_source(
    cases: Sequence[Case] | None = None, **options: Any
) -> StubbedAsyncHttpSource:
    """An async source against a fresh stub serving ``cases``; see :func:`http_source`."""
    stub = _stub(cases)
    return StubbedAsyncHttpSource(stub, _config(stub, options))
