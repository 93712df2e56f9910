"""Key handling of the SQL store: pseudonymous person keys and sealed (encrypted) values.

From the one secret the store is given, HKDF-SHA256 derives four independent keys:

* ``person``: the HMAC key of the person key column (:class:`ssbx_model.pseudonym.
  Pseudonymizer`, domain ``ssbx-sql``): the same person always maps to the same row, and
  nobody without the secret can compute a row's key from a number;
* ``seal``: the AES-256-GCM key that encrypts the identity number and the case body;
* ``fingerprint``: 16 bytes stored in the database so that a store opened with the
  wrong secret fails at once instead of writing rows nobody can link or read;
* ``audit-chain``: the HMAC key of the audit trail's hash chain (:mod:`ssbx_sql._chain`).

A sealed value is ``0x01 || nonce (12 bytes) || ciphertext || tag (16 bytes)``; the
associated data binds it to its column and row (``b"case-body\\0" + person_key``), so a
sealed body copied into another row does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ssbx_model.errors import AdapterError
from ssbx_model.pseudonym import Pseudonymizer

__all__ = ["MIN_KEY_BYTES", "StoreKeys", "decode_key", "generate_key"]

#: The shortest secret the store accepts (256 bits).
MIN_KEY_BYTES = 32

_FORMAT = b"\x01"
_NONCE_BYTES = 12
_INFO = b"ssbx-sql/v1/"


def _derive(secret: bytes, purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + purpose.encode())
    return hkdf.derive(secret)


def generate_key() -> str:
    """A new random store secret (32 bytes) as URL-safe base64 text, for a key file or
    the ``SSBX_SQL_KEY`` environment variable."""
    return base64.urlsafe_b64encode(os.urandom(MIN_KEY_BYTES)).decode("ascii")


def decode_key(text: str) -> bytes:
    """Decode a store secret written as URL-safe base64 (as :func:`generate_key` makes).

    Raises:
        AdapterError: if the text is not base64 or decodes to fewer than 32 bytes.
    """
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise AdapterError("the SQL store key is not URL-safe base64 text") from None
    _check_length(raw)
    return raw


def _check_length(secret: object) -> None:
    if not isinstance(secret, bytes):
        raise TypeError("the SQL store key must be bytes")
    if len(secret) < MIN_KEY_BYTES:
        raise AdapterError(
            f"the SQL store key must be at least {MIN_KEY_BYTES} random bytes "
            f"(got {len(secret)}); make one with ssbx_sql.generate_key()"
        )


class StoreKeys:
    """The keys derived from one store secret (see the module documentation)."""

    __slots__ = ("_aead", "chain_key", "fingerprint", "pseudonymizer")

    def __init__(self, secret: bytes) -> None:
        _check_length(secret)
        #: Computes the person key column.
        self.pseudonymizer = Pseudonymizer(_derive(secret, "person-key"), domain="ssbx-sql")
        self._aead = AESGCM(_derive(secret, "seal"))
        #: Hex fingerprint stored in the database to recognise the secret.
        self.fingerprint = _derive(secret, "fingerprint")[:16].hex()
        #: Keys the audit chain's digests.
        self.chain_key = _derive(secret, "audit-chain")

    def matches(self, fingerprint: str) -> bool:
        """True when ``fingerprint`` (read from a database) belongs to this secret."""
        return hmac.compare_digest(self.fingerprint, fingerprint)

    def seal(self, plaintext: bytes, *, context: bytes) -> bytes:
        """Encrypt ``plaintext`` bound to ``context`` (column and row)."""
        nonce = os.urandom(_NONCE_BYTES)
        return _FORMAT + nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, *, context: bytes) -> bytes:
        """Decrypt a value sealed with :meth:`seal` under the same ``context``.

        Raises:
            AdapterError: if the value is not a sealed value of this format, was sealed
                with another secret or for another row, or was altered.
        """
        sealed = bytes(sealed)
        if not sealed.startswith(_FORMAT) or len(sealed) < 1 + _NONCE_BYTES + 16:
            raise AdapterError("a sealed value in the SQL store has an unknown format")
        nonce = sealed[1 : 1 + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[1 + _NONCE_BYTES :], context)
        except InvalidTag:
            raise AdapterError(
                "a sealed value in the SQL store does not decrypt: it was written with "
                "another key, copied from another row, or altered"
            ) from None

    def __repr__(self) -> str:
        return f"StoreKeys(fingerprint={self.fingerprint[:8]}...)"
