"""Start a stub in the background with one call: :func:`start_stub` and :class:`RunningStub`."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path
from types import TracebackType
from typing import Self

from ssbx_http.stub.admin import StubAdmin
from ssbx_http.stub.app import StubState
from ssbx_http.stub.data import DEFAULT_AS_OF, CaseBook
from ssbx_http.stub.faults import Faults
from ssbx_http.stub.server import StubServer, StubTls
from ssbx_model.clock import Clock, utc_now
from ssbx_model.identity import Personnummer, Samordningsnummer

__all__ = ["RunningStub", "start_stub"]


class RunningStub:
    """A stub serving in a background thread: its URL, admin handle, data and server."""

    def __init__(self, server: StubServer, admin: StubAdmin) -> None:
        self.server = server
        self.admin = admin

    @property
    def base_url(self) -> str:
        """The URL to give :class:`ssbx_http.HttpSourceConfig`."""
        return self.server.base_url

    @property
    def book(self) -> CaseBook:
        """The cases the stub serves."""
        return self.server.state.book

    @property
    def persons(self) -> list[Personnummer | Samordningsnummer]:
        """The people the stub knows (fictitious test numbers for synthetic data)."""
        return self.book.persons()

    def stop(self) -> None:
        """Stop the server and close the admin client."""
        self.admin.close()
        self.server.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_stub(
    *,
    seed: int = 0,
    persons: int = 50,
    on: dt.date = DEFAULT_AS_OF,
    data: str | Path | None = None,
    book: CaseBook | None = None,
    faults: Faults | None = None,
    tls: StubTls | None = None,
    admin_ssl: ssl.SSLContext | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Clock = utc_now,
) -> RunningStub:
    """Start a stub on ``host:port`` (default: a free loopback port) in a background thread.

    The cases come from ``book``, else from the directory ``data``, else from the
    synthetic generator (``seed``, ``persons``, ``on``). ``admin_ssl`` is the SSL context
    the admin handle uses when ``tls`` is on (under mutual TLS it needs a client
    certificate the stub accepts).
    """
    if book is None:
        book = (
            CaseBook.from_directory(data)
            if data is not None
            else CaseBook.synthetic(seed=seed, persons=persons, on=on)
        )
    server = StubServer(StubState(book, faults=faults, clock=clock), host=host, port=port, tls=tls)
    server.start()
    verify: ssl.SSLContext | bool = admin_ssl if admin_ssl is not None else tls is None
    return RunningStub(server, StubAdmin(server.base_url, verify=verify))
