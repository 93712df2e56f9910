"""Pseudonymous person keys: a keyed hash of the identity number, never the number.

Audit events, statistics reports and stores refer to a person by
``Pseudonymizer(key).key_for(person)``: HMAC-SHA256 over the canonical 12-digit number under
a secret key, so the same person gets the same key within one deployment, and nobody
without the key can compute it from a number (or recover a number from it).

Keep the secret in a file and load it with :meth:`Pseudonymizer.from_file`: the command
line and Python then read the same file the same way, so a report made with ``ssbx
report`` and one made in Python give the same pseudonyms month after month.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

import attrs

from ssbx_model.identity import Personnummer, Samordningsnummer

__all__ = ["Pseudonymizer"]


@attrs.frozen(repr=False)
class Pseudonymizer:
    """Computes pseudonymous keys with a secret ``key`` (at least 16 bytes).

    ``domain`` separates key spaces: the same person gets unrelated keys in the audit
    trail and in a statistics report when the domains differ.

    ``key`` is used byte for byte. A key kept in a file or an environment variable is
    loaded with :meth:`from_file` or :meth:`from_secret`, which leave out surrounding
    whitespace such as a trailing newline, exactly as the ``ssbx`` command does.
    """

    key: bytes = attrs.field()
    domain: str = "ssbx"

    @key.validator
    def _check_key(self, _attribute: object, value: bytes) -> None:
        if not isinstance(value, bytes) or len(value) < 16:
            raise ValueError("a pseudonymisation key must be at least 16 bytes")

    @classmethod
    def from_secret(cls, secret: bytes | str, *, domain: str = "ssbx") -> Pseudonymizer:
        """A pseudonymizer keyed by ``secret`` as kept in a file or an environment
        variable: leading and trailing whitespace (the newline an editor or ``echo`` adds)
        is not part of the key, text is UTF-8.

        Raises:
            ValueError: when what remains is shorter than 16 bytes.
        """
        data = secret.encode("utf-8") if isinstance(secret, str) else secret
        return cls(data.strip(), domain=domain)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, domain: str = "ssbx") -> Pseudonymizer:
        """A pseudonymizer keyed by the secret in the file at ``path``, read as
        :meth:`from_secret` reads it. This is the loader the ``ssbx`` command uses too
        (``--key-file``): the same file gives the same pseudonyms from either.

        Raises:
            OSError: when the file cannot be read.
            ValueError: when the key in it is shorter than 16 bytes.
        """
        with open(path, "rb") as handle:
            return cls.from_secret(handle.read(), domain=domain)

    def key_for(self, person: Personnummer | Samordningsnummer) -> str:
        """The pseudonymous key of ``person``: ``pk_`` and 32 base32 characters."""
        message = f"{self.domain}\x00{person.reveal()}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()[:20]
        return "pk_" + base64.b32encode(digest).decode("ascii").lower()

    def __repr__(self) -> str:
        return f"Pseudonymizer(key=<{len(self.key)} bytes>, domain={self.domain!r})"
