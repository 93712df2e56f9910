"""What one attempt means: deadlines, backoff, and turning a response or a failure into a
Case or a classified failure. Shared by the sync and the async source, which differ
only in how they send and sleep.
"""

from __future__ import annotations

import json
import logging
import random
import re
import ssl
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import httpx

from ssbx_http import _codec
from ssbx_http.config import HttpSourceConfig
from ssbx_http.errors import (
    DeadlineExceeded,
    FetchError,
    InvalidResponse,
    RequestRejected,
    ServiceUnavailable,
    TlsError,
)
from ssbx_http.wire import PROBLEM_MEDIA_TYPE
from ssbx_model.case import Case
from ssbx_model.clock import Clock
from ssbx_model.errors import SsbxError
from ssbx_model.information._base import Answer, AnswerStatus, Provenance
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.ports import FetchRequest

__all__ = [
    "PERSON_NOT_FOUND",
    "AttemptFailed",
    "Deadline",
    "Failure",
    "backoff_delay",
    "classify_exception",
    "final_error",
    "interpret",
]

log = logging.getLogger("ssbx_http")

#: The problem type of a 404 that means "this person is not in the provider's register".
#: A 404 without it (a wrong base URL, a proxy) is a rejected request, never "not found".
PERSON_NOT_FOUND: Final = "urn:ssbx:problem:person-not-found"

_MUNICIPALITY = re.compile(r"\d{4}\Z")


@attrs.frozen
class Failure:
    """One failed attempt, classified.

    ``kind`` is one of ``"timeout"``, ``"connection"``, ``"tls"``, ``"http-5xx"``,
    ``"http-4xx"``, ``"invalid-body"``, ``"invalid-response"``, ``"deadline"``.
    """

    kind: str
    retryable: bool
    cause_type: str
    detail: str
    status_code: int | None = None
    retry_after: float | None = None


class AttemptFailed(Exception):
    """Internal: carries a :class:`Failure` out of one attempt."""

    def __init__(self, failure: Failure) -> None:
        self.failure = failure
        super().__init__(failure.detail)


class Deadline:
    """The overall time budget of one fetch, on a monotonic clock."""

    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._end = monotonic() + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self._end - self._monotonic()

    @property
    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self.remaining() <= 0


def backoff_delay(
    attempt: int, config: HttpSourceConfig, rng: random.Random, retry_after: float | None = None
) -> float:
    """The wait before attempt ``attempt + 1``: exponential, capped, with full jitter.

    The bound is ``min(backoff_max, backoff_base * 2 ** (attempt - 1))``; with jitter the
    wait is drawn uniformly from ``[0, bound]`` ("full jitter"). A ``Retry-After`` from
    the service raises the wait to at most ``backoff_max``.
    """
    bound = min(config.backoff_max, config.backoff_base * 2 ** (attempt - 1))
    delay = rng.uniform(0.0, bound) if config.jitter else bound
    if retry_after is not None:
        delay = max(delay, min(retry_after, config.backoff_max))
    return delay


def _tls_cause(exc: BaseException) -> ssl.SSLError | None:
    """The certificate or handshake error behind ``exc``, if any.

    An ``SSLEOFError`` or ``SSLZeroReturnError`` is a connection cut during TLS, which
    may be transient, so it is not a TLS error here.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError) and not isinstance(
            current, ssl.SSLEOFError | ssl.SSLZeroReturnError
        ):
            return current
        current = current.__cause__ or current.__context__
    return None


def classify_exception(exc: httpx.HTTPError) -> Failure:
    """Classify an httpx failure: retryable (timeouts, connection errors, a body cut
    short) or not (TLS refusals, local misuse)."""
    name = type(exc).__name__
    tls = _tls_cause(exc)
    if tls is not None:
        reason = getattr(tls, "reason", None) or type(tls).__name__
        return Failure("tls", False, name, f"TLS handshake failed ({reason})")
    if isinstance(exc, httpx.TimeoutException):
        return Failure("timeout", True, name, f"the service did not answer in time ({name})")
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return Failure("connection", True, name, f"the connection failed ({name})")
    return Failure("invalid-response", False, name, f"the request could not be made ({name})")


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # HTTP dates are not honoured: this client never reads the wall clock.
    return seconds if seconds >= 0 else None


def _is_person_not_found(headers: Mapping[str, str], body: bytes) -> bool:
    if not headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE):
        return False
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(document, dict) and document.get("type") == PERSON_NOT_FOUND


def _not_found_case(
    request: FetchRequest, config: HttpSourceConfig, clock: Clock, schema_version: str
) -> Case:
    municipality = config.municipality
    if municipality is None and _MUNICIPALITY.match(request.requester.organisation):
        municipality = request.requester.organisation
    if municipality is None:
        raise AttemptFailed(
            Failure(
                "invalid-response",
                False,
                "HTTP 404",
                "the person is not known to the service, but no municipality is known for "
                "the Case: set HttpSourceConfig.municipality or use a four-digit "
                "municipality code as the requester's organisation",
                404,
            )
        )
    at = clock()
    answers: dict[str, Any] = {
        s.value: Answer.not_found(Provenance(SETS[s].provider, schema_version, at))
        for s in request.sets
    }
    return Case(person=request.person, municipality=municipality, **answers)


def _complete(request: FetchRequest, case: Case) -> Case:
    """Check a parsed case against the request and keep exactly the requested sets.

    Answers pass through as the service sent them, provenance included: the source does
    not invent a provider's schema version or a fetch time the service did not state.
    """
    if case.person != request.person:
        raise AttemptFailed(
            Failure(
                "invalid-response",
                False,
                "PersonMismatch",
                "the service answered about another person than the one asked for",
            )
        )
    missing = sorted(
        s.value for s in request.sets if case.answer(s).status is AnswerStatus.NOT_REQUESTED
    )
    if missing:
        raise AttemptFailed(
            Failure(
                "invalid-response",
                False,
                "PartialAnswer",
                f"the service left requested sets unanswered: {', '.join(missing)}",
            )
        )
    changes: dict[str, Any] = {}
    extra = [
        name.value
        for name in InformationSet
        if name not in request.sets and case.answer(name).status is not AnswerStatus.NOT_REQUESTED
    ]
    for name in extra:
        changes[name] = Answer.not_requested()
    if extra:
        # Purpose-bound access: what was not asked for is not passed on.
        log.warning("the service sent sets that were not requested; dropped: %s", extra)
    if case.interventions:
        changes["interventions"] = ()
    if case.reference is not None:
        changes["reference"] = None
    return attrs.evolve(case, **changes) if changes else case


def interpret(
    request: FetchRequest,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    config: HttpSourceConfig,
    clock: Clock,
) -> Case:
    """The Case a complete response means, or :class:`AttemptFailed`.

    200 with a case document: parsed fully by the codec (which raises on any defect),
    checked against the request. A document that is not well formed (cut short,
    garbled) may be transient and is retried; one that is well formed but invalid is not.
    404 with the person-not-found problem: every requested set ``not-found``.
    5xx: retried. Other statuses: not retried.
    """
    codec = _codec.codec_for(config.body_format)
    schema_version = codec.schema_version()
    if status == 200:
        try:
            case = codec.loads(body)
        except (SsbxError, ValueError) as exc:
            if codec.is_syntax_error(exc, body):
                raise AttemptFailed(
                    Failure(
                        "invalid-body",
                        True,
                        type(exc).__name__,
                        f"the case document is not well-formed {codec.name.upper()} "
                        "(cut short or garbled)",
                        status,
                    )
                ) from exc
            raise AttemptFailed(
                Failure(
                    "invalid-response",
                    False,
                    type(exc).__name__,
                    f"the case document is not valid ({type(exc).__name__})",
                    status,
                )
            ) from exc
        return _complete(request, case)
    if status == 404 and _is_person_not_found(headers, body):
        return _not_found_case(request, config, clock, schema_version)
    if 500 <= status <= 599:
        raise AttemptFailed(
            Failure(
                "http-5xx",
                True,
                f"HTTP {status}",
                f"the service failed with HTTP {status}",
                status,
                _retry_after(headers),
            )
        )
    if 400 <= status <= 499:
        raise AttemptFailed(
            Failure(
                "http-4xx",
                False,
                f"HTTP {status}",
                f"the service refused with HTTP {status}",
                status,
            )
        )
    raise AttemptFailed(
        Failure(
            "invalid-response",
            False,
            f"HTTP {status}",
            f"the service answered with unexpected HTTP status {status}",
            status,
        )
    )


def final_error(
    request: FetchRequest,
    failure: Failure | None,
    *,
    attempts: int,
    request_id: str,
    deadline: Deadline,
    deadline_hit: bool,
    over_tls: bool = False,
) -> FetchError:
    """The error raised for a fetch that gave up after ``failure``."""
    what = f"fetching {len(request.sets)} information set(s) for {request.person}"
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    cause = failure.cause_type if failure else None
    status = failure.status_code if failure else None
    kw: dict[str, Any] = {"attempts": attempts, "cause_type": cause, "request_id": request_id}
    last = f"; last failure: {failure.detail}" if failure else ""
    if deadline_hit:
        return DeadlineExceeded(
            f"{what} did not finish within the deadline of {deadline.seconds:g} s "
            f"({tries}{last}) [request {request_id}]",
            status_code=status,
            **kw,
        )
    assert failure is not None
    hint = ""
    if over_tls and failure.kind == "connection" and failure.cause_type == "RemoteProtocolError":
        # Under TLS 1.3 a server checks the client certificate after the handshake, and
        # some servers then just close the connection without a readable alert.
        hint = " (over TLS this is also how a server may refuse the client certificate)"
    message = f"{what} failed after {tries}: {failure.detail}{hint} [request {request_id}]"
    if failure.kind == "tls":
        return TlsError(message, status_code=status, **kw)
    if failure.kind == "http-4xx":
        return RequestRejected(message, status_code=status, **kw)
    if failure.kind in ("invalid-response", "invalid-body"):
        return InvalidResponse(message, status_code=status, **kw)
    return ServiceUnavailable(message, status_code=status, **kw)
