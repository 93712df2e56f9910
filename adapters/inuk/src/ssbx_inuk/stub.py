"""A loopback stub of the INUK REST endpoint, for integration tests (extra ``stub``).

It speaks the protocol of :class:`~ssbx_inuk.InukSink` and keeps everything in memory
(:class:`InukStubState`):

* a chunk is answered once per ``Idempotency-Key``; the same key again gets the first
  answer (header ``Idempotent-Replayed: true``); the same key with other content is
  refused (``422``);
* records are stored under their ``record_id``: the same record again is counted as a
  duplicate and not stored twice, a changed record replaces the earlier one;
* a commit is answered only when every record id it lists is stored, with a receipt,
  once per key.

Faults for tests: :meth:`InukStubState.drop_connection_after` lets the next *n* chunks
through, then **stores** the following chunk and drops the connection before its answer
is complete (the client sees the connection die and cannot know the chunk arrived);
:meth:`InukStubState.fail_next` answers the next requests with an error status.

:class:`InukStubServer` serves it with uvicorn in a background thread on a free loopback
port::

    with InukStubServer(InukStubState()) as stub:
        sink = InukSink(stub.base_url)
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections import Counter
from types import TracebackType
from typing import Any, Self

import attrs
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

__all__ = ["InukStubServer", "InukStubState", "create_stub_app"]


class _Dropped(Exception):
    """Raised mid-answer so that the server closes the connection."""


class _DroppedResponse(Response):
    """Starts an answer, sends a little of its body, then drops the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"acc', "more_body": True})
        raise _Dropped("the stub dropped the connection on purpose")


@attrs.define
class InukStubState:
    """What the stub holds and how it misbehaves. Thread-safe; read it from tests.

    ``token``, when set, must come as ``Authorization: Bearer <token>``.
    """

    token: str | None = None
    #: (municipality, month) -> record id -> record, in arrival order.
    records: dict[tuple[str, str], dict[str, dict[str, Any]]] = attrs.field(factory=dict)
    #: How many times each record id arrived (duplicates included).
    received: Counter[str] = attrs.field(factory=Counter)
    #: Idempotency key -> (request body hash, answer) of each chunk answered.
    batches: dict[str, tuple[str, dict[str, Any]]] = attrs.field(factory=dict)
    #: Submission key -> receipt answer of each commit.
    submissions: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    #: Every request: (method, path, idempotency key).
    requests: list[tuple[str, str, str | None]] = attrs.field(factory=list)
    _drop_after: int | None = None
    _failures: list[int] = attrs.field(factory=list)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def drop_connection_after(self, chunks: int) -> None:
        """Answer the next ``chunks`` chunk requests, then store the following chunk and
        drop its connection mid-answer (once)."""
        with self._lock:
            self._drop_after = chunks

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these statuses (e.g. ``503, 503``), in order."""
        with self._lock:
            self._failures.extend(statuses)

    def stored(self, municipality: str, month: str) -> list[dict[str, Any]]:
        """The records stored for a municipality and month, in arrival order."""
        with self._lock:
            return list(self.records.get((municipality, month), {}).values())


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def create_stub_app(state: InukStubState) -> Starlette:
    """The stub endpoint as a Starlette app over ``state``."""

    def _guard(request: Request) -> Response | None:
        key = request.headers.get("idempotency-key")
        with state._lock:
            state.requests.append((request.method, request.url.path, key))
            failure = state._failures.pop(0) if state._failures else None
        if failure is not None:
            return JSONResponse({"error": "the stub was told to fail"}, status_code=failure)
        if state.token is not None:
            expected = f"Bearer {state.token}"
            if request.headers.get("authorization") != expected:
                return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
        if not key:
            return JSONResponse({"error": "an Idempotency-Key header is required"}, 400)
        return None

    async def records(request: Request) -> Response:
        refused = _guard(request)
        if refused is not None:
            return refused
        key = request.headers["idempotency-key"]
        raw = await request.body()
        try:
            body = json.loads(raw)
            chunk = body["records"]
            assert isinstance(chunk, list)
            ids = [str(r["record_id"]) for r in chunk]
        except (ValueError, KeyError, TypeError, AssertionError):
            return JSONResponse({"error": "malformed chunk"}, status_code=400)
        month = (request.path_params["municipality"], request.path_params["month"])
        with state._lock:
            seen = state.batches.get(key)
            if seen is not None:
                if seen[0] != _hash(raw):
                    return JSONResponse(
                        {"error": "idempotency key reused for other content"}, status_code=422
                    )
                return JSONResponse(seen[1], headers={"Idempotent-Replayed": "true"})
            store = state.records.setdefault(month, {})
            counts = {"accepted": 0, "updated": 0, "duplicates": 0}
            for record_id, record in zip(ids, chunk, strict=True):
                state.received[record_id] += 1
                if record_id not in store:
                    counts["accepted"] += 1
                elif store[record_id] == record:
                    counts["duplicates"] += 1
                else:
                    counts["updated"] += 1
                store[record_id] = record
            state.batches[key] = (_hash(raw), counts)
            drop = state._drop_after == 0
            if state._drop_after is not None:
                state._drop_after = None if drop else state._drop_after - 1
        if drop:
            return _DroppedResponse()
        return JSONResponse(counts)

    async def submissions(request: Request) -> Response:
        refused = _guard(request)
        if refused is not None:
            return refused
        key = request.headers["idempotency-key"]
        try:
            body = json.loads(await request.body())
            wanted = [str(i) for i in body["record_ids"]]
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "malformed commit"}, status_code=400)
        municipality = request.path_params["municipality"]
        month = request.path_params["month"]
        with state._lock:
            done = state.submissions.get(key)
            if done is not None:
                return JSONResponse(done, headers={"Idempotent-Replayed": "true"})
            store = state.records.get((municipality, month), {})
            missing = [i for i in wanted if i not in store]
            if missing:
                return JSONResponse(
                    {"error": f"{len(missing)} of the submission's records have not arrived"},
                    status_code=409,
                )
            receipt = {
                "receipt": f"INUK-{municipality}-{month}-{len(state.submissions) + 1:04d}",
                "records": len(wanted),
            }
            state.submissions[key] = receipt
        return JSONResponse(receipt, status_code=201)

    base = "/v1/municipalities/{municipality}/months/{month}"
    return Starlette(
        routes=[
            Route(f"{base}/records", records, methods=["POST"]),
            Route(f"{base}/submissions", submissions, methods=["POST"]),
        ]
    )


class InukStubServer:
    """The stub served by uvicorn on a free loopback port, in a daemon thread.

    ``start()`` returns once it accepts connections; ``stop()`` shuts it down. Also a
    context manager. ``base_url`` is what :class:`~ssbx_inuk.InukSink` takes.
    """

    def __init__(self, state: InukStubState, *, host: str = "127.0.0.1") -> None:
        self.state = state
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            create_stub_app(state),
            lifespan="off",
            log_config=None,
            log_level="critical",  # the dropped connections are on purpose
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """E.g. ``http://127.0.0.1:54321``."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> Self:
        """Serve in a background thread; return once the server accepts connections.

        Raises:
            RuntimeError: if it did not start within ``timeout`` seconds.
        """
        if self._thread is not None:
            raise RuntimeError("the INUK stub is already running")
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"ssbx-inuk-stub:{self.port}",
            daemon=True,
        )
        self._thread.start()
        end = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > end:
                self.stop()
                raise RuntimeError("the INUK stub did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and release the port."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
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
