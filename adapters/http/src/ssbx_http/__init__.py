"""ssbx_model over HTTP: an information source for SSBTX-style services, and a stub.

* :class:`HttpSource` / :class:`AsyncHttpSource`: fetch a person's information sets
  over HTTPS (mutual TLS, per-phase timeouts, retries with backoff and jitter, an
  overall deadline, keep-alive pooling, bounded batches), configured by
  :class:`HttpSourceConfig`.
* :mod:`ssbx_http.stub`: the reference SSBTX stub service with fault injection
  (``ssbx-stub serve``, and the pytest fixtures ``ssbx_stub`` / ``ssbx_stub_factory``).
* :mod:`ssbx_http.wire`: the request document and paths both sides share.
"""

from ssbx_http.client import AsyncHttpSource, BatchResult, HttpSource, create_source
from ssbx_http.config import HttpSourceConfig
from ssbx_http.errors import (
    DeadlineExceeded,
    FetchError,
    InvalidResponse,
    RequestRejected,
    ServiceUnavailable,
    TlsError,
)

__all__ = [
    "AsyncHttpSource",
    "BatchResult",
    "DeadlineExceeded",
    "FetchError",
    "HttpSource",
    "HttpSourceConfig",
    "InvalidResponse",
    "RequestRejected",
    "ServiceUnavailable",
    "TlsError",
    "create_source",
]
