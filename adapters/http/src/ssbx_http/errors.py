"""Errors of the HTTP information source.

Every failure of a fetch is a :class:`FetchError`, a subclass of
:class:`ssbx_model.errors.TransportError`, so callers that only know the core library can
catch ``TransportError``. The subclasses say what went wrong; ``attempts`` says how often
the source tried, ``cause_type`` names the underlying exception type (``"ReadTimeout"``,
``"XmlSyntaxError"``, ...) and ``request_id`` is the correlation id sent to the service
(``SSBX-Request-Id``), to find the calls in the provider's logs.

Messages name the person masked (``19900101-****``), never in clear.
"""

from __future__ import annotations

from ssbx_model.errors import TransportError

__all__ = [
    "DeadlineExceeded",
    "FetchError",
    "InvalidResponse",
    "RequestRejected",
    "ServiceUnavailable",
    "TlsError",
]


class FetchError(TransportError):
    """A fetch failed; the subclass says why.

    Attributes:
        attempts: how many HTTP requests were sent (0 when none could be).
        cause_type: the type name of the last underlying failure, e.g. ``"ConnectError"``,
            ``"HTTP 503"``, ``"XmlSyntaxError"``; None when there was none.
        request_id: the correlation id sent as ``SSBX-Request-Id`` (one per fetch, the same
            on every attempt).
        status_code: the last HTTP status received, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        cause_type: str | None = None,
        request_id: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.attempts = attempts
        self.cause_type = cause_type
        self.request_id = request_id
        self.status_code = status_code
        super().__init__(message)


class ServiceUnavailable(FetchError):
    """Every attempt failed with a transient failure (connection error, timeout, HTTP 5xx,
    or a body cut short) and the retries are used up."""


class DeadlineExceeded(FetchError):
    """The overall deadline of the fetch passed before an answer arrived."""


class RequestRejected(FetchError):
    """The service refused the request with an HTTP 4xx status (never retried): the
    request, the caller's rights or the configuration must change, not the timing."""


class InvalidResponse(FetchError):
    """The service answered with something that is not a usable case document: a body
    that does not parse or validate, a case about another person, or a case that leaves
    a requested set unanswered. It is never turned into a partial Case."""


class TlsError(FetchError):
    """The TLS handshake failed: the server's certificate is not trusted, or the server
    refused the client certificate (mutual TLS). Not retried."""
