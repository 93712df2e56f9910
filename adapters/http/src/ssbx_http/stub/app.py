"""The stub service as an ASGI application (starlette).

Public API (described in ``openapi.json``, served at ``GET /openapi.json``):

* ``POST /v1/cases/fetch``: the request document of :mod:`ssbx_http.wire` in, the case
  document (XML) out, holding exactly the requested sets, each with provenance; ``404``
  with the person-not-found problem for an unknown person; ``400``/``413``/``415``/
  ``422`` problem documents for bad requests (never repeating the person's number).
* ``GET /v1/health``: liveness and what the stub serves.

Admin API, for tests (tag ``admin``):

* ``GET`` / ``POST`` / ``DELETE /v1/_faults``: read, replace or clear the faults
  (:class:`ssbx_http.stub.faults.Faults` as JSON);
* ``GET`` / ``DELETE /v1/_stats``: read or reset the request counters.

Faults that act on the connection (``reset``, ``truncate``) need the socket, which the
stub's own server (:mod:`ssbx_http.stub.server`) lends through a
:class:`ConnectionRegistry`; run in-process (an ASGI test client) they raise
:class:`ConnectionFault` inside the app instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import struct
import threading
from collections import Counter
from importlib import resources
from typing import Any, Final

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ssbx_http import _codec
from ssbx_http._policy import PERSON_NOT_FOUND
from ssbx_http.stub.data import CaseBook, answer
from ssbx_http.stub.faults import FaultInjector, FaultPlan, Faults
from ssbx_http.wire import (
    ATTEMPT_HEADER,
    FETCH_PATH,
    HEALTH_PATH,
    PROBLEM_MEDIA_TYPE,
    REQUEST_ID_HEADER,
    decode_request,
    problem_document,
)
from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import ValidationError

__all__ = [
    "ConnectionFault",
    "ConnectionRegistry",
    "StubState",
    "StubStats",
    "create_app",
    "openapi_document",
]

log = logging.getLogger("ssbx_http.stub")

MAX_REQUEST_BYTES: Final = 64 * 1024
_NOT_A_DOCUMENT: Final = b"Upstream register overloaded; try again later.\n"
_NOT_A_CASE: Final = {
    "xml": (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<unexpected xmlns="urn:ssbx:stub:fault">this is not a case document</unexpected>\n'
    ),
    "json": b'{"unexpected": "this is not a case document"}\n',
}


class ConnectionFault(Exception):
    """Raised inside the app for a connection fault when no socket is at hand."""


class ConnectionRegistry:
    """The open connections of a server, by client address, so the app can cut one.

    Filled by the server's protocol class (:mod:`ssbx_http.stub.server`); used only on
    the server's event loop.
    """

    def __init__(self) -> None:
        self._transports: dict[tuple[str, int], asyncio.Transport] = {}

    def add(self, client: tuple[str, int] | None, transport: asyncio.Transport) -> None:
        """Remember the transport of a new connection."""
        if client is not None:
            self._transports[client] = transport

    def discard(self, client: tuple[str, int] | None) -> None:
        """Forget a closed connection."""
        if client is not None:
            self._transports.pop(client, None)

    def cut(self, client: Any, *, reset: bool) -> bool:
        """Close a client's connection: abruptly with a TCP RST (``reset``), or with a
        FIN after flushing what was written. False when the connection is unknown."""
        transport = self._transports.get(tuple(client)) if client else None
        if transport is None:
            return False
        if reset:
            sock = transport.get_extra_info("socket")
            if sock is not None:
                # Linger 0: closing sends RST instead of FIN, the classic "connection reset".
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        else:
            transport.close()
        return True


class StubStats:
    """Counters of the fetch endpoint (thread-safe), served at ``GET /v1/_stats``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Set every counter to zero."""
        with self._lock:
            self._requests = 0
            self._responses: Counter[str] = Counter()
            self._faults: Counter[str] = Counter()
            self._attempts: Counter[str] = Counter()
            self._request_ids: set[str] = set()
            self._in_flight = 0
            self._max_in_flight = 0

    def request(self, request_id: str | None, attempt: str | None) -> None:
        """Count one request to the fetch endpoint."""
        with self._lock:
            self._requests += 1
            if request_id:
                self._request_ids.add(request_id[:64])
            if attempt and attempt.isdigit() and len(attempt) < 4:
                self._attempts[attempt] += 1

    def enter(self) -> None:
        """A fetch started being handled."""
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def leave(self) -> None:
        """A fetch finished being handled."""
        with self._lock:
            self._in_flight -= 1

    def response(self, status: int) -> None:
        """Count a response sent with ``status``."""
        with self._lock:
            self._responses[str(status)] += 1

    def fault(self, kind: str) -> None:
        """Count an injected failure."""
        with self._lock:
            self._faults[kind] += 1

    def to_json(self) -> dict[str, Any]:
        """The counters as JSON: ``fetch_requests`` (every request to the fetch endpoint,
        retries included), ``distinct_request_ids`` (fetches, by ``SSBX-Request-Id``),
        ``attempts`` (by ``SSBX-Attempt``), ``responses`` (by status), ``faults`` (by
        kind) and ``max_in_flight`` (the most fetches handled at once)."""
        with self._lock:
            return {
                "fetch_requests": self._requests,
                "distinct_request_ids": len(self._request_ids),
                "attempts": dict(sorted(self._attempts.items())),
                "responses": dict(sorted(self._responses.items())),
                "faults": dict(sorted(self._faults.items())),
                "max_in_flight": self._max_in_flight,
            }


class StubState:
    """Everything the stub app holds: the cases, the faults, the counters, the clock."""

    def __init__(
        self,
        book: CaseBook,
        *,
        faults: Faults | None = None,
        clock: Clock = utc_now,
        connections: ConnectionRegistry | None = None,
    ) -> None:
        self.book = book
        self.injector = FaultInjector(faults)
        self.stats = StubStats()
        self.clock = clock
        self.connections = connections


def openapi_document() -> dict[str, Any]:
    """The stub's OpenAPI 3.1 description (shipped as ``openapi.json``)."""
    text = resources.files("ssbx_http.stub").joinpath("openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _problems_detail(problems: list[dict[str, str]]) -> str:
    """A problem document's ``detail`` for a list of problems: a sentence a developer can
    act on (``2 problems: person: ...; sets: ...``), the list itself under ``problems``."""
    parts = "; ".join(f"{p['path'] or '(document)'}: {p['message']}" for p in problems)
    count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
    return f"{count}: {parts}"


def _problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    return Response(
        problem_document(status, title, detail, **extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
    )


class _FetchEndpoint:
    """``POST /v1/cases/fetch`` as a raw ASGI app, to control the bytes on the wire."""

    def __init__(self, state: StubState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = self.state
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get(REQUEST_ID_HEADER.lower())
        state.stats.request(request_id, headers.get(ATTEMPT_HEADER.lower()))
        state.stats.enter()
        try:
            response = await self._handle(scope, receive, send, headers, request_id)
            if response is not None:
                state.stats.response(response.status_code)
                await response(scope, receive, send)
        finally:
            state.stats.leave()

    async def _handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[str, str],
        request_id: str | None,
    ) -> Response | None:
        state = self.state
        body = await _read_body(receive, MAX_REQUEST_BYTES)
        if body is None:
            return _problem(413, "Request too large", f"at most {MAX_REQUEST_BYTES} bytes")
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return _problem(415, "Unsupported media type", "send the request as application/json")
        try:
            request = decode_request(body)
        except ValidationError as exc:
            if exc.paths == [""]:
                return _problem(400, "Bad request", exc.problems[0].message)
            problems = [{"path": p.path, "message": p.message} for p in exc.problems]
            return _problem(
                422, "Invalid request document", _problems_detail(problems), problems=problems
            )

        plan = state.injector.draw()
        if plan.failure is not None:
            state.stats.fault(plan.failure)
            log.info("stub fault %s for request %s", plan.failure, request_id)
        if plan.latency_s and await _disconnected_within(receive, plan.latency_s):
            return None
        if plan.failure == "reset":
            await self._cut(scope, receive, reset=True)
            return None
        if plan.failure == "timeout" and await _disconnected_within(receive, plan.hang_s):
            return None
        if plan.failure == "error":
            return _problem(
                plan.error_status, "Injected failure", "the stub was told to fail this request"
            )

        stored = state.book.get(request.person)
        if stored is None:
            return _problem(
                404,
                "Person not found",
                "the person is not in this provider's register",
                type=PERSON_NOT_FOUND,
            )
        case = answer(
            stored,
            request,
            at=state.clock(),
            unavailable=plan.unavailable_sets & request.sets,
            unavailable_reason=plan.unavailable_reason,
        )
        codec = _codec.negotiate(headers.get("accept", ""))
        data = codec.dumps(case)
        if plan.failure == "truncate":
            await self._truncated(scope, receive, send, data, codec.media_type)
            return None
        return Response(_spoil(data, plan, codec), media_type=codec.media_type)

    async def _cut(self, scope: Scope, receive: Receive, *, reset: bool) -> None:
        connections = self.state.connections
        if connections is None or not connections.cut(scope.get("client"), reset=reset):
            raise ConnectionFault("connection fault injected (no socket to cut in-process)")
        # Let the server see the connection go, so it does not try to answer.
        await _disconnected_within(receive, 1.0)

    async def _truncated(
        self, scope: Scope, receive: Receive, send: Send, data: bytes, media_type: str
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", media_type.encode()),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": data[: len(data) // 2], "more_body": True}
        )
        self.state.stats.response(200)
        await self._cut(scope, receive, reset=False)


def _spoil(data: bytes, plan: FaultPlan, codec: _codec.BodyCodec) -> bytes:
    """The body a ``cut`` or ``malformed`` fault sends instead of ``data``.

    ``not-xml`` is plain text (no document at all); ``invalid-xml`` breaks the syntax of
    the negotiated format at the end; ``invalid-case`` is a well-formed document of that
    format that is not a case document.
    """
    if plan.failure == "cut":
        return data[: len(data) // 2]
    if plan.failure != "malformed":
        return data
    if plan.malformed_kind == "not-xml":
        return _NOT_A_DOCUMENT
    if plan.malformed_kind == "invalid-xml":
        if codec.name == "json":
            return data.rstrip()[:-1] + b",]"
        head, _, _ = data.rpartition(b"</")
        return head + b"</not-the-root>\n"
    return _NOT_A_CASE[codec.name]


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit``."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _disconnected_within(receive: Receive, seconds: float) -> bool:
    """Wait up to ``seconds``; True as soon as the client disconnects."""
    with anyio.move_on_after(seconds):
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return True
    return False


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def create_app(state: StubState) -> Starlette:
    """The stub's ASGI application over ``state``."""

    async def health(_: Request) -> Response:
        return _json(
            {
                "status": "ok",
                "cases": len(state.book),
                "data": state.book.description,
                "faults_active": state.injector.faults.active,
            }
        )

    async def openapi(_: Request) -> Response:
        return _json(openapi_document())

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            try:
                document = json.loads(await request.body())
                new = Faults.from_json(document)
            except ValueError as exc:
                if isinstance(exc, ValidationError):
                    problems = [{"path": p.path, "message": p.message} for p in exc.problems]
                else:
                    problems = [{"path": "", "message": "the body is not a JSON document"}]
                return _problem(
                    422, "Invalid faults", _problems_detail(problems), problems=problems
                )
            state.injector.set(new)
            log.info("stub faults set: %s", new.to_json())
        elif request.method == "DELETE":
            state.injector.set(Faults())
        return _json(state.injector.faults.to_json())

    async def stats(request: Request) -> Response:
        if request.method == "DELETE":
            state.stats.reset()
        return _json(state.stats.to_json())

    routes = [
        Route(FETCH_PATH, _FetchEndpoint(state), methods=["POST"]),
        Route(HEALTH_PATH, health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/_faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/v1/_stats", stats, methods=["GET", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.stub = state
    return app
