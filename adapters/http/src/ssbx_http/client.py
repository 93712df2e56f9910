"""The HTTP information source: fetch a person's information sets from an SSBTX-style
service, synchronously (:class:`HttpSource`) or asynchronously (:class:`AsyncHttpSource`).

One fetch is one ``POST /v1/cases/fetch`` with the request document of
:mod:`ssbx_http.wire` (person, purpose, date, sets, requester) in the body, retried on
transient failures within an overall deadline:

* **retried** (exponential backoff with full jitter, at most ``retries`` attempts):
  connection errors and resets, timeouts, HTTP 5xx, a body cut short (fewer bytes than
  its ``Content-Length``) and a case document that is not well-formed XML;
* **never retried**: HTTP 4xx, TLS refusals, a well-formed but invalid document (it
  would be the same next time), a case about another person, or one that leaves a
  requested set unanswered;
* the **deadline** bounds everything: each attempt's timeouts are cut to the time left,
  no wait is started that would end after it, and an attempt still running at the
  deadline ends there, however slowly the service trickles its answer (the async source
  cancels it; the sync source's transport cuts every socket wait to the deadline, see
  :mod:`ssbx_http._transport`).

What comes back:

* a :class:`~ssbx_model.case.Case` answering every requested set and no other. A set
  the provider could not deliver is ``unavailable`` with the provider's reason (the
  service says so per set in the document); a person unknown to the provider (HTTP 404
  with the person-not-found problem) gives every requested set ``not-found``;
* otherwise a :class:`~ssbx_http.errors.FetchError` is **raised** (a
  :class:`ssbx_model.errors.TransportError`): the source never returns a Case that
  pretends to know what it could not fetch, and never a partial one. In a batch
  (``fetch_many``) that error is returned in the person's place instead.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, Self

import anyio
import httpx

from ssbx_http._codec import codec_for
from ssbx_http._policy import (
    AttemptFailed,
    Deadline,
    Failure,
    backoff_delay,
    classify_exception,
    final_error,
    interpret,
)
from ssbx_http._transport import DeadlineTransport, deadline_applies
from ssbx_http.config import HttpSourceConfig
from ssbx_http.errors import FetchError
from ssbx_http.wire import ATTEMPT_HEADER, PROBLEM_MEDIA_TYPE, REQUEST_ID_HEADER, encode_request
from ssbx_model.case import Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import AdapterError
from ssbx_model.ports import FetchRequest

__all__ = ["AsyncHttpSource", "BatchResult", "HttpSource", "create_source"]

log = logging.getLogger("ssbx_http")

#: One entry of a batch: the person's Case, or the error that fetch would have raised.
BatchResult = Case | AdapterError

#: TCP_NODELAY: the request's headers and body go out in two writes; with Nagle's
#: algorithm the body waits for the server's delayed ACK of the headers (40 ms on Linux).
_SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]

#: Responses larger than this are refused (a runaway or hostile service).
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


def _headers(config: HttpSourceConfig, request_id: str, attempt: int) -> dict[str, str]:
    media_type = codec_for(config.body_format).media_type
    return {
        "Content-Type": "application/json",
        "Accept": f"{media_type}, {PROBLEM_MEDIA_TYPE}",
        REQUEST_ID_HEADER: request_id,
        ATTEMPT_HEADER: str(attempt),
    }


class _Chunks:
    """Collects a response body, enforcing the size limit and the deadline per chunk."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_RESPONSE_BYTES:
            raise AttemptFailed(
                Failure(
                    "invalid-response",
                    False,
                    "ResponseTooLarge",
                    f"the response is larger than {MAX_RESPONSE_BYTES} bytes",
                )
            )
        self._parts.append(chunk)
        if self._deadline.expired:
            raise AttemptFailed(
                Failure("deadline", False, "Deadline", "the deadline passed during the body")
            )

    def body(self) -> bytes:
        return b"".join(self._parts)


class _Fetcher:
    """Bookkeeping of one fetch: id, attempts, deadline, the last failure."""

    def __init__(self, source: HttpSource | AsyncHttpSource, request: FetchRequest) -> None:
        self.config = source.config
        self.request = request
        self.body = encode_request(request)
        self.request_id = uuid.uuid4().hex
        self.deadline = Deadline(self.config.deadline)
        self.attempts = 0
        self.failure: Failure | None = None
        self.cause: BaseException | None = None
        self._rng = source._rng

    def error(self, *, deadline_hit: bool) -> FetchError:
        return final_error(
            self.request,
            self.failure,
            attempts=self.attempts,
            request_id=self.request_id,
            deadline=self.deadline,
            deadline_hit=deadline_hit,
            over_tls=self.config.fetch_url.startswith("https:"),
        )

    def next_delay(self, exc: AttemptFailed) -> float:
        """Record a failed attempt; the wait before the next one, or raise the final error."""
        failure = exc.failure
        if failure.kind != "deadline" or self.failure is None:
            # A deadline cut reports the failure before it, which says more.
            self.failure, self.cause = failure, exc.__cause__
        log.info(
            "ssbx_http request %s attempt %d/%d failed: %s (%s)",
            self.request_id,
            self.attempts,
            self.config.retries,
            failure.cause_type,
            failure.kind,
        )
        if failure.kind == "deadline" or (failure.retryable and self.deadline.expired):
            raise self.error(deadline_hit=True) from self.cause
        if not failure.retryable or self.attempts >= self.config.retries:
            raise self.error(deadline_hit=False) from self.cause
        delay = backoff_delay(self.attempts, self.config, self._rng, failure.retry_after)
        if delay >= self.deadline.remaining():
            # Waiting would end after the deadline: give up now rather than later.
            raise self.error(deadline_hit=True) from self.cause
        return delay

    def start_attempt(self) -> float:
        """Count an attempt; the seconds left for it (or raise if none are)."""
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise self.error(deadline_hit=True) from self.cause
        self.attempts += 1
        return remaining

    def build(self, client: httpx.Client | httpx.AsyncClient, remaining: float) -> httpx.Request:
        return client.build_request(
            "POST",
            self.config.fetch_url,
            content=self.body,
            headers=_headers(self.config, self.request_id, self.attempts),
            timeout=self.config.timeout(remaining),
        )


class HttpSource:
    """An :class:`ssbx_model.ports.InformationSource` over HTTP (sync, ``httpx.Client``).

    Args:
        config: where the service is and how to reach it.
        clock: the clock for provenance timestamps the source adds itself (answers
            without provenance, not-found answers).
        transport: an ``httpx.BaseTransport`` to use instead of the default one (e.g.
            ``httpx.MockTransport`` in tests, or a transport with a proxy). The TLS and
            pool settings of ``config`` are then the transport's business, and so is
            the deadline within a read: the source checks it only between chunks of the
            body, while its default transport ends every socket wait at the deadline.
        rng: the random generator for backoff jitter (seed it for reproducible waits).

    Thread-safe: one source may serve many threads, sharing its connection pool. Close
    it (or use it as a context manager) to release the connections.
    """

    def __init__(
        self,
        config: HttpSourceConfig,
        *,
        clock: Clock = utc_now,
        transport: httpx.BaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self._clock = clock
        self._rng = rng or random.Random()
        if transport is None:
            transport = DeadlineTransport(
                ssl_context=config.ssl_context(),
                limits=config.limits(),
                socket_options=_SOCKET_OPTIONS,
            )
        self._client = httpx.Client(
            transport=transport,
            timeout=config.timeout(),
            headers={"User-Agent": config.user_agent},
            follow_redirects=False,
            trust_env=False,
        )

    def fetch(self, request: FetchRequest) -> Case:
        """Fetch the requested sets for one person (see the module documentation).

        Raises:
            FetchError: a :class:`ssbx_model.errors.TransportError` subclass saying why:
                ``ServiceUnavailable``, ``DeadlineExceeded``, ``RequestRejected``,
                ``InvalidResponse`` or ``TlsError``.
        """
        fetcher = _Fetcher(self, request)
        while True:
            remaining = fetcher.start_attempt()
            try:
                return self._attempt(fetcher, remaining)
            except AttemptFailed as exc:
                delay = fetcher.next_delay(exc)
            time.sleep(delay)

    def _attempt(self, fetcher: _Fetcher, remaining: float) -> Case:
        http_request = fetcher.build(self._client, remaining)
        chunks = _Chunks(fetcher.deadline)
        try:
            # A thread blocked in a read cannot be cancelled: the default transport cuts
            # each socket wait to this deadline instead (headers included).
            with deadline_applies(fetcher.deadline):
                response = self._client.send(http_request, stream=True)
                try:
                    for chunk in response.iter_bytes():
                        chunks.add(chunk)
                finally:
                    response.close()
        except httpx.HTTPError as exc:
            raise AttemptFailed(classify_exception(exc)) from exc
        return interpret(
            fetcher.request,
            response.status_code,
            response.headers,
            chunks.body(),
            config=self.config,
            clock=self._clock,
        )

    def fetch_many(
        self, requests: Iterable[FetchRequest], *, max_concurrency: int | None = None
    ) -> list[BatchResult]:
        """Fetch many people, ``max_concurrency`` at a time (threads), results in order.

        Each entry is the person's Case or the :class:`ssbx_model.errors.AdapterError`
        that ``fetch`` would have raised for that person; one failure never fails the
        batch. Other exceptions (programming errors) propagate.
        """
        items = list(requests)
        workers = max(1, min(max_concurrency or self.config.max_concurrency, len(items)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ssbx-http") as pool:
            return list(pool.map(self._fetch_or_error, items))

    def _fetch_or_error(self, request: FetchRequest) -> BatchResult:
        try:
            return self.fetch(request)
        except AdapterError as exc:
            return exc

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncHttpSource:
    """An :class:`ssbx_model.ports.AsyncInformationSource` over HTTP (``httpx.AsyncClient``).

    Same arguments and behaviour as :class:`HttpSource`; ``transport`` is an
    ``httpx.AsyncBaseTransport``. Runs on asyncio or trio (through anyio). The deadline
    also cancels an attempt in flight, so a service that trickles bytes cannot hold a
    fetch past it.
    """

    def __init__(
        self,
        config: HttpSourceConfig,
        *,
        clock: Clock = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self._clock = clock
        self._rng = rng or random.Random()
        if transport is None:
            transport = httpx.AsyncHTTPTransport(
                verify=config.ssl_context(),
                limits=config.limits(),
                retries=0,
                socket_options=_SOCKET_OPTIONS,
            )
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=config.timeout(),
            headers={"User-Agent": config.user_agent},
            follow_redirects=False,
            trust_env=False,
        )

    async def fetch(self, request: FetchRequest) -> Case:
        """Fetch the requested sets for one person; see :meth:`HttpSource.fetch`."""
        fetcher = _Fetcher(self, request)
        while True:
            remaining = fetcher.start_attempt()
            try:
                try:
                    with anyio.fail_after(remaining):
                        return await self._attempt(fetcher, remaining)
                except TimeoutError as exc:
                    failure = Failure("deadline", False, "Deadline", "the deadline passed")
                    raise AttemptFailed(failure) from exc
            except AttemptFailed as exc:
                delay = fetcher.next_delay(exc)
            await anyio.sleep(delay)

    async def _attempt(self, fetcher: _Fetcher, remaining: float) -> Case:
        http_request = fetcher.build(self._client, remaining)
        chunks = _Chunks(fetcher.deadline)
        try:
            response = await self._client.send(http_request, stream=True)
            try:
                async for chunk in response.aiter_bytes():
                    chunks.add(chunk)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            raise AttemptFailed(classify_exception(exc)) from exc
        return interpret(
            fetcher.request,
            response.status_code,
            response.headers,
            chunks.body(),
            config=self.config,
            clock=self._clock,
        )

    async def fetch_many(
        self, requests: Iterable[FetchRequest], *, max_concurrency: int | None = None
    ) -> list[BatchResult]:
        """Fetch many people concurrently, results in the order of ``requests``.

        At most ``max_concurrency`` (default: the config's) fetches run at once: a fixed
        pool of that many tasks takes the requests in turn, which bounds concurrency like
        a semaphore without creating a task per person. Each entry is the person's Case
        or the :class:`ssbx_model.errors.AdapterError` that ``fetch`` would have raised
        for that person; one failure never fails the batch. Other exceptions
        (programming errors, cancellation) propagate and cancel the batch.
        """
        items = list(requests)
        results: list[BatchResult | None] = [None] * len(items)
        pending = iter(enumerate(items))

        async def worker() -> None:
            for index, request in pending:
                try:
                    results[index] = await self.fetch(request)
                except AdapterError as exc:
                    results[index] = exc

        workers = min(max_concurrency or self.config.max_concurrency, len(items))
        async with anyio.create_task_group() as group:
            for _ in range(workers):
                group.start_soon(worker)
        done: list[BatchResult] = []
        for result in results:
            assert result is not None
            done.append(result)
        return done

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def create_source(base_url: str | None = None, **options: Any) -> HttpSource:
    """Build an :class:`HttpSource` (the ``ssbx_model.adapters`` entry point ``http``).

    ``base_url`` defaults to the environment variable ``SSBX_HTTP_BASE_URL``; other
    keyword arguments are :class:`HttpSourceConfig` fields.
    """
    url = base_url if base_url is not None else os.environ.get("SSBX_HTTP_BASE_URL", "")
    return HttpSource(HttpSourceConfig(url, **options))
