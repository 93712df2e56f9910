"""Serving the stub with uvicorn: in a background thread (tests) or in the foreground (CLI).

The server binds its socket itself (port 0 picks a free port, so there is no race
between choosing a port and binding it), uses uvicorn's h11 protocol extended to lend the
app its connections (for the ``reset`` and ``truncate`` faults), and can require client
certificates (mutual TLS).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import attrs
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ssbx_http.stub.app import ConnectionRegistry, StubState, create_app

__all__ = ["StubServer", "StubTls"]


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


@attrs.frozen
class StubTls:
    """TLS for the stub: its certificate and key (PEM files), and with ``client_ca`` the
    CA whose client certificates it requires (mutual TLS; others are refused)."""

    cert: Path = attrs.field(converter=Path)
    key: Path = attrs.field(converter=Path)
    client_ca: Path | None = attrs.field(default=None, converter=_optional_path)


def _protocol_class(registry: ConnectionRegistry) -> type[asyncio.Protocol]:
    class _LendingProtocol(H11Protocol):
        """uvicorn's h11 protocol that registers each connection's transport."""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            registry.add(self.client, transport)

        def connection_lost(self, exc: Exception | None) -> None:
            registry.discard(self.client)
            super().connection_lost(exc)

    return _LendingProtocol


class StubServer:
    """The stub app served by uvicorn on ``host:port`` (port 0: a free port).

    ``start()`` runs it in a daemon thread and returns once it accepts connections;
    ``stop()`` shuts it down (requests in flight get one second to finish). Also a
    context manager. ``serve()`` runs it in the calling thread until interrupted (the CLI).
    """

    def __init__(
        self,
        state: StubState,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: StubTls | None = None,
        access_log: bool = False,
        log_level: str = "warning",
    ) -> None:
        registry = ConnectionRegistry()
        state.connections = registry
        self.state = state
        self.tls = tls
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections
        # only for sockets that say so, and without it Nagle's algorithm holds every
        # response body back until the client's delayed ACK (40 ms per request).
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((host, port))
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        options: dict[str, Any] = {}
        if tls is not None:
            options.update(ssl_certfile=str(tls.cert), ssl_keyfile=str(tls.key))
            if tls.client_ca is not None:
                options.update(ssl_ca_certs=str(tls.client_ca), ssl_cert_reqs=ssl.CERT_REQUIRED)
        config = uvicorn.Config(
            create_app(state),
            http=_protocol_class(registry),
            lifespan="off",
            log_config=None,
            log_level=log_level,
            access_log=access_log,
            timeout_graceful_shutdown=1,
            backlog=1024,
            **options,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The URL clients use, e.g. ``http://127.0.0.1:54321``."""
        scheme = "https" if self.tls is not None else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> Self:
        """Serve in a background thread; return once the server accepts connections.

        Raises:
            RuntimeError: if the server did not start within ``timeout`` seconds.
        """
        if self._thread is not None:
            raise RuntimeError("the stub server is already running")
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"ssbx-stub:{self.port}",
            daemon=True,
        )
        self._thread.start()
        end = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > end:
                self.stop()
                raise RuntimeError("the stub server did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and release the port."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._socket.close()

    def serve(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C / SIGTERM)."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def __enter__(self) -> Self:
        return self.start() if self._thread is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
