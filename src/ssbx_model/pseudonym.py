"""Pseudonymous person keys: a keyed hash of the identity number, never the number.

Audit events, statistics reports and stores refer to a person by
``Pseudonymizer(key).key_for(person)``: HMAC-SHA256 over the canonical 12-digit number under
a secret key, so the same person gets the same key within one deployment, and nobody
without the key can compute it from a number (or recover a number from it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import attrs

from ssbx_model.identity import Personnummer, Samordningsnummer

__all__ = ["Pseudonymizer"]


@attrs.frozen(repr=False)
class Pseudonymizer:
    """Computes pseudonymous keys with a secret ``key`` (at least 16 bytes).

    ``domain`` separates key spaces: the same person gets unrelated keys in the audit
    trail and in a statistics report when the domains differ.
    """

    key: bytes = attrs.field()
    domain: str = "ssbx"

    @key.validator
    def _check_key(self, _attribute: object, value: bytes) -> None:
        if not isinstance(value, bytes) or len(value) < 16:
            raise ValueError("a pseudonymisation key must be at least 16 bytes")

    def key_for(self, person: Personnummer | Samordningsnummer) -> str:
        """The pseudonymous key of ``person``: ``pk_`` and 32 base32 characters."""
        message = f"{self.domain}\x00{person.reveal()}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()[:20]
        return "pk_" + base64.b32encode(digest).decode("ascii").lower()

    def __repr__(self) -> str:
        return f"Pseudonymizer(key=<{len(self.key)} bytes>, domain={self.domain!r})"
