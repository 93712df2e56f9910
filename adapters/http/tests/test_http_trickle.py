"""A service that trickles its answer a byte at a time cannot hold either source past its
deadline (issue 19: the sync source overran a 3 s deadline by 17 s).

The server is a raw socket, because a real HTTP server sends its headers in one piece:
it answers each request on a connection as its script says, and trickles one byte every
``BYTE_EVERY`` seconds, well inside any read timeout, so that only the deadline can stop
the client. It gives up after ``TRICKLE_FOR`` seconds, so that a source that does not
keep its deadline fails these tests instead of hanging them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from http_helpers import fast_config, make_request

from ssbx_http import AsyncHttpSource, DeadlineExceeded, HttpSource, HttpSourceConfig
from ssbx_model.identity import Personnummer

DEADLINE = 1.5
#: Generous on a shared machine, and far below what a trickle would take (TRICKLE_FOR).
MARGIN = 1.5
BYTE_EVERY = 0.2
TRICKLE_FOR = 10.0
PERSON = Personnummer.parse("19900101-0017")

#: An answer whose headers never end.
HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nX-Padding: " + b"a" * 4096
#: Complete headers, then a body that never ends.
BODY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n<!--"
    + b"a" * 4096
)
#: A whole, quick answer that keeps the connection open for the next request.
UNAVAILABLE = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"


class TricklingServer:
    """Answers the n-th request on each connection with ``script[n]``: a whole answer
    (``UNAVAILABLE``) is sent at once, anything else a byte at a time."""

    def __init__(self, script: Sequence[bytes]) -> None:
        self.script = list(script)
        self.connections = 0
        self.requests = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read_request(self, conn: socket.socket, buffer: bytearray) -> bool:
        while b"\r\n\r\n" not in buffer:
            data = conn.recv(65536)
            if not data:
                return False
            buffer += data
        head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            data = conn.recv(65536)
            if not data:
                return False
            rest += data
        buffer[:] = rest[length:]
        return True

    def _serve(self, conn: socket.socket) -> None:
        buffer = bytearray()
        with conn:
            for answer in self.script:
                try:
                    if not self._read_request(conn, buffer):
                        return
                    self.requests += 1
                    if answer is UNAVAILABLE:
                        conn.sendall(answer)
                        continue
                    ends = time.monotonic() + TRICKLE_FOR
                    for byte in answer:
                        if self._stop.is_set() or time.monotonic() > ends:
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(BYTE_EVERY)
                except OSError:
                    return  # the client closed the connection: what it should do

    def stop(self) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=TRICKLE_FOR)
        self._listener.close()


SCRIPTS = {
    "headers": [HEADERS],
    "body": [BODY],
    # The trickle comes on a kept-alive connection that served a request before.
    "headers on a reused connection": [UNAVAILABLE, HEADERS],
}


@pytest.fixture(params=list(SCRIPTS))
def server(request: pytest.FixtureRequest) -> Iterator[TricklingServer]:
    running = TricklingServer(SCRIPTS[request.param])
    yield running
    running.stop()


def _config(server: TricklingServer) -> HttpSourceConfig:
    # The read timeout is far longer than the deadline: only the deadline can end it.
    return fast_config(server.base_url, deadline=DEADLINE, read_timeout=30.0, retries=3)


def _assert_kept(server: TricklingServer, caught: DeadlineExceeded, elapsed: float) -> None:
    assert elapsed < DEADLINE + MARGIN
    assert f"deadline of {DEADLINE:g} s" in str(caught)
    # Every request went over one connection, so the last attempt met the trickle.
    assert server.connections == 1
    assert server.requests == caught.attempts == len(server.script)


def test_the_sync_source_keeps_its_deadline_against_a_trickle(server: TricklingServer) -> None:
    started = time.monotonic()
    with HttpSource(_config(server)) as source, pytest.raises(DeadlineExceeded) as caught:
        source.fetch(make_request(PERSON))
    _assert_kept(server, caught.value, time.monotonic() - started)


@pytest.mark.anyio
async def test_the_async_source_keeps_its_deadline_against_a_trickle(
    server: TricklingServer,
) -> None:
    started = time.monotonic()
    async with AsyncHttpSource(_config(server)) as source:
        with pytest.raises(DeadlineExceeded) as caught:
            await source.fetch(make_request(PERSON))
    _assert_kept(server, caught.value, time.monotonic() - started)
