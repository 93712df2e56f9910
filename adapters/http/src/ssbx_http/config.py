"""Configuration of the HTTP information source: where, how securely, how patiently.

:class:`HttpSourceConfig` is an immutable value validated at construction (a bad value
raises one :class:`ssbx_model.errors.ValidationError` listing every problem by field).
"""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
from pathlib import Path
from typing import Any

import attrs
import httpx

from ssbx_model.errors import Problem, ValidationError

__all__ = ["HttpSourceConfig"]

_MUNICIPALITY = re.compile(r"\d{4}\Z")

StrPath = str | os.PathLike[str]


def _path(value: StrPath | None) -> Path | None:
    return None if value is None else Path(value)


def _is_loopback(host: str) -> bool:
    """True for ``localhost`` and the loopback addresses 127.0.0.0/8 and ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # another name: it may resolve anywhere


@attrs.frozen
class HttpSourceConfig:
    """How the HTTP source reaches an SSBTX-style service.

    Args:
        base_url: the service's root, e.g. ``https://ssbtx.example:8443``; the source calls
            ``{base_url}/v1/cases/fetch``. It must be ``https://``: the request carries
            the person's identity number. Plain ``http://`` is accepted only to a
            loopback address and only with ``allow_plain_http_loopback``.
        client_cert: PEM file with the client certificate (mutual TLS); with
            ``client_key`` when the key is in a separate file.
        client_key: PEM file with the client certificate's private key.
        ca_bundle: PEM file with the CA certificates that may sign the server's
            certificate. Without it the system's default trust store is used.
        connect_timeout: seconds to establish a connection (TCP and TLS handshake).
        read_timeout: seconds to wait for each chunk of the response.
        write_timeout: seconds to wait for each chunk of the request to be sent.
        pool_timeout: seconds to wait for a free connection from the pool.
        retries: the maximum number of attempts per fetch (1 = no retry). Retried are
            connection errors, timeouts, HTTP 5xx and bodies cut short; never HTTP 4xx.
        backoff_base: the first retry waits up to this many seconds; each further retry
            doubles it (exponential backoff).
        backoff_max: no wait between attempts is longer than this.
        jitter: with "full jitter" (the default) each wait is drawn uniformly between 0
            and the exponential bound, so that many clients do not retry in lockstep;
            without it the wait is exactly the bound.
        deadline: the overall time budget of one fetch in seconds, attempts and waits
            included. Each attempt's timeouts are cut to the time left, and no wait is
            started that would end after the deadline.
        max_concurrency: how many fetches a batch (``fetch_many``) runs at once.
        max_connections: the size of the connection pool.
        max_keepalive_connections: how many idle connections are kept open for re-use
            (HTTP/1.1 keep-alive).
        keepalive_expiry: seconds an idle connection is kept.
        municipality: the municipality code (four digits) put on the Case of a person
            the service does not know (HTTP 404). Without it, the requester's
            ``organisation`` is used when that is a four-digit municipality code.
        user_agent: the ``User-Agent`` header.
        body_format: the case document's format, ``"xml"`` (the default: SSBTEK answers
            in XML) or ``"json"``; both are ssbx_model's versioned case documents.
        allow_plain_http_loopback: allow a plain ``http://`` base URL whose host is a
            loopback address (``127.0.0.0/8``, ``::1`` or ``localhost``): a stub on the
            same machine, in tests and demos. Never with a client certificate, and never
            to any other host, whatever this says.
    """

    base_url: str
    client_cert: Path | None = attrs.field(default=None, converter=_path, kw_only=True)
    client_key: Path | None = attrs.field(default=None, converter=_path, kw_only=True)
    ca_bundle: Path | None = attrs.field(default=None, converter=_path, kw_only=True)
    connect_timeout: float = attrs.field(default=5.0, kw_only=True)
    read_timeout: float = attrs.field(default=30.0, kw_only=True)
    write_timeout: float = attrs.field(default=10.0, kw_only=True)
    pool_timeout: float = attrs.field(default=5.0, kw_only=True)
    retries: int = attrs.field(default=3, kw_only=True)
    backoff_base: float = attrs.field(default=0.2, kw_only=True)
    backoff_max: float = attrs.field(default=5.0, kw_only=True)
    jitter: bool = attrs.field(default=True, kw_only=True)
    deadline: float = attrs.field(default=60.0, kw_only=True)
    max_concurrency: int = attrs.field(default=16, kw_only=True)
    max_connections: int = attrs.field(default=32, kw_only=True)
    max_keepalive_connections: int = attrs.field(default=32, kw_only=True)
    keepalive_expiry: float = attrs.field(default=30.0, kw_only=True)
    municipality: str | None = attrs.field(default=None, kw_only=True)
    user_agent: str = attrs.field(default="ssbx-adapter-http", kw_only=True)
    body_format: str = attrs.field(default="xml", kw_only=True)
    allow_plain_http_loopback: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        allow: Any = self.allow_plain_http_loopback
        if not isinstance(allow, bool):
            problems.append(Problem("allow_plain_http_loopback", "must be True or False"))
        try:
            url = httpx.URL(self.base_url)
        except (httpx.InvalidURL, TypeError):
            problems.append(Problem("base_url", "is not a URL"))
        else:
            if url.scheme not in ("http", "https") or not url.host:
                problems.append(Problem("base_url", "must be an http:// or https:// URL"))
            elif url.query or url.fragment:
                problems.append(Problem("base_url", "must not have a query or fragment"))
            elif url.scheme == "http":
                problem = self._plain_http_problem(url.host)
                if problem is not None:
                    problems.append(problem)
        for name in (
            "connect_timeout",
            "read_timeout",
            "write_timeout",
            "pool_timeout",
            "backoff_base",
            "backoff_max",
            "deadline",
            "keepalive_expiry",
        ):
            value: Any = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                problems.append(Problem(name, "must be a positive number of seconds"))
        for name in ("retries", "max_concurrency", "max_connections"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(Problem(name, "must be a whole number of at least 1"))
        keep = self.max_keepalive_connections
        if isinstance(keep, bool) or not isinstance(keep, int) or keep < 0:
            problems.append(Problem("max_keepalive_connections", "must be a whole number >= 0"))
        if self.client_key is not None and self.client_cert is None:
            problems.append(Problem("client_key", "is given without client_cert"))
        if self.municipality is not None and not _MUNICIPALITY.match(self.municipality):
            problems.append(Problem("municipality", "must be a four-digit municipality code"))
        if self.body_format not in ("xml", "json"):
            problems.append(Problem("body_format", "must be 'xml' or 'json'"))
        if not self.user_agent.strip():
            problems.append(Problem("user_agent", "must not be empty"))
        if problems:
            raise ValidationError(problems)

    def _plain_http_problem(self, host: str) -> Problem | None:
        """Why a plain http:// base URL is refused, or None when it is allowed: the
        request body carries the identity number, which must not cross a network in
        clear (issue 19)."""
        if self.client_cert is not None:
            return Problem(
                "base_url",
                "is plain http:// but client_cert is set: mutual TLS needs https://, and "
                "identity numbers must not travel in clear",
            )
        if not _is_loopback(host):
            return Problem(
                "base_url",
                "must be https://: plain http:// would send identity numbers in clear "
                "(it is allowed only to a loopback address, with allow_plain_http_loopback)",
            )
        if self.allow_plain_http_loopback is not True:
            return Problem(
                "base_url",
                "is plain http:// to a loopback address: pass "
                "allow_plain_http_loopback=True to allow it (a local stub), or use https://",
            )
        return None

    @property
    def fetch_url(self) -> str:
        """The URL of the fetch operation."""
        return self.base_url.rstrip("/") + "/v1/cases/fetch"

    def timeout(self, remaining: float | None = None) -> httpx.Timeout:
        """Per-phase timeouts, each cut to ``remaining`` seconds when that is given."""

        def cap(value: float) -> float:
            return value if remaining is None else max(0.001, min(value, remaining))

        return httpx.Timeout(
            connect=cap(self.connect_timeout),
            read=cap(self.read_timeout),
            write=cap(self.write_timeout),
            pool=cap(self.pool_timeout),
        )

    def limits(self) -> httpx.Limits:
        """Connection-pool limits (HTTP/1.1 keep-alive)."""
        return httpx.Limits(
            max_connections=self.max_connections,
            max_keepalive_connections=self.max_keepalive_connections,
            keepalive_expiry=self.keepalive_expiry,
        )

    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context: the CA bundle (or the default trust store) and the client
        certificate for mutual TLS, if configured.

        Raises:
            ValidationError: if a certificate, key or CA file cannot be loaded (the path
                of the field and the reason; file contents are never echoed).
        """
        try:
            if self.ca_bundle is not None:
                context = ssl.create_default_context(cafile=str(self.ca_bundle))
            else:
                import certifi

                context = ssl.create_default_context(cafile=certifi.where())
        except (OSError, ssl.SSLError) as exc:
            raise ValidationError(
                Problem("ca_bundle", f"cannot be loaded ({type(exc).__name__})")
            ) from None
        if self.client_cert is not None:
            try:
                context.load_cert_chain(
                    str(self.client_cert),
                    None if self.client_key is None else str(self.client_key),
                )
            except (OSError, ssl.SSLError) as exc:
                raise ValidationError(
                    Problem("client_cert", f"cannot be loaded ({type(exc).__name__})")
                ) from None
        return context
