"""The INUK report sink: records in chunks to a REST endpoint, retried, deduplicated.

INUK's own API is not public ("länkarna för inlämning av data ... går till en
REST-tjänst som ligger på ett API", INUK, Frågor och svar (2019-04-01)), so the protocol here is
ours and small (see :data:`PROTOCOL` and docs/adapters/inuk.md):

1. ``POST {base}/v1/municipalities/{municipality}/months/{month}/records`` once per
   chunk of at most ``chunk_size`` records, body ``{"submission", "chunk", "chunks",
   "records"}``, header ``Idempotency-Key: <submission key>.<chunk>-<chunks>``. The
   endpoint stores each record under its ``record_id`` (the same id twice is stored once)
   and answers a repeated key with the first answer.
2. ``POST {base}/v1/municipalities/{municipality}/months/{month}/submissions`` with the
   submission's key as ``Idempotency-Key`` and the list of record ids: the endpoint
   checks it holds every one of them and answers with a receipt.

Connection failures, timeouts, ``408``, ``429`` and ``5xx`` answers are retried
(``retries`` times, exponential ``backoff``, ``Retry-After`` honoured); other answers fail
at once with :class:`~ssbx_model.errors.TransportError`. A submission cut off half-way is
simply sent again with the same key: chunks the endpoint has are answered from its
memory, records it has are not stored twice.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Final, Self

import httpx

from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import AdapterError, ReportError, TransportError
from ssbx_model.identity import mask_identity_numbers
from ssbx_model.ports import Receipt, ReportPayload

__all__ = ["DEFAULT_CHUNK_SIZE", "PROTOCOL", "InukSink", "create_sink"]

log = logging.getLogger("ssbx_inuk")

#: The version of our INUK REST protocol (sent as ``X-Ssbx-Protocol``).
PROTOCOL: Final = "ssbx-inuk-rest/1"
#: The format of the INUK report body the sink accepts.
REPORT_FORMAT: Final = "ssbx-inuk/1"
DEFAULT_CHUNK_SIZE: Final = 500
RETRYABLE: Final = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_DELAY: Final = 30.0


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _message(response: httpx.Response) -> str:
    """The endpoint's explanation, masked: it is outside text, logged and raised."""
    try:
        data = response.json()
    except ValueError:
        return mask_identity_numbers(response.reason_phrase or "no explanation")
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return mask_identity_numbers(str(data["error"]))
    return mask_identity_numbers(response.reason_phrase or "no explanation")


class SubmissionRefused(ReportError, TransportError):
    """The endpoint refused the content itself (HTTP 409 or 422), e.g. an idempotency key
    reused for other content: sending it again will not help, the report must change."""


#: Statuses by which the endpoint refuses what was sent rather than failing to take it.
CONTENT_REFUSALS = frozenset({409, 422})


class InukSink:
    """A :class:`~ssbx_model.ports.ReportSink` for the INUK report over a REST endpoint.

    Args:
        base_url: the endpoint's base URL, e.g. ``https://inuk.example/api``.
        token: a bearer token sent as ``Authorization`` (never shown in ``repr`` or logs).
        retries: how many times a failed request is tried again (0: never).
        backoff: the first wait between tries in seconds; it doubles each time (at most
            30 s) unless the endpoint sends ``Retry-After``.
        timeout: seconds to connect, write, read or wait for a pooled connection.
        chunk_size: records per request.
        transport: an httpx transport (tests pass ``httpx.MockTransport``).
        clock: stamps the receipts (``accepted_at``).
        sleep: how to wait between tries (tests pass a no-op).

    Only payloads of report ``inuk`` in the ``ssbx-inuk/1`` JSON format are accepted.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 30.0,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = utc_now,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(f"retries must be a whole number >= 0, not {retries!r}")
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a whole number >= 1, not {chunk_size!r}")
        if backoff < 0 or timeout <= 0:
            raise ValueError("backoff must be >= 0 and timeout > 0")
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.chunk_size = chunk_size
        self._clock = clock
        self._sleep = sleep
        headers = {"X-Ssbx-Protocol": PROTOCOL, "Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout),
            transport=transport,
        )

    # -- the port ------------------------------------------------------------------------

    def submit(self, payload: ReportPayload, *, idempotency_key: str) -> Receipt:
        """Send the INUK report ``payload`` in chunks, then commit it; return the receipt.

        Raises:
            AdapterError: the payload is not an INUK report in our JSON format.
            TransportError: the endpoint could not be reached after the retries, or
                refused a request (the message says which and why).
        """
        document = self._document(payload)
        records: list[dict[str, Any]] = document["records"]
        month = str(document["period"])
        base = f"/v1/municipalities/{payload.municipality}/months/{month}"
        chunks = [records[i : i + self.chunk_size] for i in range(0, len(records), self.chunk_size)]
        for index, chunk in enumerate(chunks, start=1):
            body = {
                "format": REPORT_FORMAT,
                "submission": idempotency_key,
                "chunk": index,
                "chunks": len(chunks),
                "records": chunk,
            }
            key = f"{idempotency_key}.{index}-{len(chunks)}"
            self._post(f"{base}/records", key, body, f"chunk {index} of {len(chunks)}")
        commit = {
            "format": REPORT_FORMAT,
            "submission": idempotency_key,
            "content_hash": payload.content_hash,
            "records": len(records),
            "record_ids": [r["record_id"] for r in records],
            "category_list": document.get("category_list"),
            "closes_at": document.get("closes_at"),
        }
        response = self._post(f"{base}/submissions", idempotency_key, commit, "commit")
        try:
            answer = response.json()
        except ValueError:  # json.JSONDecodeError, UnicodeDecodeError
            # Not chained: the decoder's error holds the body, which is the endpoint's text.
            raise TransportError(
                f"the INUK endpoint took the commit (HTTP {response.status_code}) but its "
                "answer is not a JSON receipt, so the receipt is unknown; sending again with "
                "the same key does not submit twice"
            ) from None
        reference = answer.get("receipt") if isinstance(answer, dict) else None
        return Receipt(
            idempotency_key=idempotency_key,
            accepted_at=self._clock(),
            reference=str(reference) if reference is not None else None,
            duplicate=response.headers.get("idempotent-replayed", "").lower() == "true",
        )

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _document(payload: ReportPayload) -> dict[str, Any]:
        if payload.report != "inuk":
            raise AdapterError(f"the INUK sink sends INUK reports, not {payload.report!r}")
        if not payload.media_type.startswith("application/json"):
            raise AdapterError(
                f"the INUK sink sends the JSON form of the report, not {payload.media_type!r}"
            )
        try:
            document = json.loads(payload.body)
        except ValueError:
            raise AdapterError("the INUK payload is not valid JSON") from None
        if not isinstance(document, dict) or document.get("format") != REPORT_FORMAT:
            raise AdapterError(f"the INUK payload is not in the {REPORT_FORMAT} format")
        records = document.get("records")
        if not isinstance(records, list) or not all(
            isinstance(r, dict) and isinstance(r.get("record_id"), str) for r in records
        ):
            raise AdapterError("the INUK payload's records must each have a record_id")
        if document.get("period") != payload.period:
            raise AdapterError("the INUK payload's period does not match its body")
        return document

    def _post(self, path: str, key: str, body: dict[str, Any], what: str) -> httpx.Response:
        content = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
        headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
        problem = "no attempt"
        delay = 0.0
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(delay)
            delay = min(MAX_DELAY, self.backoff * 2**attempt)
            try:
                response = self._client.post(path, content=content, headers=headers)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                problem = mask_identity_numbers(problem)
                log.info("INUK %s, try %d: %s", what, attempt + 1, problem)
                continue
            if response.status_code < 300:
                log.debug("INUK %s accepted (HTTP %d)", what, response.status_code)
                return response
            problem = f"HTTP {response.status_code}: {_message(response)}"
            if response.status_code in CONTENT_REFUSALS:
                raise SubmissionRefused(f"the INUK endpoint refused the {what}: {problem}")
            if response.status_code not in RETRYABLE:
                raise TransportError(f"the INUK endpoint refused the {what}: {problem}")
            log.info("INUK %s, try %d: %s", what, attempt + 1, problem)
            wait = _retry_after(response)
            if wait is not None:
                delay = min(MAX_DELAY, wait)
        raise TransportError(
            f"the INUK endpoint did not take the {what} after {self.retries + 1} tries "
            f"({problem}); the submission can be sent again with the same key"
        )

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connections."""
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

    def __repr__(self) -> str:
        return f"InukSink({self.base_url!r}, retries={self.retries}, chunk_size={self.chunk_size})"


_OPTIONS: Final[Sequence[str]] = (
    "token",
    "retries",
    "backoff",
    "timeout",
    "chunk_size",
    "transport",
    "clock",
    "sleep",
)


def create_sink(*, base_url: str, **options: Any) -> InukSink:
    """The ``inuk`` adapter's factory (entry point group ``ssbx_model.adapters``).

    ``load_adapter("inuk", base_url=..., token=...)`` gives an :class:`InukSink`; the
    other options are the sink's keyword arguments.
    """
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"the inuk adapter does not take {', '.join(unknown)}")
    return InukSink(base_url, **options)
