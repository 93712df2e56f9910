"""Building a store from configuration: the entry point ``ssbx_model.adapters: sql``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import AdapterError
from ssbx_sql._crypto import decode_key, generate_key
from ssbx_sql._engine import DEFAULT_URL
from ssbx_sql._store import SqlStore

__all__ = ["KEY_ENV", "URL_ENV", "create_store", "load_key_file"]

#: Environment variable holding the store secret as URL-safe base64 text.
KEY_ENV = "SSBX_SQL_KEY"
#: Environment variable holding the database URL.
URL_ENV = "SSBX_SQL_URL"


def load_key_file(path: str | os.PathLike[str], *, create: bool = False) -> bytes:
    """Read a store secret from a key file (URL-safe base64 text, as
    :func:`~ssbx_sql.generate_key` writes).

    With ``create=True`` a missing file is created with a new random secret, readable by
    its owner only (mode 0600). Keep the key file out of database backups: a dump and the
    key together reveal everything.

    Raises:
        AdapterError: if the file is missing (and ``create`` is false) or unreadable, or
            holds no valid key.
    """
    file = Path(path)
    if create and not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(generate_key() + "\n")
    try:
        text = file.read_text(encoding="ascii")
    except OSError as exc:
        raise AdapterError(f"cannot read the SQL store key file {str(file)!r}: {exc}") from None
    return decode_key(text)


def create_store(
    url: str | None = None,
    *,
    key: bytes | str | None = None,
    key_file: str | os.PathLike[str] | None = None,
    create_key_file: bool = False,
    clock: Clock = utc_now,
    migrate: bool = True,
    environ: Mapping[str, str] | None = None,
) -> SqlStore:
    """Open a :class:`SqlStore` from configuration (the ``sql`` adapter's factory).

    The database URL is ``url``, else the ``SSBX_SQL_URL`` environment variable, else
    :data:`DEFAULT_URL` (a SQLite file under ``./.ssbx-demo``). The secret is ``key``
    (bytes, or base64 text), else read from ``key_file`` (created when missing if
    ``create_key_file``), else the ``SSBX_SQL_KEY`` environment variable. ``environ``
    replaces ``os.environ`` (for tests).

    Raises:
        AdapterError: if no key is configured, the key is invalid, or the database
            cannot be opened.
    """
    env = os.environ if environ is None else environ
    secret: bytes
    if isinstance(key, bytes):
        secret = key
    elif isinstance(key, str):
        secret = decode_key(key)
    elif key_file is not None:
        secret = load_key_file(key_file, create=create_key_file)
    elif env.get(KEY_ENV):
        secret = decode_key(env[KEY_ENV])
    else:
        raise AdapterError(
            "the SQL store needs a key: pass key= or key_file=, or set "
            f"{KEY_ENV} (make one with: python -c 'import ssbx_sql; "
            "print(ssbx_sql.generate_key())')"
        )
    return SqlStore(
        url or env.get(URL_ENV) or DEFAULT_URL, key=secret, clock=clock, migrate=migrate
    )
