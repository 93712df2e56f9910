"""A small client for the stub's admin API (faults and counters), for tests and scripts.

Works against any running stub, in-process or started with ``ssbx-stub serve`` in
another process.
"""

from __future__ import annotations

import ssl
from types import TracebackType
from typing import Any, Self

import httpx

from ssbx_http.stub.faults import Faults
from ssbx_model.errors import TransportError

__all__ = ["StubAdmin"]


class StubAdmin:
    """Switch the stub's faults and read its counters over HTTP.

    ``verify`` is an SSL context (with the client certificate, under mutual TLS) or a
    bool, as for httpx.
    """

    def __init__(self, base_url: str, *, verify: ssl.SSLContext | bool = True) -> None:
        self._client = httpx.Client(base_url=base_url, verify=verify, timeout=10.0, trust_env=False)

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        try:
            response = self._client.request(method, path, json=json)
        except httpx.HTTPError as exc:
            raise TransportError(
                f"the stub's admin API cannot be reached ({type(exc).__name__})"
            ) from exc
        if response.status_code != 200:
            raise TransportError(
                f"the stub's admin API refused {method} {path}: HTTP {response.status_code} "
                f"{response.text[:500]}"
            )
        return response.json()

    def set_faults(self, faults: Faults | None = None, **settings: Any) -> Faults:
        """Replace the faults, from a :class:`Faults` or from its fields as keywords
        (``set_faults(error_rate=1.0, first=2)``); return what the stub now uses."""
        if faults is None:
            faults = Faults.from_json(
                {k: sorted(v) if isinstance(v, set | frozenset) else v for k, v in settings.items()}
            )
        elif settings:
            raise TypeError("give a Faults or keyword settings, not both")
        return Faults.from_json(self._call("POST", "/v1/_faults", faults.to_json()))

    def clear_faults(self) -> None:
        """Switch every fault off."""
        self._call("DELETE", "/v1/_faults")

    def faults(self) -> Faults:
        """The faults in force."""
        return Faults.from_json(self._call("GET", "/v1/_faults"))

    def stats(self) -> dict[str, Any]:
        """The counters (see :meth:`ssbx_http.stub.app.StubStats.to_json`)."""
        result: dict[str, Any] = self._call("GET", "/v1/_stats")
        return result

    def reset_stats(self) -> None:
        """Set the counters to zero."""
        self._call("DELETE", "/v1/_stats")

    def health(self) -> dict[str, Any]:
        """``GET /v1/health``."""
        result: dict[str, Any] = self._call("GET", "/v1/health")
        return result

    def close(self) -> None:
        """Close the admin client's connections."""
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
